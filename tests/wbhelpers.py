"""Build small input workbooks for tests: a valid one, then mutate a cell and write it.

    sheets = valid_sheets()                 # {sheet name: [header row, data rows...]}
    put(sheets, "Categories!E3", "ten")      # change one cell by its address
    path = write_workbook(tmp_path / "x.xlsx", sheets)
    code, out = run_validate(path)

The numbers are illustrative only; they describe no real force.
"""
from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string

#: a value wrapped as Percent(0.08) is written as 0.08 with a 0% number format
class Percent(float):
    pass


VALID = {
    "Settings": [
        ["setting", "value"],
        ["plan_name", "Test plan"],
        ["period_months", 12],
        ["force_cap", 500],
        ["integer", "no"],
    ],
    "Periods": [
        ["period", "recruits_available", "budget"],
        [2026, 100, None],
        [2027, 100, 900],
        [2028, None, 900],
    ],
    "Categories": [
        ["category", "weapons_category", "priority", "initial_strength", "attrition_rate",
         "cost_per_person_year", "shortfall_weight"],
        ["Pilot", "Aviation", 1, 40, Percent(0.08), 0.2, None],
        ["Mechanic", None, 2, 80, 0.05, 0.1, None],
        ["Instructor", "Aviation", 1, 10, 0.1, 0.25, 3],
    ],
    "Targets": [
        ["category", 2026, 2027, 2028],
        ["pilot", 50, 60, None],
        ["Mechanic", 90, 0, 100],
    ],
    "Courses": [
        ["course", "from", "to", "duration_months", "yield", "cost_per_start",
         "max_starts_per_period", "min_starts_per_period", "instructor_category",
         "starts_per_instructor"],
        ["PilotBasic", "RECRUIT", "PILOT", 12, 0.8, 1.5, 30, None, "instructor", 3],
        ["MechBasic", "recruit", "Mechanic", 6, None, 0.5, None, 2, None, None],
        ["InstructorConv", "Pilot", "Instructor", 3, 1, 0.3, 5, None, None, None],
    ],
    "Sites": [
        ["site", "provider", "seats", "available_from", "available_until"],
        ["Home", "domestic", 60, None, None],
        ["Partner", "Partner programme", 20, 2027, 2028],
    ],
    "CourseSites": [
        ["course", "site", "max_starts_per_period", "cost_per_start"],
        ["PilotBasic", "Home", 20, None],
        ["PilotBasic", "partner", None, 2.5],
        ["MechBasic", "Home", None, None],
        ["InstructorConv", "Home", None, None],
    ],
    "Pipeline": [
        ["course", "period", "graduates"],
        ["PilotBasic", 2026, 10],
    ],
    "Equipment": [
        ["equipment", "weapons_category", "priority", "crew_category", "crew_per_system",
         "initial_inventory", "loss_rate", "availability"],
        ["Jet", "Aviation", 1, "Pilot", 1.5, 20, 0.05, 0.8],
    ],
    "EquipmentTargets": [
        ["equipment", 2026, 2027, 2028],
        ["jet", 16, 18, 20],
    ],
    "EquipmentSources": [
        ["source", "equipment", "unit_cost", "lead_time_months", "max_per_period",
         "available_from", "available_until"],
        ["Factory", "Jet", 30, 24, 4, 2026, 2027],
    ],
    "Objectives": [
        ["level", "term", "priority", "weight"],
        [1, "shortfall", None, None],
        [1, "equipment_shortfall", None, 0.5],
        [2, "cost", None, None],
    ],
}


def valid_sheets() -> dict[str, list[list]]:
    """A fresh deep copy of the valid example (safe to mutate)."""
    return copy.deepcopy(VALID)


def put(sheets: dict, address: str, value) -> None:
    """Set ``Sheet!B3`` to ``value`` (rows and columns grow as needed)."""
    sheet, ref = address.split("!")
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    col, row = column_index_from_string(m.group(1)), int(m.group(2))
    rows = sheets[sheet]
    while len(rows) < row:
        rows.append([])
    r = rows[row - 1]
    while len(r) < col:
        r.append(None)
    r[col - 1] = value


def drop_column(sheets: dict, sheet: str, header: str) -> None:
    j = sheets[sheet][0].index(header)
    for r in sheets[sheet]:
        if len(r) > j:
            del r[j]


def write_workbook(path, sheets: dict) -> Path:
    """Write ``sheets`` with openpyxl (strings starting with '=' become formulas)."""
    path = Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, Percent):
                    cell.value = float(value)
                    cell.number_format = "0%"
    wb.save(path)
    return path


def sheet_part(path, sheet: str) -> str:
    """The zip member holding ``sheet`` (openpyxl writes sheets in order)."""
    with zipfile.ZipFile(path) as zf:
        names = openpyxl.load_workbook(path, read_only=True).sheetnames
        part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
        assert part in zf.namelist()
    return part


def patch_part(path, part: str, old: bytes, new: bytes) -> None:
    """Replace bytes inside one zip member (to craft what openpyxl cannot write)."""
    path = Path(path)
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == part:
                # openpyxl writes an empty element as <v /> (et_xmlfile) or <v></v> (lxml)
                data = re.sub(rb"<(\w+)></\1>", rb"<\1 />", data)
                assert old in data, (old, data[:2000])
                data = data.replace(old, new)
            zf.writestr(info, data)


def run_validate(path) -> tuple[int, str]:
    """``force-plan validate PATH`` through click: (exit code, stdout+stderr)."""
    from click.testing import CliRunner

    from force_plan.cli import main

    result = CliRunner().invoke(main, ["validate", str(path)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output
