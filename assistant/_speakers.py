"""Who said it: a claim that gives words to a speaker (顾晓燕说，问题主要集中在…) is supported
only by words the report gives to that speaker.

The claim checker reads a claim part by part (`_split_claim.split_facts`): 顾晓燕说 is found in one
sentence of hers, 问题主要集中在… in a quote another official spoke; each part alone is
"supported", the claim is not. A reporter's worst failure is a quote put in the wrong mouth.
"""

from __future__ import annotations

import re

from ._names import SURNAME_CLASS, find_people
from ._normalize import normalise

# Verbs that give words to a speaker (also the said-line after a quote, `_evidence_units`).
SAID_VERB = r"(?:说|笑着说|表示|介绍|指出|坦言|认为|强调|告诉记者|感慨|分析|透露|称)"
# A part of a claim that only names who spoke: 市教育局后勤管理中心主任顾晓燕说 / 沈国强分析：
_SPEAKER_PART = re.compile(rf"(?P<who>[^，,。；;“”\"]{{2,40}}?){SAID_VERB}[：:，,]?")


def speaker(part: str) -> str | None:
    """The person a claim part names as the speaker, when the part is only that (顾晓燕说);
    None for parts that state something."""
    m = _SPEAKER_PART.fullmatch(normalise(part).strip("。 "))
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


def other_speaker(words_around: str, name: str) -> str | None:
    """Someone else the report's words name (…三个方面。”科长沈建明说), or None."""
    others = [p.text for p in find_people(normalise(words_around)) if p.text != name]
    return others[-1] if others else None
