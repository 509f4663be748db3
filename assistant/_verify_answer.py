"""Every sentence a model writes, checked against the words of the passage it cites.

`Verifier.verify` takes the model's draft (`_read_llm.Draft`), cuts it into sentences
with their `[n]` markers, and keeps a sentence only when:
- each of its facts (`_check.split_facts`) is `supported` by one evidence unit (a
  sentence or ；-clause) of the passages it cites, by the same engine that checks
  reporters' claims (`_check.judge_fact` -> `_ground.align`): values with units, dates
  resolved against the article's date, subjects, qualifiers, 分别 bindings, roles;
- the supporting unit is about what the question asks (`_ground.answers`: the asked
  people, places, qualifiers and dates, and no instruction planted in the text).
A fact the cited passage does not state but another retrieved passage does is kept
with the citation moved to that passage (the model numbered the wrong one), and the
record says so. English sentences over Chinese passages cannot be aligned word by
word: their figures must be printed in the unit, their Chinese names too, and the unit
must be the one closest in meaning (multilingual-e5) among the cited passages.

Nothing here trusts the model: a kept sentence's citation is an exact quote,
`article.text[start:end]`, with offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _facts as facts
from . import _ground as ground
from ._check import EvidenceUnit, judge_fact, split_facts, units_of
from ._normalize import normalise
from ._slots import coverage, mask, terms
from ._values import items
from .records import Article, Citation, Hit

if TYPE_CHECKING:
    from ._index import NewsIndex
    from ._read_llm import Draft

MIN_DENSE_EN = 0.80
# Of the question's content words, the share its evidence (with headline and the sentence
# before) must hold. Below the extractive reader's 0.45: a model's sentence may rest on a
# paraphrase (坠落 for 坠毁, 客机 for 航班); 0.35 chosen on the dev split (RGB dev, 40 queries).
MIN_QUESTION_COVERAGE = 0.35
MIN_OWN_COVERAGE = 0.5  # below this the fact's words are in the headline, not the unit
HEADLINE_FIELDS = (
    "title",
    "subtitle",
    "kicker",
)  # e5 cosine of an English sentence with its Chinese evidence unit
_MARKER = re.compile(r"\s*\[\s*(\d+)\s*\]")
_ZH_SENT = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?(?:\s*\[\s*\d+\s*\])*")
_EN_SENT = re.compile(r".+?(?:(?<!\d)[.!?](?!\d)|$)(?:\s*\[\s*\d+\s*\])*", re.S)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Quote:
    """What a kept sentence cites: its evidence unit's words, or the headline line that states
    the fact when the unit's own words do not (news puts the who-and-where in the headline)."""

    unit: EvidenceUnit
    field: str = "text"  # text | title | subtitle | kicker

    @property
    def span(self) -> tuple[int, int]:
        if self.field == "text":
            return self.unit.start, self.unit.end
        return 0, len(getattr(self.unit.article, self.field))

    @property
    def words(self) -> str:
        a, b = self.span
        return getattr(self.unit.article, self.field)[a:b]


@dataclass(frozen=True)
class Kept:
    """A verified sentence and the quotes that state it."""

    sentence: str  # without markers
    units: tuple[Quote, ...]


def _terms(text: str) -> list[tuple[str, float]]:
    t = normalise(text)
    return terms(mask(t, items(t)))


def _quote_for(fact: str, unit: EvidenceUnit) -> Quote:
    """The unit, unless only a headline line holds the fact's words (then that line)."""
    want = _terms(fact)
    if not want or coverage(want, normalise(unit.text)) >= MIN_OWN_COVERAGE:
        return Quote(unit)
    lines = [(coverage(want, normalise(getattr(unit.article, f))), f) for f in HEADLINE_FIELDS]
    best, field = max(lines)
    if best > coverage(want, normalise(unit.text)):
        return Quote(unit, field)
    return Quote(unit)


def sentences(answer: str, lang: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer cut into sentences, each with the passage numbers its markers name."""
    pattern = _EN_SENT if lang == "en" else _ZH_SENT
    out = []
    for m in pattern.finditer(answer):
        piece = m.group(0)
        cites = tuple(int(d) for d in _MARKER.findall(piece))
        text = _MARKER.sub("", piece).strip()
        if re.search(r"\w", text):
            out.append((text, cites))
    return out


class Verifier:
    """Checks drafted sentences against the hits' passages; caches articles per call."""

    def __init__(self, index: NewsIndex) -> None:
        self.index = index

    def verify(
        self, question: str, draft: Draft, hits: list[Hit], lang: str, record: list[dict[str, Any]]
    ) -> list[Kept]:
        """Kept sentences in draft order; one record row per sentence (kept or dropped, and why)."""
        cache: dict[str, Article | None] = {}
        kept: list[Kept] = []
        for text, marks in sentences(draft.answer, lang):
            named = [k for k in (marks or draft.numbers) if 1 <= k <= len(hits)]
            row: dict[str, Any] = {"sentence": text, "cites": named}
            cited = [hits[k - 1] for k in named]
            others = [h for h in hits if h not in cited]
            if lang == "en":
                units, reason = self._english(text, cited, cache)
            else:
                units, reason = self._chinese(text, question, cited, cache)
                if units is None and others:
                    moved, _ = self._chinese(text, question, others, cache)
                    if moved is not None:
                        units, reason = moved, None
                        row["moved_to"] = sorted({hits.index(h) + 1 for h in others if _holds(h, moved)})
            row["kept"] = units is not None
            if units is None:
                row["reason"] = reason
            else:
                kept.append(Kept(text, tuple(units)))
            record.append(row)
        want = facts.answer_type(normalise(question), lang) if lang != "en" else None
        if kept and want is not None and not any(gives(k.sentence, want, question) for k in kept):
            # True sentences that do not give what was asked (names for 几位) are no answer.
            for row in record:
                if row.get("kept"):
                    row["kept"] = False
                    row["reason"] = f"gives no {want.kind} though the question asks for one"
            return []
        return kept

    def _chinese(
        self, sentence: str, question: str, cited: list[Hit], cache: dict[str, Article | None]
    ) -> tuple[list[Quote] | None, str | None]:
        if not cited:
            return None, "cites no passage"
        units = units_of(self.index, cited, cache)
        found: list[Quote] = []
        for fact in split_facts(sentence):
            r = judge_fact(fact, sentence, units)
            if r.verdict != "supported" or r.unit is None:
                return None, r.explanation
            quote = _quote_for(fact, r.unit)
            if quote not in found:
                found.append(quote)
        if not found:
            return None, "states nothing"
        why = [ground.answers(question, q.unit.evidence) for q in found]
        if all(w is not None for w in why):
            return None, f"not about what was asked: {why[0]}"
        # A sentence can be true of its passage and still not answer (a list of names from
        # another paragraph): its evidence must hold the question's own words.
        asked = _terms(question)
        cov = max(coverage(asked, normalise(q.unit.with_context)) for q in found)
        if asked and cov < MIN_QUESTION_COVERAGE:
            return (
                None,
                f"its evidence holds too little of the question ({cov:.2f} < {MIN_QUESTION_COVERAGE})",
            )
        return found, None

    def _english(
        self, sentence: str, cited: list[Hit], cache: dict[str, Article | None]
    ) -> tuple[list[Quote] | None, str | None]:
        units = [
            u
            for u in units_of(self.index, cited, cache)
            if not ground.is_instruction(u.text, u.evidence.preceding)
        ]
        if not units:
            return None, "cites no passage"
        emb = self.index.embedder
        qv = np.asarray(emb.embed_query(sentence), dtype=np.float32)
        uv = np.asarray(emb.embed_passages([u.text for u in units]), dtype=np.float32)
        sims = uv @ qv
        best = int(np.argmax(sims))
        unit, sim = units[best], float(sims[best])
        if sim < MIN_DENSE_EN:
            return None, f"no cited sentence says this (closest {sim:.2f} < {MIN_DENSE_EN})"
        printed = normalise(unit.with_context)
        for fig in _FIGURE.findall(sentence.replace(",", "")):
            if fig not in printed.replace(",", ""):
                return None, f"{fig} is not printed in the cited passage"
        for name in _CJK_RUN.findall(sentence):
            if normalise(name) not in printed:
                return None, f"{name} is not printed in the cited passage"
        return [Quote(unit)], None


def gives(sentence: str, want: facts.AnswerType, question: str) -> bool:
    """The sentence holds a thing of the asked kind (a number, a time, a person) that the
    question does not already say; kinds the rules cannot spot in a fragment pass."""
    s = normalise(sentence)
    if want.kind == "number":
        return any(q.text not in question for q in facts.find_quantities(s))
    if want.kind in ("time", "duration"):
        times = [t.text for t in facts.find_times(s)] + [q.text for q in facts.find_quantities(s)]
        return any(t not in question for t in times)
    if want.kind == "person":
        return any(p.text not in question for p in facts.find_people(s))
    return True


def _holds(hit: Hit, quotes: list[Quote]) -> bool:
    return any(q.unit.passage_id == hit.passage.id for q in quotes)


def compose(kept: list[Kept], lang: str) -> tuple[str, tuple[Citation, ...]]:
    """Kept sentences with `[n]` markers numbered by first use; one citation per quote."""
    citations: list[Citation] = []
    number: dict[tuple[str, str, int, int], int] = {}
    parts = []
    for k in kept:
        marks = []
        for q in k.units:
            a, (start, end) = q.unit.article, q.span
            key = (a.id, q.field, start, end)
            if key not in number:
                number[key] = len(citations) + 1
                citations.append(
                    Citation(
                        number[key],
                        a.id,
                        a.title,
                        a.date,
                        q.unit.passage_id,
                        q.words,
                        start,
                        end,
                        a.source,
                        field=q.field,
                    )
                )
            marks.append(f"[{number[key]}]")
        s = k.sentence
        if lang != "en" and not re.search(r"[。！？!?]$", s):
            s += "。"
        elif lang == "en" and not re.search(r"[.!?]$", s):
            s += "."
        parts.append(s + "".join(dict.fromkeys(marks)))
    return (" " if lang == "en" else "").join(parts), tuple(citations)
