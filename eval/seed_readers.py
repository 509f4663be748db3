"""The seed page's questions read by the extractive and the LLM reader, on the same hits.

    python eval/seed_readers.py                    # all 93 questions (74 answerable, 19 not)
    python eval/seed_readers.py --quick            # the quick subset of eval/_setups.py
    python eval/seed_readers.py --quick-refusals   # the quick subset and all 19 unanswerable (34)
    python eval/seed_readers.py --drafts D.jsonl   # reuse / extend cached model drafts

Scored as `python -m eval seed` scores answers (eval/_seed.py `score_answers`): answer
accuracy and citation precision on answerable questions, refusals on unanswerable ones,
wrong refusals; plus, for the LLM reader, the share of its sentences verification dropped
and how many answers came from the extractive fallback. The seed questions were written
for the extractive reader; the LLM reader's prompt and verifier were not tuned on them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant._read_extractive import ExtractiveReader
from assistant._read_llm import LLMReader
from assistant._search import Searcher
from assistant.config import Settings
from eval import _seed
from eval._drafts import Drafts
from eval._setups import QUICK_QUESTIONS


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the quick subset (20 questions)")
    ap.add_argument(
        "--quick-refusals", action="store_true", help="the quick subset and every unanswerable question (34)"
    )
    ap.add_argument("--drafts", type=Path, default=None)
    ap.add_argument("--runtime", default="openvino")
    ap.add_argument(
        "--fallback", choices=["always", "agree", "never"], default=None, help="LLM reader fallback"
    )
    ap.add_argument("--cached-only", action="store_true", help="skip items with no cached draft")
    ap.add_argument("--llm-passages", type=int, default=None, help="top hits the model reads (settings)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    base = Settings.from_env(
        embed_runtime=args.runtime, llm_fallback=args.fallback, llm_passages=args.llm_passages
    )
    questions = _seed.load_questions(ids=QUICK_QUESTIONS if args.quick else None)
    if args.quick_refusals:
        questions = [q for q in questions if q.id in QUICK_QUESTIONS or not q.answerable]
    with tempfile.TemporaryDirectory(prefix="seed-readers-") as tmp:
        index = _seed.open_seed_index(base, index_root=Path(tmp))
        settings = index.settings
        searcher = Searcher(index)
        extractive = ExtractiveReader(settings, index)
        llm = LLMReader(settings, index, fallback=extractive)
        drafts = Drafts(args.drafts or Path(settings.cache_dir) / "eval" / "seed-llm-drafts.jsonl")
        outputs: dict[str, list[dict[str, Any]]] = {"extractive": [], "llm": []}
        seconds, sents, dropped, fallback = [], 0, 0, 0
        scored: list[_seed.Question] = []
        for q in questions:
            hits = searcher.search(q.question, settings.k)
            d = drafts.get(llm, q.question, hits, generate=not args.cached_only)
            if d is None:
                continue
            scored.append(q)
            seconds.append(d["seconds"])
            a = llm.finish(q.question, hits, d["raw"])
            v = [x for x in a.verification if "sentence" in x]
            sents += len(v)
            dropped += sum(not x["kept"] for x in v)
            fallback += a.reader == "extractive" and not a.refused
            outputs["llm"].append(a.to_json())
            outputs["extractive"].append(extractive.read(q.question, hits).to_json())
            if args.verbose:
                print(f"[{q.id}] {q.question} answers={q.answers} answerable={q.answerable}")
                print(f"   draft {d['raw']!r}\n   -> {a.answer[:150]!r}")
                for x in v:
                    print(
                        f"   {'KEEP' if x['kept'] else 'DROP'} {x['sentence'][:60]} :: {x.get('reason', '')}"
                    )
        result: dict[str, Any] = {"questions": len(scored)}
        for name, outs in outputs.items():
            s = _seed.score_answers(scored, outs)
            for key in (
                "answer_accuracy",
                "answer_accuracy_by_quote",
                "citation_precision",
                "refusal_rate_unanswerable",
                "wrong_refusal_rate",
            ):
                result[f"{name}.{key}"] = s[key]
        result["llm.sentences"] = sents
        result["llm.dropped_share"] = round(dropped / sents, 4) if sents else None
        result["llm.fallback_answers"] = fallback
        result["llm.generation_p50_s"] = round(statistics.median(seconds), 2) if seconds else None
    for key, value in result.items():
        print(f"{key:<40} {value}")
    if args.json:
        args.json.write_text(json.dumps({"metrics": result, "outputs": outputs}, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
