"""Batch input for `ask`/`check`: one JSON object a line, each bad line its own error record."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Request:
    line: int
    id: Any
    text: str  # the question or the claim
    record: dict[str, Any]


def requests(lines: Iterable[str], field: str) -> Iterator[Request | dict[str, Any]]:
    """A Request per usable line, or an error object {"id", "line", "error"} naming the fix;
    blank lines are skipped, so a trailing newline is not an error."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            why = f'not JSON ({e.msg}); write one {{"id", "{field}"}} object a line'
            yield {"id": None, "line": n, "error": why}
            continue
        if not isinstance(rec, dict):
            yield {"id": None, "line": n, "error": f'not a JSON object; write {{"id": ..., "{field}": ...}}'}
            continue
        text = rec.get(field)
        if not isinstance(text, str) or not text.strip():
            why = f'no "{field}": give the {field} text as a string'
            yield {"id": rec.get("id"), "line": n, "error": why}
            continue
        yield Request(n, rec.get("id"), text, rec)
