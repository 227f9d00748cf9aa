"""Streamed rows: the Checks and Data sheets' millions of cells, written as they are made.

A plan of a few hundred thousand variables has millions of Checks and Data cells. They are
written to the XlsxWriter worksheet row by row (constant_memory mode: a row goes to disk as
soon as the next one begins), so memory stays flat. Plain text and unstyled numbers are
handed over as plain values; a styled cell or a formula as a small tuple (the writer, its
value, its format, a formula's cached value).

Rules the callers keep: every collected cell of the sheet (title rows, header) is above
``first_row`` (they are written when the streamed rows begin), and text goes through
:meth:`Rows.text`, which always writes a string cell, so input names never become formulas.
"""
from __future__ import annotations

import math

from openpyxl.utils import get_column_letter

from .layout import Sheet, clean_text


class Rows:
    """Rows ``first_row``, ``first_row + 1``, … ``last_row`` of a sheet (in columns up to
    ``last_col``), added in order with :meth:`add`.

    The cell methods below return the value or cell for one column of the row being built
    (None for no cell); :meth:`add` writes the row from them, in column order.
    """

    def __init__(self, sheet: Sheet, first_row: int, last_row: int, last_col: int):
        if sheet.cells and max(sheet.cells) >= first_row:
            raise ValueError(f"sheet {sheet.title!r}: cells at or below streamed row "
                             f"{first_row}")
        sheet.reserve(last_row, last_col)  # the extent: the rows to come
        sheet.flush(through=first_row - 1)
        self.sheet = sheet
        ws = sheet.ws
        self.ws = ws
        self.book = sheet.book
        self.first_row = first_row
        self.next_row = first_row
        self.last_col = last_col
        self._texts: dict = {}  # text -> cleaned text
        self._letters = [""] + [get_column_letter(j) for j in range(1, 64)]

    def style(self, fmt: str | None = None, *, font=None, fill=None, align=None):
        """A style for the cell methods (None: the default style)."""
        if not (fmt or font is not None or fill is not None or align is not None):
            return None
        return self.book.format(fmt, font, fill, align)

    # ------------------------------------------------------------------ cells
    def text(self, col: int, value, s=None):
        """A string cell (never a formula, whatever it starts with); "" or None: no cell."""
        if value is None or value == "":
            return None
        clean = self._texts.get(value)
        if clean is None:  # the same names and equations recur on thousands of rows
            clean = self._texts[value] = clean_text(str(value))
        if s is None:
            return clean
        return (self.ws.write_string, clean, s)

    def number(self, col: int, value: float, s=None):
        """A number cell; a value that is not finite leaves the cell empty (styled)."""
        value = float(value)
        if not math.isfinite(value):
            return None if s is None else (self.ws.write_blank, None, s)
        if s is None:
            return value
        return (self.ws.write_number, value, s)

    def formula(self, col: int, formula: str, s=None, value=None):
        """A formula force_plan composed from references and numbers (starts with "="),
        with its value as computed by the caller (what readers that do not recalculate
        see): a float, a bool or a str."""
        assert formula.startswith("="), formula
        return (self.ws.write_formula, formula, s, value)

    def ref(self, col: int) -> str:
        """The address of column ``col`` in the row being built, e.g. "H12"."""
        return f"{self._letters[col]}{self.next_row}"

    # ------------------------------------------------------------------ rows
    def add(self, cells) -> int:
        """Write the row being built (its cells in column order); return its number."""
        r = self.next_row
        r0 = r - 1
        ws = self.ws
        for c, cell in enumerate(cells):
            if cell is None:
                continue
            kind = type(cell)
            if kind is str:
                ws.write_string(r0, c, cell)
            elif kind is float:
                ws.write_number(r0, c, cell)
            else:
                cell[0](r0, c, *cell[1:])
        self.next_row += 1
        self.sheet.written = r
        return r

    @property
    def last_row(self) -> int:
        return self.next_row - 1
