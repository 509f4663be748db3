"""The ``torch`` embedding runtime: a sentence-transformers model, the reference.

Also how such a model is loaded (local first; from the Hugging Face hub only for a hub id
the user configured, after a quick check that the hub answers), and its prompts and width,
which the ONNX export of a generic model (``_embed_onnx``) reads too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from assistant import _convert_e5
from assistant._embed_backend import _E5_PROMPTS, _Backend, cpu_threads
from assistant.config import PACKAGED_MODEL
from assistant.errors import ModelUnavailableError


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


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
