"""RGB zh_refine: retrieval over the pooled passages, answers, and rejection.

Every unique passage of the 300 queries (positives and negatives) becomes one
article (id = content hash, no title, no date) in one persistent index under the
user cache, built once and reused: embedding 7.3k passages takes minutes on two
cores, and ingest is idempotent, so a second run only checks that all is there.
Passages are whole (median ~207 characters): chunking is switched off here, so
the numbers measure retrieval, not the chunker.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.records import Article, Hit

from ._metrics import latency_summary, rank_metrics, slots_match

RGB_FILE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "rgb" / "zh_refine.json"
RGB_SOURCE = "RGB zh_refine"
WHOLE = 100_000  # chunk_max larger than any passage: one passage per article


class SetupSkipped(Exception):
    """A setup cannot run here (its data is absent); the message says why and what to do."""


@dataclass(frozen=True)
class RgbQuery:
    id: int
    query: str
    answer: tuple[Any, ...]
    positive: tuple[str, ...]  # article ids
    negative: tuple[str, ...]


@dataclass
class RgbData:
    queries: list[RgbQuery]
    articles: list[Article]
    text_of: dict[str, str] = field(default_factory=dict)  # article id -> passage text


def article_id(text: str) -> str:
    # Whitespace aside, as the archive identifies articles (assistant/_ingest.py): RGB holds 70
    # passages that differ only in whitespace, which the index stores once under the first id.
    return "rgb-" + hashlib.sha1(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()[:16]


def is_positive(hit: Hit, q: RgbQuery) -> bool:
    """The hit is one of the query's positive passages. Judged by its text (whitespace aside),
    not by the index's article id: an index built under an earlier id scheme stays usable."""
    return hit.passage.article_id in q.positive or article_id(hit.passage.text) in q.positive


def load_rgb(path: Path = RGB_FILE, limit: int | None = None) -> RgbData:
    if not path.is_file():
        raise SetupSkipped(
            f"RGB data not found at {path}: put zh_refine.json from chen700564/RGB there "
            "(see ../shared/data/README.md) to run the RGB setups"
        )
    queries: list[RgbQuery] = []
    text_of: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            ids: dict[str, list[str]] = {"positive": [], "negative": []}
            for key in ids:
                for text in row.get(key) or []:
                    aid = article_id(text)
                    text_of.setdefault(aid, text)
                    ids[key].append(aid)
            queries.append(
                RgbQuery(
                    id=int(row["id"]),
                    query=str(row["query"]),
                    answer=tuple(row["answer"]),
                    positive=tuple(dict.fromkeys(ids["positive"])),
                    negative=tuple(dict.fromkeys(ids["negative"])),
                )
            )
    # The pool is always every passage, even for a --quick subset of queries,
    # so quick and full numbers are measured against the same distractors.
    articles = [Article(id=aid, title="", text=text, source=RGB_SOURCE) for aid, text in text_of.items()]
    return RgbData(queries[:limit] if limit else queries, articles, text_of)


def rgb_settings(base: Settings) -> Settings:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{base.embed_model}-{base.embed_runtime}").strip("_")
    return base.with_(
        index_dir=Path(base.cache_dir) / "eval" / f"rgb-{slug}",
        chroma_host=None,
        collection="rgb",
        chunk_max=WHOLE,
        chunk_overlap=0,
    )


class MemoQueries:
    """Wraps an embedder so each query is embedded once across the many fusion settings
    (the retrieval itself still runs through Searcher.search every time)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._memo: dict[str, Any] = {}

    def embed_query(self, text: str) -> Any:
        if text not in self._memo:
            self._memo[text] = self.inner.embed_query(text)
        return self._memo[text]

    def embed_passages(self, texts: list[str]) -> Any:
        return self.inner.embed_passages(texts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def open_index(
    data: RgbData, base: Settings, embedder: Any = None, log: Callable[[str], None] = print
) -> Any:
    """The pooled RGB index, built on first use (ingest embeds only what is missing)."""
    from assistant._embed import get_embedder
    from assistant._index import NewsIndex

    settings = rgb_settings(base)
    inner = embedder if embedder is not None else get_embedder(settings)
    index = NewsIndex(settings, embedder=MemoQueries(inner))
    have = index.count()
    if have < len(data.articles):
        log(
            f"indexing {len(data.articles) - have} RGB passages into {settings.index_dir} (once, then reused)"
        )
        t0 = time.perf_counter()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 30 or done == total:
                last[0] = time.perf_counter()
                rate = done / max(time.perf_counter() - t0, 1e-9)
                log(f"  embedded {done}/{total} passages ({rate:.1f}/s)")

        report = index.ingest(data.articles, progress=progress)
        log(f"  {report.passages_total} passages in the index, {time.perf_counter() - t0:.0f} s")
    else:
        index.ingest(data.articles)  # cheap when complete; keeps BM25 in step with Chroma
    return index


# -- retrieval -------------------------------------------------------------------------

DEFAULT_WEIGHTS = (0.1, 0.15, 0.25, 0.5)
DEFAULT_RRF_KS = (10, 30, 60)
DEPTH = 20  # retrieved per query: enough for hit@k curves up to 20 and MRR@10


@dataclass(frozen=True)
class Retriever:
    name: str
    mode: str  # dense | bm25 | hybrid
    bm25_weight: float | None = None
    rrf_k: int | None = None
    feedback: bool = True  # dense pseudo-relevance feedback as configured; False: plain e5

    def settings(self, base: Settings) -> Settings:
        if not self.feedback:
            base = base.with_(prf_docs=0)
        if self.mode != "hybrid":
            return base
        return base.with_(dense_weight=1.0, bm25_weight=self.bm25_weight, rrf_k=self.rrf_k)


def retrievers(
    weights: Sequence[float] = DEFAULT_WEIGHTS,
    rrf_ks: Sequence[int] = DEFAULT_RRF_KS,
    default: Settings | None = None,
) -> list[Retriever]:
    out = [Retriever("dense", "dense", feedback=False), Retriever("bm25", "bm25")]
    if default is None or default.prf_docs > 0:
        out.insert(1, Retriever("dense+prf", "dense"))
    grid = {(float(w), int(k)) for w in weights for k in rrf_ks}
    if default is not None and default.dense_weight == 1.0:
        grid.add((float(default.bm25_weight), int(default.rrf_k)))  # always measure the shipped default
    for w, k in sorted(grid, key=lambda x: (x[1], x[0])):
        out.append(Retriever(f"fusion w={w:g} k={k}", "hybrid", w, k))
    return out


def run_retrieval(
    data: RgbData, index: Any, grid: Sequence[Retriever], log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Every retriever through Searcher.search on every query; ranks of the first positive."""
    from assistant._search import Searcher

    results: dict[str, Any] = {}
    for r in grid:
        searcher = Searcher(index)
        # Fusion weights are read from the searcher's settings; the index is shared.
        searcher.settings = r.settings(index.settings)
        ranks: list[int | None] = []
        seconds: list[float] = []
        for q in data.queries:
            t0 = time.perf_counter()
            hits = searcher.search(q.query, DEPTH, mode=r.mode)
            seconds.append(time.perf_counter() - t0)
            ranks.append(next((i for i, h in enumerate(hits, 1) if is_positive(h, q)), None))
        metrics = rank_metrics(ranks)
        results[r.name] = {
            "mode": r.mode,
            "bm25_weight": r.bm25_weight,
            "rrf_k": r.rrf_k,
            **metrics,
            **latency_summary(seconds),
            "ranks": ranks,
        }
        log(
            f"  {r.name:<22} hit@1 {metrics['hit@1']:.4f}  hit@5 {metrics['hit@5']:.4f}  "
            f"MRR@10 {metrics['mrr@10']:.4f}"
        )
    return results


def best_fusion(results: dict[str, Any]) -> str:
    """Highest MRR@10 among fusions, then hit@5, then hit@1; ties go to the smaller BM25
    weight and the larger rrf_k (the gentler change from dense alone)."""
    fusions = [n for n, r in results.items() if r["mode"] == "hybrid"]
    return max(
        fusions,
        key=lambda n: (
            results[n]["mrr@10"],
            results[n]["hit@5"],
            results[n]["hit@1"],
            -results[n]["bm25_weight"],
            results[n]["rrf_k"],
        ),
    )


# -- answers and rejection ---------------------------------------------------------------


def answerable_without_positives(q: RgbQuery, data: RgbData) -> bool:
    """True when one of the query's own negatives holds the answer: RGB reuses passages
    (23 are positive for one query and negative for another), and then refusing is wrong.
    Unrelated passages that merely contain a short answer string (a year, "12人") do not
    make the query answerable, so only the query's own topic passages are checked."""
    gold = set(q.positive)
    return any(slots_match(data.text_of[aid], list(q.answer)) for aid in q.negative if aid not in gold)


def run_answers(
    data: RgbData,
    index: Any,
    answer_fn: Callable[[str, Callable[[Hit], bool] | None], dict[str, Any]],
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Answer accuracy with every passage pooled, then rejection with each query's positives
    excluded from retrieval. `answer_fn(question, keep)` returns Answer.to_json(); `keep`
    (when given) says which hits the answerer may see."""
    correct: list[bool] = []
    refused_all: list[bool] = []
    seconds: list[float] = []
    per_query: list[dict[str, Any]] = []
    for q in data.queries:
        t0 = time.perf_counter()
        out = answer_fn(q.query, None)
        seconds.append(time.perf_counter() - t0)
        ok = (not out["refused"]) and slots_match(out["answer"], list(q.answer))
        correct.append(ok)
        refused_all.append(bool(out["refused"]))
        per_query.append(
            {"id": q.id, "correct": ok, "refused": out["refused"], "answer": out["answer"][:300]}
        )
    rejected: list[bool] = []
    skipped = shown = 0
    for q, row in zip(data.queries, per_query, strict=True):
        if answerable_without_positives(q, data):
            skipped += 1  # the answer is still in the pool: refusing would be wrong here
            row["rejection"] = "skipped: a negative passage holds the answer"
            continue
        out = answer_fn(q.query, lambda h, q=q: not is_positive(h, q))
        if any(slots_match(h["text"], list(q.answer)) for h in out["hits"]):
            # Another query's passage on the same story holds the answer (RGB pools several
            # queries per event): the reader was shown the answer, and answering is right.
            shown += 1
            row["rejection"] = "skipped: a passage shown holds the answer"
            continue
        rejected.append(bool(out["refused"]))
        row["rejection"] = "refused" if out["refused"] else out["answer"][:300]
    n = len(data.queries)
    result = {
        "answer_accuracy": round(sum(correct) / n, 4) if n else None,
        "refusal_rate_pooled": round(sum(refused_all) / n, 4) if n else None,
        "rejection_rate": round(sum(rejected) / len(rejected), 4) if rejected else None,
        "rejection_queries": len(rejected),
        "rejection_skipped": skipped,
        "rejection_skipped_shown": shown,
        **latency_summary(seconds),
        "per_query": per_query,
    }
    log(
        f"  answer accuracy {result['answer_accuracy']}, rejection rate {result['rejection_rate']} "
        f"over {len(rejected)} queries ({skipped} skipped: a negative holds the answer; {shown}: "
        "a passage shown holds it)"
    )
    return result
