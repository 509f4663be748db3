"""The extractive reader: the clause of an article that answers the question, quoted verbatim.

It never writes a fact: it picks the clause that answers and quotes it, so an
instruction hidden in an article ("ignore previous instructions…") is only ever
quoted, never obeyed.

A clause answers when (1) it holds the kind of thing the question wants — a
number with the asked unit about the asked thing, a date, a person, a place,
a role — beyond what the question already says, (2) the question's key words
are in the clause, its sentence or its passage, and (3) the grounding engine
(`_ground.answers`) finds the sentence about the asked subject: the people,
places and qualifiers (首批, 境外, 一季度) the question names, on the date it
names (昨天 in a dated article counts), and not an instruction planted in the
text. Otherwise it refuses, in the question's language.

Matching runs on folded text (`_normalize.fold`: simplified script, half-width,
offset for offset), so a simplified question reads a traditional article; quotes
are cut from the article as printed.

(1) and (2) are the rules of `_match_clause`; `_quote_clause` cuts sentences into clauses
and the quote out of the clause chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import _answerable as answerable
from . import _facts as facts
from . import _ground as ground
from ._answer_kinds import prints_numbered_names
from ._bindings import bound_sibling
from ._evidence import Evidence
from ._index import NewsIndex
from ._match_clause import (
    _content_mask,
    _count_names,
    _coverage_chars,
    _coverage_en,
    _list_size,
    _typed_focus,
    _weighted_terms,
)
from ._names import pinyin_names, to_pinyin
from ._normalize import fold
from ._question_types import AnswerType, answer_type
from ._quote_clause import _clause_spans, _compose, _quote_window
from ._readers import REFUSAL
from ._split_passages import sentence_spans
from .config import Settings
from .records import Answer, Article, Citation, Hit, Passage

# Thresholds, measured on eval/seed_questions.jsonl (see eval/seed_answers_quick.py):
# the share of the question's key words (weighted by length) found around a clause,
# and for English questions the cosine between question and clause embeddings.
MIN_COVERAGE = 0.45
MIN_COVERAGE_UNTYPED = 0.6  # "what/which" questions have no answer type to lean on
MIN_DENSE_EN = 0.75
EN_TOP_MARGIN = 0.02


_BYLINE_ZH = re.compile(r"作者|记者|摄影|谁拍|拍的|拍摄|谁写|撰写|署名|统筹|编辑")
_BYLINE_EN = re.compile(
    r"\b(?:reporters?|journalists?|wrote|written|authors?|photograph\w*|photos?|editors?"
    r"|reported (?:on )?(?:the|this) (?:story|article|report|piece))\b",
    re.I,
)


@dataclass(frozen=True)
class _Clause:
    article: Article
    passage: Passage
    rank: int
    start: int  # offsets into article.text
    end: int
    sent_start: int
    sent_end: int
    context_start: int  # the sentence before, in the same paragraph: it often names the subject

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def evidence(self) -> Evidence:
        # The clause is the span (one project of a ；-list); its sentence's lead, the sentence
        # before and the headline are its context.
        return Evidence.around(
            self.article, self.start, self.end, self.context_start, (self.sent_start, self.sent_end)
        )

    @property
    def sentence(self) -> str:
        return self.article.text[self.sent_start : self.sent_end]


@dataclass
class _Choice:
    clause: _Clause
    score: float
    focus: tuple[int, int] | None  # article offsets of the typed answer (the 16家)
    coverage: float = 0.0
    dense: float = 0.0
    notes: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ the reader


class ExtractiveReader:
    """Question + hits -> an `Answer` quoting one clause, or a refusal. No model writes text."""

    name = "extractive"

    def __init__(self, settings: Settings, index: NewsIndex) -> None:
        self.settings = settings
        self.index = index
        self._articles: dict[str, Article | None] = {}  # folded, for matching
        self._originals: dict[str, Article | None] = {}  # as printed, for quoting
        self._vectors: dict[str, np.ndarray] = {}
        self._pinyin_cache: dict[str, str] = {}

    def read(self, question: str, hits: list[Hit], *, standalone: str | None = None) -> Answer:
        q = fold(standalone or question)
        lang = facts.detect_language(q)
        rewritten = standalone if standalone and standalone != question else None
        if lang == "other" or not hits:
            return Answer(question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten)
        atype = answer_type(q, lang)
        credit = self._credit(question, q, lang, atype, hits, rewritten)
        if credit is not None:
            return credit
        choice = self._choose(q, lang, atype, hits)
        if choice is None:
            return Answer(question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten)
        citation = self._cite(choice)
        if not prints_numbered_names(q, [citation], self._original):
            # 211路 asked, and the clause chosen is 205路's (每日班次由48班增加到60班, after
            # 205路调整后…): a sibling's figure is no answer.
            return Answer(question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten)
        return Answer(question, _compose(citation, lang), False, (citation,), tuple(hits), lang, rewritten)

    def credit(self, question: str, hits: list[Hit], *, standalone: str | None = None) -> Answer | None:
        """Who wrote, photographed or edited a piece (记者 / 摄影 / 栏目统筹), answered from the
        article's byline or column credit; None when the question asks something else. A byline
        is article metadata, not passage text, so a reader that only sees passages (the LLM)
        cannot answer it: the LLM reader asks this first."""
        q = fold(standalone or question)
        lang = facts.detect_language(q)
        if lang == "other" or not hits:
            return None
        rewritten = standalone if standalone and standalone != question else None
        return self._credit(question, q, lang, answer_type(q, lang), hits, rewritten)

    def _credit(
        self,
        question: str,
        q: str,
        lang: str,
        atype: AnswerType,
        hits: list[Hit],
        rewritten: str | None,
    ) -> Answer | None:
        byline = self._byline_answer(q, lang, atype, hits)
        if byline is None:
            return None
        text, citation = byline
        return Answer(question, text, False, (citation,), tuple(hits), lang, rewritten)

    def explain(self, question: str, hits: list[Hit]) -> dict[str, Any]:
        """The best candidate and its features, refused or not: for calibrating thresholds."""
        lang = facts.detect_language(question)
        atype = answer_type(question, lang)
        best = self._choose(question, lang, atype, hits, accept_all=True)
        if best is None:
            return {"type": atype.kind}
        return {
            "type": atype.kind,
            "clause": best.clause.text[:60],
            "coverage": round(best.coverage, 3),
            "dense": round(best.dense, 3),
            "focus": best.focus is not None,
            **best.notes,
        }

    def _fresh(self) -> None:
        """Drop cached articles when the index changed under us (an article corrected in place
        keeps its id): the cache is keyed on the index's generation."""
        if getattr(self, "_cache_generation", None) != self.index.generation:
            self._articles.clear()
            self._originals.clear()
            self._metas_count = None
            self._cache_generation = self.index.generation

    def _original(self, article_id: str) -> Article | None:
        self._fresh()
        if article_id not in self._originals:
            self._originals[article_id] = self.index.get_article(article_id)
        return self._originals[article_id]

    def _article(self, article_id: str) -> Article | None:
        """The article folded for matching (same offsets as printed)."""
        self._fresh()
        if article_id not in self._articles:
            art = self._original(article_id)
            self._articles[article_id] = (
                None
                if art is None
                else replace(
                    art,
                    text=fold(art.text),
                    title=fold(art.title),
                    kicker=fold(art.kicker),
                    subtitle=fold(art.subtitle),
                )
            )
        return self._articles[article_id]

    def _clauses(self, hits: list[Hit]) -> list[_Clause]:
        out: dict[tuple[str, int, int], _Clause] = {}
        for rank, hit in enumerate(hits, start=1):
            p = hit.passage
            art = self._article(p.article_id)
            if art is None:
                continue
            p = replace(p, text=fold(p.text), title=fold(p.title))
            spans = sentence_spans(art.text)
            for i, (s, e) in enumerate(spans):
                if e <= p.start or s >= p.end:
                    continue
                prev = spans[i - 1][0] if i and "\n" not in art.text[spans[i - 1][0] : s] else s
                for cs, ce in _clause_spans(art.text, s, e):
                    key = (art.id, cs, ce)
                    if key not in out:
                        out[key] = _Clause(art, p, rank, cs, ce, s, e, prev)
        return list(out.values())

    def _embed(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            for t, v in zip(todo, self.index.embedder.embed_passages(todo), strict=True):
                self._vectors[t] = np.asarray(v, dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def _choose(
        self, question: str, lang: str, atype: AnswerType, hits: list[Hit], accept_all: bool = False
    ) -> _Choice | None:
        clauses = self._clauses(hits)
        if not clauses:
            return None
        terms = _weighted_terms(question, lang)
        mask = _content_mask(question)
        asks_time = atype.kind in ("time", "duration")
        need_names = _list_size(question)
        pinyin = pinyin_names(question) if lang == "en" else []
        # Hard rules first: the asked kind of thing is there, qualifiers and names agree.
        eligible: list[tuple[_Clause, tuple[int, int] | None, float]] = []
        for c in clauses:
            typed, focus = _typed_focus(c, atype, question, lang)
            if atype.kind != "other" and not typed:
                continue
            if c.text in question:
                continue
            if need_names > 1 and (
                _count_names(c.text, question) < need_names
                or _coverage_chars(c, question, mask, passage=False) < MIN_COVERAGE_UNTYPED
            ):
                continue  # 哪三方 wants three names, in the sentence that speaks of the thing asked
            if lang != "en" and answerable.answers(question, c.evidence, asks_time=asks_time) is not None:
                continue  # another subject, qualifier or date than asked; or an instruction
            if lang != "en" and focus is not None and bound_sibling(question, c.article.text, focus[0]):
                continue  # 第一批 asked: …，第二批9个服务点总投资680万元 gives 第二批's figure
            if lang == "en" and ground.is_instruction(c.sentence, c.evidence.preceding):
                continue
            if pinyin and (py := self._pinyin(c)) and not all(name in py for name in pinyin):
                continue  # asked about Yinfeng (音锋): the clause must be about 音锋
            cov = _coverage_chars(c, question, mask) if lang == "zh" else _coverage_en(c, terms)
            eligible.append((c, focus, cov))
        if not eligible:
            return None
        # Then closeness of meaning: key words (Chinese) and the embedder (any language).
        qv = np.asarray(self.index.embedder.embed_query(question), dtype=np.float32)
        dense = self._embed([c.text for c, _, _ in eligible]) @ qv
        top_dense = 0.0
        if lang == "en":
            # The clause closest in meaning to the question, answer or not: if it is not the one
            # holding the answer, the typed clause is probably about something else.
            top_dense = float(np.max(self._embed([c.text for c in clauses]) @ qv))
        best: _Choice | None = None
        for (c, focus, cov), d in zip(eligible, dense, strict=True):
            d = float(d)
            if lang == "en":
                near_top = d >= top_dense - EN_TOP_MARGIN
                ok = (d >= MIN_DENSE_EN and near_top) or (bool(terms) and cov >= MIN_COVERAGE)
                score = d + 0.2 * cov
            else:
                # Meaning (dense) ranks the candidates, but only the asked words let one through:
                # a clause about the right topic but another fact is close in meaning too.
                ok = cov >= (MIN_COVERAGE if atype.kind != "other" else MIN_COVERAGE_UNTYPED)
                score = cov + d
            score += 0.02 / c.rank
            if not ok and not accept_all:
                continue
            if best is None or score > best.score:
                best = _Choice(c, score, focus, cov, d, {"accepted": ok})
        return best

    def _cite(self, choice: _Choice, n: int = 1) -> Citation:
        c = choice.clause
        start, end = _quote_window(c, choice.focus)
        art = self._original(c.article.id) or c.article  # quote as printed: fold kept the offsets
        return Citation(
            n=n,
            article_id=art.id,
            title=art.title,
            date=art.date,
            passage_id=c.passage.id,
            quote=art.text[start:end],
            start=start,
            end=end,
            source=art.source,
        )

    def _byline_answer(
        self, question: str, lang: str, atype: AnswerType, hits: list[Hit]
    ) -> tuple[str, Citation] | None:
        """Who wrote / photographed / edited a piece: the answer is in its byline, not its text."""
        if atype.kind not in ("person", "other"):
            return None
        asks = _BYLINE_ZH.search(question) if lang == "zh" else _BYLINE_EN.search(question)
        if not asks:
            return None
        wants_column = bool(re.search(r"统筹|编辑|editor", question, re.I))
        fld = "column" if wants_column else "byline"
        terms = _weighted_terms(question, lang)
        candidates: dict[str, tuple[Article, Passage | None, int]] = {}
        for rank, hit in enumerate(hits, start=1):
            art = self._article(hit.passage.article_id)
            if art is not None and art.id not in candidates:
                candidates[art.id] = (art, hit.passage, rank)
        # A column credit is not in any passage, so retrieval cannot find it: look in the metadata.
        for meta in self._article_metas():
            if meta["id"] not in candidates and any(t in str(meta.get(fld, "")) for t, _ in terms):
                art = self._article(meta["id"])
                if art is not None:
                    candidates[art.id] = (art, None, len(hits) + 1)
        pool = [(art, p, r) for art, p, r in candidates.values() if getattr(art, fld)]
        if not pool:
            return None
        heads = [f"{art.headline} {art.column}\n{art.text[:120]}" for art, _, _ in pool]
        qv = np.asarray(self.index.embedder.embed_query(question), dtype=np.float32)
        dense = self._embed(heads) @ qv
        scored = []
        for (art, p, rank), d in zip(pool, dense, strict=True):
            lexical = sum(w for t, w in terms if t in f"{art.headline} {art.column} {art.byline}")
            scored.append((lexical + 10 * float(d) + 0.1 / rank, art, p))
        _, art, passage = max(scored, key=lambda x: x[0])
        if passage is None:
            got = self.index.passages_collection().get(where={"article_id": art.id}, limit=1, include=[])
            passage_id = got["ids"][0] if got["ids"] else ""
        else:
            passage_id = passage.id
        art = self._original(art.id) or art  # quote the byline as printed
        value = getattr(art, fld)
        citation = Citation(
            1, art.id, art.title, art.date, passage_id, value, 0, len(value), art.source, field=fld
        )
        date = art.date or ("date unknown" if lang == "en" else "日期不详")
        if lang == "en":
            what = "column credit" if wants_column else "byline"
            return f'According to the {what} of {citation.named("en")} ({date}): "{value}" [1]', citation
        what = "栏目署名" if wants_column else "署名"
        return f"{citation.named()}（{date}）的{what}：“{value}”[1]", citation

    def _pinyin(self, c: _Clause) -> str:
        key = f"{c.article.id}:{c.passage.id}:{c.sent_start}"
        if key not in self._pinyin_cache:
            # The edition's town (平湖版) is implied by every article in it, so it counts as said.
            context = f"{c.article.source} {c.article.headline} {c.sentence} {c.passage.text}"
            self._pinyin_cache[key] = to_pinyin(context)
        return self._pinyin_cache[key]

    def _article_metas(self) -> list[dict[str, Any]]:
        self._fresh()
        count = self.index.count()
        if getattr(self, "_metas_count", None) != count:
            self._metas = self.index.list_articles()
            self._metas_count = count
        return self._metas
