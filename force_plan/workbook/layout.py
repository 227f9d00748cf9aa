"""Cell-writing and formatting helpers shared by the plan and comparison workbooks.

Every value goes through :func:`put`, so that text which came from an input workbook (a
category, site or plan name) is always stored as a string cell and can never become a
formula, whatever characters it starts with.
"""
from __future__ import annotations

import math
from copy import copy
from functools import lru_cache

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# number formats
# zero shows as a dash, so that the figures that matter stand out
PERSONS = '#,##0;-#,##0;"–"'
SYSTEMS = '#,##0.0;-#,##0.0;"–"'
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
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:32767]


def _style(cell, fmt, font, fill, align) -> None:
    """Apply a style combination; each combination is built once per workbook and then
    copied (assigning style objects cell by cell is slow on large plans)."""
    key = (fmt, id(font), id(fill), id(align))
    cache = _STYLE_CACHES.setdefault(id(cell.parent.parent), ({}, cell.parent.parent))[0]
    hit = cache.get(key)
    if hit is not None:
        cell._style = copy(hit[0])
        return
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if align is not None:
        cell.alignment = align
    # keep the style objects alive with the entry, so that their ids stay theirs
    cache[key] = (copy(cell._style), font, fill, align)


#: workbook id -> (style cache, the workbook itself: keeps the id from being reused)
_STYLE_CACHES: dict = {}


def forget_styles(wb) -> None:
    """Drop a workbook's style cache (call when the workbook is written)."""
    _STYLE_CACHES.pop(id(wb), None)


def put(ws: Worksheet, row: int, col: int, value, fmt: str | None = None, *, font=None,
        fill=None, align=None):
    """Write one cell. Text is always a string cell (never a formula); numbers stay numbers.

    Use :func:`put_formula` for the formulas force_plan composes itself.
    """
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, (int, float)):
        if math.isfinite(value):
            cell._value, cell.data_type = value, "n"
    else:
        # set directly as a string cell: openpyxl's setter would turn "=…" into a formula
        cell._value = clean_text(str(value))
        cell.data_type = "s"
    if fmt or font is not None or fill is not None or align is not None:
        _style(cell, fmt, font, fill, align)
    return cell


def put_formula(ws: Worksheet, row: int, col: int, formula: str, fmt: str | None = None, *,
                font=None, fill=None):
    """Write a formula force_plan built from cell references and numbers only."""
    assert formula.startswith("="), formula
    cell = ws.cell(row=row, column=col)
    cell._value = formula
    cell.data_type = "f"
    if fmt or font is not None or fill is not None:
        _style(cell, fmt, font, fill, None)
    return cell


def title(ws: Worksheet, text: str, note: str = "") -> None:
    """Row 1: the sheet's one-line title; row 2: a short note (units, how to read it)."""
    put(ws, 1, 1, text, font=TITLE_FONT)
    if note:
        put(ws, 2, 1, note, font=NOTE_FONT)


def section(ws: Worksheet, row: int, text: str) -> None:
    put(ws, row, 1, text, font=SECTION_FONT)


def header(ws: Worksheet, row: int, labels, first_col: int = 1) -> None:
    for j, label in enumerate(labels):
        put(ws, row, first_col + j, label, font=HEADER_FONT, fill=HEADER_FILL,
            align=Alignment(horizontal="center", vertical="center", wrap_text=True))


def widths(ws: Worksheet, sizes: dict) -> None:
    """Set column widths: {column number or letter: width}."""
    for col, width in sizes.items():
        letter = get_column_letter(col) if isinstance(col, int) else col
        ws.column_dimensions[letter].width = width


def fit_columns(ws: Worksheet, limits: dict, first_row: int = 3) -> None:
    """Widen label columns to their longest text: {column: (narrowest, widest)}.

    Section titles (which may run across columns) do not count."""
    longest = {}
    for col in limits:
        longest[col] = 0
        for (cell,) in ws.iter_rows(min_row=first_row, min_col=col, max_col=col):
            if isinstance(cell.value, str) and cell.font.sz != SECTION_FONT.sz:
                longest[col] = max(longest[col], len(cell.value))
    fit_widths(ws, limits, longest)


def fit_widths(ws: Worksheet, limits: dict, longest: dict) -> None:
    """Set each column of ``limits`` ({column: (narrowest, widest)}) to its longest text
    (``longest``: {column: characters}) plus a margin, within its limits."""
    for col, (lo, hi) in limits.items():
        ws.column_dimensions[get_column_letter(col)].width = max(lo, min(hi, longest[col] + 2))


def period_widths(ws: Worksheet, first_col: int, count: int, width: float = 11) -> None:
    for j in range(count):
        ws.column_dimensions[get_column_letter(first_col + j)].width = width


def print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """Landscape, fit to one page wide, header rows repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&A — page &P of &N"


def ranges(cells: list[tuple[int, int, int]]) -> str:
    """Space-separated A1 ranges for (row, first_col, last_col) row segments."""
    return " ".join(f"{get_column_letter(c0)}{r}:{get_column_letter(c1)}{r}" for r, c0, c1 in cells)


def highlight_positive(ws: Worksheet, segments: list[tuple[int, int, int]],
                       threshold: float = 1e-6, fill=SHORT_FILL) -> None:
    """Highlight cells of the given row segments whose value exceeds ``threshold``."""
    if segments:
        ws.conditional_formatting.add(
            ranges(segments), CellIsRule(operator="greaterThan", formula=[repr(threshold)],
                                         fill=fill))


def highlight_at_least(ws: Worksheet, segments: list[tuple[int, int, int]], level: float,
                       fill=BINDING_FILL) -> None:
    """Highlight cells at or above ``level`` (e.g. a use rate of 100 % = a binding limit)."""
    if segments:
        ws.conditional_formatting.add(
            ranges(segments), CellIsRule(operator="greaterThanOrEqual", formula=[repr(level)],
                                         fill=fill))


def highlight_formula(ws: Worksheet, cell_range: str, formula: str, fill) -> None:
    ws.conditional_formatting.add(cell_range, FormulaRule(formula=[formula], fill=fill))


def fmt_number(x, digits: int = 0) -> str:
    """A number for a sentence: thousands separators, fixed digits."""
    if x is None:
        return "—"
    return f"{x:,.{digits}f}"
