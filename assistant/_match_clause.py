"""Whether a clause answers the question, by rule: the extractive reader's two tests.

A clause on the right topic often states another fact, so the reader asks first for a thing
of the asked type beyond what the question says (a figure in the asked unit about the asked
thing, a date, a person, a place: the typed spans, `asked_numbers`), then for the question's
naming words around it, in the clause, its sentence or its passage (coverage).
`_answer_kinds.gives` reuses `asked_numbers` for a model's sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import _facts as facts
from ._names import COUNTRIES, find_names, find_orgs, find_people, find_places
from ._question_types import AnswerType

if TYPE_CHECKING:
    from ._read_extractive import _Clause


def _weighted_terms(question: str, lang: str) -> list[tuple[str, float]]:
    """Key words with weights (longer is more specific); for byline lookups and English questions."""
    raw = facts.content_terms(question) if lang == "zh" else facts.cjk_runs(question)
    return [(t, 0.5 if len(t) == 1 else float(min(len(t), 4))) for t in raw]


# Characters of a question that ask rather than name: they need not be found in the answer.
_ASKING = re.compile(
    r"多少|几[月号位所家个条次天年]?|什么时候|什么|怎么样|怎样|怎么|如何|哪里|哪儿|哪些|哪个|哪家|哪位|哪天|哪|谁|"
    r"何时|何处|是否|吗|呢|请问|一共|总共|多久|多远|多大|多高|第几|[是的了在有和与及把被将会能要也都还就又]"
)


def _content_mask(question: str) -> list[bool]:
    """True for the Chinese characters of a question that name the thing asked."""
    mask = [bool(re.match(r"[\u4e00-\u9fff]", ch)) for ch in question]
    for m in _ASKING.finditer(question):
        for i in range(m.start(), m.end()):
            mask[i] = False
    return mask


def _matched(question: str, mask: list[bool], text: str) -> list[bool]:
    """Which content characters lie in a run of two or more question characters found in `text`."""
    out = [False] * len(question)
    n = len(question)
    for i in range(n):
        j, best = i + 2, 0
        while j <= n and question[i:j] in text:
            best = j
            j += 1
        for x in range(i, best):
            out[x] = True
    return [o and m for o, m in zip(out, mask, strict=True)]


def _coverage_chars(c: _Clause, question: str, mask: list[bool], passage: bool = True) -> float:
    """Share of the question's naming characters found in the clause (1), sentence (.8) or passage (.5).

    Runs of characters, not words: no word segmenter can split 仲旭东 or 臻品之选 wrongly here.
    """
    total = sum(mask)
    if not total:
        return 0.0
    layers = [(c.text, 1.0), (c.sentence, 0.8)]
    if passage:
        layers.append((c.passage.text + " " + c.article.headline, 0.5))
    got = [0.0] * len(question)
    for text, weight in layers:
        for i, hit in enumerate(_matched(question, mask, text)):
            if hit:
                got[i] = max(got[i], weight)
    return sum(got) / total


def _coverage_en(c: _Clause, terms: list[tuple[str, float]]) -> float:
    """For English questions: the share of their Chinese names (in parentheses) found around the clause."""
    if not terms:
        return 0.0
    context = c.passage.text + " " + c.article.headline
    got = sum(
        w * (1.0 if t in c.text else 0.8 if t in c.sentence else 0.5 if t in context else 0.0)
        for t, w in terms
    )
    return got / sum(w for _, w in terms)


_UNIT_FAMILY = {"人": "人", "名": "人", "位": "人", "℃": "度", "度": "度", "个月": "月", "月": "月"}


def _list_size(question: str) -> int:
    """哪三方 -> 3, 哪几所 -> 2 (at least two), else 1."""
    m = re.search(r"哪([一二两三四五六七八九十\d]+|几)", question)
    if not m:
        return 1
    if m.group(1) == "几":
        return 2
    n = facts.chinese_to_number(m.group(1))
    return int(n) if n else 1


def _count_names(text: str, question: str) -> int:
    names = {o.text for o in find_orgs(text) if not all(ch in question for ch in o.text)}
    names |= {p.text for p in find_people(text) if p.text not in question}
    return len(names)


_EN_TITLES = {
    "chair": "主席",
    "chairman": "主席",
    "chairwoman": "主席",
    "director": "主任",
    "manager": "经理",
    "secretary": "书记",
    "mayor": "市长",
    "head": "负责人",
    "president": "院长",
    "principal": "校长",
}


def _en_title(question: str) -> str:
    """A title named in an English question, as printed in Chinese: chair -> 主席."""
    for w in re.findall(r"[a-z]+", question.lower()):
        if w in _EN_TITLES:
            return _EN_TITLES[w]
    return ""


def _in_category(place: str, category: str) -> bool:
    if category == "国家":
        return any(c in place for c in COUNTRIES)
    if category == "城市":
        return place.endswith(("市", "城")) or "新加坡" in place
    return place.endswith(category)


def _unit_ok(asked: str, found: str) -> bool:
    if not asked:
        return True
    return asked == found or _UNIT_FAMILY.get(asked, asked) == _UNIT_FAMILY.get(found, found)


def _shares_pair(a: str, b: str) -> bool:
    return any(a[i : i + 2] in b for i in range(len(a) - 1))


def _typed_focus(
    c: _Clause, atype: AnswerType, question: str, lang: str
) -> tuple[bool, tuple[int, int] | None]:
    """(does the clause hold the asked kind of thing, where): with several (26℃ and 24℃), the
    one whose neighbouring words are the question's (沿海 24℃); None when they cannot be told apart."""
    spans = list(dict.fromkeys(_typed_spans(c, atype, question, lang)))
    if len(spans) <= 1:
        return bool(spans), spans[0] if spans else None
    mask = _content_mask(question)
    text = c.article.text

    def near(span: tuple[int, int]) -> int:
        # The words right by it, within its phrase: 内陆26℃ / 沿海24℃, 8508171(平语)
        before = re.split(r"[，,；;。]", text[max(c.start, span[0] - 4) : span[0]])[-1]
        after = re.split(r"[，,；;。]", text[span[1] : min(c.end, span[1] + 6)])[0]
        window = before + "|" + after
        return sum(_matched(question, mask, window))

    ranked = sorted(spans, key=near, reverse=True)
    if near(ranked[0]) > near(ranked[1]):
        return True, ranked[0]
    return True, None


_ASKS_RATE = re.compile(
    r"率|比例|比重|占比|百分|增长|增速|增幅|下降|降幅|上涨|涨|跌|降|[%‰]|多少成|几成|percent", re.I
)
# Asks for a share, printed with % / ‰ / 成 (汇率 is a price, 增长了多少 may be a count).
_ASKS_SHARE = re.compile(r"(?<!汇)率|比例|比重|占比|百分之?几|多少成|几成|percent", re.I)
_ASKS_MONEY = re.compile(
    r"多少钱|罚款|罚了|赔偿|金额|总额|营收|收入|票房|GDP|售价|价格|投资额|逃税|市值|利润|亏损|毛利"
    # 总投资多少 / 补贴资金有多少: an amount of money, not 110公里 (a new user's 2025年…总投资多少)
    r"|总投资|投资总额|资金|经费|奖金|费用|成本|造价|预算|产值|成交额|销售额|营业额"
)
_CURRENCY = ("元", "美元", "欧元", "英镑", "日元", "港元", "港币", "韩元", "卢布")
# Words that make a figure's measure narrower than the question's: 人均GDP is not GDP.
_NARROWER = re.compile(
    r"人均|日均|月均|年均|平均|新能源|境外|境内|海外|一季度|二季度|三季度|四季度|上半年|下半年|前三季度"
)


_GLUED_NUMERAL = rf"(?<![第\d{facts.CN_NUM_CHARS}])(?:\d+|[{facts.CN_NUM_CHARS}]+)"


def asked_numbers(text: str, atype: AnswerType, question: str, lang: str) -> Iterator[tuple[int, int]]:
    """Offsets of the figures in `text` that fit a number question: the asked unit (家, 万元),
    an ordinal for 第几, the counted thing (多少残疾人) printed near, and not in the question."""
    rate = _ASKS_RATE.search(question)
    share = _ASKS_SHARE.search(question)
    money = not rate and not atype.unit and "和" not in question and _ASKS_MONEY.search(question)
    quantities = facts.find_quantities(text)
    if atype.counted and not atype.unit and not atype.ordinal and lang == "zh":
        # 双向几车道 is answered by 双向六车道: a numeral glued to the counted noun, no measure
        # word between, is no quantity to find_quantities (四川 must not be one) but is here,
        # where the question named the noun.
        taken = [(q.start, q.end) for q in quantities]
        for m in re.finditer(rf"{_GLUED_NUMERAL}(?={re.escape(atype.counted)})", text):
            if m.group(0) + atype.counted not in question and not any(a <= m.start() < b for a, b in taken):
                yield m.start(), m.end()
    for qn in quantities:
        if qn.text in question or not _unit_ok(atype.unit, qn.unit):
            continue
        if share and qn.unit not in ("%", "‰", "个百分点", "成"):
            continue  # 城镇化率 asked: 城镇常住人口91425万人 is a count, not the rate
        if qn.unit in ("%", "‰") and not rate:
            continue  # 销量 asked: 占全球销量的34% is a share, not the amount
        if money and not (qn.unit.endswith(_CURRENCY) or (not qn.unit and qn.text[-1] in "万亿")):
            continue  # 多少钱 asked: 第五十七条 or 3年 is no sum of money
        phrase = re.split(r"[，,；;。：:]", text[: qn.start])[-1]
        narrower = [m.group(0) for m in _NARROWER.finditer(phrase) if m.group(0) not in question]
        if narrower and lang == "zh":
            continue  # GDP asked: 人均GDP 2.69万美元 is another measure
        if atype.ordinal and not qn.ordinal:
            continue
        if qn.unit in ("号",) and atype.unit != "号":
            continue
        if atype.counted and lang == "zh" and len(atype.counted) >= 2:
            window = text[max(0, qn.start - 10) : qn.end + 12]
            if not _shares_pair(atype.counted, window) and not (
                len(atype.counted) == 2 and set(atype.counted) & set(window)
            ):
                continue
        yield qn.start, qn.end


def _typed_spans(c: _Clause, atype: AnswerType, question: str, lang: str) -> Iterator[tuple[int, int]]:
    """Article offsets of the thing of the asked kind in the clause, not already in the question."""
    text, base = c.text, c.start
    kind = atype.kind

    def new(s: str) -> bool:
        return s not in question

    if kind == "number":
        for s, e in asked_numbers(text, atype, question, lang):
            yield base + s, base + e
        return
    if kind in ("time", "duration"):
        if kind == "duration":
            for qn in facts.find_quantities(text):
                if qn.unit in ("个月", "天", "年", "周", "小时", "分钟") and new(qn.text):
                    yield base + qn.start, base + qn.end
        for t in facts.find_times(text):
            if not new(t.text):
                continue
            if t.text in ("连日来", "近日", "日前", "当天", "当日"):
                continue  # narrative markers, not an answer to "when"
            if kind == "time" and t.frequency and t.month is None:
                continue
            relative = t.day_offset is not None or t.year_offset is not None
            if kind == "time" and t.year is None and t.month is None and t.day is None and not relative:
                continue  # 上半年 alone names no date
            yield base + t.start, base + t.end
        return
    if kind == "person":
        title = _en_title(question) if lang == "en" else ""
        credits = _ASKS_CREDIT.search(question)
        for p in find_people(text):
            if not new(p.text):
                continue
            if _CREDIT.search(p.role) and not credits:
                continue  # （记者 朱晓峰）: who wrote the story, not who won or said anything
            if title:  # "the chair" is 主席, not 副主席
                role = p.role
                at = role.rfind(title)
                if at < 0 or (role[at - 1 : at] == "副") != bool(
                    re.search(r"\b(?:vice|deputy)\b", question, re.I)
                ):
                    continue
            yield base + p.start, base + p.end
        return
    if kind == "role":
        names = [p for p in find_people(c.sentence) if p.text in question and p.role]
        for p in names:
            s = c.sent_start + p.start - len(p.role)
            if c.start <= s and c.sent_start + p.end <= c.end:
                yield s, c.sent_start + p.end
        return
    if kind == "place":
        category = re.search(r"哪(?:个|座|一个|些)?(国家|小区|街区|社区|城市|镇|村)", question)
        places = find_places(text) + [n for n in find_names(text) if n.kind == "place"]
        for p in places:
            named_city = category is not None and category.group(1) == "城市" and p.kind == "place"
            if category and not (_in_category(p.text, category.group(1)) or named_city):
                continue
            if new(p.text) and not all(ch in question for ch in p.text):
                yield base + p.start, base + p.end
        return
    if kind == "name":
        for n in find_names(text):
            name = n.text.strip("《》“”")
            # 《柯林斯英语词典》 for 柯林斯词典: the question's own thing, not an answer
            if new(name) and not any(name[i : i + 3] in question for i in range(len(name) - 2)):
                yield base + n.start, base + n.end
        return
    if kind == "entity":
        for o in find_orgs(text):
            name = re.sub(r"^(?:是|与|和|同|及|了|在|的)", "", o.text)
            if new(name) and not all(ch in question for ch in name):
                yield base + o.start, base + o.end
        return
    return


_CREDIT = re.compile(r"记者|通讯员|摄影|编辑|主编|总编辑|作者")
_ASKS_CREDIT = re.compile(
    r"记者|通讯员|摄影|拍的|拍摄|编辑|作者|谁写|撰写|reporter|photograph|editor|author", re.I
)
