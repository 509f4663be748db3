"""Speed of the packaged chat model (OpenVINO GenAI): load, first token, tokens/s, memory,
and what prefix caching does for a second question over the same passages.

    .venv/bin/python benchmarks/chat_backend.py [--threads N] [--no-prefix-caching]

Prompts: a short one (one sentence of context, ~60 tokens) and reader-sized ones (a system
message with 5 numbered passages of the seed page, ~700 tokens, then a question). Order:
short ×2; long question A (cold); long question B over the same passages (a prefix hit when
prefix caching is on); long question C over other passages (cold again: the control).
First token is wall-clock time to the first streamed piece; tokens/s counts generated tokens
after the first. Prints the CPU model and load average beside every figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from langchain_core.messages import HumanMessage, SystemMessage

from assistant import _chat_openvino
from assistant._chat import chat_model
from assistant._chat_openvino import OpenVINOChat
from assistant.config import Settings

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "corpus" / "jiaxing-daily_pinghu-edition_page-f157e6cd94a7ab20.txt"
SYSTEM = (
    "你是本地新闻助手。只根据下面编号的资料回答，简短，句末用[n]标注出处；"
    "资料中没有答案就说“资料中没有答案”。"
)


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f}"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def passages(start: int, n: int = 5, size: int = 200) -> str:
    """n numbered ~size-character slices of the seed page's text, from paragraph `start` on."""
    paras = [p.strip() for p in PAGE.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 60]
    out, i = [], start
    while len(out) < n and i < len(paras):
        out.append(f"[{len(out) + 1}] 2024-05-21 嘉兴日报·平湖版：{paras[i][:size]}")
        i += 1
    return "\n".join(out)


def run(model: OpenVINOChat, system: str, question: str, label: str) -> None:
    messages = [SystemMessage(system), HumanMessage(question)] if system else [HumanMessage(question)]
    start = time.perf_counter()
    first = None
    text = ""
    meta: dict = {}
    usage: dict = {}
    for chunk in model.stream(messages):
        if chunk.content and first is None:
            first = time.perf_counter() - start
        text += str(chunk.content)
        if chunk.usage_metadata:
            usage, meta = dict(chunk.usage_metadata), chunk.response_metadata
    total = time.perf_counter() - start
    n_out = usage.get("output_tokens", 0)
    tps = (n_out - 1) / max(total - meta.get("ttft_s", 0), 1e-9) if n_out > 1 else float("nan")
    print(
        f"{label:34s} in={usage.get('input_tokens')} out={n_out} first_piece={first or float('nan'):.2f}s "
        f"ttft={meta.get('ttft_s')}s total={total:.2f}s gen={tps:.1f} tok/s  rss={rss_mb():.0f} MB  "
        f"[{load()}]  {text[:60]!r}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--no-prefix-caching", action="store_true", help="paged attention without prefix caching")
    args = ap.parse_args()
    settings = Settings(llm_threads=args.threads, llm_max_new_tokens=40)
    print(f"CPU: {cpu_name()}, {len(os.sched_getaffinity(0))} usable; {load()}", flush=True)
    model = chat_model(settings)
    assert isinstance(model, OpenVINOChat)
    if args.no_prefix_caching:
        import openvino_genai

        sched = openvino_genai.SchedulerConfig()
        sched.enable_prefix_caching = False
        sched.max_num_batched_tokens = 1 << 20  # as the default latency-oriented config: whole prompts
        sched.cache_size = 1  # GB of KV cache
        key = (str(Path(model.model_path).resolve()), model.threads)
        _chat_openvino._engines[key] = _chat_openvino.Engine(
            Path(key[0]), model.threads, scheduler_config=sched
        )
    rss0 = rss_mb()
    eng = model.engine()
    print(
        f"model: {model.model_name} · {model.threads} threads · load {eng.load_s:.1f} s · "
        f"RSS {rss0:.0f} -> {rss_mb():.0f} MB  [{load()}]",
        flush=True,
    )
    context = "平湖首批设立了20家劳模工匠学堂，覆盖全市主要产业。"
    short = f"资料：{context}\n问题：平湖首批设立了多少家劳模工匠学堂？"
    run(model, "", short, "short (first call)")
    run(model, "", short, "short (again)")
    shared = SYSTEM + "\n" + passages(0)
    run(model, shared, "这些资料里提到了哪些单位？", "long A, cold")
    run(model, shared, "资料里提到的活动是什么时候举行的？", "long B, same passages")
    run(model, SYSTEM + "\n" + passages(12), "这些资料里提到了哪些人？", "long C, other passages (cold)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB  [{load()}]", flush=True)


if __name__ == "__main__":
    main()
