"""`python -m assistant …`: the command line, its flags and subcommands, and how errors become
exit codes. Environment variables are read by the command line (`_cli_common._settings`),
nowhere deeper.

The subcommands live by what they do: `_cli_archive` (parse, ingest, remove, verify, info:
building and looking after the index) and `_cli_ask` (search, ask, batch, check: asking it);
what they share is in `_cli_common`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ._cli_archive import cmd_info, cmd_ingest, cmd_parse, cmd_remove, cmd_verify
from ._cli_ask import cmd_ask, cmd_batch, cmd_check, cmd_search
from .config import RUNTIME_CHOICES
from .errors import AssistantError


def _add_globals(p: argparse.ArgumentParser, default: object) -> None:
    """The options every command shares. The top-level parser holds their defaults; each command
    takes them too with `default` SUPPRESS, so `check --index DIR …` works as `--index DIR check
    …` does (a reporter put it after the command and got a usage dump)."""
    p.add_argument("--index", type=Path, default=default, help="where the index lives (default ./.index)")
    p.add_argument(
        "--model",
        default=default,
        help="embedding model: e5-small-packaged (default) or a sentence-transformers id/path",
    )
    p.add_argument(
        "--runtime",
        default=default,
        choices=RUNTIME_CHOICES,
        help="embedding runtime (default auto: the fastest measured on this machine; see `info`)",
    )
    p.add_argument("--chroma-host", default=default, help="use a Chroma server instead of the embedded index")
    p.add_argument("--chroma-port", type=int, default=default)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Ask the local-news archive.")
    _add_globals(parser, None)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse pages / article files and print the articles")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("ingest", help="add articles to the index (default: corpus/)")
    p.add_argument("paths", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--progress", action="store_true", help="show a progress bar even when not on a terminal")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", help="remove articles (and their passages) from the index")
    p.add_argument("article_ids", nargs="+")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("verify", help="check the index is whole and every passage findable (--repair)")
    p.add_argument("--repair", action="store_true", help="fix what the check finds")
    p.add_argument("--no-self-retrieval", action="store_true", help="skip the (slower) dense check")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("search", help="ranked passages for a query")
    p.add_argument("query")
    p.add_argument("--k", type=_positive_int, default=5, help="hits to return (>= 1)")
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid")
    _add_filters(p)
    _add_as_of(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question with cited quotes (or refuse)")
    p.add_argument("question")
    p.add_argument("--k", type=_positive_int, default=None, help="passages retrieved (>= 1, default 5)")
    _add_filters(p)
    _add_as_of(p)
    _add_reader(p)
    p.add_argument("--json", action="store_true", help="print the answer object as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("batch", help='answer JSON lines {"id", "question"}; one answer object a line')
    p.add_argument("input", nargs="?", default="-", help="a .jsonl file, or - for stdin (the default)")
    p.add_argument("--out", default=None, help="write the answers here (default stdout)")
    _add_as_of(p)
    _add_reader(p)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("check", help="check a claim: supported, contradicted or not_found")
    p.add_argument("claim", nargs="?")
    p.add_argument("--batch", default=None, help='JSON lines {"id", "claim"} to check, or - for stdin')
    p.add_argument("--out", default=None, help="with --batch: write the results here (default stdout)")
    _add_filters(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("info", help="the CPU seen, the embedding runtime chosen and the speeds measured")
    p.add_argument("--recalibrate", action="store_true", help="measure the runtimes again")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    for command in sub.choices.values():
        _add_globals(command, argparse.SUPPRESS)
    return parser


def _positive_int(value: str) -> int:
    """argparse type for --k: a whole number >= 1 (0 used to mean "the default", -1 "all but one")."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number; give 1 or more") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} is too small; give 1 or more")
    return n


def _add_reader(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--reader",
        choices=["extractive", "llm"],
        default=None,
        help="who writes the answer: extractive quotes, or a language model whose sentences are verified",
    )
    p.add_argument(
        "--llm-base-url",
        default=None,
        help="an OpenAI-compatible server (Ollama, vLLM, llama.cpp) instead of the packaged model; "
        "key from ASSISTANT_LLM_API_KEY or OPENAI_API_KEY",
    )
    p.add_argument("--llm-model", default=None, help="the model name on that server, or a local .gguf file")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", default=None, help="earliest date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", default=None, help="latest date, YYYY-MM-DD")
    p.add_argument("--source", default=None, help="only these sources, comma-separated")


def _add_as_of(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        dest="as_of",
        default=None,
        help="the day the question's 昨天/上周/去年 are read against, YYYY-MM-DD (default today)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "interrupted: the index keeps what was finished; run the same command again to complete it",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:
        # The reader of our output stopped (`… --json | head`): not an error of ours. Point
        # stdout at devnull so the interpreter's final flush does not raise again (Python
        # docs, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    finally:
        if "assistant._embed" in sys.modules:
            from ._embed import wait_preloads

            wait_preloads()
