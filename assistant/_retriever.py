"""The archive as a LangChain retriever: Documents carry the passage, its metadata and score.

Kept apart from `_search` so that searching does not import LangChain; `_search` still
exports these names (loaded on first use).
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ._search import Filters, Searcher
from .records import Hit


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
