"""Ingest throughput and query latency, ours beside the naive LangChain pipeline.

Both sides get the SAME passages (our chunker's output for N CRUD news articles)
and the SAME converted multilingual-e5-small folder, so the ratio compares the
ingest and query machinery, not the chunking or the model:

* ours: `NewsIndex.ingest` (Chroma on disk + BM25 kept beside it) with the
  configured embedding runtime, then `Searcher.search` (hybrid, k=5);
* naive: `Chroma.from_documents(docs, HuggingFaceEmbeddings(model_name=DIR))`,
  default settings (in-memory Chroma, batch 32, no e5 prompts), then
  `similarity_search(q, k=5)`.

Models are loaded and warmed before the clocks start on both sides. Every result
line names the CPU and the load average before it ran, and gives passages per
CPU-second (process CPU time, all threads) beside passages per second: where
other work shares the cores, the CPU-time ratio moves less than the wall one.
`--repeat N` runs both sides N times, alternating, and prints each ratio.

    .venv/bin/python benchmarks/ingest_query.py                  # 1,000 articles
    .venv/bin/python benchmarks/ingest_query.py --articles 10000
    .venv/bin/python benchmarks/ingest_query.py --runtime torch --skip-naive
    .venv/bin/python benchmarks/ingest_query.py --articles 10000 --keep-index /tmp/crud10k
    .venv/bin/python benchmarks/ingest_query.py --articles 10000 --query-index /tmp/crud10k
        # query latency only, on an index kept earlier (same queries; no ingest, no naive side)

Needs `langchain-chroma` and `langchain-huggingface` for the naive side
(`pip install -e '.[bench]' && pip install --no-deps langchain-huggingface`:
the latter pins huggingface-hub < 2, which transformers 5 does not need).
"""

from __future__ import annotations

import argparse
import gzip
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

from assistant._calibrate import cpu_info
from assistant._index import NewsIndex, passage_metadata
from assistant._load_corpus import load_jsonl
from assistant._split_passages import split_articles
from assistant.config import PACKAGED_MODEL, RUNTIME_CHOICES, Settings
from assistant.records import Article, Passage

CRUD = Path(__file__).resolve().parents[2] / "shared" / "data" / "crud-news" / "crud_news.jsonl.gz"


def read_articles(n: int, path: Path = CRUD) -> list[Article]:
    if not path.is_file():
        sys.exit(f"CRUD news not found at {path} (see ../shared/data/README.md)")
    lines = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            lines.append(line)
            if len(lines) >= n:
                break
    return load_jsonl("".join(lines), str(path)).articles


def queries_from(articles: list[Article], n: int, seed: int = 7) -> list[str]:
    """Leading clauses of random articles: realistic short Chinese queries with answers."""
    rng = random.Random(seed)
    out = []
    for a in rng.sample(articles, min(n, len(articles))):
        start = rng.randrange(0, max(1, len(a.text) - 40))
        out.append(a.text[start : start + 24].strip() or a.text[:24])
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    i = (len(xs) - 1) * q / 100
    lo, hi = int(i), min(int(i) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def time_queries(fn, queries: list[str]) -> dict[str, float]:
    fn(queries[0])  # warm: first query builds caches (BM25 postings, HNSW load)
    secs = []
    for q in queries:
        t0 = time.perf_counter()
        fn(q)
        secs.append(time.perf_counter() - t0)
    return {"p50_ms": 1000 * statistics.median(secs), "p95_ms": 1000 * pct(secs, 95)}


def run_ours(
    settings: Settings, articles: list[Article], passages: list[Passage], queries: list[str]
) -> dict:
    from assistant._embed import get_embedder
    from assistant._search import Searcher

    embedder = get_embedder(settings)
    # Enough texts for the batched path too: runtimes may set up their bulk path lazily.
    embedder.embed_passages(["预热"] * 128)
    embedder.embed_query("预热")
    index = NewsIndex(settings, embedder=embedder)
    load_avg = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    report = index.ingest(articles)
    secs, cpu_secs = time.perf_counter() - t0, time.process_time() - c0
    assert report.passages_total == len(passages), (report, len(passages))
    searcher = Searcher(index)
    lat = time_queries(lambda q: searcher.search(q, 5), queries)
    dense = time_queries(lambda q: searcher.search(q, 5, mode="dense"), queries)
    return {
        "runtime": embedder.runtime,
        "seconds": secs,
        "passages_per_s": len(passages) / secs,
        "passages_per_cpu_s": len(passages) / cpu_secs,
        "load_avg": load_avg,
        **lat,
        "dense_p50_ms": dense["p50_ms"],
    }


def run_naive(model_dir: str, passages: list[Passage], queries: list[str]) -> dict:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings

    emb = HuggingFaceEmbeddings(model_name=model_dir)
    emb.embed_documents(["预热"])
    emb.embed_query("预热")
    docs = [Document(page_content=p.text, metadata=passage_metadata(p)) for p in passages]
    load_avg = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    store = Chroma.from_documents(docs, emb)
    secs, cpu_secs = time.perf_counter() - t0, time.process_time() - c0
    lat = time_queries(lambda q: store.similarity_search(q, k=5), queries)
    store.delete_collection()
    return {
        "seconds": secs,
        "passages_per_s": len(passages) / secs,
        "passages_per_cpu_s": len(passages) / cpu_secs,
        "load_avg": load_avg,
        **lat,
    }


def one_run(
    args: argparse.Namespace,
    base: Settings,
    model_dir: str,
    articles: list[Article],
    passages: list[Passage],
    queries: list[str],
    cpu_model: str,
) -> dict:
    """Our ingest, then the naive one, on the same passages; printed as they finish."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        where = args.keep_index or Path(tmp) / "index"
        ours = run_ours(base.with_(index_dir=where), articles, passages, queries)
    print(
        f"ours  ({ours['runtime']}): ingest {ours['passages_per_s']:6.1f} passages/s "
        f"({ours['seconds']:.0f} s; {ours['passages_per_cpu_s']:.1f} per CPU-second; load avg before "
        f"{ours['load_avg']:.2f}); query p50 {ours['p50_ms']:.1f} ms, p95 {ours['p95_ms']:.1f} ms "
        f"(hybrid; dense alone p50 {ours['dense_p50_ms']:.1f} ms) [{cpu_model}]",
        flush=True,
    )
    result = {"articles": len(articles), "passages": len(passages), "runtime": ours["runtime"], "ours": ours}
    if args.skip_naive:
        return result
    naive = run_naive(model_dir, passages, queries)
    result["naive"] = naive
    print(
        f"naive (LangChain Chroma.from_documents + HuggingFaceEmbeddings): ingest "
        f"{naive['passages_per_s']:6.1f} passages/s ({naive['seconds']:.0f} s; "
        f"{naive['passages_per_cpu_s']:.1f} per CPU-second; load avg before {naive['load_avg']:.2f}); "
        f"query p50 {naive['p50_ms']:.1f} ms, p95 {naive['p95_ms']:.1f} ms [{cpu_model}]",
        flush=True,
    )
    result["ingest_ratio"] = ours["passages_per_s"] / naive["passages_per_s"]
    result["ingest_cpu_ratio"] = ours["passages_per_cpu_s"] / naive["passages_per_cpu_s"]
    print(
        f"ratio: ingest throughput ours/naive = {result['ingest_ratio']:.2f}x "
        f"(per CPU-second {result['ingest_cpu_ratio']:.2f}x); query p50 ours/naive = "
        f"{ours['p50_ms'] / naive['p50_ms']:.2f}x [{cpu_model}]",
        flush=True,
    )
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--runtime", choices=RUNTIME_CHOICES, help="our embedding runtime (default auto)")
    ap.add_argument("--model", help="embedding model folder (default: the packaged e5, converted)")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="run both sides this many times, alternating")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument(
        "--keep-index", type=Path, help="build our index here and keep it (for benchmarks/ask_latency.py)"
    )
    ap.add_argument("--query-index", type=Path, help="time queries only, on an index kept with --keep-index")
    args = ap.parse_args()

    from assistant._convert_e5 import packaged_model_dir

    base = Settings.from_env(embed_runtime=args.runtime, embed_model=args.model)
    model_dir = args.model or str(packaged_model_dir(base.cache_dir))
    articles = read_articles(args.articles)
    passages = split_articles(articles, base.chunk_max, base.chunk_overlap)
    queries = queries_from(articles, args.queries)
    chars = sum(len(p.text) for p in passages)
    print(
        f"{len(articles)} CRUD articles -> {len(passages)} passages "
        f"(chunk {base.chunk_max}/{base.chunk_overlap}, "
        f"mean {chars / len(passages):.0f} chars); {len(queries)} queries; model "
        f"{base.embed_model if base.embed_model != PACKAGED_MODEL else model_dir}; {os.cpu_count()} CPUs",
        flush=True,
    )
    cpu = cpu_info()
    print(f"CPU: {cpu.line()}", flush=True)
    if args.query_index:
        from assistant._search import Searcher

        index = NewsIndex(base.with_(index_dir=args.query_index))
        searcher = Searcher(index)
        lat = time_queries(lambda q: searcher.search(q, 5), queries)
        dense = time_queries(lambda q: searcher.search(q, 5, mode="dense"), queries)
        print(
            f"ours  ({index.embedder.runtime}) on {args.query_index} ({index.count()} passages): query p50 "
            f"{lat['p50_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms "
            f"(hybrid; dense alone p50 {dense['p50_ms']:.1f} ms)"
        )
        return
    if args.keep_index and (args.keep_index.exists() or args.repeat > 1):
        sys.exit(f"{args.keep_index}: --keep-index wants a new folder and one run (ingest starts empty)")
    runs = []
    for _ in range(max(1, args.repeat)):
        runs.append(one_run(args, base, model_dir, articles, passages, queries, cpu.model))
    ratios = [r["ingest_ratio"] for r in runs if "ingest_ratio" in r]
    if len(ratios) > 1:
        cpu_ratios = [r["ingest_cpu_ratio"] for r in runs]
        print(
            f"over {len(ratios)} runs: ingest ratio {min(ratios):.2f}-{max(ratios):.2f}x "
            f"(median {statistics.median(ratios):.2f}x); per CPU-second "
            f"{min(cpu_ratios):.2f}-{max(cpu_ratios):.2f}x"
        )
    result = runs[0] if len(runs) == 1 else {"runs": runs}
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
