"""The sheets of force_plan's own workbooks (the plan and the comparison), on openpyxl's
write-only workbooks, and the formatting helpers they share.

A :class:`Sheet` collects cells in any order (:func:`put`, :func:`put_formula`) and writes
them in row order when the workbook is saved (:func:`close_sheets`), or when its streamed
rows begin (:class:`force_plan.xlsx.rows.Rows`). Every value goes through :func:`put`,
so that text which came from an input workbook (a category, site or plan name) is always
stored as a string cell and can never become a formula, whatever characters it starts
with. Only openpyxl's public API is used: write-only cells, whose styles are set once per
column and style and then reused row after row (a row is written as soon as it is
appended).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

#: the last column a sheet has (XFD)
MAX_COLUMN = 16384
#: text openpyxl would read as an error value rather than as text
ERROR_TEXTS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                         "#N/A"))
#: characters XML 1.0 cannot hold besides the control characters: noncharacters
#: U+FFFE and U+FFFF, and lone surrogates
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")

# number formats
# zero shows as a dash, so that the figures that matter stand out
PERSONS = '#,##0;-#,##0;"–"'
SYSTEMS = '#,##0;-#,##0;"–"'
#: a whole number where 0 is a figure, not "nothing" (a limit of 0 seats)
WHOLE = "#,##0"
NUMBER = "#,##0.00"
MONEY = '#,##0.00;-#,##0.00;"–"'
PERCENT = "0.0%"
PRECISE = "0.000000"
FRACTION = "0.0000"

TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="555555")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
SECTION_FONT = Font(bold=True, size=12, color="305496")
BOLD = Font(bold=True)
SUBTOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="BDD7EE")
SHORT_FILL = PatternFill("solid", fgColor="F8CBAD")  # a shortfall, a failed check
BINDING_FILL = PatternFill("solid", fgColor="FFE699")  # a limit fully used
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
THIN = Side(style="thin", color="A6A6A6")
HEADER_BORDER = Border(bottom=THIN)


@lru_cache(maxsize=65536)
def clean_text(text: str) -> str:
    """Text safe to store in a cell: control characters Excel cannot hold are dropped, and
    the text is cut to Excel's 32,767 characters."""
    return _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))[:32767]


class CellPool:
    """Write-only cells of one sheet, one per column and style, reused on every row (a row
    is serialised as soon as it is appended, so a cell can carry the next row's value)."""

    def __init__(self, ws):
        self.ws = ws
        self.cells: dict = {}

    def fresh(self, fmt=None, font=None, fill=None, align=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws)
        if fmt:
            cell.number_format = fmt
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if align is not None:
            cell.alignment = align
        return cell

    def get(self, col: int, fmt=None, font=None, fill=None, align=None) -> WriteOnlyCell:
        key = (col, fmt, id(font), id(fill), id(align))
        hit = self.cells.get(key)
        if hit is None:
            # the style objects are kept with the cell, so that their ids stay theirs
            hit = self.cells[key] = (self.fresh(fmt, font, fill, align), font, fill, align)
        return hit[0]


def as_text(cell: WriteOnlyCell, text: str) -> WriteOnlyCell:
    """``cell`` holding ``text`` as a string cell, never a formula or an error value."""
    cell.value = text
    cell.data_type = "s"
    return cell


def plain_text(text: str) -> bool:
    """True when openpyxl stores ``text``, given as a plain value, as a string cell."""
    return not (text[:1] == "=" and len(text) > 1) and text not in ERROR_TEXTS


class Sheet:
    """One sheet of a write-only workbook whose cells may be given in any order.

    ``ws`` is openpyxl's write-only worksheet: column widths, row heights, freeze panes,
    conditional formats, tables, filters, charts and print settings are set on it as on
    any worksheet (widths and heights before the sheet's rows are written)."""

    def __init__(self, wb: Workbook, title: str):
        self.ws = wb.create_sheet(title)
        self.title = title
        self.cells: dict = {}  # row -> {col: (value, text?, fmt, font, fill, align, comment)}
        self.written = 0  # rows written so far
        self.clipped = False  # a cell beyond column XFD was asked for (and dropped)
        self.pool = CellPool(self.ws)
        self.last_row = self.last_col = 1  # the sheet's extent, for its dimension
        self.started = False
        self.col_widths: dict = {}  # column number -> width set, for the printed scale

    def reserve(self, last_row: int, last_col: int) -> None:
        """Widen the sheet's extent to rows and columns written later (streamed)."""
        self.last_row = max(self.last_row, last_row)
        self.last_col = max(self.last_col, last_col)

    def start(self) -> None:
        """Before the first row is written: openpyxl writes a sheet's dimension (the
        range its cells cover, which readers use to size rows) when the worksheet can
        calculate it; a write-only sheet cannot, so it is told."""
        if not self.started:
            ref = f"A1:{get_column_letter(self.last_col)}{self.last_row}"
            self.ws.calculate_dimension = lambda: ref
            self.started = True

    def set(self, row, col, value, text, fmt=None, font=None, fill=None, align=None,
            comment=None) -> None:
        if col > MAX_COLUMN:
            self.clipped = True
            return
        if row <= self.written:
            raise ValueError(f"sheet {self.title!r}: row {row} was already written")
        if value is None and comment is None and not (fmt or font or fill or align):
            self.cells.get(row, {}).pop(col, None)
            return
        self.cells.setdefault(row, {})[col] = (value, text, fmt, font, fill, align, comment)
        if row > self.last_row or col > self.last_col:
            self.reserve(row, col)

    def value(self, row: int, col: int):
        entry = self.cells.get(row, {}).get(col)
        return None if entry is None else entry[0]

    def texts(self, col: int, first_row: int = 1):
        """(text, font) of the string cells of a column, from ``first_row`` on."""
        for r in sorted(self.cells):
            entry = self.cells[r].get(col) if r >= first_row else None
            if entry is not None and isinstance(entry[0], str):
                yield entry[0], entry[3]

    def freeze(self, row: int, col: int) -> None:
        self.ws.freeze_panes = f"{get_column_letter(col)}{row}"

    def flush(self, through: int | None = None) -> None:
        """Write the collected rows (and empty rows up to ``through``)."""
        self.start()
        pool, ws = self.pool, self.ws
        for r in sorted(self.cells):
            while self.written < r - 1:
                ws.append([])
                self.written += 1
            row = self.cells[r]
            if not row:
                continue
            out = [None] * max(row)
            for c, (value, text, fmt, font, fill, align, comment) in row.items():
                if not (fmt or font or fill or align or comment) and (
                        not text or plain_text(value)):
                    out[c - 1] = value  # a plain value: openpyxl's own cell, no style
                    continue
                if comment is not None:
                    cell = pool.fresh(fmt, font, fill, align)
                    cell.comment = comment
                else:
                    cell = pool.get(c, fmt, font, fill, align)
                if text:
                    as_text(cell, value)
                else:
                    cell.value = value
                out[c - 1] = cell
            ws.append(out)
            self.written = r
        self.cells = {}
        while through is not None and self.written < through:
            ws.append([])
            self.written += 1


def abandon(wb: Workbook) -> None:
    """Finish every write-only sheet of a workbook that will not be saved (after a failure
    or Ctrl-C), so that no half-written sheet stream is left for the garbage collector to
    complain about; whatever fails here is of no interest any more."""
    for ws in wb.worksheets:
        try:
            ws.close()
        except Exception:  # noqa: BLE001 — already closed, or the disk that failed
            pass


def close_sheets(sheets) -> None:
    """Write every sheet's collected rows (call once, when the workbook is complete)."""
    for sheet in sheets:
        sheet.flush()


def put(ws: Sheet, row: int, col: int, value, fmt: str | None = None, *, font=None,
        fill=None, align=None, comment=None):
    """Write one cell. Text is always a string cell (never a formula); numbers stay numbers.

    Use :func:`put_formula` for the formulas force_plan composes itself.
    """
    text = False
    if value is None or value == "":
        value = None
    elif isinstance(value, bool):
        pass
    elif isinstance(value, (int, float)):
        if not math.isfinite(value):
            value = None
    else:
        value, text = clean_text(str(value)), True
    ws.set(row, col, value, text, fmt, font, fill, align, comment)


def put_formula(ws: Sheet, row: int, col: int, formula: str, fmt: str | None = None, *,
                font=None, fill=None):
    """Write a formula force_plan built from cell references and numbers only."""
    assert formula.startswith("="), formula
    ws.set(row, col, formula, False, fmt, font, fill)


def title(ws: Sheet, text: str, note: str = "") -> None:
    """Row 1: the sheet's one-line title; row 2: a short note (units, how to read it)."""
    put(ws, 1, 1, text, font=TITLE_FONT)
    if note:
        put(ws, 2, 1, note, font=NOTE_FONT)


def section(ws: Sheet, row: int, text: str) -> None:
    put(ws, row, 1, text, font=SECTION_FONT)


HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def header(ws: Sheet, row: int, labels, first_col: int = 1) -> None:
    for j, label in enumerate(labels):
        put(ws, row, first_col + j, label, font=HEADER_FONT, fill=HEADER_FILL,
            align=HEADER_ALIGN)


def widths(ws: Sheet, sizes: dict) -> None:
    """Set column widths: {column number or letter: width}."""
    for col, width in sizes.items():
        if isinstance(col, int) and col > MAX_COLUMN:
            continue
        letter = get_column_letter(col) if isinstance(col, int) else col
        set_width(ws, column_index_from_string(letter), width)


def set_width(ws: Sheet, col: int, width: float) -> None:
    """Set one column's width (and remember it: the printed scale depends on it)."""
    ws.col_widths[col] = width
    ws.ws.column_dimensions[get_column_letter(col)].width = width


def fit_columns(ws: Sheet, limits: dict, first_row: int = 3) -> None:
    """Widen label columns to their longest text: {column: (narrowest, widest)}.

    Section titles (which may run across columns) do not count."""
    longest = {}
    for col in limits:
        longest[col] = max((len(text) for text, font in ws.texts(col, first_row)
                            if font is None or font.sz != SECTION_FONT.sz), default=0)
    fit_widths(ws, limits, longest)


def fit_widths(ws: Sheet, limits: dict, longest: dict) -> None:
    """Set each column of ``limits`` ({column: (narrowest, widest)}) to its longest text
    (``longest``: {column: characters}) plus a margin, within its limits."""
    for col, (lo, hi) in limits.items():
        set_width(ws, col, max(lo, min(hi, longest[col] + 2)))


def period_widths(ws: Sheet, first_col: int, count: int, width: float = 11) -> None:
    for j in range(min(count, MAX_COLUMN - first_col + 1)):
        set_width(ws, first_col + j, width)


#: the printable width of a landscape A4 page (0.4" margins) in column-width units
#: (7 pixels each, at 100 %; a column adds 5 pixels of padding); and the rows of Excel's
#: default height (15 pt) that fit its printable height (0.5" margins). LibreOffice fits
#: more rows a page, so breaks placed for Excel keep tables whole in both.
PAGE_WIDTH = 149
PAGE_ROWS = 33
PADDING = 5 / 7
#: a sheet is printed at no less than this scale: a wider one prints several pages wide,
#: its name columns repeated at the left of each
MIN_SCALE = 0.35
DEFAULT_WIDTH = 8.43
MAX_BREAKS = 1000
PRINT_NOTE = ("Printing: {what} are left out of the print area (many pages). To print "
              "them, select them and print the selection, or clear the print area (Excel: "
              "Page Layout › Print Area › Clear Print Area; LibreOffice: Format › Print "
              "Ranges › Clear).")


def sheet_width(sheet: Sheet, last_col: int | None = None) -> float:
    """The width of a sheet's columns 1..``last_col`` (its extent by default)."""
    last = min(last_col or sheet.last_col, MAX_COLUMN)
    return sum(sheet.col_widths.get(c, DEFAULT_WIDTH) + PADDING for c in range(1, last + 1))


def pages_wide(sheet: Sheet) -> int:
    """Pages across that a sheet needs to print at no less than MIN_SCALE."""
    return max(1, math.ceil(sheet_width(sheet) * MIN_SCALE / PAGE_WIDTH - 1e-9))


def page_rows(sheet: Sheet, title_rows: int = 0) -> int:
    """Rows of default height that fit one printed page of a sheet fitted to its width."""
    scale = min(1.0, PAGE_WIDTH * pages_wide(sheet) / max(sheet_width(sheet), 1.0))
    return max(10, int(PAGE_ROWS / scale) - title_rows)


def block_breaks(blocks, rows: int, first: int = 1) -> list[int]:
    """Rows after which a printed page ends: before a block (a (first row, last row)
    table) that would be split over two pages when it fits on one, and every ``rows``
    rows through a block longer than a page (``rows``: rows a page, ``first``: the first
    printed row). Every page ends at a break given here, not where the application
    happens to end it, so pages are the same in every application that fits ``rows``."""
    breaks, top = [], first
    for lo, hi in blocks:
        if hi - top + 1 <= rows:
            continue
        if lo > top and hi - lo + 1 <= rows:
            breaks.append(lo - 1)
            top = lo
            continue
        while hi - top + 1 > rows:
            top += rows
            breaks.append(top - 1)
    return breaks


def print_setup(sheet: Sheet, title_rows: str | None = None, *, title_cols: str | None = None,
                area: str | None = None, blocks=(), portrait: bool = False) -> None:
    """How a sheet prints: A4 landscape (``portrait`` for a narrow sheet), fitted to one
    page wide (more when that would print below MIN_SCALE), a footer naming the sheet and
    the page.

    ``title_rows`` ("5:5"): repeated at the top of every page; ``title_cols`` ("A:C"):
    repeated at the left of every page when the sheet prints more than one page wide;
    ``area`` ("A1:K3"): the print area, the whole sheet when None; ``blocks``: (first
    row, last row) of the sheet's tables, in order: a page breaks before a table that
    would otherwise be split over two pages (call after the sheet's column widths are
    set)."""
    ws = sheet.ws
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = pages_wide(sheet)
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    if area:
        ws.print_area = area
    if blocks:
        repeated = 0
        if title_rows:
            lo, hi = title_rows.split(":")
            repeated = int(hi) - int(lo) + 1
        # Excel holds at most 1,026 manual breaks a sheet: beyond, its pages end by themselves
        for row in block_breaks(blocks, page_rows(sheet, repeated))[:MAX_BREAKS]:
            ws.row_breaks.append(Break(id=row))
    ws.oddFooter.center.text = "&A — page &P of &N"


def ranges(cells: list[tuple[int, int, int]]) -> str:
    """Space-separated A1 ranges for (row, first_col, last_col) row segments."""
    return " ".join(f"{get_column_letter(c0)}{r}:{get_column_letter(min(c1, MAX_COLUMN))}{r}"
                    for r, c0, c1 in cells if c0 <= MAX_COLUMN)


def highlight_positive(ws: Sheet, segments: list[tuple[int, int, int]],
                       threshold: float = 1e-6, fill=SHORT_FILL) -> None:
    """Highlight cells of the given row segments whose value exceeds ``threshold``."""
    if segments:
        ws.ws.conditional_formatting.add(
            ranges(segments), CellIsRule(operator="greaterThan", formula=[repr(threshold)],
                                         fill=fill))


def highlight_at_least(ws: Sheet, segments: list[tuple[int, int, int]], level: float,
                       fill=BINDING_FILL) -> None:
    """Highlight cells at or above ``level`` (e.g. a use rate of 100 % = a binding limit)."""
    if segments:
        ws.ws.conditional_formatting.add(
            ranges(segments), CellIsRule(operator="greaterThanOrEqual", formula=[repr(level)],
                                         fill=fill))


def highlight_formula(ws: Sheet, cell_range: str, formula: str, fill) -> None:
    ws.ws.conditional_formatting.add(cell_range, FormulaRule(formula=[formula], fill=fill))


def fmt_number(x, digits: int = 0) -> str:
    """A number for a sentence: thousands separators, fixed digits."""
    if x is None:
        return "—"
    return f"{x:,.{digits}f}"
