"""Objective levels on real edits and in integer mode: a planner's routine edit of the
baseline that once left HiGHS at status "unknown" is proven optimal by both solvers, and
the integer start repaired from the LP plan is a whole, feasible plan. The figures are
the illustrative baseline's, or invented for the test."""
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from force_plan.inputs.load import load_inputs
from force_plan.model.build import build
from force_plan.pipeline import RunOptions, solve_plan
from force_plan.solve.highs import _highs_lp, _Live
from force_plan.solve.integer import repaired_start
from force_plan.solve.levels import _level_row, level_value, max_violation
from plan_builder import Period, cat, course, inputs

INPUTS = Path(__file__).resolve().parent.parent / "inputs"


def _column(ws, name):
    return next(c.column for c in ws[1] if str(c.value).strip().lower() == name)


def planner_edit(target: Path) -> Path:
    """The baseline with the budget of 2028 and 2029 cut by 30 %, the partner
    basic-infantry programme removed from Sites (and CourseSites), and drone-operator
    attrition doubled."""
    shutil.copy(INPUTS / "baseline.xlsx", target)
    wb = openpyxl.load_workbook(target)
    ws = wb["Periods"]
    budget = _column(ws, "budget")
    for row in range(2, ws.max_row + 1):
        if str(ws.cell(row, 1).value).startswith(("2028", "2029")):
            ws.cell(row, budget).value = round(ws.cell(row, budget).value * 0.7, 3)
    site = "Partner basic infantry programme"
    for name, col in (("Sites", 1), ("CourseSites", 2)):
        ws = wb[name]
        for row in range(ws.max_row, 1, -1):
            if ws.cell(row, col).value == site:
                ws.delete_rows(row)
    ws = wb["Categories"]
    rate = _column(ws, "attrition_rate")
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value == "Drone operator":
            ws.cell(row, rate).value *= 2
    # the bundled what-ifs name the removed site; they are not part of this edit
    for name in ("Scenarios", "Uncertainty"):
        if name in wb.sheetnames:
            del wb[name]
    wb.save(target)
    return target


@pytest.mark.slow
def test_a_routine_edit_is_proven_optimal_by_both_solvers(tmp_path):
    edited = load_inputs(planner_edit(tmp_path / "edited.xlsx"))
    highs = solve_plan(edited, RunOptions(solver="highs"))
    cbc = solve_plan(edited, RunOptions(solver="cbc"))
    assert highs.status == cbc.status == "optimal", (highs.status_text, cbc.status_text)
    for level, value in highs.objectives.items():
        assert cbc.objectives[level] == pytest.approx(value, rel=1e-6), level


def test_the_repaired_integer_start_is_whole_and_feasible():
    """A needs 30; classes of 10; 25 recruits: the LP starts 2.5 classes (5 short).
    Rounded to the nearest whole number (2, half to even) the plan is feasible: 20 starts,
    10 short — the start. Whole classes can do no better (3 classes need 30 recruits):
    the MIP proves 10, and the run says it started from the LP plan."""
    p = inputs(T=1, categories=[cat("A")],
               courses=[course("K", None, "A", class_size=10, cost_per_start=1)],
               periods=[Period("P1", recruits_available=25)], targets={("A", 0): 30},
               lookahead_periods=0, integer=True)
    model = build(p)
    model.col_index = {v: i for i, v in enumerate(model.columns)}
    live = _Live(model)
    lp = _highs_lp(model, live.col, live.row)
    cols, vals, _scale = _level_row(model, 1)
    cost = np.zeros(len(model.columns))
    cost[cols] = vals
    start, bound = repaired_start(model, lp, cost[:live.col], complete=live.full)
    assert start is not None and max_violation(model, start) < 1e-9
    starts = model.var["starts"][(0, 0)]
    assert start[model.col_index[starts]] == 2  # classes
    assert level_value(model, 1, start) == pytest.approx(10)
    assert bound * model.level_scale[1] == pytest.approx(5)  # the LP relaxation
    r = solve_plan(p, RunOptions(solver="highs"))
    assert r.status == "optimal" and r.objectives[1] == pytest.approx(10)
    assert "started from the LP plan" in dict(r.summary)["solver_notes"]


def scaled_baseline(path: Path, sheet: str, column: str, factor: float) -> Path:
    """The bundled baseline with one column of one sheet scaled (as the sweep benchmark's
    generated scenarios do)."""
    from force_plan.authoring.examples import example
    from force_plan.authoring.template import write_workbook

    ex = example("baseline")
    content = {name: [dict(row) for row in rows] if isinstance(rows, list) else rows
               for name, rows in ex.content.items()}
    for row in content[sheet]:
        if row.get(column) is not None:
            row[column] = round(row[column] * factor, 10)
    write_workbook(path, content, title=ex.title, notes=ex.notes, illustrative=True)
    return path


@pytest.mark.slow
def test_a_badly_presolved_level_is_proven_without_presolve(tmp_path):
    """The baseline with every attrition rate × 0.918 (scenario s011 of
    benchmarks/WHATIF.md): HiGHS's presolve turns the budget rows' 3e-7 coefficients into
    1e-36, and the dual simplex then ends level 2 "unknown" (it took 61 s and left the plan
    "feasible"). The interior point without presolve proves it, and the next level starts
    with that strategy: every level optimal, agreeing with CBC on the first."""
    inputs = load_inputs(scaled_baseline(tmp_path / "s011.xlsx", "Categories",
                                         "attrition_rate", 0.918))
    highs = solve_plan(inputs, RunOptions(solver="highs"))
    assert highs.status == "optimal", highs.status_text
    notes = dict(highs.summary)["solver_notes"]
    assert "objective level 2: HiGHS ended without proof" in notes
    assert "proven optimal by interior point with crossover, without presolve" in notes
    assert highs.timings["solve level 3"] < 30  # not the 100 s of a doomed dual simplex
    cbc = solve_plan(inputs, RunOptions(solver="cbc"))
    assert cbc.status == "optimal"
    assert cbc.objectives[1] == pytest.approx(highs.objectives[1], rel=1e-8)


@pytest.mark.slow
def test_an_imprecise_optimum_is_not_taken_as_proven(tmp_path):
    """The baseline with every budget × 0.7 (scenario s001): HiGHS's dual simplex calls
    level 1 optimal with a primal-dual objective error of 3.5e-6 (35× its tolerance); its
    duals then let the later levels move level 1 by 2e-6 of itself, and the plan ended
    "feasible, not proven optimal". The error is caught, the next strategy proves it."""
    inputs = load_inputs(scaled_baseline(tmp_path / "s001.xlsx", "Periods", "budget", 0.7))
    highs = solve_plan(inputs, RunOptions(solver="highs"))
    assert highs.status == "optimal", highs.status_text
    assert "primal-dual" not in highs.status_text
    assert "objective level 1: HiGHS ended without proof (optimal within 100× HiGHS's " \
        "tolerances only)" in dict(highs.summary)["solver_notes"]


@pytest.mark.slow
def test_cbc_later_levels_are_not_left_above_their_optimum_by_its_presolve(tmp_path):
    """The baseline with every lead time × 1.472 (scenario s020): with its presolve on,
    CBC ended level 2 "optimal" at 228,105.8 on the plan held at level 1, where the same
    LP's optimum is 227,337.6 (HiGHS; CBC without presolve 227,337.9)."""
    inputs = load_inputs(scaled_baseline(tmp_path / "s020.xlsx", "EquipmentSources",
                                         "lead_time_months", 1.472))
    highs = solve_plan(inputs, RunOptions(solver="highs"))
    cbc = solve_plan(inputs, RunOptions(solver="cbc"))
    assert highs.status == cbc.status == "optimal"
    assert cbc.objectives[1] == pytest.approx(highs.objectives[1], rel=1e-8)
    assert cbc.objectives[2] == pytest.approx(highs.objectives[2], rel=1e-5)
