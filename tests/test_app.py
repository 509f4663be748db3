"""The Gradio app: `python app.py` run for real on a free port, reached with gradio_client.

One index per module, built by the app itself on its first start from a tmp corpus
(the seed page plus one hostile article), with the real embedding model.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.records import Answer, Article, CheckResult, Citation, Hit, Passage
from tests.conftest import ROOT, SEED_PAGE

READY = "Ready:"
FAILED = "Cannot open the index"
BUILDING = "building the index"
START_TIMEOUT_S = 900  # a machine's first run converts the embedding model once

# A headline and body that would run script if any of it reached the page unescaped.
XSS_TITLE = '灯塔公告<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
XSS_TEXT = (
    '平湖市测试新闻：正文里有<script>window.__xss=1</script>和<img src=x onerror="window.__xss=2">两段代码。'
    "九龙山灯塔将于明年五月开放。"
)
XSS_ARTICLE = {
    "id": "xss-test-1",
    "title": XSS_TITLE,
    "text": XSS_TEXT,
    "date": "2024-05-20",
    "source": "测试来源<b>粗</b>",
    "author": "<i>记者</i>",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningApp:
    url: str
    proc: subprocess.Popen[str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SEED_PAGE.name).write_bytes(SEED_PAGE.read_bytes())
    (folder / "hostile.jsonl").write_text(
        json.dumps(XSS_ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return folder


def start_app(
    index: Path, corpus: Path, log_path: Path, timeout: float = START_TIMEOUT_S, extra: tuple[str, ...] = ()
) -> RunningApp:
    """`python app.py` as a person runs it (with `extra` options); returns once the page is up and
    the index is ready."""
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    env.pop("GRADIO_SERVER_PORT", None)
    cmd = [
        sys.executable,
        str(ROOT / "app.py"),
        "--port",
        str(port),
        "--index",
        str(index),
        "--corpus",
        str(corpus),
        *extra,
    ]
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    app = RunningApp(f"http://127.0.0.1:{port}/", proc, log_path)
    deadline = time.monotonic() + timeout
    try:
        while True:
            text = app.log()
            if FAILED in text or proc.poll() is not None:
                raise RuntimeError(f"app.py did not start:\n{text[-3000:]}")
            if READY in text and _http_ok(app.url):
                return app
            if time.monotonic() > deadline:
                raise RuntimeError(f"app.py not ready after {timeout:.0f}s:\n{text[-3000:]}")
            time.sleep(0.3)
    except BaseException:
        app.stop()
        raise


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


_shared: list[RunningApp] = []


def shared_app(factory: pytest.TempPathFactory) -> RunningApp:
    """One app (and index) for this module and the browser tests: starting one costs most of the time."""
    if not _shared or _shared[0].proc.poll() is not None:
        tmp = factory.mktemp("app")
        _shared[:] = [start_app(tmp / "index", write_corpus(tmp / "corpus"), tmp / "app.log")]
        atexit.register(_shared[0].stop)
    return _shared[0]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> RunningApp:
    return shared_app(tmp_path_factory)


@pytest.fixture(scope="module")
def client(running: RunningApp):
    from gradio_client import Client

    return Client(running.url, verbose=False)


def seed_articles() -> dict[str, Article]:
    from assistant._load_corpus import load_paths

    return {a.id: a for a in load_paths([SEED_PAGE]).articles}


# -- the running app --------------------------------------------------------------------


def test_first_start_builds_the_index_and_says_so(running: RunningApp) -> None:
    log = running.log()
    assert BUILDING in log and "passages embedded" in log
    assert "Running on local URL:  http://127.0.0.1:" in log  # local only: no share link unless asked
    assert "gradio.live" not in log


def test_answer_endpoint_returns_the_cli_json(client) -> None:
    got = client.predict("平湖首批设立了多少家劳模工匠学堂？", api_name="/answer")
    assert set(got) >= {"question", "answer", "refused", "language", "citations", "hits"}
    assert got["question"] == "平湖首批设立了多少家劳模工匠学堂？"
    assert not got["refused"] and "16" in got["answer"]
    assert "[1]" in got["answer"]
    arts = seed_articles()
    for c in got["citations"]:
        art = arts[c["article_id"]]
        assert getattr(art, c.get("field", "text"))[c["start"] : c["end"]] == c["quote"]
    # The same object the CLI prints: Answer.to_json() round-trips through it.
    cites = tuple(Citation(**c) for c in got["citations"])
    hits = tuple(
        Hit(Passage(h["passage_id"], h["article_id"], 0, h["start"], h["end"], h["text"]), h["score"])
        for h in got["hits"]
    )
    again = Answer(got["question"], got["answer"], got["refused"], cites, hits, got["language"]).to_json()
    assert again["citations"] == got["citations"] and again["answer"] == got["answer"]


def test_answer_endpoint_refuses_what_the_archive_lacks(client) -> None:
    got = client.predict("How much will Yinfeng Robotics invest in its Pinghu project?", api_name="/answer")
    assert got["refused"] is True and got["citations"] == []


def test_answer_endpoint_takes_history_for_follow_ups(client) -> None:
    first = client.predict("平湖首批设立了多少家劳模工匠学堂？", api_name="/answer")
    got = client.predict(
        "他们在哪里开的推进会？", "", "", "", [[first["question"], first["answer"]]], api_name="/answer"
    )
    assert got["rewritten_question"] != "他们在哪里开的推进会？"
    assert "曹桥" in got["answer"]


def test_bad_input_gets_a_clear_message(client) -> None:
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="empty"):
        client.predict("   ", api_name="/answer")
    with pytest.raises(AppError, match="YYYY-MM-DD"):
        client.predict("劳模工匠学堂", "yesterday", api_name="/answer")


def test_date_filter_reaches_the_search(client) -> None:
    # The seed page carries no date; a date range leaves only the dated test article.
    got = client.predict("九龙山灯塔什么时候开放？", "2024-05-01", "2024-05-31", api_name="/answer")
    assert {c["article_id"] for c in got["citations"]} <= {"xss-test-1"}
    got = client.predict("平湖首批设立了多少家劳模工匠学堂？", "2024-05-01", "2024-05-31", api_name="/answer")
    assert got["refused"] or "16" not in got["answer"]


def test_two_people_asking_at_once_each_get_their_own_answer(running: RunningApp) -> None:
    from gradio_client import Client

    questions = {"平湖首批设立了多少家劳模工匠学堂？": "16", "九龙山灯塔什么时候开放？": "明年五月"}
    barrier = threading.Barrier(len(questions))

    def ask(q: str) -> dict:
        c = Client(running.url, verbose=False)
        barrier.wait()
        return c.predict(q, api_name="/answer")

    with ThreadPoolExecutor(len(questions)) as pool:
        results = dict(zip(questions, pool.map(ask, questions), strict=True))
    for q, expected in questions.items():
        assert results[q]["question"] == q
        assert expected in results[q]["answer"]


def test_check_endpoint_gives_verdict_and_quotes(client) -> None:
    got = client.predict("新仓中心每天育秧5万盘，首批设立了16家劳模工匠学堂。", api_name="/check")
    assert got["verdict"] == "contradicted"
    assert any("2万" in c["quote"] for c in got["citations"])


def test_a_second_start_reuses_the_index(running: RunningApp, tmp_path: Path) -> None:
    index = Path(running.log_path).parent / "index"
    t = time.monotonic()
    again = start_app(index, tmp_path / "no-corpus-needed", tmp_path / "again.log", timeout=120)
    try:
        assert BUILDING not in again.log()
        assert time.monotonic() - t < 60
    finally:
        again.stop()


# -- rendering and wiring, no server ----------------------------------------------------


def _hostile_article() -> Article:
    return Article(
        id="xss-test-1",
        title=XSS_TITLE,
        text=XSS_TEXT,
        authors=("<i>记者</i>",),
        source="测试来源<b>粗</b>",
    )


def _cite(art: Article, quote: str, n: int = 1) -> Citation:
    start = art.text.index(quote)
    return Citation(
        n, art.id, art.title, art.date, f"{art.id}:0000:x", quote, start, start + len(quote), art.source
    )


def test_render_escapes_article_text_and_marks_the_quote() -> None:
    from assistant import _ui

    art = _hostile_article()
    cite = _cite(art, "九龙山灯塔将于明年五月开放。")
    ans = Answer("灯塔何时开放？", f"据《{art.title}》：九龙山灯塔将于明年五月开放。[1]", False, (cite,))
    html = _ui.render_answer(ans, {art.id: art}.get, turn=3)
    assert "<script" not in html and "<img" not in html and "<i>" not in html and "<b>" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "<mark>九龙山灯塔将于明年五月开放。</mark>" in html
    assert 'href="#lna-t3-c1"' in html and 'id="lna-t3-c1"' in html
    assert "日期不详" in html  # no date in the source: said so, not invented
    assert "<details>" in html and "\n" not in html  # one line: the chat's Markdown leaves it whole


def test_render_refusal_has_no_source_cards() -> None:
    from assistant import _ui

    html = _ui.render_answer(Answer("q", "抱歉，资料库中没有找到能回答这个问题的报道。", True), {}.get)
    assert "lna-refusal" in html and "lna-card" not in html and "lna-sources" not in html


def test_render_says_which_reader_answered() -> None:
    from assistant import _ui

    llm = Answer(
        "q", "a", False, reader="llm", verification=({"model": "Qwen"}, {"sentence": "a", "kept": True})
    )
    byline = Answer("q", "a", False, reader="extractive", verification=({"credit": "byline"},))
    fallback = Answer("q", "a", False, reader="extractive", verification=({"model": "Qwen"},))
    assert "每句已与所引原文核对" in _ui.render_reader(llm) and "Qwen" in _ui.render_reader(llm)
    assert "byline" in _ui.render_reader(byline) and "could not be verified" not in _ui.render_reader(byline)
    assert "could not be verified" in _ui.render_reader(fallback)
    assert "Quoted from the article" in _ui.render_reader(Answer("q", "a", False))


def test_render_markers_without_a_citation_stay_plain() -> None:
    from assistant import _ui

    html = _ui.link_markers("a[1] b[2] <x>", {1}, 0)
    assert html.count("<a ") == 1 and "b[2]" in html and "&lt;x&gt;" in html


def test_render_check_shows_verdict_and_quote() -> None:
    from assistant import _ui

    art = _hostile_article()
    cite = _cite(art, "九龙山灯塔将于明年五月开放。")
    result = CheckResult("灯塔今年开放", "contradicted", "claim 今年, article 明年", (cite,))
    html = _ui.render_check(result, {art.id: art}.get)
    assert "Contradicted" in html and "lna-verdict-bad" in html and "<mark>" in html
    assert "<script" not in html


class _RecordingAssistant:
    def __init__(self) -> None:
        self.histories: list[list[tuple[str, str]]] = []

    def stream(self, question: str, *, history=None, filters=None):
        self.histories.append(list(history or []))
        yield "答案"
        yield f"：{question}"
        yield Answer(question, f"答案：{question}", False)


def test_chat_handler_streams_and_passes_the_conversation_on() -> None:
    import app

    backend = app.Backend(Settings())
    backend.assistant = _RecordingAssistant()
    backend._ready.set()
    h = app.Handlers(backend)
    steps = list(h.respond("第一问", [], [], "", "", []))
    assert len(steps) >= 3  # streamed: partial texts before the final answer
    chat, history, box, _ = steps[-1]
    assert box == "" and history == [("第一问", "答案：第一问")] and len(chat) == 2
    chat, history, _, _ = list(h.respond("那第二个呢？", chat, history, "", "", []))[-1]
    assert backend.assistant.histories == [[], [("第一问", "答案：第一问")]]
    assert len(chat) == 4 and len(history) == 2
    # A bad filter is a message in the chat, not a traceback.
    chat, *_ = list(h.respond("问", [], [], "not-a-date", "", []))[-1]
    assert "lna-error" in chat[-1]["content"] and "YYYY-MM-DD" in chat[-1]["content"]


def test_a_bad_port_setting_is_one_clear_line() -> None:
    env = {**os.environ, "GRADIO_SERVER_PORT": "abc"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "GRADIO_SERVER_PORT='abc' is not a port number" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_slow_first_page_does_not_kill_the_app_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Gradio checks its own page once with a 3 s timeout and exits when that fails; on a busy
    machine the app died at start ("When localhost is not accessible…"). The check now asks again."""
    from gradio import networking

    import app

    answers = iter([False, False, True])
    monkeypatch.setattr(networking, "url_ok", lambda url: next(answers))
    monkeypatch.setattr(app.time, "sleep", lambda s: None)
    app._patient_localhost_check()
    assert networking.url_ok("http://127.0.0.1:1/") is True
    monkeypatch.setattr(networking, "url_ok", lambda url: False)  # a page that never answers
    monkeypatch.setattr(app, "LOCALHOST_CHECK_S", 0.0)
    app._patient_localhost_check()
    assert networking.url_ok("http://127.0.0.1:1/") is False


def test_the_packaged_model_is_warmed_while_the_page_is_idle(real_settings: Settings, tmp_path: Path) -> None:
    """With the LLM reader on the local model, the app loads and compiles it after the index
    opens (tens of seconds on a CPU) instead of inside the first question; a server is not
    called (its warm-up would be a billed request), and a model that fails to load leaves the
    page up."""
    import app

    warmed = threading.Event()

    class _Reader:
        def __init__(self, fail: bool) -> None:
            self.fail = fail

        def warm(self) -> None:
            warmed.set()
            if self.fail:
                raise RuntimeError("no model")

    class _Assistant:
        def __init__(self, reader: _Reader) -> None:
            self.reader = reader

    for settings, fail, expect in (
        (real_settings.with_(index_dir=tmp_path, reader="llm"), True, True),
        (
            real_settings.with_(index_dir=tmp_path, reader="llm", llm_base_url="http://127.0.0.1:9/v1"),
            False,
            False,
        ),
        (real_settings.with_(index_dir=tmp_path, reader="extractive"), False, False),
    ):
        warmed.clear()
        backend = app.Backend(
            settings, corpus=[SEED_PAGE], make_assistant=lambda s, i, f=fail: _Assistant(_Reader(f))
        )
        backend.start()
        backend.wait(600)
        assert warmed.wait(10 if expect else 1) is expect
        assert backend.error is None
