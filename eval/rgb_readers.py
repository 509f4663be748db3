"""RGB zh_refine: the extractive and the LLM reader on the same retrieval, answers and rejection.

    python eval/rgb_readers.py --split heldout                 # 40 held-out queries (the numbers reported)
    python eval/rgb_readers.py --split dev                     # the 40 queries the prompt was tuned on
    python eval/rgb_readers.py --split reserve                 # 20 more held-out queries (a second look)
    python eval/rgb_readers.py --split all                     # all 300 (hours with a CPU-only LLM)
    python eval/rgb_readers.py --split tune --extractive-only  # the 240 outside held-out and reserve
    python eval/rgb_readers.py --split held --extractive-only  # held-out + reserve (60), minutes
    python eval/rgb_readers.py --split heldout --drafts D.jsonl  # reuse / extend cached model drafts

Per query, one hybrid retrieval over the pooled RGB index (`eval/_rgb.py`) gives the top
k hits (answer accuracy) and the top k with the query's positives taken out (rejection:
refusing is right). Both readers read exactly those hits. Rejection counts only queries
where no passage shown to the reader holds the answer (RGB pools several queries on one
story, so another query's passage often does). A citation is precise when its quote is
the article's text at its offsets and either holds an accepted answer or lies inside one
of the query's positive passages.

Model drafts are cached in `--drafts` (default under the user cache), keyed by query,
mode and prompt, so the verifier can be re-run on the same drafts in seconds; the
generation time recorded with each draft gives the latency columns.
Splits: dev = random.Random(1).sample(range(300), 40); heldout = the first 40 of
random.Random(2).sample(the other 260, 60). The prompt and the verifier were tuned on dev
only (its first 20 queries: a CPU-only model takes ~30 s a draft on a busy 2-core machine).
`tune` (the 240 queries outside held-out and reserve, dev included) is what the extractive
reader's answer rules were tuned on in the third round; `held` is held-out + reserve (60).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant._read_extractive import ExtractiveReader
from assistant._read_llm import LLMReader, parse
from assistant._search import Searcher
from assistant.config import Settings
from assistant.records import Answer
from eval import _rgb
from eval._drafts import Drafts
from eval._metrics import norm, slots_match

DEV, HELDOUT, FRESH = 40, 40, 40
SLACK = 40  # retrieved beyond k, so k remain after the positives are taken out


def split_ids(name: str, n_queries: int = 300) -> list[int]:
    ids = list(range(n_queries))
    dev = random.Random(1).sample(ids, DEV)
    if name == "dev":
        return dev
    rest = [i for i in ids if i not in dev]
    held = random.Random(2).sample(rest, 60)
    if name == "heldout":
        return held[:HELDOUT]
    if name == "reserve":  # the last 20 of that sample: a second held-out set, for a second look
        return held[HELDOUT:]
    if name == "held":
        return held
    if name == "tune":
        return [i for i in ids if i not in set(held)]
    unused = [i for i in rest if i not in set(held)]
    fresh = random.Random(5).sample(unused, FRESH)
    if name == "fresh":  # 40 of the 200 no model draft had been made for before 2026-12-01
        return fresh
    fresh2 = random.Random(6).sample([i for i in unused if i not in set(fresh)], FRESH)
    if name == "fresh2":  # 40 more, drawn 2026-12-01 04:00 UTC, scored once after the verifier work
        return fresh2
    fresh3 = random.Random(7).sample([i for i in unused if i not in set(fresh) | set(fresh2)], FRESH)
    if name == "fresh3":  # 40 more, drawn 2026-12-01 07:50 UTC (third session); misses read 12-01 11:00
        return fresh3
    seen = set(fresh) | set(fresh2) | set(fresh3)
    fresh4 = random.Random(8).sample([i for i in unused if i not in seen], FRESH)
    if name == "fresh4":  # 40 more, drawn 2026-12-01 11:00 UTC (fourth session); misses read 11:35
        return fresh4
    if name == "fresh5":  # the last 40 RGB queries no split held, drawn 12-01 11:35; misses read 12-06 23:55
        return [i for i in unused if i not in seen | set(fresh4)]
    return ids


def citation_precise(a: Answer, q: _rgb.RgbQuery, data: _rgb.RgbData, index: Any) -> list[bool]:
    gold = [norm(data.text_of[aid]) for aid in q.positive]
    out = []
    for c in a.citations:
        art = index.get_article(c.article_id)
        exact = art is not None and art.text[c.start : c.end] == c.quote
        quote = norm(c.quote)
        out.append(exact and (slots_match(c.quote, list(q.answer)) or any(quote in g for g in gold)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    splits = ["dev", "heldout", "reserve", "fresh", "fresh2", "fresh3", "fresh4", "fresh5"]
    splits += ["held", "tune", "all"]
    ap.add_argument("--split", choices=splits, default="heldout")
    ap.add_argument("--extractive-only", action="store_true", help="no model drafts: the extractive reader")
    ap.add_argument("--drafts", type=Path, default=None, help="model drafts cache (JSON lines)")
    ap.add_argument("--runtime", default="openvino", help="embedding runtime of the RGB index")
    ap.add_argument(
        "--fallback", choices=["always", "agree", "never"], default=None, help="LLM reader fallback"
    )
    ap.add_argument("--cached-only", action="store_true", help="skip items with no cached draft")
    ap.add_argument("--llm-passages", type=int, default=None, help="top hits the model reads (settings)")
    ap.add_argument("--json", type=Path, help="write per-query rows and metrics here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every LLM miss")
    args = ap.parse_args()

    base = Settings.from_env(
        embed_runtime=args.runtime, llm_fallback=args.fallback, llm_passages=args.llm_passages
    )
    data = _rgb.load_rgb()
    index = _rgb.open_index(data, base, log=lambda m: print(m, flush=True))
    settings = index.settings
    searcher = Searcher(index)
    extractive = ExtractiveReader(settings, index)
    llm = LLMReader(settings, index, fallback=extractive)
    drafts = Drafts(args.drafts or Path(settings.cache_dir) / "eval" / "rgb-llm-drafts.jsonl")
    k = settings.k
    by_id = {q.id: q for q in data.queries}
    stats: dict[str, dict[str, list]] = {
        r: {"correct": [], "rejected": [], "precise": []} for r in ("extractive", "llm")
    }
    seconds, first, sents, dropped, fallback, skipped = [], [], 0, 0, 0, 0
    unverified: dict[str, list[bool]] = {"correct": [], "rejected": []}
    fallback_by = {"right": 0, "wrong": 0, "rejection": 0}
    rows = []
    for qid in split_ids(args.split, len(data.queries)):
        q = by_id[qid]
        deep = searcher.search(q.query, k + SLACK)
        pooled = deep[:k]
        excl = [h for h in deep if not _rgb.is_positive(h, q)][:k]
        row: dict[str, Any] = {"id": qid, "query": q.query}
        for mode, hits in (("pooled", pooled), ("excl", excl)):
            if mode == "excl" and (
                _rgb.answerable_without_positives(q, data)
                or any(slots_match(h.passage.text, list(q.answer)) for h in hits)
            ):
                skipped += 1
                continue

            def score(name: str, ans: Answer, mode: str = mode, q: Any = q, row: dict = row) -> None:
                s = stats[name]
                if mode == "pooled":
                    s["correct"].append(not ans.refused and slots_match(ans.answer, list(q.answer)))
                    if not ans.refused:
                        precise = citation_precise(ans, q, data, index)
                        s["precise"].extend(precise)
                        if args.verbose and name == "llm" and not all(precise):
                            bad = [c.quote for c, ok in zip(ans.citations, precise, strict=True) if not ok]
                            print(f"[{q.id} imprecise] {q.query} gold={q.answer}\n  {ans.answer[:160]!r}")
                            print("   quotes not holding the answer:", bad)
                else:
                    s["rejected"].append(ans.refused)
                row[f"{name}.{mode}"] = ans.answer[:200]

            if args.extractive_only:
                score("extractive", extractive.read(q.query, hits))
                continue
            d = drafts.get(llm, q.query, hits, generate=not args.cached_only)
            if d is None:
                continue
            seconds.append(d["seconds"])
            if d.get("first_s") is not None:
                first.append(d["first_s"])
            answers = {
                "extractive": extractive.read(q.query, hits),
                "llm": llm.finish(q.query, hits, d["raw"]),
            }
            # the model alone, unverified (what verification changes), numbering the hits it read
            draft = parse(d["raw"], len(llm.shown(hits)))
            if mode == "pooled":
                unverified["correct"].append(not draft.declined and slots_match(draft.answer, list(q.answer)))
            else:
                unverified["rejected"].append(draft.declined)
            a = answers["llm"]
            v = [x for x in a.verification if "sentence" in x]
            sents += len(v)
            dropped += sum(not x["kept"] for x in v)
            fallback += a.reader == "extractive" and not a.refused
            for name, ans in answers.items():
                score(name, ans)
            if a.reader == "extractive" and not a.refused:
                # what the extractive fallback gave: a right or wrong answer, or an answer where
                # refusing was right (eval/README.md, "Readers": the fallback's cost in rejection)
                key = "rejection" if mode == "excl" else "right" if stats["llm"]["correct"][-1] else "wrong"
                fallback_by[key] += 1
                row[f"llm.{mode}.fallback"] = True
            if args.verbose and (
                (mode == "pooled" and not stats["llm"]["correct"][-1])
                or (mode == "excl" and not stats["llm"]["rejected"][-1])
            ):
                print(
                    f"[{qid} {mode}] {q.query} gold={q.answer}\n  draft={d['raw']!r}\n  -> {a.answer[:160]!r}"
                )
                for x in v:
                    print(
                        f"   {'KEEP' if x['kept'] else 'DROP'} {x['sentence'][:60]} :: {x.get('reason', '')}"
                    )
        rows.append(row)

    def share(xs: list[bool]) -> float | None:
        return round(sum(xs) / len(xs), 4) if xs else None

    metrics: dict[str, Any] = {"split": args.split, "queries": len(rows), "rejection_skipped": skipped}
    metrics["extractive.rejection_queries"] = len(stats["extractive"]["rejected"])
    for name, s in stats.items():
        if args.extractive_only and name == "llm":
            continue
        metrics[f"{name}.answer_accuracy"] = share(s["correct"])
        metrics[f"{name}.rejection_rate"] = share(s["rejected"])
        metrics[f"{name}.citation_precision"] = share(s["precise"])
        metrics[f"{name}.citations"] = len(s["precise"])  # to pool precision over splits
    if not args.extractive_only:
        metrics["llm.rejection_queries"] = len(stats["llm"]["rejected"])
        metrics["model_alone.answer_accuracy"] = share(unverified["correct"])
        metrics["model_alone.rejection_rate"] = share(unverified["rejected"])
        metrics["llm.sentences"] = sents
        metrics["llm.dropped_share"] = round(dropped / sents, 4) if sents else None
        metrics["llm.fallback_answers"] = fallback
        metrics["llm.fallback_right/wrong/on_rejection"] = "/".join(str(v) for v in fallback_by.values())
        if seconds:
            metrics["llm.generation_p50_s"] = round(statistics.median(seconds), 2)
        if first:
            metrics["llm.first_token_p50_s"] = round(statistics.median(first), 2)
    for key, value in metrics.items():
        print(f"{key:<32} {value}")
    if args.json:
        args.json.write_text(
            json.dumps({"metrics": metrics, "rows": rows}, ensure_ascii=False, indent=1), "utf-8"
        )


if __name__ == "__main__":
    main()
