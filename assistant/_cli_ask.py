"""The subcommands that ask the index: `search` (ranked passages), `ask` (a cited answer or a
refusal), `batch` (JSON lines of questions) and `check` (a claim's verdict), with what they
share: the reference day of a question's time words (`--as-of`), JSON-lines input and
output, and the note when a filter left nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ._cli_common import _dump, _ready_index, _settings
from .errors import InputError


def cmd_search(args: argparse.Namespace) -> int:
    from ._search import Filters, Searcher

    settings = _settings(args)
    index = _ready_index(settings)
    filters = Filters.make(args.date_from, args.date_to, args.source, _as_of(args))
    searcher = Searcher(index)
    hits, note = searcher.search_with_note(args.query, args.k, filters, mode=args.mode)
    if not hits and filters.active:
        _say_filter_left_nothing(searcher, args.query, filters)
    if note:
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        print(
            _dump(
                {"query": args.query, "hits": [h.to_json() for h in hits], **({"note": note} if note else {})}
            )
        )
    else:
        for i, h in enumerate(hits, start=1):
            p = h.passage
            print(f"{i}. [{h.score:.4f}] {p.title} ({p.date or '日期不详'})  {p.id}\n   {p.text[:160]}")
    return 0


def _say_filter_left_nothing(searcher: Any, query: str, filters: Any) -> None:
    """A filter that removed every hit is named, with what the archive holds without it."""
    unfiltered = searcher.search(query, 5)
    print(
        f"note: nothing matches {filters.describe()}; without the filter {len(unfiltered)} passage(s) "
        "match. Articles of unknown date are left out by any date filter.",
        file=sys.stderr,
    )


def _lines(path: str) -> list[str]:
    if path == "-":
        return sys.stdin.read().splitlines()
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        reason = f"{e.__class__.__name__}: {e}"
        raise InputError(f"cannot read it ({reason}); give a UTF-8 JSON-lines file", path=path) from e


def _write_lines(records: Any, out: str | None, total: int | None = None) -> int:
    """One JSON object a line, to --out or stdout, written as they come (a long batch shows progress).
    With --out, a count goes to stderr as lines finish: an LLM batch takes seconds a line, and
    nothing else would say it is running."""
    errors = 0
    tally: dict[str, int] = {}  # verdicts (check) or answered / refused (batch), for the summary
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout
    of = f"/{total}" if total else ""
    try:
        for done, rec in enumerate(records, start=1):
            errors += "error" in rec
            kind = (
                "error"
                if "error" in rec
                else rec.get("verdict") or ("refused" if rec.get("refused") else "answered")
            )
            tally[kind] = tally.get(kind, 0) + 1
            stream.write(json.dumps(rec, ensure_ascii=False) + "\n")
            stream.flush()
            if out and (sys.stderr.isatty() or done % 10 == 0 or done == total):
                tty = sys.stderr.isatty()  # a log file gets plain lines, a terminal one line redrawn
                end = "" if tty and done != total else "\n"
                start = "\r" if tty else ""
                # "so far" while the count of all is unknown: a reporter read "10 lines written"
                # then "16 lines in …" as two answers
                more = " so far" if not total and not tty else ""
                print(f"{start}{done}{of} lines written{more} to {out}", end=end, file=sys.stderr, flush=True)
    finally:
        if out:
            stream.close()
        if out and sys.stderr.isatty() and not total:
            print(file=sys.stderr)  # end the redrawn progress line before the tally
    if out and tally:  # what a reporter reads first: how many were supported, refused…
        counts = ", ".join(f"{n} {k}" for k, n in sorted(tally.items(), key=lambda x: -x[1]))
        print(f"{sum(tally.values())} lines in {out}: {counts}", file=sys.stderr)
    if errors:
        print(f"note: {errors} line(s) could not be answered; see their error objects", file=sys.stderr)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from ._answer import Assistant
    from ._search import Filters
    from ._when import note_for

    settings = _settings(args)
    filters = Filters.make(args.date_from, args.date_to, args.source, _as_of(args))
    index = _ready_index(settings)
    answer = Assistant(settings, index).ask(args.question, filters=filters, k=args.k)
    if answer.refused and filters.active and not answer.hits:
        from ._search import Searcher

        _say_filter_left_nothing(Searcher(index), args.question, filters)
    if note := note_for(answer.rewritten_question or args.question, filters, list(answer.hits)):
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        print(_dump(answer.to_json()))
        return 0
    print(answer.answer)
    for c in answer.citations:
        part = "" if c.field == "text" else c.field
        where = f"{c.article_id} {part}[{c.start}:{c.end}]"
        print(f"  [{c.n}] {c.named()} {c.date or '日期不详'} {c.source} · {where}\n      “{c.quote}”")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from ._answer import Assistant, answer_batch

    settings = _settings(args)
    lines = _lines(args.input)
    assistant = Assistant(settings, _ready_index(settings))  # the model loads once, for every line
    total = sum(1 for line in lines if line.strip())
    dated = _AsOf(assistant, _as_of(args))
    return _write_lines(answer_batch(dated, lines, dated.note), args.out, total)


class _AsOf:
    """The assistant with every line's question times read against one reference day."""

    def __init__(self, assistant: Any, as_of: str) -> None:
        self.assistant, self.as_of = assistant, as_of

    def dated(self, filters: Any) -> Any:
        from dataclasses import replace

        from ._search import Filters

        filters = filters or Filters()
        return replace(filters, as_of=filters.as_of or self.as_of)

    def ask(self, question: str, filters: Any = None, **kw: Any) -> Any:
        return self.assistant.ask(question, filters=self.dated(filters), **kw)

    def note(self, question: str, filters: Any, answer: Any) -> str | None:
        """What `ask` prints beside this answer (a question's time no hit is dated in), or None."""
        from ._when import note_for

        return note_for(answer.rewritten_question or question, self.dated(filters), list(answer.hits))


def _as_of(args: argparse.Namespace) -> str:
    """The reference day for a question's own time words: --as-of, else today."""
    import datetime

    from ._search import parse_day

    return parse_day(args.as_of, "--as-of") if args.as_of else datetime.date.today().isoformat()


def cmd_check(args: argparse.Namespace) -> int:
    try:
        from ._check import check_batch, check_claim
    except ImportError as e:  # the fact checker ships separately; everything else still works
        raise InputError(f"fact checking is not available in this build ({e})") from e
    from ._search import Filters, Searcher

    settings = _settings(args)
    if args.batch:
        lines = _lines(args.batch)
        searcher = Searcher(_ready_index(settings))
        return _write_lines(check_batch(searcher, lines, settings), args.out)
    if not args.claim:
        raise InputError("give a CLAIM to check, or --batch FILE.jsonl")
    filters = Filters.make(args.date_from, args.date_to, args.source)
    result = check_claim(Searcher(_ready_index(settings)), args.claim, settings, filters)
    if args.json:
        print(_dump(result.to_json()))
        return 0
    print(f"{result.verdict}: {result.explanation}")
    for c in result.citations:
        date = c.date or "日期不详"
        print(f"  [{c.n}] {c.named()} {date} · {c.article_id} [{c.start}:{c.end}]\n      “{c.quote}”")
    return 0
