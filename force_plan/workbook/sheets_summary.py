"""The Summary and Bottlenecks sheets of the plan workbook."""
from __future__ import annotations

from collections import defaultdict

from openpyxl.styles import Alignment

from .layout import (Sheet, BOLD, MONEY, NOTE_FONT, NUMBER, PERCENT, PERSONS, SECTION_FONT,
                     TITLE_FONT, fit_columns, header, print_setup, put, title, widths)
from .view import PlanView

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
    return words


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


def total_force(view: PlanView, t: int) -> float:
    return (sum(view.value("strength", c.name, "", t) for c in view.plan.categories)
            + sum(view.value("in_training", k.name, "", t) for k in view.plan.courses))


def headline_rows(view: PlanView) -> list:
    """(label, value, number format, detail) rows of the Summary's headline block;
    a row with value ``SECTION`` starts a section."""
    plan, T, last = view.plan, view.T, view.T - 1
    end = view.labels[last] if T else ""
    rows: list = [("Objectives (lower is better)", SECTION, None, "")]
    for level in plan.levels:
        value = view.results.objectives.get(level)
        rows.append((objective_label(view, level), value, NUMBER, ""))

    rows.append(("Force (persons)", SECTION, None, ""))
    if T:
        trained = sum(view.value("strength", c.name, "", last) for c in plan.categories)
        force = [total_force(view, t) for t in range(T)]
        peak = max(range(T), key=lambda t: force[t])
        rows.append((f"Trained strength at the end ({end})", trained, PERSONS, ""))
        rows.append((f"Total force at the end ({end}), trained + in training", force[last],
                     PERSONS, ""))
        rows.append(("Peak total force", force[peak], PERSONS, view.labels[peak]))
        cap = plan.settings.force_cap
        rows.append(("Force cap", "no cap" if cap is None else cap, PERSONS, ""))
        if cap:
            rows.append(("Peak total force ÷ force cap", force[peak] / cap, PERCENT, ""))

    by_priority, by_weapons = defaultdict(float), defaultdict(float)
    end_priority, end_weapons = defaultdict(float), defaultdict(float)
    for c in plan.categories:
        if not view.has("shortfall", c.name):
            continue
        total = sum(view.value("shortfall", c.name, "", t) for t in range(T))
        by_priority[c.priority] += total
        by_weapons[c.weapons_category] += total
        end_priority[c.priority] += view.value("shortfall", c.name, "", last)
        end_weapons[c.weapons_category] += view.value("shortfall", c.name, "", last)
    rows.append(("Shortfall by priority: person-periods over the plan", SECTION, None, ""))
    if not by_priority:
        rows.append(("No category has a target", "", None, ""))
    for p in sorted(by_priority):
        rows.append((f"Priority {p}", by_priority[p], PERSONS,
                     f"{end_priority[p]:,.0f} short at the end"))
    if by_weapons:
        rows.append(("Shortfall by weapons category: person-periods over the plan", SECTION,
                     None, ""))
    for w, v in by_weapons.items():
        rows.append((w, v, PERSONS, f"{end_weapons[w]:,.0f} short at the end"))

    if plan.equipment:
        rows.append((f"Equipment readiness at the end ({end}): operational ÷ target",
                     SECTION, None, ""))
        groups: dict = {}
        for e in plan.equipment:
            tg = view.equipment_target(e.name, last)
            if tg is None:
                continue
            op, target = groups.get(e.weapons_category, (0.0, 0.0))
            groups[e.weapons_category] = (op + view.value("operational", e.name, "", last),
                                          target + tg)
        op_all = sum(o for o, _ in groups.values())
        tg_all = sum(t for _, t in groups.values())
        if tg_all:
            rows.append(("All equipment", op_all / tg_all, PERCENT,
                         f"{op_all:,.1f} of {tg_all:,.1f} systems"))
        for w, (o, t) in groups.items():
            rows.append((w, o / t if t else "no target", PERCENT,
                         f"{o:,.1f} of {t:,.1f} systems"))
        if not groups:
            rows.append(("No equipment target in the last period", "", None, ""))

    rows.append((f"Budget ({view.unit})", SECTION, None, ""))
    costs = [view.value("cost", "total", "", t) for t in range(T)]
    rows.append(("Total cost over the plan", sum(costs), MONEY, ""))
    budgeted = [t for t in range(T) if plan.periods[t].budget is not None]
    if budgeted:
        spent = sum(costs[t] for t in budgeted)
        budget = sum(plan.periods[t].budget for t in budgeted)
        rows.append(("Budget of the periods that have one", budget, MONEY, ""))
        rows.append(("Budget used", spent / budget if budget else 0.0, PERCENT, ""))
        use = [(costs[t] / plan.periods[t].budget if plan.periods[t].budget else 0.0, t)
               for t in budgeted]
        top, t = max(use)
        rows.append(("Highest budget use in a period", top, PERCENT, view.labels[t]))
    else:
        rows.append(("No period has a budget limit", "", None, ""))

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
    print_setup(ws, f"{row + 1}:{row + 1}")
