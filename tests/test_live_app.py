"""A running app answers from what is in the index now: a CLI ingest into its index (another
process) is visible to the next question, without a restart (case r13)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_PAGE
from tests.test_app import start_app

QUESTION = "平湖市夏季音乐节有多少支乐队参加演出？"
ARTICLE = """---
title: 平湖市夏季音乐节开幕
date: 2024-07-06
source: 嘉兴日报·平湖版
---
平湖市夏季音乐节昨晚在东湖广场开幕，共有十八支乐队参加演出，持续三天。
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("live")
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / SEED_PAGE.name).write_bytes(SEED_PAGE.read_bytes())
    running = start_app(tmp / "index", corpus, tmp / "app.log")
    yield running, tmp
    running.stop()


def test_a_cli_ingest_is_answered_by_the_running_app_without_restart(app) -> None:
    from gradio_client import Client

    running, tmp = app
    client = Client(running.url, verbose=False)
    before = client.predict(QUESTION, api_name="/answer")
    assert before["refused"] or "十八" not in before["answer"]
    new = tmp / "music.md"
    new.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "--index", str(tmp / "index"), "ingest", str(new), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    after = client.predict(QUESTION, api_name="/answer")
    assert not after["refused"] and "十八" in after["answer"]
    assert any("十八支乐队" in c["quote"] for c in after["citations"])
    assert running.proc.poll() is None  # the same process, not a restart
