"""Words that narrow or name what a claim is about, beyond its names: the common nouns it is
about (芦笋, 集装箱), a noun narrowing a measure (民宿平均入住率 vs 星级酒店平均入住率, 机构护理 vs
居家护理), and a narrowing word the article prints only in another sentence (骨科 of 骨科夜间门诊):
the grounding engine (`_ground.align`) reads a span whose thing is narrowed otherwise as silent
on the claim. Names of people, places and bodies are `_subjects`'.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from ._normalize import normalise
from ._subjects import tagged

if TYPE_CHECKING:
    from ._evidence import Evidence

_TIME_NOUNS = {"同期", "去年同期", "上年同期", "去年", "上年", "前年", "全年", "当年", "今年"}
_TIME_NOUNS |= {"时间", "日期", "时候"}


_PLAIN_NOUNS = {
    "全市",
    "我市",
    "本市",
    "全县",
    "全镇",
    "同比",
    "环比",
    "数据",
    "记者",
    "目前",
    "期间",
    "方面",
}


def things_named(text: str) -> list[str]:
    """The common nouns of `text` that say what it is about (芦笋, 种植, 面积; 集装箱): two
    characters or more, not a time (去年), a place or a name (subject_gaps reads those), nor a
    word any report prints (全市, 同比)."""
    return [
        w
        for w, flag in tagged(normalise(text))
        if flag in ("n", "vn", "nz") and len(w) >= 2 and w not in _TIME_NOUNS and w not in _PLAIN_NOUNS
    ]


_MEASURE = re.compile(r"^(?:平均|人均)$|(?:率|量|额|数|价|值|面积|收入|人次|规模|产值|利润|产量|成本)$")
_BODY_END = re.compile(r"(?:公司|集团|院|局|中心|所|馆|会|社|厂)$")


def rival_modifiers(text: str, span: str, article: str = "") -> list[tuple[str, str]]:
    """(claim's word, span's word) where the claim narrows a measure with one noun (星级酒店平均
    入住率) and the span prints that measure narrowed by another the claim lacks (民宿平均入住率):
    the span's figure is the other thing's, whatever its context names. A thing that is no measure
    (护理) counts too when the article prints the claim's kind of it elsewhere (机构护理 over 居家
    护理的月待遇标准, the report naming 享受机构护理待遇的 too): two kinds of one thing."""
    s = normalise(span)
    theirs = tagged(s)
    out = []
    for (w, flag), (after, _) in itertools.pairwise(tagged(normalise(text))):
        if flag != "n" or len(w) < 2 or len(after) < 2 or after not in s or w + after in s or w in s:
            continue
        if any(_BODY_END.search(x) for x in (w, after)):
            continue  # 设计研究总院|有限公司: the words of a firm's name
        if not _MEASURE.search(after) and not (article and w + after in article):
            continue  # 女子组|冠军: no measure, and no kind the report prints
        rival = next(
            (x for (x, f), (a, _) in itertools.pairwise(theirs) if a == after and f == "n" and len(x) >= 2),
            None,
        )
        if rival is not None and rival not in text:
            out.append((w, rival))
    return out


def _short_form(word: str, where: str) -> bool:
    """A three-character short form (市运会) of a name `where` prints longer (市第十二届运动会): its
    characters in order, the first two a few characters apart, the last two at most one."""
    if len(word) != 3:
        return False
    a, b, c = (re.escape(ch) for ch in word)
    return re.search(rf"{a}[\u4e00-\u9fff\d]{{0,6}}{b}[\u4e00-\u9fff]?{c}", where) is not None


def borrowed_modifiers(text: str, ev: Evidence) -> list[str]:
    """Words of `text` that narrow a thing the span prints (骨科 of 骨科夜间门诊 over …将从4月1日起开设
    夜间门诊) and that the article prints only in another sentence (…再决定是否增加骨科、眼科等科室):
    the claim joins two sentences into one fact that neither states. A word the span, the sentence
    before or the headline prints is the span's own; one printed nowhere is left to the coverage
    checks (a paraphrase)."""
    span = normalise(ev.text)
    near = span + "\n" + normalise(ev.context) + "\n" + normalise(ev.sentence)
    article = normalise(ev.article_text)
    out = []
    words = tagged(normalise(text))
    for (_, before), (w, flag), (after, _) in zip([("", ""), *words], words, words[1:], strict=False):
        if (
            len(w) >= 2
            and flag == "n"  # a common noun: names of places, people and bodies are subject_gaps' job
            and before != "ns"  # 平湖|辖区: a place's own word names that place
            and len(after) >= 2
            and after in span
            and w + after not in span
            and w not in near
            and not _short_form(w, near)
            and w not in normalise(ev.source)
            and w not in _TIME_NOUNS  # 增长18.9% is 比去年同期's without saying so
            and w in article
            # 医院还计划… after 市第一人民医院… earlier: a bare 医院 opening a clause (or 该院-like 该医院)
            # refers back to the one the article named, not to another
            and not (w + after in article and re.search(rf"(?:^|[，,。；;：:“]|该|本|这家|此){after}", span))
        ):
            out.append(w)
    return out
