"""What kind of thing a question wants: a number (with its unit and the thing counted), a
person, a time, a place, a role, a name…

The readers and the answer checks look for a thing of the asked kind in a sentence, not for
any sentence on the topic, so the kind is read first, by rule: from the question word (多少家,
什么时候, 谁) or, for a question written as a noun phrase (二十大开幕时间), from its head.
`_answer_kinds.asked_kind` refines it for the keyword questions news readers type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ._facts import _UNIT_RE, Language, detect_language
from ._names import SURNAMES

AnswerKind = Literal[
    "number", "person", "time", "place", "role", "duration", "entity", "name", "reason", "other"
]


# ------------------------------------------------------------------ what a question wants


@dataclass(frozen=True)
class AnswerType:
    kind: AnswerKind
    unit: str = ""  # the measure word asked with the number: 多少家 -> 家
    counted: str = ""  # the thing counted: 多少残疾人 -> 残疾人
    ordinal: bool = False  # 第几


_ZH_TIME = re.compile(
    r"什么时候|何时|哪几天|哪些天|哪天|哪一天|星期几|周几|礼拜几|几月|几号|几点|哪一年|哪年|什么时间|何日|多会儿|日期"
)
_ZH_DURATION = re.compile(r"多久|多长时间|几年|几天|几个月")
_ZH_ROLE = re.compile(r"(?:什么|哪个|何)职务|担任什么|任什么职|什么职位|什么身份|是做什么的")
_ZH_PERSON = re.compile(r"谁|哪位|什么人|哪些人")
_ZH_NUMBER = re.compile(
    rf"(?P<pct>百分之)?(?P<ord>第)?(?<!哪)(?:多少|几|多大|多高|多远|多长|多重|多深)(?P<mag>[万亿千百](?!分))?"
    rf"(?P<unit>{_UNIT_RE})?(?P<counted>[\u4e00-\u9fff]{{0,6}})"
)
# "张婉强是谁？": who a named person is, answered by the role printed with the name.
_ZH_WHO_IS = re.compile(
    rf"^\s*(?P<name>[{''.join(sorted(SURNAMES))}][\u4e00-\u9fff]{{1,2}})(?:是谁|是什么人|是哪位)"
)
_ZH_ENTITY = re.compile(
    r"哪(?:[一二三四五六七八九几两\d]*)(?:家|方|所|些单位|些公司|个公司|个单位|个企业|些企业|个机构)"
)
_ZH_PLACE = re.compile(
    r"哪里|哪儿|何处|什么地方|哪些地方|哪个(?:国家|城市|地方|小区|街区|镇|村|社区|省|市)|哪座"
    # 在哪个组 / 在哪个平台 ask which group or channel, not where
    r"|在哪(?!一?个?(?:组|小组|队|赛区|频道|平台|网站|环节|阶段|项目|领域|行业|方面|榜))"
)
_EN_UNITS = {
    "percent": "%",
    "percentage": "%",
    "mu": "亩",
    "yuan": "元",
    "rmb": "元",
    "metres": "米",
    "meters": "米",
    "meter": "米",
    "metre": "米",
    "kilometres": "公里",
    "kilometers": "公里",
    "tonnes": "吨",
    "tons": "吨",
    "people": "人",
    "persons": "人",
    "households": "户",
    "degrees": "℃",
    "trays": "盘",
    "cost": "元",
    "invest": "元",
    "investment": "元",
    "costs": "元",
    "price": "元",
    "months": "个月",
    "days": "天",
    "years": "年",
}


def answer_type(question: str, language: Language | None = None) -> AnswerType:
    """What kind of thing answers the question: a number (with its unit), a person, a time, a place…"""
    lang = language or detect_language(question)
    if lang == "en":
        return _answer_type_en(question)
    q = question
    if _ZH_ROLE.search(q) or _ZH_WHO_IS.match(q):
        return AnswerType("role")
    if _ZH_TIME.search(q):
        return AnswerType("time")
    if _ZH_DURATION.search(q):
        return AnswerType("duration")
    m = _ZH_NUMBER.search(q)
    if m:
        unit = "%" if m.group("pct") else m.group("unit") or ""
        # 多少万元 / 多少亿元 ask for money in that magnitude: quantities are compared in 元.
        unit = "元" if unit in ("万元", "亿元") or (m.group("mag") and unit == "元") else unit
        counted = m.group("counted") or ""
        if not counted or re.match(r"[？?。，,]", counted):
            # "X有多少家": the counted thing comes before the question word
            before = re.split(r"[，,。？?]", q[: m.start()])[-1]
            counted = re.sub(r"(?:一共|总共|共|有|是|能|可以|完成了|了|设立了)+$", "", before)[-6:]
        counted = re.split(r"[？?。，,]|实现|完成|纳入|进行|是", counted)[0]
        return AnswerType("number", unit=unit, counted=counted, ordinal=bool(m.group("ord")))
    if _ZH_PERSON.search(q):
        return AnswerType("person")
    if _ZH_ENTITY.search(q):
        return AnswerType("entity")
    if _ZH_PLACE.search(q):
        return AnswerType("place")
    return _head_type(q)


# Questions written as a noun phrase ("二十大开幕时间", "2021年宝马全球销量", "EMNLP2022的举办地"):
# the phrase's head says what is asked.
_ZH_END = r"(?:是|为)?(?:什么|哪里|多少|谁|哪个|哪些)?\s*[？?]?\s*$"
_ZH_HEAD_TIME = re.compile(rf"(?<!多长)(?:时间|日期|时刻)(?:点|表)?{_ZH_END}")
_ZH_HEAD_NUMBER = re.compile(
    rf"(?P<counted>(?:人数|人次|数量|总量|销量|产量|产值|总值|面积|长度|交付量|吞吐量|发送量|保有量|出口量|进口量|营收|收入"
    rf"|票房|GDP|增速|增长率|增幅|出生率|死亡率|失业率|准确率|规模|震级|点数|金额|总额|数))(?:和[\u4e00-\u9fff]{{1,4}})?{_ZH_END}"
)
_ZH_HEAD_PLACE = re.compile(
    rf"(?:举办地|举办地点|举行地|地点|起点|终点|发生地|所在地|目的地|国家|城市){_ZH_END}|哪些(?:国家|城市|地方)"
)
_ZH_HEAD_NAME = re.compile(
    rf"(?:冠军|亚军|季军|金牌|银牌|铜牌|得主|主演|导演|总导演|主教练|教练|旗手|火炬手|议长|总理|首相|总统|市长"
    rf"|首席执行官|CEO|董事长|吉祥物|名字|名称|全称|最佳[\u4e00-\u9fff]{{1,5}}|年度[\u4e00-\u9fff]{{1,4}}|多数党|对手|四强|八强"
    rf"|主题|主席国){_ZH_END}"
    r"|(?:主演|导演|成员|队伍)有哪些|叫什么|哪(?:个|支)(?:队|球队|平台|俱乐部)"
)


def _head_type(q: str) -> AnswerType:
    if _ZH_HEAD_TIME.search(q):
        return AnswerType("time")
    m = _ZH_HEAD_NUMBER.search(q)
    if m:
        # 参考人数, not any 人数: the word before a bare head is what is counted
        lead = "".join(re.findall(r"[\u4e00-\u9fff]", q[max(0, m.start() - 3) : m.start()]))
        counted = lead.lstrip("的年月日") + m.group("counted")
        return AnswerType("number", counted=counted)
    if _ZH_HEAD_PLACE.search(q):
        return AnswerType("place")
    if _ZH_HEAD_NAME.search(q):
        return AnswerType("name")
    return AnswerType("other")


def _answer_type_en(question: str) -> AnswerType:
    q = question.lower()
    words = re.findall(r"[a-z]+", q)
    if re.search(r"\bwhat (?:is|was) (?:the )?(?:position|title|job|role)\b|\bwhat position\b", q):
        return AnswerType("role")
    if re.search(r"\bwhen\b|\bwhat (?:date|day|time|month|year)\b|\bwhich (?:date|day|month|year)\b", q):
        return AnswerType("time")
    if re.search(r"\bhow long\b|\bhow often\b", q):
        return AnswerType("duration")
    if re.search(
        r"\bhow (?:many|much|strong|high|far|big|large|hot|cold|low)\b"
        r"|\bwhat percentage\b|\bwhat (?:share|proportion)\b|\bwhat number\b",
        q,
    ):
        unit = ""
        for w in words:
            if w in _EN_UNITS:
                unit = _EN_UNITS[w]
                break
        return AnswerType("number", unit=unit)
    if re.search(r"\bwho(?:m|se)?\b|\bwhich (?:reporter|person|official|journalist|photographer)\b", q):
        return AnswerType("person")
    if re.search(r"\bwhere\b|\bwhich (?:place|country|city|town|district|village)\b", q):
        return AnswerType("place")
    return AnswerType("other")
