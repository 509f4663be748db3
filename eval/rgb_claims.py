"""RGB zh_fact-style fact checking: claims stating the true answer and a fake one.

`python eval/rgb_claims.py [--n 30] [--pool queries|all] [--show]`

RGB's zh_refine queries come with the passages that hold the answer (positive) and
related ones that do not (negative). Taking the first N queries whose answer is a
number or a date, their passages are pooled into one index (`--pool all`: every
passage of all 300 queries, the harder setting), and each query becomes two claims:
the query stated with its true answer ("…死亡人数是12人") and with a fake one, the
number or date changed ("…死亡人数是18人"). The checker should call the first
`supported` and the second `contradicted`; the numbers printed say how often it does.
Not a test: it needs ../shared/data and the real embedder, and takes minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import Settings
from assistant.records import Article

RGB_FILE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "rgb" / "zh_refine.json"

_ASK = re.compile(
    r"(?:是|为)?(?:多少钱|(?:多少|几)(?P<unit>[个次人元年天岁名家辆吨米%]*))|(?:是)?(?:什么时候|何时|哪一天|哪天)|多长|多久"
)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def rgb_id(text: str) -> str:
    return "rgb-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def answer_variant(slot: Any) -> str | None:
    """The first accepted spelling with Arabic digits (the one we can change reliably)."""
    variants = slot if isinstance(slot, list) else [slot]
    for v in variants:
        v = str(v).strip().rstrip("。")
        if re.search(r"\d", v):
            return v
    return None


def fake_value(answer: str) -> str:
    """The same answer with its number or date changed: 12人 -> 18人, 1月3日 -> 1月10日."""
    m = re.search(r"(\d+)月(\d+)日", answer)
    if m:
        day = int(m.group(2))
        new = day + 7 if day <= 21 else day - 7
        return answer[: m.start(2)] + str(new) + answer[m.end(2) :]
    m = re.search(r"(\d+)月", answer)
    if m:
        month = int(m.group(1))
        return answer[: m.start(1)] + str(month + 2 if month <= 10 else month - 2) + answer[m.end(1) :]
    m = re.search(r"\d+(?:\.\d+)?", answer)
    assert m is not None
    num = m.group(0)
    if "." in num:
        whole, frac = num.split(".")
        new = f"{int(whole) + 2}.{frac}"
    else:
        value = int(num)
        new = str(value + max(2, round(value * 0.5)))
    return answer[: m.start()] + new + answer[m.end() :]


def statement(query: str, answer: str) -> str:
    """The query said as a claim: 多少/几/什么时候 replaced by the answer, else "…是ANSWER"."""
    q = re.sub(r"[？?。\s]+$", "", query.strip())
    m = _ASK.search(q)
    if m:
        unit = m.groupdict().get("unit") or ""
        filler = answer if not unit or answer.endswith(unit) else answer + unit
        return q[: m.start()] + ("是" if m.group(0).startswith("是") else "") + filler + q[m.end() :]
    return f"{q}是{answer}"


def load(n: int, offset: int = 0) -> tuple[list[dict[str, Any]], list[Article], list[Article]]:
    from assistant._normalize import normalise
    from assistant._values import items

    chosen: list[dict[str, Any]] = []
    pool: dict[str, str] = {}
    every: dict[str, str] = {}
    with RGB_FILE.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for row in rows:
        for text in (row.get("positive") or []) + (row.get("negative") or []):
            every.setdefault(rgb_id(text), text)
        if len(chosen) >= n + offset or len(row["answer"]) != 1:
            continue
        ans = answer_variant(row["answer"][0])
        if not ans or not items(normalise(ans)):
            continue
        accepted = row["answer"][0] if isinstance(row["answer"][0], list) else [row["answer"][0]]
        fake = fake_value(ans)
        if fake in accepted:
            continue
        chosen.append(
            {
                "id": row["id"],
                "query": row["query"],
                "true": statement(row["query"], ans),
                "fake": statement(row["query"], fake),
                "answer": ans,
                "fake_answer": fake,
            }
        )
        if len(chosen) > offset:
            for text in (row.get("positive") or []) + (row.get("negative") or []):
                pool.setdefault(rgb_id(text), text)

    def arts(d: dict[str, str]) -> list[Article]:
        # A few RGB passages are mojibake (UTF-8 read as a Cyrillic code page); the
        # multilingual-e5 tokenizer panics on some of them (e.g. "ең°"), so they stay out.
        return [
            Article(id=i, title="", text=t, source="RGB zh_refine")
            for i, t in d.items()
            if len(_CYRILLIC.findall(t)) < 5
        ]

    return chosen[offset:], arts(pool), arts(every)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30, help="queries (each gives a true and a fake claim)")
    ap.add_argument("--offset", type=int, default=0, help="skip this many eligible queries (a fresh sample)")
    ap.add_argument(
        "--pool",
        choices=("queries", "all"),
        default="queries",
        help="index the chosen queries' passages only, or all 7.3k RGB passages",
    )
    ap.add_argument("--show", action="store_true", help="print every claim with its verdict")
    args = ap.parse_args()
    if not RGB_FILE.is_file():
        print(f"skipped: {RGB_FILE} not found (see ../shared/data/README.md)")
        return 0

    from assistant._check import check_claim
    from assistant._index import NewsIndex
    from assistant._search import Searcher

    base = Settings.from_env()
    chosen, pool, every = load(args.n, args.offset)
    t0 = time.perf_counter()
    if args.pool == "all":
        # The pooled index `python -m eval rgb-retrieval` builds (same passages, same ids).
        from eval._rgb import load_rgb, open_index

        articles = every
        index = open_index(load_rgb(), base)
        settings = index.settings
    else:
        articles = pool
        sample = f"-from{args.offset}" if args.offset else ""
        model = base.embed_model
        settings = base.with_(
            index_dir=Path(base.cache_dir) / "eval" / f"rgb-claims-queries-{args.n}{sample}-{model}",
            chroma_host=None,
            collection="rgbclaims",
        )
        index = NewsIndex(settings)
        print(
            f"indexing {len(articles)} passages into {settings.index_dir} (embeds only what is missing)",
            flush=True,
        )
        index.ingest(articles)
    print(
        f"index: {index.count()} passages from {len(articles)} RGB passages "
        f"({time.perf_counter() - t0:.0f} s)",
        flush=True,
    )

    searcher = Searcher(index)
    tally: Counter[tuple[str, str]] = Counter()
    t1 = time.perf_counter()
    for c in chosen:
        for kind in ("true", "fake"):
            r = check_claim(searcher, c[kind], settings)
            tally[(kind, r.verdict)] += 1
            if args.show:
                want = "supported" if kind == "true" else "contradicted"
                mark = "ok" if r.verdict == want else "XX"
                quote = r.citations[0].quote[:60] if r.citations else ""
                why = r.explanation[:90]
                print(f"{mark} [{c['id']}] {kind:4} {r.verdict:12} {c[kind]} | {why} | {quote}", flush=True)
    seconds = time.perf_counter() - t1
    n = len(chosen)
    print(
        f"\nRGB zh_refine claims: {n} queries, pool={args.pool} ({len(articles)} passages), "
        f"{seconds / (2 * n):.2f} s per claim"
    )
    for kind, want in (("fake", "contradicted"), ("true", "supported")):
        got = {v: tally[(kind, v)] for v in ("supported", "contradicted", "not_found")}
        print(f"  {kind} claims: {got[want]}/{n} {want} ({got[want] / n:.0%}); all verdicts {got}")
    wrong = tally[("fake", "supported")] + tally[("true", "contradicted")]
    print(f"  flipped (fake supported or true contradicted): {wrong}/{2 * n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
