"""Slow archive checks on real parts: an index grown by two ingest runs keeps every passage
reachable by dense search (case r10), with the real model over 1,500 CRUD articles."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from assistant._embed import get_embedder
from assistant._index import NewsIndex
from assistant._verify import verify
from assistant.config import Settings

from .conftest import ROOT, SHARED_DATA

CRUD = SHARED_DATA / "crud-news" / "crud_news.jsonl.gz"


@pytest.mark.slow
def test_an_index_grown_in_two_runs_keeps_every_passage_reachable(tmp_path: Path) -> None:
    if not CRUD.exists():
        pytest.skip(f"{CRUD} is not here")
    with gzip.open(CRUD, "rt", encoding="utf-8") as f:
        lines = [next(f) for _ in range(1500)]
    halves = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    halves[0].write_text("".join(lines[:750]), encoding="utf-8")
    halves[1].write_text("".join(lines[750:]), encoding="utf-8")
    index_dir = tmp_path / "idx"
    for half in halves:  # two processes, as two days' ingests
        subprocess.run(
            [sys.executable, "-m", "assistant", "--index", str(index_dir), "ingest", str(half)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    settings = Settings(index_dir=index_dir)
    report = verify(NewsIndex(settings, get_embedder(settings)))
    assert report.passages > 7_800
    assert report.ok and report.self_retrieval == 1.0, report.to_json()
