"""kill -9 at named moments of an ingest, and a writer meeting a paused one (fast: hashing embedder).

Each writer is a separate process that stops at a pause point (assistant/_faults.py) and is
killed there with SIGKILL: no clean-up runs. The index it leaves must have lost nothing and
show no half article; the same ingest run again must end equal to a clean run (same articles,
same passages, none twice), `verify` clean, and every passage found by its own text on both
the dense and the keyword side. The real model and the real CLI run the same cases in
benchmarks/reliability.py.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant._faults import POINTS
from assistant._index import NewsIndex
from assistant._search import Searcher
from assistant._verify import text_self_retrieval, verify
from assistant.config import Settings

from .conftest import ROOT, HashEmbedder

WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import assistant._ingest as ingest_module
ingest_module.BATCH = 16  # several write batches, so the `embedding` point is reached
from tests.conftest import HashEmbedder
from assistant._index import NewsIndex
from assistant._ingest import complete_files
from assistant._load_corpus import load_paths
from assistant.config import Settings
loaded = load_paths([Path(p) for p in sys.argv[3:]])
index = NewsIndex(Settings.from_env(index_dir=Path(sys.argv[1])), HashEmbedder())
report = index.ingest(loaded.articles, whole_files=complete_files(loaded.files, loaded.problems))
print(report.articles_new, report.articles_replaced, report.articles_removed, flush=True)
"""

CHARS = "平湖新仓当湖钟埭曹桥广陈林埭独山港乍浦黄姑镇街道社区学校医院大桥公路园区企业项目工程" * 3


def sentence(rng: random.Random, i: int) -> str:
    body = "".join(rng.choice(CHARS) for _ in range(rng.randint(25, 60)))
    return f"第{i}条消息{rng.randint(10, 9999)}号：{body}。"


def write_feed(path: Path, ids: range, rng: random.Random, edits: frozenset[int] = frozenset()) -> Path:
    """One JSONL article per id, each of 4-9 sentences (2-4 passages); `edits` get one more."""
    lines = []
    for i in ids:
        local = random.Random(i)  # the same id gets the same text in every file
        text = "".join(sentence(local, i * 100 + j) for j in range(local.randint(4, 9)))
        if i in edits:
            text += sentence(rng, i * 100 + 99)
        lines.append(json.dumps({"id": f"n{i}", "title": f"新闻{i}", "text": text}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def writer(index_dir: Path, *files: Path, pause: str | None = None, timeout: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_FAULT_PAUSE",)}
    if pause:
        env["ASSISTANT_FAULT_PAUSE"] = pause
    if timeout:
        env["ASSISTANT_LOCK_TIMEOUT"] = timeout
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(index_dir), str(ROOT), *map(str, files)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_point(proc: subprocess.Popen[str], point: str) -> None:
    """Read the writer's stderr until it says it reached `point` (it then sleeps there)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if f"fault point {point} reached" in line:
            return
    raise AssertionError(f"the writer ended (rc {proc.wait()}) before reaching {point}")


def state(index_dir: Path) -> dict:
    index = NewsIndex(Settings(index_dir=index_dir), HashEmbedder())
    records = index.articles_collection().get(include=["metadatas"])
    return {
        "articles": dict(zip(records["ids"], [m["digest"] for m in records["metadatas"]], strict=True)),
        "passages": sorted(index.passages_collection().get(include=[])["ids"]),
    }


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A base index (30 articles), then the ingest to kill: the base file edited in place
    (3 articles changed, 2 dropped) and a file of 40 new articles; and a clean run of it."""
    tmp = tmp_path_factory.mktemp("faults")
    rng = random.Random(7)
    feed = write_feed(tmp / "feed.jsonl", range(30), rng)
    base = tmp / "base"
    first = writer(base, feed)
    assert first.wait(300) == 0, first.stderr.read() if first.stderr else ""
    feed_v2 = write_feed(tmp / "feed-v2.jsonl", range(2, 30), rng, edits=frozenset({5, 12, 20}))
    shutil.copy(feed_v2, feed)  # the same file, edited: n0 and n1 dropped, three changed
    new = write_feed(tmp / "new.jsonl", range(100, 140), rng)
    clean = tmp / "clean"
    shutil.copytree(base, clean)
    done = writer(clean, feed, new)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0 and out.split() == ["40", "3", "2"], err
    return {"tmp": tmp, "base": base, "files": (feed, new), "clean": state(clean)}


@pytest.mark.parametrize("point", POINTS)
def test_kill_9_at_a_moment_of_ingest_loses_nothing_and_the_rerun_equals_a_clean_run(
    scenario: dict, point: str
) -> None:
    index_dir = scenario["tmp"] / f"kill-{point}"
    shutil.copytree(scenario["base"], index_dir)
    before = state(index_dir)
    proc = writer(index_dir, *scenario["files"], pause=point)
    try:
        wait_for_point(proc, point)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(30) == -signal.SIGKILL
    finally:
        proc.kill()
    # Right after the kill: every article that was there still is, and readers see only whole ones.
    index = NewsIndex(Settings(index_dir=index_dir), HashEmbedder())
    killed = state(index_dir)
    assert set(before["articles"]) - {"n0", "n1"} <= set(killed["articles"])
    live = index.live_passage_ids()
    assert live is not None and all(h.passage.id in live for h in Searcher(index).search("平湖新仓", 20))
    again = writer(index_dir, *scenario["files"])
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    after = state(index_dir)
    assert after == scenario["clean"]  # same articles and versions, same passages, none twice
    index = NewsIndex(Settings(index_dir=index_dir), HashEmbedder())
    report = verify(index)
    assert report.ok and report.self_retrieval == 1.0, report.to_json()
    by_text = text_self_retrieval(index)
    assert all(r.rate == 1.0 for r in by_text.values()), {s: r.to_json() for s, r in by_text.items()}


def test_a_second_writer_meets_a_paused_one_fails_clearly_then_runs_after_the_kill(scenario: dict) -> None:
    """Two ingests at once: the second fails with one clear line while the first holds the
    lock (paused mid-embedding); after the first is killed -9 the second runs and nothing is lost."""
    index_dir = scenario["tmp"] / "two"
    shutil.copytree(scenario["base"], index_dir)
    first = writer(index_dir, *scenario["files"], pause="embedding")
    try:
        wait_for_point(first, "embedding")
        second = writer(index_dir, *scenario["files"], timeout="0.5")
        _, err = second.communicate(timeout=300)
        last = err.strip().splitlines()[-1]
        assert second.returncode != 0 and "being written by another process" in last, err[-400:]
        assert f"pid {first.pid}" in last
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    finally:
        first.kill()
    again = writer(index_dir, *scenario["files"])
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert state(index_dir) == scenario["clean"]
    assert verify(NewsIndex(Settings(index_dir=index_dir), HashEmbedder())).ok


def test_every_passage_is_found_by_its_own_text_on_both_sides(scenario: dict) -> None:
    index = NewsIndex(Settings(index_dir=scenario["base"]), HashEmbedder())
    by_text = text_self_retrieval(index, k=1)
    assert set(by_text) == {"dense", "bm25"}
    for r in by_text.values():
        assert r.checked == index.count() and r.first == r.checked and not r.misses, r.to_json()


def test_an_index_opened_again_in_one_process_sees_another_process_s_write(scenario: dict) -> None:
    """Chroma caches one client per path per process, with the HNSW graph it loaded: a second
    NewsIndex on the same folder, opened after another process wrote, must not get that old
    view (it did: 115 of 191 passages without a readable vector, verify failed)."""
    index_dir = scenario["tmp"] / "reopen"
    shutil.copytree(scenario["base"], index_dir)
    first = NewsIndex(Settings(index_dir=index_dir), HashEmbedder())
    assert first.count() == len(state(index_dir)["passages"])
    proc = writer(index_dir, *scenario["files"])
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    again = NewsIndex(Settings(index_dir=index_dir), HashEmbedder())
    report = verify(again)
    assert report.ok and report.passages == len(scenario["clean"]["passages"]), report.to_json()
