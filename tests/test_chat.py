"""Chat-model backends: the packaged weights, the OpenVINO GenAI chat model, the server route.

The packaged model is real here (assembled from the installed part packages into the user
cache once per machine, loaded once per test module); the weights assembler's logic is also
run on a tiny fake part set in a temp folder. The OpenAI-compatible server test runs
llama.cpp's real server (`-m slow`, needs the `llm-server` extra).
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from assistant import _llm_weights
from assistant._chat import chat_model, describe, probe
from assistant._chat_openvino import OpenVINOChat, chatml, to_chat_dicts
from assistant._llm_weights import QWEN_CODER_1_5B, PartSet
from assistant.config import PACKAGED_LLM, Settings
from assistant.errors import AssistantError, LLMServerError, LLMUnavailableError

CONTEXT = "平湖首批设立了20家劳模工匠学堂，覆盖全市主要产业。"
QUESTION = "平湖首批设立了多少家劳模工匠学堂？"
MESSAGES = [
    SystemMessage("你是本地新闻助手。只根据资料回答，用一句话。"),
    HumanMessage(f"资料：{CONTEXT}\n问题：{QUESTION}"),
]


# --------------------------------------------------------------------------- weights, fake parts


def _fake_parts(root: Path, chunks: list[bytes], *, module: str = "", version: str = "0.2.0") -> PartSet:
    """Installs `len(chunks)` importable part packages with dist-info under `root`.

    Module names are new each time: imported packages stay in sys.modules across tests."""
    module = module or f"fake{uuid.uuid4().hex[:8]}_part"
    dist = module.replace("_", "-")
    for n, data in enumerate(chunks, 1):
        pkg = root / f"{module}{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(data)
        info = root / f"{module}{n}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}{n}\nVersion: {version}\n")
    whole = b"".join(chunks)
    return PartSet(
        name="fake model",
        filename="fake.gguf",
        module=module,
        distribution=dist,
        version=version,
        count=len(chunks),
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
    )


@pytest.fixture()
def fake_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    return site


def test_fake_parts_assemble_once_in_order(fake_site: Path, tmp_path: Path) -> None:
    chunks = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]
    parts = _fake_parts(fake_site, chunks)
    out = _llm_weights.assembled(parts, tmp_path / "cache")
    assert out.read_bytes() == b"".join(chunks)
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")] == []
    # Once there, it is trusted without the parts (a second process need not re-read them).
    mtime = out.stat().st_mtime_ns
    (fake_site / f"{parts.module}2" / "data" / "part02.bin").unlink()
    assert _llm_weights.assembled(parts, tmp_path / "cache") == out
    assert out.stat().st_mtime_ns == mtime


def test_fake_parts_concurrent_assemblers_leave_one_whole_file(fake_site: Path, tmp_path: Path) -> None:
    chunks = [os.urandom(300_000) for _ in range(4)]
    parts = _fake_parts(fake_site, chunks)
    results: list[Path | BaseException] = []

    def run() -> None:
        try:
            results.append(_llm_weights.assembled(parts, tmp_path / "cache"))
        except BaseException as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, Path) for r in results), results
    assert {str(r) for r in results} == {str(tmp_path / "cache" / "fake.gguf")}
    assert (tmp_path / "cache" / "fake.gguf").read_bytes() == b"".join(chunks)
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")]


def test_fake_parts_with_wrong_bytes_are_refused_and_leave_nothing(fake_site: Path, tmp_path: Path) -> None:
    parts = _fake_parts(fake_site, [b"x" * 100, b"y" * 100])
    damaged = PartSet(**{**parts.__dict__, "sha256": "0" * 64})
    with pytest.raises(LLMUnavailableError, match="damaged"):
        _llm_weights.assembled(damaged, tmp_path / "cache")
    assert [p.name for p in (tmp_path / "cache").iterdir() if not p.name.endswith(".lock")] == []


def test_missing_part_names_the_pip_command(fake_site: Path, tmp_path: Path) -> None:
    parts = _fake_parts(fake_site, [b"1", b"2", b"3"])
    missing = PartSet(**{**parts.__dict__, "count": 4})
    with pytest.raises(LLMUnavailableError) as err:
        _llm_weights.assembled(missing, tmp_path / "cache")
    message = str(err.value)
    assert f"{parts.distribution}4 is not installed" in message
    assert f"`pip install {parts.distribution}{{1..4}}==0.2.0`" in message
    assert "\n" not in message
    wrong = _fake_parts(fake_site, [b"1"], version="0.1.0")
    with pytest.raises(LLMUnavailableError, match=rf"{wrong.distribution}1 is 0\.1\.0, not 0\.2\.0"):
        _llm_weights.part_files(PartSet(**{**wrong.__dict__, "version": "0.2.0"}))


def test_local_path_is_used_as_given_and_bad_names_say_what_to_pass(tmp_path: Path) -> None:
    gguf = tmp_path / "my.gguf"
    gguf.write_bytes(b"GGUF")
    assert _llm_weights.model_path(Settings(llm_model=str(gguf))) == gguf
    with pytest.raises(LLMUnavailableError, match="--llm-model"):
        _llm_weights.model_path(Settings(llm_model=str(tmp_path / "absent.gguf")))


# --------------------------------------------------------------------------- weights, real parts


def test_installed_parts_assemble_to_the_published_file() -> None:
    files = _llm_weights.part_files(QWEN_CODER_1_5B)
    assert len(files) == 22
    assert sum(f.stat().st_size for f in files) == QWEN_CODER_1_5B.size
    path = _llm_weights.model_path(Settings())  # the user cache: assembled once per machine
    assert path.name == QWEN_CODER_1_5B.filename
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        assert f.read(4) == b"GGUF"
        f.seek(0)
        while block := f.read(8 << 20):
            digest.update(block)
    assert digest.hexdigest() == QWEN_CODER_1_5B.sha256


# --------------------------------------------------------------------------- the packaged model


@pytest.fixture(scope="module")
def local_chat() -> OpenVINOChat:
    model = chat_model(Settings(llm_max_new_tokens=32))
    assert isinstance(model, OpenVINOChat)
    model.engine()  # load once for the module (~20 s on an idle 2-core machine)
    return model


def test_packaged_model_answers_invoke_and_stream_alike(local_chat: OpenVINOChat) -> None:
    answer = local_chat.invoke(MESSAGES)
    assert "20" in answer.content, answer.content
    assert answer.response_metadata["finish_reason"] == "stop"
    assert answer.usage_metadata and answer.usage_metadata["input_tokens"] > 20

    chunks = list(local_chat.stream(MESSAGES))
    texts = [c.content for c in chunks if c.content]
    assert len(texts) > 1  # tokens arrive as they are made
    assert "".join(texts) == answer.content  # greedy: the same text either way
    last = chunks[-1]
    assert isinstance(last, AIMessageChunk) and last.content == ""
    assert last.usage_metadata == answer.usage_metadata
    assert 0 < last.response_metadata["ttft_s"] <= last.response_metadata["total_s"]


def test_stop_strings_end_the_text_streamed_or_not(local_chat: OpenVINOChat) -> None:
    full = local_chat.invoke(MESSAGES).content
    assert "家" in full
    cut = local_chat.invoke(MESSAGES, stop=["家"]).content
    assert "家" not in cut and full.startswith(cut), (cut, full)
    streamed = "".join(str(c.content) for c in local_chat.stream(MESSAGES, stop=["家"]))
    assert streamed == cut


def test_messages_render_with_the_models_own_template(local_chat: OpenVINOChat) -> None:
    dicts = to_chat_dicts(MESSAGES)
    assert local_chat.engine().render(dicts) == chatml(dicts)  # Qwen's template is ChatML
    assert chatml(dicts).endswith("<|im_start|>assistant\n")


def test_a_started_reply_is_continued_not_repeated(local_chat: OpenVINOChat) -> None:
    plain = str(local_chat.invoke(MESSAGES).content)
    start = plain[:2]
    started = [*MESSAGES, AIMessage(start)]
    dicts = to_chat_dicts(started)
    assert local_chat.engine().render(dicts) == chatml(dicts[:-1]) + start
    rest = str(local_chat.invoke(started).content)
    streamed = "".join(str(c.content) for c in local_chat.stream(started))
    assert rest == streamed and "20" in start + rest
    assert not rest.startswith(start), (start, rest)


def test_describe_names_model_and_runtime() -> None:
    assert (
        describe(Settings(llm_threads=2)) == "Qwen2.5-Coder-1.5B-Instruct Q4_K_M · OpenVINO GenAI, 2 threads"
    )
    assert describe(Settings(llm_model="m.gguf", llm_threads=1)) == "m.gguf · OpenVINO GenAI, 1 thread"
    served = Settings(llm_base_url="http://127.0.0.1:8080/v1", llm_model="qwen2.5:7b")
    assert describe(served) == "qwen2.5:7b @ http://127.0.0.1:8080/v1"


# --------------------------------------------------------------------------- settings and the server route


def test_settings_read_llm_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_READER", "llm")
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "http://h:1/v1")
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai")
    monkeypatch.setenv("ASSISTANT_LLM_THREADS", "1")
    monkeypatch.setenv("ASSISTANT_LLM_MAX_NEW_TOKENS", "99")
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "7.5")
    s = Settings.from_env()
    assert (s.reader, s.llm_base_url, s.llm_model, s.llm_threads, s.llm_max_new_tokens, s.llm_timeout_s) == (
        "llm",
        "http://h:1/v1",
        "qwen2.5:7b",
        1,
        99,
        7.5,
    )
    assert s.llm_api_key == "sk-from-openai" and "sk-from" not in repr(s)
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "sk-ours")
    assert Settings.from_env().llm_api_key == "sk-ours"
    assert Settings().llm_model == PACKAGED_LLM and Settings().llm_base_url is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_base_url_selects_chatopenai_and_an_unreachable_server_names_the_fix() -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"  # nothing listens there
    settings = Settings(llm_base_url=url, llm_model="qwen", llm_max_new_tokens=50, llm_timeout_s=5)
    model = chat_model(settings)
    assert isinstance(model, ChatOpenAI)
    assert (model.model_name, model.temperature, model.max_tokens, model.openai_api_base) == (
        "qwen",
        0,
        50,
        url,
    )
    for call in (lambda: model.invoke("你好"), lambda: list(model.stream("你好")), lambda: probe(settings)):
        with pytest.raises(LLMServerError) as err:
            call()
        assert isinstance(err.value, AssistantError)
        assert url in str(err.value) and "--llm-base-url" in str(err.value)
        assert "\n" not in str(err.value)


# --------------------------------------------------------------------------- a real OpenAI-compatible server


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    """llama.cpp's server (`llama_cpp.server`) on a free port, serving the packaged GGUF."""
    pytest.importorskip(
        "llama_cpp.server",
        reason="llama-cpp-python[server] is not installed: pip install -e '.[llm-server]' (builds from source)",
    )
    gguf = _llm_weights.model_path(Settings())
    port = _free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"llama-server-{port}.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "2048", "--n_threads", str(max(1, len(os.sched_getaffinity(0))))]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 600  # loading 1.1 GB on a busy machine
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited ({proc.returncode}); see {log}")
            try:
                with urllib.request.urlopen(base + "/models", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server not ready after 600 s; see {log}")
            time.sleep(1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_llama_cpp_server_answers_through_chatopenai(llama_server: str) -> None:
    settings = Settings(llm_base_url=llama_server, llm_model="qwen2.5-coder-1.5b", llm_max_new_tokens=32)
    assert probe(settings)  # it lists the one model it serves
    model = chat_model(settings)
    assert isinstance(model, ChatOpenAI)
    answer = model.invoke(MESSAGES)
    assert "20" in answer.content, answer.content
    texts = [str(c.content) for c in model.stream(MESSAGES) if c.content]
    assert len(texts) > 1
    assert "".join(texts) == answer.content  # temperature 0 on the server too


@pytest.mark.slow
def test_the_llm_reader_answers_through_the_server(llama_server: str, tmp_path: Path) -> None:
    """The whole LLM path over a real OpenAI-compatible server: retrieval, the model's draft
    through ChatOpenAI, every sentence verified, exact quotes."""
    from assistant._answer import Assistant
    from assistant._embed import get_embedder
    from assistant._index import NewsIndex
    from assistant.records import Article

    settings = Settings(
        index_dir=tmp_path / "index", reader="llm", llm_base_url=llama_server, llm_model="qwen2.5-coder-1.5b"
    )
    index = NewsIndex(settings, get_embedder(settings))
    index.ingest(
        [
            Article(
                id="s-library",
                title="乍浦镇图书分馆开放",
                date="2025-07-01",
                source="嘉兴日报·平湖版",
                text="本报讯 乍浦镇图书分馆昨天开放，馆藏图书3.2万册，设有阅览座位120个。",
            )
        ]
    )
    a = Assistant(settings, index).ask("乍浦镇图书分馆馆藏图书多少册？")
    assert not a.refused, a.verification
    assert "3.2万册" in a.answer and a.citations
    for c in a.citations:
        art = index.get_article(c.article_id)
        assert art is not None and getattr(art, c.field)[c.start : c.end] == c.quote
