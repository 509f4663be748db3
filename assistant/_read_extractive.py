"""The extractive reader: the clause of an article that answers the question, quoted verbatim.

It never writes a fact: it picks the clause that answers and quotes it, so an
instruction hidden in an article ("ignore previous instructions…") is only ever
quoted, never obeyed.

A clause answers when (1) it holds the kind of thing the question wants — a
number with the asked unit about the asked thing, a date, a person, a place,
a role — beyond what the question already says, (2) the question's key words
are in the clause, its sentence or its passage, and (3) the grounding engine
(`_ground.answers`) finds the sentence about the asked subject: the people,
places and qualifiers (首批, 境外, 一季度) the question names, on the date it
names (昨天 in a dated article counts), and not an instruction planted in the
text. Otherwise it refuses, in the question's language.

Matching runs on folded text (`_normalize.fold`: simplified script, half-width,
offset for offset), so a simplified question reads a traditional article; quotes
are cut from the article as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import _answerable as answerable
from . import _facts as facts
from . import _ground as ground
from ._answer_kinds import prints_numbered_names
from ._bindings import bound_sibling
from ._index import NewsIndex
from ._names import COUNTRIES, find_names, find_orgs, find_people, find_places, pinyin_names, to_pinyin
from ._normalize import fold
from ._question_types import AnswerType, answer_type
from ._readers import REFUSAL
from ._split_passages import sentence_spans
from .config import Settings
from .records import Answer, Article, Citation, Hit, Passage

# Thresholds, measured on eval/seed_questions.jsonl (see eval/seed_answers_quick.py):
# the share of the question's key words (weighted by length) found around a clause,
# and for English questions the cosine between question and clause embeddings.
MIN_COVERAGE = 0.45
MIN_COVERAGE_UNTYPED = 0.6  # "what/which" questions have no answer type to lean on
MIN_DENSE_EN = 0.75
EN_TOP_MARGIN = 0.02
MAX_QUOTE = 90  # characters; longer clauses without a typed answer are cut here
SHORT_QUOTE = 48  # characters around a typed answer (the 16家): one short sentence


_BYLINE_ZH = re.compile(r"作者|记者|摄影|谁拍|拍的|拍摄|谁写|撰写|署名|统筹|编辑")
_BYLINE_EN = re.compile(
    r"\b(?:reporters?|journalists?|wrote|written|authors?|photograph\w*|photos?|editors?"
    r"|reported (?:on )?(?:the|this) (?:story|article|report|piece))\b",
    re.I,
)
_SUBCLAUSE = re.compile(r"[，,；;：:]")


@dataclass(frozen=True)
class _Clause:
    article: Article
    passage: Passage
    rank: int
    start: int  # offsets into article.text
    end: int
    sent_start: int
    sent_end: int
    context_start: int  # the sentence before, in the same paragraph: it often names the subject

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def evidence(self) -> ground.Evidence:
        # The clause is the span (one project of a ；-list); its sentence's lead, the sentence
        # before and the headline are its context.
        return ground.Evidence.around(
            self.article, self.start, self.end, self.context_start, (self.sent_start, self.sent_end)
        )

    @property
    def sentence(self) -> str:
        return self.article.text[self.sent_start : self.sent_end]


@dataclass
class _Choice:
    clause: _Clause
    score: float
    focus: tuple[int, int] | None  # article offsets of the typed answer (the 16家)
    coverage: float = 0.0
    dense: float = 0.0
    notes: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ the reader


class ExtractiveReader:
    """Question + hits -> an `Answer` quoting one clause, or a refusal. No model writes text."""

    name = "extractive"

    def __init__(self, settings: Settings, index: NewsIndex) -> None:
        self.settings = settings
        self.index = index
        self._articles: dict[str, Article | None] = {}  # folded, for matching
        self._originals: dict[str, Article | None] = {}  # as printed, for quoting
        self._vectors: dict[str, np.ndarray] = {}
        self._pinyin_cache: dict[str, str] = {}

    def read(self, question: str, hits: list[Hit], *, standalone: str | None = None) -> Answer:
        q = fold(standalone or question)
        lang = facts.detect_language(q)
        rewritten = standalone if standalone and standalone != question else None
        if lang == "other" or not hits:
            return Answer(question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten)
        atype = answer_type(q, lang)
        credit = self._credit(question, q, lang, atype, hits, rewritten)
        if credit is not None:
            return credit
        choice = self._choose(q, lang, atype, hits)
        if choice is None:
            return Answer(question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten)
        citation = self._cite(choice)
        if not prints_numbered_names(q, [citation], self._original):
            # 211路 asked, and the clause chosen is 205路's (每日班次由48班增加到60班, after
            # 205路调整后…): a sibling's figure is no answer.
            return Answer(question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten)
        return Answer(question, _compose(citation, lang), False, (citation,), tuple(hits), lang, rewritten)

    def credit(self, question: str, hits: list[Hit], *, standalone: str | None = None) -> Answer | None:
        """Who wrote, photographed or edited a piece (记者 / 摄影 / 栏目统筹), answered from the
        article's byline or column credit; None when the question asks something else. A byline
        is article metadata, not passage text, so a reader that only sees passages (the LLM)
        cannot answer it: the LLM reader asks this first."""
        q = fold(standalone or question)
        lang = facts.detect_language(q)
        if lang == "other" or not hits:
            return None
        rewritten = standalone if standalone and standalone != question else None
        return self._credit(question, q, lang, answer_type(q, lang), hits, rewritten)

    def _credit(
        self,
        question: str,
        q: str,
        lang: str,
        atype: AnswerType,
        hits: list[Hit],
        rewritten: str | None,
    ) -> Answer | None:
        byline = self._byline_answer(q, lang, atype, hits)
        if byline is None:
            return None
        text, citation = byline
        return Answer(question, text, False, (citation,), tuple(hits), lang, rewritten)

    def explain(self, question: str, hits: list[Hit]) -> dict[str, Any]:
        """The best candidate and its features, refused or not: for calibrating thresholds."""
        lang = facts.detect_language(question)
        atype = answer_type(question, lang)
        best = self._choose(question, lang, atype, hits, accept_all=True)
        if best is None:
            return {"type": atype.kind}
        return {
            "type": atype.kind,
            "clause": best.clause.text[:60],
            "coverage": round(best.coverage, 3),
            "dense": round(best.dense, 3),
            "focus": best.focus is not None,
            **best.notes,
        }

    def _fresh(self) -> None:
        """Drop cached articles when the index changed under us (an article corrected in place
        keeps its id): the cache is keyed on the index's generation."""
        if getattr(self, "_cache_generation", None) != self.index.generation:
            self._articles.clear()
            self._originals.clear()
            self._metas_count = None
            self._cache_generation = self.index.generation

    def _original(self, article_id: str) -> Article | None:
        self._fresh()
        if article_id not in self._originals:
            self._originals[article_id] = self.index.get_article(article_id)
        return self._originals[article_id]

    def _article(self, article_id: str) -> Article | None:
        """The article folded for matching (same offsets as printed)."""
        self._fresh()
        if article_id not in self._articles:
            art = self._original(article_id)
            self._articles[article_id] = (
                None
                if art is None
                else replace(
                    art,
                    text=fold(art.text),
                    title=fold(art.title),
                    kicker=fold(art.kicker),
                    subtitle=fold(art.subtitle),
                )
            )
        return self._articles[article_id]

    def _clauses(self, hits: list[Hit]) -> list[_Clause]:
        out: dict[tuple[str, int, int], _Clause] = {}
        for rank, hit in enumerate(hits, start=1):
            p = hit.passage
            art = self._article(p.article_id)
            if art is None:
                continue
            p = replace(p, text=fold(p.text), title=fold(p.title))
            spans = sentence_spans(art.text)
            for i, (s, e) in enumerate(spans):
                if e <= p.start or s >= p.end:
                    continue
                prev = spans[i - 1][0] if i and "\n" not in art.text[spans[i - 1][0] : s] else s
                for cs, ce in _clause_spans(art.text, s, e):
                    key = (art.id, cs, ce)
                    if key not in out:
                        out[key] = _Clause(art, p, rank, cs, ce, s, e, prev)
        return list(out.values())

    def _embed(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            for t, v in zip(todo, self.index.embedder.embed_passages(todo), strict=True):
                self._vectors[t] = np.asarray(v, dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def _choose(
        self, question: str, lang: str, atype: AnswerType, hits: list[Hit], accept_all: bool = False
    ) -> _Choice | None:
        clauses = self._clauses(hits)
        if not clauses:
            return None
        terms = _weighted_terms(question, lang)
        mask = _content_mask(question)
        asks_time = atype.kind in ("time", "duration")
        need_names = _list_size(question)
        pinyin = pinyin_names(question) if lang == "en" else []
        # Hard rules first: the asked kind of thing is there, qualifiers and names agree.
        eligible: list[tuple[_Clause, tuple[int, int] | None, float]] = []
        for c in clauses:
            typed, focus = _typed_focus(c, atype, question, lang)
            if atype.kind != "other" and not typed:
                continue
            if c.text in question:
                continue
            if need_names > 1 and (
                _count_names(c.text, question) < need_names
                or _coverage_chars(c, question, mask, passage=False) < MIN_COVERAGE_UNTYPED
            ):
                continue  # 哪三方 wants three names, in the sentence that speaks of the thing asked
            if lang != "en" and answerable.answers(question, c.evidence, asks_time=asks_time) is not None:
                continue  # another subject, qualifier or date than asked; or an instruction
            if lang != "en" and focus is not None and bound_sibling(question, c.article.text, focus[0]):
                continue  # 第一批 asked: …，第二批9个服务点总投资680万元 gives 第二批's figure
            if lang == "en" and ground.is_instruction(c.sentence, c.evidence.preceding):
                continue
            if pinyin and (py := self._pinyin(c)) and not all(name in py for name in pinyin):
                continue  # asked about Yinfeng (音锋): the clause must be about 音锋
            cov = _coverage_chars(c, question, mask) if lang == "zh" else _coverage_en(c, terms)
            eligible.append((c, focus, cov))
        if not eligible:
            return None
        # Then closeness of meaning: key words (Chinese) and the embedder (any language).
        qv = np.asarray(self.index.embedder.embed_query(question), dtype=np.float32)
        dense = self._embed([c.text for c, _, _ in eligible]) @ qv
        top_dense = 0.0
        if lang == "en":
            # The clause closest in meaning to the question, answer or not: if it is not the one
            # holding the answer, the typed clause is probably about something else.
            top_dense = float(np.max(self._embed([c.text for c in clauses]) @ qv))
        best: _Choice | None = None
        for (c, focus, cov), d in zip(eligible, dense, strict=True):
            d = float(d)
            if lang == "en":
                near_top = d >= top_dense - EN_TOP_MARGIN
                ok = (d >= MIN_DENSE_EN and near_top) or (bool(terms) and cov >= MIN_COVERAGE)
                score = d + 0.2 * cov
            else:
                # Meaning (dense) ranks the candidates, but only the asked words let one through:
                # a clause about the right topic but another fact is close in meaning too.
                ok = cov >= (MIN_COVERAGE if atype.kind != "other" else MIN_COVERAGE_UNTYPED)
                score = cov + d
            score += 0.02 / c.rank
            if not ok and not accept_all:
                continue
            if best is None or score > best.score:
                best = _Choice(c, score, focus, cov, d, {"accepted": ok})
        return best

    def _cite(self, choice: _Choice, n: int = 1) -> Citation:
        c = choice.clause
        start, end = _quote_window(c, choice.focus)
        art = self._original(c.article.id) or c.article  # quote as printed: fold kept the offsets
        return Citation(
            n=n,
            article_id=art.id,
            title=art.title,
            date=art.date,
            passage_id=c.passage.id,
            quote=art.text[start:end],
            start=start,
            end=end,
            source=art.source,
        )

    def _byline_answer(
        self, question: str, lang: str, atype: AnswerType, hits: list[Hit]
    ) -> tuple[str, Citation] | None:
        """Who wrote / photographed / edited a piece: the answer is in its byline, not its text."""
        if atype.kind not in ("person", "other"):
            return None
        asks = _BYLINE_ZH.search(question) if lang == "zh" else _BYLINE_EN.search(question)
        if not asks:
            return None
        wants_column = bool(re.search(r"统筹|编辑|editor", question, re.I))
        fld = "column" if wants_column else "byline"
        terms = _weighted_terms(question, lang)
        candidates: dict[str, tuple[Article, Passage | None, int]] = {}
        for rank, hit in enumerate(hits, start=1):
            art = self._article(hit.passage.article_id)
            if art is not None and art.id not in candidates:
                candidates[art.id] = (art, hit.passage, rank)
        # A column credit is not in any passage, so retrieval cannot find it: look in the metadata.
        for meta in self._article_metas():
            if meta["id"] not in candidates and any(t in str(meta.get(fld, "")) for t, _ in terms):
                art = self._article(meta["id"])
                if art is not None:
                    candidates[art.id] = (art, None, len(hits) + 1)
        pool = [(art, p, r) for art, p, r in candidates.values() if getattr(art, fld)]
        if not pool:
            return None
        heads = [f"{art.headline} {art.column}\n{art.text[:120]}" for art, _, _ in pool]
        qv = np.asarray(self.index.embedder.embed_query(question), dtype=np.float32)
        dense = self._embed(heads) @ qv
        scored = []
        for (art, p, rank), d in zip(pool, dense, strict=True):
            lexical = sum(w for t, w in terms if t in f"{art.headline} {art.column} {art.byline}")
            scored.append((lexical + 10 * float(d) + 0.1 / rank, art, p))
        _, art, passage = max(scored, key=lambda x: x[0])
        if passage is None:
            got = self.index.passages_collection().get(where={"article_id": art.id}, limit=1, include=[])
            passage_id = got["ids"][0] if got["ids"] else ""
        else:
            passage_id = passage.id
        art = self._original(art.id) or art  # quote the byline as printed
        value = getattr(art, fld)
        citation = Citation(
            1, art.id, art.title, art.date, passage_id, value, 0, len(value), art.source, field=fld
        )
        date = art.date or ("date unknown" if lang == "en" else "日期不详")
        if lang == "en":
            what = "column credit" if wants_column else "byline"
            return f'According to the {what} of {citation.named("en")} ({date}): "{value}" [1]', citation
        what = "栏目署名" if wants_column else "署名"
        return f"{citation.named()}（{date}）的{what}：“{value}”[1]", citation

    def _pinyin(self, c: _Clause) -> str:
        key = f"{c.article.id}:{c.passage.id}:{c.sent_start}"
        if key not in self._pinyin_cache:
            # The edition's town (平湖版) is implied by every article in it, so it counts as said.
            context = f"{c.article.source} {c.article.headline} {c.sentence} {c.passage.text}"
            self._pinyin_cache[key] = to_pinyin(context)
        return self._pinyin_cache[key]

    def _article_metas(self) -> list[dict[str, Any]]:
        self._fresh()
        count = self.index.count()
        if getattr(self, "_metas_count", None) != count:
            self._metas = self.index.list_articles()
            self._metas_count = count
        return self._metas


# ------------------------------------------------------------------ helpers


def _clause_spans(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """A sentence cut at semicolons (and 那…… runs), the unit an answer quotes."""
    out = []
    pos = s
    for m in re.finditer(r"[；;]|…{2,}", text[s:e]):
        out.append((pos, s + m.start()))
        pos = s + m.end()
    out.append((pos, e))
    return [_trim(text, a, b) for a, b in out if text[a:b].strip("，,。；;：: ")]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \n，,。；;：:":
        a += 1
    while b > a and text[b - 1] in " \n，,；;：:":
        b -= 1
    return a, b


def _weighted_terms(question: str, lang: str) -> list[tuple[str, float]]:
    """Key words with weights (longer is more specific); for byline lookups and English questions."""
    raw = facts.content_terms(question) if lang == "zh" else facts.cjk_runs(question)
    return [(t, 0.5 if len(t) == 1 else float(min(len(t), 4))) for t in raw]


# Characters of a question that ask rather than name: they need not be found in the answer.
_ASKING = re.compile(
    r"多少|几[月号位所家个条次天年]?|什么时候|什么|怎么样|怎样|怎么|如何|哪里|哪儿|哪些|哪个|哪家|哪位|哪天|哪|谁|"
    r"何时|何处|是否|吗|呢|请问|一共|总共|多久|多远|多大|多高|第几|[是的了在有和与及把被将会能要也都还就又]"
)


def _content_mask(question: str) -> list[bool]:
    """True for the Chinese characters of a question that name the thing asked."""
    mask = [bool(re.match(r"[\u4e00-\u9fff]", ch)) for ch in question]
    for m in _ASKING.finditer(question):
        for i in range(m.start(), m.end()):
            mask[i] = False
    return mask


def _matched(question: str, mask: list[bool], text: str) -> list[bool]:
    """Which content characters lie in a run of two or more question characters found in `text`."""
    out = [False] * len(question)
    n = len(question)
    for i in range(n):
        j, best = i + 2, 0
        while j <= n and question[i:j] in text:
            best = j
            j += 1
        for x in range(i, best):
            out[x] = True
    return [o and m for o, m in zip(out, mask, strict=True)]


def _coverage_chars(c: _Clause, question: str, mask: list[bool], passage: bool = True) -> float:
    """Share of the question's naming characters found in the clause (1), sentence (.8) or passage (.5).

    Runs of characters, not words: no word segmenter can split 仲旭东 or 臻品之选 wrongly here.
    """
    total = sum(mask)
    if not total:
        return 0.0
    layers = [(c.text, 1.0), (c.sentence, 0.8)]
    if passage:
        layers.append((c.passage.text + " " + c.article.headline, 0.5))
    got = [0.0] * len(question)
    for text, weight in layers:
        for i, hit in enumerate(_matched(question, mask, text)):
            if hit:
                got[i] = max(got[i], weight)
    return sum(got) / total


def _coverage_en(c: _Clause, terms: list[tuple[str, float]]) -> float:
    """For English questions: the share of their Chinese names (in parentheses) found around the clause."""
    if not terms:
        return 0.0
    context = c.passage.text + " " + c.article.headline
    got = sum(
        w * (1.0 if t in c.text else 0.8 if t in c.sentence else 0.5 if t in context else 0.0)
        for t, w in terms
    )
    return got / sum(w for _, w in terms)


_UNIT_FAMILY = {"人": "人", "名": "人", "位": "人", "℃": "度", "度": "度", "个月": "月", "月": "月"}


def _list_size(question: str) -> int:
    """哪三方 -> 3, 哪几所 -> 2 (at least two), else 1."""
    m = re.search(r"哪([一二两三四五六七八九十\d]+|几)", question)
    if not m:
        return 1
    if m.group(1) == "几":
        return 2
    n = facts.chinese_to_number(m.group(1))
    return int(n) if n else 1


def _count_names(text: str, question: str) -> int:
    names = {o.text for o in find_orgs(text) if not all(ch in question for ch in o.text)}
    names |= {p.text for p in find_people(text) if p.text not in question}
    return len(names)


_EN_TITLES = {
    "chair": "主席",
    "chairman": "主席",
    "chairwoman": "主席",
    "director": "主任",
    "manager": "经理",
    "secretary": "书记",
    "mayor": "市长",
    "head": "负责人",
    "president": "院长",
    "principal": "校长",
}


def _en_title(question: str) -> str:
    """A title named in an English question, as printed in Chinese: chair -> 主席."""
    for w in re.findall(r"[a-z]+", question.lower()):
        if w in _EN_TITLES:
            return _EN_TITLES[w]
    return ""


def _in_category(place: str, category: str) -> bool:
    if category == "国家":
        return any(c in place for c in COUNTRIES)
    if category == "城市":
        return place.endswith(("市", "城")) or "新加坡" in place
    return place.endswith(category)


def _unit_ok(asked: str, found: str) -> bool:
    if not asked:
        return True
    return asked == found or _UNIT_FAMILY.get(asked, asked) == _UNIT_FAMILY.get(found, found)


def _shares_pair(a: str, b: str) -> bool:
    return any(a[i : i + 2] in b for i in range(len(a) - 1))


def _typed_focus(
    c: _Clause, atype: AnswerType, question: str, lang: str
) -> tuple[bool, tuple[int, int] | None]:
    """(does the clause hold the asked kind of thing, where): with several (26℃ and 24℃), the
    one whose neighbouring words are the question's (沿海 24℃); None when they cannot be told apart."""
    spans = list(dict.fromkeys(_typed_spans(c, atype, question, lang)))
    if len(spans) <= 1:
        return bool(spans), spans[0] if spans else None
    mask = _content_mask(question)
    text = c.article.text

    def near(span: tuple[int, int]) -> int:
        # The words right by it, within its phrase: 内陆26℃ / 沿海24℃, 8508171(平语)
        before = re.split(r"[，,；;。]", text[max(c.start, span[0] - 4) : span[0]])[-1]
        after = re.split(r"[，,；;。]", text[span[1] : min(c.end, span[1] + 6)])[0]
        window = before + "|" + after
        return sum(_matched(question, mask, window))

    ranked = sorted(spans, key=near, reverse=True)
    if near(ranked[0]) > near(ranked[1]):
        return True, ranked[0]
    return True, None


_ASKS_RATE = re.compile(
    r"率|比例|比重|占比|百分|增长|增速|增幅|下降|降幅|上涨|涨|跌|降|[%‰]|多少成|几成|percent", re.I
)
# Asks for a share, printed with % / ‰ / 成 (汇率 is a price, 增长了多少 may be a count).
_ASKS_SHARE = re.compile(r"(?<!汇)率|比例|比重|占比|百分之?几|多少成|几成|percent", re.I)
_ASKS_MONEY = re.compile(
    r"多少钱|罚款|罚了|赔偿|金额|总额|营收|收入|票房|GDP|售价|价格|投资额|逃税|市值|利润|亏损|毛利"
    # 总投资多少 / 补贴资金有多少: an amount of money, not 110公里 (a new user's 2025年…总投资多少)
    r"|总投资|投资总额|资金|经费|奖金|费用|成本|造价|预算|产值|成交额|销售额|营业额"
)
_CURRENCY = ("元", "美元", "欧元", "英镑", "日元", "港元", "港币", "韩元", "卢布")
# Words that make a figure's measure narrower than the question's: 人均GDP is not GDP.
_NARROWER = re.compile(
    r"人均|日均|月均|年均|平均|新能源|境外|境内|海外|一季度|二季度|三季度|四季度|上半年|下半年|前三季度"
)


_GLUED_NUMERAL = rf"(?<![第\d{facts.CN_NUM_CHARS}])(?:\d+|[{facts.CN_NUM_CHARS}]+)"


def asked_numbers(text: str, atype: AnswerType, question: str, lang: str) -> Iterator[tuple[int, int]]:
    """Offsets of the figures in `text` that fit a number question: the asked unit (家, 万元),
    an ordinal for 第几, the counted thing (多少残疾人) printed near, and not in the question."""
    rate = _ASKS_RATE.search(question)
    share = _ASKS_SHARE.search(question)
    money = not rate and not atype.unit and "和" not in question and _ASKS_MONEY.search(question)
    quantities = facts.find_quantities(text)
    if atype.counted and not atype.unit and not atype.ordinal and lang == "zh":
        # 双向几车道 is answered by 双向六车道: a numeral glued to the counted noun, no measure
        # word between, is no quantity to find_quantities (四川 must not be one) but is here,
        # where the question named the noun.
        taken = [(q.start, q.end) for q in quantities]
        for m in re.finditer(rf"{_GLUED_NUMERAL}(?={re.escape(atype.counted)})", text):
            if m.group(0) + atype.counted not in question and not any(a <= m.start() < b for a, b in taken):
                yield m.start(), m.end()
    for qn in quantities:
        if qn.text in question or not _unit_ok(atype.unit, qn.unit):
            continue
        if share and qn.unit not in ("%", "‰", "个百分点", "成"):
            continue  # 城镇化率 asked: 城镇常住人口91425万人 is a count, not the rate
        if qn.unit in ("%", "‰") and not rate:
            continue  # 销量 asked: 占全球销量的34% is a share, not the amount
        if money and not (qn.unit.endswith(_CURRENCY) or (not qn.unit and qn.text[-1] in "万亿")):
            continue  # 多少钱 asked: 第五十七条 or 3年 is no sum of money
        phrase = re.split(r"[，,；;。：:]", text[: qn.start])[-1]
        narrower = [m.group(0) for m in _NARROWER.finditer(phrase) if m.group(0) not in question]
        if narrower and lang == "zh":
            continue  # GDP asked: 人均GDP 2.69万美元 is another measure
        if atype.ordinal and not qn.ordinal:
            continue
        if qn.unit in ("号",) and atype.unit != "号":
            continue
        if atype.counted and lang == "zh" and len(atype.counted) >= 2:
            window = text[max(0, qn.start - 10) : qn.end + 12]
            if not _shares_pair(atype.counted, window) and not (
                len(atype.counted) == 2 and set(atype.counted) & set(window)
            ):
                continue
        yield qn.start, qn.end


def _typed_spans(c: _Clause, atype: AnswerType, question: str, lang: str) -> Iterator[tuple[int, int]]:
    """Article offsets of the thing of the asked kind in the clause, not already in the question."""
    text, base = c.text, c.start
    kind = atype.kind

    def new(s: str) -> bool:
        return s not in question

    if kind == "number":
        for s, e in asked_numbers(text, atype, question, lang):
            yield base + s, base + e
        return
    if kind in ("time", "duration"):
        if kind == "duration":
            for qn in facts.find_quantities(text):
                if qn.unit in ("个月", "天", "年", "周", "小时", "分钟") and new(qn.text):
                    yield base + qn.start, base + qn.end
        for t in facts.find_times(text):
            if not new(t.text):
                continue
            if t.text in ("连日来", "近日", "日前", "当天", "当日"):
                continue  # narrative markers, not an answer to "when"
            if kind == "time" and t.frequency and t.month is None:
                continue
            relative = t.day_offset is not None or t.year_offset is not None
            if kind == "time" and t.year is None and t.month is None and t.day is None and not relative:
                continue  # 上半年 alone names no date
            yield base + t.start, base + t.end
        return
    if kind == "person":
        title = _en_title(question) if lang == "en" else ""
        credits = _ASKS_CREDIT.search(question)
        for p in find_people(text):
            if not new(p.text):
                continue
            if _CREDIT.search(p.role) and not credits:
                continue  # （记者 朱晓峰）: who wrote the story, not who won or said anything
            if title:  # "the chair" is 主席, not 副主席
                role = p.role
                at = role.rfind(title)
                if at < 0 or (role[at - 1 : at] == "副") != bool(
                    re.search(r"\b(?:vice|deputy)\b", question, re.I)
                ):
                    continue
            yield base + p.start, base + p.end
        return
    if kind == "role":
        names = [p for p in find_people(c.sentence) if p.text in question and p.role]
        for p in names:
            s = c.sent_start + p.start - len(p.role)
            if c.start <= s and c.sent_start + p.end <= c.end:
                yield s, c.sent_start + p.end
        return
    if kind == "place":
        category = re.search(r"哪(?:个|座|一个|些)?(国家|小区|街区|社区|城市|镇|村)", question)
        places = find_places(text) + [n for n in find_names(text) if n.kind == "place"]
        for p in places:
            named_city = category is not None and category.group(1) == "城市" and p.kind == "place"
            if category and not (_in_category(p.text, category.group(1)) or named_city):
                continue
            if new(p.text) and not all(ch in question for ch in p.text):
                yield base + p.start, base + p.end
        return
    if kind == "name":
        for n in find_names(text):
            name = n.text.strip("《》“”")
            # 《柯林斯英语词典》 for 柯林斯词典: the question's own thing, not an answer
            if new(name) and not any(name[i : i + 3] in question for i in range(len(name) - 2)):
                yield base + n.start, base + n.end
        return
    if kind == "entity":
        for o in find_orgs(text):
            name = re.sub(r"^(?:是|与|和|同|及|了|在|的)", "", o.text)
            if new(name) and not all(ch in question for ch in name):
                yield base + o.start, base + o.end
        return
    return


_CREDIT = re.compile(r"记者|通讯员|摄影|编辑|主编|总编辑|作者")
_ASKS_CREDIT = re.compile(
    r"记者|通讯员|摄影|拍的|拍摄|编辑|作者|谁写|撰写|reporter|photograph|editor|author", re.I
)


def _quote_window(c: _Clause, focus: tuple[int, int] | None) -> tuple[int, int]:
    """The comma-phrases around the answer (a short sentence), or a whole clause of modest length."""
    text = c.article.text
    if focus is None:
        if c.end - c.start <= 2 * MAX_QUOTE:
            return _balance(text, c.start, c.end)
        # Cut a long clause at its last comma or list mark, never mid-word (…产业基础等情).
        head = text[c.start : c.start + MAX_QUOTE]
        cut = max(head.rfind(mark) for mark in "，,；;：:、")
        end = c.start + (cut if cut >= MAX_QUOTE // 3 else MAX_QUOTE)
        return _balance(text, *_trim(text, c.start, end))
    cuts = [c.start] + [c.start + m.end() for m in _SUBCLAUSE.finditer(text[c.start : c.end])] + [c.end]
    phrases = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] > cuts[i]]
    idx = next((i for i, (a, b) in enumerate(phrases) if a <= focus[0] < b), 0)
    lo = hi = idx
    # The phrase before usually names the subject (我市…, 集团…); the one after only when the
    # answer's own phrase is too short to read alone.
    if lo > 0 and phrases[hi][1] - phrases[lo - 1][0] <= SHORT_QUOTE:
        lo -= 1
    if (
        phrases[hi][1] - phrases[hi][0] < 12
        and hi + 1 < len(phrases)
        and phrases[hi + 1][1] - phrases[lo][0] <= SHORT_QUOTE
    ):
        hi += 1
    a, b = _trim(text, phrases[lo][0], phrases[hi][1])
    if not (a <= focus[0] and focus[1] <= b):
        a, b = focus
    return _balance(text, a, b)


def _balance(text: str, a: int, b: int) -> tuple[int, int]:
    """Drop a quotation mark left open or closed at either edge: “今年,… reads as 今年,…."""
    a, b = _trim(text, a, b)
    for _ in range(2):
        quote = text[a:b]
        if b - a > 1 and quote[0] in "“‘「" and not any(q in quote[1:] for q in "”’」"):
            a += 1
        if b - a > 1 and quote[-1] in "”’」" and not any(q in quote[:-1] for q in "“‘「"):
            b -= 1
        if b - a > 2 and quote[-1] in "”’」" and quote[-2] in "。！？" and quote[0] not in "“‘「":
            b -= 1
    return a, b


def _compose(c: Citation, lang: str) -> str:
    if lang == "en":
        quote = _quoted(c.quote, '"', '"')
        return f"According to {c.named('en')} ({c.date or 'date unknown'}): {quote} [{c.n}]"
    return f"据{c.named()}（{c.date or '日期不详'}）：{_quoted(c.quote, '“', '”')}[{c.n}]"


def _quoted(quote: str, left: str, right: str) -> str:
    """The quote in quotation marks, unless it is already a whole quotation (no ““…””)."""
    if quote[:1] in "“「『" and quote[-1:] in "”」』":
        return quote
    return f"{left}{quote}{right}"
