"""Streamed rows: the Checks and Data sheets' millions of cells, written as they are made.

A plan of a few hundred thousand variables has millions of Checks and Data cells. They are
appended to openpyxl's write-only worksheet row by row, each row serialised at once, so
memory stays flat; the cells are the sheet's pooled write-only cells (one per column and
style, see ``layout.CellPool``), and plain text and unstyled numbers and formulas go in as
plain values, which openpyxl writes without a cell object of ours.

Rules the callers keep: every collected cell of the sheet (title rows, header) is above
``first_row`` (they are written when the streamed rows begin), and text goes through
:meth:`Rows.text`, which always writes a string cell, so input names never become formulas.
"""
from __future__ import annotations

import math

from openpyxl.utils import get_column_letter

from .layout import Sheet, as_text, clean_text, plain_text


class Rows:
    """Rows ``first_row``, ``first_row + 1``, … ``last_row`` of a sheet (in columns up to
    ``last_col``), added in order with :meth:`add`.

    The cell methods below return the value or cell for one column of the row being built
    (None for no cell); :meth:`add` appends the row from them, in column order.
    """

    def __init__(self, sheet: Sheet, first_row: int, last_row: int, last_col: int):
        if sheet.cells and max(sheet.cells) >= first_row:
            raise ValueError(f"sheet {sheet.title!r}: cells at or below streamed row "
                             f"{first_row}")
        sheet.reserve(last_row, last_col)  # the extent: the rows to come
        sheet.flush(through=first_row - 1)
        self.sheet = sheet
        self.pool = sheet.pool
        self.append = sheet.ws.append
        self.first_row = first_row
        self.next_row = first_row
        self._texts: dict = {}  # text -> (cleaned text, stored as a plain value?)
        self._letters = [""] + [get_column_letter(j) for j in range(1, 64)]

    @staticmethod
    def style(fmt: str | None = None, *, font=None, fill=None, align=None):
        """A style for the cell methods (None: the default style)."""
        if not (fmt or font is not None or fill is not None or align is not None):
            return None
        return fmt, font, fill, align

    def _cell(self, col: int, s):
        return self.pool.get(col, *s)

    # ------------------------------------------------------------------ cells
    def text(self, col: int, value, s=None):
        """A string cell (never a formula, whatever it starts with); "" or None: no cell."""
        if value is None or value == "":
            return None
        hit = self._texts.get(value)
        if hit is None:  # the same names and equations recur on thousands of rows
            clean = clean_text(str(value))
            hit = self._texts[value] = (clean, plain_text(clean))
        if s is None and hit[1]:
            return hit[0]
        return as_text(self.pool.get(col, *(s or (None, None, None, None))), hit[0])

    def number(self, col: int, value: float, s=None):
        """A number cell; a value that is not finite leaves the cell empty (styled)."""
        value = float(value)
        if not math.isfinite(value):
            value = None
        if s is None:
            return value
        cell = self._cell(col, s)
        cell.value = value
        return cell

    def formula(self, col: int, formula: str, s=None):
        """A formula force_plan composed from references and numbers (starts with "=")."""
        assert formula.startswith("="), formula
        if s is None:
            return formula
        cell = self._cell(col, s)
        cell.value = formula
        return cell

    def ref(self, col: int) -> str:
        """The address of column ``col`` in the row being built, e.g. "H12"."""
        return f"{self._letters[col]}{self.next_row}"

    # ------------------------------------------------------------------ rows
    def add(self, cells) -> int:
        """Append the row being built (its cells in column order); return its number."""
        r = self.next_row
        self.append(cells)
        self.next_row += 1
        self.sheet.written = r
        return r

    @property
    def last_row(self) -> int:
        return self.next_row - 1
