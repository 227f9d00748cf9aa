"""Load an input workbook into a :class:`Inputs`, and describe what it holds.

``load_inputs(path)`` = read (``read.py``) + check and build (``validate.py``). It raises
:class:`NotAWorkbookError` when the file is not a readable workbook and
:class:`InputError` listing every problem when the workbook breaks the contract.
"""
from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from .typed import Inputs
from .read import read_workbook
from .validate import build_inputs


def load_inputs(path, timings: dict | None = None) -> Inputs:
    """The typed inputs of the workbook at ``path`` (its SHA-256 recorded in them).

    ``timings``: when given, the seconds spent reading and validating are stored in it
    under "read" and "validate".
    """
    t0 = time.perf_counter()
    raw = read_workbook(Path(path))
    t1 = time.perf_counter()
    try:
        return build_inputs(raw, str(path), raw.sha256)
    finally:
        if timings is not None:
            timings["read"] = t1 - t0
            timings["validate"] = time.perf_counter() - t1


def _n(x: float) -> str:
    """A count for people: 12,345 (one decimal when fractional)."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.1f}"


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _totals(targets, T: int) -> dict[int, float]:
    by_period: dict[int, float] = defaultdict(float)
    for t in targets:
        by_period[t.period] += t.value
    return by_period


def describe_inputs(inputs: Inputs) -> list[str]:
    """A few lines saying what the plan holds: counts, horizon, targets against caps."""
    s = inputs.settings
    labels = inputs.period_labels
    lines = [f"Plan: {s.plan_name}"]
    span = labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}"
    lines.append(f"Horizon: {_count(inputs.T, 'period')} of {s.period_months} months ({span})")
    counts = [_count(len(inputs.categories), "category", "categories"),
              _count(len(inputs.courses), "course")]
    if inputs.sites is not None:
        counts.append(_count(len(inputs.sites), "site"))
        counts.append(_count(len(inputs.course_sites or ()), "course-site row"))
    if inputs.pipeline:
        counts.append(_count(len(inputs.pipeline), "pipeline class", "pipeline classes"))
    if inputs.equipment:
        counts.append(_count(len(inputs.equipment), "equipment type"))
    if inputs.sources:
        counts.append(_count(len(inputs.sources), "equipment source"))
    counts.append(_count(len(inputs.objectives), "objective term"))
    lines.append("Holds: " + ", ".join(counts) + " on " + _count(len(inputs.levels), "level"))
    recruit = sum(1 for c in inputs.courses if c.from_recruit)
    conversions = len(inputs.courses) - recruit
    lines.append(f"Courses: {recruit} from RECRUIT, {_count(conversions, 'conversion')}")

    totals = _totals(inputs.targets, inputs.T)
    cap = "no force cap" if s.force_cap is None else f"force cap {_n(s.force_cap)}"
    first, last = 0, inputs.T - 1
    start = sum(c.initial_strength for c in inputs.categories)
    if totals:
        text = f"Target strength: {_n(totals.get(first, 0.0))} in {labels[first]}"
        if last != first:
            text += f", {_n(totals.get(last, 0.0))} in {labels[last]}"
        lines.append(f"{text} ({len(inputs.targets)} target cells); {cap}; "
                     f"{_n(start)} trained at start")
    else:
        lines.append(f"Target strength: none set; {cap}; {_n(start)} trained at start")
    if s.force_cap is not None and totals and max(totals.values()) > s.force_cap:
        worst = max(totals, key=totals.get)
        lines.append(f"Note: the total target in {labels[worst]} ({_n(totals[worst])}) is above "
                     f"the force cap ({_n(s.force_cap)}), so some shortfall is unavoidable")

    if inputs.equipment:
        inventory = sum(e.initial_inventory for e in inputs.equipment)
        eq = _totals(inputs.equipment_targets, inputs.T)
        text = f"Equipment: {_n(inventory)} systems at start"
        if eq:
            text += f"; operational target {_n(eq.get(first, 0.0))} in {labels[first]}"
            if last != first:
                text += f", {_n(eq.get(last, 0.0))} in {labels[last]}"
        lines.append(text)
    budgets = [p.budget for p in inputs.periods if p.budget is not None]
    if budgets:
        lines.append(f"Budget: set in {len(budgets)} of {inputs.T} periods, "
                     f"{_n(min(budgets))} to {_n(max(budgets))} {s.cost_unit} per period")
    lines.append(f"Integer mode: {'yes' if s.integer else 'no'}; solver: {s.solver}")
    return lines
