"""A blank between filled periods is a warning naming its cell; a deleted Periods row is
reported as the missing period, not as an unknown header (the figures are invented)."""
import pytest

from force_plan.errors import InputError
from force_plan.inputs.load import load_inputs
from wbhelpers import put, valid_sheets, write_workbook


def _warnings(tmp_path, sheets):
    return [w for w in load_inputs(write_workbook(tmp_path / "x.xlsx", sheets)).warnings
            if "between filled periods" in w]


def test_a_blank_limit_between_filled_periods_is_a_warning_at_its_cell(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Periods!B3", None)  # recruits of 2027, between 2026 and 2028's? 2028 blank
    put(sheets, "Periods!B4", 80)
    (warning,) = _warnings(tmp_path, sheets)
    assert warning.startswith("Periods!B3: recruits_available is blank in 2027, between "
                              "filled periods: it means no limit on recruits in 2027")


def test_a_blank_target_between_filled_periods_is_a_warning_at_its_cell(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Targets!C3", None)  # Mechanic 90, –, 100
    (warning,) = _warnings(tmp_path, sheets)
    assert warning.startswith("Targets!C3: this target is blank in 2027, between filled "
                              "periods: it means no requirement in 2027")


def test_no_warning_for_blanks_at_the_ends(tmp_path):
    assert _warnings(tmp_path, valid_sheets()) == []  # budget 2026 and target 2028 blank


def test_a_deleted_period_row_is_named_as_missing(tmp_path):
    sheets = valid_sheets()
    del sheets["Periods"][2]  # 2027
    with pytest.raises(InputError) as info:
        load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    lines = [str(p) for p in info.value.problems]
    assert any(line.startswith("Targets!C1: period '2027' heads a column here but is "
                               "missing from the Periods sheet (between 2026 and 2028 there)")
               for line in lines), lines
