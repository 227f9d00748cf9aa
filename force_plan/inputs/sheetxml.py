"""What a sheet's XML says that its cell values do not (used by ``read.py``).

* :func:`scan_sheet`: how far its values reach (a stray value in XFD1048576 would make the
  value reader hold 17 billion cells), its merged ranges, hidden rows and columns;
* :func:`cell_facts`: formula cells without a saved value and cells holding an error value.

Everything here works on bytes already bounded by the reader's zip-bomb guard and already
checked for document type declarations; regular expressions run chunk by chunk so that
memory stays small whatever the part holds.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from ..errors import Problem
from .parts import start_tags


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


#: a formula element, or an error-typed cell (two searches: one alternation is 4× slower)
_HAS_FORMULA = re.compile(rb"""<(?:[^\s<>/!?=\"']*:)?f[\s>/]""")
_HAS_ERROR = re.compile(rb"""t\s*=\s*["']e["']""")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]



#: a cell's start tag (any namespace prefix; a quoted '>' does not end it): its attribute
#: text and "/" when it is self-closing (an empty cell, which the value reader skips)
_CELL_TAG = re.compile(rb"<(?:[^\s<>/!?=\"']*:)?c(?=[\s/>])"
                       rb"((?:[^>\"'/]|/(?!>)|\"[^\"]*\"|'[^']*')*)(/?)>")
#: an ``r`` attribute inside a start tag (any prefix, either quote, after a space or the
#: previous value's closing quote): its raw value
_R_ATTR = re.compile(rb"(?:^|(?<=[\s\"']))(?:[^\s\"'=<>]*:)?r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")
_ROW_TAG = start_tags(b"row")
_ROW_END = re.compile(rb"</(?:[^\s<>/!?=\"']*:)?row\s*>")
_MERGE_TAG = start_tags(b"mergeCell")
_COL_TAG = start_tags(b"col")
_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
#: beyond Excel's grid: 16,384 columns and 1,048,576 rows (a bound, not a position)
_FAR = 10 ** 9


def _ref(value: bytes) -> tuple[int, int] | None:
    """(row, column) of a cell reference as the value reader parses it (letters in either
    case, then digits); None for a reference it refuses (the sheet then fails to read)."""
    m = _REF.fullmatch(value)
    if m is None or not m.group(1) or not m.group(2):
        return None
    letters, digits = m.group(1).upper(), m.group(2).lstrip(b"0")
    row = int(digits) if 0 < len(digits) <= 9 else (_FAR if digits else 0)
    col = _col_index(letters.decode()) if len(letters) <= 6 else _FAR
    return (row, col) if row else None


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    m = re.search(rb"(?:^|(?<=[\s\"']))" + name + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""", attrs)
    return None if m is None else (m.group(1) if m.group(1) is not None else m.group(2))


def _number(value: bytes | None) -> int | None:
    digits = re.sub(rb"^[A-Za-z]*", b"", value or b"")
    return int(digits) if digits.isdigit() and len(digits) <= 9 else None


@dataclass
class SheetScan:
    """Facts of one sheet's XML that the cell values do not show."""

    far_cell: str = ""  # the value that makes the sheet's area largest ("" = none)
    area: int = 0  # rows × columns from A1 to the furthest value
    #: merged ranges: (row1, col1, row2, col2)
    merges: list = field(default_factory=list)
    hidden_rows: set = field(default_factory=set)
    hidden_cols: set = field(default_factory=set)


#: an ``r`` value the reader accepts: letters in either case, then digits
_R_VALUE = re.compile(rb"(?:^|(?<=[\s\"']))(?:[^\s\"'=<>]*:)?r\s*=\s*"
                      rb"(?:\"([A-Za-z]+)([0-9]+)\"|'([A-Za-z]+)([0-9]+)')")


def _tags(data: bytes, size: int = 1 << 22):
    """Every cell start tag as (attributes, "/" or ""), found a few MB at a time (so that
    memory stays small) without ever cutting a tag: each window starts where the previous
    one's last tag ended, and a window with no tag grows until it holds one."""
    pos, n, width = 0, len(data), size
    while pos < n:
        end = min(n, pos + width)
        found, last = [], pos
        for m in _CELL_TAG.finditer(data, pos, end):
            found.append(m.groups())
            last = m.end()
        if end >= n:
            yield found
            return
        if not found:
            width *= 2
            continue
        yield found
        pos, width = last, size


#: the spelling every spreadsheet program writes: ``<c r="B7" s="1" t="s">`` (no prefix,
#: the address first, in capitals within the grid, double quotes, no second ``r``)
_CANON = re.compile(rb'<c\s+r="([A-Z]{1,3})([0-9]{1,7})"'
                    rb'(?:\s+(?!r=)[A-Za-z_][\w.:-]*="[^"]*")*\s*(/?)>')
#: the start of any cell tag, however spelt
_ANY_CELL = re.compile(rb"<(?:[^\s<>/!?=\"']*:)?c(?=[\s/>])")


def _canonical_reach(data: bytes, chunk: int = 1 << 22):
    """:func:`_reach` for a part whose every cell tag has the usual spelling (fast: one
    regular expression per few MB); None when any tag is spelt otherwise."""
    row_cell = col_cell = (0, 0)
    start, n = 0, len(data)
    while start < n:
        end = n if start + chunk >= n else data.rfind(b"<", start + 1, start + chunk)
        end = end if end > start else min(n, start + chunk)
        found = _CANON.findall(data, start, end)
        if len(found) != len(_ANY_CELL.findall(data, start, end)):
            return None  # another spelling (or a tag cut here): the careful walk decides
        start = end
        valued = [(c, r) for c, r, empty in found if not empty]
        if not valued:
            continue
        r = max(int(r) for _c, r in valued)
        if r > row_cell[0]:
            row_cell = (r, _col_index(next(c for c, rr in valued if int(rr) == r).decode()))
        c, r = max(valued, key=lambda cr: (len(cr[0]), cr[0]))
        if _col_index(c.decode()) > col_cell[1]:
            col_cell = (int(r), _col_index(c.decode()))
    return 0, row_cell, col_cell


def _reach(data: bytes) -> tuple[int, tuple[int, int], tuple[int, int]]:
    """(cells without an address, furthest row's cell, furthest column's cell) of the
    cells holding something, read as the value reader reads them. Every spelling it
    accepts counts: any namespace prefix, either quote, lower-case letters, references
    beyond the grid (counted as beyond it); a reference it would refuse is skipped."""
    fast = _canonical_reach(data)
    if fast is not None:
        return fast
    rless = 0
    row_cell = col_cell = (0, 0)
    for tags in _tags(data):
        rless += sum(1 for a, _e in tags if not _R_ATTR.search(a))
        refs = _R_VALUE.findall(b" ".join(a for a, e in tags if not e))
        if not refs:
            continue
        refs = [(c or c2, r or r2) for c, r, c2, r2 in refs]
        c, r = max(refs, key=lambda cr: (len(cr[1].lstrip(b"0")), cr[1].lstrip(b"0")))
        rc = _ref(c + r)
        if rc and rc[0] > row_cell[0]:
            row_cell = rc
        c, r = max(refs, key=lambda cr: (len(cr[0]), cr[0].upper()))
        rc = _ref(c + r)
        if rc and rc[1] > col_cell[1]:
            col_cell = rc
    return rless, row_cell, col_cell


def scan_sheet(data: bytes) -> SheetScan:
    scan = SheetScan()
    rless, row_cell, col_cell = _reach(data)
    if rless > 0:  # cells without an address follow the previous one: bound their reach
        rows = [_number(_attr(m.group(1), b"r")) or 0 for m in _ROW_TAG.finditer(data)]
        ends = len(_ROW_END.findall(data))
        max_row = max([row_cell[0]] + rows) + len(rows) + ends
        max_col = col_cell[1] + rless
        row_cell = col_cell = (max_row, max_col)
    scan.area = row_cell[0] * col_cell[1]
    if scan.area:
        r, c = max((row_cell, col_cell), key=lambda rc: rc[0] * rc[1])
        scan.far_cell = f"{col_letter(min(c, 16384))}{min(r, 1048576)}"
        scan.area = max(scan.area, r * c)
    for m in _MERGE_TAG.finditer(data):
        ref = (_attr(m.group(1), b"ref") or b"").split(b":")
        corners = [_ref(x) for x in ref[:2]]
        if len(ref) == 2 and None not in corners and corners[0] != corners[1]:
            (r1, c1), (r2, c2) = corners
            scan.merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    if b"hidden" in data:
        for m in _ROW_TAG.finditer(data):
            if _HIDDEN.search(m.group(1)) and _number(_attr(m.group(1), b"r")):
                scan.hidden_rows.add(_number(_attr(m.group(1), b"r")))
        for m in _COL_TAG.finditer(data):
            lo = _number(_attr(m.group(1), b"min"))
            hi = _number(_attr(m.group(1), b"max"))
            if _HIDDEN.search(m.group(1)) and lo and hi:
                scan.hidden_cols.update(range(lo, min(hi, 16384) + 1))
    return scan


def cell_facts(data: bytes) -> dict[tuple[int, int], str]:
    """(row, col) -> "" for a formula without a saved value, or the error text it holds.

    Cells are placed as the value reader places them: by their ``r`` attribute (letters in
    either case), else one column after the previous cell, in the row of the enclosing
    ``row`` element (its ``r``, else one after the previous row)."""
    from defusedxml import ElementTree as ET

    if not _HAS_ERROR.search(data) and not _HAS_FORMULA.search(data):
        return {}
    facts: dict[tuple[int, int], str] = {}
    row = col = 0  # 1-based; the position the next cell without an address takes
    for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
        name = _local(el.tag)
        if name == "row":
            if event == "start":
                number = _number((el.get("r") or "").encode())
                row, col = (number if number else row + 1), 1
            continue
        if name != "c" or event != "end":
            continue
        kind = el.get("t", "n")
        formula = value = None
        for child in el:
            child_name = _local(child.tag)
            if child_name == "f":
                formula = child
            elif child_name == "v":
                value = child.text or ""
            elif child_name == "is":
                value = "".join(t.text or "" for t in child.iter())
        ref = _ref(el.get("r", "").encode()) if el.get("r") is not None else (row, col)
        col = (ref[1] if ref else col) + 1
        if ref and ref[0] and ref[1]:
            if kind == "e":
                facts[ref] = value or "#N/A"
            elif formula is not None and value is None:
                facts[ref] = ""
            elif formula is not None and value == "" and kind not in ("str", "inlineStr", "s"):
                facts[ref] = ""
        el.clear()
    return facts


def fact_problem(cell: str, fact: str) -> Problem:
    if fact == "":
        return Problem(cell, "this formula has no saved value (the file was written by a "
                       "program and never calculated)", "open and save the file in Excel or "
                       "LibreOffice so the formula's value is stored, or type the value")
    return Problem(cell, f"the cell holds the error value {fact}",
                   "fix the formula (or type the value) so the cell holds a proper value")
