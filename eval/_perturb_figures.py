"""Perturbations of figures: a number or its unit changed, a date shifted, the two sides of
"A、B分别X和Y" swapped (see `eval/_perturb.py` for the kinds and their expected verdicts)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Perturbation:
    """One claim made from a source sentence. `changed`: what was changed, "old -> new"."""

    kind: str
    claim: str
    changed: str
    sub: str = ""  # a finer kind: number value / unit, date day / month / year, entity nr / ns / nt


def claim_text(sentence: str) -> str:
    """The sentence as a claim: without its final punctuation."""
    return sentence.rstrip("。！？!?").strip()


# ------------------------------------------------------------------ numbers

_NUM = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# A figure that is part of a name or a code (5G, G20, 3·15, 2号线, 第3届), a time, a range or a
# bound (超过300, 300多, 3至5): changing it would not give a sure contradiction.
_BEFORE_BAD = re.compile(
    r"(?:[A-Za-z.\-—~～+·/:：第#№至到]|超过|超|逾|近|约|约为|约合|将近|接近|不到|不足|至少|最多|多达|大约|上"
    r"|突破|超出|高于|低于|多于|少于|大于|小于|不低于|不少于|不超过|最高|最低|至多|破)$"
)
_AFTER_BAD = re.compile(
    r"^(?:\s*[A-Za-z]|[.\-—~～+·/:：]|[年月日号时点分秒届期楼线路版强]|多|余|至|到|以上|以下|左右|上下|之内|以内|以来|开外|\d)"
)
_COUNTED = r"[个名人家元万亿件台辆吨米次项所座条户位只份套张股千百%‰倍]"
_AFTER_BAD_NEAR = re.compile(r"^[^，。；、]{0,4}?(?:以上|以下|左右|上下|以内|之内|开外)")
# What a counted figure is followed by: a counter or a unit (12所, 3.5亿元, 20周年, 53兆帕).
# Any other character makes the figure part of a name: 8424西瓜, 606班, 新舟60灭火机, 3.0时代.
_UNIT_START = set(
    "个名人家元万亿千百十件台辆吨米次项所座条户位只份套张股倍克升斤两亩平公毫厘微纳天周小岁架艘层栋间"
    "床款种类批场例起宗笔单块度首本册页篇部集枚颗粒头匹棵株片杯瓶箱袋包盒双对组轮趟站美欧英澳韩卢兆瓦"
    "伏帕摄海立光马成角级码寸尺剂支遍标桶"
)


@dataclass(frozen=True)
class Figure:
    """An Arabic figure in a sentence: text[start:end] == number."""

    number: str
    start: int
    end: int


def figures(text: str, skipped: Counter[str] | None = None) -> list[Figure]:
    """The figures a change would contradict for sure (see _BEFORE_BAD / _AFTER_BAD)."""
    out = []
    for m in _NUM.finditer(text):
        # Spaces around a figure (IT之家 8 月 11 日, 逾 370 人) change nothing.
        before = text[max(0, m.start() - 4) : m.start()].rstrip()
        after = text[m.end() : m.end() + 8].lstrip()
        digits = m.group(0).replace(",", "")
        named = (
            re.search(r"[A-Za-z]$", before)
            or (after[:1] and re.match(r"[\u4e00-\u9fff]", after[:1]) and after[0] not in _UNIT_START)
            or text.count("《", 0, m.start()) > text.count("》", 0, m.start())  # in a title: 《博德之门3》
            # a year without 年, in a name (2023广州博览会), not a count (2000名)
            or (re.fullmatch(r"(?:19|20)\d\d", digits) and not re.match(_COUNTED, after))
            or (not before and after[:1] in ("、", "．", "."))  # a list item number: 2、…
        )
        bad = (
            _BEFORE_BAD.search(before)
            or _AFTER_BAD.search(after)
            or _AFTER_BAD_NEAR.search(after)
            or ("." not in digits and len(digits) >= 5 and "," not in m.group(0))  # codes, phone numbers
            or named
        )
        if bad:
            if skipped is not None:
                dated = re.match(r"[年月日号时点分秒]", after) or re.search(r"[:：]$", before)
                skipped[
                    "number: a date or time (the date kind changes those)"
                    if dated
                    else "number: part of a name or code, a range or a bound (5G, 第3届, 3至5, 超过300)"
                ] += 1
            continue
        out.append(Figure(m.group(0), m.start(), m.end()))
    return out


def _fmt(value: float, like: str) -> str:
    decimals = len(like.split(".")[1]) if "." in like else 0
    s = f"{value:,.{decimals}f}" if "," in like else f"{value:.{decimals}f}"
    return s


def changed_number(number: str, rng: random.Random) -> str:
    """Another figure of the same shape, far enough to be a different fact:
    300 -> 450 or 180, 16 -> 24, 3 -> 5, 24.9 -> 37.4 (decimals and thousands commas kept)."""
    value = float(number.replace(",", ""))
    if value < 5 and "." not in number:
        return str(int(value) + rng.choice((2, 3, 4)))
    factor = rng.choice((1.5, 0.6, 2.0))
    new = value * factor
    if "." not in number:
        zeros = len(number.replace(",", "")) - len(number.replace(",", "").rstrip("0"))
        step = 10 ** min(zeros, max(0, len(str(int(value))) - 1))
        new = max(step, round(new / step) * step)
    text = _fmt(new, number)
    if float(text.replace(",", "")) == value:
        text = _fmt(value * 2 + 1, number)
    return text


_CN_DIGITS = "零一二三四五六七八九"


def chinese_numerals(n: int) -> set[str]:
    """How Chinese prints a whole number below 10^8: 15 -> 十五 / 一十五, 1000 -> 一千 / 千,
    30500 -> 三万零五百."""
    if not 0 < n < 10**8:
        return set()

    def below_10k(v: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, v = divmod(v, value)
            if d:
                out += ("零" if zero and out else "") + _CN_DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    text = below_10k(high) + "万" if high else ""
    if low:
        text += ("零" if high and low < 1000 else "") + below_10k(low)
    forms = {text}
    if text.startswith("一") and len(text) > 1 and text[1] in "十千":
        forms.add(text[1:])  # 十五, 千万
    if text.startswith("二") and (len(text) == 1 or text[1] in "百千万"):
        forms.add("两" + text[1:])  # 两, 两万
    return forms


def states_number(article: str, number: str, unit: str = "") -> bool:
    """Whether the article prints this figure anywhere: as a whole number, with or without
    thousands commas, or (followed by the claim's unit, e.g. 万元) in Chinese numerals."""
    plain = number.replace(",", "")
    forms = {number, plain}
    if "." not in plain and len(plain) > 3:
        forms.add(f"{int(plain):,}")
    if any(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|\.\d)", article) for f in forms):
        return True
    if unit and "." not in plain:
        return any(cn + unit in article for cn in chinese_numerals(int(plain)))
    return False


def make_number(sentence: str, article: str, rng: random.Random, skipped: Counter[str]) -> list[Perturbation]:
    """One figure changed in value, and one changed in magnitude (万 <-> 亿, 万元 -> 元) if any."""
    claim = claim_text(sentence)
    figs = figures(claim, skipped)
    out: list[Perturbation] = []
    for fig in rng.sample(figs, len(figs)):
        new = changed_number(fig.number, rng)
        if states_number(article, new, claim[fig.end : fig.end + 2].strip()):
            skipped["number: the changed figure is stated in the article"] += 1
            continue
        out.append(
            Perturbation(
                "number", claim[: fig.start] + new + claim[fig.end :], f"{fig.number} -> {new}", "value"
            )
        )
        break
    for fig in rng.sample(figs, len(figs)):
        after = claim[fig.end : fig.end + 3]
        if after.startswith("万亿") or after.startswith("亿万"):
            continue
        if after.startswith("万元"):
            old, new_unit = "万元", "元"
        elif after.startswith("万"):
            old, new_unit = "万", "亿"
        elif after.startswith("亿"):
            old, new_unit = "亿", "万"
        else:
            continue
        if re.search(rf"(?<![\d.,]){re.escape(fig.number)}{new_unit}", article):
            skipped["number: the figure in the new unit is stated in the article"] += 1
            continue
        new_claim = claim[: fig.end] + new_unit + claim[fig.end + len(old) :]
        out.append(Perturbation("number", new_claim, f"{fig.number}{old} -> {fig.number}{new_unit}", "unit"))
        break
    return out


# ------------------------------------------------------------------ dates

_DAY = re.compile(r"(?<![\d.])(\d{1,2})月(\d{1,2})日(?![至到\-—~～、和及与])")
_MONTH = re.compile(r"(?<![\d.个])(\d{1,2})月(?![\d份]?[至到\-—~～、和及与]|\d)")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)年(?![至到\-—~～、和及与])")


def _states_day(article: str, month: int, day: int) -> bool:
    return bool(
        re.search(rf"(?<!\d){month}月{day}日|(?<![\d月]){day}日|(?<!\d){month}\.{day}(?!\d)", article)
    )


def make_date(
    sentence: str, article: str, article_date: str | None, rng: random.Random, skipped: Counter[str]
) -> list[Perturbation]:
    """One date shifted: a day by 2-5 days, else a year back by 1-3, else a month by 2.
    A shift is dropped when the article states the new date anywhere, or when the new day is
    the article's date or the two days before (a checker may read 今天/昨天/前天 as that day)."""
    claim = claim_text(sentence)
    near: set[tuple[int, int]] = set()
    if article_date and re.match(r"\d{4}-\d\d-\d\d$", article_date):
        d0 = dt.date.fromisoformat(article_date)
        near = {((d0 - dt.timedelta(days=k)).month, (d0 - dt.timedelta(days=k)).day) for k in range(3)}
    for m in _DAY.finditer(claim):
        month, day = int(m.group(1)), int(m.group(2))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        for shift in rng.sample((2, 3, 4, 5, -2, -3, -4, -5), 8):
            new = day + shift
            if not 1 <= new <= 28:
                continue
            if (month, new) in near:
                skipped["date: the shifted day is the article's date or 1-2 days before"] += 1
                continue
            if _states_day(article, month, new):
                skipped["date: the shifted day is stated in the article"] += 1
                continue
            text = claim[: m.start(2)] + str(new) + claim[m.end(2) :]
            return [Perturbation("date", text, f"{month}月{day}日 -> {month}月{new}日", "day")]
    for m in _YEAR.finditer(claim):
        year = int(m.group(1))
        for back in (2, 1, 3):
            new = year - back
            if re.search(rf"(?<!\d){new}(?!\d)", article):
                skipped["date: the shifted year is stated in the article"] += 1
                continue
            text = claim[: m.start(1)] + str(new) + claim[m.end(1) :]
            return [Perturbation("date", text, f"{year}年 -> {new}年", "year")]
    for m in _MONTH.finditer(claim):
        month = int(m.group(1))
        if not 1 <= month <= 12 or claim[m.end() : m.end() + 1] == "日":
            continue
        for shift in (2, -2, 3, -3):
            new = month + shift
            if not 1 <= new <= 12:
                continue
            if re.search(rf"(?<!\d){new}月", article):
                skipped["date: the shifted month is stated in the article"] += 1
                continue
            text = claim[: m.start(1)] + str(new) + claim[m.end(1) :]
            return [Perturbation("date", text, f"{month}月 -> {new}月", "month")]
    return []


# ------------------------------------------------------------------ 分别

_FENBIE_PAIR = re.compile(
    r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)(?P<mid>%?[^\d、和与及，。；,]{0,4}?)(?:、|和|与|及)(?P<b>\d+(?:\.\d+)?)(?![\d.])"
)


def make_fenbie(sentence: str, article: str, skipped: Counter[str]) -> list[Perturbation]:
    """ "A、B分别X和Y" with X and Y swapped: the first two figures after 分别 in its clause,
    when a list (、 or 和) precedes 分别 in the same clause and the two figures differ."""
    claim = claim_text(sentence)
    for m in re.finditer("分别", claim):
        head = re.split(r"[，。；,;]", claim[: m.start()])[-1]
        if not re.search(r"[、和与及]", head):
            continue
        tail_end = m.end() + len(re.split(r"[，。；,;]", claim[m.end() :])[0])
        p = _FENBIE_PAIR.search(claim, m.end(), tail_end)
        if not p:
            continue
        a, b = p.group("a"), p.group("b")
        if float(a) == float(b):
            skipped["fenbie: the two figures are equal"] += 1
            continue
        text = claim[: p.start("a")] + b + claim[p.end("a") : p.start("b")] + a + claim[p.end("b") :]
        return [Perturbation("fenbie", text, f"{a} <-> {b}")]
    return []


def has_fenbie(sentence: str) -> bool:
    """Whether the fenbie kind can swap something in this sentence."""
    return "分别" in sentence and bool(make_fenbie(sentence, "", Counter()))
