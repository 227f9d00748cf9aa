"""The editable template and the bundled examples (force_plan.authoring.template, examples)."""
from __future__ import annotations

import collections
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from force_plan.authoring import examples
from force_plan.cli import main
from force_plan.errors import OutputError
from force_plan.contract.schema import (OBJECTIVE_TERMS, RECRUIT, SETTINGS, SHEETS, SHEETS_BY_NAME)
from force_plan.inputs.load import load_inputs
from force_plan.authoring.template import (FIXED_TIME, header_text, write_example,
                                           write_workbook)

ROOT = Path(__file__).resolve().parents[1]
YEARS = ["2027", "2028", "2029", "2030", "2031"]


@pytest.fixture(scope="module")
def blank_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "blank.xlsx"
    write_example("blank", path)
    return path


@pytest.fixture(scope="module")
def blank(blank_path):
    return openpyxl.load_workbook(blank_path)


def _cells(path) -> dict:
    """Every non-empty cell value and comment of every sheet, keyed by (sheet, coordinate)."""
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): (c.value, c.comment.text if c.comment else None)
            for ws in wb for row in ws.iter_rows() for c in row
            if c.value is not None or c.comment is not None}


def _validations(ws) -> dict:
    """sqref → (type, formula1, errorStyle) of every data validation of a sheet."""
    return {str(dv.sqref): (dv.type, dv.formula1, dv.errorStyle)
            for dv in ws.data_validations.dataValidation}


# --------------------------------------------------------------------------- structure
def test_blank_has_readme_then_every_contract_sheet_in_schema_order(blank):
    assert blank.sheetnames == ["README"] + [s.name for s in SHEETS]


def test_blank_headers_are_exactly_the_schema_columns_in_order(blank):
    for sheet in SHEETS:
        header = [c.value for c in blank[sheet.name][1]]
        if sheet.layout == "wide":
            assert header == [sheet.columns[0].name] + YEARS, sheet.name
        else:
            assert header == list(sheet.column_names), sheet.name


def test_settings_lists_every_setting_in_schema_order_with_blank_defaults(blank):
    rows = list(blank["Settings"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [s.key for s in SETTINGS]
    values = dict(rows)
    assert values == {"plan_name": "My force plan", "period_months": 12, "force_cap": None,
                      "overstrength_cap": None, "cost_unit": "USD million", "solver": None,
                      "time_limit_s": None, "mip_gap": None, "integer": None,
                      "lookahead_periods": None}
    assert blank["Settings"].max_column == 2  # only the contract columns


def test_blank_has_one_illustrative_row_per_sheet_and_yearly_periods(blank):
    assert [r[0] for r in blank["Periods"].iter_rows(min_row=2, values_only=True)] == YEARS
    for name in ("Categories", "Targets", "Courses", "Sites", "CourseSites", "Pipeline",
                 "Equipment", "EquipmentTargets", "EquipmentSources"):
        assert blank[name].max_row == 2, name
    assert blank["Courses"]["B2"].value == RECRUIT
    assert [r for r in blank["Objectives"].iter_rows(min_row=2, values_only=True)] == [
        (1, "shortfall", None, None, None), (1, "equipment_shortfall", None, None, None),
        (2, "cost", None, None, None), (3, "changes", None, None, None)]


def test_period_labels_are_written_as_text(blank):
    assert blank["Periods"]["A2"].value == "2027"
    assert blank["Pipeline"]["B2"].value == "2027"
    assert blank["Targets"]["B1"].value == "2027"
    assert blank["Periods"]["A2"].number_format == "@"


# --------------------------------------------------------------------------- comments
def test_every_header_has_a_comment_with_meaning_and_default(blank):
    for sheet in SHEETS:
        ws = blank[sheet.name]
        for cell in ws[1]:
            assert cell.comment is not None, f"{sheet.name}!{cell.coordinate}"
            text = cell.comment.text
            if sheet.layout == "wide" and cell.column > 1:
                assert sheet.value.meaning[1:] in text
                assert "Blank = no requirement in this period." in text
                continue
            col = sheet.column(cell.value)
            assert col.meaning[1:] in text, f"{sheet.name}!{cell.coordinate}"
            assert col.default_text()[1:] in text, f"{sheet.name}!{cell.coordinate}"


def test_header_comment_text_is_exact():
    col = SHEETS_BY_NAME["Courses"].column("yield")
    assert header_text(col, "USD million") == (
        "yield\nFraction of starters who graduate; the rest leave the force.\n"
        "Unit: fraction.\nDefault 1.\nAllowed: > 0 and ≤ 1.")
    cost = SHEETS_BY_NAME["CourseSites"].column("cost_per_start")
    assert header_text(cost, "USD million") == (
        "cost_per_start\nOverrides the course's cost_per_start.\n"
        "Unit: USD million per start (the cost_unit of Settings).\n"
        "Blank = none (the course's own cost_per_start applies).\nAllowed: ≥ 0.")
    frm = SHEETS_BY_NAME["Courses"].column("from")
    assert header_text(frm).endswith(
        "Must match a name on the Categories sheet (dropdown).\n"
        "Or RECRUIT: new entrants (type it; accept the warning).")


def test_every_setting_name_has_a_comment_with_its_meaning_and_default(blank):
    ws = blank["Settings"]
    for row, s in enumerate(SETTINGS, start=2):
        text = ws.cell(row, 1).comment.text
        assert s.meaning[1:] in text and s.default_text()[1:] in text, s.key


# --------------------------------------------------------------------------- dropdowns
def test_every_reference_column_has_a_dropdown_over_the_referenced_ids(blank):
    checked = 0
    for sheet in SHEETS:
        ws = blank[sheet.name]
        dvs = _validations(ws)
        for j, col in enumerate(sheet.columns, start=1):
            if not col.ref:
                continue
            letter = openpyxl.utils.get_column_letter(j)
            assert dvs[f"{letter}2:{letter}1000"] == (
                "list", f"{col.ref}!$A$2:$A$1000", "warning"), f"{sheet.name}.{col.name}"
            checked += 1
    assert checked == 15


def test_from_dropdown_warns_but_allows_recruit(blank):
    dv = next(d for d in blank["Courses"].data_validations.dataValidation
              if str(d.sqref) == "B2:B1000")
    assert dv.errorStyle == "warning"
    assert dv.error == ("Not a name on the Categories sheet (yet). RECRUIT (new entrants) is "
                        "allowed here: accept it.")


def test_choice_and_yesno_dropdowns(blank):
    objectives = _validations(blank["Objectives"])
    assert objectives["B2:B1000"] == ("list", '"' + ",".join(OBJECTIVE_TERMS) + '"', "warning")
    settings = _validations(blank["Settings"])
    rows = {s.key: i for i, s in enumerate(SETTINGS, start=2)}
    assert settings[f"B{rows['solver']}"] == ("list", '"highs,cbc"', "warning")
    assert settings[f"B{rows['integer']}"] == ("list", '"yes,no"', "warning")
    assert settings[f"B{rows['period_months']}"] == ("list", '"1,3,6,12"', "warning")
    assert settings["A2:A1000"][1] == '"' + ",".join(s.key for s in SETTINGS) + '"'


def test_numeric_columns_refuse_text_and_out_of_range_values(blank):
    dvs = _validations(blank["Categories"])
    assert dvs["E2:E1000"] == ("decimal", "0", "stop")  # attrition_rate 0..1
    dv = next(d for d in blank["Categories"].data_validations.dataValidation
              if str(d.sqref) == "E2:E1000")
    assert (dv.operator, dv.formula2, dv.error) == (
        "between", "1", "Type a number from 0 to 1, or leave the cell blank.")
    assert _validations(blank["Categories"])["C2:C1000"] == ("whole", "1", "stop")  # priority


# --------------------------------------------------------------------------- styles
def test_frozen_headers_number_formats_and_widths(blank):
    assert blank["Categories"].freeze_panes == "A2"
    assert blank["Targets"].freeze_panes == "B2"
    cats = blank["Categories"]
    assert cats["E2"].number_format == "0.0#%"      # attrition_rate: a fraction
    assert cats["D2"].number_format == "#,##0"      # initial_strength: persons
    assert cats["F2"].number_format == "#,##0.00##"  # cost_per_person_year: money
    assert cats["A1"].font.bold and cats["A1"].fill.fgColor.rgb == "001F4E78"
    assert cats["A2"].fill.fgColor.rgb == "00FFF2CC"
    assert 10 <= cats.column_dimensions["A"].width <= 45


def test_readme_explains_the_workbook(blank):
    text = "\n".join(str(c) for row in blank["README"].iter_rows(values_only=True)
                     for c in row if c)
    for phrase in ("force-plan validate", "force-plan solve", "RECRUIT is a reserved word",
                   "0 is a value, never a blank", "annual fractions", "not data about any "
                   "armed force"):
        assert phrase in text, phrase
    for sheet in SHEETS:
        assert f"{sheet.name}\n(" in text


# --------------------------------------------------------------------------- stability
def test_two_writes_give_identical_cells_and_identical_bytes(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_example("small", a)
    write_example("small", b)
    assert _cells(a) == _cells(b)
    assert a.read_bytes() == b.read_bytes()
    props = openpyxl.load_workbook(a).properties
    assert (props.created, props.modified) == (FIXED_TIME, FIXED_TIME)


@pytest.mark.parametrize("name", examples.COMMITTED)
def test_committed_example_matches_the_code(name, tmp_path):
    fresh = tmp_path / f"{name}.xlsx"
    write_example(name, fresh)
    assert _cells(ROOT / "inputs" / f"{name}.xlsx") == _cells(fresh), (
        f"inputs/{name}.xlsx is stale: run python -m force_plan.authoring.examples")


# --------------------------------------------------------------------------- validity
@pytest.mark.parametrize("name", examples.NAMES)
def test_examples_are_valid_without_warnings(name, tmp_path):
    path = tmp_path / f"{name}.xlsx"
    write_example(name, path)
    inputs = load_inputs(path)
    assert list(inputs.warnings) == []


def test_cli_template_then_validate_exits_zero(tmp_path):
    runner = CliRunner()
    path = tmp_path / "t.xlsx"
    result = runner.invoke(main, ["template", str(path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_write_workbook_rejects_unknown_sheets_and_columns(tmp_path):
    with pytest.raises(ValueError, match="not in the contract: \\['Notes'\\]"):
        write_workbook(tmp_path / "x.xlsx", {"Notes": []})
    with pytest.raises(ValueError, match="not its columns: \\['colour'\\]"):
        write_workbook(tmp_path / "x.xlsx", {"Sites": [{"site": "A", "colour": "red"}]})
    with pytest.raises(ValueError, match="unknown settings: \\['speed'\\]"):
        write_workbook(tmp_path / "x.xlsx", {"Settings": {"speed": 1}})


def test_a_missing_folder_is_created_and_a_file_never_replaced_without_force(tmp_path):
    path = tmp_path / "new" / "t.xlsx"
    write_example("blank", path)  # the same rules as every output: the folder is made
    before = path.read_bytes()
    with pytest.raises(OutputError, match="already exists; force-plan does not overwrite"):
        write_example("small", path)
    assert path.read_bytes() == before
    write_example("small", path, force=True)
    assert path.read_bytes() != before
    assert sorted(p.name for p in path.parent.iterdir()) == ["t.xlsx"]


def test_script_writes_the_committed_examples(tmp_path, capsys):
    assert examples.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.xlsx", "small.xlsx"]
    assert examples.main(["--help"]) == 2


# --------------------------------------------------------------------------- baseline
@pytest.fixture(scope="module")
def baseline():
    return examples.example("baseline").content


def test_baseline_meets_the_minimum_sizes(baseline):
    cats, courses = baseline["Categories"], baseline["Courses"]
    assert len(cats) >= 16
    assert len({c["weapons_category"] for c in cats}) >= 10
    assert len(courses) >= 30
    assert sum(c["from"] == RECRUIT for c in courses) >= 1
    conversions = [c for c in courses if c["from"] != RECRUIT and c["instructor_category"]
                   and c["starts_per_instructor"]]
    assert len(conversions) >= 5
    assert len(baseline["Sites"]) >= 10
    assert len(baseline["Equipment"]) >= 15
    assert len(baseline["EquipmentSources"]) >= 25
    assert len(baseline["Periods"]) == 20
    assert baseline["Periods"][0]["period"] == "2027-Q1"
    assert baseline["Periods"][-1]["period"] == "2031-Q4"
    assert baseline["Settings"]["force_cap"] == 800000
    assert baseline["Settings"]["period_months"] == 3


def test_baseline_weapons_categories_are_the_capability_coalitions_and_more(baseline):
    assert {c["weapons_category"] for c in baseline["Categories"]} == {
        "Air Force", "Armour", "Artillery", "Demining", "Drones",
        "Integrated Air and Missile Defence", "IT", "Maritime", "Manoeuvre Infantry",
        "Electronic Warfare", "Signals", "Logistics", "Medical", "Command"}
    prio = {c["weapons_category"]: c["priority"] for c in baseline["Categories"]}
    assert prio["Integrated Air and Missile Defence"] == prio["Maritime"] == 1


def test_baseline_budget_covers_forced_spending(baseline):
    """Strength can only fall by attrition and limited separations, inventory only by loss:
    the budget must pay for the least of them in every quarter or the plan is infeasible."""
    cats, equipment = baseline["Categories"], baseline["Equipment"]
    strength = {c["category"]: c["initial_strength"] for c in cats}
    for t, period in enumerate(baseline["Periods"]):
        for c in cats:
            limit = c["max_separations_per_period"]
            kept = strength[c["category"]] * (1 - c["attrition_rate"]) ** 0.25
            strength[c["category"]] = max(0.0, kept - (limit if limit is not None else kept))
        pay = sum(strength[c["category"]] * c["cost_per_person_year"] / 4 for c in cats)
        sustain = sum(e["initial_inventory"] * (1 - e["loss_rate"]) ** ((t + 1) / 4)
                      * e["sustainment_cost_per_year"] / 4 for e in equipment)
        assert period["budget"] > 1.1 * (pay + sustain), period["period"]


def test_examples_say_they_are_illustrative(tmp_path):
    for name in ("small", "baseline"):
        path = tmp_path / f"{name}.xlsx"
        write_example(name, path)
        readme = openpyxl.load_workbook(path)["README"]
        assert readme["A2"].value == "ILLUSTRATIVE"
        assert "It is not data about any armed force." in readme["B2"].value
