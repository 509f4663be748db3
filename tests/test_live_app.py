"""A running app answers from what is in the index now: a CLI ingest into its index (another
process) is visible to the next question, without a restart (case r13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_app import shared_app

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
    """The app test_app.py and the browser tests share (starting one costs most of the time);
    this module runs after them, and its article is about nothing they ask."""
    running = shared_app(tmp_path_factory)
    return running, Path(running.log_path).parent


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
