"""Chroma server mode: two processes with no shared folder use one `chroma run` server. What one
ingests (or removes) the other finds (or stops finding), dense and keyword alike, without a
restart: the generation marker lives in the server and each process brings its BM25 in step
from the server's passages. The server is real (`chroma run` on a free port), and so is the
embedding model.

Marked slow: eight Python processes start in it (each loads Chroma, jieba and the model); it
took 17 min on the 2 shared cores here at load average 16-19. Run with `pytest -m slow
tests/test_server_mode.py`."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_PAGE

RUNTIME = "onnx-int8"  # a named runtime: no calibration inside the test
ARTICLE_A = """---
title: 乍浦港区新建蓝鲸湾观测站
date: 2024-06-03
source: 嘉兴日报·平湖版
---
乍浦港区的蓝鲸湾观测站昨天建成，站内安装了十二台潮位仪，用于监测杭州湾北岸的潮汐变化。
"""
ARTICLE_B = """---
title: 新仓镇举办芦笋采摘节
date: 2024-05-11
source: 嘉兴日报·平湖版
---
新仓镇第三届芦笋采摘节上周六开幕，二十七家合作社参展，当天售出芦笋四千多公斤。
"""

# A long-lived reader: one NewsIndex for its whole life, queries in on stdin, hits out on stdout.
READER = r"""
import json, sys
from pathlib import Path
from assistant.config import Settings
from assistant._index import NewsIndex
from assistant._search import Searcher
host, port, index_dir, runtime = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
settings = Settings(index_dir=Path(index_dir), chroma_host=host, chroma_port=port, embed_runtime=runtime)
searcher = Searcher(NewsIndex(settings))
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    hits = searcher.search(req["q"], req.get("k", 5), mode=req["mode"])
    print(json.dumps([[h.passage.article_id, h.passage.title] for h in hits], ensure_ascii=False), flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_cli() -> str:
    found = Path(sys.executable).with_name("chroma")
    return str(found) if found.exists() else (shutil.which("chroma") or "")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """`chroma run` on a free port over an empty folder; stopped (and waited for) afterwards."""
    cli = chroma_cli()
    if not cli:
        pytest.skip("the `chroma` command (chromadb's server) is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "w")
    server = subprocess.Popen(
        [cli, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma run did not start: {(data / 'server.log').read_text()[-500:]}")
                time.sleep(0.3)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def cli(index: Path, server: tuple[str, int], *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m assistant` against the server, with its own local --index folder."""
    host, port = server
    return subprocess.run(
        [sys.executable, "-m", "assistant", "--index", str(index), "--runtime", RUNTIME,
         "--chroma-host", host, "--chroma-port", str(port), *args],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip


class Reader:
    """A second process holding one open index over the server for the whole test."""

    def __init__(self, index: Path, server: tuple[str, int]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", READER, server[0], str(server[1]), str(index), RUNTIME],
            cwd=ROOT,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self._line()) == {"ready": True}

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"the reader process ended (exit {self.proc.poll()})"
        return line

    def titles(self, query: str, mode: str, k: int = 5) -> list[str]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"q": query, "mode": mode, "k": k}) + "\n")
        self.proc.stdin.flush()
        return [title for _, title in json.loads(self._line())]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


@pytest.mark.slow
def test_two_processes_share_one_server_dense_and_keyword(chroma_server, tmp_path: Path) -> None:
    writer_dir, reader_dir = tmp_path / "writer", tmp_path / "reader"  # no shared folder
    done = cli(writer_dir, chroma_server, "ingest", str(SEED_PAGE))
    assert done.returncode == 0, done.stderr
    reader = Reader(reader_dir, chroma_server)
    try:
        assert "乍浦港区新建蓝鲸湾观测站" not in reader.titles("蓝鲸湾观测站", "bm25")

        # Ingested by the writer process: the running reader finds it by keyword and by meaning.
        (tmp_path / "a.md").write_text(ARTICLE_A, encoding="utf-8")
        done = cli(writer_dir, chroma_server, "ingest", str(tmp_path / "a.md"))
        assert done.returncode == 0, done.stderr
        assert reader.titles("蓝鲸湾观测站", "bm25")[0] == "乍浦港区新建蓝鲸湾观测站"
        assert "乍浦港区新建蓝鲸湾观测站" in reader.titles("杭州湾北岸的潮汐监测设备", "dense")

        # Removed by the writer: gone from the reader's keyword side too.
        article_id = json.loads(cli(writer_dir, chroma_server, "search", "蓝鲸湾观测站", "--json").stdout)[
            "hits"
        ][0]["article_id"]
        assert cli(writer_dir, chroma_server, "remove", article_id).returncode == 0
        assert "乍浦港区新建蓝鲸湾观测站" not in reader.titles("蓝鲸湾观测站", "bm25")
        assert "乍浦港区新建蓝鲸湾观测站" not in reader.titles("蓝鲸湾观测站", "hybrid")
    finally:
        reader.close()

    # And the other way: a third process (the reader's folder) ingests, the writer's folder finds it.
    (tmp_path / "b.md").write_text(ARTICLE_B, encoding="utf-8")
    assert cli(reader_dir, chroma_server, "ingest", str(tmp_path / "b.md")).returncode == 0
    found = json.loads(
        cli(writer_dir, chroma_server, "search", "芦笋采摘节", "--mode", "bm25", "--json").stdout
    )
    assert found["hits"] and found["hits"][0]["title"] == "新仓镇举办芦笋采摘节"
