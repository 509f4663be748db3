"""Kinds of LLM-reader fault found by a helper's second trial (issue 12), on new examples.

Each test fixes what "the model" wrote (LangChain's scripted fake chat model) over articles
written for these tests, in a real index with the real embedding model, and asserts what the
verifier and the extractive fallback make of it.
"""

from __future__ import annotations

import pytest

from assistant._index import NewsIndex
from assistant._names import find_people
from assistant.config import Settings
from assistant.records import Answer, Article

from .conftest import real_index
from .test_read_llm import ask

ARTICLES = [
    Article(
        id="k-market",
        title="当湖街道夜市开街 首批摊位180个",
        date="2024-05-18",
        source="嘉兴日报·平湖版",
        text=(
            "本报讯 5月17日晚，当湖街道东湖夜市正式开街。据统计，开街当晚共有1.6万人次前来逛夜市。"
            "夜市由街道办事处统一管理，营业时间为每天18时至23时。"
        ),
    ),
    Article(
        id="k-ferry",
        title="两条渡运航线调整",
        date="2024-07-02",
        source="嘉兴日报·平湖版",
        text=(
            "本报讯 记者从市港航管理中心获悉，自7月5日起，我市两条渡运航线调整运营。\n"
            "3号航线调整后，延伸至乍浦港区。每日航次由10班增加到16班，首班船7:00开航。\n"
            "7号航线新增停靠码头一个，票价不变。"
        ),
    ),
    Article(
        id="k-road",
        title="318省道新仓段完成大修",
        date="2024-08-20",
        source="嘉兴日报·平湖版",
        text="本报讯 318省道新仓段大修工程昨天完工。工程历时三个月。施工期间，过境货车绕行乍王公路。",
    ),
    Article(
        id="k-drill",
        title="新仓镇举行消防应急演练",
        date="2024-09-03",
        source="嘉兴日报·平湖版",
        text=(
            "本报讯 9月2日，新仓镇举行消防应急演练，镇、村两级共120人参加。"
            "副镇长沈家明担任现场总指挥，消防救援站站长周凯负责技术指导。"
        ),
    ),
]


@pytest.fixture(scope="module")
def index(real_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> NewsIndex:
    return real_index(real_settings, tmp_path_factory, "llm-kinds", ARTICLES)


def sentence_rows(a: Answer) -> list[dict]:
    return [r for r in a.verification if "sentence" in r]


def test_an_english_figure_must_be_in_the_quote_not_only_the_headline(index: NewsIndex) -> None:
    # 180 stalls is printed by the headline only; the quote would be about 1.6万 visitors.
    a = ask(
        index,
        "How many people came to the Donghu night market on its opening night?",
        "On its opening night the Donghu night market drew 180 visitors. [1]",
    )
    assert a.refused and "180" not in a.answer, a.verification
    assert "not in it" in sentence_rows(a)[0]["reason"]
    ok = ask(
        index, "How many visits did the night market get on its first evening?", "It had 1.6万 visits. [1]"
    )
    assert not ok.refused and "1.6万" in ok.citations[0].quote, ok.verification


def test_an_english_date_may_carry_the_articles_own_year(index: NewsIndex) -> None:
    # 5月17日晚 in an article of 2024-05-18: "May 17, 2024" prints nothing the article does not.
    a = ask(
        index, "When did the Donghu night market open?", "The Donghu night market opened on May 17, 2024. [1]"
    )
    assert not a.refused and "5月17日" in a.citations[0].quote, a.verification
    wrong = ask(index, "When did the Donghu night market open?", "It opened on May 17, 2023. [1]")
    assert "2023" not in wrong.answer


def test_a_title_holder_then_a_duty_verb_names_a_person() -> None:
    people = find_people("副镇长沈家明担任现场总指挥，消防救援站站长周凯负责技术指导。")
    assert {p.text for p in people} == {"沈家明", "周凯"}


def test_who_held_the_post_is_answered_with_the_name(index: NewsIndex) -> None:
    a = ask(index, "新仓镇消防应急演练由谁担任现场总指挥？", "编号：1\n答案：副镇长沈家明担任现场总指挥。[1]")
    assert not a.refused and "沈家明" in a.answer, a.verification


def test_a_figure_of_a_numbered_sibling_is_no_answer(index: NewsIndex) -> None:
    # 每日航次由10班增加到16班 follows 3号航线; asked for 7号航线 neither reader may give it.
    q = "7号航线调整后每日航次是多少班？"
    a = ask(index, q, "编号：1\n答案：7号航线每日航次由10班增加到16班。[1]")
    assert a.refused and "16班" not in a.answer, a.verification
    assert sentence_rows(a)[0]["kept"] is False
    right = ask(index, "3号航线调整后每日航次是多少班？", "编号：1\n答案：每日航次由10班增加到16班。[1]")
    assert not right.refused and "16班" in right.answer, right.verification


def test_a_quote_stands_in_only_for_the_numbered_thing_it_is_about(index: NewsIndex) -> None:
    # The extractive fallback quoting 3号航线's figure for a question about 7号航线 (the shape
    # of the trial's bus routes 205 / 211): the sentence before the quote names 3号航线 only.
    from assistant._answer_kinds import prints_numbered_names
    from assistant.records import Citation

    text = next(a.text for a in ARTICLES if a.id == "k-ferry")
    quote = "每日航次由10班增加到16班"
    start = text.index(quote)
    c = Citation(1, "k-ferry", "两条渡运航线调整", "2024-07-02", "p", quote, start, start + len(quote))
    assert not prints_numbered_names("7号航线调整后每日航次是多少班？", [c], index.get_article)
    assert prints_numbered_names("3号航线调整后每日航次是多少班？", [c], index.get_article)
    assert prints_numbered_names("渡运航线每日航次是多少班？", [c], index.get_article)  # no number named
    # an article about one road need not repeat its number in every sentence
    road = next(a.text for a in ARTICLES if a.id == "k-road")
    quote = "施工期间，过境货车绕行乍王公路"
    start = road.index(quote)
    c = Citation(1, "k-road", "318省道新仓段完成大修", "2024-08-20", "p", quote, start, start + len(quote))
    assert prints_numbered_names("318省道大修期间过境货车绕行哪条路？", [c], index.get_article)
