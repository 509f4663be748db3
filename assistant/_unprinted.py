"""Figures a model wrote that its article never prints: a small model adds years (1992 where the
dateline says 9月16日) and turns 486万 into "486 million". A verified sentence may rephrase a
figure (4次 for 四次, 1.2万 for 12000, 今年 for the article's own year), never invent one.
"""

from __future__ import annotations

import re

from ._facts import find_quantities
from ._normalize import normalise
from ._values import items
from .records import Article

_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_EN_MAGNITUDE = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion)\b", re.I)
_MAGNITUDES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def unprinted_english_figure(sentence: str, quoted: str, year: str = "") -> tuple[str, bool] | None:
    """The first figure of an English sentence the Chinese `quoted` sentence does not print, and
    whether it is an amount with a magnitude word; None when all are printed. 486 million for
    486万 (4.86 million) prints the digits, not the amount; the article's own `year` counts as
    printed."""
    values = [q.value for q in find_quantities(quoted)]  # 万 and 亿 applied: 486万元 -> 4860000.0
    plain = sentence.replace(",", "")
    for m in _EN_MAGNITUDE.finditer(plain):
        amount = float(m.group(1)) * _MAGNITUDES[m.group(2).lower()]
        if not any(abs(v - amount) <= 1e-9 * amount for v in values):
            return m.group(0), True
    for fig in _FIGURE.findall(_EN_MAGNITUDE.sub(" ", plain)):
        # Only as printed: 20000 for 2万 would be the same amount, but the English check cannot
        # tell 晚稻's 2万亩 from 早稻's (seed q051), and a figure printed as digits is safer.
        if not (fig in quoted or fig == year):
            return fig, False
    return None


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
