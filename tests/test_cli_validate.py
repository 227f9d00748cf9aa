"""`force-plan validate`: what a planner sees, exit statuses, speed, bundled inputs."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from force_plan.inputs.load import describe_inputs, load_inputs
from wbhelpers import put, run_validate, valid_sheets, write_workbook

ROOT = Path(__file__).resolve().parents[1]


def test_valid_workbook_prints_summary_and_exits_0(tmp_path):
    path = write_workbook(tmp_path / "ok.xlsx", valid_sheets())
    code, out = run_validate(path)
    assert code == 0
    assert out.splitlines() == [
        "Plan: Test plan",
        "Horizon: 3 periods of 12 months (2026 to 2028)",
        "Holds: 3 categories, 3 courses, 2 sites, 4 course-site rows, 1 pipeline class, "
        "1 equipment type, 1 equipment source, 3 objective terms on 2 levels",
        "Courses: 2 from RECRUIT, 1 conversion",
        "Target strength: 140 in 2026, 100 in 2028 (5 target cells); force cap 500; "
        "130 trained at start",
        "Equipment: 20 systems at start; operational target 16 in 2026, 20 in 2028",
        "Budget: set in 2 of 3 periods, 900 to 900 currency units per period",
        "Integer mode: no; solver: highs",
        f"{path}: valid.",
    ]


def test_target_above_force_cap_is_noted(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Settings!B4", 120)
    lines = describe_inputs(load_inputs(write_workbook(tmp_path / "cap.xlsx", sheets)))
    assert "Note: the total target in 2026 (140) is above the force cap (120), so some " \
           "shortfall is unavoidable" in lines


def test_warnings_printed_and_exit_0(tmp_path):
    sheets = valid_sheets()
    sheets["Scratch"] = [["my own sums"]]
    code, out = run_validate(write_workbook(tmp_path / "w.xlsx", sheets))
    assert code == 0
    assert out.splitlines()[0] == ("warning: Scratch: this sheet is not part of the workbook "
                                   "contract and is ignored")


def test_invalid_prints_every_problem_and_warnings_exit_2(tmp_path):
    sheets = valid_sheets()
    sheets["Scratch"] = [["my own sums"]]
    put(sheets, "Periods!B3", "many")
    put(sheets, "Courses!E3", 1.2)
    code, out = run_validate(write_workbook(tmp_path / "bad.xlsx", sheets))
    assert code == 2
    assert out.splitlines() == [
        "warning: Scratch: this sheet is not part of the workbook contract and is ignored",
        "The workbook has 2 problems:",
        "  Periods!B3: recruits_available must be a number, but the cell holds the text "
        "'many' — type a number such as 1000 or 0.08 (no thousands separators, units or "
        "quotes)",
        "  Courses!E3: yield is 1.2, outside its allowed range — type a value > 0 and ≤ 1 "
        "(a fraction: 0.08 means 8 %)",
    ]


@pytest.mark.parametrize("name", ["baseline.xlsx", "small.xlsx"])
def test_bundled_inputs_validate_quickly(name):
    path = ROOT / "inputs" / name
    if not path.exists():
        pytest.skip(f"{path} not written yet")
    start = time.perf_counter()
    inputs = load_inputs(path)
    elapsed = time.perf_counter() - start
    assert inputs.warnings == ()
    assert elapsed < 2.0, f"validating {name} took {elapsed:.2f} s"
    code, out = run_validate(path)
    assert code == 0 and out.splitlines()[-1] == f"{path}: valid."


@pytest.mark.parametrize("example", ["blank", "small"])
def test_template_output_validates(tmp_path, example):
    template = pytest.importorskip("force_plan.authoring.template")
    path = tmp_path / f"{example}.xlsx"
    template.write_example(example, path)
    code, out = run_validate(path)
    assert code == 0, out
    assert "warning" not in out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_saving_in_libreoffice_stores_formula_values(tmp_path):
    """The fix the message gives works: after a save in LibreOffice the value is read."""
    sheets = valid_sheets()
    put(sheets, "Categories!D2", "=10*4")
    (tmp_path / "in").mkdir()
    path = write_workbook(tmp_path / "in" / "f.xlsx", sheets)
    code, out = run_validate(path)
    assert code == 2 and "Categories!D2: this formula has no saved value" in out
    outdir = tmp_path / "out"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx", "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=120)
    saved = outdir / "f.xlsx"
    inputs = load_inputs(saved)
    assert inputs.categories[0].initial_strength == 40.0
    assert inputs.categories[0].attrition_rate == pytest.approx(0.08)
    assert inputs.period_labels == ("2026", "2027", "2028")
