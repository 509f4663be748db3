"""Which time a figure holds for: a plan or a target (将超过500个, 到2027年), another time than
the report's (上届, 当时, 三年前), or the report's own year that frames a span printing none.

The grounding engine (`_ground`) and the answer checks (`_answerable`) ask this module before
they compare a figure or a date: a plan states no result, a figure of 上届 is not this year's.
"""

from __future__ import annotations

import re

from ._evidence import Evidence
from ._facts import find_times
from ._fenbie import _clause_before
from ._figure_roles import EVENT_VERB, is_base
from ._normalize import normalise
from ._values import Item

_NUMBER = re.compile(r"\d+(?:\.\d+)?[万亿]*")  # with its magnitude: 1.14亿 is not 1.14万
# a figure or a time said of a plan or a demand (要求…6月底前完工), not of a result
PLAN_WORDS = r"将|计划|预计|目标|力争|有望|拟|预期|要求"
_PLAN = re.compile(PLAN_WORDS)


# A clause that opens with its verb has the subject, and the plan word, of the clause before it
# (我市将投入1.35亿元，实施广陈塘等8条河道综合整治).
_VERB_FIRST = re.compile(rf"{EVENT_VERB}|建设|新建|推进|完成|打造|实现|新增|建成|改造|整治|引进")


def planned(text: str, it: Item) -> bool:
    """The figure is a plan or forecast (将超过500个), not something done. A clause that goes on
    from the one before (今年我市将在去年8600亩的基础上，把…扩大到1.2万亩; 将投入…，实施…8条) takes
    its 将 too."""
    clause = _clause_before(text, it.start)
    start = it.start - len(clause)
    goes_on = clause.lstrip().startswith("把") or _VERB_FIRST.match(clause.lstrip())
    if start > 0 and (goes_on or text[:start].rstrip("，,").endswith("基础上")):
        clause = _clause_before(text, start - 1) + clause
    return _plans(clause)


_DONE = re.compile(r"已|完成|建成|结束|落成|竣工|举行了|开展了")


def clause_of(text: str, it: Item) -> str:
    ends = [e for p in "，,；;。" if (e := text.find(p, it.end)) >= 0]
    return _clause_before(text, it.start) + text[it.start : min(ends, default=len(text))]


def done_as_planned(ct: str, c: Item, ut: str, u: Item) -> bool:
    """The claim says done at a time (已于10月完成) that the report gives to a plan (将在10月开展)."""
    return planned(ut, u) and not planned(ct, c) and bool(_DONE.search(clause_of(ct, c)))


# A plan said as a verb (计划今年增设, 将于, 预计): not the noun (了解企业扩产计划, 目标任务)
_PLANS_TO = re.compile(r"将(?!军)|计划(?![，,。；;的、]|$)|预计|力争|有望|拟(?=[在于将建开设办])")


def _plans(claim: str) -> bool:
    """The claim says a plan; 已将 is 已把 (主办方已将获奖菜品编入…), something done."""
    return bool(_PLAN.search(re.sub(r"已(?:经)?将", "已把", claim)))


def plan_only(claim: str, span: str, words: list[str]) -> bool:
    """The clause of the span that prints the claim's `words` says a plan (协会计划今年在…增设,
    将于…) and the claim (all its parts: 三是…主题，将举办…) says none: it states nothing done. A
    plan elsewhere in the span (a quote's 将依法处理 after 沈国强提醒) does not count."""
    if _plans(claim):
        return False
    unquoted = re.sub(r"“[^”]*”", "", span)
    return any(
        _PLANS_TO.search(clause) and any(w in clause for w in words)
        for clause in re.split(r"[，,；;。]", unquoted)
    )


_DONE_VERB = re.compile(r"已(?:经)?(?:于[^，,。；;]{1,10}?)?(?P<verb>[\u4e00-\u9fff]{2})")


def done_but_planned(fact: str, span: str, claim: str = "") -> str | None:
    """The fact says something is done (…工程已完工, 已于3月启动) that the span prints only in a
    plan's clause (预计明年底完工后…), and the claim says no plan: that clause, else None."""
    if _plans(claim or fact):
        return None
    unquoted = re.sub(r"“[^”]*”", "", span)
    clauses = re.split(r"[，,；;。]", unquoted)
    for m in _DONE_VERB.finditer(fact):
        said = [c for c in clauses if m.group("verb") in c]
        if said and all(_PLANS_TO.search(c) for c in said):
            return said[0]
    return None


def figure_of_another_time(ct: str, ut: str, c_items: list[Item]) -> bool:
    """A figure of the claim is printed in the span after a word for another time than the
    report's, in its own sentence (上届中考，全市普高录取分数线为548分，今年的分数线将于…公布):
    then no other time of the span or the sentence before dates it."""
    dates = [(c.start, c.end) for c in c_items if c.kind in ("date", "year", "day")]
    figures = [m for m in _NUMBER.finditer(ct) if not any(s <= m.start() < e for s, e in dates)]
    return any(
        (at := ut.find(m.group(0))) >= 0 and _of_another_time(ut, at, at + len(m.group(0))) for m in figures
    )


# A span that points to another time than its report's (100年前…当时，…赢得了众议院议长)
ANOTHER_TIME = re.compile(
    # not 此前 / 以往 / 历史上: mostly a comparison's reference (低于此前预期, 历史上首次超过30万辆)
    r"当时|那时|(?:\d+|[一二三四五六七八九十百几多]+)年(?:前|以前|之前)|往届|上一?届|曾经|曾[于在任获是]"
)


_SINCE = re.compile(r"\s*(?:以来|起|开始)")
_PLAN_BEFORE = re.compile(rf"(?:{PLAN_WORDS})(?:是|为|在|于|到|至)?\s*$")
_PLAN_AFTER = re.compile(rf"\s*[^，,；;。]{{0,8}}?(?:{PLAN_WORDS})")
_BY_YEAR = re.compile(r"\s*(?:年?底?前|之前|以前)")
_TO_YEAR = re.compile(r"(?<![截\d一二三四五六七八九十月日号])(?:到|至)\s*$")  # 1至9月 is a range


def _of_another_time(text: str, start: int, end: int) -> bool:
    """The sentence up to text[start:end], from its start, names another time than the
    report's (上届中考，…548分)."""
    begin = max(text.rfind(p, 0, start) for p in "。！？!?；;\n") + 1
    return bool(ANOTHER_TIME.search(text[begin:end]))


def target_time(text: str, start: int, end: int) -> bool:
    """The time at text[start:end] is a target (到2025年, 2026年前, 计划2026年完成…), not the
    time of something done: it frames no figure of what is done now."""
    # the plan word governs the time: 计划2026年 / 预计到2027年 / 2026年将; not a 目标 elsewhere in
    # the clause (2022年经济增速远低于…制定的目标 dates the growth)
    return bool(
        _BY_YEAR.match(text, end)
        or _TO_YEAR.search(text[:start])
        or _PLAN_BEFORE.search(text[max(0, start - 6) : start])
        or _PLAN_AFTER.match(text, end)
    )


def report_year(ev: Evidence) -> int | None:
    """The year the report is dated in, or None when it is undated."""
    return int(ev.date[:4]) if ev.date and ev.date[:4].isdigit() else None


def framing_year(ev: Evidence) -> int | None:
    """The year that frames a span printing none: the one year its article prints (headline and
    body, bases of comparisons aside) and is dated in. None when the article prints none,
    several, a relative one (今年, 去年), one that starts a period (自2022年以来) or sets a target
    (到2025年, 2026年前, 计划2026年…), or when the span or the sentence before it points to
    another time (当时, 100年前, 上届)."""
    if ANOTHER_TIME.search(normalise(f"{ev.context}\n{ev.text}")):
        return None
    whole = normalise(f"{ev.context}\n{ev.article_text or ev.text}")
    # a dated report speaks of its own year too (目前全市共有…): the printed year must be it
    own = report_year(ev)
    years = {own} if own is not None else set()
    for t in find_times(whole):
        if t.frequency or is_base(whole, t.start):
            continue
        if (t.year_offset is not None and t.year is None) or _SINCE.match(whole, t.end):
            return None  # 今年 undated; 自2022年以来 starts a period: neither says the span's year
        if target_time(whole, t.start, t.end):
            return None
        if t.year is not None:
            years.add(t.year)
    return years.pop() if len(years) == 1 else None
