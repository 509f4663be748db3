"""Kinds of LLM-reader fault found on the seed page and RGB in the twelfth session (issue 12), on
new examples: a quote whose speaker stands past the passage boundary, a credit of a work (导演,
主演) held by another name or for another work, a "how long" answered by a count.

As in test_read_llm_kinds: the model's drafts are scripted, the articles were written for these
tests, the index and embedding model are real.
"""

from __future__ import annotations

import itertools

import pytest

from assistant._answer_kinds import asked_kind, credited_otherwise, gives
from assistant._check import check_claim
from assistant._evidence_units import units_of
from assistant._index import NewsIndex
from assistant._read_extractive import ExtractiveReader
from assistant._read_llm import LLMReader
from assistant._search import Searcher
from assistant.config import Settings
from assistant.records import Article, Hit, Passage

from .conftest import real_index
from .test_read_llm import ask

CANTEEN = (
    "本报讯 新埭镇第三家老年食堂昨天在星光村开张，每天可供应午餐120份，80岁以上老人每餐只需付3元。\n"
    "“我们要让每一位老人都在家门口吃上热乎饭。”新埭镇民政办主任沈雅琴说。"
    "下一步，镇里还将在南桥村和鱼圻塘村各建一家老年食堂。"
)
ARTICLES = [
    Article(
        id="s12-canteen",
        title="新埭镇第三家老年食堂开张",
        date="2025-11-20",
        source="嘉兴日报·平湖版",
        text=CANTEEN,
    ),
    Article(
        id="s12-film",
        title="平湖取景电影《西瓜灯》开机",
        date="2025-08-15",
        source="嘉兴日报·平湖版",
        text=(
            "本报讯 8月14日，以平湖西瓜灯为题材的电影《西瓜灯》在广陈镇开机。"
            "该片由青年导演许安然执导，演员周亦凡、林小禾领衔主演。\n"
            "另据了解，由陆川海主演的电视剧《港城往事》也将于明年在乍浦取景拍摄。"
        ),
    ),
    Article(
        id="s12-halls",
        title="广陈镇文化礼堂建设提速",
        date="2025-09-02",
        source="嘉兴日报·平湖版",
        text="本报讯 全镇首批8个农村文化礼堂已于去年建成，第二批5个礼堂总投资360万元，明年6月前建成。",
    ),
    Article(
        id="s12-robots",
        title="少年组机器人赛落幕",
        date="2025-05-20",
        source="嘉兴日报·平湖版",
        text="本报讯 少年组决赛中，钟溪小学代表队夺得冠军，东湖小学代表队获得亚军，林埭小学代表队获得季军。",
    ),
]


@pytest.fixture(scope="module")
def index(real_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> NewsIndex:
    return real_index(real_settings, tmp_path_factory, "llm-kinds-s12", ARTICLES)


def _hits(index: NewsIndex, article: Article, cuts: list[int]) -> list[Hit]:
    """Passages of `article` cut at these offsets, as retrieval would hand them over."""
    bounds = [0, *cuts, len(article.text)]
    return [
        Hit(Passage(f"{article.id}:{i}", article.id, i, s, e, article.text[s:e], article.title), 1.0 - i / 10)
        for i, (s, e) in enumerate(itertools.pairwise(bounds))
    ]


def test_a_quote_keeps_its_speaker_across_a_passage_boundary(index: NewsIndex) -> None:
    article = ARTICLES[0]
    cut = CANTEEN.index("新埭镇民政办主任")  # the passage ends at the closing quote
    hits = _hits(index, article, [cut])
    texts = [u.text for u in units_of(index, hits[:1], {})]
    # the speaker's line comes with the quote, as one unit (one quote to cite)
    assert "“我们要让每一位老人都在家门口吃上热乎饭。”新埭镇民政办主任沈雅琴说。" in texts
    reader = LLMReader(index.settings, index, fallback=ExtractiveReader(index.settings, index))
    a = reader.finish(
        "沈雅琴怎么说老年食堂的？",
        hits,
        "编号：1\n答案：沈雅琴说，我们要让每一位老人都在家门口吃上热乎饭。[1]",
    )
    assert not a.refused and "热乎饭" in a.answer, a.verification
    # a speaker's line alone does not pull in a sentence that is no quote
    plain = _hits(index, article, [CANTEEN.index("下一步")])
    assert "下一步" not in "".join(u.text for u in units_of(index, plain[:1], {}))


def test_a_credit_of_a_work_is_held_by_the_name_given() -> None:
    evidence = ["该片由青年导演许安然执导，演员周亦凡、林小禾领衔主演。"]
    q = "电影《西瓜灯》的导演是谁？"
    said = credited_otherwise(q, "导演是周亦凡和林小禾。", evidence)
    assert said is not None and said[0] in ("周亦凡", "林小禾") and said[1] == "领衔主演"
    assert credited_otherwise(q, "导演是许安然。", evidence) is None
    # a quote crediting the director beside the cast answers; one naming the cast only does not
    assert credited_otherwise(q, evidence[0], evidence, every=False) is None
    cast = ["演员周亦凡、林小禾领衔主演。"]
    assert credited_otherwise(q, cast[0], cast, every=False) in (
        ("周亦凡", "领衔主演"),
        ("林小禾", "领衔主演"),
    )
    # another work's lead is no lead of the work asked
    other = ["另据了解，由陆川海主演的电视剧《港城往事》也将于明年在乍浦取景拍摄。"]
    assert credited_otherwise("《西瓜灯》的主演有哪些？", "陆川海", other) == ("陆川海", "《港城往事》")
    # a model's sentence that itself credits a name otherwise does not give it as the answer
    both = "周亦凡、林小禾领衔主演，许安然执导。"
    assert credited_otherwise("《西瓜灯》的主演有哪些？", both, evidence) is None
    # an article that names the asked work elsewhere: a credit for an earlier work is no objection
    earlier = ["曾执导过《港城往事》的导演许安然，此次把镜头对准了西瓜灯。"]
    assert credited_otherwise("《西瓜灯》的导演是谁？", "许安然", earlier) == ("许安然", "《港城往事》")
    article = f"{earlier[0]}电影《西瓜灯》8月14日开机。"
    assert credited_otherwise("《西瓜灯》的导演是谁？", "许安然", earlier, articles=[article]) is None
    # no credit asked, nothing to say
    assert credited_otherwise("《西瓜灯》在哪里开机？", "广陈镇", evidence) is None


def test_a_director_question_is_not_answered_with_the_cast(index: NewsIndex) -> None:
    a = ask(index, "电影《西瓜灯》的导演是谁？", "编号：1\n答案：导演是周亦凡和林小禾。[1]")
    row = next(r for r in a.verification if "sentence" in r)
    assert not row["kept"] and "主演" in row["reason"], a.verification
    assert a.refused or "许安然" in a.answer, a.verification  # the fallback's quote names the director
    ok = ask(index, "电影《西瓜灯》的导演是谁？", "编号：1\n答案：导演是许安然。[1]")
    assert not ok.refused and "许安然" in ok.answer, ok.verification


def test_how_long_is_answered_by_a_length_of_time() -> None:
    q = "老年食堂试运营了多久？"
    want = asked_kind(q)
    assert want.kind == "duration"
    assert gives("老年食堂试运营了两个半月。", want, q)
    assert gives("试运营45天后正式开张。", want, q)
    assert not gives("这是新埭镇第3家老年食堂。", want, q)  # a count, not a length of time
    assert not gives("老年食堂11月19日开张。", want, q)  # one date says when, not how long
    assert gives("食堂从9月1日试运营到11月19日。", want, q)


def test_a_list_of_names_loses_the_one_credited_otherwise(index: NewsIndex) -> None:
    from assistant._draft_sentences import prune_credits

    evidence = ["该片由青年导演许安然执导，演员周亦凡、林小禾领衔主演。"]
    q = "电影《西瓜灯》的主演是谁？"

    def check(s: str) -> tuple[str, str] | None:
        return credited_otherwise(q, s, evidence)

    listed = "周亦凡、许安然、林小禾"
    assert prune_credits(listed, check(listed), check) == (["许安然"], "周亦凡、林小禾", None)
    # nothing left, or not a bare list: the objection stands
    assert prune_credits("许安然", check("许安然"), check)[2] == ("许安然", "导演")
    said = "许安然担任导演并领衔主演"
    assert prune_credits(said, ("许安然", "执导"), check) == ([], said, ("许安然", "执导"))
    a = ask(index, q, "编号：1\n答案：周亦凡、许安然、林小禾[1]")
    assert not a.refused and "周亦凡" in a.answer and "许安然" not in a.answer, a.verification


# ---------------------------------------------------------------- kinds read from trial t24


def test_a_figure_belongs_to_the_sibling_named_before_it() -> None:
    from assistant._bindings import bound_sibling, other_sibling, value_sibling

    text = "全镇首批8个文化礼堂已于去年建成，第二批5个礼堂总投资360万元，明年建成。"
    assert value_sibling("第一批文化礼堂总投资多少？", "360万元", [text]) == ("360万元", "第一批", "第二批")
    assert value_sibling("第二批文化礼堂总投资多少？", "360万元", [text]) is None
    assert value_sibling("首批建成了几个礼堂？", "首批建成了8个礼堂", [text]) is None  # 首批 is 第一批
    # the sentence names another sibling than asked
    assert value_sibling("第一批文化礼堂总投资多少？", "第二批礼堂总投资360万元", [text])[0] == ""
    # the base of a comparison is no sibling
    grew = "今年计划改造老旧小区14个，比去年增加6个。"
    assert value_sibling("今年计划改造多少个老旧小区？", "计划改造14个，比去年增加6个", [grew]) is None
    at = text.index("360万元")
    assert bound_sibling("第一批文化礼堂总投资多少？", text, at) == ("第一批", "第二批")
    assert other_sibling("女子组冠军是谁？", "男子组冠军由沈浩获得") == ("女子组", "男子组")
    assert other_sibling("一期占地多大？", "一期占地20亩，二期占地35亩") is None


def test_the_extractive_reader_quotes_no_other_siblings_figure(index: NewsIndex) -> None:
    reader = ExtractiveReader(index.settings, index)

    def read(q: str) -> str:
        return reader.read(q, Searcher(index).search(q, index.settings.k)).answer

    assert "360万元" in read("第二批文化礼堂总投资多少？")
    assert "360万元" not in read("第一批文化礼堂总投资多少？")


def test_a_sentence_giving_another_place_of_the_contest_answers_no_place() -> None:
    from assistant._ranks import other_rank

    assert other_rank("少年组的冠军是谁？", "钟溪小学代表队获得亚军，东湖小学代表队获得第四名") == (
        "冠军",
        "亚军",
    )
    assert other_rank("少年组的亚军是谁？", "钟溪小学代表队获得亚军") is None


def test_an_until_question_is_not_answered_by_a_start() -> None:
    from assistant._answerable import _UNTIL, only_starts

    assert _UNTIL.search("人民路封闭施工到哪天结束？") and _UNTIL.search("施工什么时候结束")
    assert only_starts("人民路将于10月8日起实行封闭施工")
    assert not only_starts("人民路将于10月8日至11月30日实行封闭施工")
    assert not only_starts("10月8日起封闭，11月30日恢复通行")


def test_a_why_question_needs_a_cause() -> None:
    q = "人民路为什么要封闭施工？"
    want = asked_kind(q)
    assert want.kind == "reason"
    assert not gives("人民路将于10月8日至11月30日实行封闭施工。", want, q)
    assert gives("因实施燃气管道改造，人民路将封闭施工。", want, q)
    assert gives("人民路封闭施工是为了改造燃气管道。", want, q)


# ---------------------------------------------------------------- kinds a new user's trial showed


def test_a_base_or_a_total_binds_no_sibling() -> None:
    from assistant._bindings import value_sibling

    base = "今年全镇将在去年3200亩的基础上，把高标准农田扩大到5000亩。"
    assert value_sibling("今年高标准农田要达到多少亩？", "5000亩", [base]) is None
    total = "其中成人组18支队伍、少年组10支队伍，参赛选手共计260余人。"
    assert value_sibling("少年组有多少名选手？", "260人", [total]) == ("260人", "少年组", "合计")
    assert value_sibling("少年组有多少支队伍？", "10支", [total]) is None


def test_a_why_answer_may_tell_the_cause_without_a_word_for_it() -> None:
    q = "为什么稻田养虾能少用化肥？"
    want = asked_kind(q)
    assert gives("虾的排泄物成了肥料，化肥用量减少了两成。", want, q)
    assert not gives("稻田养虾将于5月1日至9月30日在全镇推广。", want, q)  # a time, no cause: when


def test_a_direction_of_another_measure_denies_nothing() -> None:
    from assistant._compare_figures import _same_measure

    claim = "推广面积将扩大到1.2万亩"
    assert not _same_measure(claim, claim.index("扩大"), "农药使用量下降了三成", 5)
    assert _same_measure("破案数下降", 3, "破案数同比上升85.5%", 5)


def test_a_clause_going_on_from_a_plan_is_planned_too() -> None:
    from assistant import _ground as g
    from assistant._evidence import Evidence

    span = "今年全镇将在去年3200亩的基础上，把高标准农田扩大到5000亩，覆盖6个村。"
    ev = Evidence(text=span, date="2025-03-12")
    assert g.align("全镇高标准农田将扩大到5000亩", ev).verdict == "supported"
    done = "去年全镇高标准农田扩大到3200亩，覆盖4个村。"
    assert (
        g.align("全镇高标准农田将扩大到3200亩", Evidence(text=done, date="2025-03-12")).verdict != "supported"
    )


def test_a_place_of_the_contest_is_the_one_printed_for_that_team() -> None:
    from assistant._ranks import place_swap

    report = ["少年组决赛中，钟溪小学代表队夺得冠军，东湖小学代表队获得亚军，林埭小学代表队获得季军。"]
    assert place_swap("钟溪小学代表队获得亚军。", report) == ("钟溪小学代表队", "亚军", "冠军")
    assert place_swap("东湖小学代表队获得亚军。", report) is None
    assert place_swap("钟溪小学夺得冠军", report) is None  # 代表队 left out: the same team
    assert place_swap("曹桥小学代表队获得冠军", report) is None  # a team the evidence does not place


def test_a_claim_giving_a_team_anothers_place_is_contradicted(index: NewsIndex) -> None:
    wrong = check_claim(Searcher(index), "少年组决赛中，钟溪小学代表队获得亚军", index.settings)
    assert wrong.verdict == "contradicted", wrong
    right = check_claim(Searcher(index), "少年组决赛中，东湖小学代表队获得亚军", index.settings)
    assert right.verdict == "supported", right


def test_a_place_gone_to_answers_where() -> None:
    # the place follows a verb of going (去 / 前往 / 抵达), not 在 / 于, and the question's own
    # words come after it: it is still the answer
    q = "市考察团去哪个国家开展经贸交流？"
    want = asked_kind(q)
    assert want.kind == "place"
    assert gives("市考察团去德国开展经贸交流。", want, q)
    assert gives("市考察团前往匈牙利开展经贸交流。", want, q)
    assert gives("考察团一行当天抵达汉堡。", want, q)
    assert not gives("市考察团开展了经贸交流。", want, q)


def test_at_what_hour_asks_for_a_time_of_day() -> None:
    # A new user's try (2026-12-07): 末班车几点发车 was "answered" by a sentence with 今年 and one
    # with a hotline's digits, both verified as stated and kept; the printed 20:30 was elsewhere.
    q = "3路公交调整后首班车几点发车？"
    want = asked_kind(q)
    assert not gives("今年公交公司还计划新开通2条线路。", want, q)
    assert not gives("市民可拨打服务热线87651234咨询。", want, q)
    assert gives("首班车发车时间由6:30提前至6:00。", want, q)
    assert gives("首班车早上六点半从汽车站发出。", want, q)
