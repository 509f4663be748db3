"""Relative dates in article text resolved against the article's date (assistant/_dates.py)."""

from __future__ import annotations

import pytest

from assistant._dates import DateMention, resolve_relative_dates


def _resolved(text: str, article_date: str | None) -> list[tuple[str, str | None]]:
    return [(m.surface, m.date) for m in resolve_relative_dates(text, article_date)]


def test_day_words_and_offsets() -> None:
    text = "本报讯 昨天下午，曹桥街道举行消防演练；前天和今天都有雨，明天转晴，后天降温。"
    mentions = resolve_relative_dates(text, "2024-05-22")  # a Wednesday
    assert [(m.surface, m.date) for m in mentions] == [
        ("昨天", "2024-05-21"),
        ("前天", "2024-05-20"),
        ("今天", "2024-05-22"),
        ("明天", "2024-05-23"),
        ("后天", "2024-05-24"),
    ]
    assert all(text[m.start : m.end] == m.surface for m in mentions)
    assert isinstance(mentions[0], DateMention)
    with pytest.raises(AttributeError):
        mentions[0].date = "x"  # type: ignore[misc]  # frozen


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("上周五", "2024-05-17"),
        ("上星期一", "2024-05-13"),
        ("上上周日", "2024-05-12"),
        ("周五", "2024-05-24"),
        ("本周一", "2024-05-20"),
        ("这周日", "2024-05-26"),
        ("下周三", "2024-05-29"),
        ("下礼拜天", "2024-06-02"),
    ],
)
def test_weekdays_count_in_monday_to_sunday_weeks(surface: str, expected: str) -> None:
    assert _resolved(f"据悉，{surface}将召开会议。", "2024-05-22") == [(surface, expected)]


def test_dates_without_a_year_take_the_nearest_year() -> None:
    text = "12月30日起试运行，5月20日开幕，五月二十一日闭幕，2023年5月20日立项。"
    assert _resolved(text, "2024-01-02") == [
        ("12月30日", "2023-12-30"),  # three days before, not eleven months after
        ("5月20日", "2024-05-20"),
        ("五月二十一日", "2024-05-21"),
        ("2023年5月20日", "2023-05-20"),
    ]


def test_a_day_alone_takes_the_nearest_month_and_counts_are_not_dates() -> None:
    text = "28日上午，平湖召开大会；3号开始报名，3日内完成，近5日来降雨，每20日一次，第2日结束。"
    assert _resolved(text, "2024-06-02") == [("28日", "2024-05-28"), ("3号", "2024-06-03")]


def test_impossible_dates_and_no_article_date() -> None:
    assert _resolved("2月30日举行。", "2024-02-10") == [("2月30日", None)]
    assert _resolved("昨天，5月20日，2024年5月21日。", None) == [
        ("昨天", None),
        ("5月20日", None),
        ("2024年5月21日", "2024-05-21"),
    ]
    with pytest.raises(ValueError):
        resolve_relative_dates("昨天", "2024/05/22")


def test_names_are_not_dates() -> None:
    assert _resolved("今日头条报道，周年庆活动一周后举行。", "2024-05-22") == []


def _spans(text: str, article_date: str | None) -> list[tuple[str, str | None, str | None]]:
    return [(m.surface, m.date, m.last) for m in resolve_relative_dates(text, article_date)]


def test_a_day_is_its_own_first_and_last_day() -> None:
    assert _spans("昨天下午", "2024-05-22") == [("昨天", "2024-05-21", "2024-05-21")]


@pytest.mark.parametrize(
    ("surface", "first", "last"),
    [
        ("上周", "2024-05-13", "2024-05-19"),
        ("本周", "2024-05-20", "2024-05-26"),
        ("下个星期", "2024-05-27", "2024-06-02"),
        ("上个月", "2024-04-01", "2024-04-30"),
        ("本月", "2024-05-01", "2024-05-31"),
        ("下月", "2024-06-01", "2024-06-30"),
        ("去年", "2023-01-01", "2023-12-31"),
        ("今年一季度", "2024-01-01", "2024-03-31"),
        ("2023年第四季度", "2023-10-01", "2023-12-31"),
        ("今年上半年", "2024-01-01", "2024-06-30"),
        ("去年下半年", "2023-07-01", "2023-12-31"),
        ("去年5月", "2023-05-01", "2023-05-31"),
        ("2023年5月", "2023-05-01", "2023-05-31"),
        ("3月份", "2024-03-01", "2024-03-31"),
        ("二月", "2024-02-01", "2024-02-29"),
    ],
)
def test_periods_have_a_first_and_a_last_day(surface: str, first: str, last: str) -> None:
    assert _spans(f"据统计，{surface}全市新增企业一百家。", "2024-05-22") == [(surface, first, last)]


def test_periods_near_the_turn_of_the_year_and_without_an_article_date() -> None:
    assert _spans("12月全市接待游客八万人次。", "2024-01-10") == [("12月", "2023-12-01", "2023-12-31")]
    assert _spans("去年和2023年相比。", None) == [
        ("去年", None, None),
        ("2023年", "2023-01-01", "2023-12-31"),
    ]
    assert _spans("工期3个月，每月检查一次，5月底完工。", "2024-05-22") == []
