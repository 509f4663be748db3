"""Prompt processing (prefill) speed of the packaged chat model on this CPU, two runtimes.

    .venv/bin/python benchmarks/llm_prefill.py                  # OpenVINO GenAI, and llama.cpp if installed
    .venv/bin/python benchmarks/llm_prefill.py --chars 900 --runs 3
    .venv/bin/python benchmarks/llm_prefill.py --precision default dq0 dq128 no-split  # runtime knobs

Prefill is most of an LLM answer's time here (the reader's prompt is hundreds of tokens, the
answer tens), so this is the number that bounds latency. Each run feeds a fresh prompt (no
shared prefix beyond the system prompt, so no prefix-cache help) of about `--tokens` tokens and
times one generated token: OpenVINO GenAI's `LLMPipeline` (the product's runtime; then its
decoding rate over 32 tokens, which sets the time of the 编号 line and the answer) and, when
`llama-cpp-python` is installed (`pip install -e '.[llm-server]'`), llama.cpp on the same GGUF
and threads, as a second opinion. The first run of each includes compilation and is printed
apart. Printed with the CPU, its flags and the load average: a rough compute bound follows,
2 x the model's non-embedding parameters (1.31 B for Qwen2.5-1.5B) FLOP per prompt token.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant._calibrate import cpu_info
from assistant._chat_openvino import default_threads
from assistant._llm_prompt import SYSTEM_ZH
from assistant._llm_weights import model_path
from assistant.config import Settings

NON_EMBEDDING_PARAMS = 1.31e9  # Qwen2.5-1.5B: 1.54 B in all, 0.23 B of them the (tied) embedding
SENTENCE = (
    "记者从平湖市经济技术开发区获悉，今年以来该区累计引进项目{a}个，总投资{b}亿元，其中外资项目占比超过一半。"
)


def prompt(i: int, chars: int) -> str:
    """A ChatML prompt whose passage text differs from run to run from its first character."""
    body = "".join(SENTENCE.format(a=i * 7 + j, b=i * 3 + j) for j in range(60))[:chars]
    return (
        f"<|im_start|>system\n{SYSTEM_ZH}<|im_end|>\n<|im_start|>user\n"
        f"资料：\n[{i}]{body}\n\n问题：今年引进项目多少个？<|im_end|>\n<|im_start|>assistant\n"
    )


ANSWER_HEAD = "编号：1,2\n答案："  # what the reader's prompt has the model write before the answer
ANSWER_TOKENS = 10  # a short answer and its [n]: seed drafts are 12-27 tokens, median ~17, head included


Runs = tuple[float, list[tuple[int, float]], float | None, int]  # load s, (tokens, s), decode tok/s, head


def runtime_properties(name: str) -> dict[str, Any]:
    """LLMPipeline properties for a named runtime setting (see `--precision`).

    OpenVINO's CPU plugin computes in bfloat16 where the CPU has it (AMX, AVX512-BF16) and
    quantizes activations to int8 in groups of 32 for int4/int8 weights (dynamic quantization)
    unless told otherwise; the scheduler splits long prompts into chunks (dynamic split-fuse).
    Each of those is a knob that could speed prompt processing, so each is timed here."""
    import openvino_genai

    if name in ("f32", "bf16"):
        return {"INFERENCE_PRECISION_HINT": name}
    if name.startswith("dq"):  # dq0 turns dynamic quantization off; dq64, dq128: other groups
        return {"DYNAMIC_QUANTIZATION_GROUP_SIZE": int(name[2:])}
    if name == "no-split":
        sched = openvino_genai.SchedulerConfig()
        sched.enable_prefix_caching = True
        sched.dynamic_split_fuse = False
        sched.max_num_batched_tokens = 32768  # the whole prompt in one step
        return {"scheduler_config": sched}
    return {}


def openvino_runs(gguf: Path, threads: int, chars: int, runs: int, precision: str = "default") -> Runs:
    import openvino_genai

    hint = runtime_properties(precision)
    t0 = time.perf_counter()
    pipe = openvino_genai.LLMPipeline(str(gguf), "CPU", INFERENCE_NUM_THREADS=threads, **hint)
    load = time.perf_counter() - t0
    cfg = pipe.get_generation_config()
    cfg.max_new_tokens = 1
    cfg.apply_chat_template = False
    out = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        r = pipe.generate([prompt(i, chars)], cfg)
        out.append((int(r.perf_metrics.get_num_input_tokens()), time.perf_counter() - t0))
    # Decoding: each new token reads all the weights once, so it is bound by memory and the
    # weights' unpacking rather than by matmul speed; timed over 32 tokens, EOS ignored.
    cfg.max_new_tokens, cfg.ignore_eos = 32, True
    metrics = pipe.generate([prompt(runs + 1, chars)], cfg).perf_metrics
    decode = 1000.0 / float(metrics.get_tpot().mean)
    head = int(pipe.get_tokenizer().encode(ANSWER_HEAD).input_ids.get_shape()[1])
    return load, out, decode, head


def llama_cpp_runs(gguf: Path, threads: int, chars: int, runs: int) -> Runs:
    from llama_cpp import Llama

    t0 = time.perf_counter()
    llm = Llama(str(gguf), n_threads=threads, n_ctx=4096, n_batch=512, verbose=False)
    load = time.perf_counter() - t0
    out = []
    for i in range(runs + 1):
        tokens = llm.tokenize(prompt(i, chars).encode(), special=True)
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(tokens)
        out.append((len(tokens), time.perf_counter() - t0))
    return load, out, None, 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chars", type=int, default=900, help="passage characters (900 ≈ 680 tokens in all)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--precision",
        nargs="+",
        default=["default"],
        choices=["default", "f32", "bf16", "dq0", "dq64", "dq128", "no-split"],
        help="OpenVINO runtime settings to time, in one run (e.g. default f32 dq0 no-split): "
        "inference precision, dynamic quantization group (dq0: off), one-step prompt scheduling",
    )
    args = ap.parse_args()
    settings = Settings.from_env()
    threads = settings.llm_threads or default_threads()
    print(
        f"CPU: {cpu_info().line()}; load average {os.getloadavg()[0]:.1f}; model threads {threads}",
        flush=True,
    )
    gguf = model_path(settings)
    rates = {}
    decode_rate, head_tokens = None, 0
    backends: list[tuple[str, Any]] = [
        (f"openvino-genai{'' if p == 'default' else f' ({p})'}", partial(openvino_runs, precision=p))
        for p in args.precision
    ]
    for name, run in [*backends, ("llama.cpp", llama_cpp_runs)]:
        try:
            load, rows, decode, head = run(gguf, threads, args.chars, args.runs)
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        (n0, s0), rest = rows[0], rows[1:]
        rate = statistics.median(n / s for n, s in rest)
        rates[name] = rate
        if decode is not None:
            print(f"{name} decoding: {decode:.1f} tokens/s", flush=True)
            if name == "openvino-genai":
                decode_rate, head_tokens = decode, head
        print(
            f"{name}: load {load:.1f} s; first run {n0} tokens in {s0:.1f} s (compiles); then "
            + ", ".join(f"{n} tokens {s:.1f} s" for n, s in rest)
            + f"; median {rate:.1f} prompt tokens/s = {rate * 2 * NON_EMBEDDING_PARAMS / 1e9:.0f} GFLOP/s",
            flush=True,
        )
    if {"openvino-genai", "llama.cpp"} <= rates.keys():
        print(f"openvino-genai / llama.cpp: {rates['openvino-genai'] / rates['llama.cpp']:.2f}x")
    if "openvino-genai" in rates and decode_rate:
        rate, head = rates["openvino-genai"], head_tokens / decode_rate
        answer = ANSWER_TOKENS / decode_rate
        print(
            f"openvino-genai decoding: {decode_rate:.1f} tokens/s; the {head_tokens}-token line before "
            f"the answer ({ANSWER_HEAD!r}) takes {head:.1f} s, a {ANSWER_TOKENS}-token answer {answer:.1f} s"
        )
        for goal, limit_s, after in (("first answer token", 2.0, head), ("answer", 6.0, head + answer)):
            room = max(0, int((limit_s - after) * rate))
            print(f"  {goal} <= {limit_s:.0f} s leaves ~{room} prompt tokens beyond the cached system prompt")


if __name__ == "__main__":
    main()
