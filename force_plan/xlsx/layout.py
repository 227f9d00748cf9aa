"""The sheets of force_plan's own workbooks (the plan, the comparison, the sweep and risk
books), on XlsxWriter in constant_memory mode, and the formatting helpers they share.

A :class:`Sheet` collects cells in any order (:func:`put`, :func:`put_formula`) and writes
them in row order when the workbook is closed (:func:`close_sheets`), or when its streamed
rows begin (:class:`force_plan.xlsx.rows.Rows`). Every value goes through :func:`put`,
so that text which came from an input workbook (a category, site or plan name) is always
stored as a string cell and can never become a formula, whatever characters it starts
with. Every formula carries its value (computed in Python, ``formula_value``), so that a
reader that does not recalculate (pandas, calamine) sees it. Only XlsxWriter's public API
is used; styles are described with openpyxl's style objects and become one XlsxWriter
format per distinct combination (``book.Book``).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from .book import Book
from .formula_value import evaluate

#: the last column a sheet has (XFD)
MAX_COLUMN = 16384
#: characters XML 1.0 cannot hold besides the control characters: noncharacters
#: U+FFFE and U+FFFF, and lone surrogates
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
#: XlsxWriter's column width (characters) is the XML width less its 5-pixel padding at
#: 7 pixels a character: the widths below are XML widths, as the sheets always had
PADDING = 5 / 7
#: XlsxWriter's number of A4 paper
A4 = 9

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


@lru_cache(maxsize=65536)
def clean_text(text: str) -> str:
    """Text safe to store in a cell: control characters Excel cannot hold are dropped, a
    carriage return is a line break ("\n", as spreadsheet programs store one; a stored
    "\r" would be escaped, and openpyxl does not read that escape back), and the text is
    cut to Excel's 32,767 characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))[:32767]


def write_cell(ws, r: int, c: int, value, text: bool, style, cached=None) -> None:
    """One cell at 0-based (r, c) of an XlsxWriter worksheet: text as a string cell, a
    formula (a str that is not text) with its cached value, a bool, a number, or an empty
    styled cell (value None)."""
    if text:
        ws.write_string(r, c, value, style)
    elif value is None:
        if style is not None:
            ws.write_blank(r, c, None, style)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, style)
    elif isinstance(value, str):
        ws.write_formula(r, c, value, style, cached)
    else:
        ws.write_number(r, c, value, style)


class Sheet:
    """One sheet of a :class:`~force_plan.xlsx.book.Book` whose cells may be given in any
    order; they are written in row order by :meth:`flush`.

    ``ws`` is the XlsxWriter worksheet. Sheet modules set its layout through the helpers
    here (widths, :meth:`height`, :meth:`freeze`, :meth:`autofilter`, conditional
    formats, :func:`print_setup`), never on ``ws`` directly."""

    def __init__(self, book: Book, title: str):
        self.book = book
        self.ws = book.wb.add_worksheet(title)
        book.sheets.append(self)
        self.title = title
        self.cells: dict = {}  # row -> {col: (value, text?, fmt, font, fill, align,
        #                                      comment, cached value)}
        self.heights: dict = {}  # row -> height (points), set as the row is written
        self.breaks: list = []  # rows a printed page ends after
        self.written = 0  # rows written so far
        self.clipped = False  # a cell beyond column XFD was asked for (and dropped)
        self.last_row = self.last_col = 1  # the sheet's extent, for the printed scale
        self.col_widths: dict = {}  # column number -> width set, for the printed scale

    def reserve(self, last_row: int, last_col: int) -> None:
        """Widen the sheet's extent to rows and columns written later (streamed)."""
        self.last_row = max(self.last_row, last_row)
        self.last_col = max(self.last_col, last_col)

    def set(self, row, col, value, text, fmt=None, font=None, fill=None, align=None,
            comment=None, cached=None) -> None:
        if col > MAX_COLUMN:
            self.clipped = True
            return
        if row <= self.written:
            raise ValueError(f"sheet {self.title!r}: row {row} was already written")
        if value is None and comment is None and not (fmt or font or fill or align):
            self.cells.get(row, {}).pop(col, None)
            return
        self.cells.setdefault(row, {})[col] = (value, text, fmt, font, fill, align, comment,
                                               cached)
        if row > self.last_row or col > self.last_col:
            self.reserve(row, col)

    def value(self, row: int, col: int):
        entry = self.cells.get(row, {}).get(col)
        return None if entry is None else entry[0]

    def computed(self, row: int, col: int, seen=None):
        """A collected cell's value as a reader sees it: a formula's (cached) value."""
        entry = self.cells.get(row, {}).get(col)
        if entry is None:
            return None
        value, text, cached = entry[0], entry[1], entry[7]
        if text or not isinstance(value, str):
            return value
        if cached is None:
            seen = set() if seen is None else seen
            if (row, col) in seen:
                raise ValueError(f"sheet {self.title!r}: formula cycle at row {row}")
            seen.add((row, col))
            cached = evaluate(value, lambda r, c: self.computed(r, c, seen))
            self.cells[row][col] = entry[:7] + (cached,)
        return cached

    def texts(self, col: int, first_row: int = 1):
        """(text, font) of the string cells of a column, from ``first_row`` on."""
        for r in sorted(self.cells):
            entry = self.cells[r].get(col) if r >= first_row else None
            if entry is not None and isinstance(entry[0], str) and entry[1]:
                yield entry[0], entry[3]

    # ------------------------------------------------------------------ layout
    def freeze(self, row: int, col: int) -> None:
        """Freeze the rows above ``row`` and the columns left of ``col``."""
        self.ws.freeze_panes(row - 1, col - 1)

    def height(self, row: int, points: float) -> None:
        """The height of a row not yet written."""
        if row <= self.written:
            raise ValueError(f"sheet {self.title!r}: row {row} was already written")
        self.heights[row] = points

    def autofilter(self, ref: str) -> None:
        """Filter buttons on the header row of the range ``ref`` (e.g. "A1:E100")."""
        self.ws.autofilter(ref)

    def zoom(self, percent: int) -> None:
        self.ws.set_zoom(percent)

    def new_chart(self, kind: dict):
        """An XlsxWriter chart of this workbook ({"type": "line"}, …), to fill and place
        with :meth:`place_chart` (or combine with another)."""
        return self.book.wb.add_chart(kind)

    def place_chart(self, row: int, col: int, chart) -> None:
        """Anchor ``chart``'s top-left corner at cell (row, col)."""
        self.ws.insert_chart(row - 1, col - 1, chart)

    def page_break_after(self, row: int) -> None:
        self.breaks.append(row)
        self.ws.set_h_pagebreaks(self.breaks)

    # ------------------------------------------------------------------ writing
    def flush(self, through: int | None = None) -> None:
        """Write the collected rows; ``through``: rows up to it are done (streamed rows
        follow)."""
        for r in sorted(self.cells):  # formulas' values, while every cell is at hand
            for c, entry in self.cells[r].items():
                if not entry[1] and isinstance(entry[0], str) and entry[7] is None:
                    self.computed(r, c)
        ws, fmt_of = self.ws, self.book.format
        rows = sorted(set(self.cells) | {r for r in self.heights if r > self.written})
        for r in rows:
            if r in self.heights:
                ws.set_row(r - 1, self.heights[r])
            for c, (value, text, fmt, font, fill, align, comment, cached) in sorted(
                    self.cells.get(r, {}).items()):
                style = fmt_of(fmt, font, fill, align) if (fmt or font or fill or align) \
                    else None
                write_cell(ws, r - 1, c - 1, value, text, style, cached)
                if comment is not None:
                    ws.write_comment(r - 1, c - 1, comment.text,
                                     {"author": comment.author, "width": comment.width,
                                      "height": comment.height})
            self.written = r
        self.cells = {}
        if through is not None:
            self.written = max(self.written, through)


def abandon(book: Book) -> None:
    """A workbook that will not be saved (after a failure or Ctrl-C): nothing to finish.
    XlsxWriter writes the file only on close, and its row scratch files lie in the save's
    private folder, which ``save.save_output`` removes."""


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
                font=None, fill=None, value=None):
    """Write a formula force_plan built from cell references and numbers only, with its
    value (``value``: computed by the caller; else computed here from the sheet's cells)."""
    assert formula.startswith("="), formula
    ws.set(row, col, formula, False, fmt, font, fill, cached=value)


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


def set_width(ws: Sheet, col: int, width: float) -> None:
    """One column's width, as the XML width openpyxl wrote (characters and padding), and
    remembered: the printed scale depends on it."""
    if col <= MAX_COLUMN:
        ws.col_widths[col] = width
        ws.ws.set_column(col - 1, col - 1, max(0.0, width - PADDING))


def widths(ws: Sheet, sizes: dict) -> None:
    """Set column widths: {column number or letter: width}."""
    for col, width in sizes.items():
        if isinstance(col, str):
            col = column_index_from_string(col)
        set_width(ws, col, width)


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
    last = min(first_col + count - 1, MAX_COLUMN)
    if last >= first_col:
        for col in range(first_col, last + 1):
            ws.col_widths[col] = width
        ws.ws.set_column(first_col - 1, last - 1, max(0.0, width - PADDING))


#: the printable width of a landscape A4 page (0.4" margins) in column-width units
#: (7 pixels each, at 100 %; a column adds 5 pixels of padding); and the rows of Excel's
#: default height (15 pt) that fit its printable height (0.5" margins). LibreOffice fits
#: more rows a page, so breaks placed for Excel keep tables whole in both.
PAGE_WIDTH = 149
PAGE_ROWS = 33
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
    if portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(pages_wide(sheet), 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if title_rows:
        first, last = (int(x) for x in title_rows.split(":"))
        ws.repeat_rows(first - 1, last - 1)
    if title_cols:
        ws.repeat_columns(title_cols)
    if area:
        ws.print_area(area)
    if blocks:
        repeated = 0
        if title_rows:
            lo, hi = title_rows.split(":")
            repeated = int(hi) - int(lo) + 1
        # Excel holds at most 1,026 manual breaks a sheet: beyond, its pages end by themselves
        for row in block_breaks(blocks, page_rows(sheet, repeated))[:MAX_BREAKS]:
            sheet.page_break_after(row)
    ws.set_footer("&C&A — page &P of &N")


def ranges(cells: list[tuple[int, int, int]]) -> str:
    """Space-separated A1 ranges for (row, first_col, last_col) row segments."""
    return " ".join(f"{get_column_letter(c0)}{r}:{get_column_letter(min(c1, MAX_COLUMN))}{r}"
                    for r, c0, c1 in cells if c0 <= MAX_COLUMN)


def conditional(ws: Sheet, cell_range: str, rule: dict, fill) -> None:
    """A conditional format (XlsxWriter's ``rule``) filling the matching cells of
    ``cell_range`` (one or more space-separated ranges) with ``fill``'s colour."""
    if not cell_range.strip():
        return
    first = cell_range.split()[0]
    rule = dict(rule, format=ws.book.fill_format(fill))
    if " " in cell_range:
        rule["multi_range"] = cell_range
    ws.ws.conditional_format(first, rule)


def highlight_positive(ws: Sheet, segments: list[tuple[int, int, int]],
                       threshold: float = 1e-6, fill=SHORT_FILL) -> None:
    """Highlight cells of the given row segments whose value exceeds ``threshold``."""
    if segments:
        conditional(ws, ranges(segments), {"type": "cell", "criteria": ">",
                                           "value": repr(threshold)}, fill)


def highlight_at_least(ws: Sheet, segments: list[tuple[int, int, int]], level: float,
                       fill=BINDING_FILL) -> None:
    """Highlight cells at or above ``level`` (e.g. a use rate of 100 % = a binding limit)."""
    if segments:
        conditional(ws, ranges(segments), {"type": "cell", "criteria": ">=",
                                           "value": repr(level)}, fill)


def highlight_equal(ws: Sheet, cell_range: str, value: str, fill) -> None:
    """Highlight the cells of ``cell_range`` equal to ``value`` (a formula term: "TRUE")."""
    conditional(ws, cell_range, {"type": "cell", "criteria": "==", "value": value}, fill)


def highlight_formula(ws: Sheet, cell_range: str, formula: str, fill) -> None:
    conditional(ws, cell_range, {"type": "formula", "criteria": "=" + formula}, fill)


def fmt_number(x, digits: int = 0) -> str:
    """A number for a sentence: thousands separators, fixed digits."""
    if x is None:
        return "—"
    return f"{x:,.{digits}f}"
