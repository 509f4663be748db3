"""The archive's reliability catalogue: bad inputs and faults, each tried for real; prints a table.

    python benchmarks/reliability.py              # everything (slow parts too: ~15-30 min on 2 cores)
    python benchmarks/reliability.py --quick      # in-process cases only (real model, ~2 min)
    python benchmarks/reliability.py --only kill  # cases whose name contains "kill"
    python benchmarks/reliability.py --slow-only --only kill --moments all  # kill -9 at all 6 moments

Every case says what a demanding user would check: no crash, one clear line naming the input
and the fix, nothing already indexed lost, nothing stored twice, and `verify` clean
(counts, orphans, vectors, BM25, self-retrieval 100%). Faults run the real CLI in
subprocesses: kill -9 at three moments of an ingest, two concurrent ingests, a killed lock
holder, Ctrl-C; the slow ones grow a CRUD index in two runs (7,820 passages) and put 20
concurrent users on a running app. Needs ../shared (cases and CRUD data); cases whose input is
absent are reported as skipped.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._reliability_catalogue import FAST_CASES, Ctx  # noqa: E402

SHARED = ROOT.parent / "shared"
CRUD = SHARED / "data" / "crud-news" / "crud_news.jsonl.gz"
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
KILL_ARTICLES = 56  # new CRUD articles the kill -9 cases ingest (~300 passages: 2 write batches)


class Skip(Exception):
    pass


def start_ingest(index: Path, data: Path) -> subprocess.Popen[str]:
    """An ingest with progress on stderr, running in the background (to be killed or interrupted)."""
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "--index", str(index), "ingest", str(data), "--progress"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def cli(index: Path, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "--index", str(index), *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def crud_lines(start: int, stop: int, out: Path) -> Path:
    if not CRUD.exists():
        raise Skip(f"{CRUD} is not here")
    with gzip.open(CRUD, "rt", encoding="utf-8") as f:
        lines = [line for i, line in enumerate(f) if start <= i < stop]
    out.write_text("".join(lines), encoding="utf-8")
    return out


def snapshot(index: Path, text: bool = False, checks: bool = True, dense_every: int = 1) -> dict:
    """Article ids and versions, passage ids and verify's numbers, read through a fresh process
    (`text`: also every passage queried by its own text, dense and BM25; see `_snapshot`)."""
    args = [sys.executable, str(Path(__file__).resolve()), "--snapshot", str(index)]
    if text:
        args += ["--query-cache", str(index.parent / "query-vectors.npz")]
    if not checks:
        args.append("--no-checks")
    args += ["--dense-every", str(dense_every)]
    p = subprocess.run(args, cwd=ROOT, env=ENV, capture_output=True, text=True)
    if p.returncode:
        raise AssertionError(f"snapshot failed: {p.stderr[-800:]}")
    return json.loads(p.stdout)


class CachedQueries:
    """The real embedder, with query vectors kept in a file by text: the kill cases query the
    same passage texts against several indexes; the vectors are the same, the graphs are not."""

    def __init__(self, embedder: Any, path: Path) -> None:
        self.embedder, self.path = embedder, path
        self.cache: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as z:
                self.cache = dict(zip(json.loads(str(z["texts"])), z["vectors"], strict=True))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            self.cache.update(zip(todo, self.embedder.embed_queries(todo), strict=True))
        return np.stack([self.cache[t] for t in texts])

    def save(self) -> None:
        texts = list(self.cache)
        np.savez(self.path, texts=json.dumps(texts), vectors=np.stack([self.cache[t] for t in texts]))


def _snapshot(index_dir: Path, query_cache: Path | None, checks: bool, dense_every: int = 1) -> dict:
    """What `snapshot` reads, in this process: run as `reliability.py --snapshot INDEX`."""
    from assistant._embed import get_embedder
    from assistant._index import NewsIndex
    from assistant._search import Searcher
    from assistant._verify import text_self_retrieval, verify
    from assistant.config import Settings

    settings = Settings.from_env(index_dir=index_dir)
    ix = NewsIndex(settings, get_embedder(settings))
    recs = ix.articles_collection().get(include=["metadatas"])
    out: dict[str, Any] = {
        "articles": sorted(recs["ids"]),
        "digests": {a: m.get("digest") for a, m in zip(recs["ids"], recs["metadatas"], strict=True)},
        "passages": sorted(ix.passages_collection().get(include=[])["ids"]),
    }
    live = ix.live_passage_ids() or frozenset()
    hits = [h.passage.id for q in ("新闻", "经济", "上海") for h in Searcher(ix).search(q, 20)]
    out["half_articles_served"] = sum(pid not in live for pid in hits)
    if checks:
        out["verify"] = verify(ix).to_json()
    if query_cache is not None:
        cached = CachedQueries(ix.embedder, query_cache)
        ix._embedder = cached
        by_text = text_self_retrieval(ix, dense_every=dense_every)
        cached.save()
        out["by_text"] = {side: r.to_json() for side, r in by_text.items()}
    return out


def same_as(got: dict, want: dict) -> str:
    lost = set(want["articles"]) - set(got["articles"])
    extra_p = len(got["passages"]) - len(set(got["passages"]))
    v = got["verify"]
    assert not lost, f"{len(lost)} articles lost"
    assert got["digests"] == want["digests"], "article versions differ from a clean ingest"
    assert got["passages"] == want["passages"], "passage ids differ from a clean ingest"
    assert extra_p == 0, "duplicate passages"
    assert v["ok"] and v["self_retrieval"] == 1.0, f"verify: {v}"
    detail = f"0 lost, 0 duplicates, {len(got['passages'])} passages, verify ok (own vector 1.0)"
    if "by_text" in got:
        bt = got["by_text"]
        assert all(r["rate"] == 1.0 for r in bt.values()), f"by own text: {bt}"
        detail += ", by own text " + ", ".join(
            f"{s} {r['rate']:.4f} (first {r['first_rate']:.4f})" for s, r in bt.items()
        )
    return detail


CONCURRENT_ARTICLES = 30  # CRUD articles each of the two concurrent ingests brings (~150 passages)
KILL_BASE = 8  # CRUD articles in the index before the ingest that is killed


def kill_setup(tmp: Path) -> tuple[Path, list[Path], dict]:
    """A base index (CRUD 0-7, by the CLI), the files of the ingest to kill (the base file
    edited in place: line 0 dropped, lines 1 and 2 changed; plus KILL_ARTICLES new articles),
    and a snapshot of that ingest run cleanly on a copy of the base."""
    k = tmp / "kill"
    k.mkdir(exist_ok=True)
    feed, new, base = k / "feed.jsonl", k / "new.jsonl", k / "base"
    if not (k / "clean.json").exists():
        crud_lines(0, KILL_BASE, feed)
        assert cli(base, "ingest", str(feed)).returncode == 0
        lines = feed.read_text(encoding="utf-8").splitlines()
        edited = []
        for i, line in enumerate(lines[1:], start=1):
            rec = json.loads(line)
            if i in (1, 2):
                rec["text"] += "\n（本报记者补充报道：此文已更正。）"
            edited.append(json.dumps(rec, ensure_ascii=False))
        feed.write_text("\n".join(edited) + "\n", encoding="utf-8")
        crud_lines(KILL_BASE, KILL_BASE + KILL_ARTICLES, new)
        shutil.rmtree(k / "clean", ignore_errors=True)
        shutil.copytree(base, k / "clean")
        p = cli(k / "clean", "ingest", str(feed), str(new), "--json")
        assert p.returncode == 0, p.stderr[-500:]
        (k / "clean.json").write_text(json.dumps(snapshot(k / "clean", text=True)), encoding="utf-8")
    return base, [feed, new], json.loads((k / "clean.json").read_text(encoding="utf-8"))


def kill_at(tmp: Path, moment: str) -> str:
    """kill -9 the CLI ingest at `moment`: a pause point of assistant/_faults.py (the process
    says it is there and sleeps), or "progress" (the first progress line, while it embeds).
    Then: nothing lost and no half article served; the same ingest again; equal to a clean run."""
    base, files, want = kill_setup(tmp)
    idx = tmp / "kill" / f"at-{moment}"
    shutil.rmtree(idx, ignore_errors=True)
    shutil.copytree(base, idx)
    before = snapshot(idx, checks=False)
    env = {**ENV, "ASSISTANT_FAULT_PAUSE": moment} if moment != "progress" else ENV
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "--index", str(idx), "ingest", *map(str, files), "--progress"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    said, line = "", ""
    marker = "fault point" if moment != "progress" else "/"
    while proc.poll() is None:
        ch = proc.stderr.read(1)
        said += ch
        if ch not in "\r\n":
            line += ch
            continue
        if marker in line:
            break
        line = ""
    if proc.poll() is not None:
        raise AssertionError(
            f"the ingest ended (rc {proc.returncode}) before the {moment} moment: {said[-300:]}"
        )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at = line[line.index(marker) :].strip() if moment != "progress" else line.strip()[-60:]
    killed = snapshot(idx, checks=False)
    dropped = set(before["articles"]) - set(want["articles"])
    lost = set(before["articles"]) - dropped - set(killed["articles"])
    assert not lost and killed["half_articles_served"] == 0, (lost, killed["half_articles_served"])
    new_then = len(set(killed["articles"]) - set(before["articles"]))
    again = cli(idx, "ingest", *map(str, files), "--json")
    assert again.returncode == 0, again.stderr[-500:]
    return (
        f"killed at «{at}»: {len(before['articles'])} articles kept, {new_then} new committed, "
        "0 half served; re-run: " + same_as(snapshot(idx, text=True), want)
    )


def two_concurrent_ingests(tmp: Path) -> str:
    a = crud_lines(150, 150 + CONCURRENT_ARTICLES, tmp / "h1.jsonl")
    b = crud_lines(150 + CONCURRENT_ARTICLES, 150 + 2 * CONCURRENT_ARTICLES, tmp / "h2.jsonl")
    idx = tmp / "two"
    seq = tmp / "two-seq"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant", "--index", str(idx), "ingest", str(f), "--json"],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in (a, b)
    ]
    outs = [p.communicate(timeout=1800) for p in procs]
    rcs = [p.returncode for p in procs]
    locked = [
        e for (_, e), rc in zip(outs, rcs, strict=True) if rc and "being written by another process" in e
    ]
    assert all(rc == 0 for rc in rcs) or locked, f"rcs {rcs}: {[e[-300:] for _, e in outs]}"
    assert cli(seq, "ingest", str(a)).returncode == 0 and cli(seq, "ingest", str(b)).returncode == 0
    if locked:  # a clear lock error is allowed; run it again and compare
        assert cli(idx, "ingest", str(a), str(b)).returncode == 0
    return f"exit codes {rcs}; " + same_as(snapshot(idx), snapshot(seq))


def killed_lock_holder(tmp: Path) -> str:
    from tests.conftest import SEED_PAGE

    idx = tmp / "lockkill"
    hold = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time\nfrom pathlib import Path\nfrom assistant._lock import write_lock\n"
            "with write_lock(Path(sys.argv[1]),'x',5):\n print('held',flush=True); time.sleep(300)",
            str(idx / "write-news.lock"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert hold.stdout is not None and hold.stdout.readline().strip() == "held"
    env_short = {**ENV, "ASSISTANT_LOCK_TIMEOUT": "1"}
    p = subprocess.run(
        [sys.executable, "-m", "assistant", "--index", str(idx), "ingest", str(SEED_PAGE)],
        cwd=ROOT,
        env=env_short,
        capture_output=True,
        text=True,
    )
    message = p.stderr.strip().splitlines()[-1]
    assert p.returncode == 2 and "being written by another process" in message, p.stderr[-400:]
    hold.send_signal(signal.SIGKILL)
    hold.wait()
    t = time.monotonic()
    assert cli(idx, "ingest", str(SEED_PAGE)).returncode == 0
    took = time.monotonic() - t
    return f"locked: rc 2, {message[:90]}…; after kill -9 of the holder the next ingest ran ({took:.1f} s)"


def ctrl_c(tmp: Path) -> str:
    data = crud_lines(300, 360, tmp / "c.jsonl")
    idx = tmp / "ctrlc"
    proc = start_ingest(idx, data)
    assert proc.stderr is not None
    buf = ""
    while proc.poll() is None and "/" not in buf[-40:]:
        buf += proc.stderr.read(1)
    proc.send_signal(signal.SIGINT)
    err = buf + proc.stderr.read()
    proc.wait()
    assert proc.returncode in (130, 0), err[-300:]
    assert cli(idx, "ingest", str(data)).returncode == 0
    v = snapshot(idx)["verify"]
    assert v["ok"], v
    return f"rc {proc.returncode}, re-run completes, verify ok ({v['passages']} passages)"


GROWN_RUNS = ((0, 500), (500, 1000), (1000, 1500))  # CRUD lines per ingest run: 7,820 passages
# Dense by own text embeds every passage again: on 2 shared cores that is another half hour, so
# every 20th passage (in id order); own vector (verify) and BM25 by own text check all of them.
GROWN_DENSE_EVERY = 20


def grown_index(tmp: Path) -> str:
    """Case r10: an index grown by three CLI ingest runs; every passage must come back first for
    its own vector (verify) and within the first 5 for its own text, dense and BM25 alike.
    A run whose report is already in `tmp/grown` (an earlier `--keep` run) is not redone."""
    g = tmp / "grown"
    g.mkdir(exist_ok=True)
    idx = g / "idx"
    walls = []
    for a, b in GROWN_RUNS:
        report = g / f"run-{a}-{b}.json"
        if report.exists():
            continue
        data = crud_lines(a, b, g / f"crud-{a}-{b}.jsonl")
        t = time.monotonic()
        p = cli(idx, "ingest", str(data), "--json", timeout=7200)
        assert p.returncode == 0, p.stderr[-500:]
        walls.append(time.monotonic() - t)
        report.write_text(p.stdout, encoding="utf-8")
    t = time.monotonic()
    snap = snapshot(idx, text=True, dense_every=GROWN_DENSE_EVERY)
    v, bt = snap["verify"], snap["by_text"]
    (g / "grown-snapshot.json").write_text(json.dumps({k: snap[k] for k in ("verify", "by_text")}), "utf-8")
    detail = (
        f"{v['passages']} passages, {v['articles']} articles in {len(GROWN_RUNS)} runs; own vector "
        f"{v['self_retrieval']:.4f}; own text top-5: "
        + ", ".join(
            f"{s} {r['rate']:.4f} (first {r['first_rate']:.4f}, misses {r['misses'][:3]})"
            for s, r in bt.items()
        )
        + f"; checks {time.monotonic() - t:.0f} s"
    )
    assert v["passages"] >= 7800 and v["ok"] and v["self_retrieval"] == 1.0, detail
    assert all(r["rate"] == 1.0 for r in bt.values()), detail
    return detail


_APP: dict[str, Any] = {}
DISTINCT_QUESTIONS = 25  # seed questions spread over the file; each asked by 4 users at once
# gradio_client's own requests (config, API info, joining the queue) time out after httpx's
# default 5 s (the answer stream itself has none). An earlier run lost users without recording
# why; these requests are the ones that can expire when 20 users connect at once on 2 shared
# cores, so they get a minute here and the slowest connect and answer are reported.
CLIENT_TIMEOUT_S = 60.0


def running_app(tmp: Path) -> Any:
    """One real app.py on a free port for the app cases, its index built from corpus/ on start."""
    from tests.conftest import SEED_PAGE
    from tests.test_app import start_app

    if "app" not in _APP:
        corpus = tmp / "app-corpus"
        corpus.mkdir(exist_ok=True)
        shutil.copy(SEED_PAGE, corpus / SEED_PAGE.name)
        _APP["app"] = start_app(tmp / "app-index", corpus, tmp / "app.log")
        _APP["index"] = tmp / "app-index"
    return _APP["app"]


def _comparable(answer: dict) -> dict:
    """The answer as a user sees it, without anything that measures time."""
    return {k: v for k, v in answer.items() if not any(w in k for w in ("time", "second", "ms", "latency"))}


def app_users(tmp: Path, users: int = 20, each: int = 5) -> str:
    """20 gradio_client users at once, 5 seed questions each; every answer must equal the one a
    single user got asking the same questions one after another. Failures are logged whole
    (phase, exception, traceback) to tmp/app-users-errors.log with the app's log beside."""
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    seed = ROOT / "eval" / "seed_questions.jsonl"
    questions = [json.loads(line)["question"] for line in seed.read_text(encoding="utf-8").splitlines()]
    questions = questions[:: max(1, len(questions) // DISTINCT_QUESTIONS)][:DISTINCT_QUESTIONS]
    plan = [[questions[(u * each + j) % len(questions)] for j in range(each)] for u in range(users)]
    app = running_app(tmp)
    t = time.monotonic()
    one = Client(app.url, verbose=False)
    seq = {
        q: _comparable(one.predict(q, api_name="/answer"))
        for q in dict.fromkeys(q for qs in plan for q in qs)
    }
    seq_s = time.monotonic() - t

    connect_s: list[float] = []
    predict_s: list[float] = []

    def one_user(u: int) -> list[tuple[str, dict]]:
        phase = "connect"
        try:
            t0 = time.monotonic()
            c = Client(app.url, verbose=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT_S})
            connect_s.append(time.monotonic() - t0)
            got = []
            for q in plan[u]:
                phase = f"predict {q}"
                t0 = time.monotonic()
                got.append((q, _comparable(c.predict(q, api_name="/answer"))))
                predict_s.append(time.monotonic() - t0)
            return got
        except Exception as e:
            raise RuntimeError(
                f"user {u} at {phase}: {type(e).__name__}: {e}\n{traceback.format_exc()}"
            ) from e

    errors: list[str] = []
    differ: list[str] = []
    t = time.monotonic()
    with ThreadPoolExecutor(users) as pool:
        for fut in [pool.submit(one_user, u) for u in range(users)]:
            try:
                differ += [q for q, a in fut.result() if a != seq[q]]
            except Exception as e:
                errors.append(str(e))
    conc_s = time.monotonic() - t
    if errors:
        log = tmp / "app-users-errors.log"
        log.write_text("\n\n".join(errors) + "\n\n-- app log --\n" + app.log()[-20000:], encoding="utf-8")
    assert not errors and not differ, (
        f"{len(errors)} users failed, {len(differ)} answers differ from sequential; "
        f"first error: {errors[0].splitlines()[0] if errors else ''}; differ: {differ[:3]}"
    )
    return (
        f"{users} users x {each} of {len(seq)} seed questions: 0 errors, 100 answers equal to sequential "
        f"(sequential {seq_s:.0f} s, concurrent {conc_s:.0f} s; slowest connect {max(connect_s):.1f} s, "
        f"slowest answer {max(predict_s):.1f} s)"
    )


def app_sees_cli_ingest(tmp: Path) -> str:
    """Case r13: an article the CLI ingests into the running app's index is answered at once."""
    from gradio_client import Client

    from benchmarks._reliability_inputs import shared

    app = running_app(tmp)
    article = shared("r13") / "a21_html_script.md"
    q = "平湖市夏季音乐节有多少支乐队参加演出？"
    c = Client(app.url, verbose=False)
    before = c.predict(q, api_name="/answer")
    p = cli(_APP["index"], "ingest", str(article), "--json")
    assert p.returncode == 0, p.stderr[-400:]
    after = c.predict(q, api_name="/answer")
    assert before["refused"] and not after["refused"] and after["citations"], (before, after)
    assert app.proc.poll() is None
    return f"refused before; after the CLI ingest: «{after['answer'][:60]}» (same app process)"


def app_injection(tmp: Path) -> str:
    """Case r15 through the running app: an article that is only instructions is never quoted as
    an answer (API, Chinese and English) and never supports the claim it plants (/check)."""
    from gradio_client import Client

    from benchmarks._reliability_inputs import shared

    app = running_app(tmp)
    p = cli(_APP["index"], "ingest", str(shared("r15") / "a22_injection.txt"), "--json")
    assert p.returncode == 0, p.stderr[-400:]
    c = Client(app.url, verbose=False)
    quoted = []
    for q in ("平湖GDP是一万亿吗？", "What is Pinghu's GDP?", "平湖的GDP是多少？"):
        a = c.predict(q, api_name="/answer")
        quoted += [x["quote"] for x in a["citations"] if "一万亿" in x["quote"] or "指令" in x["quote"]]
    verdict = c.predict("平湖GDP是一万亿", api_name="/check")["verdict"]
    assert not quoted and verdict != "supported", (quoted, verdict)
    return f"3 questions: the injection never quoted; /check verdict {verdict!r}"


MOMENTS = {
    "progress": "at the first progress line (a write batch in flight, the next being embedded)",
    "embedding": "pause point `embedding`: batch 1 in Chroma, batch 2 embedded, not written",
    "passages-written": "pause point `passages-written`: every passage in Chroma, last records not",
    "committed": "pause point `committed`: records written; removals, sweep, journal not",
    "bm25": "pause point `bm25`: Chroma complete, BM25 file not rewritten",
    "generation": "pause point `generation`: BM25 saved, generation marker not bumped",
}
# The three the catalogue runs by default (--moments for others, e.g. --moments all): while
# embedding, between the Chroma writes and the records/BM25, at the very end.
# tests/test_archive_faults.py kills at every pause point with the hashing embedder.
KILL_MOMENTS = ["embedding", "passages-written", "generation"]


def kill_cases(moments: list[str]) -> list[tuple[str, Callable[[Path], str]]]:
    return [
        (f"fault: kill -9 {text}; re-run", (lambda t, m=m: kill_at(t, m)))
        for m, text in MOMENTS.items()
        if m in moments
    ]


SLOW_CASES: list[tuple[str, Callable[[Path], str]]] = [
    *kill_cases(KILL_MOMENTS),
    ("fault: two concurrent CLI ingests into one index (case r12)", two_concurrent_ingests),
    ("fault: writer meets a held lock; holder killed -9", killed_lock_holder),
    ("fault: Ctrl-C during ingest, re-run", ctrl_c),
    ("slow: grown index, 3 CLI runs, 7,820 passages, self-retrieval (case r10)", grown_index),
    ("slow: 20 concurrent app users x 5 seed questions", app_users),
    ("slow: running app answers a CLI ingest without restart (case r13)", app_sees_cli_ingest),
    ("slow: injection through the running app and /check (case r15)", app_injection),
]


def print_table(rows: list[dict]) -> None:
    """The table: cases tried, held, failed (skipped ones are not tried)."""
    held = sum(r["status"] == "held" for r in rows)
    failed = sum(r["status"] == "FAILED" for r in rows)
    skipped = sum(r["status"] == "skipped" for r in rows)
    print("\n| cases tried | held | failed | skipped |\n|---|---|---|---|")
    print(f"| {len(rows) - skipped} | {held} | {failed} | {skipped} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="in-process cases only")
    ap.add_argument("--slow-only", action="store_true", help="the fault and slow cases only")
    ap.add_argument("--only", default="", help="run cases whose name contains this")
    ap.add_argument("--fake-embedder", action="store_true", help="hashing stand-in (logic only, seconds)")
    ap.add_argument("--keep", default=None, help="keep scratch files here (and reuse a grown index there)")
    ap.add_argument("--runtime", default=None, help="embedding runtime for the CLI runs (e.g. onnx-int8)")
    ap.add_argument(
        "--kill-articles", type=int, default=KILL_ARTICLES, help="new articles the kill cases ingest"
    )
    ap.add_argument(
        "--moments",
        default=",".join(KILL_MOMENTS),
        help=f"kill -9 moments, comma-separated, or 'all' ({', '.join(MOMENTS)})",
    )
    ap.add_argument("--log", default=None, help="append one JSON line per case to this file")
    ap.add_argument(
        "--table", nargs="+", default=None, help="print the table of these --log files; run nothing"
    )
    ap.add_argument("--snapshot", default=None, help=argparse.SUPPRESS)  # internal: see snapshot()
    ap.add_argument("--query-cache", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--no-checks", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--dense-every", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.snapshot:
        cache = Path(args.query_cache) if args.query_cache else None
        print(json.dumps(_snapshot(Path(args.snapshot), cache, not args.no_checks, args.dense_every)))
        return 0
    if args.table:
        logged = [json.loads(line) for f in args.table for line in Path(f).read_text("utf-8").splitlines()]
        latest = {r["name"]: r for r in logged}  # a case run again counts once, as last run
        for r in latest.values():
            print(f"{r['status']:7} {r['seconds']:7.1f}s  {r['name']}  — {r['detail']}")
        print_table(list(latest.values()))
        return 1 if any(r["status"] == "FAILED" for r in latest.values()) else 0
    globals()["KILL_ARTICLES"] = args.kill_articles
    if args.runtime:
        ENV["ASSISTANT_EMBED_RUNTIME"] = args.runtime
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="reliability-"))
    tmp.mkdir(parents=True, exist_ok=True)
    ctx = Ctx(tmp, fake=args.fake_embedder)
    cases: list[tuple[str, Callable[[], str]]] = []
    if not args.slow_only:
        cases += [(n, (lambda f=f: f(ctx))) for n, f in FAST_CASES]
    if not args.quick:
        moments = list(MOMENTS) if args.moments == "all" else args.moments.split(",")
        unknown = set(moments) - set(MOMENTS)
        if unknown:
            ap.error(f"--moments: unknown {', '.join(sorted(unknown))}; known: {', '.join(MOMENTS)}")
        slow = kill_cases(moments) + [c for c in SLOW_CASES if not c[0].startswith("fault: kill -9")]
        cases += [(n, (lambda f=f: f(tmp))) for n, f in slow]
    cases = [(n, f) for n, f in cases if args.only in n]
    rows: list[dict] = []
    try:
        for name, fn in cases:
            t = time.monotonic()
            try:
                detail, status = fn(), "held"
            except Skip as e:
                detail, status = str(e), "skipped"
            except Exception as e:
                detail, status = f"{type(e).__name__}: {e}"[:600], "FAILED"
                if os.environ.get("RELIABILITY_TRACE"):
                    traceback.print_exc()
            row = {
                "name": name,
                "status": status,
                "seconds": round(time.monotonic() - t, 1),
                "detail": detail,
            }
            rows.append(row)
            print(f"{status:7} {row['seconds']:7.1f}s  {name}  — {detail}", flush=True)
            if args.log:
                with open(args.log, "a", encoding="utf-8") as f:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if "app" in _APP:
            _APP.pop("app").stop()
    print_table(rows)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if any(r["status"] == "FAILED" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
