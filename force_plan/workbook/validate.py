"""Check a raw workbook against the contract and build the typed :class:`PlanData`.

``build_plan(raw, source_file, sha256)`` runs every ``check_*`` step, collecting ALL
problems (each ``Sheet!Cell: what is wrong — how to fix it``), then raises one
:class:`InputError` if there is any; otherwise it returns the plan. The rules come from
``schema`` (kinds, blanks, defaults, ranges, references, keys); the cross-sheet rules
of WORKBOOK.md are the ``check_*`` methods below.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import data, schema
from ..errors import InputError, Problem
from . import fields
from .fields import INVALID, Collector
from .read import RawTable, RawValue, RawWorkbook, clip, did_you_mean, suggest

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


def build_plan(raw: RawWorkbook, source_file: str, sha256: str) -> data.PlanData:
    """The typed plan of a valid workbook; InputError listing every problem otherwise."""
    v = Validator(raw, source_file)
    v.run()
    warnings = _sorted(v.out.warnings)
    if v.out.problems:
        raise InputError(_sorted(v.out.problems), warnings)
    return v.plan(sha256, tuple(str(w) for w in warnings))


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


class Validator:
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
        self.check_sites()
        self.check_objectives()
        self.check_not_yet_supported()

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
                    self.out.warnings = [w for w in self.out.warnings if w.where != cell]
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

    def check_courses(self) -> None:
        for row in self.rows.get("Courses", []):
            if row.ok("from", "to") and row.vals["from"] == row.vals["to"]:
                self.out.error(row.cells["to"], f"the course goes from '{row.vals['from']}' "
                               "to the same category", "a course must lead to another "
                               "category: fix from or to")
            if row.ok("instructor_category") and row.vals.get("trainees_per_instructor") is None \
                    and row.vals.get("starts_per_instructor") is None:
                self.out.error(row.cells["instructor_category"], "instructor_category is set, but "
                               "neither trainees_per_instructor nor starts_per_instructor is",
                               "give trainees_per_instructor (instructors drawn from its "
                               "strength) and/or starts_per_instructor (a limit on starts), or "
                               "clear instructor_category")
            for col in ("trainees_per_instructor", "starts_per_instructor"):
                if row.ok(col) and row.vals.get("instructor_category") is None:
                    self.out.warn(row.cells[col], f"{col} is ignored because "
                                  "instructor_category is blank",
                                  "set instructor_category or clear this cell")
            duration = row.vals.get("duration_months", 0.0)
            if row.ok("trainees_per_instructor") and row.ok("instructor_category") \
                    and duration is not INVALID and not (duration or 0) > 0:
                self.out.warn(row.cells["trainees_per_instructor"], "a 0-month course has no "
                              "trainees present, so trainees_per_instructor draws no "
                              "instructors", "give the course a duration_months, or clear "
                              "this cell")
            lo, hi = row.vals.get("min_starts_per_period"), row.vals.get("max_starts_per_period")
            if row.ok("min_starts_per_period", "max_starts_per_period") and lo > hi:
                self.out.error(row.cells["min_starts_per_period"], f"min_starts_per_period "
                               f"{fields.fmt(lo)} is above max_starts_per_period "
                               f"{fields.fmt(hi)}", "lower the minimum or raise the maximum")

    def check_windows(self) -> None:
        labels = list(self.ids.get("Periods", {}).values())
        for sheet in ("Sites", "EquipmentSources"):
            for row in self.rows.get(sheet, []):
                if row.ok("available_from", "available_until"):
                    a, b = row.vals["available_from"], row.vals["available_until"]
                    if a > b:
                        self.out.error(row.cells["available_from"], f"available_from "
                                       f"{labels[a]} is after available_until {labels[b]}",
                                       "swap them, or fix one of the two periods")

    # ------------------------------------------------------------------ settings
    def check_settings(self) -> None:
        table = self.tables.get("Settings")
        if table is None:
            return
        keys = [s.key for s in schema.SETTINGS]
        seen: dict[str, str] = {}
        for rec in table.records:
            rv = rec.values.get("setting")
            if rv is None:
                if "setting" in table.columns:
                    self.out.error(table.cell("setting", rec.row), "the setting name is blank, "
                                   "but the row has a value", "type the setting's name, or "
                                   "clear the row")
                continue
            key = fields.text(rv, "setting", self.out)
            if key is INVALID:
                continue
            spec = schema.SETTINGS_BY_KEY.get(key.lower())
            retired = schema.RETIRED_SETTINGS.get(key.lower())
            if spec is None and retired is not None:
                self.out.warn(rv.cell, *retired)
                continue
            if spec is None:
                hint = did_you_mean(key, keys)
                known = "known settings: " + ", ".join(keys)
                self.out.error(rv.cell, f"'{key}' is not a known setting",
                               f"{hint} K{known[1:]}" if hint else known)
                continue
            if spec.key in seen:
                self.out.error(rv.cell, f"the setting {spec.key} is given twice (also at "
                               f"{seen[spec.key]})", "keep one row per setting")
                continue
            seen[spec.key] = rv.cell
            val = rec.values.get("value")
            if val is None or "value" not in table.columns:
                continue  # blank: the default
            typed = fields.convert(spec, RawValue(val.value, val.cell), self.out, text_ok=True)
            if typed is not INVALID:
                self.settings[spec.key] = typed
                self.settings_cells[spec.key] = val.cell

    # ------------------------------------------------------------------ wide sheets
    def check_wide(self) -> None:
        periods = self.period_index()
        labels = list(self.ids.get("Periods", {}).values())
        for name in ("Targets", "EquipmentTargets"):
            table = self.tables.get(name)
            key = table.sheet.key[0] if table is not None else ""
            if table is None or key not in table.columns:
                continue  # a missing key column is reported by check_columns
            column_period: dict[str, int] = {}
            for text, j in table.wide_headers:
                if text.lower() in periods:
                    column_period[text] = periods[text.lower()]
                elif labels:
                    hint = did_you_mean(text, labels)
                    fix = ("head each column with a period label from the Periods sheet, or "
                           "delete the column")
                    self.out.error(table.header_cell(j), f"the header '{clip(text)}' is not a period "
                                   "on the Periods sheet",
                                   f"{hint} {fix[0].upper()}{fix[1:]}" if hint else fix)
            if table.records and labels:
                covered = set(column_period.values())
                for i, label in enumerate(labels):
                    if i not in covered:
                        self.out.error(name, f"no column for period '{label}'",
                                       f"add a column headed {label} (one column per period "
                                       "of the Periods sheet)")
            value_col = table.sheet.value
            for row in self.rows.get(name, []):
                for text, rv in row.wide.items():
                    if text not in column_period:
                        continue
                    v = fields.convert(value_col, rv, self.out)
                    if v is not INVALID and row.ok(key):
                        self.targets[name].append(data.Target(
                            row.vals[key], column_period[text], v, rv.cell))

    # ------------------------------------------------------------------ sites, objectives
    def check_sites(self) -> None:
        if "Sites" in self.tables and "CourseSites" not in self.tables:
            self.out.error("Sites", "there is a Sites sheet but no CourseSites sheet",
                           "add a CourseSites sheet saying which site may deliver which "
                           "course, or delete the Sites sheet")
        if "CourseSites" not in self.tables or "Sites" not in self.tables:
            return
        listed = {str(r.vals["course"]).lower() for r in self.rows.get("CourseSites", [])
                  if r.ok("course")}
        bad = {str(r.vals["course"]).lower() for r in self.rows.get("CourseSites", [])
               if r.vals.get("course") is INVALID}
        if bad:
            return  # a mistyped course there may be the missing one; fix that first
        for row in self.rows.get("Courses", []):
            if row.ok("course") and row.vals["course"].lower() not in listed:
                self.out.error(row.cells["course"], f"course '{row.vals['course']}' has no row "
                               "on the CourseSites sheet, so it could never be given",
                               "add a CourseSites row naming a site for it")

    def check_objectives(self) -> None:
        if "Objectives" not in self.tables:
            return
        rows = self.rows.get("Objectives", [])
        if not rows:
            self.out.error("Objectives", "the Objectives sheet has no rows",
                           "add at least one objective, or delete the sheet to use the "
                           "default (shortfall first, then cost)")
        allowances: dict = {}
        for row in rows:
            if row.ok("level", "allowance"):
                lvl, a = row.vals["level"], row.vals["allowance"]
                first = allowances.setdefault(lvl, (a, row))
                if first[0] != a:
                    self.out.error(row.cells["allowance"], f"level {lvl} is given the allowance "
                                   f"{fields.fmt(a)} here and {fields.fmt(first[0])} at "
                                   f"{first[1].cells['allowance']}", "give one allowance per "
                                   "level (or leave all but one of its cells blank)")
            if row.ok("priority", "term") and row.vals["term"] not in schema.PRIORITY_TERMS:
                self.out.error(row.cells["priority"], f"a priority filter is allowed only on "
                               f"the terms {' and '.join(schema.PRIORITY_TERMS)}, not on "
                               f"{row.vals['term']}", "clear this priority cell")

    def check_not_yet_supported(self) -> None:
        """Version-2 sheets this release does not act on yet: refused, never ignored."""
        for name, what in (("Scenarios", "named scenarios (force-plan sweep)"),
                           ("Uncertainty", "uncertainty draws (force-plan risk)")):
            if name in self.tables and self.rows.get(name):
                first = self.rows[name][0]
                self.out.error(f"{name}!A{first.row}", f"this version of force_plan cannot run "
                               f"{what} yet, and will not ignore the {name} sheet",
                               f"move the {name} sheet to another workbook to solve this one")

    # ------------------------------------------------------------------ building
    def plan(self, sha256: str, warnings: tuple[str, ...]) -> data.PlanData:
        built = {name: tuple(self._record(name, row) for row in self.rows.get(name, []))
                 for name in RECORDS if name in self.tables}
        objectives = built.get("Objectives") or tuple(
            data.ObjectiveTerm(level=lvl, term=term) for lvl, term in schema.DEFAULT_OBJECTIVES)
        return data.PlanData(
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
