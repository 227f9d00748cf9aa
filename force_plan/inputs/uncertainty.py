"""The Uncertainty sheet: three-point estimates on a few input cells, for a risk run.

``parse_uncertainty(raw, out)`` reads and checks the lines (WORKBOOK.md, Uncertainty):
only the allowed cells, rows that exist (``*`` for every row), ``low ≤ likely ≤ high``,
one line per cell. Each line keeps the identifier tuples it hits, in lower case, so that
``risk.py`` can find the plan's records; every problem names the Uncertainty cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..contract import schema
from .scenarios import ROW_KEYS, match_rows, row_key
from .fields import Collector, convert, fmt
from .read import UNREADABLE, RawWorkbook, did_you_mean

#: (sheet, column) pairs a line may draw
ALLOWED = (("Categories", "attrition_rate"), ("Courses", "yield"), ("Equipment", "loss_rate"),
           ("Equipment", "availability"), ("Periods", "recruits_available"),
           ("EquipmentSources", "lead_time_months"))


@dataclass(frozen=True)
class UncertainLine:
    sheet: str
    column: str
    keys: tuple  # identifier tuples hit (lower case), in sheet order
    low: float
    likely: float
    high: float
    each_period: bool
    cell: str  # the line's first cell, "Uncertainty!A3"
    cells: dict = field(default_factory=dict)


def parse_uncertainty(raw: RawWorkbook, out: Collector | None = None) -> list[UncertainLine]:
    out = out or Collector()
    table = raw.tables.get("Uncertainty")
    lines: list[UncertainLine] = []
    if table is None or table.skipped:
        return lines
    allowed = ", ".join(f"{s} {c}" for s, c in ALLOWED)
    hit: dict[tuple, str] = {}
    for rec in table.records:
        vals, cells, ok = {}, {}, True
        for col in table.sheet.columns:
            rv = rec.values.get(col.name)
            if rv is None:
                ok = ok and not col.required  # a blank required cell: reported by type_rows
                continue
            cells[col.name] = rv.cell
            vals[col.name] = convert(col, rv, out)
            ok = ok and vals[col.name] is not UNREADABLE
        if not ok:
            continue
        sheet = schema.find_sheet(vals["sheet"])
        column = str(vals["column"]).strip().lower()
        pair = (sheet.name if sheet else vals["sheet"], column)
        if pair not in ALLOWED:
            where = cells["column"] if sheet is not None and sheet.name in dict(ALLOWED) \
                else cells["sheet"]
            hint = did_you_mean(f"{vals['sheet']} {vals['column']}",
                                [f"{s} {c}" for s, c in ALLOWED])
            out.error(where, f"{vals['sheet']} {vals['column']} cannot be uncertain",
                      f"{hint + ' ' if hint else ''}use one of: {allowed}")
            continue
        low, likely, high = vals["low"], vals["likely"], vals["high"]
        if not low <= likely <= high:
            out.error(cells["likely"], f"low {fmt(low)}, likely {fmt(likely)} and high "
                      f"{fmt(high)} are not in order", "give low ≤ likely ≤ high")
            continue
        rtable = raw.tables.get(sheet.name)
        if rtable is None or rtable.skipped or any(k not in rtable.columns
                                                   for k in ROW_KEYS[sheet.name]):
            out.error(cells["sheet"], f"the workbook has no usable {sheet.name} sheet",
                      "delete this line or add the sheet")
            continue
        records = match_rows(rtable, vals["row"], cells["row"], out)
        if records is None:
            continue
        if not records and str(vals["row"]).strip() != "*":
            out.error(cells["row"], f"row '{vals['row']}' matches no row of the {sheet.name} "
                      "sheet", f"type a {' @ '.join(ROW_KEYS[sheet.name])} listed there, "
                      "or * for every row")
            continue
        keys = tuple(row_key(rtable, r) for r in records)
        clash = next((hit[(sheet.name, k, column)] for k in keys
                      if (sheet.name, k, column) in hit), None)
        if clash is not None:
            out.error(cells["row"], f"this line draws a {sheet.name} {column} cell that the "
                      f"line at {clash} draws already", "keep one line per cell (name the "
                      "rows one by one instead of *)")
            continue
        first = f"Uncertainty!A{rec.row}"
        hit.update({(sheet.name, k, column): first for k in keys})
        lines.append(UncertainLine(sheet.name, column, keys, low, likely, high,
                                   vals.get("draw", "once") == "each_period", first, cells))
    return lines


def check_uncertainty(raw: RawWorkbook, out: Collector) -> None:
    """Problems of the Uncertainty sheet's lines, added to ``out`` (once each)."""
    local = Collector()
    parse_uncertainty(raw, local)
    for p in local.problems:
        if p not in out.problems:
            out.problems.append(p)
