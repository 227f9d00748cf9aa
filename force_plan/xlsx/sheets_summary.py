"""The Summary and Bottlenecks sheets of the plan workbook."""
from __future__ import annotations

import textwrap

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from .layout import (Sheet, BOLD, MONEY, NOTE_FONT, NUMBER, PERCENT, PERSONS, PRINT_NOTE,
                     SECTION_FONT, TITLE_FONT, fit_columns, header, print_setup, put, title, widths)
from ..results.headline import headline
from ..numbers import grouped
from ..results.extract import gap_warning
from ..results.steady_report import summary_pairs, sustainable_sentence
from .view import PlanView

#: the bottlenecks printed (the most valuable; the sheet lists every one)
PRINTED_BOTTLENECKS = 50
SENTENCE_CHARS = 80  # characters per line of a bottleneck sentence (column B)
TOP = Alignment(vertical="top")
WRAP_TOP = Alignment(vertical="top", wrap_text=True)
#: marks a row of headline_rows that starts a section
SECTION = object()

STATUS_WORDS = {
    "optimal": "Optimal: no better plan exists for these objectives, solved level by level.",
    "feasible": "Feasible but not proven optimal: the solver stopped before it could prove "
                "that no better plan exists",
}


def status_sentence(view: PlanView) -> str:
    r = view.results
    words = STATUS_WORDS.get(r.status, f"Status: {r.status_text or r.status}.")
    if r.status == "feasible":
        detail = f" ({r.status_text})" if r.status_text and r.status_text != r.status else ""
        words = f"{words}{detail}."
    warning = gap_warning(r.gap)
    return f"{words} {warning}" if warning else words


def objective_label(view: PlanView, level: int) -> str:
    terms = []
    for o in view.plan.objectives:
        if o.level != level:
            continue
        text = o.term if o.weight == 1 else f"{o.weight:g} × {o.term}"
        if o.priority is not None:
            text += f" (priority {o.priority})"
        terms.append(text)
    return f"Level {level}: " + (" + ".join(terms) or "objective")


def headline_rows(view: PlanView) -> list:
    """(label, value, number format, detail) rows of the Summary's headline block;
    a row with value ``SECTION`` starts a section. The figures are headline.py's, the
    same the printed summary and ``--json`` show."""
    plan, h = view.plan, headline(view.results)
    end = h.end_period
    rows: list = [("Objectives (lower is better)", SECTION, None, "")]
    for level in plan.levels:
        value = view.results.objectives.get(level)
        rows.append((objective_label(view, level), value, NUMBER, ""))

    cap = h.force_cap
    rows += [("Force (persons)", SECTION, None, ""),
             (f"Trained strength at the end ({end})", h.trained, PERSONS, ""),
             (f"In training at the end ({end})", h.in_training, PERSONS, ""),
             (f"Total force at the end ({end}), trained + in training", h.total_force,
              PERSONS, ""),
             (f"Target at the end ({end})", h.target, PERSONS, "sum of the category targets"),
             ("Peak total force", h.peak_force, PERSONS, h.peak_period),
             ("Force cap", "no cap" if cap is None else cap, PERSONS, "")]
    if h.peak_share_of_cap is not None:
        rows.append(("Peak total force ÷ force cap", h.peak_share_of_cap, PERCENT, ""))

    rows.append(("Shortfall by priority: person-periods over the plan", SECTION, None, ""))
    if not h.shortfall_by_priority:
        rows.append(("No category has a target", "", None, ""))
    for p, v in h.shortfall_by_priority.items():
        rows.append((f"Priority {p}", v, PERSONS,
                     f"{grouped(h.shortfall_end_by_priority[p])} short at the end"))
    if h.shortfall_by_weapons:
        rows.append(("Shortfall by weapons category: person-periods over the plan", SECTION,
                     None, ""))
    for w, v in h.shortfall_by_weapons.items():
        rows.append((w, v, PERSONS, f"{grouped(h.shortfall_end_by_weapons[w])} short at the end"))

    if plan.equipment:
        rows.append((f"Equipment readiness at the end ({end}): operational ÷ target",
                     SECTION, None, ""))
        everything = h.readiness_all
        if everything is None:
            rows.append(("No equipment target in the last period", "", None, ""))
        elif everything[1]:
            rows.append(("All equipment", everything[0] / everything[1], PERCENT,
                         _systems(*everything)))
        for w, (o, t) in h.readiness.items():
            rows.append((w, o / t if t else "no target", PERCENT, _systems(o, t)))

    rows.append((f"Budget ({view.unit})", SECTION, None, ""))
    rows.append(("Total cost over the plan", h.total_cost, MONEY, ""))
    b = h.budget
    if b is None:
        rows.append(("No period has a budget limit", "", None, ""))
    else:
        n = len(b.periods)
        rows.append(("Cost in the periods that have a budget", b.spent, MONEY,
                     f"{n} of {view.T} periods"))
        rows.append(("Budget of the periods that have one", b.available, MONEY, ""))
        rows.append(("Budget used", b.used if b.used is not None else "no budget", PERCENT,
                     "cost ÷ budget, periods with a budget"))
        if b.highest_use is not None:
            rows.append(("Highest budget use in a period", b.highest_use, PERCENT,
                         b.highest_use_period))

    steady = summary_pairs(getattr(view.results, "steady", None))
    if steady:  # the two steady-state lines (steady_report.py): cost a year, shortfall
        rows.append(("Steady state: holding the final targets for ever", SECTION, None, ""))
        (_, cost), (_, short) = steady
        rows.append((f"Cost a year ({view.unit})", cost, MONEY if isinstance(cost, float)
                     else None, "Sustainment sheet"))
        rows.append(("Persons and systems short for ever", short, PERSONS
                     if isinstance(short, (int, float)) else None,
                     sustainable_sentence(view.results.steady)))

    timings = view.results.timings or {}
    rows.append(("Run time (seconds; the only figures that vary between runs)", SECTION, None,
                 ""))
    for stage, seconds in timings.items():
        rows.append((stage, seconds, "0.00", ""))
    rows.append(("total", sum(timings.values()), "0.00", ""))
    peak = getattr(view.results, "peak_memory_mb", None)
    if peak is not None:
        rows.append(("peak memory (MB)", peak, "#,##0", "before this workbook was written"))
    return rows


def _systems(operational: float, target: float) -> str:
    return f"{grouped(operational, 1)} of {grouped(target, 1)} systems"


def write_summary(ws: Sheet, view: PlanView) -> None:
    header(ws, 1, ["key", "value"])
    for i, (key, value) in enumerate(view.results.summary, start=2):
        put(ws, i, 1, key)
        fmt = NUMBER if isinstance(value, float) else None
        put(ws, i, 2, value, fmt, align=Alignment(horizontal="left") if fmt is None else None)
    put(ws, 1, 4, view.plan.settings.plan_name, font=TITLE_FONT)
    put(ws, 2, 4, status_sentence(view), font=BOLD)
    put(ws, 3, 4, "The key/value list (columns A:B) is for programs; this block is for "
        "reading. Figures are the plan's; the Checks sheet re-derives them.", font=NOTE_FONT)
    r = 5
    for label, value, fmt, detail in headline_rows(view):
        if value is SECTION:
            r += 1 if r > 5 else 0
            put(ws, r, 4, label, font=SECTION_FONT)
        else:
            put(ws, r, 4, label)
            put(ws, r, 5, value, fmt)
            put(ws, r, 6, detail, font=NOTE_FONT)
        r += 1
    note = PRINT_NOTE.format(what="the rows of the Checks and Data sheets")
    for i, line in enumerate(textwrap.wrap(note, 100), start=r + 1):
        put(ws, i, 4, line, font=NOTE_FONT)
    widths(ws, {1: 26, 3: 3, 4: 58, 5: 16, 6: 28})
    fit_columns(ws, {2: (16, 66)}, 2)
    ws.ws.freeze_panes = "A2"
    print_setup(ws)


def write_bottlenecks(ws: Sheet, view: PlanView) -> None:
    r = view.results
    title(ws, "Bottlenecks — the limits that bind in this plan, most valuable first",
          "Value per unit: how much one more unit of the limit would improve each objective "
          "level (a shadow price; 0 = binding but worth nothing at that level).")
    levels = list(view.plan.levels)
    show_values = not r.bottleneck_note
    row = 3
    if r.bottleneck_note:
        put(ws, row, 1, r.bottleneck_note, font=BOLD)
        row += 1
    head = ["rank", "bottleneck", "limit", "unit", "input cell", "limit of", "period"]
    if show_values:
        head += [f"value per unit, level {lv}" for lv in levels]
    header(ws, row + 1, head)
    first = row + 2
    left_out = len(r.bottlenecks) - PRINTED_BOTTLENECKS
    if left_out > 0:
        put(ws, row, 1, PRINT_NOTE.format(what=f"the {left_out:,} bottlenecks after the "
                                          f"first {PRINTED_BOTTLENECKS}"), font=NOTE_FONT)
    if not r.bottlenecks:
        put(ws, first, 2, "No limit is binding: every input limit has room to spare.")
    for i, b in enumerate(r.bottlenecks):
        rr = first + i
        put(ws, rr, 1, i + 1, align=TOP)
        put(ws, rr, 2, b.sentence, align=WRAP_TOP)
        # spreadsheet programs do not always grow rows for wrapped text: size them here
        lines = max(1, -(-len(b.sentence) // SENTENCE_CHARS))
        if lines > 1:
            ws.ws.row_dimensions[rr].height = 15 * lines
        put(ws, rr, 3, b.limit, NUMBER, align=TOP)
        put(ws, rr, 4, b.unit, align=TOP)
        put(ws, rr, 5, b.cell, align=TOP)
        put(ws, rr, 6, b.item, align=TOP)
        put(ws, rr, 7, b.period, align=TOP)
        if show_values:
            for j, lv in enumerate(levels):
                put(ws, rr, 8 + j, b.value_per_unit.get(lv, b.value_per_unit.get(str(lv))),
                    "#,##0.00##", align=TOP)
    widths(ws, {1: 6, 2: SENTENCE_CHARS + 8, 3: 12})
    fit_columns(ws, {4: (8, 20), 5: (11, 30), 6: (10, 36), 7: (8, 14)}, first)
    ws.ws.row_dimensions[row + 1].height = 30
    for j in range(len(levels) if show_values else 0):
        widths(ws, {8 + j: 16})
    ws.freeze(first, 3)
    end = first + min(len(r.bottlenecks), PRINTED_BOTTLENECKS) - 1
    print_setup(ws, f"{row + 1}:{row + 1}", area=f"A1:{get_column_letter(len(head))}"
                f"{max(end, first)}" if left_out > 0 else None)
