"""Hostile and broken inputs through the command line: every one ends in exit status 2.

The corpus is made at test time (no binaries are committed):

* the broken workbooks of ``test_validate_broken`` and the non-workbook files of
  ``test_read`` (validate-only there) are run here through ``solve`` as well;
* the cases below add what those miss: tables that do not start in row 1, merged cells,
  hidden sheets, stray far-away cells, NaN/inf/1e300, dates, times and booleans where
  numbers belong, saved formula errors (#REF!, #VALUE!, #NAME?), formulas without a value,
  ODS/HTML/UTF-16 files, encrypted or unsupported zip members, document type
  declarations (billion laughs, external entities), devices, pipes and symlink loops.

Each broken input must give, for ``force-plan validate`` AND ``force-plan solve -o``:
exit status 2 (a SystemExit, never an exception), the expected located sentence, no
traceback, and no plan file (nor anything else) written. The bombs that would need memory
to fail are in ``test_hostile_bombs.py`` (run under a memory limit).

Files that look hostile but are valid data (an .xlsm with a VBA project, external links,
DDE-looking formulas, formula-like names) are in ``test_hostile_data.py``.
"""
from __future__ import annotations

import datetime
import os
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import test_read
import test_validate_broken
from force_plan.cli import main
from force_plan.inputs import guard
from wbhelpers import patch_part, put, sheet_part, valid_sheets, write_workbook


# --------------------------------------------------------------------------- running
def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_refused(path, tmp_path, line: str | None = None, fragment: str = "") -> list[str]:
    """validate and solve both exit 2 with ``line`` (a line start) and write nothing."""
    out_dir = tmp_path / "plans"
    outputs = []
    for args in (["validate", path], ["solve", path, "-o", out_dir / "plan.xlsx"]):
        result = invoke(*args)
        text = result.output
        assert result.exit_code == 2, f"{args[0]}: exit {result.exit_code}\n{text}"
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in text and "Error:" not in text.split("\n")[0], text
        if line is not None:
            hits = [ln.strip() for ln in text.splitlines() if ln.strip().startswith(line)]
            assert hits, f"{args[0]}: expected a line starting {line!r} in:\n{text}"
            assert fragment in hits[0], hits[0]
        outputs.append(text)
    assert not out_dir.exists() or list(out_dir.iterdir()) == []
    return outputs


# --------------------------------------------------------------------------- the existing corpus
@pytest.mark.parametrize("mutate, line, fragment", [c[1:] for c in test_validate_broken.CASES],
                         ids=[c[0] for c in test_validate_broken.CASES])
def test_broken_workbooks_are_refused_by_solve_too(tmp_path, mutate, line, fragment):
    sheets = valid_sheets()
    mutate(sheets)
    path = write_workbook(tmp_path / "broken.xlsx", sheets)
    assert_refused(path, tmp_path, line, fragment)


@pytest.mark.parametrize("make, sentence", test_read.NOT_WORKBOOKS.values(),
                         ids=list(test_read.NOT_WORKBOOKS))
def test_non_workbooks_are_refused_by_solve_too(tmp_path, make, sentence):
    path = tmp_path / "x.xlsx"
    make(path)
    validate_out, solve_out = assert_refused(path, tmp_path, sentence)
    assert validate_out.strip().startswith(sentence)


# --------------------------------------------------------------------------- builders
def rezip(path: Path, edit: dict | None = None, add: dict | None = None) -> Path:
    """Rewrite the zip at ``path``: ``edit`` maps a member to bytes -> bytes; ``add`` adds
    members (name -> bytes) at the end."""
    with zipfile.ZipFile(path) as zf:
        items = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items:
            if edit and name in edit:
                data = edit[name](data)
            zf.writestr(name, data)
        for name, data in (add or {}).items():
            zf.writestr(name, data)
    return path


def _valid(tmp_path, name="case.xlsx", mutate=None) -> Path:
    sheets = valid_sheets()
    if mutate:
        mutate(sheets)
    return write_workbook(tmp_path / name, sheets)


def _number_then_patch(sheet, address, token: bytes):
    """Put a marker number in a cell, then replace its saved value by ``token``."""
    def build(tmp_path):
        path = _valid(tmp_path, mutate=lambda s: put(s, f"{sheet}!{address}", 12345.5))
        patch_part(path, sheet_part(path, sheet), b"12345.5", token)
        return path
    return build


def _cell_xml(sheet, address, marker, new_cell: bytes):
    """Put ``marker`` (a number) in a cell, then replace the whole <c> element."""
    def build(tmp_path):
        path = _valid(tmp_path, mutate=lambda s: put(s, f"{sheet}!{address}", marker))
        old = f'<c r="{address}" t="n"><v>{marker}</v></c>'.encode()
        patch_part(path, sheet_part(path, sheet), old, new_cell)
        return path
    return build


def _with_openpyxl(edit, mutate=None):
    def build(tmp_path):
        path = _valid(tmp_path, mutate=mutate)
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
        return path
    return build


def _mutated(mutate):
    return lambda tmp_path: _valid(tmp_path, mutate=mutate)


def _shift_down(sheet, rows, cols=0, title=None):
    def mutate(s):
        table = s[sheet]
        s[sheet] = [[] for _ in range(rows)] + [[None] * cols + list(r) for r in table]
        if title is not None:
            s[sheet][0] = [title]
    return mutate


def _put(*pairs):
    def mutate(s):
        for address, value in zip(pairs[::2], pairs[1::2]):
            put(s, address, value)
    return mutate


def _doctype(entities: str) -> bytes:
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{entities}]>\n'.encode()


LAUGHS = "".join([' <!ENTITY lol "lol">\n'] + [
    f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
    for i in range(1, 10)])


def _laughs_in_sheet(tmp_path):
    path = _valid(tmp_path)
    part = sheet_part(path, "Categories")
    return rezip(path, {part: lambda d: _doctype(LAUGHS) + d.replace(b"<t>Pilot</t>",
                                                                     b"<t>&lol9;</t>")})


def _laughs_in_shared_strings(tmp_path):
    """A real sharedStrings part that a Categories cell refers to, with a billion laughs."""
    path = _valid(tmp_path)
    part = sheet_part(path, "Categories")
    sst = _doctype(LAUGHS) + (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                              b'2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si>'
                              b'</sst>')
    rel = (b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    ctype = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
             b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return rezip(path, {
        part: lambda d: d.replace(b'<c r="A2" t="inlineStr"><is><t>Pilot</t></is></c>',
                                  b'<c r="A2" t="s"><v>0</v></c>'),
        "xl/_rels/workbook.xml.rels": lambda d: d.replace(b"</Relationships>", rel),
        "[Content_Types].xml": lambda d: d.replace(b"</Types>", ctype),
    }, {"xl/sharedStrings.xml": sst})


def _external_entity(tmp_path):
    path = _valid(tmp_path)
    xxe = _doctype(' <!ENTITY xxe SYSTEM "file:///etc/passwd">\n')
    return rezip(path, {"xl/workbook.xml": lambda d: xxe + d.replace(
        b'name="Settings"', b'name="&xxe;"')})


def _doctype_utf16(tmp_path):
    path = _valid(tmp_path)
    part = sheet_part(path, "Periods")

    def to_utf16(d):
        text = (_doctype(' <!ENTITY a "b">\n') + d).decode("utf-8")
        text = text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
        return b"\xff\xfe" + text.encode("utf-16-le")
    return rezip(path, {part: to_utf16})


def _doctype_after_comment(tmp_path):
    path = _valid(tmp_path)
    return rezip(path, {"xl/styles.xml": lambda d: b'<?xml version="1.0"?>\n<!-- styles -->\n'
                        b'<!DOCTYPE x [<!ENTITY e "e">]>\n' + d})


def _long_preamble(tmp_path):
    path = _valid(tmp_path)
    return rezip(path, {"xl/styles.xml": lambda d: b"<!--" + b" " * (70 * 1024) + b"-->" + d})


def _raw_zip_member_flag(flag: int = 0, method: int | None = None):
    """A valid workbook whose Categories member is marked encrypted (flag bit 0) or is
    stored with a compression method no reader supports (99 = AES)."""
    def build(tmp_path):
        path = _valid(tmp_path)
        part = sheet_part(path, "Categories").encode()
        data = bytearray(path.read_bytes())
        for sig in (b"PK\x03\x04", b"PK\x01\x02"):
            start = 0
            while (i := data.find(sig, start)) >= 0:
                start = i + 4
                central = sig == b"PK\x01\x02"
                name_len_at = i + (28 if central else 26)
                name_at = i + (46 if central else 30)
                (n,) = struct.unpack_from("<H", data, name_len_at)
                if bytes(data[name_at:name_at + n]) != part:
                    continue
                flag_at, method_at = i + (8 if central else 6), i + (10 if central else 8)
                (old,) = struct.unpack_from("<H", data, flag_at)
                struct.pack_into("<H", data, flag_at, old | flag)
                if method is not None:
                    struct.pack_into("<H", data, method_at, method)
        path.write_bytes(bytes(data))
        return path
    return build


def _duplicate_member(tmp_path):
    """Two zip entries with the name of the Categories part (zip readers disagree on which
    one they read)."""
    path = _valid(tmp_path)
    part = sheet_part(path, "Categories")
    with zipfile.ZipFile(path, "a") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr(part, b"<worksheet/>")
    return path


def _too_many_members(tmp_path):
    path = _valid(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        for i in range(guard.MAX_MEMBERS + 1):
            zf.writestr(f"customXml/item{i}.bin", b"")
    return path


def _ods(tmp_path):
    path = tmp_path / "plan.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                    'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:'
                    'media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                    '</manifest:manifest>')
        zf.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-'
                    'content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
                    '<office:body><office:spreadsheet/></office:body></office:document-content>')
    return path


def _html_as_xls(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("<html><body><table><tr><td>category</td></tr><tr><td>Pilot</td></tr>"
                    "</table></body></html>")
    return path


def _utf16_csv(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes("category\tpriority\r\nPilot\t1\r\n".encode("utf-16"))
    return path


def _fifo(tmp_path):
    path = tmp_path / "pipe.xlsx"
    os.mkfifo(path)
    return path


def _device(tmp_path):
    path = tmp_path / "zero.xlsx"
    path.symlink_to("/dev/zero")
    return path


def _symlink_loop(tmp_path):
    path = tmp_path / "loop.xlsx"
    path.symlink_to(path)
    return path


def _chart_sheet(tmp_path):
    sheets = valid_sheets()
    sheets.pop("Courses")
    path = write_workbook(tmp_path / "case.xlsx", sheets)
    wb = openpyxl.load_workbook(path)
    wb.create_chartsheet("Courses")
    wb.save(path)
    return path


def _hidden_sheet_with_error(wb):
    wb["Categories"].sheet_state = "hidden"
    wb["Categories"]["D3"] = "eighty"


def _merge(sheet, cells):
    return lambda wb: wb[sheet].merge_cells(cells)


def _far(sheet, address):
    def edit(wb):
        wb[sheet][address] = "stray"
    return edit


# (id, build(tmp_path) -> path, expected line start, fragment of that line)
CASES = [
    # ---- structure
    ("table_starts_at_B3", _mutated(_shift_down("Categories", 2, 1)),
     "Categories!B3: the table's headers are in row 3, but they must be in row 1",
     "delete the 2 rows above the headers"),
    ("title_row_above_headers", _mutated(_shift_down("Courses", 1, title="Training courses")),
     "Courses!A2: the table's headers are in row 2, but they must be in row 1",
     "delete the 1 row above"),
    ("settings_one_row_down", _mutated(_shift_down("Settings", 1)),
     "Settings!A2: the table's headers are in row 2", "so that the table starts in row 1"),
    ("merged_cells_in_table", _with_openpyxl(_merge("Categories", "C2:C3")),
     "Categories!C2: the cells C2:C3 are merged, so only C2 holds a value and the others "
     "read as blank", "unmerge them and type the value in every cell"),
    ("merged_header_cells", _with_openpyxl(_merge("Courses", "E1:F1")),
     "Courses!E1: the cells E1:F1 are merged", "unmerge them"),
    ("merged_target_cells", _with_openpyxl(_merge("Targets", "B2:C2")),
     "Targets!B2: the cells B2:C2 are merged", "type the value in every cell"),
    ("hidden_sheet_with_an_error", _with_openpyxl(_hidden_sheet_with_error),
     "Categories!D3: initial_strength must be a number, but the cell holds the text 'eighty'",
     "no thousands separators"),
    ("value_in_XFD1048576", _with_openpyxl(_far("Categories", "XFD1048576")),
     "Categories!XFD1048576: this cell holds a value far outside any planning table, so the "
     "sheet would span 17,179,869,184 cells", "clear the cell"),
    ("value_in_last_row", _with_openpyxl(_far("Courses", "A1048576")),
     "Courses!A1048576: this cell holds a value far outside any planning table", "and save"),
    ("empty_periods_sheet", _mutated(lambda s: s.__setitem__("Periods", [])),
     "Periods: the required column 'period' is missing", "add a column headed period"),
    ("empty_categories_table", _mutated(lambda s: s.__setitem__("Categories",
                                                                s["Categories"][:1])),
     "Categories: the Categories sheet has no categories", "add one row per personnel"),
    ("empty_objectives_table", _mutated(lambda s: s.__setitem__("Objectives",
                                                                s["Objectives"][:1])),
     "Objectives: the Objectives sheet has no rows", "delete the sheet to use the default"),
    ("two_sheets_same_name", _mutated(lambda s: s.__setitem__(" COURSES ", [["course"]])),
     "COURSES: a second sheet named Courses (the first is 'Courses')", "merge them"),
    ("chart_sheet_in_place_of_a_table", _chart_sheet,
     "Courses: this is a chart or dialog sheet, not a worksheet of cells",
     "replace it with an ordinary worksheet"),
    # ---- values
    ("nan_in_target", _number_then_patch("Targets", "C3", b"NaN"),
     "Targets!C3: target is nan, which is not a usable number", "finite number"),
    ("minus_inf_setting", _number_then_patch("Settings", "B4", b"-INF"),
     "Settings!B4: force_cap is -inf, which is not a usable number", "smaller than 1e+15"),
    ("overflowing_text_setting", _mutated(_put("Settings!B4", "1e999")),
     "Settings!B4: force_cap is inf, which is not a usable number", "finite number"),
    ("1e300_in_target", _mutated(_put("Targets!B3", 1e300)),
     "Targets!B3: target is 1e+300, which is not a usable number", "finite number"),
    ("minus_1e300_duration", _mutated(_put("Courses!D2", -1e300)),
     "Courses!D2: duration_months is -1e+300, which is not a usable number", "finite"),
    ("datetime_in_target", _mutated(_put("Targets!B2", datetime.datetime(2026, 3, 1, 12, 0))),
     "Targets!B2: target must be a number, but the cell holds the date/time 2026-03-01 12:00:00",
     "format the cell as Number"),
    ("time_in_duration", _mutated(_put("Courses!D4", datetime.time(6, 30))),
     "Courses!D4: duration_months must be a number, but the cell holds the date/time",
     "format the cell as Number"),
    ("boolean_yield", _mutated(_put("Courses!E2", True)),
     "Courses!E2: yield must be a number, but the cell holds the yes/no value TRUE",
     "instead of TRUE/FALSE"),
    ("boolean_target", _mutated(_put("Targets!D3", False)),
     "Targets!D3: target must be a number, but the cell holds the yes/no value FALSE",
     "instead of TRUE/FALSE"),
    ("percent_typed_as_text", _mutated(_put("Categories!E3", "5%")),
     "Categories!E3: attrition_rate must be a number, but the cell holds the text '5%'",
     "no thousands separators, units or quotes"),
    ("full_width_digits", _mutated(_put("Categories!D3", "８０")),
     "Categories!D3: initial_strength must be a number, but the cell holds the text '８０'",
     "type a number"),
    ("loss_rate_above_one", _mutated(_put("Equipment!G2", 1.5)),
     "Equipment!G2: loss_rate is 1.5, outside its allowed range", "≥ 0 and < 1"),
    ("negative_seats", _mutated(_put("Sites!C2", -1)),
     "Sites!C2: seats is -1, outside its allowed range", "≥ 0"),
    ("yield_above_one", _mutated(_put("Courses!E4", 1.2)),
     "Courses!E4: yield is 1.2, outside its allowed range", "> 0 and ≤ 1"),
    ("fractional_objective_level", _mutated(_put("Objectives!A4", 1.5)),
     "Objectives!A4: level must be a whole number, but the cell holds 1.5", "whole number"),
    ("fractional_equipment_priority", _mutated(_put("Equipment!C2", 2.5)),
     "Equipment!C2: priority must be a whole number, but the cell holds 2.5", "whole number"),
    # ---- formulas
    ("formula_saved_REF", _cell_xml("Courses", "D3", 777,
                                    b'<c r="D3" t="e"><f>#REF!*2</f><v>#REF!</v></c>'),
     "Courses!D3: the cell holds the error value #REF!", "fix the formula"),
    ("formula_saved_VALUE_in_target", _cell_xml("Targets", "C2", 777,
                                                b'<c r="C2" t="e"><f>B2+"x"</f><v>#VALUE!</v>'
                                                b'</c>'),
     "Targets!C2: the cell holds the error value #VALUE!", "fix the formula"),
    ("formula_saved_NAME_in_setting", _cell_xml("Settings", "B4", 777,
                                                b'<c r="B4" t="e"><f>CAPP()</f><v>#NAME?</v>'
                                                b'</c>'),
     "Settings!B4: the cell holds the error value #NAME?", "fix the formula"),
    ("formula_without_value_in_setting", _mutated(_put("Settings!B4", "=400+100")),
     "Settings!B4: this formula has no saved value", "open and save the file"),
    ("formula_without_value_in_header", _mutated(_put("Courses!E1", '="yie"&"ld"')),
     "Courses!E1: this formula has no saved value", "open and save the file"),
    # ---- references
    ("pipeline_unknown_course", _mutated(_put("Pipeline!A2", "PilotBasc")),
     "Pipeline!A2: course 'PilotBasc' is not a course on the Courses sheet",
     "did you mean 'PilotBasic'?"),
    ("site_case_only_duplicate", _mutated(_put("Sites!A3", "HOME")),
     "Sites!A3: site 'HOME' is defined twice; it is already at Sites!A2 as 'Home'",
     "letter case is ignored"),
    ("period_with_trailing_space_duplicate", _mutated(_put("Periods!A4", "2027 ")),
     "Periods!A4: period '2027' is defined twice", "keep one row per name"),
    ("target_header_typed_as_date", _mutated(_put("Targets!C1", datetime.date(2027, 1, 1))),
     "Targets!C1: the header '2027-01-01' is not a period on the Periods sheet",
     "head each column with a period label"),
    ("source_unknown_equipment", _mutated(_put("EquipmentSources!B2", "Jets")),
     "EquipmentSources!B2: equipment 'Jets' is not an equipment on the Equipment sheet",
     "did you mean 'Jet'?"),
    # ---- files that are not workbooks
    ("ods_file", _ods, "plan.ods is an OpenDocument spreadsheet (.ods), not an .xlsx workbook",
     "save it as an Excel Workbook (.xlsx)"),
    ("html_saved_as_xlsx", _html_as_xls,
     "export.xlsx is a text file (perhaps CSV), not an Excel workbook", "Excel Workbook"),
    ("utf16_text_as_xlsx", _utf16_csv,
     "export.xlsx is a text file (perhaps CSV), not an Excel workbook", "Excel Workbook"),
    ("zip_member_encrypted", _raw_zip_member_flag(flag=0x1),
     "case.xlsx is damaged or protected and cannot be opened as a workbook (part "
     "xl/worksheets/sheet3.xml", "save a fresh copy as .xlsx"),
    ("zip_member_unknown_method", _raw_zip_member_flag(method=99),
     "case.xlsx is damaged or protected and cannot be opened as a workbook (part "
     "xl/worksheets/sheet3.xml", "save a fresh copy as .xlsx"),
    ("duplicate_zip_member", _duplicate_member,
     "case.xlsx is damaged: it holds two parts named xl/worksheets/sheet3.xml",
     "save a fresh copy"),
    ("ten_thousand_zip_members", _too_many_members,
     "case.xlsx holds 10,0", "far more than any planning workbook"),
    ("named_pipe", _fifo, "", "is not a regular file (it is a device, pipe or socket)"),
    ("device_file", _device, "", "is not a regular file (it is a device, pipe or socket)"),
    ("symlink_loop", _symlink_loop, "", "cannot be read (Too many levels of symbolic links)"),
    # ---- XML document type declarations (refused before any XML library parses them)
    ("billion_laughs_in_sheet", _laughs_in_sheet,
     "case.xlsx contains a document type declaration (<!DOCTYPE>) in its part "
     "xl/worksheets/sheet3.xml", "it can hide an XML bomb, so force-plan refuses to open it"),
    ("billion_laughs_in_shared_strings", _laughs_in_shared_strings,
     "case.xlsx contains a document type declaration (<!DOCTYPE>) in its part "
     "xl/sharedStrings.xml", "refuses to open it"),
    ("external_entity_in_workbook_xml", _external_entity,
     "case.xlsx contains a document type declaration (<!DOCTYPE>) in its part xl/workbook.xml",
     "refuses to open it"),
    ("doctype_in_utf16_part", _doctype_utf16,
     "case.xlsx contains a document type declaration (<!DOCTYPE>) in its part "
     "xl/worksheets/sheet2.xml", "refuses to open it"),
    ("doctype_after_a_comment", _doctype_after_comment,
     "case.xlsx contains a document type declaration (<!DOCTYPE>) in its part xl/styles.xml",
     "refuses to open it"),
    ("long_xml_preamble", _long_preamble,
     "case.xlsx has a part (xl/styles.xml) that starts with more than 64 KB of preamble",
     "refuses to open it"),
]


@pytest.mark.parametrize("build, line, fragment", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_hostile_input_is_refused(tmp_path, build, line, fragment):
    path = build(tmp_path)
    outputs = assert_refused(path, tmp_path, line or None, fragment)
    if not line:  # a file-system case: the one sentence names the file
        for text in outputs:
            assert any(fragment in ln and path.name in ln for ln in text.splitlines()), text


def test_corpus_size():
    """At least 60 distinct broken inputs, all run through validate and solve."""
    ids = ([c[0] for c in test_validate_broken.CASES] + list(test_read.NOT_WORKBOOKS)
           + [c[0] for c in CASES])
    assert len(ids) == len(set(ids))
    assert len(ids) >= 100
