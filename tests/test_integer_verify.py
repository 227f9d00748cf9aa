"""An integer plan is checked before it is called a plan (issue 16, item 5)."""
from __future__ import annotations

import numpy as np
import pulp

from force_plan.lp.build import build
from force_plan.lp.solve import SolveOptions, solve
from force_plan.lp.verify import plan_problem
from force_plan.workbook.load import load_plan
from wbhelpers import put, run_validate, valid_sheets, write_workbook


def _integer_plan(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Settings!B5", "yes")
    return load_plan(write_workbook(tmp_path / "int.xlsx", sheets))


def test_a_solved_integer_plan_holds_and_a_broken_one_does_not(tmp_path):
    plan = _integer_plan(tmp_path)
    assert plan.settings.integer
    model = build(plan)
    sol = solve(model, SolveOptions(solver="highs"))
    assert sol.status == "optimal"
    assert plan_problem(model, sol.values) is None
    ints = [i for i, v in enumerate(model.columns) if v.cat == pulp.LpInteger]
    assert ints
    fractional = np.array(sol.values, dtype=float)
    fractional[ints[0]] += 0.3  # still within a bound, but 0.3 of a class
    why = plan_problem(model, fractional)
    assert why is not None
    assert "not a whole number" in why or "is off by" in why
    shifted = np.array(sol.values, dtype=float)
    shifted[ints[0]] += 1e-3  # within no solver tolerance: a row breaks or it is fractional
    assert plan_problem(model, shifted) is not None
    assert plan_problem(build(plan, integer=False), sol.values) is None  # LP: not checked


def test_class_size_beyond_a_million_is_refused(tmp_path):
    sheets = valid_sheets()
    header = sheets["Courses"][0]
    header.append("class_size")
    put(sheets, f"Courses!{chr(64 + len(header))}2", 1e10)
    code, out = run_validate(write_workbook(tmp_path / "big.xlsx", sheets))
    assert code == 2
    assert f"Courses!{chr(64 + len(header))}2: class_size" in out
    assert "1000000" in out or "1,000,000" in out or "1e+06" in out, out
