"""Retrieval on real parts: the packaged multilingual-e5 model, embedded Chroma, a Chroma server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant._embed import get_embedder
from assistant._index import NewsIndex
from assistant._load_corpus import load_paths
from assistant._search import Searcher
from assistant.config import Settings
from assistant.errors import ModelUnavailableError

from .conftest import SEED_PAGE

QUESTIONS = {
    "平湖首批设立了多少家劳模工匠学堂？": "首批16家劳模工匠学堂",
    "兰亭能源是哪家公司的全资子公司？": "淡马锡的全资子公司",
    "明天早晨最低气温是多少？": "明天早晨最低气温19℃",
    "六里塘大桥预计什么时候完成建设？": "7月底完成建设",
    "How many seedling trays does the centre raise each day?": "每天育秧2万多盘",
}


@pytest.fixture(scope="module")
def real_index(real_seed_index: NewsIndex) -> NewsIndex:
    return real_seed_index


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_real_retrieval_finds_the_passage(real_index: NewsIndex, mode: str) -> None:
    s = Searcher(real_index)
    found = 0
    for q, evidence in QUESTIONS.items():
        hits = s.search(q, 5, mode=mode)
        found += any(evidence in h.passage.text for h in hits)
    # BM25 cannot read an English question over Chinese text; the embedder can.
    assert found >= (4 if mode == "bm25" else 5)


def test_feedback_moves_the_search_but_scores_stay_cosines_to_the_question(real_index: NewsIndex) -> None:
    plain = Searcher(real_index)
    plain.settings = plain.settings.with_(prf_docs=0)
    fed = Searcher(real_index)
    fed.settings = fed.settings.with_(prf_cohesion=0.0)  # always feed back, to see it act
    q = "平湖首批设立了多少家劳模工匠学堂？"
    qv = real_index.embedder.embed_query(q)
    col = real_index.passages_collection()
    for searcher in (plain, fed):
        hits = searcher.dense(q, 8)
        vecs = col.get(ids=[pid for pid, *_ in hits], include=["embeddings"])
        by_id = dict(zip(vecs["ids"], vecs["embeddings"], strict=True))
        for pid, score, *_ in hits:
            assert score == pytest.approx(float(np.dot(by_id[pid], qv)), abs=1e-5)
    assert [h[0] for h in plain.dense(q, 8)] != [h[0] for h in fed.dense(q, 8)]
    # First hits that agree less than the gate asks: no feedback, the plain search.
    gated = Searcher(real_index)
    gated.settings = gated.settings.with_(prf_cohesion=1.01)
    assert [h[0] for h in gated.dense(q, 8)] == [h[0] for h in plain.dense(q, 8)]


def test_persistent_index_survives_a_restart(real_index: NewsIndex, real_settings: Settings) -> None:
    reopened = NewsIndex(real_settings, get_embedder(real_settings))
    assert reopened.count() == real_index.count() > 0
    hits = Searcher(reopened).search("淡马锡", 3)
    assert any("淡马锡" in h.passage.text for h in hits)


def test_unloadable_model_says_how_to_use_the_packaged_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = Settings(index_dir=tmp_path, embed_model="no-such-org/no-such-model")
    with pytest.raises(ModelUnavailableError, match="e5-small-packaged"):
        get_embedder(settings).embed_query("你好")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(exe).exists():
        pytest.fail("the `chroma` command is missing: pip install chromadb")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma server did not start within 60 s")
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_chroma_server_ingest_and_search(
    chroma_server: tuple[str, int], real_settings: Settings, tmp_path: Path
) -> None:
    host, port = chroma_server
    settings = real_settings.with_(index_dir=tmp_path / "local", chroma_host=host, chroma_port=port)
    index = NewsIndex(settings, get_embedder(settings))
    report = index.ingest(load_paths([SEED_PAGE]).articles)
    assert report.articles_new == 7
    assert (
        NewsIndex(settings, get_embedder(settings)).ingest(load_paths([SEED_PAGE]).articles).passages_embedded
        == 0
    )
    hits = Searcher(index).search("平湖首批设立了多少家劳模工匠学堂？", 3)
    assert any("16家" in h.passage.text for h in hits)
