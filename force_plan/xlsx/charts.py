"""Native charts of the plan workbook, drawn from the figures on the sheets themselves."""
from __future__ import annotations

from .layout import MAX_COLUMN, Sheet, clean_text
from .sheets_materiel import BudgetLayout, EquipmentLayout
from .sheets_people import StrengthLayout

WIDTH, HEIGHT = 15.0, 7.5  # cm
PIXELS_PER_CM = 96 / 2.54
ROWS_PER_CHART = 17  # rows a chart of HEIGHT covers, with a gap
COLS_PER_CHART = 7  # period columns a chart of WIDTH covers, with a gap
SUMMARY_CHART_COL = 8  # column H, right of the Summary's headline block
LONG_TABLE = 40  # rows: charts below a longer table start on a new printed page
#: a limit or target: a dashed line 1.75 pt wide, so a plan that meets it stays visible
DASHED = {"dash_type": "dash", "width": 1.75}


def series_name(name) -> str:
    """A series', title's or axis' name as literal text (XlsxWriter reads a name starting
    with "=" as a reference; an input name never becomes one)."""
    text = clean_text(str(name))
    return " " + text if text.startswith("=") else text


def _row_series(ws: Sheet, row: int, first_col: int, T: int, name: str,
                header_row: int, dashed: bool = False) -> dict:
    """A series of one table row's period cells, the header row's period labels as its
    categories (0-based ranges, XlsxWriter's list form)."""
    last = _last(first_col, T) - 1
    series = {"name": series_name(name),
              "values": [ws.title, row - 1, first_col - 1, row - 1, last],
              "categories": [ws.title, header_row - 1, first_col - 1, header_row - 1, last],
              "smooth": False}
    if dashed:
        series["line"] = dict(DASHED)
    return series


def _chart(ws: Sheet, kind: dict, title: str, y_title: str, y_format: str):
    chart = ws.new_chart(kind)
    chart.set_title({"name": series_name(title), "name_font": {"size": 11, "bold": True},
                     "overlay": False})
    chart.set_y_axis({"name": series_name(y_title), "num_format": y_format})
    chart.set_legend({"position": "bottom"})
    _size(chart, HEIGHT)
    return chart


def _size(chart, height_cm: float) -> None:
    chart.set_size({"width": round(WIDTH * PIXELS_PER_CM),
                    "height": round(height_cm * PIXELS_PER_CM)})


def _line(ws: Sheet, title: str, y_title: str, y_format: str = "#,##0"):
    return _chart(ws, {"type": "line"}, title, y_title, y_format)


def _last(first_col: int, T: int) -> int:
    """The last period column a chart draws: never past the sheet's last column."""
    return min(first_col + T - 1, MAX_COLUMN)


def place_grid(ws: Sheet, charts: list, first_row: int, first_col: int,
               per_row: int) -> None:
    """Anchor charts in a grid: ``per_row`` across, each COLS_PER_CHART columns wide.

    Under a long table the charts start a new printed page."""
    if charts and first_row > LONG_TABLE:
        ws.page_break_after(first_row - 1)  # charts start a printed page
    for i, chart in enumerate(charts):
        col = first_col + (i % per_row) * COLS_PER_CHART
        row = first_row + (i // per_row) * ROWS_PER_CHART
        ws.place_chart(row, col, chart)


def grid_width(T: int) -> int:
    """Charts side by side under a table of T period columns (2 or 3)."""
    return max(2, min(3, (T + 2) // COLS_PER_CHART))


# --------------------------------------------------------------------------- the charts
def force_chart(ws: Sheet, lay: StrengthLayout, T: int):
    chart = _line(ws, "Total force (trained + in training) against the force cap", "persons")
    chart.add_series(_row_series(ws, lay.force_row, lay.first_col, T, "total force",
                                 lay.header_row))
    if lay.cap_row:
        chart.add_series(_row_series(ws, lay.cap_row, lay.first_col, T, "force cap",
                                     lay.header_row, dashed=True))
    return chart


def strength_charts(ws: Sheet, lay: StrengthLayout, T: int) -> list:
    """Strength against target, one small chart per weapons category that has a target."""
    charts = []
    for weapons, (target_row, strength_row) in lay.groups.items():
        if not target_row:
            continue
        chart = _line(ws, f"{clean_text(weapons)}: strength against target", "persons")
        chart.add_series(_row_series(ws, strength_row, lay.first_col, T, "strength",
                                     lay.header_row))
        chart.add_series(_row_series(ws, target_row, lay.first_col, T, "target",
                                     lay.header_row, dashed=True))
        charts.append(chart)
    return charts


def readiness_chart(ws: Sheet, lay: EquipmentLayout, T: int):
    if not lay.readiness_rows:
        return None
    chart = _line(ws, "Equipment readiness by weapons category (operational ÷ target)",
                  "readiness", "0%")
    for weapons, row in lay.readiness_rows.items():
        chart.add_series(_row_series(ws, row, lay.first_col, T, weapons, lay.header_row))
    count = len(lay.readiness_rows)
    if count > 6:  # many weapons categories: room for the legend below
        _size(chart, HEIGHT + 0.5 * (count - 6))
    return chart


def budget_chart(ws: Sheet, lay: BudgetLayout, T: int, unit: str):
    bars = _chart(ws, {"type": "column", "subtype": "stacked"},
                  "Cost by line per period against the budget", clean_text(unit), "#,##0")
    first, last = lay.line_rows
    for row in range(first, last + 1):
        series = _row_series(ws, row, lay.first_col, T, ws.value(row, 1), lay.header_row)
        series["overlap"] = 100
        bars.add_series(series)
    budget = ws.new_chart({"type": "line"})
    budget.add_series(_row_series(ws, lay.budget_row, lay.first_col, T, "budget",
                                  lay.header_row, dashed=True))
    bars.combine(budget)
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
