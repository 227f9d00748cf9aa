"""Hostile inputs, round 2 (issue 16): Strict OOXML gets every sheet-XML check, names
beyond a cell's size or holding noncharacters are refused at their cell, messages stay
bounded, and the command line refuses absurd options in one sentence."""
from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from force_plan.cli import MAX_THREADS, main
from hostile_parts import SHEET, edit, members, strict, write
from wbhelpers import put, run_validate, valid_sheets, write_workbook


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _strict_copy(tmp_path, sheets, sheet_edits=(), name="strict.xlsx"):
    """``sheets`` written by openpyxl, each (old, new) edit applied to the Categories part,
    then the whole package moved to Strict OOXML namespaces."""
    base = write_workbook(tmp_path / "base.xlsx", sheets)
    items = members(base)
    for old, new in sheet_edits:
        items = edit(items, SHEET, old, new)
    return write(tmp_path / name, strict(items)), write(tmp_path / f"t-{name}", items)


# ----------------------------------------------------------------- Strict OOXML (item 3)
@pytest.mark.parametrize("old, new, expected", [
    (b"<v>40</v>", b"<f>SUM(1,2)</f>", "Categories!D2: this formula has no saved value"),
    (b"<v>40</v>", b"<f>1/0</f><v>#DIV/0!</v>",
     "Categories!D2: the cell holds the error value #DIV/0!"),
])
def test_strict_ooxml_gets_the_cell_checks(tmp_path, old, new, expected):
    sheets = valid_sheets()
    edits = [(b'<c r="D2" t="n">' + old, b'<c r="D2" t="' + (b"e" if b"#" in new else b"n")
              + b'">' + new)]
    try:
        strict_file, transitional = _strict_copy(tmp_path, sheets, edits)
    except AssertionError:  # openpyxl writes numbers without t="n"
        edits = [(b'<c r="D2">' + old, b'<c r="D2"' + (b' t="e"' if b"#" in new else b"")
                  + b">" + new)]
        strict_file, transitional = _strict_copy(tmp_path, sheets, edits)
    for path in (transitional, strict_file):
        code, out = run_validate(path)
        assert code == 2, out
        assert expected in out, f"{path.name}:\n{out}"


def test_strict_ooxml_gets_merges_and_hidden_rows(tmp_path):
    sheets = valid_sheets()
    strict_file, transitional = _strict_copy(tmp_path, sheets, [
        (b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="E2:E3"/>'
                          b"</mergeCells>"),
        (b'<row r="4"', b'<row r="4" hidden="1"')])
    for path in (transitional, strict_file):
        code, out = run_validate(path)
        assert code == 2, out
        assert "Categories!E2: the cells E2:E3 are merged" in out, f"{path.name}:\n{out}"
        assert "warning: Categories: row 4 of the table is hidden" in out, f"{path.name}:\n{out}"


def test_strict_ooxml_hidden_and_very_hidden_sheets_warn(tmp_path):
    base = write_workbook(tmp_path / "base.xlsx", valid_sheets())
    items = edit(members(base), "xl/workbook.xml", b'name="Categories" sheetId="3" '
                 b'state="visible"', b'name="Categories" sheetId="3" state="veryHidden"')
    items = edit(items, "xl/workbook.xml", b'name="Targets" sheetId="4" state="visible"',
                 b'name="Targets" sheetId="4" state="hidden"')
    path = write(tmp_path / "hidden.xlsx", strict(items))
    code, out = run_validate(path)
    assert code == 0, out
    assert "warning: Categories: this sheet is hidden in the workbook; force-plan reads it " \
           "all the same — it is 'very hidden', which Excel's Unhide menu does not list" in out
    assert "Visible property to -1 - xlSheetVisible" in out
    assert "warning: Targets: this sheet is hidden in the workbook; force-plan reads it all " \
           "the same — unhide it (right-click a sheet tab ▸ Unhide)" in out


# ----------------------------------------------------------------- names (item 8)
def test_a_name_longer_than_a_cell_holds_is_refused_at_its_cell(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Categories!A3", "MARKER")  # openpyxl itself cuts text at 32,767
    base = write_workbook(tmp_path / "base.xlsx", sheets)
    path = write(tmp_path / "long.xlsx", edit(members(base), SHEET, b"MARKER", b"M" * 32_768))
    code, out = run_validate(path)
    assert code == 2
    assert "Categories!A3: category is 32,768 characters long, more than the 32,767 a " \
           "spreadsheet cell holds" in out
    assert len(out) < 5_000  # the name is not quoted whole anywhere


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_a_noncharacter_in_a_name_is_refused_at_its_cell(tmp_path, char):
    sheets = valid_sheets()
    put(sheets, "Categories!A3", "MARKER")
    path = write_workbook(tmp_path / "nonchar.xlsx", sheets)
    items = edit(members(path), SHEET, b"MARKER", f"Mech{char}anic".encode())
    path = write(tmp_path / "nonchar2.xlsx", items)
    code, out = run_validate(path)
    assert code == 2, out
    assert f"Categories!A3: category holds the invisible character U+{ord(char):04X} " \
           "(at position 5), which a workbook cannot store" in out
    result = invoke("solve", path, "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "plan.xlsx").exists()


# ----------------------------------------------------------------- bounded messages (item 6)
def test_many_problems_print_a_bounded_message(tmp_path):
    sheets = valid_sheets()
    for i in range(2, 600):
        put(sheets, f"Categories!A{i}", f"C{i}")
        put(sheets, f"Categories!D{i}", "x" * 5_000)  # text in a numeric column
    code, out = run_validate(write_workbook(tmp_path / "many.xlsx", sheets))
    assert code == 2
    assert "The workbook has " in out
    listed = [ln for ln in out.splitlines() if ln.startswith("  Categories!")]
    assert len(listed) == 200
    assert "more (the first 200 are listed): fix these and run validate again" in out
    assert "x" * 41 not in out  # quoted text is cut
    assert "… (5,000 characters)" in out
    assert len(out) < 200 * 400


def test_thousands_of_unknown_header_columns_give_bounded_warnings(tmp_path):
    sheets = valid_sheets()
    header = sheets["Categories"][0]
    header += [f"extra{j}" for j in range(16_384 - len(header))]
    code, out = run_validate(write_workbook(tmp_path / "wide.xlsx", sheets))
    assert code == 0, out[-2000:]
    warnings = [ln for ln in out.splitlines() if ln.startswith("warning: Categories")]
    assert len(warnings) == 21, len(warnings)
    assert f"warning: Categories: {16_384 - 7 - 20:,} more columns that are not part of " \
           "the sheet are ignored (the first 20 are listed above)" in out


# ----------------------------------------------------------------- options (item 10)
@pytest.mark.parametrize("args, sentence", [
    (["--threads", "100000"], f"Invalid value for '--threads': 100000 is not in the range "
                              f"1<=x<={MAX_THREADS}"),
    (["--time-limit", "nan"], "Invalid value for '--time-limit': 'nan' is not a finite "
                              "number — give one such as 60"),
    (["--mip-gap", "nan"], "Invalid value for '--mip-gap': 'nan' is not a finite number"),
    (["--time-limit", "inf"], "Invalid value for '--time-limit': 'inf' is not a finite"),
])
def test_absurd_solver_options_are_refused(tmp_path, args, sentence):
    path = write_workbook(tmp_path / "in.xlsx", valid_sheets())
    result = invoke("solve", path, "-o", tmp_path / "plan.xlsx", *args)
    assert result.exit_code == 2
    assert sentence in result.output, result.output
    assert not (tmp_path / "plan.xlsx").exists()


def test_threads_within_the_bound_solve():
    import os

    assert MAX_THREADS == 4 * (os.cpu_count() or 1)


def test_a_stray_workbook_bin_beside_workbook_xml_is_read(tmp_path):
    path = write_workbook(tmp_path / "in.xlsx", valid_sheets())
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/workbook.bin", b"\x00" * 16)
    code, out = run_validate(path)
    assert code == 0, out
    only_bin = write(tmp_path / "bin.xlsx", [(n, d) for n, d in members(path)
                                            if n != "xl/workbook.xml"])
    code, out = run_validate(only_bin)
    assert code == 2 and "is an Excel binary workbook (.xlsb)" in out
