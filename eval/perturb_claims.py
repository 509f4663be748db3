"""Perturbation claims (issue 11): claims from real news whose verdict is known by construction.

`python eval/perturb_claims.py [--seed N] [--n-articles K] [--n-fenbie F] [--out DIR] [--show]`

From the CRUD-news collection (../shared/data/crud-news, never committed) the seed samples
K articles and takes one sentence of each (15-80 characters, the one most kinds can change),
plus F articles with an "A、B分别X和Y" sentence. `eval/_perturb.py` turns each sentence into
claims: the sentence itself (supported), a figure or its unit changed, a date shifted, a
name swapped for one the article never prints, a direction flipped, a narrowing qualifier
added, the two sides of 分别 swapped. The source articles and at least as many distractor
articles (the same topic words, near-duplicates of a source left out) go into a fresh index
under --out, each claim is checked with `assistant._check.check_claim` (the function behind
`python -m assistant check --batch`), and the verdicts are scored per kind.

Splits: **seed 1 is the development split** (tune on it); **seed 2, and any other seed, is
held out** (report it, never tune on it). Not a test: it needs ../shared/data and the real
embedder, and takes minutes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval import _perturb as P

CRUD_FILE = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "crud-news" / "crud_news.jsonl.gz"
)
VERDICTS = ("supported", "contradicted", "not_found", "error")
TARGETS = {
    "false_supported_rate": ("<=", 0.01),
    "true_supported": (">=", 0.90),
    "number_contradicted": (">=", 0.90),
}


def load_collection(path: Path = CRUD_FILE) -> list[dict[str, Any]]:
    """The CRUD-news articles ({"id", "date", "source", "author", "text"}), in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _rng(seed: int, key: str) -> random.Random:
    """One generator per (seed, article): a claim does not depend on what was sampled before it."""
    return random.Random(f"{seed}:{key}")


def _best_sentence(
    art: dict[str, Any], seed: int, pools: P.Pools, skipped: Counter[str], fenbie: bool = False
) -> tuple[str, list[P.Perturbation]] | None:
    """The article's sentence that the most kinds can change (ties: the earlier one)."""
    best: tuple[int, str, list[P.Perturbation]] | None = None
    for s in P.sentences(art["text"]):
        if not P.eligible(s) or (fenbie and not P.has_fenbie(s)):
            continue
        trial: Counter[str] = Counter()
        ps = P.perturb(s, art["text"], art.get("date"), pools, _rng(seed, art["id"] + s), trial)
        kinds = P.altered_kinds(ps)
        if fenbie and "fenbie" not in kinds:
            continue
        if len(kinds) >= (1 if fenbie else 2) and (best is None or len(kinds) > best[0]):
            best = (len(kinds), s, ps)
            best_skips = trial
    if best is None:
        return None
    skipped.update(best_skips)
    return best[1], best[2]


def build_claims(
    arts: list[dict[str, Any]], seed: int, n_articles: int, n_fenbie: int, log: Any = print
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[int], Counter[str]]:
    """(claim rows, source articles, the shuffled order of the collection, filter counts)."""
    order = list(range(len(arts)))
    random.Random(seed).shuffle(order)
    # Names to swap in come from articles at the far end of the order (never sources).
    pools = P.build_pools(arts[i]["text"][:500] for i in order[-300:])
    log(f"name pools: {', '.join(f'{t} {len(v)}' for t, v in pools.names.items())}")
    skipped: Counter[str] = Counter()
    chosen: list[tuple[dict[str, Any], str, list[P.Perturbation]]] = []
    seen_sentences: set[str] = set()

    def take(i: int, fenbie: bool) -> None:
        art = arts[i]
        if len(art["text"]) < 200 or any(s in art["text"] for s in seen_sentences):
            return  # too short, or a near-duplicate of a source already taken
        got = _best_sentence(art, seed, pools, skipped, fenbie)
        if got:
            chosen.append((art, *got))
            seen_sentences.add(got[0])

    for i in order:
        if sum(1 for _, s, _ in chosen if "分别" in s) >= n_fenbie:
            break
        if "分别" in arts[i]["text"] and P.has_fenbie_text(arts[i]["text"]):
            take(i, fenbie=True)
    for i in order:
        if len(chosen) >= n_articles + n_fenbie:
            break
        if all(arts[i]["id"] != a["id"] for a, _, _ in chosen):
            take(i, fenbie=False)
    rows = []
    for art, sentence, ps in chosen:
        for j, p in enumerate(ps):
            rows.append(P.record(f"{art['id']}-{j}", p, sentence, art["id"]))
    return rows, [a for a, _, _ in chosen], order, skipped


def _grams(text: str, n: int = 8) -> set[str]:
    return {text[i : i + n] for i in range(0, max(0, len(text) - n + 1), 2)}


def pick_distractors(
    arts: list[dict[str, Any]],
    sources: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    order: list[int],
    per: int,
) -> tuple[list[dict[str, Any]], int]:
    """`per` articles for each source from the same month sharing the most of its sentence's
    words (names first), none a near-duplicate of any source (sharing a 12-character run with a
    source sentence, or over a fifth of their 8-grams). Returns (distractors, near-duplicates left out)."""
    import jieba

    taken = {a["id"] for a in sources}
    source_sentence = {r["article_id"]: r["source"] for r in rows if r["kind"] == "same"}
    pool = [arts[i] for i in order[len(order) // 3 : len(order) // 3 + 6000] if arts[i]["id"] not in taken]
    src_grams = {a["id"]: _grams(a["text"]) for a in sources}
    runs = {s[i : i + 12] for s in source_sentence.values() for i in range(0, len(s) - 11, 3)}
    out: list[dict[str, Any]] = []
    dropped = 0
    for src in sources:
        sent = source_sentence[src["id"]]
        words = {w for w in jieba.lcut(sent) if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)}
        names = {n for n, _ in P.entities(sent)}
        month = (src.get("date") or "")[:7]
        scored = []
        for cand in pool:
            if cand["id"] in taken or (month and (cand.get("date") or "")[:7] not in (month, "")):
                continue
            text = cand["text"]
            score = sum(2 for n in names if n in text) + sum(1 for w in words if w in text)
            if score:
                scored.append((score, cand["id"], cand))
        scored.sort(key=lambda t: (-t[0], t[1]))
        n = 0
        for _, _, cand in scored:
            if n >= per:
                break
            g = _grams(cand["text"])
            near = any(r in cand["text"] for r in runs) or any(
                len(g & sg) > 0.2 * min(len(g), len(sg) or 1) for sg in src_grams.values()
            )
            if near:
                dropped += 1
                taken.add(cand["id"])
                continue
            out.append(cand)
            taken.add(cand["id"])
            n += 1
    return out, dropped


def new_value(row: dict[str, Any]) -> str | None:
    """What the claim says that its source does not: 450, 2.9元, 8月15日, 周建华, 首批, 下降8.5%."""
    changed, kind = row["changed"], row["kind"]
    if kind in ("same", "fenbie") or not changed:
        return None
    if kind == "qualifier":
        return changed.lstrip("+").rstrip("，")
    new = changed.split(" -> ")[-1]
    if kind == "direction":
        at = row["claim"].find(new)
        return row["claim"][at : at + len(new) + 4] if at >= 0 else new
    return new


def drop_told_elsewhere(
    rows: list[dict[str, Any]], indexed: list[dict[str, Any]], skipped: Counter[str]
) -> list[dict[str, Any]]:
    """Altered claims whose new value some other indexed article prints beside most of the
    claim's words are dropped: that article may state the altered claim about its own subject
    (another model of the same product, the same event a year earlier)."""
    import jieba

    kept = []
    for r in rows:
        value = new_value(r)
        if value:
            words = {w for w in jieba.lcut(r["claim"]) if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)}
            for a in indexed:
                if a["id"] == r["article_id"] or value not in a["text"] or not words:
                    continue
                if sum(w in a["text"] for w in words) >= 0.5 * len(words):
                    skipped[f"{r['kind']}: the new value is printed in a same-topic distractor"] += 1
                    break
            else:
                kept.append(r)
            continue
        kept.append(r)
    return kept


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Confusion per kind (and per sub-kind), the issue's three targets, accuracy per kind."""
    conf: dict[str, Counter[str]] = {}
    for r in rows:
        for key in (r["kind"], f"{r['kind']}/{r['sub']}" if r["sub"] else None):
            if key:
                conf.setdefault(key, Counter())[r["verdict"]] += 1
    altered = [r for r in rows if r["kind"] != "same"]
    same = [r for r in rows if r["kind"] == "same"]
    number = [r for r in rows if r["kind"] == "number"]

    def share(part: list[dict[str, Any]], verdict: str) -> float:
        return round(sum(r["verdict"] == verdict for r in part) / len(part), 4) if part else 0.0

    metrics = {
        "claims": len(rows),
        "altered": len(altered),
        "false_supported": sum(r["verdict"] == "supported" for r in altered),
        "false_supported_rate": share(altered, "supported"),
        "true_supported": share(same, "supported"),
        "number_contradicted": share(number, "contradicted"),
        "accuracy": round(sum(r["ok"] for r in rows) / len(rows), 4) if rows else 0.0,
    }
    for k in P.KINDS:
        part = [r for r in rows if r["kind"] == k]
        metrics[f"{k}_n"] = len(part)
        metrics[f"{k}_accuracy"] = round(sum(r["ok"] for r in part) / len(part), 4) if part else 0.0
        metrics[f"{k}_supported"] = share(part, "supported")
    met = {
        name: (metrics[name] <= bound if op == "<=" else metrics[name] >= bound)
        for name, (op, bound) in TARGETS.items()
    }
    return {
        "metrics": metrics,
        "targets_met": met,
        "confusion": {k: dict(v) for k, v in sorted(conf.items())},
    }


def table(summary: dict[str, Any]) -> str:
    """The confusion matrix per kind (rows) and verdict (columns), then the targets."""
    conf, m = summary["confusion"], summary["metrics"]
    lines = [f"{'kind':22} {'expected':24} " + " ".join(f"{v:>12}" for v in VERDICTS) + "  accuracy"]
    for key in sorted(conf, key=lambda k: (P.KINDS.index(k.split("/")[0]), k)):
        kind = key.split("/")[0]
        n = sum(conf[key].values())
        ok = sum(conf[key].get(v, 0) for v in P.EXPECTED[kind])
        exp = "/".join(sorted(P.EXPECTED[kind])) if "/" not in key else ""
        cells = " ".join(f"{conf[key].get(v, 0):>12}" for v in VERDICTS)
        lines.append(f"{key:22} {exp:24} {cells}  {ok}/{n} = {ok / n:.3f}")
    for name, (op, bound) in TARGETS.items():
        flag = "met" if summary["targets_met"][name] else "MISSED"
        lines.append(f"{name:22} {m[name]:.4f}  (target {op} {bound})  {flag}")
    lines.append(f"false supported: {m['false_supported']}/{m['altered']} altered claims")
    return "\n".join(lines)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1, help="1 = development split; 2 or any other = held out")
    ap.add_argument("--n-articles", type=int, default=150, help="source articles (one sentence each)")
    ap.add_argument("--n-fenbie", type=int, default=40, help="extra source articles with a 分别 sentence")
    ap.add_argument("--distractors", type=int, default=1, help="distractor articles per source article")
    ap.add_argument(
        "--out", type=Path, default=None, help="claims, articles, index and results (default: cache)"
    )
    ap.add_argument(
        "--show", action="store_true", help="print every claim whose verdict is not the expected one"
    )
    ap.add_argument(
        "--dry-run", action="store_true", help="write the claims and articles only: no index, no checks"
    )
    args = ap.parse_args()
    if not CRUD_FILE.is_file():
        print(f"skipped: {CRUD_FILE} not found (see ../shared/data/README.md)")
        return 0

    from assistant._check import check_claim
    from assistant._index import NewsIndex
    from assistant._search import Searcher
    from assistant.config import Settings
    from assistant.errors import EmptyQueryError, InputError
    from assistant.records import Article

    base = Settings.from_env()
    out = args.out or Path(base.cache_dir) / "eval" / f"perturb-seed{args.seed}"
    out.mkdir(parents=True, exist_ok=True)
    split = "dev" if args.seed == 1 else "held-out"
    t0 = time.perf_counter()
    arts = load_collection()
    rows, sources, order, skipped = build_claims(arts, args.seed, args.n_articles, args.n_fenbie)
    distractors, near_dups = pick_distractors(arts, sources, rows, order, args.distractors)
    rows = drop_told_elsewhere(rows, sources + distractors, skipped)
    t_gen = time.perf_counter() - t0
    print(
        f"seed {args.seed} ({split}): {len(rows)} claims from {len(sources)} source articles, "
        f"{len(distractors)} distractors ({near_dups} near-duplicates left out), {t_gen:.0f} s",
        flush=True,
    )
    indexed = sources + distractors
    with (out / "articles.jsonl").open("w", encoding="utf-8") as f:
        for a in indexed:
            f.write(
                json.dumps({**a, "role": "source" if a in sources else "distractor"}, ensure_ascii=False)
                + "\n"
            )
    with (out / "claims.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    if args.dry_run:
        print(f"wrote {out / 'claims.jsonl'} and {out / 'articles.jsonl'}; filtered: {dict(skipped)}")
        return 0

    # The index under --out holds exactly these articles: a rerun removes the ones no longer
    # sampled and embeds only the new ones.
    settings = base.with_(index_dir=out / "index", chroma_host=None, collection="perturb")
    t1 = time.perf_counter()
    index = NewsIndex(settings)
    if (out / "index").is_dir() and index.count():
        wanted = {a["id"] for a in indexed}
        index.remove([a["id"] for a in index.list_articles() if a["id"] not in wanted])
    index.ingest(
        [
            Article(
                id=a["id"],
                title="",
                text=a["text"],
                date=a.get("date"),
                source=a.get("source") or "CRUD-news",
            )
            for a in indexed
        ]
    )
    t_index = time.perf_counter() - t1
    print(f"index: {index.count()} passages from {len(indexed)} articles, {t_index:.0f} s", flush=True)

    searcher = Searcher(index)
    t2 = time.perf_counter()
    for n, r in enumerate(rows, 1):
        if n % 100 == 0:
            took = time.perf_counter() - t2
            print(f"  checked {n}/{len(rows)} ({took:.0f} s)", file=sys.stderr, flush=True)
        try:
            res = check_claim(searcher, r["claim"], settings)
            r["verdict"], r["explanation"] = res.verdict, res.explanation
            r["cited"] = [c.article_id for c in res.citations]
            r["quote"] = res.citations[0].quote if res.citations else ""
        except (EmptyQueryError, InputError) as e:
            r["verdict"], r["explanation"], r["cited"], r["quote"] = "error", str(e), [], ""
        r["ok"] = r["verdict"] in r["expected"]
        if args.show and not r["ok"]:
            print(
                f"XX {r['kind']}/{r['sub']} want {'|'.join(r['expected'])} got {r['verdict']}: {r['claim']}"
                f"\n   changed {r['changed'] or '-'} | {r['explanation'][:100]} | {r['quote'][:70]}",
                flush=True,
            )
    t_check = time.perf_counter() - t2
    summary = score(rows)
    timing = {
        "generate_s": round(t_gen, 1),
        "index_s": round(t_index, 1),
        "check_s": round(t_check, 1),
        "per_claim_ms": round(1000 * t_check / max(1, len(rows)), 1),
        "cpu": _cpu(),
        "cores": os.cpu_count(),
    }
    result = {
        "seed": args.seed,
        "split": split,
        "articles": {
            "sources": len(sources),
            "distractors": len(distractors),
            "near_duplicates_left_out": near_dups,
        },
        "passages": index.count(),
        "filtered": dict(sorted(skipped.items())),
        "timing": timing,
        **summary,
        "rows": rows,
    }
    (out / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nPerturbation claims, seed {args.seed} ({split}), {len(rows)} claims:\n{table(summary)}")
    print("filtered by the generator: " + "; ".join(f"{k} {v}" for k, v in sorted(skipped.items())))
    print(
        f"time: generate {t_gen:.0f} s, index {t_index:.0f} s, check {t_check:.0f} s "
        f"({timing['per_claim_ms']:.0f} ms/claim) on {timing['cpu']}, {timing['cores']} cores"
    )
    print(f"wrote {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
