"""Claims checked against the archive, fact by fact, with verbatim quotes as evidence.

A claim is split into facts (clauses). For each fact the archive is searched, the
retrieved passages are cut into sentences (and at ；, so one project of a long list
is one piece of evidence), and the sentences that hold most of the fact's words are
compared with it: numbers with their units, dates, directions (增长/下降, 提前/推迟),
and the entity filling the same slot of the same frame (淡马锡 vs GIC).

No model judges the claim: the comparison is by rule, so every verdict can be
explained ("claim 20家, article 16家") and every quote is `article.text[start:end]`.
A fact whose subject the archive holds but whose number or date it never states is
`not_found`, not `contradicted`: silence is not a denial.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ._batch import requests
from ._facts import (
    BATCH_MARKER,
    UNITS,
    TimeExpr,
    content_terms,
    find_directions,
    find_people,
    find_quantities,
    find_times,
)
from ._search import Filters, Searcher, clean_query
from ._split_passages import sentence_spans
from .config import Settings
from .errors import EmptyQueryError, InputError
from .records import Article, CheckResult, Citation, Hit

# How much of a fact's wording a sentence must hold to be about the same thing, and,
# for a fact with nothing to compare (no number, date or direction), to support it.
MIN_COVERAGE = 0.5
SUPPORT_COVERAGE = 0.75
# A supporting sentence this close in score to a contradicting one wins: archives
# repeat a figure in several places, and one stray sentence should not flip a verdict.
SUPPORT_MARGIN = 0.15
HITS_PER_QUERY = 8
MAX_FACTS = 12  # each fact is a search: a pasted article is not a claim

_FACT_SPLIT = re.compile(r"[，,；;。！？!?]+|并且|而且|同时")
_AND_SPLIT = re.compile(r"[、和及并]")
_UNIT_SPLIT = re.compile(r"[；;]")
# Units _facts does not list, and spellings that mean the same unit.
_EXTRA_UNIT = re.compile(r"美元|欧元|港元|港币|英镑|日元|韩元|卢布|摄氏度")
_UNIT_AFTER = re.compile("|".join(sorted((*UNITS, *_EXTRA_UNIT.pattern.split("|")), key=len, reverse=True)))
_SAME_UNIT = {"名": "人", "位": "人", "摄氏度": "℃", "度": "℃", "％": "%", "港币": "港元"}
_ABOVE_BEFORE = ("超过", "超", "逾", "多于", "高于", "大于", "突破")
_AT_LEAST_BEFORE = ("至少", "不少于")
# 超过/突破 X in news means a little over X: a claim of 1.5 X is not "over X".
_JUST_ABOVE = 1.3
_BELOW_BEFORE = ("不到", "不足", "少于", "低于", "小于", "不超过", "最多")
_NEAR_BEFORE = ("将近", "接近", "近")
_ABOUT_BEFORE = ("大约", "约", "大概")
_PROPER = ("nr", "ns", "nt", "nz", "eng", "nrt", "nrfg")
_FUNCTION_CHARS = set("是的为由在于了将说称和与及并其之也都")
_LABEL_SKIP = set(
    "为 是 达 达到 约 了 共 共计 有 至 的 超过 已 已经 仍 将 在 了 近 逾 大约 总计 合计 约为 "
    "今天 明天 昨天 今年 去年 明年 当天 当日 日前 近日 目前 截至 截止 "
    "于 从 到 每 全 全年 整个 而 较 比".split()
)


# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class _Item:
    """One comparable thing in a text: a number with its unit, a date, a year."""

    kind: str  # qty:<unit> | ord:<unit> | date | year | day
    text: str
    start: int
    end: int
    lo: float = 0.0
    hi: float = 0.0
    time: TimeExpr | None = None


@dataclass(frozen=True)
class _Unit:
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


@dataclass
class _Outcome:
    status: str  # supported | contradicted | not_found
    diffs: list[str] = field(default_factory=list)
    agrees: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ text into comparable items


def normalise(text: str) -> str:
    """Width, quotes and a few spellings made uniform, so 摄氏度 = ℃ and 百分之三十二 = 三十二%."""
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("°C", "℃").replace("摄氏度", "℃")
    t = re.sub(r"百分之([零〇一二两三四五六七八九十百千\d.]+)", r"\1%", t)
    t = re.sub(r"[“”„‟「」『』〝〞＂]", '"', t)
    t = re.sub(r"[‘’]", "'", t)
    return t.lower()


def _step(number_text: str, magnitude: float) -> float:
    """The size of the last written digit: 2万多 -> 10000, 20多 -> 10, 4.3亿 -> 0.1亿."""
    m = re.match(r"(\d+)(?:\.(\d+))?", number_text)
    if not m:
        return magnitude
    if m.group(2):
        return magnitude * 10 ** -len(m.group(2))
    digits = m.group(1)
    return magnitude * 10 ** (len(digits) - len(digits.rstrip("0")))


def _bounds(
    text: str, start: int, end: int, value: float, high: float | None, approx: bool, number: str
) -> tuple[float, float]:
    """The interval a written number stands for, from 多/余, 超过, 近, 约, 以上, ranges."""
    if high is not None:
        return value, max(value, high)
    before = text[max(0, start - 3) : start]
    after = text[end : end + 2]
    mag = 1.0
    m = re.match(r"[\d.]+([万亿]+)", number)
    if m:
        mag = 1e4 ** m.group(1).count("万") * 1e8 ** m.group(1).count("亿")
    if approx:
        return value, value + _step(number, mag)
    if any(before.endswith(w) for w in _ABOVE_BEFORE) or after.startswith("多"):
        return value, value * _JUST_ABOVE
    if any(before.endswith(w) for w in _AT_LEAST_BEFORE) or after.startswith("以上"):
        return value, math.inf
    if any(before.endswith(w) for w in _BELOW_BEFORE) or after.startswith(("以下", "以内")):
        return 0.0, value
    if any(before.endswith(w) for w in _NEAR_BEFORE):
        return value * 0.85, value
    if any(before.endswith(w) for w in _ABOUT_BEFORE) or after.startswith(("左右", "上下")):
        return value * 0.9, value * 1.1
    if mag > 1:  # 252万 is rounded: it stands for 2,515,000 to 2,525,000
        half = _step(number, mag) / 2
        return value - half, value + half
    return value, value


def items(text: str) -> list[_Item]:
    """The numbers, ordinals and dates of (normalised) text, batch markers left out:
    首批 / 第二批 name *which* thing, they are checked as the frame, not as a value."""
    out: list[_Item] = []
    batch = [(m.start(), m.end()) for m in BATCH_MARKER.finditer(text)]
    for q in find_quantities(text):
        if any(s <= q.start < e for s, e in batch) or q.text[0] in "万亿千百":
            continue  # a lone 亿 is the tail of 1.3万亿, not a number
        unit, end, value = q.unit, q.end, q.value
        if not unit and q.text.endswith("万") and text.startswith("亿", q.end):
            value, end = value * 1e8, q.end + 1  # 1.3万亿斤
            m = _UNIT_AFTER.match(text, end)
            if not m:
                continue
            unit, end = m.group(0), m.end()
            q = replace(q, value=value, text=text[q.start : end], end=end)
        if not unit:
            m = _EXTRA_UNIT.match(text, q.end)
            if not m:
                continue  # a bare number: nothing says what it counts
            unit, end = m.group(0), m.end()
        unit = _SAME_UNIT.get(unit, unit)
        number = q.text[1:] if q.ordinal and q.text.startswith("第") else q.text
        lo, hi = (
            (q.value, q.value)
            if q.ordinal
            else _bounds(text, q.start, end, q.value, q.high, q.approx, number)
        )
        out.append(
            _Item(f"{'ord' if q.ordinal else 'qty'}:{unit}", text[q.start : end], q.start, end, lo, hi)
        )
    for t in find_times(text):
        if t.frequency:
            continue
        if t.month is not None:
            out.append(_Item("date", t.text, t.start, t.end, time=t))
        elif t.year is not None:
            out.append(_Item("year", t.text, t.start, t.end, time=t))
        elif t.day_offset is not None:
            out.append(_Item("day", t.text, t.start, t.end, time=t))
    return sorted(out, key=lambda i: i.start)


def consistent(claim: _Item, article: _Item) -> bool:
    """Can both be true? Intervals overlap; dates fall in the same month/day/part."""
    if claim.kind in ("date", "year", "day"):
        a, b = claim.time, article.time
        assert a is not None and b is not None
        if a.year is not None and b.year is not None and a.year != b.year:
            return False
        if claim.kind == "day":
            return a.day_offset == b.day_offset and (not a.part or not b.part or a.part == b.part)
        if claim.kind == "year":
            return True
        same = a.same_as(b)
        if same is False and a.month == b.month and a.part and b.part and a.day is None and b.day is None:
            return _part_overlap(a.part, b.part)
        return same is not False
    eps = 1e-9 * max(1.0, abs(claim.lo), abs(article.lo))
    return claim.lo <= article.hi + eps and article.lo <= claim.hi + eps


_PART_RANGE = {
    "初": (1, 10),
    "上旬": (1, 10),
    "中旬": (11, 20),
    "中": (11, 20),
    "下旬": (21, 31),
    "底": (21, 31),
    "末": (21, 31),
}


def _part_overlap(a: str, b: str) -> bool:
    ra, rb = _PART_RANGE.get(a), _PART_RANGE.get(b)
    if ra is None or rb is None:
        return a == b
    return ra[0] <= rb[1] and rb[0] <= ra[1]


# ------------------------------------------------------------------ splitting a claim


def split_facts(claim: str) -> list[str]:
    """Clauses of a claim, each a fact to check. 和/、 split only between two clauses that
    each state a number (投资4.3亿元和同比增长32%), never inside a list of names."""
    parts: list[str] = []
    lead = ""
    for clause in _FACT_SPLIT.split(claim):
        clause = clause.strip(" 　")
        if not clause:
            continue
        pieces = _split_on_and(clause)
        for piece in pieces:
            if lead:  # a leading 2022年上半年， belongs to the clause it dates
                piece, lead = lead + "，" + piece, ""
            if not _terms(_mask(normalise(piece), items(normalise(piece)))):
                lead = piece
            # A fragment too short to state anything (a name in a list) stays with its neighbour.
            elif parts and len(re.sub(r"[^\w]", "", piece)) < 4:
                parts[-1] = parts[-1] + "，" + piece
            else:
                parts.append(piece)
    if lead:
        parts.append(lead)
    return parts or [claim.strip()]


def _split_on_and(clause: str) -> list[str]:
    cuts = [m.start() for m in _AND_SPLIT.finditer(clause)]
    if not cuts:
        return [clause]
    pieces: list[str] = []
    start = 0
    for c in cuts:
        left, right_end = clause[start:c], (next((x for x in cuts if x > c), len(clause)))
        right = clause[c + 1 : right_end]
        if items(normalise(left)) and items(normalise(right)):
            pieces.append(left)
            start = c + 1
    pieces.append(clause[start:])
    return [p for p in pieces if p.strip()]


# ------------------------------------------------------------------ wording overlap


def _terms(text: str) -> list[tuple[str, float]]:
    """The content words of a fact with weights: names count double, single characters half."""
    import jieba.posseg as pseg

    proper = {w.word for w in pseg.cut(text) if w.flag in _PROPER and len(w.word) >= 2}
    out = []
    for t in content_terms(text):
        w = 2.0 if t in proper else (0.5 if len(t) == 1 else 1.0)
        out.append((t.lower(), w))
    return out


def _mask(text: str, found: list[_Item]) -> str:
    """Numbers and dates out, so wording overlap is about the subject, not the value."""
    chars = list(text)
    for it in found:
        for i in range(it.start, it.end):
            chars[i] = " "
    return "".join(chars)


def coverage(terms: list[tuple[str, float]], text: str) -> float:
    total = sum(w for _, w in terms)
    if not total:
        return 0.0
    got = 0.0
    for t, w in terms:
        if t in text:
            got += w
        elif len(t) >= 3:  # a longer word partly there (总投资 / 投资) counts for a little
            bigrams = [t[i : i + 2] for i in range(len(t) - 1)]
            got += 0.5 * w * sum(b in text for b in bigrams) / len(bigrams)
    return got / total


# ------------------------------------------------------------------ one fact against one sentence


def _label(text: str, it: _Item) -> str:
    """The word printed just before a number in the article: 沿海 in 沿海24℃, 增长 in 同比增长32%."""
    import jieba

    before = re.split(r"[,，;；:：、。(（]", text[max(0, it.start - 12) : it.start])[-1]
    words = [
        w
        for w in jieba.lcut(before)
        if w.strip() and w not in _LABEL_SKIP and not re.fullmatch(r"[\W\d]+", w)
    ]
    return words[-1] if words else ""


def _counted(text: str, it: _Item) -> str:
    """The word printed just after a number: 社区 in 8个社区建设."""
    import jieba

    after = re.split(r"[,，;；:：、。()（）\"\d]", text[it.end : it.end + 8])[0]
    words = [
        w for w in jieba.lcut(after) if w.strip() and w not in _LABEL_SKIP and not re.fullmatch(r"[\W\d]+", w)
    ]
    return words[0] if words else ""


def _other_thing(a: str, b: str) -> bool:
    return bool(a and b) and a not in b and b not in a


def _antonyms(word: str) -> set[str]:
    ds = find_directions(word)
    if not ds:
        return set()
    d = ds[0]
    from ._facts import _DIRECTIONS  # the shared table of direction words

    return {w for w, (axis, sign) in _DIRECTIONS.items() if axis == d.axis}


def _align(claim_text: str, c: _Item, unit_text: str, cands: list[_Item]) -> _Item | None:
    """The article's number in the same slot as the claim's: same kind, then the one whose
    label the claim repeats (沿海), then the nearest shared words, then the same value."""
    same = [u for u in cands if u.kind == c.kind]
    if c.kind == "year":  # 2022年 in the claim is also the year of 2022年6月1日
        same += [u for u in cands if u.kind == "date" and u.time and u.time.year]
    if c.kind.startswith(("qty:", "ord:")):
        # 8个社区 is not 25个安置房: a generic counter needs the same thing counted.
        ours = _counted(claim_text, c)
        same = [u for u in same if not _other_thing(ours, _counted(unit_text, u))]
    if len(same) <= 1:
        return same[0] if same else None
    claim_terms = [t for t, _ in _terms(claim_text)]

    def said(word: str) -> bool:  # 总产量 says 产量; 下降 answers 增长
        return (
            word in claim_text
            or any(len(t) >= 2 and t in word for t in claim_terms)
            or (len(word) >= 3 and (word[-2:] in claim_text or word[:2] in claim_text))
            or any(a in claim_text for a in _antonyms(word))
        )

    def score(u: _Item) -> tuple[int, int, int, int]:
        # The words printed either side of the number (沿海24℃, 12人死亡): one the claim
        # repeats marks its slot; words the claim lacks (内陆26℃) mark another slot.
        words = [w for w in (_label(unit_text, u), _counted(unit_text, u)) if w]
        hit = any(said(w) for w in words)
        prev_end = max((x.end for x in cands if x.end <= u.start), default=0)
        window = unit_text[max(prev_end, u.start - 20) : u.start]
        near = sum(t in window for t in claim_terms)
        return int(hit or not words), int(consistent(c, u)), int(hit), near

    return max(same, key=score)


def _frame_differs(claim_text: str, unit_text: str) -> str | None:
    """首批 vs 第二批, 一季度 vs 二季度: the article speaks of another batch or period."""
    ours = {m.group(0) for m in BATCH_MARKER.finditer(claim_text)}
    theirs = {m.group(0) for m in BATCH_MARKER.finditer(unit_text)}
    if not ours or not theirs or ours & theirs:
        return None

    def family(m: str) -> str:
        return "批" if m.endswith("批") else "期"

    for o in ours:
        others = [t for t in theirs if family(t) == family(o)]
        if others:
            return f"the archive speaks of {others[0]}, not {o}"
    return None


def _entity_diffs(
    claim_text: str, unit_text: str, claim_items: list[_Item], unit_items: list[_Item]
) -> list[str]:
    """A name in the claim that the sentence lacks, where the sentence puts another name in
    the same slot of the same wording: 新加坡[淡马锡]的全资子公司 vs 新加坡[政府投资公司(GIC)]的…"""
    import jieba.posseg as pseg

    names = [w.word for w in pseg.cut(claim_text) if w.flag in _PROPER and len(w.word) >= 2]
    names += [m.text for m in find_people(claim_text)]
    missing = [n for n in dict.fromkeys(names) if n not in unit_text]
    if not missing:
        return []
    a, b = _mask(claim_text, claim_items).replace(" ", "#"), _mask(unit_text, unit_items).replace(" ", "#")
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in sm.get_matching_blocks() if m.size >= 2 and a[m.a : m.a + m.size].strip("#")]
    diffs: list[str] = []
    gaps: list[tuple[int, int, int, int]] = []
    for left, right in itertools.pairwise(blocks):
        gaps.append((left.a + left.size, right.a, left.b + left.size, right.b))
    if blocks:  # the claim ends in the slot: the article's slot runs to its next clause mark
        last = blocks[-1]
        tail_end = re.search(r"[,，;；。:：!?！？]|$", b[last.b + last.size :])
        assert tail_end is not None
        gaps.append((last.a + last.size, len(a), last.b + last.size, last.b + last.size + tail_end.start()))
        first = blocks[0]
        head = re.split(r"[,，;；。:：!?！？]", b[: first.b])[-1]
        gaps.append((0, first.a, first.b - len(head), first.b))
    matched = sum(m.size for m in blocks)
    for ca, cb, ua, ub in gaps:
        claim_slot, unit_slot = claim_text[ca:cb], unit_text[ua:ub]
        if matched < 0.6 * len(a[:ca].strip("#") + a[cb:].strip("#")):
            continue  # the rest of the claim is not the sentence's wording: no common frame
        if not any(n in claim_slot or (claim_slot.strip() and claim_slot.strip("#") in n) for n in missing):
            continue
        if ub - ua > 24 or cb - ca > 24:
            continue  # not one slot of one frame: the sentence says something else there
        theirs = "".join(ch for ch in unit_slot if ch not in _FUNCTION_CHARS and ch.isalnum())
        ours = "".join(ch for ch in claim_slot if ch not in _FUNCTION_CHARS and (ch.isalnum() or ch in ".()"))
        if len(theirs) < 2 or not ours or theirs in claim_text:
            continue
        # Only a name against a name is a contradiction; 平湖 against 我市 or a reworded
        # phrase is the same thing said otherwise.
        people = [p.text for p in find_people(unit_text[max(0, ua - 6) : ub + 2]) if p.text in unit_slot]
        named = people or [w.word for w in pseg.cut(unit_slot) if w.flag in _PROPER and len(w.word) >= 2]
        named = [n for n in named if n not in claim_text]  # 德国 on both sides is no rival name
        if not named:
            continue
        diffs.append(f"claim {ours}, article {named[0] if people else theirs}")
    return diffs


def _other_year(claim_text: str, c_items: list[_Item], u_items: list[_Item]) -> str | None:
    """A figure for 2020 says nothing about 2021: with a value to compare, the year is
    the frame (like 首批), and only when the year is all the claim states is it the value."""
    years = [c.time.year for c in c_items if c.kind == "year" and c.time and c.time.year]
    has_value = any(c.kind != "year" for c in c_items) or find_directions(claim_text)
    theirs = {u.time.year for u in u_items if u.time and u.time.year}
    if not years or not has_value or not theirs or set(years) & theirs:
        return None
    return f"the archive's sentence is about {min(theirs)}年, not {years[0]}年"


def compare(fact: str, unit_text: str) -> _Outcome:
    """One fact against one sentence: supported, contradicted (with what differs), or
    not_found (the sentence is about the subject but never states the fact's value)."""
    ct, ut = normalise(fact), normalise(unit_text)
    frame = _frame_differs(ct, ut)
    if frame:
        return _Outcome("not_found", missing=[frame])
    c_items, u_items = items(ct), items(ut)
    frame = _other_year(ct, c_items, u_items)
    if frame:
        return _Outcome("not_found", missing=[frame])
    out = _Outcome("supported")
    for c in c_items:
        u = _align(ct, c, ut, u_items)
        if u is None:
            out.missing.append(c.text)
        elif consistent(c, u):
            out.agrees.append(f"{c.text} = {u.text}" if c.text != u.text else c.text)
        else:
            out.diffs.append(f"claim {c.text}, article {u.text}")
    for d in find_directions(ct):
        theirs = [x for x in find_directions(ut) if x.axis == d.axis]
        if theirs and not any(x.sign == d.sign for x in theirs):
            out.diffs.append(f"claim {d.word}, article {theirs[0].word}")
        elif theirs:
            out.agrees.append(d.word)
        else:
            out.missing.append(d.word)
    out.diffs.extend(_entity_diffs(ct, ut, c_items, u_items))
    if out.diffs:
        out.status = "contradicted"
    elif out.missing:
        out.status = "not_found"
    return out


# ------------------------------------------------------------------ the archive side


def _units(searcher: Searcher, hits: Iterable[Hit], cache: dict[str, Article | None]) -> list[_Unit]:
    units: list[_Unit] = []
    seen: set[tuple[str, int]] = set()
    for rank, hit in enumerate(hits):
        p = hit.passage
        if p.article_id not in cache:
            cache[p.article_id] = searcher.index.get_article(p.article_id)
        art = cache[p.article_id]
        if art is None:
            continue
        spans = sentence_spans(art.text)
        for i, (s, e) in enumerate(spans):
            if e <= p.start or s >= p.end:
                continue
            before = spans[i - 1][0] if i and "\n" not in art.text[spans[i - 1][0] : s] else s
            pos = s
            for m in [*_UNIT_SPLIT.finditer(art.text, s, e), None]:
                cut = m.end() if m else e
                us, ue = _trim(art.text, pos, cut)
                pos = cut
                if ue - us < 2 or (art.id, us) in seen:
                    continue
                seen.add((art.id, us))
                units.append(_Unit(art, p.id, us, ue, rank, min(before, us)))
    return units


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


@dataclass
class _FactResult:
    fact: str
    verdict: str
    explanation: str
    unit: _Unit | None = None
    detail: _Outcome | None = None
    score: float = 0.0


def check_fact(
    searcher: Searcher,
    fact: str,
    claim: str,
    filters: Filters,
    cache: dict[str, Article | None],
    searched: dict[str, list[Hit]],
) -> _FactResult:
    queries = [claim] if fact == claim else [fact, claim]
    hits: list[Hit] = []
    seen: set[str] = set()
    for q in queries:
        if q not in searched:  # the whole claim is searched once, for all its facts
            searched[q] = searcher.search(q, HITS_PER_QUERY, filters)
        for h in searched[q]:
            if h.passage.id not in seen:
                seen.add(h.passage.id)
                hits.append(h)
    nf = normalise(fact)
    terms = _terms(_mask(nf, items(nf)))
    context = [(t, w) for t, w in _terms(normalise(claim)) if t not in {x for x, _ in terms}]
    scored: list[tuple[float, float, _Unit]] = []
    for u in _units(searcher, hits, cache):
        ut = normalise(u.text)
        cov = max(coverage(terms, ut), 0.9 * coverage(terms, normalise(u.with_context)))
        if cov >= MIN_COVERAGE:
            scored.append((cov + 0.3 * coverage(context, ut) - 0.01 * u.rank, cov, u))
    scored.sort(key=lambda x: -x[0])
    if not scored:
        return _FactResult(fact, "not_found", f"the archive holds nothing on “{fact}”")
    decided: list[_FactResult] = []
    closest: _FactResult | None = None
    for score, cov, u in scored[:12]:
        o = compare(fact, u.text)
        checkable = o.agrees or o.diffs
        if o.status == "supported" and not checkable and cov < SUPPORT_COVERAGE:
            o.status = "not_found"
            o.missing.append("wording")
        r = _FactResult(fact, o.status, _explain(fact, o), u, o, score)
        if o.status == "not_found":
            closest = closest or r
        else:
            decided.append(r)
    if not decided:
        assert closest is not None
        return _FactResult(
            fact, "not_found", closest.explanation, closest.unit, closest.detail, closest.score
        )
    best = decided[0]
    if best.verdict == "contradicted":
        support = next((r for r in decided if r.verdict == "supported"), None)
        if support and support.score >= best.score - SUPPORT_MARGIN:
            return support
    return best


def _explain(fact: str, o: _Outcome) -> str:
    if o.status == "contradicted":
        return "; ".join(dict.fromkeys(o.diffs))
    if o.status == "supported":
        return "matches: " + ", ".join(o.agrees) if o.agrees else "the archive says the same"
    what = [m for m in o.missing if m != "wording"]
    if what and what[0].startswith("the archive"):
        return what[0]
    if what:
        return "the archive mentions this but never states " + "、".join(what)
    return f"no sentence in the archive states “{fact}”"


# ------------------------------------------------------------------ public API


def check_claim(
    searcher: Searcher, claim: str, settings: Settings, filters: Filters | None = None
) -> CheckResult:
    """Supported when every fact is, contradicted when any fact is (the explanation names
    which and what differs), otherwise not_found. Citations quote the evidence verbatim."""
    claim = clean_query(claim, settings)
    filters = filters or Filters()
    facts = split_facts(claim)
    if len(facts) > MAX_FACTS:
        raise InputError(
            f"The claim has {len(facts)} parts; check at most {MAX_FACTS} at a time "
            "(split it into several claims, e.g. one per sentence, with --batch)."
        )
    cache: dict[str, Article | None] = {}
    searched: dict[str, list[Hit]] = {}
    results = [check_fact(searcher, f, claim, filters, cache, searched) for f in facts]

    citations: list[Citation] = []
    by_span: dict[tuple[str, int, int], int] = {}
    fact_dicts: list[dict[str, Any]] = []
    for r in results:
        n = None
        if r.unit is not None and r.verdict != "not_found":
            u = r.unit
            key = (u.article.id, u.start, u.end)
            if key not in by_span:
                by_span[key] = len(citations) + 1
                citations.append(
                    Citation(
                        n=by_span[key],
                        article_id=u.article.id,
                        title=u.article.headline or u.article.title,
                        date=u.article.date,
                        passage_id=u.passage_id,
                        quote=u.text,
                        start=u.start,
                        end=u.end,
                        source=u.article.source,
                    )
                )
            n = by_span[key]
        fact_dicts.append({"fact": r.fact, "verdict": r.verdict, "explanation": r.explanation, "citation": n})

    verdicts = [r.verdict for r in results]
    many = len(results) > 1
    if "contradicted" in verdicts:
        verdict = "contradicted"
        bad = [r for r in results if r.verdict == "contradicted"]
        explanation = "; ".join(
            (f"“{r.fact}” is contradicted: " if many else "") + r.explanation for r in bad
        )
    elif all(v == "supported" for v in verdicts):
        verdict = "supported"
        explanation = "; ".join((f"“{r.fact}”: " if many else "") + r.explanation for r in results)
    else:
        verdict = "not_found"
        missing = [r for r in results if r.verdict == "not_found"]
        explanation = "; ".join((f"“{r.fact}”: " if many else "") + r.explanation for r in missing)
    return CheckResult(claim, verdict, explanation, tuple(citations), tuple(fact_dicts))  # type: ignore[arg-type]


def check_batch(searcher: Searcher, lines: Iterable[str], settings: Settings) -> Iterator[dict[str, Any]]:
    """JSON lines {"id", "claim"} in, one result per line out; a bad line yields an error
    record naming the line, and the batch goes on."""
    for req in requests(lines, "claim"):
        if isinstance(req, dict):
            yield req
            continue
        rid, n, claim = req.id, req.line, req.text
        try:
            yield {"id": rid, **check_claim(searcher, claim, settings).to_json()}
        except (EmptyQueryError, InputError) as e:
            yield {"id": rid, "line": n, "error": str(e)}
