"""`force-plan solve` through click, on small hand-made workbooks written against
WORKBOOK.md, with the optimum MODEL.md implies."""
import json

import openpyxl
import pytest
from click.testing import CliRunner

from force_plan.cli import main
from wbhelpers import write_workbook


def hand_sheets(**changes):
    """One category A (100 trained, 10 %/yr attrition, pay 1/yr), one 3-month entry
    course (yield 0.8, at most 10 starts, cost 2), targets 120 and 150 in 2027, 2028.

    By hand: 2027 strength 0.9·100 + 0.8·10 = 98 (22 short); 2028 0.9·98 + 8 = 96.2
    (53.8 short): level 1 = 75.8. Level 2 = cost = pay 98 + 96.2 + training 2·20 = 234.2.
    """
    sheets = {
        "Settings": [["setting", "value"], ["period_months", 12], ["cost_unit", "M"],
                     ["lookahead_periods", 0]],
        "Periods": [["period", "recruits_available", "budget"], [2027, None, None],
                    [2028, None, None]],
        "Categories": [["category", "initial_strength", "attrition_rate",
                        "cost_per_person_year", "min_fill"], ["A", 100, 0.1, 1, None]],
        "Targets": [["category", 2027, 2028], ["A", 120, 150]],
        "Courses": [["course", "from", "to", "duration_months", "yield", "cost_per_start",
                     "max_starts_per_period"], ["Basic", "RECRUIT", "A", 3, 0.8, 2, 10]],
    }
    for address, value in changes.items():
        sheet, row, col = address.split(":")
        sheets[sheet][int(row)][int(col)] = value
    return sheets


def solve(args, cwd=None):
    runner = CliRunner()
    result = runner.invoke(main, ["solve", *map(str, args)])
    assert "Traceback" not in result.output
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def summary(path):
    ws = openpyxl.load_workbook(path, read_only=True)["Summary"]
    out = {}
    for row in ws.iter_rows(min_row=2, max_col=2, values_only=True):
        if row[0] is not None:
            out[row[0]] = row[1]
    return out


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_solve_hand_workbook_optimum(tmp_path, solver):
    src = write_workbook(tmp_path / "hand.xlsx", hand_sheets())
    out = tmp_path / "plan.xlsx"
    r = solve([src, "-o", out, "--solver", solver])
    assert r.exit_code == 0, r.output
    s = summary(out)
    assert s["status"] == "optimal"
    assert s["objective_1"] == pytest.approx(75.8, rel=2e-6)
    assert s["objective_2"] == pytest.approx(234.2, rel=2e-6)
    assert s["total_shortfall"] == pytest.approx(75.8, rel=2e-6)
    assert s["input_file"] == "hand.xlsx" and len(s["input_sha256"]) == 64
    assert "Status: optimal" in r.output and "Plan written to" in r.output


def test_solve_json_summary(tmp_path):
    src = write_workbook(tmp_path / "hand.xlsx", hand_sheets())
    r = solve([src, "-o", tmp_path / "p.xlsx", "--json"])
    assert r.exit_code == 0
    line = [x for x in r.stdout.splitlines() if x.startswith("{")][0]
    g = json.loads(line)
    assert g["status"] == "optimal"
    assert g["objectives"]["1"]["value"] == pytest.approx(75.8, rel=2e-6)
    assert g["end_strength"]["strength"] == pytest.approx(96.2, rel=1e-5)
    assert g["end_strength"]["target"] == 150 and g["end_strength"]["in_training"] == 0
    assert g["shortfall_person_periods"] == {"total": 75.8, "by_priority": {"1": 75.8},
                                             "by_weapons_category": {"Other": 75.8}}
    assert g["budget"]["total_cost"] == pytest.approx(234.2, rel=1e-5)
    assert g["budget"]["spent"] is None and g["budget"]["budget"] is None  # no budget set


def test_hard_target_impossible_exits_3_naming_its_row(tmp_path):
    """min_fill 1 makes the targets hard; 10 starts a year cannot fill them."""
    src = write_workbook(tmp_path / "hard.xlsx", hand_sheets(**{"Categories:1:4": 1}))
    out = tmp_path / "plan.xlsx"
    r = solve([src, "-o", out])
    assert r.exit_code == 3
    assert "hard target of A in 2027 (Targets!B2; min_fill 1 at Categories!E2)" in r.output
    assert "hard target of A in 2028 (Targets!C2" in r.output
    assert "maximum starts of Basic (Courses!G2)" in r.output
    assert not out.exists()


def test_budget_too_small_exits_3_naming_budget_cell(tmp_path):
    sheets = hand_sheets(**{"Periods:1:2": 50})
    sheets["Categories"][0].append("max_separations_per_period")
    sheets["Categories"][1].append(0)
    src = write_workbook(tmp_path / "poor.xlsx", sheets)
    r = solve([src, "-o", tmp_path / "p.xlsx"])
    assert r.exit_code == 3
    assert "the budget of 2027 (Periods!C2) is 40 M too small" in r.output


def test_export_model_lp_and_mps(tmp_path):
    src = write_workbook(tmp_path / "hand.xlsx", hand_sheets())
    r = solve([src, "-o", tmp_path / "p.xlsx", "--export-model", tmp_path])
    assert r.exit_code == 0
    text = (tmp_path / "hand.lp").read_text()
    assert "strength_balance_c0_t0" in text and "starts_r0_t1" in text
    r = solve([src, "-o", tmp_path / "p.xlsx", "--export-model", tmp_path / "m.mps"])
    assert r.exit_code == 0 and "ROWS" in (tmp_path / "m.mps").read_text()


def test_default_output_goes_to_outputs(tmp_path, monkeypatch):
    src = write_workbook(tmp_path / "hand.xlsx", hand_sheets())
    monkeypatch.chdir(tmp_path)
    r = solve([src])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "outputs" / "hand-plan.xlsx").exists()


def test_integer_flag_reports_gap(tmp_path):
    src = write_workbook(tmp_path / "hand.xlsx", hand_sheets())
    out = tmp_path / "p.xlsx"
    r = solve([src, "-o", out, "--integer"])
    assert r.exit_code == 0
    s = summary(out)
    assert s["integer"] == "yes"
    assert s["status"].startswith("optimal (integer plan within a relative gap of")
