"""Question -> cited answer: the LCEL chain that prepares, retrieves and hands the hits to a reader.

prepare (clean the question, rewrite a follow-up into a standalone question) ->
retrieve (`NewsRetriever`: dense + BM25, fused) -> read (`_readers.make_reader`:
the extractive reader, or a language model whose every sentence is verified).
Every sentence of an answer cites the exact words it rests on, or the answer is a
refusal in the question's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from . import _facts as facts
from ._index import NewsIndex
from ._names import find_people
from ._readers import REFUSAL, Reader, make_reader
from ._search import Filters, NewsRetriever, Searcher, clean_query
from .config import Settings
from .errors import IndexMissingError
from .records import Answer, Hit, Passage

# ------------------------------------------------------------------ follow-up questions

_ZH_PRONOUN = re.compile(r"他们|她们|它们|他|她|它|该(?=[\u4e00-\u9fff])|其")
_EN_PRONOUN = re.compile(r"\b(it|they|he|she|its|their|his|her|them|this|that)\b", re.I)
_EN_LEAD = re.compile(r"^(?:and|so|but|also|then|what about|how about)\b[\s,]*", re.I)


def rewrite(question: str, history: list[tuple[str, str]] | None) -> str:
    """A follow-up made standalone from the previous turn, by rule (no model).

    那第二批呢？ after 平湖首批设立了多少家劳模工匠学堂？ -> 平湖第二批设立了多少家劳模工匠学堂？
    他是谁？ after a turn naming 张婉强 -> 张婉强是谁？
    and when will it open? after a question about the 臻品之选 hotel -> when will the 臻品之选 hotel open?
    """
    q = question.strip()
    if not history or not q:
        return q
    prev_q, prev_a = history[-1]
    lang = facts.detect_language(q)
    if lang == "en":
        return _rewrite_en(q, prev_q)
    m = re.fullmatch(r"(?:那|那么|还有)?(?P<x>.+?)(?:呢|怎么样|如何)[？?]?", q)
    if m and (q.startswith(("那", "还有")) or len(m.group("x")) <= 10):
        x = m.group("x").strip()
        # Swap the parallel part of the previous question: 首批 -> 第二批, 2023年 -> 2024年.
        for pattern in (facts.BATCH_MARKER, re.compile(r"\d{4}年|今年|去年|明年")):
            if pattern.fullmatch(x) and pattern.search(prev_q):
                return pattern.sub(x, prev_q, count=1)
        topic = _topic(prev_q)
        if topic:
            return prev_q.replace(topic, x, 1)
        return f"{x}{prev_q}"
    if _ZH_PRONOUN.search(q):
        people = [p.text for p in find_people(prev_q)] or [p.text for p in find_people(prev_a)]
        who = people[0] if people else _topic(prev_q)
        if who:
            return _ZH_PRONOUN.sub(who, q, count=1)
    return q


def _topic(question: str) -> str:
    """The thing a Chinese question is about: its first proper-noun-like word group."""
    import jieba.posseg as pseg

    words = list(pseg.cut(question))
    best = ""
    run = ""
    for w in words:
        if w.flag.startswith(("n", "j")) and w.word not in facts.QUESTION_WORDS:
            run += w.word
        else:
            if len(run) > len(best):
                best = run
            run = ""
    return run if len(run) > len(best) else best


def _rewrite_en(q: str, prev_q: str) -> str:
    body = _EN_LEAD.sub("", q)
    if not _EN_PRONOUN.search(body):
        return body
    subject = _en_subject(prev_q)
    if not subject:
        return body
    return _EN_PRONOUN.sub(
        lambda m: (
            subject
            if m.group(1).lower() in ("it", "they", "this", "that", "them", "he", "she")
            else f"{subject}'s"
        ),
        body,
        count=1,
    )


def _en_subject(question: str) -> str:
    """The noun phrase after the first auxiliary.

    'Where is the X hotel (臻品之选) located?' -> 'the X hotel (臻品之选)'.
    """
    m = re.search(
        r"\b(?:is|are|was|were|does|do|did|will|has|have|can)\s+(?P<np>(?:the\s+)?[^?]+?)"
        r"(?=\s+(?:located|open|opened|built|set|cost|start|end|do|doing|have|plan|be|become|finish)\b|\?|$)",
        question,
        re.I,
    )
    if m:
        return m.group("np").strip()
    runs = facts.cjk_runs(question)
    return runs[0] if runs else ""


# ------------------------------------------------------------------ the answerer


class Assistant:
    """Question -> cited `Answer`, over a `NewsIndex`, read by `settings.reader`.

    Models load once per Assistant: the embedder with the index, the reader's chat model
    on its first question.
    """

    def __init__(
        self, settings: Settings, index: NewsIndex | None = None, reader: Reader | None = None
    ) -> None:
        self.settings = settings
        self.index = index if index is not None else NewsIndex(settings)
        self.searcher = Searcher(self.index)
        self._reader = reader
        self._chain: Runnable | None = None

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = make_reader(self.settings, self.index)
        return self._reader

    # -- LCEL -------------------------------------------------------------------------

    @property
    def chain(self) -> Runnable:
        """{"question", "history"?, "filters"?, "k"?} -> Answer."""
        if self._chain is None:
            self._chain = (
                RunnableLambda(self._prepare)
                | RunnablePassthrough.assign(hits=RunnableLambda(self._retrieve))
                | RunnableLambda(self._answer_step)
            ).with_config(run_name="news_answer_chain")
        return self._chain

    def ask(
        self,
        question: str,
        *,
        history: list[tuple[str, str]] | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Answer:
        return self.chain.invoke({"question": question, "history": history, "filters": filters, "k": k})

    def stream(
        self,
        question: str,
        *,
        history: list[tuple[str, str]] | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Iterator[str | Answer]:
        """Text chunks for a chat window, then the final `Answer`.

        A reader that streams (the LLM reader) yields its draft as the model writes it; the
        final `Answer` is what survived verification and replaces the draft. Otherwise the
        answer is cut into sentence chunks."""
        state = self._prepare({"question": question, "history": history, "filters": filters, "k": k})
        hits = self._retrieve(state)
        reader = self.reader
        if hasattr(reader, "stream") and hits and state["language"] != "other":
            yield from reader.stream(state["question"], hits, standalone=state["standalone"])  # type: ignore[attr-defined]
            return
        answer = self._answer_step({**state, "hits": hits})
        for piece in re.findall(r"[^。！？.!?]*[。！？.!?]?(?:\[\d+\])?", answer.answer):
            if piece:
                yield piece
        yield answer

    def rewrite(self, question: str, history: list[tuple[str, str]] | None) -> str:
        return rewrite(question, history)

    # -- steps ------------------------------------------------------------------------

    def _prepare(self, inp: dict[str, Any]) -> dict[str, Any]:
        raw = inp.get("question") or ""
        question = clean_query(raw, self.settings)  # EmptyQueryError on blank; long input cut
        history = inp.get("history")
        standalone = rewrite(question, history)
        if history and hasattr(self.reader, "condense"):
            # A language model reads the conversation better than the rule; the rule stays the
            # fallback when the model's rewrite is not one plausible question.
            standalone = self.reader.condense(question, history) or standalone
        return {
            "question": question,
            "standalone": standalone,
            "language": facts.detect_language(standalone),
            "filters": inp.get("filters") or Filters(),
            "k": inp.get("k") or self.settings.k,
        }

    def _retrieve(self, state: dict[str, Any]) -> list[Hit]:
        if state["language"] == "other":
            return []
        if self.index.count() == 0:
            raise IndexMissingError(str(self.settings.index_dir))
        retriever = NewsRetriever(searcher=self.searcher, k=state["k"], filters=state["filters"])
        docs = retriever.invoke(state["standalone"])
        return [_hit_from_document(d) for d in docs]

    def _answer_step(self, state: dict[str, Any]) -> Answer:
        return self.answer_from_hits(state["question"], state["hits"], standalone=state["standalone"])

    def answer_from_hits(self, question: str, hits: list[Hit], *, standalone: str | None = None) -> Answer:
        """Read these hits (best first) with the configured reader; no retrieval."""
        lang = facts.detect_language(standalone or question)
        if lang == "other" or not hits:
            rewritten = standalone if standalone and standalone != question else None
            return Answer(question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten)
        return self.reader.read(question, hits, standalone=standalone)

    def explain(self, question: str, hits: list[Hit]) -> dict[str, Any]:
        """The extractive reader's best candidate and its features (for calibrating thresholds)."""
        from ._read_extractive import ExtractiveReader

        reader = self.reader
        if not isinstance(reader, ExtractiveReader):
            reader = ExtractiveReader(self.settings, self.index)
        return reader.explain(question, hits)


# ------------------------------------------------------------------ helpers


def _hit_from_document(doc: Any) -> Hit:
    m = doc.metadata
    passage = Passage(
        id=m["passage_id"],
        article_id=m["article_id"],
        position=int(m.get("position", 0)),
        start=int(m["start"]),
        end=int(m["end"]),
        text=doc.page_content,
        title=m.get("title", ""),
        date=m.get("date") or None,
        source=m.get("source", ""),
        authors=tuple(m.get("authors") or ()),
    )
    return Hit(passage, float(m.get("score", 0.0)), m.get("dense_rank"), m.get("bm25_rank"))


# ------------------------------------------------------------------ batch


def answer_batch(
    assistant: Assistant,
    lines: Iterator[str] | list[str],
    note: Callable[[str, Filters, Answer], str | None] | None = None,
) -> Iterator[dict[str, Any]]:
    """JSON lines {"id", "question", "date_from"?, "date_to"?, "source"?} in, one answer object per
    line out, in order; a line that cannot be answered yields {"id", "line", "error"} and the rest go on.
    `note(question, filters, answer)`: what `ask` prints to stderr beside an answer (今年 read as a
    year no hit is dated in), kept in the line's "note" field."""
    from ._batch import requests
    from .errors import EmptyQueryError, InputError

    for req in requests(lines, "question"):
        if isinstance(req, dict):
            yield req
            continue
        rec, rid, n, question = req.record, req.id, req.line, req.text
        try:
            filters = Filters.make(rec.get("date_from"), rec.get("date_to"), rec.get("source"))
            answer = assistant.ask(
                question, filters=filters, k=rec.get("k") if isinstance(rec.get("k"), int) else None
            )
        except (EmptyQueryError, InputError) as e:
            yield {"id": rid, "line": n, "error": str(e)}
            continue
        said = note(question, filters, answer) if note is not None else None
        yield {"id": rid, **answer.to_json(), **({"note": said} if said else {})}
