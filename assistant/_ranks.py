"""Places in a contest (冠军, 金奖) and in a ranking (排名第三, 位居全市首位): who holds which.

A claim or a model's sentence may give its subject a place its evidence gives to another, or
one the evidence never gives; the answer checks (`_answerable`, `_verify_answer`) and the claim
checker (`_check`) ask this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._names import find_people
from ._normalize import cn_number, normalise
from ._subjects import named_things, proper_names

# Places of one contest: a name printed with one is no answer for another.
PLACES = (
    ("冠军", "亚军", "季军"),
    ("金奖", "银奖", "铜奖"),
    ("金牌", "银牌", "铜牌"),
    ("一等奖", "二等奖", "三等奖"),
)
_PLACE_RE = "|".join(p for family in PLACES for p in family)
_PLACED = re.compile(
    rf"(?P<who>[\u4e00-\u9fff]{{2,16}}?)(?:以[^，,。；;]{{1,12}}?)?(?:获得|夺得|摘得|荣获|获|取得|斩获)(?P<place>{_PLACE_RE})"
)


def _team(who: str) -> str:
    return re.sub(r"(?:代表队|队)$", "", who)


def place_swap(sentence: str, evidence: Sequence[str]) -> tuple[str, str, str] | None:
    """(who, place claimed, place printed) when the sentence gives someone a place of a contest
    (平湖市职业中等专业学校代表队获得亚军) that the evidence prints with another place of the same
    kind for them (…代表队夺得冠军) and never with the claimed one. Names match when one holds the
    other, team words (代表队) aside."""
    won = [
        (_team(w.group("who")), w.group("place")) for t in evidence for w in _PLACED.finditer(normalise(t))
    ]
    for m in _PLACED.finditer(normalise(sentence)):
        who, place = _team(m.group("who")), m.group("place")
        family = next(f for f in PLACES if place in f)
        theirs = [p for w, p in won if p in family and (who in w or w in who) and min(len(w), len(who)) >= 2]
        if theirs and place not in theirs:
            return m.group("who"), place, theirs[0]
    return None


def other_rank(question: str, evidence: str) -> tuple[str, str] | None:
    """(asked, printed) when the question asks one place of a contest (亚军) or of a ranking
    (排第一) and the evidence prints another of the same family (冠军; 位列第二) but not the
    asked one; else None."""
    question = _placed(question)
    for family in PLACES:
        asked = [r for r in family if r in question]
        if len(asked) == 1 and asked[0] not in evidence:
            printed = [r for r in family if r in evidence]
            if printed:
                return asked[0], printed[0]
    ranks = {_rank(m): m.group(0) for m in _RANKED.finditer(question)}
    if len(ranks) == 1:
        theirs = {_rank(m): m.group(0) for m in _RANKED.finditer(evidence)}
        if theirs and not set(theirs) & set(ranks):
            return next(iter(ranks.values())), next(iter(theirs.values()))
    return None


def _placed(question: str) -> str:
    """第三名是哪支队伍 asks the 季军: a contest's places by their number."""
    for n, place in (("一", "冠军"), ("二", "亚军"), ("三", "季军")):
        question = re.sub(rf"(?<![排列居])第{n}名", place, question)
    return question


# A place in a ranking (排第一, 位列第二, 居全市首位): 第一批 or 第一次 is none.
_RANKED = re.compile(
    r"(?:排|位列|位居|名列|排名|居)(?:全[市省国县区镇]|行业|街道)?(?:第([一二三四五六七八九十\d]+)(?![批次期届])|(首位))"
)


def _rank(m: re.Match[str]) -> str:
    return "一" if m.group(2) else m.group(1).replace("1", "一").replace("2", "二").replace("3", "三")


# How news prints a place won without its word (夺冠 for 冠军): a bare name's evidence must print
# the place asked or one of these.
_WON = {
    "冠军": ("夺冠", "折桂", "问鼎", "封后", "称王", "登顶", "金牌"),
    "亚军": ("第二名", "银牌"),
    "季军": ("第三名", "铜牌"),
    "金牌": ("冠军", "夺冠", "夺金", "摘金"),
    "银牌": ("亚军", "摘银"),
    "铜牌": ("季军", "摘铜"),
}


def unranked(question: str, evidence: str) -> str | None:
    """The place of a contest the question asks (冠军) when the evidence prints no place won at all
    (…克利夫兰站女单首轮，张帅以6-2…: a player named, no title): a bare name there wins nothing."""
    question = _placed(question)
    for family in PLACES:
        asked = [r for r in family if r in question]
        if len(asked) == 1 and not any(w in evidence for w in (*family, *_WON.get(asked[0], ()))):
            return asked[0]
    return unranked_in_ranking(question, evidence)


def unranked_in_ranking(question: str, evidence: str) -> str | None:
    """The place in a ranking the question asks (排第一的是哪家企业) when the evidence ranks no one
    (…浙江鼎嘉箱包有限公司2025年实现出口额3.26亿元: a firm named, no place)."""
    ranked = _RANKED.search(question)
    if (
        ranked
        and not _RANKED.search(evidence)
        and not re.search(r"首位|榜首|居首|第一名|最[高多大]", evidence)
    ):
        return ranked.group(0)
    return None


# Another time's ranking (上届排名第一, 去年位列第二): not the place the sentence reports now.
_EARLIER = re.compile(r"上届|上一届|去年|上年|此前|以往|曾")


# A place won (获得老年组100米自由泳第三名, 夺得U12组冠军) and a place in a ranking (排名第二,
# 位列榜首), as one number: 冠军 is 1, 第三名 is 3.
_WON_PLACE = re.compile(
    r"(?:获得|夺得|摘得|荣获|获|取得|斩获)[^，,。；;]{0,16}?"
    r"(?:(?P<title>冠军|亚军|季军)|第(?P<n>[一二三四五六七八九十\d]+)名)"
)
_PLACE_THEN_NAME = re.compile(
    r"(?:(?P<title>冠军|亚军|季军)|第(?P<n>[一二三四五六七八九十\d]+)名)(?:是|为|由|被)"
)
_ANY_PLACE = re.compile(
    r"冠军|亚军|季军|第[一二三四五六七八九十\d]+名|夺冠|排名|排第|位列|位居|名列|榜首|首位"
)
_TOP = re.compile(r"(?:位列|位居|名列|排名|居)(?:榜首|首位)|榜首")
_TITLE_RANK = {"冠军": 1, "亚军": 2, "季军": 3}


def _placings(text: str) -> list[tuple[int, str, int]]:
    """(where it ends, as printed, the place) for each place won or ranked in `text`."""
    out = []
    for m in _RANKED.finditer(text):
        n = 1 if m.group(2) else cn_number(m.group(1))
        if n is not None:
            out.append((m.end(), m.group(0), int(n)))
    for m in _WON_PLACE.finditer(text):
        n = _TITLE_RANK[m.group("title")] if m.group("title") else cn_number(m.group("n"))
        if n is not None and not any(e == m.end() for e, _, _ in out):
            out.append((m.end(), m.group(0)[-3:] if m.group("n") else m.group("title"), int(n)))
    for m in _PLACE_THEN_NAME.finditer(text):  # 女子半程冠军是平湖本地选手郑雨桐
        n = _TITLE_RANK[m.group("title")] if m.group("title") else cn_number(m.group("n"))
        if n is not None and not any(e == m.end() for e, _, _ in out):
            out.append((m.end(), m.group(0)[:-1], int(n)))
    for m in _TOP.finditer(text):
        if not any(e == m.end() for e, _, _ in out):
            out.append((m.end(), m.group(0), 1))
    return sorted(out)


def rank_swap(claim: str, span: str) -> tuple[str, str] | None:
    """(claimed, printed) when a claim gives its subject a place in a ranking or a contest
    (乍浦镇…排名第三; 朱国良获得…冠军) that the span does not: it places the subject otherwise
    (…乍浦镇本届获得22枚金牌，排名第四; …获得第三名), printed is that place; or it places no one,
    printed is "". None when the places agree, when the claim places nothing or several, or when
    the span's place cannot be told to be the subject's (several places, none after the
    subject; a claim of another time, 上届).

    A span placing several (当湖街道…位居第一；钟埠街道…排名第二) gives each the place after it:
    the subject's is the first place printed after its name."""
    c = normalise(claim)
    claimed = {r: said for _, said, r in _placings(c)}
    if len(claimed) != 1 or _EARLIER.search(c):
        return None
    ((rank, said),) = claimed.items()
    u = normalise(span)
    printed = [
        (end, s, r) for end, s, r in _placings(u) if not _EARLIER.search(_clause_before(u, end - len(s)))
    ]
    if not printed:
        if _ANY_PLACE.search(u) or (rank == 1 and re.search(r"居首|最[高多大]", u)):
            return None  # a place printed in a way not read here: not a span that places no one
        return said, ""
    names = [n for n, _ in named_things(c)] + proper_names(c) + [p.text for p in find_people(c)]
    # the subject is the claim's first name the span prints (新仓镇代表队在平湖市…大赛中夺得冠军: 新仓镇)
    names = sorted((n for n in dict.fromkeys(names) if len(n) >= 2 and n in u), key=c.find)[:1]
    owned: list[tuple[int, str, int]] = []
    for name in names:
        for at in (i.start() for i in re.finditer(re.escape(name), u)):
            after = [p for p in printed if p[0] > at]
            if after:
                owned.append(after[0])
    if owned:
        if any(r == rank for _, _, r in owned):
            return None
        return said, owned[0][1]
    places = {r for _, _, r in printed}
    if len(places) == 1 and rank not in places:
        return said, printed[0][1]
    return None


def _clause_before(text: str, at: int) -> str:
    start = max(text.rfind(p, 0, at) for p in "，,；;。") + 1
    return text[start:at]
