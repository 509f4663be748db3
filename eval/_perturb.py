"""Claims whose verdict is known by construction, made from real news sentences.

Pure functions, no index: `eval/perturb_claims.py` samples the articles, indexes them
and checks the claims. Each `make_*` takes one source sentence (and the whole article it
comes from, so that a "changed" value the article states elsewhere is never used) and
returns `Perturbation`s; an empty list means the sentence holds nothing that kind can
change safely. The filters that keep an expected verdict true by construction are
counted in a `Counter` (`skipped`) under a reason name, so the script can report them.

Kinds and the verdicts that count as right:

| kind | change | expected |
|---|---|---|
| same | the sentence itself, or with a leading discourse marker dropped | supported |
| number | a figure changed (300 -> 450), or its magnitude (万 <-> 亿, 万元 -> 元) | contradicted |
| date | a day, month or year shifted (5月20日 -> 5月23日, 2023年 -> 2021年) | contradicted / not_found |
| entity | a person, place or organisation the article never prints swapped in | contradicted / not_found |
| direction | 增长 <-> 下降, 提高 <-> 降低, 提前 <-> 推迟 … | contradicted |
| qualifier | 首批, 第二批, 省级, 境外, 一季度 … added where the article never says it | not_found |
| fenbie | "A、B分别X和Y" with X and Y swapped | contradicted |
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ._perturb_figures import (
    Figure,
    Perturbation,
    changed_number,
    claim_text,
    figures,
    has_fenbie,
    make_date,
    make_fenbie,
    make_number,
    states_number,
)
from ._perturb_words import (
    _LEAD,
    Pools,
    build_pools,
    entities,
    entity_type,
    make_direction,
    make_entity,
    make_qualifier,
)

__all__ = [
    "ALTERED",
    "EXPECTED",
    "KINDS",
    "Figure",
    "Perturbation",
    "Pools",
    "altered_kinds",
    "build_pools",
    "changed_number",
    "claim_text",
    "eligible",
    "entities",
    "entity_type",
    "figures",
    "has_fenbie",
    "has_fenbie_text",
    "make_date",
    "make_direction",
    "make_entity",
    "make_fenbie",
    "make_number",
    "make_qualifier",
    "make_same",
    "perturb",
    "record",
    "sentences",
    "states_number",
]

EXPECTED: dict[str, frozenset[str]] = {
    "same": frozenset({"supported"}),
    "number": frozenset({"contradicted"}),
    "date": frozenset({"contradicted", "not_found"}),
    "entity": frozenset({"contradicted", "not_found"}),
    "direction": frozenset({"contradicted"}),
    "qualifier": frozenset({"not_found"}),
    "fenbie": frozenset({"contradicted"}),
}
KINDS = tuple(EXPECTED)
ALTERED = tuple(k for k in KINDS if k != "same")

MIN_LEN, MAX_LEN = 15, 80

# ------------------------------------------------------------------ sentences

_SENT = re.compile(r"[^。！？!?]*[。！？!?]+[”」』]?|[^。！？!?]+$")
# Datelines, bylines, photo credits, sharing widgets, links: not statements of fact.
_JUNK = re.compile(
    r"记者|通讯员|编辑|责编|摄|来源|原标题|电\s*[（(]|http|www\.|分享|点击|扫码|二维码|@|#|\?|？|……|\.\.\.|\|"
)


def sentences(text: str) -> list[str]:
    """The article's sentences, each ending in its 。！？ (and a closing quote after it)."""
    return [s.strip() for s in _SENT.findall(text) if s.strip()]


def eligible(sentence: str) -> bool:
    """Short enough, a plain statement, balanced quotes and brackets, no byline or link."""
    c = claim_text(sentence)
    if not (MIN_LEN <= len(c) <= MAX_LEN) or _JUNK.search(c):
        return False
    pairs = ("“”", "（）", "()", "《》", "「」")
    if any(c.count(a) != c.count(b) for a, b in pairs):
        return False
    return bool(re.search(r"[\u4e00-\u9fff]", c)) and not c.startswith(("”", "’", "，", "、"))


def has_fenbie_text(text: str) -> bool:
    """Whether some eligible sentence of the article is a 分别 sentence to swap."""
    return any(eligible(s) and has_fenbie(s) for s in sentences(text) if "分别" in s)


# ------------------------------------------------------------------ all kinds


def make_same(sentence: str) -> list[Perturbation]:
    """The sentence itself, and without a leading discourse marker (据悉，/ 此外，…) if it has one."""
    claim = claim_text(sentence)
    out = [Perturbation("same", claim, "", "verbatim")]
    m = _LEAD.match(claim)
    if m and len(claim) - m.end() >= MIN_LEN:
        out.append(Perturbation("same", claim[m.end() :], f"-{m.group(0)}", "reworded"))
    return out


def perturb(
    sentence: str,
    article: str,
    article_date: str | None,
    pools: Pools,
    rng: random.Random,
    skipped: Counter[str] | None = None,
) -> list[Perturbation]:
    """Every claim this sentence gives, `same` first. A claim that equals another, or that the
    article prints word for word, is dropped (it would be supported)."""
    skipped = skipped if skipped is not None else Counter()
    out = make_same(sentence)
    out += make_number(sentence, article, rng, skipped)
    out += make_date(sentence, article, article_date, rng, skipped)
    out += make_entity(sentence, article, pools, rng, skipped)
    out += make_direction(sentence, article, skipped)
    out += make_qualifier(sentence, article, rng, skipped)
    out += make_fenbie(sentence, article, skipped)
    kept: list[Perturbation] = []
    seen: set[str] = set()
    for p in out:
        if p.claim in seen or (p.kind != "same" and p.claim in article):
            if p.kind != "same":
                skipped[f"{p.kind}: the altered claim is printed in the article"] += 1
            continue
        seen.add(p.claim)
        kept.append(p)
    return kept


def altered_kinds(ps: Sequence[Perturbation]) -> set[str]:
    """The altered kinds among these claims (`same` left out)."""
    return {p.kind for p in ps if p.kind != "same"}


def record(
    claim_id: str, p: Perturbation, sentence: str, article_id: str, expected: Mapping[str, Any] = EXPECTED
) -> dict[str, Any]:
    """The JSON row of one claim."""
    return {
        "id": claim_id,
        "kind": p.kind,
        "sub": p.sub,
        "claim": p.claim,
        "source": claim_text(sentence),
        "article_id": article_id,
        "expected": sorted(expected[p.kind]),
        "changed": p.changed,
    }
