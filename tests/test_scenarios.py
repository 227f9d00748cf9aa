"""Scenario lines of every kind, applied to the raw workbook and validated like any workbook."""
from __future__ import annotations

import pytest

from force_plan.errors import InputError
from force_plan.inputs.scenarios import parse_scenarios, scenario_plan
from force_plan.inputs.load import load_inputs
from force_plan.inputs.read import read_workbook

from wbhelpers import run_validate, valid_sheets, write_workbook

HEAD = ["scenario", "sheet", "row", "column", "change", "value", "note"]


def book(tmp_path, lines, sheets=None, name="x.xlsx"):
    sheets = sheets or valid_sheets()
    sheets["Scenarios"] = [HEAD] + [list(line) for line in lines]
    return write_workbook(tmp_path / name, sheets)


def plans(path):
    """{scenario name: Inputs or InputError}."""
    raw = read_workbook(path)
    out = {}
    for s in parse_scenarios(raw).values():
        try:
            out[s.name] = scenario_plan(raw, s, str(path))
        except InputError as err:
            out[s.name] = err
    return out


def test_set_scale_and_add_on_table_cells(tmp_path):
    path = book(tmp_path, [
        ["more", "Periods", "2027", "budget", "set", 500],
        ["more", "Categories", "Pilot", "attrition_rate", "add", 0.02],
        ["more", "courses", "pilotbasic", "Cost_Per_Start", "scale", 2],  # any letter case
        ["cut", "Periods", "*", "recruits_available", "scale", 0.5],
    ])
    got = plans(path)
    more, cut = got["more"], got["cut"]
    assert [p.budget for p in more.periods] == [None, 500, 900]
    assert more.category("Pilot").attrition_rate == pytest.approx(0.10)
    assert more.course("PilotBasic").cost_per_start == 3.0
    assert more.category("Pilot").cells["attrition_rate"] == "Categories!E2 (set by Scenarios!F3)"
    # * = every row; the blank 2028 stays blank (no limit) with a warning naming the line
    assert [p.recruits_available for p in cut.periods] == [50, 50, None]
    (warning,) = [w for w in cut.warnings if w.startswith("Scenarios!F5")]
    assert "Periods!B4 is blank, so scale leaves it blank" in warning
    # the base workbook is the workbook as it is
    base = load_inputs(path)
    assert [p.budget for p in base.periods] == [None, 900, 900]


def test_lines_apply_in_sheet_order_and_set_blank_clears(tmp_path):
    got = plans(book(tmp_path, [
        ["s", "Periods", "2026", "budget", "set", 100],
        ["s", "Periods", "2026", "budget", "scale", 3],
        ["s", "Periods", "2026", "budget", "add", -50],
        ["s", "Courses", "PilotBasic", "max_starts_per_period", "set", None],
        ["t", "Periods", "2026", "budget", "scale", 3],   # blank: stays blank
    ]))
    assert got["s"].periods[0].budget == 250
    assert got["s"].course("PilotBasic").max_starts_per_period is None
    assert got["t"].periods[0].budget is None


def test_targets_every_row_and_period_and_a_row_of_blanks(tmp_path):
    got = plans(book(tmp_path, [
        ["up", "Targets", "*", "*", "scale", 1.5],
        ["new", "Targets", "instructor", "2027", "set", 7],   # no Targets row yet
        ["eq", "EquipmentTargets", "JET", "*", "add", 2],
    ]))
    up = {(t.item, t.period): t.value for t in got["up"].targets}
    assert up == {("Pilot", 0): 75, ("Pilot", 1): 90, ("Mechanic", 0): 135,
                  ("Mechanic", 1): 0, ("Mechanic", 2): 150}   # blank 2028 of Pilot stays blank
    new = {(t.item, t.period): t.value for t in got["new"].targets}
    assert new[("Instructor", 1)] == 7 and len(new) == 6
    (t,) = [t for t in got["new"].targets if t.item == "Instructor"]
    assert t.cell == "Targets!C4 (set by Scenarios!F3)"
    assert [t.value for t in got["eq"].equipment_targets] == [18, 20, 22]


def test_settings_set_scale_and_a_setting_without_a_row(tmp_path):
    got = plans(book(tmp_path, [
        ["cap", "Settings", "force_cap", "value", "scale", 1.2],
        ["cap", "Settings", "overstrength_cap", "value", "set", 10],
        ["cap", "Settings", "period_months", "value", "set", "6"],   # numeric text
    ]))
    s = got["cap"].settings
    assert s.force_cap == 600 and s.overstrength_cap == 10 and s.period_months == 6


def test_two_part_row_names(tmp_path):
    got = plans(book(tmp_path, [
        ["s", "CourseSites", "PilotBasic @ partner", "cost_per_start", "set", 3],
        ["s", "EquipmentSources", "factory@jet", "lead_time_months", "scale", 2],
        ["s", "Pipeline", "PilotBasic @ 2026", "graduates", "add", 5],
    ]))
    inputs = got["s"]
    assert [cs.cost_per_start for cs in inputs.course_sites] == [None, 3, None, None]
    assert inputs.sources[0].lead_time_months == 48
    assert inputs.pipeline[0].graduates == 15


def test_an_absent_optional_column_can_be_set(tmp_path):
    got = plans(book(tmp_path, [["s", "Categories", "Mechanic", "reserve_cap", "set", 12]]))
    assert got["s"].category("Mechanic").reserve_cap == 12
    assert got["s"].category("Pilot").reserve_cap == 0


# ------------------------------------------------------------------ hostile lines
@pytest.mark.parametrize("line, where, words", [
    (["s", "Budgets", "2026", "budget", "set", 1], "Scenarios!B2", "not a sheet"),
    (["s", "Objectives", "1", "weight", "set", 1], "Scenarios!B2", "a scenario can change"),
    (["s", "Periods", "2040", "budget", "set", 1], "Scenarios!C2", "matches no period"),
    (["s", "Periods", "2026", "budgett", "set", 1], "Scenarios!D2", "did you mean 'budget'"),
    (["s", "Categories", "Pilot", "category", "set", "X"], "Scenarios!D2", "identifies"),
    (["s", "Targets", "Pilot", "2040", "set", 1], "Scenarios!D2", "not a period"),
    (["s", "Categories", "Pilot", "attrition_rate", "scale", "ten"], "Scenarios!F2",
     "needs a number"),
    (["s", "Categories", "Pilot", "weapons_category", "add", 1], "Scenarios!F2",
     "not a number"),
    (["s", "Periods", "2026", "budget", "grow", 1], "Scenarios!E2", "not one of"),
    (["base", "Periods", "2026", "budget", "set", 1], "Scenarios!A2", "reserved"),
    (["s", "CourseSites", "PilotBasic", "cost_per_start", "set", 1], "Scenarios!C2",
     "course @ site"),
])
def test_a_bad_line_names_its_scenarios_cell(tmp_path, line, where, words):
    path = book(tmp_path, [line])
    with pytest.raises(InputError) as info:
        load_inputs(path)
    assert [p.where for p in info.value.problems] == [where]
    assert words in str(info.value.problems[0])
    code, out = run_validate(path)
    assert code == 2 and where in out


def test_a_row_matching_two_rows_is_an_error(tmp_path):
    sheets = valid_sheets()
    sheets["Pipeline"].append(["PilotBasic", 2026, 4])
    with pytest.raises(InputError) as info:
        load_inputs(book(tmp_path, [["s", "Pipeline", "PilotBasic @ 2026", "graduates", "set", 1]],
                       sheets))
    (p,) = info.value.problems
    assert p.where == "Scenarios!C2" and "matches 2 rows" in p.what


def test_a_scenario_that_breaks_the_workbook_names_the_line(tmp_path):
    path = book(tmp_path, [
        ["text", "Categories", "Pilot", "attrition_rate", "set", "ten percent"],
        ["high", "Categories", "*", "attrition_rate", "add", 1],
        ["fine", "Periods", "2027", "budget", "set", 800],
        ["minmax", "Courses", "MechBasic", "max_starts_per_period", "set", 1],
    ])
    got = plans(path)
    assert got["fine"].periods[1].budget == 800
    (p,) = got["text"].problems
    assert p.where == "Categories!E2 (set by Scenarios!F2)"
    assert "must be a number" in p.what and "ten percent" in p.what
    assert [p.where for p in got["high"].problems] == [
        f"Categories!E{r} (set by Scenarios!F3)" for r in (2, 3, 4)]
    (p,) = got["minmax"].problems
    assert p.where == "Courses!H3 (row changed by Scenarios!F5)"
    assert "above max_starts_per_period" in p.what
    # validate reports each broken scenario and exits 2; the base alone is valid
    code, out = run_validate(path)
    assert code == 2
    assert "scenario 'text'" in out and "Categories!E2 (set by Scenarios!F2)" in out
    assert "scenario 'fine': valid" in out


def test_validate_says_solve_does_not_use_the_sheets(tmp_path):
    sheets = valid_sheets()
    sheets["Uncertainty"] = [["sheet", "row", "column", "low", "likely", "high"],
                             ["Categories", "*", "attrition_rate", 0.8, 1, 1.2]]
    path = book(tmp_path, [["cut", "Periods", "*", "budget", "scale", 0.8, "less money"]],
                sheets)
    code, out = run_validate(path)
    assert code == 0, out
    assert "Scenarios: 1 scenario — solve plans the workbook as it is and does not use " \
           "them; force-plan sweep solves them" in out
    assert "scenario 'cut': valid (1 line)" in out
    assert "Uncertainty: 1 line — solve does not use them; force-plan risk draws them" in out
    assert "warning: Scenarios!F2: scenario 'cut': Periods!C2 is blank, so scale leaves it " \
        "blank" in out
