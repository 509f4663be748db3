"""Verified sentences → the answer a reader sees: each sentence with `[n]` markers numbered by
first use, one `Citation` per quote (the exact words and their offsets in the article, or the
headline line that states the fact). The records of what a kept sentence cites live here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._evidence_units import EvidenceUnit
from .records import Citation, Hit


@dataclass(frozen=True)
class Quote:
    """What a kept sentence cites: its evidence unit's words, or the headline line that states
    the fact when the unit's own words do not (news puts the who-and-where in the headline)."""

    unit: EvidenceUnit
    field: str = "text"  # text | title | subtitle | kicker
    lead: bool = False  # from the sentence before: it prints the value the unit leaves implicit

    @property
    def span(self) -> tuple[int, int]:
        if self.field == "text":
            return (self.unit.context_start if self.lead else self.unit.start), self.unit.end
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


def holds(hit: Hit, quotes: list[Quote]) -> bool:
    return any(q.unit.passage_id == hit.passage.id for q in quotes)


def compose(kept: list[Kept], lang: str) -> tuple[str, tuple[Citation, ...]]:
    """Kept sentences with `[n]` markers numbered by first use; one citation per quote."""
    citations: list[Citation] = []
    number: dict[tuple[str, str, int, int], int] = {}
    parts: dict[str, list[str]] = {}  # a sentence said twice (墨西哥城[1]…墨西哥城[2]) is said once
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
        s = re.sub(r"[；;，,：:、\s]+$", "", k.sentence)  # a list item's 清淤8.3万立方米； ends as a sentence
        if lang != "en" and not re.search(r"[。！？!?]$", s):
            s += "。"
        elif lang == "en" and not re.search(r"[.!?]$", s):
            s += "."
        parts.setdefault(s, []).extend(marks)
    joined = [s + "".join(dict.fromkeys(marks)) for s, marks in parts.items()]
    return (" " if lang == "en" else "").join(joined), tuple(citations)
