"""Articles into citable passages: whole sentences, quotes kept whole, exact offsets.

A passage is a run of whole sentences no longer than `max_chars`, with a small overlap
of trailing sentences so an answer that straddles two passages is still found. Every
passage records its character offsets into the article text, so
`article.text[start:end] == text` and a quote can be highlighted in the article later.

The size rule: a passage never exceeds `max_chars`, with one exception, a single
quotation (“…”, "…", 「…」, 『…』, ‘…’, with a short attribution such as 某某说。 after it)
longer than `max_chars` but within `QUOTE_FACTOR * max_chars`: it is kept whole as a
passage of its own, because a quotation cut in two misquotes its speaker. A longer
quotation falls back to sentences. Answers and checks cut their quotes from sentences
inside a passage, so a quote is never longer than the passage it comes from.

Text without sentence punctuation (OCR dumps, captions: words separated by spaces, or
nothing at all) is cut into pseudo-sentences: at the spaces between Chinese words, else
at jieba word boundaries, each at most `RUN_CHARS` long; nothing is cut inside a word.
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
_OPEN_QUOTES = "“「『‘"
_CLOSE_QUOTES = "”」』’"
# A sentence after a quotation that only says who said it (…”镇党委书记吴嘉禾说。) stays with it.
_ATTRIBUTION = re.compile(r"[^。！？!?]{0,24}(?:说|表示|指出|介绍|称|强调|坦言|笑道|告诉记者)[。，,：:]?")
QUOTE_FACTOR = 2
# Longest pseudo-sentence cut from text without punctuation (characters); short enough that
# a quote cut from it reads as a quote (the answerer trims quotes to ~48-90 characters).
RUN_CHARS = 60
# Longest sentence span (the default passage size): a longer sentence is cut at clause
# marks or words, so a quote cut from one sentence never outgrows a default passage.
SENTENCE_CHARS = 200
_PUNCT = re.compile(r"[。！？!?…，,；;：:、]")
# A space with a non-ASCII character on either side: in Chinese text it stands for punctuation.
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Contiguous (start, end) spans covering the text; whitespace between stays outside.

    A stretch over `RUN_CHARS` characters with no punctuation at all is cut at word
    boundaries (see `_run_spans`), so no "sentence" is a whole unpunctuated article; a
    punctuated sentence over `SENTENCE_CHARS` is cut at clause marks, else words.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        pos, end = line.start(), line.end()
        for m in _SENT_END.finditer(text, pos, end):
            spans.append((pos, m.end()))
            pos = m.end()
        if pos < end:
            spans.append((pos, end))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if not text[s:e].strip():
            continue
        s, e = _strip(text, s, e)
        if e - s > RUN_CHARS and not _PUNCT.search(text, s, e):
            out.extend(_run_spans(text, s, e))
        elif e - s > SENTENCE_CHARS:  # so a quote cut from a sentence fits in a default passage
            out.extend(_cut_long(text, s, e, SENTENCE_CHARS))
        else:
            out.append((s, e))
    return out


def _run_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Unpunctuated text: pieces between Chinese-word spaces, long pieces cut at words."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in _CJK_SPACE.finditer(text, start, end):
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        pieces.append((pos, end))
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        out.extend(_word_cut(text, s, e, RUN_CHARS) if e - s > RUN_CHARS else [(s, e)])
    return out


def _word_bounds(text: str, start: int, end: int) -> list[int]:
    """Offsets inside (start, end) where a jieba word (or a run of spaces) ends."""
    import jieba

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter is not for users
    return [start + e for _, _, e in jieba.tokenize(text[start:end], HMM=False)][:-1]


def _word_cut(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut [start, end) into pieces of at most `limit` at word boundaries (a word longer
    than `limit`, e.g. a URL, is cut at the limit as a last resort)."""
    bounds = _word_bounds(text, start, end)
    out: list[tuple[int, int]] = []
    while end - start > limit:
        fitting = [b for b in bounds if start < b <= start + limit]
        cut = fitting[-1] if fitting else start + limit
        out.append(_strip(text, start, cut))
        start = cut
    out.append(_strip(text, start, end))
    return [(s, e) for s, e in out if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quote_balance(seg: str, straight_open: bool) -> tuple[int, bool]:
    """Net opened curly/corner quotes in `seg`, and whether a straight \" is open after it.

    Straight double quotes toggle: the first opens, the next closes (case 01).
    """
    depth = sum(seg.count(q) for q in _OPEN_QUOTES) - sum(seg.count(q) for q in _CLOSE_QUOTES)
    return depth, straight_open ^ (seg.count('"') % 2 == 1)


def _quote_units(text: str, spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int, bool]]:
    """Merge the sentences of one quotation (“…。…。” or "…。…。") so a quote is never split.

    Returns (start, end, whole): `whole` marks a quotation of several sentences, which is
    not cut even when longer than `max_chars` (it is within QUOTE_FACTOR * max_chars).
    """
    units: list[tuple[int, int, bool]] = []
    depth = 0
    straight = False
    group: list[tuple[int, int]] = []
    limit = QUOTE_FACTOR * max_chars
    for i, (s, e) in enumerate(spans):
        delta, straight = _quote_balance(text[s:e], straight)
        depth = max(depth + delta, 0)  # a stray closing mark (an apostrophe ’) opens nothing
        group.append((s, e))
        if depth == 0 and not straight:
            quoted = len(group) > 1
            if quoted and i + 1 < len(spans) and _is_attribution(text, e, spans[i + 1]):
                continue  # the speaker's sentence joins the quotation (next span closes the group)
            if group[-1][1] - group[0][0] <= limit or len(group) == 1:
                units.append((group[0][0], group[-1][1], len(group) > 1))
            else:  # a quotation longer than QUOTE_FACTOR passages: fall back to its sentences
                units.extend((gs, ge, False) for gs, ge in group)
            group = []
    if group:  # unbalanced quotes (a typo on the page): keep the sentences as they are
        units.extend((gs, ge, False) for gs, ge in group)
    return units


def _is_attribution(text: str, end: int, nxt: tuple[int, int]) -> bool:
    s, e = nxt
    return not text[end:s].count("\n") and bool(_ATTRIBUTION.fullmatch(text, s, e))


def _cut_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """A single sentence over the limit: cut at clause marks, else at a word boundary."""
    bounds: list[int] | None = None
    while end - start > max_chars:
        window_end = start + max_chars
        cut = None
        for m in _CLAUSE_END.finditer(text, start, window_end):
            if m.end() - start >= max_chars // 3:
                cut = m.end()
        if cut is None:
            bounds = bounds if bounds is not None else _word_bounds(text, start, end)
            fitting = [b for b in bounds if start < b <= window_end]
            cut = fitting[-1] if fitting else window_end
        s, e = _strip(text, start, cut)
        if e > s:
            yield s, e
        start = _strip(text, cut, end)[0]
    if start < end:
        yield start, end


def split_units(text: str, max_chars: int) -> list[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    for s, e, whole in _quote_units(text, sentence_spans(text), max_chars):
        units.extend([(s, e)] if whole else _cut_long(text, s, e, max_chars))
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
