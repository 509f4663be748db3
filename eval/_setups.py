"""The setups `python -m eval` can run, each returning a JSON-friendly result.

A result has `metrics` (the flat numbers the regression file pins and the report
shows) beside the details (per-question rows, ranks for the plots).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import Settings

from . import _rgb, _seed
from ._rgb import SetupSkipped

Log = Callable[[str], None]

# Quick subsets: a handful of questions over every item of the page, and claims of
# every verdict, so the test suite can re-measure them in seconds.
QUICK_QUESTIONS = (
    "q001",
    "q002",
    "q005",
    "q012",
    "q020",
    "q023",
    "q030",
    "q033",
    "q040",
    "q043",
    "q050",
    "q053",
    "q060",
    "q063",
    "q070",
    "q072",
    "q080",
    "q083",
    "q086",
    "q090",
)
QUICK_CLAIMS = ("c001", "c002", "c005", "c010", "c015", "c020", "c025", "c030")
QUICK_RGB = 50


@dataclass
class Context:
    settings: Settings
    quick: bool = False
    log: Log = print
    index_root: Path | None = None  # where seed indexes live (default: the user cache)
    cache: dict[str, Any] = field(default_factory=dict)  # indexes shared between setups
    grid_weights: tuple[float, ...] = _rgb.DEFAULT_WEIGHTS  # RGB fusion grid: BM25 weights
    grid_rrf_ks: tuple[int, ...] = _rgb.DEFAULT_RRF_KS  # and RRF constants


SETUPS: dict[str, Callable[[Context], dict[str, Any]]] = {}


def setup(name: str) -> Callable[[Callable[[Context], dict[str, Any]]], Callable[[Context], dict[str, Any]]]:
    def register(fn: Callable[[Context], dict[str, Any]]) -> Callable[[Context], dict[str, Any]]:
        SETUPS[name] = fn
        return fn

    return register


def _seed_index(ctx: Context) -> Any:
    if "seed" not in ctx.cache:
        ctx.cache["seed"] = _seed.open_seed_index(ctx.settings, index_root=ctx.index_root)
    return ctx.cache["seed"]


def _questions(ctx: Context) -> list[_seed.Question]:
    return _seed.load_questions(ids=QUICK_QUESTIONS if ctx.quick else None)


@setup("seed-retrieval")
def seed_retrieval(ctx: Context) -> dict[str, Any]:
    index = _seed_index(ctx)
    res = _seed.run_retrieval(_questions(ctx), index, _seed.load_corpus(), log=ctx.log)
    metrics = {
        f"{mode}.{k}": v for mode, r in res.items() for k, v in r.items() if k.startswith(("hit@", "mrr"))
    }
    metrics["hybrid.latency_p50_ms"] = res["hybrid"]["latency_p50_ms"]
    return {"metrics": metrics, "retrieval": res}


def _assistant(ctx: Context) -> Any:
    if "assistant" not in ctx.cache:
        try:
            from assistant._answer import Assistant
        except ImportError as e:
            raise SetupSkipped(f"the answerer is not available (assistant._answer: {e})") from e
        index = _seed_index(ctx)
        ctx.cache["assistant"] = Assistant(index.settings, index=index)
    return ctx.cache["assistant"]


@setup("seed")
def seed(ctx: Context) -> dict[str, Any]:
    """Retrieval, then the assistant's answers through its JSON (Answer.to_json())."""
    out = seed_retrieval(ctx)
    assistant = _assistant(ctx)
    res = _seed.run_answers(_questions(ctx), lambda q: assistant.ask(q).to_json(), log=ctx.log)
    keys = (
        "answer_accuracy",
        "citation_precision",
        "refusal_rate_unanswerable",
        "wrong_refusal_rate",
        "latency_p50_ms",
        "latency_p95_ms",
    )
    out["metrics"].update({f"answers.{k}": res[k] for k in keys})
    out["answers"] = res
    return out


@setup("claims")
def claims(ctx: Context) -> dict[str, Any]:
    try:
        from assistant._check import check_claim
        from assistant._search import Searcher
    except ImportError as e:
        raise SetupSkipped(f"the fact-checker is not available (assistant._check: {e})") from e
    index = _seed_index(ctx)
    searcher = Searcher(index)
    items = _seed.load_claims(ids=QUICK_CLAIMS if ctx.quick else None)
    res = _seed.run_claims(items, lambda c: check_claim(searcher, c, index.settings).to_json(), log=ctx.log)
    metrics = {"verdict_accuracy": res["verdict_accuracy"], "latency_p50_ms": res["latency_p50_ms"]}
    metrics.update({f"recall.{k}": v for k, v in res["recall_per_verdict"].items()})
    return {"metrics": metrics, "claims": res}


def _rgb_data(ctx: Context) -> tuple[_rgb.RgbData, Any]:
    if "rgb" not in ctx.cache:
        data = _rgb.load_rgb(limit=QUICK_RGB if ctx.quick else None)
        ctx.cache["rgb"] = (data, _rgb.open_index(data, ctx.settings, log=ctx.log))
    return ctx.cache["rgb"]


@setup("rgb-retrieval")
def rgb_retrieval(ctx: Context) -> dict[str, Any]:
    data, index = _rgb_data(ctx)
    grid = _rgb.retrievers(ctx.grid_weights, ctx.grid_rrf_ks, default=ctx.settings)
    if ctx.quick:
        grid = [
            r
            for r in grid
            if r.mode != "hybrid"
            or (r.bm25_weight, r.rrf_k) == (ctx.settings.bm25_weight, ctx.settings.rrf_k)
        ]
    ctx.log(f"  {len(data.queries)} queries over {len(data.articles)} pooled passages")
    res = _rgb.run_retrieval(data, index, grid, log=ctx.log)
    default = next(
        n
        for n, r in res.items()
        if r["mode"] == "hybrid"
        and (r["bm25_weight"], r["rrf_k"]) == (ctx.settings.bm25_weight, ctx.settings.rrf_k)
    )
    best = _rgb.best_fusion(res)
    metrics: dict[str, Any] = {}
    shown = [("dense", "dense"), ("dense+prf", "dense+prf"), ("bm25", "bm25")]
    shown += [("default", default), ("best", best)]
    for label, name in shown:
        if name not in res:
            continue  # feedback switched off: no dense+prf row
        metrics.update({f"{label}.{k}": res[name][k] for k in ("hit@1", "hit@5", "mrr@10")})
    ctx.log(f"  default = {default}; best fusion = {best}")
    return {
        "metrics": metrics,
        "retrieval": res,
        "default": default,
        "best": best,
        "queries": len(data.queries),
    }


@setup("grounding")
def grounding(ctx: Context) -> dict[str, Any]:
    """The held-out grounding set (tests/data/grounding): claims and questions per kind of fault,
    split dev (rules were tuned on it) / heldout (never looked at while tuning)."""
    import tempfile

    from . import grounding_heldout as gh

    with tempfile.TemporaryDirectory() as tmp:
        outcomes = gh.run(
            gh.build_assistant(Path(tmp) / "index"),
            gh.load_records("claims.jsonl"),
            gh.load_records("questions.jsonl"),
        )
    ctx.log(gh.table(outcomes))
    metrics: dict[str, float] = {}
    for split in gh.SPLITS:
        for name, keep in (("all", None), ("traps", False), ("controls", True)):
            rows = [o for o in outcomes if o.split == split and (keep is None or o.control == keep)]
            metrics[f"{split}.{name}"] = round(sum(o.passed for o in rows) / len(rows), 4) if rows else 0.0
    return {"metrics": metrics, "outcomes": [o.__dict__ for o in outcomes]}


def _perturbation(ctx: Context, seed: int) -> dict[str, Any]:
    """`eval/perturb_claims.py --seed N` in a child process (it loads the 63k-article CRUD
    collection); its index and results stay in the user cache, so a rerun embeds nothing."""
    import json
    import os
    import subprocess
    import sys

    script = Path(__file__).resolve().parent / "perturb_claims.py"
    crud = script.parent.parent.parent / "shared" / "data" / "crud-news" / "crud_news.jsonl.gz"
    if not crud.is_file():
        raise SetupSkipped(f"{crud} is missing (../shared/data/crud-news)")
    env = {**os.environ, "ASSISTANT_EMBED_RUNTIME": ctx.settings.embed_runtime}
    cmd = [sys.executable, str(script), "--seed", str(seed)]
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise RuntimeError(f"perturb_claims.py --seed {seed} failed:\n{run.stderr[-2000:]}")
    ctx.log(run.stdout)
    out = Path(run.stdout.strip().splitlines()[-1].removeprefix("wrote "))
    result = json.loads(out.read_text(encoding="utf-8"))
    keep = ("false_supported_rate", "true_supported", "number_contradicted", "accuracy")
    return {"metrics": {k: result["metrics"][k] for k in keep}, "confusion": result["confusion"]}


@setup("perturb-dev")
def perturb_dev(ctx: Context) -> dict[str, Any]:
    """Perturbation claims from CRUD news, seed 1: the development split (rules tuned on it)."""
    return _perturbation(ctx, 1)


@setup("perturb-heldout")
def perturb_heldout(ctx: Context) -> dict[str, Any]:
    """Perturbation claims, seed 3: held out (seed 2 was, until it was looked at)."""
    return _perturbation(ctx, 3)


@setup("rgb-answers")
def rgb_answers(ctx: Context) -> dict[str, Any]:
    data, index = _rgb_data(ctx)
    try:
        from assistant._answer import Assistant
    except ImportError as e:
        raise SetupSkipped(f"the answerer is not available (assistant._answer: {e})") from e
    assistant = Assistant(index.settings, index=index)

    def answer(question: str, keep: Callable[[Any], bool] | None) -> dict[str, Any]:
        return _answer_with(assistant, question, keep).to_json()

    res = _rgb.run_answers(data, index, answer, log=ctx.log)
    keys = ("answer_accuracy", "rejection_rate", "refusal_rate_pooled", "latency_p50_ms", "latency_p95_ms")
    return {"metrics": {k: res[k] for k in keys}, "answers": res}


def _answer_with(assistant: Any, question: str, keep: Callable[[Any], bool] | None) -> Any:
    """Ask; with `keep`, answer from the same retrieval with the rejected hits taken out
    (retrieve deeper, drop, keep the usual k): the per-query exclusion RGB's rejection needs."""
    if keep is None:
        return assistant.ask(question)
    k = assistant.settings.k
    hits = [h for h in assistant.searcher.search(question, k + _EXCLUDE_SLACK) if keep(h)][:k]
    return assistant.answer_from_hits(question, hits)


_EXCLUDE_SLACK = 40  # more than any RGB query's positives


def run(names: list[str], ctx: Context) -> dict[str, Any]:
    """Run setups in order; one that cannot run here is recorded as skipped with its reason."""
    results: dict[str, Any] = {}
    for name in names:
        ctx.log(f"== {name}{' (quick)' if ctx.quick else ''}")
        t0 = time.perf_counter()
        try:
            results[name] = SETUPS[name](ctx)
        except SetupSkipped as e:
            ctx.log(f"  skipped: {e}")
            results[name] = {"skipped": str(e)}
            continue
        results[name]["seconds"] = round(time.perf_counter() - t0, 1)
    return results
