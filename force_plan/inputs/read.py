"""Read an input workbook into raw, located cell values (no validation of meaning yet).

``read_workbook(path)`` refuses anything that is not an ``.xlsx``/``.xlsm`` workbook with
one plain sentence (:class:`NotAWorkbookError`), guards against zip bombs and XML
document type declarations (entity-expansion "billion laughs" bombs) before any XML
library sees a part, refuses a sheet whose cells would span an absurd area (a stray value
in cell XFD1048576, however spelt), sheets of more than 3,000,000 cells together, or
shared text copied into cells beyond 200 MB (``guard.py``), then reads:

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
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..contract import schema
from ..errors import NotAWorkbookError, Problem, ProblemList
from .guard import (MAX_CELLS, MAX_SHARED_TEXT, MAX_TOTAL_CELLS, MAX_UNPACKED, guard_bomb,
                    guard_doctype, guard_reach, shared_text, sheet_xml, string_sizes)
from .sheetxml import SheetScan, cell_facts, col_letter, fact_problem

__all__ = ["read_workbook", "RawWorkbook", "RawTable", "RawRecord", "RawValue", "UNREADABLE",
           "col_letter", "cell_text", "norm", "is_blank", "suggest", "did_you_mean", "clip"]

#: At most this many unknown or headerless columns of a sheet are warned about one by one
#: (a sheet of 16,384 header columns gets these and one line counting the rest).
LISTED = 20
#: Quoted cell text is cut to this many characters in any message.
QUOTED = 40
#: Tabs that are documentation, never data and never warned about.
DOC_SHEETS = ("readme",)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _Unreadable:
    """The value of a cell whose problem the reader has already reported."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = _Unreadable()


@dataclass(frozen=True, slots=True)  # one per cell: slots keep a large sheet small
class RawValue:
    value: object  # str, float, int, bool, date/datetime/time/timedelta or UNREADABLE
    cell: str  # "Categories!E7"


@dataclass(slots=True)
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
    problems: list[Problem] = field(default_factory=ProblemList)
    warnings: list[Problem] = field(default_factory=ProblemList)


# --------------------------------------------------------------------------- helpers
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


def clip(text: object, most: int = QUOTED) -> str:
    """Text quoted in a message: at most ``most`` characters, with "…" and the full length
    when cut (a cell may hold 32,767 characters; a message should not)."""
    text = str(text)
    if len(text) <= most:
        return text
    return f"{text[:most]}… ({len(text):,} characters)"


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def suggest(word: str, candidates, cutoff: float = 0.6) -> str | None:
    """The candidate closest to ``word`` (compared in lower case), or None."""
    if len(str(word)) > 4 * QUOTED:  # no name is that long; difflib would take seconds
        return None
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
    if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
        raise _refuse(path, f"is an Excel binary workbook (.xlsb), not an .xlsx workbook — {save}")
    if "xl/workbook.xml" not in names:
        raise _refuse(path, "is a zip archive but not an Excel workbook (it has no "
                      f"xl/workbook.xml) — {save}")
    guard_bomb(path, zf)
    guard_doctype(path, zf)
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


# --------------------------------------------------------------------------- reading
def read_workbook(path) -> RawWorkbook:
    """Read the contract's sheets of the workbook at ``path`` (see the module doc)."""
    path = Path(path)
    data, zf = guarded_bytes(path)
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


def guarded_bytes(path) -> tuple[bytes, zipfile.ZipFile]:
    """The bytes and zip of the .xlsx at ``path``, after every check that needs no XML
    parser: a regular file of sane size, an xlsx zip (not xls/ods/csv …), no zip bomb, no
    document type declaration. NotAWorkbookError (one sentence) otherwise. Anything that
    hands a user's .xlsx to an XML or spreadsheet library should get its bytes here."""
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
    return data, _sniff(path, data)


def _read_into(raw: RawWorkbook, zf: zipfile.ZipFile, data: bytes) -> None:
    import python_calamine

    parts = guard_reach(Path(raw.path), zf)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    spanned = 0  # cells of the contract sheets read so far (bounded by MAX_TOTAL_CELLS)
    sizes, text_total = string_sizes(zf), 0  # shared text copied into cells so far
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
        state = str(meta.visible).rsplit(".", 1)[-1]
        if state != "Visible":  # Hidden or VeryHidden
            how = ("unhide it (right-click a sheet tab ▸ Unhide) to see what is planned"
                   if state == "Hidden" else
                   "it is 'very hidden', which Excel's Unhide menu does not list: in Excel "
                   "open the VBA editor (Alt+F11), select the sheet and set its Visible "
                   "property to -1 - xlSheetVisible, or in LibreOffice use Sheet ▸ Show Sheet")
            raw.warnings.append(Problem(contract.name, "this sheet is hidden in the workbook; "
                                        "force-plan reads it all the same", how, warning=True))
        xml, scan = sheet_xml(Path(raw.path), zf, tab, parts)
        if scan.area > MAX_CELLS:
            raw.problems.append(Problem(
                f"{contract.name}!{scan.far_cell}", f"this cell holds a value far outside any "
                f"planning table, so the sheet would span {scan.area:,} cells",
                "clear the cell (or delete the rows and columns beyond the table) and save"))
            raw.tables[contract.name] = RawTable(sheet=contract, tab=tab, skipped=True)
            continue
        if spanned + scan.area > MAX_TOTAL_CELLS:
            raw.problems.append(Problem(
                f"{contract.name}!{scan.far_cell}", f"this sheet spans {scan.area:,} cells, "
                f"which with the sheets before it makes {spanned + scan.area:,}: more than "
                f"the {MAX_TOTAL_CELLS:,} force-plan reads from one workbook", "clear the "
                "rows and columns beyond the tables, or split the plan into smaller ones"))
            raw.tables[contract.name] = RawTable(sheet=contract, tab=tab, skipped=True)
            continue
        text = shared_text(xml, sizes)
        if text_total + text > MAX_SHARED_TEXT:
            raw.problems.append(Problem(
                contract.name, f"its cells repeat shared text {text / 2**20:,.0f} MB long in "
                "all (each cell holding a copy), more than the "
                f"{MAX_SHARED_TEXT // 2**20} MB force-plan reads from one workbook",
                "shorten the long texts repeated down the sheet, or clear them"))
            raw.tables[contract.name] = RawTable(sheet=contract, tab=tab, skipped=True)
            continue
        spanned += scan.area
        text_total += text
        rows = book.get_sheet_by_name(tab).to_python(skip_empty_area=False)
        raw.tables[contract.name] = _table(contract, tab, rows, cell_facts(xml), raw, scan)


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
            raw.problems.append(fact_problem(table.header_cell(j), facts[(1, j)]))
            continue
        text = cell_text(value)
        if not text:
            continue
        key = text.lower()
        if key in seen:
            raw.problems.append(Problem(table.header_cell(j), f"the column '{clip(text)}' appears "
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
            if len(table.unknown_headers) > LISTED:
                continue
            hint = did_you_mean(text, sheet.column_names)
            raw.warnings.append(Problem(table.header_cell(j), f"the column '{clip(text)}' is "
                                        f"not part of the {sheet.name} sheet and is ignored",
                                        hint, warning=True))
    if len(table.unknown_headers) > LISTED:
        more = len(table.unknown_headers) - LISTED
        raw.warnings.append(Problem(sheet.name, f"{more:,} more columns that are not part of "
                                    "the sheet are ignored (the first "
                                    f"{LISTED} are listed above)", "delete the columns force-"
                                    "plan does not use, or keep them: they are not read",
                                    warning=True))
    used = {j: name for name, j in table.columns.items()}
    wide = {j: text for text, j in table.wide_headers}
    headed = set(used) | set(wide) | {j for _t, j in table.unknown_headers}
    orphans: set[int] = set()
    prefix = {j: f"{sheet.name}!{col_letter(j)}" for j in set(used) | set(wide)}
    for i, values in enumerate(rows[1:], start=2):
        record = RawRecord(row=i)
        for j, value in enumerate(values, start=1):
            fact = facts.get((i, j))
            if j not in used and j not in wide:
                if j not in headed and (fact is not None or not is_blank(value)):
                    orphans.add(j)
                continue
            cell = f"{prefix[j]}{i}"
            if fact is not None:
                raw.problems.append(fact_problem(cell, fact))
                value = UNREADABLE
            elif value is None or (value.__class__ is str and not value.strip()):
                continue  # is_blank, inlined: it runs once per cell
            target = record.values if j in used else record.wide
            target[used[j] if j in used else wide[j]] = RawValue(value, cell)
        if record.values or record.wide:
            table.records.append(record)
    if len(orphans) > LISTED:
        raw.warnings.append(Problem(sheet.name, f"{len(orphans) - LISTED:,} more columns have "
                                    "values but no header, so they are ignored",
                                    "give the columns a header or clear them", warning=True))
    for j in sorted(orphans)[:LISTED]:
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
