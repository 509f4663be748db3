"""Questions into ranked passages: dense (Chroma) and BM25, fused by weighted RRF.

Also a LangChain `BaseRetriever`, so LangChain users can plug the archive into
their own chains and our answer chain is an ordinary LCEL pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ._fuse import reciprocal_rank_fusion
from ._index import NewsIndex, date_num, passage_from
from ._load_corpus import normalise_date
from .config import Settings
from .errors import EmptyQueryError, InputError
from .records import Hit


@dataclass(frozen=True)
class Filters:
    date_from: str | None = None  # ISO day, inclusive
    date_to: str | None = None
    sources: tuple[str, ...] = ()

    @classmethod
    def make(cls, date_from: str | None = None, date_to: str | None = None, sources: Any = None) -> Filters:
        def day(value: str | None, name: str) -> str | None:
            if not value:
                return None
            iso = normalise_date(value)
            if iso is None:
                raise InputError(f"{name} {value!r} is not a date; write it as YYYY-MM-DD")
            return iso

        if isinstance(sources, str):
            sources = [s for s in re.split(r"[,，]", sources) if s.strip()]
        return cls(
            day(date_from, "date_from"), day(date_to, "date_to"), tuple(s.strip() for s in sources or ())
        )

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.date_from:
            clauses.append({"date_num": {"$gte": date_num(self.date_from)}})
        if self.date_to:
            clauses.append({"date_num": {"$lte": date_num(self.date_to)}})
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.sources)


def clean_query(query: str, settings: Settings) -> str:
    """Trim, refuse empty, and cap length: a pasted article must not stall the embedder."""
    q = " ".join(str(query or "").split())
    if not q:
        raise EmptyQueryError()
    return q[: settings.max_query_chars]


class Searcher:
    def __init__(self, index: NewsIndex) -> None:
        self.index = index
        self.settings = index.settings

    def dense(
        self, query: str, n: int, filters: Filters = Filters()
    ) -> list[tuple[str, float, str, dict[str, Any]]]:
        col = self.index.passages_collection()
        if col.count() == 0:
            return []
        vec = self.index.embedder.embed_query(query)
        res = col.query(
            query_embeddings=[vec],
            n_results=min(n, col.count()),
            where=filters.chroma_where(),
            include=["documents", "metadatas", "distances"],
        )
        return [
            (pid, 1.0 - float(dist), doc, meta)
            for pid, dist, doc, meta in zip(
                res["ids"][0], res["distances"][0], res["documents"][0], res["metadatas"][0], strict=True
            )
        ]

    def keyword(self, query: str, n: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        return self.index.bm25().search(
            query,
            n,
            date_from=date_num(filters.date_from) if filters.date_from else None,
            date_to=date_num(filters.date_to) if filters.date_to else None,
            sources=filters.sources or None,
        )

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: Filters = Filters(),
        mode: str = "hybrid",
    ) -> list[Hit]:
        """Top-k hits; mode is hybrid (default), dense or bm25 (for measuring each alone)."""
        q = clean_query(query, self.settings)
        k = k or self.settings.k
        n = max(self.settings.candidates, k)
        dense = self.dense(q, n, filters) if mode in ("hybrid", "dense") else []
        keyword = self.keyword(q, n, filters) if mode in ("hybrid", "bm25") else []
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


class NewsRetriever(BaseRetriever):
    """LangChain face of the archive: Documents carry the passage, its metadata and score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int = 5
    filters: Filters = Filters()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [hit_to_document(h) for h in self.searcher.search(query, self.k, self.filters)]


def hit_to_document(hit: Hit) -> Document:
    p = hit.passage
    return Document(
        page_content=p.text,
        id=p.id,
        metadata={
            "passage_id": p.id,
            "article_id": p.article_id,
            "title": p.title,
            "date": p.date,
            "source": p.source,
            "authors": list(p.authors),
            "start": p.start,
            "end": p.end,
            "position": p.position,
            "score": hit.score,
            "dense_rank": hit.dense_rank,
            "bm25_rank": hit.bm25_rank,
        },
    )
