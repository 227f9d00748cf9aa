"""Native charts of the plan workbook, drawn from the figures on the sheets themselves."""
from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (CharacterProperties, Paragraph, ParagraphProperties,
                                   RegularTextRun)
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .sheets_materiel import BudgetLayout, EquipmentLayout
from .sheets_people import StrengthLayout

WIDTH, HEIGHT = 15.0, 7.0  # cm
ROWS_PER_CHART = 15  # rows a chart of HEIGHT covers, with a gap


def _title(text: str, size: int = 1100) -> Title:
    """A chart title in a modest bold font (the default is too large for small charts)."""
    props = CharacterProperties(sz=size, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props,
                                                                              t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _row_series(ws: Worksheet, row: int, first_col: int, T: int, name: str) -> Series:
    values = Reference(ws, min_col=first_col, max_col=first_col + T - 1, min_row=row,
                       max_row=row)
    series = Series(values, title=name)
    series.smooth = False
    return series


def _line(title: str, y_title: str, y_format: str = "#,##0") -> LineChart:
    chart = LineChart()
    chart.title = _title(title)
    chart.y_axis.title = y_title
    chart.y_axis.number_format = y_format
    chart.width, chart.height = WIDTH, HEIGHT
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _periods(ws: Worksheet, header_row: int, first_col: int, T: int) -> Reference:
    return Reference(ws, min_col=first_col, max_col=first_col + T - 1, min_row=header_row,
                     max_row=header_row)


def strength_charts(ws: Worksheet, lay: StrengthLayout, T: int) -> int:
    """Total force against the cap, then strength against target per weapons category."""
    if T == 0:
        return 0
    anchor_col = get_column_letter(lay.first_col + T + 1)
    periods = _periods(ws, lay.header_row, lay.first_col, T)
    charts = []
    force = _line("Total force (trained + in training) against the force cap", "persons")
    force.series.append(_row_series(ws, lay.force_row, lay.first_col, T, "total force"))
    if lay.cap_row:
        force.series.append(_row_series(ws, lay.cap_row, lay.first_col, T, "force cap"))
    charts.append(force)
    for weapons, (target_row, strength_row) in lay.groups.items():
        if not target_row:
            continue
        chart = _line(f"{weapons}: strength against target", "persons")
        chart.series.append(_row_series(ws, strength_row, lay.first_col, T, "strength"))
        chart.series.append(_row_series(ws, target_row, lay.first_col, T, "target"))
        charts.append(chart)
    for i, chart in enumerate(charts):
        chart.set_categories(periods)
        ws.add_chart(chart, f"{anchor_col}{lay.header_row + i * ROWS_PER_CHART}")
    return len(charts)


def equipment_chart(ws: Worksheet, lay: EquipmentLayout, T: int) -> int:
    if T == 0 or not lay.readiness_rows:
        return 0
    chart = _line("Equipment readiness by weapons category (operational ÷ target)",
                  "readiness", "0%")
    for weapons, row in lay.readiness_rows.items():
        chart.series.append(_row_series(ws, row, lay.first_col, T, weapons))
    chart.set_categories(_periods(ws, lay.header_row, lay.first_col, T))
    ws.add_chart(chart, f"{get_column_letter(lay.first_col + T + 1)}{lay.header_row}")
    return 1


def budget_chart(ws: Worksheet, lay: BudgetLayout, T: int, unit: str) -> int:
    if T == 0:
        return 0
    bars = BarChart()
    bars.type = "col"
    bars.grouping = "stacked"
    bars.overlap = 100
    bars.title = _title("Cost by line per period against the budget")
    bars.y_axis.title = unit
    bars.y_axis.number_format = "#,##0"
    bars.width, bars.height = WIDTH + 5, HEIGHT + 2
    bars.legend.position = "b"
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    first, last = lay.line_rows
    for row in range(first, last + 1):
        name = ws.cell(row=row, column=1).value
        bars.series.append(_row_series(ws, row, lay.first_col, T, name))
    budget = LineChart()
    budget.series.append(_row_series(ws, lay.budget_row, lay.first_col, T, "budget"))
    bars.set_categories(_periods(ws, lay.header_row, lay.first_col, T))
    budget.set_categories(_periods(ws, lay.header_row, lay.first_col, T))
    bars += budget
    ws.add_chart(bars, f"A{lay.budget_row + 4}")
    return 1
