"""Pinned scores, checked as pyserini's two-click reproductions do.

`eval/regressions.yaml` lists each setup with the exact command that measures
it and the scores it must reproduce, each with a tolerance. `python -m eval
check` re-runs the setups in process (exactly what the command runs) and prints
one line per metric: OK, OK ↑ (better than pinned by more than the tolerance:
update the pin so the gain is kept), or FAIL (worse). Any FAIL exits non-zero.
Latency pins (`lower: true`) fail when slower, not when faster.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import InputError

from ._setups import SETUPS, Context, run

REGRESSIONS = Path(__file__).resolve().parent / "regressions.yaml"


@dataclass(frozen=True)
class Pin:
    regression: str
    metric: str
    expected: float
    tolerance: float
    lower_is_better: bool = False


@dataclass(frozen=True)
class Regression:
    name: str
    setup: str
    quick: bool
    command: str
    pins: tuple[Pin, ...]
    settings: tuple[tuple[str, Any], ...] = ()  # overrides of the default Settings, e.g. the runtime


@dataclass(frozen=True)
class Outcome:
    pin: Pin
    actual: float | None
    status: str  # OK | OK ↑ | FAIL | SKIP

    def line(self) -> str:
        p = self.pin
        got = "missing" if self.actual is None else f"{self.actual:.4f}"
        pinned = f"(pinned {p.expected:.4f} ± {p.tolerance:g})"
        return f"{self.status:<5} {p.regression:<22} {p.metric:<28} {got:>9}  {pinned}"


def load(path: Path = REGRESSIONS) -> list[Regression]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise InputError(f"cannot read the regression file ({e})", path=str(path)) from e
    out: list[Regression] = []
    for item in doc.get("regressions", []):
        name, setup = item["name"], item["setup"]
        if setup not in SETUPS:
            raise InputError(f"regression {name!r} names unknown setup {setup!r}", path=str(path))
        pins = tuple(
            Pin(
                name,
                metric,
                float(spec["expected"]),
                float(spec.get("tolerance", 0.0)),
                bool(spec.get("lower", False)),
            )
            for metric, spec in (item.get("scores") or {}).items()
        )
        overrides = tuple(sorted((item.get("settings") or {}).items()))
        out.append(
            Regression(name, setup, bool(item.get("quick", False)), str(item["command"]), pins, overrides)
        )
    return out


def judge(pin: Pin, actual: float | None) -> Outcome:
    if actual is None:
        return Outcome(pin, None, "FAIL")
    delta = actual - pin.expected
    if pin.lower_is_better:
        delta = -delta
    if delta < -pin.tolerance - 1e-9:
        return Outcome(pin, actual, "FAIL")
    return Outcome(pin, actual, "OK ↑" if delta > pin.tolerance + 1e-9 else "OK")


def check(
    ctx_factory: Any, quick: bool, only: list[str] | None = None, path: Path = REGRESSIONS
) -> list[Outcome]:
    """Run every regression of the chosen kind (quick or full) and judge each pin.
    `ctx_factory(quick)` gives the Context each regression runs in."""
    outcomes: list[Outcome] = []
    contexts: dict[tuple[bool, tuple[tuple[str, Any], ...]], Context] = {}
    for reg in load(path):
        if reg.quick != quick or (only and reg.name not in only and reg.setup not in only):
            continue
        key = (reg.quick, reg.settings)
        if key not in contexts:
            # Own context per settings: indexes cached in one must not serve another runtime.
            contexts[key] = ctx_factory(reg.quick)
            if reg.settings:
                contexts[key].settings = contexts[key].settings.with_(**dict(reg.settings))
        ctx = contexts[key]
        ctx.log(f"-- {reg.name}: {reg.command}")
        result = run([reg.setup], ctx)[reg.setup]
        if "skipped" in result:
            outcomes.extend(Outcome(p, None, "SKIP") for p in reg.pins)
            ctx.log(f"SKIP  {reg.name}: {result['skipped']}")
            continue
        for pin in reg.pins:
            value = result["metrics"].get(pin.metric)
            o = judge(pin, None if value is None else float(value))
            outcomes.append(o)
            ctx.log(o.line())
    return outcomes
