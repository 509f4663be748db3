"""Model drafts cached on disk, so a reader's verifier can be re-run on the same drafts.

A draft is keyed by the exact prompt (`LLMReader.prompt` of the question and its hits),
so a changed prompt or other hits generate anew, and a changed verifier costs seconds.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from assistant._read_llm import LLMReader
from assistant.records import Hit


def prompt_key(request: list[tuple[str, str]]) -> str:
    """The cache key: a hash of the exact chat messages sent to the model (`LLMReader.request`)."""
    prompt = json.dumps(request, ensure_ascii=False)
    return hashlib.sha1(prompt.encode()).hexdigest()[:16]


class Drafts:
    """Model outputs cached on disk, one JSON line each: {key, raw, seconds, first_s}."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: dict[str, dict[str, Any]] = {}
        if path.is_file():
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    r = json.loads(line)
                    self.rows[r["key"]] = r

    def get(
        self, reader: LLMReader, question: str, hits: list[Hit], *, generate: bool = True
    ) -> dict[str, Any] | None:
        """The cached draft for this prompt; generated (and cached) when missing, unless not
        `generate` (then None: the caller skips the item)."""
        request = reader.request(question, hits)
        key = prompt_key(request)
        if key not in self.rows:
            if not generate:
                return None
            start = request[-1][1] if request[-1][0] == "ai" else ""  # the reply's start is ours
            t0 = time.perf_counter()
            first = None
            raw = ""
            for piece in reader.draft(question, hits):
                raw += piece
                if first is None and len(raw) > len(start):
                    first = time.perf_counter() - t0
            row = {"key": key, "raw": raw, "seconds": time.perf_counter() - t0, "first_s": first}
            self.rows[key] = row
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return self.rows[key]
