"""分别 sentences: "A、B分别X和Y" gives X to A and Y to B.

News prints the figures of several subjects in one sentence with 分别 (长、宽、高分别为4440mm、
1840mm…), so a claim about one subject must meet its own value, not the list. These rules read
each subject's view of such a sentence, the figures after 分别 in print order, and the rest of
the sentence, which is checked like any fact; the engine (`_ground.align`) aligns a 分别 claim
with a 分别 span side by side through them.
"""

from __future__ import annotations

import itertools
import re

from . import _slots as slots
from ._evidence import Alignment, _say
from ._facts import detect_language
from ._measures import measure_word
from ._values import Item, consistent, items

_FENBIE = re.compile(
    r"(?P<subj>[\u4e00-\u9fffA-Za-z0-9（）()]{2,20}(?:[、和与及][\u4e00-\u9fffA-Za-z0-9（）()]{2,20})+)"
    r"(?P<sep>[，,]?)分别(?P<rest>[^，,。；;！？!?]*)"
)
# 排在前列的是当湖街道、独山港镇和新埭镇，分别新建…: words before the first subject that are no part of it
_LEAD_IN = re.compile(r"^.*(?:是|为|有|的|：|:)(?=[\u4e00-\u9fff]{2})")


# …活动412场，参与读者5.6万人次，同比分别增长18%和23%: the figures after 分别 go to the clauses before
_FENBIE_AFTER = re.compile(r"(?P<head>[^，,。；;！？!?]{0,8})分别(?P<rest>[^，,。；;！？!?]*)")


def _after_listed(text: str) -> list[tuple[str, str]]:
    """ "A a，B b，同比分别增长X和Y" read as "A a，同比增长X" and "B b，同比增长Y": the subject of each
    is the last noun of its clause before its figure (读者 of 参与读者5.6万人次)."""
    views: list[tuple[str, str]] = []
    for m in _FENBIE_AFTER.finditer(text):
        values = [it for it in items(m.group("rest")) if it.kind.startswith("qty:")]
        n = len(values)
        start = max((x.end() for x in _CLAUSE_MARK.finditer(text, 0, m.start())), default=0)
        # A、B分别…: the list is the subjects (`fenbie_views` reads it), however long its names are
        # (案件数和广告牌数同比分别下降)
        said = text[start : m.start("rest")]
        if n < 2 or re.search(r"[\u4e00-\u9fff]{2}[、和与及][\u4e00-\u9fff]{2}", said):
            continue
        if start == 0:
            continue
        before = text[: start - 1]
        cuts = [0, *(x.end() for x in re.finditer(r"[，,；;、]", before))]
        if len(cuts) < n:
            continue
        clauses = [before[a:b].rstrip("，,；;、") for a, b in itertools.pairwise([*cuts[-n:], len(before)])]
        figures = [[it for it in items(c) if it.kind.startswith("qty:")] for c in clauses]
        if any(len(f) != 1 for f in figures):
            continue
        heads = [c[: f[0].start] for c, f in zip(clauses, figures, strict=True)]
        subjects = [_subject(h) for h in heads]
        if len(set(subjects)) < n:
            # 工业用电量…，居民生活用电量…: one measure of two things, each named by its whole words
            subjects = [re.sub(r"(?:为|达到?|是|约|共|计)$", "", h) for h in heads]
        if not all(subjects) or len(set(subjects)) < n:
            continue
        rest = m.group("rest")
        head, tail = rest[: values[0].start], rest[values[-1].end :]
        lead = before[: cuts[-n]]
        # 计划清淤河道120公里、土方104万立方米: a 、-list shares the first item's words before its noun
        shared = clauses[0][: clauses[0].find(subjects[0] or "")]
        for i, (subject, clause, value) in enumerate(zip(subjects, clauses, values, strict=True)):
            said = f"{m.group('head')}{head}{value.text}{tail}"
            joined = i and before[cuts[-n + i] - 1] == "、"
            views.append(
                (subject or "", f"{lead}{shared if joined else ''}{clause}，{said}{text[m.end() :]}")
            )
    return views


# “稻香里”“半亩塘”“溪谷小院”暑期营业收入分别为68万元、52万元和47万元: quoted names side by side
_FENBIE_QUOTED = re.compile(
    r'(?P<subj>(?:["“][^"“”]{1,12}["”][、和与及]?){2,})(?P<shared>[^，,。；;！？!?"“”]{0,12}?)'
    r"分别(?P<rest>[^，,。；;！？!?]*)"
)


def _quoted_views(text: str) -> list[tuple[str, str]]:
    views: list[tuple[str, str]] = []
    for m in _FENBIE_QUOTED.finditer(text):
        subjects = re.findall(r'["“]([^"“”]{1,12})["”]', m.group("subj"))
        rest = m.group("rest")
        values = [it for it in items(rest) if it.kind.startswith(("qty:", "date"))]
        if len(values) != len(subjects):
            continue
        head, tail = rest[: values[0].start], rest[values[-1].end :]
        for subject, value in zip(subjects, values, strict=True):
            one = (
                f"{text[: m.start()]}“{subject}”{m.group('shared')}{head}{value.text}{tail}{text[m.end() :]}"
            )
            views.append((subject, one))
    return views


def fenbie_views(text: str) -> list[tuple[str, str]]:
    """ "A、B分别X和Y" read as "A…X" and "B…Y": [(subject, the sentence with only its value)];
    also "A a，B b，同比分别增长X和Y" (`_after_listed`) and quoted names side by side."""
    views: list[tuple[str, str]] = _after_listed(text) + _quoted_views(text)
    for m in _FENBIE.finditer(text):
        subjects = re.split(r"[、和与及]", m.group("subj"))
        lead = ""
        if m.group("sep") and (cut := _LEAD_IN.match(subjects[0])):
            lead, subjects[0] = cut.group(0), subjects[0][cut.end() :]
        # 案件数和网具数同比分别下降22%和35%: 同比 qualifies every figure, it names no subject
        said_of = re.search(r"(?:同比|环比)$", subjects[-1])
        if said_of and len(subjects[-1]) > len(said_of.group(0)) + 1:
            subjects[-1] = subjects[-1][: said_of.start()]
        subjects, shared = _shared_tail(subjects)
        shared += said_of.group(0) if said_of else ""
        rest = m.group("rest")
        values = [it for it in items(rest) if it.kind.startswith(("qty:", "date"))]
        if not values and (ranked := _PLACES.search(rest)):
            # 乍浦镇、钟埭街道代表队分别位列第二、第三: places alone, each subject its own
            ranks = re.findall(r"第?[一二三四五六七八九十\d]+名?", ranked.group(0))
            if len(ranks) == len(subjects) >= 2:
                for subject, rank in zip(subjects, ranks, strict=True):
                    rank = rank if rank.startswith("第") else f"第{rank}"
                    said = f"{m.group('sep')}{rest[: ranked.start()]}{rank}{rest[ranked.end() :]}"
                    views.append(
                        (subject, f"{text[: m.start()]}{lead}{subject}{shared}{said}{text[m.end() :]}")
                    )
            continue
        if len(values) != len(subjects) or len(subjects) < 2:
            continue
        head, tail = rest[: values[0].start], rest[values[-1].end :]
        places = _PLACES.search(tail)
        ranks = re.findall(r"第?[一二三四五六七八九十\d]+", places.group(0)) if places else []
        for i, (subject, value) in enumerate(zip(subjects, values, strict=True)):
            own = tail
            if places and len(ranks) == len(subjects):  # 位列第一、第二: each its own place
                rank = ranks[i] if ranks[i].startswith("第") else f"第{ranks[i]}"
                own = f"{tail[: places.start()]}{rank}{tail[places.end() :]}"
            said = f"{m.group('sep')}{head}{value.text}{own}"
            one = f"{text[: m.start()]}{lead}{subject}{shared}{said}{text[m.end() :]}"
            views.append((subject, one))
    return views


_PLACES = re.compile(r"第[一二三四五六七八九十\d]+名?(?:[、和]第?[一二三四五六七八九十\d]+名?)+")


def _subject(clause: str) -> str | None:
    """What a clause before its figure counts: its last noun (读者 of 参与读者), else its last word."""
    words = [w for w, _ in slots.terms(clause) if len(w) >= 2]
    return measure_word(clause) or (words[-1] if words else None)


def _shared_tail(subjects: list[str]) -> tuple[list[str], str]:
    """当湖街道、钟埭街道的任务分别为…: the last subject holds the words all share (的任务); cut them
    off where the others end (街道), so each subject is its name: (subjects, the shared words)."""
    if len(subjects) < 2:
        return subjects, ""
    *others, last = subjects
    kind = re.search(r"类[\u4e00-\u9fff]{1,3}?(?=(?:仍|均|都)?(?:居|位居|位列|排|占|为)|$)", last)
    if kind and kind.start() >= 2 and not any("类" in o for o in others):
        # 刷单返利、虚假投资理财、冒充…客服类诈骗(仍居前三位): the last item's 类诈骗 is every item's kind
        return [*others, last[: kind.start()]], last[kind.start() :]
    for n in (2, 1):
        ends = {o[-n:] for o in others}
        if len(ends) == 1 and len(others[0]) > n:
            at = last.find(next(iter(ends)))
            if at >= 0 and at + n < len(last):
                return [*others, last[: at + n]], last[at + n :]
            break
    return subjects, ""


def _core(subject: str) -> str:
    """网具 of 网具数, 案件 of 案件数: a count's thing without the word that makes it a count."""
    return subject[:-1] if len(subject) >= 3 and subject[-1] in "数量" else subject


def _named_in(subject: str, text: str) -> bool:
    return subject in text or _core(subject) in text


def _view(ct: str, ut: str, whole: str = "") -> str:
    """The span as the claim's subject reads it: one side of a 分别 sentence. `whole`: the claim
    a part was split from (同比增长18% of …参与读者5.6万人次，同比增长18%), whose subject it keeps."""
    if "分别" in ct:
        return ut
    views = [v for subject, v in fenbie_views(ut) if subject and _named_in(subject, ct)]
    if not views and whole:
        # the subject named last before the part (…非遗展演吸引观众9.8万人次，同比增长15%: 观众)
        at = whole.find(ct) if ct in whole else len(whole)
        named = [
            (whole.rfind(_core(s), 0, at), v) for s, v in fenbie_views(ut) if s and _named_in(s, whole[:at])
        ]
        views = [max(named)[1]] if named else []
    return views[0] if len(views) == 1 else ut


_FENBIE_TAIL = re.compile(r"分别[^，,。；;！？!?（(]*")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_CLAUSE_MARK = re.compile(r"[，,；;。：:]")


def _after_fenbie(text: str) -> list[Item]:
    m = _FENBIE_TAIL.search(text)
    return [it for it in items(m.group(0))] if m else []


def _fenbie_order(ct: str, ut: str) -> tuple[str, str] | None:
    """The figures after 分别, in print order, when both sentences list as many but not the
    same (长、宽、高分别为4440mm、1840mm… with two swapped; 第25、26位 as 第26、25位): figures
    the value parser does not read (mm, ranks, impossible dates) still have an order."""
    ours = _FENBIE_TAIL.search(ct)
    if not ours:
        return None
    a = _DIGITS.findall(ours.group(0))
    head = slots.terms(_clause_before(ct, ours.start()))
    for theirs in _FENBIE_TAIL.finditer(ut):  # the span's 分别 clause about the same things
        b = _DIGITS.findall(theirs.group(0))
        if len(a) < 2 or len(a) != len(b) or a == b:
            continue
        if _skeleton(ours.group(0)) != _skeleton(theirs.group(0)):
            continue  # 分别增长5.2%和37.8% is not 分别进出口2260.7亿元和1379.8亿元
        if head and slots.coverage(head, _clause_before(ut, theirs.start())) < 0.75:
            continue  # another list of things
        return "、".join(a), "、".join(b)
    return None


def _skeleton(text: str) -> str:
    return _DIGITS.sub("", text).replace(" ", "")


def _clause_before(text: str, end: int) -> str:
    start = max((m.end() for m in _CLAUSE_MARK.finditer(text, 0, end)), default=0)
    return text[start:end]


def _outside_fenbie(text: str) -> str:
    """The sentence without the values its 分别 binds (nor the word): what the rest states
    (the year, the subjects, figures in brackets, 增长 or 下降) is checked like any fact."""
    m = _FENBIE_TAIL.search(text)
    if not m:
        return text
    tail = m.group(0)
    for it in sorted(items(tail), key=lambda it: -it.start):
        tail = tail[: it.start] + tail[it.end :]
    tail = _DIGITS.sub("", tail)
    return text[: m.start()] + tail[len("分别") :] + text[m.end() :]


def _fenbie_in_order(ct: str, ut: str) -> Alignment | None:
    """The values after 分别, in order, when the subjects could not be paired one by one
    (采矿和采石业、制造业…): the n-th value of the claim against the n-th of the span."""
    ours, theirs = _after_fenbie(ct), _after_fenbie(ut)
    if (
        len(ours) < 2
        or len(ours) != len(theirs)
        or any(a.kind != b.kind for a, b in zip(ours, theirs, strict=True))
    ):
        return None
    head = ct[: ct.find("分别")]
    if head.strip("，, ") and slots.coverage(slots.terms(head), ut) < 0.75:
        return None  # another list of things
    out = Alignment("supported")
    for a, b in zip(ours, theirs, strict=True):
        if consistent(a, b):
            out.agrees.append(a.text)
        else:
            out.diffs.append(_say(detect_language(ct) != "en", "diff", c=a.text, a=b.text))
    return out
