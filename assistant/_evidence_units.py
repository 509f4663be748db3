"""Retrieved passages → evidence units: the sentences (and ；-clauses) of their articles, the
smallest pieces of evidence a verdict or an answer quotes, each with the sentence before it as
context. A quote and the line naming its speaker are one unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._evidence import Evidence
from ._speakers import CLOSING_QUOTE, SAID_VERB
from ._split_passages import sentence_spans
from .records import Article, Hit

if TYPE_CHECKING:
    from ._index import NewsIndex

_UNIT_SPLIT = re.compile(r"[；;]")


@dataclass(frozen=True)
class EvidenceUnit:
    """A sentence (or ；-clause) of an article: the smallest piece of evidence we quote."""

    article: Article
    passage_id: str
    start: int
    end: int
    rank: int
    context_start: int  # the sentence before: news often names the subject once, then says 该/当前

    @property
    def with_context(self) -> str:
        return f"{self.article.headline}\n{self.article.text[self.context_start : self.end]}"

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def evidence(self) -> Evidence:
        return Evidence.around(self.article, self.start, self.end, self.context_start)


def units_of(index: NewsIndex, hits: Iterable[Hit], cache: dict[str, Article | None]) -> list[EvidenceUnit]:
    """The evidence units (sentences, ；-clauses) of these hits' passages, in hit order."""
    units: list[EvidenceUnit] = []
    seen: set[tuple[str, int]] = set()
    for rank, hit in enumerate(hits):
        p = hit.passage
        if p.article_id not in cache:
            cache[p.article_id] = index.get_article(p.article_id)
        art = cache[p.article_id]
        if art is None:
            continue
        spans = sentence_spans(art.text)
        inside = [i for i, (s, e) in enumerate(spans) if e > p.start and s < p.end]
        if inside:
            # A quote and the line naming its speaker ("……关键一招。”副总经理吴加杰说。) are one
            # report, one unit, though a passage boundary may fall between them.
            first, last = inside[0], inside[-1]
            if first and _quoted_then_said(art.text, spans[first - 1], spans[first]):
                inside.insert(0, first - 1)
            if last + 1 < len(spans) and _quoted_then_said(art.text, spans[last], spans[last + 1]):
                inside.append(last + 1)
        joined = {i for i in inside[:-1] if _quoted_then_said(art.text, spans[i], spans[i + 1])}
        for i in inside:
            if i - 1 in joined:
                continue  # quoted with the quote before it, as one unit
            s, e = spans[i][0], spans[i + 1 if i in joined else i][1]
            before = spans[i - 1][0] if i and "\n" not in art.text[spans[i - 1][0] : s] else s
            pos = s
            for m in [*_UNIT_SPLIT.finditer(art.text, s, e), None]:
                cut = m.end() if m else e
                us, ue = _trim(art.text, pos, cut)
                pos = cut
                if ue - us < 2 or (art.id, us) in seen:
                    continue
                seen.add((art.id, us))
                units.append(EvidenceUnit(art, p.id, us, ue, rank, min(before, us)))
    return units


_SAID = re.compile(rf"[^“”「」。！？!?]{{0,40}}{SAID_VERB}[。！!]?")


def _quoted_then_said(text: str, quote: tuple[int, int], said: tuple[int, int]) -> bool:
    """`said` is the short line naming who spoke the quote sentence `quote` ends with."""
    q = text[quote[0] : quote[1]].rstrip()
    line = text[said[0] : said[1]].strip()
    return bool(q) and q[-1] in CLOSING_QUOTE and _SAID.fullmatch(line) is not None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
