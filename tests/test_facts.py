"""Rule-based facts: numbers with units, dates, directions, people, what a question wants."""

from __future__ import annotations

import pytest

from assistant import _facts as facts
from assistant._names import find_people, pinyin_names
from assistant._question_types import answer_type


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十六", 16),
        ("三十四", 34),
        ("二十", 20),
        ("两万", 20000),
        ("一百零五", 105),
        ("4.3亿", 4.3e8),
        ("2万", 2e4),
    ],
)
def test_chinese_numbers(text: str, value: float) -> None:
    assert facts.chinese_to_number(text) == pytest.approx(value)


def test_not_a_number() -> None:
    assert facts.chinese_to_number("平湖") is None
    assert facts.chinese_to_number("") is None


def test_quantities_keep_units_offsets_and_approximation() -> None:
    text = (
        "集团已完成交通项目投资4.3亿元、同比增长32%,完成目标任务123%。"
        "每天育秧2万多盘,调整优化设计方案10余篇。"
    )
    qs = facts.find_quantities(text)
    by_text = {q.text: q for q in qs}
    assert by_text["4.3亿元"].value == pytest.approx(4.3e8) and by_text["4.3亿元"].unit == "元"
    assert by_text["32%"].unit == "%" and by_text["123%"].value == 123
    assert by_text["2万多盘"].value == 20000 and by_text["2万多盘"].approx and by_text["2万多盘"].unit == "盘"
    assert by_text["10余篇"].approx and by_text["10余篇"].unit == "篇"
    for q in qs:
        assert text[q.start : q.end] == q.text


def test_quantities_chinese_numerals_ordinals_and_ranges() -> None:
    qs = {
        q.text: q
        for q in facts.find_quantities("第三十四次全国助残日,首批十六家学堂,偏东风4到5级,第二家酒店")
    }
    assert qs["第三十四次"].value == 34 and qs["第三十四次"].ordinal
    assert qs["十六家"].value == 16
    assert qs["4到5级"].value == 4 and qs["4到5级"].high == 5
    assert qs["第二家"].ordinal


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("GDP达1.3万亿元", 1.3e12, "元"),
        ("投资50亿美元", 5e9, "美元"),
        ("气温30摄氏度", 30, "℃"),
        ("交付1,313,851辆", 1313851, "辆"),
        ("增长5％", 5, "%"),
    ],
)
def test_big_numbers_currencies_separators_and_unit_spellings(text: str, value: float, unit: str) -> None:
    (q,) = facts.find_quantities(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_set_phrases_and_dates_are_not_quantities() -> None:
    texts = [q.text for q in facts.find_quantities("一键可查,一年四季,5月17日上午,2024年")]
    assert texts == []


def test_times() -> None:
    text = "5月17日上午,工程预计于今年7月底完成建设。6月初,今年8月将建成,昨天下午,每个季度考核"
    ts = {t.text: t for t in facts.find_times(text)}
    assert ts["5月17日上午"].month == 5 and ts["5月17日上午"].day == 17 and ts["5月17日上午"].part == "上午"
    assert ts["今年7月底"].year_offset == 0 and ts["今年7月底"].month == 7 and ts["今年7月底"].part == "底"
    assert ts["6月初"].part == "初"
    assert ts["今年8月"].month == 8
    assert ts["昨天下午"].day_offset == -1
    assert ts["每个季度"].frequency
    assert ts["今年7月底"].same_as(ts["今年8月"]) is False
    for t in ts.values():
        assert text[t.start : t.end] == t.text


def test_directions() -> None:
    ds = facts.find_directions("投资同比增长32%,工程比原计划提前2个月,人数减少,工期推迟")
    assert [(d.word, d.axis, d.sign) for d in ds] == [
        ("同比增长", "amount", 1),
        ("提前", "schedule", -1),
        ("减少", "amount", -1),
        ("推迟", "schedule", 1),
    ]


def test_people_with_roles() -> None:
    text = (
        "市总工会副主席张婉强说,市政协副主席、总工会主席许静说,纳铁福传动系统(平湖)有限公司李怀亮、"
        "林哲浩等4位工匠。王大伟说道。"
    )
    people = {p.text: p for p in find_people(text)}
    assert people["张婉强"].role == "市总工会副主席"
    assert people["许静"].role == "总工会主席"
    assert "李怀亮" in people and "王大伟" in people and people["王大伟"].role == ""


@pytest.mark.parametrize(
    ("question", "kind", "unit"),
    [
        ("平湖首批设立了多少家劳模工匠学堂？", "number", "家"),
        ("今年是第几次全国助残日？", "number", "次"),
        ("谁是景兴工匠学院负责人？", "person", ""),
        ("六里塘大桥预计什么时候完工？", "time", ""),
        ("每年几月是金平湖工匠月？", "time", ""),
        ("六里塘大桥比原计划提前多久完工？", "duration", ""),
        ("兰亭能源集团的总部在哪里？", "place", ""),
        ("张婉强是什么职务？", "role", ""),
        ("哪几所职业院校签了协议？", "entity", ""),
        ("残疾人事业被誉为什么事业？", "other", ""),
        ("How many mu of late rice will Pinghu plant?", "number", "亩"),
        ("What percentage of its target did the group complete?", "number", "%"),
        ("Who is the chair of the trade unions?", "person", ""),
        ("When will the hotel open?", "time", ""),
        ("Where is the hotel?", "place", ""),
    ],
)
def test_answer_types(question: str, kind: str, unit: str) -> None:
    t = answer_type(question)
    assert (t.kind, t.unit) == (kind, unit)


def test_counted_thing() -> None:
    assert answer_type("今年平湖有多少残疾人实现了就业？").counted == "残疾人"
    assert answer_type("第二批助残共富项目一共有多少个？").counted.endswith("助残共富项目")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("平湖首批设立了多少家劳模工匠学堂？", "zh"),
        ("How many schools (学堂) did Pinghu set up?", "en"),
        ("Сколько школ открыли в Пинхu?", "other"),
        ("平湖にはいくつの学校がありますか", "other"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert facts.detect_language(text) == lang


def test_pinyin_names() -> None:
    assert pinyin_names("How much will Yinfeng Robotics invest in its Pinghu project?") == [
        "yinfeng",
        "pinghu",
    ]
    assert pinyin_names("What does the Marriott hotel in China offer?") == []


def test_content_terms_drop_question_words() -> None:
    terms = facts.content_terms("平湖首批设立了多少家劳模工匠学堂？")
    assert "多少" not in terms and "首批" in terms and "学堂" in terms


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("中国女排在巴黎奥运会在哪个小组？", "other"),  # a group, not a place
        ("这部纪录片在哪个平台播出", "name"),
        ("颁奖典礼在哪举行", "place"),
        ("他在哪个城市读的大学", "place"),
    ],
)
def test_which_group_or_channel_is_no_place(question: str, kind: str) -> None:
    assert answer_type(question).kind == kind
