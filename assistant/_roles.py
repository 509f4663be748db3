"""Roles: which title a sentence gives to which person (副主席陆建明, 陆建明是…副主席,
指令长是沈志航), and the check of a claim's roles against a span.

News prints several officials in one sentence, so a title near a name is not enough: a role
belongs to the person it is printed next to. A claim that gives 主席 to 张婉强 is contradicted
by a span printing 主席沈守贤 and 副主席张婉强, and a deputy (副站长) holds another post than
the head (站长).
"""

from __future__ import annotations

import re

from ._evidence import Alignment, _say
from ._names import SURNAME_CLASS, SURNAMES, TITLES, find_people
from ._subjects import guessed_people

_TITLE_RE = "副?(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + ")"  # 副秘书长 too
_NAME_THEN_ROLE = re.compile(
    rf"(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?:是|任|担任|系|为)(?P<role>[^，,。；;]{{0,20}}?(?:{_TITLE_RE}))"
)


# 指令长是沈志航 (a claim completed from 谁是…指令长): the role first, then who holds it
_ROLE_THEN_NAME = re.compile(
    rf"(?<!副)(?P<role>{_TITLE_RE})(?:是|为)(?P<name>[{SURNAME_CLASS}][\u4e00-\u9fff]{{1,2}})(?=[，,。；;]|$)"
)


def _titles(role: str) -> set[str]:
    return set(re.findall(_TITLE_RE, role))


def roles(text: str) -> dict[str, set[str]]:
    """The titles printed with each person: 市总工会副主席张婉强 / 沈守贤是…主席 -> {name: {titles}}."""
    out: dict[str, set[str]] = {}
    for p in find_people(text):
        if p.role:
            out.setdefault(p.text, set()).update(_titles(p.role))
    for m in _NAME_THEN_ROLE.finditer(text):
        name = m.group("name")
        if any(name == p.text for p in find_people(text)) or name[0] in SURNAMES:
            out.setdefault(name, set()).update(_titles(m.group("role")))
    for m in _ROLE_THEN_NAME.finditer(text):
        out.setdefault(m.group("name"), set()).update(_titles(m.group("role")))
    return out


def _holds(person: str, title: str, span: str, printed: dict[str, set[str]]) -> bool:
    """The span prints `title` with `person`: 副主席陆建明, 陆建明是…副主席, or find_people's role."""
    plain = "" if title.startswith("副") else "(?<!副)"
    return bool(
        title in printed.get(person, set())
        or re.search(rf"{plain}{title}\s*{person}", span)
        or re.search(rf"{person}(?:是|任|担任|系|为)[^，,。；;]{{0,20}}?{plain}{title}", span)
        or _becomes(person, title, plain, span)
    )


# A body a title belongs to: 市教育局 of 市教育局体卫艺科科长, 市总工会 of 市总工会副主席.
_BODIES = r"局|委员会|委|办公室|总工会|公司|集团|协会|医院|学校"
_ORG = re.compile(rf"(?:[省市县区镇])?[\u4e00-\u9fff]{{1,6}}?(?:{_BODIES})")


def _role_of(person: str, text: str) -> str:
    """The role text printed with the person (市教育局体卫艺科科长 of …科长顾晓燕, or 顾晓燕是…)."""
    for p in find_people(text):
        if p.text == person and p.role:
            return p.role
    m = re.search(rf"{re.escape(person)}(?:是|任|担任|系|为)(?P<role>[^，,。；;]{{0,20}})", text)
    return m.group("role") if m else ""


def _other_org(person: str, claim: str, span: str) -> tuple[str, str] | None:
    """(claim's body, span's) when the claim gives the person's title to a body (市体育局) and the
    span prints the title with another body of the same kind (市教育局); None otherwise."""
    ours, theirs = _role_of(person, claim), _role_of(person, span)
    for c in _ORG.finditer(ours):
        body = c.group(0)
        if body in theirs or not theirs:
            continue
        kind = re.search(rf"(?:{_BODIES})$", body)
        rivals = [o.group(0) for o in _ORG.finditer(theirs) if kind and o.group(0).endswith(kind.group(0))]
        if rivals and not any(r in body or body in r for r in rivals):
            return body, rivals[0]
    return None


_BECOMES = r"(?:并|还|也|再次|首次)?(?:成为|当选|出任|就任|升任|荣膺)"


def _becomes(person: str, title: str, plain: str, span: str) -> bool:
    """吴京的个人总票房达到300亿元，成为中国影史首个300亿票房演员: a later clause with no
    subject of its own (…，成为 / 以高票当选 …) speaks of the person the sentence began with, as
    long as no other person is named in between."""
    chain = rf"{person}(?P<between>[^。；;！？!?]{{0,40}}?){_BECOMES}[^，,。；;]{{0,20}}?{plain}{title}"
    for m in re.finditer(chain, span):
        between = m.group("between")
        if not find_people(between) and not guessed_people(between):
            return True
    return False


def _holders(title: str, span: str, person: str) -> list[str]:
    """Other people the span prints `title` with."""
    plain = "" if title.startswith("副") else "(?<!副)"
    found = [
        m.group("n")
        for m in re.finditer(rf"{plain}{title}(?P<n>[{SURNAME_CLASS}][\u4e00-\u9fff]{{1,2}})", span)
    ]
    return [n for n in found if not person.startswith(n[:2])]


_BASE_TITLES = sorted({t.removeprefix("副") for t in TITLES})


def _deputy_check(claim: str, span: str, out: Alignment, zh: bool) -> None:
    """担任…副站长 claimed, 担任…站长 printed (or the reverse): the deputy is another post."""
    for base in _BASE_TITLES:
        if base not in claim or base not in span:
            continue
        ours = (f"副{base}" in claim, bool(re.search(rf"(?<!副){base}", claim)))
        theirs = (f"副{base}" in span, bool(re.search(rf"(?<!副){base}", span)))
        if ours != theirs and sum(ours) == 1 and sum(theirs) == 1:
            c, a = (f"副{base}", base) if ours[0] else (base, f"副{base}")
            out.diffs.append(_say(zh, "diff", c=c, a=a))


def _role_check(claim: str, span: str, out: Alignment, zh: bool) -> None:
    _deputy_check(claim, span, out, zh)
    claimed = roles(claim)
    if not claimed:
        return
    printed = roles(span)
    for person, titles in claimed.items():
        for title in titles:
            if _holds(person, title, span, printed):
                if org := _other_org(person, claim, span):
                    # 顾晓燕是市体育局…科长 over 市教育局体卫艺科科长顾晓燕: the title of another body
                    out.diffs.append(_say(zh, "diff", c=org[0], a=org[1]))
                    continue
                out.agrees.append(f"{person} {title}")
                continue
            holders = _holders(title, span, person)
            if holders and any(person in d and holders[0] in d for d in out.diffs):
                continue  # the names' slot already said it: 声称张婉强，报道为沈守贤
            if holders:
                out.diffs.append(
                    f"报道中{title}是{holders[0]}，不是{person}"
                    if zh
                    else f"the article gives {title} to {holders[0]}, not {person}"
                )
            else:
                out.missing.append(f"{person}{title}")


# Stages of a piece of work, and the parts firms play in it: a span that names one of a family
# does not state another (主体结构顺利完工 is no 建成通车; 施工单位X is no 由X设计).
_WORK = (
    {
        "开工": re.compile(r"开工|动工|开建|破土"),
        "完工": re.compile(r"完工|竣工|建成|落成"),
        "通车": re.compile(r"通车|投用|投运|投产|开通|开业|启用"),
    },
    {
        "设计": re.compile(r"设计(?:单位|院|方)|由[^，,。；;]{2,24}设计"),
        "施工": re.compile(r"施工(?:单位|方)|承建|由[^，,。；;]{2,24}施工"),
        "监理": re.compile(r"监理(?:单位|方)|由[^，,。；;]{2,24}监理"),
    },
)


def work_check(claim: str, span: str, out: Alignment, zh: bool, context: str = "") -> None:
    """A stage or part the claim names (通车, 设计) that the span does not, while the span names
    another of its family (完工, 施工单位): the span is about that one. A span that names none
    of the family is read with its `context` (the headline and the sentence before): a firm
    the claim names may be printed only there, with the part it plays (施工单位X介绍，… then a
    sentence of the work's next steps is no 由X设计)."""
    for family in _WORK:
        read = span if any(w.search(span) for w in family.values()) else f"{context}\n{span}"
        theirs = [m.group(0) for w in family.values() if (m := w.search(read))]
        printed = {name for name, w in family.items() if w.search(read)}
        for name, w in family.items():
            if theirs and (m := w.search(claim)) and name not in printed:
                word = name if m.group(0).startswith("由") else m.group(0)
                other = next(n for n in family if n in printed)
                out.other_subject.append(
                    f"报道说的是{other}，不是{word}" if zh else f"the report speaks of {other}, not {word}"
                )
                return
