"""Articles into citable passages: whole sentences, quotes kept whole, exact offsets.

A passage is a run of whole sentences no longer than `max_chars` (a sentence is cut
only when it alone is longer), with a small overlap of trailing sentences so an
answer that straddles two passages is still found. Every passage records its
character offsets into the article text, so `article.text[start:end] == text`
and a quote can be highlighted in the article later.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

from .records import Article, Passage

# A sentence ends at 。！？!? or an ellipsis, plus any closing quotes/brackets after it;
# an English full stop counts only before whitespace, so 4.3亿元 and 5.2% stay whole.
_SENT_END = re.compile(r"(?:[。！？!?]+|…+|\.(?=\s|$))[”’」』）)》\"']*")
_CLAUSE_END = re.compile(r"[，,；;：:、]")
_OPEN_QUOTES = "“「『"
_CLOSE_QUOTES = "”」』"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Contiguous (start, end) spans covering the text; whitespace between stays outside."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        pos, end = line.start(), line.end()
        for m in _SENT_END.finditer(text, pos, end):
            spans.append((pos, m.end()))
            pos = m.end()
        if pos < end:
            spans.append((pos, end))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quote_units(text: str, spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Merge the sentences of one quotation (“…。…。”) so a quote is never split."""
    units: list[tuple[int, int]] = []
    depth = 0
    group: list[tuple[int, int]] = []
    for s, e in spans:
        seg = text[s:e]
        depth += sum(seg.count(q) for q in _OPEN_QUOTES) - sum(seg.count(q) for q in _CLOSE_QUOTES)
        group.append((s, e))
        if depth <= 0:
            depth = 0
            if group[-1][1] - group[0][0] <= max_chars or len(group) == 1:
                units.append((group[0][0], group[-1][1]))
            else:  # a quotation longer than a passage: fall back to its sentences
                units.extend(group)
            group = []
    if group:  # unbalanced quotes (a typo on the page): keep the sentences as they are
        units.extend(group)
    return units


def _cut_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """A single sentence over the limit: cut at clause marks, else hard at the limit."""
    while end - start > max_chars:
        window_end = start + max_chars
        cut = None
        for m in _CLAUSE_END.finditer(text, start, window_end):
            if m.end() - start >= max_chars // 3:
                cut = m.end()
        cut = cut or window_end
        yield start, cut
        start = cut
    if start < end:
        yield start, end


def split_units(text: str, max_chars: int) -> list[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    for s, e in _quote_units(text, sentence_spans(text), max_chars):
        units.extend(_cut_long(text, s, e, max_chars))
    return units


def passage_id(article_id: str, position: int, text: str) -> str:
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{article_id}:{position:04d}:{digest}"


def split_article(article: Article, max_chars: int = 200, overlap_chars: int = 60) -> list[Passage]:
    """Pack whole units into passages of at most `max_chars`, overlapping by whole sentences."""
    text = article.text
    units = split_units(text, max_chars)
    passages: list[Passage] = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1][1] - units[i][0] <= max_chars:
            j += 1
        start, end = units[i][0], units[j][1]
        position = len(passages)
        body = text[start:end]
        passages.append(
            Passage(
                id=passage_id(article.id, position, body),
                article_id=article.id,
                position=position,
                start=start,
                end=end,
                text=body,
                title=article.headline,
                date=article.date,
                source=article.source,
                authors=article.authors,
            )
        )
        if j + 1 >= len(units):
            break
        # Next passage starts with the trailing sentences of this one that fit the overlap.
        k = j + 1
        while k - 1 > i and units[j][1] - units[k - 1][0] <= overlap_chars:
            k -= 1
        i = k
    return passages


def split_articles(
    articles: Iterable[Article], max_chars: int = 200, overlap_chars: int = 60
) -> list[Passage]:
    return [p for a in articles for p in split_article(a, max_chars, overlap_chars)]
