"""An independent checker of a solved plan against MODEL.md.

Written from MODEL.md alone: it does not import force_plan.model (nor force_plan.results.extract'
extraction). Given the typed inputs (``Inputs``) and the plan's tidy ``Data`` table
(``Results.data``: quantity, item, where, period, value), it recomputes every equation
and limit of the model and returns the violations in words:

  timing (lags, starts and orders allowed only where MODEL.md allows them), graduates
  and in-training figures, the strength balance, the target equation and min_fill,
  reserve (cap, ≤ strength), over-strength cap, separation limits, course minimum and
  maximum starts, site-course maximum, instructors, the recruit pool, seats (fractional
  overlap, availability windows), the force cap (trained + in training), the inventory
  balance (lead times, loss), availability, crews, equipment targets, source limits
  (per period, total, window), every cost line, the budget, integer classes and systems,
  the objective level values and the Summary totals. Version 2: the look-ahead periods
  (H = lookahead_periods, blank = the largest course or lead-time lag + 1; they repeat
  period T's targets, recruits, budget and force cap, windows open at T stay open), the
  instructor pool (instructors drawn from strength with the seat measure, none at
  own-instructor sites), effective strength (− instructors) in targets and crews,
  reserve + instructors ≤ strength, the per-period force cap, and the `changes` term.

The Data table covers the plan's periods; pass the look-ahead rows too (labelled
``"<last label> +1"`` …, ``Results.lookahead_data``) to check them and the objectives,
which cover every optimised period. The Summary totals cover the plan's periods only.

Tolerance: an equation or limit holds when it is met within ``tol`` relative to the size
of its largest term (at least 1), ``tol = 1e-6`` by default.

    problems = check_plan(inputs, results.data, objectives=results.objectives,
                          summary=dict(results.summary), integer=results.integer)
    assert not problems, "\\n".join(problems)
"""
from __future__ import annotations

import math
from collections import defaultdict

COST_LINES = ("training", "personnel", "separations", "procurement", "sustainment")


def lag_of(months: float, m: int) -> int:
    """MODEL.md, Time: lag = 0 if d = 0, else ceil(d/m) − 1 (a hair of float slack)."""
    if months <= 0:
        return 0
    return max(0, math.ceil(months / m - 1e-9) - 1)


def rate_per_period(annual: float, m: int) -> float:
    """r_m = 1 − (1 − r)^(m/12)."""
    return 1.0 - (1.0 - annual) ** (m / 12.0)


def overlap(d: float, m: int, offset: int) -> float:
    """Fraction of period τ + offset during which a starter of τ (course of d months,
    starting at the beginning of τ) is present: clamp(d − offset·m, 0, m) / m."""
    if d <= 0:
        return 0.0
    return max(0.0, min(float(m), d - offset * m)) / m


def lookahead_of(inputs) -> int:
    """MODEL.md, Look-ahead: H = lookahead_periods, blank = the largest lag + 1."""
    if inputs.settings.lookahead_periods is not None:
        return inputs.settings.lookahead_periods
    m = inputs.settings.period_months
    lags = [lag_of(k.duration_months, m) for k in inputs.courses] + \
        [lag_of(s.lead_time_months, m) for s in inputs.sources]
    return max(lags, default=0) + 1


class Checker:
    def __init__(self, inputs, data, tol: float = 1e-6):
        self.inputs, self.tol = inputs, tol
        self.T_plan, self.m = len(inputs.periods), inputs.settings.period_months
        self.labels = [p.label for p in inputs.periods]
        present = set(data["period"].tolist()) if len(data) else set()
        H = lookahead_of(inputs)
        extra = [f"{self.labels[-1]} +{i}" for i in range(1, H + 1)]
        # the look-ahead is checked when its rows are given (else the plan's periods only)
        self.full = bool(extra) and extra[0] in present
        if self.full:
            self.labels += extra
        self.T = len(self.labels)
        self.problems: list[str] = []
        self.v: dict = {}
        cols = list(data.columns)
        if cols != ["quantity", "item", "where", "period", "value"]:
            self.problems.append(f"Data columns are {cols}")
        pidx = {label: t for t, label in enumerate(self.labels)}
        for q, item, where, period, value in data.itertuples(index=False):
            key = (q, item, where, pidx.get(period, period))
            if key in self.v:
                self.problems.append(f"Data has two rows for {key}")
            if period not in pidx:
                self.problems.append(f"Data row {key} has an unknown period")
            if not math.isfinite(float(value)):
                self.problems.append(f"Data {key} is {value}")
            elif float(value) < -tol:
                self.problems.append(f"Data {key} is negative ({value})")
            self.v[key] = float(value)

    # ------------------------------------------------------------------ helpers
    def p(self, t: int) -> int:
        """The plan period whose inputs period t uses (the look-ahead repeats T's)."""
        return min(t, self.T_plan - 1)

    def until(self, until) -> int:
        """Last period of a window; one open at period T stays open in the look-ahead."""
        if until is None or (self.full and until >= self.T_plan - 1):
            return self.T - 1
        return until

    def get(self, q, item, t, where="", required=True) -> float:
        key = (q, item, where, t)
        if key not in self.v:
            if required:
                self.problems.append(f"Data has no row {q} / {item} / {where!r} / "
                                     f"{self.labels[t] if 0 <= t < self.T else t}")
            return 0.0
        return self.v[key]

    def _ok(self, diff_ok: bool, what: str, lhs: float, rhs: float) -> None:
        if not diff_ok:
            self.problems.append(f"{what}: {lhs!r} vs {rhs!r}")

    def eq(self, what: str, lhs: float, rhs: float, *terms: float) -> None:
        scale = max([1.0, abs(lhs), abs(rhs)] + [abs(x) for x in terms])
        self._ok(abs(lhs - rhs) <= self.tol * scale, what, lhs, rhs)

    def le(self, what: str, lhs: float, rhs: float, *terms: float) -> None:
        scale = max([1.0, abs(lhs), abs(rhs)] + [abs(x) for x in terms])
        self._ok(lhs <= rhs + self.tol * scale, what, lhs, rhs)

    # ------------------------------------------------------------------ the model
    def run(self, objectives=None, summary=None, integer=False) -> list[str]:
        self.routes()
        self.personnel()
        self.training_limits()
        self.seats_and_force_cap()
        self.equipment()
        self.money()
        if integer:
            self.whole_units()
        if objectives is not None:
            self.objective_levels(objectives)
        if summary is not None:
            self.summary_totals(summary)
        return self.problems

    def routes(self) -> None:
        """starts per (course, site); N[k,t]; where a start may happen."""
        inputs, T = self.inputs, self.T
        self.courses = {k.name: k for k in inputs.courses}
        self.lag = {k.name: lag_of(k.duration_months, self.m) for k in inputs.courses}
        sites = {s.name: s for s in (inputs.sites or ())}
        if inputs.course_sites is None:
            self.route_list = [(k.name, "", k.cost_per_start, None) for k in inputs.courses]
        else:
            self.route_list = [(cs.course, cs.site, cs.cost_per_start if cs.cost_per_start
                                is not None else self.courses[cs.course].cost_per_start,
                                cs.max_starts_per_period) for cs in inputs.course_sites]
        self.starts = {}
        self.N = defaultdict(float)
        self.allowed = defaultdict(set)  # course -> periods where some route may start
        for course, site, _cost, _mx in self.route_list:
            L = self.lag[course]
            first, last = 0, T - 1
            if site:
                s = sites[site]
                first = s.available_from
                last = self.until(s.available_until)
            for t in range(T):
                x = self.get("starts", course, t, site)
                self.starts[(course, site, t)] = x
                self.N[(course, t)] += x
                ok = first <= t and t + L <= last and t + L <= T - 1
                if ok:
                    self.allowed[course].add(t)
                elif x > self.tol:
                    self.problems.append(f"starts of {course} at {site or 'its site'} in "
                                         f"{self.labels[t]} = {x} where no start is allowed")
        pipeline = defaultdict(float)
        for p in inputs.pipeline:
            pipeline[(p.course, p.period)] += p.graduates
        self.G = {}
        for k in inputs.courses:
            L = self.lag[k.name]
            for t in range(T):
                g = (k.yield_ * self.N[(k.name, t - L)] if t - L >= 0 else 0.0) + \
                    pipeline[(k.name, t)]
                self.G[(k.name, t)] = g
                self.eq(f"graduates of {k.name} in {self.labels[t]}",
                        self.get("graduates", k.name, t), g)
                inside = sum(self.N[(k.name, tau)] for tau in range(max(0, t - L + 1), t + 1)) \
                    if L else 0.0
                self.eq(f"in_training of {k.name} in {self.labels[t]}",
                        self.get("in_training", k.name, t), inside)

    def personnel(self) -> None:
        inputs, T = self.inputs, self.T
        targets = {(x.item, x.period): x.value for x in inputs.targets}
        self.instructors()
        self.S, self.R = {}, {}
        for c in inputs.categories:
            a = rate_per_period(c.attrition_rate, self.m)
            prev = c.initial_strength
            for t in range(T):
                s = self.get("strength", c.name, t)
                x = self.get("separations", c.name, t)
                r = self.get("reserve", c.name, t)
                self.S[(c.name, t)], self.R[(c.name, t)] = s, r
                grads = sum(self.G[(k.name, t)] for k in inputs.courses
                            if k.to_category == c.name)
                leave = sum(self.N[(k.name, t)] for k in inputs.courses
                            if k.from_category == c.name)
                self.eq(f"strength balance of {c.name} in {self.labels[t]}", s,
                        (1 - a) * prev + grads - leave - x, prev, grads, leave, x)
                prev = s
                self.le(f"reserve cap of {c.name} in {self.labels[t]}", r, c.reserve_cap)
                i = self.I[(c.name, t)]
                self.le(f"reserve and instructors within strength of {c.name} in "
                        f"{self.labels[t]}", r + i, s, r, i)
                if c.max_separations_per_period is not None:
                    self.le(f"separations of {c.name} in {self.labels[t]}", x,
                            c.max_separations_per_period)
                target = targets.get((c.name, self.p(t)))
                short = self.get("shortfall", c.name, t, required=target is not None)
                over = self.get("overstrength", c.name, t, required=target is not None)
                if target is None:
                    if ("shortfall", c.name, "", t) in self.v or \
                            ("overstrength", c.name, "", t) in self.v:
                        self.problems.append(f"{c.name} has shortfall/overstrength rows in "
                                             f"{self.labels[t]} without a target")
                    continue
                w = c.reserve_weight
                self.eq(f"target equation of {c.name} in {self.labels[t]}",
                        s - (1 - w) * r - i - over + short, target, s, r, i, over, short)
                self.le(f"min_fill of {c.name} in {self.labels[t]}", short,
                        (1 - c.min_fill) * target)
        if inputs.settings.overstrength_cap is not None:
            for t in range(T):
                total = sum(self.v.get(("overstrength", c.name, "", t), 0.0)
                            for c in inputs.categories)
                self.le(f"over-strength cap in {self.labels[t]}", total,
                        inputs.settings.overstrength_cap)

    def training_limits(self) -> None:
        inputs = self.inputs
        for k in inputs.courses:
            for t in range(self.T):
                n = self.N[(k.name, t)]
                if k.max_starts_per_period is not None:
                    self.le(f"max starts of {k.name} in {self.labels[t]}", n,
                            k.max_starts_per_period)
                if t in self.allowed[k.name] and k.min_starts_per_period > 0:
                    self.le(f"min starts of {k.name} in {self.labels[t]}",
                            k.min_starts_per_period, n)
                if k.instructor_category is not None and k.starts_per_instructor is not None:
                    self.le(f"instructor throughput of {k.name} in {self.labels[t]}", n,
                            k.starts_per_instructor * self.S[(k.instructor_category, t)])
        for course, site, _cost, mx in self.route_list:
            if mx is not None:
                for t in range(self.T):
                    self.le(f"max starts at a site of {course} at {site} in {self.labels[t]}",
                            self.starts[(course, site, t)], mx)
        for t in range(self.T):
            p = inputs.periods[self.p(t)]
            if p.recruits_available is not None:
                n = sum(self.N[(k.name, t)] for k in inputs.courses if k.from_category is None)
                self.le(f"recruits in {self.labels[t]}", n, p.recruits_available)

    def seats_and_force_cap(self) -> None:
        inputs, T, m = self.inputs, self.T, self.m
        for s in inputs.sites or ():
            if s.seats is None:
                continue
            for t in range(T):
                present = 0.0
                for course, site, _c, _mx in self.route_list:
                    if site != s.name:
                        continue
                    d = self.courses[course].duration_months
                    for tau in range(0, t + 1):
                        present += overlap(d, m, t - tau) * self.starts[(course, site, tau)]
                self.le(f"seats of {s.name} in {self.labels[t]}", present, s.seats)
        for t in range(T):
            cap = inputs.periods[self.p(t)].force_cap
            cap = inputs.settings.force_cap if cap is None else cap
            if cap is None:
                continue
            trained = sum(self.S[(c.name, t)] for c in inputs.categories)
            training = sum(self.N[(k.name, tau)] for k in inputs.courses
                           for tau in range(0, t + 1) if tau + self.lag[k.name] > t)
            self.le(f"force cap in {self.labels[t]}", trained + training, cap, trained,
                    training)

    def instructors(self) -> None:
        """instructors[c,t] = Σ_{courses taught by c with trainees_per_instructor}
        Σ_{sites without own instructors} Σ_τ f_k(t − τ)·starts / trainees_per_instructor."""
        inputs, m = self.inputs, self.m
        own = {s.name for s in (inputs.sites or ()) if s.own_instructors}
        pools = {k.instructor_category for k in inputs.courses
                 if k.instructor_category is not None and k.trainees_per_instructor}
        self.I = defaultdict(float)
        for cname in pools:
            for t in range(self.T):
                drawn = 0.0
                for course, site, _c, _mx in self.route_list:
                    k = self.courses[course]
                    if k.instructor_category != cname or not k.trainees_per_instructor \
                            or site in own:
                        continue
                    for tau in range(0, t + 1):
                        drawn += overlap(k.duration_months, m, t - tau) * \
                            self.starts[(course, site, tau)] / k.trainees_per_instructor
                got = self.get("instructors", cname, t)
                self.eq(f"instructor pool of {cname} in {self.labels[t]}", got, drawn)
                self.I[(cname, t)] = got

    def equipment(self) -> None:
        inputs, T = self.inputs, self.T
        targets = {(x.item, x.period): x.value for x in inputs.equipment_targets}
        self.inv, self.acq = {}, {}
        for src in inputs.sources:
            L = lag_of(src.lead_time_months, self.m)
            last = min(T - 1 - L, self.until(src.available_until))
            total = 0.0
            for t in range(T):
                x = self.get("acquisitions", src.equipment, t, src.source)
                self.acq[(src.source, src.equipment, t)] = x
                total += x
                if not (src.available_from <= t <= last) and x > self.tol:
                    self.problems.append(f"order of {src.equipment} from {src.source} in "
                                         f"{self.labels[t]} = {x} outside its window/horizon")
                if src.max_per_period is not None:
                    self.le(f"max per period of {src.equipment} from {src.source} in "
                            f"{self.labels[t]}", x, src.max_per_period)
            if src.total_available is not None:
                self.le(f"total available of {src.equipment} from {src.source}", total,
                        src.total_available)
        crews = defaultdict(float)
        for e in inputs.equipment:
            loss = rate_per_period(e.loss_rate, self.m)
            prev = e.initial_inventory
            for t in range(T):
                inv = self.get("inventory", e.name, t)
                self.inv[(e.name, t)] = inv
                arrivals = sum(self.acq[(src.source, src.equipment, t - lag_of(
                    src.lead_time_months, self.m))] for src in inputs.sources
                    if src.equipment == e.name and t - lag_of(src.lead_time_months, self.m) >= 0)
                self.eq(f"inventory balance of {e.name} in {self.labels[t]}", inv,
                        (1 - loss) * prev + arrivals, prev, arrivals)
                prev = inv
                op = self.get("operational", e.name, t)
                self.le(f"availability of {e.name} in {self.labels[t]}", op,
                        e.availability * inv)
                if e.crew_category is not None and e.crew_per_system:
                    crews[(e.crew_category, t)] += e.crew_per_system * op
                target = targets.get((e.name, self.p(t)))
                short = self.get("equipment_shortfall", e.name, t, required=target is not None)
                if target is not None:
                    self.le(f"equipment target of {e.name} in {self.labels[t]}", target,
                            op + short, op, short)
                elif ("equipment_shortfall", e.name, "", t) in self.v:
                    self.problems.append(f"{e.name} has an equipment_shortfall row in "
                                         f"{self.labels[t]} without a target")
        cats = {c.name: c for c in inputs.categories}
        for (cname, t), need in crews.items():
            c = cats[cname]
            s, r, i = self.S[(cname, t)], self.R[(cname, t)], self.I[(cname, t)]
            self.le(f"crews of {cname} in {self.labels[t]}", need,
                    s - (1 - c.reserve_weight) * r - i, s, r, i)

    def money(self) -> None:
        inputs, T, year = self.inputs, self.T, self.m / 12.0
        self.cost_total = self.plan_cost = 0.0
        for t in range(T):
            lines = dict.fromkeys(COST_LINES, 0.0)
            for course, site, cost, _mx in self.route_list:
                lines["training"] += cost * self.starts[(course, site, t)]
            for c in inputs.categories:
                over = self.v.get(("overstrength", c.name, "", t), 0.0)
                lines["personnel"] += (c.cost_per_person_year * self.S[(c.name, t)]
                                       + c.reserve_cost * self.R[(c.name, t)]
                                       + c.overstrength_cost * over) * year
                lines["separations"] += c.separation_cost * self.get("separations", c.name, t)
            for src in inputs.sources:
                lines["procurement"] += src.unit_cost * self.acq[(src.source, src.equipment, t)]
            for e in inputs.equipment:
                lines["sustainment"] += e.sustainment_cost_per_year * self.inv[(e.name, t)] * year
            for line, value in lines.items():
                self.eq(f"{line} cost in {self.labels[t]}", self.get("cost", line, t), value)
            total = sum(lines.values())
            self.eq(f"total cost in {self.labels[t]}", self.get("cost", "total", t), total,
                    *lines.values())
            self.cost_total += total
            if t < self.T_plan:
                self.plan_cost += total
            budget = inputs.periods[self.p(t)].budget
            if budget is not None:
                self.le(f"budget of {self.labels[t]}", total, budget, *lines.values())

    def whole_units(self) -> None:
        for (course, site, t), x in self.starts.items():
            size = self.courses[course].class_size
            classes = x / size
            if abs(classes - round(classes)) > 1e-6 * max(1.0, classes):
                self.problems.append(f"starts of {course} at {site} in {self.labels[t]} = {x} "
                                     f"is not whole classes of {size}")
        for key, x in self.acq.items():
            if abs(x - round(x)) > 1e-6 * max(1.0, x):
                self.problems.append(f"acquisitions {key} = {x} is not whole systems")

    # ------------------------------------------------------------------ reported figures
    def term(self, name: str, priority=None) -> float:
        inputs = self.inputs
        if name == "shortfall":
            return sum(c.shortfall_weight * self.v.get(("shortfall", c.name, "", t), 0.0)
                       for c in inputs.categories if priority in (None, c.priority)
                       for t in range(self.T))
        if name == "equipment_shortfall":
            return sum(e.shortfall_weight * self.v.get(("equipment_shortfall", e.name, "", t),
                                                       0.0)
                       for e in inputs.equipment if priority in (None, e.priority)
                       for t in range(self.T))
        if name == "cost":
            return self.cost_total
        if name in ("separations", "overstrength"):
            return sum(self.v.get((name, c.name, "", t), 0.0) for c in inputs.categories
                       for t in range(self.T))
        if name == "recruits":
            return sum(self.N[(k.name, t)] for k in inputs.courses if k.from_category is None
                       for t in range(self.T))
        if name == "changes":
            return self._changes(self.starts) + self._changes(self.acq)
        raise ValueError(name)

    def _changes(self, quantity: dict) -> float:
        """Σ over items and t ≥ 2 of |x[t] − x[t−1]|, a start or order not allowed = 0."""
        items = {key[:-1] for key in quantity}
        return sum(abs(quantity.get((*i, t), 0.0) - quantity.get((*i, t - 1), 0.0))
                   for i in items for t in range(1, self.T))

    def objective_levels(self, objectives: dict) -> None:
        levels = defaultdict(float)
        for o in self.inputs.objectives:
            levels[o.level] += o.weight * self.term(o.term, o.priority)
        if set(levels) != set(objectives):
            self.problems.append(f"objective levels {sorted(objectives)} reported, "
                                 f"{sorted(levels)} in the plan")
        for lvl, value in levels.items():
            if lvl in objectives:
                self.eq(f"objective level {lvl}", float(objectives[lvl]), value)

    def summary_totals(self, summary: dict) -> None:
        def total(q):
            return sum(v for k, v in self.v.items() if k[0] == q and k[3] < self.T_plan)

        want = {
            "total_cost": self.plan_cost,
            "total_shortfall": total("shortfall"),
            "total_equipment_shortfall": total("equipment_shortfall"),
            "total_separations": total("separations"),
        }
        for key, value in want.items():
            self.eq(f"Summary {key}", float(summary[key]), value)


def check_plan(inputs, data, *, objectives=None, summary=None, integer=False,
               tol: float = 1e-6) -> list[str]:
    """Every way the plan in ``data`` breaks MODEL.md for ``inputs`` (empty: none)."""
    return Checker(inputs, data, tol).run(objectives, summary, integer)


def check_results(results, tol: float = 1e-6) -> list[str]:
    import pandas as pd

    data = pd.concat([results.data, results.lookahead_data], ignore_index=True)
    return check_plan(results.inputs, data, objectives=results.objectives,
                      summary=dict(results.summary), integer=results.integer, tol=tol)


def assert_plan_holds(results, tol: float = 1e-6) -> None:
    problems = check_results(results, tol)
    assert not problems, f"{len(problems)} violations of MODEL.md:\n" + "\n".join(problems[:40])
