"""Latency of `ask` (retrieval + extractive answer), p50 / p95, on the seed corpus and on
CRUD news at scale, in process, models loaded and warmed before the clock starts.

    .venv/bin/python benchmarks/ask_latency.py                               # seed corpus
    .venv/bin/python benchmarks/ask_latency.py --index /tmp/crud10k          # an index built by
        # benchmarks/ingest_query.py --articles 10000 --keep-index /tmp/crud10k (the seed page
        # is added to it, so the seed questions have their answers among 10k other articles)

Questions: the seed development set (eval/seed_questions.jsonl, answerable and not),
plus, on a CRUD index, clauses of random indexed CRUD articles turned into questions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant._answer import Assistant
from assistant._index import NewsIndex
from assistant._load_corpus import load_paths
from assistant.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    i = (len(xs) - 1) * q / 100
    lo, hi = int(i), min(int(i) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def seed_questions() -> list[str]:
    lines = (ROOT / "eval" / "seed_questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def crud_questions(index: NewsIndex, n: int, seed: int = 7) -> list[str]:
    """'…是怎么回事？' around a clause of a random indexed CRUD article: realistic, answerable-ish."""
    ids = [a["id"] for a in index.list_articles() if a["id"].startswith("crud-")]
    rng = random.Random(seed)
    out = []
    for aid in rng.sample(ids, min(n, len(ids))):
        art = index.get_article(aid)
        if art is None or len(art.text) < 40:
            continue
        start = rng.randrange(0, len(art.text) - 30)
        out.append(art.text[start : start + 16].strip() + "是怎么回事？")
    return out


def timed(assistant: Assistant, questions: list[str]) -> dict[str, float]:
    assistant.ask(questions[0])  # warm: first call loads BM25 postings and the HNSW graph
    secs, refused = [], 0
    for q in questions:
        t0 = time.perf_counter()
        answer = assistant.ask(q)
        secs.append(time.perf_counter() - t0)
        refused += answer.refused
    return {
        "questions": len(questions),
        "p50_ms": 1000 * statistics.median(secs),
        "p95_ms": 1000 * pct(secs, 95),
        "refused": refused,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, help="an existing index (default: a fresh one of corpus/)")
    ap.add_argument("--crud-questions", type=int, default=100)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-ask-") as tmp:
        settings = Settings.from_env(index_dir=args.index or Path(tmp) / "index")
        index = NewsIndex(settings)
        seed = load_paths([ROOT / "corpus"])
        index.ingest(seed.articles, whole_files=seed.files)  # no-op when already there
        assistant = Assistant(settings, index=index)
        print(
            f"index {settings.index_dir}: {index.count()} passages; runtime {settings.embed_runtime}; "
            f"{os.cpu_count()} CPUs",
            flush=True,
        )
        result = {"passages": index.count(), "seed": timed(assistant, seed_questions())}
        print(
            "ask, seed questions: p50 {p50_ms:.1f} ms, p95 {p95_ms:.1f} ms ({questions} q)".format(
                **result["seed"]
            )
        )
        if args.index:
            crud = crud_questions(index, args.crud_questions)
            if crud:
                result["crud"] = timed(assistant, crud)
                print(
                    "ask, CRUD questions: p50 {p50_ms:.1f} ms, p95 {p95_ms:.1f} ms ({questions} q)".format(
                        **result["crud"]
                    )
                )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
