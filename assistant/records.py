"""The records that flow through the pipeline: articles, passages, hits, citations, answers.

Small, frozen and JSON-friendly, so every stage can hand them on without copying
and every face (CLI, app, eval) can serialise them the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ArticleKind = Literal["article", "commentary", "photo", "notice"]
Verdict = Literal["supported", "contradicted", "not_found"]


@dataclass(frozen=True)
class Article:
    """One article as a reader sees it.

    `text` is the body only; the headline lives in `title` (主题), `kicker` (引题)
    and `subtitle` (副题) so quotes can be cut from the body alone.
    """

    id: str
    title: str
    text: str
    kind: ArticleKind = "article"
    kicker: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    byline: str = ""  # as printed, e.g. ■记者 张宇青 通讯员 赵亦韵
    date: str | None = None  # ISO 8601 day; None when the source does not say
    source: str = ""  # paper and edition, e.g. 嘉兴日报·平湖版
    page: str | None = None
    column: str = ""
    url: str = ""
    path: str = ""  # the file it was read from

    @property
    def headline(self) -> str:
        """The full headline block as printed, for display and embedding context."""
        return " ".join(p for p in (self.kicker, self.title, self.subtitle) if p)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["authors"] = list(self.authors)
        d["headline"] = self.headline
        return d


@dataclass(frozen=True)
class Passage:
    """A citable slice of an article: `text == article.text[start:end]`."""

    id: str
    article_id: str
    position: int
    start: int
    end: int
    text: str
    title: str = ""
    date: str | None = None
    source: str = ""
    authors: tuple[str, ...] = ()

    def embedding_text(self) -> str:
        """What the embedder sees: the headline gives context without entering the quote."""
        return f"{self.title}\n{self.text}" if self.title else self.text

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["authors"] = list(self.authors)
        return d


@dataclass(frozen=True)
class Hit:
    """A passage returned by retrieval, with the evidence of how it ranked."""

    passage: Passage
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None

    def to_json(self) -> dict[str, Any]:
        p = self.passage
        return {
            "article_id": p.article_id,
            "passage_id": p.id,
            "score": round(self.score, 6),
            "title": p.title,
            "date": p.date,
            "source": p.source,
            "start": p.start,
            "end": p.end,
            "text": p.text,
        }


@dataclass(frozen=True)
class Citation:
    """An inline `[n]` marker resolved to a verbatim quote of a dated article."""

    n: int
    article_id: str
    title: str
    date: str | None
    passage_id: str
    quote: str  # exact substring of the article text: article.text[start:end]
    start: int
    end: int
    source: str = ""
    # The article field the quote is cut from: "text" (the body) for answers from the
    # story; "byline" / "column" when the question is who wrote or edited it.
    field: str = "text"

    def named(self, lang: str = "zh") -> str:
        """How an answer names the article: 《title》, else its source; never an empty 《》."""
        if self.title:
            return f"《{self.title}》"
        if self.source:
            return self.source
        return "an untitled article" if lang == "en" else "一篇无标题的报道"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    hits: tuple[Hit, ...] = ()
    language: str = "zh"
    rewritten_question: str | None = None
    reader: str = "extractive"  # which reader wrote it: extractive | llm (see _readers.py)
    # The LLM reader's audit trail: each sentence the model wrote, kept or dropped, and why
    # ({"sentence", "kept", "cites", "reason"}); empty for the extractive reader.
    verification: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "language": self.language,
            "reader": self.reader,
            "citations": [c.to_json() for c in self.citations],
            "hits": [h.to_json() for h in self.hits],
        }
        if self.rewritten_question and self.rewritten_question != self.question:
            d["rewritten_question"] = self.rewritten_question
        if self.verification:
            d["verification"] = list(self.verification)
        return d


@dataclass(frozen=True)
class CheckResult:
    """A claim checked against the archive, fact by fact."""

    claim: str
    verdict: Verdict
    explanation: str
    citations: tuple[Citation, ...] = ()
    facts: tuple[dict[str, Any], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "verdict": self.verdict,
            "explanation": self.explanation,
            "citations": [c.to_json() for c in self.citations],
            "facts": list(self.facts),
        }
