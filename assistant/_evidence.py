"""What grounding works with and what it gives back: a span of an article with what a reader
knows around it (`Evidence`), and the verdict of one fact against it with the findings that
decided it (`Alignment`, worded in the claim's language by `_say`).

Kept apart from the engine (`_ground.align`) so that the checks it runs on roles (`_roles`)
and on 分别 lists (`_fenbie`) can record their findings without importing the engine that
calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import Article, Verdict


@dataclass(frozen=True)
class Evidence:
    """A span of an article and what a reader knows around it.

    text: the span as printed (a sentence or clause). context: the headline and the
    sentence before it (news names the subject once, then says 该/当前). preceding: the
    paragraph up to the span (an instruction block taints what follows it). article_text:
    the whole body (a place named in the lead holds for the rest). date: the article's ISO
    day, for 昨天 / 今年. source: paper and edition (平湖版 implies 平湖).
    """

    text: str
    context: str = ""
    preceding: str = ""
    article_text: str = ""
    date: str | None = None
    source: str = ""
    sentence: str = ""  # the whole sentence holding the span, when the span is a clause

    @classmethod
    def around(
        cls,
        article: Article,
        start: int,
        end: int,
        context_start: int,
        sentence: tuple[int, int] | None = None,
    ) -> Evidence:
        """`article.text[start:end]` with the headline, the text from `context_start` (the
        sentence before, or the lead of its own sentence), its paragraph around it and, given
        its offsets, the sentence the span belongs to."""
        text = article.text
        para = text.rfind("\n", 0, start) + 1
        return cls(
            text=text[start:end],
            context=f"{article.headline}\n{text[context_start:start]}",
            preceding=text[para:start],
            article_text=text,
            date=article.date,
            source=article.source,
            sentence=text[sentence[0] : sentence[1]] if sentence else "",
        )


@dataclass
class Alignment:
    """The verdict of one fact against one span, and the facts that decided it."""

    verdict: Verdict
    agrees: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    other_subject: list[str] = field(default_factory=list)  # the span is about something else
    framed: list[str] = field(default_factory=list)  # agreed only by the headline or sentence before

    @property
    def checkable(self) -> bool:
        """Something was compared: a value, a direction, a role."""
        return bool(self.agrees or self.diffs)

    @property
    def compared_in_span(self) -> bool:
        """Something was compared in the span itself (a frame agreed by the headline or the
        sentence before, 第十二届, compares nothing of this span)."""
        return bool(self.diffs) or any(a not in self.framed for a in self.agrees)

    def absorb(self, other: Alignment) -> None:
        """Add what another alignment of a part of the same fact found."""
        self.agrees += other.agrees
        self.diffs += other.diffs
        self.missing += other.missing
        self.framed += other.framed
        self.other_subject += other.other_subject

    def settle(self) -> Alignment:
        """The verdict the findings give: a difference contradicts, a gap leaves it not_found."""
        if self.diffs:
            self.verdict = "contradicted"
        elif self.missing or self.other_subject:
            self.verdict = "not_found"
        return self


def _say(zh: bool, key: str, **kw: str) -> str:
    texts = {
        "diff": ("声称{c}，报道为{a}", "claim {c}, article {a}"),
        "frame": ("报道说的是{a}，不是{c}", "the archive speaks of {a}, not {c}"),
        "rival": ("报道说的是{a}，不是{c}", "the archive's sentence is about {a}, not {c}"),
        "absent": ("报道没有提到{c}", "the archive's sentence does not say {c}"),
        "elsewhere": ("报道在另一句提到{c}，这句说的不是{c}", "{c} is from another sentence of the report"),
        "instruction": ("该句是写给系统的指令，不是报道", "the sentence is an instruction, not reporting"),
        "measure": ("报道的{c}是{a}，不是{o}", "the archive's {c} is {a}, not {o}"),
    }
    zh_text, en_text = texts[key]
    return (zh_text if zh else en_text).format(**kw)
