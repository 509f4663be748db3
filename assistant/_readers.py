"""The reader seam: question + retrieved hits -> a cited `Answer`, by rule or by a language model.

A reader is anything with a `name` and `read(question, hits, standalone=...) -> Answer`
(simonw/llm's plug-in shape, kept small): `extractive` quotes the clause that answers
(`_read_extractive.py`); `llm` lets a chat model write the answer and keeps only the
sentences the grounding engine finds stated by the passage they cite (`_read_llm.py`).
Both return the same `Answer` records, refuse the same way, and are chosen by
`Settings.reader` (`--reader`, `ASSISTANT_READER`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from .errors import ConfigError

if TYPE_CHECKING:
    from ._index import NewsIndex
    from .config import Settings
    from .records import Answer, Hit

READERS = ("extractive", "llm")

REFUSAL = {
    "zh": "抱歉，资料库中没有找到能回答这个问题的报道。",
    "en": "Sorry, the archive holds no article that answers this question.",
    "other": (
        "Sorry, the archive holds Chinese local news (嘉兴日报·平湖版); please ask in Chinese or English."
    ),
}


class Reader(Protocol):
    """Question + hits (best first) -> `Answer`; `standalone` is the follow-up made standalone."""

    name: str

    def read(self, question: str, hits: list[Hit], *, standalone: str | None = None) -> Answer: ...


class StreamingReader(Reader, Protocol):
    """A reader that can show its draft while it writes: text chunks, then the verified `Answer`."""

    def stream(
        self, question: str, hits: list[Hit], *, standalone: str | None = None
    ) -> Iterator[str | Answer]: ...


def make_reader(settings: Settings, index: NewsIndex) -> Reader:
    """The reader `settings.reader` names. Raises ConfigError for an unknown name."""
    from ._read_extractive import ExtractiveReader

    extractive = ExtractiveReader(settings, index)
    if settings.reader == "extractive":
        return extractive
    if settings.reader == "llm":
        from ._read_llm import LLMReader

        return LLMReader(settings, index, fallback=extractive)
    raise ConfigError(f"unknown reader {settings.reader!r}: use one of {', '.join(READERS)} (--reader)")
