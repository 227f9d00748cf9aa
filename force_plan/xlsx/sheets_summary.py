"""The Summary and Bottlenecks sheets of the plan workbook."""
from __future__ import annotations

import textwrap

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from .layout import (Sheet, BOLD, MONEY, NOTE_FONT, NUMBER, PERCENT, PERSONS, PRINT_NOTE,
                     SECTION_FONT, TITLE_FONT, WHOLE, fit_columns, header, print_setup, put, section, title,
                     widths)
from ..results.headline import headline
from ..numbers import grouped, whole
from ..results.extract import gap_warning
from ..results.limits import bindings_of, gains, group_by_cell, sentence, shortfalls
from ..results.steady_report import summary_pairs, sustainable_sentence
from .view import PlanView

#: the limits printed (the most valuable; the sheet lists every one)
PRINTED_LIMITS = 50
SENTENCE_CHARS = 64  # characters per line of a bottleneck sentence (column B)
NAME_CHARS = 32  # characters per line of the limit-of and who-gains columns
#: a value per unit: whole from 100 on, 2 decimals from 0.01, 4 below (never 0.00 for a
#: value that is not nothing)
VALUE = "[>=100]#,##0;[>=0.01]0.00;0.0000"
COUNT = "0"
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
    for o in view.inputs.objectives:
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
    inputs, h = view.inputs, headline(view.results)
    end = h.end_period
    rows: list = [("Objectives (lower is better)", SECTION, None, "")]
    for level in inputs.levels:
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

    if inputs.equipment:
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
    # what is held of a target that is not met never reads as the target
    return f"{whole(operational, floor=operational < target)} of {whole(target)} systems"


#: Summary keys in money, with 2 decimals (other figures are counts, persons or systems)
MONEY_KEYS = ("total_cost", "steady_state_cost_per_year")


def key_format(key: str, value) -> str | None:
    """The number format of a Summary key/value: money and objective values with 2
    decimals, counts (variables, constraints, periods), persons and systems whole."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if key in MONEY_KEYS or key.startswith("objective_"):
        return NUMBER
    return WHOLE


def write_summary(ws: Sheet, view: PlanView) -> None:
    header(ws, 1, ["key", "value"])
    for i, (key, value) in enumerate(view.results.summary, start=2):
        put(ws, i, 1, key)
        fmt = key_format(key, value)
        put(ws, i, 2, value, fmt, align=Alignment(horizontal="left") if fmt is None else None)
    put(ws, 1, 4, view.inputs.settings.plan_name, font=TITLE_FONT)
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
    ws.freeze(2, 1)
    print_setup(ws)


def write_bottlenecks(ws: Sheet, view: PlanView) -> None:
    """Two blocks: one row per limit (its input cell or range, grouped and ranked by
    results/limits.py), then the per-period rows they fold (the table
    review/limits.read_bindings reads back)."""
    r = view.results
    title(ws, "Bottlenecks — the limits that bind in this plan, most valuable first",
          "Value per unit: how much one more unit of the limit would improve the objective "
          "level where it first binds (a shadow price). Limits and values in whole units; "
          "money with 2 decimals.")
    levels = list(view.inputs.levels)
    show = not r.bottleneck_note
    row = 3
    if r.bottleneck_note:
        put(ws, row, 1, r.bottleneck_note, font=BOLD)
        row += 1
    limits = group_by_cell(bindings_of(r.bottlenecks), keep_worthless=not show)
    left_out = len(limits) - PRINTED_LIMITS
    if left_out > 0:  # said above the table (below it, the note would not print)
        put(ws, row, 1, PRINT_NOTE.format(what=f"the {left_out:,} limits after the first "
                                          f"{PRINTED_LIMITS} and the per-period rows"),
            font=NOTE_FONT)
        row += 1
    section(ws, row, "One row per limit: its input cell (a range when the limit is set "
            "period by period), ranked by objective level, then by what relaxing it would buy")
    head = ["rank", "limit in words", "input cell", "limit of", "who gains", "first period",
            "last period", "binding periods", "limit (first binding period)", "unit"]
    if show:
        head += [f"largest value per unit, level {lv}" for lv in levels]
        head += [f"total value per unit, level {lv}" for lv in levels]
    header(ws, row + 1, head)
    _tall(ws, row + 1, 3)
    head_row = row + 1
    row += 2
    if not limits:
        put(ws, row, 2, "No limit is binding: every input limit has room to spare.")
        row += 1
    short = shortfalls(r.data)
    order = list(view.labels)
    for i, g in enumerate(limits, start=1):
        first, last = g.span(order)
        who = gains(view.inputs, g, short)
        words = sentence(g, order, who=who) if show else g.lead_in() + "."
        put(ws, row, 1, i, align=TOP)
        _wrapped(ws, row, {2: words, 4: g.limit_of, 5: who})
        put(ws, row, 3, g.where, align=TOP)
        put(ws, row, 6, first or "over the plan", align=TOP)
        put(ws, row, 7, last, align=TOP)
        put(ws, row, 8, len(g.periods) if first else None, COUNT, align=TOP)
        put(ws, row, 9, g.first_limit(order), _limit_format(g.unit, view.unit), align=TOP)
        put(ws, row, 10, g.unit, align=TOP)
        if show:
            j = levels.index(g.level) if g.level in levels else None
            if j is not None:
                put(ws, row, 11 + j, g.largest, VALUE, align=TOP)
                put(ws, row, 11 + len(levels) + j, g.total, VALUE, align=TOP)
        row += 1
    printed = head_row + max(1, min(len(limits), PRINTED_LIMITS))
    if left_out <= 0:  # said in the blank row under the table, which prints with it
        printed += 1
        put(ws, printed, 1, PRINT_NOTE.format(what="the per-period rows below"),
            font=NOTE_FONT)
    row = _per_period(ws, view, max(row, printed) + 1, levels, show)
    widths(ws, {1: 6, 2: SENTENCE_CHARS, 3: 20, 4: NAME_CHARS, 5: NAME_CHARS, 6: 11, 7: 11,
                8: 11, 9: 13, 10: 11})
    for j in range(2 * len(levels) if show else len(levels)):
        widths(ws, {11 + j: 14})
    print_setup(ws, f"{head_row}:{head_row}",
                area=f"A1:{get_column_letter(len(head))}{printed}")


def _per_period(ws: Sheet, view: PlanView, row: int, levels: list, show: bool) -> int:
    """The per-period rows (one per binding limit and period); returns the next row."""
    r = view.results
    section(ws, row, "Per period: the rows above, one per binding period")
    head = ["rank", "bottleneck", "input cell", "limit of", "period", "limit", "unit"]
    if show:
        head += [f"value per unit, level {lv}" for lv in levels]
    header(ws, row + 1, head)
    row += 2
    for i, b in enumerate(r.bottlenecks, start=1):
        put(ws, row, 1, i, align=TOP)
        _wrapped(ws, row, {2: b.sentence, 4: b.item})
        put(ws, row, 3, b.cell, align=TOP)
        put(ws, row, 5, b.period, align=TOP)
        put(ws, row, 6, b.limit, _limit_format(b.unit, view.unit), align=TOP)
        put(ws, row, 7, b.unit, align=TOP)
        if show:
            for j, lv in enumerate(levels):
                put(ws, row, 8 + j, b.value_per_unit.get(lv, b.value_per_unit.get(str(lv))),
                    VALUE, align=TOP)
        row += 1
    return row


def _limit_format(unit: str, money: str) -> str:
    """Money with 2 decimals; persons, seats, starts and systems whole."""
    return NUMBER if unit == money else WHOLE


def _wrapped(ws: Sheet, row: int, texts: dict) -> None:
    """Wrapped text cells ({column: text}), the row made tall enough for the longest."""
    lines = 1
    for col, text in texts.items():
        put(ws, row, col, text, align=WRAP_TOP)
        chars = SENTENCE_CHARS if col == 2 else NAME_CHARS
        lines = max(lines, -(-len(text or "") // (chars - 4)))
    _tall(ws, row, lines)


def _tall(ws: Sheet, row: int, lines: int) -> None:
    # spreadsheet programs do not always grow rows for wrapped text: size them here
    if lines > 1:
        ws.height(row, 15 * lines)
