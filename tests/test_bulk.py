"""Bulk rows: sheet XML written as text reads back exactly like openpyxl's own cells."""
from __future__ import annotations

import io
import math

import openpyxl
import pytest

from force_plan.workbook.bulk import BulkRows, splice
from force_plan.workbook.layout import BOLD, NUMBER, put
from force_plan.workbook.safe import workbook_bytes


def _book():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet"
    put(ws, 1, 1, "header", font=BOLD)
    return wb, ws


def test_cells_read_back_with_their_types_styles_and_text():
    wb, ws = _book()
    rows = BulkRows(ws, 2)
    fig = rows.style(NUMBER)
    r = rows.add((rows.text(1, "=HYPERLINK(\"x\")"), rows.text(2, "  a & <b> \r\n"),
                  rows.number(3, 1234.5678, fig), rows.formula(4, "=C2*2<>1", fig),
                  rows.number(5, math.nan, fig), rows.text(6, ""), rows.number(7, 0.1)), 7)
    assert r == 2 and rows.ref(8) == "H3"
    rows.add((rows.text(1, "bad\x01char"), rows.number(2, -3)), 2)
    back = openpyxl.load_workbook(io.BytesIO(workbook_bytes(wb)))["Sheet"]
    assert back["A1"].value == "header" and back["A1"].font.b
    assert back["A2"].value == '=HYPERLINK("x")' and back["A2"].data_type == "s"
    assert back["B2"].value == "  a & <b> \r\n"
    assert back["C2"].value == 1234.5678 and back["C2"].number_format == NUMBER
    assert back["D2"].value == "=C2*2<>1" and back["D2"].number_format == NUMBER
    assert back["E2"].value is None and back["E2"].number_format == NUMBER
    assert back["F2"].value is None and back["G2"].value == 0.1
    assert back["A3"].value == "badchar" and back["B3"].value == -3
    assert back.max_row == 3 and back.calculate_dimension() == "A1:G3"


def test_the_same_rows_give_the_same_bytes():
    def once():
        wb, ws = _book()
        rows = BulkRows(ws, 2)
        for i in range(50):
            rows.add((rows.text(1, f"row {i}"), rows.number(2, i / 7)), 2)
        return workbook_bytes(wb)

    assert once() == once()


def test_splice_refuses_openpyxl_cells_among_the_bulk_rows():
    wb, ws = _book()
    rows = BulkRows(ws, 2)
    rows.add((rows.text(1, "x"),), 1)
    put(ws, 2, 2, "in the way")
    with pytest.raises(ValueError, match="openpyxl cells at or below bulk row 2"):
        splice(b"<worksheet><sheetData/></worksheet>", rows, io.BytesIO())
    with pytest.raises(ValueError, match="already has bulk rows"):
        BulkRows(ws, 5)


def test_splice_into_an_empty_sheet_data():
    wb, ws = openpyxl.Workbook(), None
    ws = wb.active
    rows = BulkRows(ws, 1)
    rows.add((rows.number(1, 2.0),), 1)
    out = io.BytesIO()
    splice(b'<worksheet><dimension ref="A1"/><sheetData/></worksheet>', rows, out)
    assert out.getvalue() == (b'<worksheet><dimension ref="A1:A1"/><sheetData><row r="1">'
                              b'<c r="A1" t="n"><v>2</v></c></row></sheetData></worksheet>')
