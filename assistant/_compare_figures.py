"""A claim's figures against a span's: each figure in its slot, then what the slot says of it.

The grounding engine (`_ground.align`) has already decided the span is about the claim's
subject and frame; here each figure of the claim meets the span's figure in the same slot
(`_slots.slot`) and is read as agreeing, differing, missing, or printed for something else:
another measure (`_measures`), a plan (`_figure_times.planned`), another place, thing or person
(`_bindings`), an age group, a total of several, a rate per another unit. Directions (增长 /
下降) are compared last, for the measure they are printed with.
"""

from __future__ import annotations

import re

from . import _frames as frames
from . import _slots as slots
from ._bindings import _bound_place, bound_person, bound_thing
from ._evidence import Alignment, _say
from ._facts import find_directions
from ._fenbie import _CLAUSE_MARK, _clause_before
from ._figure_times import ANOTHER_TIME, clause_of, done_as_planned, planned, target_time
from ._measures import measure_unsaid, share_or_change, verb_unsaid, word_of_another_figure
from ._values import Item, as_priced, consistent, same_rate

_PER = re.compile(r"每[^，,。；;]{0,6}$")
_LEARNED = re.compile(r"(?:上午|下午|晚上|晚间)?(?:从|在|自)[^，,。；;]{1,30}?(?:获悉|了解到|得知|获知)")
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


def compare_figures(
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
    missing: strings in the claim's language). `c_items`/`u_items`: `_values.items` of the claim
    and of the span; `past`: the span's figures are of another time (`figure_of_another_time`);
    `own_year`: the report's year. `before`: the article's words before the span since its context starts (the
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
        elif c.kind.startswith("qty:") and (other := word_of_another_figure(ct, c, ut, u)):
            # 通过见面方式劝阻…2860人次 over 共劝阻…2860人次，其中见面劝阻1140人次: the whole's figure
            out.other_subject.append(
                f"报道的{u.text}不是{other[0]}的（{other[1]}）" if zh else f"{u.text} is not {other[0]}'s"
            )
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
