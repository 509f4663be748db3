"""The seed page's dev sets: questions (retrieval, answers, refusals, latency) and claims.

Everything is scored from the JSON the assistant's faces emit (Hit.to_json(),
Answer.to_json(), CheckResult.to_json()), the same objects `python -m assistant
batch` writes, so a score here is a score of what a user or a script receives.
The seed index lives in the user cache, keyed by model, runtime and chunking,
and is brought up to date incrementally on every run (a few seconds).

Relevance of a retrieved passage for a question (used by hit@k and MRR@10):

* its text contains the question's evidence quote (after normalisation), or
* it comes from the evidence's article and contains an accepted answer (the
  evidence may span fragments of a scattered article, or two passages), or
* the evidence is printed outside the body (headline, column, byline), and the passage
  comes from that article: every passage of it carries its headline.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant._facts import detect_language
from assistant.config import Settings
from assistant.records import Article

from ._metrics import contains_any, first_rank, latency_summary, norm, rank_metrics, share

EVAL_DIR = Path(__file__).resolve().parent
ROOT = EVAL_DIR.parent
QUESTIONS = EVAL_DIR / "seed_questions.jsonl"
CLAIMS = EVAL_DIR / "seed_claims.jsonl"
CORPUS = ROOT / "corpus"
VERDICTS = ("supported", "contradicted", "not_found")
RETRIEVAL_DEPTH = 10


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    lang: str
    item: str
    answerable: bool
    answers: tuple[str, ...]
    evidence: str
    type: str


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    verdict: str
    evidence: str
    kind: str


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    from assistant.errors import InputError

    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise InputError(f"not JSON ({e.msg})", path=str(path), line=n) from e
    return rows


def load_questions(path: Path = QUESTIONS, ids: Sequence[str] | None = None) -> list[Question]:
    qs = [
        Question(
            id=r["id"],
            question=r["question"],
            lang=r.get("lang", "zh"),
            item=r.get("item", ""),
            answerable=bool(r["answerable"]),
            answers=tuple(r.get("answers") or ()),
            evidence=r.get("evidence") or "",
            type=r.get("type", ""),
        )
        for r in _read_jsonl(path)
    ]
    return [q for q in qs if q.id in set(ids)] if ids else qs


def load_claims(path: Path = CLAIMS, ids: Sequence[str] | None = None) -> list[Claim]:
    cs = [
        Claim(r["id"], r["claim"], r["verdict"], r.get("evidence") or "", r.get("kind", ""))
        for r in _read_jsonl(path)
    ]
    return [c for c in cs if c.id in set(ids)] if ids else cs


def load_corpus() -> list[Article]:
    from assistant._load_corpus import load_paths

    return load_paths([CORPUS]).articles


def seed_settings(base: Settings, index_root: Path | None = None) -> Settings:
    slug = re.sub(
        r"[^A-Za-z0-9._-]+",
        "_",
        f"{base.embed_model}-{base.embed_runtime}-c{base.chunk_max}-{base.chunk_overlap}",
    ).strip("_")
    root = index_root or Path(base.cache_dir) / "eval"
    return base.with_(index_dir=root / f"seed-{slug}", chroma_host=None, collection="seed")


def open_seed_index(base: Settings, embedder: Any = None, index_root: Path | None = None) -> Any:
    """The seed corpus indexed under the cache (incremental: unchanged articles cost nothing)."""
    from assistant._index import NewsIndex
    from assistant._load_corpus import load_paths

    settings = seed_settings(base, index_root)
    loaded = load_paths([CORPUS])
    index = NewsIndex(settings, embedder=embedder)
    index.ingest(loaded.articles, whole_files=loaded.files)
    return index


# -- relevance -------------------------------------------------------------------------


def _fragments(evidence: str) -> list[str]:
    return [f for f in re.split(r"…+|\.\.\.+|\s{2,}", evidence) if len(norm(f)) >= 2]


def _printed(a: Article) -> str:
    """Everything printed with an article: headline block, column, byline, body."""
    return " ".join((a.headline, a.column, a.byline, a.text))


def evidence_articles(q: Question, articles: Sequence[Article]) -> tuple[set[str], bool]:
    """(ids of the articles that hold the evidence, whether it is in their body text)."""
    if not q.evidence:
        return set(), False
    ev = norm(q.evidence)
    body = {a.id for a in articles if ev in norm(a.text)}
    if body:
        return body, True
    whole = {a.id for a in articles if ev in norm(_printed(a))}
    if whole:
        return whole, False
    # Fragments of a scattered article: the article holding most of them.
    frags = [norm(f) for f in _fragments(q.evidence)]
    scores = {a.id: sum(f in norm(_printed(a)) for f in frags) for a in articles}
    best = max(scores.values(), default=0)
    return ({aid for aid, s in scores.items() if s == best} if best else set()), True


def relevant(hit: dict[str, Any], q: Question, gold: set[str], in_body: bool) -> bool:
    text = hit.get("text", "")
    if q.evidence and norm(q.evidence) in norm(text):
        return True
    if hit.get("article_id") in gold:
        return (not in_body) or contains_any(text, q.answers)
    return False


# -- setups ------------------------------------------------------------------------------


def run_retrieval(
    questions: Sequence[Question],
    index: Any,
    articles: Sequence[Article],
    modes: Sequence[str] = ("hybrid", "dense", "dense+prf", "bm25"),
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """hit@k / MRR@10 over the answerable questions, per retriever; hits scored as JSON.

    "dense" is plain e5; "dense+prf" adds the configured pseudo-relevance feedback, which
    "hybrid" (the shipped default) uses too."""
    from assistant._search import Searcher

    answerable = [q for q in questions if q.answerable]
    out: dict[str, Any] = {}
    for label in modes:
        searcher = Searcher(index)
        mode = label.removesuffix("+prf")
        if label == "dense":
            searcher.settings = searcher.settings.with_(prf_docs=0)
        elif label == "dense+prf" and searcher.settings.prf_docs == 0:
            continue
        ranks: list[int | None] = []
        seconds: list[float] = []
        misses: list[str] = []
        for q in answerable:
            gold, in_body = evidence_articles(q, articles)
            t0 = time.perf_counter()
            hits = [h.to_json() for h in searcher.search(q.question, RETRIEVAL_DEPTH, mode=mode)]
            seconds.append(time.perf_counter() - t0)
            r = first_rank([relevant(h, q, gold, in_body) for h in hits])
            ranks.append(r)
            if r is None or r > 5:
                misses.append(q.id)
        m = rank_metrics(ranks, ks=(1, 3, 5, 10))
        out[label] = {
            **m,
            **latency_summary(seconds),
            "questions": len(answerable),
            "misses@5": misses,
            "ranks": ranks,
        }
        log(f"  {label:<9} hit@1 {m['hit@1']:.4f}  hit@5 {m['hit@5']:.4f}  MRR@10 {m['mrr@10']:.4f}")
    return out


def citation_ok(c: dict[str, Any], q: Question) -> bool:
    """A cited quote holds an accepted answer, or is (part of) the gold evidence."""
    quote = norm(c.get("quote", ""))
    if not quote:
        return False
    ev = norm(q.evidence)
    return contains_any(quote, q.answers) or (bool(ev) and (quote in ev or ev in quote))


def score_answers(questions: Sequence[Question], outputs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Scores Answer.to_json() objects (one per question, same order)."""
    correct, quoted, wrong_refusal, right_refusal, cites = [], [], [], [], []
    per_question = []
    for q, out in zip(questions, outputs, strict=True):
        refused = bool(out.get("refused"))
        row: dict[str, Any] = {"id": q.id, "refused": refused, "answer": str(out.get("answer", ""))[:300]}
        if q.answerable:
            ok = (not refused) and contains_any(out.get("answer", ""), q.answers)
            correct.append(ok)
            # An English answer over Chinese news words the gold in English (electronic badges for
            # 电子工牌); the Chinese quote it cites, shown under it, is where the gold stands.
            english = detect_language(q.question) == "en"
            quotes = " ".join(str(c.get("quote", "")) for c in out.get("citations") or [])
            quoted.append(ok or (english and not refused and contains_any(quotes, q.answers)))
            wrong_refusal.append(refused)
            if not refused:
                cites.extend(citation_ok(c, q) for c in out.get("citations") or [])
            row["correct"] = ok
        else:
            right_refusal.append(refused)
        per_question.append(row)
    return {
        "answer_accuracy": share(correct),
        "answer_accuracy_by_quote": share(quoted),
        "citation_precision": share(cites),
        "citations": len(cites),
        "refusal_rate_unanswerable": share(right_refusal),
        "wrong_refusal_rate": share(wrong_refusal),
        "answerable": len(correct),
        "unanswerable": len(right_refusal),
        "per_question": per_question,
    }


def run_answers(
    questions: Sequence[Question], ask: Callable[[str], dict[str, Any]], log: Callable[[str], None] = print
) -> dict[str, Any]:
    outputs, seconds = [], []
    for q in questions:
        t0 = time.perf_counter()
        outputs.append(ask(q.question))
        seconds.append(time.perf_counter() - t0)
    result = {**score_answers(questions, outputs), **latency_summary(seconds), "latencies_s": seconds}
    log(
        f"  answer accuracy {result['answer_accuracy']}, citation precision {result['citation_precision']}, "
        f"refusals on unanswerable {result['refusal_rate_unanswerable']}, "
        f"wrong refusals {result['wrong_refusal_rate']}, p50 {result['latency_p50_ms']} ms, "
        f"p95 {result['latency_p95_ms']} ms"
    )
    return result


def score_claims(claims: Sequence[Claim], verdicts: Sequence[str]) -> dict[str, Any]:
    confusion = {g: dict.fromkeys(VERDICTS, 0) for g in VERDICTS}
    for c, v in zip(claims, verdicts, strict=True):
        confusion.setdefault(c.verdict, dict.fromkeys(VERDICTS, 0))
        confusion[c.verdict][v] = confusion[c.verdict].get(v, 0) + 1
    correct = [c.verdict == v for c, v in zip(claims, verdicts, strict=True)]
    per_class = {
        g: share([v == g for c, v in zip(claims, verdicts, strict=True) if c.verdict == g]) for g in VERDICTS
    }
    return {
        "verdict_accuracy": share(correct),
        "claims": len(claims),
        "recall_per_verdict": per_class,
        "confusion": confusion,  # gold -> predicted -> count
        "predicted": dict(Counter(verdicts)),
    }


def run_claims(
    claims: Sequence[Claim], check: Callable[[str], dict[str, Any]], log: Callable[[str], None] = print
) -> dict[str, Any]:
    outs, seconds = [], []
    for c in claims:
        t0 = time.perf_counter()
        outs.append(check(c.claim))
        seconds.append(time.perf_counter() - t0)
    result = {
        **score_claims(claims, [str(o.get("verdict")) for o in outs]),
        **latency_summary(seconds),
        "per_claim": [
            {
                "id": c.id,
                "gold": c.verdict,
                "verdict": o.get("verdict"),
                "explanation": str(o.get("explanation", ""))[:200],
            }
            for c, o in zip(claims, outs, strict=True)
        ],
    }
    log(f"  verdict accuracy {result['verdict_accuracy']} over {len(claims)} claims")
    return result
