"""A model's draft cut into the sentences the verifier checks, and the kinds of sentence read
on their own terms.

`sentences` cuts the answer line at sentence ends (and bare answers cited one by one,
陈冬[1]，刘洋[2], into one piece each), keeping the passage numbers each piece's `[n]`
markers name. A bare value or name (`is_fragment`) claims the question's thing with that value
(`completed`); a trailing clause with nothing to check is a comment that may be cut
(`trailing_cuts`); a list (走访了A、B和C) is checked item by item (`list_items`); the last
sentence of a draft cut off by the token limit is `unfinished`; a speaker with nothing said
(…陆文华说。) is `only_who_spoke`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import _facts as facts
from . import _subjects as subjects
from ._names import FOREIGN_NAME, SPEECH_VERBS, SURNAMES
from ._normalize import normalise
from ._slots import mask, terms
from ._values import items

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._read_llm import Draft

MARKER = re.compile(r"\s*\[\s*(\d+)\s*\]")
_ZH_SENT = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?(?:\s*\[\s*\d+\s*\])*")
# A full stop after an abbreviation (No. 2, Mr. Chen) ends no sentence.
_EN_SENT = re.compile(
    r".+?(?:(?<!\d)(?<!\bNo)(?<!\bno)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bvs)[.!?](?!\d)|$)"
    r"(?:\s*\[\s*\d+\s*\])*",
    re.S,
)


def sentences(answer: str, lang: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer cut into sentences, each with the passage numbers its markers name."""
    pattern = _EN_SENT if lang == "en" else _ZH_SENT
    out = []
    for m in pattern.finditer(answer):
        for piece in _cited_fragments(m.group(0)) if lang != "en" else [m.group(0)]:
            cites = tuple(int(d) for d in MARKER.findall(piece))
            # 1. 拆除违建养殖棚42处；: a list's numbering is no figure of the sentence
            text = _ENUMERATOR.sub("", MARKER.sub("", piece).strip())
            if re.search(r"\w", re.sub(r"[和与及或]", "", text)):  # [1]和[2]: "和" is no sentence
                out.append((text, cites))
    return out


_ENUMERATOR = re.compile(r"^(?:\d{1,2}[.．、)）](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十][、.．])\s*")
_MARKED_COMMA = re.compile(r"((?:\s*\[\s*\d+\s*\])+)\s*[，,]\s*")


def _cited_fragments(sentence: str) -> list[str]:
    """陈冬[1]，刘洋[2]，蔡旭哲[3]: bare values, each cited on its own, are candidate answers
    checked one by one (the one its passage states is kept); a sentence whose clauses say
    something of their own stays whole, since a clause may need the subject before it."""
    parts = _MARKED_COMMA.split(sentence)
    if len(parts) < 3:
        return [sentence]
    pieces = ["".join(parts[i : i + 2]) for i in range(0, len(parts), 2)]
    if all(is_fragment(MARKER.sub("", p).strip("。！？!?；; ")) for p in pieces):
        return pieces
    return [sentence]


_END = re.compile(r"(?:[。！？!?…」”\"）)]|(?<!\d)\.|\[\s*\d+\s*\])\s*$")
CUT_OFF_CHARS = 150  # an answer line this long without an end: the model hit its token limit


def unfinished(draft: Draft) -> bool:
    """The draft stops mid-sentence after a long answer: cut off by the token limit."""
    text = draft.answer.strip()
    return len(text) >= CUT_OFF_CHARS and not _END.search(text)


_CLAUSE = re.compile(r"[，,；;]")


def dedupe_clauses(sentence: str) -> str:
    """Clauses the model repeated (2023年4月20日，2023年4月20日) said once, in their order."""
    parts = [p.strip() for p in _CLAUSE.split(sentence)]
    if len(parts) < 2 or len(set(parts)) == len(parts):
        return sentence
    return "，".join(dict.fromkeys(p for p in parts if p))


def is_fragment(sentence: str) -> bool:
    """Nothing but values or names (2023年4月20日; 弗雷德里克·吉列; 韩国、印尼): no word of its own
    says what they are, so the question says it."""
    t = normalise(sentence)
    found = items(t)
    rest = FOREIGN_NAME.sub(" ", mask(t, found))
    if not terms(rest):
        return bool(found) or rest != mask(t, found)
    pieces = [p for p in re.split(r"[、，,和与及\s。！？!?]+", rest) if p]
    if not 0 < len(pieces) <= 8 or any(len(p) > 4 for p in pieces):
        return False

    # A verb or preposition makes a clause, but jieba tags some given names as verbs (王志远):
    # pieces shaped like a Chinese name (a surname and one or two characters) are not read.
    def name_shaped(p: str) -> bool:
        return 2 <= len(p) <= 3 and p[0] in SURNAMES

    words = " ".join(p for p in pieces if not name_shaped(p))
    if words and any(w.flag.startswith(("v", "p")) for w in _pos(words)):
        return False
    one = pieces[0]
    return len(pieces) > 1 or one in subjects.proper_names(rest) or (len(one) <= 3 and one[0] in SURNAMES)


def _pos(text: str) -> list[Any]:
    import jieba.posseg

    return list(jieba.posseg.lcut(text, HMM=False))


_QUESTION_WORDS = re.compile(
    r"(?:是|为)?(?:什么时候|什么时间|何时|哪一天|哪天|哪一年|哪年|几月几日|几号|多少钱|多少|几[个位家所条次]?"
    r"|在哪里|在哪儿|在哪|哪里|哪儿|哪些|哪(?:一?[支个])?(?:队伍|球队|代表队|队)|哪个|哪家|哪位|什么|谁)"
    r"|[吗呢？?。！!\s]+$"
)


def claimed(sentence: str, question: str) -> str:
    """What the sentence says: a bare value, with the question's thing."""
    return completed(question, sentence) if is_fragment(sentence) else sentence


def completed(question: str, fragment: str) -> str:
    """The question's thing said with the fragment's value: 灌篮高手电影中国上映时间是2023年4月20日."""
    # 谁是神舟十四号的指令长 asks for the X of 谁是X: its 是 goes with the answer, not the stem.
    value = re.sub(r"[。！？!?]+$", "", fragment.strip())
    # 航班上有多少人 + 132人: the count goes where the question asks it (航班上有132人), not after
    # a 是 that leaves the question's 有人 behind.
    # The unit may be longer than a character (全长多少公里 + 18.6公里: 全长18.6公里, not 全长公里是…).
    asked = _HOW_MANY.search(question)
    if asked and items(normalise(value)):
        after = question[asked.end() - len(asked.group("unit")) : asked.end() + 3]
        unit = next((after[:n] for n in range(len(after), 0, -1) if value.endswith(after[:n])), "")
        if unit and re.fullmatch(r"[\u4e00-\u9fff]+", unit):
            end = asked.end() - len(asked.group("unit")) + len(unit)
            return re.sub(r"[？?。！!\s]+$", "", question[: asked.start()] + value + question[end:])
    # 估计要投多少钱 + 21.8亿元: the amount stands where the question asks it (要投21.8亿元); a
    # 是 after the question's verb (要投是21.8亿元) is a claim no article words that way.
    how = _HOW_MUCH.search(question)
    if how and any(it.kind.startswith("qty:") for it in items(normalise(value))):
        return re.sub(r"[？?。！!\s]+$", "", question[: how.start()] + value + question[how.end() :])
    stem = _QUESTION_WORDS.sub("", re.sub(r"^(?:请问)?(?:谁|哪位|哪个人)(?:是|为)", "", question))
    stem = stem.strip("，,。？? ")
    return f"{stem}是{value}"


_COUNTER = "[个位名家人次辆台项件条座所户只头元万亿吨米天年]"  # the measure word after 多少 / 几
_HOW_MUCH = re.compile(
    rf"(?:是|为)?(?:多少(?:钱|资金|经费|{_COUNTER})?|几(?![月号日点时]){_COUNTER}?"
    r"|多长时间|多长|多久|多大|多高|多远|多宽|多深|多重)"
)
_HOW_MANY = re.compile(rf"(?:多少|几)(?P<unit>{_COUNTER}?)")

_SPEECH_VERB = rf"(?:告诉记者|{SPEECH_VERBS})"
_SPEECH_ONLY = re.compile(rf"^[^，,。；;：:“”\"「」]{{1,30}}?{_SPEECH_VERB}[。！!.]?$")


def only_who_spoke(sentence: str, question: str) -> bool:
    """雅山小学校长陆文华说。: a speaker and a speech verb with nothing said (the attribution
    after a quote, copied without the quote). True unless the question asks who said it, the
    one question such a sentence answers."""
    text = MARKER.sub("", sentence).strip()
    return bool(_SPEECH_ONLY.match(text)) and not re.search(rf"(?:谁|哪位|何人){_SPEECH_VERB}", question)


_NEGATION = re.compile(r"[不没未非无勿]|并非|否认")


def _comment(clause: str) -> bool:
    """A clause with nothing to check: no value, name, qualifier, direction or negation."""
    t = normalise(clause)
    return not (
        items(t)
        or subjects.proper_names(t)
        or subjects.QUALIFIER.search(t)
        or facts.find_directions(t)
        or _NEGATION.search(t)
    )


def trailing_cuts(sentence: str, most: int = 3) -> list[str]:
    """The sentence without its last one, two… clauses, while each clause cut is a comment."""
    body = re.sub(r"[。！？!?]+$", "", sentence.strip())
    cuts = [m.start() for m in _CLAUSE.finditer(body)]
    out = []
    for c in reversed(cuts[-most:]):
        if not _comment(body[c + 1 :]) or not re.search(r"\w", body[:c]):
            break
        out.append(body[:c] + "。")
    return out


_LIST_SEP = re.compile(r"、")
_AND = re.compile(r"^(?P<a>.+)(?:以及|和|及|与)(?P<b>.+?)$")
_STOP_FLAGS = ("v", "p", "u", "c", "r", "d", "y", "w")  # verbs, prepositions, particles… end an item


def _item_run(words: list[tuple[str, str]], from_end: bool) -> int:
    """How many words, from the end (or the start), make one item: up to a verb, preposition or
    particle (走访了|恒远精密公司, 淡马锡|等企业); 新越 is one name, not an adverb, inside one."""
    seq = list(reversed(words)) if from_end else words
    n = 0
    for i, (w, flag) in enumerate(seq):
        stop = flag.startswith(_STOP_FLAGS) and not (0 < i < len(seq) - 1 and len(w) == 1 and flag == "d")
        if stop or not w.strip() or re.fullmatch(r"\W+", w):
            break
        n += 1
    return n


def list_variants(fact: str) -> list[str]:
    """The fact once per item of its list (走访了A、B和C公司 -> 走访了A公司 / B公司 / C公司), or []."""
    return [v for v, _ in list_items(fact)]


def list_items(fact: str) -> list[tuple[str, str]]:
    """(the fact with only this item, the item) for each item of the fact's list, or []."""
    import jieba.posseg

    parts = _LIST_SEP.split(fact)
    m = _AND.match(parts[-1])
    if m:
        parts = [*parts[:-1], m.group("a"), m.group("b")]
    if len(parts) < 2:
        return []
    first = [(p.word, p.flag) for p in jieba.posseg.lcut(parts[0], HMM=False)]
    k = _item_run(first, from_end=True)
    if not k or k == len(first):
        return []  # no head (A、B分别…) or no item to cut out
    head = "".join(w for w, _ in first[: len(first) - k])
    last = [(p.word, p.flag) for p in jieba.posseg.lcut(parts[-1], HMM=False)]
    j = _item_run(last, from_end=False)
    if not j:
        return []
    tail = "".join(w for w, _ in last[j:])
    named = ["".join(w for w, _ in first[len(first) - k :]), *parts[1:-1], "".join(w for w, _ in last[:j])]
    if any(not i.strip() or len(i) > 20 for i in named):
        return []
    return [(f"{head}{i}{tail}", i) for i in named]


def prune_credits(
    sentence: str,
    found: tuple[str, str] | None,
    check: Callable[[str], tuple[str, str] | None],
) -> tuple[list[str], str, tuple[str, str] | None]:
    """A bare list of names (甄子丹、罗志良、韩雪) without the names `check` finds credited otherwise
    (罗志良, 编剧), one at a time: (the names taken out, the list left, None) when some name is left
    that nothing objects to; else ([], the sentence, what `check` found first)."""
    pieces = [p for p in re.split(r"[、，,和与及\s]+", sentence.strip("。！!")) if p]
    if len(pieces) < 2 or any(not 1 < len(p) <= 4 and "·" not in p for p in pieces):
        return [], sentence, found  # not a bare list of names
    left, out = sentence, []
    while found is not None:
        name = found[0]
        cut = re.sub(
            rf"{re.escape(name)}(?:[、，,和与及]|$)|[、，,和与及]{re.escape(name)}(?=[。！!]?$)",
            "",
            left,
            count=1,
        )
        if cut == left or not re.sub(r"[\W_]+", "", cut):
            return [], sentence, check(sentence)
        left, out = cut, [*out, name]
        found = check(left)
    return out, left, None
