"""A valid workbook builds exactly the Inputs the contract describes."""
from __future__ import annotations

import hashlib

import pytest

from force_plan.contract import schema
from force_plan.inputs.typed import ObjectiveTerm, Target
from force_plan.errors import InputError
from force_plan.inputs.load import load_inputs
from force_plan.inputs.read import read_workbook
from force_plan.inputs.validate import build_inputs
from wbhelpers import drop_column, put, valid_sheets, write_workbook


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    path = write_workbook(tmp_path_factory.mktemp("v") / "valid.xlsx", valid_sheets())
    return load_inputs(path)


def test_settings(inputs):
    s = inputs.settings
    assert (s.plan_name, s.period_months, s.force_cap, s.overstrength_cap) == \
        ("Test plan", 12, 500.0, None)
    assert (s.cost_unit, s.solver, s.time_limit_s, s.mip_gap, s.integer,
            s.lookahead_periods) == ("currency units", "highs", None, 1e-4, False, None)
    assert s.cells == {"plan_name": "Settings!B2", "period_months": "Settings!B3",
                       "force_cap": "Settings!B4", "integer": "Settings!B5"}


def test_periods_are_text_labels(inputs):
    assert inputs.period_labels == ("2026", "2027", "2028")
    p0, p1, p2 = inputs.periods
    assert (p0.recruits_available, p0.budget, p0.row) == (100.0, None, "Periods!2")
    assert (p2.recruits_available, p2.budget) == (None, 900.0)
    assert p1.cells == {"period": "Periods!A3", "recruits_available": "Periods!B3",
                        "budget": "Periods!C3"}


def test_categories_defaults_percent_and_weights(inputs):
    pilot, mech, instr = inputs.categories
    assert pilot.name == "Pilot" and pilot.attrition_rate == 0.08  # a 0% formatted cell
    assert pilot.shortfall_weight == 1.0  # blank, priority 1 -> 10^0
    assert mech.priority == 2 and mech.shortfall_weight == pytest.approx(0.1)
    assert instr.shortfall_weight == 3.0  # typed
    assert mech.weapons_category == "Other"  # default
    assert (mech.separation_cost, mech.max_separations_per_period, mech.reserve_cap,
            mech.reserve_weight, mech.min_fill) == (0.0, None, 0.0, 0.5, 0.0)
    assert mech.row == "Categories!3"
    assert "weapons_category" not in mech.cells and mech.cells["priority"] == "Categories!C3"


def test_references_take_the_defining_spelling(inputs):
    basic, mech, conv = inputs.courses
    assert basic.from_category is None and basic.from_recruit  # "RECRUIT"
    assert basic.to_category == "Pilot"  # typed "PILOT"
    assert basic.instructor_category == "Instructor"  # typed "instructor"
    assert mech.from_recruit and mech.to_category == "Mechanic"  # typed "recruit"
    assert (conv.from_category, conv.to_category) == ("Pilot", "Instructor")
    assert (mech.yield_, mech.max_starts_per_period, mech.min_starts_per_period,
            mech.class_size, mech.starts_per_instructor) == (1.0, None, 2.0, 1.0, None)
    assert (basic.yield_, basic.starts_per_instructor, basic.duration_months) == (0.8, 3.0, 12)
    assert inputs.equipment[0].crew_category == "Pilot"
    assert inputs.sources[0].equipment == "Jet"
    assert [cs.site for cs in inputs.course_sites] == ["Home", "Partner", "Home", "Home"]


def test_targets_every_non_blank_cell(inputs):
    assert inputs.targets == (
        Target("Pilot", 0, 50.0, "Targets!B2"), Target("Pilot", 1, 60.0, "Targets!C2"),
        Target("Mechanic", 0, 90.0, "Targets!B3"), Target("Mechanic", 1, 0.0, "Targets!C3"),
        Target("Mechanic", 2, 100.0, "Targets!D3"))
    assert [t.value for t in inputs.equipment_targets] == [16.0, 18.0, 20.0]
    assert inputs.equipment_targets[0].item == "Jet"


def test_sites_windows_pipeline_sources(inputs):
    home, partner = inputs.sites
    assert (home.available_from, home.available_until, home.seats) == (0, None, 60.0)
    assert (partner.available_from, partner.available_until) == (1, 2)
    assert inputs.course_sites[0].cost_per_start is None
    assert inputs.course_sites[1].cost_per_start == 2.5
    assert inputs.course_sites[1].max_starts_per_period is None
    assert inputs.pipeline[0].period == 0 and inputs.pipeline[0].graduates == 10.0
    src = inputs.sources[0]
    assert (src.source, src.unit_cost, src.lead_time_months, src.max_per_period,
            src.total_available, src.available_from, src.available_until) == \
        ("Factory", 30.0, 24.0, 4.0, None, 0, 1)


def test_objectives(inputs):
    assert inputs.objectives == (
        ObjectiveTerm(1, "shortfall", None, 1.0, "Objectives!2"),
        ObjectiveTerm(1, "equipment_shortfall", None, 0.5, "Objectives!3"),
        ObjectiveTerm(2, "cost", None, 1.0, "Objectives!4"))
    assert inputs.levels == (1, 2)


def test_source_file_and_hash(tmp_path):
    path = write_workbook(tmp_path / "h.xlsx", valid_sheets())
    inputs = load_inputs(path)
    assert inputs.source_file == str(path)
    assert inputs.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert inputs.warnings == ()


def test_optional_sheets_absent_give_defaults(tmp_path):
    sheets = valid_sheets()
    for name in ("Sites", "CourseSites", "Pipeline", "Equipment", "EquipmentTargets",
                 "EquipmentSources", "Objectives"):
        del sheets[name]
    sheets["Settings"] = [["setting", "value"], ["solver", "CBC"], ["integer", "YES"],
                          ["period_months", "3"], ["plan_name", 2027]]
    inputs = load_inputs(write_workbook(tmp_path / "my-plan.xlsx", sheets))
    assert inputs.sites is None and inputs.course_sites is None
    assert inputs.pipeline == inputs.equipment == inputs.sources == inputs.equipment_targets == ()
    assert [(o.level, o.term, o.weight) for o in inputs.objectives] == \
        [(lvl, term, 1.0) for lvl, term in schema.DEFAULT_OBJECTIVES]
    s = inputs.settings
    assert (s.solver, s.integer, s.period_months, s.plan_name) == ("cbc", True, 3, "2027")


def test_plan_name_defaults_to_file_stem(tmp_path):
    sheets = valid_sheets()
    sheets["Settings"] = [["setting", "value"], ["plan_name", None]]
    assert load_inputs(write_workbook(tmp_path / "north-plan.xlsx", sheets)).settings.plan_name \
        == "north-plan"


def test_optional_column_absent_is_all_blank(tmp_path):
    sheets = valid_sheets()
    drop_column(sheets, "Categories", "shortfall_weight")
    drop_column(sheets, "Courses", "yield")
    inputs = load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    assert inputs.categories[2].shortfall_weight == 1.0
    assert [c.yield_ for c in inputs.courses] == [1.0, 1.0, 1.0]


def test_zero_is_a_value_and_empty_targets_sheet_is_fine(tmp_path):
    sheets = valid_sheets()
    sheets["Targets"] = [["category"]]
    put(sheets, "Categories!D2", 0)
    inputs = load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    assert inputs.targets == ()
    assert inputs.categories[0].initial_strength == 0.0
    assert inputs.categories[0].cells["initial_strength"] == "Categories!D2"


def test_warnings_are_kept_as_text(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Courses!K1", "notes")
    put(sheets, "Courses!K2", "check with school")
    put(sheets, "Courses!J4", 2)  # starts_per_instructor without an instructor_category
    inputs = load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    assert inputs.warnings == (  # in sheet, row, column order
        "Courses!K1: the column 'notes' is not part of the Courses sheet and is ignored",
        "Courses!J4: starts_per_instructor is ignored because instructor_category is blank — "
        "set instructor_category or clear this cell",
    )


def test_build_plan_raises_one_input_error_with_problem_objects(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Categories!C2", "high")
    put(sheets, "Courses!K1", "notes")
    raw = read_workbook(write_workbook(tmp_path / "x.xlsx", sheets))
    with pytest.raises(InputError) as info:
        build_inputs(raw, "x.xlsx", raw.sha256)
    (problem,) = info.value.problems
    assert (problem.where, problem.warning) == ("Categories!C2", False)
    assert problem.what == "priority must be a whole number, but the cell holds the text 'high'"
    assert [w.where for w in info.value.warnings] == ["Courses!K1"]


def test_text_numbers_in_settings_value_column(tmp_path):
    """The Settings value column is text-formatted in the template: numbers typed as text."""
    sheets = valid_sheets()
    sheets["Settings"] = [["setting", "value"], ["force_cap", "1500"], ["mip_gap", "0.01"],
                          ["time_limit_s", 60], ["lookahead_periods", "2"]]
    s = load_inputs(write_workbook(tmp_path / "x.xlsx", sheets)).settings
    assert (s.force_cap, s.mip_gap, s.time_limit_s, s.lookahead_periods) == \
        (1500.0, 0.01, 60.0, 2)


def test_a_retired_setting_is_a_warning_naming_the_objectives_allowance(tmp_path):
    sheets = valid_sheets()
    sheets["Settings"].append(["lexicographic_tolerance", 1e-6])
    inputs = load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    row = len(sheets["Settings"])
    (warning,) = [w for w in inputs.warnings if w.startswith(f"Settings!A{row}")]
    assert "lexicographic_tolerance is no longer used" in warning
    assert "allowance on the Objectives sheet" in warning


def test_v2_sheets_are_accepted_and_the_base_is_the_workbook_as_it_is(tmp_path):
    sheets = valid_sheets()
    base = load_inputs(write_workbook(tmp_path / "a.xlsx", sheets))
    sheets["Scenarios"] = [["scenario", "sheet", "row", "column", "change", "value"],
                           ["cut", "Periods", "*", "budget", "scale", 0.8]]
    inputs = load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    assert [p.budget for p in inputs.periods] == [p.budget for p in base.periods] == \
        [None, 900, 900]


def test_one_allowance_per_level(tmp_path):
    from force_plan.errors import InputError

    sheets = valid_sheets()
    sheets["Objectives"] = [["level", "term", "allowance"], [1, "shortfall", 0.1],
                            [1, "equipment_shortfall", 0.2], [2, "cost", None]]
    with pytest.raises(InputError) as info:
        load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    (problem,) = info.value.problems
    assert problem.where == "Objectives!C3"
    assert "allowance 0.2 here and 0.1 at Objectives!C2" in problem.what
    sheets["Objectives"][2][2] = None
    inputs = load_inputs(write_workbook(tmp_path / "y.xlsx", sheets))
    assert (inputs.allowance(1), inputs.allowance(2)) == (0.1, 0.0)
