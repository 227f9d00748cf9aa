"""Native charts of the plan workbook, drawn from the figures on the sheets themselves."""
from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import (CharacterProperties, Paragraph, ParagraphProperties,
                                   RegularTextRun)
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from .layout import MAX_COLUMN, Sheet, clean_text
from .sheets_materiel import BudgetLayout, EquipmentLayout
from .sheets_people import StrengthLayout

WIDTH, HEIGHT = 15.0, 7.5  # cm
ROWS_PER_CHART = 17  # rows a chart of HEIGHT covers, with a gap
COLS_PER_CHART = 7  # period columns a chart of WIDTH covers, with a gap
SUMMARY_CHART_COL = 8  # column H, right of the Summary's headline block
LONG_TABLE = 40  # rows: charts below a longer table start on a new printed page


def _title(text: str, size: int = 1100) -> Title:
    """A chart title in a modest bold font (the default is too large for small charts)."""
    props = CharacterProperties(sz=size, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props,
                                                                              t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _row_series(ws: Sheet, row: int, first_col: int, T: int, name: str) -> Series:
    values = Reference(ws.ws, min_col=first_col, max_col=_last(first_col, T), min_row=row,
                       max_row=row)
    series = Series(values, title=name)
    series.smooth = False
    return series


def _dashed(series: Series) -> Series:
    """Draw a limit or target as a dashed line, so a plan that meets it stays visible."""
    series.graphicalProperties = GraphicalProperties(ln=LineProperties(prstDash="dash",
                                                                       w=22225))
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


def _periods(ws: Sheet, header_row: int, first_col: int, T: int) -> Reference:
    return Reference(ws.ws, min_col=first_col, max_col=_last(first_col, T),
                     min_row=header_row, max_row=header_row)


def _last(first_col: int, T: int) -> int:
    """The last period column a chart draws: never past the sheet's last column."""
    return min(first_col + T - 1, MAX_COLUMN)


def place_grid(ws: Sheet, charts: list, first_row: int, first_col: int,
               per_row: int) -> None:
    """Anchor charts in a grid: ``per_row`` across, each COLS_PER_CHART columns wide.

    Under a long table the charts start a new printed page."""
    if charts and first_row > LONG_TABLE:
        ws.ws.row_breaks.append(Break(id=first_row - 1))  # charts start a printed page
    for i, chart in enumerate(charts):
        col = first_col + (i % per_row) * COLS_PER_CHART
        row = first_row + (i // per_row) * ROWS_PER_CHART
        ws.ws.add_chart(chart, f"{get_column_letter(col)}{row}")


def grid_width(T: int) -> int:
    """Charts side by side under a table of T period columns (2 or 3)."""
    return max(2, min(3, (T + 2) // COLS_PER_CHART))


# --------------------------------------------------------------------------- the charts
def force_chart(ws: Sheet, lay: StrengthLayout, T: int) -> LineChart:
    chart = _line("Total force (trained + in training) against the force cap", "persons")
    chart.series.append(_row_series(ws, lay.force_row, lay.first_col, T, "total force"))
    if lay.cap_row:
        chart.series.append(_dashed(_row_series(ws, lay.cap_row, lay.first_col, T,
                                                "force cap")))
    chart.set_categories(_periods(ws, lay.header_row, lay.first_col, T))
    return chart


def strength_charts(ws: Sheet, lay: StrengthLayout, T: int) -> list:
    """Strength against target, one small chart per weapons category that has a target."""
    charts = []
    for weapons, (target_row, strength_row) in lay.groups.items():
        if not target_row:
            continue
        chart = _line(f"{clean_text(weapons)}: strength against target", "persons")
        chart.series.append(_row_series(ws, strength_row, lay.first_col, T, "strength"))
        chart.series.append(_dashed(_row_series(ws, target_row, lay.first_col, T, "target")))
        chart.set_categories(_periods(ws, lay.header_row, lay.first_col, T))
        charts.append(chart)
    return charts


def readiness_chart(ws: Sheet, lay: EquipmentLayout, T: int) -> LineChart | None:
    if not lay.readiness_rows:
        return None
    chart = _line("Equipment readiness by weapons category (operational ÷ target)",
                  "readiness", "0%")
    for weapons, row in lay.readiness_rows.items():
        chart.series.append(_row_series(ws, row, lay.first_col, T, clean_text(weapons)))
    if len(chart.series) > 6:  # many weapons categories: room for the legend below
        chart.height = HEIGHT + 0.5 * (len(chart.series) - 6)
    chart.set_categories(_periods(ws, lay.header_row, lay.first_col, T))
    return chart


def budget_chart(ws: Sheet, lay: BudgetLayout, T: int, unit: str) -> BarChart:
    bars = BarChart()
    bars.type = "col"
    bars.grouping = "stacked"
    bars.overlap = 100
    bars.title = _title("Cost by line per period against the budget")
    bars.y_axis.title = clean_text(unit)
    bars.y_axis.number_format = "#,##0"
    bars.width, bars.height = WIDTH, HEIGHT
    bars.legend.position = "b"
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    first, last = lay.line_rows
    for row in range(first, last + 1):
        name = ws.value(row, 1)
        bars.series.append(_row_series(ws, row, lay.first_col, T, name))
    budget = LineChart()
    budget.series.append(_dashed(_row_series(ws, lay.budget_row, lay.first_col, T, "budget")))
    bars.set_categories(_periods(ws, lay.header_row, lay.first_col, T))
    budget.set_categories(_periods(ws, lay.header_row, lay.first_col, T))
    bars += budget
    return bars


def add_charts(sheets: dict, layouts: dict, T: int, unit: str) -> None:
    """Every chart of the plan: under each sheet's table, and the key ones on Summary."""
    if T == 0:
        return
    strength, budget = layouts["Strength"], layouts["Budget"]
    ws = sheets["Strength"]
    place_grid(ws, [force_chart(ws, strength, T)] + strength_charts(ws, strength, T),
               strength.end_row + 2, strength.first_col, grid_width(T))
    ws = sheets["Budget"]
    place_grid(ws, [budget_chart(ws, budget, T, unit)], budget.end_row + 2, budget.first_col, 1)
    summary = [force_chart(sheets["Strength"], strength, T),
               budget_chart(sheets["Budget"], budget, T, unit)]
    if "Equipment" in sheets:
        ws, lay = sheets["Equipment"], layouts["Equipment"]
        chart = readiness_chart(ws, lay, T)
        if chart is not None:
            place_grid(ws, [chart], lay.end_row + 2, lay.first_col, 1)
            summary.append(readiness_chart(ws, lay, T))
    place_grid(sheets["Summary"], summary, 1, SUMMARY_CHART_COL, 1)
