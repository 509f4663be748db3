"""Questions into ranked passages: dense (Chroma, with blind feedback when the first hits
agree) and BM25, fused by weighted RRF.

Also a LangChain `BaseRetriever` (`NewsRetriever`, in `_retriever`, imported on first use), so
LangChain users can plug the archive into their own chains and our answer chain is an
ordinary LCEL pipeline.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._fuse import reciprocal_rank_fusion
from ._index import NewsIndex, date_num, passage_from
from ._when import question_period, search_in_period
from .config import Settings
from .errors import EmptyQueryError, InputError
from .records import Hit

_ISO_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def parse_day(value: str, name: str) -> str:
    """A filter bound as an ISO day; the whole value must be one real date (2024-05-21,
    2024/5/21, 2024年5月21日), so 2024-02-30 or abc2024-05-17xyz are refused, not guessed at."""
    m = _ISO_DAY.fullmatch(value.strip())
    try:
        if not m:
            raise ValueError
        return datetime.date(*(int(g) for g in m.groups())).isoformat()
    except ValueError:
        raise InputError(f"{name} {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-21") from None


@dataclass(frozen=True)
class Filters:
    """Date and source filters. The rule for articles of unknown date: any date bound (--from,
    --to or both) leaves them out, since nothing says they fall in the range.

    `as_of`: the day a question's own time words (昨天, 上周, 今年一季度) are read against;
    set, a question naming a time keeps to passages dated in it (assistant/_when.py); None
    (the default) leaves questions' times alone."""

    date_from: str | None = None  # ISO day, inclusive
    date_to: str | None = None
    sources: tuple[str, ...] = ()
    as_of: str | None = None  # ISO day

    @classmethod
    def make(
        cls,
        date_from: str | None = None,
        date_to: str | None = None,
        sources: Any = None,
        as_of: str | None = None,
    ) -> Filters:
        """Raises InputError naming the value for a non-date or a range that ends before it starts."""
        lo = parse_day(date_from, "date_from") if date_from else None
        hi = parse_day(date_to, "date_to") if date_to else None
        day = parse_day(as_of, "as_of") if as_of else None
        if lo and hi and lo > hi:
            raise InputError(
                f"the date range is reversed: from {lo} is after to {hi}; swap them (--from {hi} --to {lo})"
            )
        if isinstance(sources, str):
            sources = [s for s in re.split(r"[,，]", sources) if s.strip()]
        return cls(lo, hi, tuple(s.strip() for s in sources or ()), day)

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.date_from or self.date_to:
            # Unknown dates are stored as 0: ">= 1" keeps them out under --to alone as under --from.
            clauses.append({"date_num": {"$gte": date_num(self.date_from) if self.date_from else 1}})
        if self.date_to:
            clauses.append({"date_num": {"$lte": date_num(self.date_to)}})
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def bm25_bounds(self) -> tuple[int | None, int | None]:
        """(lowest, highest) date_num for BM25, the same rule as chroma_where."""
        if not (self.date_from or self.date_to):
            return None, None
        return (date_num(self.date_from) if self.date_from else 1), (
            date_num(self.date_to) if self.date_to else None
        )

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.sources)

    def describe(self) -> str:
        """The filter as the user gave it, e.g. `--from 2024-01-01 --source 平湖发布`."""
        parts = []
        if self.date_from:
            parts.append(f"--from {self.date_from}")
        if self.date_to:
            parts.append(f"--to {self.date_to}")
        if self.sources:
            parts.append(f"--source {','.join(self.sources)}")
        return " ".join(parts)


def rocchio(query: np.ndarray, feedback: np.ndarray, weight: float) -> np.ndarray:
    """The query moved towards the centroid of its top passages, unit length again.

    Rocchio's relevance feedback ("Relevance Feedback in Information Retrieval", 1971) run
    blind on dense vectors, as in Li et al., "Pseudo Relevance Feedback with Deep Language
    Models and Dense Retrievers: Successes and Pitfalls" (TOIS 2023). News is written in
    clusters (one event, several reports); the centroid of the first hits points at the
    cluster the question is about, away from same-topic reports of another year or figure.
    """
    if len(feedback) == 0:
        return query
    moved = query + weight * feedback.mean(axis=0)
    return moved / max(float(np.linalg.norm(moved)), 1e-12)


def cohesion(vectors: np.ndarray) -> float:
    """Mean pairwise cosine of unit vectors: how much the first hits agree with each other.

    A coherence score in the sense of He, Larson & de Rijke, "Using Coherence-based Measures
    to Predict Query Difficulty" (ECIR 2008): feedback helps when the first hits form one
    cluster and hurts when they are unrelated articles (one printed page).
    """
    n = len(vectors)
    if n < 2:
        return 0.0
    total = vectors.sum(axis=0)
    return float((total @ total - n) / (n * n - n))


def clean_query(query: str, settings: Settings) -> str:
    """Trim, refuse empty, and cap length: a pasted article must not stall the embedder."""
    q = " ".join(str(query or "").split())
    if not q:
        raise EmptyQueryError()
    try:
        q.encode("utf-8")
    except UnicodeEncodeError as e:  # a lone surrogate from JSON ("\ud800"): no tokenizer reads it
        raise InputError(
            f"the question holds an unpaired surrogate ({e.object[e.start : e.end]!a}), not text; remove it"
        ) from None
    return q[: settings.max_query_chars]


class Searcher:
    def __init__(self, index: NewsIndex) -> None:
        self.index = index
        self.settings = index.settings

    def dense(
        self, query: str, n: int, filters: Filters = Filters()
    ) -> list[tuple[str, float, str, dict[str, Any]]]:
        """Nearest passages by cosine to the question, after one round of feedback when the
        first hits agree (``Settings.prf_*``).

        Scores stay the cosine to the question itself: feedback moves the search, not
        what a score means to the answerer or a user.
        """
        col = self.index.passages_collection()
        if (count := col.count()) == 0:
            return []
        vec = np.asarray(self.index.embedder.embed_query(query), dtype=np.float32)
        where = filters.chroma_where()
        search = vec
        if self.settings.prf_docs > 0 and self.settings.prf_weight > 0:
            first = col.query(
                query_embeddings=[vec],
                n_results=min(self.settings.prf_docs, count),
                where=where,
                include=["embeddings"],
            )
            near = np.asarray(first["embeddings"][0], np.float32).reshape(-1, len(vec))
            if cohesion(near) >= self.settings.prf_cohesion:
                cos = near @ vec
                close = near[cos >= cos.max() - self.settings.prf_margin]
                search = rocchio(vec, close, self.settings.prf_weight)
        res = col.query(
            query_embeddings=[search],
            n_results=min(n, count),
            where=where,
            include=["documents", "metadatas", "embeddings"],
        )
        cosines = np.asarray(res["embeddings"][0], np.float32).reshape(-1, len(vec)) @ vec
        return [
            (pid, float(cos), doc, meta)
            for pid, cos, doc, meta in zip(
                res["ids"][0], cosines, res["documents"][0], res["metadatas"][0], strict=True
            )
        ]

    def keyword(self, query: str, n: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        date_from, date_to = filters.bm25_bounds()
        return self.index.bm25().search(
            query, n, date_from=date_from, date_to=date_to, sources=filters.sources or None
        )

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: Filters = Filters(),
        mode: str = "hybrid",
    ) -> list[Hit]:
        """Top-k hits; mode is hybrid (default), dense or bm25 (for measuring each alone)."""
        return self.search_with_note(query, k, filters, mode)[0]

    def search_with_note(
        self,
        query: str,
        k: int | None = None,
        filters: Filters = Filters(),
        mode: str = "hybrid",
    ) -> tuple[list[Hit], str | None]:
        """Top-k hits and, when the question names a time that nothing is dated in, a note
        saying the whole archive was searched instead (assistant/_when.py has the rule)."""
        q = clean_query(query, self.settings)
        if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
            raise InputError(f"k must be a whole number >= 1, not {k!r}")
        k = k or self.settings.k
        if filters.as_of and not (filters.date_from or filters.date_to):
            if (period := question_period(q, filters.as_of)) is not None:
                return search_in_period(self, q, k, filters, mode, period)
        return self._ranked(q, k, filters, mode), None

    def _ranked(self, q: str, k: int, filters: Filters, mode: str) -> list[Hit]:
        n = max(self.settings.candidates, k)
        self.index.refresh()  # another process may have written since the last question
        dense = self.dense(q, n, filters) if mode in ("hybrid", "dense") else []
        keyword = self.keyword(q, n, filters) if mode in ("hybrid", "bm25") else []
        if (live := self.index.live_passage_ids()) is not None:
            # Only passages a committed article lists: never half an article being written.
            dense = [d for d in dense if d[0] in live]
            keyword = [kw for kw in keyword if kw[0] in live]
        dense_rank = {pid: r for r, (pid, *_) in enumerate(dense, start=1)}
        bm25_rank = {pid: r for r, (pid, _) in enumerate(keyword, start=1)}
        if mode == "dense":
            ranked = [(pid, score) for pid, score, *_ in dense]
        elif mode == "bm25":
            ranked = keyword
        else:
            ranked = reciprocal_rank_fusion(
                [list(dense_rank), list(bm25_rank)],
                [self.settings.dense_weight, self.settings.bm25_weight],
                k=self.settings.rrf_k,
            )
        ranked = ranked[:k]
        known = {pid: (doc, meta) for pid, _, doc, meta in dense}
        need = [pid for pid, _ in ranked if pid not in known]  # found by BM25 alone
        fetched = {p.id: p for p in self.index.get_passages(need)} if need else {}
        hits: list[Hit] = []
        for pid, score in ranked:
            passage = fetched[pid] if pid in fetched else passage_from(pid, *known[pid])
            hits.append(Hit(passage, score, dense_rank.get(pid), bm25_rank.get(pid)))
        return hits


def __getattr__(name: str) -> Any:
    """`NewsRetriever` and `hit_to_document` live in `_retriever`, loaded on first use: LangChain
    (with langsmith, over a second of imports) is not needed to search from the command line."""
    if name in ("NewsRetriever", "hit_to_document"):
        from . import _retriever

        return getattr(_retriever, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
