"""Held-out grounding set: small fresh articles, claims and questions per kind of fault.

    .venv/bin/python eval/grounding_heldout.py [--split dev|heldout] [--kind KIND] [--failing] [--json FILE]

Indexes the articles of tests/data/grounding/ (real embedder, embedded Chroma in a
temporary folder), runs every claim of claims.jsonl through `check_claim` and every
question of questions.jsonl through `Assistant.ask`, and prints passed/total per kind
and per split (dev | heldout), traps and true controls counted apart, so one number can
be tuned on (dev) and the other reported (heldout). `--failing` lists the ids that fail,
the set tests/test_grounding_heldout.py keeps as KNOWN_FAILING.

Record shapes (one JSON object a line; see tests/data/grounding/README.md):
- claim: {"id", "kind", "claim", "expected", "control", "split"}; `expected` is a verdict
  or a list of acceptable verdicts.
- question: {"id", "kind", "question", "expect": "answer" | "refuse", "must_contain",
  "must_not_contain", "control", "split"}; an item of `must_contain` is a string, or a
  list of strings any one of which will do (traditional / simplified spellings).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from assistant.records import Answer, CheckResult  # noqa: E402

DATA = ROOT / "tests" / "data" / "grounding"
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class Outcome:
    """One record judged: `got` says what the assistant did, in a few words."""

    id: str
    kind: str
    split: str
    control: bool  # the right outcome is a positive one (supported / an answer)
    passed: bool
    got: str


def article_paths(data: Path = DATA) -> list[Path]:
    """The articles: `NN-name.md` files (README.md is not one)."""
    return sorted(p for p in data.glob("[0-9][0-9]-*.md"))


def load_records(name: str, data: Path = DATA) -> list[dict[str, Any]]:
    """`claims.jsonl` or `questions.jsonl` as a list of dicts, in file order."""
    text = (data / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _flat(text: str) -> str:
    return "".join(text.split())


def judge_claim(rec: dict[str, Any], result: CheckResult) -> Outcome:
    """Passed when the verdict is one of the expected ones; a `supported` verdict must
    also cite its evidence."""
    expected = rec["expected"] if isinstance(rec["expected"], list) else [rec["expected"]]
    ok = result.verdict in expected and (result.verdict != "supported" or bool(result.citations))
    got = result.verdict if result.verdict != "supported" or result.citations else "supported, uncited"
    return Outcome(rec["id"], rec["kind"], rec["split"], bool(rec.get("control")), ok, got)


def judge_answer(rec: dict[str, Any], answer: Answer, article_text: dict[str, str]) -> Outcome:
    """`refuse`: the answer is a refusal. `answer`: not refused, cited, every quote exact
    (`article.text[start:end]`), every `must_contain` item in the answer text. Either way
    no `must_not_contain` string may appear in it. Whitespace is ignored in the match."""
    text = _flat(answer.answer)
    banned = [s for s in rec.get("must_not_contain", []) if _flat(s) in text]
    if rec["expect"] == "refuse":
        ok = answer.refused and not banned
        got = "refused" if answer.refused else f"answered: {answer.answer[:60]}"
    else:
        missing = [
            m
            for m in rec.get("must_contain", [])
            if not any(_flat(alt) in text for alt in (m if isinstance(m, list) else [m]))
        ]
        exact = all(article_text.get(c.article_id, "")[c.start : c.end] == c.quote for c in answer.citations)
        ok = not answer.refused and bool(answer.citations) and exact and not missing and not banned
        if answer.refused:
            got = "refused"
        elif not answer.citations or not exact:
            got = "uncited or inexact quote"
        elif missing:
            got = f"missing {missing}: {answer.answer[:60]}"
        else:
            got = "answered"
    if banned:
        got += f" (contains {banned})"
    return Outcome(rec["id"], rec["kind"], rec["split"], bool(rec.get("control")), ok, got)


def run(
    assistant: Any, claims: Iterable[dict[str, Any]], questions: Iterable[dict[str, Any]]
) -> list[Outcome]:
    """Every claim through `check_claim`, every question through `Assistant.ask`.

    `assistant` is an `assistant._answer.Assistant` over an index of `article_paths()`."""
    from assistant._check import check_claim

    texts: dict[str, str] = {}

    def article_text(ids: Iterable[str]) -> dict[str, str]:
        for i in ids:
            if i not in texts:
                art = assistant.index.get_article(i)
                texts[i] = art.text if art is not None else ""
        return texts

    out = [judge_claim(r, check_claim(assistant.searcher, r["claim"], assistant.settings)) for r in claims]
    for r in questions:
        a = assistant.ask(r["question"])
        out.append(judge_answer(r, a, article_text(c.article_id for c in a.citations)))
    return out


def table(outcomes: list[Outcome]) -> str:
    """passed/total per kind and split, traps and controls apart, then the totals."""
    cells: dict[tuple[str, str, bool], list[int]] = defaultdict(lambda: [0, 0])
    kinds: list[str] = []
    for o in outcomes:
        if o.kind not in kinds:
            kinds.append(o.kind)
        for key in ((o.kind, o.split, o.control), ("ALL", o.split, o.control)):
            cells[key][0] += o.passed
            cells[key][1] += 1

    def cell(kind: str, split: str, control: bool | None) -> str:
        parts = [cells[(kind, split, c)] for c in ((True, False) if control is None else (control,))]
        p, n = sum(x[0] for x in parts), sum(x[1] for x in parts)
        return f"{p}/{n}" if n else "-"

    head = f"{'kind':<24}" + "".join(
        f"{s + ' ' + part:>18}" for s in SPLITS for part in ("all", "traps", "controls")
    )
    lines = [head, "-" * len(head)]
    for kind in [*kinds, "ALL"]:
        row = f"{kind:<24}"
        for s in SPLITS:
            row += f"{cell(kind, s, None):>18}{cell(kind, s, False):>18}{cell(kind, s, True):>18}"
        lines.append(row)
    return "\n".join(lines)


def build_assistant(index_dir: Path) -> Any:
    """A real index of the articles (default embedder, embedded Chroma) and its Assistant."""
    from assistant._answer import Assistant
    from assistant._embed import get_embedder
    from assistant._index import NewsIndex
    from assistant._load_corpus import load_paths
    from assistant.config import Settings

    settings = Settings(index_dir=index_dir)
    index = NewsIndex(settings, get_embedder(settings))
    index.ingest(load_paths(article_paths()).articles)
    return Assistant(settings, index)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=SPLITS, help="only this split")
    ap.add_argument("--kind", help="only this kind")
    ap.add_argument("--failing", action="store_true", help="list the failing ids and what happened")
    ap.add_argument("--json", type=Path, help="write every outcome to this file")
    args = ap.parse_args(argv)

    def keep(r: dict[str, Any]) -> bool:
        return (args.split is None or r["split"] == args.split) and (
            args.kind is None or r["kind"] == args.kind
        )

    claims = [r for r in load_records("claims.jsonl") if keep(r)]
    questions = [r for r in load_records("questions.jsonl") if keep(r)]
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = run(build_assistant(Path(tmp) / "index"), claims, questions)
    print(f"grounding held-out set: {len(claims)} claims, {len(questions)} questions")
    print(table(outcomes))
    if args.failing:
        for o in outcomes:
            if not o.passed:
                print(f"FAIL {o.id:<16} {o.split:<8} {o.got}")
    if args.json:
        args.json.write_text(
            json.dumps([o.__dict__ for o in outcomes], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
