"""Every sentence a model writes, checked against the words of the passage it cites.

`Verifier.verify` takes the model's draft (`_read_llm.Draft`), cuts it into sentences
with their `[n]` markers, and keeps a sentence only when:
- each of its facts (`_check.split_facts`) is `supported` by one evidence unit (a
  sentence or ；-clause) of the passages it cites, by the same engine that checks
  reporters' claims (`_check.judge_fact` -> `_ground.align`): values with units, dates
  resolved against the article's date, subjects, qualifiers, 分别 bindings, roles;
- the supporting unit is about what the question asks (`_ground.answers`: the asked
  people, places, qualifiers and dates, and no instruction planted in the text).
A fact the cited passage does not state but another retrieved passage does is kept
with the citation moved to that passage (the model numbered the wrong one), and the
record says so. English sentences over Chinese passages cannot be aligned word by
word: their figures must be printed in the unit, their Chinese names too, and the unit
must be the one closest in meaning (multilingual-e5) among the cited passages.

Kinds of model sentences handled on their own (each with tests beside what must still be
dropped): a bare value or name is read with the question; a trailing comment with nothing to
check is trimmed; a list is checked item by item across the cited passages, each item printed by
its own evidence; a figure its article never prints, and the last sentence of a draft cut off by
the token limit, are dropped.

Nothing here trusts the model: a kept sentence's citation is an exact quote,
`article.text[start:end]`, with offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _answerable as answerable
from . import _facts as facts
from . import _ground as ground
from ._check import EvidenceUnit, judge_fact, split_facts, units_of
from ._facts import SURNAMES
from ._normalize import normalise
from ._slots import coverage, mask, terms
from ._values import items
from .records import Article, Citation, Hit, Passage

if TYPE_CHECKING:
    from ._index import NewsIndex
    from ._read_llm import Draft

MIN_DENSE_EN = 0.80
# Of the question's content words, the share its evidence (with headline and the sentence
# before) must hold. Below the extractive reader's 0.45: a model's sentence may rest on a
# paraphrase (坠落 for 坠毁, 客机 for 航班); 0.35 chosen on the dev split (RGB dev, 40 queries).
MIN_QUESTION_COVERAGE = 0.35
# The same share of the question, when the unit's own context is short of it, in the passage the
# model read (its headline and text): the asked event named once, its result said after.
MIN_PASSAGE_COVERAGE = 0.5
MIN_OWN_COVERAGE = 0.5
# Of the question, the share the very sentence printing a bare answer (陆文斌; 2023年4月20日) holds.
MIN_BARE_COVERAGE = 0.5
# Of a fact's own words (values aside), the share its evidence must hold: the checker's
# SUPPORT_COVERAGE, applied even when a value agrees.
MIN_FACT_COVERAGE = 0.75  # below this the fact's words are in the headline, not the unit
HEADLINE_FIELDS = (
    "title",
    "subtitle",
    "kicker",
)  # e5 cosine of an English sentence with its Chinese evidence unit
_MARKER = re.compile(r"\s*\[\s*(\d+)\s*\]")
_ZH_SENT = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?(?:\s*\[\s*\d+\s*\])*")
_EN_SENT = re.compile(r".+?(?:(?<!\d)[.!?](?!\d)|$)(?:\s*\[\s*\d+\s*\])*", re.S)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Quote:
    """What a kept sentence cites: its evidence unit's words, or the headline line that states
    the fact when the unit's own words do not (news puts the who-and-where in the headline)."""

    unit: EvidenceUnit
    field: str = "text"  # text | title | subtitle | kicker
    lead: bool = False  # from the sentence before: it prints the value the unit leaves implicit

    @property
    def span(self) -> tuple[int, int]:
        if self.field == "text":
            return (self.unit.context_start if self.lead else self.unit.start), self.unit.end
        return 0, len(getattr(self.unit.article, self.field))

    @property
    def words(self) -> str:
        a, b = self.span
        return getattr(self.unit.article, self.field)[a:b]


@dataclass(frozen=True)
class Kept:
    """A verified sentence and the quotes that state it."""

    sentence: str  # without markers
    units: tuple[Quote, ...]


# A noun phrase that points back (该剧, 该项目, 此次, 这部): its sentence is about what the
# sentence before names.
_ANAPHOR = re.compile(r"(?<!应)该(?=[\u4e00-\u9fff])|此(?:剧|片|书|次|项|届)|这[部项届家座]|本(?:剧|片|届)")


def _terms(text: str) -> list[tuple[str, float]]:
    t = normalise(text)
    return terms(mask(t, items(t)))


def _quote_for(fact: str, unit: EvidenceUnit) -> Quote:
    """The unit, unless only a headline line holds the fact's words (then that line); with the
    sentence before when only that one prints the fact's value (…定档8月17日上映。《少年时代》是…)."""
    nf = normalise(fact)
    own = normalise(unit.text)
    values = [it.text for it in items(nf)]
    if values and unit.context_start < unit.start and not all(v in own for v in values):
        before = normalise(unit.article.text[unit.context_start : unit.end])
        if all(v in before for v in values):
            return Quote(unit, lead=True)
    want = _terms(fact)
    if not want or coverage(want, own) >= MIN_OWN_COVERAGE:
        return Quote(unit)
    lines = [(coverage(want, normalise(getattr(unit.article, f))), f) for f in HEADLINE_FIELDS]
    best, field = max(lines)
    if best > coverage(want, normalise(unit.text)):
        return Quote(unit, field)
    return Quote(unit)


def sentences(answer: str, lang: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer cut into sentences, each with the passage numbers its markers name."""
    pattern = _EN_SENT if lang == "en" else _ZH_SENT
    out = []
    for m in pattern.finditer(answer):
        for piece in _cited_fragments(m.group(0)) if lang != "en" else [m.group(0)]:
            cites = tuple(int(d) for d in _MARKER.findall(piece))
            text = _MARKER.sub("", piece).strip()
            if re.search(r"\w", re.sub(r"[和与及或]", "", text)):  # [1]和[2]: "和" is no sentence
                out.append((text, cites))
    return out


_MARKED_COMMA = re.compile(r"((?:\s*\[\s*\d+\s*\])+)\s*[，,]\s*")


def _cited_fragments(sentence: str) -> list[str]:
    """陈冬[1]，刘洋[2]，蔡旭哲[3]: bare values, each cited on its own, are candidate answers
    checked one by one (the one its passage states is kept); a sentence whose clauses say
    something of their own stays whole, since a clause may need the subject before it."""
    parts = _MARKED_COMMA.split(sentence)
    if len(parts) < 3:
        return [sentence]
    pieces = ["".join(parts[i : i + 2]) for i in range(0, len(parts), 2)]
    if all(is_fragment(_MARKER.sub("", p).strip("。！？!?；; ")) for p in pieces):
        return pieces
    return [sentence]


class Verifier:
    """Checks drafted sentences against the hits' passages; caches articles per call."""

    def __init__(self, index: NewsIndex) -> None:
        self.index = index

    def verify(
        self, question: str, draft: Draft, hits: list[Hit], lang: str, record: list[dict[str, Any]]
    ) -> list[Kept]:
        """Kept sentences in draft order; one record row per sentence (kept or dropped, and why)."""
        cache: dict[str, Article | None] = {}
        kept: list[Kept] = []
        said = sentences(draft.answer, lang)
        cut_off = unfinished(draft)
        # A draft with no [n] and no 编号 line (English answers often have neither) is checked
        # against every passage the model read: the check, not the marker, is what grounds it.
        every = () if draft.numbers or any(m for _, m in said) else tuple(range(1, len(hits) + 1))
        want = asked_kind(question) if lang != "en" else None
        for i, (text, marks) in enumerate(said):
            named = [k for k in (marks or draft.numbers or every) if 1 <= k <= len(hits)]
            row: dict[str, Any] = {"sentence": text, "cites": named}
            if cut_off and i == len(said) - 1:
                # The model ran out of tokens mid-sentence (…总人口达22.): a figure or a qualifier
                # may be missing from what is left.
                record.append({**row, "kept": False, "reason": "unfinished: the draft was cut off"})
                continue
            text = dedupe_clauses(text)
            cited = [hits[k - 1] for k in named]
            others = [h for h in hits if h not in cited]
            shown = text
            if lang == "en":
                units, reason = self._english(text, cited, cache)
            else:
                units, reason, shown = self._chinese(text, question, cited, cache)
                if units is None and others:
                    moved, _, at = self._chinese(text, question, others, cache)
                    if moved is not None:
                        units, reason, shown = moved, None, at
                        row["moved_to"] = sorted({hits.index(h) + 1 for h in others if _holds(h, moved)})
            if (
                units is not None
                and want is not None
                and (event := _time_of_another_event(shown, question, want, units))
            ):
                units, reason = None, f"gives a time, but not of {event} (the event asked about)"
            if units is not None and (odd := _unit_mismatch(shown)):
                units, reason = None, f"“{odd}”: that measure is not counted in that unit"
            if units is not None and want is not None and (other := _other_measure(shown, want, question)):
                units, reason = None, f"“{other}”: another measure than the one asked"
            row["kept"] = units is not None
            if units is None:
                row["reason"] = reason
            else:
                if shown != text:
                    row["trimmed"] = text[len(shown) :].lstrip("，,；; ")
                kept.append(Kept(shown, tuple(units)))
            record.append(row)
        if (
            kept
            and want is not None
            and not any(
                gives(said, want, question)
                for k in kept
                for said in {k.sentence, _claimed(k.sentence, question)}
            )
        ):
            # True sentences that do not give what was asked (names for 几位) are no answer.
            for row in record:
                if row.get("kept"):
                    row["kept"] = False
                    row["reason"] = f"gives no {want.kind} though the question asks for one"
            return []
        return kept

    def _chinese(
        self, sentence: str, question: str, cited: list[Hit], cache: dict[str, Article | None]
    ) -> tuple[list[Quote] | None, str | None, str]:
        """The quotes that state the sentence (None and why not), and the sentence as kept: the
        model's, or its first clauses when only a trailing comment (…的励志故事) is unstated."""
        if not cited:
            return None, "cites no passage", sentence
        units = units_of(self.index, cited, cache)
        passages = {h.passage.id: h.passage for h in cited}
        found, why = self._sentence(sentence, question, units, passages)
        if found is not None:
            return found, None, sentence
        for shorter in trailing_cuts(sentence):
            kept, _ = self._sentence(shorter, question, units, passages)
            if kept is not None:
                return kept, None, shorter
        return None, why, sentence

    def _sentence(
        self, sentence: str, question: str, units: list[EvidenceUnit], passages: dict[str, Passage]
    ) -> tuple[list[Quote] | None, str | None]:
        """Every fact of the sentence stated by the units, and about what was asked."""
        claim = sentence
        todo = split_facts(sentence)
        if is_fragment(sentence):
            # A bare value (2023年4月20日): what it claims is the question's thing with that value.
            claim = completed(question, sentence)
            todo = [claim]
        found: list[Quote] = []
        bare = claim != sentence
        for fact in todo:
            listed = list_items(fact)
            # Each item of a list must be printed by the evidence itself: a company the article
            # names in another sentence (visited by someone else) is not one this sentence visited.
            quotes, why = self._fact(fact, claim, question, units, passages, [i for _, i in listed], bare)
            if quotes is None:
                # A list whose items stand in different passages (拜访了A、B和C): each item on its own.
                if not listed:
                    return None, why
                quotes = []
                for variant, item in listed:
                    got, _ = self._fact(variant, variant, question, units, passages, [item], bare)
                    if got is None:
                        return None, why
                    quotes += got
            for q in quotes:
                if q not in found:
                    found.append(q)
        if not found:
            return None, "states nothing"
        why_not = [answerable.answers(question, q.unit.evidence) for q in found]
        if all(w is not None for w in why_not):
            return None, f"not about what was asked: {why_not[0]}"
        return found, None

    def _fact(
        self,
        fact: str,
        claim: str,
        question: str,
        units: list[EvidenceUnit],
        passages: dict[str, Passage],
        listed: Sequence[str] = (),
        bare: bool = False,
    ) -> tuple[list[Quote] | None, str | None]:
        r = judge_fact(fact, claim, units, one_story=False)
        if r.verdict != "supported" or r.unit is None:
            return None, r.explanation
        context = normalise(r.unit.with_context)
        asked = _terms(question)
        own_text = r.unit.text
        if _ANAPHOR.search(own_text):  # 张丹、张昊将担任该剧的领衔主演: 该剧 is the sentence before's
            own_text = r.unit.article.text[r.unit.context_start : r.unit.end]
        if bare and asked and (own := coverage(asked, normalise(own_text))) < MIN_BARE_COVERAGE:
            # A bare value or name borrows the question's words: the sentence printing it must say
            # them (设计师陆文斌), not the one before (…设计。馆长朱晓红介绍…).
            return None, f"“{fact}”: the sentence printing it holds {own:.2f} of the question"
        absent = [i for i in listed if normalise(i) not in context]
        if absent:
            return None, f"“{fact}”: its evidence does not name {absent[0]}"
        # Stricter than a reporter's claim: a model's fact must be worded by its evidence
        # (平湖今年房价涨了4.3亿元 is not 集团完成交通项目投资4.3亿元, though the figure agrees).
        words = _terms(fact)
        held = coverage(words, context)
        if words and held < MIN_FACT_COVERAGE:
            return None, f"“{fact}”: its evidence holds {held:.2f} of its words (< {MIN_FACT_COVERAGE})"
        unprinted = unprinted_figures(fact, r.unit.article)
        if unprinted:
            return None, f"“{fact}”: {unprinted[0]} is not printed in its article"
        # Each fact's evidence must be about what was asked: names gathered from other
        # sentences do not say who signed the agreement. The passage the model read counts too
        # (news names the event once: 北京冬奥会…500米决赛, then 高亭宇…夺得冠军), at a higher bar.
        # The paper's own town (平湖 of 嘉兴日报·平湖版) is implied by each of its articles: it tells
        # no passage from another, so it does not make one about the question.
        source = normalise(r.unit.article.source)
        asked = [(t, w) for t, w in asked if t not in source] if source else asked
        cov = coverage(asked, context)
        if asked and cov < MIN_QUESTION_COVERAGE:
            p = passages.get(r.unit.passage_id)
            whole = normalise(f"{r.unit.article.headline}\n{p.text}") if p is not None else ""
            pcov = coverage(asked, whole)
            if pcov < MIN_PASSAGE_COVERAGE:
                return (
                    None,
                    f"“{fact}”: its evidence holds {cov:.2f} of the question (< {MIN_QUESTION_COVERAGE})",
                )
        return [_quote_for(fact, r.unit)], None

    def _english(
        self, sentence: str, cited: list[Hit], cache: dict[str, Article | None]
    ) -> tuple[list[Quote] | None, str | None]:
        units = [
            u
            for u in units_of(self.index, cited, cache)
            if not ground.is_instruction(u.text, u.evidence.preceding)
        ]
        if not units:
            return None, "cites no passage"
        emb = self.index.embedder
        qv = np.asarray(emb.embed_query(sentence), dtype=np.float32)
        uv = np.asarray(emb.embed_passages([u.text for u in units]), dtype=np.float32)
        sims = uv @ qv
        best = int(np.argmax(sims))
        unit, sim = units[best], float(sims[best])
        if sim < MIN_DENSE_EN:
            return None, f"no cited sentence says this (closest {sim:.2f} < {MIN_DENSE_EN})"
        printed = normalise(unit.with_context)
        for fig in _FIGURE.findall(sentence.replace(",", "")):
            if fig not in printed.replace(",", ""):
                return None, f"{fig} is not printed in the cited passage"
        for name in _CJK_RUN.findall(sentence):
            if normalise(name) not in printed:
                return None, f"{name} is not printed in the cited passage"
        return [Quote(unit)], None


_BIO = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,3})[，,]\s*[男女][，,]")
_LISTED = re.compile(
    r"(?:^|[、，,和与及])(?P<name>[\u4e00-\u9fff]{2,3}?)(?=[、，,和与及。]|$|主演|领衔|等人|饰演|出演|获得|夺得)"
)
# 张颂文演高启强: a role played (not 导演 / 主演 / 表演, nor 演员…).
_PLAYS = re.compile(
    r"(?:饰演|扮演|(?<![导主表出公开讲上])演)(?:的是|了)?(?P<name>(?!员)[\u4e00-\u9fff]{2,3})(?=[，,。、；]|$)"
)
_ROLE_NAME = re.compile(
    r"(?:演员|选手|歌手|导演|编剧|主持人|运动员|队员|教练|作家|画家|主演)(?P<name>[\u4e00-\u9fff]{2,3}?)"
    r"(?=饰演|出演|主演|获得|夺得|担任|[，,。、和与及]|$)"
)
_FOREIGN = re.compile(r"[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}")


# A measure and the units it is counted in: 亩产 in 公斤, not in 元 (a model gluing a price to a
# yield). Only measures whose unit family is unambiguous are listed.
_MEASURE_UNITS = (
    (r"亩产|单产|产量|重量|体重|净重", r"克|公斤|千克|斤|吨"),
    (r"面积|占地", r"平方米|平方公里|平方千米|亩|公顷"),
    (r"全长|长度|总长|里程|距离|宽度|高度|海拔", r"米|公里|千米|厘米|毫米"),
    (r"价格|售价|票价|投资|总投资|营收|收入|利润|补贴|奖金|资金|税收|成本", r"元"),
    (r"气温|温度", r"℃|度"),
)
_MEASURE_BEFORE = re.compile(r"(?:是|为|达|达到|约|约为|仅|共|超过|高达|突破|在)*$")


def _unit_mismatch(sentence: str) -> str | None:
    """`亩产9.6元`: the measure printed just before a figure is not counted in the figure's unit."""
    s = normalise(sentence)
    for q in facts.find_quantities(s):
        before = re.split(r"[，,。；;：:、]", s[: s.find(q.text)])[-1]
        before = before[: len(before) - len(_MEASURE_BEFORE.search(before).group(0))]
        for measure, units in _MEASURE_UNITS:
            m = re.search(rf"(?:{measure})$", before)
            if m and q.unit and not re.search(rf"(?:{units})$", q.unit):
                return f"{m.group(0)}{q.text}"
    return None


# A rate or an amount named just before a figure: 死亡率为7.37‰, 出口额达…
_MEASURE_NAME = re.compile(r"[\u4e00-\u9fff]{2}(?:率|额)$")


def _other_measure(sentence: str, want: facts.AnswerType, question: str) -> str | None:
    """出生率 asked, 人口死亡率为7.37‰ said: a figure printed as another rate (or amount) than the
    question's. True sentences after the answer (the model copies the rest of the passage)
    otherwise stand in for an answer the verifier dropped."""
    q = normalise(question)
    asked = re.findall(r"[\u4e00-\u9fff]{2}(?:率|额)", q)
    if want.kind != "number" or not asked:
        return None
    s = normalise(sentence)
    for qn in facts.find_quantities(s):
        before = re.split(r"[，,。；;：:、]", s[: qn.start])[-1].rstrip("-−+ ")  # 为-0.60‰
        before = before[: len(before) - len(_MEASURE_BEFORE.search(before).group(0))]
        m = _MEASURE_NAME.search(before)
        if m and m.group(0) not in q and any(a[-1] == m.group(0)[-1] for a in asked):
            return f"{m.group(0)}{qn.text}"
    return None


def _time_of_another_event(
    sentence: str, question: str, want: facts.AnswerType, quotes: Sequence[Quote]
) -> str | None:
    """For a "when" question, the event asked (通车) when the sentence gives a time but neither
    it nor the sentences it quotes say that event (于2024年3月开工建设 for 哪一天通车)."""
    if want.kind != "time" or not gives(sentence, want, question):
        return None
    event = answerable.event_absent(question, sentence)
    if event and all(answerable.event_absent(question, q.unit.text) for q in quotes):
        return event
    return None


def _people_like(s: str) -> list[str]:
    """Names a person answer gives without a title: a profile's first word (舒畅，男，…), an
    enumeration of surname-led names (雷佳音、张子枫), a name after 演员/选手, a name with ·."""
    names = [m.group("name") for m in (_BIO.match(s),) if m]
    names += [
        m.group("name")
        for pattern in (_LISTED, _ROLE_NAME)
        for m in pattern.finditer(s)
        if m.group("name")[0] in SURNAMES
    ]
    names += [m.group("name") for m in _PLAYS.finditer(s)]
    names += _FOREIGN.findall(s)
    return names


def gives(sentence: str, want: facts.AnswerType, question: str) -> bool:
    """The sentence holds a thing of the asked kind (a number, a time, a person) that the
    question does not already say; kinds the rules cannot spot in a fragment pass."""
    s = normalise(sentence)
    if want.kind == "number" and want.unit == "元":  # money: 520万元, 687亿美元, 3000万欧元
        return any(q.unit.endswith("元") and q.text not in question for q in facts.find_quantities(s))
    if want.kind == "number":
        from ._read_extractive import asked_numbers

        return any(True for _ in asked_numbers(s, want, normalise(question), "zh"))
    if want.kind in ("time", "duration"):
        quantities = facts.find_quantities(s)
        if want.kind == "time":  # 车程缩短至8分钟 says how long, not when; 20时 (a bare hour) says when
            quantities = [q for q in quantities if q.unit in _CLOCK]
        times = [t.text for t in facts.find_times(s)] + [q.text for q in quantities]
        return any(t not in question for t in times)
    q = normalise(question)
    if want.kind == "person":
        if any(n not in question for n in _people_like(s)) or _bare_name(s, q):
            return True
        if (made := _MAKER.search(q)) and _maker(s, made.group(1), q):
            return True  # 谁制作的 is answered by a studio as well as by a person
        return any(p.text not in question for p in facts.find_people(s))
    if want.kind == "place":
        places = _places(s)
        return any(m.text not in q and (_after_locative(m, places, s) or _new(m, s, q)) for m in places)
    if want.kind == "name" and _ROLE_HEAD.search(q):
        # 冠军 / 主演 / 总统 are answered by a name, not by where the event was held: a name
        # after 在 / 于 (…争夺战在河南新乡进行) says where, not who.
        names = facts.find_names(s)
        return any(_new(m, s, q) and not _after_locative(m, names, s) for m in names) or any(
            n not in q for n in _people_like(s)
        )
    return True


_CLOCK = ("", "时", "点", "日", "号")

_ROLE_HEAD = re.compile(
    r"(?:冠军|亚军|季军|金牌|银牌|铜牌|得主|获得者|主演|导演|总导演|主教练|教练|旗手|火炬手|议长|总理|首相|总统"
    r"|市长|首席执行官|CEO|董事长)(?:有哪些|是谁|是|为)?(?:什么|谁|哪个|哪些|哪位)?[？?]?$"
)


def _after_locative(m: facts.Mention, names: list[facts.Mention], s: str) -> bool:
    """The name ends a run of names (在[河南][新乡]) that follows 在 / 于 / 位于 …"""
    begins = {n.end: n.start for n in names}
    at = m.start
    while at in begins and begins[at] < at:
        at = begins[at]
    return bool(_LOCATIVE.search(s[:at]))


_MAKER = re.compile(
    r"谁(?:来|负责)?(制作|出品|开发|研发|创立|创办|创建|主办|承办|发布|推出|生产|设计|建造|发起)"
)


def _maker(s: str, verb: str, question: str) -> bool:
    """A name printed just before the question's verb (艺画开天制作) that the question lacks."""
    at = s.find(verb)
    if at <= 0:
        return False
    before = re.split(r"[，,。；;、：:]|由|是", s[:at])[-1].strip()
    return 2 <= len(before) <= 12 and before not in question and not _NOT_A_NAME.search(before)


def _bare_name(s: str, question: str) -> bool:
    """The whole answer is a short name (舒畅, 山上彻也, 凯文·麦卡锡) the question lacks: a model
    that answers 谁 with two to four characters gives a person or declines."""
    t = re.sub(r"[。！!\s]+$", "", s)
    shaped = re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}", t) or (
        5 <= len(t) <= 8 and all(c in _TRANSLITERATION for c in t)  # 格什科维奇, printed without ·
    )
    return bool(shaped) and t not in question and not _NOT_A_NAME.search(t)


# Characters of transliterated foreign names (Xinhua's 世界人名翻译大辞典 use): a five-to-eight
# character run of only these is a foreign name, not a phrase.
_TRANSLITERATION = set(
    "阿埃艾爱安昂奥巴拜班邦保鲍贝本比彼毕宾波伯博布查达戴丹道德迪蒂丁东杜敦多厄恩尔法范菲斐芬丰佛夫"
    "弗福伏盖甘冈戈格根贡古瓜圭哈海汉豪赫亨洪胡霍基吉加迦贾杰卡凯坎康考柯科克肯库夸奎昆拉莱赖兰朗劳"
    "勒雷黎里利莉林琳卢鲁伦罗洛吕马玛迈麦曼芒梅门蒙米敏摩莫墨姆穆纳娜奈南内尼宁纽努诺帕潘庞佩彭皮"
    "珀坡普奇齐乔切琴丘屈瑞萨塞赛桑瑟森沙莎舍什斯松苏索塔泰坦汤唐陶特滕提图托瓦万旺威韦维温翁沃乌"
    "伍西希锡谢辛休雅亚扬耶叶伊尤约泽扎詹兹佐"
)


_NOT_A_NAME = re.compile(r"[的是了在有不没年月日]|不知|无法|未知|资料")
_LOCATIVE = re.compile(r"(?:在|于|位于|来到|赴|到|从)$")


def _places(s: str) -> list[facts.Mention]:
    """Places a sentence names: jieba's ns words, place-suffixed phrases, countries."""
    found = [m for m in facts.find_names(s) if m.kind == "place"] + facts.find_places(s)
    found += [facts.Mention(c, "place", i, i + len(c)) for c in facts.COUNTRIES if (i := s.find(c)) >= 0]
    return found


def _new(m: facts.Mention, s: str, question: str) -> bool:
    """A name the question does not already say, and not the first word of the question's own
    subject (中国 in 中国金鸡百花电影节 when 金鸡百花电影节 is asked about)."""
    if m.text in question:
        return False
    after = s[m.end : m.end + 2]
    return not (len(after) == 2 and after in question)


def _holds(hit: Hit, quotes: list[Quote]) -> bool:
    return any(q.unit.passage_id == hit.passage.id for q in quotes)


def compose(kept: list[Kept], lang: str) -> tuple[str, tuple[Citation, ...]]:
    """Kept sentences with `[n]` markers numbered by first use; one citation per quote."""
    citations: list[Citation] = []
    number: dict[tuple[str, str, int, int], int] = {}
    parts: dict[str, list[str]] = {}  # a sentence said twice (墨西哥城[1]…墨西哥城[2]) is said once
    for k in kept:
        marks = []
        for q in k.units:
            a, (start, end) = q.unit.article, q.span
            key = (a.id, q.field, start, end)
            if key not in number:
                number[key] = len(citations) + 1
                citations.append(
                    Citation(
                        number[key],
                        a.id,
                        a.title,
                        a.date,
                        q.unit.passage_id,
                        q.words,
                        start,
                        end,
                        a.source,
                        field=q.field,
                    )
                )
            marks.append(f"[{number[key]}]")
        s = k.sentence
        if lang != "en" and not re.search(r"[。！？!?]$", s):
            s += "。"
        elif lang == "en" and not re.search(r"[.!?]$", s):
            s += "."
        parts.setdefault(s, []).extend(marks)
    joined = [s + "".join(dict.fromkeys(marks)) for s, marks in parts.items()]
    return (" " if lang == "en" else "").join(joined), tuple(citations)


# ------------------------------------------------------------------ kinds of model sentences

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
    rest = _FOREIGN.sub(" ", mask(t, found))
    if not terms(rest):
        return bool(found) or rest != mask(t, found)
    pieces = [p for p in re.split(r"[、，,和与及\s。！？!?]+", rest) if p]
    if not 0 < len(pieces) <= 8 or any(len(p) > 4 for p in pieces):
        return False
    if any(w.flag.startswith(("v", "p")) for w in _pos(rest)):
        return False
    one = pieces[0]
    return len(pieces) > 1 or one in ground.proper_names(rest) or (len(one) <= 3 and one[0] in SURNAMES)


def _pos(text: str) -> list[Any]:
    import jieba.posseg

    return list(jieba.posseg.lcut(text, HMM=False))


_QUESTION_WORDS = re.compile(
    r"(?:是|为)?(?:什么时候|什么时间|何时|哪一天|哪天|哪一年|哪年|几月几日|几号|多少钱|多少|几[个位家所条次]?"
    r"|在哪里|在哪儿|在哪|哪里|哪儿|哪些|哪个|哪家|哪位|什么|谁)|[吗呢？?。！!\s]+$"
)


def _claimed(sentence: str, question: str) -> str:
    """What the sentence says: a bare value, with the question's thing."""
    return completed(question, sentence) if is_fragment(sentence) else sentence


def completed(question: str, fragment: str) -> str:
    """The question's thing said with the fragment's value: 灌篮高手电影中国上映时间是2023年4月20日."""
    # 谁是神舟十四号的指令长 asks for the X of 谁是X: its 是 goes with the answer, not the stem.
    stem = _QUESTION_WORDS.sub("", re.sub(r"^(?:请问)?(?:谁|哪位|哪个人)(?:是|为)", "", question))
    stem = stem.strip("，,。？? ")
    value = re.sub(r"[。！？!?]+$", "", fragment.strip())
    return f"{stem}是{value}"


_NEGATION = re.compile(r"[不没未非无勿]|并非|否认")


def _comment(clause: str) -> bool:
    """A clause with nothing to check: no value, name, qualifier, direction or negation."""
    t = normalise(clause)
    return not (
        items(t)
        or ground.proper_names(t)
        or ground.QUALIFIER.search(t)
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


def unprinted_figures(fact: str, article: Article) -> list[str]:
    """Figures of the fact its article never prints (1992 where the dateline says 9月16日), as
    digits or as a value (4次 for 四次, 1.2万 for 12000), save the article's own year (今年 in a
    2024 article is 2024年)."""
    digits = re.compile(r"\d+(?:\.\d+)?")
    plain = re.compile(r"(?<=\d),(?=\d{3})")
    ours = plain.sub("", normalise(fact))
    printed = plain.sub("", normalise(f"{article.headline}\n{article.text}"))
    theirs = set(digits.findall(printed))
    values: set[float] = set()
    for it in items(printed, article.date):
        values.update(v for v in (it.value, it.lo, it.hi) if v)
        if it.time is not None:
            values.update(float(v) for v in (it.time.year, it.time.month, it.time.day) if v is not None)
    year = (article.date or "")[:4]
    found = items(ours)
    out = []
    for m in digits.finditer(ours):
        d = m.group(0)
        if d in theirs or d == year or float(d) in values:
            continue
        around = [it for it in found if it.start <= m.start() < it.end]
        if around and around[0].value and around[0].value in values:
            continue  # 1.2万人 for 12000人
        out.append(d)
    return list(dict.fromkeys(out))


# 在哪一集 / 第几季 ask a number; 哪季稻子 asks which crop of the year (早稻, 晚稻).
_EPISODE = re.compile(r"(?:哪一?|第几)(?:[集期届场轮次版]|季(?!稻|作物|粮|庄稼|蔬菜|水果|茶))")
_WHEN_NOUN = re.compile(r"(?:时间|日期)(?:是|为)?[？?]?$")
_MONEY = re.compile(r"多少钱|罚款?了?多少|多少罚款|金额")


def asked_kind(question: str) -> facts.AnswerType:
    """What the question asks for, with the keyword questions news readers type: 去世时间 (a
    time), 在哪一集 (a number), 罚了多少钱 (money in 元)."""
    from dataclasses import replace

    q = normalise(question)
    want = facts.answer_type(q, "zh")
    if want.kind in ("other", "place", "entity"):
        if _EPISODE.search(q):
            return facts.AnswerType("number", ordinal=True)  # 第29集
        if _WHEN_NOUN.search(q):
            return facts.AnswerType("time")
    if want.kind == "number" and not want.unit and _MONEY.search(q):
        return replace(want, unit="元", counted="")
    return want


def same_answer(draft_answer: str, question: str, other: str) -> bool | None:
    """Whether another reader's answer says what the model's did: one of its values or names,
    or, when it has none, most of its words beyond the question's (None: nothing to compare)."""
    ours = normalise(_MARKER.sub("", draft_answer))
    q = normalise(question)
    theirs = normalise(other)
    said = [it.text for it in items(ours) if it.text not in q]
    said += [n for n in ground.proper_names(ours) if n not in q]
    if said:
        return any(x in theirs for x in said)
    asked = {t for t, _ in _terms(question)}
    words = [(t, w) for t, w in _terms(ours) if t not in asked]
    if not words:
        return None
    return coverage(words, theirs) >= MIN_OWN_COVERAGE
