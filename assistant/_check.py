"""Claims checked against the archive, fact by fact, with verbatim quotes as evidence.

A claim is split into facts (clauses). For each fact the archive is searched, the
retrieved passages are cut into sentences (and at ；, so one project of a long list
is one piece of evidence), and the sentences that hold most of the fact's words are
handed to the grounding engine (`_ground.align`), which decides whether a sentence
states the fact about the same subject, states another value in the same slot, or
does not say.

No model judges the claim: every verdict can be explained ("声称20家，报道为16家") and
every quote is `article.text[start:end]`. A fact whose subject the archive holds but
whose number or date it never states is `not_found`, not `contradicted`: silence is
not a denial.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import _ground as ground
from . import _subjects as subjects
from ._batch import requests
from ._bindings import other_sibling, place_rival, place_swap, value_sibling
from ._evidence import Alignment, Evidence, _say
from ._facts import detect_language, find_times
from ._normalize import as_written, normalise
from ._search import Filters, Searcher, clean_query
from ._slots import coverage, mask, terms
from ._split_passages import sentence_spans
from ._values import items
from .config import Settings
from .errors import EmptyQueryError, InputError
from .records import Article, CheckResult, Citation, Hit

if TYPE_CHECKING:
    from ._index import NewsIndex

# How much of a fact's wording a sentence must hold to be about the same thing, and,
# for a fact with nothing to compare (no number, date or direction), to support it.
MIN_COVERAGE = 0.5
SUPPORT_COVERAGE = 0.75
# A supporting sentence this close in score to a contradicting one wins: archives
# repeat a figure in several places, and one stray sentence should not flip a verdict.
SUPPORT_MARGIN = 0.15
# A part of a longer claim (同比增长8.0%) is not supported by an article holding less than
# this share of the rest of the claim's words when another article holds more: the claim
# tells one story, and another story's 同比增长8.0% does not state it.
STORY_COVERAGE = 0.5
HITS_PER_QUERY = 8
MAX_FACTS = 12  # each fact is a search: a pasted article is not a claim
EN_CLAIM = (
    "English claims cannot be checked: the checker compares a claim's words and figures with the "
    "Chinese text of the articles. Write the claim in Chinese (e.g. 平湖今年加装电梯目标120台) to check it."
)

_FACT_SPLIT = re.compile(r"(?:[，；;。！？!?]|,(?!\d{3}))+|并且|而且|同时")  # 8,000 is one number
_AND_SPLIT = re.compile(r"[、和及并]")
_UNIT_SPLIT = re.compile(r"[；;]")

# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class EvidenceUnit:
    """A sentence (or ；-clause) of an article: the smallest piece of evidence we quote."""

    article: Article
    passage_id: str
    start: int
    end: int
    rank: int
    context_start: int  # the sentence before: news often names the subject once, then says 该/当前

    @property
    def with_context(self) -> str:
        return f"{self.article.headline}\n{self.article.text[self.context_start : self.end]}"

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def evidence(self) -> Evidence:
        return Evidence.around(self.article, self.start, self.end, self.context_start)


# ------------------------------------------------------------------ splitting a claim


def split_facts(claim: str) -> list[str]:
    """Clauses of a claim, each a fact to check. 和/、 split only between two clauses that
    each state a number (投资4.3亿元和同比增长32%), never inside a list of names. A clause
    that only dates or qualifies (今年一季度，/ 2022年上半年，) frames every fact after it in
    its sentence: each of them is checked with it."""
    parts: list[str] = []
    for sentence in re.split(r"(?<=[。！？!?])", claim):
        frame, framed = "", False
        for clause in _FACT_SPLIT.split(sentence):
            clause = clause.strip(" 　")
            if not clause:
                continue
            for piece in _split_on_and(clause):
                if _only_frame(piece):
                    # 1991年，…；1993年，… : a new frame after framed facts replaces the old one
                    frame = f"{frame}，{piece}" if frame and not framed else piece
                    framed = False
                    continue
                if frame and _own_time(piece):
                    frame = ""  # 6月份，…；相比之下，5月只有2750人: the clause names its own month
                framed = framed or bool(frame)
                piece = f"{frame}，{piece}" if frame else piece
                # A fragment too short to state anything (a name in a list) stays with its neighbour.
                if parts and len(re.sub(r"[^\w]", "", piece)) < 4:
                    parts[-1] = parts[-1] + "，" + piece
                else:
                    parts.append(piece)
        if frame and not any(frame in p for p in parts):
            parts.append(frame)
    return parts or [claim.strip()]


def _own_time(piece: str) -> bool:
    return any(t.month is not None or t.year is not None for t in find_times(normalise(piece)))


def _has_words(piece: str) -> bool:
    text = normalise(piece)
    return bool(terms(mask(text, items(text))))


def _only_frame(piece: str) -> bool:
    """Nothing but dates, periods and qualifiers: 今年一季度 / 2022年上半年 / 首批."""
    text = normalise(piece)
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
        # Both sides state a value *about something*: 74.5%、22.6%和2.9% is one list, not three facts.
        if items(normalise(left)) and items(normalise(right)) and _has_words(right):
            pieces.append(left)
            start = c + 1
    pieces.append(clause[start:])
    return [p for p in pieces if p.strip()]


# ------------------------------------------------------------------ the archive side


def units_of(index: NewsIndex, hits: Iterable[Hit], cache: dict[str, Article | None]) -> list[EvidenceUnit]:
    """The evidence units (sentences, ；-clauses) of these hits' passages, in hit order."""
    units: list[EvidenceUnit] = []
    seen: set[tuple[str, int]] = set()
    for rank, hit in enumerate(hits):
        p = hit.passage
        if p.article_id not in cache:
            cache[p.article_id] = index.get_article(p.article_id)
        art = cache[p.article_id]
        if art is None:
            continue
        spans = sentence_spans(art.text)
        inside = [i for i, (s, e) in enumerate(spans) if e > p.start and s < p.end]
        if inside:
            # A quote and the line naming its speaker ("……关键一招。”副总经理吴加杰说。) are one
            # report, one unit, though a passage boundary may fall between them.
            first, last = inside[0], inside[-1]
            if first and _quoted_then_said(art.text, spans[first - 1], spans[first]):
                inside.insert(0, first - 1)
            if last + 1 < len(spans) and _quoted_then_said(art.text, spans[last], spans[last + 1]):
                inside.append(last + 1)
        joined = {i for i in inside[:-1] if _quoted_then_said(art.text, spans[i], spans[i + 1])}
        for i in inside:
            if i - 1 in joined:
                continue  # quoted with the quote before it, as one unit
            s, e = spans[i][0], spans[i + 1 if i in joined else i][1]
            before = spans[i - 1][0] if i and "\n" not in art.text[spans[i - 1][0] : s] else s
            pos = s
            for m in [*_UNIT_SPLIT.finditer(art.text, s, e), None]:
                cut = m.end() if m else e
                us, ue = _trim(art.text, pos, cut)
                pos = cut
                if ue - us < 2 or (art.id, us) in seen:
                    continue
                seen.add((art.id, us))
                units.append(EvidenceUnit(art, p.id, us, ue, rank, min(before, us)))
    return units


_CLOSING_QUOTE = '”」』"’'
_SAID = re.compile(
    r"[^“”「」。！？!?]{0,40}(?:说|表示|介绍|指出|坦言|认为|强调|告诉记者|感慨|笑着说)[。！!]?"
)


def _quoted_then_said(text: str, quote: tuple[int, int], said: tuple[int, int]) -> bool:
    """`said` is the short line naming who spoke the quote sentence `quote` ends with."""
    q = text[quote[0] : quote[1]].rstrip()
    line = text[said[0] : said[1]].strip()
    return bool(q) and q[-1] in _CLOSING_QUOTE and _SAID.fullmatch(line) is not None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


@dataclass
class FactResult:
    fact: str
    verdict: str
    explanation: str
    unit: EvidenceUnit | None = None
    detail: Alignment | None = None
    score: float = 0.0


def check_fact(
    searcher: Searcher,
    fact: str,
    claim: str,
    filters: Filters,
    cache: dict[str, Article | None],
    searched: dict[str, list[Hit]],
    near: EvidenceUnit | None = None,
) -> FactResult:
    queries = [claim] if fact == claim else [fact, claim]
    hits: list[Hit] = []
    seen: set[str] = set()
    for q in queries:
        if q not in searched:  # the whole claim is searched once, for all its facts
            searched[q] = searcher.search(q, HITS_PER_QUERY, filters)
        for h in searched[q]:
            if h.passage.id not in seen:
                seen.add(h.passage.id)
                hits.append(h)
    return judge_fact(fact, claim, units_of(searcher.index, hits, cache), near=near)


def judge_fact(
    fact: str,
    claim: str,
    units: list[EvidenceUnit],
    *,
    one_story: bool = True,
    near: EvidenceUnit | None = None,
) -> FactResult:
    """The verdict of one fact over these evidence units: the units holding most of the fact's
    words go to the grounding engine; a support close in score to a contradiction wins.
    `one_story`: the claim is one report, so a part of it is not supported by another story's
    sentence (off for a model's answer, whose sentences cite several passages). `near`: the unit
    that decided the claim's part before this one; its verdict, when it gives one, wins over one
    from elsewhere (…总额386.5亿元，同比增长9.7%: the lead's 9.7%, not 跨境电商's 46.5%)."""
    zh = detect_language(claim) != "en"
    nf = normalise(fact)
    weighted = terms(mask(nf, items(nf)))
    nc, own = normalise(claim), {x for x, _ in weighted}
    context = [(t, w) for t, w in terms(nc) if t not in own]
    # The rest of the claim's words, figures aside (十六家 is printed 16家), for the story rule.
    story_words = [(t, w) for t, w in terms(mask(nc, items(nc))) if t not in own]
    scored: list[tuple[float, float, EvidenceUnit]] = []
    for u in units:
        ut = normalise(u.text)
        cov = max(coverage(weighted, ut), 0.9 * coverage(weighted, normalise(u.with_context)))
        if cov >= MIN_COVERAGE:
            scored.append((cov + 0.3 * coverage(context, ut) - 0.01 * u.rank, cov, u))
    scored.sort(key=lambda x: -x[0])
    looked = scored[:12]
    if near is not None:
        # the sentence that decided the part before is read whatever its share of this part's
        # words (光机电产品出口96.7亿元，增长18.9% for 比去年同期增长18.9%)
        seen = {id(u) for *_, u in looked}
        looked += [(0.0, 0.0, u) for u in units if _same_unit(u, near) and id(u) not in seen]
    if not looked:
        nothing = f"资料库中没有关于“{fact}”的报道" if zh else f"the archive holds nothing on “{fact}”"
        return FactResult(fact, "not_found", nothing)
    decided: list[FactResult] = []
    closest: FactResult | None = None
    top: FactResult | None = None  # the unit holding most of the fact's words
    story: dict[str, float] = {}
    if story_words and one_story:
        for _, _, u in looked:
            if u.article.id not in story:
                body = normalise(f"{u.article.headline}\n{u.article.text}")
                story[u.article.id] = coverage(story_words, body)
    told = max(story.values(), default=0.0) >= STORY_COVERAGE  # some article tells the claim's story
    for score, cov, u in looked:
        o = ground.align(fact, u.evidence)
        if o.verdict == "supported" and not o.checkable and cov < SUPPORT_COVERAGE:
            o.verdict = "not_found"
            o.missing.append("")  # nothing to compare, and too little of the wording
        if o.verdict == "supported" and (swap := place_swap(fact, [u.text])):
            # 职专代表队获得亚军 over …职专代表队夺得冠军，当湖高级中学代表队获得亚军: the 亚军 is another's
            o.verdict = "contradicted"
            o.diffs.append(_say(zh, "diff", c=swap[1], a=swap[2]))
        if o.verdict == "supported" and (sibling := value_sibling(claim, fact, [u.text])):
            # 女子组有520名球员 over 男子组…、女子组…，参赛球员共计520余人: another sibling's figure
            value, asked, printed = sibling
            o.verdict = "not_found"
            said = value or fact
            if printed == "合计":  # a total of the siblings named before it
                why = f"报道的{said}是合计数，不是{asked}的" if zh else f"{said} is a total, not {asked}'s"
            else:
                why = f"报道的{said}属于{printed}，不是{asked}" if zh else f"{said}: {printed}, not {asked}"
            o.other_subject.append(why)
        if (
            o.verdict == "contradicted"
            and (nouns := subjects.things_named(fact))
            and not any(n in normalise(u.with_context) for n in nouns)
        ):
            # 芦笋种植面积同比增长10% over 2025年全市共收运餐厨垃圾3.9万吨，同比增长12.4%: a figure of
            # a thing the claim does not name is about something else, not a denial
            o.verdict = "not_found"
            o.other_subject.append(_say(zh, "absent", c=nouns[0]))
        if o.verdict == "contradicted" and (other := other_sibling(claim, u.text)):
            # 男子组冠军张伟…1小时08分32秒 over 女子组冠军由李娜获得，成绩为1小时19分05秒: another group's
            o.verdict = "not_found"
            o.other_subject.append(_say(zh, "rival", a=other[1], c=other[0]))
        if o.verdict != "not_found" and (rival := place_rival(nc, normalise(u.text))):
            # 乍浦镇…320个 over 当湖街道、钟埭街道、曹桥街道今年的建设任务分别为260个…: other places' figures
            o.verdict = "not_found"
            o.other_subject.append(_say(zh, "rival", a=rival[1], c=rival[0]))
        if o.verdict != "not_found" and (rivals := subjects.numbered_rivals(nc, normalise(u.text))):
            # 103路全长20公里，设站35个: its 设站35个 is still 103路's, not 101路's printed here
            o.verdict = "not_found"
            name, rival = as_written(rivals[0][0], claim), as_written(rivals[0][1], u.text)
            o.other_subject.append(_say(zh, "rival", a=rival, c=name))
        if o.verdict != "not_found" and told and story[u.article.id] < STORY_COVERAGE:
            # another story neither supports nor denies a part of the claim (a bus route's 设站35个,
            # a race's 医疗点16个)
            o.verdict = "not_found"
            o.other_subject.append(
                "该句出自另一篇报道，与声明的其余内容无关" if zh else "the sentence is from another story"
            )
        r = FactResult(fact, o.verdict, _explain(fact, o, zh), u, o, score)
        top = top or r
        if o.verdict == "not_found":
            closest = closest or r
        else:
            decided.append(r)
    if not decided:
        assert closest is not None
        return FactResult(fact, "not_found", closest.explanation, closest.unit, closest.detail, closest.score)
    best = decided[0]
    if near is not None and (mine := next((r for r in decided if _same_unit(r.unit, near)), None)):
        return mine  # before the margin rule: a support from another sentence is another figure's
    if best.verdict == "contradicted":
        support = next((r for r in decided if r.verdict == "supported"), None)
        if support and support.score >= best.score - SUPPORT_MARGIN:
            return support
        if top is not None and top.verdict == "not_found" and _prints_disputed(top, best):
            # The best-worded sentence prints the claim's figure and lacks only a word (单日接待
            # 游客1.9万人次 for …最多的一天来了1.9万人次): another sentence's other figure (三项活动
            # 共吸引游客2.3万人次) is another measure's, not a denial.
            return top
    return best


def _same_unit(a: EvidenceUnit | None, b: EvidenceUnit) -> bool:
    return a is not None and a.article.id == b.article.id and a.start == b.start


def _prints_disputed(top: FactResult, best: FactResult) -> bool:
    """`top` agrees with a figure that `best` says differs, and names no other subject."""
    t, b = top.detail, best.detail
    if t is None or b is None or t.other_subject or t.diffs or top.score <= best.score:
        return False
    agreed = [a.split(" = ")[0] for a in t.agrees]
    return any(a in d for a in agreed for d in b.diffs)


def _explain(fact: str, o: Alignment, zh: bool) -> str:
    """The fact that decided the verdict, in the claim's language."""
    if o.verdict == "contradicted":
        return "; ".join(dict.fromkeys(o.diffs))
    if o.verdict == "supported":
        if o.agrees:
            return ("一致：" if zh else "matches: ") + ", ".join(o.agrees)
        return "报道的说法相同" if zh else "the archive says the same"
    if o.other_subject:
        return o.other_subject[0]
    what = [m for m in o.missing if m]
    if what:
        if zh:
            return "报道提到此事，但没有说" + "、".join(what)
        return "the archive mentions this but never states " + "、".join(what)
    return f"资料库中没有句子说“{fact}”" if zh else f"no sentence in the archive states “{fact}”"


# ------------------------------------------------------------------ public API


def check_claim(
    searcher: Searcher, claim: str, settings: Settings, filters: Filters | None = None
) -> CheckResult:
    """Supported when every fact is, contradicted when any fact is (the explanation names
    which and what differs), otherwise not_found. Citations quote the evidence verbatim."""
    claim = clean_query(claim, settings)
    filters = filters or Filters()
    if detect_language(claim) == "en":
        # The engine compares a claim's own words and figures with the articles' Chinese text;
        # an English claim shares neither, so every part of it would be "not found" for no reason.
        return CheckResult(claim, "not_found", EN_CLAIM, (), ())
    facts = split_facts(claim)
    if len(facts) > MAX_FACTS:
        raise InputError(
            f"The claim has {len(facts)} parts; check at most {MAX_FACTS} at a time "
            "(split it into several claims, e.g. one per sentence, with --batch)."
        )
    cache: dict[str, Article | None] = {}
    searched: dict[str, list[Hit]] = {}
    results: list[FactResult] = []
    near: EvidenceUnit | None = None  # the unit that decided the part before, in this sentence
    part = pos = 0
    for f in facts:
        # a new sentence or ；-clause of the claim may come from another one of the article's
        at = claim.find(f[-12:], pos)
        pos = at + 1 if at >= 0 else pos
        here = len(re.findall(r"[；;。！？!?]", claim[:at])) if at >= 0 else part
        if here != part:
            near, part = None, here
        results.append(check_fact(searcher, f, claim, filters, cache, searched, near))
        last = results[-1]
        # ...decided by what it states: a part with nothing to compare (今年五一假期) is "supported"
        # by many sentences, and the first of them says nothing of the next part's subject
        if last.verdict != "not_found" and last.unit is not None and last.detail and last.detail.checkable:
            near = last.unit

    citations: list[Citation] = []
    by_span: dict[tuple[str, int, int], int] = {}
    fact_dicts: list[dict[str, Any]] = []
    for r in results:
        n = None
        if r.unit is not None and r.verdict != "not_found":
            u = r.unit
            key = (u.article.id, u.start, u.end)
            if key not in by_span:
                by_span[key] = len(citations) + 1
                citations.append(
                    Citation(
                        n=by_span[key],
                        article_id=u.article.id,
                        title=u.article.headline or u.article.title,
                        date=u.article.date,
                        passage_id=u.passage_id,
                        quote=u.text,
                        start=u.start,
                        end=u.end,
                        source=u.article.source,
                    )
                )
            n = by_span[key]
        fact_dicts.append({"fact": r.fact, "verdict": r.verdict, "explanation": r.explanation, "citation": n})

    verdicts = [r.verdict for r in results]
    many = len(results) > 1
    if "contradicted" in verdicts:
        verdict = "contradicted"
        bad = [r for r in results if r.verdict == "contradicted"]
        explanation = "; ".join((f"“{r.fact}”与报道不符：" if many else "") + r.explanation for r in bad)
    elif all(v == "supported" for v in verdicts):
        verdict = "supported"
        explanation = "; ".join((f"“{r.fact}”: " if many else "") + r.explanation for r in results)
    else:
        verdict = "not_found"
        missing = [r for r in results if r.verdict == "not_found"]
        explanation = "; ".join((f"“{r.fact}”: " if many else "") + r.explanation for r in missing)
    return CheckResult(claim, verdict, explanation, tuple(citations), tuple(fact_dicts))  # type: ignore[arg-type]


def check_batch(searcher: Searcher, lines: Iterable[str], settings: Settings) -> Iterator[dict[str, Any]]:
    """JSON lines {"id", "claim"} in, one result per line out; a bad line yields an error
    record naming the line, and the batch goes on."""
    for req in requests(lines, "claim"):
        if isinstance(req, dict):
            yield req
            continue
        rid, n, claim = req.id, req.line, req.text
        try:
            yield {"id": rid, **check_claim(searcher, claim, settings).to_json()}
        except (EmptyQueryError, InputError) as e:
            yield {"id": rid, "line": n, "error": str(e)}
