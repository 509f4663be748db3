"""Fact checking: the comparison rules alone, then whole claims against the seed page
indexed once with the real embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant._check import check_batch, check_claim
from assistant._evidence import Evidence
from assistant._ground import align
from assistant._index import NewsIndex
from assistant._load_corpus import load_paths
from assistant._normalize import normalise
from assistant._search import Searcher
from assistant._split_claim import split_facts
from assistant._values import consistent, items
from assistant.config import Settings
from assistant.errors import EmptyQueryError, InputError
from assistant.records import Article

from .conftest import SEED_PAGE, evidence_units

ROOT = Path(__file__).resolve().parent.parent
SEED_CLAIMS = ROOT / "eval" / "seed_claims.jsonl"

# Sentences of the seed page, as printed.
SCHOOLS = "今年,我市在已有的劳模工匠学院基础上,创新性地设立了首批16家劳模工匠学堂,旨在通过系统的职业教育培训"
INVEST = "据统计,今年一季度,集团已完成交通项目投资4.3亿元、同比增长32%,完成目标任务123%。"
BRIDGE = "在六里塘大桥加速推进过程中,有效提升预压效率,工程预计于今年7月底完成建设,比原计划提前2个月"
SEEDLINGS = "6月初,我市将铺开机插秧作业,当前中心各流水线加足马力,每天育秧2万多盘,确保晚稻顺利种植。"
VISIT = "5月17日上午,仲旭东一行拜访考察了音锋机器人新加坡公司。"
OWNER = "兰亭能源是新加坡淡马锡的全资子公司,总部位于新加坡,其全球能源业务包括亚洲和欧洲的天然气管道"
HEAD = "浙江景兴纸业股份有限公司党委副书记、工会主席、景兴“工匠学院”负责人沈守贤说。"
WEATHER = "今天白天最高气温内陆26℃,沿海24℃。"
INVEST_HEADLINE = "平湖交投持续擦亮“交行先锋”党建品牌"
SEEDLINGS_BEFORE = "昨天,在平湖新仓现代农事服务中心,机械臂将自动育秧流水线上生产的一盘盘秧苗进行码放。"


# ---------------------------------------------------------------- rules, no index


def one(text: str):
    found = items(normalise(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("claim", "article", "same"),
    [
        ("十六家", "16家", True),  # Chinese numerals
        ("三十四次", "34次", True),
        ("2万盘", "20000盘", True),  # 万 is a magnitude
        ("超过20000盘", "2万多盘", True),  # both say "more than twenty thousand"
        ("2000多盘", "2万多盘", False),
        ("4.3亿元", "43000万元", True),
        ("5亿元", "4.3亿元", False),
        ("12%", "32%", False),
        ("百分之三十二", "32%", True),
        ("19摄氏度", "19℃", True),
        ("约100人", "95人", True),
        ("7月", "7月底", True),  # a month holds its end
        ("9月", "7月底", False),
        ("5月初", "6月初", False),
        ("5月18日", "5月17日", False),
        ("5月17日上午", "5月17日下午", False),
    ],
)
def test_values_compare_as_news_writes_them(claim: str, article: str, same: bool) -> None:
    c, a = one(claim), one(article)
    assert c.kind == a.kind
    assert consistent(c, a) is same


def compare(claim: str, sentence: str):
    """One claim against one sentence of the seed page (the edition names the town: 平湖版;
    the headline names the company the sentence calls 集团)."""
    context = {INVEST: INVEST_HEADLINE, SEEDLINGS: SEEDLINGS_BEFORE}.get(sentence, "")
    return align(claim, Evidence(sentence, context=context, source="嘉兴日报·平湖版"))


def test_number_contradiction_names_both_values() -> None:
    o = compare("平湖首批设立了20家劳模工匠学堂", SCHOOLS)
    assert o.verdict == "contradicted"
    assert o.diffs == ["声称20家，报道为16家"]
    assert compare("平湖今年设立了首批十六家劳模工匠学堂", SCHOOLS).verdict == "supported"


def test_unit_and_magnitude_contradictions() -> None:
    o = compare("今年一季度交投集团完成交通项目投资5亿元", INVEST)
    assert o.diffs == ["声称5亿元，报道为4.3亿元"]
    assert compare("新仓现代农事服务中心每天育秧2000多盘", SEEDLINGS).verdict == "contradicted"
    assert compare("新仓现代农事服务中心每天育秧超过20000盘", SEEDLINGS).verdict == "supported"


def test_the_percentage_in_the_same_slot_is_compared() -> None:
    # 32% (同比增长) and 123% (完成目标任务) share a unit; the claim's 增长 picks 32%.
    assert compare("交投集团一季度交通项目投资同比增长12%", INVEST).diffs == ["声称12%，报道为32%"]
    # 沿海 picks 24℃, though 26℃ (内陆) stands in the same sentence.
    assert compare("今天白天沿海最高气温26℃", WEATHER).diffs == ["声称26℃，报道为24℃"]
    assert compare("今天白天内陆最高气温26℃", WEATHER).verdict == "supported"


def test_direction_contradictions() -> None:
    o = compare("交投集团一季度交通项目投资同比下降32%", INVEST)
    assert o.verdict == "contradicted" and "声称下降，报道为同比增长" in o.diffs
    o = compare("六里塘大桥预计比原计划推迟2个月完工", BRIDGE)
    assert o.verdict == "contradicted" and "声称推迟，报道为提前" in o.diffs
    assert compare("比原计划提前2个月", BRIDGE).verdict == "supported"


def test_date_contradictions() -> None:
    assert compare("六里塘大桥预计今年9月完成建设", BRIDGE).diffs == ["声称今年9月，报道为今年7月底"]
    o = compare("仲旭东一行于5月18日拜访了音锋机器人新加坡公司", VISIT)
    assert o.diffs == ["声称5月18日，报道为5月17日上午"]
    assert compare("平湖将于5月初铺开机插秧作业", SEEDLINGS).verdict == "contradicted"


def test_entity_in_the_same_slot_contradicts() -> None:
    o = compare("兰亭能源是新加坡政府投资公司(GIC)的全资子公司", OWNER)
    assert o.verdict == "contradicted"
    assert "淡马锡" in o.diffs[0] and "gic" in o.diffs[0]
    o = compare('景兴"工匠学院"的负责人是张婉强', HEAD)
    assert o.diffs == ["声称张婉强，报道为沈守贤"]
    assert compare("兰亭能源是新加坡淡马锡的全资子公司", OWNER).verdict == "supported"


def test_another_batch_is_not_a_contradiction() -> None:
    # The page gives the first batch (16); a claim about the second batch is news to it.
    assert compare("平湖第二批劳模工匠学堂将设立10家", SCHOOLS).verdict == "not_found"


def test_a_value_the_sentence_never_states_is_not_found() -> None:
    o = compare("兰亭能源年营业额超过100亿美元", OWNER)
    assert o.verdict == "not_found" and o.missing == ["100亿美元"]


def test_claims_split_into_facts() -> None:
    assert split_facts("六里塘大桥预计今年7月底完工，比原计划提前2个月。") == [
        "六里塘大桥预计今年7月底完工",
        "比原计划提前2个月",
    ]
    assert split_facts("完成交通项目投资4.3亿元和同比增长32%") == ["完成交通项目投资4.3亿元", "同比增长32%"]
    # 和 inside a list of names is not a clause boundary.
    assert split_facts("平湖技师学院和平湖市职业中专签订了协议") == ["平湖技师学院和平湖市职业中专签订了协议"]


# ---------------------------------------------------------------- whole claims, real embedder


@pytest.fixture(scope="module")
def seed_searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    from assistant._embed import get_embedder

    settings = Settings(index_dir=tmp_path_factory.mktemp("check-index"))
    index = NewsIndex(settings, get_embedder(settings))
    index.ingest(load_paths([SEED_PAGE]).articles)
    return Searcher(index)


def _check(searcher: Searcher, claim: str):
    return check_claim(searcher, claim, searcher.settings)


def _assert_quotes_exact(searcher: Searcher, result) -> None:
    for c in result.citations:
        article = searcher.index.get_article(c.article_id)
        assert article is not None
        assert article.text[c.start : c.end] == c.quote


@pytest.mark.parametrize(
    ("claim", "verdict", "said"),
    [
        ("平湖首批设立了20家劳模工匠学堂。", "contradicted", "声称20家，报道为16家"),
        ("今年一季度交投集团完成交通项目投资5亿元。", "contradicted", "声称5亿元，报道为4.3亿元"),
        ("交投集团一季度交通项目投资同比增长12%。", "contradicted", "声称12%，报道为32%"),
        ("交投集团一季度交通项目投资同比下降32%。", "contradicted", "声称下降"),
        ("六里塘大桥预计比原计划推迟2个月完工。", "contradicted", "声称推迟，报道为提前"),
        ("六里塘大桥预计今年9月完成建设。", "contradicted", "报道为今年7月底"),
        ("兰亭能源是新加坡政府投资公司(GIC)的全资子公司。", "contradicted", "淡马锡"),
        ("平湖今年设立了首批十六家劳模工匠学堂。", "supported", "十六家 = 16家"),
        ("新仓现代农事服务中心每天育秧超过20000盘。", "supported", "2万多盘"),
        ("平湖地铁1号线将于明年开通。", "not_found", ""),
        ("六店大桥改建工程总投资为2亿元。", "not_found", "2亿元"),
    ],
)
def test_claims_against_the_seed_page(seed_searcher: Searcher, claim: str, verdict: str, said: str) -> None:
    r = _check(seed_searcher, claim)
    assert r.verdict == verdict, r.explanation
    assert said in r.explanation
    if verdict == "not_found":
        assert r.citations == ()
    else:
        assert r.citations
        _assert_quotes_exact(seed_searcher, r)


def test_multi_fact_claim_names_the_failing_part(seed_searcher: Searcher) -> None:
    r = _check(seed_searcher, "六里塘大桥预计今年7月底完工，比原计划提前3个月。")
    assert r.verdict == "contradicted"
    assert "比原计划提前3个月" in r.explanation and "声称3个月，报道为2个月" in r.explanation
    assert [f["verdict"] for f in r.facts] == ["supported", "contradicted"]
    _assert_quotes_exact(seed_searcher, r)

    ok = _check(seed_searcher, "六里塘大桥预计今年7月底完工，比原计划提前2个月。")
    assert ok.verdict == "supported"
    assert all(f["citation"] for f in ok.facts)


def test_multi_fact_with_one_unknown_part_is_not_found(seed_searcher: Searcher) -> None:
    r = _check(seed_searcher, "兰亭能源是新加坡淡马锡的全资子公司，年营业额超过100亿美元。")
    assert r.verdict == "not_found"
    assert [f["verdict"] for f in r.facts] == ["supported", "not_found"]
    assert "100亿美元" in r.explanation


@pytest.mark.slow  # 34 claims, ~70 searches: `python -m eval claims` measures the same
def test_seed_claims_accuracy(seed_searcher: Searcher) -> None:
    rows = [json.loads(line) for line in SEED_CLAIMS.read_text(encoding="utf-8").splitlines() if line.strip()]
    right = 0
    for row in rows:
        r = _check(seed_searcher, row["claim"])
        right += r.verdict == row["verdict"]
        _assert_quotes_exact(seed_searcher, r)
    assert right / len(rows) >= 0.9, f"{right}/{len(rows)}"


def test_batch_reports_bad_lines_and_goes_on(seed_searcher: Searcher) -> None:
    lines = [
        '{"id": "a", "claim": "平湖首批设立了20家劳模工匠学堂。"}',
        "not json",
        '{"id": "b"}',
        '["a list"]',
        "",
        '{"id": "c", "claim": "   "}',
    ]
    out = list(check_batch(seed_searcher, lines, seed_searcher.settings))
    assert out[0]["id"] == "a" and out[0]["verdict"] == "contradicted" and out[0]["citations"]
    assert out[1]["line"] == 2 and "not JSON" in out[1]["error"]
    assert out[2] == {"id": "b", "line": 3, "error": out[2]["error"]} and "claim" in out[2]["error"]
    assert out[3]["line"] == 4 and "object" in out[3]["error"]
    assert out[4]["id"] == "c" and out[4]["line"] == 6
    assert len(out) == 5


def test_empty_or_huge_claim_is_a_clear_error(seed_searcher: Searcher) -> None:
    with pytest.raises(EmptyQueryError):
        _check(seed_searcher, "  ")
    with pytest.raises(InputError, match="at most"):
        _check(seed_searcher, "。".join(f"平湖第{i}批设立了{i}家学堂" for i in range(1, 20)))


def test_part_of_a_claim_is_not_supported_by_another_story() -> None:
    # Found on the perturbation dev split: 同比增长8.0% was supported by an article about
    # something else while the claim's own article said 13.4%. New sentences here.
    from assistant._check import judge_fact

    units = evidence_units(
        "据统计，全镇今年新增农家乐23家，同比增长13.4%。",
        "另据了解，全省快递业务量同比增长8.0%，继续保持较快增长。",
    )
    claim = "据统计，全镇今年新增农家乐23家，同比增长8.0%"
    assert judge_fact("同比增长8.0%", claim, units).verdict == "contradicted"
    true = "据统计，全镇今年新增农家乐23家，同比增长13.4%"
    assert judge_fact("同比增长13.4%", true, units).verdict == "supported"
    # A claim whose other part no article tells keeps the support of the part one does.
    assert (
        judge_fact(
            "全省快递业务量同比增长8.0%", "全省快递业务量同比增长8.0%，无人机配送量翻番", units
        ).verdict
        == "supported"
    )


def test_a_new_date_frame_replaces_the_last_one() -> None:
    facts = split_facts("2019年，一期工程开工，投资超过2亿元；2021年，二期工程完工，投资超过5亿元")
    assert facts[-1].startswith("2021年") and "2019年" not in facts[-1]
    assert split_facts("今年一季度，全市GDP增长5%，工业产值增长8%") == [
        "今年一季度，全市GDP增长5%",
        "今年一季度，工业产值增长8%",
    ]


def test_a_clause_with_its_own_month_is_not_framed_by_the_last() -> None:
    facts = split_facts("据统计，3月份，全镇新增市场主体412户；相比之下，2月只有268户")
    assert facts[-1] == "2月只有268户"


def _one_article(tmp_path: Path, title: str, text: str) -> Searcher:
    """A searcher over one article of the paper, indexed with the real embedding model."""
    from assistant._embed import get_embedder

    settings = Settings(index_dir=tmp_path / "idx")
    index = NewsIndex(settings, get_embedder(settings))
    index.ingest([Article(id="a1", title=title, text=text, date="2026-10-20", source="嘉兴日报·平湖版")])
    return Searcher(index)


def test_a_later_part_of_a_claim_is_read_in_the_sentence_of_the_part_before(tmp_path: Path) -> None:
    # A reporter's try: …总额386.5亿元，同比增长9.7% was "contradicted" by another sentence's
    # 同比增长46.5%, which also "supported" the false claim with 46.5%. New sentences here.
    searcher = _one_article(
        tmp_path,
        "前三季度我市消费品零售总额增长6.8%",
        "本报讯 记者从市商务局获悉，今年1至9月，全市实现社会消费品零售总额312.6亿元，比去年同期增长6.8%。"
        "其中，网络零售额达到58.3亿元，增长21.4%；快递业务量同比增长18.2%。"
        "在东湖商圈，国庆假期客流同比增长12.5%。",
    )
    assert (
        _check(searcher, "今年1至9月平湖社会消费品零售总额312.6亿元，同比增长21.4%").verdict == "contradicted"
    )
    assert _check(searcher, "今年1至9月平湖社会消费品零售总额312.6亿元，同比增长6.8%").verdict == "supported"
    # 增长21.4% printed without 同比 / 比去年同期 (news means it) is the clause's own
    assert _check(searcher, "今年1至9月平湖网络零售额58.3亿元，比去年同期增长21.4%").verdict == "supported"
    assert _check(searcher, "今年1至9月平湖网络零售额58.3亿元，比去年同期增长18.2%").verdict == "contradicted"


def test_a_new_clause_of_a_claim_may_come_from_another_sentence(tmp_path: Path) -> None:
    # the part before's sentence decides a later part only within one clause of the claim
    searcher = _one_article(
        tmp_path,
        "公共交通满意度升至86.5%",
        "本报讯 最新调查显示，本市居民对公共交通的满意度升至86.5%。"
        "另外两项调查中，对公共自行车和共享单车的满意度分别为79%和72%。",
    )
    claim = "本市居民对公共交通的满意度升至86.5%；对公共自行车和共享单车的满意度分别为79%和72%"
    assert _check(searcher, claim).verdict == "supported"


def test_a_part_with_nothing_to_compare_does_not_choose_the_next_parts_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A reporter's try (2026-12-07, fifth session): 今年五一假期，九龙山…接待游客21.3万人次 was
    # "contradicted" by a concert's 1.2万人次: the bare time, "supported" by a sentence that
    # compared nothing (今年假期前…音乐会两晚吸引观众1.2万人次), chose the sentence the next part
    # was read in first. Only a part decided by what it compared may choose (unit test of the
    # hand-over; the reporter's claims are replayed in eval/README.md).
    import assistant._check as check
    from assistant._evidence import Alignment

    concert, scenic = object(), object()
    seen: list[object] = []

    def fake_check_fact(searcher, fact, claim, filters, cache, searched, near):  # type: ignore[no-untyped-def]
        seen.append(near)
        if fact.startswith("今年"):
            return check.FactResult(fact, "supported", "报道的说法相同", concert, Alignment("supported"))  # type: ignore[arg-type]
        return check.FactResult(fact, "supported", "一致", scenic, Alignment("supported", agrees=["1"]))  # type: ignore[arg-type]

    monkeypatch.setattr(check, "check_fact", fake_check_fact)
    monkeypatch.setattr(check, "Citation", lambda **kw: kw)
    try:
        check.check_claim(None, "今年五一假期，九龙山旅游度假区接待游客21.3万人次，同比增长16.2%", Settings())  # type: ignore[arg-type]
    except Exception:
        pass  # the fakes are no real units: only the hand-over between parts is asserted
    assert seen[:3] == [None, None, scenic]


def test_a_place_in_a_ranking_is_checked_like_a_figure(tmp_path: Path) -> None:
    # A reporter's held-out try (2026-12-07): 乍浦镇…以22枚金牌排名第三 was "supported" by
    # …乍浦镇本届获得22枚金牌，排名第四: the figure agreed, the place was never read. New sentences.
    searcher = _one_article(
        tmp_path,
        "全市村级集体经济考核结果公布",
        "本报讯 日前，2026年度全市村级集体经济发展考核结果公布。"
        "从考核总分看，新仓镇以96.5分位居第一；林埭镇以94.2分排名第二；广陈镇获得92.8分，排名第三。"
        "去年排名第一的曹桥街道今年得分90.1分，排名第四。"
        "新仓镇村级集体经济总收入达到1.86亿元。",
    )
    # the place printed after the subject, not another town's
    assert _check(searcher, "广陈镇以92.8分在考核中排名第二").verdict == "contradicted"
    assert _check(searcher, "林埭镇以94.2分在考核中排名第二").verdict == "supported"
    assert _check(searcher, "曹桥街道今年以90.1分排名第一").verdict == "contradicted"
    # a place the sentence never gives is no place at all
    assert _check(searcher, "新仓镇村级集体经济总收入1.86亿元，排名全市第一").verdict != "supported"


def test_a_price_per_another_weight_is_the_same_rate(tmp_path: Path) -> None:
    # A reporter's held-out try (2026-12-07): 每斤1.42元 was "contradicted" by 每50公斤142元.
    searcher = _one_article(
        tmp_path,
        "晚稻订单收购启动",
        "本报讯 昨天，新埭镇晚稻订单收购正式启动。今年合作社与粮食收储公司签订的订单收购价为每50公斤152元，"
        "比去年提高6元；糯稻收购价为3.4元/公斤。",
    )
    assert _check(searcher, "今年晚稻订单收购价每斤1.52元").verdict == "supported"
    assert _check(searcher, "今年晚稻订单收购价每斤1.62元").verdict == "contradicted"
    assert _check(searcher, "糯稻收购价每斤1.7元").verdict == "supported"
    got = _check(searcher, "糯稻收购价每斤3.4元")
    assert got.verdict == "contradicted" and "3.4元/公斤" in got.explanation
