"""Facts in Chinese news text, found by rule: numbers with units, dates, directions.

Pure functions and small frozen records, no model. The answerer uses them to know
whether a sentence holds the kind of thing a question wants; the fact
checker uses them to compare the numbers, dates and directions of a claim with
those of a quote. Offsets are into the string passed in, so a caller can map a
found fact back onto an article (`article.text[base + q.start : base + q.end]`).
People, organisations, places and other names are found by `_names`; the kind of
thing a question wants is read by `_question_types`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ._normalize import cn_number

Language = Literal["zh", "en", "other"]

# ------------------------------------------------------------------ language


_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")
_OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0e00-\u0e7f\u0900-\u097f]")


def detect_language(text: str) -> Language:
    """zh, en, or other (Russian, Japanese, Korean, Arabic…: scripts the archive does not hold).

    Japanese is told from Chinese by its kana; a question with a Chinese name in
    parentheses inside English is English.
    """
    cjk = len(_CJK.findall(text))
    kana = len(_KANA_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    other = len(_OTHER_SCRIPT.findall(text))
    if kana >= 2 or other > max(cjk, latin // 2):
        return "other"
    if cjk and cjk * 3 >= latin:  # a Chinese character carries about a word
        return "zh"
    if latin:
        return "en"
    return "zh" if cjk else "other"


# ------------------------------------------------------------------ numbers

CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
_BIG_UNIT = {"万": 10_000, "亿": 100_000_000}


def chinese_to_number(s: str) -> float | None:
    """十六 -> 16, 三十四 -> 34, 两万 -> 20000, 4.3亿 -> 430000000, 四十五点六 -> 45.6; None if not a number.

    cn2an reads the numerals (see `_normalize.cn_number`); this keeps the narrower rule
    that a bare Chinese string must be made of numeral characters only.
    """
    s = s.strip()
    if not s or (not s[0].isdigit() and any(c not in CN_NUM_CHARS + "点" for c in s)):
        return None
    return cn_number(s)


# Measure words and units, longest first so 亿元 wins over 亿 and 个月 over 个.
UNITS = (
    "平方公里 平方米 万千瓦 千瓦时 公顷 公里 千米 厘米 毫米 个百分点 个月 小时 分钟 亿元 万元 元 "
    "% ％ ‰ ℃ 度 米 亩 吨 斤 家 个 位 名 人 所 篇 盘 条 座 次 级 周岁 岁 年 天 周 户 辆 台 项 批 届 倍 成 "
    "件 场 期 "
    "株 棵 只 头 套 份 张 本 支 处 间 栋 幢 层 号 元钱 起 例 万人次 人次 元/斤 小区 镇 村 社区 "
    "美元 欧元 英镑 日元 港元 摄氏度 公斤 千克 兆瓦 "
    "册 部 艘 架 匹 箱 袋 瓶 桶 颗 枚 盏 根 块 笔 幅 立方米 千瓦 标箱 班次 班"
).split()
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# 1,313,851: thousands separators, as RGB and wire copy print them.
_NUM_RE = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_NUM_CHARS}]+(?:点[{CN_NUM_CHARS}]+)?)"
# 6.05万亿, 3千万: magnitudes of two characters before one (a bare 千 or 百 is left alone: 5千米
# is a unit).
_MAG_RE = r"(?:[千百]万|万亿|千亿|[万亿])?"
_QUANTITY = re.compile(
    rf"(?P<pct>百分之)?(?P<ord>第|首)?(?P<num>{_NUM_RE})(?P<mag>{_MAG_RE})"
    rf"(?:(?:到|至|~|-|—)(?P<hi>{_NUM_RE})(?P<himag>{_MAG_RE}))?"
    rf"(?P<approx>多|余|来)?(?P<unit>{_UNIT_RE})?"
)
# A time of a race or a run as one figure (1小时08分32秒, 2分05秒12, 10秒85, 3小时05分钟): in
# seconds, so 1小时09分15秒 is not "1小时" agreeing with 1小时08分32秒.
_DURATION = re.compile(
    r"(?<![\d.])(?:(?P<h>\d+)小时(?P<hm>\d{1,2})分(?:钟)?(?:(?P<hs>\d{1,2})秒(?P<hf>\d{1,2})?)?"
    r"|(?P<m>\d+)分(?P<ms>\d{1,2})秒(?P<mf>\d{1,2})?"
    r"|(?P<s>\d+)秒(?P<sf>\d{1,2})(?![\d.])"
    r"|(?P<d>\d+(?:\.\d+)?)秒(?!\d))"  # 10.98秒 = 10秒98
)
_TIME_UNITS = {"年", "天", "周", "小时", "分钟", "个月"}
_SAME_UNIT = {"摄氏度": "℃", "千克": "公斤", "％": "%", "周岁": "岁"}  # 80周岁 is an age, not 80 weeks
# Chinese numerals inside set phrases are not quantities: 一键, 一体, 一年四季, 一个都不能少.
_FALSE_CN = re.compile(r"^一(?:键|体|起|线|流|致|直|些|般|定|样|同|道|度|层|张又|盘盘|年四季|个都)")


@dataclass(frozen=True)
class Quantity:
    """A number as written, with its unit: 2万多盘 -> value 20000, unit 盘, approx True."""

    value: float
    unit: str
    text: str
    start: int
    end: int
    approx: bool = False  # 多 / 余 / 来: "more than"
    high: float | None = None  # the top of a range: 4到5级 -> value 4, high 5
    ordinal: bool = False  # 第二家, 第三十四次, 首批


def find_quantities(text: str) -> list[Quantity]:
    """Numbers with their units; dates and times are left to `find_times`."""
    times = [(t.start, t.end) for t in find_times(text)]
    out: list[Quantity] = []
    for d in _DURATION.finditer(text):
        g = {k: float(v) if v else 0.0 for k, v in d.groupdict().items()}
        seconds = (
            g["h"] * 3600 + g["hm"] * 60 + g["hs"] + g["hf"] / 100
            + g["m"] * 60 + g["ms"] + g["mf"] / 100 + g["s"] + g["sf"] / 100 + g["d"]
        )  # fmt: skip
        out.append(Quantity(value=seconds, unit="秒", text=d.group(0), start=d.start(), end=d.end()))
    durations = [(q.start, q.end) for q in out]
    for m in _QUANTITY.finditer(text):
        if any(s <= m.start() < e for s, e in durations):
            continue
        num, unit = m.group("num").replace(",", ""), m.group("unit") or ""
        is_digit = num[0].isdigit()
        if m.group("ord") == "首":
            if not unit:
                continue
            value: float | None = 1.0
            num = "首"
        else:
            value = chinese_to_number(num + m.group("mag"))
        if value is None:
            continue
        if m.group("pct"):
            unit = "%"  # 百分之四十五点六: the unit is printed first
        if not is_digit and (not unit or _FALSE_CN.match(text[m.start("num") :])):
            continue  # 一 alone is usually an article-like word, not a number
        if (
            is_digit
            and not unit
            and m.group("mag") == ""
            and text[m.end() : m.end() + 1] in ("月", "日", "号")
        ):
            continue
        if unit in ("年", "月") and is_digit and unit == "年" and len(num) == 4:
            continue  # 2024年 is a date
        if any(s < m.end() and m.start() < e for s, e in times) and unit not in _TIME_UNITS | {"个月"}:
            continue
        hi = m.group("hi")
        high = chinese_to_number(hi + (m.group("himag") or "")) if hi else None
        if m.group("mag") == "" and m.group("himag"):  # 4到5万: both in 万
            value *= chinese_to_number("1" + m.group("himag")) or 1
        if unit in ("亿元", "万元"):
            value *= _BIG_UNIT[unit[0]]
            unit = "元"
        unit = _SAME_UNIT.get(unit, unit)
        out.append(
            Quantity(
                value=value,
                unit=unit,
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                approx=bool(m.group("approx")),
                high=high,
                ordinal=bool(m.group("ord")),
            )
        )
    return sorted(out, key=lambda q: q.start)


# ------------------------------------------------------------------ dates and times

_N = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# A run of months (1至9月, 1-9月, 1月至9月, 前10个月): one period, not its last month (提前3个月 is
# no period).
MONTH_RANGE = rf"(?:{_N}(?:月份?)?[至到\-—~～]{_N}月份?|(?<![提之以超])前(?:{_N}|两)个?月)(?![\d日号])"
_TIME = re.compile(
    rf"(?P<ryear>\d{{4}}年|[今去明前]年)?(?P<run>{MONTH_RANGE})"
    r"|(?P<year>\d{4}年|[今去明前]年)?"
    rf"(?P<month>{_N}月)(?:份)?(?P<day>{_N}[日号])?"
    r"(?P<part>上旬|中旬|下旬|初|底|末|中(?!午))?"
    r"(?P<tod>上午|下午|晚上|早晨|凌晨|中午|傍晚)?"
    r"|(?P<rel>今天|明天|昨天|前天|后天|今日|明日|昨日|当天|当日|近日|日前|连日来)"
    r"(?P<tod2>上午|下午|晚上|早晨|凌晨|中午|傍晚|白天)?"
    r"|(?P<night>昨晚|今晚|明晚|前晚|当晚|昨夜|今夜)"  # 昨晚 = 昨天晚上
    r"|(?P<yearonly>\d{4}年|今年|去年|明年|前年)(?P<span>前[一二两三]季度|一季度|二季度|三季度|四季度|上半年|下半年|年初|年底|年末)?"
    r"|(?P<quarter>前[一二两三]季度|(?:第?[一二三四1-4])季度|上半年|下半年)"
    r"|(?P<freq>每(?:个)?(?:季度|月|周|年|天|日))"
)
_REL_DAY = {
    "今天": 0,
    "今日": 0,
    "当天": 0,
    "当日": 0,
    "明天": 1,
    "明日": 1,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "后天": 2,
}
_NIGHT = {"昨晚": -1, "昨夜": -1, "今晚": 0, "今夜": 0, "当晚": 0, "明晚": 1, "前晚": -2}
_REL_YEAR = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}


@dataclass(frozen=True)
class TimeExpr:
    """A date or time as written: 今年7月底 -> year_offset 0, month 7, part 底."""

    text: str
    start: int
    end: int
    year: int | None = None
    year_offset: int | None = None  # 今年 0, 去年 -1 (relative to the article's date)
    month: int | None = None
    day: int | None = None
    day_offset: int | None = None  # 昨天 -1, 明天 1
    part: str = ""  # 初 / 底 / 上旬 / 一季度 / 上午 / 下午…
    frequency: bool = False  # 每个季度, 每年

    def same_as(self, other: TimeExpr) -> bool | None:
        """True/False when both name a month (and day); None when they cannot be compared."""
        if self.month is None or other.month is None:
            return None
        if self.month != other.month:
            return False
        if self.day is not None and other.day is not None and self.day != other.day:
            return False
        if self.part and other.part and self.part != other.part:
            return False
        return True


def _small(s: str) -> int | None:
    v = chinese_to_number(re.sub(r"[年月日号]", "", s))
    return int(v) if v is not None else None


def find_times(text: str) -> list[TimeExpr]:
    out: list[TimeExpr] = []
    for m in _TIME.finditer(text):
        if not m.group(0):
            continue
        g = m.groupdict()
        year = year_offset = month = day = day_offset = None
        part = ""
        freq = False
        if g["run"]:  # 今年1至9月: the year, and the period as its part (no month of its own)
            part = period_name(g["run"])
        y = g["year"] or g["yearonly"] or g["ryear"]
        if y:
            if y in _REL_YEAR:
                year_offset = _REL_YEAR[y]
            else:
                year = int(y[:4])
        if g["month"]:
            month = _small(g["month"])
            if month is None or not 1 <= month <= 12:
                continue
            if g["day"]:
                day = _small(g["day"])
        if g["rel"]:
            day_offset = _REL_DAY.get(g["rel"])
        if g["night"]:
            day_offset, part = _NIGHT[g["night"]], "晚上"
        part = part or g["part"] or g["tod"] or g["tod2"] or g["span"] or g["quarter"] or ""
        if g["freq"]:
            freq, part = True, g["freq"][1:].lstrip("个")
        out.append(
            TimeExpr(m.group(0), m.start(), m.end(), year, year_offset, month, day, day_offset, part, freq)
        )
    return out


# ------------------------------------------------------------------ directions

_DIRECTIONS: dict[str, tuple[str, int]] = {
    # amount up / down
    "同比增长": ("amount", 1),
    "增长": ("amount", 1),
    "增加": ("amount", 1),
    "上升": ("amount", 1),
    "提高": ("amount", 1),
    "提升": ("amount", 1),
    "上涨": ("amount", 1),
    "增幅": ("amount", 1),
    "扩大": ("amount", 1),
    "翻番": ("amount", 1),
    "下降": ("amount", -1),
    "减少": ("amount", -1),
    "降低": ("amount", -1),
    "下滑": ("amount", -1),
    "回落": ("amount", -1),
    "下跌": ("amount", -1),
    "缩小": ("amount", -1),
    "降幅": ("amount", -1),
    # schedule: earlier / later than planned
    "提前": ("schedule", -1),
    "推迟": ("schedule", 1),
    "延期": ("schedule", 1),
    "延后": ("schedule", 1),
    "滞后": ("schedule", 1),
    "延迟": ("schedule", 1),
}
_DIR_RE = re.compile("|".join(sorted(_DIRECTIONS, key=len, reverse=True)))


@dataclass(frozen=True)
class Direction:
    """A word saying which way something moved.

    增长 (+1) / 下降 (-1) on amounts; 提前 (-1) / 推迟 (+1) on schedules.
    """

    word: str
    axis: Literal["amount", "schedule"]
    sign: int
    start: int
    end: int


def find_directions(text: str) -> list[Direction]:
    out = []
    for m in _DIR_RE.finditer(text):
        axis, sign = _DIRECTIONS[m.group(0)]
        out.append(Direction(m.group(0), axis, sign, m.start(), m.end()))  # type: ignore[arg-type]
    return out


# ------------------------------------------------------------------ key terms

QUESTION_WORDS = set(
    "多少 几 几个 什么 怎么 怎样 怎么样 如何 哪 哪里 哪个 哪些 哪家 哪位 哪天 哪儿 "
    "谁 何时 何处 为什么 吗 呢 么 "
    "是 的 了 在 有 和 与 及 对 被 把 将 会 能 要 一共 总共 共 一 个 请问 请 告诉 我 你 他 她 它 们 这 那 该 "
    "其 啥 几月 几号 时候 一下 是否 可以 已经 都 还 就 又 也 等 中 上 下 之 给 让 "
    "情况 方面 什么样 怎样的 多 大 "
    "第几 几位 几所 几家 几条 几次 一次 多久 多远 多大".split()
)
BATCH_MARKER = re.compile(
    rf"首批|第[{CN_NUM_CHARS}\d]+批|前[一二两三]季度|[一二三四1-4]季度|上半年|下半年|{MONTH_RANGE}"
)
_PERIODS = {
    (1, 3): "一季度", (4, 6): "二季度", (7, 9): "三季度", (10, 12): "四季度",
    (1, 6): "上半年", (7, 12): "下半年", (1, 9): "前三季度", (1, 12): "全年",
}  # fmt: skip
_FIRST_QUARTERS = {"前一季度": "一季度", "前两季度": "上半年", "前二季度": "上半年", "前三季度": "前三季度"}


def period_name(marker: str) -> str:
    """One name for one period however it is printed: 1至9月 and 前三季度 are 前三季度, 1-6月 and
    前6个月 are 上半年, 1季度 is 一季度; a batch (首批) or another run of months (3至5月) as printed."""
    if re.fullmatch(MONTH_RANGE, marker):
        numbers = [_small(n) for n in re.findall(_N, marker.replace("两", "二"))]
        first, last = (1, numbers[0]) if marker.startswith("前") else numbers
        return _PERIODS.get((first or 0, last or 0), f"{first}-{last}月")
    if marker in _FIRST_QUARTERS:
        return _FIRST_QUARTERS[marker]
    return re.sub(r"^第?([1-4])季度$", lambda q: "一二三四"[int(q.group(1)) - 1] + "季度", marker)


def content_terms(text: str) -> list[str]:
    """The words of a question that name the thing asked (jieba words, question words out)."""
    import jieba

    jieba.setLogLevel(60)
    terms: list[str] = []
    for w in jieba.lcut(text):
        w = w.strip()
        if not w or w in QUESTION_WORDS or not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", w):
            continue
        if len(w) == 1 and not re.match(r"[\u4e00-\u9fff]", w):
            continue
        if w not in terms:
            terms.append(w)
    return terms


def cjk_runs(text: str) -> list[str]:
    """The Chinese stretches of an English question: its names in parentheses, quoted terms."""
    return [r for r in re.findall(r"[\u4e00-\u9fff]{2,}", text)]
