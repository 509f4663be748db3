"""The same archive embedded on disk and behind a Chroma server (`chroma run`), side by side.

Both sides ingest the SAME CRUD articles with the SAME vectors: the passages are embedded once
with the configured runtime (cached under the user cache, keyed by the texts) and served to
both ingests from memory, so the ratio compares the storage paths (embedded Chroma + BM25 file
against HTTP to a server + BM25 kept in step from it), not the embedder; embedding adds the
same cost per passage to either (README "Measured": about 14 passages per CPU-second with
onnx-int8 on the AMD EPYC). Queries embed the question with the real model on both sides.

Per side it prints: ingest passages/s (wall and per CPU-second, the server's CPU included for
the server), hybrid search p50/p95 (k=5), and what a second, already running process pays to
see a small ingest by the first: refresh + BM25 brought in step + one search. Then the ratios
server/embedded, the CPU and the load average.

    python benchmarks/server_mode.py --articles 1000 --queries 50
    python benchmarks/server_mode.py --articles 200 --queries 20 --runtime onnx-int8   # quick
    python benchmarks/server_mode.py --articles 1000 --vectors hash   # no model: storage paths only

Needs ../shared/data/crud-news (see ../shared/data/README.md) and the `chroma` command.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant._calibrate import cpu_info
from assistant._index import NewsIndex
from assistant._search import Searcher
from assistant._split_passages import split_articles
from assistant.config import RUNTIME_CHOICES, Settings
from assistant.records import Article
from benchmarks.ingest_query import pct, queries_from, read_articles

EXTRA = 20  # articles the writer adds while the reader runs


class CachedEmbedder:
    """Passage vectors from a table computed once; queries (and anything new) by the model."""

    def __init__(self, real: Any, table: dict[str, np.ndarray]) -> None:
        self.real, self.table = real, table
        self.runtime = getattr(real, "runtime", "?")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.table]
        if missing:
            for t, v in zip(missing, self.real.embed_passages(missing), strict=True):
                self.table[t] = v
        return np.stack([self.table[t] for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.real.embed_query(text)


class HashVectors:
    """`--vectors hash`: 384 dimensions from hashed character bigrams (tests/conftest.py's stand-in),
    for a quick run where embedding thousands of passages with the model does not fit. Both sides
    get the same vectors; search latency then leaves out the model's time for the question, which
    is the same on both sides (about 30 ms per question on the AMD EPYC, onnx-int8)."""

    runtime = "hash"
    dim = 384

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        for x, y in itertools.pairwise(chars):
            v[int(hashlib.md5((x + y).encode()).hexdigest()[:6], 16) % self.dim] += 1.0
        n = float(np.linalg.norm(v))
        return v / n if n else v

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)


def vector_table(settings: Settings, texts: list[str]) -> tuple[dict[str, np.ndarray], Any]:
    """Every distinct text embedded once, cached on disk by the texts' digest and the runtime."""
    from assistant._embed import get_embedder

    real = get_embedder(settings)
    unique = sorted(set(texts))
    digest = hashlib.sha1("\n".join(unique).encode()).hexdigest()[:16]
    cache = Path(settings.cache_dir) / "bench" / f"vectors-{real.runtime}-{digest}.npy"
    if cache.is_file():
        vectors = np.load(cache)
        print(f"passage vectors: {len(unique)} from {cache}", flush=True)
    else:
        t0 = time.perf_counter()
        vectors = real.embed_passages(unique)
        print(f"passage vectors: {len(unique)} embedded in {time.perf_counter() - t0:.0f} s", flush=True)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
    real.embed_query("预热")
    return dict(zip(unique, vectors, strict=True)), real


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of another process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(path: Path) -> tuple[subprocess.Popen[bytes], int]:
    cli = Path(sys.executable).with_name("chroma")
    exe = str(cli) if cli.exists() else shutil.which("chroma")
    if not exe:
        sys.exit("the `chroma` command is not installed (pip install chromadb)")
    port = free_port()
    server = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("chroma run did not start")
            time.sleep(0.3)


def timed_queries(searcher: Searcher, queries: list[str]) -> dict[str, float]:
    searcher.search(queries[0], 5)  # the first one loads BM25 and warms caches
    secs = []
    for q in queries:
        t0 = time.perf_counter()
        searcher.search(q, 5)
        secs.append(time.perf_counter() - t0)
    return {"p50_ms": 1000 * float(np.median(secs)), "p95_ms": 1000 * pct(secs, 95)}


def one_side(
    name: str,
    writer_settings: Settings,
    reader_settings: Settings,
    embedder: CachedEmbedder,
    articles: list[Article],
    extra: list[Article],
    passages: int,
    queries: list[str],
    server_pid: int | None,
) -> dict[str, float]:
    load = os.getloadavg()[0]
    writer = NewsIndex(writer_settings, embedder=embedder)
    t0, c0 = time.perf_counter(), time.process_time()
    s0 = proc_cpu(server_pid) if server_pid else 0.0
    writer.ingest(articles)
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0 + ((proc_cpu(server_pid) - s0) if server_pid else 0.0)
    out = {"seconds": secs, "passages_per_s": passages / secs, "passages_per_cpu_s": passages / cpu}
    out["load_avg"] = load
    # A second index object, as another process would hold it (server: its own local folder).
    reader = Searcher(NewsIndex(reader_settings, embedder=embedder))
    out.update(timed_queries(reader, queries))
    writer.ingest(extra)
    t0 = time.perf_counter()
    hits = reader.search(extra[0].text[:24], 5)
    out["see_new_ms"] = 1000 * (time.perf_counter() - t0)
    out["new_found"] = float(any(h.passage.article_id == extra[0].id for h in hits))
    print(
        f"{name:8s} ingest {out['passages_per_s']:6.1f} passages/s ({secs:.1f} s, "
        f"{out['passages_per_cpu_s']:.1f} per CPU-second{', server CPU included' if server_pid else ''}; "
        f"load avg before {load:.2f}); search p50 {out['p50_ms']:.1f} ms, p95 {out['p95_ms']:.1f} ms; "
        f"a running reader sees {len(extra)} new articles in {out['see_new_ms']:.0f} ms "
        f"(refresh + BM25 in step + one search; found: {bool(out['new_found'])})",
        flush=True,
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument(
        "--vectors",
        choices=["model", "hash"],
        default="model",
        help="model: the passages embedded once by the model (default); hash: hashed bigrams, no model",
    )
    ap.add_argument(
        "--runtime", choices=RUNTIME_CHOICES, default=None, help="embedding runtime (default auto)"
    )
    args = ap.parse_args()

    cpu = cpu_info().line()
    all_articles = read_articles(args.articles + EXTRA)
    articles, extra = all_articles[: args.articles], all_articles[args.articles :]
    base = Settings.from_env(embed_runtime=args.runtime)
    texts = [p.embedding_text() for p in split_articles(all_articles, base.chunk_max, base.chunk_overlap)]
    passages = len(split_articles(articles, base.chunk_max, base.chunk_overlap))
    if args.vectors == "hash":
        real: Any = HashVectors()
        embedder = CachedEmbedder(real, dict(zip(texts, real.embed_passages(texts), strict=True)))
    else:
        table, real = vector_table(base, texts)
        embedder = CachedEmbedder(real, table)
    queries = queries_from(articles, args.queries)
    print(f"{len(articles)} CRUD articles, {passages} passages; {cpu}; runtime {real.runtime}", flush=True)

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        root = Path(tmp)
        results["embedded"] = one_side(
            "embedded",
            base.with_(index_dir=root / "embedded"),
            base.with_(index_dir=root / "embedded"),
            embedder,
            articles,
            extra,
            passages,
            queries,
            None,
        )
        server, port = start_server(root / "server-data")
        try:
            remote = base.with_(chroma_host="127.0.0.1", chroma_port=port)
            results["server"] = one_side(
                "server",
                remote.with_(index_dir=root / "writer"),
                remote.with_(index_dir=root / "reader"),  # no shared folder with the writer
                embedder,
                articles,
                extra,
                passages,
                queries,
                server.pid,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    e, s = results["embedded"], results["server"]
    print(
        f"server/embedded: ingest {s['passages_per_s'] / e['passages_per_s']:.2f}x passages/s "
        f"({s['passages_per_cpu_s'] / e['passages_per_cpu_s']:.2f}x per CPU-second); search p50 "
        f"{s['p50_ms'] / e['p50_ms']:.2f}x, p95 {s['p95_ms'] / e['p95_ms']:.2f}x (time: higher is slower); "
        f"seeing a new ingest {s['see_new_ms'] / e['see_new_ms']:.2f}x; load avg now "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} [{cpu}]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
