"""Whole-process start of `python -m assistant ask` (and `search`) on a built index, against a baseline.

Each run is a fresh process (Python start, imports, Chroma, the embedding session, jieba, the
answer) timed from outside: wall clock and CPU seconds (user + system of the child). The runs
alternate between the baseline tree and this one, so both see the same machine load; the
script prints p50 / min per tree and the ratio, with the CPU and the load average.

Reference rows show the floor a process that embeds a question cannot go under: Python alone,
Python + `import chromadb` + opening the index, and + one ONNX Runtime session embedding the
question (the int8 model this machine's calibration chose).

    python benchmarks/cli_start.py --index /tmp/idx --baseline /work/main --runs 7

`--baseline` is a checkout of the code to compare with (e.g. `git worktree add /tmp/base main`);
each tree's own `assistant` package is imported (the command runs with the tree as its cwd).
Build the index first: `python -m assistant --index /tmp/idx ingest` (the seed corpus).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
QUESTION = "平湖首批设立了多少家劳模工匠学堂？"

# The least a process that embeds a question and searches Chroma must do.
FLOOR_CHROMA = """
import chromadb
from chromadb.config import Settings
c = chromadb.PersistentClient(path={path!r}, settings=Settings(anonymized_telemetry=False))
c.get_collection("news-passages").count()
"""
FLOOR_ONNX = (
    FLOOR_CHROMA
    + """
from assistant.config import Settings as S
from assistant._embed import get_embedder
get_embedder(S(index_dir={index!r})).embed_query("平湖")
"""
)
FLOOR_JIEBA = """
import jieba, jieba.posseg
jieba.setLogLevel(60)
jieba.posseg.lcut("平湖首批设立")
"""


def cpu_line() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_once(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall s, cpu s, exit code) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        print(f"  {' '.join(cmd[:6])}… exit {proc.returncode}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
    return wall, cpu, proc.returncode


def summary(rows: list[tuple[float, float, int]]) -> tuple[float, float, float, float]:
    walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
    return statistics.median(walls), min(walls), statistics.median(cpus), min(cpus)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True, help="a built index (embedded)")
    ap.add_argument("--baseline", type=Path, default=None, help="checkout of the code to compare with")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--command", choices=["ask", "search"], default="ask")
    ap.add_argument("--question", default=QUESTION)
    ap.add_argument("--no-floor", action="store_true", help="skip the reference rows")
    args = ap.parse_args()

    py = sys.executable
    index = str(args.index.resolve())
    cmd = [py, "-m", "assistant", "--index", index, args.command, args.question]
    trees = {"this tree": HERE}
    if args.baseline:
        trees = {"baseline": args.baseline.resolve(), **trees}
    rows: dict[str, list[tuple[float, float, int]]] = {name: [] for name in trees}
    refs: dict[str, list[str]] = {}
    if not args.no_floor:
        chroma = str(Path(index) / "chroma")
        refs = {
            "python -c pass": [py, "-c", "pass"],
            "+ import chromadb, open index": [py, "-c", FLOOR_CHROMA.format(path=chroma)],
            "+ ONNX session, embed question": [py, "-c", FLOOR_ONNX.format(path=chroma, index=index)],
            "jieba dict + posseg tags": [py, "-c", FLOOR_JIEBA],
        }
    ref_rows: dict[str, list[tuple[float, float, int]]] = {name: [] for name in refs}

    print(f"CPU: {cpu_line()}, {os.cpu_count()} CPUs; load average at start {load()}")
    print(f"command: python -m assistant --index {index} {args.command} {args.question!r}")
    for tree in trees.values():
        for _ in range(args.warmup):
            run_once(cmd, tree)
    for i in range(args.runs):
        for name, tree in trees.items():
            rows[name].append(run_once(cmd, tree))
        for name, ref in refs.items():
            ref_rows[name].append(run_once(ref, HERE))
        every = {**rows, **ref_rows}.items()
        done = "; ".join(f"{n} {r[-1][0]:.2f} s ({r[-1][1]:.2f} CPU-s)" for n, r in every)
        print(f"run {i + 1}: {done}; load {load()}", flush=True)
    print(f"load average at end {load()}; {args.runs} runs each, alternating\n")
    print(f"{'':34s} {'wall p50':>9s} {'wall min':>9s} {'cpu p50':>9s} {'cpu min':>9s}")
    stats = {}
    for name, r in list(rows.items()) + list(ref_rows.items()):
        stats[name] = s = summary(r)
        failed = sum(1 for x in r if x[2] != 0)
        note = f"  ({failed} failed)" if failed else ""
        print(f"{name:34s} {s[0]:8.2f}s {s[1]:8.2f}s {s[2]:8.2f}s {s[3]:8.2f}s{note}")
    if "baseline" in stats:
        b, t = stats["baseline"], stats["this tree"]
        print(
            f"\nthis tree / baseline: wall p50 {t[0] / b[0]:.2f}x, wall min {t[1] / b[1]:.2f}x, "
            f"cpu p50 {t[2] / b[2]:.2f}x (lower is faster)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
