"""Whose figure, and of what: the grounding engine's eighth round (2026-12-07).

A reporter's set read after its count (r19b) found a figure of another measure taken for the
claim's: 每餐收费 checked against 每餐补贴 (a false "supported" where the amounts agreed, a false
"contradicted" where they did not), 中心食堂 against 居家养老服务中心, 审结行政案件 against all cases
审结; a runner's time read against the winner's printed before it (林晓雯获得亚军 after 冠军为顾佳琪，
成绩1小时18分47秒: a false "supported" when the claim gave the winner's time); 60至79周岁 read as
weeks; 哪三方签订的 answered by two true sentences naming no party. Each kind is tested here with
sentences written for these tests.
"""

from __future__ import annotations

from assistant._answer_kinds import asked_kind, gives
from assistant._values import items

from .test_ground import _expect


def test_a_figure_of_another_measure_neither_states_nor_denies() -> None:
    _expect(
        "本报讯 今年起，当湖街道对辖区内70周岁以上老人每月发放助餐补贴50元，目前已有社区助餐点12个。",
        {
            # the amounts agree, the measure does not: 收费 is not 补贴 (was "supported")
            "当湖街道老人每月助餐收费50元": "not_found",
            # nor does another amount deny it (was "contradicted")
            "当湖街道老人每月助餐收费80元": "not_found",
            "当湖街道老人每月助餐补贴80元": "contradicted",
            "当湖街道老人每月助餐补贴50元": "supported",
            # a thing counted after the figure: 12个 are 助餐点, not 食堂
            "当湖街道已有社区助餐点12个": "supported",
            "当湖街道已建成12个社区食堂": "not_found",
            "当湖街道已有社区助餐点15个": "contradicted",
        },
    )


def test_a_measure_the_sentence_before_names_is_the_spans() -> None:
    # 其中…建成9个 names no measure of its own: the one before it (文化驿站) is its
    _expect(
        "本报讯 今年全市新建文化驿站25个。其中，曹桥街道建成7个，林埭镇建成5个。",
        {
            "曹桥街道今年建成文化驿站7个": "supported",
            "曹桥街道今年建成文化驿站9个": "contradicted",
        },
    )


def test_a_sub_measure_is_not_the_whole() -> None:
    _expect(
        "本报讯 今年前三季度，市检察院共办理各类案件3120件，其中审查起诉案件860件。",
        {
            # 民事 cases are a part the span never prints: 3120 is all of them
            "市检察院前三季度办理民事案件2000件": "not_found",
            "市检察院前三季度办理各类案件3000件": "contradicted",
        },
    )


def test_a_figure_is_the_persons_printed_before_it() -> None:
    s = "本报讯 男子组冠军为本地选手钱宇航，成绩2小时31分06秒，来自上海的吕泽楷获得亚军。"
    _expect(
        s,
        {
            # the time is 钱宇航's: 吕泽楷's is not printed (was "supported")
            "男子组亚军吕泽楷的成绩为2小时31分06秒": "not_found",
            "男子组亚军吕泽楷的成绩为2小时35分10秒": "not_found",
            "男子组冠军钱宇航的成绩为2小时31分06秒": "supported",
            "男子组冠军钱宇航的成绩为2小时33分06秒": "contradicted",
        },
    )
    # a person printed before the figure in its own clause may be who tells it
    _expect(
        "本报讯 据站长陆建明介绍，今年站里为周文涛等农户代育秧苗1.2万盘。",
        {"陆建明介绍，今年站里代育秧苗1.2万盘": "supported"},
    )


def test_an_age_group_is_who_not_a_value() -> None:
    assert [(i.text, i.kind) for i in items("对60至79周岁老人")] == [("60至79周岁", "qty:岁")]
    _expect(
        "本报讯 新仓镇对80周岁以上老人每餐补贴5元，送餐服务日均约300人次。",
        {
            "新仓镇对65至79周岁老人每餐补贴5元": "not_found",
            "新仓镇对80周岁以上老人每餐补贴5元": "supported",
            "新仓镇对80周岁以上老人每餐补贴6元": "contradicted",
        },
    )


def test_a_question_for_several_parties_needs_a_list() -> None:
    q = "这份合作协议是哪三方共同签订的？"
    want = asked_kind(q)
    assert not gives("市长对项目的签约表示热烈的祝贺。", want, q)
    assert gives("市政府、希尔顿集团和嘉善某公司三方共同签订了合作协议。", want, q)
    q = "哪两个部门联合开展了这次检查？"
    assert gives("市市场监管局与市卫健委联合开展了检查。", asked_kind(q), q)
    assert not gives("检查共发现问题21处。", asked_kind(q), q)


def test_a_place_printed_for_someone_else_is_not_the_claims() -> None:
    _expect(
        "本报讯 女子组冠军由本地选手钱佳怡获得；来自杭州的选手孔文静获得亚军。",
        {
            # the 亚军 clause names 孔文静: it places her, not 钱佳怡 (was "contradicted")
            "女子组冠军是钱佳怡": "not contradicted",
            "女子组冠军是孔文静": "contradicted",
        },
    )


def test_an_event_pointed_back_to_is_the_one_named_before() -> None:
    _expect(
        "本报讯 据市体育局统计，本届赛事共吸引观众3.2万人次，同比增长12%。",
        {
            "第十二届平湖龙舟赛吸引观众3.2万人次": "supported",
            "第十二届平湖龙舟赛吸引观众3.5万人次": "contradicted",
        },
        title="第十二届平湖龙舟赛落幕",
    )


def test_a_year_printed_before_an_events_name_is_its_year() -> None:
    from assistant._answerable import answers
    from assistant._evidence import Evidence

    ev = Evidence("2024杭州马拉松男子组比赛中，肯尼亚选手基普图以2小时08分夺得冠军。")
    assert answers("2024年杭州马拉松男子组冠军是谁？", ev) is None
    assert answers("2023年杭州马拉松男子组冠军是谁？", ev) is not None
    # a count is no year
    assert answers("2024年有多少人报名？", Evidence("本次比赛共有2024人报名。")) is not None


def test_a_russian_womans_name_is_a_name() -> None:
    q = "2023年女单冠军是谁？"
    assert gives("伊万诺娃", asked_kind(q), q)


def _split_expect(text: str, cases: dict[str, str]) -> None:
    """As `_expect`, the claim split into its parts as `check` splits it (a part keeps the
    claim's subject: 同比增长15% of …吸引观众9.8万人次，同比增长15%)."""
    from assistant._check import judge_fact
    from assistant._split_claim import split_facts

    from .test_ground import _units_with_context

    units = _units_with_context(text)
    for claim, want in cases.items():
        got = {judge_fact(f, claim, units).verdict for f in split_facts(claim)}
        verdict = next(v for v in ("contradicted", "not_found", "supported") if v in got)
        assert verdict == want, (claim, verdict)


def test_figures_after_fenbie_go_to_the_clauses_before_it() -> None:
    _split_expect(
        "本报讯 今年1至10月，全市共举办非遗展演136场，吸引观众9.8万人次，同比分别增长15%和27%。",
        {
            # 15% is the shows', 27% the audience's (the audience's 15% was "supported")
            "今年1至10月全市非遗展演吸引观众9.8万人次，同比增长15%": "contradicted",
            "今年1至10月全市非遗展演吸引观众9.8万人次，同比增长27%": "supported",
            "今年1至10月全市共举办非遗展演136场，同比增长15%": "supported",
        },
    )
    # a 、-list shares its first item's words (计划改造…)
    _split_expect(
        "本报讯 今年全市计划改造燃气管道86公里、加装电梯140台，比去年分别增加12公里和35台。",
        {
            "今年全市计划加装电梯140台，比去年增加35台": "supported",
            "今年全市计划加装电梯140台，比去年增加12台": "contradicted",
        },
    )


def test_a_word_qualifying_the_thing_counted_keeps_its_slot() -> None:
    _expect(
        "本报讯 在各镇街道中，乍浦镇、独山港镇分别以95%和92%的签约率位列第一、第二。",
        {
            "独山港镇以92%的家庭医生签约率位列第二": "supported",
            "独山港镇以95%的家庭医生签约率位列第二": "contradicted",
        },
    )


def test_a_ranking_of_an_earlier_time_is_compared_with_one_of_that_time() -> None:
    _expect(
        "本报讯 在去年嘉兴市美丽乡村建设考核中，我市位列各县（市、区）第三。",
        {
            # both of 去年: the places are compared (第一 was "supported")
            "在去年嘉兴市美丽乡村建设考核中，平湖位列各县（市、区）第一": "contradicted",
            "在去年嘉兴市美丽乡村建设考核中，平湖位列各县（市、区）第三": "supported",
        },
    )


def test_a_qualifier_of_the_measure_is_part_of_it() -> None:
    _expect(
        "本报讯 今年1至9月，全市水产品网络零售额达3.4亿元，同比增长12.6%。",
        {
            # 3.4亿元 is all 水产品's; 甲鱼's is not printed (was "supported")
            "今年1至9月，平湖全市甲鱼网络零售额达3.4亿元": "not_found",
            "今年1至9月，平湖全市水产品网络零售额达3.4亿元": "supported",
        },
    )


def test_a_said_line_split_after_a_quotes_full_stop_names_its_speaker() -> None:
    # “…。”X说。 is split after the full stop: the said-line part keeps the closing mark
    from assistant._speakers import speaker

    assert speaker("”市场监管局科长蒋一鸣说") == "蒋一鸣"


def test_quoted_names_side_by_side_share_a_fenbie() -> None:
    _expect(
        "本报讯 在精品民宿中，“竹里”“听溪”“半山居”暑期营业收入分别为58万元、43万元和39万元。",
        {
            # 39万元 is 半山居's (was "supported" for 听溪)
            "“听溪”民宿暑期营业收入为39万元": "contradicted",
            "“听溪”民宿暑期营业收入为43万元": "supported",
        },
    )


def test_a_time_named_only_as_the_base_is_not_the_figures() -> None:
    _expect(
        "本报讯 今年以来，全市已发放电动自行车新车牌照3920副，是去年全年发放量的1.4倍。",
        {
            # 3920副 is this year's: 去年 is what it is compared with (was "supported")
            "平湖去年全年发放电动自行车新车牌照3920副": "not_found",
            "今年以来平湖已发放电动自行车新车牌照3920副": "supported",
        },
    )


def test_subjects_listed_before_a_comma_share_the_fenbie_after_it() -> None:
    # (2026-12-07, a new user's try) …排在前列的是A、B和C，分别新建X、Y和Z gave X to all three
    text = (
        "本报讯 今年1至6月，全市新增城市书房9家。\n"
        "从各镇街道看，新增借阅量居前的是当湖街道、乍浦镇和新仓镇，分别达到4.2万册次、3.1万册次和2.6万册次。"
    )
    _split_expect(
        text,
        {
            "乍浦镇今年1至6月新增借阅量3.1万册次": "supported",  # the lead's 1至6月 frames the paragraph
            "乍浦镇今年1至6月新增借阅量4.2万册次": "contradicted",
            "新仓镇今年1至6月新增借阅量2.6万册次": "supported",
        },
    )


def test_the_word_right_before_a_figure_picks_its_slot() -> None:
    # (a new user's note) a 快充桩 claim was told the total 1260个, not the 480个 其中 names
    _expect(
        "本报讯 今年1至4月，全市新建公共充电桩1260个，比去年同期增长35%，其中快充桩480个。",
        {
            "今年1至4月，平湖新建的公共充电桩中快充桩有480个": "supported",
            "今年1至4月，平湖新建的公共充电桩中快充桩有580个": "contradicted",
        },
    )
    from assistant._check import judge_fact

    from .test_ground import _units_with_context

    units = _units_with_context(
        "本报讯 今年1至4月，全市新建公共充电桩1260个，比去年同期增长35%，其中快充桩480个。"
    )
    claim = "今年1至4月，平湖新建的公共充电桩中快充桩有580个"
    assert "480个" in judge_fact(claim, claim, units).explanation
