"""benchmarks/reliability.py's options, without running a case (seconds)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "benchmarks/reliability.py", "--keep", str(tmp), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_kill_moments_are_chosen_by_name_and_unknown_ones_refused(tmp_path: Path) -> None:
    from benchmarks.reliability import KILL_MOMENTS, MOMENTS, SLOW_CASES, kill_cases

    assert len(kill_cases(list(MOMENTS))) == 6
    assert [n for n, _ in SLOW_CASES if "kill -9" in n] == [n for n, _ in kill_cases(KILL_MOMENTS)]
    p = run("--slow-only", "--moments", "embedding,nope", "--only", "zzz", tmp=tmp_path)
    assert p.returncode == 2 and "--moments: unknown nope" in p.stderr


def test_table_counts_each_case_once_as_last_run(tmp_path: Path) -> None:
    log = tmp_path / "a.jsonl"
    log.write_text(
        '{"name": "x", "status": "FAILED", "seconds": 1.0, "detail": "first try"}\n'
        '{"name": "x", "status": "held", "seconds": 2.0, "detail": "second"}\n'
        '{"name": "y", "status": "held", "seconds": 3.0, "detail": "ok"}\n',
        encoding="utf-8",
    )
    p = run("--table", str(log), tmp=tmp_path)
    assert p.returncode == 0 and "| 2 | 2 | 0 | 0 |" in p.stdout, p.stdout
