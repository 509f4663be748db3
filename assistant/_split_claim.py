"""A claim → its facts: clauses, a list's items each with the clause's frame (今年一季度, 乍浦镇),
a leading time carried to the parts that name none. Each fact is searched and judged on its own
(`_check.check_fact`).
"""

from __future__ import annotations

import re

from . import _subjects as subjects
from ._facts import find_times
from ._normalize import normalise
from ._slots import mask, terms
from ._speakers import SAID_VERB, speaker
from ._values import items

_FACT_SPLIT = re.compile(r"(?:[，；;。！？!?]|,(?!\d{3}))+|并且|而且|同时")  # 8,000 is one number
_AND_SPLIT = re.compile(r"[、和及并]")
# A clause that only ranks (，位列全市第二 / ，居全市首位) ranks the subject of the clause before.
_RANK_ONLY = re.compile(
    r"(?:位列|位居|名列|排名|排在|排|居)(?:全|第|首|榜|[^，,。；;]{0,10}?第)"
    # ...and so does a clause that only wins a place (，夺得冠军) or only reaches a figure (，达2.7万亩次)
    r"|(?:获得|夺得|摘得|荣获|斩获)[^，,。；;]{0,24}?(?:冠军|亚军|季军|金奖|银奖|铜奖|金牌|银牌|铜牌|[一二三特]等奖)"
    r"|达到?(?=[\d一二三四五六七八九十两])"
)
# Who spoke, then what: 蒋丽华说："订单已排到明年二季度" is two parts, so the words are checked
# against what the report gives that speaker (`_speakers.attributed`), not found anywhere.
_SAID_COLON = re.compile(rf"({SAID_VERB})\s*[：:]\s*")
# An opener that states nothing alone and qualifies what follows in its sentence: a baseline
# (与去年同期相比，…缩短0.5天) or a field (在嘉兴市…评价中，医院位居第三).
_OPENER = re.compile(
    r"(?:与|和|同|跟|较)[^，,。；;]{1,16}?(?:相比|相较|比较|对比)(?:而言)?|比起[^，,。；;]{1,12}"
    r"|在[^，,。；;]{2,30}?(?:中|之中|当中|上|里|方面)"
)


_EDGE_WORDS = re.compile(
    r"(?<=[日月年度季份])(?:以来|至今|起|单月|当月|全月|全年|(?:至|到)(?:\d{1,2}[日号])?(?=[\d一二三四五六七八九十今去明上下本，,]|$))|^(?:截至|截止到?|自|从)"
)


def split_facts(claim: str) -> list[str]:
    """Clauses of a claim, each a fact to check. 和/、 split only between two clauses that
    each state a number (投资4.3亿元和同比增长32%), never inside a list of names. A clause
    that only dates or qualifies (今年一季度，/ 2022年上半年，), or opens what follows (与去年同期
    相比，/ 在全省…评比中，), frames every fact after it in its sentence: each of them is checked
    with it. Who spoke (X说：/ X表示，) is a part of its own, the words said the parts after it."""
    parts: list[str] = []
    for sentence in re.split(r"(?<=[。！？!?])", claim):
        frame, framed, carry, opener = "", False, "", ""
        clauses = [c for x in _FACT_SPLIT.split(sentence) for c in _SAID_COLON.sub("\\1\0", x).split("\0")]
        for clause in clauses:
            clause = clause.strip(" 　")
            if not re.search(r"\w", clause):
                continue  # a quote's closing mark after the full stop states nothing
            for piece in _split_on_and(clause):
                if _OPENER.fullmatch(piece) or _where_opener(piece):
                    opener = f"{opener}，{piece}" if opener else piece  # 与2004年相比 is no time of its own
                    continue
                if _only_frame(piece):
                    # 1991年，…；1993年，… : a new frame after framed facts replaces the old one
                    frame = f"{frame}，{piece}" if frame and not framed else piece
                    framed = False
                    continue
                if frame and _own_time(piece):
                    frame = ""  # 6月份，…；相比之下，5月只有2750人: the clause names its own month
                framed = framed or bool(frame)
                bare, piece = piece, "，".join(x for x in (frame, opener, piece) if x)
                short = len(re.sub(r"[^\w]", "", piece)) < 4
                if short and parts and speaker(parts[-1]):
                    carry += piece + "，"  # 沈建华说：“下一步，我们还要…: the words said go on
                    continue
                piece, carry = carry + piece, ""
                # A fragment too short to state anything (a name in a list) stays with its neighbour,
                # and so does a place with no subject (当湖街道办证1386张，位列全市第二).
                if parts and (short or _RANK_ONLY.match(clause)):
                    # (the frame and opener once: the part before carries them)
                    framing = [x for x in (frame, opener) if x]
                    joined = bare if framing and all(x in parts[-1] for x in framing) else piece
                    parts[-1] = parts[-1] + "，" + joined
                else:
                    parts.append(piece)
        for alone in (frame, opener):
            if alone and not any(alone in p for p in parts):
                parts.append(alone)
        if carry and parts:
            parts[-1] += "，" + carry.rstrip("，")
    # a quote cut by a comma leaves a part with half a pair (“家门口的比赛): the marks go, the words stay
    parts = [p.strip("“”") if p.count("“") != p.count("”") else p for p in parts]
    return parts or [claim.strip()]


def _where_opener(piece: str) -> bool:
    """第十二届市运会团体总分榜上 / 本次评比中: a where with no verb and no figure, which opens the
    clause after it as 在…中 does."""
    text = normalise(piece)
    if not re.fullmatch(
        r"[^，,。；;]{2,30}?(?:榜上|赛场上|会上|之中|当中|评比中|评选中|比赛中)", text
    ) or any(i.kind.startswith("qty:") for i in items(text)):
        return False
    return not any(flag.startswith("v") for _, flag in subjects.tagged(text[:-1]))


def _own_time(piece: str) -> bool:
    return any(t.month is not None or t.year is not None for t in find_times(normalise(piece)))


def _has_words(piece: str) -> bool:
    text = normalise(piece)
    return bool(terms(mask(text, items(text))))


def _only_frame(piece: str) -> bool:
    """Nothing but dates, periods and qualifiers: 今年一季度 / 2022年上半年 / 首批."""
    # 7月以来 / 截至10月底 / 自5月1日起: a period's edge frames the clause after it, as a date does
    text = _EDGE_WORDS.sub("", normalise(piece))
    spans = [(t.start, t.end) for t in find_times(text)] + [
        (m.start(), m.end()) for m in subjects.QUALIFIER.finditer(text)
    ]
    rest = "".join(ch for i, ch in enumerate(text) if not any(s <= i < e for s, e in spans))
    return not terms(mask(rest, items(rest)))


def _split_on_and(clause: str) -> list[str]:
    cuts = [m.start() for m in _AND_SPLIT.finditer(clause)]
    if not cuts or "分别" in clause:
        return [clause]  # A、B分别X和Y is one fact: its sides are bound by the grounding engine
    pieces: list[str] = []
    start = 0
    for c in cuts:
        left, right_end = clause[start:c], (next((x for x in cuts if x > c), len(clause)))
        right = clause[c + 1 : right_end]
        # Both sides state a value *about something*: 74.5%、22.6%和2.9% is one list, not three facts,
        # and 9座四类、五类危桥 one thing of two classes (the same word after each numeral).
        parallel = re.match(r"[一二三四五六七八九十\d]+(\w)", right)
        if parallel and left.endswith(parallel.group(1)) and re.search(r"[一二三四五六七八九十\d]\w$", left):
            continue
        if items(normalise(left)) and items(normalise(right)) and _has_words(right):
            pieces.append(left)
            start = c + 1
    pieces.append(clause[start:])
    return [p for p in pieces if p.strip()]
