"""Subjects: the named things a claim is about, and whether a span states them.

A fact is only stated by a span about the same subject: the people, places and organisations
it names must be the span's own, not rivals printed in their place (曹桥街道 is not 当湖街道,
六店大桥 not 六里塘大桥), and its qualifiers (首批, 境外, 省级, 一季度, 同比…) must be printed
too. `subject_gaps` lists what a span lacks; `named_things` / `proper_names` find the names
(jieba's proper-noun tags plus a table of name kinds: 街道, 大桥, 医院…). Used by the
grounding engine (`_ground.align`) and by `_answerable.answers`.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from . import _slots as slots
from ._facts import BATCH_MARKER, period_name
from ._names import FOREIGN_NAME, NUMBERED_NAME, SURNAMES, find_people, numbered_spans
from ._normalize import normalise

if TYPE_CHECKING:
    from ._evidence import Evidence

# Kinds of named things: a name is its last word (the kind) plus the characters before it.
_KINDS = (
    "街道 社区 小区 大桥 景区 公园 广场 中心 医院 中学 小学 大学 学院 学校 公司 集团 酒店 开发区 园区 "
    "新区 镇 乡 村 桥 路 街 港 站 馆 县 区 市 省"
).split()
_KIND_RE = "|".join(sorted(_KINDS, key=len, reverse=True))
_KIND_FAMILY = {"大桥": "桥", "小学": "学校", "中学": "学校", "大学": "学校", "学院": "学校"}
# 桥梁 and 路线 are words of their own, not the end of a name.
_NAMED = re.compile(rf"(?P<core>[\u4e00-\u9fff]{{2}})(?P<kind>{_KIND_RE})(?![梁线径面况])")
_KIND_AT = re.compile(rf"(?:{_KIND_RE})(?![梁线径面况])")
_NOT_CORE = set("该全我本各每哪个两几多些其此这那等和与及或在到从向于是有为了的")
_PROPER = ("nr", "ns", "nt", "nz", "nrt", "nrfg")

QUALIFIER = re.compile(
    r"首批|第[一二三四五六七八九十\d]+批|第[一二三四五六七八九十\d]+届|首届|首次"
    r"|境外|境内|海外|国外|入境|出境|外籍|外贸|内贸"
    r"|国家级|省级|市级|县级|区级|镇级|村级"
    r"|[一二三四1-4]季度|上半年|下半年|(?<![提之以])前[一二三四五六七八九十\d]+(?:个)?月"
    r"|同比|环比|累计|新增|农村|城镇|民营|外资|国有|规上|规模以上|线上|线下"
    r"|女子|男子|女性|男性"  # 女子球员中有7人 is not stated by 队中有7名队员
    r"|上一?届"  # 而上届只有4件 is not stated by a sentence of this year's 11件
)


def _is_name_core(core: str) -> bool:
    """A proper name's head (曹桥, 钟埭, 六店), not a common word (当前, 服务, 示范)."""
    if set(core) & _NOT_CORE or re.search(r"\d", core):
        return False
    import jieba.posseg

    tag = jieba.posseg.dt.word_tag_tab.get(core)
    return tag is None or tag in _PROPER or tag == "j"


def _verb_core(core: str) -> bool:
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab.get(core) == "v"  # 获得, not 实验 (vn: 实验小学 is a name)


def _common_word_tail(core: str, kind: str) -> bool:
    """平湖地区, 一家超市: the kind's character ends a common word (地区, 超市), no name."""
    import jieba.posseg

    tag = jieba.posseg.dt.word_tag_tab.get(core[-1] + kind) if len(kind) == 1 else None
    return tag is not None and tag not in _PROPER


_NOT_LAST = set("对向在把被给让从往于的了和与及将")
_BEFORE_NAMES = set("据届任赴由往经对被把给让将")  # prepositions and measure words printed before a name


def _straddles(text: str, m: re.Match[str]) -> bool:
    """第七届|香港, 担任|公路, 据|香港: the kind's character ends a word of its own (香港, 公路) and
    the match starts inside the word before (jieba's cut) or on a preposition, so it runs across
    two words and names nothing (跨塘桥 starts with a verb's character: a bridge)."""
    import jieba
    import jieba.posseg

    core, kind = m.group("core"), m.group("kind")
    tags = jieba.posseg.dt.word_tag_tab
    if len(kind) != 1 or core[-1] + kind not in tags:
        return False
    if core[0] in _BEFORE_NAMES:  # 据|香港: a preposition or a measure word before it
        return True
    at, starts = 0, set()
    for w in jieba.lcut(text[max(0, m.start() - 6) : m.end()], HMM=False):
        starts.add(at)
        at += len(w)
    return min(6, m.start()) not in starts


_TOWN_AFTER = re.compile(r"镇|街道|乡(?![村镇])")


def named_things(text: str, loose: bool = False) -> list[tuple[str, str]]:
    """(name, kind) of the places, roads and bodies in text: 曹桥街道 -> (曹桥街道, 街道).

    `loose` also takes names whose head is a common word (花衣桥, 口袋公园): what a claim names
    that way must be printed, but as a rival in a span only a bridge or a road counts (当前中心
    or 示范小区 are no rivals to anything).
    """
    numbered = numbered_spans(text)

    def named(m: re.Match[str]) -> bool:
        return (
            not _straddles(text, m)
            and m.group("core")[-1] not in _NOT_LAST  # 工人对|桥体: a preposition ends no name
            and not any(m.start() in r for r in numbered)  # 路线路 of 15路线路: 15路's 线路
            and not (m.group("kind") == "乡" and text[m.end() : m.end() + 1] in ("村", "镇"))  # 平湖|乡村旅游
            and not m.group(0).endswith("中小学")  # 平湖|中小学: schools in general, no school 湖中
            and (
                (not _common_word_tail(m.group("core"), m.group("kind")) and _is_name_core(m.group("core")))
                or (
                    loose
                    and not set(m.group("core")) & _NOT_CORE
                    and not _verb_core(m.group("core"))  # 获得|学校 of 新埭镇中心学校获得学校团体总分
                    # a one-character kind after a common word is seldom a name: 沿海地区, 全市
                    and (len(m.group("kind")) >= 2 or m.group("kind") in ("桥", "路"))
                )
            )
        )

    # Each start is tried: a match that names nothing (在曹|桥 of 测评在曹桥街道) must not hide the
    # name starting inside it (曹桥|街道).
    out = []
    at = 0
    while (m := _NAMED.search(text, at)) is not None:
        if named(m) and (town := _TOWN_AFTER.match(text, m.end())) and len(m.group("kind")) == 1:
            # 独山港镇: a three-character head ending in a kind's character (港) names a town
            out.append((m.group(0) + town.group(0), town.group(0)))
            at = town.end()
        elif named(m):
            out.append((m.group(0), _KIND_FAMILY.get(m.group("kind"), m.group("kind"))))
            at = m.end()
        elif m.group("core")[0] in _NOT_CORE or m.group("core")[0] in _BEFORE_NAMES:
            at = m.start() + 1  # 在|曹桥: a preposition starts it, the name may start next
        else:
            at = m.end()
    return out


@functools.lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's (word, tag) pairs, no HMM guesses. Cached: a claim's text is tagged once, not
    once for each evidence unit it is aligned with."""
    import jieba.posseg

    return tuple((p.word, p.flag) for p in jieba.posseg.lcut(text, HMM=False))


def proper_names(text: str) -> list[str]:
    """People, places and organisations named in text: jieba's tags (no HMM guesses), people
    by title or speech verb, and named places."""
    names = [
        word
        for word, flag in tagged(text)
        if (flag in _PROPER or flag == "eng")
        and len(word) >= 2
        and not re.fullmatch(r"[\d.]+", word)
        and (not flag.startswith("nr") or word[0] in SURNAMES)  # 比比 in 占比比去年 is no one's
    ]
    names += [p.text for p in find_people(text)]
    names += [n for n, _ in named_things(text, loose=True)]
    return list(dict.fromkeys(names))


# Places within a city, and the words that speak of the whole city (or more) instead.
PLACE_KINDS = {"街道", "社区", "小区", "镇", "乡", "村", "景区", "园区", "开发区", "新区"}
_WHOLE = re.compile(r"全市|全县|全区|全省|全国|我市|本市|我县|本县")


def _kind_after(text: str, name: str, kind: str) -> str:
    """The kind of what `name` names in `text`: a name followed by another kind's word is the
    first part of a longer name (东沙港|大桥 is a bridge, 独山港|镇 a town), not a 港 of its own."""
    at = text.find(name)
    m = _KIND_AT.match(text, at + len(name)) if at >= 0 else None
    if m and m.group(0) == "乡" and text[m.end() : m.end() + 1] in ("村", "镇", "土", "亲"):
        return kind  # 平湖市|乡村厨艺大赛: a city's contest, not a 乡
    return _KIND_FAMILY.get(m.group(0), m.group(0)) if m else kind


TOWNS = {"镇", "街道", "乡"}  # one level: each town of the city is a 镇 or a 街道


def _rival(name: str, span: str, claim: str) -> str | None:
    """A name of the same kind printed in the span where the claim has `name` (当湖街道 for 曹桥街道),
    or the whole city where the claim names one town (全市 for 新仓镇)."""
    kinds = [_kind_after(claim, n, k) for n, k in named_things(name) if n == name or name.endswith(n)]
    loose = kinds[:1] == ["桥"] or kinds[:1] == ["路"]  # bridges and roads are named after anything
    for other, kind in named_things(span, loose=loose):
        theirs = _kind_after(span, other, kind)
        if (
            kinds
            and (theirs == kinds[0] or {theirs, kinds[0]} <= TOWNS)  # 乍浦镇 rivals 当湖街道
            and other not in claim
            and other[:2] not in claim
        ):
            return other
    whole = _WHOLE.search(span)
    if kinds and kinds[0] in PLACE_KINDS and whole and not _WHOLE.search(claim):
        return whole.group(0)
    return None


def _town_beside(name: str, close: str) -> bool:
    """The span or the sentence before names another town than the claim's (曹桥街道马厩村…。他今年
    …巡河186次 for 林埭镇…): a town the article names elsewhere does not hold here."""
    own = [n for n, k in named_things(name) if k in TOWNS and name.endswith(n)]
    return bool(own) and any(k in TOWNS and n != own[0] for n, k in named_things(close))


def _own_town(name: str, text: str) -> bool:
    """`name` is the article's own town: named more often than any other town in it (新埭镇颐养中心…
    four times, 林埭镇 and 广陈镇 once each), so it holds for the sentences that name none."""
    counts: dict[str, int] = {}
    for n, k in named_things(text):
        if k in TOWNS:
            counts[n] = counts.get(n, 0) + 1
    mine = counts.pop(name, 0)
    return mine > 0 and mine > max(counts.values(), default=0)


def _short_rival(name: str, span: str, near: str, claim: str) -> str | None:
    """A place of the claim's kind named around the span (新仓镇的芦笋、…林埭镇的糯米制品) whose
    short form the span prints as its subject (新仓芦笋…成交额达到612万元) while it prints nothing
    of the claim's place (林埭镇): the span is that place's."""
    own = [(n, k) for n, k in named_things(name) if name.endswith(n) and k in PLACE_KINDS]
    if not own or own[0][0][: -len(own[0][1])][:2] in span:
        return None
    for other, kind in named_things(near):
        core = other[: -len(kind)]
        if kind == own[0][1] and other != own[0][0] and len(core) >= 2 and core in span and core not in claim:
            return other
    return None


def _present(name: str, where: str) -> bool:
    """The name, or the name without its kind (交投 for 交投集团, 钟埭 for 钟埭街道), or the full
    name it abbreviates (市一医院 for 市第一人民医院), is printed."""
    if name in where or abbreviates(name, where):
        return True
    named = [n for n, kind in named_things(name) if name.endswith(n)]
    if named:  # a named thing: its own head must be printed (六店, not 六里塘)
        core = name[: len(name) - len(named[0])] + named[0][:2]
        return core in where or named[0][:2] in where
    if named_things(name, loose=True):
        return False  # 口袋公园, 文化中心: a common word before the kind is said in full or not at all
    return len(name) >= 3 and name[:2] in where  # 沿海地区 asked, 沿海 printed


def abbreviates(short: str, where: str) -> bool:
    """`short` is a Chinese abbreviation of a name printed in `where` (市一医院 / 市第一人民医院,
    农商银行 / 农村商业银行): the long form has the same characters in order, with only the
    characters such names drop (第, 人民, 村, 业, 市, 县, 级) between them. A short form with other
    characters left out is another name as often as an abbreviation (平湖中学 is no 平湖市当湖高级中学),
    so it is not read as one. Four characters at least."""
    if len(short) < 4 or not re.fullmatch(r"[\u4e00-\u9fff]+", short):
        return False
    gap = f"[{_DROPPED}]{{0,2}}"
    pattern = re.escape(short[0]) + "".join(f"{gap}{re.escape(c)}" for c in short[1:])
    return any(len(m.group(0)) > len(short) for m in re.finditer(pattern, where))


_DROPPED = "第人民村业市县级"


def guessed_people(text: str) -> list[str]:
    """People jieba finds only with its HMM guesser (吴开华, 鲁马) and foreign names (唐纳德·卢):
    a claim's person must be printed in the article, whatever the dictionary knows."""
    import jieba.posseg

    found = [m.group(0) for m in FOREIGN_NAME.finditer(text)]
    found += [w.word for w in jieba.posseg.cut(text) if w.flag == "nr" and slots.person_shaped(w.word)]
    return [n for n in dict.fromkeys(found) if not any(n != f and n in f for f in found)]


def _foreign_printed(name: str, article: str) -> bool:
    """安娜·谢尔巴科娃 is printed as itself, or by its surname alone (谢尔巴科娃) when the article
    gives no other first name with that surname (唐纳德·卢 is not 甘棠·卢). The match finds only a
    few characters either side of the dot, so two are compared."""
    first, _, last = name.partition("·")
    if f"{first[-2:]}·{last[:2]}" in article:
        return True
    other = re.search(rf"[\u4e00-\u9fff]{{2}}·{re.escape(last[:2])}", article)
    return last[:2] in article and other is None


def edition(source: str) -> str:
    """What a paper's name says of its articles' place: 嘉兴日报·平湖版 → 平湖 (its own city is
    implied by each article; the parent paper's 嘉兴 is not the place of a Pinghu figure)."""
    source = normalise(source)
    return re.sub(r"版$", "", source.rsplit("·", 1)[-1]) if "·" in source else source


def subject_gaps(text: str, ev: Evidence, guess_people: bool = False) -> list[str]:
    """What the claim or question names that the evidence does not: ["曹桥街道 (报道说的是当湖街道)"].

    A name counts when it is in the span, its context or its paragraph, or, for a place (a town
    named in the lead), anywhere in the article, as long as the span does not print a rival of
    the same kind. A qualifier must be in the span or its context (the sentence before).
    """
    span = normalise(ev.text)
    close = span + "\n" + normalise(ev.context)
    near = close + "\n" + normalise(ev.preceding)
    body = span + "\n" + normalise(ev.context.split("\n", 1)[-1]) + "\n" + normalise(ev.preceding)
    article = near + "\n" + normalise(ev.article_text) + "\n" + edition(ev.source)
    article_body = normalise(ev.article_text or "")
    gaps = []
    # 亚历山大 of 亚历山大·武契奇 is no name of its own: the whole is printed, or its surname is
    foreign = [m.group(0) for m in FOREIGN_NAME.finditer(text)]
    for name in proper_names(text):
        if name in span:
            continue
        whole = next((f for f in foreign if name in f and name != f), None)
        if whole is not None and (whole in article or _foreign_printed(whole, article)):
            continue
        # the span's own subject beats one named around it
        rival = _rival(name, span, text) or _short_rival(name, span, near, text)
        if rival is not None:
            gaps.append(f"{name}|{rival}")
        elif not _present(name, close) and _town_beside(name, close):
            gaps.append(name)  # the town named nearest the span is its town
        elif not _present(name, body) and _town_beside(name, article) and not _own_town(name, article_body):
            # named only in the headline of a report of several towns (林埭镇徐家埭村位列全市第一
            # over 此次考评…共入户抽查农户3480户): the headline's town is not every sentence's
            gaps.append(name)
        elif not _present(name, near) and (
            not _present(name, article) or (_town_beside(name, article) and not _own_town(name, article_body))
        ):
            # a town named elsewhere in the article holds for the span only when it is the
            # article's one town (此次考评…共入户抽查农户3480户 is the city's, in a report of 9 towns)
            gaps.append(name)
    gaps += _body_gaps(text, span, near)
    own = edition(ev.source)
    if own and re.search(r"我市|全市|本市", close):
        # 嘉兴市外贸进出口总额486.3亿元 over 前三季度，我市实现…486.3亿元: the figure is the paper's
        # own city's (平湖), not another city's
        for m in re.finditer(r"([\u4e00-\u9fff]{2})(?=全?市)", text):
            city = m.group(1)
            printed = re.search(rf"{city}(?!各)", close)  # 在嘉兴各县（市、区）中 is a ranking's field
            if city != own and not printed and tagged(city + "市") == ((city + "市", "ns"),):
                gaps.append(f"{city}|我市")
    if guess_people:
        named = set(proper_names(text))
        for person in guessed_people(text):
            printed = person in article or ("·" in person and _foreign_printed(person, article))
            if person not in named and not printed:
                gaps.append(person)
    gaps += [f"{name}|{rival}" for name, rival in numbered_rivals(text, span)]
    context = normalise(ev.context)
    for q in dict.fromkeys(m.group(0) for m in (*QUALIFIER.finditer(text), *_GROUP.finditer(text))):
        if q not in span and _GROUP.fullmatch(q) and re.search(rf"{q}[^，,。；;\d]{{0,3}}\d", context):
            # 独山港镇…达8支 after 其中，男子组38支，女子组10支: the group labels the figure it is
            # printed with, not the sentence after
            gaps.append(q)
            continue
        if q not in close and not (q in _SAID_AS and re.search(_SAID_AS[q], close)):
            # a period however it is printed: 前10个月 is 1至10月
            if not any(period_name(m.group(0)) == period_name(q) for m in BATCH_MARKER.finditer(close)):
                gaps.append(q)
    return gaps


# A body's name (绿禾植保专业合作社, 浙江天翼农业科技有限公司): `named_things` leaves these out, as
# their heads are often common words.
BODY_NAME = re.compile(
    r"(?:(?![由在是为的和与及将被向从对把给])[\u4e00-\u9fff]){2,14}?"
    r"(?:股份有限公司|有限责任公司|有限公司|专业合作社|合作社|集团|救援队|服务队)"
)
_BODY_PLACE = {"浙江", "浙江省", "嘉兴", "嘉兴市", "平湖", "平湖市", "我市", "全市", "市"}


def _body_core(name: str) -> str:
    """The two characters that name a body (天翼 of 浙江天翼农业科技有限公司, 交投 of 今年一季度
    交投集团): what is left after the times, numbers, pronouns and home places jieba reads before it."""
    words = list(tagged(re.sub(r"(?:股份|有限责任|有限|专业)?(?:公司|合作社|集团)$|队$", "", name)))
    while words and (
        words[0][1][:1] in ("t", "m", "r", "p", "d", "f", "c", "v") or words[0][0] in _BODY_PLACE
    ):
        words.pop(0)
    return "".join(w for w, _ in words)[:2]


def _body_gaps(text: str, span: str, near: str) -> list[str]:
    """A body the claim names that the span does not: "name|rival" when the span names another
    body (天翼…公司出动无人机22架 for 绿禾…合作社出动…), "name" when nothing around the span names
    it (全市…出动植保无人机146架 for 绿禾…合作社出动…)."""
    gaps = []
    theirs = [m.group(0) for m in BODY_NAME.finditer(span)]
    for m in BODY_NAME.finditer(normalise(text)):
        core = _body_core(m.group(0))
        if len(core) < 2 or core in span:
            continue
        rival = next((t for t in theirs if _body_core(t) != core), None)
        if rival is not None:
            gaps.append(f"{m.group(0)}|{rival}")
        elif core not in near:
            gaps.append(m.group(0))
    return gaps


# A group of a contest or a count (中年组, U12组, 男子组): a figure of the whole is no group's.
_GROUP = re.compile(
    r"(?:[青少中老幼成]年|少儿|儿童|成人|男子|女子|公开|专业|业余|[甲乙丙丁]|[Uu]\d{1,2})组(?![织成建委长员合])"
)


# A qualifier the news spells out: 同比 is 比去年同期 (or 比去年, a year against the last), 环比 比上月.
_SAID_AS = {"同比": r"(?:比|较|与)(?:去年|上年)(?:同期)?", "环比": r"(?:比|较)上(?:个)?(?:月|季度|周)"}


def numbered_rivals(text: str, span: str) -> list[tuple[str, str]]:
    """(name, rival) for each numbered name of `text` (211路, G7512次列车, MU5735航班) the span
    does not print while it prints a sibling of its kind (205路, 2303号航班): the span is about
    that one, whatever the sentence before says. Each as its own text prints it; codes compare
    in any case (the claim may come unnormalised: K1路, the span normalised: k1路)."""
    printed = {(m.group(1).lower(), m.group(2)): m.group(0) for m in NUMBERED_NAME.finditer(span)}
    out = []
    for m in NUMBERED_NAME.finditer(text):
        if (m.group(1).lower(), m.group(2)) in printed:
            continue
        rival = next((name for (_, k), name in printed.items() if k == m.group(2)), None)
        if rival is not None:
            out.append((m.group(0), rival))
    return out


# Words of time, the thing itself included: 时间比去年推迟了4天 is about the event's time.
