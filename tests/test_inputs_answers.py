"""The loader and chunker fixes seen from the answers (cases 01, 03, 16 and new examples),
on the real embedding model: a quotation in straight quotes is attributed to its speaker,
an unpunctuated article gives a short quote, a Big5 article is answerable."""

from __future__ import annotations

import pytest

from assistant._answer import Assistant
from assistant._index import NewsIndex
from assistant._load_corpus import load_paths
from assistant.config import Settings
from assistant.records import Answer

from .conftest import ROOT

CASES = ROOT.parent / "shared" / "cases"

STRAIGHT_QUOTE = """---
title: 广陈镇召开西瓜产业推进会
date: 2024-06-18
---
本报讯 日前，广陈镇召开西瓜产业推进会，三十余家种植户和合作社负责人参加了会议。会上，镇农业农村办公室通报了去年的西瓜销售情况，并介绍了今年新建冷库、拓展线上销售渠道的计划。
"今年我们要把西瓜产业做成共富产业。镇里将拿出专项资金扶持种植户购置大棚设备。明年还要举办西瓜文化节，让更多游客走进瓜田。希望各位种植户抓住机遇，把好西瓜卖出好价钱。"镇长沈国良说。
据悉，广陈镇今年西瓜种植面积达到一万二千亩。
"""

RUNON = """---
title: 乍浦镇启动老旧小区改造
date: 2024-04-08
---
本报讯 乍浦镇近日启动老旧小区改造工程 今年计划改造小区十二个 涉及居民四千三百户 改造内容包括屋面防水 外墙修缮 雨污分流和增设电梯 镇建设办负责人介绍 工程总投资约一点二亿元 预计年底前全部完工 在雅山社区 退休教师沈建国正在查看施工图纸 他家住在六楼 盼电梯盼了好多年 沈建国说 这回终于不用爬楼了 据了解 改造期间社区将设立临时停车点 并安排志愿者为行动不便的老人提供帮助 镇里还将组织施工单位每周召开一次协调会 及时回应居民关心的噪音和出行问题
"""


# A plain .txt file: headline, date line, a byline before the result.
CHESS_TXT = """当湖街道象棋邀请赛落幕
2025年9月8日

本报讯（记者 钱晓东）9月6日，当湖街道象棋邀请赛在街道文化站举行，64名棋手参赛。
经过七轮比赛，退休教师沈永年夺得冠军，中学生顾一鸣获得亚军。
"""


@pytest.fixture(scope="module")
def bot(real_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    from assistant._embed import get_embedder

    folder = tmp_path_factory.mktemp("inputs")
    (folder / "quote.md").write_text(STRAIGHT_QUOTE, encoding="utf-8")
    (folder / "runon.md").write_text(RUNON, encoding="utf-8")
    (folder / "chess.txt").write_text(CHESS_TXT, encoding="utf-8")
    paths = [folder]
    for case in (
        "01-quote-split-ascii/ascii.md",
        "16-nopunct-whole-article-quote/runon.md",
        "03-big5-mojibake/article_big5.md",
    ):
        if (CASES / case).exists():
            paths.append(CASES / case)
    settings = Settings(index_dir=folder / "index", cache_dir=real_settings.cache_dir)
    index = NewsIndex(settings, get_embedder(settings))
    result = load_paths(paths)
    assert not result.problems
    index.ingest(result.articles)
    return Assistant(settings, index)


def _quotes_fit_their_passages(bot: Assistant, answer: Answer) -> None:
    hits = {h.passage.id: h.passage for h in answer.hits}
    for c in answer.citations:
        art = bot.index.get_article(c.article_id)
        assert art is not None and art.text[c.start : c.end] == c.quote
        if c.passage_id in hits:
            assert len(c.quote) <= len(hits[c.passage_id].text)
        assert len(c.quote) <= 200


def test_a_straight_quoted_speech_is_attributed_to_its_speaker(bot: Assistant) -> None:
    a = bot.ask("谁说要把西瓜产业做成共富产业？")
    assert not a.refused and "沈国良" in a.answer, a.answer
    _quotes_fit_their_passages(bot, a)


def test_an_unpunctuated_article_gives_a_short_quote(bot: Assistant) -> None:
    a = bot.ask("乍浦镇老旧小区改造工程总投资多少？")
    assert not a.refused and "一点二亿元" in a.answer, a.answer
    assert all(len(c.quote) <= 60 for c in a.citations), a.answer
    _quotes_fit_their_passages(bot, a)


def test_case_01_and_16_answers(bot: Assistant) -> None:
    if not (CASES / "16-nopunct-whole-article-quote" / "runon.md").exists():
        pytest.skip("../shared/cases is absent on this machine")
    a = bot.ask("谁说要把芦笋产业做成富民产业？")
    assert not a.refused and "吴嘉禾" in a.answer, a.answer
    b = bot.ask("戴明远今年流转土地多少亩？")
    assert not b.refused and "八百亩" in b.answer and all(len(c.quote) <= 60 for c in b.citations), b.answer
    _quotes_fit_their_passages(bot, b)


def test_case_03_big5_article_is_answerable(bot: Assistant) -> None:
    if not (CASES / "03-big5-mojibake" / "article_big5.md").exists():
        pytest.skip("../shared/cases is absent on this machine")
    a = bot.ask("廣陳鎮西瓜節吸引了多少遊客？")
    assert not a.refused and "八千人次" in a.answer, a.answer


def test_the_winner_not_the_byline_answers_who_won(bot: Assistant) -> None:
    a = bot.ask("谁夺得了当湖街道象棋邀请赛冠军？")
    assert not a.refused and "沈永年" in a.answer and "钱晓东" not in a.answer, a.answer
    (c,) = a.citations
    assert (c.title, c.date) == ("当湖街道象棋邀请赛落幕", "2025-09-08"), c  # from the .txt layout
    b = bot.ask("象棋邀请赛的报道是哪位记者写的？")
    assert not b.refused and "钱晓东" in b.answer, b.answer
