"""The Training and Strength sheets of the plan workbook (periods across)."""
from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ..contract.schema import RECRUIT
from .layout import (Sheet, BOLD, PERCENT, PERSONS, SUBTOTAL_FILL, TOTAL_FILL, fit_columns,
                     header, highlight_at_least, highlight_positive, period_widths,
                     print_setup, put, section, title)
from .view import PlanView

#: use rates at or above this count as a binding limit (highlighted)
FULL = 0.9999
RIGHT = Alignment(horizontal="right")


def is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def period_row(ws: Sheet, row: int, first_col: int, values, fmt: str, *, fill=None,
               font=None, total: bool = False) -> None:
    """Write per-period values (None = blank) and, with ``total``, their sum after them."""
    for j, v in enumerate(values):
        put(ws, row, first_col + j, v, fmt, fill=fill, font=font,
            align=RIGHT if isinstance(v, str) else None)
    if total:
        put(ws, row, first_col + len(values), sum(v for v in values if is_number(v)), fmt,
            fill=fill, font=BOLD)


def labels_row(ws: Sheet, row: int, labels, *, fill=None, font=None) -> None:
    for j, text in enumerate(labels, start=1):
        put(ws, row, j, text, fill=fill, font=font)


def _sum(values):
    """Sum of per-period lists, None where every list is None in that period."""
    out = []
    for column in zip(*values):
        present = [v for v in column if v is not None]
        out.append(sum(present) if present else None)
    return out


def pin_periods(ws: Sheet, header_row: int, first_col: int, columns: int,
                width: float = 11, blocks=()) -> None:
    """The end of a sheet with periods across: ``columns`` period columns from
    ``first_col`` ``width`` wide, panes frozen below the header row and left of the
    periods, the header row repeated on every printed page and the name columns on every
    page across, a page break before a block (first row, last row) that would be split."""
    period_widths(ws, first_col, columns, width)
    ws.freeze(header_row + 1, first_col)
    print_setup(ws, f"{header_row}:{header_row}",
                title_cols=f"A:{get_column_letter(first_col - 1)}", blocks=blocks)


# --------------------------------------------------------------------------- Training
def write_training(ws: Sheet, view: PlanView) -> None:
    inputs, T, fc = view.inputs, view.T, 5
    title(ws, "Training — course starts per site, graduates and seat use, per period",
          "Persons. A start counts in the period its course begins; graduates join their "
          "category at the end of the period shown (after yield, Pipeline classes included).")
    head = ["course", "from", "to", "site"] + list(view.labels) + ["total"]
    r = 4
    blocks = []
    section(ws, r, "Starts per course and site")
    header(ws, r + 1, head)
    r += 2
    shade = []
    for k in inputs.courses:
        frm = RECRUIT if k.from_recruit else k.from_category
        sites = view.where_of("starts", k.name)
        for s in sites:
            labels_row(ws, r, [k.name, frm, k.to_category, s or "(no sites)"])
            period_row(ws, r, fc, [view.value("starts", k.name, s, t) for t in range(T)],
                       PERSONS, total=True)
            r += 1
        if len(sites) > 1:
            labels_row(ws, r, [k.name, frm, k.to_category, "all sites"], fill=SUBTOTAL_FILL,
                       font=BOLD)
            period_row(ws, r, fc, [view.total("starts", k.name, t) for t in range(T)],
                       PERSONS, fill=SUBTOTAL_FILL, total=True)
            shade.append(r)
            r += 1
    r += 1
    blocks.append((6, r - 1))
    section(ws, r, "Graduates per course (joining the `to` category at period end)")
    header(ws, r + 1, ["course", "from", "to", ""] + list(view.labels) + ["total"])
    r += 2
    for k in inputs.courses:
        frm = RECRUIT if k.from_recruit else k.from_category
        labels_row(ws, r, [k.name, frm, k.to_category, ""])
        period_row(ws, r, fc, [view.value("graduates", k.name, "", t) for t in range(T)],
                   PERSONS, total=True)
        r += 1
    r += 1
    blocks.append((blocks[-1][1] + 2, r - 1))
    section(ws, r, "In training at period end (started, not yet graduated)")
    header(ws, r + 1, ["course", "from", "to", ""] + list(view.labels))
    r += 2
    for k in inputs.courses:
        frm = RECRUIT if k.from_recruit else k.from_category
        labels_row(ws, r, [k.name, frm, k.to_category, ""])
        period_row(ws, r, fc, [view.value("in_training", k.name, "", t) for t in range(T)],
                   PERSONS)
        r += 1
    blocks.append((blocks[-1][1] + 2, r))
    if inputs.sites:
        r += 1
        section(ws, r, "Seat use per site (trainees present, as average occupancy) against "
                "seats offered")
        header(ws, r + 1, ["site", "provider", "measure", ""] + list(view.labels))
        r += 2
        use_rows = []
        for s in inputs.sites:
            offered = [("closed" if not view.site_open(s, t) else
                        "no limit" if s.seats is None else s.seats) for t in range(T)]
            used = [view.seat_use(s.name, t) for t in range(T)]
            labels_row(ws, r, [s.name, s.provider, "seats offered", ""])
            period_row(ws, r, fc, offered, PERSONS)
            labels_row(ws, r + 1, [s.name, s.provider, "seats used", ""])
            period_row(ws, r + 1, fc, used, PERSONS)
            labels_row(ws, r + 2, [s.name, s.provider, "use %", ""])
            period_row(ws, r + 2, fc, [u / o if is_number(o) and o > 0 else None
                                       for u, o in zip(used, offered)], PERCENT)
            use_rows.append((r + 2, fc, fc + T - 1))
            r += 3
        highlight_at_least(ws, use_rows, FULL)
        blocks.append((blocks[-1][1] + 1, r - 1))
    fit_columns(ws, {1: (14, 40), 2: (10, 30), 3: (10, 30), 4: (12, 30)})
    pin_periods(ws, 5, fc, T + 1, blocks=blocks)


# --------------------------------------------------------------------------- Strength
@dataclass
class StrengthLayout:
    first_col: int = 4
    header_row: int = 4
    #: weapons category -> (target row, strength row) of its subtotal block
    groups: dict = field(default_factory=dict)
    force_row: int = 0  # total force
    cap_row: int = 0  # force cap (0 when there is none)
    end_row: int = 0  # last row of the table


MEASURES = ("target", "strength", "shortfall", "overstrength", "reserve", "instructors",
            "separations")


def grouped_heading(ws: Sheet, view: PlanView, header_row: int, what: str, heading: str,
                    note: str) -> int:
    """Title and header of a sheet of ``what`` grouped by weapons category, one column per
    period; returns its first row below the header."""
    title(ws, heading, note)
    header(ws, header_row, ["weapons category", what, "measure"] + list(view.labels))
    return header_row + 1


def write_strength(ws: Sheet, view: PlanView) -> StrengthLayout:
    inputs, T, fc = view.inputs, view.T, 4
    lay = StrengthLayout(fc)
    r = grouped_heading(
        ws, view, lay.header_row, "category",
        "Strength — trained persons per category at the end of each period, against target",
        "Persons, grouped by weapons category. Shortfall and overstrength are measured on "
        "effective strength: reservists count at their reserve_weight, and instructors "
        "(drawn from the category's strength to teach) do not count.")
    short_rows, blocks = [], []
    for weapons, cats in view.weapons_groups(inputs.categories):
        top = r
        block = {m: [] for m in MEASURES}
        rows_of: dict = {}  # measure -> row of the last member's measure
        for c in cats:
            targeted = view.has("shortfall", c.name) or any(
                view.target(c.name, t) is not None for t in range(T))
            series = {
                "target": [view.target(c.name, t) for t in range(T)] if targeted else None,
                "strength": view.series("strength", c.name),
                "shortfall": view.series("shortfall", c.name) if targeted else None,
                "overstrength": view.series("overstrength", c.name) if targeted else None,
                "reserve": view.series("reserve", c.name),
                "instructors": view.series("instructors", c.name)
                if view.has("instructors", c.name) else None,
                "separations": view.series("separations", c.name),
            }
            for measure in MEASURES:
                values = series[measure]
                if values is None:
                    continue
                block[measure].append(values)
                rows_of[measure] = r
                labels_row(ws, r, [weapons, c.name, measure])
                period_row(ws, r, fc, values, PERSONS)
                if measure == "shortfall":
                    short_rows.append((r, fc, fc + T - 1))
                r += 1
        if len(cats) == 1:  # its total would repeat its rows: none
            lay.groups[weapons] = (rows_of.get("target", 0), rows_of["strength"])
            r += 1
            continue
        first = r
        for measure in MEASURES:
            if not block[measure]:
                continue
            labels_row(ws, r, [weapons, f"{weapons} total", measure], fill=SUBTOTAL_FILL,
                       font=BOLD)
            period_row(ws, r, fc, _sum(block[measure]), PERSONS, fill=SUBTOTAL_FILL, font=BOLD)
            if measure == "shortfall":
                short_rows.append((r, fc, fc + T - 1))
            r += 1
        lay.groups[weapons] = (first if block["target"] else 0,
                               first + (1 if block["target"] else 0))
        blocks.append((top, r - 1))
        r += 1
    highlight_positive(ws, short_rows)

    trained = [sum(view.value("strength", c.name, "", t) for c in inputs.categories)
               for t in range(T)]
    training = [sum(view.value("in_training", k.name, "", t) for k in inputs.courses)
                for t in range(T)]
    force = [a + b for a, b in zip(trained, training)]
    caps = [inputs.force_cap(t) for t in range(T)]
    cap = None if all(c is None for c in caps) else caps
    section(ws, r, "Whole force against the force cap")
    r += 1
    rows = [("trained strength (all categories)", trained, PERSONS),
            ("in training", training, PERSONS), ("total force", force, PERSONS)]
    if cap is not None:
        rows += [("force cap", caps, PERSONS),
                 ("cap used %", [f / c if c else None for f, c in zip(force, caps)], PERCENT)]
    for label, values, fmt in rows:
        labels_row(ws, r, ["Whole force", label, ""], fill=TOTAL_FILL, font=BOLD)
        period_row(ws, r, fc, values, fmt, fill=TOTAL_FILL)
        if label == "total force":
            lay.force_row = r
        elif label == "force cap":
            lay.cap_row = r
        elif label == "cap used %":
            highlight_at_least(ws, [(r, fc, fc + T - 1)], FULL)
        r += 1
    lay.end_row = r - 1
    blocks.append((blocks[-1][1] + 2 if blocks else lay.header_row + 1, r - 1))
    fit_columns(ws, {1: (16, 40), 2: (18, 40), 3: (12, 16)})
    pin_periods(ws, lay.header_row, fc, T, blocks=blocks)
    return lay

