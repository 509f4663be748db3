"""Questions that name a time (昨天, 上周, 5月17日, 今年一季度, 去年, 2024年5月) are answered from
passages dated in that time.

The rule:

- The time is read from the question by `_dates.resolve_relative_dates` (the module that
  resolves article text), against the reference day `as_of`: today unless the user sets one
  (`--as-of YYYY-MM-DD`; the app's 参考日期 field). Several times in one question make one
  period from the first day of the earliest to the last day of the latest.
- A passage is dated in the period when its article's date falls in it, or when a day or
  period its own text names, resolved against the article's date (昨天, 5月17日, 上周), lies
  wholly inside it. So "昨天的消防演练" asked on 2024-05-22 finds the article of 2024-05-22 that
  says 昨天下午…演练 as well as one published on 2024-05-21.
- Articles of unknown date follow the archive's rule for date filters: nothing says they fall
  in the period, so they are never dated in it (their 昨天 means no day at all).
- When some passages are dated in the period, retrieval keeps only those, in the order of the
  ordinary search; when none is, the ordinary search is used and a note says so.
- A date bound the user gave (--from/--to) wins: the question's time is then not applied.
- Without `as_of` (Filters() as the library and eval build it) nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ._dates import resolve_relative_dates
from .records import Hit, Passage

if TYPE_CHECKING:
    from ._search import Filters, Searcher


@dataclass(frozen=True)
class Period:
    """The time a question names: ISO first and last day, and the words that named it."""

    first: str
    last: str
    words: str

    def describe(self) -> str:
        span = self.first if self.first == self.last else f"{self.first}–{self.last}"
        return f"{self.words} ({span})"


def question_period(question: str, as_of: str) -> Period | None:
    """The period the question names, read against `as_of` (ISO day); None when it names none."""
    found = [m for m in resolve_relative_dates(question, as_of) if m.date and m.last]
    if not found:
        return None
    return Period(
        min(str(m.date) for m in found), max(str(m.last) for m in found), "、".join(m.surface for m in found)
    )


def dated_in(passage: Passage, period: Period) -> bool:
    """Whether the passage is dated in the period (see the module's rule)."""
    if not passage.date:
        return False
    if period.first <= passage.date <= period.last:
        return True
    return any(
        m.date and m.last and period.first <= m.date and m.last <= period.last
        for m in resolve_relative_dates(passage.text, passage.date)
    )


def search_in_period(
    searcher: Searcher, query: str, k: int, filters: Filters, mode: str, period: Period
) -> tuple[list[Hit], str | None]:
    """Hits dated in the period, else the ordinary hits and a note saying none was dated in it.

    The candidates are the ordinary search's (Settings.candidates deep) kept in their order,
    then, when fewer than k are dated, the search restricted to articles published in the
    period (the same filter as --from/--to) fills up the rest.
    """
    plain = replace(filters, as_of=None)
    n = max(searcher.settings.candidates, k)
    pool = searcher.search(query, n, plain, mode)
    kept: dict[str, Hit] = {h.passage.id: h for h in pool if dated_in(h.passage, period)}
    if len(kept) < k:
        published = replace(plain, date_from=period.first, date_to=period.last)
        for h in searcher.search(query, k, published, mode):
            kept.setdefault(h.passage.id, h)
    if kept:
        return list(kept.values())[:k], None
    note = (
        f"nothing in the archive is dated {period.describe()}, the time the question names; "
        "answered from the whole archive (articles of unknown date are never dated in a period)"
    )
    return pool[:k], note


def note_for(question: str, filters: Any, hits: list[Hit]) -> str | None:
    """For a finished answer: the note when the question named a time and no hit is dated in it."""
    if not getattr(filters, "as_of", None) or filters.date_from or filters.date_to:
        return None
    period = question_period(question, filters.as_of)
    if period is None or any(dated_in(h.passage, period) for h in hits):
        return None
    return f"nothing in the archive is dated {period.describe()}; answered from the whole archive"
