"""Names in Chinese news text, found by rule: people (with the role printed by them),
organisations, places, and names of any kind.

A fact is only stated about its own subject, so the answerer and the fact checker need who
and what a sentence names, not only its figures (`_facts`). News names people by title or
speech verb (副主席张婉强, 沈守贤说), so these rules read those; jieba's name tags find the rest,
and pinyin ties the transliterated names of an English question to their characters.
Offsets are into the string passed in, as in `_facts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# A foreign name as Chinese prints it: 亚历山大·武契奇, 凯文·麦卡锡
FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}")
# A name carrying a number (211路, K3路, 320国道, 3号线, 5号楼, G7512次列车, MU5735航班): group 1
# its number, group 2 its kind. It tells one thing from its siblings, which an article often
# lists side by side. (G7512次 alone is not taken: 3次 is a count.)
NUMBERED_NAME = re.compile(
    r"(?<![A-Za-z\d])([A-Za-z]{0,2}\d+)号?(路|线|航线|航班|楼|国道|省道|县道|次列车|地块|标段)"
)


def numbered_spans(text: str) -> list[range]:
    """Where `text` prints a numbered name (offsets): `at in r` for a number or a word inside one
    (the 5 of 5号线 is its name's, not a figure; the 线路 of 15路线路 is no place 路线路)."""
    return [range(*m.span()) for m in NUMBERED_NAME.finditer(text)]


# ------------------------------------------------------------------ people and organisations

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤仲言查俞倪施翁屠岳柴鲁葛"
    # fewer people, and no common word's first character (应该说, 单位, 季度, 包括, 时间, 都说)
    "盛凌殷庄闵茅宣褚祝滕詹储蓝卜阮舒乔洪柯岑濮竺虞厉骆晏樊揭辛聂裘郁桂焦童翟蒲邬鞠祁缪栾冉苗柏闻卓邢纪"
)
SURNAME_CLASS = "".join(sorted(SURNAMES))  # for [...] in a pattern
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
_SAID_WHEN = "赛后|会后|事后|随后|当天|昨天|今天|近日|日前|笑着|激动地|感慨地|高兴地"
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


# Characters of transliterated foreign names (Xinhua's 世界人名翻译大辞典 use): a five-to-eight
# character run of only these is a foreign name, not a phrase.
TRANSLITERATION = set(
    "阿埃艾爱安昂奥巴拜班邦保鲍贝本比彼毕宾波伯博布查达戴丹道德迪蒂丁东杜敦多厄恩尔法范菲斐芬丰佛夫"
    "弗福伏盖甘冈戈格根贡古瓜圭哈海汉豪赫亨洪胡霍基吉加迦贾杰卡凯坎康考柯科克肯库夸奎昆拉莱赖兰朗劳"
    "勒雷黎里利莉林琳卢鲁伦罗洛吕马玛迈麦曼芒梅门蒙米敏摩莫墨姆穆纳娜奈南内尼宁纽努诺帕潘庞佩彭皮"
    "珀坡普奇齐乔切琴丘屈瑞萨塞赛桑瑟森沙莎舍什斯松苏索塔泰坦汤唐陶特滕提图托瓦万旺威韦维温翁沃乌"
    "伍西希锡谢辛休雅亚扬耶叶伊尤约泽扎詹兹佐娃"  # 娃: Russian -ova (莎拉波娃, 萨姆索诺娃)
)

# A foreign athlete after the title (埃塞俄比亚选手阿贝贝): transliterated, so no surname to read.
_FOREIGN_AFTER_TITLE = re.compile(
    rf"(?:选手|运动员|球员|棋手|名将|小将)(?P<name>[{''.join(sorted(TRANSLITERATION))}]{{3,8}})"
)


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
    for m in _FOREIGN_AFTER_TITLE.finditer(text):
        s = m.start("name")
        if not any(a <= s < b for a, b in found):
            role = text[m.start() : s]
            found[(s, m.end("name"))] = Mention(m.group("name"), "person", s, m.end("name"), role)
    # Name then a title that follows it (赵明辉教授, 王丽老师), after a boundary or an institution.
    for m in re.finditer(
        rf"(?:^|[，,。；;、：:“”（(\s]|{_ORG_SUFFIX})(?P<name>{_NAME})(?P<title>{_TITLE_AFTER})", text
    ):
        s = m.start("name")
        name = m.group("name")
        if _valid_name(name) and not any(a <= s < b for a, b in found):
            found[(s, s + len(name))] = Mention(name, "person", s, s + len(name), m.group("title"))
    # Name then speech verb, when no title was seen.
    # (a time between them: 徐建明赛后说, 王丽会后表示)
    for m in re.finditer(rf"(?P<name>{_NAME})(?:{_SAID_WHEN})?(?:{SPEECH_VERBS})", text):
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
