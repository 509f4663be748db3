"""Who said it, what a clause opens, who is ahead: the grounding engine's seventh round (2026-12-07).

A reporter's set (helper-written articles on a wheat harvest, a hospital's new wing and an
export zone; verdicts written first, counted before it was read) found claim openers checked as
facts of their own (周文斌表示，… / 与去年同期相比，… / 在嘉兴市…评价中，…), a quote's closing mark
checked as a fact, a speaker and the words said kept in one part (so a headline's words could
support another speaker's quote), a rival name read across a clause (排名第二，仅次于嘉善…), 前10个月
not read as 1至10月, 时间 taken for a subject, 已将 for a plan, 人次为98.6万 left without a unit
and 中午 read as mid-month (a held-out set's summary named it; the set itself was not read).
Each kind is tested here with sentences of its own.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant._check import check_claim
from assistant._embed import get_embedder
from assistant._facts import period_name
from assistant._index import NewsIndex
from assistant._search import Searcher
from assistant._split_claim import split_facts
from assistant.config import Settings
from assistant.records import Article

from .test_ground import _expect, _units_with_context, _verdicts


def test_an_opener_qualifies_the_clause_after_it() -> None:
    assert split_facts("与上年相比，全镇生猪存栏减少1200头，降至3.1万头。") == [
        "与上年相比，全镇生猪存栏减少1200头",
        "与上年相比，降至3.1万头",
    ]
    assert split_facts("在全省农村文化礼堂星级评定中，广陈镇泗泾村被评为五星级。") == [
        "在全省农村文化礼堂星级评定中，广陈镇泗泾村被评为五星级"
    ]


def test_who_spoke_is_a_part_of_its_own_and_a_closing_mark_is_none() -> None:
    assert split_facts("站长金晓峰表示，今年共发放种子补贴80万元。") == [
        "站长金晓峰表示",
        "今年共发放种子补贴80万元",
    ]
    assert split_facts("所长俞丽说：“今年的检测样本比去年多了一倍。”") == [
        "所长俞丽说",
        "今年的检测样本比去年多了一倍",  # half a quote pair is no part of the words
    ]
    # the words said go on after a short first clause (“接下来，…)
    assert split_facts("俞丽说：“接下来，我们还要新增2个检测点。”") == [
        "俞丽说",
        "接下来，我们还要新增2个检测点",
    ]


def test_the_months_of_a_year_so_far_are_a_period() -> None:
    assert period_name("前10个月") == period_name("1至10月") == "1-10月"
    assert period_name("前6个月") == "上半年"
    assert period_name("前两个月") == "1-2月"
    _expect(
        "本报讯 今年1至10月，全市快递业务量达到1.86亿件，同比增长12.6%。",
        {
            "全市前10个月快递业务量1.86亿件": "supported",
            "全市前9个月快递业务量1.86亿件": "not_found",
            "全市前10个月快递业务量1.68亿件": "contradicted",
        },
    )


def test_time_said_as_a_noun_is_no_other_subject() -> None:
    _expect(
        "本报讯 今年全市早稻收割比去年提前5天完成，单产每亩512公斤。",
        {"全市早稻收割时间比去年推迟5天": "contradicted", "全市早稻收割时间比去年提前5天": "supported"},
    )


def test_already_jiang_is_done_not_planned() -> None:
    _expect(
        "本报讯 截至昨天，当湖街道2800户居民的燃气表已全部更换完毕。",
        {
            "当湖街道已将2800户居民的燃气表全部换完": "supported",
            "当湖街道已将3800户居民的燃气表全部换完": "contradicted",
        },
    )


def test_a_unit_named_before_its_number_counts_it() -> None:
    _expect(
        "本报讯 国庆假期，东湖景区接待游客23.4万人次，同比增长9.1%。",
        {
            "东湖景区国庆假期接待游客人次为23.4万": "supported",
            "东湖景区国庆假期接待游客人次为32.4万": "contradicted",
        },
    )


def test_the_one_ranked_ahead_is_not_the_ranked() -> None:
    text = "本报讯 今年前三季度，平湖港集装箱吞吐量增速在全省内河港口中排名第三，仅次于湖州港和嘉兴内河港。"
    _expect(
        text,
        {
            "湖州港集装箱吞吐量增速在全省内河港口中排名第三": "contradicted",
            "在全省内河港口中，平湖港集装箱吞吐量增速排名第三": "supported",
            "在全省内河港口中，平湖港集装箱吞吐量增速排名第二": "contradicted",
        },
    )


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    settings = Settings(index_dir=tmp_path_factory.mktemp("speech") / "idx")
    index = NewsIndex(settings, get_embedder(settings))
    text = (
        "本报讯 昨天，曹桥街道社区卫生服务中心新建的康复楼投入使用，新增康复床位60张。"
        "“以前做康复要跑到市区，现在家门口就能做。”中心主任盛国华说。"
        "中心康复科医生许文静介绍：“开诊第一天，我们就接待了40多位患者。”"
        "今年1至9月，中心门诊量达到21.3万人次，与去年同期相比增加1.6万人次。"
        "“康复床位天天都是满的。”护士长唐敏说，下一步中心还将开设日间康复门诊。"
    )
    art = Article(
        id="kf",
        title="曹桥街道社区卫生服务中心康复楼启用",
        text=text,
        date="2026-04-12",
        source="嘉兴日报·平湖版",
    )
    index.ingest([art])
    return Searcher(index)


@pytest.fixture(scope="module")
def verdict(searcher: Searcher) -> Callable[[str], str]:
    """claim -> check_claim's verdict over the speech article (speakers are read across parts)."""
    return lambda claim: check_claim(searcher, claim, searcher.settings).verdict


def test_a_speakers_words_are_checked_against_what_that_speaker_said(verdict: Callable[[str], str]) -> None:
    # 表示 for 说: the speaker's part holds when the words said are found as his
    assert verdict("盛国华表示，以前做康复要跑到市区，现在家门口就能做。") == "supported"
    assert verdict("中心主任盛国华表示，以前做康复要跑到市区，现在家门口就能做。") == "supported"
    # ...with the title the claim gives him
    assert verdict("中心副主任盛国华表示，以前做康复要跑到市区，现在家门口就能做。") != "supported"
    # words a said-line gives another are a denial of the claim's speaker, colon or comma
    assert verdict("许文静说：“以前做康复要跑到市区，现在家门口就能做。”") == "contradicted"
    assert verdict("盛国华说，开诊第一天就接待了40多位患者。") == "contradicted"
    # the said-line may open the sentence after the quote (“…满的。”护士长唐敏说，下一步…)
    assert verdict("许文静说：“康复床位天天都是满的。”") == "contradicted"
    assert verdict("唐敏说：“康复床位天天都是满的。”") == "supported"
    # an opener is checked with its clause, not alone
    assert verdict("与去年同期相比，曹桥街道社区卫生服务中心1至9月门诊量增加1.6万人次。") == "supported"


def test_noon_is_a_time_of_day_not_the_middle_of_the_month() -> None:
    # 6月17日中午 was read as 6月17日中 (mid-month) and contradicted 昨天中午 of a 6月18日 report
    verdict = _verdicts(
        _units_with_context("本报讯 昨天中午，钟埭街道首家社区食堂开门营业。", date="2025-06-18")
    )
    assert verdict("6月17日中午，钟埭街道首家社区食堂开门营业") == "supported"
    assert verdict("6月16日中午，钟埭街道首家社区食堂开门营业") == "contradicted"


def test_a_figure_in_another_clause_of_a_list_is_the_others() -> None:
    # 钟溪小学扩建工程投资4300万元 was "supported" by the next ；-clause's 幼儿园…投资4300万元
    _expect(
        "本报讯 今年新投用的三个项目中，城南养老服务中心投资5200万元，设床位300张；"
        "乍浦镇敬老院改造工程投资1800万元，新增床位80张。",
        {
            "城南养老服务中心投资1800万元": "not supported",
            "城南养老服务中心投资5200万元": "supported",
            "乍浦镇敬老院改造工程投资1800万元": "supported",
        },
    )


def test_a_clause_opening_with_its_verb_takes_the_plan_before_it() -> None:
    # 下半年我市将投入1.35亿元，实施…8条河道综合整治 "supported" 已完成…8条河道的综合整治
    _expect(
        "本报讯 明年我市将投入6000万元，改造老旧小区12个，新增停车位2400个。",
        {"我市已完成12个老旧小区改造": "not supported", "我市已改造老旧小区12个": "not supported"},
    )


def test_schools_in_general_are_no_named_school() -> None:
    # 平湖中小学 was read as a school named 湖中 (湖中小学), absent from the report
    _expect(
        "本报讯 今年秋季，全市中小学共有在校学生6.2万人，比去年增加900人。",
        {"今年秋季平湖中小学在校学生6.2万人": "supported"},
    )


def test_a_quote_given_to_another_speaker_after_its_full_stop_contradicts(
    verdict: Callable[[str], str],
) -> None:
    # (2026-12-07, r20b) “…。”X说。 with the words another's: the said-line part kept its closing
    # mark, so no speaker was read and the words were "supported" wherever they stood
    assert verdict("“以前做康复要跑到市区。”护士长唐敏说。") == "contradicted"
    assert verdict("“以前做康复要跑到市区。”中心主任盛国华说。") == "supported"
