"""Read a printed newspaper page the way a reader of the paper would.

The page arrives as text with the layout's marks: `#` headline lines, `■` bylines,
`###` column labels, a masthead, a footer, paragraphs broken mid-word where a column
ended, and articles whose body is printed in fragments scattered over the page
("continued" pieces with no headline). This module turns that into articles:

1. lines are classified (masthead, headline, byline, column label, footer, paragraph);
2. consecutive headline lines form one headline block (引题 / 主题 / 副题) and start an item;
3. paragraphs follow the item above them until a column label or the footer closes it;
4. a paragraph printed twice is kept once, with the item it fits best;
5. headline-less fragments are attached to the item whose words they share, then
   chained into reading order: an open-ended fragment is followed by the fragment
   that continues it, and fragments that refer back (当天, 他表示) come later.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

SENTENCE_END = "。！？!?…"
CLOSERS = "”’」』）)》"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ROLE_WORDS = ("本报记者", "见习记者", "实习生", "通讯员", "记者", "摄影", "摄", "文/图", "文", "图")
_KNOWN_PAPERS = {"JIAXING DAILY": "嘉兴日报"}
_FOOTER = re.compile(r"地址[:：]|电话[:：]|总机|邮编[:：]")
_WEATHER = re.compile(r"(气温|阵风|[东南西北偏]+风\d|多云|降水概率|最[高低]气温)")
_COLUMN = re.compile(r"栏目统筹|责任编辑|^[A-Z]{6,}\b")
# Fragments opening with these refer back to something told earlier on the page.
_ANAPHORA = re.compile(r"^(当天|当日|同日|次日|随后|此后|之后|其间|他|她|其|该)")
# Openings that begin a sentence, so cannot continue a fragment cut mid-sentence.
_SENTENCE_START = re.compile(
    r"^(本报讯|据悉|据了解|\d{1,2}月\d{1,2}日|(当天|当日|同日|次日)[上下]午|他表示|她表示)"
)
# Single characters that end a phrase as a whole word, not as half of one.
_FUNCTION_CHARS = set("的了和与及等在是也都就着过并或而对向从把被为以")
# Characters that cannot begin a sentence: a fragment starting with one continues another.
_NON_INITIAL = set("了的地得着过们、，,。；;：:）)」”’")


@dataclass
class _Item:
    kind: str = "article"
    kicker: str = ""
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    byline: str = ""
    column: str = ""
    paras: list[str] = field(default_factory=list)  # in flow, as printed
    fragments: list[str] = field(default_factory=list)  # attached from elsewhere

    @property
    def headline(self) -> str:
        return " ".join(p for p in (self.kicker, self.title, self.subtitle) if p)


@dataclass(frozen=True)
class ParsedItem:
    kind: str
    kicker: str
    title: str
    subtitle: str
    authors: tuple[str, ...]
    byline: str
    column: str
    text: str


@dataclass(frozen=True)
class ParsedPage:
    paper: str
    edition: str
    items: tuple[ParsedItem, ...]
    notes: tuple[str, ...]  # what the parser decided that a person may want to check


def looks_like_page(text: str) -> bool:
    """A page has several headlines or bylines; a single article file has at most one."""
    heads = sum(1 for line in text.splitlines() if line.startswith("#"))
    bylines = sum(1 for line in text.splitlines() if line.lstrip().startswith("■"))
    return heads >= 3 or bylines >= 2


def is_open_ended(text: str) -> bool:
    """True when a paragraph stops mid-sentence (the layout cut it)."""
    t = text.rstrip().rstrip(CLOSERS)
    return bool(t) and t[-1] not in SENTENCE_END


# 本报讯（记者 张宇青 通讯员 赵亦韵）: the credit printed in the lead of an article file or web page
_DATELINE_CREDIT = re.compile(
    r"^\s*(?:本报讯|本报[\u4e00-\u9fff]{1,6}讯|[\u4e00-\u9fff]{2,8}讯)?\s*[（(]\s*"
    r"(?P<credit>(?:本报记者|见习记者|记者|通讯员|实习生|摄影)[^（）()\n]{1,60}?)\s*[）)]"
)


def dateline_byline(text: str) -> str:
    """The credit in an article's lead: 本报讯（记者 张宇青 通讯员 赵亦韵）… -> 记者 张宇青 通讯员 赵亦韵;
    "" when the lead prints none."""
    for line in text.lstrip().splitlines()[:3]:  # a headline the loader did not lift may come first
        if m := _DATELINE_CREDIT.match(line):
            return m.group("credit").strip()
    return ""


def parse_byline(line: str) -> tuple[str, ...]:
    """`■记者 张宇青 通讯员 赵亦韵` -> (张宇青, 赵亦韵); a pen name stays as written."""
    names: list[str] = []
    for token in re.split(r"[\s、，,]+", line.lstrip("■")):
        for role in _ROLE_WORDS:
            if token.startswith(role):
                token = token[len(role) :]
                break
        token = token.strip(":：")
        if token:
            names.append(token)
    return tuple(names)


def parse_page(text: str, *, paper: str = "", edition: str = "") -> ParsedPage:
    items: list[_Item] = []
    orphans: list[tuple[int, str]] = []  # (page order, paragraph) printed outside any flow
    footer: list[str] = []
    notes: list[str] = []
    current: _Item | None = None
    column_owner: _Item | None = None  # the item a run of column-label lines belongs to
    in_headline = False
    seen_content = False
    order = 0

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        order += 1
        level = len(line) - len(line.lstrip("#"))
        body = line.lstrip("#").strip()

        if not seen_content and _is_masthead(body):
            if m := re.fullmatch(r"(\S{1,8}版)", body):
                edition = edition or m.group(1)
            elif body.upper() in _KNOWN_PAPERS:
                paper = paper or _KNOWN_PAPERS[body.upper()]
            in_headline = False
            continue
        if level in (1, 2):
            seen_content = True
            # A 主题 after a 副题 starts a new headline block; 引题 + 主题 stay together.
            if not in_headline or (level == 1 and current is not None and current.subtitle):
                current = _Item()
                items.append(current)
            assert current is not None
            _add_headline_line(current, level, body)
            in_headline = True
            continue
        in_headline = False
        if level >= 3 or _COLUMN.search(body):
            owner = current or column_owner
            if owner is not None and not footer:
                # The pinyin of the column name (DIYIPIGLUN) is decoration.
                label = re.sub(r"\b[A-Z]{6,}\b", "", body).strip()
                owner.column = (owner.column + " " + label).strip()
                if "评" in body:
                    owner.kind = "commentary"
            column_owner = owner
            current = None  # a column box closes the flow of the item above it
            continue
        column_owner = None
        if body.startswith("■"):
            if current is not None:
                current.byline = body
                current.authors.extend(parse_byline(body))
                if "摄" in body.split()[0]:
                    current.kind = "photo"
            continue
        if _FOOTER.search(body) or (footer and _WEATHER.search(body) and current is None):
            footer.append(body)
            current = None
            continue
        seen_content = True
        if current is not None:
            current.paras.append(body)
        else:
            orphans.append((order, body))

    _drop_repeated(items, orphans, notes)
    _attach_orphans(items, orphans, notes)
    parsed = [_finish(item) for item in items]
    if footer:
        parsed.append(ParsedItem("notice", "", _footer_title(footer), "", (), "", "", "\n".join(footer)))
    return ParsedPage(paper, edition, tuple(p for p in parsed if p.text or p.title), tuple(notes))


def _is_masthead(body: str) -> bool:
    return bool(
        re.fullmatch(r"\S{1,8}版", body)
        or body.upper() in _KNOWN_PAPERS
        or "客户端" in body
        or re.fullmatch(r"[A-Z][A-Z .]+", body)
    )


def _add_headline_line(item: _Item, level: int, body: str) -> None:
    if level == 2:
        item.subtitle = (item.subtitle + " " + body).strip()
    elif item.title:
        # Two 主题-level lines: the first was the 引题 printed above the main headline.
        item.kicker = (item.kicker + " " + item.title).strip()
        item.title = body
    else:
        item.title = body


def _footer_title(footer: list[str]) -> str:
    first = footer[0]
    return first.split("地址")[0].strip() or "版面信息"


# --- affinity: which item a paragraph belongs to -------------------------------------


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if _CJK.match(c) or c.isalnum()]
    return {a + b for a, b in pairwise(chars)}


class _Affinity:
    """IDF-weighted share of a paragraph's character bigrams found in a piece of text."""

    def __init__(self, paragraphs: list[str]) -> None:
        df: Counter[str] = Counter()
        for p in paragraphs:
            df.update(_bigrams(p))
        n = max(len(paragraphs), 1)
        self.idf = {b: math.log((n + 1) / (c + 0.5)) for b, c in df.items()}

    def _weight(self, grams: set[str]) -> float:
        return sum(self.idf.get(b, 1.0) for b in grams)

    def __call__(self, para: str, text: str) -> float:
        grams = _bigrams(para)
        if not grams:
            return 0.0
        return self._weight(grams & _bigrams(text)) / self._weight(grams)

    def cosine(self, a: str, b: str) -> float:
        """Symmetric: two fragments of one story share rare words whatever their length."""
        ga, gb = _bigrams(a), _bigrams(b)
        if not ga or not gb:
            return 0.0
        return self._weight(ga & gb) / math.sqrt(self._weight(ga) * self._weight(gb))


def _item_text(item: _Item, exclude: str | None = None) -> str:
    parts = [item.headline, item.headline, *item.paras, *item.fragments]
    return "\n".join(p for p in parts if p != exclude)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _drop_repeated(items: list[_Item], orphans: list[tuple[int, str]], notes: list[str]) -> None:
    """Keep a paragraph printed twice once: with the item it fits best."""
    places: dict[str, list[tuple[_Item | None, int]]] = {}
    for item in items:
        for i, p in enumerate(item.paras):
            places.setdefault(_normalise(p), []).append((item, i))
    for i, (_, p) in enumerate(orphans):
        places.setdefault(_normalise(p), []).append((None, i))
    affinity = _Affinity([p for item in items for p in item.paras] + [p for _, p in orphans])
    drop_paras: set[tuple[int, int]] = set()
    drop_orphans: set[int] = set()
    for copies in places.values():
        if len(copies) < 2:
            continue
        item0, i0 = copies[0]
        para = item0.paras[i0] if item0 else orphans[i0][1]
        scores = [affinity(para, _item_text(it, exclude=para)) if it else -1.0 for it, _ in copies]
        keep = scores.index(max(scores))
        for k, (it, i) in enumerate(copies):
            if k != keep:
                if it is None:
                    drop_orphans.add(i)
                else:
                    drop_paras.add((id(it), i))
        notes.append(f"paragraph printed twice, kept once: {para[:24]}…")
    for item in items:
        item.paras = [p for i, p in enumerate(item.paras) if (id(item), i) not in drop_paras]
    orphans[:] = [o for i, o in enumerate(orphans) if i not in drop_orphans]


def _attach_orphans(items: list[_Item], orphans: list[tuple[int, str]], notes: list[str]) -> None:
    """Give each headline-less fragment to the item it continues, most certain first."""
    if not orphans or not items:
        for _, p in orphans:
            notes.append(f"fragment with no article to continue, kept as its own item: {p[:24]}…")
            items.append(_Item(paras=[p]))
        return
    affinity = _Affinity([p for item in items for p in item.paras] + [p for _, p in orphans])
    pending = list(orphans)
    placed: dict[int, list[tuple[int, str]]] = {}
    while pending:
        best: tuple[float, int, int] | None = None
        for pi, (_, para) in enumerate(pending):
            for ii, item in enumerate(items):
                score = affinity(para, _item_text(item))
                # A headline printed with no body of its own is continued elsewhere.
                if not item.paras:
                    score += 0.05
                if best is None or score > best[0]:
                    best = (score, pi, ii)
        assert best is not None
        _, pi, ii = best
        order, para = pending.pop(pi)
        items[ii].fragments.append(para)
        placed.setdefault(ii, []).append((order, para))
    for ii, frags in placed.items():
        items[ii].fragments = _reading_order(frags, affinity)
        notes.append(f"{len(frags)} scattered fragment(s) joined to 「{items[ii].title}」")


def _reading_order(frags: list[tuple[int, str]], affinity: _Affinity) -> list[str]:
    """Chain fragments: an open-ended one is followed by the fragment that continues it."""
    n = len(frags)
    texts = [p for _, p in sorted(frags)]
    succ: dict[int, int] = {}
    pred: dict[int, int] = {}
    broken = [_ends_mid_word(t) for t in texts]
    pairs = []
    for a in range(n):
        if not is_open_ended(texts[a]):
            continue
        for b in range(n):
            if a != b:
                score = affinity.cosine(texts[a], texts[b])
                if broken[a]:
                    # The word was cut and its end is lost: what follows starts afresh.
                    score += 0.0 if _SENTENCE_START.match(texts[b]) else -0.2
                elif texts[b][0] in _NON_INITIAL:
                    score += 0.5
                elif _SENTENCE_START.match(texts[b]):
                    score -= 0.3
                pairs.append((score, a, b))
    for _, a, b in sorted(pairs, reverse=True):
        if a in succ or b in pred or _reaches(succ, b, a):
            continue
        succ[a], pred[b] = b, a
    chains = []
    for start in range(n):
        if start in pred:
            continue
        chain, i = [start], start
        while i in succ:
            i = succ[i]
            chain.append(i)
        chains.append(chain)
    # Page order, except that chains referring back (当天…, 他表示…) follow the others.
    chains.sort(key=lambda c: (bool(_ANAPHORA.match(texts[c[0]])), c[0]))
    return [texts[i] for chain in chains for i in chain]


def _ends_mid_word(text: str) -> bool:
    """True when the last word is cut (…等情 for 情况): no fragment can complete it."""
    import jieba  # only pages with scattered fragments need the dictionary

    jieba.setLogLevel(60)

    tail = text.rstrip()[-8:]
    if not tail or not _CJK.match(tail[-1]):
        return False
    last = jieba.lcut(tail, HMM=False)[-1]
    return len(last) == 1 and last not in _FUNCTION_CHARS


def _reaches(succ: dict[int, int], start: int, target: int) -> bool:
    i = start
    while i in succ:
        i = succ[i]
        if i == target:
            return True
    return i == target


def _join(paragraphs: list[str]) -> str:
    """Join paragraphs, mending the ones the layout cut mid-sentence or mid-word."""
    out = ""
    for p in paragraphs:
        if not out:
            out = p
        elif is_open_ended(out) and not _SENTENCE_START.match(p):
            out += p
        else:
            out += "\n" + p
    return out


def _finish(item: _Item) -> ParsedItem:
    return ParsedItem(
        kind=item.kind,
        kicker=item.kicker,
        title=item.title,
        subtitle=item.subtitle,
        authors=tuple(dict.fromkeys(item.authors)),
        byline=item.byline,
        column=item.column,
        text=_join(item.paras + item.fragments),
    )
