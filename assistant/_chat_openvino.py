"""A LangChain chat model over OpenVINO GenAI's ``LLMPipeline``: the packaged model, offline.

``LLMPipeline`` reads a GGUF file directly (or an OpenVINO IR folder); loading the packaged
1.5B file takes ~20 s on an idle 2-core machine and much longer on a busy one, so one
pipeline per (path, threads) is loaded lazily per process and kept.

Messages are rendered with the model's own chat template (the GGUF's, through the pipeline
tokenizer's ``apply_chat_template``; Qwen's is ChatML) and generated greedily (temperature 0):
the same messages always give the same text, streamed or not. ``stream`` yields the text
pieces GenAI's streamer callback hands over (whole UTF-8 characters; one or more tokens each),
then a last empty chunk carrying token counts and timings.

On CPU, ``LLMPipeline`` runs the paged-attention backend whose default scheduler keeps the
KV cache of earlier prompts and reuses a shared prefix (prefix caching): a second question
over the same system message and passages skips most of the prompt work (see README,
"Language model", for the numbers measured here).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from assistant.errors import LLMUnavailableError

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def default_threads() -> int:
    """The CPUs this process may run on (its affinity mask; cgroup quotas are not seen)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def to_chat_dicts(messages: Sequence[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages → ``[{"role": "system"|"user"|"assistant", "content": str}]``.

    Raises ValueError for messages a plain chat template cannot show (tool calls, images).
    """
    out: list[dict[str, str]] = []
    for m in messages:
        role = m.role if isinstance(m, ChatMessage) else _ROLES.get(m.type)
        if role is None or not isinstance(m.content, str):
            raise ValueError(f"OpenVINOChat takes system/human/ai messages with text content, not {m.type!r}")
        out.append({"role": role, "content": m.content})
    return out


def chatml(messages: Sequence[dict[str, str]]) -> str:
    """Qwen's ChatML, for a model whose template cannot be applied: each message as
    ``<|im_start|>{role}\\n{content}<|im_end|>\\n``, then ``<|im_start|>assistant\\n``."""
    body = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return body + "<|im_start|>assistant\n"


@dataclass
class _Output:
    text: str
    input_tokens: int
    output_tokens: int
    ttft_s: float  # seconds from the call to the first new token (GenAI's own measure)
    total_s: float


class Engine:
    """One loaded ``LLMPipeline`` and its tokenizer; generation is serialised (one at a time)."""

    def __init__(self, path: Path, threads: int, **properties: Any) -> None:
        """Load ``path`` (GGUF file or IR folder) for the CPU; ``properties`` go to LLMPipeline
        (e.g. ``scheduler_config``). Raises LLMUnavailableError naming the fix."""
        try:
            import openvino_genai
        except ImportError as exc:
            raise LLMUnavailableError(
                f"OpenVINO GenAI is not installed ({exc}): `pip install openvino-genai==2026.4.1.0`, "
                "or use a server with --llm-base-url."
            ) from exc
        self._ov = openvino_genai
        self.path = path
        self.threads = threads
        start = time.perf_counter()
        try:
            self.pipe = openvino_genai.LLMPipeline(
                str(path), "CPU", INFERENCE_NUM_THREADS=threads, **properties
            )
        except Exception as exc:  # GenAI raises RuntimeError with the reader's reason
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise LLMUnavailableError(
                f"OpenVINO GenAI cannot load {path} ({reason[:300]}). Use the packaged default "
                "(unset ASSISTANT_LLM_MODEL), a GGUF of a llama/qwen2/qwen3 model in Q4_0, Q4_K, Q6_K or "
                "Q8_0, or serve the model elsewhere and pass --llm-base-url."
            ) from exc
        self.load_s = time.perf_counter() - start
        self.tokenizer = self.pipe.get_tokenizer()
        self._lock = threading.Lock()

    def render(self, messages: Sequence[dict[str, str]]) -> str:
        """The prompt text: the model's own chat template, or ChatML if it cannot be applied.
        A last assistant message is the start of the reply: the model goes on writing it."""
        start = ""
        if messages and messages[-1]["role"] == "assistant":
            messages, start = messages[:-1], messages[-1]["content"]
        try:
            text = str(self.tokenizer.apply_chat_template(list(messages), add_generation_prompt=True))
        except Exception:  # no template in the file, or one GenAI's Jinja cannot run
            text = chatml(messages)
        return text + start

    def config(self, max_new_tokens: int, stop: Sequence[str], temperature: float) -> Any:
        """A GenerationConfig: the model's own (EOS ids) with our limits; greedy at temperature 0."""
        cfg = self.pipe.get_generation_config()
        cfg.max_new_tokens = max_new_tokens
        cfg.apply_chat_template = False  # the prompt is already rendered
        cfg.stop_strings = set(stop)
        cfg.include_stop_str_in_output = False
        cfg.do_sample = temperature > 0
        if temperature > 0:
            cfg.temperature = temperature
        return cfg

    def generate(self, prompt: str, cfg: Any, on_text: Any = None) -> _Output:
        """Run one generation. ``on_text(piece) -> bool`` gets each streamed piece; True stops."""
        streamer = None
        if on_text is not None:
            status = self._ov.StreamingStatus

            def streamer(piece: str) -> Any:
                return status.STOP if on_text(piece) else status.RUNNING

        with self._lock:  # an LLMPipeline runs one generate at a time
            start = time.perf_counter()
            result = self.pipe.generate([prompt], cfg, streamer)
            total = time.perf_counter() - start
        metrics = result.perf_metrics
        return _Output(
            text=result.texts[0],
            input_tokens=int(metrics.get_num_input_tokens()),
            output_tokens=int(metrics.get_num_generated_tokens()),
            ttft_s=float(metrics.get_ttft().mean) / 1000.0,
            total_s=total,
        )


_engines: dict[tuple[str, int], Engine] = {}
_engines_lock = threading.Lock()


def engine(path: Path | str, threads: int) -> Engine:
    """The process's Engine for (path, threads), loading it on first use (~20 s idle, more if busy)."""
    key = (str(Path(path).resolve()), threads)
    with _engines_lock:
        if key not in _engines:
            _engines[key] = Engine(Path(key[0]), threads)
        return _engines[key]


class OpenVINOChat(BaseChatModel):
    """Chat model over a local GGUF file / OpenVINO IR folder, run by OpenVINO GenAI on the CPU.

    ``invoke`` returns an AIMessage; ``stream`` yields AIMessageChunks of text, then one empty
    chunk with ``usage_metadata`` (input/output tokens) and ``response_metadata``
    (``finish_reason`` "stop" | "length", ``ttft_s``, ``total_s``, ``load_s`` seconds).
    Stop strings end the text and are not part of it. A last ``ai`` message is the start of the
    reply (prefill, ``CONTINUES_REPLY``): the model goes on from it, and only what it adds is
    returned. Raises LLMUnavailableError if the model cannot be loaded.
    """

    CONTINUES_REPLY: ClassVar[bool] = True

    model_path: str
    model_name: str = ""  # for describe(); defaults to the file name
    threads: int = Field(default_factory=default_threads)
    max_new_tokens: int = 160
    temperature: float = 0.0  # 0 = greedy
    stop: list[str] | None = None

    @property
    def _llm_type(self) -> str:
        return "openvino-genai"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_path": self.model_path,
            "threads": self.threads,
            "max_new_tokens": self.max_new_tokens,
            "temperature": self.temperature,
        }

    def engine(self) -> Engine:
        """The loaded pipeline (loads it now if this process has not yet)."""
        return engine(self.model_path, self.threads)

    def _prepare(
        self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]
    ) -> tuple[Engine, str, Any, int]:
        """(engine, rendered prompt, GenerationConfig, max new tokens) for one call."""
        eng = self.engine()
        limit = int(kwargs.get("max_new_tokens") or kwargs.get("max_tokens") or self.max_new_tokens)
        stops = [*(self.stop or []), *(stop or [])]
        temperature = float(kwargs.get("temperature", self.temperature))
        return eng, eng.render(to_chat_dicts(messages)), eng.config(limit, stops, temperature), limit

    def _metadata(self, eng: Engine, out: _Output, limit: int) -> dict[str, Any]:
        return {
            "model_name": self.model_name or Path(self.model_path).name,
            "finish_reason": "length" if out.output_tokens >= limit else "stop",
            "ttft_s": round(out.ttft_s, 3),
            "total_s": round(out.total_s, 3),
            "load_s": round(eng.load_s, 1),
        }

    @staticmethod
    def _usage(out: _Output) -> dict[str, int]:
        return {
            "input_tokens": out.input_tokens,
            "output_tokens": out.output_tokens,
            "total_tokens": out.input_tokens + out.output_tokens,
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        eng, prompt, cfg, limit = self._prepare(messages, stop, kwargs)
        out = eng.generate(prompt, cfg)
        meta = self._metadata(eng, out, limit)
        message = AIMessage(content=out.text, response_metadata=meta, usage_metadata=self._usage(out))  # type: ignore[arg-type]
        return ChatResult(generations=[ChatGeneration(message=message)], llm_output=meta)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        eng, prompt, cfg, limit = self._prepare(messages, stop, kwargs)
        pieces: queue.Queue[str | _Output | BaseException] = queue.Queue()
        abandoned = threading.Event()

        def on_text(piece: str) -> bool:
            pieces.put(piece)
            return abandoned.is_set()  # the consumer stopped reading: stop generating

        def work() -> None:
            try:
                pieces.put(eng.generate(prompt, cfg, on_text))
            except BaseException as exc:  # handed to the consumer, raised there
                pieces.put(exc)

        worker = threading.Thread(target=work, name="openvino-genai-stream", daemon=True)
        worker.start()
        try:
            while True:
                item = pieces.get()
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, _Output):
                    last = AIMessageChunk(
                        content="",
                        response_metadata=self._metadata(eng, item, limit),
                        usage_metadata=self._usage(item),  # type: ignore[arg-type]
                        chunk_position="last",
                    )
                    yield ChatGenerationChunk(message=last)
                    return
                if item:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=item))
                    if run_manager is not None:
                        run_manager.on_llm_new_token(item, chunk=chunk)
                    yield chunk
        finally:
            abandoned.set()
            worker.join()
