"""The body rows of a large sheet, kept as sheet XML text instead of openpyxl cells.

A plan of a few hundred thousand variables has millions of Checks and Data cells; one
openpyxl cell object per value costs about a kilobyte of memory and most of the time it
takes to write the plan. :class:`BulkRows` holds those rows as the XML that openpyxl
would write for them (the same elements and attributes: inline strings, ``t="n"``
numbers, ``<f>`` formulas, style indexes of the workbook's own style table), one string
per row, and :func:`splice` puts them into the sheet's part when the workbook is saved
(``safe.write_workbook``). Everything else of the sheet — title rows, header, comments,
tables, filters, conditional formats, column widths — is ordinary openpyxl.

Rules the callers keep: bulk rows come after every row the sheet has as openpyxl cells
(:func:`splice` refuses otherwise), and text goes through :meth:`BulkRows.text`, which
always writes a string cell, so input names never become formulas.
"""
from __future__ import annotations

import math
import re
from itertools import islice

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .layout import _style, clean_text

ATTRIBUTE = "_force_plan_bulk"
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_SHEETDATA = re.compile(rb"<sheetData\s*/>|</sheetData>")


def escape(text: str) -> str:
    return text.translate(_ESCAPE)


class BulkRows:
    """Rows ``first_row``, ``first_row + 1``, … of ``ws``, added in order with :meth:`add`.

    The cell methods below return the XML of one cell of the row being built (or "" for
    no cell); :meth:`add` closes the row from those strings, in column order.
    """

    def __init__(self, ws: Worksheet, first_row: int):
        if getattr(ws, ATTRIBUTE, None) is not None:
            raise ValueError(f"sheet {ws.title!r} already has bulk rows")
        self.ws = ws
        self.first_row = first_row
        self.next_row = first_row
        self.max_col = 0
        self.rows: list[str] = []
        self._styles: dict = {}
        self._texts: dict = {}  # text -> its escaped <is> element
        self._letters = [""] + [get_column_letter(j) for j in range(1, 64)]
        setattr(ws, ATTRIBUTE, self)

    # ------------------------------------------------------------------ styles
    def style(self, fmt: str | None = None, *, font=None, fill=None, align=None) -> str:
        """The ``s`` attribute (with its leading space) of a style, or "" for the default."""
        key = (fmt, id(font), id(fill), id(align))
        hit = self._styles.get(key)
        if hit is None:
            probe = Cell(self.ws)  # never placed on the sheet
            _style(probe, fmt, font, fill, align)
            index = self.ws.parent._cell_styles.add(probe._style)
            hit = self._styles[key] = f' s="{index}"' if index else ""
        return hit

    # ------------------------------------------------------------------ cells
    def text(self, col: int, value, s: str = "") -> str:
        """A string cell (never a formula, whatever it starts with); "" or None: no cell."""
        if value is None or value == "":
            return ""
        inner = self._texts.get(value)
        if inner is None:  # the same names and equations recur on thousands of rows
            clean = clean_text(str(value))
            space = ' xml:space="preserve"' if clean != clean.strip() else ""
            inner = self._texts[value] = f"<is><t{space}>{escape(clean)}</t></is>"
        return f'<c r="{self._letters[col]}{self.next_row}"{s} t="inlineStr">{inner}</c>'

    def number(self, col: int, value: float, s: str = "") -> str:
        """A number cell; a value that is not finite leaves the cell empty (as ``put``)."""
        value = float(value)
        ref = f"{self._letters[col]}{self.next_row}"
        if not math.isfinite(value):
            return f'<c r="{ref}"{s}/>' if s else ""
        return f'<c r="{ref}"{s} t="n"><v>{value:.16g}</v></c>'

    def formula(self, col: int, formula: str, s: str = "") -> str:
        """A formula force_plan composed from references and numbers (starts with "=")."""
        assert formula.startswith("="), formula
        body = formula[1:]
        if "<" in body or ">" in body or "&" in body or "\r" in body:
            body = escape(body)
        return f'<c r="{self._letters[col]}{self.next_row}"{s}><f>{body}</f><v></v></c>'

    def ref(self, col: int) -> str:
        """The address of column ``col`` in the row being built, e.g. "H12"."""
        return f"{self._letters[col]}{self.next_row}"

    # ------------------------------------------------------------------ rows
    def add(self, cells, last_col: int) -> int:
        """Close the row being built from its cells (in column order); return its number."""
        r = self.next_row
        self.rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        self.max_col = max(self.max_col, last_col)
        self.next_row += 1
        return r

    @property
    def last_row(self) -> int:
        return self.next_row - 1

    def size(self) -> int:
        """Characters of XML held (at most 4 bytes each once encoded)."""
        return sum(map(len, self.rows))


def bulk_of(ws) -> BulkRows | None:
    return getattr(ws, ATTRIBUTE, None)


def splice(part: bytes, bulk: BulkRows, out, chunk: int = 2000) -> None:
    """Write the sheet part ``part`` (as openpyxl wrote it) to ``out`` with the bulk rows
    inserted at the end of its ``sheetData`` and its dimension widened to cover them."""
    ws = bulk.ws
    if ws._cells and max(r for r, _c in ws._cells) >= bulk.first_row:
        raise ValueError(f"sheet {ws.title!r}: openpyxl cells at or below bulk row "
                         f"{bulk.first_row}")
    found = _SHEETDATA.search(part)
    if found is None:
        raise ValueError(f"sheet {ws.title!r}: no sheetData in the part")
    head, tail = part[:found.start()], part[found.end():]
    if bulk.rows:
        last_col = max(bulk.max_col, ws.max_column)
        dim = f'<dimension ref="A1:{get_column_letter(last_col)}{bulk.last_row}"/>'
        head = _DIMENSION.sub(dim.encode(), head, count=1)
    out.write(head)
    out.write(b"<sheetData>" if found.group().endswith(b"/>") else b"")
    rows = iter(bulk.rows)
    while True:
        block = "".join(islice(rows, chunk))
        if not block:
            break
        out.write(block.encode("utf-8"))
    out.write(b"</sheetData>")
    out.write(tail)
