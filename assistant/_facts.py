"""Facts in Chinese news text, found by rule: numbers with units, dates, directions, people.

Pure functions and small frozen records, no model. The answerer uses them to know
what kind of thing a question wants and whether a sentence holds one; the fact
checker uses them to compare the numbers, dates and directions of a claim with
those of a quote. Offsets are into the string passed in, so a caller can map a
found fact back onto an article (`article.text[base + q.start : base + q.end]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ._normalize import cn_number

Language = Literal["zh", "en", "other"]
AnswerKind = Literal[
    "number", "person", "time", "place", "role", "duration", "entity", "name", "reason", "other"
]

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


# A foreign name as Chinese prints it: 亚历山大·武契奇, 凯文·麦卡锡
FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}")
# A name carrying a number (211路, K3路, 320国道, 3号线, 5号楼, G7512次列车, MU5735航班): group 1
# its number, group 2 its kind. It tells one thing from its siblings, which an article often
# lists side by side. (G7512次 alone is not taken: 3次 is a count.)
NUMBERED_NAME = re.compile(
    r"(?<![A-Za-z\d])([A-Za-z]{0,2}\d+)号?(路|线|航线|航班|楼|国道|省道|县道|次列车|地块|标段)"
)


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
    "% ％ ‰ ℃ 度 米 亩 吨 斤 家 个 位 名 人 所 篇 盘 条 座 次 级 岁 年 天 周 户 辆 台 项 批 届 倍 成 "
    "件 场 期 "
    "株 棵 只 头 套 份 张 本 支 处 间 栋 幢 层 号 元钱 起 例 万人次 人次 元/斤 小区 镇 村 社区 "
    "美元 欧元 英镑 日元 港元 摄氏度 公斤 千克 兆瓦 "
    "册 部 艘 架 匹 箱 袋 瓶 桶 颗 枚 盏 根 块 笔 幅 立方米 千瓦 标箱"
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
_TIME_UNITS = {"年", "天", "周", "小时", "分钟", "个月"}
_SAME_UNIT = {"摄氏度": "℃", "千克": "公斤", "％": "%"}
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
    for m in _QUANTITY.finditer(text):
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
    return out


# ------------------------------------------------------------------ dates and times

_N = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_TIME = re.compile(
    r"(?P<year>\d{4}年|[今去明前]年)?"
    rf"(?P<month>{_N}月)(?:份)?(?P<day>{_N}[日号])?"
    r"(?P<part>上旬|中旬|下旬|初|底|末|中)?"
    r"(?P<tod>上午|下午|晚上|早晨|凌晨|中午|傍晚)?"
    r"|(?P<rel>今天|明天|昨天|前天|后天|今日|明日|昨日|当天|当日|近日|日前|连日来)"
    r"(?P<tod2>上午|下午|晚上|早晨|凌晨|中午|傍晚|白天)?"
    r"|(?P<yearonly>\d{4}年|今年|去年|明年|前年)(?P<span>一季度|二季度|三季度|四季度|上半年|下半年|年初|年底|年末)?"
    r"|(?P<quarter>(?:第?[一二三四1-4])季度|上半年|下半年)"
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
        y = g["year"] or g["yearonly"]
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
        part = g["part"] or g["tod"] or g["tod2"] or g["span"] or g["quarter"] or ""
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


# ------------------------------------------------------------------ people and organisations

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤仲言查俞倪施翁屠岳柴鲁葛"
)
TITLES = (
    "副总经理 总经理 董事长 副主席 主席 副书记 书记 副经理 经理 副主任 主任 副局长 局长 副市长 市长 "
    "副镇长 镇长 副区长 区长 副县长 县长 副部长 部长 处长 科长 院长 校长 会长 理事长 秘书长 "
    "总监 站长 所长 厂长 "
    "队长 负责人 委员 主编 记者 通讯员 摄影 工匠 工程师 教授 医生 老师 社长 村长 支书 "
    "护士长 馆长 副馆长 行长 副行长 园长 组长 主任医师 董事 党委书记 检察长 庭长 总工程师 总编辑 教练 "
    "班长 主管 店长 主持人 选手 运动员 棋手 球员 队员 歌手 演员 导演 编剧 作家 画家 教师 "
    # who leads a crew, a team, a chamber or a country (RGB's 指令长 / 议长 questions)
    "指令长 总指挥 团长 领队 主教练 主帅 机长 船长 舰长 总裁 议长 总统 副总统 总理 副总理 首相 省长 州长 大使"
).split()
_TITLE_RE = "|".join(sorted(TITLES, key=len, reverse=True))
TITLE_PATTERN = _TITLE_RE  # longest first: 党委书记 before 书记
SPEECH_VERBS = "说道|表示|介绍|告诉|指出|认为|强调|坦言|说|称|透露"
# What a named official does right after the name in a report: 副主席陆建明出席会议.
_ACTS = (
    "出席|参加|主持|陪同|带队|致辞|讲话|调研|考察|走访|宣布|颁奖|作为|在|和|与"
    "|夺得|获得|荣获|摘得|夺冠|饰演"  # 选手陈立诚夺得冠军
    "|担任|兼任|出任|率领|率队|带领|牵头|负责"  # 镇长顾伟担任总指挥
)
_NAME = r"[\u4e00-\u9fff]{2,3}"
# What follows a titled name besides a verb: 陈立诚以…夺冠, 教授赵明辉团队, 局长张三一行.
_AFTER_NAME = "以|团队|课题组|工作室|等|一行"
# Titles printed after the name in news (赵明辉教授团队, 王丽老师说).
_TITLE_AFTER = "副教授|教授|研究员|院士|博士|主任医师|医生|医师|老师"
_ORG_SUFFIX = (
    "有限公司|股份有限公司|公司|集团|学院|学校|职业中专|中专|大学|中学|小学|中心|街道|管委会|委员会|"
    "工会|协会|银行|医院|政府|办公室|局|酒店|研究院|研究所|合作社|开发区"
)


@dataclass(frozen=True)
class Mention:
    """A person or organisation named in text, with the role printed before a person's name."""

    text: str
    kind: Literal["person", "org", "place", "name"]
    start: int
    end: int
    role: str = ""  # 市总工会副主席 for 张婉强


def _valid_name(name: str) -> bool:
    return len(name) in (2, 3) and name[0] in SURNAMES


def find_people(text: str) -> list[Mention]:
    """Names after a title (副主席张婉强) or before a speech verb (沈守贤说), or in a byline list."""
    found: dict[tuple[int, int], Mention] = {}
    # Title then name: the role runs back from the title to the previous punctuation.
    for m in re.finditer(rf"(?P<title>{_TITLE_RE})(?P<sep>\s*)(?P<name>{_NAME})", text):
        name = m.group("name")
        for n in (3, 2):  # prefer the 3-character name when a speech verb or boundary follows
            cand = name[:n]
            after = text[m.start("name") + n : m.start("name") + n + 2]
            if len(cand) == 3 and cand[2] in "说称":
                continue  # 许静说: the verb, not a third character
            if _valid_name(cand) and (
                re.match(rf"(?:{SPEECH_VERBS}|{_ACTS}|{_AFTER_NAME}|[，,。、\s“”）)]|$)", after)
                or n == len(name) == 2
            ):
                s = m.start("name")
                role_start = max(
                    (
                        i + 1
                        for i in range(m.start("title") - 1, max(-1, m.start("title") - 30), -1)
                        if text[i] in "，,。；;、：:“”\n "
                    ),
                    default=max(0, m.start("title") - 30),
                )
                role = text[role_start : m.end("title")]
                found[(s, s + n)] = Mention(cand, "person", s, s + n, role)
                break
    # Name then a title that follows it (赵明辉教授, 王丽老师), after a boundary or an institution.
    for m in re.finditer(
        rf"(?:^|[，,。；;、：:“”（(\s]|{_ORG_SUFFIX})(?P<name>{_NAME})(?P<title>{_TITLE_AFTER})", text
    ):
        s = m.start("name")
        name = m.group("name")
        if _valid_name(name) and not any(a <= s < b for a, b in found):
            found[(s, s + len(name))] = Mention(name, "person", s, s + len(name), m.group("title"))
    # Name then speech verb, when no title was seen.
    for m in re.finditer(rf"(?P<name>{_NAME})(?:{SPEECH_VERBS})", text):
        name = m.group("name")
        for n in (3, 2):
            s = m.end("name") - n
            cand = text[s : m.end("name")]
            if _valid_name(cand) and not any(a <= s < b for a, b in found):
                found[(s, s + n)] = Mention(cand, "person", s, s + n)
                break
    # Org then name: 纳铁福传动系统(平湖)有限公司李怀亮
    for m in re.finditer(rf"(?:{_ORG_SUFFIX})(?P<name>{_NAME})(?=[、，,等])", text):
        s = m.start("name")
        name = m.group("name")
        if _valid_name(name) and not any(a <= s < b for a, b in found):
            found[(s, s + len(name))] = Mention(name, "person", s, s + len(name))
    return sorted(found.values(), key=lambda x: x.start)


def find_orgs(text: str) -> list[Mention]:
    out = []
    for m in re.finditer(rf"[\u4e00-\u9fff（）()A-Za-z0-9]{{2,20}}?(?:{_ORG_SUFFIX})", text):
        out.append(Mention(m.group(0), "org", m.start(), m.end()))
    return out


_PLACE_SUFFIX = (
    "新加坡|中心|街道|街区|小区|社区|镇|村|园|谷|路|桥|大道|城|区|市|省|县|公司|学院|厂|站|港|广场|国|"
    "酒店|场所|区域"
)


_NAMED_PLACE_SUFFIX = "新加坡|中心|街道|街区|小区|社区|镇|村|园|谷|大道|广场|场所|区域|酒店|港"


def find_places(text: str) -> list[Mention]:
    """Place-like phrases: a name ending in 街区 / 中心 / 小区 / 镇 …, or after 在 / 于 / 位于 / 赴."""
    out = []
    seen: set[tuple[int, int]] = set()
    patterns = (
        rf"(?:在|于|位于|赴|到|选址于|设在|地址[:：])(?P<p>[\u4e00-\u9fff（）()0-9A-Za-z]{{0,24}}?(?:{_PLACE_SUFFIX})(?:[（(][^）)]{{1,10}}[）)])?)",
        rf"(?P<p>[\u4e00-\u9fff]{{2,16}}?(?:{_NAMED_PLACE_SUFFIX}))",
    )
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            span = (m.start("p"), m.end("p"))
            if span not in seen and len(m.group("p")) >= 2:
                seen.add(span)
                out.append(Mention(m.group("p"), "org", *span))
    return out


COUNTRIES = (
    "中国 新加坡 美国 日本 韩国 朝鲜 英国 法国 德国 意大利 俄罗斯 马来西亚 泰国 越南 印度 印度尼西亚 印尼 "
    "澳大利亚 加拿大 荷兰 瑞士 瑞典 西班牙 葡萄牙 巴西 阿根廷 墨西哥 新西兰 菲律宾 柬埔寨 老挝 缅甸 阿联酋 "
    "沙特 土耳其 伊朗 以色列 埃及 南非 乌克兰 波兰 卡塔尔 巴基斯坦"
).split()
_BYLINE_NEAR = re.compile(r"(?:记者|摄影?|编辑|通讯员|作者|报道)[\s：:]*$")


def find_names(text: str) -> list[Mention]:
    """Anything named: people (by title, speech verb or jieba's name tag), places and bodies
    (jieba's ns/nt/nz), foreign names (X·Y), titles of works (《…》), quoted names (“…”) and
    Latin names (ChatGPT, SE 3). Reporters in a byline (记者陈杭) are not named things.
    Source: jieba.posseg (HMM on: names outside the dictionary are what news prints)."""
    import jieba.posseg

    out: dict[tuple[int, int], Mention] = {(m.start, m.end): m for m in find_people(text)}
    at = 0
    for w in jieba.posseg.cut(text):
        s, at = at, at + len(w.word)
        if w.flag in ("nr", "nrt", "nrfg", "ns", "nt", "nz") and len(w.word) >= 2:
            out.setdefault((s, at), Mention(w.word, "place" if w.flag == "ns" else "name", s, at))
    patterns = (
        r"[\u4e00-\u9fff]{1,6}[·・][\u4e00-\u9fff]{1,8}",
        r"《[^》]{1,30}》",
        r"“[^”]{2,12}”",
        r"[A-Za-z][A-Za-z0-9\-]{1,}(?: [A-Z0-9][A-Za-z0-9]*)?",
    )
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            out.setdefault((m.start(), m.end()), Mention(m.group(0), "name", m.start(), m.end()))
    return [m for _, m in sorted(out.items()) if not _in_byline(text, m.start)]


def _in_byline(text: str, start: int) -> bool:
    if _BYLINE_NEAR.search(text[max(0, start - 8) : start]):
        return True
    # （记者赵雪彤、王春燕、马锴）: every name of the list
    before = text[max(0, start - 30) : start]
    opened = max(before.rfind("（"), before.rfind("("))
    return (
        opened >= 0
        and not re.search(r"[）)]", before[opened:])
        and bool(re.match(r"[（(]\s*(?:记者|通讯员|摄影|文|图)", before[opened:]))
    )


# ------------------------------------------------------------------ what a question wants


@dataclass(frozen=True)
class AnswerType:
    kind: AnswerKind
    unit: str = ""  # the measure word asked with the number: 多少家 -> 家
    counted: str = ""  # the thing counted: 多少残疾人 -> 残疾人
    ordinal: bool = False  # 第几


_ZH_TIME = re.compile(
    r"什么时候|何时|哪几天|哪些天|哪天|哪一天|星期几|周几|礼拜几|几月|几号|几点|哪一年|哪年|什么时间|何日|多会儿|日期"
)
_ZH_DURATION = re.compile(r"多久|多长时间|几年|几天|几个月")
_ZH_ROLE = re.compile(r"(?:什么|哪个|何)职务|担任什么|任什么职|什么职位|什么身份|是做什么的")
_ZH_PERSON = re.compile(r"谁|哪位|什么人|哪些人")
_ZH_NUMBER = re.compile(
    rf"(?P<pct>百分之)?(?P<ord>第)?(?<!哪)(?:多少|几|多大|多高|多远|多长|多重|多深)(?P<mag>[万亿千百](?!分))?"
    rf"(?P<unit>{_UNIT_RE})?(?P<counted>[\u4e00-\u9fff]{{0,6}})"
)
# "张婉强是谁？": who a named person is, answered by the role printed with the name.
_ZH_WHO_IS = re.compile(
    rf"^\s*(?P<name>[{''.join(sorted(SURNAMES))}][\u4e00-\u9fff]{{1,2}})(?:是谁|是什么人|是哪位)"
)
_ZH_ENTITY = re.compile(
    r"哪(?:[一二三四五六七八九几两\d]*)(?:家|方|所|些单位|些公司|个公司|个单位|个企业|些企业|个机构)"
)
_ZH_PLACE = re.compile(
    r"哪里|哪儿|何处|什么地方|哪些地方|哪个(?:国家|城市|地方|小区|街区|镇|村|社区|省|市)|哪座"
    # 在哪个组 / 在哪个平台 ask which group or channel, not where
    r"|在哪(?!一?个?(?:组|小组|队|赛区|频道|平台|网站|环节|阶段|项目|领域|行业|方面|榜))"
)
_EN_UNITS = {
    "percent": "%",
    "percentage": "%",
    "mu": "亩",
    "yuan": "元",
    "rmb": "元",
    "metres": "米",
    "meters": "米",
    "meter": "米",
    "metre": "米",
    "kilometres": "公里",
    "kilometers": "公里",
    "tonnes": "吨",
    "tons": "吨",
    "people": "人",
    "persons": "人",
    "households": "户",
    "degrees": "℃",
    "trays": "盘",
    "cost": "元",
    "invest": "元",
    "investment": "元",
    "costs": "元",
    "price": "元",
    "months": "个月",
    "days": "天",
    "years": "年",
}


def answer_type(question: str, language: Language | None = None) -> AnswerType:
    """What kind of thing answers the question: a number (with its unit), a person, a time, a place…"""
    lang = language or detect_language(question)
    if lang == "en":
        return _answer_type_en(question)
    q = question
    if _ZH_ROLE.search(q) or _ZH_WHO_IS.match(q):
        return AnswerType("role")
    if _ZH_TIME.search(q):
        return AnswerType("time")
    if _ZH_DURATION.search(q):
        return AnswerType("duration")
    m = _ZH_NUMBER.search(q)
    if m:
        unit = "%" if m.group("pct") else m.group("unit") or ""
        # 多少万元 / 多少亿元 ask for money in that magnitude: quantities are compared in 元.
        unit = "元" if unit in ("万元", "亿元") or (m.group("mag") and unit == "元") else unit
        counted = m.group("counted") or ""
        if not counted or re.match(r"[？?。，,]", counted):
            # "X有多少家": the counted thing comes before the question word
            before = re.split(r"[，,。？?]", q[: m.start()])[-1]
            counted = re.sub(r"(?:一共|总共|共|有|是|能|可以|完成了|了|设立了)+$", "", before)[-6:]
        counted = re.split(r"[？?。，,]|实现|完成|纳入|进行|是", counted)[0]
        return AnswerType("number", unit=unit, counted=counted, ordinal=bool(m.group("ord")))
    if _ZH_PERSON.search(q):
        return AnswerType("person")
    if _ZH_ENTITY.search(q):
        return AnswerType("entity")
    if _ZH_PLACE.search(q):
        return AnswerType("place")
    return _head_type(q)


# Questions written as a noun phrase ("二十大开幕时间", "2021年宝马全球销量", "EMNLP2022的举办地"):
# the phrase's head says what is asked.
_ZH_END = r"(?:是|为)?(?:什么|哪里|多少|谁|哪个|哪些)?\s*[？?]?\s*$"
_ZH_HEAD_TIME = re.compile(rf"(?<!多长)(?:时间|日期|时刻)(?:点|表)?{_ZH_END}")
_ZH_HEAD_NUMBER = re.compile(
    rf"(?P<counted>(?:人数|人次|数量|总量|销量|产量|产值|总值|面积|长度|交付量|吞吐量|发送量|保有量|出口量|进口量|营收|收入"
    rf"|票房|GDP|增速|增长率|增幅|出生率|死亡率|失业率|准确率|规模|震级|点数|金额|总额|数))(?:和[\u4e00-\u9fff]{{1,4}})?{_ZH_END}"
)
_ZH_HEAD_PLACE = re.compile(
    rf"(?:举办地|举办地点|举行地|地点|起点|终点|发生地|所在地|目的地|国家|城市){_ZH_END}|哪些(?:国家|城市|地方)"
)
_ZH_HEAD_NAME = re.compile(
    rf"(?:冠军|亚军|季军|金牌|银牌|铜牌|得主|主演|导演|总导演|主教练|教练|旗手|火炬手|议长|总理|首相|总统|市长"
    rf"|首席执行官|CEO|董事长|吉祥物|名字|名称|全称|最佳[\u4e00-\u9fff]{{1,5}}|年度[\u4e00-\u9fff]{{1,4}}|多数党|对手|四强|八强"
    rf"|主题|主席国){_ZH_END}"
    r"|(?:主演|导演|成员|队伍)有哪些|叫什么|哪(?:个|支)(?:队|球队|平台|俱乐部)"
)


def _head_type(q: str) -> AnswerType:
    if _ZH_HEAD_TIME.search(q):
        return AnswerType("time")
    m = _ZH_HEAD_NUMBER.search(q)
    if m:
        # 参考人数, not any 人数: the word before a bare head is what is counted
        lead = "".join(re.findall(r"[\u4e00-\u9fff]", q[max(0, m.start() - 3) : m.start()]))
        counted = lead.lstrip("的年月日") + m.group("counted")
        return AnswerType("number", counted=counted)
    if _ZH_HEAD_PLACE.search(q):
        return AnswerType("place")
    if _ZH_HEAD_NAME.search(q):
        return AnswerType("name")
    return AnswerType("other")


def _answer_type_en(question: str) -> AnswerType:
    q = question.lower()
    words = re.findall(r"[a-z]+", q)
    if re.search(r"\bwhat (?:is|was) (?:the )?(?:position|title|job|role)\b|\bwhat position\b", q):
        return AnswerType("role")
    if re.search(r"\bwhen\b|\bwhat (?:date|day|time|month|year)\b|\bwhich (?:date|day|month|year)\b", q):
        return AnswerType("time")
    if re.search(r"\bhow long\b|\bhow often\b", q):
        return AnswerType("duration")
    if re.search(
        r"\bhow (?:many|much|strong|high|far|big|large|hot|cold|low)\b"
        r"|\bwhat percentage\b|\bwhat (?:share|proportion)\b|\bwhat number\b",
        q,
    ):
        unit = ""
        for w in words:
            if w in _EN_UNITS:
                unit = _EN_UNITS[w]
                break
        return AnswerType("number", unit=unit)
    if re.search(r"\bwho(?:m|se)?\b|\bwhich (?:reporter|person|official|journalist|photographer)\b", q):
        return AnswerType("person")
    if re.search(r"\bwhere\b|\bwhich (?:place|country|city|town|district|village)\b", q):
        return AnswerType("place")
    return AnswerType("other")


# ------------------------------------------------------------------ key terms

QUESTION_WORDS = set(
    "多少 几 几个 什么 怎么 怎样 怎么样 如何 哪 哪里 哪个 哪些 哪家 哪位 哪天 哪儿 "
    "谁 何时 何处 为什么 吗 呢 么 "
    "是 的 了 在 有 和 与 及 对 被 把 将 会 能 要 一共 总共 共 一 个 请问 请 告诉 我 你 他 她 它 们 这 那 该 "
    "其 啥 几月 几号 时候 一下 是否 可以 已经 都 还 就 又 也 等 中 上 下 之 给 让 "
    "情况 方面 什么样 怎样的 多 大 "
    "第几 几位 几所 几家 几条 几次 一次 多久 多远 多大".split()
)
BATCH_MARKER = re.compile(rf"首批|第[{CN_NUM_CHARS}\d]+批|[一二三四1-4]季度|上半年|下半年")


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


# ------------------------------------------------------------------ transliterated names

_INITIALS = "zh|ch|sh|b|p|m|f|d|t|n|l|g|k|h|j|q|x|r|z|c|s|y|w"
_FINALS = (
    "iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|in|un|ia|ie|iu|ua|uo|ui|ue|ve|"
    "a|o|e|i|u|v"
)
_SYLLABLE = re.compile(rf"(?:(?:{_INITIALS})?(?:{_FINALS}))+")
_NOT_PINYIN = {
    "china",
    "asia",
    "hong",
    "kong",
    "macau",
    "zone",
    "dune",
    "tune",
}  # English names that happen to parse as pinyin


def pinyin_names(question: str) -> list[str]:
    """Capitalised words of an English question that read as pinyin: Yinfeng, Pinghu, Xincang.

    They are Chinese names transliterated, so an answer about them must hold those characters;
    the caller checks them against the pinyin of the candidate text.
    """
    out = []
    for m in re.finditer(r"\b[A-Z][a-z]{3,}\b", question):
        w = m.group(0).lower()
        if m.start() == 0 or w in _NOT_PINYIN:
            continue
        if _SYLLABLE.fullmatch(w) and len(re.findall(r"[aeiouv]+", w)) >= 2:
            out.append(w)
    return out


def to_pinyin(text: str) -> str:
    """Toneless pinyin of the Chinese in text, no spaces ('' when pypinyin is not installed)."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # optional: without it, transliterated names are simply not checked
        return ""
    return "".join(lazy_pinyin(text)).lower()
