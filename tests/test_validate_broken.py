"""Broken workbooks: `force-plan validate` exits 2 and names the exact Sheet!Cell.

Each case starts from the valid workbook of ``wbhelpers`` and breaks one thing.
"""
from __future__ import annotations

import datetime

import pytest

from wbhelpers import drop_column, patch_part, put, run_validate, sheet_part, valid_sheets, \
    write_workbook


def _del_sheet(name):
    return lambda s: s.pop(name)


def _put(*pairs):
    def mutate(s):
        for address, value in zip(pairs[::2], pairs[1::2]):
            put(s, address, value)
    return mutate


def _drop(sheet, header):
    return lambda s: drop_column(s, sheet, header)


def _append(sheet, row):
    return lambda s: s[sheet].append(row)


def _rename_sheet(old, new):
    def mutate(s):
        rows = s.pop(old)
        s[new] = rows
    return mutate


def _delete_row(sheet, index):
    return lambda s: s[sheet].pop(index - 1)


# (id, mutation, expected start of the problem line, fragment of the same line)
CASES = [
    ("text_in_number", _put("Categories!D3", "ten"),
     "Categories!D3: initial_strength must be a number, but the cell holds the text 'ten'",
     "no thousands separators"),
    ("thousands_separator", _put("Categories!F2", "1,000"),
     "Categories!F2: cost_per_person_year must be a number", "'1,000'"),
    ("date_in_number", _put("Categories!D2", datetime.date(2026, 1, 1)),
     "Categories!D2: initial_strength must be a number, but the cell holds the date",
     "format the cell as Number"),
    ("boolean_in_number", _put("Periods!B2", True),
     "Periods!B2: recruits_available must be a number", "TRUE"),
    ("missing_sheet", _del_sheet("Courses"),
     "Courses: this required sheet is missing", "add a sheet named Courses"),
    ("misspelt_sheet", _rename_sheet("Categories", "Categorys"),
     "Categories: this required sheet is missing", "did you mean the sheet 'Categorys'? Rename it to Categories"),
    ("missing_required_column", _drop("Courses", "to"),
     "Courses: the required column 'to' is missing", "add a column headed to"),
    ("misspelt_header", _put("Categories!A1", "categroy"),
     "Categories!A1: the required column 'category' is missing; this header reads 'categroy'",
     "did you mean 'category'?"),
    ("duplicate_id", _put("Categories!A4", "Pilot"),
     "Categories!A4: category 'Pilot' is defined twice; it is already at Categories!A2",
     "keep one row per name"),
    ("case_only_duplicate", _put("Categories!A4", "PILOT"),
     "Categories!A4: category 'PILOT' is defined twice; it is already at Categories!A2 as "
     "'Pilot'", "letter case is ignored"),
    ("dangling_reference", _put("Courses!C4", "Instrucor"),
     "Courses!C4: to 'Instrucor' is not a category on the Categories sheet",
     "did you mean 'Instructor'?"),
    ("dangling_instructor", _put("Courses!I2", "Instructors"),
     "Courses!I2: instructor_category 'Instructors' is not a category", "'Instructor'"),
    ("recruit_as_category", _put("Categories!A3", "Recruit"),
     "Categories!A3: 'Recruit' is reserved", "another name"),
    ("to_recruit", _put("Courses!C3", "RECRUIT"),
     "Courses!C3: to is RECRUIT, but graduates must join a category", "type the category"),
    ("from_equals_to", _put("Courses!B4", "instructor"),
     "Courses!C4: the course goes from 'Instructor' to the same category", "fix from or to"),
    ("period_header_mismatch", _put("Targets!D1", 2029),
     "Targets!D1: the header '2029' is not a period on the Periods sheet", "Head each column"),
    ("missing_period_column", _put("Targets!D1", 2029),
     "Targets: no column for period '2028'", "add a column headed 2028"),
    ("formula_without_value", _put("Categories!D2", "=10*4"),
     "Categories!D2: this formula has no saved value",
     "open and save the file in Excel or LibreOffice"),
    ("rate_at_one", _put("Categories!E3", 1),
     "Categories!E3: attrition_rate is 1, outside its allowed range", "≥ 0 and < 1"),
    ("yield_zero", _put("Courses!E2", 0),
     "Courses!E2: yield is 0, outside its allowed range", "> 0 and ≤ 1"),
    ("priority_fraction", _put("Categories!C3", 1.5),
     "Categories!C3: priority must be a whole number, but the cell holds 1.5",
     "whole number such as 1"),
    ("priority_zero", _put("Equipment!C2", 0),
     "Equipment!C2: priority is 0, outside its allowed range", "≥ 1"),
    ("negative_count", _put("Categories!D2", -5),
     "Categories!D2: initial_strength is -5, outside its allowed range", "≥ 0"),
    ("huge_number", _put("Periods!C3", 1e300),
     "Periods!C3: budget is 1e+300, which is not a usable number", "finite number"),
    ("starts_per_instructor_missing", _put("Courses!J2", None),
     "Courses!I2: instructor_category is set, but neither trainees_per_instructor nor "
     "starts_per_instructor is", "or clear instructor_category"),
    ("crew_per_system_missing", _put("Equipment!E2", None),
     "Equipment!E2: crew_per_system is blank, but crew_category is set", "persons of"),
    ("sites_without_coursesites", _del_sheet("CourseSites"),
     "Sites: there is a Sites sheet but no CourseSites sheet", "add a CourseSites sheet"),
    ("coursesites_without_sites", _del_sheet("Sites"),
     "CourseSites: the CourseSites sheet refers to Sites, but the workbook has no Sites",
     "add a Sites sheet"),
    ("course_missing_from_coursesites", _delete_row("CourseSites", 5),
     "Courses!A4: course 'InstructorConv' has no row on the CourseSites sheet",
     "add a CourseSites row"),
    ("coursesite_unknown_site", _put("CourseSites!B5", "Hme"),
     "CourseSites!B5: site 'Hme' is not a site on the Sites sheet", "did you mean 'Home'?"),
    ("unknown_setting", _put("Settings!A3", "perod_months"),
     "Settings!A3: 'perod_months' is not a known setting", "did you mean 'period_months'?"),
    ("bad_period_months", _put("Settings!B3", 5),
     "Settings!B3: period_months is 5, not one of 1, 3, 6, 12", "type one of"),
    ("setting_twice", _append("Settings", ["FORCE_CAP", 300]),
     "Settings!A6: the setting force_cap is given twice (also at Settings!A4)", "one row"),
    ("bad_solver", _append("Settings", ["solver", "gurobi"]),
     "Settings!B6: solver is 'gurobi', not one of the allowed values", "highs, cbc"),
    ("bad_yesno", _put("Settings!B5", "maybe"),
     "Settings!B5: integer must be yes or no", "type yes or no"),
    ("setting_text_number", _put("Settings!B4", "lots"),
     "Settings!B4: force_cap must be a number", "'lots'"),
    ("objective_priority_on_cost", _put("Objectives!C4", 1),
     "Objectives!C4: a priority filter is allowed only on the terms shortfall and "
     "equipment_shortfall, not on cost", "clear this priority cell"),
    ("objective_level_zero", _put("Objectives!A2", 0),
     "Objectives!A2: level is 0, outside its allowed range", "≥ 1"),
    ("objective_unknown_term", _put("Objectives!B4", "costs"),
     "Objectives!B4: term is 'costs', not one of the allowed values", "did you mean 'cost'?"),
    ("objective_weight_zero", _put("Objectives!D3", 0),
     "Objectives!D3: weight is 0, outside its allowed range", "> 0"),
    ("min_above_max_starts", _put("Courses!H4", 10),
     "Courses!H4: min_starts_per_period 10 is above max_starts_per_period 5",
     "lower the minimum"),
    ("window_reversed", _put("Sites!D3", 2028, "Sites!E3", 2027),
     "Sites!D3: available_from 2028 is after available_until 2027", "swap them"),
    ("source_window_unknown", _put("EquipmentSources!G2", "2031"),
     "EquipmentSources!G2: available_until '2031' is not a period on the Periods sheet",
     "use a period"),
    ("pipeline_unknown_period", _put("Pipeline!B2", 2030),
     "Pipeline!B2: period '2030' is not a period on the Periods sheet", "use a period"),
    ("pipeline_graduates_blank", _put("Pipeline!C2", None),
     "Pipeline!C2: graduates is blank", "it is required"),
    ("required_blank", _put("Courses!C3", None),
     "Courses!C3: to is blank", "it is required"),
    ("no_periods", lambda s: s.__setitem__("Periods", s["Periods"][:1]),
     "Periods: the Periods sheet has no periods", "add one row per period"),
    ("target_negative", _put("Targets!B2", -1),
     "Targets!B2: target is -1, outside its allowed range", "≥ 0"),
    ("target_unknown_category", _put("Targets!A3", "Mechanics"),
     "Targets!A3: category 'Mechanics' is not a category", "did you mean 'Mechanic'?"),
    ("targets_duplicate_row", _append("Targets", ["MECHANIC", 1, 2, 3]),
     "Targets!A4: a second row for category 'Mechanic'; the first is row 3", "one row per"),
    ("coursesites_duplicate_pair", _put("CourseSites!B3", "HOME"),
     "CourseSites!A3: a second row for course 'PilotBasic', site 'Home'; the first is row 2",
     "one row per course and site"),
    ("sources_duplicate_pair", _append("EquipmentSources", ["factory", "JET", 1]),
     "EquipmentSources!A3: a second row for source 'factory', equipment 'Jet'",
     "one row per source and equipment"),
    ("equipment_target_header", _put("EquipmentTargets!C1", "2O27"),
     "EquipmentTargets!C1: the header '2O27' is not a period", "did you mean '2027'?"),
    ("equipment_targets_without_equipment", _del_sheet("Equipment"),
     "EquipmentSources: the EquipmentSources sheet refers to Equipment, but the workbook has "
     "no Equipment sheet", "add an Equipment sheet"),
    ("availability_above_one", _put("Equipment!H2", 1.2),
     "Equipment!H2: availability is 1.2, outside its allowed range", "≤ 1"),
    ("duplicate_header", _put("Categories!H1", "Priority"),
     "Categories!H1: the column 'Priority' appears twice (also at Categories!C1)",
     "keep one column"),
    ("duplicate_period", _put("Periods!A4", "2027"),
     "Periods!A4: period '2027' is defined twice; it is already at Periods!A3", "keep one"),
    ("label_is_boolean", _put("Sites!A3", False),
     "Sites!A3: site must be text, but the cell holds the yes/no value FALSE", "apostrophe"),
]


@pytest.mark.parametrize("mutate, line, fragment", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_broken_workbook(tmp_path, mutate, line, fragment):
    sheets = valid_sheets()
    mutate(sheets)
    code, out = run_validate(write_workbook(tmp_path / "broken.xlsx", sheets))
    assert code == 2, out
    assert "Traceback" not in out
    lines = [ln.strip() for ln in out.splitlines()]
    hits = [ln for ln in lines if ln.startswith(line)]
    assert hits, f"expected a line starting {line!r} in:\n{out}"
    assert fragment in hits[0], hits[0]


def test_case_count():
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


def test_formula_error_value_names_cell(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Categories!D2", "=1/0")
    path = write_workbook(tmp_path / "div0.xlsx", sheets)
    patch_part(path, sheet_part(path, "Categories"), b'<c r="D2"><f>1/0</f><v /></c>',
               b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    code, out = run_validate(path)
    assert code == 2
    assert "Categories!D2: the cell holds the error value #DIV/0! — fix the formula" in out


@pytest.mark.parametrize("token, shown", [(b"NaN", "nan"), (b"INF", "inf")])
def test_nan_and_inf_are_errors(tmp_path, token, shown):
    sheets = valid_sheets()
    put(sheets, "Categories!D2", 12345.5)
    path = write_workbook(tmp_path / "nan.xlsx", sheets)
    patch_part(path, sheet_part(path, "Categories"), b"12345.5", token)
    code, out = run_validate(path)
    assert code == 2
    assert f"Categories!D2: initial_strength is {shown}, which is not a usable number" in out


def test_many_problems_reported_together(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Categories!D3", "ten")
    put(sheets, "Courses!C4", "Instrucor")
    put(sheets, "Settings!B3", 5)
    put(sheets, "Targets!D1", "2029")
    put(sheets, "Objectives!C4", 2)
    code, out = run_validate(write_workbook(tmp_path / "many.xlsx", sheets))
    assert code == 2
    assert out.startswith("The workbook has 6 problems:")
    wheres = [ln.split(":")[0].strip() for ln in out.splitlines()[1:] if ln.startswith("  ")]
    # reported in contract order: Settings, Categories, Targets, Courses, Objectives
    assert wheres == ["Settings!B3", "Categories!D3", "Targets", "Targets!D1", "Courses!C4",
                      "Objectives!C4"]
