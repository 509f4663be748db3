"""The network exported to ONNX, and the ``onnx-int8`` runtime over it.

``export_onnx`` writes a transformers encoder to ONNX once (fp32, and its int8
quantisation); ``_packaged_onnx`` and ``_generic_onnx`` make the backend that runs such a
file for the packaged model or for a sentence-transformers one: ``_OnnxBackend`` (ONNX
Runtime, one single-threaded session per core) for ``onnx-int8``, or ``_embed_openvino``'s
backend for ``openvino``.
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
from assistant._embed_backend import _E5_PROMPTS, _PACKAGED_DIM, _Backend, cpu_threads
from assistant._embed_openvino import _OpenVinoBackend
from assistant._embed_torch import _load_sentence_transformer, _prompts, _st_dim
from assistant.config import PACKAGED_MODEL
from assistant.errors import ModelUnavailableError

INT8_FILE = "model-int8-r2.onnx"  # r2: eager-attention export; a new name re-exports old caches
FP32_FILE = "model-fp32-r2.onnx"
PARALLEL_JOB = 16  # onnx-int8: texts from which a job loads and uses one session per core

Tokenize = Callable[[list[str]], tuple[np.ndarray, np.ndarray]]  # texts -> (input ids, attention mask)


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
