"""A change printed as two levels: 由4.1%上升至4.8% states 上升了0.7个百分点, 由约20分钟缩短至12分钟
states 缩短了约8分钟, 从14.8%降至8.3% states 下降了6.5个百分点. News prints the levels; a
reporter's claim often gives the difference.

`from_to_view` is the span as a claim stating a change reads it (like `_fenbie._view`): each
from-to clause followed by the change it implies, so the grounding engine compares the claim's
figure with the difference as with any printed figure.
"""

from __future__ import annotations

import re

from ._figure_roles import LEVEL_CHANGE, is_change
from ._values import Item, items

_FROM_TO = re.compile(
    r"[由从](?:原来的)?(?P<a>[^，,。；;由从]{1,12}?)"
    rf"(?P<verb>{LEVEL_CHANGE})了?(?:至|到|为)"
    r"(?P<b>[^，,。；;]{1,12})"
)
_VERB = {"降": "下降", "升": "上升"}  # the change said in the words a claim uses (下降了6.5个百分点)


def _one(text: str) -> Item | None:
    got = [it for it in items(text) if it.kind.startswith("qty:")]
    return got[0] if len(got) == 1 else None


def implied_change(text: str) -> list[tuple[int, str]]:
    """(where it ends, the change it states) for each from-to clause of `text` whose two levels
    are figures of one kind: 由4.1%上升至4.8% → 上升了0.7个百分点 (a change of a share is in
    percentage points), 由原来的约20分钟缩短至12分钟 → 缩短了约8分钟."""
    out = []
    for m in _FROM_TO.finditer(text):
        a, b = _one(m.group("a")), _one(m.group("b"))
        if a is None or b is None or a.kind != b.kind:
            continue
        b_end = m.start("b") + b.end
        number = f"{abs(b.value - a.value):.6f}".rstrip("0").rstrip(".")  # 4.8-4.1 is 0.7
        unit = "个百分点" if a.kind == "qty:%" else a.kind.removeprefix("qty:")
        about = "" if a.exact and b.exact else "约"
        verb = _VERB.get(m.group("verb"), m.group("verb"))
        out.append((b_end, f"{verb}了{about}{number}{unit}"))
    return out


def from_to_view(claim: str, span: str) -> str:
    """The span with each implied change written after its from-to clause, when the claim states
    a change (上升了0.7个百分点); else the span as it is. Both texts normalised."""
    if not any(is_change(claim, c) for c in items(claim)):
        return span
    for end, change in reversed(implied_change(span)):
        span = f"{span[:end]}，{change}{span[end:]}"
    return span
