"""Files that look hostile but are valid data: read as data, nothing executed.

An .xlsm with a VBA project (whose macro would delete files), external workbook links
and DDE formulas (read by their saved values, never followed), names that look like
formulas (=, +, @, -: text in the plan, never formulas), control characters, hidden
sheets, rows and columns (read, with a warning), merges and far cells outside any table.
The broken and hostile inputs that must be refused are in ``test_hostile.py``.
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from force_plan.inputs import read
from force_plan.inputs.load import load_inputs
from test_hostile import _far, _fifo, _merge, _put, _valid, _with_openpyxl, invoke, rezip
from wbhelpers import patch_part, put, sheet_part


def test_a_hidden_sheet_is_read_with_a_warning(tmp_path):
    path = _with_openpyxl(lambda wb: setattr(wb["Targets"], "sheet_state", "hidden"))(tmp_path)
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert ("warning: Targets: this sheet is hidden in the workbook; force-plan reads it all "
            "the same — unhide it") in result.output
    assert len(load_inputs(path).targets) == 5  # its targets count


def test_hidden_rows_and_columns_are_read_with_a_warning(tmp_path):
    def hide(wb):
        wb["Courses"].row_dimensions[3].hidden = True
        wb["Courses"].row_dimensions[4].hidden = True
        wb["Categories"].column_dimensions["D"].hidden = True
    path = _with_openpyxl(hide)(tmp_path)
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert ("warning: Courses: rows 3, 4 of the table are hidden; force-plan reads them all the "
            "same") in result.output
    assert "warning: Categories: column D of the table is hidden; force-plan reads it" \
        in result.output
    inputs = load_inputs(path)
    assert [c.name for c in inputs.courses] == ["PilotBasic", "MechBasic", "InstructorConv"]
    assert inputs.category("Mechanic").initial_strength == 80


def test_a_merge_outside_the_table_is_ignored(tmp_path):
    path = _with_openpyxl(_merge("Categories", "K5:L6"))(tmp_path)
    assert invoke("validate", path).exit_code == 0


def test_a_far_cell_within_limits_is_only_a_warning(tmp_path):
    path = _with_openpyxl(_far("Categories", "Z5000"))(tmp_path)
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert "warning: Categories!Z1: column Z has values but no header" in result.output


def _vba_workbook(tmp_path) -> Path:
    """An .xlsm with a VBA project whose macro would delete files if it ever ran."""
    path = _valid(tmp_path, "macro.xlsm")
    vba = read.OLE_MAGIC + b"\x00" * 504 + (
        b'Attribute VB_Name = "ThisWorkbook"\r\nSub Workbook_Open()\r\n'
        b'  Shell "cmd /c del /q C:\\*"\r\nEnd Sub\r\n') + b"\x00" * 2000
    rel = (b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/'
           b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    types = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    return rezip(path, {
        "xl/_rels/workbook.xml.rels": lambda d: d.replace(b"</Relationships>", rel),
        "[Content_Types].xml": lambda d: d.replace(b"<Default ", types + b"<Default ", 1).replace(
            b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"),
    }, {"xl/vbaProject.bin": vba})


def test_xlsm_with_macros_is_read_as_data(tmp_path):
    path = _vba_workbook(tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"{path}: valid."
    out = tmp_path / "plan.xlsx"
    result = invoke("solve", path, "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:  # the plan carries no macros
        assert not [n for n in zf.namelist() if "vba" in n.lower()]
        assert b"macroEnabled" not in zf.read("[Content_Types].xml")


def test_external_links_and_dde_formulas_are_read_by_saved_value(tmp_path):
    """Formulas reaching other workbooks or programs are never evaluated or followed."""
    path = _valid(tmp_path, mutate=_put("Categories!D2", 1111, "Categories!D3", 2222))
    part = sheet_part(path, "Categories")
    link = (b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships" r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
            b'</externalBook></externalLink>')
    link_rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                 b'.org/officeDocument/2006/relationships/externalLinkPath" Target="file:///'
                 b'etc/passwd" TargetMode="External"/></Relationships>')
    rezip(path, {part: lambda d: d.replace(
        b'<c r="D2" t="n"><v>1111</v></c>',
        b"<c r=\"D2\"><f>[1]Sheet1!A1*2</f><v>44</v></c>").replace(
        b'<c r="D3" t="n"><v>2222</v></c>',
        b"<c r=\"D3\"><f>cmd|' /C calc'!A0</f><v>77</v></c>")},
        {"xl/externalLinks/externalLink1.xml": link,
         "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})
    inputs = load_inputs(path)
    assert inputs.category("Pilot").initial_strength == 44
    assert inputs.category("Mechanic").initial_strength == 77


@pytest.mark.parametrize("evil", ['=HYPERLINK("http://example.invalid","x")',
                                  "+cmd|' /C calc'!A0", "@SUM(1,2)", "-2+3"])
def test_formula_like_names_stay_text_in_the_plan(tmp_path, evil):

    def mutate(s):
        for address in ("Categories!A3", "Targets!A3", "Courses!C3"):
            put(s, address, "MARKER")
    path = _valid(tmp_path, mutate=mutate)
    for sheet in ("Categories", "Targets", "Courses"):
        patch_part(path, sheet_part(path, sheet), b"<t>MARKER</t>", b"<t>" + evil.replace(
            "&", "&amp;").replace('"', "&quot;").replace("'", "&apos;").encode() + b"</t>")
    assert load_inputs(path).categories[1].name == evil
    out = tmp_path / "plan.xlsx"
    result = invoke("solve", path, "-o", out)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    found = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.value == evil]
    assert len(found) > 10 and all(c.data_type == "s" for c in found)
    formulas = [c.value for ws in wb.worksheets if ws.title not in ("Checks", "Sustainment")
                for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    checks = [c.value for row in wb["Sustainment"].iter_rows() for c in row
              if c.data_type == "f"]
    assert checks and not any(evil in f or "MARKER" in f for f in checks)
    data = wb["Data"]
    assert any(r[1] == evil for r in data.iter_rows(min_row=2, values_only=True))


def test_control_characters_in_names_do_not_break_the_plan(tmp_path):
    def mutate(s):
        for address in ("Categories!A3", "Targets!A3", "Courses!C3"):
            put(s, address, "MechXanic")
    path = _valid(tmp_path, mutate=mutate)
    for sheet in ("Categories", "Targets", "Courses"):
        patch_part(path, sheet_part(path, sheet), b"MechXanic", b"Mech_x0007_anic")
    out = tmp_path / "plan.xlsx"
    result = invoke("solve", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out)["Data"] is not None


def test_reader_never_reads_a_file_it_refused_by_type(tmp_path, monkeypatch):
    """A pipe is refused from its type: opening it would block for ever."""
    path = _fifo(tmp_path)

    def no_open(*args, **kwargs):
        raise AssertionError("opened a pipe")

    monkeypatch.setattr("builtins.open", no_open)
    with pytest.raises(read.NotAWorkbookError, match="not a regular file"):
        read.read_workbook(path)


def test_copy_of_a_valid_workbook_under_a_strange_name_is_valid(tmp_path):
    """Names are not trusted either way: content decides (a .xlsx named .csv is a workbook)."""
    path = _valid(tmp_path)
    odd = tmp_path / "plan.csv"
    shutil.copy(path, odd)
    assert invoke("validate", odd).exit_code == 0
