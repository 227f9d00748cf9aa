"""The Checks sheet: live formulas that re-derive the plan from its own Data sheet.

Each row states one equation or limit of MODEL.md for one item and period. Its
``plan figure`` and ``recomputed or limit`` cells are formulas over ``Data!E<row>`` cells
(the plan's figures) and the input's parameters, written as numbers in the formula, so a
reviewer can click a cell and follow it. Any spreadsheet application recomputes them on
opening; ``ok`` is TRUE when the relation holds within the tolerance.

Tolerance: 10⁻⁶ × the larger of 1 and the sum of the absolute sizes of every term of the
row (as solved). The solver satisfies its equations to about 10⁻⁹ of their size, so a
FALSE means a figure does not follow from the others, not rounding. Formulas never hold
text from the input workbook: names appear only in the item/where columns, as text.
"""
from __future__ import annotations

from collections import defaultdict

from ..numbers import literal
from ..contract.schema import COST_LINES
from ..model.sets import derive
from ..model.timing import seat_shares
from .checks_terms import (COLUMNS, DATA_VALUE_COLUMN, FIRST_ROW, MAX_FORMULA,
                           RELATIVE_TOLERANCE, Check, CheckList, excel_round)
from .layout import (BOLD, GOOD_FILL, NOTE_FONT, NUMBER, PRINT_NOTE, SHORT_FILL, Sheet,
                     fit_widths, header, highlight_equal, print_setup, put, put_formula,
                     title, widths)
from .rows import Rows
from .view import PlanView


def keep_text(rate: float, m: int) -> str:
    return f"(1-{literal(rate)})^({m}/12)"


# --------------------------------------------------------------------------- families
def personnel_checks(cl: CheckList) -> None:
    v, inputs, T, m = cl.view, cl.view.inputs, cl.view.T, cl.view.m
    starts = lambda k, t: [("starts", k, s, t) for s in v.where_of("starts", k)]  # noqa: E731
    into, out_of = defaultdict(list), defaultdict(list)  # category -> courses, in order
    for k in inputs.courses:
        into[k.to_category].append(k)
        out_of[k.from_category].append(k)
    pipeline: dict = {}
    for p in inputs.pipeline:
        pipeline[p.course, p.period] = pipeline.get((p.course, p.period), 0) + p.graduates
    for c in inputs.categories:
        for t in range(T):
            rhs = cl.of("strength balance", "strength", c.name, t, "=",
                        "strength = (1−attrition)·previous + graduates in − starts of "
                        "courses from it − separations")
            if rhs is None:
                continue
            keep = 1 - v.attrition(c)
            text = keep_text(c.attrition_rate, m) if c.attrition_rate else None
            if t == 0:
                rhs.const(keep * c.initial_strength,
                          f"{text}*{literal(c.initial_strength)}" if text else None)
            else:
                rhs.add(("strength", c.name, "", t - 1), keep, text)
            for k in into[c.name]:
                rhs.add(("graduates", k.name, "", t))
            for k in out_of[c.name]:
                for key in starts(k.name, t):
                    rhs.add(key, -1.0)
            rhs.add(("separations", c.name, "", t), -1.0)
    for k in inputs.courses:
        lg = v.lag(k.duration_months)
        for t in range(T):
            rhs = cl.of("graduates", "graduates", k.name, t, "=",
                        f"graduates = yield × starts {lg} period(s) earlier + Pipeline")
            if rhs is not None:
                if t - lg >= 0:
                    for key in starts(k.name, t - lg):
                        rhs.add(key, k.yield_)
                rhs.const(pipeline.get((k.name, t), 0))
            rhs = cl.of("in training", "in_training", k.name, t, "=",
                        "in training = starts that began and have not graduated")
            if rhs is not None:
                for tau in range(max(0, t - lg + 1), t + 1):
                    for key in starts(k.name, tau):
                        rhs.add(key)
    for c in inputs.categories:
        for t in range(T):
            target = v.target(c.name, t)
            if target is None:
                continue
            lhs, rhs = cl.new("target", c.name, "", t, "=",
                              "strength − (1−reserve_weight)·reserve − instructors − "
                              "overstrength + shortfall = target")
            lhs.add(("strength", c.name, "", t)).add(("reserve", c.name, "", t),
                                                      -(1 - c.reserve_weight))
            lhs.add(("instructors", c.name, "", t), -1.0)
            lhs.add(("overstrength", c.name, "", t), -1.0).add(("shortfall", c.name, "", t))
            rhs.const(target)
            if c.min_fill > 0:
                lhs, rhs = cl.new("minimum fill", c.name, "", t, "≤",
                                  "shortfall ≤ (1 − min_fill) × target")
                lhs.add(("shortfall", c.name, "", t))
                rhs.const((1 - c.min_fill) * target)


def limit_checks(cl: CheckList) -> None:
    v, inputs, T = cl.view, cl.view.inputs, cl.view.T
    sites = {s.name: s for s in inputs.sites or ()}
    for t in range(T):
        cap = inputs.force_cap(t)
        if cap is not None:
            lhs, rhs = cl.new("force cap", "", "", t, "≤",
                              "Σ strength + Σ in training ≤ force_cap of the period")
            for c in inputs.categories:
                lhs.add(("strength", c.name, "", t))
            for k in inputs.courses:
                lhs.add(("in_training", k.name, "", t))
            rhs.const(cap)
        recruits = inputs.periods[t].recruits_available
        if recruits is not None:
            lhs, rhs = cl.new("recruits", "", "", t, "≤",
                              "starts of courses from RECRUIT ≤ recruits_available")
            for k in inputs.courses:
                if k.from_recruit:
                    for s in v.where_of("starts", k.name):
                        lhs.add(("starts", k.name, s, t))
            rhs.const(recruits)
        cap = inputs.settings.overstrength_cap
        if cap is not None:
            lhs, rhs = cl.new("overstrength cap", "", "", t, "≤", "Σ overstrength ≤ cap")
            for c in inputs.categories:
                lhs.add(("overstrength", c.name, "", t))
            rhs.const(cap)
    for s in sites.values():
        for t in range(T):
            is_open = v.site_open(s, t)
            if is_open and s.seats is None:
                continue
            lhs, rhs = cl.new("seats", s.name, "", t, "≤",
                              "trainees present (starts × share of the period) ≤ seats"
                              if is_open else "no trainee outside the site's window")
            for k, shares in v.courses_at(s.name):
                for tau in range(max(0, t - len(shares) + 1), t + 1):
                    lhs.add(("starts", k, s.name, tau), shares[t - tau])
            rhs.const(s.seats if is_open else 0.0)
    allowed = start_periods(inputs, T)
    for k in inputs.courses:
        for t in range(T):
            keys = [("starts", k.name, s, t) for s in v.where_of("starts", k.name)]
            if k.max_starts_per_period is not None:
                lhs, rhs = cl.new("course maximum", k.name, "", t, "≤",
                                  "starts ≤ max_starts_per_period")
                for key in keys:
                    lhs.add(key)
                rhs.const(k.max_starts_per_period)
            if k.min_starts_per_period > 0 and t in allowed[k.name]:
                lhs, rhs = cl.new("course minimum", k.name, "", t, "≥",
                                  "starts ≥ min_starts_per_period (periods a start is allowed)")
                for key in keys:
                    lhs.add(key)
                rhs.const(k.min_starts_per_period)
            if k.instructor_category and k.starts_per_instructor is not None:
                lhs, rhs = cl.new("instructors", k.name, k.instructor_category, t, "≤",
                                  "starts ≤ starts_per_instructor × instructor strength")
                for key in keys:
                    lhs.add(key)
                rhs.add(("strength", k.instructor_category, "", t), k.starts_per_instructor)
    for cs in inputs.course_sites or ():
        if cs.max_starts_per_period is None:
            continue
        for t in range(T):
            lhs, rhs = cl.new("course at site maximum", cs.course, cs.site, t, "≤",
                              "starts at the site ≤ CourseSites max_starts_per_period")
            lhs.add(("starts", cs.course, cs.site, t))
            rhs.const(cs.max_starts_per_period)
    for c in inputs.categories:
        for t in range(T):
            if c.max_separations_per_period is not None:
                lhs, rhs = cl.new("separations limit", c.name, "", t, "≤",
                                  "separations ≤ max_separations_per_period")
                lhs.add(("separations", c.name, "", t))
                rhs.const(c.max_separations_per_period)
            reserve = v.has("reserve", c.name, "", t)
            if reserve:
                lhs, rhs = cl.new("reserve cap", c.name, "", t, "≤", "reserve ≤ reserve_cap")
                lhs.add(("reserve", c.name, "", t))
                rhs.const(c.reserve_cap)
            if reserve or v.has("instructors", c.name, "", t):
                lhs, rhs = cl.new("reserve within strength", c.name, "", t, "≤",
                                  "reserve + instructors ≤ strength")
                lhs.add(("reserve", c.name, "", t)).add(("instructors", c.name, "", t))
                rhs.add(("strength", c.name, "", t))
    pool_checks(cl)


def pool_checks(cl: CheckList) -> None:
    """instructors = Σ over the courses the category teaches (trainees_per_instructor set)
    and their sites without own instructors of starts × share of the period ÷
    trainees_per_instructor."""
    v, inputs, T = cl.view, cl.view.inputs, cl.view.T
    own = {s.name for s in inputs.sites or () if s.own_instructors}
    taught = defaultdict(list)
    for k in inputs.courses:
        if k.instructor_category and k.trainees_per_instructor:
            taught[k.instructor_category].append(k)
    for c in inputs.categories:
        if not taught[c.name]:
            continue
        for t in range(T):
            rhs = cl.of("instructor pool", "instructors", c.name, t, "=",
                        "instructors = Σ starts × share of the period present ÷ "
                        "trainees_per_instructor (sites without own instructors)")
            if rhs is None:
                continue
            for k in taught[c.name]:
                shares = seat_shares(k.duration_months, v.m)
                for s in v.where_of("starts", k.name):
                    if s in own:
                        continue
                    for tau in range(max(0, t - len(shares) + 1), t + 1):
                        if shares[t - tau]:
                            rhs.add(("starts", k.name, s, tau),
                                    shares[t - tau] / k.trainees_per_instructor)


def equipment_checks(cl: CheckList) -> None:
    v, inputs, T, m = cl.view, cl.view.inputs, cl.view.T, cl.view.m
    supply = defaultdict(list)  # equipment -> (source, lag), in source order
    for src in inputs.sources:
        supply[src.equipment].append((src.source, v.lag(src.lead_time_months)))
    for e in inputs.equipment:
        keep = 1 - v.loss(e)
        text = keep_text(e.loss_rate, m) if e.loss_rate else None
        for t in range(T):
            rhs = cl.of("inventory balance", "inventory", e.name, t, "=",
                        "inventory = (1−loss)·previous + arrivals of orders placed a lead "
                        "time earlier")
            if rhs is not None:
                if t == 0:
                    rhs.const(keep * e.initial_inventory,
                              f"{text}*{literal(e.initial_inventory)}" if text else None)
                else:
                    rhs.add(("inventory", e.name, "", t - 1), keep, text)
                for source, lead in supply[e.name]:
                    if t - lead >= 0:
                        rhs.add(("acquisitions", e.name, source, t - lead))
            rhs = cl.of("availability", "operational", e.name, t, "≤",
                        "operational ≤ availability × inventory")
            if rhs is not None:
                rhs.add(("inventory", e.name, "", t), e.availability)
            target = v.equipment_target(e.name, t)
            if target is not None:
                lhs, rhs = cl.new("equipment target", e.name, "", t, "≥",
                                  "operational + shortfall ≥ target")
                lhs.add(("operational", e.name, "", t)).add(
                    ("equipment_shortfall", e.name, "", t))
                rhs.const(target)
    for c in inputs.categories:
        crewed = [e for e in inputs.equipment if e.crew_category == c.name]
        for t in range(T) if crewed else ():
            lhs, rhs = cl.new("crews", c.name, "", t, "≤",
                              "Σ crew_per_system × operational ≤ strength − "
                              "(1−reserve_weight)·reserve − instructors")
            for e in crewed:
                lhs.add(("operational", e.name, "", t), e.crew_per_system or 0.0)
            rhs.add(("strength", c.name, "", t)).add(("reserve", c.name, "", t),
                                                      -(1 - c.reserve_weight))
            rhs.add(("instructors", c.name, "", t), -1.0)
    for src in inputs.sources:
        keys = [("acquisitions", src.equipment, src.source, t) for t in range(T)]
        for t, key in enumerate(keys):
            if not v.source_open(src, t):
                lhs, rhs = cl.new("order window", src.equipment, src.source, t, "≤",
                                  "no order outside the source's window")
                lhs.add(key)
            elif src.max_per_period is not None:
                lhs, rhs = cl.new("source maximum", src.equipment, src.source, t, "≤",
                                  "orders ≤ max_per_period")
                lhs.add(key)
                rhs.const(src.max_per_period)
        if src.total_available is not None:
            lhs, rhs = cl.new("source total", src.equipment, src.source, None, "≤",
                              "Σ orders over the plan ≤ total_available")
            for key in keys:
                lhs.add(key)
            rhs.const(src.total_available)


def cost_checks(cl: CheckList) -> None:
    v, inputs, T, m = cl.view, cl.view.inputs, cl.view.T, cl.view.m
    site_cost = {(cs.course, cs.site): cs.cost_per_start for cs in inputs.course_sites or ()}
    year = m / 12
    for t in range(T):
        sums = {}
        for line in COST_LINES[:-1]:
            lhs, rhs = cl.new("cost line", line, "", t, "=", COST_WORDS[line])
            lhs.add(("cost", line, "", t))
            sums[line] = rhs
        for k in inputs.courses:
            for s in v.where_of("starts", k.name):
                unit = site_cost.get((k.name, s))
                sums["training"].add(("starts", k.name, s, t),
                                     k.cost_per_start if unit is None else unit)
        for c in inputs.categories:
            sums["personnel"].add(("strength", c.name, "", t), c.cost_per_person_year * year)
            sums["personnel"].add(("reserve", c.name, "", t), c.reserve_cost * year)
            sums["personnel"].add(("overstrength", c.name, "", t), c.overstrength_cost * year)
            sums["separations"].add(("separations", c.name, "", t), c.separation_cost)
        for src in inputs.sources:
            sums["procurement"].add(("acquisitions", src.equipment, src.source, t),
                                    src.unit_cost)
        for e in inputs.equipment:
            sums["sustainment"].add(("inventory", e.name, "", t),
                                    e.sustainment_cost_per_year * year)
        lhs, rhs = cl.new("cost total", "total", "", t, "=", "total = sum of the cost lines")
        lhs.add(("cost", "total", "", t))
        for line in COST_LINES[:-1]:
            rhs.add(("cost", line, "", t))
        budget = inputs.periods[t].budget
        if budget is not None:
            lhs, rhs = cl.new("budget", "total", "", t, "≤", "total cost ≤ budget")
            lhs.add(("cost", "total", "", t))
            rhs.const(budget)


COST_WORDS = {
    "training": "training = Σ starts × cost_per_start (site cost where given)",
    "personnel": "personnel = Σ (strength × cost_per_person_year + reserve × reserve_cost + "
                 "overstrength × overstrength_cost) × months/12",
    "separations": "separations = Σ separations × separation_cost",
    "procurement": "procurement = Σ orders × unit_cost",
    "sustainment": "sustainment = Σ inventory × sustainment_cost_per_year × months/12",
}


def integer_checks(cl: CheckList) -> None:
    """Integer mode: starts in whole classes, orders in whole systems."""
    v, inputs, T = cl.view, cl.view.inputs, cl.view.T
    for k in inputs.courses:
        size = literal(k.class_size)
        for s in v.where_of("starts", k.name):
            for t in range(T):
                key = ("starts", k.name, s, t)
                lhs, rhs = cl.new("whole classes", k.name, s, t, "=",
                                  "starts = class_size × a whole number of classes")
                lhs.add(key)
                x = v.values.get(key, 0.0)
                rhs.raw(f"{size}*ROUND({lhs.ref(key)}/{size},0)", x,
                        k.class_size * excel_round(x / k.class_size))
    for src in inputs.sources:
        for t in range(T):
            key = ("acquisitions", src.equipment, src.source, t)
            if key in v.rows:
                lhs, rhs = cl.new("whole systems", src.equipment, src.source, t, "=",
                                  "orders = a whole number of systems")
                lhs.add(key)
                rhs.raw(f"ROUND({lhs.ref(key)},0)", v.values[key], excel_round(v.values[key]))


def build_checks(view: PlanView) -> list[Check]:
    cl = CheckList(view)
    personnel_checks(cl)
    equipment_checks(cl)
    cost_checks(cl)
    limit_checks(cl)
    if view.results.integer:
        integer_checks(cl)
    order: dict = {}
    for ck in cl.checks:
        order.setdefault(ck.check, len(order))
    return sorted(cl.checks, key=lambda ck: order[ck.check])  # stable: by family


# --------------------------------------------------------------------------- writing
def _chunks(parts: list[str], limit: int) -> list[list[str]]:
    chunks, current, size = [], [], 0
    for p in parts:
        if current and size + len(p) > limit:
            chunks.append(current)
            current, size = [], 0
        current.append(p)
        size += len(p)
    return chunks + [current]


def write_checks(ws: Sheet, view: PlanView, max_formula: int = MAX_FORMULA) -> int:
    """Write every check; returns the number of check rows (part rows not counted).

    The rows are composed first (the verdict in row 3 counts them, and the streamed rows
    come after every other cell of the sheet), then streamed."""
    checks = build_checks(view)
    title(ws, "Checks — the plan re-derived from its own Data sheet by live formulas",
          "ok is TRUE when the relation holds within the tolerance: 10⁻⁶ × the larger of 1 "
          "and the sum of the sizes of the row's terms. Recalculate after any edit.")
    header(ws, FIRST_ROW - 1, COLUMNS)
    # part rows: how many each check needs, so that every row's number is known up front
    sides_of, last = [], FIRST_ROW - 1
    for ck in checks:
        sides = []
        for side in (ck.plan, ck.other):
            if side.number is not None:  # a plain limit: a number, not a formula
                sides.append(side.number)
                continue
            body = side.formula()
            if len(body) > max_formula:  # split a very long sum over part rows
                chunks = _chunks(side.parts, max_formula)
                last += len(chunks)
                sides.append(chunks)
            else:
                sides.append(body)
        sides_of.append(sides)
        last += 1
    n = len(view.frame)
    count = len(checks) + (1 if n else 0)
    last += 1 if n else 0
    okr = f"J{FIRST_ROW}:J{max(last, FIRST_ROW)}"
    # each check's sides' values and tolerance (what the row's formulas compute)
    sums = [(ck.plan.value(), ck.other.value(), ck.tolerance) for ck in checks]
    holds = [holding(ck.relation, *sides) for ck, sides in zip(checks, sums)]
    if n:
        least = float(view.frame.iloc[:, 4].min())  # the value column's smallest
        holds.append(least >= -RELATIVE_TOLERANCE)
    failed = holds.count(False)
    put_formula(ws, 3, 1, f'=IF(COUNTIF({okr},FALSE)=0,"All "&COUNTIF({okr},TRUE)&'
                f'" checks hold.",COUNTIF({okr},FALSE)&" of {count} checks FAIL: '
                f'see the rows marked FALSE.")', font=BOLD,
                value=f"All {len(holds)} checks hold." if failed == 0 else
                f"{failed} of {count} checks FAIL: see the rows marked FALSE.")
    highlight_equal(ws, okr, "FALSE", SHORT_FILL)
    highlight_equal(ws, okr, "TRUE", GOOD_FILL)
    widths(ws, {1: 24, 4: 11, 5: 14, 6: 8, 7: 18, 8: 11, 9: 11, 10: 7, 11: 70})
    fit_widths(ws, {2: (12, 40), 3: (10, 40)},  # the streamed rows are not collected cells
               {2: max((len(ck.item) for ck in checks), default=0),
                3: max((len(ck.where) for ck in checks), default=0)})
    ws.freeze(FIRST_ROW, 5)
    ws.autofilter(f"A{FIRST_ROW - 1}:K{max(last, FIRST_ROW)}")
    put(ws, FIRST_ROW - 2, 1, PRINT_NOTE.format(what="the check rows below"),
        font=NOTE_FONT)
    print_setup(ws, f"{FIRST_ROW - 1}:{FIRST_ROW - 1}", area=f"A1:K{FIRST_ROW - 1}")

    rows = Rows(ws, FIRST_ROW, last, len(COLUMNS))
    text, number, formula, ref, add = rows.text, rows.number, rows.formula, rows.ref, rows.add
    fig, small = rows.style(NUMBER), rows.style("0.00E+00")
    for ck, sides, ok, (plan_value, other_value, tolerance) in zip(checks, sides_of, holds,
                                                                    sums):
        values = [plan_value, other_value]
        for k, side in enumerate(sides):
            if isinstance(side, list):  # part rows, then their sum
                refs, total, done = [], [], 0
                for i, chunk in enumerate(side):
                    refs.append(ref(7))
                    sum_ = (ck.plan, ck.other)[k]
                    part = sum_.value(sum_.terms[done:done + len(chunk)])
                    done += len(chunk)
                    total.append(part)
                    add([text(1, f"{ck.check} (part {i + 1})"), text(2, ck.item),
                         text(3, ck.where), text(4, ck.period), None, None,
                         formula(7, "=" + sum_.body(chunk), fig, part)])
                sides[k] = "=" + "+".join(refs)
                values[k] = sum(total)
        h, i = ref(8), ref(9)
        e, g = (formula(col, side, fig, x) if isinstance(side, str) else number(col, side, fig)
                for col, side, x in ((5, sides[0], values[0]), (7, sides[1], values[1])))
        test = {"=": f"ABS({h})<={i}", "≤": f"{h}<={i}", "≥": f"{h}>=-{i}"}[ck.relation]
        add([text(1, ck.check), text(2, ck.item), text(3, ck.where), text(4, ck.period), e,
             text(6, ck.relation), g,
             formula(8, f"={ref(5)}-{ref(7)}", small, values[0] - values[1]),
             number(9, tolerance, small), formula(10, f"={test}", None, ok),
             text(11, ck.equation)])
    # every figure of the plan is ≥ 0 (MODEL.md: every decision and stock is ≥ 0)
    if n:
        h, i = ref(8), ref(9)
        add([text(1, "non-negative"), text(2, "every Data value"), None, None,
             formula(5, f"=MIN(Data!{DATA_VALUE_COLUMN}2:{DATA_VALUE_COLUMN}{n + 1})", fig,
                     least),
             text(6, "≥"), number(7, 0, fig), formula(8, f"={ref(5)}-{ref(7)}", small, least),
             number(9, RELATIVE_TOLERANCE, small), formula(10, f"={h}>=-{i}", None, holds[-1]),
             text(11, "every decision and stock ≥ 0")])
    assert rows.last_row == max(last, FIRST_ROW - 1), (rows.last_row, last)
    return count


def holding(relation: str, plan: float, other: float, tolerance: float) -> bool:
    """The ok cell's value: the relation holds within the tolerance (as its formula)."""
    d = plan - other
    if relation == "=":
        return abs(d) <= tolerance
    return d <= tolerance if relation == "≤" else d >= -tolerance


def start_periods(inputs, T: int) -> dict:
    """course -> the plan periods (< T) in which MODEL.md allows one of its routes to start."""
    sets = derive(inputs)
    return {course.name: {t for t in sets.course_start_periods.get(k, ()) if t < T}
            for k, course in enumerate(inputs.courses)}
