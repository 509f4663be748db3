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
        try:
            json.dumps(rec, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as e:  # "\ud800" is valid JSON but no character: nothing can read it
            why = (
                f"holds an unpaired surrogate ({e.object[e.start : e.end]!a}), not text; remove it and retry"
            )
            yield {"id": _printable_id(rec), "line": n, "error": why}
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


def _printable_id(rec: Any) -> Any:
    """The record's id when it can be written back out, else None."""
    rid = rec.get("id") if isinstance(rec, dict) else None
    try:
        json.dumps(rid, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None
    return rid
