"""Encodings: every supported encoding read right, even in short files; garbage refused."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from assistant._decode import MIN_PLAUSIBLE, decode, plausibility
from assistant._load_corpus import load_file, load_paths
from assistant.errors import InputError

from .conftest import ROOT

CASES = ROOT.parent / "shared" / "cases"

# Our own news-like sentences (not the cases' words), simplified and traditional.
SIMPLIFIED = "# 曹桥街道开展夏季消防演练\n7月8日上午，曹桥街道组织辖区企业开展消防演练，两百余名职工参加。\n"
TRADITIONAL = "# 當湖街道舉辦社區運動會\n8月3日，當湖街道舉辦第三屆社區運動會，共有六百多名居民參加比賽。\n"
SHORT_SIMPLIFIED = "钟埭街道召开安全会议。"  # 11 characters: where charset-normalizer alone errs
SHORT_TRADITIONAL = "廣陳鎮舉辦荷花節。"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SIMPLIFIED, "utf-8"),
        (SIMPLIFIED, "utf-8-sig"),
        (SIMPLIFIED, "utf-16"),  # with BOM
        (SIMPLIFIED, "utf-16-le"),
        (SIMPLIFIED, "utf-16-be"),
        (SIMPLIFIED, "gb18030"),
        (SIMPLIFIED, "gbk"),
        (SHORT_SIMPLIFIED, "gbk"),
        (SHORT_SIMPLIFIED, "utf-16-le"),
        (TRADITIONAL, "big5"),
        (TRADITIONAL, "utf-16-be"),
        (SHORT_TRADITIONAL, "big5"),
        (TRADITIONAL, "utf-8"),
    ],
)
def test_each_encoding_is_read_right(text: str, encoding: str) -> None:
    got = decode(text.encode(encoding), "f.md")
    assert got.text == text
    assert got.plausibility >= MIN_PLAUSIBLE


def test_utf16_bom_files_load_as_articles_not_binary(tmp_path: Path) -> None:
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        f = tmp_path / f"{encoding}.md"
        data = SIMPLIFIED.encode(encoding)
        if encoding != "utf-16":
            bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
            data = bom + data
        f.write_bytes(data)
        result = load_file(f)
        assert not result.problems, result.problems
        (art,) = result.articles
        assert art.title == "曹桥街道开展夏季消防演练" and "两百余名职工" in art.text


def test_cross_decodings_score_low() -> None:
    # The check behind the choice: Big5 bytes read as GB18030 (case 03's fault) and GBK
    # bytes read as Big5 are mostly rare characters.
    assert plausibility(TRADITIONAL.encode("big5").decode("gb18030")) < 0.6
    assert plausibility(SIMPLIFIED.encode("gbk").decode("big5", errors="replace")) < 0.6
    assert plausibility(SIMPLIFIED) == 1.0 and plausibility(TRADITIONAL) == 1.0


def test_garbage_is_refused_naming_the_file_and_encodings(tmp_path: Path) -> None:
    rng = random.Random(7)
    f = tmp_path / "scrambled.md"
    # High bytes only (no NUL, no control bytes): text-like to a naive check, but no reading fits.
    f.write_bytes(bytes(rng.randrange(0x81, 0xFF) for _ in range(400)))
    result = load_paths([f])
    assert not result.articles
    (problem,) = result.problems
    msg = str(problem)
    assert str(f) in msg and "\n" not in msg
    for name in ("UTF-8", "UTF-16", "GB18030", "Big5"):
        assert name in msg


def test_binary_is_still_called_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        decode(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4, "a.txt")


def test_bad_bom_is_refused() -> None:
    with pytest.raises(InputError, match="byte-order mark"):
        decode(codecs.BOM_UTF8 + b"\xff\xfe\xfa", "a.txt")


def test_case_03_big5_file_is_decoded() -> None:
    f = CASES / "03-big5-mojibake" / "article_big5.md"
    if not f.exists():
        pytest.skip("../shared/cases is absent on this machine")
    result = load_file(f)
    assert not result.problems
    (art,) = result.articles
    assert art.title == "廣陳鎮舉辦西瓜節" and art.date == "2024-07-02"
    assert art.text.endswith("吸引遊客約八千人次。")
