"""Should the BM25 side be persisted, or rebuilt from Chroma's documents at start-up?

Prints, for N CRUD news articles split into passages: the time to rebuild BM25
(fetch documents from Chroma + jieba + postings) against loading the persisted
file and building postings, and the first-query latency after each.

    .venv/bin/python benchmarks/bm25_persist.py --articles 10000
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant._bm25 import BM25Index
from assistant._index import NewsIndex
from assistant._split_passages import split_articles
from assistant.config import Settings
from assistant.records import Article

CRUD = Path(__file__).resolve().parents[2] / "shared" / "data" / "crud-news" / "crud_news.jsonl.gz"


class ZeroEmbedder:
    """Vectors do not matter here; only documents and ids do."""

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        v = np.zeros((len(texts), 8), np.float32)
        v[:, 0] = 1.0
        return v


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10000)
    args = ap.parse_args()
    if not CRUD.exists():
        raise SystemExit(f"skipped: {CRUD} is absent")
    arts = []
    with gzip.open(CRUD, "rt", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            arts.append(
                Article(
                    id=o["id"], title="", text=o["text"], date=o.get("date"), source=o.get("source") or ""
                )
            )
            if len(arts) >= args.articles:
                break
    n_passages = len(split_articles(arts))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(index_dir=Path(tmp))
        index = NewsIndex(settings, ZeroEmbedder())
        t = time.perf_counter()
        index.ingest(arts)
        ingest_s = time.perf_counter() - t
        path = index._bm25_path

        t = time.perf_counter()
        fresh = NewsIndex(settings, ZeroEmbedder())
        path.unlink()
        rebuilt = fresh.bm25()
        rebuilt.search("平湖", 10)
        rebuild_s = time.perf_counter() - t

        t = time.perf_counter()
        loaded = BM25Index.load(path)
        loaded.search("平湖", 10)
        load_s = time.perf_counter() - t
        size = path.stat().st_size
    print(f"{args.articles} articles, {n_passages} passages (ingest with zero vectors: {ingest_s:.1f} s)")
    print(f"rebuild from Chroma + first query: {rebuild_s:.2f} s")
    print(f"load persisted file + first query: {load_s:.2f} s  ({size / 2**20:.1f} MiB on disk)")
    print(f"persisted is {rebuild_s / load_s:.1f}x faster to start")


if __name__ == "__main__":
    main()
