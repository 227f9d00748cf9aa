"""Check a raw workbook against the contract and build the typed :class:`Inputs`.

``build_inputs(raw, source_file, sha256)`` runs every ``check_*`` step, collecting ALL
problems (each ``Sheet!Cell: what is wrong — how to fix it``), then raises one
:class:`InputError` if there is any; otherwise it returns the ``Inputs``. The rules come from
``schema`` (kinds, blanks, defaults, ranges, references, keys); the cross-sheet rules
of WORKBOOK.md are the ``check_*`` methods of ``rules.CrossSheetRules``.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import typed as data
from ..contract import schema
from ..errors import InputError, Problem
from . import fields
from .fields import INVALID, Collector
from .read import RawTable, RawWorkbook, clip, did_you_mean, suggest
from .rules import CrossSheetRules

#: record class and the field each column fills when its name differs
RECORDS = {
    "Periods": data.Period, "Categories": data.Category, "Courses": data.Course,
    "Sites": data.Site, "CourseSites": data.CourseSite, "Pipeline": data.PipelineClass,
    "Equipment": data.Equipment, "EquipmentSources": data.Source,
    "Objectives": data.ObjectiveTerm,
}
FIELD_NAMES = {"from": "from_category", "to": "to_category", "yield": "yield_"}
_WHERE = re.compile(r"([^!]*)!?([A-Z]*)(\d*)$")


@dataclass
class Row:
    sheet: str
    row: int
    vals: dict = field(default_factory=dict)  # column -> typed value, or INVALID
    cells: dict = field(default_factory=dict)  # column -> "Sheet!Cell" (non-blank cells)
    wide: dict = field(default_factory=dict)  # wide sheets: header -> RawValue

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.row}"

    def ok(self, *cols: str) -> bool:
        """Every named column holds a usable (non-blank, valid) value."""
        return all(self.vals.get(c) is not None and self.vals.get(c) is not INVALID
                   for c in cols)


def build_inputs(raw: RawWorkbook, source_file: str, sha256: str) -> data.Inputs:
    """The typed inputs of a valid workbook; InputError listing every problem otherwise."""
    v = Validator(raw, source_file)
    v.run()
    warnings = _sorted(v.out.warnings)
    if v.out.problems:
        raise InputError(_sorted(v.out.problems), warnings, more=v.out.problems.more)
    return v.inputs(sha256, tuple(str(w) for w in warnings))


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _sorted(problems: list[Problem]) -> list[Problem]:
    order = {s.name: i for i, s in enumerate(schema.SHEETS)}

    def key(p: Problem):
        m = _WHERE.match(p.where)
        sheet, letters, row = m.groups() if m else (p.where, "", "")
        col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(letters)))
        return (p.where != "", order.get(sheet, len(order)), sheet, int(row or 0), col)

    return sorted(problems, key=key)


class Validator(CrossSheetRules):
    def __init__(self, raw: RawWorkbook, source_file: str) -> None:
        self.raw = raw
        self.source_file = str(source_file)
        self.out = Collector()
        self.out.problems += raw.problems
        self.out.warnings += raw.warnings
        self.rows: dict[str, list[Row]] = {}
        #: sheet -> lower-case id -> defining spelling (first row wins)
        self.ids: dict[str, dict[str, str]] = {}
        self.id_rows: dict[str, dict[str, Row]] = {}
        self.settings: dict[str, object] = {}
        self.settings_cells: dict[str, str] = {}
        self.targets: dict[str, list[data.Target]] = {"Targets": [], "EquipmentTargets": []}

    @property
    def tables(self) -> dict[str, RawTable]:
        return self.raw.tables

    def run(self) -> None:
        self.check_sheets()
        self.check_columns()
        self.type_rows()
        self.check_ids()
        self.check_refs()
        self.check_keys()
        self.check_requires()
        self.check_courses()
        self.check_windows()
        self.check_settings()
        self.check_wide()
        self.check_gaps()
        self.check_sites()
        self.check_objectives()
        self.check_what_ifs()

    # ------------------------------------------------------------------ sheets, columns
    def check_sheets(self) -> None:
        for sheet in schema.SHEETS:
            if sheet.required and sheet.name not in self.tables:
                near = suggest(sheet.name, self.raw.unknown_sheets)
                fix = f"add a sheet named {sheet.name} (force-plan template writes one)"
                if near is not None:
                    fix = f"did you mean the sheet '{near.strip()}'? Rename it to {sheet.name}"
                self.out.error(sheet.name, "this required sheet is missing", fix)

    def check_columns(self) -> None:
        for table in self.tables.values():
            if table.skipped:
                continue  # unreadable as a table: its one problem is reported
            for col in table.sheet.columns:
                if col.name in table.columns or not col.required:
                    continue
                near = [(t, j) for t, j in table.unknown_headers + table.wide_headers
                        if did_you_mean(t, [col.name], 0.75)]
                if near:
                    text, j = near[0]
                    cell = table.header_cell(j)  # an error now, no longer a mere warning
                    self.out.warnings[:] = [w for w in self.out.warnings if w.where != cell]
                    self.out.error(table.header_cell(j), f"the required column '{col.name}' "
                                   f"is missing; this header reads '{clip(text)}'",
                                   f"did you mean '{col.name}'? Rename the header to "
                                   f"{col.name}")
                else:
                    self.out.error(table.name, f"the required column '{col.name}' is missing",
                                   f"add a column headed {col.name} in row 1 "
                                   f"({col.meaning})")

    def type_rows(self) -> None:
        for table in self.tables.values():
            if table.sheet.layout == "settings":
                continue
            rows = self.rows.setdefault(table.name, [])
            for rec in table.records:
                row = Row(table.name, rec.row, wide=rec.wide)
                for col in table.sheet.columns:
                    rv = rec.values.get(col.name)
                    if rv is None:
                        if col.required and col.name in table.columns:
                            self.out.error(table.cell(col.name, rec.row), f"{col.name} is "
                                           "blank", f"type the {col.meaning} (it is required)")
                            row.vals[col.name] = INVALID
                        continue
                    row.cells[col.name] = rv.cell
                    row.vals[col.name] = fields.convert(col, rv, self.out)
                rows.append(row)

    # ------------------------------------------------------------------ identifiers
    def check_ids(self) -> None:
        for sheet in schema.SHEETS:
            ids = [c.name for c in sheet.columns if c.kind == "id"]
            if not ids or sheet.name not in self.tables:
                continue
            col = ids[0]
            index, first = self.ids.setdefault(sheet.name, {}), self.id_rows.setdefault(
                sheet.name, {})
            for row in self.rows.get(sheet.name, []):
                if not row.ok(col):
                    continue
                name = row.vals[col]
                if sheet.name == "Categories" and name.lower() == schema.RECRUIT.lower():
                    self.out.error(row.cells[col], f"'{name}' is reserved: RECRUIT means new "
                                   "entrants and cannot name a category",
                                   "give the category another name")
                    row.vals[col] = INVALID
                    continue
                if name.lower() in index:
                    other = first[name.lower()]
                    same = "" if index[name.lower()] == name else (
                        f" as '{index[name.lower()]}' (letter case is ignored)")
                    self.out.error(row.cells[col], f"{col} '{name}' is defined twice; it is "
                                   f"already at {other.cells[col]}{same}",
                                   "keep one row per name, or rename one of them")
                    row.vals[col] = INVALID
                    continue
                index[name.lower()] = name
                first[name.lower()] = row
        if "Periods" in self.tables and not self.ids.get("Periods") \
                and "period" in self.tables["Periods"].columns:
            self.out.error("Periods", "the Periods sheet has no periods",
                           "add one row per period, in time order, with a label in "
                           "the period column")
        if "Categories" in self.tables and not self.ids.get("Categories") \
                and "category" in self.tables["Categories"].columns:
            self.out.error("Categories", "the Categories sheet has no categories",
                           "add one row per personnel category")

    def period_index(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.ids.get("Periods", {}))}

    def check_refs(self) -> None:
        periods = self.period_index()
        for table in self.tables.values():
            missing_reported = set()
            for col in table.sheet.columns:
                if col.kind not in ("ref", "period"):
                    continue
                if col.ref not in self.tables:
                    if schema.sheet(col.ref).required or col.ref in missing_reported:
                        continue  # a missing required sheet is reported on its own
                    missing_reported.add(col.ref)
                    if any(col.name in r.vals for r in self.rows.get(table.name, [])):
                        self.out.error(table.name, f"the {table.name} sheet refers to "
                                       f"{col.ref}, but the workbook has no {col.ref} sheet",
                                       f"add {_a(col.ref)} {col.ref} sheet, or delete the "
                                       f"{table.name} sheet")
                    continue
                if self._unusable(col.ref):
                    continue  # its own problem says why; every reference would fail too
                for row in self.rows.get(table.name, []):
                    if row.ok(col.name):
                        row.vals[col.name] = self._resolve(col, row, periods)

    def _unusable(self, name: str) -> bool:
        """The sheet's identifiers cannot be known (reported already)."""
        id_col = [c.name for c in schema.sheet(name).columns if c.kind == "id"][0]
        if id_col not in self.tables[name].columns:
            return True
        return name in ("Periods", "Categories") and not self.ids.get(name)

    def _resolve(self, col: schema.Column, row: Row, periods: dict[str, int]):
        value, cell = row.vals[col.name], row.cells[col.name]
        key = value.lower()
        if key == schema.RECRUIT.lower():
            if col.allow_recruit:
                return schema.RECRUIT
            if col.name == "to":
                self.out.error(cell, "to is RECRUIT, but graduates must join a category",
                               "type the category the course's graduates join")
                return INVALID
        index = self.ids.get(col.ref, {})
        if key in index:
            return periods[key] if col.kind == "period" else index[key]
        noun = [c.name for c in schema.sheet(col.ref).columns if c.kind == "id"][0]
        hint = did_you_mean(value, list(index.values()))
        use = f"use {_a(noun)} {noun} listed on the {col.ref} sheet (letter case does not matter)"
        self.out.error(cell, f"{col.name} '{clip(value)}' is not {_a(noun)} {noun} on the {col.ref} "
                       "sheet", f"{hint} {use[0].upper()}{use[1:]}" if hint else use)
        return INVALID

    def check_keys(self) -> None:
        for sheet in schema.SHEETS:
            if sheet.layout == "settings" or not sheet.key or sheet.name not in self.tables:
                continue
            if any(c.kind == "id" for c in sheet.columns if c.name in sheet.key):
                continue  # identifiers: check_ids
            seen: dict[tuple, Row] = {}
            for row in self.rows.get(sheet.name, []):
                if not row.ok(*sheet.key):
                    continue
                key = tuple(str(row.vals[c]).lower() for c in sheet.key)
                if key in seen:
                    shown = ", ".join(f"{c} '{row.vals[c]}'" for c in sheet.key)
                    self.out.error(row.cells[sheet.key[0]], f"a second row for {shown}; the "
                                   f"first is row {seen[key].row}", "keep one row per "
                                   f"{' and '.join(sheet.key)} (letter case is ignored)")
                    row.vals[sheet.key[0]] = INVALID
                else:
                    seen[key] = row

    # ------------------------------------------------------------------ row rules
    def check_requires(self) -> None:
        for table in self.tables.values():
            for col in table.sheet.columns:
                if not col.requires:
                    continue
                for row in self.rows.get(table.name, []):
                    has_req = row.vals.get(col.requires) is not None
                    if has_req and col.name not in row.vals:
                        cell = (table.cell(col.name, row.row) if col.name in table.columns
                                else row.cells[col.requires])
                        self.out.error(cell, f"{col.name} is blank, but {col.requires} is set",
                                       f"type the {col.meaning}, or clear {col.requires}")
                    elif not has_req and row.ok(col.name):
                        self.out.warn(row.cells[col.name], f"{col.name} is ignored because "
                                      f"{col.requires} is blank",
                                      f"set {col.requires} or clear this cell")

    def inputs(self, sha256: str, warnings: tuple[str, ...]) -> data.Inputs:
        built = {name: tuple(self._record(name, row) for row in self.rows.get(name, []))
                 for name in RECORDS if name in self.tables}
        objectives = built.get("Objectives") or tuple(
            data.ObjectiveTerm(level=lvl, term=term) for lvl, term in schema.DEFAULT_OBJECTIVES)
        return data.Inputs(
            settings=self._settings(),
            periods=built["Periods"],
            categories=built["Categories"],
            targets=tuple(self.targets["Targets"]),
            courses=built["Courses"],
            sites=built.get("Sites"),
            course_sites=built.get("CourseSites"),
            pipeline=built.get("Pipeline", ()),
            equipment=built.get("Equipment", ()),
            equipment_targets=tuple(self.targets["EquipmentTargets"]),
            sources=built.get("EquipmentSources", ()),
            objectives=objectives,
            source_file=self.source_file,
            source_sha256=sha256,
            warnings=warnings,
        )

    def _record(self, name: str, row: Row):
        cls = RECORDS[name]
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs: dict = {}
        for col in schema.sheet(name).columns:
            target = FIELD_NAMES.get(col.name, col.name)
            if col.kind == "id":
                target = "label" if name == "Periods" else "name"
            value = row.vals.get(col.name)
            if value is None:
                if col.blank != "default" or not isinstance(col.default, (int, float, str)) \
                        or col.default == "from priority":
                    continue
                value = col.default
                if col.kind == "number":
                    value = float(value)
                elif col.kind == "yesno":
                    value = str(value).lower() in fields.YES
            if col.name == "from" and value == schema.RECRUIT:
                value = None
            kwargs[target] = value
        if "shortfall_weight" in names and "shortfall_weight" not in kwargs:
            kwargs["shortfall_weight"] = data.shortfall_weight_from_priority(kwargs["priority"])
        kwargs["row"] = row.where
        if "cells" in names:
            kwargs["cells"] = dict(row.cells)
        return cls(**{k: v for k, v in kwargs.items() if k in names})

    def _settings(self) -> data.Settings:
        kwargs = {"plan_name": Path(self.source_file).stem}
        for spec in schema.SETTINGS:
            if spec.key in self.settings:
                value = self.settings[spec.key]
            elif spec.key == "plan_name" or spec.blank in ("no limit", "computed") \
                    or spec.default is None:
                continue
            else:
                value = spec.default
            if spec.kind == "yesno" and isinstance(value, str):
                value = value.lower() in fields.YES
            if spec.kind == "number" and value is not None:
                value = float(value)
            kwargs[spec.key] = value
        return data.Settings(cells=dict(self.settings_cells), **kwargs)
