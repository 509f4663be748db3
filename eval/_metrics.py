"""Scoring helpers shared by every setup: ranks, hit@k, MRR, answer matching, percentiles.

Definitions (used everywhere in eval/ and in the README's tables):

* a retrieved list is scored by the rank (1-based) of its first *gold* hit;
  hit@k = share of queries whose first gold hit is at rank <= k;
  MRR@10 = mean of 1/rank over queries, 0 when no gold hit is in the top 10.
* answer text *contains* an accepted string after normalisation (full-width to
  half-width, case folded, whitespace and thousands separators dropped), so
  "1,313,851" matches "1313851" and "１２人" matches "12人".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

KS = (1, 3, 5, 10, 20)


def norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", str(text)).casefold()
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)  # 1,313,851 -> 1313851
    return re.sub(r"\s+", "", t)


def contains_any(text: str, accepted: Iterable[str]) -> bool:
    t = norm(text)
    return any(norm(a) and norm(a) in t for a in accepted)


def slots_match(text: str, slots: Sequence[Any]) -> bool:
    """RGB's rule: every slot (a string, or a list of variants) must be found in the text."""
    if not slots:
        return False
    for slot in slots:
        variants = slot if isinstance(slot, list) else [slot]
        if not contains_any(text, [str(v) for v in variants]):
            return False
    return True


def first_rank(flags: Sequence[bool]) -> int | None:
    """1-based rank of the first True, or None."""
    for i, ok in enumerate(flags, start=1):
        if ok:
            return i
    return None


def rank_metrics(ranks: Sequence[int | None], ks: Sequence[int] = KS) -> dict[str, float]:
    """hit@k for each k, and MRR@10, from the first-gold rank of each query."""
    n = len(ranks)
    if n == 0:
        return {}
    out = {f"hit@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in ks}
    out["mrr@10"] = sum(1.0 / r for r in ranks if r is not None and r <= 10) / n
    return {k: round(v, 4) for k, v in out.items()}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), q in [0, 100]."""
    if not values:
        return math.nan
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    return {
        "latency_p50_ms": round(1000 * percentile(seconds, 50), 1),
        "latency_p95_ms": round(1000 * percentile(seconds, 95), 1),
    }


def share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None
