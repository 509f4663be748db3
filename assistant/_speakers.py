"""Who said it: a claim that gives words to a speaker (顾晓燕说，问题主要集中在…) is supported
only by words the report gives to that speaker.

The claim checker reads a claim part by part (`_split_claim.split_facts`): 顾晓燕说 is found in one
sentence of hers, 问题主要集中在… in a quote another official spoke; each part alone is
"supported", the claim is not. A reporter's worst failure is a quote put in the wrong mouth.
`attributed` settles each part's verdict once all are checked: words the report gives another by
a said-line contradict the claim's speaker, words it gives no one are not found, and the
speaker's own part holds when the words said are found as that speaker's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ._names import SURNAME_CLASS, find_people
from ._normalize import normalise

if TYPE_CHECKING:
    from ._check import FactResult

# Verbs that give words to a speaker (also the said-line after a quote, `_evidence_units`).
SAID_VERB = r"(?:说|笑着说|表示|介绍|指出|坦言|认为|强调|告诉记者|感慨|分析|透露|称)"
CLOSING_QUOTE = '”」』"’'  # a quote ends, and its said-line may follow
# A part of a claim that only names who spoke: 市教育局后勤管理中心主任顾晓燕说 / 沈国强分析：
_SPEAKER_PART = re.compile(rf"(?P<who>[^，,。；;“”\"]{{2,40}}?){SAID_VERB}[：:，,]?")


def speaker(part: str) -> str | None:
    """The person a claim part names as the speaker, when the part is only that (顾晓燕说);
    None for parts that state something."""
    # “…。”何晓峰说。 is split after the full stop: its said-line keeps the closing mark
    m = _SPEAKER_PART.fullmatch(normalise(part).strip("。 ").lstrip("".join(CLOSING_QUOTE)))
    if m is None:
        return None
    people = [p.text for p in find_people(m.group(0))]
    if people:
        return people[-1]
    # 副局长沈国强分析: a surname and one or two characters just before the verb
    name = re.search(rf"[{SURNAME_CLASS}][\u4e00-\u9fff]{{1,2}}$", m.group("who"))
    return name.group(0) if name else None


def said_by(words_around: str, name: str) -> bool:
    """Whether the report's words around a part (its sentence, the one before, a quote's
    said-line) name the speaker."""
    return name in normalise(words_around)


def speaks(words_around: str, name: str) -> bool:
    """Whether the report's words give `name` a said-line (”吴俊杰说。, 吴俊杰告诉记者), a title
    between them allowed: the words are then that person's, not just near them."""
    said_line = rf"{re.escape(name)}[^，,。；;“”\"]{{0,8}}?{SAID_VERB}"
    return re.search(said_line, normalise(words_around)) is not None


def said_after(text: str, end: int) -> str:
    """The said-line opening the sentence after a quote that ends at `end` (“…上。”校长周立新说，
    学校今年… gives the quote to 周立新), or ""."""
    if not text[:end].rstrip().endswith(tuple(CLOSING_QUOTE)):
        return ""
    m = re.match(rf"[^，,。；;“”]{{2,30}}?{SAID_VERB}", text[end : end + 40])
    return m.group(0) if m else ""


def other_speaker(words_around: str, name: str) -> str | None:
    """Someone else the report's words name (…三个方面。”科长沈建明说), or None."""
    others = [p.text for p in find_people(normalise(words_around)) if p.text != name]
    return others[-1] if others else None


def attributed(facts: list[str], results: list[FactResult], zh: bool) -> list[FactResult]:
    """A part said to be someone's words (顾晓燕说，问题主要集中在…) is supported only by a
    sentence naming that speaker, or the sentence before it (`_speakers`)."""
    speakers = [speaker(f) for f in facts]
    who = next((s for s in speakers if s), None)
    if who is None:
        return results
    out = []
    for spoken, r in zip(speakers, results, strict=True):
        if r.verdict == "supported" and r.unit is not None and spoken is None:
            # the speaker the unit itself names (a quote's said-line is part of it), else the one
            # of the sentence before: 吴晓东介绍，…。“投诉主要集中在…”钱丽说 gives the quote to 钱丽
            own = r.unit.text + said_after(r.unit.article.text, r.unit.end)
            other = None if said_by(own, who) else other_speaker(own, who)
            if other or not said_by(f"{own}\n{r.unit.with_context}", who):
                why = (
                    (f"报道中这是{other}说的，不是{who}" if other else f"报道没有说这是{who}说的")
                    if zh
                    else (f"{other} said it, not {who}" if other else f"the report does not give it to {who}")
                )
                # words the report gives another by a said-line deny the claim's attribution
                given_to_other = other is not None and speaks(own, other)
                r = replace(r, verdict="contradicted" if given_to_other else "not_found", explanation=why)
        out.append(r)
    # The part naming the speaker (周文斌表示) is the words' attribution, not a fact of its own:
    # it holds when a part said is found in words the report gives that speaker (说 for 表示),
    # with the title the claim gives (党委书记王建平说 is not 党委副书记、镇长王建平说).
    said = [r for s, r in zip(speakers, out, strict=True) if s is None and r.verdict == "supported"]
    given = said[0] if said else None
    if given is None or given.unit is None:
        return out
    u = given.unit
    words = normalise(u.with_context + said_after(u.article.text, u.end))
    for i, (f, spoken, r) in enumerate(zip(facts, speakers, out, strict=True)):
        part = _SPEAKER_PART.fullmatch(normalise(f).strip("。 "))
        if spoken != who or r.verdict != "not_found" or part is None:
            continue
        title = part.group("who").replace(who, "")
        if not title or title in words:
            why = f"报道中这是{who}说的" if zh else f"the report gives it to {who}"
            out[i] = replace(r, verdict="supported", explanation=why, unit=u, detail=given.detail)
    return out
