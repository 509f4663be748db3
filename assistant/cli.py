"""`python -m assistant …`: the command line. Environment variables are read here, nowhere deeper."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import RUNTIME_CHOICES, Settings
from .errors import AssistantError, InputError

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        index_dir=args.index,
        embed_model=getattr(args, "model", None),
        embed_runtime=getattr(args, "runtime", None),
        chroma_host=getattr(args, "chroma_host", None),
        chroma_port=getattr(args, "chroma_port", None),
        reader=getattr(args, "reader", None),
        llm_base_url=getattr(args, "llm_base_url", None),
        llm_model=getattr(args, "llm_model", None),
    )


def _report_problems(problems: Sequence[InputError]) -> None:
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)


def cmd_parse(args: argparse.Namespace) -> int:
    from ._load_corpus import load_paths

    result = load_paths([Path(p) for p in args.files])
    _report_problems(result.problems)
    if args.json:
        print(_dump([a.to_json() for a in result.articles]))
    else:
        for a in result.articles:
            by = f"  {a.byline}" if a.byline else ""
            print(f"[{a.kind}] {a.headline}{by}\n  id {a.id} · {len(a.text)} characters · {a.source or '-'}")
    return 1 if result.problems and not result.articles else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Exit 0 when every path given gave articles; 1 when a path was missing, empty, held no
    supported file or nothing readable (the other paths are still ingested); line-level
    problems (a bad JSONL line) are warnings."""
    from ._index import NewsIndex
    from ._ingest import complete_files
    from ._load_corpus import load_paths

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [DEFAULT_CORPUS]
    result = load_paths(paths)
    missing = {str(p) for p in paths if not p.exists()}  # said once, below, with what it means
    _report_problems([p for p in result.problems if p.path not in missing])
    for kept, dropped in result.duplicates:
        print(f"note: {dropped} is the same article as {kept}; kept once", file=sys.stderr)
    empty = _paths_without_articles(paths, result)
    for line in empty:
        print(f"warning: {line}", file=sys.stderr)
    index = NewsIndex(settings)
    progress = _progress_bar() if sys.stderr.isatty() or args.progress else None
    report = index.ingest(
        result.articles, progress=progress, whole_files=complete_files(result.files, result.problems)
    )
    for line in report.problems:
        print(f"warning: {line}", file=sys.stderr)
    if args.json:
        problems = [str(p) for p in result.problems] + list(report.problems) + empty
        print(_dump({**report.to_json(), "problems": problems}))
    else:
        print(
            f"{report.articles_new} new, {report.articles_replaced} replaced, "
            f"{report.articles_unchanged} unchanged, {report.articles_removed} removed articles"
            + (
                f", {report.articles_aliased} already stored under another id"
                if report.articles_aliased
                else ""
            )
            + f"; {report.passages_embedded} passages embedded, {report.passages_total} in the index "
            f"({index._where()})"
        )
        for what, items in (("replaced", report.replaced), ("removed", report.removed)):
            for item in items:
                print(f"  {what}: {item}")
    return 1 if empty else 0


def _paths_without_articles(paths: Sequence[Path], result: Any) -> list[str]:
    """One line per path given that yielded no article: missing, empty, unsupported or unreadable."""
    from ._load_corpus import iter_files

    got = {str(a.path).rsplit(":", 1)[0] for a in result.articles} | {str(a.path) for a in result.articles}
    got |= {d.split(" (")[0].rsplit(":", 1)[0] for _, d in result.duplicates}
    lines = []
    for path in paths:
        files = [str(f) for f in iter_files([path])] if path.exists() else []
        if not path.exists():
            lines.append(f"{path}: no such file or folder; nothing ingested from it")
        elif path.is_dir() and not files:
            others = sorted(p.name for p in path.rglob("*") if p.is_file())
            seen = f" (ignored: {', '.join(others[:5])}{' …' if len(others) > 5 else ''})" if others else ""
            lines.append(f"{path}: no file this tool reads in this folder{seen}; nothing ingested from it")
        elif not any(f in got for f in files):
            lines.append(f"{path}: no article could be read from it (see the warnings above)")
    return lines


def _progress_bar() -> Any:
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, unit="passage", desc="embedding", file=sys.stderr)
        bar["bar"].n = done
        bar["bar"].refresh()
        if done >= total:
            bar["bar"].close()

    return update


def cmd_remove(args: argparse.Namespace) -> int:
    from ._index import NewsIndex

    n = NewsIndex(_settings(args)).remove(args.article_ids)
    print(f"removed {n} article(s)")
    return 0 if n else 1


def cmd_verify(args: argparse.Namespace) -> int:
    """Exit 0 when the index is whole (after --repair: when the repair made it whole), else 1."""
    from ._verify import verify

    settings = _settings(args)
    index = _ready_index(settings, preload=False)  # verify reads stored vectors; --repair loads the model
    report = verify(index, repair=args.repair, self_retrieval=not args.no_self_retrieval)
    data = report.to_json()
    if args.json:
        print(_dump(data))
    else:
        print(
            f"{'OK' if report.ok else 'PROBLEMS'}: {data['articles']} articles, {data['passages']} passages "
            f"({data['passages_listed']} listed by articles), BM25 {data['bm25_documents']} "
            f"({'in step' if report.bm25_in_step else 'OUT OF STEP'}); orphans {data['orphan_passages']}, "
            f"missing {data['missing_passages']}, without vector {data['passages_without_vector']}; "
            f"self-retrieval {data['self_retrieval']:.4f} of {data['self_retrieval_checked']}"
        )
        if report.repaired:
            print(f"repaired: {report.repaired}")
        if not report.ok and not args.repair:
            print("run `python -m assistant verify --repair` to fix it", file=sys.stderr)
    return 0 if report.ok else 1


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


def _preload_embedder(settings: Settings) -> None:
    """Load the embedding model in the background while the rest imports (CLI start time)."""
    from ._embed import get_embedder

    try:
        get_embedder(settings).preload()
    except AssistantError:
        pass  # e.g. an unknown model: the first real use reports it


def _ready_index(settings: Settings, preload: bool = True) -> Any:
    """The index, or IndexMissingError before anything is searched (and before the model loads).

    With `preload`, the embedding model starts loading in the background as soon as the index
    is known to hold something, overlapping the imports and BM25 load still to come."""
    from ._index import NewsIndex
    from .errors import IndexMissingError

    if not settings.chroma_host and not Path(settings.index_dir).is_dir():
        # a mistyped --index must not leave an empty index folder behind (a new user's did)
        raise IndexMissingError(str(settings.index_dir))
    index = NewsIndex(settings)
    if index.count() == 0:
        raise IndexMissingError(str(settings.index_dir))
    if preload:
        _preload_embedder(settings)
    return index


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
                print(f"{start}{done}{of} lines written to {out}", end=end, file=sys.stderr, flush=True)
    finally:
        if out:
            stream.close()
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


def cmd_info(args: argparse.Namespace) -> int:
    from ._calibrate import report

    info = report(_settings(args), recalibrate=args.recalibrate)
    if args.json:
        print(_dump(info))
        return 0
    cpu = info["cpu"]
    print(f"CPU: {cpu['model']}, {cpu['threads']} threads")
    print(f"  flags that pick kernels: {' '.join(cpu['key_flags']) or 'none of note'}")
    print(f"embedding model: {info['embed_model']}; runtime: {info['runtime']} ({info['how']})")
    if cal := info.get("calibration"):
        print(f"  calibrated {cal['measured_at']} in {cal['seconds']:.1f} s; passages/s on this machine:")
        for runtime, speed in sorted(cal["speeds"].items(), key=lambda kv: -kv[1]):
            mark = "  <- chosen" if runtime == cal["chosen"] else ""
            print(f"    {runtime:<10} {speed:7.1f}{mark}")
        for runtime, error in cal["errors"].items():
            print(f"    {runtime:<10} not available: {error}")
        print(f"  cached in {info['calibration_file']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Ask the local-news archive.")
    parser.add_argument("--index", type=Path, default=None, help="where the index lives (default ./.index)")
    parser.add_argument(
        "--model",
        default=None,
        help="embedding model: e5-small-packaged (default) or a sentence-transformers id/path",
    )
    parser.add_argument(
        "--runtime",
        default=None,
        choices=RUNTIME_CHOICES,
        help="embedding runtime (default auto: the fastest measured on this machine; see `info`)",
    )
    parser.add_argument(
        "--chroma-host", default=None, help="use a Chroma server instead of the embedded index"
    )
    parser.add_argument("--chroma-port", type=int, default=None)
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
