"""Relative dates in article text (昨天, 前天, 上周五, 5月20日, 3日) resolved to days.

A news article says "昨天" and means the day before it was published; this module finds
such mentions and resolves them against the article's date. It is a pure function of
(text, article date) with no state and no index: the grounding engine calls it.

Why not JioNLP (`jionlp.ner.extract_time`, which does find and resolve these): measured
here (AMD EPYC, 2 cores) jionlp 1.5.31 installs 167 MB with jiojio, takes 2.7 s to import
plus 0.67 s for its first call, prints a banner to stdout on import (it would corrupt
`--json` output), and resolves a date without a year in the article's own year, so
"12月30日" in an article of 2024-01-02 becomes 2024-12-30. The rules news text needs fit
in this module; tests/test_dates.py pins each one.

Rules (the article's date is day D):
- 今天/今日/今晚 D, 昨天/昨日/昨晚 D-1, 前天/前晚 D-2, 大前天 D-3, 明天/明日/明晚 D+1, 后天 D+2,
  大后天 D+3;
- 周五/星期五/礼拜五: that day of D's week (weeks run Monday to Sunday, 周日/周天 = Sunday);
  上周五 the week before, 上上周五 two weeks before, 下周五 / 下下周五 after, 本周/这周 = D's week;
- 2024年5月20日: as written; 5月20日 / 五月二十日 (also 号): the year that puts it nearest D;
- 20日 / 20号 alone: the month that puts it nearest D; not a count (3日内, 近3日, 每20日).
Periods resolve to their first day (`date`) and last day (`last`); for a day both are equal:
- 上周/本周/这周/下周 (also 星期/礼拜, 上上周, 下下周): that Monday to Sunday;
- 上个月/上月/本月/这个月/下个月/下月; 5月 / 5月份 alone: the month nearest D;
- 前年/去年/今年/明年/2023年, and with 一季度/第二季度, 上半年/下半年 or 5月 after them.
Without an article date only mentions that name their year resolve; the others get None.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

_DAY_WORDS = {
    "大前天": -3,
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "昨晚": -1,  # 昨天晚上
    "昨夜": -1,
    "前晚": -2,
    "今天": 0,
    "今日": 0,
    "今晚": 0,
    "今夜": 0,
    "明天": 1,
    "明日": 1,
    "明晚": 1,
    "后天": 2,
    "大后天": 3,
}
_WEEK_SHIFT = {"上上": -2, "上": -1, "本": 0, "这": 0, "": 0, "下": 1, "下下": 2}
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_CN_DIGIT = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"

_YEAR_WORDS = {"前年": -2, "去年": -1, "今年": 0, "本年": 0, "明年": 1}
_MONTH_WORDS = {"上个月": -1, "上月": -1, "本月": 0, "这个月": 0, "下个月": 1, "下月": 1}
_YEAR = r"前年|去年|今年|本年|明年|\d{4}年"

_PATTERN = re.compile(
    rf"""
    (?P<ymd>(?:(?P<year>\d{{4}}|[〇零一二三四五六七八九]{{4}})年)?
        (?P<month>{_NUM})月(?P<day>{_NUM})[日号])
    | (?P<week>(?P<shift>上上|上|本|这|下下|下)?(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天七]))
    | (?P<weekspan>(?P<wshift>上上|上|本|这|下下|下)(?:个)?(?:周|星期|礼拜)(?!年|岁|[一二三四五六日天七]))
    | (?P<period>(?P<pyear>{_YEAR})
        (?:第?(?P<quarter>[一二三四1-4])季度|(?P<half>上半年|下半年)|(?P<pmonth>{_NUM})月份?(?![日号\d]))?)
    | (?P<monthword>上个月|上月|本月|这个月|下个月|下月)
    | (?<![\d年第近每个〇零一二三四五六七八九十])(?P<monthonly>{_NUM})月份?(?![日号\d底初中])
    | (?P<word>大前天|前天|昨天|昨日|昨晚|昨夜|前晚|今天|今日(?!头条)|今晚|今夜|明天|明日|明晚|大后天|后天)
    | (?<![\d月年第近每连续数几个〇零一二三四五六七八九十])(?P<dayonly>{_NUM})
        (?:日|号(?![楼线路院门桥机台厅室库馆场]|航班|地块|标段|窗口|车间|厂房|泊位))  # 5号楼 names a building
        (?!内|以内|之内|以来|来|后|前|左右|间)
    """,
    re.X,
)


@dataclass(frozen=True)
class DateMention:
    """One date mention: `text[start:end] == surface`.

    `date` is its (first) day, ISO 8601, or None when it cannot be resolved; `last` is its
    last day: the same as `date` for a day, later for a period (上周, 今年一季度).
    """

    start: int
    end: int
    surface: str
    date: str | None
    last: str | None = None


def _number(s: str) -> int:
    """1-31 (or a 4-digit year) from Arabic or Chinese numerals: 20, 二十, 二十一, 十二, 二〇二四."""
    if s.isdigit():
        return int(s)
    if len(s) == 4 and "十" not in s:
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    return _CN_DIGIT[s] if len(s) == 1 else -1


def _day(year: int, month: int, day: int) -> date | None:
    if 1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]:
        return date(year, month, day)
    return None


def _nearest(candidates: list[date | None], base: date) -> date | None:
    found = [c for c in candidates if c is not None]
    return min(found, key=lambda c: (abs((c - base).days), c > base)) if found else None


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _add_months(base: date, k: int) -> tuple[int, int]:
    index = base.year * 12 + base.month - 1 + k
    return index // 12, index % 12 + 1


def _resolve(m: re.Match[str], base: date | None) -> tuple[date, date] | None:
    """(first day, last day) of the mention, or None."""
    if m.group("ymd"):
        month, day = _number(m.group("month")), _number(m.group("day"))
        if m.group("year"):
            found = _day(_number(m.group("year")), month, day)
        elif base is None:
            return None
        else:
            found = _nearest([_day(base.year + k, month, day) for k in (-1, 0, 1)], base)
        return (found, found) if found else None
    if m.group("period"):
        return _period(m, base)
    if base is None:
        return None
    if m.group("word"):
        found = base + timedelta(days=_DAY_WORDS[m.group("word")])
        return found, found
    monday = base - timedelta(days=base.weekday())
    if m.group("week"):
        found = monday + timedelta(
            weeks=_WEEK_SHIFT[m.group("shift") or ""], days=_WEEKDAY[m.group("weekday")]
        )
        return found, found
    if m.group("weekspan"):
        first = monday + timedelta(weeks=_WEEK_SHIFT[m.group("wshift")])
        return first, first + timedelta(days=6)
    if m.group("monthword"):
        return _month_span(*_add_months(base, _MONTH_WORDS[m.group("monthword")]))
    if m.group("monthonly"):
        month = _number(m.group("monthonly"))
        if not 1 <= month <= 12:
            return None
        spans = [_month_span(base.year + k, month) for k in (-1, 0, 1)]
        return min(
            spans, key=lambda sp: 0 if sp[0] <= base <= sp[1] else min(abs((d - base).days) for d in sp)
        )
    day = _number(m.group("dayonly"))
    found = _nearest([_day(*_add_months(base, k), day) for k in (-1, 0, 1)], base)
    return (found, found) if found else None


def _period(m: re.Match[str], base: date | None) -> tuple[date, date] | None:
    word = m.group("pyear")
    if word in _YEAR_WORDS:
        if base is None:
            return None
        year = base.year + _YEAR_WORDS[word]
    else:
        year = int(word[:4])
    if quarter := m.group("quarter"):
        q = int(quarter) if quarter.isdigit() else _number(quarter)
        return date(year, 3 * q - 2, 1), _month_span(year, 3 * q)[1]
    if half := m.group("half"):
        return (
            (date(year, 1, 1), date(year, 6, 30))
            if half == "上半年"
            else (date(year, 7, 1), date(year, 12, 31))
        )
    if month := m.group("pmonth"):
        number = _number(month)
        return _month_span(year, number) if 1 <= number <= 12 else None
    return date(year, 1, 1), date(year, 12, 31)


def resolve_relative_dates(text: str, article_date: str | None) -> list[DateMention]:
    """Every date mention in `text`, in order, resolved against `article_date`.

    `article_date` is an ISO day (YYYY-MM-DD, as `Article.date`) or None; a malformed one
    raises ValueError. Mentions never overlap; `text[m.start:m.end] == m.surface`.
    """
    base = date.fromisoformat(article_date) if article_date else None
    mentions: list[DateMention] = []
    prev: re.Match[str] | None = None
    for m in _PATTERN.finditer(text):
        span = _resolve(m, base)
        if (
            span
            and prev is not None
            and prev.group("week")
            and prev.group("shift")
            and m.group("week")
            and not m.group("shift")
            and _RANGE_TO.fullmatch(text[prev.end() : m.start()])
            and mentions[-1].date
        ):
            # 上周一至周五: the weekday closing a range is in the week of the one opening it
            start = date.fromisoformat(mentions[-1].date)  # type: ignore[arg-type]
            day = start + timedelta(days=_WEEKDAY[m.group("weekday")] - _WEEKDAY[prev.group("weekday")])
            span = (day, day)
        first, last = (span[0].isoformat(), span[1].isoformat()) if span else (None, None)
        mentions.append(DateMention(m.start(), m.end(), m.group(0), first, last))
        prev = m
    return mentions


# What joins the two ends of a range of days (上周一至周五, 7月1日到22日); `_values` and `_frames`
# read ranges with it too.
RANGE_TO = r"\s*(?:至|到|—|－|-|~)\s*"
_RANGE_TO = re.compile(RANGE_TO)
