"""Firms and the parts they play in a piece of work: which body designed, built, supervised,
runs, paid for, hosted or organised it (由A设计，B承建，建成后由C运营), and the check of a
claim's parts against a span.

News names several firms in one sentence, one part each, so a firm printed near a part's word
is not enough: the part belongs to the firm written next to it. A claim that 由B设计 is
contradicted by a span printing 由A设计，B承建, and a claim that gives a part to a firm no span
binds to any part (the lead of the story names the project, another sentence phase one's
designer) is not stated there.
"""

from __future__ import annotations

import re

from ._evidence import Alignment

# A part's words, and what each means: 承建 and 施工 are one part, 投资建设 is paying for it.
_PARTS = {
    "设计": "设计",
    "承建": "施工",
    "施工": "施工",
    "监理": "监理",
    "运营": "运营",
    "运维": "运营",
    "管理运营": "运营",
    "投资建设": "投资",
    "投资": "投资",
    "出资": "投资",
    "主办": "主办",
    "承办": "承办",
    "协办": "协办",
}
_PART_RE = "|".join(sorted(_PARTS, key=len, reverse=True))
# What a firm's name ends with (公司, 设计院, 工程局, 集团, a bureau or a centre).
_BODY = r"(?:公司|集团|院|局|中心|所|馆|工作室|协会|学会|委员会|办公室|社|厂|站|队|学校|大学|政府|银行)"
_FIRM = rf"[\u4e00-\u9fffA-Za-z0-9（）()]{{2,40}}?{_BODY}"
# 由A设计 / A承建 / 交由A负责运营 / 委托A运营: the firm, then the part (in one clause)
_FIRM_THEN_PART = re.compile(
    rf"(?:由|交由|委托|并由|则由)?(?P<firm>{_FIRM})(?:负责|共同|联合|参与)?(?P<part>{_PART_RE})(?![单方])"
)
# 设计单位为A / 主办单位：A / 施工方是A: the part, then the firm
_PART_THEN_FIRM = re.compile(rf"(?P<part>{_PART_RE})(?:单位|方)(?:为|是|：|:)?(?P<firm>{_FIRM})")
# 室内设计由A完成 / 施工由B负责: the part, 由, the firm
_PART_BY_FIRM = re.compile(
    rf"(?P<part>{_PART_RE})(?:工作|任务)?(?:则|均|都)?由(?P<firm>{_FIRM})(?=负责|完成|承担|实施|$)"
)
_LEAD = re.compile(r"^.*?(?:由|交由|委托|并由|则由)")  # what comes before the firm's own name
_CLAUSE = re.compile(r"[^，,。；;！!？?]+")


def firm_parts(text: str) -> list[tuple[str, str]]:
    """(firm, part) for each firm the text binds to a part, in order: 项目由中国市政工程华北设计研究
    总院有限公司设计，浙江宏兴建设集团有限公司承建 -> [(…总院有限公司, 设计), (…集团有限公司, 施工)].
    A part is read in the clause it is printed in; firms listed with 、/和 share it."""
    out: list[tuple[str, str]] = []
    for clause in _CLAUSE.findall(text):
        for m in _FIRM_THEN_PART.finditer(clause):
            firm = (
                _LEAD.sub("", clause[: m.end("firm")])
                if m.group(0)[0] not in "由交委并则"
                else m.group("firm")
            )
            firm = re.sub(r"^(?:该|本|此|项目|工程|大桥|码头|建成后|今年|目前|其中)+", "", firm)
            for name in re.split(r"[、和与及]", firm):
                if re.search(rf"{_BODY}$", name) and len(name) >= 4:
                    out.append((name, _PARTS[m.group("part")]))
        for pattern in (_PART_THEN_FIRM, _PART_BY_FIRM):
            for m in pattern.finditer(clause):
                out.append((m.group("firm"), _PARTS[m.group("part")]))
    return out


def _same(a: str, b: str) -> bool:
    return a == b or a in b or b in a


def firm_check(claim: str, span: str, out: Alignment, zh: bool) -> None:
    """Each part the claim gives a firm must be the part the span binds to it: another firm
    printed with that part is a difference (声称由B设计，报道为A), the firm printed with another
    part only is another subject (报道说B负责施工，不是设计), and a span that binds no firm to
    the part does not state it."""
    claimed = firm_parts(claim)
    if not claimed:
        return
    printed = firm_parts(span)
    for firm, part in claimed:
        if any(_same(firm, f) and p == part for f, p in printed):
            out.agrees.append(f"{firm}{part}")
            continue
        holders = [f for f, p in printed if p == part and not _same(firm, f)]
        theirs = [p for f, p in printed if _same(firm, f)]
        if holders:
            out.diffs.append(
                f"报道中负责{part}的是{holders[0]}，不是{firm}"
                if zh
                else f"the article gives {part} to {holders[0]}, not {firm}"
            )
        elif theirs:
            out.other_subject.append(
                f"报道说{firm}负责{theirs[0]}，不是{part}" if zh else f"{firm}: {theirs[0]}, not {part}"
            )
        else:
            out.missing.append(f"{firm}{part}")
