"""What a value in the evidence is bound to: the sibling its sentence names before it (第一批 /
第二批, 一期 / 二期, 男子组 / 女子组, 今年 / 去年). (A name's credit, 导演 / 主演, is read by
`_answer_kinds.credited_otherwise`.)

News prints siblings side by side in one sentence (我市第一批12个服务点已于去年投用，第二批9个服务点
总投资680万元): the sentence names the asked 第一批, yet its 680万元 is 第二批's. The word-coverage
checks of the grounding engine see both siblings in the sentence and pass; these rules read which
one stands before the value. Rules, not a model: each answer says which sibling it saw.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import _facts as facts
from ._figure_roles import is_base
from ._names import NUMBERED_NAME, numbered_spans
from ._normalize import cn_number, normalise
from ._subjects import PLACE_KINDS, TOWNS, named_things, tagged

_NUM = r"[一二三四五六七八九十两\d]+"
# Families of siblings; a member is named by what it counts (批 2), or by its word (女子组).
_SIBLINGS = (
    re.compile(rf"首批|第{_NUM}批"),
    re.compile(rf"(?<![同近长短中初末后前预学到周分本星])(?:{_NUM})期"),
    re.compile(rf"首届|第{_NUM}届"),
    re.compile(r"今年|去年|前年|明年"),
    re.compile(r"(?:男子|女子|男|女|高中|初中|小学|少年|青年|成人|老年|中年|公开|专业|业余)组"),
    re.compile(r"[一二三四1-4]季度|上半年|下半年"),
    re.compile(r"[早晚]?高峰|平峰|低峰"),
    NUMBERED_NAME,  # 3号线 / 5号线, 205路 / 211路
)


def _member(word: str) -> str:
    """The sibling a word names: 首批 and 第一批 are one, 2期 and 二期 are one."""
    if word.startswith("首"):
        return word.replace("首", "第1", 1)
    if numbered := NUMBERED_NAME.fullmatch(word):  # 5号线 and 5线 are one, K1路 and k1路 too
        return (numbered.group(1) + numbered.group(2)).lower()
    digits = re.search(_NUM, word)
    if digits and re.fullmatch(rf"第?{_NUM}[批期届]", word):
        n = cn_number(digits.group(0).replace("两", "二"))
        if n is not None:
            return f"第{int(n)}{word[-1]}"
    return word


_ON_BASIS = re.compile(r"[^，,；;。]{0,16}?基础上")
# 由一期的120吨提高到260吨: the sibling after 由 is where the change starts from, not the figure's
_FROM_BASE = re.compile(
    r"的?[\d.]+[^，,；;。\d]{0,6}?(?:提高|增加|提升|扩大|上升|增长|降低|减少|下降|缩短|延长|调整)(?:到|至|为)"
)
# 其中男子组32支队伍、女子组12支队伍，参赛球员共计520余人: a total of the siblings named before it
_TOTAL = re.compile(r"共计|总计|合计|总共|一共|共有|累计|共(?=[\d一二三四五六七八九十两]|约|达|计)")


def _named(family: re.Pattern[str], text: str) -> dict[str, str]:
    """The siblings of `family` the text names, but for a comparison's base: {member: as printed}."""
    return {_member(m.group(0)): m.group(0) for m in family.finditer(text) if not _is_base(text, m)}


_SENTENCE_END, _CLAUSE_END = "。！？!?\n", "，,；;。！？!?\n"


def _start(text: str, at: int, ends: str) -> int:
    """Where the sentence (or clause) holding offset `at` starts."""
    return max(text.rfind(c, 0, at) for c in ends) + 1


def _end(text: str, at: int, ends: str) -> int:
    """Where the sentence (or clause) holding offset `at` ends (its mark not included)."""
    return min((e for c in ends if (e := text.find(c, at)) >= 0), default=len(text))


def _nearest_before(family: re.Pattern[str], text: str, at: int) -> str | None:
    """The sibling of `family` named last before `at` in its sentence (as printed), or None."""
    start = _start(text, at, _SENTENCE_END)
    # 比去年增长20%, 在去年8600亩的基础上: the base of a comparison is no sibling of the figure
    found = [m for m in family.finditer(text, start, at) if not _is_base(text, m)]
    return found[-1].group(0) if found else None


def _is_base(text: str, m: re.Match[str]) -> bool:
    return (
        is_base(text, m.start())
        or _ON_BASIS.match(text, m.end()) is not None
        or (text[m.start() - 1 : m.start()] == "由" and _FROM_BASE.match(text, m.end()) is not None)
    )


def bound_sibling(question: str, text: str, at: int) -> tuple[str, str] | None:
    """(asked, printed) when the question names one sibling of a family (第一批) and the one named
    last before offset `at` in its sentence of `text` is another (…，第二批9个服务点总投资680万元,
    `at` on 680万元). None when it is the asked one, or none is named before it."""
    q = normalise(question)
    for family in _SIBLINGS:
        asked = _named(family, q)
        if len(asked) != 1:
            continue
        # The value's own clause naming the asked sibling binds it (2022第二届公开赛暨温州第九届
        # 系列赛共有32支队伍: one event under two titles); else the one named last before it.
        clause = _start(text, at, _CLAUSE_END)
        if set(_named(family, text[clause:at])) & set(asked):
            continue
        printed = _nearest_before(family, text, at)
        if printed is not None and _member(printed) not in asked:
            return next(iter(asked.values())), printed
        sentence = _start(text, at, _SENTENCE_END)
        if _TOTAL.search(text, clause, at) and len(_named(family, text[sentence:clause])) > 1:
            return next(iter(asked.values())), "合计"
    return _bound_place(q, text, at)


_JOINED = {"和", "与", "及", "、"}
_PART_OF = re.compile(r"其中")
_UNIT_AFTER = re.compile(r"[\d.]+(?:万|亿)?([^\d.\s，,；;。、])")
_WHOLE_SCOPE = re.compile(r"全市|全县|全区|全镇|我市|本市")
_SEVERAL = re.compile(r"合计|总计|共计|[两三四五六七八九十]个?(?:港区|镇|街道|村|区|县)")
_EACH = re.compile(r"各|分别|均|都|每")


def _joint(claim: str, text: str, at: int) -> tuple[str, str] | None:
    """(asked, "合计") when the figure at `at` is printed for two things together (周边餐饮和住宿营业额
    约为460万元) and the claim names one of them only (住宿营业额为460万元): a total is not a part's.
    Not when the figure is each one's (各, 分别, 均), nor in a list of things each with its own
    figure (售价29元的帆布袋、售价59元的保温杯)."""
    clause = _start(text, at, _CLAUSE_END)
    if re.search(r"\d", text[clause:at]) or _SEVERAL.search(claim):
        return None  # ...and the claim speaks of both (两港区合计)
    words = [w for w, _ in tagged(text[clause:at])]
    for i in range(1, len(words) - 1):
        a, b = words[i - 1], words[i + 1]
        if words[i] not in _JOINED or not all(re.fullmatch(r"[\u4e00-\u9fff]{2,}", w) for w in (a, b)):
            continue
        if _EACH.search("".join(words[i + 2 :])):
            continue
        named = [w for w in (a, b) if w in claim]
        if len(named) == 1:
            return named[0], "合计"
    return None


# Places and sections are siblings too (其中，当湖街道今年已完工23台，钟埭街道已完工11台; 平湖经济技术
# 开发区专区有企业108家…；独山港经济开发区专区有企业78家): a figure is the place's named last before
# it in its sentence. A place is its kind word and the characters before it, up to punctuation,
# a digit or 和/与/及, known by its last two (平湖钟埭 and 钟埭 are one). 全镇, 各村, 18个村, 乡镇
# and 示范社区 name no one place; 小区 is left out (示范小区, 老旧小区 are what most of them are).
# 村民, 村里, 镇级, 村委, 镇长 are no place's kind word (乍浦镇民宿 is: the 民 of 民宿); nor is the 乡
# of 乡村 / 乡镇.
_PLACE_KIND = re.compile(
    r"(?:街道|社区|开发区|[专展片赛校院厂园新景港]区|村|镇|乡(?![村镇]))(?!民(?!宿|营|俗|生|政|企|房|办)|[里级委内外干长])"
)
_NAME_CUT = re.compile(r"[^\u4e00-\u9fff]|[和与及]")
_NO_NAME_END = set("全各该本我每个其此这那等哪几多些的在是有为城乡农山渔集村镇两三四五六七八九十")
_GENERIC = re.compile(
    r"(?:示范|文明|和谐|美丽|先进|未来|老旧|住宅|星级|特色|精品|新型|农村|城市|智慧|数字|工业)$"
)


_LEVEL = {"街道": "镇", "乡": "镇"}  # a city's towns and 街道 are one level: 当湖街道's 260个 is no 乍浦镇's


def _places(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, str, int]]:
    """(name, kind, offset) of each place `text[start:end]` names, in order; name without kind,
    kind by level (街道 and 乡 are 镇)."""
    out = []
    for m in _PLACE_KIND.finditer(text, start, len(text) if end is None else end):
        i = m.start()
        while i > start and not _NAME_CUT.match(text[i - 1]) and m.start() - i < 10:
            i -= 1
        name = text[i : m.start()].removeprefix("其中")  # 其中，…村 / 其中村级: the breakdown's word
        # 山村 and 渔村 are no names, but 独山港区 is one
        end_ok = bool(name) and (
            name[-1] not in _NO_NAME_END or (m.group(0) == "港区" and name[-1] in "山集")
        )
        if len(name) >= 2 and end_ok and not _GENERIC.search(name):
            out.append((name, _LEVEL.get(m.group(0), m.group(0)), m.start()))
    return out


def _key(name: str) -> str:
    """Which place a name is: its last two characters (平湖钟埭 and 钟埭 are one)."""
    return name[-2:]


def _one_place_each(claim: str) -> dict[str, str]:
    """{kind: name} for each kind of which the claim names exactly one place (a list of places,
    当湖街道队、乍浦镇队…, is checked item by item)."""
    named: dict[str, dict[str, str]] = {}
    for name, kind, _ in _places(claim):
        named.setdefault(kind, {}).setdefault(_key(name), name)
    return {kind: next(iter(names.values())) for kind, names in named.items() if len(names) == 1}


def _broken_down(text: str, sentence: int, at: int) -> bool:
    """The sentence of offset `at` prints 其中 between two figures of the unit of the one at `at`
    (…为86%，其中…均超过90%)."""
    unit = _UNIT_AFTER.match(text, at)
    end = text.find("。", at)
    end = len(text) if end < 0 else end
    part = _PART_OF.search(text, sentence, end)
    if unit is None or part is None or unit.group(1) in "年月日号时点分秒":
        return False  # dates and times break nothing down (4月…，其中…9月开放)
    same = re.compile(rf"(?<![\d.])[\d.]+(?:万|亿)?{re.escape(unit.group(1))}")
    figures = [f.start() for f in same.finditer(text, sentence, end)]
    return any(f < part.start() for f in figures) and any(f > part.start() for f in figures)


def _several_or_part(claim: str, text: str, at: int) -> tuple[str, str] | None:
    """(asked, printed) for a figure that is one place's where the claim speaks of several or of
    the whole, or the whole's where it speaks of one place; None when neither reads it.

    - A figure of several places together (两港区合计…超过20%) is not one place's printed in its
      own sentence (独山港区完成34.2万标箱，同比增长22.8%).
    - A breakdown (民宿平均入住率为86%，其中乍浦镇、独山港镇的…均超过90%): a figure after 其中 and
      places is theirs, not the whole's that a claim naming no thing of its own speaks of; the
      figure before 其中 is the whole's, not a place named after it. Only where the whole has a
      figure in the same unit (其中，家住三港社区的徐国良…为9位老人送饭 breaks down nothing), and
      not for a claim that makes the same breakdown itself (…126个，其中光明新村86个).
    """
    sentence = _start(text, at, _SENTENCE_END)
    before = _places(text, sentence, at)
    if _SEVERAL.search(claim) and not _TOTAL.search(text, sentence, at):
        if before and not _SEVERAL.search(text, sentence, at):
            return "合计", _as_printed(text, before[-1][0])
    if "其中" in claim or not _broken_down(text, sentence, at):
        return None
    part = _PART_OF.search(text, sentence, at)
    if part is not None and not named_things(claim, loose=True):
        named = {k for _, k, _ in _places(claim)}
        theirs = [n for n, k, o in before if o > part.start() and k not in named]
        if theirs:
            return "全市", _as_printed(text, theirs[-1])
    after = _PART_OF.search(text, at)
    if after is None or _WHOLE_SCOPE.search(claim):
        return None
    end = text.find("。", at)
    later = _places(text, after.end(), len(text) if end < 0 else end)
    for kind, asked in _one_place_each(claim).items():
        named_before = any(k == kind for _, k, _ in before)
        if not named_before and any(_key(n) == _key(asked) for n, k, _ in later if k == kind):
            return _as_printed(claim, asked), "合计"
    return None


def _bound_place(claim: str, text: str, at: int) -> tuple[str, str] | None:
    """(asked, printed) when the claim names one place of a kind (钟埭街道) and the one of that kind
    named last before offset `at` in its sentence of `text` is another (当湖街道); printed is
    "合计" when the asked one is named in that clause beside others (独山港镇和乍浦镇合计承担320个),
    unless each has the figure (虹霓村和海港村并列榜首，得分均为96.5分). See also
    `_several_or_part` (totals and breakdowns), read first."""
    if (whole := _several_or_part(claim, text, at)) is not None:
        return whole
    before = _places(text, _start(text, at, _SENTENCE_END), at)
    for kind, asked in _one_place_each(claim).items():
        printed = [(n, o) for n, k, o in before if k == kind]
        if not printed:
            continue
        last, where = printed[-1]
        together = {_key(n) for n, k, _ in _places(text, _start(text, where, _CLAUSE_END), at) if k == kind}
        if _key(asked) not in together:
            return _as_printed(claim, asked), _as_printed(text, last)
        if len(together) > 1 and not _EACH.search(text, where, at):
            return _as_printed(claim, asked), "合计"
    return None


def place_rival(claim: str, span: str) -> tuple[str, str] | None:
    """(claim's place, the span's) when the span names places of the level of the one the claim
    names (当湖街道、钟埭街道、曹桥街道…分别为260个… for 乍浦镇) and never the claim's: the span is
    about those places, whatever it says."""
    theirs = _places(span)
    for kind, name in _one_place_each(claim).items():
        others = [n for n, k, _ in theirs if k == kind]
        if others and _key(name) not in {_key(n) for n in others}:
            return _as_printed(claim, name), _as_printed(span, others[0])
    return None


def _as_printed(text: str, name: str) -> str:
    """The name with the kind word its text prints after it (钟埭 -> 钟埭街道)."""
    m = _PLACE_KIND.match(text, text.find(name) + len(name))
    return name + (m.group(0) if m else "")


def other_sibling(question: str, span: str) -> tuple[str, str] | None:
    """(asked, printed) when the question names one sibling (初中组) and the span names only others
    of its family (在最受关注的高中组机器人综合技能赛中…): the span is about another sibling."""
    q, s = normalise(question), normalise(span)
    for family in _SIBLINGS:
        asked, named = _named(family, q), _named(family, s)
        if len(asked) == 1 and named and not set(asked) & set(named):
            return next(iter(asked.values())), next(iter(named.values()))
    return None


def value_sibling(question: str, sentence: str, evidence: Sequence[str]) -> tuple[str, str, str] | None:
    """(value, asked sibling, printed sibling) when the sentence gives a value (680万元) of one
    sibling (第一批: named by the sentence, else by the question) that the evidence prints only
    after another sibling of that family in its sentence (…，第二批9个服务点总投资680万元); or
    ("", asked, named) when the sentence names only another sibling than the question asks. None
    when the value stands after the asked one, after none, or no single sibling is asked."""
    c = normalise(sentence)
    if other := other_sibling(question, c):
        return "", *other
    names = numbered_spans(c)
    values = [
        v.text
        for v in facts.find_quantities(c)
        if not v.ordinal
        and not any(f.fullmatch(v.text) for f in _SIBLINGS)  # 二期 is the sibling
        and not any(v.start in r for r in names)  # the 5号 of 5号线 names it
    ]
    claim = c if any(_named(f, c) for f in _SIBLINGS) else f"{normalise(question)}\n{c}"
    texts = [normalise(e) for e in evidence]
    for value in values:
        # the figure as printed: 520人 is the article's 520余人, 1.2万亩 its 1.2万亩
        number = re.match(r"[\d.,]+(?:万|亿)?", value)
        printed = re.escape(number.group(0)) if number else re.escape(value)
        where = rf"(?<![\d.]){printed}(?![\d.])"
        # A total of two things (餐饮和住宿) is read against the whole claim only: a fact split off
        # from 新建和改造…32公里 names one of them, the claim both.
        bound = [
            bound_sibling(claim, t, m.start()) or _joint(claim, t, m.start())
            for t in texts
            for m in re.finditer(where, t)
        ]
        if bound and all(b is not None for b in bound):
            return value, *bound[0]  # type: ignore[misc]
    return None


def owner_swap(claim: str, span: str) -> tuple[str, str] | None:
    """(claimed town, printed town) when the claim gives a named place to a town (林埭镇的白沙湾
    社区) and the span prints that place as another town's (独山港镇的白沙湾社区、林埭镇的徐家埭社区)."""
    c, u = normalise(claim), normalise(span)
    for town, kind in named_things(c):
        if kind not in TOWNS:
            continue
        at = c.find(f"{town}的")
        if at < 0:
            continue
        rest = c[at + len(town) + 1 :]
        # the name's own core may run longer than two characters (白沙湾社区, read 沙湾|社区)
        owned = [rest[: rest.find(n) + len(n)] for n, _ in named_things(rest) if 0 <= rest.find(n) <= 2]
        if not owned:
            continue
        m = re.search(rf"([\u4e00-\u9fff]{{2,4}}(?:镇|街道|乡))的{re.escape(owned[0])}", u)
        if m and m.group(1) != town and not m.group(1).endswith(town):
            return town, m.group(1)
    return None


_CITY_KINDS = {"市", "县", "区", "省", "乡", "港区", "园区"}


def bound_thing(claim: str, text: str, at: int) -> tuple[str, str] | None:
    """(asked, printed) when the claim names a body (钟溪小学) that `text` prints in one clause of
    a ；-list while the figure at offset `at` stands in another clause naming something else
    (…钟溪小学扩建工程投资8600万元，…；新埭镇中心幼儿园新园区投资4300万元): that figure is the
    other's. Places are `_bound_place`'s."""
    start = _start(text, at, "；;。")
    if text[start - 1 : start] not in ("；", ";"):
        return None  # a sentence of its own may refer back (这座大桥全长2.1公里)
    clause = text[start : _end(text, at, "；;。")]
    for name, kind in named_things(claim):
        if kind in PLACE_KINDS or kind in _CITY_KINDS or name not in text[:start] or name in clause:
            continue
        others = [n for n, _ in named_things(text[start:at]) if name not in n and n not in name]
        if others:
            return name, others[0]
    return None


def bound_person(claim: str, text: str, at: int) -> tuple[str, str] | None:
    """(asked, printed) when the claim names a person (林晓雯) that the sentence of `text` holding
    offset `at` names too, not before the figure in its ；-clause, and the person named last
    before that figure is another (女子组冠军为
    顾佳琪，成绩1小时18分47秒，上海跑者林晓雯获得亚军: the time is 顾佳琪's). A figure with no person
    before it in its sentence is bound to nobody here."""
    start = _start(text, at, _SENTENCE_END)
    sentence = text[start : _end(text, at, _SENTENCE_END)]
    people = [p for p in people_named(claim) if p in sentence]
    if not people:
        return None
    named = [(m.start(), p) for p in people_named(sentence) for m in re.finditer(re.escape(p), sentence)]
    before = [x for x in named if x[0] < at - start]
    if not before:
        return None
    last = max(before)[1]
    if any(last in p or p in last for p in people):
        return None
    # 据张三介绍，李四团队研发的设备…提高了30%: a claimed person printed before the figure in its
    # own ；-clause may be who tells it; one printed only after it, or in another clause, is not
    if any(p in sentence[_start(sentence, at - start, "；;") : at - start] for p in people):
        return None
    return people[0], last


def people_named(text: str) -> list[str]:
    """People a text names: after a title (选手钱宇航) or as jieba guesses them (吕泽楷)."""
    from ._names import find_people
    from ._subjects import guessed_people

    return list(dict.fromkeys([m.text for m in find_people(text)] + guessed_people(text)))
