"""The LLM reader: a chat model writes the answer, the grounding engine keeps what the passages state.

The model proposes, the verifier disposes (issue 12): the model reads the top hits as
numbered, dated passages and answers briefly in the question's language, marking each
sentence with the passage it rests on (`[2]`); every sentence is then checked against
the words of the passage it cites (`_verify_answer.verify`). A sentence whose facts the
passage does not state is dropped, and the verification record says why. What is left
is the answer, each `[n]` resolved to an exact quote with offsets. When nothing is left
the extractive reader answers if it agrees with the model on the source, else the
assistant refuses.

Passages are data: the system prompt says so, and an instruction planted in an article
cannot make a sentence pass, because an instruction is never evidence
(`_instructions.is_instruction`) and a sentence that only the instruction "supports" has no
report behind it.

The chat model is any LangChain chat model (`_chat.chat_model`: an OpenAI-compatible
server through `ChatOpenAI`, or the packaged Qwen2.5 model through OpenVINO GenAI).
The prompt (`_llm_prompt`) asks for the supporting passage numbers first, then the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import _facts as facts
from ._answer_kinds import asked_kind, credited_otherwise, gives, prints_numbered_names
from ._cited_answer import compose
from ._llm_prompt import CONDENSE, MAX_CONDENSED, REPLY_START, SYSTEM_EN, SYSTEM_ZH, messages
from ._ranks import other_rank, unranked
from ._readers import REFUSAL, Reader
from ._verify_answer import Verifier, same_answer
from .config import Settings
from .records import Answer, Hit

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from ._index import NewsIndex

_NUMBERS = re.compile(r"(?:编号|passages?|sources?)\s*[:：]\s*([\[\]0-9０-９,，、\s和and]*)", re.I)
_MARKER_RE = re.compile(r"\[\d+\]")
_HEAD = re.compile(r"\s*(?:编号|passages?|sources?|answer|答案)", re.I)  # how a labelled draft starts
_ANSWER = re.compile(r"(?:答案|answer)\s*[:：]\s*", re.I)
_DECLINE = re.compile(
    r"资料中?(?:并)?没有(?:提到|提及|给出|说明|相关|答案|关于)|没有(?:找到)?答案"
    r"|无法(?:回答|确定|得知)|未(?:提及|提到)"
    r"|no passage (?:answers|holds|says|mentions)"
    r"|passages? (?:do(?:es)? not|don't) (?:say|mention|contain|state)"
    r"|cannot be answered|(?:is|are|was|were) not (?:mentioned|stated|specified)\b"
    r"|not (?:mentioned|stated) in the (?:given |provided )?passages"
    r"|give no information|no information is given",
    re.I,
)


MAX_SENTENCES = 3  # of the verified ones, in the model's order: the prompt asks for one or two


class Sources(str):
    """A piece of the stream naming the passages the model says it answers from, before its
    answer (依据资料[1][3]：). The model writes its 编号 line first (module doc), and that line
    is the first thing it says: shown at once, a reader sees what is being read while the answer
    is still to come. A `str`, so a chat window appends it like any chunk; the final `Answer`
    replaces the whole draft."""


SOURCES_HEAD = {"zh": "依据资料", "en": "From passages "}
SOURCES_END = {"zh": "：", "en": ": "}


def numbers_so_far(raw: str, n_passages: int, *, done: bool = False) -> list[int]:
    """The passage numbers (1..n, full-width digits too) the 编号 line of a draft names, in order;
    while the draft is still being written (not `done`) a number counts once it is complete (a
    digit follows no further digit, or n < 10)."""
    m = _NUMBERS.search(raw)
    if m is None:
        return []
    text = m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    whole = done or m.end() < len(raw) or n_passages < 10  # a digit at the very end may go on
    out = []
    for d in re.finditer(r"[0-9]+", text):
        if d.end() == len(text) and not whole:
            break
        k = int(d.group())
        if 1 <= k <= n_passages and k not in out:
            out.append(k)
    return out


@dataclass(frozen=True)
class Draft:
    """What the model wrote, parsed: the passage numbers it named and its answer text."""

    raw: str
    numbers: tuple[int, ...]
    answer: str
    declined: bool


def parse(raw: str, n_passages: int) -> Draft:
    """The model's two lines -> `Draft`. Tolerant: a missing 编号 line, a missing 答案 label,
    full-width digits, numbers out of range (dropped)."""
    text = raw.strip()
    numbers = numbers_so_far(text, n_passages, done=True)
    m = _NUMBERS.search(text)
    if m is None:  # no 编号 line (English drafts often): the passages its sentences cite
        for d in re.findall(r"\[(\d+)\]", text):
            if 1 <= int(d) <= n_passages and int(d) not in numbers:
                numbers.append(int(d))
    a = _ANSWER.search(text)
    if a:
        answer = text[a.end() :]
    else:
        answer = text[m.end() :] if m else text
    answer = answer.strip()
    # Passage numbers and no answer (编号：1,2,3 and the draft ends) is not a decline: the model
    # pointed at passages and wrote nothing, so the extractive reader may quote one of them.
    # 编号：0 followed by an answer is not read as a decline: the packaged model writes it before
    # right answers too (seed 0.84 -> 0.65 when it was, RGB 241 -> 237 of 300; eval/README.md).
    declined = (
        bool(_DECLINE.search(answer))
        or (not answer and not numbers)
        or (m is not None and not numbers and not a)
    )
    return Draft(raw, tuple(numbers), answer, declined)


class LLMReader:
    """A chat model drafts, `Verifier` keeps what the cited passages state; see the module doc."""

    name = "llm"

    def __init__(
        self,
        settings: Settings,
        index: NewsIndex,
        *,
        fallback: Reader | None = None,
        chat: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.fallback = fallback
        self._chat = chat
        self._injected = chat is not None  # a chat model handed in (tests, evaluation) names itself
        self.verifier = Verifier(index)

    @property
    def model_name(self) -> str:
        """The model that drafts, in words (for the record and the UI)."""
        if self._injected:
            return str(getattr(self._chat, "model_name", None) or type(self._chat).__name__)
        from ._chat import describe

        return describe(self.settings)

    @property
    def chat(self) -> BaseChatModel:
        if self._chat is None:
            from ._chat import chat_model

            self._chat = chat_model(self.settings)
        return self._chat

    def warm(self) -> None:
        """Load the model and run its system prompts once. The first call compiles the model
        (seconds on a CPU) and leaves each system prompt in OpenVINO GenAI's prefix cache, so the
        first question a user asks costs what the later ones do. For a local model only: a
        server's warm-up would be a billed request."""
        for system in (SYSTEM_ZH, SYSTEM_EN):
            self.chat.invoke([("system", system), ("human", "资料：\n")], max_new_tokens=1)

    def shown(self, hits: list[Hit]) -> list[Hit]:
        """The hits the model reads: the first `settings.llm_passages` (numbered 1..n)."""
        return list(hits[: max(1, self.settings.llm_passages)])

    def prompt(self, question: str, hits: list[Hit]) -> list[tuple[str, str]]:
        """The chat messages for `question` over the hits the model reads (see `shown`)."""
        lang = facts.detect_language(question)
        return messages(question, self.shown(hits), lang, self.settings.llm_passage_chars)

    def request(self, question: str, hits: list[Hit]) -> list[tuple[str, str]]:
        """`prompt`, then the reply's start (an ``ai`` message) where the chat model continues one."""
        msgs = self.prompt(question, hits)
        lang = facts.detect_language(question)
        if lang == "zh" and getattr(type(self.chat), "CONTINUES_REPLY", False):
            msgs.append(("ai", REPLY_START))
        return msgs

    def draft(self, question: str, hits: list[Hit]) -> Iterator[str]:
        """The model's draft as it writes it: text pieces, the reply's start (`request`) first."""
        msgs = self.request(question, hits)
        if msgs[-1][0] == "ai":
            yield msgs[-1][1]
        for chunk in self.chat.stream(msgs):
            if isinstance(chunk.content, str) and chunk.content:
                yield chunk.content

    def condense(self, question: str, history: list[tuple[str, str]]) -> str | None:
        """A follow-up (那第二批呢？) made standalone by the model from the last turns, or None when
        its output is not one plausible question (the caller keeps the rule rewrite)."""
        turns = "\n".join(f"问：{q}\n答：{re.sub(_MARKER_RE, '', a)[:300]}" for q, a in history[-2:])
        out = self.chat.invoke(
            [("system", CONDENSE), ("human", f"对话：\n{turns}\n追问：{question}\n改写后的问题：")]
        )
        text = out.content if isinstance(out.content, str) else ""
        text = re.sub(
            r"^(?:改写后的问题|问题|Question)\s*[:：]\s*",
            "",
            text.strip().splitlines()[0] if text.strip() else "",
        )
        lang = facts.detect_language(question)
        if not text or len(text) > MAX_CONDENSED or facts.detect_language(text) != lang:
            return None
        return text

    def read(self, question: str, hits: list[Hit], *, standalone: str | None = None) -> Answer:
        answer: Answer | None = None
        for piece in self.stream(question, hits, standalone=standalone):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(
        self, question: str, hits: list[Hit], *, standalone: str | None = None
    ) -> Iterator[str | Answer]:
        """The model's draft as it writes it (text chunks), then the verified `Answer`."""
        q = standalone or question
        lang = facts.detect_language(q)
        rewritten = standalone if standalone and standalone != question else None
        if lang == "other" or not hits:
            yield Answer(question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten, self.name)
            return
        credit = self.credit(question, hits, standalone=standalone)
        if credit is not None:
            yield credit
            return
        raw = ""
        start: int | None = None  # where the answer line begins in the draft, once known
        shown = 0  # characters of the answer line already yielded
        named: list[int] = []  # passage numbers of the 编号 line already yielded
        n_read = len(self.shown(hits))
        for piece in self.draft(q, hits):
            raw += piece
            if start is None:
                if m := _ANSWER.search(raw):
                    start = m.end()
                elif len(raw.strip()) >= 8 and not _HEAD.match(raw):
                    start = len(raw) - len(raw.lstrip())  # no 编号 line, no label (English often)
                else:  # the 编号 line: each passage number as the model names it
                    for k in numbers_so_far(raw, n_read):
                        if k not in named:
                            yield Sources(f"{SOURCES_HEAD[lang] if not named else ''}[{k}]")
                            named.append(k)
                    continue
                if named:
                    yield Sources(SOURCES_END[lang])
            if shown == 0:  # the line's first words, not the space after its label
                start += len(raw[start:]) - len(raw[start:].lstrip())
            if len(raw) > start + shown:
                yield raw[start + shown :]
                shown = len(raw) - start
        yield self._verified(question, hits, raw, standalone)

    def credit(self, question: str, hits: list[Hit], *, standalone: str | None = None) -> Answer | None:
        """A byline question (谁拍的, who reported) answered from the article's byline by the
        extractive reader, before any model runs: the model reads passages, and a byline is not
        in one (on the seed page it declined all five such questions). None for other questions."""
        credit = getattr(self.fallback, "credit", None)
        got = credit(question, hits, standalone=standalone) if credit is not None else None
        if got is None:
            return None
        record = ({"credit": "byline", "reason": "a byline is metadata, not passage text"},)
        return replace(got, verification=record)

    def finish(self, question: str, hits: list[Hit], raw: str, *, standalone: str | None = None) -> Answer:
        """The model's raw output -> the verified `Answer` (public so evaluation can replay drafts).
        A byline question is answered from the byline, whatever the draft (see `credit`)."""
        credit = self.credit(question, hits, standalone=standalone)
        return credit if credit is not None else self._verified(question, hits, raw, standalone)

    def _verified(self, question: str, hits: list[Hit], raw: str, standalone: str | None) -> Answer:
        q = standalone or question
        lang = facts.detect_language(q)
        rewritten = standalone if standalone and standalone != question else None
        read = self.shown(hits)  # the model's [n] numbers the hits it read
        draft = parse(raw, len(read))
        record: list[dict[str, Any]] = [
            {
                "model": self.model_name,
                "draft": raw,
                "numbers": list(draft.numbers),
                "declined": draft.declined,
            }
        ]
        kept = [] if draft.declined else self.verifier.verify(q, draft, read, lang, record)
        kept = kept[:MAX_SENTENCES]  # a small model that starts copying passages does not stop
        if kept:
            text, citations = compose(kept, lang)
            # `cites` numbers the passages as the model read them; the answer's own [n] number
            # its citations: say which those are, so a script can follow one to the other.
            number = {(c.article_id, c.field, c.start, c.end): c.n for c in citations}
            for row, k in zip((r for r in record if r.get("kept")), kept, strict=False):
                row["cited_as"] = sorted({number[(u.unit.article.id, u.field, *u.span)] for u in k.units})
            return Answer(
                question, text, False, citations, tuple(hits), lang, rewritten, self.name, tuple(record)
            )
        policy = self.settings.llm_fallback
        # The model's "no answer" stands unless it named passages while writing it (编号：1,2 then
        # 资料中没有答案, on list questions): then the extractive quote from one of them may answer.
        # English questions included: the packaged model declines some English questions its
        # passages answer, but the extractive reader put in its place answered two of five such
        # questions in trial t22 wrongly (a count of hours for a count of pumping stations;
        # eval/README.md, "Readers, eighth look").
        trusted_decline = draft.declined and not draft.numbers
        if self.fallback is not None and policy != "never" and not (policy == "agree" and trusted_decline):
            # Nothing the model wrote was verified: the extractive reader's verified quote stands
            # ("always"), or only if it quotes a passage the model pointed at ("agree").
            alt = self.fallback.read(question, hits, standalone=standalone)
            cited = {read[k - 1].passage.article_id for k in draft.numbers}
            agrees = any(c.article_id in cited for c in alt.citations)
            # ...and says what the model said, when the model's answer has a value or a name: a quote
            # from the model's passage that holds none of them answers something else.
            same = None if draft.declined else same_answer(draft.answer, q, alt.answer)
            agrees = agrees and same is not False
            # ...and gives what was asked (a place for 在哪里), as the model's own sentences must.
            want = asked_kind(q) if lang != "en" else None
            answers = want is None or any(gives(c.quote, want, q) for c in alt.citations)
            # ...and about the thing the question names by number (211路, not the 205路 before it).
            answers = answers and prints_numbered_names(q, alt.citations, self.index.get_article)
            # ...and, for a place of a contest (冠军), quotes one won, as a bare name must.
            answers = answers and not any(
                unranked(q, c.quote) or other_rank(q, c.quote) for c in alt.citations
            )
            # ...and, for a credit of a work (导演), quotes someone credited with it.
            quotes = [c.quote for c in alt.citations]
            answers = answers and credited_otherwise(q, alt.answer, quotes, every=False) is None
            if not alt.refused and answers and (policy == "always" or agrees):
                why = "agrees with the model's passage" if agrees else "nothing the model wrote was verified"
                record.append({"fallback": "extractive", "reason": why})
                return Answer(
                    question,
                    alt.answer,
                    False,
                    alt.citations,
                    tuple(hits),
                    lang,
                    rewritten,
                    alt.reader,
                    tuple(record),
                )
            record.append({"fallback": "refused", "reason": "no verified sentence"})
        return Answer(
            question, REFUSAL[lang], True, (), tuple(hits), lang, rewritten, self.name, tuple(record)
        )
