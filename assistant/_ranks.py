"""Places in a contest (冠军, 金奖) and in a ranking (排名第三, 位居全市首位): who holds which.

A claim or a model's sentence may give its subject a place its evidence gives to another, or
one the evidence never gives; the answer checks (`_answerable`, `_verify_answer`) and the claim
checker (`_check`) ask this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._bindings import _end, _start, people_named
from ._fenbie import _clause_before
from ._names import SURNAMES, find_people
from ._normalize import cn_number, normalise
from ._slots import RANKED_BEHIND
from ._subjects import BODY_NAME, guessed_people, named_things, proper_names

# Places of one contest: a name printed with one is no answer for another.
PLACES = (
    ("冠军", "亚军", "季军"),
    ("金奖", "银奖", "铜奖"),
    ("金牌", "银牌", "铜牌"),
    ("一等奖", "二等奖", "三等奖"),
)
_PLACE_RE = "|".join(p for family in PLACES for p in family)
_PLACED = re.compile(
    rf"(?P<who>[\u4e00-\u9fff]{{2,16}}?)(?:以[^，,。；;]{{1,12}}?)?(?:获得|夺得|摘得|荣获|获|取得|斩获)(?P<place>{_PLACE_RE})"
)


def _team(who: str) -> str:
    return re.sub(r"(?:代表队|队)$", "", who)


def place_swap(sentence: str, evidence: Sequence[str]) -> tuple[str, str, str] | None:
    """(who, place claimed, place printed) when the sentence gives someone a place of a contest
    (平湖市职业中等专业学校代表队获得亚军) that the evidence prints with another place of the same
    kind for them (…代表队夺得冠军) and never with the claimed one. Names match when one holds the
    other, team words (代表队) aside."""
    won = [
        (_team(w.group("who")), w.group("place")) for t in evidence for w in _PLACED.finditer(normalise(t))
    ]
    for m in _PLACED.finditer(normalise(sentence)):
        who, place = _team(m.group("who")), m.group("place")
        family = next(f for f in PLACES if place in f)
        theirs = [p for w, p in won if p in family and (who in w or w in who) and min(len(w), len(who)) >= 2]
        if theirs and place not in theirs:
            return m.group("who"), place, theirs[0]
    return None


def other_rank(question: str, evidence: str) -> tuple[str, str] | None:
    """(asked, printed) when the question asks one place of a contest (亚军) or of a ranking
    (排第一) and the evidence prints another of the same family (冠军; 位列第二) but not the
    asked one; else None."""
    question = _placed(question)
    for family in PLACES:
        asked = [r for r in family if r in question]
        if len(asked) == 1 and asked[0] not in evidence:
            printed = [r for r in family if r in evidence]
            if printed:
                return asked[0], printed[0]
    ranks = {_rank(m): m.group(0) for m in _RANKED.finditer(question)}
    if len(ranks) == 1:
        theirs = {_rank(m): m.group(0) for m in _RANKED.finditer(evidence)}
        if theirs and not set(theirs) & set(ranks):
            return next(iter(ranks.values())), next(iter(theirs.values()))
    return None


def _placed(question: str) -> str:
    """第三名是哪支队伍 asks the 季军: a contest's places by their number."""
    for n, place in (("一", "冠军"), ("二", "亚军"), ("三", "季军")):
        question = re.sub(rf"(?<![排列居])第{n}名", place, question)
    return question


# A place in a ranking (排第一, 位列第二, 居全市首位): 第一批 or 第一次 is none.
_RANKED = re.compile(
    r"(?:排|位列|位居|名列|排名|居)"
    # the field ranked in: 全市, 行业, 平湖各镇街道, 嘉兴各县市区
    r"(?:全[市省国县区镇]|行业|街道|[\u4e00-\u9fff]{1,8}?(?:镇街道|街道|各镇|县市区|县\(市、区\)|县市|城市|地区|同类))?"
    r"(?:第([一二三四五六七八九十\d]+)(?![批次期届])|(首位))"
)


def _rank(m: re.Match[str]) -> int | None:
    """The place a `_RANKED` match names (首位 is 1; 第十二 and 第12 are 12)."""
    if m.group(2):
        return 1
    n = cn_number(m.group(1))
    return int(n) if n is not None else None


# How news prints a place won without its word (夺冠 for 冠军): a bare name's evidence must print
# the place asked or one of these.
_WON = {
    "冠军": ("夺冠", "折桂", "问鼎", "封后", "称王", "登顶", "金牌"),
    "亚军": ("第二名", "银牌"),
    "季军": ("第三名", "铜牌"),
    "金牌": ("冠军", "夺冠", "夺金", "摘金"),
    "银牌": ("亚军", "摘银"),
    "铜牌": ("季军", "摘铜"),
}


def unranked(question: str, evidence: str) -> str | None:
    """The place of a contest the question asks (冠军) when the evidence prints no place won at all
    (…克利夫兰站女单首轮，张帅以6-2…: a player named, no title): a bare name there wins nothing."""
    question = _placed(question)
    for family in PLACES:
        asked = [r for r in family if r in question]
        if len(asked) == 1 and not any(w in evidence for w in (*family, *_WON.get(asked[0], ()))):
            return asked[0]
    return unranked_in_ranking(question, evidence)


def unranked_in_ranking(question: str, evidence: str) -> str | None:
    """The place in a ranking the question asks (排第一的是哪家企业) when the evidence ranks no one
    (…浙江鼎嘉箱包有限公司2025年实现出口额3.26亿元: a firm named, no place)."""
    ranked = _RANKED.search(question)
    if (
        ranked
        and not _RANKED.search(evidence)
        and not re.search(r"首位|榜首|居首|第一名|最[高多大]", evidence)
    ):
        return ranked.group(0)
    return None


# Another time's ranking (上届排名第一, 去年位列第二): not the place the sentence reports now.
_EARLIER = re.compile(r"上届|上一届|去年|上年|此前|以往|曾")


# A place won (获得老年组100米自由泳第三名, 夺得U12组冠军, 获得金奖, 获团体一等奖) and a place in a
# ranking (排名第二, 位列榜首), as one number of its family: 冠军 is 1, 第三名 is 3, 银奖 is 2. A
# count of medals (22枚金牌) is no place.
_TITLES = r"冠军|亚军|季军|(?<![枚\d])(?:金奖|银奖|铜奖|金牌|银牌|铜牌)|[特一二三]等奖"
_WON_PLACE = re.compile(
    rf"(?:获得|夺得|摘得|荣获|获|取得|斩获)[^，,。；;]{{0,16}}?(?:(?P<title>{_TITLES})|第(?P<n>[一二三四五六七八九十\d]+)名)"
)
_PLACE_THEN_NAME = re.compile(
    rf"(?:(?P<title>{_TITLES})|第(?P<n>[一二三四五六七八九十\d]+)名)(?:是|为|由|被)"
)
_PLACE_THEN_WHO = re.compile(
    rf"(?:{_TITLES}|第[一二三四五六七八九十\d]+名)(?:是|为|由)(?:[^，,。；;]{{0,8}}?(?:选手|队员|运动员|跑者))?"
    r"(?P<who>[\u4e00-\u9fff]{2,3})"
)
_ANY_PLACE = re.compile(rf"{_TITLES}|第[一二三四五六七八九十\d]+名|夺冠|排名|排第|位列|位居|名列|榜首|首位")
_TOP = re.compile(r"(?:位列|位居|名列|排名|居)(?:榜首|首位)|榜首")
_TITLE_RANK = {
    "冠军": (1, "title"), "亚军": (2, "title"), "季军": (3, "title"),
    "金奖": (1, "medal"), "银奖": (2, "medal"), "铜奖": (3, "medal"),
    "金牌": (1, "medal"), "银牌": (2, "medal"), "铜牌": (3, "medal"),
    "特等奖": (0, "prize"), "一等奖": (1, "prize"), "二等奖": (2, "prize"), "三等奖": (3, "prize"),
}  # fmt: skip


Placing = tuple[int, str, int, str]  # where it ends, as printed, the place, its family


def _placings(text: str) -> list[Placing]:
    """Each place won or ranked in `text`, in order."""
    out: list[Placing] = []

    def add(end: int, said: str, n: float | None, family: str) -> None:
        if n is not None and not any(p[0] == end for p in out):
            out.append((end, said, int(n), family))

    for m in _RANKED.finditer(text):
        add(m.end(), m.group(0), _rank(m), "rank")
    for pattern in (_WON_PLACE, _PLACE_THEN_NAME):  # …获得第三名; 女子半程冠军是平湖本地选手郑雨桐
        for m in pattern.finditer(text):
            if m.group("title"):
                n, family = _TITLE_RANK[m.group("title")]
                add(m.end(), m.group("title"), n, family)
            else:
                add(m.end(), f"第{m.group('n')}名", cn_number(m.group("n")), "title")
    for m in _TOP.finditer(text):
        add(m.end(), m.group(0), 1, "rank")
    return sorted(out)


def _comparable(a: str, b: str) -> bool:
    """Places of two families name the same place by one number: 冠军 = 金牌 = 金奖 = 排名第一;
    a prize (一等奖, often given to many) only against a ranking or another prize."""
    return a == b or "rank" in (a, b) or {a, b} <= {"title", "medal"}


def rank_swap(claim: str, span: str, whole: str = "") -> tuple[str, str] | None:
    """(claimed, printed) when a claim gives its subject a place in a ranking or a contest
    (乍浦镇…排名第三; 朱国良获得…冠军; 陆建明…获得银奖) that the span does not: it places the
    subject otherwise (…排名第四; …获得第三名; …获得金奖), printed is that place; or it places no
    one, printed is "". None when the places agree, when the claim places nothing or several,
    or when the span's place cannot be told to be the subject's (several places, none after the
    subject; a claim of another time, 上届).

    The subject is the claim's first name the span prints; its place is the first one printed
    after it, of the claim's family (一等奖 for 二等奖) if there is one. `whole`: the claim a part
    was split from (当湖街道犬只登记办证1386张，位列全市第二), read when the part names no subject."""
    got = _rank_swap(claim, span)
    if got is None and whole and whole != claim and len(_placings(normalise(claim))) == 1:
        return _rank_swap(whole, span)
    return got


def _rank_swap(claim: str, span: str) -> tuple[str, str] | None:
    c = normalise(claim)
    claimed = {(r, fam): said for _, said, r, fam in _placings(c)}
    u = normalise(span)
    # a claim of another time (上届…第三) is not the span's ranking, unless the span is of that time
    # too (在去年…考核中，我市位列…第一)
    earlier = {m.group(0) for m in _EARLIER.finditer(c)}
    if len(claimed) != 1 or (earlier and not earlier <= {m.group(0) for m in _EARLIER.finditer(u)}):
        return None
    (((rank, family), said),) = claimed.items()
    printed = [p for p in _placings(u) if not _EARLIER.search(_clause_before(u, p[0] - len(p[1])))]
    if not printed:
        if _ANY_PLACE.search(u) or (rank == 1 and re.search(r"居首|最[高多大]", u)):
            return None  # a place printed in a way not read here: not a span that places no one
        return said, ""
    names = [n for n, _ in named_things(c)] + proper_names(c) + [p.text for p in find_people(c)]
    names += guessed_people(c) + re.findall(r'"([^"]{2,12})"', c)  # 陆建明选送的"阳光玫瑰"
    for m in _PLACE_THEN_WHO.finditer(c):  # 冠军是孔文静: a name jieba does not know
        if m.group("who")[0] in SURNAMES:
            names += [m.group("who")[:3], m.group("who")[:2]]
    # the subject is the claim's first name the span prints (新仓镇代表队在平湖市…大赛中夺得冠军: 新仓镇)
    names = sorted((n for n in dict.fromkeys(names) if len(n) >= 2 and n in u), key=c.find)[:1]
    owned: list[Placing] = []
    for name in names:
        spots = [i.start() for i in re.finditer(re.escape(name), u)]
        behind = [at for at in spots if re.search(rf"{RANKED_BEHIND}$", u[max(0, at - 4) : at])]
        if behind and len(behind) == len(spots):
            # …排名第二，仅次于新埭镇: 新埭镇 is the one ahead of the second, so first, not second
            ahead = [p for p in printed if p[0] <= behind[0] and _comparable(p[3], family)]
            if not ahead:
                return None
            place = ahead[-1][2]
            return None if rank == place - 1 or rank < place - 1 else (said, f"{ahead[-1][1]}，仅次于{name}")
        for at in spots:
            after = [p for p in printed if p[0] > at]
            # 冠军由本地选手钱佳怡获得；…孔文静获得亚军: the place in the name's own ；-clause is its,
            # printed before it if none is after it there
            start, end = _start(u, at, "；;。"), _end(u, at, "；;。")
            own = [p for p in printed if start <= p[0] - len(p[1]) and p[0] <= end]
            if own and not any(p[0] > at for p in own):
                after = own[-1:]
            kin = [p for p in after if p[3] == family]
            if kin or after:
                owned.append((kin or after)[0])
    owned = [p for p in owned if _comparable(p[3], family)]
    if owned:
        if any(p[2] == rank for p in owned):
            return None
        return said, owned[0][1]
    places = {p[2] for p in printed if _comparable(p[3], family)}
    if len(places) != 1 or rank in places:
        return None
    # a span naming someone the claim does not (杭州跑者韩冬…获得亚军 for 冠军是吴志远) places them
    if any(n not in c for n in people_named(u)):
        return None
    return said, next(p[1] for p in printed if _comparable(p[3], family))


# A record within a scope (嘉兴市唯一, 全省首个, 全国最大, 平湖单体规模最大): another scope's record
# is another record. A few words of measure may stand between the scope and the record word.
_SCOPED = re.compile(
    r"(?P<scope>全国|全省|全市|我市|本市|[\u4e00-\u9fff]{2,4}?[省市县区镇]|平湖|嘉兴|浙江|长三角)(?:范围)?(?:内)?(?:的)?"
    r"(?P<mid>[\u4e00-\u9fff]{0,6}?)"
    r"(?P<word>唯一|首个|首家|首座|第一个|最大|最高|最多|最早)"
)
# The paper's own city, however a report names it (我市 of 嘉兴日报·平湖版 is 平湖).
_OWN_CITY = {"全市", "我市", "本市", "平湖", "平湖市"}


def _scope(m: re.Match[str]) -> str:
    """The place a scope names, without the words a lazy match took before it (项目是全市 → 全市)."""
    return re.sub(r"^.*[是的为在于前]", "", m.group("scope"))


def _from_scope(m: re.Match[str]) -> str:
    """The record as printed from its scope on (嘉兴市单体规模最大)."""
    return m.group(0)[m.group(0).index(_scope(m)) :]


def _same_scope(a: str, b: str) -> bool:
    if a == b or (a in _OWN_CITY and b in _OWN_CITY):
        return True
    # 嘉兴 = 嘉兴市, 浙江 = 浙江省: a suffix does not make another place
    return a.rstrip("省市县区") == b.rstrip("省市县区") and len(a.rstrip("省市县区")) >= 2


# The field a ranking ranks in (在嘉兴全市基层法院中位列第二, 居嘉兴各县(市、区)首位) and the place
# that bounds it (嘉兴): named places before the generic 某某市 so 嘉兴全市 is 嘉兴's.
_FIELD = re.compile(
    r"在(?P<a>[^，,。；;在]{2,16}?)中?(?=位列|位居|名列|排名|排在|跻身|进入)"
    r"|(?:位列|位居|名列|排名|排在|居)(?P<b>[^，,。；;第首]{2,12}?)(?=第|首位|前[一二三四五六七八九十\d])"
)
_FIELD_SCOPE = re.compile(r"全国|全省|全市|我市|本市|平湖|嘉兴|浙江|长三角|[\u4e00-\u9fff]{2,3}?[省市]")


def _fields(text: str) -> list[tuple[str, str]]:
    """(field, its bounding place) of each ranking in `text` that names one."""
    out = []
    for m in _FIELD.finditer(text):
        field = m.group("a") or m.group("b")
        if scope := _FIELD_SCOPE.search(field):
            out.append((field, scope.group(0)))
    return out


def scope_swap(claim: str, span: str) -> tuple[str, str] | None:
    """(claimed, printed) when the claim gives a record a scope (浙江省唯一入选的助老类项目, 嘉兴市单体
    规模最大) and the span prints that record only for another scope (是嘉兴市唯一入选的助老类项目,
    是目前平湖单体规模最大的), or ranks in a field bounded by another place (在全省基层法院中位列
    第二 over 在嘉兴全市基层法院中位列第二); else None."""
    c, u = normalise(claim), normalise(span)
    for m in _SCOPED.finditer(c):
        theirs = [x for x in _SCOPED.finditer(u) if x.group("word") == m.group("word")]
        if theirs and not any(_same_scope(_scope(x), _scope(m)) for x in theirs):
            return _from_scope(m), _from_scope(theirs[0])
    # a ranking's field (在全省基层法院中位列第二 over 在嘉兴全市基层法院中位列第二)
    ranked = _fields(u)
    for field, scope in _fields(c):
        if ranked and not any(_same_scope(scope, theirs) for _, theirs in ranked):
            return field, ranked[0][0]
    return None


# A record a claim may give its subject (首个入选, 唯一, 最多): printed, or not stated.
_RECORD = re.compile(
    r"首个|首家|首座|首批|首次|唯一|第一个|创历史新高|历史新高|纪录|最大|最高|最多|最早|最长|最快"
)


def unprinted_record(claim: str, around: str) -> str | None:
    """A record word of the claim (平湖首个入选…优秀案例) that the span and the sentence before it
    do not print (…入选…第二批…优秀案例), or None."""
    c, u = normalise(claim), normalise(around)
    first = any(p[2] == 1 for p in _placings(u))  # 平均得分最高 is 排名第一
    for m in _RECORD.finditer(c):
        if m.group(0) not in u and not (first and m.group(0).startswith("最")):
            return m.group(0)
    return None


# A record and who holds it: …最多的是新仓分校 / 其中乍浦分校人数最多 / 乍浦镇增幅最大.
_SUPERLATIVE = r"最多|最高|最大|最少|最低|最小|最早|最长|最快"
_HOLDER_AFTER = re.compile(rf"(?P<w>{_SUPERLATIVE})的(?:是|为|要数|当属|属)(?P<h>[^，,。；;]{{2,12}})")
_HOLDER_KIND = re.compile(
    r"(?:分校|市场|街道|社区|镇|村|公司|小学|中学|学校|医院|合作社|代表队|分局|景区|园区|集团|协会)$"
)


def _holders(clause: str) -> list[str]:
    """The places and bodies a clause names, in order of where they end."""
    found = [n for n, _ in named_things(clause)] + [m.group(0) for m in BODY_NAME.finditer(clause)]
    return sorted(dict.fromkeys(found), key=lambda n: clause.rfind(n) + len(n))


def _claimed_holders(claim: str) -> list[tuple[str, str]]:
    """(record word, holder) a claim names: 最多的是新仓分校 → (最多, 新仓分校); 乍浦镇增幅最大 →
    (最大, 乍浦镇) when a town or other named place is the clause's last name."""
    out = [(m.group("w"), m.group("h")) for m in _HOLDER_AFTER.finditer(claim)]
    for m in re.finditer(_SUPERLATIVE, claim):
        clause = re.split(r"[，,。；;]", claim[: m.start()])[-1]
        named = _holders(clause)
        if not any(w == m.group(0) for w, _ in out) and named:
            out.append((m.group(0), max(named, key=clause.rfind)))
    return out


def record_holder_swap(claim: str, span: str) -> tuple[str, str] | None:
    """(claimed, printed) when the claim gives a record to one place (本学期招收学员最多的是新仓分校)
    and the span's clause of that record names another of the same kind (其中乍浦分校人数最多),
    not the claim's; else None."""
    c, u = normalise(claim), normalise(span)
    for word, held in _claimed_holders(c):
        kind = _HOLDER_KIND.search(held)
        if kind is None:
            continue
        short = held[: kind.start()]  # 乍浦 of 乍浦分校, 新埭 of 新埭镇
        for m in re.finditer(word, u):
            after = _HOLDER_AFTER.match(u, m.start())
            clause = after.group("h") if after else re.split(r"[，,。；;]", u[: m.start()])[-1]
            if held in clause or (len(short) >= 2 and short in clause):
                return None  # the span gives the record to the claim's place
            at = clause.rfind(kind.group(0))
            if at >= 0:  # the printed holder, as long as the claim's (其中乍浦分校人数 → 乍浦分校)
                return held, clause[max(0, at - len(short)) : at + len(kind.group(0))]
            # ...or a holder of another kind (a 合作社 where the claim names a 公司), whole
            other = [n for n in _holders(clause) if _HOLDER_KIND.search(n)]
            if other:
                return held, other[-1]
    return None


# The one a ranking puts ahead (…排名第二，仅次于嘉善经济技术开发区): named, it is not the ranked.
_AHEAD = re.compile(rf"{RANKED_BEHIND}(?P<who>[^，,。；;、]{{2,20}}?)(?:之后|后面)?(?=[，,。；;]|$)")


def ahead_swap(claim: str, span: str) -> tuple[str, str] | None:
    """(claimed, printed) when the claim gives its one rank to the one the span names as ahead
    of the ranked (嘉善经济技术开发区位列第二 over …排名第二，仅次于嘉善经济技术开发区); else None."""
    c, u = normalise(claim), normalise(span)
    claimed = _placings(c)
    if len(claimed) != 1:
        return None
    own_ahead = [(m.start(), m.end()) for m in _AHEAD.finditer(c)]
    for m in _AHEAD.finditer(u):
        who = m.group("who")
        head = who[:2]
        at = [i.start() for i in re.finditer(re.escape(head), c)]
        if not any(not any(s <= i < e for s, e in own_ahead) for i in at) or head in u[: m.start()]:
            continue
        printed = [p for p in _placings(u) if p[0] <= m.start()]
        if printed and printed[-1][2] == claimed[0][2] and printed[-1][3] == claimed[0][3]:
            return f"{who}{claimed[0][1]}", f"{printed[-1][1]}，仅次于{who}"
    return None
