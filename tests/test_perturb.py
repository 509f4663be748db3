"""The perturbation-claim generator (eval/_perturb*.py): each kind on sentences written for
these tests, and the filters that keep an expected verdict true by construction. Pure
functions, no index and no model; one slow test reads the real collection from ../shared."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from eval import _perturb as P


def rng() -> random.Random:
    return random.Random(0)


def one(ps: list[P.Perturbation]) -> P.Perturbation:
    assert len(ps) == 1, ps
    return ps[0]


# ------------------------------------------------------------------ sentences


def test_sentences_and_eligibility():
    text = "（记者 王小明）东湖镇今年新建了12所幼儿园。这是好事！东湖镇的幼儿园总数达到了40所，位居全县第一。"
    ss = P.sentences(text)
    assert ss[0].startswith("（记者") and ss[-1].endswith("。")
    assert not P.eligible(ss[0])  # a byline
    assert not P.eligible("这是好事！")  # too short
    assert P.eligible("东湖镇的幼儿园总数达到了40所，位居全县第一。")
    assert not P.eligible("他说：“东湖镇的幼儿园总数达到了40所，位居全县第一。")  # unbalanced quote
    assert P.claim_text("东湖镇新建了12所幼儿园。") == "东湖镇新建了12所幼儿园"


def test_same_and_reworded():
    ps = P.make_same("据了解，东湖镇今年新建了12所幼儿园和3个社区食堂。")
    assert [(p.sub, p.claim) for p in ps] == [
        ("verbatim", "据了解，东湖镇今年新建了12所幼儿园和3个社区食堂"),
        ("reworded", "东湖镇今年新建了12所幼儿园和3个社区食堂"),
    ]


# ------------------------------------------------------------------ numbers


def test_figures_leave_out_names_codes_dates_ranges_and_bounds():
    text = "5G基站第3届2023年8月16强淘汰赛3至5天超过300人12345热线骁龙8 Gen3共有42家"
    skipped: Counter[str] = Counter()
    assert [f.number for f in P.figures(text, skipped)] == ["42"]
    assert skipped["number: a date or time (the date kind changes those)"] == 2
    assert P.figures("在《博德之门3》中有12个新角色") == [P.Figure("12", 10, 12)]
    assert [f.number for f in P.figures("2023东湖美食节吸引了2000名游客")] == ["2000"]
    # Followed by no counter or unit: a name (8424西瓜, 303班, 新舟60灭火机, 3.0时代), or a list number.
    for name in ("农户种的8424西瓜", "小学部303班的学生", "“新舟”60灭火机", "可信计算3.0时代", "2、便民服务"):
        assert P.figures(name) == [], name
    # A bound is entailed by a tighter one (突破3亿次 -> 突破3万次): never changed.
    assert P.figures("下载量突破3亿次，冻结金额约为0.15亿元，不低于20家") == []
    # Spaces change nothing: a spaced date, a spaced bound.
    assert [f.number for f in P.figures("东湖 8 月 11 日消息，员工逾 370 人，其中 45 人")] == ["45"]
    assert [f.number for f in P.figures("共12所学校，投资3.5亿元，建成20周年，压力达53兆帕")] == [
        "12",
        "3.5",
        "20",
        "53",
    ]


def test_a_figure_in_chinese_numerals_counts_as_stated():
    assert P.states_number("总金额超过千万元，其中现金500万元", "1000", "万元")
    assert P.states_number("东湖镇共有两万人", "20000", "万人") is False  # 2万 is not 20000万
    assert P.states_number("东湖镇共有两万人", "2", "万人")
    assert not P.states_number("东湖镇共有十五所学校", "16", "所学")


def test_changed_number_keeps_shape_and_differs():
    for number in ("300", "16", "3", "24.9", "1,200", "0.5"):
        for seed in range(5):
            new = P.changed_number(number, random.Random(seed))
            assert new != number
            assert ("." in new) == ("." in number)
            assert float(new.replace(",", "")) > 0
    assert P.states_number("共计1,200人参加", "1200")
    assert not P.states_number("共计12000人参加", "1200")


def test_number_value_and_unit():
    s = "东湖镇全年完成固定资产投资3.5亿元，新增企业42家。"
    article = "东湖镇发展迅速。" + s
    ps = P.make_number(s, article, rng(), Counter())
    value = next(p for p in ps if p.sub == "value")
    old, new = value.changed.split(" -> ")
    assert value.claim == P.claim_text(s).replace(old, new, 1) and old in ("3.5", "42")
    unit = next(p for p in ps if p.sub == "unit")
    assert unit.claim == "东湖镇全年完成固定资产投资3.5万元，新增企业42家"
    wan = P.make_number("该项目获得补助资金80万元。", "该项目获得补助资金80万元。", rng(), Counter())
    assert next(p for p in wan if p.sub == "unit").claim == "该项目获得补助资金80元"


def test_number_change_stated_elsewhere_is_dropped():
    s = "西湖村今年种植水稻300亩。"
    skipped: Counter[str] = Counter()
    # Every value the generator may pick for 300 is printed somewhere in the article.
    article = s + " ".join(f"另有{n}亩" for n in ("450", "200", "600"))
    assert not [p for p in P.make_number(s, article, rng(), skipped) if p.sub == "value"]
    assert skipped["number: the changed figure is stated in the article"] == 1


# ------------------------------------------------------------------ dates


def test_date_day_shift_avoids_article_date_and_stated_days():
    s = "东湖镇于5月20日举行防汛演练，共有60人参加。"
    p = one(P.make_date(s, s, None, rng(), Counter()))
    assert p.sub == "day" and p.claim != P.claim_text(s) and "5月20日" not in p.claim
    # Article dated 5月23日: 21-23 could be read as 今天/昨天/前天, so they are never used.
    for seed in range(10):
        got = one(P.make_date(s, s, "2024-05-23", random.Random(seed), Counter()))
        assert got.changed.split(" -> ")[1] not in ("5月21日", "5月22日", "5月23日")
    full = s + "".join(f"{d}日" for d in range(1, 32) if d != 20)
    assert P.make_date(s, full, None, rng(), Counter()) == []


def test_date_year_and_month():
    s = "2023年东湖镇新建了12所幼儿园。"
    assert one(P.make_date(s, s, None, rng(), Counter())).claim == "2021年东湖镇新建了12所幼儿园"
    assert one(P.make_date(s, s + "2021年", None, rng(), Counter())).claim == "2022年东湖镇新建了12所幼儿园"
    m = "东湖镇的新桥将于8月通车，总长320米。"
    assert one(P.make_date(m, m, None, rng(), Counter())).claim == "东湖镇的新桥将于10月通车，总长320米"


# ------------------------------------------------------------------ entities


def test_entity_types_follow_the_name_shape():
    assert P.entity_type("林海涛", "nr") == "nr"
    assert P.entity_type("强降雨", "nr") is None  # 降雨 is a word
    assert P.entity_type("申请人", "nr") is None
    assert P.entity_type("东湖县", "ns") == "ns"
    assert P.entity_type("平原区", "ns") is None
    assert P.entity_type("浙江大学", "nt") == "nt"


def test_entity_swap_uses_a_name_the_article_never_prints():
    pools = P.Pools({"nr": ["周建华", "林海涛"], "ns": [], "nt": []})
    s = "林海涛表示，今年东湖镇新建了12所幼儿园。"
    for seed in range(5):
        got = P.make_entity(s, s, pools, random.Random(seed), Counter())
        assert got == [] or (got[0].claim.startswith("周建华表示") and got[0].sub == "nr")
    assert P.make_entity(s, s + "周建华也来了。", pools, rng(), Counter()) == []


# ------------------------------------------------------------------ direction, qualifier, 分别


def test_direction_flip():
    s = "今年上半年东湖镇工业产值同比增长8.5%。"
    p = one(P.make_direction(s, s, Counter()))
    assert p.claim == "今年上半年东湖镇工业产值同比下降8.5%" and p.changed == "增长 -> 下降"
    assert one(P.make_direction("新桥通车时间比原计划提前了两个月。", "", Counter())).claim.endswith(
        "推迟了两个月"
    )
    skipped: Counter[str] = Counter()
    assert P.make_direction("东湖镇的用水量今年没有增长，和去年持平。", "", skipped) == []
    assert skipped["direction: the word is negated"] == 1
    assert P.make_direction("县委召开常委会（扩大）会议，部署防汛工作。", "", Counter()) == []


@pytest.mark.parametrize(
    ("sentence", "article_extra", "expected"),
    [
        ("全县认定了20家示范基地。", "第二批 省级 国家级", "全县认定了首批20家示范基地"),
        ("全县认定了20家示范基地。", "首批 省级 国家级", "全县认定了第二批20家示范基地"),
        ("全县认定了20家示范基地。", "首批 第二批 国家级", "全县认定了20家省级示范基地"),
        ("今年，东湖镇工业产值同比增长8.5%。", "上半年", "今年一季度，东湖镇工业产值同比增长8.5%"),
    ],
)
def test_qualifier_added_only_when_the_article_never_prints_it(sentence, article_extra, expected):
    article = sentence + article_extra
    assert one(P.make_qualifier(sentence, article, rng(), Counter())).claim == expected


def test_qualifier_no_period_for_an_anniversary():
    s = "今年是东湖镇建镇70周年，全镇共有居民3万人。"
    assert all(
        "季度" not in p.claim and "半年" not in p.claim for p in P.make_qualifier(s, s, rng(), Counter())
    )


def test_qualifier_none_when_every_option_is_printed():
    s = "全县认定了20家示范基地。"
    assert P.make_qualifier(s, s + "首批 第二批 省级 国家级", rng(), Counter()) == []


def test_fenbie_swaps_the_two_sides():
    s = "东湖镇、西湖镇分别新增就业岗位120个和45个。"
    p = one(P.make_fenbie(s, s, Counter()))
    assert p.claim == "东湖镇、西湖镇分别新增就业岗位45个和120个" and p.changed == "120 <-> 45"
    three = "甲村、乙村和丙村的人均收入分别增长5.2%、3.8%和4.1%。"
    assert one(P.make_fenbie(three, three, Counter())).claim.endswith("分别增长3.8%、5.2%和4.1%")
    assert P.make_fenbie("两个镇分别新增就业岗位120个和45个。", "", Counter()) == []  # no list before 分别
    assert P.make_fenbie("东湖镇、西湖镇分别新增就业岗位45个和45个。", "", Counter()) == []
    assert P.has_fenbie_text("序言。" + s)


# ------------------------------------------------------------------ all kinds


def test_perturb_gives_every_kind_with_its_expected_verdicts():
    s = "2023年，杭州、宁波分别新增就业岗位120个和45个，同比增长12%。"
    pools = P.Pools({"nr": [], "ns": ["南山县"], "nt": []})
    ps = P.perturb(s, s, "2023-08-01", pools, rng(), Counter())
    kinds = {p.kind for p in ps}
    assert {"same", "number", "date", "direction", "fenbie", "entity"} <= kinds
    assert len({p.claim for p in ps}) == len(ps)
    row = P.record("x-1", next(p for p in ps if p.kind == "date"), s, "a1")
    assert row["expected"] == ["contradicted", "not_found"] and row["source"] == P.claim_text(s)
    assert P.record("x-0", ps[0], s, "a1")["expected"] == ["supported"]


def test_perturb_drops_an_altered_claim_the_article_prints():
    s = "东湖镇工业产值同比增长8.5%。"
    article = s + "东湖镇工业产值同比下降8.5%。"  # a (contrived) article that says both
    skipped: Counter[str] = Counter()
    ps = P.perturb(s, article, None, P.Pools(), rng(), skipped)
    assert "direction" not in {p.kind for p in ps}


# ------------------------------------------------------------------ the real collection

CRUD = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "crud-news" / "crud_news.jsonl.gz"


@pytest.mark.slow
@pytest.mark.skipif(
    not CRUD.is_file(), reason="../shared/data/crud-news is absent (see ../shared/data/README.md)"
)
def test_the_collection_gives_600_claims_of_every_kind_deterministically():
    from eval import perturb_claims as script

    arts = script.load_collection(CRUD)
    rows, sources, _, _ = script.build_claims(arts, 1, 150, 40, log=lambda _: None)
    assert len(rows) >= 600 and len(sources) == 190
    assert {r["kind"] for r in rows} == set(P.KINDS)
    for r in rows:
        assert r["kind"] == "same" or r["claim"] != r["source"]
        assert r["expected"] == sorted(P.EXPECTED[r["kind"]])
    again, _, _, _ = script.build_claims(arts, 1, 150, 40, log=lambda _: None)
    assert [r["claim"] for r in again] == [r["claim"] for r in rows]
