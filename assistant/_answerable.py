"""Does this span answer the question? The grounding engine's rules, applied to a quote.

`answers(question, evidence)` returns why a span does not answer (None when it may):
- an instruction planted in the text, or a question printed in it (沉香如屑的主演有谁？), is
  no answer;
- the people, places and qualifiers the question names must be the span's own
  (`_subjects.subject_gaps`);
- a measure the question fixes must not hold another value in the span: 500米 asked,
  1500米 printed; 第一棒 / 第19棒; 十三届五次 / 十三届一次; 2021-2022赛季 / 2020-2021赛季;
- the date the question names must be the span's (昨天 in a dated article counts), and a
  clause that prints its own year speaks of that year (2023年春节档 for 2022年春节档);
- "X开幕时间" asks when X opened: the span must name that event (开幕, or a word for it),
  not only some date of X.

Rules, not a model; each reason is a short sentence in the question's language.
"""

from __future__ import annotations

import functools
import re

from ._bindings import other_sibling
from ._evidence import Evidence, _say
from ._facts import TimeExpr, detect_language, find_times
from ._figure_roles import is_base
from ._figure_times import ANOTHER_TIME, PLAN_WORDS, framing_year, planned, target_time
from ._frames import STARTS_AFTER
from ._instructions import is_instruction
from ._names import COUNTRIES, TITLE_PATTERN
from ._normalize import cn_number, normalise
from ._ranks import other_rank, unranked_in_ranking
from ._subjects import subject_gaps
from ._values import consistent, dated_times, items

_QUESTION_END = re.compile(r"[？?][”」』\"'）)]*\s*$")
_ORDINAL = re.compile(r"第([一二三四五六七八九十百零两\d]+)(棒|届|次|批|期|轮|场|集|任|艘|季|名|天)")


def _first_as_ordinal(text: str) -> str:
    """首日 / 首场 read as 第一天 / 第一场, so 春运首日 asked meets 春运第18天 printed."""
    return re.sub(r"首(场|轮|届|次|集|站)", r"第一\1", re.sub(r"首[日天]", "第一天", text))


_GENDERED = re.compile(r"([男女])(单打|双打|单|双|子|篮|排|足|团|乒|羽)")
_SEASON = re.compile(r"(\d{4})\s*[-—–~/至到]\s*(\d{2,4})\s*赛季")

# The event a "when" question asks about -> the words news prints for it.
# What says the event: its own word, or another the news uses for it (each a regex).
_EVENT_WORDS: dict[str, tuple[str, ...]] = {
    "去世": ("去世", "逝世", "离世", "病逝", "辞世"),
    "举办": ("举办", "举行", "召开", "开幕", "开赛", "开展"),
    "举行": ("举行", "举办", "召开", "开幕"),
    "召开": ("召开", "举行", "举办", "开幕"),
    "发布": ("发布", "推出", "发售", "亮相", "上市", "公布"),
    "发售": ("发售", "开售", "上市", "发行", "销售"),
    "上映": ("上映", "公映", "定档", "首映"),
    "访华": ("访华", "访问中国", "来华", "抵京", "访问北京", "(?:对|赴|到)中国.{0,6}访问"),
    "完工": ("完工", "竣工", "建成", "完成建设", "完成施工", "全面完成"),
    "竣工": ("竣工", "完工", "建成", "完成建设", "完成施工", "全面完成"),
    "出分": ("出分", "查分"),  # not 成绩公布: …将于6月7日至10日进行，成绩公布时间也确定了
    "生效": ("生效", "实施", "施行"),
    "实施": ("实施", "施行", "生效", "执行"),
    "施行": ("施行", "实施", "生效"),
    "开幕": ("开幕", "揭幕"),
    "闭幕": ("闭幕", "落幕"),
    "首播": ("首播", "开播", "播出"),
    "发射": ("发射", "升空", "点火"),
    "破产": ("破产", "倒闭", "关闭", "关停"),
    "开赛": ("开赛", "揭幕", "开幕", "打响"),
}
_WHEN_HEAD = re.compile(
    r"([\u4e00-\u9fff]{2})日?的?(?:具体)?(?:时间|日期)(?:是|为)?(?:什么时候|什么|哪天|何时)?\s*[？?]?\s*$"
)
_WHEN_ASKED = re.compile(r"(?:什么时候|何时|哪天|哪一天)(?:正式|将|会|能|开始|起)*([\u4e00-\u9fff]{2})")
_NOT_EVENT = {"开始", "结束", "具体", "正式", "相关", "大概", "大约"}


# (the scope a question asks, narrower scopes a span may print instead)
_NATION, _PROVINCE = r"我国|全国|中国(?!香港|澳门|台湾)|国内", r"全省|省内|本省"
_WORLD = r"世界|全球|国际|世锦赛|世乒赛|世界杯"
_SCOPES = (
    (re.compile(_NATION), re.compile(r"全省|全市|全县|本省|本市|[\u4e00-\u9fff]{2}省(?!份|级|委|政府)")),
    (re.compile(_PROVINCE), re.compile(r"全市|全县|本市|本县|[\u4e00-\u9fff]{2}[市县](?!场|民|级|委|政府)")),
    # 中国上映时间 asked, 中国香港、澳门上映 printed: a region's release is not the mainland's
    (re.compile(rf"{_NATION}|内地|大陆"), re.compile(r"(?:中国)?(?:香港|澳门|台湾)")),
    # 乒乓球世锦赛 asked, 全国乒乓球锦标赛 printed: a national event is not the world's
    (re.compile(_WORLD), re.compile(r"全国[\u4e00-\u9fff]{0,8}(?:锦标赛|冠军赛|联赛|大赛|运动会)")),
)


def asked_event(question: str) -> str | None:
    """The event of a "when" question: 二十大开幕时间 -> 开幕; 条例将于什么时候施行 -> 施行."""
    m = _WHEN_HEAD.search(question) or _WHEN_ASKED.search(question)
    if m is None or m.group(1) in _NOT_EVENT or m.group(1)[0] in "的了是在将会于为":
        return None
    return m.group(1)


def event_absent(question: str, sentence: str, *, near_time: bool = False) -> str | None:
    """The event a "when" question asks about (通车 in 大桥是哪一天通车的), when the sentence
    does not say it (大桥于2024年3月开工建设 gives the start of works, not the opening).

    With `near_time`, the event must be said next to a time the sentence prints: in the clause
    holding the time, or the clause before or after it. 2020年4月，国务院…印发《意见》，要求对…政策的
    制定和实施进行评估 dates the 印发, not a 施行, though 实施 is printed two clauses on."""
    event = asked_event(normalise(question))
    if not event:
        return None
    words = _EVENT_WORDS.get(event, (event,))
    text = normalise(sentence)
    clauses = re.split(r"[，,；;。！？!?]", text)
    timed = [i for i, c in enumerate(clauses) if find_times(c)] if near_time else []
    if timed:  # only the clauses around the times count
        text = "\n".join(
            clauses[j] for j in {j for i in timed for j in (i - 1, i, i + 1)} if 0 <= j < len(clauses)
        )
    return None if any(re.search(w, text) for w in words) else event


_UNTIL = re.compile(
    r"(?:到|至)(?:哪天|哪一天|什么时候|何时|几月几[日号]|几号)|(?:什么时候|何时|哪天|哪一天)(?:结束|截止|完工|竣工|到期)"
)


def only_starts(sentence: str) -> bool:
    """Every time the sentence prints is a start (9月10日起, 3月1日开始): it says when, not until when."""
    text = normalise(sentence)
    times = [t for t in find_times(text) if not t.frequency]
    return bool(times) and all(STARTS_AFTER.match(text, t.end) for t in times)


def deputy_of(question: str, span: str) -> tuple[str, str] | None:
    """(asked, printed) when the question asks a post (党委书记, 校长) the span prints only with 副
    (党委副书记, 副校长): the deputy is another person's post. None otherwise."""
    for m in re.finditer(TITLE_PATTERN, question):
        title = m.group(0)
        if title.startswith("副") or question[m.start() - 1 : m.start()] == "副":
            continue
        core = title[-2:] if len(title) > 2 else title
        forms = {f"副{title}", f"{title[: len(title) - len(core)]}副{core}"}
        printed = [f for f in forms if f in span]
        if printed and not re.search(rf"(?<!副){re.escape(title)}", span.replace(printed[0], "")):
            return title, printed[0]
    return None


_BOUND = re.compile(r"(\d+(?:\.\d+)?)(年|个月|岁|周岁|万元|元|平方米|公里|天)(及以下|以下|以内|及以上|以上)")


def other_bound(question: str, evidence: str) -> tuple[str, str] | None:
    """(asked, printed) when the question bounds a figure on one side (5年及以下) and the evidence
    prints the same figure bounded on the other only (5年以上); else None."""
    below = ("及以下", "以下", "以内")
    for m in _BOUND.finditer(question):
        side = m.group(3) in below
        theirs = [x for x in _BOUND.finditer(evidence) if x.group(1, 2) == m.group(1, 2)]
        if theirs and all((x.group(3) in below) != side for x in theirs):
            return m.group(0), theirs[0].group(0)
    return None


def is_question(span: str) -> bool:
    """A question printed in an article (a FAQ heading, a headline that asks) states nothing.
    Only a one-clause span: in 电视剧的第29集，都看过了没有啊？ the first clause still states."""
    return bool(_QUESTION_END.search(span)) and not re.search(r"[，,；;]", span.strip())


def answers(question: str, ev: Evidence, *, asks_time: bool = False) -> str | None:
    """Why this span does not answer the question (None when it may): an instruction or a
    question, another subject, qualifier, measure or date than asked, another event."""
    zh = detect_language(question) != "en"
    if is_instruction(ev.text, ev.preceding):
        return _say(zh, "instruction")
    if is_question(ev.text):
        return "该句是提问，不是报道" if zh else "the sentence asks a question, it does not report"
    q = normalise(question)
    bare = re.sub(r"[\W_]+", "", normalise(ev.text))
    if len(bare) >= 4 and bare in re.sub(r"[\W_]+", "", q):
        # a heading that repeats the question (卡塔尔世界杯决赛队伍.) says nothing more
        return "该句只重复了问题" if zh else "the sentence only repeats the question"
    gaps = subject_gaps(q, ev)
    if gaps:
        name, _, rival = gaps[0].partition("|")
        return _say(zh, "rival", a=rival, c=name) if rival else _say(zh, "absent", c=name)
    span = normalise(ev.text)
    deputy = deputy_of(q, span)
    if deputy:
        # 党委书记 asked, 党委副书记 printed: a deputy holds another post
        return _say(zh, "rival", a=deputy[1], c=deputy[0])
    role = _ROLE_VERB.search(q)
    if role and not any(w in span for w in _DEEDS[role.group(1)]):
        # 总设计单位 asked: a sentence naming who 负责建设 (or 出品, for a 播放平台) names another party
        return _say(zh, "absent", c=role.group(1))
    close = span + "\n" + normalise(ev.context)
    asked = [c for c in COUNTRIES if c in q]
    if asked and not any(c in close for c in asked):
        # 美国GDP asked, 中国GDP printed: the passage may name 美国 elsewhere
        rival = [c for c in COUNTRIES if c in span and c not in q]
        if rival:
            return _say(zh, "rival", a=rival[0], c=asked[0])
    for wide, narrow in _SCOPES:
        asked_scope, printed = wide.search(q), narrow.search(span)
        if asked_scope and printed and not wide.search(close):
            # 我国城镇化率 asked, 河南全省城镇化率 printed: a province's figure is not the country's
            return _say(zh, "rival", a=printed.group(0), c=asked_scope.group(0))
    sibling = other_sibling(q, span)
    if sibling:
        # 初中组 asked, a span about 高中组 only; 二期 asked, 一期 printed
        return _say(zh, "rival", a=sibling[1], c=sibling[0])
    rank = other_rank(q, span)
    if rank:
        # 冠军 asked, …获得季军，…获得第六名 printed: another place of the contest
        return _say(zh, "rival", a=rank[1], c=rank[0])
    if place := unranked_in_ranking(q, close):
        return _say(zh, "absent", c=place)
    if bound := other_bound(q, span):
        # 5年及以下的利率 asked, 5年以上…利率仍为2.85% printed: the other side of the line
        return _say(zh, "rival", a=bound[1], c=bound[0])
    prefixed = rival_prefix(q, span, close)
    if prefixed:
        return _say(zh, "rival", a=prefixed[1], c=prefixed[0])
    other = other_value(q, span, close)
    if other:
        return _say(zh, "frame", a=other[1], c=other[0])
    figures = [u for u in items(span, ev.date) if u.kind.startswith("qty:")]
    if _ACTUAL.search(q) and figures and all(planned(span, u) for u in figures):
        # 实际日均供餐多少份 asked, 我们预计日均供餐量在120份左右 printed: a forecast, not what happened
        return "报道给的是预计数，不是实际数" if zh else "the report gives a forecast, not the actual figure"
    if asks_time:
        if _UNTIL.search(q) and only_starts(ev.sentence or ev.text):
            # 到哪天结束 asked, 将于9月10日起实行半幅封闭施工 printed: a start, not an end
            return _say(zh, "absent", c="结束时间")
        event = event_absent(q, ev.sentence or ev.text)  # the event of the time: its own sentence
        return _say(zh, "absent", c=event) if event else None
    printed = [t for t in find_times(close) if not t.frequency]
    # 比2021年下降 / 较去年增长: the base of a comparison is not the time the figure is of
    if ANOTHER_TIME.search(span):
        # 上届中考，全市普高录取分数线为548分，今年的分数线将于…公布 (今年 in the sentence before too):
        # only a time in the clause naming the other time dates the span
        marked = [m.span() for m in _CLAUSE_RUN.finditer(span) if ANOTHER_TIME.search(m.group(0))]
        theirs = [
            u
            for u in dated_times(span, ev.date)
            if not is_base(span, u.start) and any(a <= u.start < b for a, b in marked)
        ]
    else:
        theirs = [u for u in dated_times(close, ev.date) if not is_base(close, u.start)]
    if not _PLANNED.search(q):
        # 到2027年将建成5000个。目前已建成3200个: a target year is not when the 3200 were built
        # (only outside the span: 2026年世界锦标赛将在巴黎举行 says when the event itself is)
        theirs = [u for u in theirs if u.start < len(span) or not target_time(close, u.start, u.end)]
    own_years = {
        t.year
        for t in find_times(span)
        if t.year is not None and not t.frequency and not is_base(span, t.start)
    }
    for t in find_times(q):
        if t.frequency:
            continue
        if t.month is None and t.year is None:
            # 后天 / 明天 asked: without a reference date only the same word says it
            if t.day_offset is not None and not any(u.day_offset == t.day_offset for u in printed):
                return _say(zh, "absent", c=t.text)
            continue
        if not any(_same_time(t, u) for u in theirs):
            if t.year is not None and t.month is None and _event_year(close, t.year):
                continue  # 2022WTA250赛事克利夫兰站 for 2022年克利夫兰站: the year names the event
            if t.year is not None and not own_years and framing_year(ev) == t.year:
                if _same_but_year(t, theirs):
                    # 凯文·麦卡锡，现任美国众议院议长。当地时间2023年1月7日，…当选: the one year the
                    # report prints frames a sentence that names none
                    continue
            return _say(zh, "absent", c=t.text)
        if t.year is not None and own_years and t.year not in own_years:
            # the clause names its own year: the sentence before speaks of another time
            return _say(zh, "frame", a=f"{min(own_years)}年", c=t.text)
    return None


def _event_year(text: str, year: int) -> bool:
    """`year` printed bare before a name (2022WTA250赛事, 2026平湖半程马拉松): the event's year,
    though no 年 follows it. Not a count (2022人, 2022个)."""
    after = r"(?=[A-Za-z]|[\u4e00-\u9fff](?<![年个人元名件家次万亿多余位户]))"
    return bool(re.search(rf"(?<![\d.]){year}{after}", text))


# a question about a plan (到2027年要建成多少): its target year answers it
_PLANNED = re.compile(rf"{PLAN_WORDS}|要")
_ACTUAL = re.compile(r"实际|真正|到底已经|实有")  # a question asking what happened, not what is planned
_CLAUSE_RUN = re.compile(r"[^，,；;。！？!?]+")


def _same_but_year(asked: TimeExpr, printed: list[TimeExpr]) -> bool:
    """`asked` with its year set aside is said by a printed time: 2022年上半年 by 上半年; a
    bare 2022年 by anything (nothing is left to compare)."""
    if asked.month is not None:
        return any(u.month == asked.month and (asked.day is None or u.day == asked.day) for u in printed)
    if asked.part:
        return any(u.part == asked.part for u in printed)
    return True


def rival_prefix(question: str, span: str, close: str) -> tuple[str, str] | None:
    """(asked, printed) when the span puts another name before the question's words:
    北京冬奥会 asked, 平昌冬奥会 printed. Only a proper name (jieba's ns/nr/nt/nz) counts as
    the rival: 新能源汽车销量 for 汽车销量 is a narrower measure, not another subject."""
    import difflib

    sm = difflib.SequenceMatcher(None, question, span, autojunk=False)
    for m in sm.get_matching_blocks():
        if m.size < 2 or m.a < 2 or m.b < 2:
            continue
        ours, our_tag = _word_before(question, m.a)
        theirs, their_tag = _word_before(span, m.b)
        if len(ours) < 2 or len(theirs) < 2 or ours == theirs or ours in close or theirs in question:
            continue
        if our_tag in _PROPER and their_tag in _PROPER:
            return ours + question[m.a : m.a + m.size], theirs + span[m.b : m.b + m.size]
    return None


_PROPER = ("ns", "nr", "nt", "nz")


@functools.lru_cache(maxsize=4096)
def _word_before(text: str, end: int) -> tuple[str, str]:
    """jieba's (word, tag) of `text[:end]` that ends at `end`, or ("", ""). Cached: the
    question's side is the same for every clause the reader weighs."""
    import jieba.posseg

    at = 0
    for w in jieba.posseg.cut(text[:end]):
        at += len(w.word)
        if at == end:
            return w.word, w.flag
    return "", ""


def other_value(question: str, span: str, close: str) -> tuple[str, str] | None:
    """(asked, printed) when the span gives a measure the question fixes another value:
    500米 / 1500米, 第一棒 / 第19棒, 十三届五次 / 十三届一次, 女单 / 男单,
    2021-2022赛季 / 2020-2021赛季.
    `close` (the span with its context) may hold the asked value instead."""
    asked = [c for c in items(question) if c.kind.startswith("qty:")]
    printed = items(close) if asked else []
    for c in asked:
        theirs = [u for u in printed if u.kind == c.kind]
        if theirs and not any(consistent(c, u) for u in theirs):
            mine = [u for u in items(span) if u.kind == c.kind]
            return c.text, (mine or theirs)[0].text
    first = _first_as_ordinal(close)
    for m in _ORDINAL.finditer(_first_as_ordinal(question)):
        want = cn_number(m.group(1))
        printed = [o for o in _ORDINAL.finditer(first) if o.group(2) == m.group(2)]
        if want is not None and printed and not any(cn_number(o.group(1)) == want for o in printed):
            return m.group(0), printed[0].group(0)
    for m in _GENDERED.finditer(question):
        other = ("女" if m.group(1) == "男" else "男") + m.group(2)
        if m.group(0) not in close and re.search(rf"(?<!{m.group(1)}){other}", span):
            return m.group(0), other
    for family, pattern in _DAYPARTS:
        for m in pattern.finditer(question):
            if m.group(0) in close:
                continue
            others = [f"{y}{m.group(2)}" for y in family if y != m.group(1) and f"{y}{m.group(2)}" in span]
            if others:  # 晚餐时段 asked, 午餐时段 printed
                return m.group(0), others[0]
    season = _SEASON.search(question)
    if season:
        seasons = list(_SEASON.finditer(close))
        if seasons and not any(s.groups() == season.groups() for s in seasons):
            return season.group(0), seasons[0].group(0)
    return None


# A party named by what it does (设计单位, 播放平台, 主办方): its sentence must say that deed,
# in one of the words news uses for it.
_DEEDS = {
    "设计": ("设计",),
    "施工": ("施工", "承建"),
    "建设": ("建设", "建造", "修建", "承建", "兴建"),
    "监理": ("监理",),
    "主办": ("主办", "举办"),
    "承办": ("承办",),
    "协办": ("协办",),
    "出品": ("出品", "制作", "摄制"),
    "发行": ("发行", "推出", "发布", "出版"),
    "播放": ("播放", "播出", "上线", "独播", "首播", "播映"),
    "运营": ("运营", "经营", "运行"),
    "开发": ("开发", "研发", "研制"),
}
_ROLE_VERB = re.compile(rf"({'|'.join(_DEEDS)})(?:单位|方|平台|机构|商|公司|团队)")

# Closed families of a day's parts: a value of one (午餐) is not another (晚餐).
_DAYPARTS = [
    (family, re.compile(rf"({'|'.join(family)})([\u4e00-\u9fff]{{2}})"))  # 晚餐 + 时段
    for family in (
        ("早餐", "午餐", "晚餐", "夜宵"),
        ("上午", "下午", "晚上", "凌晨"),
        ("早班", "中班", "晚班", "夜班"),
        ("白天", "夜间"),
    )
]


def _same_time(asked: TimeExpr, printed: TimeExpr) -> bool:
    if asked.year is not None and printed.year is not None and asked.year != printed.year:
        return False
    if asked.year is not None and printed.year is None and asked.month is None:
        return False  # 2023年 asked: a sentence with no year does not say it
    if asked.month is not None and printed.month != asked.month:
        return False
    if asked.day is not None and printed.day != asked.day:
        return False
    return not (asked.part and printed.part and asked.part != printed.part)
