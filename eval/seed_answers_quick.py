"""Quick check of the answerer on the seed page's development questions.

    HF_HUB_OFFLINE=1 .venv/bin/python eval/seed_answers_quick.py [--hash] [--verbose]

Indexes the seed page into a temporary folder (real embedder unless --hash), asks
every question of eval/seed_questions.jsonl and prints:
- answerable answered correctly: an accepted string is in the answer AND in a citation quote;
- unanswerable refused; answerable wrongly refused.
The full evaluation is `python -m eval`; this is the short loop for tuning.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant._answer import Assistant  # noqa: E402
from assistant._index import NewsIndex  # noqa: E402
from assistant._load_corpus import load_paths  # noqa: E402
from assistant.config import Settings  # noqa: E402

SEED = ROOT / "corpus" / "jiaxing-daily_pinghu-edition_page-f157e6cd94a7ab20.txt"


def correct(answer: dict, accepted: list[str]) -> bool:
    quotes = [c["quote"] for c in answer["citations"]]
    return any(a in answer["answer"] and any(a in q for q in quotes) for a in accepted)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hash", action="store_true", help="use the test HashEmbedder (fast, for logic only)")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument(
        "--features", action="store_true", help="print the best candidate's features per question"
    )
    ap.add_argument("--questions", default=str(ROOT / "eval" / "seed_questions.jsonl"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(index_dir=Path(tmp) / "index")
        if args.hash:
            from tests.conftest import HashEmbedder

            index = NewsIndex(settings, embedder=HashEmbedder())
        else:
            index = NewsIndex(settings)
        index.ingest(load_paths([SEED]).articles)
        assistant = Assistant(settings, index)
        rows = [
            json.loads(line)
            for line in Path(args.questions).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        ok = refused_right = wrong_refused = n_ans = n_un = 0
        times = []
        for r in rows:
            t0 = time.perf_counter()
            a = assistant.ask(r["question"]).to_json()
            times.append(time.perf_counter() - t0)
            if args.features:
                hits = [h for h in assistant._retrieve(assistant._prepare({"question": r["question"]}))]
                f = assistant.explain(r["question"], hits)
                print(
                    f"FEAT {r['id']} ans={int(r['answerable'])} lang={r['lang']} type={f.get('type')} "
                    f"cov={f.get('coverage')} dense={f.get('dense')} "
                    f"holds={int(any(x in f.get('clause', '') for x in r['answers']))}"
                )
            if r["answerable"]:
                n_ans += 1
                good = correct(a, r["answers"])
                ok += good
                wrong_refused += a["refused"]
                mark = "ok " if good else ("REF" if a["refused"] else "BAD")
            else:
                n_un += 1
                refused_right += a["refused"]
                mark = "ok " if a["refused"] else "ANS"
            if args.verbose or mark.strip() != "ok":
                print(f"{mark} {r['id']} {r['question']}\n    -> {a['answer'][:160]}")
                if args.verbose and mark.strip() != "ok":
                    hits = assistant._retrieve(assistant._prepare({"question": r["question"]}))
                    print(f"    best: {assistant.explain(r['question'], hits)}")
        times.sort()
        print(
            f"answerable correct with citation: {ok}/{n_ans} = {ok / n_ans:.1%}\n"
            f"answerable wrongly refused:       {wrong_refused}/{n_ans} = {wrong_refused / n_ans:.1%}\n"
            f"unanswerable refused:             {refused_right}/{n_un} = {refused_right / n_un:.1%}\n"
            f"latency p50 {times[len(times) // 2] * 1000:.0f} ms, "
            f"p95 {times[int(len(times) * 0.95)] * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
