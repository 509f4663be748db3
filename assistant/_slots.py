"""Which number, date or name of an evidence sentence fills the same slot as a claim's.

News sentences hold several figures (内陆26℃, 沿海24℃; 投资4.3亿元、同比增长32%): a claim's
figure is compared with the one printed by the same words (its label before, the thing
counted after), and a claim's name with the name in the same place of the same wording
(新加坡[淡马锡]的全资子公司 vs 新加坡[GIC]的…). Also the weighted wording overlap that says
whether a sentence is about a fact at all. Inputs are `_normalize.normalise`d text.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re

from ._facts import _DIRECTIONS, content_terms, find_directions
from ._figure_roles import (
    compared_thing,
    dates_deed,
    dates_event,
    event_of,
    is_base,
    is_change,
    is_cutoff,
    starts_something,
)
from ._names import FOREIGN_NAME, SURNAMES, find_people, numbered_spans
from ._values import Item, consistent

PROPER = ("nr", "ns", "nt", "nz", "eng", "nrt", "nrfg")
_FUNCTION_CHARS = set("是的为由在于了将说称和与及并其之也都")
_LABEL_SKIP = set(
    "为 是 达 达到 约 了 共 共计 有 至 的 超过 已 已经 仍 将 在 了 近 逾 大约 总计 合计 约为 "
    "今天 明天 昨天 今年 去年 明年 当天 当日 日前 近日 目前 截至 截止 "
    "于 从 到 每 全 全年 整个 而 较 比".split()
)


# ------------------------------------------------------------------ wording overlap


def terms(text: str) -> list[tuple[str, float]]:
    """The content words of a fact with weights: names count double, single characters half."""
    import jieba.posseg as pseg

    proper = {w.word for w in pseg.cut(text) if w.flag in PROPER and len(w.word) >= 2}
    out = []
    for t in content_terms(text):
        w = 2.0 if t in proper else (0.5 if len(t) == 1 else 1.0)
        out.append((t.lower(), w))
    return out


def mask(text: str, found: list[Item]) -> str:
    """Numbers and dates out, so wording overlap is about the subject, not the value."""
    chars = list(text)
    for it in found:
        for i in range(it.start, it.end):
            chars[i] = " "
    return "".join(chars)


def coverage(weighted: list[tuple[str, float]], text: str) -> float:
    """Share (0..1) of the weighted words found in text; a longer word partly there counts a little."""
    total = sum(w for _, w in weighted)
    if not total:
        return 0.0
    got = 0.0
    for t, w in weighted:
        if t in text or any(a in text for a in _rivals(t)):  # 下降 is said of what 增长 is said of
            got += w
        elif len(t) >= 3:  # a longer word partly there (总投资 / 投资) counts for a little
            bigrams = [t[i : i + 2] for i in range(len(t) - 1)]
            got += 0.5 * w * sum(b in text for b in bigrams) / len(bigrams)
    return got / total


# ------------------------------------------------------------------ one fact against one sentence


def _run_before(text: str, start: int) -> str:
    """The Chinese characters printed right before `start` (村级河长 of 、村级河长977名)."""
    m = re.search(r"[\u4e00-\u9fff]{1,12}$", text[max(0, start - 12) : start])
    return m.group(0) if m else ""


def _common_tail(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _label(text: str, it: Item) -> str:
    """The word printed just before a number in the article: 沿海 in 沿海24℃, 增长 in 同比增长32%."""
    import jieba

    before = re.split(r"[,，;；:：、。(（]", text[max(0, it.start - 12) : it.start])[-1]
    words = [
        w
        for w in jieba.lcut(before)
        if w.strip() and w not in _LABEL_SKIP and not re.fullmatch(r"[\W\d]+", w)
    ]
    return words[-1] if words else ""


def label_said(claim_text: str, unit_text: str, it: Item) -> bool:
    """The word printed just before the article's number (建成 in 目前已建成7个) is in the claim."""
    label = _label(unit_text, it)
    return bool(label) and label in claim_text


# Stages of a piece of work: a figure of one is no figure of another.
_STAGE = re.compile(r"开工|在建|施工|建成|完工|竣工|投运|投用|投产|签约|落地|开业")


def _counted(text: str, it: Item) -> str:
    """The word printed just after a number: 社区 in 8个社区建设."""
    import jieba

    after = re.split(r"[,，;；:：、。()（）\"\d]", text[it.end : it.end + 8])[0]
    words = [w for w in jieba.lcut(after) if w.strip() and not re.fullmatch(r"[\W\d]+", w)]
    if words and words[0] in _PREPOSITIONS:
        return ""  # 94.2分在考核中排名第二: a phrase of where or how follows, no thing counted
    if words and (find_directions(words[0]) or re.match(r"[降升增减]", words[0])):
        return ""  # 38起降到了22起, 38起减少16起: a change follows, no thing counted
    words = [w for w in words if w not in _LABEL_SKIP]
    return words[0] if words else ""


_PREPOSITIONS = {"在", "于", "从", "向", "对", "被", "由", "自"}


def _priced_other(claim_text: str, unit_text: str, u: Item) -> bool:
    """售价145元的抛光布 in the article, 挂绳售价145元 claimed: the price is of a thing the claim
    does not name."""
    if unit_text[u.end : u.end + 1] != "的":
        return False
    thing = _counted(unit_text, u)
    return bool(thing) and thing not in claim_text and thing not in _MONEY_WORDS


# 8.8元的价格, 5亿元的投资: what a sum is called, not a thing it buys
_MONEY_WORDS = set(
    "价格 价 售价 单价 费用 金额 资金 成本 标准 补贴 奖励 奖金 投资 款 税款 罚款 工资 收入 营收 销售额 "
    "营业额 总价 票价 租金".split()
)


def _counted_in(unit_text: str, u: Item, words_after: str) -> bool:
    """The thing the span counts (完成率) is among the claim's words after its figure."""
    theirs = _counted(unit_text, u)
    return bool(theirs) and theirs in re.split(r"[，,；;、。]", words_after)[0]


def _other_thing(a: str, b: str) -> bool:
    return bool(a and b) and a not in b and b not in a


_RANK_VERBS = frozenset({"位列", "位居", "名列", "排名", "排在", "居"})
_RANK_PLACES = frozenset(["首位", "榜首"] + [f"第{n}" for n in "一二三四五六七八九十"])


# The whole country, the whole city: one scope, however a report names it (我国 of 国家统计局's
# 全国人口…, 我市 of 全市…)
_SAME_SCOPE = (frozenset({"我国", "全国", "国内"}), frozenset({"我市", "全市", "本市"}))


def _rivals(word: str) -> frozenset[str]:
    """Words printed where `word` would be said of the same thing: 下降 for 增长, 排名 for 位列,
    第三 for 第一 (a place in a ranking), 全国 for 我国; none for other words."""
    if word in _RANK_VERBS:
        return _RANK_VERBS
    if word in _RANK_PLACES:
        return _RANK_PLACES
    for scope in _SAME_SCOPE:
        if word in scope:
            return scope
    return _antonyms(word)


@functools.lru_cache(maxsize=4096)
def _antonyms(word: str) -> frozenset[str]:
    """The direction words of the same axis as `word` (增长 → 下降, 减少…), or none."""
    ds = find_directions(word)
    if not ds:
        return frozenset()
    d = ds[0]
    return frozenset(w for w, (axis, sign) in _DIRECTIONS.items() if axis == d.axis)


def slot(claim_text: str, c: Item, unit_text: str, cands: list[Item]) -> Item | None:
    """The article's number in the same slot as the claim's: same kind, then the one whose
    label the claim repeats (沿海), then the nearest shared words, then the same value. A date
    of an event (于今年11月启动) has no slot in a sentence that starts nothing (…准确率提升至今年
    11月的93%)."""
    if c.kind in ("date", "day") and dates_event(claim_text, c) and not starts_something(unit_text):
        return None
    if c.kind in ("date", "day") and dates_deed(claim_text, c):
        # 已于8月上旬发放 over 截至7月15日，全市累计核销…: a tally's cut-off is no day of a deed
        cands = [u for u in cands if not is_cutoff(unit_text, u)]
    return _slot(claim_text, c, unit_text, cands)


_DURATIONS = {"qty:秒", "qty:小时", "qty:分钟"}


def _slot(claim_text: str, c: Item, unit_text: str, cands: list[Item]) -> Item | None:
    same = [u for u in cands if u.kind == c.kind]
    if c.kind == "year":  # 2022年 in the claim is also the year of 2022年6月1日
        same += [u for u in cands if u.kind == "date" and u.time and u.time.year]
    if c.kind in ("year", "date") and not is_base(claim_text, c.start):
        # 比去年增长15.5%: the year compared with is not the figure's (2025年 is no 去年 there)
        same = [u for u in same if not is_base(unit_text, u.start)]
    if c.kind.startswith(("qty:", "ord:")) and c.kind not in _DURATIONS:
        # 8个社区 is not 25个安置房: a generic counter needs the same thing counted (a race time
        # counts nothing: 以1小时12分45秒获得 is 以1小时12分45秒夺得).
        ours = _counted(claim_text, c)
        same = [
            u
            for u in same
            if not _other_thing(ours, _counted(unit_text, u))
            or same_name(claim_text, c, unit_text, u)
            # 326人参赛 is 326名冬泳爱好者参赛 (in the figure's own list item: 8次上涨、6次下跌 is not)
            or ours in re.split(r"[，,；;、。]", unit_text[u.end : u.end + 8])[0]
            # 83%的清淤完成率 is 86%的完成率's slot: the claim's word before the thing counted qualifies it
            or _counted_in(unit_text, u, claim_text[c.end : c.end + 8])
        ]
        if c.kind.startswith("qty:") and c.kind != "qty:%":
            # 增加了22人 is a change: 中年组为125人, a level, is not its slot
            if is_change(claim_text, c):
                same = [u for u in same if is_change(unit_text, u)]
        if c.kind == "qty:元" and not ours:
            # 145元的抛光布: a price printed before 的 is that thing's, and the claim must name it
            same = [u for u in same if not _priced_other(claim_text, unit_text, u)]
    if len(same) <= 1:
        return same[0] if same else None
    claim_terms = [t for t, _ in terms(claim_text)]

    def said(word: str) -> bool:  # 总产量 says 产量; 下降 answers 增长
        return (
            word in claim_text
            or any(len(t) >= 2 and t in word for t in claim_terms)
            or (len(word) >= 3 and (word[-2:] in claim_text or word[:2] in claim_text))
            or any(a in claim_text for a in _antonyms(word))
        )

    ours_label = _label(claim_text, c)

    def score(u: Item) -> tuple[int, ...]:
        # The words printed either side of the number (沿海24℃, 12人死亡): one the claim
        # repeats marks its slot; words the claim lacks (内陆26℃) mark another slot.
        words = [w for w in (_label(unit_text, u), _counted(unit_text, u)) if w]
        hit = any(said(w) for w in words)
        prev_end = max((x.end for x in cands if x.end <= u.start), default=0)
        window = unit_text[max(prev_end, u.start - 20) : u.start]
        near = sum(t in window for t in claim_terms)
        # 已开工建设公共充电桩310个，建成投运126个 for 已建成投运…310个: a stage of the work printed in
        # the figure's own clause (开工) other than the claim's (建成, 投运) marks another slot,
        # whether or not the values agree.
        clause = re.split(r"[,，;；:：。]", window)[-1]
        theirs = set(_STAGE.findall(clause))
        other_stage = int(bool(ours_stage and theirs and not ours_stage & theirs))
        named = any(u.start in r for r in numbered)  # the 7 of 7号线 is the name's own
        # 比去年增长15%: the base of a comparison is not the figure's own time or amount, unless
        # the claim's figure is a base too (今年…128公里，比去年增长15% states 今年's 128公里).
        role = int(is_base(unit_text, u.start) == claim_base)
        # 高峰发车间隔缩短为8分钟，平峰发车间隔15分钟 for 高峰…为8分钟: a figure printed after another
        # sibling (平峰, 15路, 二期) than the claim names is that sibling's, whatever its label says.
        own = int(named or bound_sibling(claim_text, unit_text, u.start) is None)
        # 广陈甜瓜的客单价为86元，高于新仓芦笋的64元: the figure after 高于新仓芦笋的 is 新仓芦笋's
        thing = compared_thing(unit_text, u.start)
        compared = 1 if thing is None else 2 if thing in claim_text else 0
        # 活动于10月15日启动 over 自10月15日…活动启动以来，截至11月15日: the date of the claim's event
        event = int(our_event is None or event_of(unit_text, u, 16) == our_event)
        return (
            own,
            event,
            compared,
            role,
            int(hit or not words),
            -other_stage,
            int(u is qualified),
            int(distinct(u) > 0),
            int(consistent(c, u)),
            int(hit),
            # 快充桩有580个 over …公共充电桩1260个…，其中快充桩480个: the word right before the figure
            int(bool(ours_label) and _label(unit_text, u) == ours_label),
            near,
        )

    def clause(
        u: Item,
    ) -> str:  # figures masked (2024 is no word of its clause); a list item (、) is a clause
        start = max(masked.rfind(p, 0, u.start) for p in "，,；;。、") + 1
        ends = [e for p in "，,；;。、" if (e := masked.find(p, u.end)) >= 0]
        return masked[start : min(ends, default=len(masked))]

    def rivalled(u: Item) -> bool:
        own = clause(u)
        theirs = [w for w, _ in terms(own) if len(w) >= 2 and w not in claim_text]
        missing = [k for k in keys if not k[0].isdigit() and k not in own]
        # a sibling of a claim's word: the same last character (本科毕业生 / 硕士研究生) or the same
        # word after it (大专 / 本科 before 毕业生)
        after = {k: claim_text[claim_text.find(k) + len(k) :][:2] for k in missing}
        return any(
            w[-1] == k[-1] or (len(after[k]) == 2 and f"{w}{after[k]}" in own)
            for w in theirs
            for k in missing
        )

    def distinct(u: Item) -> int:
        # 80周岁以上老人每餐补贴4元，60至79周岁低保、低边老人每餐补贴5元 for 80周岁以上…5元: parallel
        # clauses with one label; the claim's words that only one clause prints mark its slot.
        # Only among figures under one label (补贴 and 补贴): 微软宣布将以每股95美元…收购动视暴雪，…总价值
        # 687亿美元 prints the deal's words beside the share price, not beside its value.
        label = _label(unit_text, u)
        if not label or sum(_label(unit_text, x) == label for x in same) < 2:
            return 0
        own = clause(u)
        others = [o for x in same if (o := clause(x)) != own]
        return sum(k in own and not any(k in o for o in others) for k in keys)

    # 村级河长977名 for 村级河长1136名, beside 三级河长1136名: the one figure printed after more of the
    # claim's own words than any other is its slot (a total's figure agreeing does not make it the part's)
    ours_before = _run_before(claim_text, c.start)
    shared = sorted(
        ((_common_tail(ours_before, _run_before(unit_text, u.start)), i) for i, u in enumerate(same)),
        reverse=True,
    )
    qualified = same[shared[0][1]] if shared[0][0] >= 3 and shared[0][0] > shared[1][0] else None
    masked = unit_text
    for x in same:
        masked = masked[: x.start] + "#" * (x.end - x.start) + masked[x.end :]
    # the words of the claim's own clause around its figure (not 截至2024年底 for a 2023年 after it)
    lo = max(claim_text.rfind(p, 0, c.start) for p in "，,；;。") + 1
    hi = min([e for p in "，,；;。" if (e := claim_text.find(p, c.end)) >= 0], default=len(claim_text))
    own_clause = claim_text[lo:hi]
    keys = [k for k in claim_terms if len(k) >= 2 and k in own_clause] + [
        m.group(0) for m in re.finditer(r"\d+(?:\.\d+)?", own_clause) if not c.start <= lo + m.start() < c.end
    ]
    if qualified is not None and rivalled(qualified):
        # 对…本科毕业生给予每人2万元…，硕士研究生为每人5万元 for 硕士研究生给予每人5万元: the shared
        # wording is the verb's; the claim's 硕士研究生 has a rival (本科毕业生) in that clause
        qualified = None

    from ._bindings import bound_sibling  # _bindings reads _subjects, which reads this module

    numbered = numbered_spans(unit_text)

    claim_base = is_base(claim_text, c.start)
    our_event = event_of(claim_text, c, 6) if c.kind in ("date", "day") else None
    ours_stage = set(_STAGE.findall(re.split(r"[,，;；:：。]", claim_text[: c.start])[-1]))
    return max(same, key=score)


def predicate_unsaid(claim_text: str, c: Item, unit_text: str) -> bool:
    """The claim says what its figure does (7人来自新居民家庭: two words or more after it, in its
    clause) and the span prints none of those words."""
    after = re.split(r"[，,；;。]", claim_text[c.end :], maxsplit=1)[0]
    words = [w for w, _ in terms(after) if len(w) >= 2]
    return len(words) >= 2 and not any(w in unit_text for w in words)


def same_name(claim_text: str, c: Item, unit_text: str, u: Item) -> bool:
    """神舟十四号 in both: a number inside a name (craft, model, ship) is that name's, whatever
    word follows it (的指令长 / 载人飞行任务)."""
    if c.kind != "qty:号":  # 造成54.8万人 (受灾 vs 遇难) is a count, and its counted word decides
        return False
    head = claim_text[max(0, c.start - 2) : c.start]
    return (
        len(head) == 2 and "\u4e00" <= head[0] <= "\u9fff" and unit_text[u.start - 2 : u.end] == head + c.text
    )


_POINTS_BACK = re.compile(r"本届|本次|此次|这次|该届|该次")
# Words that rank something just behind the one they name (…排名第二，仅次于嘉善…).
RANKED_BEHIND = r"(?:仅次于|次于|落后于)"


def entity_diffs(
    claim_text: str, unit_text: str, claim_items: list[Item], unit_items: list[Item]
) -> list[str]:
    """A name in the claim that the sentence lacks, where the sentence puts another name in
    the same slot of the same wording: 新加坡[淡马锡]的全资子公司 vs 新加坡[政府投资公司(GIC)]的…"""
    import jieba.posseg as pseg

    tagged = [(w.word, w.flag) for w in pseg.cut(claim_text) if w.flag in PROPER and len(w.word) >= 2]
    titled = [m.text for m in find_people(claim_text)]
    people_claimed = {w for w, f in tagged if f.startswith("nr")} | set(titled)
    names = [w for w, _ in tagged] + titled
    # 亚历山德拉 of 亚历山德拉·贝克尔 is not missing where the sentence prints 贝克尔
    given = [
        f.partition("·")[0] for f in FOREIGN_NAME.findall(claim_text) if f.partition("·")[2][:2] in unit_text
    ]
    missing = [n for n in dict.fromkeys(names) if n not in unit_text and not any(n in g for g in given)]
    if not missing:
        return []
    a, b = mask(claim_text, claim_items).replace(" ", "#"), mask(unit_text, unit_items).replace(" ", "#")
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in sm.get_matching_blocks() if m.size >= 2 and a[m.a : m.a + m.size].strip("#")]
    diffs: list[str] = []
    gaps: list[tuple[int, int, int, int]] = []
    for left, right in itertools.pairwise(blocks):
        gaps.append((left.a + left.size, right.a, left.b + left.size, right.b))
    if blocks:  # the claim ends in the slot: the article's slot runs to its next clause mark
        last = blocks[-1]
        tail_end = re.search(r"[,，;；。:：!?！？]|$", b[last.b + last.size :])
        assert tail_end is not None
        gaps.append((last.a + last.size, len(a), last.b + last.size, last.b + last.size + tail_end.start()))
        first = blocks[0]
        head = re.split(r"[,，;；。:：!?！？]", b[: first.b])[-1]
        gaps.append((0, first.a, first.b - len(head), first.b))
    matched = sum(m.size for m in blocks)
    if sum(len(a[m.a : m.a + m.size].replace("#", "")) for m in blocks) < 4:
        return []  # two characters in common (参赛) are no shared wording with a slot in it
    for ca, cb, ua, ub in gaps:
        claim_slot, unit_slot = claim_text[ca:cb], unit_text[ua:ub]
        if matched < 0.6 * len(a[:ca].strip("#") + a[cb:].strip("#")):
            continue  # the rest of the claim is not the sentence's wording: no common frame
        if not any(n in claim_slot or (claim_slot.strip() and claim_slot.strip("#") in n) for n in missing):
            continue
        if ub - ua > 24 or cb - ca > 24:
            continue  # not one slot of one frame: the sentence says something else there
        if _POINTS_BACK.search(unit_slot):
            continue  # 据…统计，本届文化节: the slot names the claim's event by pointing back to it
        if any(ca <= c.start < cb for c in claim_items if c.kind.startswith("qty:")) and not any(
            ua <= u.start < ub for u in unit_items if u.kind.startswith("qty:")
        ):
            continue  # 从事海洋捕捞已有30年 over 站在“浙平渔12086”号船头: a figure's clause, not a name's
        theirs = "".join(ch for ch in unit_slot if ch not in _FUNCTION_CHARS and ch.isalnum())
        ours = "".join(ch for ch in claim_slot if ch not in _FUNCTION_CHARS and (ch.isalnum() or ch in ".()"))
        if len(theirs) < 2 or not ours or theirs in claim_text:
            continue
        # Only a name against a name is a contradiction; 平湖 against 我市 or a reworded
        # phrase is the same thing said otherwise.
        people = [p.text for p in find_people(unit_text[max(0, ua - 6) : ub + 2]) if p.text in unit_slot]
        slot_names = [(w.word, w.flag) for w in pseg.cut(unit_slot) if w.flag in PROPER and len(w.word) >= 2]
        named = people or [w for w, _ in slot_names]
        named = [n for n in named if n not in claim_text]  # 德国 on both sides is no rival name
        # the one a ranking puts ahead (排名第二，仅次于嘉善…) is compared with, not in the slot
        compared = rf"(?:{RANKED_BEHIND}|超过|领先于?)"
        named = [n for n in named if not re.search(compared + re.escape(n), unit_text)]
        if not named:
            continue
        # A person against the person the slot prints (吴开华 vs 刘捷), not the place before them.
        rivals = [w for w, f in slot_names if f.startswith("nr") and person_shaped(w)]
        rivals = [w for w in rivals if w not in claim_text]
        if not people and rivals and ours in people_claimed:  # the slot is one person: 吴开华 vs 刘捷
            people = rivals
            named = rivals
        diffs.append(f"claim {ours}, article {named[0] if people else theirs}")
    return diffs


def person_shaped(word: str) -> bool:
    """A surname and one or two characters, not a place (jieba's guesser tags 广陈镇 nr too)."""
    return len(word) in (2, 3) and word[0] in SURNAMES and word[-1] not in "镇村乡区县市街路港桥"
