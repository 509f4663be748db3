"""What a figure is in its sentence: the base of a comparison (比去年同期的[38起], 由[14.8%]降至…),
a change (增加了[22人]) rather than a level, a thing compared (高于新仓芦笋的[64元]), or the day an
event starts (活动于[10月15日]启动) rather than a cut-off (截至[11月15日]). The slot reader
(`_slots.slot`) and the grounding engine ask this module before they pair two figures.
Inputs are `_normalize.normalise`d text.
"""

from __future__ import annotations

import re

from ._values import Item

# Verbs that date an event: the day it starts, opens or is held (活动于10月15日启动).
EVENT_VERB = r"启动|开始|开幕|开工|开通|开放|开业|开赛|开展|举行|举办|启用|上线|实施|揭牌|动工"
CUTOFF = re.compile(r"(?:截至|截止到?|到|至)$")


def event_of(text: str, it: Item, reach: int) -> str | None:
    """The event verb printed within `reach` characters after a date, in its sentence (自10月15日
    …活动启动以来: 启动), or None; a cut-off date (截至11月15日) dates no event."""
    if CUTOFF.search(text[max(0, it.start - 4) : it.start]):
        return None
    m = re.match(rf"[^。；;]{{0,{reach}}}?({EVENT_VERB})", text[it.end :])
    return m.group(1) if m else None


def dates_event(text: str, it: Item) -> bool:
    """The date is the day something starts, opens or is held (活动于10月15日启动)."""
    return event_of(text, it, 6) is not None


_TALLY = re.compile(r"(?:截至|截止到?)$")


def is_cutoff(text: str, it: Item) -> bool:
    """The date ends a tally (截至11月15日，全市共办理…): it dates no deed (至8月27日结束 does)."""
    return bool(_TALLY.search(text[max(0, it.start - 4) : it.start]))


def dates_deed(text: str, it: Item) -> bool:
    """The date says when something was or will be done (已于8月上旬发放, 将于12月8日开工)."""
    return dates_event(text, it) or text[max(0, it.start - 1) : it.start] == "于"


_STARTS = re.compile(rf"{EVENT_VERB}|[日月号]起|以来")


def starts_something(text: str) -> bool:
    """The sentence says something starts, opens or is held (…启动, 于4月1日起对…调整, …以来)."""
    return bool(_STARTS.search(text))


# The verbs of a change from one level to another (由4.1%上升至4.8%, 从14.8%降至8.3%).
LEVEL_CHANGE = r"上升|下降|提高|降低|增加|减少|增长|缩短|延长|扩大|缩小|提升|降|升"
_BASE = re.compile(r"(?:比|较|相比|对比|同比|比起)$")
_BASE_OF = re.compile(r"(?:比|较)[^，,；;。\d比较]{1,6}的$")  # 比上届的251人, 比去年同期的2.05亿件
# 由去年同期的38起降到了22起, 从14.8%降至8.3%: the first level of a from-to is its base
# 4826张，是去年全年办证量的1.6倍: what a multiple is of is its base
_TIMES_OF_BEFORE = re.compile(r"(?:是|为|相当于|达)$")
_TIMES_OF_AFTER = re.compile(r"[^，,；;。]{0,14}?的[\d.一二三四五六七八九十两]+倍")
_FROM = re.compile(r"(?:由|从)(?:原来的|[^，,；;。\d由从]{0,7}的)?$")
_FROM_TO_AFTER = re.compile(rf"[\d.]+[^，,；;。\d]{{0,4}}?(?:{LEVEL_CHANGE}|增|减)了?(?:至|到|为)")
_COMPARED_THING = re.compile(
    r"(?:高于|低于|多于|少于|超过|不及|不如|优于|快于|慢于)([\u4e00-\u9fff]{2,10}?)的?$"
)


def compared_thing(text: str, start: int) -> str | None:
    """The thing a figure at `start` is printed for after a comparison (高于新仓芦笋的[64元])."""
    clause = re.split(r"[,，;；:：。]", text[max(0, start - 16) : start])[-1]
    m = _COMPARED_THING.search(clause)
    return m.group(1) if m else None


_CHANGE = re.compile(
    r"(?:增加|减少|增长|下降|提高|降低|上升|提升|扩大|缩小|缩短|延长|增多|回落|下滑|高出|低出|多出|超出|多|少|增|减)"
    r"了?(?:约|近|超过|逾|达)?$"
)


def is_change(text: str, it: Item) -> bool:
    """The figure is a change (增加了22人, 多了75人, 减少约3000吨), not a level."""
    return bool(_CHANGE.search(text[max(0, it.start - 6) : it.start]))


def is_base(text: str, start: int) -> bool:
    """What starts at `start` is what something is compared with (比[去年], 较[上年同期],
    比上届的[251人], 是[去年]全年办证量的1.6倍), or the level a change starts from (由去年同期的[38起]
    降到了22起)."""
    return bool(
        (_TIMES_OF_BEFORE.search(text[max(0, start - 3) : start]) and _TIMES_OF_AFTER.match(text, start))
        or _BASE.search(text[max(0, start - 2) : start])
        or _BASE_OF.search(text[max(0, start - 9) : start])
        or (_FROM.search(text[max(0, start - 10) : start]) and _FROM_TO_AFTER.match(text, start))
    )
