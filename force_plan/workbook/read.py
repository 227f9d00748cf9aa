"""Read an input workbook into raw, located cell values (no validation of meaning yet).

``read_workbook(path)`` refuses anything that is not an ``.xlsx``/``.xlsm`` workbook with
one plain sentence (:class:`NotAWorkbookError`), guards against zip bombs, then reads:

* cell values of the contract's sheets with python-calamine (fast; a ``%`` cell is its
  fraction, dates come back as dates, a formula cell as its saved value);
* cell-level facts calamine hides by scanning the sheet XML: formula cells without a
  saved value and cells holding an error value (``#DIV/0!``, ``#REF!`` …).

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
        if not info.filename.endswith((".xml", ".rels")):
            continue  # media, printer settings, vba: never read
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > LARGE_PART and ratio > MAX_RATIO:
            raise _refuse(path, f"looks like a zip bomb: its part {info.filename} unpacks "
                          f"{ratio:.0f} times larger than it is stored, so force-plan refuses "
                          "to open it")
    if total > MAX_UNPACKED:
        raise _refuse(path, f"is too large to be a planning workbook ({total / 2**20:.0f} MB "
                      "of sheet data unpacked), so force-plan refuses to open it")


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


def _cell_facts(zf: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """(row, col) -> "" for a formula without a saved value, or the error text it holds."""
    from defusedxml import ElementTree as ET

    try:
        data = zf.read(part)
    except KeyError:
        return {}
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
        data = path.read_bytes()
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
            continue
        rows = book.get_sheet_by_name(tab).to_python(skip_empty_area=False)
        facts = _cell_facts(zf, parts[tab]) if tab in parts else {}
        raw.tables[contract.name] = _table(contract, tab, rows, facts, raw)


def _table(sheet: schema.Sheet, tab: str, rows: list[list], facts, raw: RawWorkbook) -> RawTable:
    table = RawTable(sheet=sheet, tab=tab)
    rows = [list(r) for r in rows]
    for (i, j) in facts:  # a formula without a value may lie outside calamine's range
        while len(rows) < i:
            rows.append([])
        if len(rows[i - 1]) < j:
            rows[i - 1].extend([None] * (j - len(rows[i - 1])))
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
    return table
