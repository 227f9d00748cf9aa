"""Results → the plan workbook a planner and a reviewer can trust.

Sheets (names are part of the contract, WORKBOOK.md "The output workbook"): Summary,
Training, Strength, Equipment (when the plan has equipment), Sources (when it has sources
or sites), Budget, Sustainment, Bottlenecks, Checks, Data.

Everything is built from ``Results`` (the solver's figures, as the tidy Data table) and its
``Inputs`` (the inputs). The display sheets hold numbers; the Checks sheet holds live
formulas over the Data sheet that re-derive every balance, cost and limit, so a spreadsheet
application proves the plan consistent when it opens the file.

Safety: input text is always stored as text (never a formula); the input workbook and
files force_plan did not write are never overwritten (unless ``force``); the file is
written atomically; the same Results give the same bytes.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl.comments import Comment

from ..results.extract import Results
from ..contract.schema import DATA_COLUMNS
from ..util import no_cycle_collection
from .rows import Rows
from .charts import add_charts
from .checks import write_checks
from .book import Book
from .layout import (HEADER_FILL, HEADER_FONT, MAX_COLUMN, NOTE_FONT, PRINT_NOTE, Sheet,
                     abandon, clean_text, close_sheets, print_setup, put, widths)
from .save import UNCHECKED, save_output
from .sheets_materiel import write_budget, write_equipment, write_sources
from .sheets_people import write_strength, write_training
from .sheet_sustainment import write_sustainment
from .sheets_summary import write_bottlenecks, write_summary
from .view import PlanView

#: no number format (General): every value exact in its cell, a whole figure shown whole
#: (276000), a fraction with the digits the column has room for; a fixed format would pad
#: whole figures with zeros (276,000.00) or hide the digits of small rates
DATA_FORMAT = None
DATA_NOTE = ("One tidy table of every figure of the plan: quantity (strength, shortfall, "
             "starts, …), item (category, course, equipment or cost line), where (site or "
             "source, blank otherwise), period, value. Read it with pandas: "
             "pd.read_excel(path, sheet_name='Data'). "
             + PRINT_NOTE.format(what="Its rows"))


def plan_sheet_names(results: Results) -> list[str]:
    inputs = results.inputs
    names = ["Summary", "Training", "Strength"]
    if inputs.equipment:
        names.append("Equipment")
    if inputs.sources or inputs.sites:
        names.append("Sources")
    return names + ["Budget", "Sustainment", "Bottlenecks", "Checks", "Data"]


def write_data(ws: Sheet, view: PlanView) -> None:
    """The Data sheet: header in row 1 (frozen, with filter buttons), one row per figure."""
    for j, name in enumerate(DATA_COLUMNS, start=1):
        put(ws, 1, j, name, font=HEADER_FONT, fill=HEADER_FILL,
            comment=Comment(DATA_NOTE, "force-plan", width=420, height=190) if j == 1
            else None)
    last = len(view.frame) + 1
    if last > 1:
        ws.autofilter(f"A1:E{last}")
    widths(ws, {1: 20, 2: 28, 3: 24, 4: 12, 5: 16})
    ws.freeze(2, 1)
    print_setup(ws, "1:1", area="A1:E1", portrait=True)
    rows = Rows(ws, 2, last, len(DATA_COLUMNS))
    fmt = rows.style(DATA_FORMAT)
    text, number, add = rows.text, rows.number, rows.add
    for q, item, where, period, value in view.frame.itertuples(index=False, name=None):
        # input names stay text, never formulas
        add([text(1, q), text(2, item), text(3, where), text(4, period),
             number(5, value, fmt)])


#: columns a wide sheet needs besides its periods: labels before, a total after
WIDE_COLUMNS = {"Training": 5, "Strength": 3, "Equipment": 3, "Sources": 10, "Budget": 2}


def note_clipped(sheets: dict, view: PlanView) -> None:
    """Row 3 of a wide sheet whose periods do not all fit across it says so."""
    for name, extra in WIDE_COLUMNS.items():
        sheet = sheets.get(name)
        if sheet is not None and sheet.clipped:
            shown = MAX_COLUMN - extra
            put(sheet, 3, 1, f"This plan has {view.T:,} periods; a sheet holds "
                f"{MAX_COLUMN:,} columns, so this sheet shows the first {shown:,} "
                f"(to {view.labels[shown - 1]}). Every figure of every period is in the "
                "Data sheet.", font=NOTE_FONT)


def build_plan_workbook(results: Results, target) -> None:
    """Write the plan workbook to ``target`` (a path or a binary file object)."""
    view = PlanView.of(results)
    book = Book(target)
    try:
        fill_plan_workbook(book, view)
    except BaseException:
        abandon(book)
        raise
    book.close()


def fill_plan_workbook(book: Book, view: PlanView) -> None:
    inputs = view.inputs
    sheets = {name: Sheet(book, name) for name in plan_sheet_names(view.results)}
    write_summary(sheets["Summary"], view)
    write_training(sheets["Training"], view)
    layouts = {"Strength": write_strength(sheets["Strength"], view)}
    if "Equipment" in sheets:
        layouts["Equipment"] = write_equipment(sheets["Equipment"], view)
    if "Sources" in sheets:
        write_sources(sheets["Sources"], view)
    layouts["Budget"] = write_budget(sheets["Budget"], view)
    note_clipped(sheets, view)
    add_charts(sheets, layouts, view.T, view.unit)
    write_sustainment(sheets["Sustainment"], view.results)
    write_bottlenecks(sheets["Bottlenecks"], view)
    for sheet in sheets.values():
        sheet.zoom(90)
    close_sheets(s for name, s in sheets.items() if name not in ("Checks", "Data"))
    write_checks(sheets["Checks"], view)
    write_data(sheets["Data"], view)
    close_sheets((sheets["Checks"], sheets["Data"]))
    book.mark("plan", clean_text(inputs.settings.plan_name))


def write_plan(results: Results, path, *, input_path=None, force: bool = False,
               expect=UNCHECKED) -> Path:
    """Write the plan workbook to ``path`` and return the path.

    Raises OutputError (nothing written, any previous file intact) when ``path`` is the
    input workbook, is not an .xlsx name, or is an existing file that force_plan did not
    write and ``force`` is false, or (``expect``: what ``safe.check_output_path`` found
    when the run began) when a file was written there since (see ``safe.py``).
    """
    inputs = [p for p in (input_path, results.inputs.source_file) if p]

    def produce(target: Path) -> None:
        with no_cycle_collection():
            build_plan_workbook(results, target)

    return save_output(path, produce, inputs=inputs, force=force, what="plan", expect=expect)
