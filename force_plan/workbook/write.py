"""Results → the plan workbook a planner and a reviewer can trust.

Sheets (names are part of the contract, WORKBOOK.md "The output workbook"): Summary,
Training, Strength, Equipment (when the plan has equipment), Sources (when it has sources
or sites), Budget, Sustainment, Bottlenecks, Checks, Data.

Everything is built from ``Results`` (the solver's figures, as the tidy Data table) and its
``PlanData`` (the inputs). The display sheets hold numbers; the Checks sheet holds live
formulas over the Data sheet that re-derive every balance, cost and limit, so a spreadsheet
application proves the plan consistent when it opens the file.

Safety: input text is always stored as text (never a formula); the input workbook and
files force_plan did not write are never overwritten (unless ``force``); the file is
written atomically; the same Results give the same bytes.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..results import Results
from ..schema import DATA_COLUMNS
from ..util import no_cycle_collection
from .bulk import BulkRows
from .charts import add_charts
from .checks import write_checks
from .layout import HEADER_FILL, HEADER_FONT, clean_text, forget_styles, widths
from .safe import check_output_path, mark, save_atomically
from .sheets_materiel import write_budget, write_equipment, write_sources
from .sheets_people import write_strength, write_training
from .sheet_sustainment import write_sustainment
from .sheets_summary import write_bottlenecks, write_summary
from .view import PlanView

DATA_TABLE = "PlanData"
DATA_FORMAT = "#,##0.00####"
DATA_NOTE = ("One tidy table of every figure of the plan: quantity (strength, shortfall, "
             "starts, …), item (category, course, equipment or cost line), where (site or "
             "source, blank otherwise), period, value. Read it with pandas: "
             "pd.read_excel(path, sheet_name='Data').")


def plan_sheet_names(results: Results) -> list[str]:
    plan = results.plan
    names = ["Summary", "Training", "Strength"]
    if plan.equipment:
        names.append("Equipment")
    if plan.sources or plan.sites:
        names.append("Sources")
    return names + ["Budget", "Sustainment", "Bottlenecks", "Checks", "Data"]


def write_data(ws: Worksheet, view: PlanView) -> None:
    """The Data sheet: header in row 1, one row per figure, an Excel table over it."""
    for j, name in enumerate(DATA_COLUMNS, start=1):
        cell = ws.cell(row=1, column=j, value=name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    ws.cell(row=1, column=1).comment = Comment(DATA_NOTE, "force-plan", width=420, height=110)
    rows = BulkRows(ws, 2)
    fmt = rows.style(DATA_FORMAT)
    text, number, add = rows.text, rows.number, rows.add
    for q, item, where, period, value in view.frame.itertuples(index=False, name=None):
        # input names stay text, never formulas
        add((text(1, q), text(2, item), text(3, where), text(4, period),
             number(5, value, fmt)), 5)
    last = len(view.frame) + 1
    if last > 1:
        table = Table(displayName=DATA_TABLE, ref=f"A1:E{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        # named here: openpyxl would otherwise read the names from a cell of every row
        table.tableColumns = [TableColumn(id=j, name=name)
                              for j, name in enumerate(DATA_COLUMNS, start=1)]
        ws.add_table(table)
    widths(ws, {1: 20, 2: 28, 3: 24, 4: 12, 5: 16})
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def build_plan_workbook(results: Results) -> Workbook:
    """The plan workbook in memory (see :func:`write_plan`)."""
    view = PlanView.of(results)
    plan = results.plan
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in plan_sheet_names(results)}
    write_summary(sheets["Summary"], view)
    write_training(sheets["Training"], view)
    layouts = {"Strength": write_strength(sheets["Strength"], view)}
    if "Equipment" in sheets:
        layouts["Equipment"] = write_equipment(sheets["Equipment"], view)
    if "Sources" in sheets:
        write_sources(sheets["Sources"], view)
    layouts["Budget"] = write_budget(sheets["Budget"], view)
    add_charts(sheets, layouts, view.T, view.unit)
    write_sustainment(sheets["Sustainment"], results)
    write_bottlenecks(sheets["Bottlenecks"], view)
    write_checks(sheets["Checks"], view)
    write_data(sheets["Data"], view)
    for ws in wb.worksheets:
        ws.sheet_view.zoomScale = 90
    wb.active = 0
    mark(wb, "plan", clean_text(plan.settings.plan_name))
    forget_styles(wb)
    return wb


def write_plan(results: Results, path, *, input_path=None, force: bool = False) -> Path:
    """Write the plan workbook to ``path`` and return the path.

    Raises OutputError (nothing written, any previous file intact) when ``path`` is the
    input workbook, is not an .xlsx name, or is an existing file that force_plan did not
    write and ``force`` is false.
    """
    path = Path(path)
    inputs = [p for p in (input_path, results.plan.source_file) if p]
    check_output_path(path, inputs, force)
    with no_cycle_collection():
        return save_atomically(build_plan_workbook(results), path)
