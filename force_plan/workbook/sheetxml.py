"""What a sheet's XML says that its cell values do not (used by ``read.py``).

* :func:`sheet_parts`: which zip member holds which tab;
* :func:`scan_sheet`: how far its values reach (a stray value in XFD1048576 would make the
  value reader hold 17 billion cells), its merged ranges, hidden rows and columns;
* :func:`cell_facts`: formula cells without a saved value and cells holding an error value.

Everything here works on bytes already bounded by the reader's zip-bomb guard and already
checked for document type declarations; regular expressions run chunk by chunk so that
memory stays small whatever the part holds.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from ..errors import Problem


def col_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HAS_FORMULA_OR_ERROR = re.compile(rb'<(?:\w+:)?f[\s>/]|\bt="e"')
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Tab name -> path of its worksheet XML part."""
    from defusedxml import ElementTree as ET

    rels = {}
    try:
        rel_root = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        for rel in rel_root:
            target = rel.get("Target", "")
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join("xl", target))
            rels[rel.get("Id")] = target
    except KeyError:
        pass
    parts = {}
    root = ET.fromstring(zf.read("xl/workbook.xml"))
    for el in root.iter():
        if _local(el.tag) == "sheet":
            rid = el.get(f"{{{_REL_NS}}}id") or el.get("id")
            if rid in rels:
                parts[el.get("name", "")] = rels[rid]
    return parts


#: a cell holding something (not self-closing): its column letters and row number
_VALUED_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>/]*>')
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_REF_FIRST = re.compile(rb'<(?:\w+:)?c\s+r="')  # the usual spelling: fast
_CELL_WITH_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="[A-Z]')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]{1,7})"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7})'
                    rb'(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\s([^>]*)>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\s([^>]*)>")
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def _attr(attrs: bytes, name: bytes) -> int | None:
    m = re.search(rb"\b" + name + rb'="([0-9]{1,7})"', attrs)
    return int(m.group(1)) if m else None


@dataclass
class SheetScan:
    """Facts of one sheet's XML that the cell values do not show."""

    far_cell: str = ""  # the value that makes the sheet's area largest ("" = none)
    area: int = 0  # rows × columns from A1 to the furthest value
    #: merged ranges: (row1, col1, row2, col2)
    merges: list = field(default_factory=list)
    hidden_rows: set = field(default_factory=set)
    hidden_cols: set = field(default_factory=set)


def _count(pattern: re.Pattern, data: bytes, chunk: int = 1 << 22) -> int:
    """Matches of a pattern that never spans a '<', counted chunk by chunk."""
    n, start = 0, 0
    while start < len(data):
        end = len(data) if start + chunk >= len(data) else data.rfind(b"<", start + 1,
                                                                       start + chunk)
        end = end if end > start else min(len(data), start + chunk)
        n += len(pattern.findall(data, start, end))
        start = end
    return n


def scan_sheet(data: bytes) -> SheetScan:
    scan = SheetScan()
    max_row = max_col = 0
    row_cell = col_cell = (0, 0)
    start, n, chunk = 0, len(data), 1 << 22
    while start < n:  # in chunks cut before a tag, so that memory stays small
        end = n if start + chunk >= n else data.rfind(b"<", start + 1, start + chunk)
        end = end if end > start else min(n, start + chunk)
        cells = _VALUED_CELL.findall(data, start, end)
        start = end
        if not cells:
            continue
        r_text, c_text = max(cells, key=lambda rc: int(rc[1]))[::-1]
        if int(r_text) > max_row:
            max_row, row_cell = int(r_text), (int(r_text), _col_index(c_text.decode()))
        c_text, r_text = max(cells, key=lambda rc: (len(rc[0]), rc[0]))
        if _col_index(c_text.decode()) > max_col:
            max_col = _col_index(c_text.decode())
            col_cell = (int(r_text), max_col)
    cells = _count(_ANY_CELL, data)
    rless = cells - _count(_CELL_REF_FIRST, data)
    if rless > 0:
        rless = cells - _count(_CELL_WITH_REF, data)
    if rless > 0:  # cells without an address follow the previous one: bound their reach
        rows = [int(r) for r in _ROW_REF.findall(data)]
        max_row = max([max_row] + rows) + data.count(b"<row") - len(rows)
        max_col += rless
        row_cell = col_cell = (max_row, max_col)
    scan.area = max_row * max_col
    if scan.area:
        r, c = max((row_cell, col_cell), key=lambda rc: rc[0] * rc[1])
        scan.far_cell = f"{col_letter(c)}{r}"
    for m in _MERGE.finditer(data):
        c1, r1 = _col_index(m.group(1).decode()), int(m.group(2))
        c2 = _col_index(m.group(3).decode()) if m.group(3) else c1
        r2 = int(m.group(4)) if m.group(4) else r1
        if (r1, c1) != (r2, c2):
            scan.merges.append((r1, c1, r2, c2))
    if b"hidden=" in data:
        for m in _ROW_TAG.finditer(data):
            if _HIDDEN.search(m.group(1)) and _attr(m.group(1), b"r"):
                scan.hidden_rows.add(_attr(m.group(1), b"r"))
        for m in _COL_TAG.finditer(data):
            lo, hi = _attr(m.group(1), b"min"), _attr(m.group(1), b"max")
            if _HIDDEN.search(m.group(1)) and lo and hi:
                scan.hidden_cols.update(range(lo, min(hi, 16384) + 1))
    return scan


def cell_facts(data: bytes) -> dict[tuple[int, int], str]:
    """(row, col) -> "" for a formula without a saved value, or the error text it holds."""
    from defusedxml import ElementTree as ET

    if not _HAS_FORMULA_OR_ERROR.search(data):
        return {}
    facts: dict[tuple[int, int], str] = {}
    for _event, el in ET.iterparse(io.BytesIO(data), events=("end",)):
        if _local(el.tag) != "c":
            continue
        kind = el.get("t", "n")
        formula = value = None
        for child in el:
            name = _local(child.tag)
            if name == "f":
                formula = child
            elif name == "v":
                value = child.text or ""
            elif name == "is":
                value = "".join(t.text or "" for t in child.iter())
        ref = _CELL_REF.fullmatch(el.get("r", ""))
        if ref:
            key = (int(ref.group(2)), _col_index(ref.group(1)))
            if kind == "e":
                facts[key] = value or "#N/A"
            elif formula is not None and value is None:
                facts[key] = ""
            elif formula is not None and value == "" and kind not in ("str", "inlineStr", "s"):
                facts[key] = ""
        el.clear()
    return facts


def fact_problem(cell: str, fact: str) -> Problem:
    if fact == "":
        return Problem(cell, "this formula has no saved value (the file was written by a "
                       "program and never calculated)", "open and save the file in Excel or "
                       "LibreOffice so the formula's value is stored, or type the value")
    return Problem(cell, f"the cell holds the error value {fact}",
                   "fix the formula (or type the value) so the cell holds a proper value")
