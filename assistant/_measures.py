"""Which measure a figure is of: the common noun a claim prints before its figure (每餐收费10元:
收费), the thing a count is of (2家中心食堂: 食堂), a noun qualifying the measure (西瓜网络零售额),
the verb it is counted with (出动 vs 共有), a share or a change (占…六成 vs 增长12.4%).
A span that prints the claim's figure for another measure (每餐补贴3元, 居家养老服务中心1家,
农产品网络零售额) neither states nor denies it: the grounding engine
(`_compare_figures.compare_figures`) reads it as silence. Nouns are jieba's (posseg n / vn /
nz); its cuts decide what a word is, so the rules compare characters, not only whole words
(`_printed`).
"""

from __future__ import annotations

import functools
import itertools
import re

from ._facts import _DIRECTIONS
from ._frames import _clause_before
from ._values import Item, items

# Words between a measure and its figure that name no measure (…审结案件共计, …游客约).
_NOT_A_MEASURE = set(
    "为 约 达 达到 共 共计 累计 合计 总计 总共 一共 超 超过 近 逾 仅 只 是 有 了 已 已经 同比 环比 "
    "分别 到 至 突破 高达 将近 接近 不到 不足 约合 计 其中 再 又 还 均 各 每 都 也 比 较 "
    "去年 今年 全年 成绩 数量 人数 总数 规模 数额 数字 水平 比例 比重 幅度 总量 数目 时间 日期 时候 "
    "增幅 降幅 涨幅 跌幅 增速".split()  # 同比增幅 is 同比增长's rate: a direction, read by `_values`
)
_PLACE_WORDS = set("街道 社区 村 镇 乡 区 县 市 小区 园区 港区 开发区 地区 全市 全镇 全区".split())
# Classifiers: a noun after a figure of one of these (2家中心食堂) is what it counts; after a
# measure (50米蛙泳) it names an event.
_COUNTERS = set(
    "家 个 所 名 位 座 条 项 处 台 辆 件 只 头 套 份 张 本 支 间 栋 幢 层 户 批 场 起 例 株 棵 篇 部 艘 架 "
    "匹 箱 袋 瓶 桶 颗 枚 盏 根 块 笔 幅 册 班 班次 人 家次 所次".split()
)
_TIME_WORD = re.compile(r"[年月日天周]|季度|时期|期间")


@functools.lru_cache(maxsize=4096)
def _tags(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's (word, tag) pairs with its HMM guesser on (it tags 快充桩, 网络零售额 as nouns that
    `_subjects.tagged`, HMM off, cuts apart). Cached: a claim's clause is read against every
    candidate span."""
    import jieba.posseg as pseg

    return tuple((w.word, w.flag) for w in pseg.cut(text))


def _nouns(text: str) -> list[str]:
    """The common nouns of `text` (jieba n / vn; not names, places or times: the subject rules
    read those), two characters or more."""
    tags = _tags(text)
    # a noun before 上 / 中 / 里 (航班上有118名旅客) is where, not what is counted; one after a name
    # is part of it (曹桥街道, 平湖法院)
    found = [
        w
        for (_, before), (w, f), (_, after) in zip(
            [("", ""), *tags[:-1]], tags, [*tags[1:], ("", "")], strict=False
        )
        if f in ("n", "vn", "nz")
        and len(w) >= 2
        and after != "f"
        and before not in ("nr", "ns", "nt")
        and w not in _PLACE_WORDS
    ]
    return [
        w
        for w in found
        if w not in _NOT_A_MEASURE
        and w not in _DIRECTIONS
        and not _TIME_WORD.search(w)
        and not w.endswith("组")  # 男子组38支: a group is who is counted, not the measure
    ]


def measure_word(clause: str) -> str | None:
    """The last common noun of the clause before a figure (收费 of 每餐收费), or None."""
    nouns = _nouns(clause)
    return nouns[-1] if nouns else None


def _printed(word: str, text: str) -> bool:
    """A two-character word with both its characters in `text` (营收 in 营业收入); a three-character one
    with its last two; a longer one whole, or its first two characters and its last two
    (行政案件 is not printed in 审结12935件，结案率…, nor 民事案件 in 办理各类案件)."""
    if len(word) <= 2:  # both characters: 奖牌 is not printed in 金牌, 总量 not in 吞吐量
        return all(ch in text for ch in word)
    if len(word) == 3:  # 跑者 of (参)赛跑者, jieba's cut across two words
        return word[-2:] in text
    return word in text or (word[:2] in text and word[-2:] in text)


def measure_unsaid(
    claim_text: str, c: Item, unit_text: str, u: Item, context: str = ""
) -> tuple[str, str] | None:
    """(the claim's measure word, the span's or "") when the word the claim prints right before its
    figure (每餐收费10元: 收费) or as the thing counted right after it (2家中心食堂: 食堂), a common
    noun, is not printed in the span (`_printed`): the span's figure measures something else
    (每餐补贴3元; 居家养老服务中心1家), so it neither states nor denies the claim's. A span naming
    no measure for its figure (其中，乍浦镇已建成9个) has the one its `context` (the sentence before,
    the headline) prints. Generic words (成绩, 数量) name no measure."""
    our_clause, their_clause = _clause_before(claim_text, c), _clause_before(unit_text, u)
    counted = _counted_after(claim_text, c)
    theirs = measure_word(their_clause) or _counted_after(unit_text, u)
    first = _nouns(claim_text[c.end : c.end + 8])[:1]
    if counted and first and unit_text.startswith(first[0], u.end):
        counted = None  # 63名护理员参赛 over 63名护理员同台比拼: the same thing counted, then what they do
    before = measure_word(our_clause)
    if counted and theirs and _printed(counted, theirs):
        before = None  # 联赛共有48支队伍: 队伍 is what is counted, 联赛 whose they are
    # 检查单位689家 over 检查了654家: the span's measure is the claim's too
    ours = (
        [w for w in (before, counted) if w]
        if not (theirs and theirs in our_clause and theirs not in (before or ""))
        else []
    )
    for word in ours:
        # the context lends a measure only when it prints it whole (快充桩 is not 充电设施)
        if not _printed(word, unit_text) and (theirs or word not in context):
            return word, theirs or ""
    # 西瓜网络零售额 over 农产品网络零售额: each side qualifies the measure with a noun the other
    # does not print (a qualifier only the claim prints may be the context's: 清淤完成率 / 完成率)
    ours_run, theirs_run = _noun_run(our_clause), _noun_run(their_clause)
    if any(not _printed(w, unit_text) for w in ours_run[:-1]) and any(
        not _printed(w, claim_text) for w in theirs_run[:-1]
    ):
        return "".join(ours_run), "".join(theirs_run)
    return None


def _noun_run(clause: str) -> list[str]:
    """The nouns right before a figure, as one run (西瓜、网络、零售额 of 平湖全市西瓜网络零售额达)."""
    tags = list(_tags(clause))
    nouns = ("n", "vn", "nz", "ns")  # jieba tags 西瓜 ns
    while tags and tags[-1][1] not in nouns:
        tags.pop()  # 达, 为, 共…
    run: list[str] = []
    while tags and tags[-1][1] in nouns:
        run.insert(0, tags.pop()[0])
    return [w for w in run if len(w) >= 2 and w not in _NOT_A_MEASURE and w not in _PLACE_WORDS]


def _counted_after(claim_text: str, c: Item) -> str | None:
    """The noun a count is of when the claim prints it after the figure (2家中心食堂: 食堂): the
    clause's words after the figure, when they are a few and no verb or figure is among them."""
    after = re.split(r"[，,；;。：:、]", claim_text[c.end :], maxsplit=1)[0]
    if not after or len(after) > 8 or re.search(r"\d", after) or c.kind.removeprefix("qty:") not in _COUNTERS:
        return None
    if any(f in ("v", "p", "c", "u", "d") for _, f in _tags(after)):
        return None
    # 63名护理员参赛: what is counted ends where a verb-noun starts (参赛 says what they do)
    tags = _tags(after)
    cut = next(
        (i for i, (_, f) in enumerate(tags) if f == "vn" and i and tags[i - 1][1] in ("n", "nz")), len(tags)
    )
    nouns = _nouns("".join(w for w, _ in tags[:cut]))
    return nouns[-1] if nouns else None


# Verbs that say a count is there, not what was done to make it.
_PLAIN_VERBS = set(
    "共有 拥有 来自 包括 涉及 实现 完成 累计 合计 共计 超过 突破 参加 参与 达成 形成 登记 统计".split()
)


def _last_verb(clause: str) -> str | None:
    """The verb nearest before a figure in its clause (出动 of …出动植保无人机), two characters or more."""
    for w, f in reversed(_tags(clause)):
        if f == "v" and len(w) >= 2 and w not in _NOT_A_MEASURE:
            return w
    return None


def verb_unsaid(claim_text: str, c: Item, unit_text: str, u: Item, article: str) -> tuple[str, str] | None:
    """(the claim's verb, the span's) when the claim counts its figure with one verb (出动植保无人机
    20架, 审结行政案件88件) and the span with another (目前共有无人机20架, 受理行政案件96件) while the
    article prints the claim's verb for another figure of the same kind (出动植保无人机146架): the
    span's figure is of another measure (owned, not deployed; received, not closed), so it neither
    states nor denies the claim's. A verb the article never prints may be a paraphrase: left."""
    ours = _last_verb(_clause_before(claim_text, c))
    theirs = _last_verb(_clause_before(unit_text, u))
    if ours in _PLAIN_VERBS:
        return None  # 共有63名 over 来自…的63名: a verb of having says no measure
    if not ours or not theirs or ours in unit_text or theirs in _clause_before(claim_text, c):
        return None
    for m in re.finditer(re.escape(ours), article):
        clause = re.split(r"[，,；;。]", article[m.end() :], maxsplit=1)[0]
        if any(it.kind == c.kind for it in items(clause)):
            return ours, theirs
    return None


# A share of a whole (占全市总量六成) and a change over a time (同比增长12.4%) are two measures,
# whatever the numbers.
_SHARE = re.compile(r"占[^，,。；;]{0,14}?(?:的)?(?:比重|比例|份额)?(?:达到?|为|约|超过|逾|近|已)?$")
_CHANGE = re.compile(
    r"(?:增长|下降|提高|降低|上升|增加|减少|回落|增幅|降幅|提升)(?:了)?(?:达到?|为|约|超过|逾|近)?$"
)


def _share_or_change_kind(before: str) -> str | None:
    # a change first: 占比比去年同期提高8.5个百分点 is a change of a share
    return "增幅" if _CHANGE.search(before) else "占比" if _SHARE.search(before) else None


def share_or_change(claim_text: str, c: Item, unit_text: str, u: Item) -> tuple[str, str] | None:
    """(the claim's measure, the span's) when one side prints its figure as a share (占…) and the
    other as a change (增长…): the span's 12.4% growth neither states nor denies a 六成 share."""
    ours = _share_or_change_kind(claim_text[max(0, c.start - 20) : c.start])
    theirs = _share_or_change_kind(unit_text[max(0, u.start - 20) : u.start])
    return (ours, theirs) if ours and theirs and ours != theirs else None


def word_of_another_figure(claim_text: str, c: Item, unit_text: str, u: Item) -> tuple[str, str] | None:
    """(the claim's word, the span's clause holding it) when a word the claim prints before its
    figure (见面 of 通过见面方式劝阻潜在受害人2860人次) is printed in the span only in the clause of
    another figure of the same kind (其中见面劝阻1140人次), not in its own figure's clause (共劝阻
    潜在受害人2860人次): the span's figure is the whole's, not the part the word names."""
    bounds = [0, *(m.end() for m in re.finditer(r"[，,；;。]", unit_text)), len(unit_text) + 1]
    clauses = [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
    own = next(((a, b) for a, b in clauses if a <= u.start < b), None)
    if own is None or unit_text[own[0] : own[1]].startswith("其中"):
        return None  # a part's clause names less than the whole's before it, and that is no other
    words = [
        w
        for w, f in _tags(_clause_before(claim_text, c))
        if len(w) >= 2 and f in ("n", "vn", "nz", "v", "a", "d") and w not in _NOT_A_MEASURE | _PLACE_WORDS
    ]
    for w in words:
        if w in unit_text[: own[1]]:
            continue  # the figure's own words, or the whole's before it (种植面积达到3150亩，比…增加450亩)
        for a, b in clauses:
            clause = unit_text[a:b].rstrip("，,；;。")
            # a part of the whole (其中见面劝阻1140人次; 其中，见面…), not a comparison or a list of places
            part = clause.startswith("其中") or unit_text[:a].rstrip("，,").endswith("其中")
            if a >= own[1] and part and w in clause and any(it.kind == c.kind for it in items(clause)):
                return w, clause
    return None
