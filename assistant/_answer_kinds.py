"""What a question asks for, and whether a model's sentence gives it.

`asked_kind` reads the answer type the question wants, with the keyword questions news
readers type (去世时间, 在哪一集, 罚了多少钱). `gives` says whether a sentence holds a thing
of that kind the question does not already say: a figure in the asked unit, a time, a
person (by title, by profile, by a bare name, a foreign name), a place. The rest name
sentences that hold a thing of the asked kind but of something else: a figure in another
measure's unit (亩产9.6元), a figure of another rate (死亡率 for 出生率), the time of another
event (开工 for 通车). Each was found on RGB drafts and is tested on examples written for it
(tests/test_verify_answer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from . import _answerable as answerable
from . import _facts as facts
from ._match_clause import asked_numbers
from ._names import (
    COUNTRIES,
    FOREIGN_NAME,
    NUMBERED_NAME,
    SURNAMES,
    TRANSLITERATION,
    Mention,
    find_names,
    find_people,
    find_places,
)
from ._normalize import normalise
from ._question_types import AnswerType, answer_type

if TYPE_CHECKING:
    from ._cited_answer import Quote
    from .records import Article, Citation

_BIO = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,3})[，,]\s*[男女][，,]")
_LISTED = re.compile(
    r"(?:^|[、，,和与及])(?P<name>[\u4e00-\u9fff]{2,3}?)(?=[、，,和与及。]|$|主演|领衔|等人|饰演|出演|获得|夺得|获评|荣获|当选|入选|获颁|荣膺)"
)
# 张颂文演高启强: a role played (not 导演 / 主演 / 表演, nor 演员…).
_PLAYS = re.compile(
    r"(?:饰演|扮演|(?<![导主表出公开讲上])演)(?:的是|了)?(?P<name>(?!员)[\u4e00-\u9fff]{2,3})(?=[，,。、；]|$)"
)
_ROLE_NAME = re.compile(
    r"(?:演员|选手|歌手|导演|编剧|主持人|运动员|队员|教练|作家|画家|主演|得主)(?P<name>[\u4e00-\u9fff]{2,3}?)"
    r"(?=饰演|出演|主演|获得|夺得|担任|[，,。、和与及]|$)"
)


# A measure and the units it is counted in: 亩产 in 公斤, not in 元 (a model gluing a price to a
# yield). Only measures whose unit family is unambiguous are listed.
_MEASURE_UNITS = (
    (r"亩产|单产|产量|重量|体重|净重", r"克|公斤|千克|斤|吨"),
    (r"面积|占地", r"平方米|平方公里|平方千米|亩|公顷"),
    (r"全长|长度|总长|里程|距离|宽度|高度|海拔", r"米|公里|千米|厘米|毫米"),
    (r"价格|售价|票价|投资|总投资|营收|收入|利润|补贴|奖金|资金|税收|成本", r"元"),
    (r"气温|温度", r"℃|度"),
)
_MEASURE_BEFORE = re.compile(r"(?:是|为|达|达到|约|约为|仅|共|超过|高达|突破|在)*$")


def unit_mismatch(sentence: str) -> str | None:
    """`亩产9.6元`: the measure printed just before a figure is not counted in the figure's unit."""
    s = normalise(sentence)
    for q in facts.find_quantities(s):
        before = re.split(r"[，,。；;：:、]", s[: s.find(q.text)])[-1]
        before = before[: len(before) - len(_MEASURE_BEFORE.search(before).group(0))]
        for measure, units in _MEASURE_UNITS:
            m = re.search(rf"(?:{measure})$", before)
            if m and q.unit and not re.search(rf"(?:{units})$", q.unit):
                return f"{m.group(0)}{q.text}"
    return None


# A rate or an amount named just before a figure: 死亡率为7.37‰, 出口额达…
_MEASURE_NAME = re.compile(r"[\u4e00-\u9fff]{2}(?:率|额)$")


def other_measure(sentence: str, want: AnswerType, question: str) -> str | None:
    """出生率 asked, 人口死亡率为7.37‰ said: a figure printed as another rate (or amount) than the
    question's. True sentences after the answer (the model copies the rest of the passage)
    otherwise stand in for an answer the verifier dropped."""
    q = normalise(question)
    asked = re.findall(r"[\u4e00-\u9fff]{2}(?:率|额)", q)
    if want.kind != "number" or not asked:
        return None
    s = normalise(sentence)
    for qn in facts.find_quantities(s):
        before = re.split(r"[，,。；;：:、]", s[: qn.start])[-1].rstrip("-−+ ")  # 为-0.60‰
        before = before[: len(before) - len(_MEASURE_BEFORE.search(before).group(0))]
        m = _MEASURE_NAME.search(before)
        if m and m.group(0) not in q and any(a[-1] == m.group(0)[-1] for a in asked):
            return f"{m.group(0)}{qn.text}"
    return None


def time_of_another_event(
    sentence: str, question: str, want: AnswerType, quotes: Sequence[Quote]
) -> str | None:
    """For a "when" question, the event asked (通车) when the sentence gives a time but neither
    it nor the sentences it quotes say that event (于2024年3月开工建设 for 哪一天通车)."""
    if want.kind != "time" or not gives(sentence, want, question):
        return None
    event = answerable.event_absent(question, sentence, near_time=True)
    if event and all(answerable.event_absent(question, q.unit.text, near_time=True) for q in quotes):
        return event
    return None


def _people_like(s: str) -> list[str]:
    """Names a person answer gives without a title: a profile's first word (舒畅，男，…), an
    enumeration of surname-led names (雷佳音、张子枫), a name after 演员/选手, a name with ·."""
    names = [m.group("name") for m in (_BIO.match(s),) if m]
    names += [
        m.group("name")
        for pattern in (_LISTED, _ROLE_NAME)
        for m in pattern.finditer(s)
        if m.group("name")[0] in SURNAMES
    ]
    names += [m.group("name") for m in _PLAYS.finditer(s)]
    names += FOREIGN_NAME.findall(s)
    return names


# 哪三方 / 哪几家企业 / 哪两个部门: several named things are asked for, so an answer lists them
_SEVERAL_ASKED = re.compile(r"哪(?:几|[两二三四五六七八九十]|\d+)(?:方|家|个|位|所|支|座|项|条|种|名|国|队)")
_A_LIST = re.compile(r"[、]|[\u4e00-\u9fff）)》”](?:和|与|及|同|以及)[\u4e00-\u9fff（(《“]")


def gives(sentence: str, want: AnswerType, question: str) -> bool:
    """The sentence holds a thing of the asked kind (a number, a time, a person) that the
    question does not already say; kinds the rules cannot spot in a fragment pass. A question
    asking for several things (哪三方签订的) is answered by a sentence that lists some (A、B和C),
    not by one naming a single party (仲旭东对项目的签约表示热烈的祝贺)."""
    s = normalise(sentence)
    if want.kind not in ("number", "time", "duration") and _SEVERAL_ASKED.search(normalise(question)):
        if not _A_LIST.search(s):
            return False
    if want.kind == "number" and want.unit == "元":  # money: 520万元, 687亿美元, 3000万欧元
        return any(q.unit.endswith("元") and q.text not in question for q in facts.find_quantities(s))
    if want.kind == "number":
        return any(True for _ in asked_numbers(s, want, normalise(question), "zh"))
    if want.kind == "time" and _AT_WHAT_HOUR.search(question):
        # 几点发车 asks for a time of day (20:30, 晚上8点半): not 今年, not a hotline's digits
        return any(m.group(0) not in question for m in _CLOCK_TIME.finditer(s))
    if want.kind in ("time", "duration"):
        quantities = facts.find_quantities(s)
        times = [t.text for t in facts.find_times(s)]
        if want.kind == "time":  # 车程缩短至8分钟 says how long, not when; 20时 (a bare hour) says when
            quantities = [q for q in quantities if q.unit in _CLOCK]
        else:  # 多久 is a length of time: 45天, 两个半月; not 第78任, nor one date (9月5日当选)
            quantities = [q for q in quantities if _DURATION.match(s, q.end - len(q.unit))]
            times = times if len(times) > 1 else []
            times += _EVERY.findall(s)  # 多久考核一次 is answered by how often: 每个季度
        times += [q.text for q in quantities]
        times += _WEEKDAY.findall(s)  # 每周二、周四坐诊 answers 每周哪几天
        return any(t not in question for t in times)
    q = normalise(question)
    if want.kind == "person":
        if any(n not in question for n in _people_like(s)) or _bare_name(s, q):
            return True
        if (made := _MAKER.search(q)) and _maker(s, made.group(1), q):
            return True  # 谁制作的 is answered by a studio as well as by a person
        return any(p.text not in question for p in find_people(s))
    if want.kind == "reason":
        # A cause is often told without a word for it (虾吃杂草和害虫，排泄物又成了肥料): only a
        # sentence that gives a time and no cause word (将于8月25日至10月31日实行全封闭施工) says
        # when, not why.
        return bool(_CAUSE.search(s)) or not facts.find_times(s)
    if want.kind == "place":
        places = _places(s)
        return any(m.text not in q and (_after_locative(m, places, s) or _new(m, s, q)) for m in places)
    if want.kind == "name" and _ROLE_HEAD.search(q):
        # 冠军 / 主演 / 总统 are answered by a name, not by where the event was held: a name
        # after 在 / 于 (…争夺战在河南新乡进行) says where, not who.
        names = find_names(s)
        return any(_new(m, s, q) and not _after_locative(m, names, s) for m in names) or any(
            n not in q for n in _people_like(s)
        )
    return True


_CLOCK = ("", "时", "点", "日", "号")
_AT_WHAT_HOUR = re.compile(r"几点|几时几分|什么时刻")
_CLOCK_TIME = re.compile(
    r"\d{1,2}\s*[:：]\s*\d{2}"  # 20:30
    r"|[\d一二两三四五六七八九十]{1,3}\s*[点时](?:\s*[\d一二三四五六七八九十]{1,3}分|半|整)?"  # 晚上8点半
)
_EVERY = re.compile(r"每(?:[一两二三四五六半]|\d+)?个?(?:年|月|季度?|周|星期|礼拜|天|日|小时|旬)")
_DURATION = re.compile(r"个?(?:半)?(?:多)?(?:年|月|周|星期|礼拜|天|日|小时|钟头|分钟|分|秒|季度|旬|载|昼夜)")

_ROLE_HEAD = re.compile(
    r"(?:冠军|亚军|季军|金牌|银牌|铜牌|得主|获得者|主演|导演|总导演|主教练|教练|旗手|火炬手|议长|总理|首相|总统"
    r"|四强|八强|十六强|16强|决赛队伍|决赛球队|选举结果|大选结果"
    r"|市长|首席执行官|CEO|董事长)(?:有哪些|是谁|是|为)?(?:什么|谁|哪个|哪些|哪位)?[？?]?$"
)


def _after_locative(m: Mention, names: list[Mention], s: str) -> bool:
    """The name ends a run of names (在[河南][新乡]) that follows 在 / 于 / 位于 …"""
    begins = {n.end: n.start for n in names}
    at = m.start
    while at in begins and begins[at] < at:
        at = begins[at]
    return bool(_LOCATIVE.search(s[:at]))


_MAKER = re.compile(
    r"谁(?:来|负责)?(制作|出品|开发|研发|创立|创办|创建|主办|承办|发布|推出|生产|设计|建造|发起)"
)


def _maker(s: str, verb: str, question: str) -> bool:
    """A name printed just before the question's verb (艺画开天制作) that the question lacks."""
    at = s.find(verb)
    if at <= 0:
        return False
    before = re.split(r"[，,。；;、：:]|由|是", s[:at])[-1].strip()
    return 2 <= len(before) <= 12 and before not in question and not _NOT_A_NAME.search(before)


def _bare_name(s: str, question: str) -> bool:
    """The whole answer is a short name (舒畅, 山上彻也, 凯文·麦卡锡) the question lacks: a model
    that answers 谁 with two to four characters gives a person or declines."""
    t = re.sub(r"[。！!\s]+$", "", s)
    shaped = re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}", t) or (
        5 <= len(t) <= 8 and all(c in TRANSLITERATION for c in t)  # 格什科维奇, printed without ·
    )
    return bool(shaped) and t not in question and not _NOT_A_NAME.search(t)


_NOT_A_NAME = re.compile(r"[的是了在有不没年月日]|不知|无法|未知|资料")
_LOCATIVE = re.compile(r"(?:在|于|位于|来到|赴|到|去|前往|抵达|从)$")


def _places(s: str) -> list[Mention]:
    """Places a sentence names: jieba's ns words, place-suffixed phrases, countries, street
    addresses (泖河路88号)."""
    found = [m for m in find_names(s) if m.kind == "place"] + find_places(s)
    found += [Mention(c, "place", i, i + len(c)) for c in COUNTRIES if (i := s.find(c)) >= 0]
    found += [Mention(m.group(0), "place", m.start(), m.end()) for m in _ADDRESS.finditer(s)]
    return found


_ADDRESS = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:大道|大街|路|街|巷|弄)\d+(?:-\d+)?号")
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天]")


_GENERIC_PARTY = {"国家队", "代表队", "主队", "客队", "球队", "男队", "女队"}  # tagged as names, name no one
_TEAM_OF = ("队", "国家队", "代表队", "男队", "女队", "方", "政府")


def _new(m: Mention, s: str, question: str) -> bool:
    """A name the question does not already say, and not the first word of the question's own
    subject (中国 in 中国金鸡百花电影节 when 金鸡百花电影节 is asked about)."""
    if m.text in question or m.text in _GENERIC_PARTY:
        return False
    if any(m.text == w + rest for w in re.findall(r"[\u4e00-\u9fff]{2,}", question) for rest in _TEAM_OF):
        return False  # 卡塔尔队 when the question says 卡塔尔: the question's own party
    after = s[m.end : m.end + 2]
    return not (len(after) == 2 and after in question)


# 在哪一集 / 第几季 ask a number; 哪季稻子 asks which crop of the year (早稻, 晚稻).
_EPISODE = re.compile(r"(?:哪一?|第几)(?:[集期届场轮次版]|季(?!稻|作物|粮|庄稼|蔬菜|水果|茶))")
_WHEN_NOUN = re.compile(r"(?:时间|日期)(?:是|为)?[？?]?$")
# 被誉为什么 / 改造为什么 ask what it is called or becomes (誉为 + 什么), not why
_WHY = re.compile(
    r"(?<![誉称作成认视评选列改造变转定设名])为(?:什么|何)(?=\s*[\u4e00-\u9fff])(?!样)"
    r"|什么原因|原因是什么|原因何在|怎么会"
)
_CAUSE = re.compile(
    r"因为|由于|因(?!此)|为了|原因|旨在|以便|目的|所以|导致|鉴于|随着|出于|需要|为.{1,12}(?:提供|保障|方便|改善|满足)"
)
_MONEY = re.compile(r"多少钱|罚款?了?多少|多少罚款|金额")
# 门票怎么收费 / 收费标准是什么: a price asked without 多少
_FEE = re.compile(r"(?:怎么|如何|怎样)收费|收费标准|(?:门票|票价)(?:怎么|如何|怎样)(?:收|算|定)?")


_PARTY_WHO = re.compile(
    r"(?:国|方|城市|省|公司|企业|球队|单位|机构|平台|组织|品牌|学校|大学|国家)(?:是|为)?(?:谁|哪个)[？?]?$"
)
_RANKING = re.compile(
    r"(?:四强|八强|十六强|16强|决赛队伍|决赛球队|选举结果|大选结果)(?:是|有)?(?:哪些|谁)?[？?]?$"
)


def asked_kind(question: str) -> AnswerType:
    """What the question asks for, with the keyword questions news readers type: 去世时间 (a
    time), 在哪一集 (a number), 罚了多少钱 (money in 元)."""
    from dataclasses import replace

    q = normalise(question)
    want = answer_type(q, "zh")
    if want.kind == "person" and _PARTY_WHO.search(q):
        return AnswerType("name")  # 主席国是谁 asks for a country, 承办方是谁 for an organisation
    if want.kind in ("other", "entity") and _RANKING.search(q):
        return AnswerType("name")  # 卡塔尔世界杯四强: the teams
    if want.kind in ("other", "place", "entity"):
        if _EPISODE.search(q):
            return AnswerType("number", ordinal=True)  # 第29集
        if _WHEN_NOUN.search(q):
            return AnswerType("time")
    if want.kind == "other" and _WHY.search(q):
        return AnswerType("reason")  # 为什么要封闭施工: a cause, not the closure again
    if want.kind == "number" and not want.unit and _MONEY.search(q):
        return replace(want, unit="元", counted="")
    if want.kind in ("other", "entity") and _FEE.search(q):
        return AnswerType("number", unit="元")  # 海塘遗址公园门票怎么收费: a price, not when it opens
    return want


# The credits of a work, by family: a name credited with one (主演) holds none of the others.
_CREDITS = (
    ("导演", "总导演", "执导"),
    ("主演", "领衔主演", "领衔", "主角"),
    ("编剧",),
    ("制片人", "出品人", "监制"),
    ("作词",),
    ("作曲",),
    ("演唱", "主唱", "原唱"),
    ("饰演", "扮演", "出演", "客串", "配音"),
)
_CREDIT_RE = re.compile("|".join(sorted((c for f in _CREDITS for c in f), key=len, reverse=True)))
_FAMILY = {c: f for f in _CREDITS for c in f}
_CLAUSE = re.compile(r"[，,。；;！？!?]")
_WORK = re.compile(r"《([^》]+)》")
_THIS_WORK = re.compile(r"该[剧片曲歌书]|此[剧片]|这部|本[剧片]|影片|该电影")


def _credit(text: str, at: int, name: str) -> str | None:
    """The credit (主演, 执导) nearest the name at `at` in its clause, or None."""
    a = max((m.end() for m in _CLAUSE.finditer(text, 0, at)), default=0)
    b = next((m.start() for m in _CLAUSE.finditer(text, at)), len(text))
    near = [
        (min(abs(m.start() - at - len(name)), abs(at - m.end())), m.group(0))
        for m in _CREDIT_RE.finditer(text, a, b)
    ]
    return min(near)[1] if near else None


def credited_otherwise(
    question: str,
    sentence: str,
    evidence: Sequence[str],
    *,
    every: bool = True,
    articles: Sequence[str] = (),
) -> tuple[str, str] | None:
    """(name, credit) when the question asks a credit of a work (导演 of 《重生之门》) and a name the
    sentence gives is printed with another credit only (王俊凯和张译一起主演: 主演, not 导演), or only
    in sentences about another work, in articles that never name the asked one (由姜武、张颂文领衔主演
    …《扫黑·决战》 for 《搜救》's 主演; `articles`: the quoted articles' texts). The credit nearest the
    name in its clause counts. `every`: each name must hold the asked credit (a model's sentence);
    else one is enough (a quote, which may credit the cast beside the director). None when nothing
    says otherwise."""
    q = normalise(question)
    asked = _CREDIT_RE.search(q)
    if asked is None:
        return None
    family = _FAMILY[asked.group(0)]
    works = set(_WORK.findall(q))
    if any(f"《{w}》" in normalise(a) for w in works for a in articles):
        works = set()  # the article names the work asked: 曾翻拍过《十二公民》的导演徐昂 is its director
    s = normalise(sentence)
    found = [*_people_like(s), *(m.text for m in [*find_people(s), *find_names(s)])]
    # A name a model's sentence itself credits otherwise (…主演，辛爽执导) is not given as the answer.
    claimed = [
        n
        for n in dict.fromkeys(found)
        if n not in q and (not every or _credit(s, s.find(n), n) in (None, *family))
    ]
    other: dict[str, str] = {}
    held: set[str] = set()
    for text in (normalise(e) for e in evidence):
        for name in claimed:
            for at in (m.start() for m in re.finditer(re.escape(name), text)):
                credit = _credit(text, at, name)
                whole = text[text.rfind("。", 0, at) + 1 : (text.find("。", at) + 1) or len(text)]
                printed = _WORK.findall(whole)
                if works and printed and not works.intersection(printed) and not _THIS_WORK.search(whole):
                    other.setdefault(name, f"《{printed[0]}》")
                elif credit is not None and credit not in family:
                    other.setdefault(name, credit)
                elif credit is not None:
                    held.add(name)
    wrong = [(n, c) for n, c in other.items() if n not in held]
    if wrong and (every or not held):
        return wrong[0]
    return None


def prints_numbered_names(
    question: str, citations: Sequence[Citation], article: Callable[[str], Article | None]
) -> bool:
    """Whether each numbered name of the question (211路) is printed by a quote or the
    sentence before it, where the quoted article names a sibling (205路) too. An article about
    routes 205 and 211 has 205's 每日班次由48班增加到60班 after 205路调整后…: quoted for 211路,
    it answers about another route. An article about one road (320国道) need not repeat its name
    in every sentence. True when the question names none. `article` looks an article up by id
    (the reader's cache, or the index)."""
    wanted = {m.group(0): m.group(2) for m in NUMBERED_NAME.finditer(normalise(question))}
    if not wanted:
        return True
    seen, siblings = "", set()
    for c in citations:
        art = article(c.article_id) if c.field == "text" else None
        text, start = (art.text, c.start) if art is not None else (c.quote, 0)
        before = re.split(r"[。！？!?\n]", text[:start])[-2:]  # the sentence before, and the lead-in
        seen += normalise("".join(before) + c.quote)
        siblings |= {(m.group(0), m.group(2)) for m in NUMBERED_NAME.finditer(normalise(text))}
    return all(
        name in seen or not any(kind == k and other != name for other, k in siblings)
        for name, kind in wanted.items()
    )
