"""A figure's frame: which batch or period (首批, 一季度), year, measure (营收 vs 利润), scope
(全省 vs 全国) it is printed for, and whether a day starts or ends something. A figure of another
frame neither states nor denies the claim's: the grounding engine (`_ground`) reads it as
silence.
"""

from __future__ import annotations

import re

from ._dates import RANGE_TO
from ._facts import BATCH_MARKER, find_directions, find_times, period_name
from ._figure_roles import is_base
from ._values import Item

_PLACED = re.compile(
    r"(?:排名|位列|位居|名列|排在|居)第[一二三四五六七八九十\d]+|第[一二三四五六七八九十\d]+名"
)
_WHOLE_YEAR = re.compile(r"(?:\d{4}年|去年|今年|上年)?全年")


def frame_differs(claim_text: str, unit_text: str) -> str | None:
    """首批 vs 第二批, 一季度 vs 二季度: the article speaks of another batch or period (1至9月 and
    前三季度 are one period)."""
    ours = {period_name(m.group(0)) for m in BATCH_MARKER.finditer(claim_text)}
    theirs = {period_name(m.group(0)) for m in BATCH_MARKER.finditer(unit_text)}
    if (
        ours
        and not theirs
        and (whole := _WHOLE_YEAR.search(unit_text))
        and not _WHOLE_YEAR.search(claim_text)
    ):
        # 今年上半年…3.9万吨 over 2024年全年，…为3.9万吨: a whole year's figure is no half year's
        return f"the archive speaks of {whole.group(0)}, not {sorted(ours)[0]}"
    if not ours or not theirs or ours & theirs:
        return None

    def family(m: str) -> str:
        return "批" if m.endswith("批") else "期"

    for o in ours:
        others = [t for t in theirs if family(t) == family(o)]
        if others:
            return f"the archive speaks of {others[0]}, not {o}"
    return None


_THIS_TIME = re.compile(r"本届|今年|本次|本年度|本季")
_LAST_TIME = re.compile(r"去年|上届|上一届|往年|上年")


def last_time(claim_text: str, unit_text: str) -> str | None:
    """A claim of this time (本届…共接待游客25万人次) over a sentence that opens with another
    (去年文化节期间，共接待游客21.6万人次): the sentence is about that time."""
    opening = _LAST_TIME.match(unit_text.lstrip(' “"'))
    if _THIS_TIME.search(unit_text):
        return None  # 去年排名第一的曹桥街道今年得分90.1分: the sentence is this year's too
    if opening and _THIS_TIME.search(claim_text) and not _LAST_TIME.search(claim_text):
        return f"the archive's sentence is about {opening.group(0)}"
    return None


_COMPARED_AFTER = re.compile(r"[^，,；;。]{0,6}?(?:相比|相较|比较)")
_LEVEL_AFTER = re.compile(r"(?:同期)?的?[\d.]")  # 去年同期的17起: the time of a level compared


def earlier_time(claim_text: str, unit_text: str) -> str | None:
    """A claim of an earlier time (去年全年新办登记证4826张) over a sentence that names that time
    only as what its figure is compared with (4826张，是去年全年办证量的1.6倍; 比去年增加5个): the
    figure is this time's."""

    def base(text: str, m: re.Match[str]) -> bool:  # 与去年同期相比, 由去年同期的17起 too
        return (
            is_base(text, m.start())
            or bool(_COMPARED_AFTER.match(text, m.end()))
            or bool(_LEVEL_AFTER.match(text, m.end()))
        )

    ours = [m.group(0) for m in _LAST_TIME.finditer(claim_text) if not base(claim_text, m)]
    theirs = list(_LAST_TIME.finditer(unit_text))
    if ours and theirs and all(base(unit_text, m) for m in theirs):
        return f"the archive's sentence is about 今年, not {ours[0]}"
    return None


def other_year(claim_text: str, c_items: list[Item], u_items: list[Item]) -> str | None:
    """A figure for 2020 says nothing about 2021: with a value to compare, the year is
    the frame (like 首批), and only when the year is all the claim states is it the value."""
    years = [c.time.year for c in c_items if c.kind == "year" and c.time and c.time.year]
    if not years and any(c.kind.startswith("qty:") for c in c_items):
        # a month of a year frames a count as a year does (2025年10月…24.3万标箱 over 去年全年…)
        years = [
            c.time.year for c in c_items if c.kind == "date" and c.time and c.time.year and not c.time.day
        ]
    # (a place in a ranking is a value too: 2025年1至10月…排名第二 over 明年…)
    has_value = (
        any(c.kind != "year" for c in c_items) or find_directions(claim_text) or _PLACED.search(claim_text)
    )
    theirs = {u.time.year for u in u_items if u.time and u.time.year}
    if not years or not has_value or not theirs or set(years) & theirs:
        return None
    return f"the archive's sentence is about {min(theirs)}年, not {years[0]}年"


# Measures a figure in economic news is printed as: the same amount is revenue in one clause and
# profit in the next, so a figure is compared only under the same measure. Families, not words:
# 营收 is 营业收入; 经营利润为亏损 is both a profit and a loss.
# Source of the list: the measures CRUD and RGB economic stories print.
_MEASURES = {
    "营收": "营收|收入|营业额",
    "利润": "利润|净利|盈利|毛利|纯利",
    "亏损": "亏损|净亏",
    "销售额": "销售额|成交额|交易额|GMV",
    "销量": "销量|销售量|交付量|出货量",
    "产量": "产量",
    "产值": "产值",
    "增加值": "增加值",
    "生产总值": "生产总值|GDP",
    "投资": "投资",
    "税收": "税收|纳税|税额",
    "票房": "票房",
    "出口": "出口",
    "进口": "进口",
}
_MEASURE_RE = {k: re.compile(v) for k, v in _MEASURES.items()}
# The scope a figure is printed for: 全省…4.2万人，全国…65万人 are two figures of two scopes.
_SCOPES = {"全国": "全国|我国|国内", "全省": "全省|省内|本省", "全市": "全市|本市|市内|市域"}
_SCOPE_RE = {k: re.compile(v) for k, v in _SCOPES.items()}
_CLAUSE_MARK = re.compile(r"[，,；;。：:、]")


def _clause_before(text: str, it: Item) -> str:
    start = max((m.end() for m in _CLAUSE_MARK.finditer(text, 0, it.start)), default=0)
    return text[start : it.start]


def _named(clause: str, families: dict[str, re.Pattern[str]]) -> set[str]:
    """The families named in a clause (进出口 counts as both 出口 and 进口)."""
    return {k for k, r in families.items() if r.search(clause)}


def _frames(clause: str) -> list[set[str]]:
    """What the clause before a figure says it is: measures, scopes, years (2024年实现营业收入)."""
    years = set(re.findall(r"(?<!\d)(?:19|20)\d{2}年", clause))
    return [_named(clause, _MEASURE_RE), _named(clause, _SCOPE_RE), years]


def figure_frame_differs(claim_text: str, c: Item, unit_text: str, u: Item) -> tuple[str, str] | None:
    """(the article's measure, the claim's) when the article prints the claim's figure as another
    measure (营收 55.8亿元 claimed, 经营利润为亏损55.8亿元 printed), for another scope (全国 claimed,
    全省 printed) or another year (2023年营收12.6亿元 claimed, 2024年实现营业收入12.6亿元 printed):
    the same amount, but not the fact claimed. None when either side names no measure (scope,
    year) in the clause before its figure."""
    claimed, printed = _frames(_clause_before(claim_text, c)), _frames(_clause_before(unit_text, u))
    for ours, theirs in zip(claimed, printed, strict=True):
        if ours and theirs and not ours <= theirs:  # 营收为亏损 claims a revenue too: both must be printed
            return "、".join(sorted(theirs)), "、".join(sorted(ours - theirs))
    return None


# A day is where something starts or where it ends: 6月15日起…进入主汛期 is no 主汛期到6月15日结束
# (`_answerable.only_starts` reads a question's 到哪天结束 with the same words).
STARTS_AFTER = re.compile(r"\s*(?:起|开始|以来|开工|动工|正式进入|进入|开幕|开馆|开放|启动|施行|实施)")
_ENDS_AFTER = re.compile(r"\s*(?:前)?(?:结束|截止|为止|闭幕|闭馆|到期|止)")


def _edges(text: str) -> dict[str, tuple[str, str]]:
    """{day as printed: (edge, the words saying it)} for each day `text` has start or end."""
    out = {}
    for t in find_times(text):
        for edge, words in (("start", STARTS_AFTER), ("end", _ENDS_AFTER)):
            if (m := words.match(text, t.end)) and t.month is not None:
                out[t.text] = (edge, text[t.start : m.end()])
    return out


def edge_differs(claim_text: str, unit_text: str) -> tuple[str, str] | None:
    """(claim's, span's) when the claim has a day end something that the span has it start, or
    the other way round; else None."""
    theirs = _edges(unit_text)
    for day, (edge, said) in _edges(claim_text).items():
        if day in theirs and theirs[day][0] != edge:
            return said, theirs[day][1]
    return None


# A period counted from a day on (7月以来, 自5月1日起至今) and a period the span counts over
# (上周一至昨天, 7月1日以来): a total over one is no total over the other.
_SINCE = re.compile(r"\s*(?:份)?(?:以来|至今)")
_UNTIL = re.compile(RANGE_TO)


def _starts(text: str, found: list[Item]) -> list[Item]:
    """The times of `text` that open a period: one followed by 以来/至今/起, or by 至 and another time."""
    times = [i for i in found if i.time is not None and i.kind in ("date", "day", "year")]
    opens = {i.start for i in times}
    out = []
    for i in times:
        until = _UNTIL.match(text, i.end)
        if _SINCE.match(text, i.end) or STARTS_AFTER.match(text, i.end) or (until and until.end() in opens):
            out.append(i)
        elif until and re.match(r"\d{1,2}日", text[until.end() :]):  # 7月1日至22日
            out.append(i)
    return out


def _same_start(c: Item, u: Item) -> bool:
    """Both periods open on one day: 今年以来 = 1月以来 = 1月1日以来; 7月以来 = 7月1日至…"""
    a, b = c.time, u.time
    assert a is not None and b is not None
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    return (a.month or 1, a.day or 1) == (b.month or 1, b.day or 1)


def since_differs(claim_text: str, c_items: list[Item], unit_text: str, u_items: list[Item]) -> str | None:
    """The claim counts from a day on (7月以来，…共处理故障报修1276起) and the span counts the figure
    from another day (上周一至昨天，共处理…1276起): a figure of another period, so the span neither
    states nor denies it. None when the claim names no such start or the span opens no period."""
    for c in c_items:
        if c.time is None or not _SINCE.match(claim_text, c.end):
            continue
        theirs = _starts(unit_text, u_items)
        if theirs and not any(_same_start(c, u) for u in theirs):
            said = claim_text[c.start : _SINCE.match(claim_text, c.end).end()]  # type: ignore[union-attr]
            printed = re.split(r"[，,；;。]", unit_text[theirs[0].start :], maxsplit=1)[0]
            return f"the archive's sentence is about {printed}, not {said}"
    return None


def _ends(text: str, found: list[Item]) -> list[Item]:
    """The times of `text` that close a period opened by the time before them (…至22日, …到昨天)."""
    times = [i for i in found if i.time is not None and i.kind in ("date", "day", "year")]
    ends = {m.end() for i in times if (m := _UNTIL.match(text, i.end))}
    return [i for i in times if i.start in ends]


def edge_slot(
    ct: str, c: Item, c_items: list[Item], ut: str, u_items: list[Item]
) -> tuple[Item, bool] | None:
    """(the span's time at the same edge of a period as the claim's time `c`, whether both open
    the period on one day): 7月14日至23日 against 上周一至昨天 pairs 7月14日 with 上周一 and 23日
    with 昨天, 今年以来 with 今年1月以来. None when `c` is no edge or the span prints no such edge."""
    if any(c is s for s in _starts(ct, c_items)):
        theirs = _starts(ut, u_items)
        same = [u for u in theirs if _same_start(c, u)]
        return (same[0], True) if same else (theirs[0], False) if theirs else None
    if any(c is e for e in _ends(ct, c_items)):
        theirs = _ends(ut, u_items)
        return (theirs[0], False) if theirs else None
    return None


def month_in_period(
    ct: str, c_items: list[Item], ut: str, u_items: list[Item], context: str = ""
) -> str | None:
    """The claim speaks of one month (2025年10月, 10月单月) and the span prints a period of months
    holding it (1至10月, 前三季度) and no day or month of its own: the span's figure is the period's,
    so it neither states nor denies the month's. A span printing no time has the sentence before's
    (1至10月，…218.6万标箱。其中，独山港区完成136.2万标箱)."""
    if BATCH_MARKER.search(ct):
        return None
    if not BATCH_MARKER.search(ut) and not any(u.kind in ("date", "day", "year") for u in u_items):
        ut = context.split("\n", 1)[-1]
        u_items = []
    months = [
        c
        for c in c_items
        if c.kind == "date" and c.time and c.time.month and not c.time.day and not c.time.part
    ]
    periods = [
        m.group(0) for m in BATCH_MARKER.finditer(ut) if "月" in period_name(m.group(0)) or "季" in m.group(0)
    ]
    own = [u for u in u_items if u.kind in ("date", "day") and u.time and u.time.month is not None]
    if months and periods and not any(u.time and u.time.month == months[0].time.month for u in own):  # type: ignore[union-attr]
        return f"the archive speaks of {periods[0]}, not {months[0].text}"
    return None
