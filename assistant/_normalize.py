"""Text made comparable: one script (simplified), one width, numerals as digits.

Everything here is done by well-kept libraries: OpenCC (traditional -> simplified,
https://github.com/BYVoid/OpenCC), cn2an for Chinese numerals (十六 -> 16,
四十五点六 -> 45.6, 两万 -> 20000; https://github.com/Ailln/cn2an) and the Unicode
NFKC form for width. Two levels:

- `fold(text)` keeps every offset: one character in, one character out (a character
  whose conversion would change the length is left as it is), so a match found in the
  folded text can be quoted from the original at the same offsets.
- `normalise(text)` may change lengths (百分之三十二 -> 32%): for comparing values, never
  for quoting.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import lru_cache

import cn2an
import opencc

_T2S = opencc.OpenCC("t2s")
CN_NUMERALS = "零〇一二两三四五六七八九十百千万亿点"


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones (OpenCC t2s); other text unchanged."""
    return _T2S.convert(text)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Simplified script and half-width forms, offset for offset (len(fold(t)) == len(t))."""
    simple = to_simplified(text)
    if len(simple) != len(text):  # a phrase conversion changed the length: go character by character
        simple = "".join(c if len(s := _T2S.convert(c)) != 1 else s for c in text)
    out = []
    for ch in simple:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def cn_number(text: str) -> float | None:
    """A written number as a float: 十六 -> 16, 四十五点六 -> 45.6, 4.3亿 -> 4.3e8, 1.3万亿 -> 1.3e12,
    1,313,851 -> 1313851; None when it is not one number (统一, 四五)."""
    s = text.strip().replace(",", "")
    if not s:
        return None
    scale = 1.0
    while s.endswith(("万亿", "亿亿")) or (s.endswith("万") and "亿" in s[:-1]):
        # cn2an reads one magnitude at a time: 1.3万亿 is 1.3万 × 1亿
        scale *= 1e8 if s.endswith("亿") else 1e4
        s = s[:-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = cn2an.cn2an(s, "smart")
        except (ValueError, KeyError, TypeError, IndexError):
            # cn2an reads 一点二 but not 一点二亿: take the magnitude off and read the rest
            if len(s) > 1 and s[-1] in "万亿":
                rest = cn_number(s[:-1])
                return None if rest is None else rest * (1e4 if s[-1] == "万" else 1e8) * scale
            return None
    return float(value) * scale


_PERCENT = re.compile(rf"百分之([{CN_NUMERALS}\d.]+)")
_QUOTES = re.compile(r"[“”„‟「」『』〝〞＂]")


def as_written(word: str, text: str) -> str:
    """`word` as `text` prints it, for an explanation: a normalised name (k2路, found by matching
    normalised text) shown in the writer's case (K2路). The word itself when `text` lacks it."""
    m = re.search(re.escape(word), text, re.I)
    return m.group(0) if m else word


def normalise(text: str) -> str:
    """For comparing values: folded, lower-case, 百分之X as X%, ℃ one way, quotes one way.

    Lengths change; never take offsets from it.
    """
    t = unicodedata.normalize("NFKC", to_simplified(text))
    t = t.replace("°C", "℃").replace("摄氏度", "℃")

    def percent(m: re.Match[str]) -> str:
        value = cn_number(m.group(1))
        if value is None:
            return m.group(0)
        return f"{value:g}%"

    t = _PERCENT.sub(percent, t)
    t = _QUOTES.sub('"', t)
    t = re.sub(r"[‘’]", "'", t)
    return t.lower()
