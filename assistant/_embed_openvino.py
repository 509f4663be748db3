"""The ``openvino`` embedding runtime: the exported fp32 network in OpenVINO, bfloat16 where
the CPU has it, texts in length-sorted batches padded to a fixed step.

The network it runs is exported by ``_embed_onnx``, which builds this backend too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant._embed_backend import _Backend
from assistant.errors import ModelUnavailableError

OPENVINO_BATCH = 16  # length-sorted texts per request: 141 passages/s against 92 one by one
OPENVINO_WIDTH_STEP = 32  # batch widths are padded to multiples of this (bf16: see _OpenVinoBackend)
SMALL_JOB = 4  # batches: up to this many go through the latency-tuned request, in turn


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
