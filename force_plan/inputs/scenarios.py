"""The Scenarios sheet: named what-ifs applied to the raw workbook before validation.

A scenario is the workbook with its lines applied in sheet order (WORKBOOK.md,
Scenarios). Lines are applied to the raw tables that ``workbook.read`` produced, before
validation, so that a problem in a changed cell names the Scenarios cell that caused it::

    Periods!C3 (set by Scenarios!F4): budget is -20, outside its allowed range — …

``parse_scenarios(raw)`` reads the lines (problems of the Scenarios sheet itself are
reported by the workbook's validation, see ``check_scenarios``); ``apply(raw, scenario)``
returns the scenario's raw workbook, its line problems and warnings; ``scenario_plan``
validates it like any workbook.

Decisions where the contract is silent:

- identifier columns (category, course …) cannot be changed: a scenario that renamed a
  row would silently break every reference to it;
- a value typed as text that reads as a number ("0.9") is that number;
- a column the sheet does not have yet (an optional column absent altogether) is given
  to the changed row as if it were the next column to the right of the table;
- the scenario's workbook has no Scenarios sheet (its lines are applied).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from ..contract import schema
from ..errors import InputError, Problem
from .fields import Collector
from .read import (UNREADABLE, RawRecord, RawTable, RawValue, RawWorkbook,
                   cell_text, col_letter, did_you_mean, is_blank, norm)

BASE = "base"
#: sheets a scenario may change
SCENARIO_SHEETS = tuple(s.name for s in schema.SHEETS
                        if s.name not in ("Scenarios", "Uncertainty", "Objectives"))
#: the columns whose values identify a row ("course @ site")
ROW_KEYS = {
    "Settings": ("setting",), "Periods": ("period",), "Categories": ("category",),
    "Targets": ("category",), "Courses": ("course",), "Sites": ("site",),
    "CourseSites": ("course", "site"), "Pipeline": ("course", "period"),
    "Equipment": ("equipment",), "EquipmentTargets": ("equipment",),
    "EquipmentSources": ("source", "equipment"),
}
#: sheets where a known name without a row counts as a row of blanks: sheet -> where the
#: names are listed (sheet, column); Settings lists its names in the schema
ROWS_OF_BLANKS = {"Settings": None, "Targets": ("Categories", "category"),
                  "EquipmentTargets": ("Equipment", "equipment")}
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


@dataclass(frozen=True)
class Line:
    """One row of the Scenarios sheet."""

    scenario: str
    sheet: str  # contract sheet name
    row: str  # as typed ("*" for every row)
    column: str  # as typed ("*" for every period on the target sheets)
    change: str  # set | scale | add
    value: object  # the typed value (None: blank), a float for scale and add
    at: int  # row number on the Scenarios sheet
    cells: dict = field(default_factory=dict)  # column -> "Scenarios!B4"
    note: str = ""

    @property
    def cell(self) -> str:
        """The Scenarios cell a changed value names: the value cell (the change cell when
        the value is blank)."""
        return self.cells.get("value") or self.cells.get("change") or f"Scenarios!A{self.at}"


@dataclass
class Scenario:
    name: str
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- parsing
def number_of(value: object):
    """A float for a numeric cell or numeric text, else None."""
    if isinstance(value, bool) or value is None or value is UNREADABLE:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return float(value)
    return None


def parse_scenarios(raw: RawWorkbook, out: Collector | None = None) -> dict[str, Scenario]:
    """The scenarios of the raw workbook in order of first appearance (lower-case name ->
    Scenario). Problems of the lines' own cells are recorded in ``out``."""
    from .fields import convert

    out = out or Collector()
    table = raw.tables.get("Scenarios")
    scenarios: dict[str, Scenario] = {}
    if table is None or table.skipped:
        return scenarios
    sheet = table.sheet
    for rec in table.records:
        vals: dict = {}
        cells: dict = {}
        ok = True
        for col in sheet.columns:
            rv = rec.values.get(col.name)
            if rv is None:
                if col.required:
                    ok = False  # reported by the workbook's validation (type_rows)
                continue
            cells[col.name] = rv.cell
            if col.name == "value":
                vals["value"] = rv.value
                continue
            typed = convert(col, rv, out)
            if typed is UNREADABLE:
                ok = False
            vals[col.name] = typed
        if not ok:
            continue
        name = vals["scenario"]
        if name.lower() == BASE:
            out.error(cells["scenario"], f"'{name}' is reserved for the workbook as it is",
                      "give the scenario another name")
            continue
        where = _sheet_of(vals["sheet"], cells["sheet"], out)
        if where is None:
            continue
        column = _column_of(where, vals["column"], cells["column"], out)
        if column is None:
            continue
        value = vals.get("value")
        if value is UNREADABLE:
            continue
        if isinstance(value, str) and number_of(value) is not None:
            value = number_of(value)
        elif isinstance(value, str) and not value.strip():
            value = None
        if vals["change"] in ("scale", "add"):
            number = number_of(value)
            if number is None:
                shown = "blank" if value is None else f"'{cell_text(value)}'"
                out.error(cells.get("value") or cells["change"], f"{vals['change']} needs a "
                          f"number in value, but it is {shown}",
                          "type a factor (scale: 0.8 = 20 % less) or an amount (add)")
                continue
            value = number
        line = Line(name, where.name, vals["row"], column, vals["change"], value, rec.row,
                    cells, vals.get("note") or "")
        scenario = scenarios.setdefault(name.lower(), Scenario(name))
        scenario.lines.append(line)
        if vals.get("note"):
            scenario.notes.append(vals["note"])
    return scenarios


def _sheet_of(name: str, cell: str, out: Collector) -> schema.Sheet | None:
    found = schema.find_sheet(name)
    if found is None or found.name not in SCENARIO_SHEETS:
        why = "is not an input sheet a scenario can change" if found else "is not a sheet " \
            "of the workbook contract"
        hint = did_you_mean(name, SCENARIO_SHEETS)
        out.error(cell, f"sheet '{name}' {why}", f"{hint + ' ' if hint else ''}use one of "
                  + ", ".join(SCENARIO_SHEETS))
        return None
    return found


def _column_of(sheet: schema.Sheet, name: str, cell: str, out: Collector) -> str | None:
    """The contract column a line changes ("value" on Settings; a period label or * on
    the target sheets, checked when applied); None after reporting a problem."""
    key = name.strip().lower()
    if sheet.layout == "settings":
        if key == "value":
            return "value"
        out.error(cell, f"column '{name}' is not right for Settings", "type value (the "
                  "row names the setting)")
        return None
    if sheet.layout == "wide":
        return name.strip()
    names = {c.name.lower(): c for c in sheet.columns}
    col = names.get(key)
    if col is None:
        hint = did_you_mean(name, sheet.column_names)
        out.error(cell, f"column '{name}' is not a column of the {sheet.name} sheet",
                  f"{hint + ' ' if hint else ''}use one of " + ", ".join(
                      c for c in sheet.column_names if c not in ROW_KEYS[sheet.name]))
        return None
    if col.name in ROW_KEYS[sheet.name]:
        out.error(cell, f"column '{col.name}' identifies the row, so a scenario cannot change "
                  "it (every reference to the row would break)", "change another column, or "
                  "make the change in a copy of the workbook")
        return None
    return col.name


# --------------------------------------------------------------------------- rows
def row_key(table: RawTable, rec: RawRecord) -> tuple[str, ...]:
    """The lower-case identifier tuple of a raw record ("" for a blank key cell)."""
    return tuple(norm(rec.values[c].value) if c in rec.values else ""
                 for c in ROW_KEYS[table.name])


def wanted_key(sheet: str, text: str) -> tuple[str, ...]:
    """What a typed ``row`` means as an identifier tuple ("PilotBasic @ Home")."""
    keys = ROW_KEYS[sheet]
    parts = [p.strip().lower() for p in str(text).split("@")] if len(keys) > 1 \
        else [str(text).strip().lower()]
    return tuple(parts)


def row_words(sheet: str) -> str:
    keys = ROW_KEYS[sheet]
    return " @ ".join(keys)


def match_rows(table: RawTable, line_row: str, cell: str, out: Collector,
               what: str = "") -> list[RawRecord] | None:
    """The records a ``row`` cell names (every record for ``*``), or None after reporting
    a problem (no row, or more than one)."""
    if str(line_row).strip() == "*":
        return list(table.records)
    want = wanted_key(table.name, line_row)
    keys = ROW_KEYS[table.name]
    if len(want) != len(keys):
        out.error(cell, f"{what}row '{line_row}' does not name a {table.name} row",
                  f"write it as {row_words(table.name)} (for example "
                  f"{' @ '.join(k.upper() for k in keys)})")
        return None
    hits = [r for r in table.records if row_key(table, r) == want]
    if len(hits) > 1:
        out.error(cell, f"{what}row '{line_row}' matches {len(hits)} rows of {table.name} "
                  f"(rows {', '.join(str(r.row) for r in hits[:5])})", "keep one row per "
                  f"{row_words(table.name)} there, or change each row in a copy of the "
                  "workbook")
        return None
    if not hits:
        return []
    return hits


def known_names(raw: RawWorkbook, sheet: str) -> dict[str, str]:
    """Names that count as a row of blanks on Settings, Targets and EquipmentTargets."""
    where = ROWS_OF_BLANKS[sheet]
    if where is None:
        return {s.key: s.key for s in schema.SETTINGS}
    table = raw.tables.get(where[0])
    if table is None:
        return {}
    return {norm(r.values[where[1]].value): cell_text(r.values[where[1]].value)
            for r in table.records if where[1] in r.values}


# --------------------------------------------------------------------------- applying
class _Applier:
    """Copy-on-write application of one scenario's lines to a raw workbook."""

    def __init__(self, raw: RawWorkbook, scenario: Scenario) -> None:
        self.base = raw
        self.scenario = scenario
        self.tables = {k: v for k, v in raw.tables.items() if k != "Scenarios"}
        self.copied: set[str] = set()
        self.out = Collector()
        #: (sheet, row number) -> the Scenarios cells that changed a value in that row
        self.touched: dict[tuple[str, int], list[str]] = {}
        self.what = f"scenario '{scenario.name}': "

    def table(self, name: str) -> RawTable:
        if name not in self.copied:
            old = self.tables[name]
            self.tables[name] = dataclasses.replace(
                old, columns=dict(old.columns), wide_headers=list(old.wide_headers),
                records=[RawRecord(r.row, dict(r.values), dict(r.wide)) for r in old.records])
            self.copied.add(name)
        return self.tables[name]

    def run(self) -> RawWorkbook:
        for line in self.scenario.lines:
            self.apply(line)
        return dataclasses.replace(self.base, tables=self.tables, problems=list(
            self.base.problems), warnings=list(self.base.warnings))

    def apply(self, line: Line) -> None:
        rcell = line.cells.get("row", line.cell)
        if line.sheet not in self.tables or self.tables[line.sheet].skipped:
            self.out.error(line.cells.get("sheet", rcell), f"{self.what}the workbook has no "
                           f"usable {line.sheet} sheet to change", f"add a {line.sheet} sheet, "
                           "or delete this line")
            return
        table = self.table(line.sheet)
        keys = ROW_KEYS[line.sheet]
        if any(k not in table.columns for k in keys):
            return  # the sheet's missing key column is a problem of the workbook itself
        records = match_rows(table, line.row, rcell, self.out, self.what)
        if records is None:
            return
        if not records and str(line.row).strip() != "*":
            records = self._row_of_blanks(table, line, rcell)
            if records is None:
                return
        for column, label in self._columns(table, line):
            for rec in records:
                self.change(table, rec, column, label, line)

    def _row_of_blanks(self, table: RawTable, line: Line, rcell: str):
        names = known_names(self.base, line.sheet) if line.sheet in ROWS_OF_BLANKS else {}
        want = wanted_key(line.sheet, line.row)[0]
        if want not in names:
            noun = " @ ".join(ROW_KEYS[line.sheet])
            listed = [cell_text(r.values[ROW_KEYS[line.sheet][0]].value) for r in table.records
                      if ROW_KEYS[line.sheet][0] in r.values]
            hint = did_you_mean(line.row, list(names.values()) or listed)
            self.out.error(rcell, f"{self.what}row '{line.row}' matches no {noun} on the "
                           f"{line.sheet} sheet", f"{hint + ' ' if hint else ''}type a "
                           f"{noun} listed there, or * for every row")
            return None
        key = ROW_KEYS[line.sheet][0]
        at = max([r.row for r in table.records] + [1]) + 1
        rec = RawRecord(at, {key: RawValue(names[want], f"{line.sheet}!"
                                           f"{col_letter(table.columns[key])}{at} "
                                           f"(added by {rcell})")})
        table.records.append(rec)
        return [rec]

    def _columns(self, table: RawTable, line: Line) -> list[tuple[str, str]]:
        """(column, address column) pairs: the contract column, or on a target sheet the
        period header as spelled there."""
        if table.sheet.layout != "wide":
            if line.column not in table.columns:
                # an optional column absent altogether: the next column to the right
                table.columns[line.column] = max(
                    list(table.columns.values()) + [j for _t, j in table.wide_headers]
                    + [j for _t, j in table.unknown_headers] + [0]) + 1
            return [(line.column, line.column)]
        periods = known_periods(self.base)
        headers = {h.lower(): h for h, _j in table.wide_headers}
        ccell = line.cells.get("column", line.cell)
        if line.column == "*":
            return [(headers[p], headers[p]) for p in periods if p in headers]
        key = line.column.lower()
        if key not in periods:
            hint = did_you_mean(line.column, list(periods.values()))
            self.out.error(ccell, f"{self.what}column '{line.column}' is not a period on the "
                           "Periods sheet", f"{hint + ' ' if hint else ''}type a period label, "
                           "or * for every period")
            return []
        if key not in headers:
            self.out.error(ccell, f"{self.what}the {table.name} sheet has no column for period "
                           f"'{line.column}'", f"add a column headed {periods[key]} there")
            return []
        return [(headers[key], headers[key])]

    def change(self, table: RawTable, rec: RawRecord, column: str, label: str,
               line: Line) -> None:
        wide = table.sheet.layout == "wide"
        values = rec.wide if wide else rec.values
        old = values.get(column)
        if wide:
            j = dict(table.wide_headers)[column]
        else:
            j = table.columns[column]
        address = old.cell.split(" (", 1)[0] if old is not None \
            else f"{table.name}!{col_letter(j)}{rec.row}"
        by = f"{address} (set by {line.cell})"
        lines = self.touched.setdefault((table.name, rec.row), [])
        if line.cell not in lines:
            lines.append(line.cell)
        if line.change == "set":
            if line.value is None:
                values.pop(column, None)
            else:
                values[column] = RawValue(line.value, by)
            return
        if old is None or is_blank(old.value):
            self.out.warn(line.cell, f"{self.what}{address} is blank, so {line.change} leaves "
                          "it blank (a blank that means no limit stays no limit)",
                          "use set to give it a value")
            return
        if old.value is UNREADABLE:
            return  # its own problem is reported by the workbook's validation
        number = number_of(old.value)
        if number is None:
            self.out.error(line.cell, f"{self.what}{address} holds {cell_text(old.value)!r}, "
                           f"not a number, so it cannot {line.change}",
                           "use set, or point the line at a numeric cell")
            return
        new = number * line.value if line.change == "scale" else number + line.value
        values[column] = RawValue(new, by)


def known_periods(raw: RawWorkbook) -> dict[str, str]:
    """Period labels of the raw Periods sheet: lower case -> as typed."""
    table = raw.tables.get("Periods")
    if table is None:
        return {}
    return {norm(r.values["period"].value): cell_text(r.values["period"].value)
            for r in table.records if "period" in r.values}


def apply(raw: RawWorkbook, scenario: Scenario) -> tuple[RawWorkbook, list[Problem],
                                                          list[Problem]]:
    """The scenario's raw workbook (no Scenarios sheet), its line problems, warnings."""
    applied, applier = _applied(raw, scenario)
    return applied, applier.out.problems, applier.out.warnings


def _applied(raw: RawWorkbook, scenario: Scenario):
    applier = _Applier(raw, scenario)
    return applier.run(), applier


_CELL = re.compile(r"([A-Za-z]+)![A-Z]+(\d+)$")


def _naming_lines(problems, touched: dict) -> list[Problem]:
    """Problems at an unchanged cell of a row the scenario changed also name the lines
    (min_starts above a max_starts the scenario lowered)."""
    out = []
    for p in problems:
        m = _CELL.match(p.where)
        lines = touched.get((m.group(1), int(m.group(2)))) if m else None
        if lines:
            p = dataclasses.replace(p, where=f"{p.where} (row changed by {', '.join(lines)})")
        out.append(p)
    return out


def check_scenarios(raw: RawWorkbook, out: Collector) -> None:
    """Problems of the Scenarios sheet's lines, each naming its Scenarios cell: the line's
    own cells, and whether each line finds its rows and columns (a dry run of every
    scenario; whether the scenario's workbook is valid is checked by ``scenario_plan``)."""
    if raw.tables.get("Scenarios") is None:
        return
    if "Scenarios" in raw.tables and not raw.tables["Scenarios"].skipped \
            and "scenario" not in raw.tables["Scenarios"].columns:
        return  # the missing column is reported by the validation of columns
    local = Collector()
    for scenario in parse_scenarios(raw, local).values():
        _applied, problems, _warnings = apply(raw, scenario)
        local.problems += problems
    for p in local.problems:
        if p not in out.problems:
            out.problems.append(p)


def scenario_plan(raw: RawWorkbook, scenario: Scenario, source_file: str):
    """The scenario's Inputs; InputError listing its problems (each naming the Scenarios
    cell that caused it) when the scenario's workbook is invalid."""
    from .validate import build_inputs

    applied, applier = _applied(raw, scenario)
    problems, warnings = applier.out.problems, applier.out.warnings
    if problems:
        raise InputError(problems, warnings)
    try:
        inputs = build_inputs(applied, source_file, raw.sha256)
    except InputError as err:
        raise InputError(_naming_lines(err.problems, applier.touched),
                         warnings + err.warnings) from None
    own = tuple(str(w) for w in warnings)
    return dataclasses.replace(inputs, warnings=own + inputs.warnings)
