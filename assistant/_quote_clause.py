"""How an extractive answer quotes its article: the sentence cut into clauses, the part of the
chosen clause that is quoted, and the answer's words around the quote (据…：“…”[1]).

The reader never writes a fact, so the quote is the answer: too short and a figure has no
subject, too long and the user cannot see which figure answers. Offsets found in the folded
text are those of the article as printed, so the quote is cut from printed text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .records import Citation

if TYPE_CHECKING:
    from ._read_extractive import _Clause


MAX_QUOTE = 90  # characters; longer clauses without a typed answer are cut here
SHORT_QUOTE = 48  # characters around a typed answer (the 16家): one short sentence
_SUBCLAUSE = re.compile(r"[，,；;：:]")


def _clause_spans(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """A sentence cut at semicolons (and 那…… runs), the unit an answer quotes."""
    out = []
    pos = s
    for m in re.finditer(r"[；;]|…{2,}", text[s:e]):
        out.append((pos, s + m.start()))
        pos = s + m.end()
    out.append((pos, e))
    return [_trim(text, a, b) for a, b in out if text[a:b].strip("，,。；;：: ")]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \n，,。；;：:":
        a += 1
    while b > a and text[b - 1] in " \n，,；;：:":
        b -= 1
    return a, b


def _quote_window(c: _Clause, focus: tuple[int, int] | None) -> tuple[int, int]:
    """The comma-phrases around the answer (a short sentence), or a whole clause of modest length."""
    text = c.article.text
    if focus is None:
        if c.end - c.start <= 2 * MAX_QUOTE:
            return _balance(text, c.start, c.end)
        # Cut a long clause at its last comma or list mark, never mid-word (…产业基础等情).
        head = text[c.start : c.start + MAX_QUOTE]
        cut = max(head.rfind(mark) for mark in "，,；;：:、")
        end = c.start + (cut if cut >= MAX_QUOTE // 3 else MAX_QUOTE)
        return _balance(text, *_trim(text, c.start, end))
    cuts = [c.start] + [c.start + m.end() for m in _SUBCLAUSE.finditer(text[c.start : c.end])] + [c.end]
    phrases = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] > cuts[i]]
    idx = next((i for i, (a, b) in enumerate(phrases) if a <= focus[0] < b), 0)
    lo = hi = idx
    # The phrase before usually names the subject (我市…, 集团…); the one after only when the
    # answer's own phrase is too short to read alone.
    if lo > 0 and phrases[hi][1] - phrases[lo - 1][0] <= SHORT_QUOTE:
        lo -= 1
    if (
        phrases[hi][1] - phrases[hi][0] < 12
        and hi + 1 < len(phrases)
        and phrases[hi + 1][1] - phrases[lo][0] <= SHORT_QUOTE
    ):
        hi += 1
    a, b = _trim(text, phrases[lo][0], phrases[hi][1])
    if not (a <= focus[0] and focus[1] <= b):
        a, b = focus
    return _balance(text, a, b)


def _balance(text: str, a: int, b: int) -> tuple[int, int]:
    """Drop a quotation mark left open or closed at either edge: “今年,… reads as 今年,…."""
    a, b = _trim(text, a, b)
    for _ in range(2):
        quote = text[a:b]
        if b - a > 1 and quote[0] in "“‘「" and not any(q in quote[1:] for q in "”’」"):
            a += 1
        if b - a > 1 and quote[-1] in "”’」" and not any(q in quote[:-1] for q in "“‘「"):
            b -= 1
        if b - a > 2 and quote[-1] in "”’」" and quote[-2] in "。！？" and quote[0] not in "“‘「":
            b -= 1
    return a, b


def _compose(c: Citation, lang: str) -> str:
    if lang == "en":
        quote = _quoted(c.quote, '"', '"')
        return f"According to {c.named('en')} ({c.date or 'date unknown'}): {quote} [{c.n}]"
    return f"据{c.named()}（{c.date or '日期不详'}）：{_quoted(c.quote, '“', '”')}[{c.n}]"


def _quoted(quote: str, left: str, right: str) -> str:
    """The quote in quotation marks, unless it is already a whole quotation (no ““…””)."""
    if quote[:1] in "“「『" and quote[-1:] in "”」』":
        return quote
    return f"{left}{quote}{right}"
