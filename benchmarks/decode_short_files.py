"""How well are short Chinese files decoded: charset-normalizer alone vs assistant._decode?

For each length (characters) and encoding it cuts 60 random slices from the seed page
(simplified) or from our own traditional sentences, encodes them, and counts the slices
read back exactly by charset-normalizer's best guess and by `decode` (charset-normalizer's
ranking plus the common-character check). It also prints the highest plausibility any
wrong reading reached (what MIN_PLAUSIBLE must stay above) and the decode time.

    .venv/bin/python benchmarks/decode_short_files.py
"""

from __future__ import annotations

import random
import re
import statistics
import time
from pathlib import Path

import charset_normalizer

from assistant._decode import _strict, decode, plausibility
from assistant.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SEED_PAGE = ROOT / "corpus" / "jiaxing-daily_pinghu-edition_page-f157e6cd94a7ab20.txt"
SIMPLIFIED = re.sub(r"\s+", "", SEED_PAGE.read_text("utf-8"))
TRADITIONAL = (
    "本報訊 7月1日，廣陳鎮第十屆西瓜節開幕，現場遊客絡繹不絕。據統計，西瓜節期間共接待遊客三萬六千人次，"
    "帶動農戶增收兩百萬元。鎮黨委書記表示，將繼續辦好農業節慶活動，讓更多市民走進鄉村、體驗農耕文化。"
    "新倉鎮舉辦端午龍舟賽，共有十二支隊伍參賽，觀眾超過三千人。市農業農村局近日發佈春耕備耕工作方案，"
    "今年全市計劃種植早稻兩萬三千畝。當湖街道社區衛生服務中心開設夜間門診，方便上班族就醫。"
    "平湖市圖書館新館將於六月一日對外開放，館內設有少兒閱覽區、地方文獻室和自助借還設備。"
)
OTHERS = ("gb18030", "big5", "utf_16_le", "utf_16_be")


def main() -> None:
    rng = random.Random(1)
    print(f"{'text':5} {'encoding':9} {'chars':>5}  {'ours':>6} {'c-n alone':>9}  wrong readings: max / mean")
    for n in (4, 10, 20, 50, 200):
        for label, text, encoding in (
            ("simp", SIMPLIFIED, "gb18030"),
            ("simp", SIMPLIFIED, "utf_16_le"),
            ("trad", TRADITIONAL, "big5"),
            ("trad", TRADITIONAL, "utf_16_be"),
        ):
            ours = alone = total = 0
            wrong: list[float] = []
            for _ in range(60):
                i = rng.randrange(max(1, len(text) - n))
                piece = text[i : i + n]
                data = piece.encode(encoding)
                total += 1
                best = charset_normalizer.from_bytes(data).best()
                alone += bool(best and str(best) == piece)
                try:
                    ours += decode(data, "x").text == piece
                except InputError:
                    pass
                for other in OTHERS:
                    got = _strict(data, other) if other != encoding else None
                    if got is not None and got != piece:
                        wrong.append(plausibility(got))
            print(
                f"{label:5} {encoding:9} {n:5}  {ours:3}/{total} {alone:6}/{total}  "
                f"{max(wrong or [0]):.2f} / {statistics.mean(wrong or [0]):.2f}"
            )
    pieces = [SIMPLIFIED[i : i + 1000].encode("gb18030") for i in range(0, len(SIMPLIFIED) - 1000, 250)]
    start = time.perf_counter()
    for data in pieces:
        decode(data, "x")
    ms = (time.perf_counter() - start) / len(pieces) * 1000
    print(f"decode of a 1,000-character GB18030 file: {ms:.1f} ms")


if __name__ == "__main__":
    main()
