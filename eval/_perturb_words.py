"""Perturbations of words: a name swapped, a direction flipped, a narrowing qualifier added
(see `eval/_perturb.py` for the kinds and their expected verdicts)."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import jieba
import jieba.posseg as pseg

from ._perturb_figures import Perturbation, claim_text, figures

jieba.setLogLevel(60)

_LEAD = re.compile(
    r"^(?:据了解|据悉|据介绍|此外|另外|同时|与此同时|目前|其中|值得一提的是|记者了解到|数据显示|据统计|据报道|总体来看|具体来看)[，,]"
)


@dataclass
class Pools:
    """Names seen in other articles, by type (nr person, ns place, nt organisation)."""

    names: dict[str, list[str]] = field(default_factory=lambda: {"nr": [], "ns": [], "nt": []})


# ------------------------------------------------------------------ entities

# Common surnames (the first ~120 of the 2020 census list): jieba tags many words nr
# (强降雨, 智慧), a surname first and a given name that is no word of its own keeps real names.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
)
_PLACE_SUFFIX = re.compile(r"(?:省|市|县|区|州|镇|乡|村|岛|湾|港|街道)$")
# Two-character places jieba tags ns that are places for sure (provinces, big cities, countries).
_PLACES = set(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 "
    "江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 "
    "台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 广州 深圳 杭州 南京 武汉 "
    "成都 西安 郑州 长沙 济南 青岛 厦门 福州 合肥 南昌 昆明 贵阳 南宁 "
    "沈阳 大连 长春 哈尔滨 石家庄 太原 兰州 西宁 银川 乌鲁木齐 拉萨 "
    "呼和浩特 海口 三亚 苏州 无锡 宁波 温州 嘉兴 绍兴 东莞 佛山 珠海 "
    "日本 韩国 美国 英国 法国 德国 俄罗斯 意大利 西班牙 印度 巴西 南非 "
    "澳大利亚 加拿大 新加坡 泰国 越南 老挝 柬埔寨 马来西亚 印度尼西亚 "
    "菲律宾 埃及 土耳其".split()
)
_ORG_SUFFIX = re.compile(
    r"(?:大学|学院|学校|中学|小学|公司|集团|银行|医院|委员会|协会|学会|研究院|研究所|研究中心|中心|局|厅|部|委|署|法院|检察院|基金会|联合会)$"
)
TAGS = ("nr", "ns", "nt")


def _word_tag(word: str) -> str | None:
    """jieba's dictionary tag for a word, or None when it is not in the dictionary."""
    pseg.dt.tokenizer.check_initialized()
    return pseg.dt.word_tag_tab.get(word)


def entity_type(word: str, tag: str) -> str | None:
    """nr / ns / nt when jieba's tag is backed by the word's shape, else None."""
    if not re.fullmatch(r"[\u4e00-\u9fff]+", word):
        return None
    if tag == "nr":
        given = word[1:]
        if len(word) in (2, 3) and word[0] in _SURNAMES and "某" not in given and not word.endswith("人"):
            # jieba's dictionary tags words nr that are none (龙虾, 温泉), and its HMM finds
            # "names" that are words (强降雨): a two-character name must be unknown to the
            # dictionary, a three-character one must not have a word for its given name.
            if _word_tag(word if len(word) == 2 else given) not in (None, "nr") or (
                len(word) == 2 and _word_tag(word) is not None
            ):
                return None
            return "nr"
        return None
    if tag == "ns":
        m = _PLACE_SUFFIX.search(word)
        if word in _PLACES or (m and m.start() >= 2 and _proper(word[: m.start()])):
            return "ns"
        return None
    if tag == "nt":
        m = _ORG_SUFFIX.search(word)
        return "nt" if m and len(word) >= 4 and m.start() >= 2 and _proper(word[: m.start()]) else None
    return None


def _proper(stem: str) -> bool:
    """A name's stem without its suffix (东莞 of 东莞市) is no common word (平原区, 中西部, 大城市)."""
    return _word_tag(stem) in (None, "ns", "nr", "nz", "nt", "j") and stem not in {
        "城六",
        "大城",
        "本市",
        "全市",
        "平原",
        "西北",
        "中西",
        "东北",
        "西南",
        "东南",
        "山区",
    }


def entities(text: str) -> list[tuple[str, str]]:
    """(name, nr/ns/nt) in order of appearance, each name once."""
    seen: dict[str, str] = {}
    for w, flag in pseg.cut(text):
        t = entity_type(w, flag)
        if t and w not in seen:
            seen[w] = t
    return list(seen.items())


def build_pools(texts: Iterable[str]) -> Pools:
    """Names by type from these texts, each kept once, sorted (so a seed gives the same pools)."""
    found: dict[str, set[str]] = {t: set() for t in TAGS}
    for text in texts:
        for name, t in entities(text):
            found[t].add(name)
    return Pools({t: sorted(v) for t, v in found.items()})


def make_entity(
    sentence: str, article: str, pools: Pools, rng: random.Random, skipped: Counter[str]
) -> list[Perturbation]:
    """One name swapped for a name of the same type the article never prints (every
    occurrence in the sentence); neither name may contain the other (平湖 / 平湖市)."""
    claim = claim_text(sentence)
    found = entities(claim)
    for name, t in rng.sample(found, len(found)):
        pool = pools.names.get(t, [])
        for _ in range(20):
            if not pool:
                break
            new = rng.choice(pool)
            if new in article or name in new or new in name:
                skipped["entity: the new name is in the article or overlaps the old"] += 1
                continue
            return [Perturbation("entity", claim.replace(name, new), f"{name} -> {new}", t)]
    return []


# ------------------------------------------------------------------ direction

_OPPOSITE = {
    "增长": "下降",
    "下降": "增长",
    "提高": "降低",
    "降低": "提高",
    "提前": "推迟",
    "推迟": "提前",
    "上升": "下降",
    "增加": "减少",
    "减少": "增加",
    "上涨": "下跌",
    "下跌": "上涨",
    "扩大": "缩小",
    "缩小": "扩大",
    "升高": "降低",
}
_NEGATION = re.compile(r"[不未没无非]$|不再$|没有$|并未$")


def make_direction(sentence: str, article: str, skipped: Counter[str]) -> list[Perturbation]:
    """The first direction word (a whole jieba word, not negated) flipped to its opposite."""
    claim = claim_text(sentence)
    pos = 0
    for w in jieba.lcut(claim):
        start, pos = pos, pos + len(w)
        if w not in _OPPOSITE:
            continue
        if _NEGATION.search(claim[max(0, start - 2) : start]):
            skipped["direction: the word is negated"] += 1
            continue
        if claim[start - 1 : start] in ("（", "(") or claim[pos : pos + 1] in ("）", ")", "会"):
            skipped["direction: the word is part of a name (（扩大）会议)"] += 1
            continue
        new = _OPPOSITE[w]
        text = claim[:start] + new + claim[pos:]
        if text in article:
            continue
        return [Perturbation("direction", text, f"{w} -> {new}")]
    return []


# ------------------------------------------------------------------ qualifier

# (qualifier, words the article must not print for the claim to be unstated, where it goes)
_BATCH = (("首批", ("首批", "第一批")), ("第二批", ("第二批",)))
_LEVEL = (("省级", ("省级",)), ("国家级", ("国家级",)))
# Inserted only after a word boundary (20个 / 建成 / 的 …), never inside a name (北翟路基地).
_LEVEL_NOUN = re.compile(
    r"(?<=[个家座处批了为成获的是和、])(?:示范区|示范基地|基地|园区|重点项目|项目|平台|景区|实验室)"
)
_ABROAD_NOUN = re.compile(
    r"(?<![内外国境\u4e00-\u9fff])(?:游客|旅客|企业|投资者|资金)(?!家)|(?<=[的和、])(?:游客|旅客|企业|投资者|资金)(?!家)"
)
_PERIOD_WORD = re.compile(r"今年|(?:19|20)\d\d年(?!\d|底|初|末|以来|前|后)")
_HAS_PERIOD = re.compile(r"季度|上半年|下半年|前\d+个?月|\d+月|\d+-\d+月|年初|年底|年末|全年")
_STAT = re.compile(r"同比|环比|增长|下降|增加|减少|达到|达|共有|共|累计|完成|实现|超过|占")
_ANY_TIME = re.compile(r"年|月|日|天|周|季度|此前|目前|近期|最近|当时|期间")
_CLASSIFIER = re.compile(
    r"(?<![\d.,第])\d+[家个所座处](?=[^，。；]{0,8}?(?:示范|试点|基地|学校|企业|项目|单位|村|社区|园区|中心|学堂|景区|医院|站))"
)


def make_qualifier(
    sentence: str, article: str, rng: random.Random, skipped: Counter[str]
) -> list[Perturbation]:
    """One narrowing word the article never prints, put where it reads naturally:
    首批/第二批 before a count (20家 -> 首批20家), 一季度/上半年 after 今年 or a year,
    省级/国家级 before 基地/项目/…, 境外 before 游客/企业/…."""
    claim = claim_text(sentence)
    options: list[tuple[str, int]] = []  # (qualifier, insert position)

    def unstated(words: Sequence[str]) -> bool:
        return not any(w in article for w in words)

    m = _CLASSIFIER.search(claim)
    if m:
        for q, words in _BATCH:
            if unstated(words) and "批" not in claim:
                options.append((q, m.start()))
    m = _PERIOD_WORD.search(claim)
    # A period narrows a figure: only in a sentence with one, after a time word that opens a clause.
    opens = m is not None and (m.start() == 0 or claim[m.start() - 1] in "，,在于")
    opens = opens and m is not None and claim[m.end() : m.end() + 1] not in ("是", "以")  # 今年是…周年
    if m and opens and figures(claim) and not _HAS_PERIOD.search(claim):
        for q, words in (("一季度", ("一季度", "第一季度", "1季度")), ("上半年", ("上半年",))):
            if unstated(words):
                options.append((q, m.end()))
    elif not m and _STAT.search(claim) and figures(claim) and not _ANY_TIME.search(claim):
        # A statistic with no time at all: said of one quarter or half-year (after 据悉， etc.).
        lead = _LEAD.match(claim)
        for q, words in (("今年一季度，", ("一季度", "第一季度", "1季度")), ("今年上半年，", ("上半年",))):
            if unstated(words):
                options.append((q, lead.end() if lead else 0))
    m = _LEVEL_NOUN.search(claim)
    if m:
        for q, words in _LEVEL:
            if unstated(words):
                options.append((q, m.start()))
    m = _ABROAD_NOUN.search(claim)
    if m and unstated(("境外", "海外", "国外", "外国", "外资", "入境")):
        options.append(("境外", m.start()))
    if not options:
        return []
    q, at = rng.choice(options)
    return [Perturbation("qualifier", claim[:at] + q + claim[at:], f"+{q}", q.rstrip("，"))]
