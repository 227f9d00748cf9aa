"""Collected and streamed cells (layout.Sheet, bulk.Rows) read back with their values,
types and styles; text from an input never becomes a formula or an error value."""
from __future__ import annotations

import io
import math

import openpyxl
import pytest
from force_plan.xlsx.book import Book
from force_plan.xlsx.rows import Rows
from force_plan.xlsx.layout import (BOLD, NUMBER, SHORT_FILL, Sheet, abandon,
                                    close_sheets, put, put_formula)
from force_plan.xlsx.save import workbook_bytes


def _empty():
    out = io.BytesIO()
    return Book(out), out


def _book():
    (wb, out) = book = _empty()
    ws = Sheet(wb, "Sheet")
    put(ws, 1, 1, "header", font=BOLD)
    return book, ws


def _back(book, sheets, data_only=False):
    wb, out = book
    close_sheets(sheets)
    wb.close()
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()), data_only=data_only)["Sheet"]


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
    assert back["B2"].value == "  a & <b> \n"  # a carriage return: a line break
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
    wb = _empty()
    ws = Sheet(wb[0], "Sheet")
    put(ws, 3, 2, 7.5, NUMBER, fill=SHORT_FILL)
    put(ws, 1, 4, "=1+1")  # input text: a string
    put_formula(ws, 3, 1, "=B3*2")
    put(ws, 1, 1, None, fill=SHORT_FILL)  # an empty cell that keeps its fill
    put(ws, 2, 1, "gone")
    put(ws, 2, 1, None)  # cleared again
    assert ws.value(3, 2) == 7.5 and ws.value(2, 1) is None
    assert ws.computed(3, 1) == 15.0  # the formula's value, stored with it
    back = _back(wb, [ws])
    assert back["D1"].value == "=1+1" and back["D1"].data_type == "s"
    assert back["A3"].value == "=B3*2" and back["A3"].data_type == "f"
    assert back["B3"].value == 7.5 and back["B3"].fill.fgColor.rgb.endswith("F8CBAD")
    assert back["A3"].fill.fill_type is None  # the pooled cells keep their own styles
    assert back["A1"].value is None and back["A1"].fill.fgColor.rgb.endswith("F8CBAD")
    assert back["A2"].value is None


def test_a_cell_past_column_xfd_is_dropped_and_said():
    ws = Sheet(_empty()[0], "Sheet")
    put(ws, 1, 16384, 1.0)
    assert not ws.clipped
    put(ws, 1, 16385, 2.0)
    assert ws.clipped and ws.value(1, 16385) is None


def test_the_same_rows_give_the_same_bytes():
    def write(target):
        wb = Book(target)
        ws = Sheet(wb, "Sheet")
        put(ws, 1, 1, "header", font=BOLD)
        rows = Rows(ws, 2, 51, 2)
        for i in range(50):
            rows.add([rows.text(1, f"row {i}"), rows.number(2, i / 7, rows.style(NUMBER)),
                      rows.formula(3, f"=B{i + 2}*2", None, i / 7 * 2)])
        wb.mark("plan", "same")
        wb.close()

    def once():
        return workbook_bytes(write)

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
    abandon(wb[0])  # a workbook that is never saved is finished quietly


def test_formulas_carry_their_values_and_text_stays_text():
    """What a reader that does not recalculate sees: every formula's value, computed from
    the sheet's own cells (numbers, tests, text, ranges, SUMPRODUCT of a test)."""
    book, ws = _book()
    put(ws, 2, 1, 2.0)
    put(ws, 3, 1, 3.0)
    put(ws, 2, 2, "RECRUIT")
    put(ws, 3, 2, "other")
    put_formula(ws, 4, 1, "=SUM(A2:A3)*2^2-ABS(-1)")
    put_formula(ws, 4, 2, '=SUMPRODUCT((B2:B3="recruit")*A2:A3)')
    put_formula(ws, 4, 3, "=A4>=B4")
    put_formula(ws, 4, 4, '=IF(COUNTIF(C4:C4,TRUE)=1,"All "&COUNTIF(C4:C4,TRUE)&" hold.","no")')
    put_formula(ws, 4, 5, "=ROUND(2.5,0)+ROUND(-2.5,0)+MIN(A2:A3)", value=99.0)  # as given
    put_formula(ws, 4, 6, "=ROUND(2.5,0)-ROUND(-2.5,0)+MIN(A2:A3)")  # halves away from 0
    put_formula(ws, 4, 7, "=A2/(A3-3)")  # an error value, as a spreadsheet shows it
    back = _back(book, [ws], data_only=True)
    assert [back.cell(4, c).value for c in range(1, 8)] == [19, 2, True, "All 1 hold.", 99,
                                                            8, "#DIV/0!"]
