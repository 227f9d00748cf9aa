"""Read an input workbook into raw, located cell values (no validation of meaning yet).

``read_workbook(path)`` refuses anything that is not an ``.xlsx``/``.xlsm`` workbook with
one plain sentence (:class:`NotAWorkbookError`), guards against zip bombs and XML
document type declarations (entity-expansion "billion laughs" bombs) before any XML
library sees a part, refuses a sheet whose cells would span an absurd area (a stray value
in cell XFD1048576), then reads:

* cell values of the contract's sheets with python-calamine (fast; a ``%`` cell is its
  fraction, dates come back as dates, a formula cell as its saved value);
* cell-level facts calamine hides by scanning the sheet XML: formula cells without a
  saved value and cells holding an error value (``#DIV/0!``, ``#REF!`` …), merged cells
  inside a table (an error: only the first cell of a merge holds a value), hidden rows
  and columns of a table (a warning: they are read all the same).

A hidden contract sheet is read like any other, with a warning. A table whose header row
is not row 1 is reported once at the cell where its headers were found.

Sheet names and headers are matched to ``schema`` case-insensitively with surrounding
spaces ignored; header row is row 1; blank rows are skipped. Unknown sheets and columns
become warnings (with a "did you mean" when one is close); a sheet named README is the
template's documentation and is ignored silently. Every value keeps its cell
(``Categories!E7``). Meaning (types, ranges, references) is checked by ``validate.py``.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import io
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema
from ..errors import NotAWorkbookError, Problem

#: Tabs that are documentation, never data and never warned about.
DOC_SHEETS = ("readme",)
#: Refuse a workbook whose XML parts would unpack to more than this many bytes.
MAX_UNPACKED = 200 * 1024 * 1024
#: Refuse a part compressed more than this ratio once it is larger than LARGE_PART.
MAX_RATIO = 200
LARGE_PART = 10 * 1024 * 1024
#: Refuse a contract sheet whose values span more than this many cells from A1 (calamine
#: holds the whole rectangle: one value in XFD1048576 would need 17 billion cells).
MAX_CELLS = 2_000_000
#: How much of each part's beginning is scanned for a document type declaration.
PROLOG_SCAN = 64 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _Unreadable:
    """The value of a cell whose problem the reader has already reported."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = _Unreadable()


@dataclass(frozen=True)
class RawValue:
    value: object  # str, float, int, bool, date/datetime/time/timedelta or UNREADABLE
    cell: str  # "Categories!E7"


@dataclass
class RawRecord:
    row: int  # 1-based row number in the sheet
    values: dict[str, RawValue] = field(default_factory=dict)  # contract column -> value
    wide: dict[str, RawValue] = field(default_factory=dict)  # wide sheets: header -> value


@dataclass
class RawTable:
    sheet: schema.Sheet
    tab: str  # the tab name as spelled in the workbook
    columns: dict[str, int] = field(default_factory=dict)  # contract column -> column index
    #: wide sheets: every non-key header (label text, column index) in sheet order
    wide_headers: list[tuple[str, int]] = field(default_factory=list)
    #: headers that name no contract column (text, column index); wide sheets: none
    unknown_headers: list[tuple[str, int]] = field(default_factory=list)
    records: list[RawRecord] = field(default_factory=list)
    #: the table could not be read at all (its one problem is reported; no column checks)
    skipped: bool = False

    @property
    def name(self) -> str:
        return self.sheet.name

    def cell(self, column: str, row: int) -> str:
        return f"{self.name}!{col_letter(self.columns[column])}{row}"

    def header_cell(self, col: int) -> str:
        return f"{self.name}!{col_letter(col)}1"


@dataclass
class RawWorkbook:
    path: str
    sha256: str
    tables: dict[str, RawTable] = field(default_factory=dict)  # contract sheet -> table
    unknown_sheets: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers
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


def norm(name: object) -> str:
    """How names are compared: trimmed, lower case."""
    return cell_text(name).strip().lower()


def cell_text(value: object) -> str:
    """A cell value as label text: 2027.0 -> "2027", a date -> "2027-01-01"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value).strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def suggest(word: str, candidates, cutoff: float = 0.6) -> str | None:
    """The candidate closest to ``word`` (compared in lower case), or None."""
    lower = {str(c).lower(): c for c in candidates}
    hits = difflib.get_close_matches(str(word).strip().lower(), list(lower), n=1, cutoff=cutoff)
    return lower[hits[0]] if hits else None


def did_you_mean(word: str, candidates, cutoff: float = 0.6) -> str:
    hit = suggest(word, candidates, cutoff)
    return f"did you mean '{hit}'?" if hit is not None else ""


# --------------------------------------------------------------------------- refusing
def _refuse(path: Path, what: str) -> NotAWorkbookError:
    return NotAWorkbookError(f"{path.name} {what}.")


def _sniff(path: Path, data: bytes) -> zipfile.ZipFile:
    """The workbook's zip, or NotAWorkbookError saying in one sentence what the file is."""
    save = "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)"
    if not data:
        raise _refuse(path, "is empty (0 bytes); it is not an Excel workbook — "
                      "choose the right file or write a new one with force-plan template")
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _refuse(path, "is password-protected, so force-plan cannot read it — "
                          "open it in Excel or LibreOffice, remove the password and save it "
                          "again as .xlsx")
        raise _refuse(path, f"is an old-style Excel file (.xls), not an .xlsx workbook — {save}")
    if not data.startswith(ZIP_MAGIC):
        head = data[:4096]
        texty = b"\x00" not in head and _decodes(head)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text, as some exports are
            texty = _decodes(head)
        if texty:
            raise _refuse(path, "is a text file (perhaps CSV), not an Excel workbook — "
                          f"{save}")
        raise _refuse(path, f"is not an Excel workbook (.xlsx) — {save}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise _refuse(path, f"is damaged and cannot be opened as a workbook ({err}) — "
                      "open it in Excel or LibreOffice and save a fresh copy as .xlsx") from None
    if "mimetype" in names and "xl/workbook.xml" not in names:
        try:
            mime = zf.read("mimetype")[:100].decode("ascii", "replace")
        except Exception:  # noqa: BLE001 - any failure means "not an xlsx"
            mime = ""
        if "opendocument" in mime:
            raise _refuse(path, f"is an OpenDocument spreadsheet (.ods), not an .xlsx workbook "
                          f"— {save}")
    if "xl/workbook.bin" in names:
        raise _refuse(path, f"is an Excel binary workbook (.xlsb), not an .xlsx workbook — {save}")
    if "xl/workbook.xml" not in names:
        raise _refuse(path, "is a zip archive but not an Excel workbook (it has no "
                      f"xl/workbook.xml) — {save}")
    _guard_bomb(path, zf)
    _guard_doctype(path, zf)
    return zf


def _decodes(head: bytes) -> bool:
    for enc in ("utf-8", "utf-16"):
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError:
            # a multi-byte character cut at the 4096th byte still counts as text
            try:
                head[:-3].decode(enc)
                return True
            except UnicodeDecodeError:
                continue
    return False


def _guard_bomb(path: Path, zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        # every member counts: a sheet part may be given any name by the relationships
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > LARGE_PART and ratio > MAX_RATIO:
            raise _refuse(path, f"looks like a zip bomb: its part {info.filename} unpacks "
                          f"{ratio:.0f} times larger than it is stored, so force-plan refuses "
                          "to open it")
    if total > MAX_UNPACKED:
        raise _refuse(path, f"is too large to be a planning workbook ({total / 2**20:.0f} MB "
                      "of sheet data unpacked), so force-plan refuses to open it")


_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def _xml_head(head: bytes) -> bytes | None:
    """The beginning of a part as UTF-8 bytes when it looks like XML, else None."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        little = head[:2] == b"\xff\xfe" or (head[:2] != b"\xfe\xff" and head[1:2] == b"\x00")
        body = head[2:] if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head
        body = body[:len(body) // 2 * 2]
        head = body.decode("utf-16-le" if little else "utf-16-be", "replace").encode("utf-8")
    return head if head.lstrip().startswith(b"<") else None


def _guard_doctype(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse any part that declares a DTD or entities (an XML bomb), before parsing.

    Spreadsheet programs never write a <!DOCTYPE>; the XML libraries used here do not
    expand entities, but a declared one is refused outright all the same. Only the
    beginning of each part is inflated (the zip-bomb guard has bounded it already).
    """
    for info in zf.infolist():
        if info.is_dir() or info.file_size == 0:
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(PROLOG_SCAN)
        except Exception as err:  # noqa: BLE001 - encrypted, unknown method, bad data
            raise _refuse(path, f"is damaged or protected and cannot be opened as a workbook "
                          f"(part {info.filename}: {str(err)[:100] or type(err).__name__}) "
                          "— open it in Excel or LibreOffice and save a fresh copy as .xlsx") \
                from None
        text = _xml_head(head)
        if text is None:
            continue  # not XML (an image, a vbaProject.bin): never parsed
        pos = 0
        while (m := _PROLOG_ITEM.match(text, pos)) is not None and m.end() > pos:
            pos = m.end()
        rest = text[pos:]
        if rest[:9].lower() == b"<!doctype" or b"<!entity" in text.lower():
            raise _refuse(path, f"contains a document type declaration (<!DOCTYPE>) in its "
                          f"part {info.filename}; spreadsheet programs never write one and it "
                          "can hide an XML bomb, so force-plan refuses to open it — open it in "
                          "Excel or LibreOffice and save a fresh copy as .xlsx")
        if len(head) == PROLOG_SCAN and (not rest or rest.startswith((b"<!--", b"<?"))):
            raise _refuse(path, f"has a part ({info.filename}) that starts with more than "
                          f"{PROLOG_SCAN // 1024} KB of preamble, which no spreadsheet program "
                          "writes, so force-plan refuses to open it")


# --------------------------------------------------------------------------- XML scan
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HAS_FORMULA_OR_ERROR = re.compile(rb'<(?:\w+:)?f[\s>/]|\bt="e"')
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
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


def _scan_sheet(data: bytes) -> SheetScan:
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


def _cell_facts(data: bytes) -> dict[tuple[int, int], str]:
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


def _fact_problem(cell: str, fact: str) -> Problem:
    if fact == "":
        return Problem(cell, "this formula has no saved value (the file was written by a "
                       "program and never calculated)", "open and save the file in Excel or "
                       "LibreOffice so the formula's value is stored, or type the value")
    return Problem(cell, f"the cell holds the error value {fact}",
                   "fix the formula (or type the value) so the cell holds a proper value")


# --------------------------------------------------------------------------- reading
def read_workbook(path) -> RawWorkbook:
    """Read the contract's sheets of the workbook at ``path`` (see the module doc)."""
    path = Path(path)
    try:
        info = path.stat()  # never open a pipe or a device: reading it may never end
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise NotAWorkbookError(f"{path} is not a regular file (it is a device, pipe or "
                                    "socket) — give the path of a saved .xlsx workbook.")
        if info.st_size > MAX_UNPACKED:
            raise NotAWorkbookError(f"{path} is too large to be a planning workbook "
                                    f"({info.st_size / 2**20:.0f} MB), so force-plan refuses "
                                    "to open it.")
        with open(path, "rb") as fh:
            data = fh.read(MAX_UNPACKED + 1)
    except FileNotFoundError:
        raise NotAWorkbookError(f"{path} does not exist — check the file name and "
                                "folder.") from None
    except IsADirectoryError:
        raise NotAWorkbookError(f"{path} is a folder, not a workbook file.") from None
    except OSError as err:
        raise NotAWorkbookError(f"{path} cannot be read ({err.strerror or err}).") from None
    zf = _sniff(path, data)
    raw = RawWorkbook(path=str(path), sha256=hashlib.sha256(data).hexdigest())
    try:
        _read_into(raw, zf, data)
    except NotAWorkbookError:
        raise
    except Exception as err:  # noqa: BLE001 - any library failure means the file is at fault
        reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        if type(err).__name__ == "PasswordError":
            raise _refuse(path, "is password-protected, so force-plan cannot read it — remove "
                          "the password and save it again as .xlsx") from None
        raise _refuse(path, f"is damaged and cannot be read as a workbook ({reason}) — open "
                      "it in Excel or LibreOffice and save a fresh copy as .xlsx") from None
    return raw


def _read_into(raw: RawWorkbook, zf: zipfile.ZipFile, data: bytes) -> None:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    parts = _sheet_parts(zf)
    known = [s.name for s in schema.SHEETS]
    for meta in book.sheets_metadata:
        tab = meta.name
        contract = schema.find_sheet(tab)
        if contract is None:
            if norm(tab) in DOC_SHEETS:
                continue
            raw.unknown_sheets.append(tab)
            hint = did_you_mean(tab, known)
            raw.warnings.append(Problem(tab.strip(), "this sheet is not part of the workbook "
                                        "contract and is ignored", hint, warning=True))
            continue
        if contract.name in raw.tables:
            raw.problems.append(Problem(tab.strip(), f"a second sheet named {contract.name} "
                                        f"(the first is '{raw.tables[contract.name].tab}')",
                                        "keep one sheet of each name (names ignore letter "
                                        "case): merge them or rename one"))
            continue
        if "Worksheet" not in str(meta.typ) and "WorkSheet" not in str(meta.typ):
            raw.problems.append(Problem(contract.name, "this is a chart or dialog sheet, not "
                                        "a worksheet of cells", "replace it with an ordinary "
                                        "worksheet holding the table"))
            raw.tables[contract.name] = RawTable(sheet=contract, tab=tab, skipped=True)
            continue
        if str(meta.visible).rsplit(".", 1)[-1] != "Visible":  # Hidden or VeryHidden
            raw.warnings.append(Problem(contract.name, "this sheet is hidden in the workbook; "
                                        "force-plan reads it all the same", "unhide it (right-"
                                        "click a sheet tab ▸ Unhide) to see what is planned",
                                        warning=True))
        try:
            xml = zf.read(parts[tab]) if tab in parts else b""
        except KeyError:
            xml = b""
        scan = _scan_sheet(xml)
        if scan.area > MAX_CELLS:
            raw.problems.append(Problem(
                f"{contract.name}!{scan.far_cell}", f"this cell holds a value far outside any "
                f"planning table, so the sheet would span {scan.area:,} cells",
                "clear the cell (or delete the rows and columns beyond the table) and save"))
            raw.tables[contract.name] = RawTable(sheet=contract, tab=tab, skipped=True)
            continue
        rows = book.get_sheet_by_name(tab).to_python(skip_empty_area=False)
        raw.tables[contract.name] = _table(contract, tab, rows, _cell_facts(xml), raw, scan)


def _misplaced(sheet: schema.Sheet, rows: list[list]) -> tuple[int, int] | None:
    """(row, col) of the header row when it is not row 1 (None when row 1 is the header)."""
    names = {c.name.lower() for c in sheet.columns}
    for i, values in enumerate(rows[:50], start=1):
        for j, value in enumerate(values, start=1):
            if isinstance(value, str) and value.strip().lower() in names:
                return None if i == 1 else (i, j)
    return None


def _table(sheet: schema.Sheet, tab: str, rows: list[list], facts, raw: RawWorkbook,
           scan: SheetScan | None = None) -> RawTable:
    table = RawTable(sheet=sheet, tab=tab)
    scan = scan or SheetScan()
    rows = [list(r) for r in rows]
    for (i, j) in facts:  # a formula without a value may lie outside calamine's range
        while len(rows) < i:
            rows.append([])
        if len(rows[i - 1]) < j:
            rows[i - 1].extend([None] * (j - len(rows[i - 1])))
    found = _misplaced(sheet, rows)
    if found is not None:
        i, j = found
        raw.problems.append(Problem(
            f"{sheet.name}!{col_letter(j)}{i}", f"the table's headers are in row {i}, but they "
            "must be in row 1", f"delete the {i - 1} row{'s' if i > 2 else ''} above the "
            "headers so that the table starts in row 1"))
        table.skipped = True
        return table
    header = rows[0] if rows else []
    names = {c.name.lower(): c.name for c in sheet.columns}
    seen: dict[str, int] = {}
    for j, value in enumerate(header, start=1):
        if (1, j) in facts:
            raw.problems.append(_fact_problem(table.header_cell(j), facts[(1, j)]))
            continue
        text = cell_text(value)
        if not text:
            continue
        key = text.lower()
        if key in seen:
            raw.problems.append(Problem(table.header_cell(j), f"the column '{text}' appears "
                                        f"twice (also at {table.header_cell(seen[key])})",
                                        "keep one column of each name"))
            continue
        seen[key] = j
        if key in names:
            table.columns[names[key]] = j
        elif sheet.layout == "wide":
            table.wide_headers.append((text, j))
        else:
            table.unknown_headers.append((text, j))
            hint = did_you_mean(text, sheet.column_names)
            raw.warnings.append(Problem(table.header_cell(j), f"the column '{text}' is not part "
                                        f"of the {sheet.name} sheet and is ignored", hint,
                                        warning=True))
    used = {j: name for name, j in table.columns.items()}
    wide = {j: text for text, j in table.wide_headers}
    headed = set(used) | set(wide) | {j for _t, j in table.unknown_headers}
    orphans: set[int] = set()
    for i, values in enumerate(rows[1:], start=2):
        record = RawRecord(row=i)
        for j, value in enumerate(values, start=1):
            fact = facts.get((i, j))
            if j not in used and j not in wide:
                if j not in headed and (fact is not None or not is_blank(value)):
                    orphans.add(j)
                continue
            cell = f"{sheet.name}!{col_letter(j)}{i}"
            if fact is not None:
                raw.problems.append(_fact_problem(cell, fact))
                value = UNREADABLE
            elif is_blank(value):
                continue
            target = record.values if j in used else record.wide
            target[used[j] if j in used else wide[j]] = RawValue(value, cell)
        if record.values or record.wide:
            table.records.append(record)
    for j in sorted(orphans):
        raw.warnings.append(Problem(table.header_cell(j), f"column {col_letter(j)} has values "
                                    "but no header, so they are ignored",
                                    "give the column a header or clear it", warning=True))
    for r1, c1, r2, c2 in scan.merges:
        if any(j in headed for j in range(c1, c2 + 1)):
            first, last = f"{col_letter(c1)}{r1}", f"{col_letter(c2)}{r2}"
            raw.problems.append(Problem(
                f"{sheet.name}!{first}", f"the cells {first}:{last} are merged, so only {first} "
                "holds a value and the others read as blank", "unmerge them and type the "
                "value in every cell"))
    hidden = sorted(r.row for r in table.records if r.row in scan.hidden_rows)
    hidden_cols = sorted(j for j in headed if j in scan.hidden_cols)
    if hidden or hidden_cols:
        what = []
        if hidden:
            what.append(f"row{'s' if len(hidden) > 1 else ''} "
                        f"{', '.join(str(r) for r in hidden[:10])}{' …' if len(hidden) > 10 else ''}")
        if hidden_cols:
            what.append(f"column{'s' if len(hidden_cols) > 1 else ''} "
                        f"{', '.join(col_letter(j) for j in hidden_cols[:10])}")
        many = len(hidden) + len(hidden_cols) > 1
        raw.warnings.append(Problem(sheet.name, f"{' and '.join(what)} of the table "
                                    f"{'are' if many else 'is'} hidden; force-plan reads "
                                    f"{'them' if many else 'it'} all the same",
                                    f"unhide {'them' if many else 'it'} to see what is planned",
                                    warning=True))
    return table
