"""Numbers and dates of a text as comparable values: intervals and calendar days.

A written number stands for an interval: 2万多 is [20000, 30000) (at least twenty
thousand, less than thirty), 约100 is [90, 110], 252万 is [2515000, 2525000) when
compared with an exact count. A date is resolved against the date of the article it
is printed in: 昨天 in an article of 2024-05-21 is 2024-05-20, 今年 is 2024.
`consistent(claim, article)` says whether both can be true.

Input text is expected `_normalize.normalise`d (digits, simplified script).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace

from ._dates import RANGE_TO, resolve_relative_dates
from ._facts import BATCH_MARKER, UNITS, TimeExpr, find_quantities, find_times

# Units _facts does not list, and spellings that mean the same unit.
_CURRENCIES = "美元|欧元|港元|港币|英镑|日元|韩元|卢布|摄氏度"
# 分 after a bare number is points (得分96.5分, 积分26万分, 分数线548分): a time's 30分 is no
# figure (7时30分, see items), a race's 1小时08分 is the duration's, 5分钟 a unit of its own.
_EXTRA_UNIT = re.compile(rf"{_CURRENCIES}|分(?![钟之])")
_UNIT_AFTER = re.compile("|".join(sorted((*UNITS, *_CURRENCIES.split("|")), key=len, reverse=True)))
SAME_UNIT = {"名": "人", "位": "人", "摄氏度": "℃", "度": "℃", "％": "%", "港币": "港元"}
_ABOVE_BEFORE = ("超过", "超", "逾", "多于", "高于", "大于", "突破")
_AT_LEAST_BEFORE = ("至少", "不少于")
# 超过/突破 X in news means a little over X: a claim of 1.5 X is not "over X".
_JUST_ABOVE = 1.3
_BELOW_BEFORE = ("不到", "不足", "少于", "低于", "小于", "不超过", "最多")
_NEAR_BEFORE = ("将近", "接近", "近")
_ABOUT_BEFORE = ("大约", "约", "大概")


@dataclass(frozen=True)
class Item:
    """One comparable thing in a text: a number with its unit, a date, a year.

    kind: qty:<unit> | ord:<unit> | date | year | day. `lo`/`hi` bound a number;
    `open_hi` makes `hi` exclusive (2万多 < 30000); `exact` is False when the text
    itself says the number is approximate or bounded (多, 约, 超过, a range).
    """

    kind: str
    text: str
    start: int
    end: int
    lo: float = 0.0
    hi: float = 0.0
    value: float = 0.0  # the number as written: 3万 -> 30000
    exact: bool = True
    open_hi: bool = False
    time: TimeExpr | None = None


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
) -> tuple[float, float, bool, bool]:
    """(lo, hi, exact, open_hi) of a written number, from 多/余, 超过, 近, 约, 以上, ranges."""
    if high is not None:
        return value, max(value, high), False, False
    before = text[max(0, start - 3) : start]
    after = text[end : end + 2]
    mag = 1.0
    m = re.match(r"[\d.]+([万亿]+)", number)
    if m:
        mag = 1e4 ** m.group(1).count("万") * 1e8 ** m.group(1).count("亿")
    if approx:
        return value, value + _step(number, mag), False, True
    if any(before.endswith(w) for w in _ABOVE_BEFORE) or after.startswith("多"):
        return value, value * _JUST_ABOVE, False, False
    if any(before.endswith(w) for w in _AT_LEAST_BEFORE) or after.startswith("以上"):
        return value, math.inf, False, False
    if any(before.endswith(w) for w in _BELOW_BEFORE) or after.startswith(("以下", "以内")):
        return 0.0, value, False, False
    if any(before.endswith(w) for w in _NEAR_BEFORE):
        return value * 0.85, value, False, False
    if any(before.endswith(w) for w in _ABOUT_BEFORE) or after.startswith(("左右", "上下")):
        return value * 0.9, value * 1.1, False, False
    if mag > 1:  # 252万 is rounded: it stands for 2,515,000 to 2,525,000
        # ...to its last written place, zeros included: 80万 is 795,000 to 805,000, not 75万 to
        # 85万 (it "supported" 81.4万标箱)
        decimals = re.match(r"\d+(?:\.(\d+))?", number)
        half = mag * 10 ** -len((decimals.group(1) or "") if decimals else "") / 2
        return value - half, value + half, True, False
    return value, value, True, False


_RANGE_END = re.compile(rf"{RANGE_TO}((\d{{1,2}})[日号])")


def dated_times(text: str, article_date: str | None) -> list[TimeExpr]:
    """The dates and times of text, made absolute against the article's date where it has one:
    the day words and weekdays (昨天, 上周五) by `_dates.resolve_relative_dates`, years and
    yearless months by `resolve_time`."""
    times = [t for t in find_times(text) if not t.frequency]
    if not article_date:
        # 7月14日至23日: the closing day takes the month of the day opening the range
        # (`_dates.resolve_relative_dates` does this where there is an article date)
        ends = [
            TimeExpr(
                m.group(0)[m.start(1) - m.start() :],
                m.start(1),
                m.end(),
                year=t.year,
                month=t.month,
                day=int(m.group(2)),
            )
            for t in times
            if t.month is not None and t.day is not None and (m := _RANGE_END.match(text, t.end))
        ]
        return sorted(times + ends, key=lambda t: t.start)
    days = [m for m in resolve_relative_dates(text, article_date) if m.date and m.date == m.last]
    out = []
    for t in times:
        m = next((m for m in days if m.start < t.end and t.start < m.end), None)
        if m is not None and t.day is None and t.month is None:
            d = dt.date.fromisoformat(m.date)  # type: ignore[arg-type]
            t = replace(t, year=d.year, month=d.month, day=d.day, day_offset=None)
        out.append(resolve_time(t, article_date))
    for m in days:  # 上周五 and other days find_times does not read
        if not any(m.start < t.end and t.start < m.end for t in times):
            d = dt.date.fromisoformat(m.date)  # type: ignore[arg-type]
            out.append(TimeExpr(m.surface, m.start, m.end, year=d.year, month=d.month, day=d.day))
    return sorted(out, key=lambda t: t.start)


def resolve_time(t: TimeExpr, article_date: str | None) -> TimeExpr:
    """今年 / 5月 made absolute against the article's date (ISO day): the year it names."""
    if not article_date:
        return t
    try:
        day = dt.date.fromisoformat(article_date[:10])
    except ValueError:
        return t
    if t.year is None and t.year_offset is not None:
        return replace(t, year=day.year + t.year_offset, year_offset=None)
    if t.year is None and t.month is not None:
        # A month without a year is the article's year (news reports the recent past).
        return replace(t, year=day.year)
    return t


# A unit said as the measure before its number (门急诊人次为98.6万, 集装箱吞吐量标箱达81.4万).
_UNIT_BEFORE = re.compile(r"(人次|车次|架次|艘次|辆次|标箱)(?:数|量)?(?:为|达到?|是|约|共|计|超过)$")


def items(text: str, article_date: str | None = None) -> list[Item]:
    """The numbers, ordinals and dates of (normalised) text, batch markers left out:
    首批 / 第二批 name *which* thing, they are checked as the frame, not as a value."""
    out: list[Item] = []
    batch = [(m.start(), m.end()) for m in BATCH_MARKER.finditer(text)]
    for q in find_quantities(text):
        if any(s <= q.start < e for s, e in batch) or q.text[0] in "万亿千百":
            continue  # a lone 亿 is the tail of 1.3万亿, not a number
        if text.startswith(("民", "工智能"), q.end) or re.match(r"[a-z]", text[q.end : q.end + 1]):
            continue  # a number inside a name: 第一人民医院, 5G
        unit, end, value = q.unit, q.end, q.value
        if not unit and q.text.endswith("万") and text.startswith("亿", q.end):
            value, end = value * 1e8, q.end + 1  # 1.3万亿斤
            m = _UNIT_AFTER.match(text, end)
            if not m:
                continue
            unit, end = m.group(0), m.end()
            q = replace(q, value=value, text=text[q.start : end], end=end)
        if not unit and (before := _UNIT_BEFORE.search(text, 0, q.start)):
            unit = before.group(1)  # 门急诊人次为98.6万: the counted unit named before the number
        if not unit:
            m = _EXTRA_UNIT.match(text, q.end)
            if not m or (m.group(0) == "分" and re.search(r"\d[时点]$", text[: q.start])):
                continue  # a bare number: nothing says what it counts (or 7时30分, a time of day)
            unit, end = m.group(0), m.end()
        unit = SAME_UNIT.get(unit, unit)
        number = q.text[1:] if q.ordinal and q.text.startswith("第") else q.text
        if q.ordinal:
            lo, hi, exact, open_hi = q.value, q.value, True, False
        else:
            lo, hi, exact, open_hi = _bounds(text, q.start, end, q.value, q.high, q.approx, number)
        value = q.value
        if unit == "块" and text.startswith("钱", end):
            unit, end = "元", end + 1  # 8块钱 is 8元
        if unit == "成" and not q.ordinal:
            # 八成 is 80%, rounded at its own place: 75%-85% unless 近 / 左右 bound it otherwise
            unit, value, lo, hi = "%", value * 10, lo * 10, hi * 10
            if lo == hi:
                lo, hi = value - 5, value + 5
        kind = f"{'ord' if q.ordinal else 'qty'}:{unit}"
        out.append(Item(kind, text[q.start : end], q.start, end, lo, hi, value, exact, open_hi))
    for t in dated_times(text, article_date):
        if t.month is not None:
            out.append(Item("date", t.text, t.start, t.end, time=t))
        elif t.year is not None:
            out.append(Item("year", t.text, t.start, t.end, time=t))
        elif t.day_offset is not None:
            out.append(Item("day", t.text, t.start, t.end, time=t))
    return sorted(out, key=lambda i: i.start)


def _bound(it: Item) -> str | None:
    """'upper' for 3%以下 / 不到50人, 'lower' for 300人以上, None for a figure or a range."""
    if it.exact:
        return None
    if it.lo == 0 and it.hi == it.value:
        return "upper"
    if it.hi == float("inf") and it.lo == it.value:
        return "lower"
    return None


def consistent(claim: Item, article: Item) -> bool:
    """Can both be true? Intervals overlap; dates fall in the same month/day/part.

    A plain number in a claim (3万) is a point when the article's own number is
    approximate (2万多 = [20000, 30000)): the claim is not "about 3万" but "3万".
    """
    if claim.kind in ("date", "year", "day"):
        a, b = claim.time, article.time
        assert a is not None and b is not None
        if a.year is not None and b.year is not None and a.year != b.year:
            return False
        if claim.kind == "day" or article.kind == "day":
            if a.day_offset is None or b.day_offset is None:
                return claim.kind == article.kind or _same_day(a, b)
            return a.day_offset == b.day_offset and (not a.part or not b.part or a.part == b.part)
        if claim.kind == "year":
            return True
        same = a.same_as(b)
        if same is False and a.month == b.month and a.part and b.part and a.day is None and b.day is None:
            return _part_overlap(a.part, b.part)
        return same is not False
    eps = 1e-9 * max(1.0, abs(claim.lo), abs(article.lo))
    side = _bound(claim)
    if side and side == _bound(article):
        # 控制在60%以下 vs 控制在3%以下: two limits of one rule are the same limit or not; the
        # tighter one does not state the looser.
        return abs(claim.value - article.value) <= eps
    if _about(claim) and _about(article):
        # 约1.53亿元 vs 约1.35亿元: two "about" figures are the same figure as written (to the last
        # written place of either), not two ±10% intervals that happen to meet
        step = max(
            _step(_digits(claim.text), claim.value / _number(claim.text)),
            _step(_digits(article.text), article.value / _number(article.text)),
        )
        return abs(claim.value - article.value) <= step / 2 + eps
    lo, hi = claim.lo, claim.hi
    if claim.exact and (not article.exact or article.lo != article.hi):
        # The article's figure is approximate or rounded (2万多, 100万): the claim's own figure
        # must fall in it; two rounded figures (200万 vs 100万) must not meet at their edges.
        lo = hi = claim.value
    if article.open_hi:
        return lo < article.hi - eps and article.lo <= hi + eps
    return lo <= article.hi + eps and article.lo <= hi + eps


def _about(it: Item) -> bool:
    """The figure is written "about" (约, 左右): `_bounds` gives it ±10%."""
    return (
        not it.exact
        and it.value > 0
        and abs(it.hi - it.value * 1.1) < 1e-9 * it.value
        and abs(it.lo - it.value * 0.9) < 1e-9 * it.value
    )


def _digits(text: str) -> str:
    m = re.match(r"[\d.]+", text)
    return m.group(0) if m else text


def _number(text: str) -> float:
    try:
        return float(_digits(text)) or 1.0
    except ValueError:
        return 1.0


def _same_day(a: TimeExpr, b: TimeExpr) -> bool:
    return a.month is not None and a.month == b.month and a.day == b.day


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


# A price per weight (每斤1.42元, 每50公斤142元, 3.5元/公斤), in 斤: the market's own units.
_WEIGHT_JIN = {"斤": 1.0, "市斤": 1.0, "公斤": 2.0, "千克": 2.0, "kg": 2.0, "吨": 2000.0, "克": 0.002}
_WEIGHT = "市斤|公斤|千克|kg|斤|吨|克"
_PER_BEFORE = re.compile(rf"每\s*(\d+(?:\.\d+)?)?\s*({_WEIGHT})[^\d，,；;。]{{0,4}}$")
_PER_AFTER = re.compile(rf"\s*(?:/|每)\s*({_WEIGHT})")


def _per(text: str, it: Item) -> tuple[float, str] | None:
    """(the weight in 斤 a price is for, the price as printed with it): 每50公斤142元 -> (100.0,
    每50公斤142元), 3.5元/公斤 -> (2.0, 3.5元/公斤); None for a price per nothing."""
    lo = max(0, it.start - 12)
    if m := _PER_BEFORE.search(text[lo : it.start]):
        return float(m.group(1) or 1) * _WEIGHT_JIN[m.group(2)], text[lo + m.start() : it.end]
    if m := _PER_AFTER.match(text, it.end):
        return _WEIGHT_JIN[m.group(1)], text[it.start : m.end()]
    return None


def as_priced(text: str, it: Item) -> str:
    """The price with the weight it is for, as printed (每50公斤142元, 3.4元/公斤)."""
    per = _per(text, it)
    return per[1] if per else it.text


def same_rate(ct: str, c: Item, ut: str, u: Item) -> bool | None:
    """Whether two prices per weight are one rate (每斤1.42元 = 每50公斤142元), within the last
    written place of the claim's; None unless both are prices per a weight."""
    if not (c.kind == u.kind == "qty:元" and c.value and u.value):
        return None
    ours, theirs = _per(ct, c), _per(ut, u)
    if ours is None or theirs is None or ours[0] == theirs[0]:
        return None  # one weight: the figures compare as they are
    rate = u.value / theirs[0] * ours[0]
    step = _step(c.text.rstrip("元"), 1.0)
    return abs(rate - c.value) <= step / 2 + 1e-9
