"""The subcommands that build and look after the index: `parse` (files -> articles, printed),
`ingest`, `remove`, `verify` (with `--repair`), and `info` (the CPU and the embedding runtime
that ingest and search run on).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._cli_common import _dump, _ready_index, _report_problems, _settings

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


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
