"""What a full run leaves behind: results JSON, a Markdown report with plots, a log row."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

EVAL_DIR = Path(__file__).resolve().parent
REPORT_DIR = EVAL_DIR / "report"
REPRODUCTION = EVAL_DIR / "REPRODUCTION.md"
_LOG_HEADER = (
    "# Reproduction log\n\n"
    "One row per full run of `python -m eval` (appended by the run itself).\n\n"
    "| date | commit | settings | seed hit@1 / hit@5 / MRR@10 (hybrid) | seed answer acc | citation prec "
    "| refusal (unans.) / wrong refusal | claims acc | RGB default hit@1 / hit@5 / MRR@10 "
    "| RGB answer acc / rejection |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n"
)


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=EVAL_DIR, capture_output=True, text=True, timeout=10
        )
        sha = out.stdout.strip() or "unknown"
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=EVAL_DIR,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return f"{sha}+dirty" if dirty else sha
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _m(results: dict[str, Any], setup: str, key: str) -> str:
    value = results.get(setup, {}).get("metrics", {}).get(key)
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _triple(results: dict[str, Any], setup: str, prefix: str) -> str:
    return " / ".join(_m(results, setup, f"{prefix}.{k}") for k in ("hit@1", "hit@5", "mrr@10"))


def append_reproduction(results: dict[str, Any], meta: dict[str, Any], path: Path = REPRODUCTION) -> str:
    seed = "seed" if "seed" in results else "seed-retrieval"
    cells = [
        meta["date"],
        meta["commit"],
        meta["settings"],
        _triple(results, seed, "hybrid"),
        _m(results, "seed", "answers.answer_accuracy"),
        _m(results, "seed", "answers.citation_precision"),
        f"{_m(results, 'seed', 'answers.refusal_rate_unanswerable')} / "
        f"{_m(results, 'seed', 'answers.wrong_refusal_rate')}",
        _m(results, "claims", "verdict_accuracy"),
        _triple(results, "rgb-retrieval", "default"),
        f"{_m(results, 'rgb-answers', 'answer_accuracy')} / {_m(results, 'rgb-answers', 'rejection_rate')}",
    ]
    row = "| " + " | ".join(cells) + " |\n"
    if not path.exists():
        path.write_text(_LOG_HEADER, encoding="utf-8")
    with path.open("a", encoding="utf-8") as f:
        f.write(row)
    return row


# -- plots -------------------------------------------------------------------------------


def _curve(ranks: list[int | None], depth: int) -> list[float]:
    n = max(len(ranks), 1)
    return [sum(1 for r in ranks if r is not None and r <= k) / n for k in range(1, depth + 1)]


def _plots(results: dict[str, Any], out: Path) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made: dict[str, str] = {}
    rgb = results.get("rgb-retrieval", {})
    if "retrieval" in rgb:
        res = rgb["retrieval"]
        fig, ax = plt.subplots(figsize=(7, 4.5))
        names = ["dense", "dense+prf", "bm25", rgb["default"], rgb["best"]]
        shown = dict.fromkeys(n for n in names if n in res)
        for name in shown:
            label = (
                name
                + (" (default)" if name == rgb["default"] else "")
                + (" (best)" if name == rgb["best"] else "")
            )
            ax.plot(range(1, 21), _curve(res[name]["ranks"], 20), marker="o", ms=3, label=label)
        ax.set(
            xlabel="k",
            ylabel="hit@k",
            title=f"RGB zh_refine: {rgb['queries']} queries, pooled passages",
            xticks=[1, 3, 5, 10, 15, 20],
        )
        ax.grid(alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "rgb_hit_at_k.png", dpi=120)
        plt.close(fig)
        made["rgb_hit_at_k"] = "rgb_hit_at_k.png"

        fus = [r for r in res.values() if r["mode"] == "hybrid"]
        weights = sorted({r["bm25_weight"] for r in fus})
        ks = sorted({r["rrf_k"] for r in fus})
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
        for ax, metric in zip(axes, ("hit@1", "mrr@10"), strict=True):
            for k in ks:
                pts = sorted((r["bm25_weight"], r[metric]) for r in fus if r["rrf_k"] == k)
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"fusion, rrf_k={k}")
            ax.axhline(res["dense"][metric], color="grey", ls="--", label="dense alone")
            ax.axhline(res["bm25"][metric], color="grey", ls=":", label="BM25 alone")
            ax.set(xlabel="BM25 weight (dense weight 1)", ylabel=metric, xticks=weights)
            ax.grid(alpha=0.3)
        axes[0].legend(fontsize=8)
        fig.suptitle("RGB zh_refine: fusion weight grid")
        fig.tight_layout()
        fig.savefig(out / "rgb_fusion_grid.png", dpi=120)
        plt.close(fig)
        made["rgb_fusion_grid"] = "rgb_fusion_grid.png"

    seed = results.get("seed") or results.get("seed-retrieval") or {}
    if "retrieval" in seed:
        fig, ax = plt.subplots(figsize=(6, 4))
        for mode, r in seed["retrieval"].items():
            ax.plot(range(1, 11), _curve(r["ranks"], 10), marker="o", ms=3, label=mode)
        ax.set(xlabel="k", ylabel="hit@k", title="Seed page questions (answerable)")
        ax.grid(alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "seed_hit_at_k.png", dpi=120)
        plt.close(fig)
        made["seed_hit_at_k"] = "seed_hit_at_k.png"
    if "answers" in seed and seed["answers"].get("latencies_s"):
        secs = [1000 * s for s in seed["answers"]["latencies_s"]]
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.hist(secs, bins=30)
        for q, ls in ((50, "--"), (95, ":")):
            v = seed["answers"][f"latency_p{q}_ms"]
            ax.axvline(v, color="k", ls=ls, label=f"p{q} {v:.0f} ms")
        ax.set(
            xlabel="ms per question (retrieval + answer)",
            ylabel="questions",
            title="Answer latency, seed page",
        )
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "latency.png", dpi=120)
        plt.close(fig)
        made["latency"] = "latency.png"
    return made


# -- the report --------------------------------------------------------------------------


def _table(rows: list[list[str]], head: list[str]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _f(v: Any) -> str:
    return "–" if v is None else f"{v:.4f}" if isinstance(v, float) else str(v)


def rgb_table(rgb: dict[str, Any]) -> str:
    rows = []
    for name, r in rgb["retrieval"].items():
        tag = " **default**" if name == rgb["default"] else ""
        tag += " *best*" if name == rgb["best"] else ""
        rows.append(
            [
                name + tag,
                *(_f(r[k]) for k in ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10")),
                _f(r["latency_p50_ms"]),
            ]
        )
    return _table(rows, ["retriever", "hit@1", "hit@3", "hit@5", "hit@10", "MRR@10", "p50 ms"])


def write_report(results: dict[str, Any], meta: dict[str, Any], out: Path = REPORT_DIR) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    plots = _plots(results, out)
    md = [
        f"# Evaluation report\n\n{meta['date']} · commit `{meta['commit']}` · {meta['settings']} · "
        f"command `{meta['command']}`\n"
    ]
    for name, res in results.items():
        if "skipped" in res:
            md.append(f"\n## {name}\n\nSkipped: {res['skipped']}\n")
    seed = results.get("seed") or results.get("seed-retrieval")
    if seed and "retrieval" in seed:
        rows = [
            [
                mode,
                *(_f(r[k]) for k in ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10")),
                _f(r["latency_p50_ms"]),
                ", ".join(r["misses@5"]) or "–",
            ]
            for mode, r in seed["retrieval"].items()
        ]
        md.append("\n## Seed page: retrieval (answerable questions)\n\n")
        md.append(
            _table(rows, ["retriever", "hit@1", "hit@3", "hit@5", "hit@10", "MRR@10", "p50 ms", "missed @5"])
        )
        if "seed_hit_at_k" in plots:
            md.append("\n![seed hit@k](seed_hit_at_k.png)\n")
    if seed and "answers" in seed:
        a = seed["answers"]
        md.append("\n## Seed page: answers\n\n")
        md.append(
            _table(
                [
                    [
                        _f(a["answer_accuracy"]),
                        _f(a["citation_precision"]),
                        _f(a["refusal_rate_unanswerable"]),
                        _f(a["wrong_refusal_rate"]),
                        _f(a["latency_p50_ms"]),
                        _f(a["latency_p95_ms"]),
                    ]
                ],
                [
                    "answer accuracy",
                    "citation precision",
                    "refusal rate (unanswerable)",
                    "wrong refusals (answerable)",
                    "p50 ms",
                    "p95 ms",
                ],
            )
        )
        wrong = [r for r in a["per_question"] if r.get("correct") is False]
        if wrong:
            md.append("\nAnswerable questions answered wrongly or refused:\n\n")
            md += [f"- {r['id']}: {'refused' if r['refused'] else r['answer'][:120]!r}\n" for r in wrong]
        if "latency" in plots:
            md.append("\n![latency](latency.png)\n")
    claims = results.get("claims", {}).get("claims")
    if claims:
        md.append(
            f"\n## Claims: verdict accuracy {_f(claims['verdict_accuracy'])} ({claims['claims']} claims)\n\n"
        )
        verdicts = list(claims["confusion"])
        rows = [[g, *(str(claims["confusion"][g].get(p, 0)) for p in verdicts)] for g in verdicts]
        md.append(_table(rows, ["gold \\ predicted", *verdicts]))
    rgb = results.get("rgb-retrieval")
    if rgb and "retrieval" in rgb:
        md.append(f"\n## RGB zh_refine: retrieval ({rgb['queries']} queries, all passages pooled)\n\n")
        md.append(rgb_table(rgb))
        md += [f"\n![{p}]({plots[p]})\n" for p in ("rgb_hit_at_k", "rgb_fusion_grid") if p in plots]
    ra = results.get("rgb-answers", {}).get("answers")
    if ra:
        md.append("\n## RGB zh_refine: answers\n\n")
        md.append(
            _table(
                [
                    [
                        _f(ra["answer_accuracy"]),
                        _f(ra["rejection_rate"]),
                        str(ra["rejection_queries"]),
                        str(ra["rejection_skipped"]),
                        _f(ra["latency_p50_ms"]),
                        _f(ra["latency_p95_ms"]),
                    ]
                ],
                [
                    "answer accuracy (pooled)",
                    "rejection rate (positives removed)",
                    "rejection queries",
                    "skipped (answer still in pool)",
                    "p50 ms",
                    "p95 ms",
                ],
            )
        )
    path = out / "REPORT.md"
    path.write_text("".join(md), encoding="utf-8")
    return path


def meta_for(settings: Any, command: str) -> dict[str, Any]:
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "commit": commit(),
        "settings": f"{settings.embed_model}/{settings.embed_runtime}, bm25_weight {settings.bm25_weight}, "
        f"rrf_k {settings.rrf_k}, "
        + (
            f"prf {settings.prf_docs}/{settings.prf_weight:g}/{settings.prf_margin:g}/"
            f"{settings.prf_cohesion:g}, "
            if settings.prf_docs > 0
            else "prf off, "
        )
        + f"chunk {settings.chunk_max}/{settings.chunk_overlap}",
        "command": command,
    }
