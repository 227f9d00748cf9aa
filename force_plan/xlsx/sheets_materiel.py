"""The Equipment, Sources and Budget sheets of the plan workbook (periods across)."""
from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from ..contract.schema import COST_LINES
from .layout import (MAX_COLUMN, Sheet, BINDING_FILL, BOLD, MONEY, PERCENT, PERSONS, SUBTOTAL_FILL,
                     SYSTEMS, TOTAL_FILL, fit_columns, header, highlight_at_least,
                     highlight_formula,
                     highlight_positive, period_widths, print_setup, put, section, title,
                     widths)
from .sheets_people import (FULL, RIGHT, _sum, grouped_heading, is_number, labels_row,
                            period_row, pin_periods)
from .view import PlanView


# --------------------------------------------------------------------------- Equipment
@dataclass
class EquipmentLayout:
    first_col: int = 4
    header_row: int = 4
    readiness_rows: dict = field(default_factory=dict)  # weapons category -> row
    end_row: int = 0


def _ratio(a, b):
    return None if a is None or not b else a / b


def write_equipment(ws: Sheet, view: PlanView) -> EquipmentLayout:
    inputs, T, fc = view.inputs, view.T, 4
    lay = EquipmentLayout(fc)
    r = grouped_heading(
        ws, view, lay.header_row, "equipment",
        "Equipment — systems held, operational and ordered per period, against target",
        "Systems. Inventory is counted at period end; operational is limited by availability "
        "and crews; orders are placed in the period shown and arrive after their lead time.")
    short_rows, blocks = [], []
    for weapons, items in view.weapons_groups(inputs.equipment):
        top = r
        targets, operational, shortfall = [], [], []
        own = 0  # the readiness row of the group's last item
        for e in items:
            target = [view.equipment_target(e.name, t) for t in range(T)]
            has_target = any(v is not None for v in target)
            oper = view.series("operational", e.name)
            rows = []
            if has_target:
                rows.append(("target", target, SYSTEMS))
            rows += [("inventory", view.series("inventory", e.name), SYSTEMS),
                     ("operational", oper, SYSTEMS)]
            if has_target:
                short = view.series("equipment_shortfall", e.name)
                rows += [("shortfall", short, SYSTEMS),
                         ("readiness %", [_ratio(o, g) for o, g in zip(oper, target)], PERCENT)]
                targets.append(target)
                operational.append([o if g is not None else None for o, g in zip(oper, target)])
                shortfall.append(short)
            for src in view.where_of("acquisitions", e.name):
                rows.append((f"ordered from {src}", view.series("acquisitions", e.name, src),
                             SYSTEMS))
            for label, values, fmt in rows:
                labels_row(ws, r, [weapons, e.name, label])
                period_row(ws, r, fc, values, fmt)
                if label == "shortfall":
                    short_rows.append((r, fc, fc + T - 1))
                if label == "readiness %":
                    own = r
                r += 1
        if targets and len(items) == 1:  # its total would repeat its rows: none
            lay.readiness_rows[weapons] = own
        elif targets:
            tg, op, sh = _sum(targets), _sum(operational), _sum(shortfall)
            block = [("target", tg, SYSTEMS), ("operational", op, SYSTEMS),
                     ("shortfall", sh, SYSTEMS),
                     ("readiness %", [_ratio(o, g) for o, g in zip(op, tg)], PERCENT)]
            for label, values, fmt in block:
                labels_row(ws, r, [weapons, f"{weapons} total", label], fill=SUBTOTAL_FILL,
                           font=BOLD)
                period_row(ws, r, fc, values, fmt, fill=SUBTOTAL_FILL, font=BOLD)
                if label == "shortfall":
                    short_rows.append((r, fc, fc + T - 1))
                if label == "readiness %":
                    lay.readiness_rows[weapons] = r
                r += 1
        blocks.append((top, r - 1))
        r += 1
    highlight_positive(ws, short_rows)
    lay.end_row = r - 1
    fit_columns(ws, {1: (16, 40), 2: (18, 40), 3: (14, 44)})
    pin_periods(ws, lay.header_row, fc, T, blocks=blocks)
    return lay


# --------------------------------------------------------------------------- Sources
def write_sources(ws: Sheet, view: PlanView) -> None:
    inputs, T = view.inputs, view.T
    title(ws, "Sources — what suppliers and training providers offer, against what the plan "
          "uses", "Equipment in systems, money in " + view.unit + ", seats as average "
          "occupancy. Highlighted: a limit the plan uses in full.")
    r = 4
    if inputs.sources:
        section(ws, r, "Equipment sources: offered against ordered")
        fc = 11
        header(ws, r + 1, ["source", "equipment", f"unit cost ({view.unit})",
                           "lead time (months)", "max per period", "total available",
                           "order window", "ordered over plan", "share of total available",
                           "total cost"] + list(view.labels))
        r += 2
        first = r
        for src in inputs.sources:
            orders = [view.value("acquisitions", src.equipment, src.source, t) for t in range(T)]
            ordered = sum(orders)
            put(ws, r, 1, src.source)
            put(ws, r, 2, src.equipment)
            put(ws, r, 3, src.unit_cost, MONEY)
            put(ws, r, 4, src.lead_time_months)  # as typed: 6, 4.5
            put(ws, r, 5, "no limit" if src.max_per_period is None else src.max_per_period,
                SYSTEMS, align=RIGHT)
            put(ws, r, 6, "no limit" if src.total_available is None else src.total_available,
                SYSTEMS, align=RIGHT)
            put(ws, r, 7, view.window_text(src))
            put(ws, r, 8, ordered, SYSTEMS)
            put(ws, r, 9, ordered / src.total_available if src.total_available else None,
                PERCENT)
            put(ws, r, 10, ordered * src.unit_cost, MONEY)
            period_row(ws, r, fc, [o if view.source_open(src, t) else "closed"
                                   for t, o in enumerate(orders)], SYSTEMS)
            r += 1
        last = r - 1
        highlight_at_least(ws, [(row, 9, 9) for row in range(first, last + 1)], FULL)
        cols = f"{get_column_letter(fc)}{first}:{get_column_letter(min(fc + T - 1, MAX_COLUMN))}{last}"
        top = f"{get_column_letter(fc)}{first}"
        highlight_formula(ws, cols, f"AND(ISNUMBER($E{first}),ISNUMBER({top}),"
                          f"{top}>={FULL}*$E{first},$E{first}>0)", BINDING_FILL)
        period_widths(ws, fc, T)
        widths(ws, {3: 13, 4: 11, 5: 11, 6: 11, 7: 20, 8: 11, 9: 11, 10: 12})
        ws.height(5, 32)
        r += 1
    if inputs.sites:
        fc = 4
        section(ws, r, "Training sites and providers: seats offered against seats used")
        header(ws, r + 1, ["provider", "site", "measure"] + list(view.labels))
        r += 2
        groups: dict = {}
        for s in inputs.sites:
            groups.setdefault(s.provider, []).append(s)
        use_rows = []
        for provider, sites in groups.items():
            offered_all, used_all = [], []
            for s in sites:
                offered = [("closed" if not view.site_open(s, t) else
                            "no limit" if s.seats is None else s.seats) for t in range(T)]
                used = [view.seat_use(s.name, t) for t in range(T)]
                offered_all.append([o if is_number(o) else None for o in offered])
                used_all.append(used)
                rows = [("seats offered", offered, PERSONS), ("seats used", used, PERSONS),
                        ("use %", [u / o if is_number(o) and o > 0 else None
                                   for u, o in zip(used, offered)], PERCENT)]
                for label, values, fmt in rows:
                    labels_row(ws, r, [provider or "(no provider)", s.name, label])
                    period_row(ws, r, fc, values, fmt)
                    if label == "use %":
                        use_rows.append((r, fc, fc + T - 1))
                    r += 1
            if len(sites) > 1:
                totals = [("seats offered (limited sites)", _sum(offered_all), PERSONS),
                          ("seats used", _sum(used_all), PERSONS)]
                for label, values, fmt in totals:
                    labels_row(ws, r, [provider or "(no provider)", "all sites", label],
                               fill=SUBTOTAL_FILL, font=BOLD)
                    period_row(ws, r, fc, values, fmt, fill=SUBTOTAL_FILL, font=BOLD)
                    r += 1
            r += 1
        highlight_at_least(ws, use_rows, FULL)
        if not inputs.sources:
            period_widths(ws, 4, T, 13)
    fit_columns(ws, {1: (16, 40), 2: (16, 40)})
    widths(ws, {3: 16 if not inputs.sources else 13})
    ws.freeze(6, 3)
    print_setup(ws, "5:5", title_cols="A:B")


# --------------------------------------------------------------------------- Budget
@dataclass
class BudgetLayout:
    first_col: int = 2
    header_row: int = 4
    line_rows: tuple = ()  # the cost lines except total: first and last row
    budget_row: int = 0
    end_row: int = 0


def write_budget(ws: Sheet, view: PlanView) -> BudgetLayout:
    inputs, T, fc = view.inputs, view.T, 2
    lay = BudgetLayout(fc)
    title(ws, f"Budget — spending per cost line and period against the budget ({view.unit})",
          "Training is paid in the start period, procurement in the order period; personnel "
          "and sustainment per period of service. Highlighted: budget used in full.")
    header(ws, lay.header_row, [f"cost line ({view.unit})"] + list(view.labels) + ["total"])
    r = lay.header_row + 1
    lines = [line for line in COST_LINES if line != "total"]
    for line in lines:
        put(ws, r, 1, line)
        period_row(ws, r, fc, [view.value("cost", line, "", t) for t in range(T)], MONEY,
                   total=True)
        r += 1
    lay.line_rows = (lay.header_row + 1, r - 1)
    total = [view.value("cost", "total", "", t) for t in range(T)]
    put(ws, r, 1, "total", font=BOLD, fill=TOTAL_FILL)
    period_row(ws, r, fc, total, MONEY, fill=TOTAL_FILL, font=BOLD, total=True)
    r += 1
    budgets = [p.budget for p in inputs.periods]
    put(ws, r, 1, "budget", font=BOLD)
    period_row(ws, r, fc, ["no limit" if b is None else b for b in budgets], MONEY)
    lay.budget_row = r
    if all(b is not None for b in budgets):
        put(ws, r, fc + T, sum(budgets), MONEY, font=BOLD)
    r += 1
    put(ws, r, 1, "headroom (budget − total)")
    period_row(ws, r, fc, [None if b is None else b - c for b, c in zip(budgets, total)], MONEY)
    r += 1
    put(ws, r, 1, "budget used %")
    period_row(ws, r, fc, [None if not b else c / b for b, c in zip(budgets, total)], PERCENT)
    highlight_at_least(ws, [(r, fc, fc + T - 1)], FULL)
    lay.end_row = r
    widths(ws, {1: 30})
    pin_periods(ws, lay.header_row, fc, T + 1, 13)
    return lay
