"""Latency of the LLM reader on this machine: model load, first token, full answer, memory.

    .venv/bin/python benchmarks/llm_latency.py                       # 12 seed questions, packaged model
    .venv/bin/python benchmarks/llm_latency.py --questions 30 --json out.json
    .venv/bin/python benchmarks/llm_latency.py --llm-base-url http://127.0.0.1:8080/v1 --llm-model m

Over a fresh index of corpus/ (the seed page), each question goes through the whole chain
(retrieval, prompt, generation, verification). Printed per run: the CPU and load average
(figures move with both), model load seconds, RSS after load, and p50 / p95 of
- first token: from the question to the first streamed chunk, which is the passages the model
  names before answering (`Sources`, its 编号 line: 依据资料[1]) or, when it names none, the
  answer line's first chunk;
- first answer word: from the question to the first chunk of the answer line itself;
- full answer: from the question to the verified `Answer`;
beside the extractive reader's full-answer p50 on the same questions, in the same run.
A follow-up turn (the same passages, a second question) shows what the conversation costs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant._answer import Assistant
from assistant._calibrate import cpu_info
from assistant._index import NewsIndex
from assistant._load_corpus import load_paths
from assistant._read_llm import Sources
from assistant.config import Settings
from assistant.records import Answer
from eval._metrics import percentile

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def questions(n: int) -> list[str]:
    rows = [
        json.loads(x) for x in (ROOT / "eval" / "seed_questions.jsonl").read_text("utf-8").splitlines() if x
    ]
    step = max(1, len(rows) // n)
    return [r["question"] for r in rows[::step]][:n]


def timed_stream(assistant: Assistant, q: str, history: list[tuple[str, str]] | None = None) -> dict:
    t0 = time.perf_counter()
    first = word = None
    answer: Answer | None = None
    for piece in assistant.stream(q, history=history):
        if isinstance(piece, Answer):
            answer = piece
            continue
        if first is None:
            first = time.perf_counter() - t0
        if word is None and not isinstance(piece, Sources):
            word = time.perf_counter() - t0
    total = time.perf_counter() - t0
    assert answer is not None
    return {
        "first_s": first if first is not None else total,
        "word_s": word if word is not None else total,
        "total_s": total,
        "answer": answer,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=int, default=12)
    ap.add_argument("--llm-base-url", default=None)
    ap.add_argument("--llm-model", default=None)
    ap.add_argument("--llm-passages", type=int, default=None, help="top hits the model reads")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    cpu = cpu_info()
    print(f"CPU: {cpu.line()}; load average {os.getloadavg()[0]:.1f}", flush=True)
    qs = questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="bench-llm-") as tmp:
        settings = Settings.from_env(
            index_dir=Path(tmp) / "index",
            llm_base_url=args.llm_base_url,
            llm_model=args.llm_model,
            llm_passages=args.llm_passages,
        )
        index = NewsIndex(settings)
        seed = load_paths([ROOT / "corpus"])
        index.ingest(seed.articles, whole_files=seed.files)
        extractive = Assistant(settings.with_(reader="extractive"), index)
        extractive.ask(qs[0])  # warm retrieval and the embedder
        ext_s = []
        for q in qs:
            t0 = time.perf_counter()
            extractive.ask(q)
            ext_s.append(time.perf_counter() - t0)
        llm = Assistant(settings.with_(reader="llm"), index)
        rss0 = rss_mb()
        t0 = time.perf_counter()
        from assistant._chat import describe

        llm.reader.warm()  # type: ignore[attr-defined]  # load, compile, system prompts cached (as the app)
        load_s = time.perf_counter() - t0
        print(
            f"model: {describe(settings)}, reads {settings.llm_passages} passages; "
            f"load + first call {load_s:.1f} s; RSS {rss_mb():.0f} MB "
            f"(before {rss0:.0f} MB)",
            flush=True,
        )
        rows = []
        for q in qs:
            r = timed_stream(llm, q)
            a: Answer = r.pop("answer")
            sents = [v for v in a.verification if "sentence" in v]
            r.update(
                question=q,
                refused=a.refused,
                reader=a.reader,
                sentences=len(sents),
                dropped=sum(not v["kept"] for v in sents),
            )
            rows.append(r)
            print(
                f"  {r['first_s']:5.1f} s first, {r['word_s']:5.1f} s answer word,"
                f" {r['total_s']:5.1f} s total"
                f"  {a.reader:10s} {q}",
                flush=True,
            )
        follow = timed_stream(llm, "那它是哪天的报道？", history=[(qs[0], "…")])
        follow.pop("answer")
        first = [r["first_s"] for r in rows]
        word = [r["word_s"] for r in rows]
        total = [r["total_s"] for r in rows]
        result = {
            "cpu": cpu.line(),
            "load_average_end": os.getloadavg()[0],
            "model": describe(settings),
            "llm_passages": settings.llm_passages,
            "load_s": round(load_s, 1),
            "rss_mb": round(rss_mb()),
            "first_token_p50_s": round(statistics.median(first), 2),
            "first_token_p95_s": round(percentile(first, 95), 2),
            "answer_word_p50_s": round(statistics.median(word), 2),
            "answer_word_p95_s": round(percentile(word, 95), 2),
            "answer_p50_s": round(statistics.median(total), 2),
            "answer_p95_s": round(percentile(total, 95), 2),
            "extractive_answer_p50_s": round(statistics.median(ext_s), 3),
            "follow_up_total_s": round(follow["total_s"], 2),
            "sentences": sum(r["sentences"] for r in rows),
            "dropped": sum(r["dropped"] for r in rows),
            "rows": rows,
        }
        print(
            "first token p50 {first_token_p50_s} s, p95 {first_token_p95_s} s; first answer word p50 "
            "{answer_word_p50_s} s, p95 {answer_word_p95_s} s; answer p50 {answer_p50_s} s, "
            "p95 {answer_p95_s} s (extractive p50 {extractive_answer_p50_s} s); "
            "follow-up {follow_up_total_s} s; "
            "load {load_s} s; peak RSS {rss_mb} MB; dropped {dropped}/{sentences} sentences; "
            "load average at the end {load_average_end:.1f}".format(**result)
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
