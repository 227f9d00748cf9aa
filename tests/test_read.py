"""read_workbook: refusing non-workbooks in one sentence, and the raw located values."""
from __future__ import annotations

import io
import random
import shutil
import zipfile

import pytest

from force_plan.errors import NotAWorkbookError
from force_plan.inputs import read
from force_plan.inputs.read import UNREADABLE, cell_text, col_letter, read_workbook
from wbhelpers import patch_part, put, run_validate, sheet_part, valid_sheets, write_workbook


@pytest.fixture
def valid(tmp_path):
    return write_workbook(tmp_path / "valid.xlsx", valid_sheets())


# --------------------------------------------------------------------------- refusing
def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


NOT_WORKBOOKS = {
    "empty": (lambda p: p.write_bytes(b""), "x.xlsx is empty (0 bytes)"),
    "csv_renamed": (lambda p: p.write_text("category,priority\nPilot,1\nMechanic,2\n"),
                    "x.xlsx is a text file (perhaps CSV), not an Excel workbook"),
    "xls": (lambda p: p.write_bytes(read.OLE_MAGIC + bytes(4088)),
            "x.xlsx is an old-style Excel file (.xls), not an .xlsx workbook"),
    "encrypted": (lambda p: p.write_bytes(read.OLE_MAGIC + bytes(500) +
                                          "EncryptedPackage".encode("utf-16-le") + bytes(500)),
                  "x.xlsx is password-protected, so force-plan cannot read it"),
    "random_bytes": (lambda p: p.write_bytes(b"\x00\xff" + random.Random(7).randbytes(4000)),
                     "x.xlsx is not an Excel workbook (.xlsx)"),
    "ods": (lambda p: _zip(p, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                               "content.xml": b"<office:document-content/>"}),
            "x.xlsx is an OpenDocument spreadsheet (.ods), not an .xlsx workbook"),
    "zip_without_workbook": (lambda p: _zip(p, {"notes.txt": b"hello"}),
                             "x.xlsx is a zip archive but not an Excel workbook (it has no "
                             "xl/workbook.xml)"),
    "xlsb": (lambda p: _zip(p, {"xl/workbook.bin": b"\x00" * 10}),
             "x.xlsx is an Excel binary workbook (.xlsb)"),
    "broken_workbook_xml": (lambda p: _zip(p, {"xl/workbook.xml": b"<workbook><sheets>",
                                               "[Content_Types].xml": b"<Types/>"}),
                            "x.xlsx is damaged and cannot be read as a workbook"),
}


@pytest.mark.parametrize("make, sentence", NOT_WORKBOOKS.values(), ids=list(NOT_WORKBOOKS))
def test_not_a_workbook_is_one_sentence(tmp_path, make, sentence):
    path = tmp_path / "x.xlsx"
    make(path)
    with pytest.raises(NotAWorkbookError) as info:
        read_workbook(path)
    message = str(info.value)
    assert message.startswith(sentence)
    assert "\n" not in message and message.endswith(".")
    code, out = run_validate(path)
    assert code == 2
    assert out.strip() == message


def test_damaged_zip(valid, tmp_path):
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(valid.read_bytes()[:700])
    with pytest.raises(NotAWorkbookError, match=r"^cut.xlsx is damaged and cannot be opened"):
        read_workbook(cut)


def test_corrupt_sheet_inside_zip(valid):
    patch_part(valid, sheet_part(valid, "Categories"), b"</sheetData>", b"")
    with pytest.raises(NotAWorkbookError, match=r"^valid.xlsx is damaged and cannot be read"):
        read_workbook(valid)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(NotAWorkbookError, match="does not exist"):
        read_workbook(tmp_path / "nope.xlsx")
    with pytest.raises(NotAWorkbookError, match="is a folder"):
        read_workbook(tmp_path)
    code, out = run_validate(tmp_path / "nope.xlsx")
    assert code == 2 and "nope.xlsx does not exist" in out


def test_zip_bomb_ratio_refused(tmp_path):
    path = _zip(tmp_path / "bomb.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                         "xl/worksheets/sheet1.xml": b" " * (12 * 2**20)})
    with pytest.raises(NotAWorkbookError, match=r"looks like a zip bomb: its part "
                       r"xl/worksheets/sheet1.xml unpacks \d+ times larger"):
        read_workbook(path)


def test_zip_bomb_total_size_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_UNPACKED", 1000)
    path = _zip(tmp_path / "big.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                        "xl/sharedStrings.xml": random.Random(1).randbytes(2000)})
    with pytest.raises(NotAWorkbookError, match=r"is too large to be a planning workbook"):
        read_workbook(path)


def test_xlsm_is_read_as_data(valid, tmp_path):
    xlsm = tmp_path / "plan.xlsm"
    shutil.copy(valid, xlsm)
    code, out = run_validate(xlsm)
    assert code == 0, out
    assert out.splitlines()[-1] == f"{xlsm}: valid."


# --------------------------------------------------------------------------- raw values
def test_values_keep_their_cells_and_labels_are_text(valid):
    raw = read_workbook(valid)
    periods = raw.tables["Periods"]
    assert [r.values["period"].value for r in periods.records] == [2026.0, 2027.0, 2028.0]
    assert periods.records[0].values["period"].cell == "Periods!A2"
    targets = raw.tables["Targets"]
    assert targets.wide_headers == [("2026", 2), ("2027", 3), ("2028", 4)]
    assert targets.records[0].wide["2027"].cell == "Targets!C2"
    pct = raw.tables["Categories"].records[0].values["attrition_rate"]
    assert (pct.value, pct.cell) == (0.08, "Categories!E2")
    assert raw.problems == [] and raw.warnings == []
    assert len(raw.sha256) == 64


def test_names_and_headers_ignore_case_spaces_and_order(tmp_path):
    sheets = valid_sheets()
    cats = sheets.pop("Categories")
    cats = [list(reversed(r + [None] * (len(cats[0]) - len(r)))) for r in cats]
    cats[0] = [f"  {h.upper()} " for h in cats[0]]
    cats.insert(2, [])  # a blank row
    sheets[" categories "] = cats
    raw = read_workbook(write_workbook(tmp_path / "x.xlsx", sheets))
    table = raw.tables["Categories"]
    assert table.tab == " categories "
    assert table.columns["category"] == 7 and table.columns["shortfall_weight"] == 1
    assert [r.row for r in table.records] == [2, 4, 5]
    assert table.records[1].values["category"].cell == "Categories!G4"
    assert raw.problems == [] and raw.warnings == []


def test_unknown_sheet_and_column_are_warnings_readme_is_silent(tmp_path):
    sheets = valid_sheets()
    sheets["README"] = [["This workbook is illustrative."]]
    sheets["My notes"] = [["anything"]]
    sheets["Courss"] = [["x"]]
    put(sheets, "Categories!H1", "atrition_rate")
    put(sheets, "Categories!H2", 0.5)
    put(sheets, "Categories!J3", "stray note")
    raw = read_workbook(write_workbook(tmp_path / "x.xlsx", sheets))
    assert [str(w) for w in raw.warnings] == [
        "Categories!H1: the column 'atrition_rate' is not part of the Categories sheet and is "
        "ignored — did you mean 'attrition_rate'?",
        "Categories!J1: column J has values but no header, so they are ignored — give the "
        "column a header or clear it",
        "My notes: this sheet is not part of the workbook contract and is ignored",
        "Courss: this sheet is not part of the workbook contract and is ignored — "
        "did you mean 'Courses'?",
    ]
    assert all(w.warning for w in raw.warnings)
    code, out = run_validate(tmp_path / "x.xlsx")
    assert code == 0, out
    assert "warning: Courss: this sheet is not part" in out
    assert "README" not in out


def test_formula_with_saved_value_is_read_by_value(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Categories!D2", "=10*4")
    path = write_workbook(tmp_path / "x.xlsx", sheets)
    patch_part(path, sheet_part(path, "Categories"), b"<f>10*4</f><v />",
               b"<f>10*4</f><v>40</v>")
    raw = read_workbook(path)
    assert raw.problems == []
    assert raw.tables["Categories"].records[0].values["initial_strength"].value == 40.0


def test_formula_text_result_empty_is_a_value(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Categories!B3", '=""')
    path = write_workbook(tmp_path / "x.xlsx", sheets)
    patch_part(path, sheet_part(path, "Categories"), b'<c r="B3"><f>""</f><v />',
               b'<c r="B3" t="str"><f>""</f><v></v>')
    assert read_workbook(path).problems == []


def test_formula_problems_only_in_used_columns_and_beyond_the_data(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Categories!K2", "=1+1")  # no header: ignored (with a warning)
    put(sheets, "Categories!D9", "=2+2")  # alone on its row, below the data
    raw = read_workbook(write_workbook(tmp_path / "x.xlsx", sheets))
    assert [p.where for p in raw.problems] == ["Categories!D9"]
    record = raw.tables["Categories"].records[-1]
    assert record.row == 9 and record.values["initial_strength"].value is UNREADABLE


def test_error_constant_without_formula(tmp_path):
    sheets = valid_sheets()
    put(sheets, "Courses!D3", 777)
    path = write_workbook(tmp_path / "x.xlsx", sheets)
    patch_part(path, sheet_part(path, "Courses"), b'<c r="D3" t="n"><v>777</v></c>',
               b'<c r="D3" t="e"><v>#N/A</v></c>')
    raw = read_workbook(path)
    assert [str(p) for p in raw.problems] == [
        "Courses!D3: the cell holds the error value #N/A — fix the formula (or type the value) "
        "so the cell holds a proper value"]


@pytest.mark.parametrize("value, text", [(2027.0, "2027"), (2027.5, "2027.5"), (" Q1 ", "Q1"),
                                         (True, "TRUE"), (None, ""), (3, "3")])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_col_letter():
    assert [col_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_bytes_sniffed_before_libraries(tmp_path, monkeypatch):
    """A text file never reaches python-calamine."""
    import python_calamine

    def boom(*a, **k):
        raise AssertionError("library called")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", boom, raising=False)
    path = tmp_path / "t.xlsx"
    path.write_bytes(io.BytesIO(b"a;b;c\n1;2;3\n").getvalue())
    with pytest.raises(NotAWorkbookError, match="text file"):
        read_workbook(path)
