"""A trial set written by hand (new articles, questions with gold fixed before any run), read by
both readers on the same hits.

    python eval/trial_readers.py eval/trials/t20             # both readers, drafts cached
    python eval/trial_readers.py eval/trials/t21 --cached-only -v

A trial folder holds `articles.jsonl` (the corpus JSONL format: id, title, date, source,
byline, text) and `questions.jsonl`: {"id", "question", "answerable", "gold": [any of],
"gold_all": [all of], "article", "kind"}. An answer is right when it is not a refusal and its
text holds one of `gold` (or all of `gold_all`); "wrong" is any other non-refusal; an
unanswerable question is right when refused. Gold strings are matched after removing
thousands separators and spaces, so "1,200" and "1200" are one answer.

Why this exists: every RGB query has been used to tune or to measure (eval/README.md,
"Readers"), so new kinds of fault are found and measured on sets like these: one set read
for kinds, another kept out of tuning and run once on the final code.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant._index import NewsIndex
from assistant._load_corpus import load_paths
from assistant._read_extractive import ExtractiveReader
from assistant._read_llm import LLMReader, parse
from assistant._search import Searcher
from assistant.config import Settings
from eval._drafts import Drafts


def _plain(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})|\s+", "", text).lower()


def judge(q: dict[str, Any], out: dict[str, Any]) -> str:
    """'right', 'wrong' or 'refused' (answerable); 'right' or 'wrong' (unanswerable)."""
    refused = bool(out.get("refused"))
    if not q["answerable"]:
        return "right" if refused else "wrong"
    if refused:
        return "refused"
    text = _plain(str(out.get("answer", "")))
    every = [_plain(g) for g in q.get("gold_all") or []]
    some = [_plain(g) for g in q.get("gold") or []]
    ok = (not every or all(g in text for g in every)) and (not some or any(g in text for g in some))
    return "right" if ok else "wrong"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--drafts", type=Path, default=None)
    ap.add_argument("--cached-only", action="store_true", help="skip questions with no cached draft")
    ap.add_argument("--json", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    lines = (args.folder / "questions.jsonl").read_text("utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    base = Settings.from_env()
    with tempfile.TemporaryDirectory(prefix="trial-readers-") as tmp:
        settings = base.with_(index_dir=Path(tmp) / "index")
        loaded = load_paths([args.folder / "articles.jsonl"])
        index = NewsIndex(settings)
        index.ingest(loaded.articles, whole_files=loaded.files)
        searcher = Searcher(index)
        extractive = ExtractiveReader(settings, index)
        llm = LLMReader(settings, index, fallback=extractive)
        name = args.folder.resolve().name
        drafts = Drafts(args.drafts or Path(settings.cache_dir) / "eval" / f"trial-{name}-drafts.jsonl")
        tally: dict[str, Counter[str]] = {"extractive": Counter(), "llm": Counter(), "model alone": Counter()}
        rows, seconds = [], []
        sents = dropped = 0
        for q in questions:
            hits = searcher.search(q["question"], settings.k)
            d = drafts.get(llm, q["question"], hits, generate=not args.cached_only)
            if d is None:
                continue
            seconds.append(d["seconds"])
            outs = {
                "llm": llm.finish(q["question"], hits, d["raw"]).to_json(),
                "extractive": extractive.read(q["question"], hits).to_json(),
            }
            row: dict[str, Any] = {"id": q["id"], "question": q["question"], "answerable": q["answerable"]}
            for reader, out in outs.items():
                verdict = judge(q, out)
                tally[reader][("a." if q["answerable"] else "u.") + verdict] += 1
                row[reader] = {"verdict": verdict, "answer": out["answer"], "reader": out.get("reader")}
            # the model alone, unverified: its draft read as the answer (what verification changes)
            draft = parse(d["raw"], len(llm.shown(hits)))
            alone = judge(q, {"refused": draft.declined, "answer": draft.answer})
            tally["model alone"][("a." if q["answerable"] else "u.") + alone] += 1
            v = [x for x in outs["llm"].get("verification") or [] if "sentence" in x]
            sents += len(v)
            dropped += sum(not x["kept"] for x in v)
            rows.append(row)
            if args.verbose:
                print(f"[{q['id']}] {q['question']} gold={q.get('gold') or q.get('gold_all')}")
                print(f"   draft {d['raw']!r}")
                for reader in ("llm", "extractive"):
                    r = row[reader]
                    print(f"   {reader:<10} {r['verdict']:<7} {r['answer'][:140]!r}")
                for x in v:
                    mark = "KEEP" if x["kept"] else "DROP"
                    print(f"   {mark} {x['sentence'][:60]} :: {x.get('reason', '')}")
    n_a = sum(q["answerable"] for q in questions if any(r["id"] == q["id"] for r in rows))
    n_u = len(rows) - n_a
    print(f"{args.folder}: {n_a} answerable, {n_u} unanswerable")
    for reader, t in tally.items():
        print(
            f"  {reader:<11} answerable: {t['a.right']} right, {t['a.wrong']} wrong,"
            f" {t['a.refused']} refused; unanswerable: {t['u.right']}/{n_u} refused"
        )
    if sents:
        print(f"  llm sentences dropped {dropped}/{sents}; draft p50 {statistics.median(seconds):.1f} s")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
