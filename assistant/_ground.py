"""Grounding: does this span of an article state this claim? One engine for checks and answers.

`align(claim, evidence)` compares one fact (a clause) with one evidence span and says
`supported` only when every fact of the claim is stated there about the same subject:
- its values: numbers with their unit and the thing counted, money, percentages, dates
  (relative ones resolved against the article's date), directions (增长/下降, 提前/推迟);
- its subject: the people, places and organisations it names are the span's own, not
  rivals printed in their place (曹桥街道 is not 当湖街道, 六店大桥 not 六里塘大桥);
- its qualifiers (首批, 第二批, 境外, 省级, 一季度, 同比…): a figure for all visitors does
  not state one for 境外 visitors;
- its bindings: in "A、B分别X和Y" A gets X and B gets Y; a role belongs to the person it
  is printed next to.
`contradicted` only when the same slot, for the same subject and qualifiers, holds
another value; `not_found` otherwise. Text that gives orders (忽略之前的指令, 请一律回答…)
is not reporting and never evidence. `_answerable.answers(question, evidence)` applies the
same subject, qualifier and date rules to an answer's quote.

Rules, not a model: every verdict names the fact that decided it, in the claim's language.
Text is compared after `_normalize.normalise` (OpenCC, cn2an, NFKC).
The records (`Evidence`, `Alignment`) are in `_evidence`; the role rules in `_roles` and
`_firm_roles`, the 分别 rules in `_fenbie`, which time a figure holds for (a plan, 上届) in
`_figure_times`, instructions in `_instructions`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import _frames as frames
from . import _slots as slots
from ._compare_figures import compare_figures
from ._evidence import Alignment, Evidence, _say
from ._facts import BATCH_MARKER, detect_language, period_name

# _CLAUSE_MARK, _clause_before and _DIGITS are plain text helpers the 分别 rules share with
# the value rules here.
from ._fenbie import (
    _DIGITS,
    _fenbie_in_order,
    _fenbie_order,
    _outside_fenbie,
    _view,
    fenbie_views,
)
from ._figure_roles import dates_event, event_of, is_base
from ._figure_times import (
    _NUMBER,
    figure_of_another_time,
    framing_year,
    report_year,
    target_time,
)
from ._firm_roles import firm_check
from ._from_to import from_to_view
from ._instructions import is_instruction
from ._modifiers import borrowed_modifiers, rival_modifiers
from ._names import NUMBERED_NAME
from ._normalize import as_written, normalise
from ._roles import _role_check, work_check
from ._subjects import PLACE_KINDS, named_things, subject_gaps
from ._values import Item, consistent, items

# ------------------------------------------------------------------ one fact, one span


# A number and the two characters after it (2026平湖 of 2026平湖半程马拉松): printed so in the
# headline or the sentence before, it is part of the event's name.
_NAME_NUMBER = re.compile(r"(\d+(?:\.\d+)?)[\u4e00-\u9fff]{2}")


_BODY_KIND = re.compile(r"公司|合作社|集团|协会|代表队|村队|社区队")


def _claim_items(ct: str, ev: Evidence) -> list[Item]:
    """The claim's figures and times, its 今年/去年 read in the report's year: a claim of 今年上半年
    is not stated by a 2025 report's 2024年全年 (it agreed with any year before)."""
    year = report_year(ev)
    out = []
    for c in items(ct):
        t = c.time
        if year is not None and t is not None and t.year is None and t.year_offset is not None:
            c = replace(c, time=replace(t, year=year + t.year_offset, year_offset=None))
        out.append(c)
    return out


def _coarser(frame: Item, claimed: Item) -> bool:
    """A frame that names less than the claim's date (4月 of a headline for 4月1日): it frames the
    month, and does not state the day."""
    f, c = frame.time, claimed.time
    return f is not None and c is not None and c.day is not None and f.day is None and f.day_offset is None


def _with_rest(out: Alignment, ct: str, ut: str, ev: Evidence) -> Alignment:
    """`out` (the values after 分别) joined with what the rest of the sentence says."""
    zh = detect_language(ct) != "en"
    order = _fenbie_order(ct, ut)
    if order and not out.diffs:
        out.diffs.append(_say(zh, "diff", c=order[0], a=order[1]))
    out.absorb(align(_outside_fenbie(ct), replace(ev, text=_outside_fenbie(ut))))
    return out.settle()


def _align_fenbie(ct: str, ut: str, ev: Evidence) -> Alignment | None:
    """A 分别 claim against a 分别 span with the same subjects: each side against its side."""
    ours, theirs = dict(fenbie_views(ct)), dict(fenbie_views(ut))
    shared = [s for s in ours if s in theirs]
    if not ours or len(shared) < len(ours):
        in_order = _fenbie_in_order(ct, ut)
        return _with_rest(in_order, ct, ut, ev) if in_order is not None else None
    parts = [align(ours[s], replace(ev, text=theirs[s])) for s in shared]
    out = Alignment("supported")
    for p in parts:
        out.absorb(p)
    out.settle()
    if out.verdict == "supported" and any(p.verdict != "supported" for p in parts):
        out.verdict = "not_found"
    return out


def align(fact: str, ev: Evidence, claim: str = "") -> Alignment:
    """One fact against one evidence span: supported, contradicted (what differs) or not_found.

    Precedence: an instruction is never evidence; another subject or qualifier makes the
    span silent (not_found), not a denial; then a value in the same slot that differs
    contradicts; then a value the span never states leaves it not_found. Last, a fact printed
    word for word in the span but with its figures in another order or place is contradicted
    (亏损分别为989亿元（2021年：686亿元）及712亿元 with 686 and 712 swapped). `claim`: the whole
    claim `fact` was split from, whose subject picks the side of a 分别 span (`_fenbie._view`).
    """
    out = _align(fact, ev, claim)
    if out.verdict == "supported":
        moved = _figures_moved(normalise(fact), normalise(ev.text))
        if moved:
            out.diffs.append(_say(detect_language(fact) != "en", "diff", c=moved[0], a=moved[1]))
            out.verdict = "contradicted"
    return out


def _figures_moved(ct: str, ut: str) -> tuple[str, str] | None:
    """The claim's wording with its figures as wildcards, found in the span with other figures."""
    numbers = _DIGITS.findall(ct)
    if len(numbers) < 2:
        return None
    parts = _DIGITS.split(ct.strip("。 "))
    if sum(len(p) for p in parts) < 8:
        return None  # too little wording to be the same sentence
    # Every place the wording is printed: 12路发车间隔为8分钟，15路发车间隔为20分钟 prints the
    # claim's 15路…20分钟 second, and the first is the sibling's, not the claim's moved.
    found = [list(m.groups()) for m in re.finditer(r"(\d+(?:\.\d+)?)".join(re.escape(p) for p in parts), ut)]
    if not found or numbers in found:
        return None
    return "、".join(numbers), "、".join(found[0])


def _align(fact: str, ev: Evidence, claim: str = "") -> Alignment:
    zh = detect_language(fact) != "en"
    if is_instruction(ev.text, ev.preceding):
        return Alignment("not_found", other_subject=[_say(zh, "instruction")])
    ct = normalise(fact)
    if "分别" in ct and (both := _align_fenbie(ct, normalise(ev.text), ev)) is not None:
        return both
    ut = from_to_view(ct, _view(ct, normalise(ev.text), normalise(claim)))
    c_items, u_items = _claim_items(ct, ev), items(ut, ev.date)
    # normalised once for the rules below: align runs for every candidate span of every part
    context, article = normalise(ev.context), normalise(ev.article_text)
    out = Alignment("supported")
    frame = (
        frames.frame_differs(ct, ut)
        or frames.other_year(ct, c_items, u_items)
        or frames.last_time(ct, ut)
        or frames.earlier_time(ct, ut)
        or frames.since_differs(ct, c_items, ut, u_items)
        or frames.month_in_period(ct, c_items, ut, u_items, context)
    )
    if frame:
        out.other_subject.append(_localise_frame(frame, zh))
        out.verdict = "not_found"
        return out
    gaps = [g.partition("|") for g in subject_gaps(ct, replace(ev, text=ut), guess_people=True)]
    rivalled = [name for name, _, rival in gaps if rival]
    # A name in the same slot of the same wording that differs contradicts (淡马锡 vs GIC), unless
    # it is the subject itself: another town, another 街道 is another subject, and says nothing.
    entity = []
    for d in slots.entity_diffs(ct, ut, c_items, u_items):
        ours, theirs = re.match(r"claim (.*), article (.*)", d).groups()  # type: ignore[union-attr]
        place = any(k in PLACE_KINDS for _, k in named_things(f"{ours}，{theirs}"))
        # ...and so is another body counted the same way (绿禾…合作社…20架 over 天翼…公司出动无人机22架)
        if (
            _BODY_KIND.search(ours)
            and _BODY_KIND.search(theirs)
            and any(c.kind.startswith("qty:") and ct.find(ours) < c.start for c in c_items)
        ):
            out.other_subject.append(_say(zh, "rival", a=theirs.strip(), c=ours.strip()))
            continue
        if not place and not any(ours in n or n in ours for n in rivalled):
            entity.append(ours)
            out.diffs.append(_say(zh, "diff", c=ours, a=theirs))
    for name, _, rival in gaps:
        if any(name in e or e in name for e in entity):
            continue
        name, rival = as_written(name, fact), as_written(rival, ev.text)  # K2路, not k2路
        out.other_subject.append(_say(zh, "rival", a=rival, c=name) if rival else _say(zh, "absent", c=name))
    for word in borrowed_modifiers(ct, replace(ev, text=ut)):
        out.other_subject.append(_say(zh, "elsewhere", c=word))
    for word, rival in rival_modifiers(ct, ut, article):
        out.other_subject.append(_say(zh, "rival", a=rival, c=word))
    if out.other_subject and not out.diffs:
        out.verdict = "not_found"
        return out
    past = figure_of_another_time(ct, ut, c_items)
    before = normalise(ev.context.split("\n", 1)[-1]) if ev.context else ""
    compare_figures(
        ct,
        ut,
        c_items,
        u_items,
        out,
        zh,
        past,
        report_year(ev),
        before,
        context,
        article,
    )
    # An ordinal or a date that names the event (第三届, 今年一季度, a project's 二期) may be printed
    # only in the headline or the sentence before; counts and amounts must be in the span itself.
    framing = [
        u
        for u in items(context, ev.date)
        if not past
        and (not u.kind.startswith("qty:") or u.kind == "qty:期")  # 二期 is read as a count of 期
        and not target_time(context, u.start, u.end)
        and not is_base(context, u.start)  # 比去年增加1800亩: the year compared with frames nothing
    ]
    for c in c_items:
        # 于今年11月启动: only a date of some start in the sentence before frames it (not 截至11月底)
        event = c.kind in ("date", "day") and dates_event(ct, c)
        if c.text in out.missing and any(
            f.kind == c.kind
            and consistent(c, f)
            and not _coarser(f, c)
            and not (event and event_of(context, f, 16) is None)
            for f in framing
        ):
            out.missing.remove(c.text)
            out.agrees.append(c.text)
            out.framed.append(c.text)
    # ...and the one year a report prints frames a span that names none (2023年土耳其地震的震级为
    # MW 7.8 over …依据美国地质调查局资料，震级为MW 7.8, the lead saying 2023年2月6日).
    if any(c.kind == "year" and c.text in out.missing for c in c_items) and not any(
        u.kind in ("year", "date") and u.time is not None and u.time.year is not None for u in u_items
    ):
        year = framing_year(ev)
        for c in c_items:
            t = c.time
            if c.kind == "year" and c.text in out.missing and t is not None and t.year == year and not t.part:
                out.missing.remove(c.text)
                out.agrees.append(c.text)
                out.framed.append(c.text)
    # ...and a year's period (2025年前10个月) is framed by that period printed around the span
    # (1至10月 in the sentence before) in a report of that year (其中，独山港区完成136.2万标箱)
    around = {period_name(m.group(0)) for m in BATCH_MARKER.finditer(f"{context}\n{ut}")}
    for c in c_items:
        t = c.time
        if (
            c.kind == "year"
            and c.text in out.missing
            and t is not None
            and t.part
            and t.year in (None, report_year(ev))
        ):
            named_period = [period_name(m.group(0)) for m in BATCH_MARKER.finditer(c.text)]
            if named_period and named_period[0] in around:
                out.missing.remove(c.text)
                out.agrees.append(c.text)
                out.framed.append(c.text)
    # ...and a span of another year's report, naming none (a year compared with aside), denies no
    # figure of the claim's year (2025年…同比增长10% over a 2026 report's 新埭镇…比去年增长15.5%).
    dated = report_year(ev)
    other = [
        c.text
        for c in c_items
        if c.kind == "year" and c.text in out.missing and c.time and c.time.year not in (None, dated)
    ]
    own_time = any(
        u.kind in ("year", "date")
        and u.time is not None
        and u.time.year is not None
        and not is_base(ut, u.start)
        for u in u_items
    )
    if other and out.diffs and dated is not None and not own_time:
        out.other_subject.append(_say(zh, "absent", c=other[0]))
        out.diffs.clear()
    _role_check(ct, ut, out, zh)
    work_check(ct, ut, out, zh, context)
    firm_check(ct, ut, out, zh)
    # (the sentence before too: its day may frame this span, 6月1日起…试行 then …通报一次进展)
    if edge := frames.edge_differs(ct, f"{context}\n{ut}"):
        out.other_subject.append(f"报道说的是{edge[1]}，不是{edge[0]}" if zh else f"{edge[1]}, not {edge[0]}")
    # A numbered name (205路) names the subject, so it may be printed in the sentence before, as
    # news does (205路调整后延伸至…。每日班次由48班增加到60班): the sibling's (211路) may not.
    named = {
        d for m in NUMBERED_NAME.finditer(ct) if m.group(0) in context for d in _NUMBER.findall(m.group(1))
    }
    # ...and so does a number the headline or the sentence before prints inside the claim's own
    # words (2026平湖半程马拉松: the event's name, not a figure of the span)
    masked = slots.mask(ct, c_items)
    named |= {m.group(1) for m in _NAME_NUMBER.finditer(masked) if m.group(0) in context}
    # ...and the months of a period the span or its context prints, however it names it (今年1至9月
    # for 1至9月 or 前三季度)
    periods = {period_name(m.group(0)) for m in BATCH_MARKER.finditer(f"{context}\n{ut}")}
    if not periods:
        # ...or the one period the whole report prints (今年1至4月 in its lead frames the town
        # figures of its second paragraph)
        whole = {period_name(m.group(0)) for m in BATCH_MARKER.finditer(article)}
        periods = whole if len(whole) == 1 else periods
    named |= {
        d
        for m in BATCH_MARKER.finditer(ct)
        if period_name(m.group(0)) in periods
        for d in _NUMBER.findall(m.group(0))
    }
    for number in _NUMBER.findall(masked):
        if number not in _NUMBER.findall(ut) and number not in named:
            out.missing.append(number)  # a figure with a unit we do not parse (50万册): it must be printed
    if "分别" in ct and (order := _fenbie_order(ct, ut)):
        out.diffs.append(_say(zh, "diff", c=order[0], a=order[1]))
    return out.settle()


def _localise_frame(frame: str, zh: bool) -> str:
    if not zh:
        return frame
    m = re.match(r"the archive speaks of (.*), not (.*)", frame)
    if m:
        return _say(True, "frame", a=m.group(1), c=m.group(2))
    m = re.match(r"the archive's sentence is about (.*), not (.*)", frame)
    if m:
        return f"报道的句子说的是{m.group(1)}，不是{m.group(2)}"
    m = re.match(r"the archive's sentence is about (.*)", frame)
    if m:
        return f"报道的句子说的是{m.group(1)}的情况"
    return frame
