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
from ._bindings import _bound_place, bound_person, bound_thing
from ._evidence import Alignment, Evidence, _say
from ._facts import BATCH_MARKER, detect_language, find_directions, period_name

# _CLAUSE_MARK, _clause_before and _DIGITS are plain text helpers the 分别 rules share with
# the value rules here.
from ._fenbie import (
    _CLAUSE_MARK,
    _DIGITS,
    _clause_before,
    _fenbie_in_order,
    _fenbie_order,
    _outside_fenbie,
    _view,
    fenbie_views,
)
from ._figure_roles import dates_event, event_of, is_base
from ._figure_times import (
    _NUMBER,
    ANOTHER_TIME,
    clause_of,
    done_as_planned,
    figure_of_another_time,
    framing_year,
    planned,
    report_year,
    target_time,
)
from ._firm_roles import firm_check
from ._from_to import from_to_view
from ._instructions import is_instruction
from ._measures import measure_unsaid, share_or_change, verb_unsaid
from ._names import NUMBERED_NAME
from ._normalize import as_written, normalise
from ._roles import _role_check, work_check
from ._subjects import PLACE_KINDS, borrowed_modifiers, named_things, rival_modifiers, subject_gaps
from ._values import Item, as_priced, consistent, items, same_rate

# ------------------------------------------------------------------ one fact, one span


# A number and the two characters after it (2026平湖 of 2026平湖半程马拉松): printed so in the
# headline or the sentence before, it is part of the event's name.
_NAME_NUMBER = re.compile(r"(\d+(?:\.\d+)?)[\u4e00-\u9fff]{2}")


_PER = re.compile(r"每[^，,。；;]{0,6}$")
_LEARNED = re.compile(r"(?:上午|下午|晚上|晚间)?(?:从|在|自)[^，,。；;]{1,30}?(?:获悉|了解到|得知|获知)")
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


_TOTAL = re.compile(
    r"(?:[两二三四五六七八九十几多]|\d+)个?大?(?:园区|港区|镇|街道|乡|村|地|区|县|市|家|所|校|部门|单位|企业|方)"
    r"(?:共|合计|总计|共计|一共|累计)"
)


def _total_of_several(ut: str, u: Item, ct: str = "") -> str | None:
    """The collective subject printed just before the figure (两镇共 in 两镇共投入资金95万元), or a
    list the figure sums (带动住宿、餐饮、零售等消费约5800万元) when the claim names one of its items
    (餐饮消费约2000万元) and not the others."""
    found = list(_TOTAL.finditer(ut, max(0, u.start - 14), u.start))
    if found:
        return found[-1].group(0)
    clause = re.split(r"[，,。；;]", ut[: u.start])[-1]
    if ct and (listed := _LISTED.search(clause)):
        named = [w for w in re.split(r"[、和与及]", listed.group("items")) if w and w in ct]
        if named and len(named) < len(re.split(r"[、和与及]", listed.group("items"))):
            return listed.group(0)
    return None


# A list a figure sums: 住宿、餐饮、零售等
_LISTED = re.compile(r"(?P<items>[\u4e00-\u9fff]{1,6}(?:[、和与及][\u4e00-\u9fff]{1,6})+)等")


_GROUP_EDGE = re.compile(r"(?:及)?(?:以上|以下|以内)")


def _age_group(text: str, it: Item) -> str | None:
    """The age group an age figure names (60至79周岁, 80周岁以上), as printed, or None for one
    person's age (今年85岁)."""
    if it.kind != "qty:岁":
        return None
    edge = _GROUP_EDGE.match(text, it.end)
    if edge:
        return text[it.start : edge.end()]
    return it.text if re.search(r"[至到~\-—]", it.text) else None


def _values(
    ct: str,
    ut: str,
    c_items: list[Item],
    u_items: list[Item],
    out: Alignment,
    zh: bool,
    past: bool = False,
    own_year: int | None = None,
    before: str = "",
    context: str = "",
    article: str = "",
) -> None:
    """Each claim figure against the span's in its slot (`out` gathers what agrees, differs or is
    missing). `before`: the article's words before the span since its context starts (the
    clauses of a ；-list before it); `context`: the span's context (the sentence before, the
    headline), normalised."""
    placed: list[tuple[Item, Item]] = []  # claim figure -> the span's figure in its slot
    times: list[str] = []  # the differences that are of a date or year
    counts = any(c.kind.startswith("qty:") for c in c_items)  # a figure a date may be said to date
    for c in c_items:
        if edge := frames.edge_slot(ct, c, c_items, ut, u_items):
            if edge[1]:  # 今年以来 over 今年1月以来: one day opens both periods, however printed
                placed.append((c, edge[0]))
                out.agrees.append(f"{c.text} = {edge[0].text}" if c.text != edge[0].text else c.text)
                continue
        u = edge[0] if edge else slots.slot(ct, c, ut, u_items)
        if u is not None and c.kind.startswith("qty:") and planned(ut, u) != planned(ct, c):
            # 到2028年将建成12个，目前已建成7个 for 目前已建成12个: the figure done so far is its slot
            # (not a rate: 按照每亩次补助12元的标准 is no amount done, 259万元 planned)
            same = [
                x
                for x in u_items
                if not x.kind.startswith("qty:")
                or (planned(ut, x) == planned(ct, c) and not _PER.search(ut[max(0, x.start - 8) : x.start]))
            ]
            done = slots.slot(ct, c, ut, same)
            u = done if done is not None and slots.label_said(ct, ut, done) else u  # 建成 said both times
        if (
            past
            and u is not None
            and c.kind in ("date", "year", "day")
            and not ANOTHER_TIME.search(_clause_before(ut, u.end) + _CLAUSE_MARK.split(ut[u.end :], 1)[0])
        ):
            u = None  # see figure_of_another_time: a time in the clause naming the other time may date it
        if u is not None and c.kind in ("date", "year", "day") and _LEARNED.match(ut, u.end):
            u = None  # 记者昨天从…获悉: the day the reporter learned it, not the figure's time
        if u is not None and c.kind == "year" and c.time and c.time.part and u.kind in ("date", "day"):
            # 2025年前10个月 against 10月单月 or 昨天: a day or a month is no period of months
            out.other_subject.append(_say(zh, "frame", a=u.text, c=c.text))
            continue
        if u is not None:
            placed.append((c, u))
        named = u is not None and slots.same_name(ct, c, ut, u)  # 天舟九号: a name, not a figure
        if u is not None and c.kind.startswith("qty:") and not named and planned(ut, u) != planned(ct, c):
            u = None  # a plan does not state a result, nor a result a plan
        if (
            u is not None
            and c.kind in ("date", "year")
            and counts
            and (c.time is None or c.time.year != own_year)
            and target_time(ut, u.start, u.end) > target_time(ct, c.start, c.end)
        ):
            # 计划2026年前完成，目前已完成15座: the plan's year is not when the 15 were done (a date of
            # the event itself, or the report's own year, still is)
            u = None
        if u is not None and c.kind in ("date", "year") and done_as_planned(ct, c, ut, u):
            # 已于10月完成督查 over 两部门将在10月开展督查: the report plans it, it does not say it is done
            plan = clause_of(ut, u)
            out.other_subject.append(f"报道说的是计划：{plan}" if zh else f"the report states a plan: {plan}")
            continue
        total = _total_of_several(ut, u, ct) if u is not None else None
        if u is None:
            out.missing.append(c.text)
        elif total and not _TOTAL.search(ct) and not re.search(r"合计|总计|共计|一共|[、和与及]", ct):
            # 两镇共投入95万元 is both towns together: it does not state one town's figure.
            out.other_subject.append(
                f"报道的{u.text}是{total}合计" if zh else f"the archive's {u.text} is a total ({total})"
            )
        elif c.kind.startswith("qty:") and (frame := frames.figure_frame_differs(ct, c, ut, u)):
            # 营收55.8亿元 is not supported by 经营利润为亏损55.8亿元: the span says nothing of 营收.
            out.other_subject.append(_say(zh, "measure", c=u.text, a=frame[0], o=frame[1]))
        elif c.kind == "qty:岁" and not consistent(c, u) and (_age_group(ct, c) or _age_group(ut, u)):
            # 60至79周岁老人每餐补贴3元 over 80周岁以上老人…: an age group is who, not a value
            out.other_subject.append(
                _say(zh, "rival", a=_age_group(ut, u) or u.text, c=_age_group(ct, c) or c.text)
            )
        elif c.kind.startswith("qty:") and (measure := measure_unsaid(ct, c, ut, u, context)):
            # 每餐收费10元 over 每餐补贴3元, 2家中心食堂 over 居家养老服务中心1家: the span's figure is of
            # another measure, and says nothing of the claim's (the same amount neither)
            ours, theirs = measure
            out.other_subject.append(
                _say(zh, "measure", c=u.text, a=theirs, o=ours) if theirs else _say(zh, "absent", c=ours)
            )
        elif c.kind.startswith("qty:") and (share := share_or_change(ct, c, ut, u)):
            # 占平湖辖区总量六成 over 同比增长12.4%: a share is no growth
            out.other_subject.append(_say(zh, "measure", c=u.text, a=share[1], o=share[0]))
        elif c.kind.startswith("qty:") and (verb := verb_unsaid(ct, c, ut, u, article)):
            # 出动植保无人机20架 over 目前共有无人机20架 (出动…146架 printed elsewhere): another count
            out.other_subject.append(_say(zh, "measure", c=u.text, a=verb[1], o=verb[0]))
        elif c.kind.startswith("qty:") and (
            bound := _bound_place(ct, ut, u.start)
            or bound_thing(ct, before + ut, len(before) + u.start)
            or bound_person(ct, ut, u.start)
        ):
            # 两港区合计…81.4万标箱 over 其中，乍浦港区完成47.2万标箱: another place's figure neither
            # denies nor states it (合计…超过20% over 独山港区…增长22.8%); nor another body's in a
            # ；-list (钟溪小学…投资8600万元…；新埭镇中心幼儿园…投资4300万元), nor another person's
            # (冠军为顾佳琪，成绩1小时18分47秒，林晓雯获得亚军)
            out.other_subject.append(
                f"报道的{u.text}属于{bound[1]}，不是{bound[0]}"
                if zh
                else f"{u.text}: {bound[1]}, not {bound[0]}"
            )
        elif (rate := same_rate(ct, c, ut, u)) is not None:
            # 每斤1.42元 over 每50公斤142元: one rate, per another weight
            ours, theirs = as_priced(ct, c), as_priced(ut, u)
            if rate:
                out.agrees.append(f"{ours} = {theirs}")
            else:
                out.diffs.append(_say(zh, "diff", c=ours, a=theirs))
        elif consistent(c, u):
            out.agrees.append(f"{c.text} = {u.text}" if c.text != u.text else c.text)
        elif c.kind.startswith("qty:") and slots.predicate_unsaid(ct, c, ut):
            # 女子球员中有7人来自新居民家庭 over 女子球员有93人: what the 7 do the span never says,
            # so its 93 is no other value of that figure
            out.missing.append(c.text)
        else:
            out.diffs.append(_say(zh, "diff", c=c.text, a=u.text))
            if c.kind in ("date", "year", "day"):
                times.append(out.diffs[-1])
    figures = [c.text for c in c_items if c.kind.startswith("qty:")]
    if times and len(times) == len(out.diffs) and any(f in out.missing for f in figures):
        # 2025年…增长10% over 今年全市芦笋种植面积达到1.35万亩: a span of another time that does not
        # print the claim's figure is silent on it, not a denial (a time differs only where the
        # figures agree: 5月3日 against 5月4日 of the same event)
        out.other_subject += times
        out.diffs.clear()
    ours, printed = find_directions(ct), find_directions(ut)
    for d in ours:
        # 推广面积将扩大 is not denied by 农药使用量下降: a direction of another measure says nothing
        theirs = [x for x in printed if x.axis == d.axis and _same_measure(ct, d.start, ut, x.start)]
        right_after = [(c, u) for c, u in placed if 0 <= d.start - c.end <= 1]
        if len({x.sign for x in theirs}) > 1 and right_after:
            # 8次下跌 over 8次上涨、6次下跌: the word printed right after the span's figure decides
            u = right_after[0][1]
            theirs = [x for x in theirs if 0 <= x.start - u.end <= 1] or theirs
        if len({x.sign for x in theirs}) > 1:
            # 破案数同比上升85.5%，立案同比下降24.2%: the word before the claim's figure decides
            # (when it is the claim's own word before that figure: not 增加 in 增加值…下降67%).
            after = [(c, u) for c, u in placed if c.start >= d.end]
            first = min(after, key=lambda p: p[0].start) if after else None
            if first and not any(x.axis == d.axis and d.end <= x.start < first[0].start for x in ours):
                u = first[1]
                before = [x for x in theirs if x.end <= u.start]
                theirs = [max(before, key=lambda x: x.end)] if before else theirs
        if theirs and not any(x.sign == d.sign for x in theirs):
            out.diffs.append(_say(zh, "diff", c=d.word, a=theirs[0].word))
        elif theirs:
            out.agrees.append(d.word)
        else:
            out.missing.append(d.word)


_FILLER = re.compile(
    r"(?:将会|将|已经|已|再|要|会|同比|环比|较|大幅|进一步|持续|有所|稳步|明显|逐步|了|都|也|还)+$"
)


# 种植面积比去年的4200亩增加660亩 (or 与去年同期相比增加): the comparison's base stands between the
# measure and its direction
_COMPARED = re.compile(
    r"(?<![对同环])(?:比|较)(?![赛例重分])[^，,；;。]{0,14}$|(?:与|和|同|跟)[^，,；;。]{1,12}?(?:相比|相较|比较)$"
)


def _measure(text: str, at: int) -> str:
    """The up to four characters naming what moves before a direction word (推广面积 of 推广面积将扩大;
    种植面积 of 种植面积比去年增加). A clause that only names the base (，比去年同期的2.52万吨下降8.3%)
    names none: the measure is the clause's before it."""
    window = _COMPARED.sub("", text[max(0, at - 20) : at])
    head = re.split(r"[^\u4e00-\u9fff]", window)[-1]
    return _FILLER.sub("", head)[-4:]


def _same_measure(ct: str, c_at: int, ut: str, u_at: int) -> bool:
    """Whether two direction words move the same thing: their measures share a character, or
    either names none (同比增长 after a figure)."""
    ours, theirs = _measure(ct, c_at), _measure(ut, u_at)
    return not ours or not theirs or bool(set(ours) & set(theirs))


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
    out = Alignment("supported")
    frame = (
        frames.frame_differs(ct, ut)
        or frames.other_year(ct, c_items, u_items)
        or frames.last_time(ct, ut)
        or frames.earlier_time(ct, ut)
        or frames.since_differs(ct, c_items, ut, u_items)
        or frames.month_in_period(ct, c_items, ut, u_items, normalise(ev.context))
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
    for word, rival in rival_modifiers(ct, ut, normalise(ev.article_text)):
        out.other_subject.append(_say(zh, "rival", a=rival, c=word))
    if out.other_subject and not out.diffs:
        out.verdict = "not_found"
        return out
    past = figure_of_another_time(ct, ut, c_items)
    before = normalise(ev.context.split("\n", 1)[-1]) if ev.context else ""
    _values(
        ct,
        ut,
        c_items,
        u_items,
        out,
        zh,
        past,
        report_year(ev),
        before,
        normalise(ev.context),
        normalise(ev.article_text),
    )
    # An ordinal or a date that names the event (第三届, 今年一季度, a project's 二期) may be printed
    # only in the headline or the sentence before; counts and amounts must be in the span itself.
    context = normalise(ev.context)
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
        whole = {period_name(m.group(0)) for m in BATCH_MARKER.finditer(normalise(ev.article_text))}
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
