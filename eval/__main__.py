"""`python -m eval [SETUP …] [--quick]` and `python -m eval check [--quick]`.

With no setup named, this is the full run: every setup, then the report
(eval/report/REPORT.md with plots) and a row in eval/REPRODUCTION.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FULL = ("seed", "claims", "rgb-retrieval", "rgb-answers")


def _log(msg: str) -> None:
    print(msg, flush=True)


def _settings(args: argparse.Namespace) -> Any:
    from assistant.config import Settings

    return Settings.from_env(
        embed_model=args.model,
        embed_runtime=args.runtime,
        bm25_weight=args.bm25_weight,
        rrf_k=args.rrf_k,
        prf_docs=args.prf_docs,
        prf_weight=args.prf_weight,
        prf_margin=args.prf_margin,
        prf_cohesion=args.prf_cohesion,
    )


def _summary(results: dict[str, Any]) -> None:
    _log("\n== summary")
    for name, res in results.items():
        if "skipped" in res:
            _log(f"{name}: skipped ({res['skipped']})")
            continue
        _log(f"{name} ({res.get('seconds', '?')} s):")
        for k, v in res["metrics"].items():
            _log(f"  {k:<40} {v}")


def main(argv: list[str] | None = None) -> int:
    from assistant.config import RUNTIMES

    from ._setups import SETUPS

    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "setups",
        nargs="*",
        metavar="SETUP",
        help=f"one or more of: {', '.join(SETUPS)}, all (default: all, with report), or `check`",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a small subset of each set (seconds, not minutes)"
    )
    parser.add_argument("--only", nargs="*", help="check: only these regressions (names or setups)")
    parser.add_argument("--model", help="embedding model (default: the packaged multilingual-e5-small)")
    parser.add_argument("--runtime", choices=RUNTIMES, help="embedding runtime")
    parser.add_argument("--bm25-weight", type=float, help="fusion weight of BM25 (dense weight is 1)")
    parser.add_argument("--rrf-k", type=int, help="RRF constant k")
    parser.add_argument("--prf-docs", type=int, help="dense feedback: passages averaged (0: off)")
    parser.add_argument("--prf-weight", type=float, help="dense feedback: weight of their mean")
    parser.add_argument("--prf-margin", type=float, help="dense feedback: cosine margin to the best")
    parser.add_argument("--prf-cohesion", type=float, help="dense feedback: least agreement of the hits")
    parser.add_argument("--grid-weights", type=float, nargs="+", help="rgb-retrieval: BM25 weights to try")
    parser.add_argument("--grid-rrf-ks", type=int, nargs="+", help="rgb-retrieval: RRF constants to try")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument(
        "--report", action="store_true", help="write the report and log row even for a partial run"
    )
    args = parser.parse_args(argv)

    from assistant.errors import AssistantError

    try:
        if args.setups[:1] == ["check"]:
            return _check(args)
        names = [n for n in args.setups if n != "all"] or list(FULL)
        unknown = [n for n in names if n not in SETUPS]
        if unknown:
            parser.error(f"unknown setup {', '.join(unknown)}; choose from {', '.join(SETUPS)}, all, check")
        return _run(args, names, full=not [n for n in args.setups if n != "all"])
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, names: list[str], full: bool) -> int:
    from . import _report
    from ._setups import Context, run

    settings = _settings(args)
    ctx = Context(settings, quick=args.quick, log=_log)
    if args.grid_weights:
        ctx.grid_weights = tuple(args.grid_weights)
    if args.grid_rrf_ks:
        ctx.grid_rrf_ks = tuple(args.grid_rrf_ks)
    results = run(names, ctx)
    _summary(results)
    command = "python -m eval " + " ".join(
        sys.argv[1:] if sys.argv and sys.argv[0].endswith("__main__.py") else []
    )
    meta = _report.meta_for(settings, command.strip())
    if args.json:
        args.json.write_text(
            json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=1), "utf-8"
        )
    if (full and not args.quick) or args.report:
        path = _report.write_report(results, meta)
        row = _report.append_reproduction(results, meta)
        _log(f"\nreport: {path}\nreproduction log row:\n{row}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from ._regressions import check
    from ._setups import Context

    settings = _settings(args)
    outcomes = check(lambda quick: Context(settings, quick=quick, log=_log), quick=args.quick, only=args.only)
    fails = [o for o in outcomes if o.status == "FAIL"]
    skips = [o for o in outcomes if o.status == "SKIP"]
    _log(f"\n{len(outcomes) - len(fails) - len(skips)} OK, {len(fails)} FAIL, {len(skips)} SKIP")
    if not outcomes:
        _log("no regression matched: see eval/regressions.yaml")
        return 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
