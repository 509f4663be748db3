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
from typing import Any

from . import _ground as ground
from . import _subjects as subjects
from ._batch import requests
from ._bindings import other_sibling, owner_swap, place_rival, value_sibling
from ._evidence import Alignment, _say
from ._evidence_units import EvidenceUnit, units_of
from ._facts import MONTH_RANGE, detect_language
from ._fenbie import _view
from ._figure_times import done_but_planned, plan_only
from ._modifiers import things_named
from ._normalize import as_written, normalise
from ._ranks import ahead_swap, place_swap, rank_swap, record_holder_swap, scope_swap, unprinted_record
from ._search import Filters, Searcher, clean_query
from ._slots import coverage, mask, terms
from ._speakers import attributed
from ._split_claim import split_facts
from ._values import items
from .config import Settings
from .errors import EmptyQueryError, InputError
from .records import Article, CheckResult, Citation, Hit

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
    # a run of months (1至9月) is a period, compared as a frame: none of its characters are words
    weighted = terms(re.sub(MONTH_RANGE, " ", mask(nf, items(nf))))
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
        # ...and so is the sentence right after it, where a lead goes on (…鸣枪开跑。来自全国…的12000名
        # 跑者齐聚当湖街道 for 共有1.2万名跑者参赛)
        looked += [(0.0, 0.0, u) for u in units if _follows(u, near) and id(u) not in seen]
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
        o = ground.align(fact, u.evidence, claim)
        # a 分别 span is read from the claim's side (乍浦镇、独山港镇分别…位列第一、第二)
        ranked = (
            rank_swap(fact, _view(nf, normalise(u.text), nc), claim) if o.verdict == "supported" else None
        )
        if ranked and ranked[1] and coverage(weighted, normalise(u.with_context)) >= MIN_COVERAGE:
            # 新埭镇位列平湖各镇街道第一 over 新埭镇新增2.1万千瓦，排名第二: a place compared is a
            # comparison, however few of the claim's words the span's own clause repeats
            o.verdict = "contradicted"
            o.diffs.append(_say(zh, "diff", c=ranked[0], a=ranked[1]))
        if o.verdict == "supported" and not o.checkable and cov < SUPPORT_COVERAGE:
            o.verdict = "not_found"
            o.missing.append("")  # nothing to compare, and too little of the wording
        if (
            o.verdict == "supported"
            and one_story
            and not o.compared_in_span
            and coverage(weighted, normalise(u.text)) < MIN_COVERAGE
        ):
            # A reporter's claim with nothing to compare in the span (获奖菜品已编入《…手册》) is not
            # stated by a span holding few of its words (前三名代表队已各获得奖金…), whatever the
            # sentence before it says (主办方计划将获奖菜品编入…). A model's sentence may lean on
            # the sentence before (该剧…), a claim is checked against what the span says.
            o.verdict = "not_found"
            o.missing.append("")
        if (
            o.verdict == "supported"
            and one_story  # a reporter's claim: a model's answer may quote a plan (谁将担任主演)
            and not o.compared_in_span
            and plan_only(nc, normalise(u.text), [w for w, _ in weighted if len(w) >= 2])
        ):
            # 协会计划今年在当湖街道东湖景区增设一处冬泳训练点 for …邀请赛在当湖街道东湖景区举行: with
            # nothing to compare, a plan's sentence states nothing done
            o.verdict = "not_found"
            o.other_subject.append(
                f"报道说的是计划：{u.text}" if zh else f"the report states a plan: {u.text}"
            )
        if o.verdict == "supported" and one_story and (plan := done_but_planned(nf, normalise(u.text), nc)):
            # 独山港镇港区物流提升工程已完工 over …预计明年底完工后…: done in the claim, a plan here
            o.verdict = "not_found"
            o.other_subject.append(f"报道说的是计划：{plan}" if zh else f"the report states a plan: {plan}")
        if o.verdict == "supported" and (owner := owner_swap(fact, u.text)):
            # 林埭镇的白沙湾社区 over 独山港镇的白沙湾社区、林埭镇的徐家埭社区: the place is another town's
            o.verdict = "contradicted"
            o.diffs.append(_say(zh, "diff", c=owner[0], a=owner[1]))
        if o.verdict == "supported" and (swap := place_swap(fact, [u.text])):
            # 职专代表队获得亚军 over …职专代表队夺得冠军，当湖高级中学代表队获得亚军: the 亚军 is another's
            o.verdict = "contradicted"
            o.diffs.append(_say(zh, "diff", c=swap[1], a=swap[2]))
        if o.verdict == "supported" and (ahead := ahead_swap(fact, u.text)):
            # 嘉善…位列第二 over …排名第二，仅次于嘉善…: the one named is ahead of the ranked
            o.verdict = "contradicted"
            o.diffs.append(_say(zh, "diff", c=ahead[0], a=ahead[1]))
        if o.verdict == "supported" and (
            held := record_holder_swap(fact, u.text) or record_holder_swap(fact, _sentence_of(u))
        ):
            # 招收学员最多的是新仓分校 over 其中乍浦分校人数最多: the record is another place's
            o.verdict = "contradicted"
            o.diffs.append(_say(zh, "diff", c=held[0], a=held[1]))
        if o.verdict == "supported" and one_story and (record := unprinted_record(fact, u.with_context)):
            # 平湖首个入选浙江省…优秀案例 over …入选…第二批…优秀案例: a record the report does not claim
            o.verdict = "not_found"
            o.missing.append(record)
        if o.verdict == "supported" and (scoped := scope_swap(fact, u.text)):
            # 浙江省唯一入选的助老类项目 over …是嘉兴市唯一入选的助老类项目: another scope's record
            o.verdict = "not_found"
            o.other_subject.append(
                f"报道说的是{scoped[1]}，不是{scoped[0]}"
                if zh
                else f"the report says {scoped[1]}, not {scoped[0]}"
            )
        if o.verdict == "supported" and ranked:
            # 乍浦镇…排名第三 over …乍浦镇本届获得22枚金牌，排名第四: the figure agrees, the place not
            if ranked[1]:
                o.verdict = "contradicted"
                o.diffs.append(_say(zh, "diff", c=ranked[0], a=ranked[1]))
            elif one_story:  # a model's sentence may join a place printed a sentence away
                o.verdict = "not_found"
                o.missing.append(ranked[0])
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
            and (nouns := things_named(fact))
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
    if near is not None and decided and not things_named(fact) and not subjects.proper_names(fact):
        # A part naming nothing (比去年同期提高3.1个百分点) is about the claim's subject: a sentence
        # holding less of the claim's other words than the one that decided the part before is about
        # something else (无人机飞防…占比…提高9.3个百分点 for 稻纵卷叶螟平均防治效果…)
        bar = coverage(context, normalise(near.with_context))
        decided = [
            r
            for r in decided
            if r.unit is not None
            and (_same_unit(r.unit, near) or coverage(context, normalise(r.unit.with_context)) >= bar)
        ]
        if not decided and closest is None:
            none = f"资料库中没有句子说“{fact}”" if zh else f"no sentence in the archive states “{fact}”"
            return FactResult(fact, "not_found", none)
    if not decided:
        assert closest is not None
        return FactResult(fact, "not_found", closest.explanation, closest.unit, closest.detail, closest.score)
    best = decided[0]
    mine = next((r for r in decided if _same_unit(r.unit, near)), None) if near is not None else None
    if near is not None and mine is None:
        mine = next((r for r in decided if r.verdict == "supported" and _follows(r.unit, near)), None)
    # ...unless it denies what a sentence holding more of the part's words states (居民生活用电量
    # 2.1亿千瓦时 after the part dated by 全市累计用电量14.8亿千瓦时's sentence)
    fuller = (
        mine is not None
        and mine.verdict == "contradicted"
        and any(r.verdict == "supported" and r.score > mine.score for r in decided)
    )
    if mine is not None and not fuller:
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


def _follows(u: EvidenceUnit | None, near: EvidenceUnit) -> bool:
    """`u` is the sentence right after `near` in its article."""
    return (
        u is not None
        and u.article.id == near.article.id
        and u.start >= near.end
        and not u.article.text[near.end : u.start].strip()
    )


def _sentence_of(u: EvidenceUnit) -> str:
    """The whole sentence a ；-clause belongs to, up to the clause's end (在各服务组织中，A…最大；B…)."""
    text = u.article.text
    return text[max(text.rfind(ch, 0, u.start) for ch in "。！？\n") + 1 : u.end]


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
        # nothing was compared: say so, so the quote is read (a new user took the bare phrase
        # for a comparison that had been made)
        return (
            "报道的说法相同（没有数字或日期可比，请核对引文）"
            if zh
            else "the archive says the same (nothing to compare: read the quote)"
        )
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

    results = attributed(facts, results, detect_language(claim) != "en")
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
