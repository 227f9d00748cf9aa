"""The cross-sheet rules of WORKBOOK.md (courses, windows, settings, wide sheets, sites,
objectives, what-if sheets), checked on rows already typed by ``validate.Validator``,
which runs them; each adds its problems to ``self.out`` (Sheet!Cell, what, how to fix).
"""
from __future__ import annotations

from ..contract import schema
from . import fields
from . import typed as data
from .fields import INVALID
from .read import RawValue, clip, did_you_mean


def _between_adjacent(headers: list, n: int, periods: dict) -> bool:
    """The n-th wide header sits between two headers that are consecutive periods (so a
    period row was deleted, not a column added)."""
    if n == 0 or n + 1 >= len(headers):
        return False
    a, b = (periods.get(headers[m][0].lower()) for m in (n - 1, n + 1))
    return a is not None and b is not None and b == a + 1


class CrossSheetRules:
    """Mixed into ``validate.Validator`` (which holds ``rows``, ``raw``, ``out``)."""

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
            headers = table.wide_headers
            for n, (text, j) in enumerate(headers):
                if text.lower() in periods:
                    column_period[text] = periods[text.lower()]
                elif labels and _between_adjacent(headers, n, periods):
                    before, after = headers[n - 1][0], headers[n + 1][0]
                    self.out.error(table.header_cell(j), f"period '{clip(text)}' heads a column "
                                   f"here but is missing from the Periods sheet (between "
                                   f"{before} and {after} there)", f"add a row for "
                                   f"{clip(text)} on the Periods sheet, between {before} and "
                                   f"{after}, or delete this column")
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
            cols = sorted((periods[t.lower()], j) for t, j in headers if t.lower() in periods)
            for row in self.rows.get(name, []):
                filled = [t for t, _j in cols if any(
                    k.lower() == labels[t].lower() for k in row.wide)]
                for t, j in cols:
                    if filled and filled[0] < t < filled[-1] and t not in filled:
                        self._warn_gap(f"{name}!{table.header_cell(j).split('!')[1][:-1]}"
                                       f"{row.row}", "this target", labels, t,
                                       "no requirement")
                for text, rv in row.wide.items():
                    if text not in column_period:
                        continue
                    v = fields.convert(value_col, rv, self.out)
                    if v is not INVALID and row.ok(key):
                        self.targets[name].append(data.Target(
                            row.vals[key], column_period[text], v, rv.cell))

    def check_gaps(self) -> None:
        """A blank Periods cell (recruits, budget, force cap) between filled periods: a
        warning naming the cell (it means no limit there, rarely what was meant)."""
        table, labels = self.tables.get("Periods"), list(self.ids.get("Periods", {}).values())
        if table is None or not labels:
            return
        rows = [r for r in self.rows.get("Periods", []) if r.ok("period")]
        meaning = {"recruits_available": "no limit on recruits", "budget": "no budget limit",
                   "force_cap": "the Settings force cap"}
        for col, means in meaning.items():
            if col not in table.columns:
                continue
            filled = [i for i, r in enumerate(rows) if r.vals.get(col) is not None]
            for i, r in enumerate(rows):
                if filled and filled[0] < i < filled[-1] and r.vals.get(col) is None:
                    self._warn_gap(table.cell(col, r.row), col, labels, i, means)

    def _warn_gap(self, cell: str, what: str, labels: list, t: int, means: str) -> None:
        self.out.warn(cell, f"{what} is blank in {labels[t]}, between filled periods: it "
                      f"means {means} in {labels[t]}", "type the value, or clear the whole "
                      "row or column if that is what you mean")

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

    def check_what_ifs(self) -> None:
        """The Scenarios and Uncertainty sheets' lines (scenarios.py, uncertainty.py); each
        scenario's own workbook is validated by force-plan validate and sweep."""
        from .scenarios import check_scenarios
        from .uncertainty import check_uncertainty

        check_scenarios(self.raw, self.out)
        check_uncertainty(self.raw, self.out)

    # ------------------------------------------------------------------ building
