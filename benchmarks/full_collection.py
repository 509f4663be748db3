"""The whole CRUD news collection, grown in steps (1k -> 10k -> 63.6k articles) into one index.

Issue 15's first question: does ingest keep its pace as Chroma grows, and what does the full
collection cost on this machine? Per step it ingests the next slice of articles into the same
index through the real path (`NewsIndex.ingest`, the configured embedding runtime) and prints:

* passages/s over the step, and sampled every `--sample-s` seconds (done, rate since the last
  sample), so a slowdown as the index grows shows inside a step as well as across steps;
* peak RSS of this process (ru_maxrss) and the index size on disk (Chroma + BM25 file);
* near-duplicate passages in the collection so far: identical after removing whitespace and
  punctuation, and near-identical by MinHash (character 5-grams, estimated Jaccard >= 0.8),
  i.e. what a dedup step could skip embedding (issue 15: reprinted wire stories);
* search latency (hybrid, k=5) p50/p95 on the index at that size;
* re-ingest of the step's articles (unchanged): the time, against the step's first ingest;
* an extrapolation to the whole collection from the rate measured at the largest step.

Only the small step fits a shared 2-core machine in minutes; the later steps take hours:

    python benchmarks/full_collection.py --sizes 1000 --runtime onnx-int8
    python benchmarks/full_collection.py --sizes 1000,10000,63604 --keep-index /tmp/crud-full

The baseline for the ratios is the first step: rates at each later step are printed as a
fraction of the first step's rate (the same run, the same machine).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant._calibrate import cpu_info
from assistant._index import NewsIndex
from assistant._load_corpus import load_jsonl
from assistant._search import Searcher
from assistant._split_passages import split_articles
from assistant.config import RUNTIME_CHOICES, Settings
from assistant.records import Article, Passage
from benchmarks.ingest_query import CRUD, pct, queries_from

COLLECTION = 63_604  # articles in crud_news.jsonl.gz
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
NUM_HASHES, BANDS = 64, 16  # MinHash: 16 bands of 4 rows finds pairs at Jaccard ~0.8 and above
_PRIME = (1 << 61) - 1


def read_slice(start: int, stop: int) -> list[Article]:
    """Articles [start, stop) of the collection, in file order."""
    lines = []
    with gzip.open(CRUD, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= stop:
                break
            if i >= start:
                lines.append(line)
    return load_jsonl("".join(lines), str(CRUD)).articles


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def near_duplicates(passages: list[Passage]) -> dict[str, int]:
    """Passages identical to an earlier one after dropping whitespace/punctuation, and those
    near-identical (MinHash over character 5-grams, estimated Jaccard >= 0.8) to an earlier one."""
    rng = np.random.default_rng(15)
    a = rng.integers(1, _PRIME, NUM_HASHES, dtype=np.uint64)
    b = rng.integers(0, _PRIME, NUM_HASHES, dtype=np.uint64)
    seen_exact: set[str] = set()
    exact = 0
    buckets: dict[tuple[int, bytes], int] = {}
    signatures: list[np.ndarray] = []
    near = 0
    rows = NUM_HASHES // BANDS
    for p in passages:
        norm = _PUNCT.sub("", p.text)
        if norm in seen_exact:
            exact += 1
            continue
        seen_exact.add(norm)
        grams = {norm[i : i + 5] for i in range(max(1, len(norm) - 4))}
        h = np.fromiter((hash(g) & 0xFFFFFFFF for g in grams), dtype=np.uint64, count=len(grams))
        sig = ((h[:, None] * a[None, :] + b[None, :]) % _PRIME).min(axis=0)
        idx = len(signatures)
        signatures.append(sig)
        match = False
        for band in range(BANDS):
            key = (band, sig[band * rows : (band + 1) * rows].tobytes())
            other = buckets.get(key)
            if other is None:
                buckets[key] = idx
            elif not match and float(np.mean(signatures[other] == sig)) >= 0.8:
                match = True
        near += match
    return {"passages": len(passages), "exact_duplicates": exact, "near_duplicates": near}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000", help="cumulative article counts, comma-separated")
    ap.add_argument("--runtime", choices=RUNTIME_CHOICES, default=None)
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--sample-s", type=float, default=30.0, help="seconds between rate samples")
    ap.add_argument("--keep-index", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write one JSON object per step here")
    args = ap.parse_args()
    if not CRUD.is_file():
        sys.exit(f"CRUD news not found at {CRUD} (see ../shared/data/README.md)")
    sizes = [int(s) for s in args.sizes.split(",")]
    cpu = cpu_info().line()
    print(f"{cpu}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-full-") as tmp:
        where = args.keep_index or Path(tmp) / "index"
        settings = Settings.from_env(index_dir=where, embed_runtime=args.runtime)
        index = NewsIndex(settings)
        index.embedder.embed_query("预热")
        so_far: list[Article] = []
        first_rate = None
        steps = []
        for size in sizes:
            step = read_slice(len(so_far), size)
            so_far += step
            samples: list[tuple[float, int]] = []
            t0 = time.perf_counter()
            last = [t0, 0]

            def progress(
                done: int, total: int, t0: float = t0, last: list = last, samples: list = samples
            ) -> None:
                now = time.perf_counter()
                if now - last[0] >= args.sample_s or done >= total:
                    rate = (done - last[1]) / max(now - last[0], 1e-9)
                    samples.append((round(now - t0, 1), done))
                    print(f"    {now - t0:7.1f} s  {done:7d}/{total} passages  {rate:6.1f}/s", flush=True)
                    last[0], last[1] = now, done

            load = os.getloadavg()[0]
            c0 = time.process_time()
            report = index.ingest(step, progress=progress)
            secs, cpu_secs = time.perf_counter() - t0, time.process_time() - c0
            rate = report.passages_embedded / secs if secs else 0.0
            first_rate = first_rate or rate
            t1 = time.perf_counter()
            again = index.ingest(step)
            reingest = time.perf_counter() - t1
            searcher = Searcher(index)
            queries = queries_from(so_far, args.queries)
            searcher.search(queries[0], 5)
            lat = []
            for q in queries:
                q0 = time.perf_counter()
                searcher.search(q, 5)
                lat.append(time.perf_counter() - q0)
            dup = near_duplicates(split_articles(so_far, settings.chunk_max, settings.chunk_overlap))
            row = {
                "articles": len(so_far),
                "passages_total": report.passages_total,
                "passages_embedded": report.passages_embedded,
                "seconds": round(secs, 1),
                "passages_per_s": round(rate, 2),
                "passages_per_cpu_s": round(report.passages_embedded / cpu_secs, 2) if cpu_secs else 0.0,
                "rate_vs_first_step": round(rate / first_rate, 3) if first_rate else 1.0,
                "reingest_s": round(reingest, 2),
                "reingest_share": round(reingest / secs, 4) if secs else 0.0,
                "reingest_unchanged": again.articles_unchanged,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "index_mb": round(du(Path(where)) / 2**20, 1),
                "search_p50_ms": round(1000 * statistics.median(lat), 1),
                "search_p95_ms": round(1000 * pct(lat, 95), 1),
                "load_avg_before": load,
                "samples": samples,
                **dup,
            }
            steps.append(row)
            print(
                json.dumps({k: v for k, v in row.items() if k != "samples"}, ensure_ascii=False), flush=True
            )
            if args.json:
                with open(args.json, "a", encoding="utf-8") as f:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
        last_row = steps[-1]
        per_article = last_row["passages_total"] / last_row["articles"]
        full_passages = per_article * COLLECTION
        full_h = (
            full_passages / last_row["passages_per_s"] / 3600 if last_row["passages_per_s"] else float("nan")
        )
        dups = (last_row["exact_duplicates"] + last_row["near_duplicates"]) / last_row["passages"]
        print(
            f"extrapolation: {COLLECTION} articles x {per_article:.2f} passages each = {full_passages:,.0f} "
            f"passages; at {last_row['passages_per_s']:.1f} passages/s (the rate at {last_row['articles']} "
            f"articles, if it does not fall further) {full_h:.1f} h; duplicates found so far "
            f"{dups:.1%} of passages "
            f"[{cpu}; load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}]",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
