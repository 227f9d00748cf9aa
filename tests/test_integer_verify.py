"""An integer plan is checked before it is called a plan (issue 16, item 5)."""
from __future__ import annotations

import numpy as np
import pulp

from force_plan.model.build import build
from force_plan.solve.levels import SolveOptions, solve
from force_plan.solve.verify import plan_problem
from force_plan.inputs.load import load_inputs
from wbhelpers import put, run_validate, valid_sheets, write_workbook


def _integer_plan(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Settings!B5", "yes")
    return load_inputs(write_workbook(tmp_path / "int.xlsx", sheets))


def test_a_solved_integer_plan_holds_and_a_broken_one_does_not(tmp_path):
    inputs = _integer_plan(tmp_path)
    assert inputs.settings.integer
    model = build(inputs)
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
    assert plan_problem(build(inputs, integer=False), sol.values) is None  # LP: not checked


def test_class_size_beyond_a_million_is_refused(tmp_path):
    sheets = valid_sheets()
    header = sheets["Courses"][0]
    header.append("class_size")
    put(sheets, f"Courses!{chr(64 + len(header))}2", 1e10)
    code, out = run_validate(write_workbook(tmp_path / "big.xlsx", sheets))
    assert code == 2
    assert f"Courses!{chr(64 + len(header))}2: class_size" in out
    assert "1000000" in out or "1,000,000" in out or "1e+06" in out, out


def test_cbc_under_a_time_limit_still_proves_a_truly_infeasible_plan(tmp_path):
    """A stopped CBC's "infeasible" is not taken as proof, but a proven one still is: the
    hand model with an impossible hard target, solved by CBC with a time limit, exits 3."""
    from click.testing import CliRunner

    from force_plan.cli import main
    from test_cli_solve import hand_sheets

    src = write_workbook(tmp_path / "hard.xlsx", hand_sheets(**{"Categories:1:4": 1}))
    out = tmp_path / "plan.xlsx"
    for integer in ("--no-integer", "--integer"):
        r = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--solver", "cbc",
                                      "--time-limit", "30", integer])
        assert r.exit_code == 3, r.output
        assert "hard target of A in 2027 (Targets!B2" in r.output or \
            "No plan in whole classes" in r.output
        assert not out.exists()
