"""Collected and streamed cells (layout.Sheet, bulk.Rows) read back with their values,
types and styles; text from an input never becomes a formula or an error value."""
from __future__ import annotations

import io
import math

import openpyxl
import pytest
from openpyxl import Workbook

from force_plan.xlsx.rows import Rows
from force_plan.xlsx.layout import (BOLD, NUMBER, SHORT_FILL, Sheet, abandon,
                                    close_sheets, put, put_formula)
from force_plan.xlsx.save import workbook_bytes


def _book():
    wb = Workbook(write_only=True)
    ws = Sheet(wb, "Sheet")
    put(ws, 1, 1, "header", font=BOLD)
    return wb, ws


def _back(wb, sheets):
    close_sheets(sheets)
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(wb)))["Sheet"]


def test_streamed_cells_read_back_with_their_types_styles_and_text():
    wb, ws = _book()
    rows = Rows(ws, 2, 3, 9)
    fig = rows.style(NUMBER)
    r = rows.add([rows.text(1, "=HYPERLINK(\"x\")"), rows.text(2, "  a & <b> \r\n"),
                  rows.number(3, 1234.5678, fig), rows.formula(4, "=C2*2<>1", fig),
                  rows.number(5, math.nan, fig), rows.text(6, ""), rows.number(7, 0.1),
                  rows.text(8, "#N/A"), rows.formula(9, "=A2")])
    assert r == 2 and rows.ref(8) == "H3"
    rows.add([rows.text(1, "bad\x01char\ufffe"), rows.number(2, -3)])
    back = _back(wb, [ws])
    assert back["A1"].value == "header" and back["A1"].font.b
    assert back["A2"].value == '=HYPERLINK("x")' and back["A2"].data_type == "s"
    assert back["B2"].value == "  a & <b> \r\n"
    assert back["C2"].value == 1234.5678 and back["C2"].number_format == NUMBER
    assert back["D2"].value == "=C2*2<>1" and back["D2"].number_format == NUMBER
    assert back["D2"].data_type == "f"
    assert back["E2"].value is None and back["E2"].number_format == NUMBER
    assert back["F2"].value is None and back["G2"].value == 0.1
    assert back["H2"].value == "#N/A" and back["H2"].data_type == "s"
    assert back["I2"].value == "=A2" and back["I2"].data_type == "f"
    assert back["A3"].value == "badchar" and back["B3"].value == -3
    assert back.max_row == 3 and back.calculate_dimension() == "A1:I3"


def test_collected_cells_in_any_order_and_styles_per_cell():
    wb = Workbook(write_only=True)
    ws = Sheet(wb, "Sheet")
    put(ws, 3, 2, 7.5, NUMBER, fill=SHORT_FILL)
    put(ws, 1, 4, "=1+1")  # input text: a string
    put_formula(ws, 3, 1, "=B3*2")
    put(ws, 1, 1, None, fill=SHORT_FILL)  # an empty cell that keeps its fill
    put(ws, 2, 1, "gone")
    put(ws, 2, 1, None)  # cleared again
    assert ws.value(3, 2) == 7.5 and ws.value(2, 1) is None
    back = _back(wb, [ws])
    assert back["D1"].value == "=1+1" and back["D1"].data_type == "s"
    assert back["A3"].value == "=B3*2" and back["A3"].data_type == "f"
    assert back["B3"].value == 7.5 and back["B3"].fill.fgColor.rgb.endswith("F8CBAD")
    assert back["A3"].fill.fill_type is None  # the pooled cells keep their own styles
    assert back["A1"].value is None and back["A1"].fill.fgColor.rgb.endswith("F8CBAD")
    assert back["A2"].value is None


def test_a_cell_past_column_xfd_is_dropped_and_said():
    wb = Workbook(write_only=True)
    ws = Sheet(wb, "Sheet")
    put(ws, 1, 16384, 1.0)
    assert not ws.clipped
    put(ws, 1, 16385, 2.0)
    assert ws.clipped and ws.value(1, 16385) is None


def test_the_same_rows_give_the_same_bytes():
    def once():
        wb, ws = _book()
        rows = Rows(ws, 2, 51, 2)
        for i in range(50):
            rows.add([rows.text(1, f"row {i}"), rows.number(2, i / 7, rows.style(NUMBER))])
        close_sheets([ws])
        return workbook_bytes(wb)

    assert once() == once()


def test_streamed_rows_refuse_collected_cells_below_them():
    wb, ws = _book()
    put(ws, 2, 2, "in the way")
    with pytest.raises(ValueError, match="cells at or below streamed row 2"):
        Rows(ws, 2, 2, 1)
    rows = Rows(ws, 3, 3, 1)
    rows.add([rows.text(1, "x")])
    with pytest.raises(ValueError, match="row 3 was already written"):
        put(ws, 3, 2, "too late")
    abandon(wb)  # a sheet that is never saved is finished quietly
