"""The evaluation harness: its scoring rules, and the quick pinned regressions.

The last test re-measures the quick regressions of eval/regressions.yaml with the
real embedder (and the real fact-checker), so a change that lowers a pinned score
fails the test suite, as pyserini's regressions fail its CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval import _metrics, _regressions, _rgb, _seed
from eval._setups import QUICK_CLAIMS, QUICK_QUESTIONS, Context

ROOT = Path(__file__).resolve().parent.parent


# -- metrics -----------------------------------------------------------------------------


def test_rank_metrics_hit_at_k_and_mrr() -> None:
    m = _metrics.rank_metrics([1, 2, None, 11], ks=(1, 5, 10))
    assert m["hit@1"] == 0.25
    assert m["hit@5"] == 0.5
    assert m["hit@10"] == 0.5
    assert m["mrr@10"] == round((1 + 0.5) / 4, 4)  # rank 11 is outside MRR@10


def test_answer_matching_normalises_width_case_and_thousands() -> None:
    assert _metrics.contains_any("共有１２人遇难", ["12人"])
    assert _metrics.contains_any("1,313,851 people", ["1313851"])
    assert _metrics.contains_any("Singapore.", ["singapore"])
    assert not _metrics.contains_any("共有13人遇难", ["12人"])
    assert not _metrics.contains_any("anything", [""])  # an empty accepted string matches nothing


def test_rgb_slots_need_every_slot_and_accept_any_variant() -> None:
    slots = ["12人", ["1313851", "131万"]]
    assert _metrics.slots_match("死亡12人，涉及131万人", slots)
    assert not _metrics.slots_match("死亡12人", slots)
    assert not _metrics.slots_match("text", [])


def test_percentile_interpolates_like_numpy() -> None:
    assert _metrics.percentile([1, 2, 3, 4], 50) == 2.5
    assert _metrics.percentile([10.0], 95) == 10.0


# -- seed scoring ------------------------------------------------------------------------


def _q(**kw: object) -> _seed.Question:
    base = dict(id="x", question="?", lang="zh", item="", answerable=True, answers=("新加坡",),
                evidence="赴新加坡开展上门招商", type="place")  # fmt: skip
    base.update(kw)
    return _seed.Question(**base)  # type: ignore[arg-type]


def test_relevance_rules() -> None:
    q = _q()
    assert _seed.relevant({"text": "团组赴新加坡开展上门招商。", "article_id": "b"}, q, {"a"}, True)
    assert _seed.relevant({"text": "在新加坡期间", "article_id": "a"}, q, {"a"}, True)
    assert not _seed.relevant({"text": "在新加坡期间", "article_id": "b"}, q, {"a"}, True)
    assert not _seed.relevant({"text": "别的内容", "article_id": "a"}, q, {"a"}, True)
    # Evidence printed outside the body (a byline): any passage of its article counts.
    assert _seed.relevant({"text": "别的内容", "article_id": "a"}, q, {"a"}, False)


def test_evidence_articles_on_the_seed_page() -> None:
    articles = _seed.load_corpus()
    by_id = {q.id: q for q in _seed.load_questions()}
    gold, in_body = _seed.evidence_articles(by_id["q002"], articles)
    assert len(gold) == 1 and in_body
    gold, in_body = _seed.evidence_articles(by_id["q038"], articles)  # 栏目统筹 is in the column line
    assert len(gold) == 1 and not in_body
    assert _seed.evidence_articles(_q(answerable=False, answers=(), evidence=""), articles) == (set(), False)


def test_score_answers_from_answer_json() -> None:
    qs = [_q(id="a"), _q(id="b"), _q(id="c", answerable=False, answers=(), evidence="")]
    outs = [
        {"answer": "去了新加坡[1]。", "refused": False, "citations": [{"quote": "赴新加坡开展上门招商"}]},
        {"answer": "资料中没有。", "refused": True, "citations": []},
        {"answer": "资料中没有。", "refused": True, "citations": []},
    ]
    s = _seed.score_answers(qs, outs)
    assert s["answer_accuracy"] == 0.5
    assert s["wrong_refusal_rate"] == 0.5
    assert s["refusal_rate_unanswerable"] == 1.0
    assert s["citation_precision"] == 1.0


def test_score_claims_confusion() -> None:
    cs = [_seed.Claim("1", "x", "supported", "", ""), _seed.Claim("2", "y", "contradicted", "", "")]
    s = _seed.score_claims(cs, ["supported", "not_found"])
    assert s["verdict_accuracy"] == 0.5
    assert s["confusion"]["contradicted"]["not_found"] == 1
    assert s["recall_per_verdict"]["supported"] == 1.0


def test_quick_subsets_exist_in_the_dev_sets() -> None:
    assert {q.id for q in _seed.load_questions(ids=QUICK_QUESTIONS)} == set(QUICK_QUESTIONS)
    claims = _seed.load_claims(ids=QUICK_CLAIMS)
    assert {c.id for c in claims} == set(QUICK_CLAIMS)
    assert {c.verdict for c in claims} == set(_seed.VERDICTS)  # every verdict is exercised


# -- RGB loading -------------------------------------------------------------------------


def test_rgb_pools_unique_passages_and_skips_when_absent(tmp_path: Path) -> None:
    f = tmp_path / "zh_refine.json"
    rows = [
        {"id": 0, "query": "q0", "answer": ["12人"], "positive": ["死亡12人"], "negative": ["其他", "共享"]},
        {"id": 1, "query": "q1", "answer": ["共享"], "positive": ["共享"], "negative": ["死亡12人"]},
    ]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    data = _rgb.load_rgb(f)
    assert len(data.articles) == 3  # "共享" and "死亡12人" appear twice, pooled once
    assert all(a.id == _rgb.article_id(a.text) for a in data.articles)
    # Query 0's answer is only in its positive; query 1's positive is negative elsewhere but
    # no other passage holds 共享, so both are fair rejection tests.
    assert not _rgb.answerable_without_positives(data.queries[0], data)
    assert not _rgb.answerable_without_positives(data.queries[1], data)
    reused = _rgb.RgbQuery(2, "q2", ("12人",), (data.queries[0].positive), (data.queries[1].positive[0],))
    data.text_of[data.queries[1].positive[0]] = "也是12人"  # a negative of its own that holds the answer
    assert _rgb.answerable_without_positives(reused, data)
    with pytest.raises(_rgb.SetupSkipped, match="not found"):
        _rgb.load_rgb(tmp_path / "absent.json")


def test_best_fusion_prefers_mrr_then_gentler_weights() -> None:
    res = {
        "dense": {"mode": "dense"},
        "a": {"mode": "hybrid", "mrr@10": 0.9, "hit@5": 0.98, "hit@1": 0.85, "bm25_weight": 0.5, "rrf_k": 60},
        "b": {
            "mode": "hybrid",
            "mrr@10": 0.9,
            "hit@5": 0.98,
            "hit@1": 0.85,
            "bm25_weight": 0.25,
            "rrf_k": 60,
        },
        "c": {"mode": "hybrid", "mrr@10": 0.8, "hit@5": 0.99, "hit@1": 0.9, "bm25_weight": 0.1, "rrf_k": 60},
    }
    assert _rgb.best_fusion(res) == "b"


# -- regressions -------------------------------------------------------------------------


def test_judge_ok_fail_and_improved() -> None:
    pin = _regressions.Pin("r", "m", 0.80, 0.01)
    assert _regressions.judge(pin, 0.795).status == "OK"
    assert _regressions.judge(pin, 0.78).status == "FAIL"
    assert _regressions.judge(pin, 0.85).status == "OK ↑"
    assert _regressions.judge(pin, None).status == "FAIL"
    slow = _regressions.Pin("r", "latency", 100.0, 20.0, lower_is_better=True)
    assert _regressions.judge(slow, 50.0).status == "OK ↑"
    assert _regressions.judge(slow, 130.0).status == "FAIL"


def test_regression_file_is_valid_and_names_commands() -> None:
    regs = _regressions.load()
    assert any(r.quick for r in regs) and all(r.command.startswith("python -m eval") for r in regs)


def test_bad_setup_name_is_a_clear_error() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "eval", "nonsense"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 2
    assert "unknown setup nonsense" in out.stderr and "Traceback" not in out.stderr


def test_quick_regressions_hold(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Re-measure the quick pins with the real embedder; any FAIL fails the suite."""
    from assistant.config import Settings

    root = tmp_path_factory.mktemp("eval-index")
    lines: list[str] = []
    outcomes = _regressions.check(
        lambda quick: Context(Settings(), quick=quick, log=lines.append, index_root=root), quick=True
    )
    assert outcomes, "no quick regression in eval/regressions.yaml"
    failed = [o.line() for o in outcomes if o.status in ("FAIL", "SKIP")]
    assert not failed, "\n".join([*failed, "", *lines])
