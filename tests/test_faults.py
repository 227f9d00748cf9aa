"""Solver failures, interrupted runs, output faults and determinism, through the CLI.

* A time limit hit with no plan is exit 4 and no file; a time limit hit with a plan
  writes it, marked "feasible, not proven optimal" with its gap wherever the status is
  shown. A hard integer model (40 categories, 80 courses in classes of 7, 11 or 13, 20
  quarters, budgets) stopped after 0.05 s is never called optimal.
* Ctrl-C while solving or writing: one line, exit 130, the previous plan intact, no
  temporary file. A crash while writing leaves the same.
* Permission denied, a folder in place of the output, a full disk: a clear sentence,
  exit 2, the previous plan byte for byte as it was.
* The same input gives the same plan (every sheet but the Summary's run times); the row
  order of the input tables does not change the plan, on a model whose optimum is unique
  (HiGHS and CBC agree on every figure, in every row order).

The figures are invented for testing; they describe no real force.
"""
from __future__ import annotations

import copy
import errno
import os
import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from force_plan import pipeline
from force_plan.cli import main
from force_plan.inputs.typed import (Category, Course, Inputs, ObjectiveTerm, Period, Settings,
                                     Target, shortfall_weight_from_priority)
from force_plan.solve.levels import Solution
from force_plan.pipeline import RunOptions, solve_plan
from force_plan.xlsx import save as safe
from force_plan.inputs.load import load_inputs
from test_properties import plan_to_sheets
from wbhelpers import valid_sheets, write_workbook


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def valid(tmp_path) -> Path:
    return write_workbook(tmp_path / "input.xlsx", valid_sheets())


@pytest.fixture
def previous(tmp_path, valid) -> tuple[Path, bytes]:
    """A plan already written at outputs/plan.xlsx, and its bytes."""
    out = tmp_path / "outputs" / "plan.xlsx"
    result = invoke("solve", valid, "-o", out)
    assert result.exit_code == 0, result.output
    return out, out.read_bytes()


def assert_untouched(previous) -> None:
    out, before = previous
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temp file


def summary(path) -> dict:
    ws = openpyxl.load_workbook(path)["Summary"]
    return {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}


# --------------------------------------------------------------------------- a hard MIP
def hard_plan(time_limit: float) -> Inputs:
    """40 categories, 80 courses in whole classes of 7, 11 or 13, 20 quarters, budgets."""
    rng = random.Random(5)
    T = 20
    periods = tuple(Period(f"Q{t + 1}", recruits_available=float(rng.randint(150, 260)),
                           budget=float(rng.randint(900, 1400))) for t in range(T))
    cats = []
    for i in range(40):
        p = rng.randint(1, 3)
        cats.append(Category(f"C{i:02d}", priority=p, initial_strength=float(rng.randint(20, 120)),
                             attrition_rate=rng.choice([0.05, 0.08, 0.12]),
                             cost_per_person_year=round(rng.uniform(0.5, 2.0), 2),
                             overstrength_cost=0.3,
                             shortfall_weight=shortfall_weight_from_priority(p)))
    targets = tuple(Target(c.name, t, float(round(c.initial_strength * rng.uniform(0.9, 1.4))))
                    for c in cats for t in range(T))
    courses = []
    for k in range(80):
        to = cats[k % 40].name
        frm = None if k < 40 else cats[(k * 7) % 40].name
        courses.append(Course(f"K{k:02d}", None if frm == to else frm, to,
                              duration_months=float(rng.choice([3, 6, 9])),
                              yield_=rng.choice([0.8, 0.9, 1.0]),
                              cost_per_start=round(rng.uniform(0.5, 3), 2),
                              max_starts_per_period=float(rng.choice([26, 39, 52])),
                              class_size=float(rng.choice([7, 11, 13]))))
    return Inputs(settings=Settings(plan_name="hard", period_months=3, integer=True,
                                      time_limit_s=time_limit, mip_gap=1e-6),
                    periods=periods, categories=tuple(cats), targets=targets,
                    courses=tuple(courses),
                    objectives=(ObjectiveTerm(1, "shortfall"), ObjectiveTerm(2, "cost")))


@pytest.fixture(scope="module")
def hard_workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("hard") / "hard.xlsx"
    return write_workbook(path, plan_to_sheets(hard_plan(0.05)))


@pytest.mark.parametrize("solver, seconds", [("highs", "0.05"), ("cbc", "0.05")])
def test_a_stopped_solver_is_never_called_optimal(tmp_path, hard_workbook, solver, seconds):
    out = tmp_path / "hard-plan.xlsx"
    result = invoke("solve", hard_workbook, "-o", out, "--solver", solver, "--time-limit",
                    seconds)
    assert "Traceback" not in result.output
    if result.exit_code == 4:
        assert isinstance(result.exception, SystemExit)
        assert "No plan: no feasible plan found before the solver stopped" in result.output
        assert not out.exists()
    else:
        assert result.exit_code == 0, result.output
        status = summary(out)["status"]
        assert status.startswith("feasible, not proven optimal (solver stopped at objective "
                                 "level 1"), status
        assert "; gap " in status
        assert f"Status: {status}" in result.output
        mip = load_inputs(hard_workbook)  # whole classes even when stopped early
        data = pd.read_excel(out, sheet_name="Data")
        starts = data[data.quantity == "starts"]
        size = {k.name: k.class_size for k in mip.courses}
        assert all(abs(v / size[k] - round(v / size[k])) < 1e-6
                   for k, v in zip(starts["item"], starts["value"]))


def test_a_real_time_limit_with_a_plan_keeps_whole_classes():
    """HiGHS stopped after 1 s usually holds an integer plan: it is marked with its gap
    and satisfies the model in whole classes (else the solver found none: no plan)."""
    from force_plan.errors import SolverError
    from model_check import check_results

    try:
        res = solve_plan(hard_plan(1.0))
    except SolverError as err:
        assert "no feasible plan found before the solver stopped" in str(err)
        return
    assert res.status == "feasible" and res.gap is not None and res.gap > 0
    assert res.status_text == (f"feasible, not proven optimal (solver stopped at objective "
                               f"level 1: time limit reached; gap {res.gap:.4%})")
    problems = check_results(res)
    assert not problems, "\n".join(problems[:20])


def _stopped(status: str, gap=None):
    """Make pipeline.solve stop like a solver at its time limit."""
    real = pipeline.solve

    def fake(model, options):
        sol = real(model, options)
        if status == "no_solution":
            return Solution(status="no_solution", solver=sol.solver, message=(
                "no feasible plan found before the solver stopped (time limit reached)"))
        sol.status, sol.gap = "feasible", gap
        sol.message = "solver stopped at objective level 2: time limit reached"
        return sol
    return fake


def test_time_limit_without_a_plan_is_exit_4_and_nothing_written(monkeypatch, valid, previous):
    monkeypatch.setattr(pipeline, "solve", _stopped("no_solution"))
    result = invoke("solve", valid, "-o", previous[0])
    assert result.exit_code == 4 and isinstance(result.exception, SystemExit)
    assert result.output.splitlines()[-1] == (
        "No plan: no feasible plan found before the solver stopped (time limit reached). "
        "Allow more time (--time-limit) or, in integer mode, a larger --mip-gap.")
    assert_untouched(previous)


def test_time_limit_with_a_plan_is_marked_everywhere(monkeypatch, tmp_path, valid):
    monkeypatch.setattr(pipeline, "solve", _stopped("feasible", gap=0.0125))
    want = ("feasible, not proven optimal (solver stopped at objective level 2: time limit "
            "reached; gap 1.2500%)")
    out = tmp_path / "stopped.xlsx"
    result = invoke("solve", valid, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"Status: {want}" in result.output
    assert summary(out)["status"] == want
    texts = [c.value for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, str) and "optimal" in c.value.lower()]
    assert texts and all("not proven optimal" in t for t in texts), texts
    result = invoke("solve", valid, "-o", tmp_path / "stopped2.xlsx", "--json")
    assert '"status": "' + want + '"' in result.output


# --------------------------------------------------------------------------- Ctrl-C and crashes
def _raise(exc):
    def boom(*args, **kwargs):
        raise exc
    return boom


def test_ctrl_c_while_solving(monkeypatch, valid, previous):
    monkeypatch.setattr(pipeline, "solve", _raise(KeyboardInterrupt()))
    result = invoke("solve", valid, "-o", previous[0])
    assert result.exit_code == 130 and isinstance(result.exception, SystemExit)
    assert result.output.splitlines()[-1] == (
        f"Interrupted: stopped before a new plan was written; the plan at {previous[0]} is "
        "unchanged.")
    assert "Traceback" not in result.output and "Aborted" not in result.output
    assert_untouched(previous)


@pytest.mark.parametrize("where", ["building the workbook", "writing the file"])
def test_ctrl_c_while_writing(monkeypatch, valid, previous, where):
    if where == "writing the file":  # the temporary file exists when this is called
        monkeypatch.setattr(safe.os, "fsync", _raise(KeyboardInterrupt()))
    else:
        from force_plan.xlsx import plan as write
        monkeypatch.setattr(write, "write_data", _raise(KeyboardInterrupt()))
    result = invoke("solve", valid, "-o", previous[0])
    assert result.exit_code == 130, result.output
    assert result.output.splitlines()[-1].startswith("Interrupted: stopped before a new plan")
    assert_untouched(previous)


def test_ctrl_c_while_validating(monkeypatch, valid):
    from force_plan.inputs import load
    monkeypatch.setattr(load, "read_workbook", _raise(KeyboardInterrupt()))
    result = invoke("validate", valid)
    assert result.exit_code == 130 and result.output.strip() == "Interrupted."


def test_a_crash_while_writing_leaves_the_previous_plan(monkeypatch, valid, previous):
    monkeypatch.setattr(safe.os, "replace", _raise(RuntimeError("writer bug")))
    result = invoke("solve", valid, "-o", previous[0])
    assert result.exit_code == 1 and isinstance(result.exception, RuntimeError)
    assert_untouched(previous)


# --------------------------------------------------------------------------- output faults
@pytest.mark.parametrize("target, error, sentence", [
    ("tempfile.mkdtemp", PermissionError(errno.EACCES, "Permission denied"),
     "{out}: cannot write in {dir} (Permission denied) — choose another output folder."),
    ("os.replace", PermissionError(errno.EACCES, "Permission denied"),
     "{out}: cannot be replaced (Permission denied); it may be open in a spreadsheet program "
     "— close it and run again."),
    ("os.fsync", OSError(errno.ENOSPC, "No space left on device"),
     "{out}: cannot be written (No space left on device) — check the disk and the folder's "
     "permissions."),
    ("os.replace", OSError(errno.EROFS, "Read-only file system"),
     "{out}: cannot be written (Read-only file system) — check the disk and the folder's "
     "permissions."),
])
def test_output_faults_are_plain_and_keep_the_previous_plan(monkeypatch, valid, previous,
                                                            target, error, sentence):
    module, name = target.split(".")
    monkeypatch.setattr(getattr(safe, module), name, _raise(error))
    out = previous[0]
    result = invoke("solve", valid, "-o", out)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert result.output.splitlines()[-1] == sentence.format(out=out, dir=out.parent)
    assert_untouched(previous)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions; the "
                    "monkeypatched PermissionError cases above cover this path")
def test_read_only_folder(tmp_path, valid, previous):
    out, _ = previous
    out.parent.chmod(0o555)
    try:
        result = invoke("solve", valid, "-o", out)
    finally:
        out.parent.chmod(0o755)
    assert result.exit_code == 2
    assert "(Permission denied)" in result.output.splitlines()[-1]
    assert_untouched(previous)


def test_a_folder_in_place_of_the_output(tmp_path, valid):
    folder = tmp_path / "plan.xlsx"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    result = invoke("solve", valid, "-o", folder)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"'{folder}' is a directory" in result.output
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


def test_a_file_in_place_of_the_output_folder(tmp_path, valid):
    blocker = tmp_path / "outputs"
    blocker.write_text("not a folder")
    result = invoke("solve", valid, "-o", blocker / "plan.xlsx")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"{blocker}: the folder cannot be created (File exists) — choose another output "
        "folder.")
    assert blocker.read_text() == "not a folder"


def test_the_input_is_never_the_output(tmp_path, valid):
    before = valid.read_bytes()
    result = invoke("solve", valid, "-o", valid, "--force")
    assert result.exit_code == 2
    assert "this is the input workbook; force-plan never writes into its input" in result.output
    assert valid.read_bytes() == before


# --------------------------------------------------------------------------- determinism
def sheet_values(path) -> dict:
    """Every sheet's cell values; the Summary's run-time block (the only figures that
    vary between runs, and say so) is left out."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
        if ws.title == "Summary":
            cut = next(i for i, r in enumerate(rows)
                       if any(isinstance(v, str) and v.startswith("Run time") for v in r))
            rows = rows[:cut]
        out[ws.title] = rows
    return out


def test_the_same_input_gives_the_same_plan(tmp_path, valid):
    plans = []
    for name in ("first.xlsx", "second.xlsx"):
        assert invoke("solve", valid, "-o", tmp_path / name).exit_code == 0
        plans.append(sheet_values(tmp_path / name))
    assert plans[0]["Data"] == plans[1]["Data"]
    assert len(plans[0]["Data"]) > 50
    assert plans[0] == plans[1]


UNIQUE = {
    "Settings": [["setting", "value"], ["plan_name", "Row order"], ["period_months", 12]],
    "Periods": [["period", "recruits_available", "budget"], [2026, 120, None],
                [2027, 120, None], [2028, 120, None]],
    "Categories": [["category", "initial_strength", "attrition_rate", "cost_per_person_year",
                    "overstrength_cost", "separation_cost"],
                   ["Pilot", 40, 0.1, 1.0, 0.5, 2], ["Mechanic", 60, 0.05, 0.5, 0.4, 2],
                   ["Instructor", 10, 0.0, 1.2, 0.6, 2], ["Crew", 5, 0.02, 0.8, 0.3, 2]],
    "Targets": [["category", 2026, 2027, 2028], ["Pilot", 50, 60, 70], ["Mechanic", 70, 80, 90],
                ["Instructor", 12, 12, 14], ["Crew", 10, 10, 10]],
    "Courses": [["course", "from", "to", "duration_months", "yield", "cost_per_start",
                 "max_starts_per_period"],
                ["PilotBasic", "RECRUIT", "Pilot", 6, 0.8, 1.5, 40],
                ["MechBasic", "RECRUIT", "Mechanic", 3, 0.9, 0.5, 40],
                ["InstrConv", "Pilot", "Instructor", 3, 1, 0.3, 5],
                ["CrewBasic", "RECRUIT", "Crew", 0, 1, 0.7, None]],
    "Sites": [["site", "seats", "available_from", "available_until"], ["Home", 100, None, None],
              ["Partner", 20, 2027, 2028]],
    "CourseSites": [["course", "site", "max_starts_per_period", "cost_per_start"],
                    ["PilotBasic", "Home", 12, None], ["PilotBasic", "Partner", None, 2.5],
                    ["MechBasic", "Home", None, None], ["InstrConv", "Home", None, None],
                    ["CrewBasic", "Home", None, None], ["MechBasic", "Partner", None, 0.9]],
    "Equipment": [["equipment", "crew_category", "crew_per_system", "initial_inventory",
                   "loss_rate", "availability", "sustainment_cost_per_year"],
                  ["Jet", "Crew", 1, 10, 0.05, 0.8, 0.2], ["Radar", "Crew", 0.5, 4, 0.1, 1, 0.1]],
    "EquipmentTargets": [["equipment", 2026, 2027, 2028], ["Jet", 30, 30, 30],
                         ["Radar", 12, 12, 12]],
    "EquipmentSources": [["source", "equipment", "unit_cost", "lead_time_months",
                          "max_per_period", "total_available", "available_from",
                          "available_until"],
                         ["Factory", "Jet", 30, 12, 4, None, None, None],
                         ["Partner", "Jet", 40, 0, 3, 5, 2027, None],
                         ["Factory", "Radar", 5, 0, 2, None, None, None],
                         ["Ally", "Radar", 6, 0, 1, None, None, None]],
}
SHUFFLED = ("Categories", "Courses", "CourseSites", "EquipmentSources", "Targets", "Sites",
            "Equipment", "EquipmentTargets")


def _sorted(results) -> pd.DataFrame:
    return results.data.sort_values(["quantity", "item", "where", "period"]).reset_index(
        drop=True)


def test_row_order_does_not_change_the_plan(tmp_path):
    """The optimum of UNIQUE is unique: HiGHS and CBC give the same figures. Shuffling the
    rows of every table (three orders) changes no figure beyond 1e-6."""
    base = _sorted(solve_plan(load_inputs(write_workbook(tmp_path / "base.xlsx", UNIQUE))))
    cbc = _sorted(solve_plan(load_inputs(tmp_path / "base.xlsx"), RunOptions(solver="cbc")))
    assert (cbc.drop(columns="value") == base.drop(columns="value")).all().all()
    assert cbc.value.tolist() == pytest.approx(base.value.tolist(), rel=1e-6, abs=1e-6)
    assert base[base.quantity == "starts"].value.sum() > 50  # the plan does something
    for seed in (1, 2, 3):
        rng = random.Random(seed)
        sheets = copy.deepcopy(UNIQUE)
        for name in SHUFFLED:
            body = sheets[name][1:]
            rng.shuffle(body)
            sheets[name] = sheets[name][:1] + body
        assert sheets != UNIQUE
        res = solve_plan(load_inputs(write_workbook(tmp_path / f"order{seed}.xlsx", sheets)))
        got = _sorted(res)
        assert (got.drop(columns="value") == base.drop(columns="value")).all().all()
        assert got.value.tolist() == pytest.approx(base.value.tolist(), rel=1e-6, abs=1e-6)


def test_the_plan_does_not_depend_on_hash_order(tmp_path):
    """Two runs with different string-hash seeds (so every set and dict of names iterates
    differently) give the same plan."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    plans = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.xlsx"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "force_plan.cli", "solve",
                               str(root / "inputs" / "small.xlsx"), "-o", str(out)],
                              env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        plans.append(sheet_values(out))
    assert plans[0] == plans[1]
