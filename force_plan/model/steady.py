"""The steady state as a linear program (MODEL.md, "Steady state").

One representative period of length m in which every stock stays constant, with period
T's requirements and limits. Variables are those of the period model without a period
index; they are keyed ``(index, T − 1)`` like the period model's, so that the objective
terms (objective.py) and the solver loop (solve.py: HiGHS or CBC, levels held exactly by
pinning, honest status) apply unchanged. With N_k = Σ_s starts[k,s] and the presence
p_k = Σ_o f_k(o) = d_k/m of a starter (months on course ÷ m):

  strength_balance    a_c·strength_c = Σ_{to=c} yield_k·N_k − Σ_{from=c} N_k − separations_c
  instructors_drawn   instructors_c = Σ_{k: instructor_category=c, trainees_per_instructor}
                                      Σ_{s: not own_instructors} p_k·starts[k,s] / tpi_k
  target              strength_c − (1 − rw_c)·reserve_c − instructors_c − overstrength_c
                        + shortfall_c = target_c[T]
  within_strength     reserve_c + instructors_c ≤ strength_c
  seats               Σ_{k at s} p_k·starts[k,s] ≤ seats_s
  force_cap           Σ_c strength_c + Σ_k lag_k·N_k ≤ force_cap[T]
  inventory_balance   l_e·inventory_e = Σ_{src of e} orders_src
  … and every other family of the period model with period T's data.

Routes (a course at a site) and sources take part when available in period T; a source
with a ``total_available`` takes no part (a one-time stock cannot supply for ever);
Pipeline rows and initial values play no part; always a linear program.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pulp

from ..inputs.typed import Inputs
from .build import populate
from .model import Model, terms_add
from .sets import derive
from .timing import seat_shares

COST_LINES = ("training", "personnel", "separations", "procurement", "sustainment")


def presence(duration_months: float, m: int) -> float:
    """Σ_o f_k(o): the periods a starter spends on course (d/m; 0 for a 0-month course)."""
    return sum(seat_shares(duration_months, m))


def open_at(first: int, until, t: int) -> bool:
    """A window [first, until] (until None = to the end) includes period index t."""
    return first <= t and (until is None or until >= t)


def steady_period(inputs: Inputs) -> int:
    """The period whose data the steady state holds: the plan's last, T (index T − 1)."""
    return inputs.T - 1


def open_routes(model: Model) -> list:
    """The routes whose site is available in period T (every route without Sites)."""
    inputs, t = model.inputs, steady_period(model.inputs)
    return [r for r in model.sets.routes
            if r.site is None or open_at(inputs.sites[r.site].available_from,
                                         inputs.sites[r.site].available_until, t)]


def open_sources(inputs: Inputs) -> list:
    """Indices of the sources that supply in the steady state: available in period T,
    without a total_available, and not limited to 0 per period."""
    t = steady_period(inputs)
    return [j for j, src in enumerate(inputs.sources)
            if src.total_available is None and src.max_per_period != 0
            and open_at(src.available_from, src.available_until, t)]


def teaches(model: Model, route) -> float:
    """Instructors per starter of ``route`` drawn from the instructor pool (0 if none)."""
    course = model.inputs.courses[route.course]
    if course.instructor_category is None or not course.trainees_per_instructor:
        return 0.0
    if route.site is not None and model.inputs.sites[route.site].own_instructors:
        return 0.0
    return presence(course.duration_months, model.sets.m) / course.trainees_per_instructor


# ---------------------------------------------------------------------- variables
def define_steady_variables(model: Model) -> None:
    inputs, sets, t = model.inputs, model.sets, steady_period(model.inputs)
    for c, cat in enumerate(inputs.categories):
        model.new_var("strength", (c, t), "ct")
        if cat.max_separations_per_period is None or cat.max_separations_per_period > 0:
            v = model.new_var("separations", (c, t), "ct")
            if cat.max_separations_per_period is not None:
                model.add_bound("max_separations", v, cat.max_separations_per_period,
                                item=cat.name, cell=cat.cells.get("max_separations_per_period",
                                                                  ""), elastic=True)
        if cat.reserve_cap > 0:
            v = model.new_var("reserve", (c, t), "ct")
            model.add_bound("reserve_cap", v, cat.reserve_cap, item=cat.name,
                            cell=cat.cells.get("reserve_cap", ""))
        target = sets.targets.get((c, t))
        if target is not None:
            model.new_var("overstrength", (c, t), "ct")
            v = model.new_var("shortfall", (c, t), "ct")
            model.add_bound("min_fill", v, (1.0 - cat.min_fill) * target.value, item=cat.name,
                            cell=target.cell, elastic=cat.min_fill > 0)
    pool = set()
    for route in open_routes(model):
        course = inputs.courses[route.course]
        v = model.new_var("starts", (route.index, t), "rt")
        model.start_mult[(route.index, t)] = 1.0
        if route.max_starts_per_period is not None:
            site = inputs.sites[route.site].name if route.site is not None else ""
            model.add_bound("site_course_starts", v, route.max_starts_per_period,
                            item=f"{course.name} at {site}",
                            cell=route.cells.get("max_starts_per_period", ""))
        if teaches(model, route):
            pool.add(sets.cat_index[course.instructor_category])
    for c in sorted(pool):
        model.new_var("instructors", (c, t), "ct")
    for j in open_sources(inputs):
        src = inputs.sources[j]
        v = model.new_var("orders", (j, t), "jt")
        if src.max_per_period is not None:
            model.add_bound("source_per_period", v, src.max_per_period,
                            item=f"{src.equipment} from {src.source}",
                            cell=src.cells.get("max_per_period", ""))
    for e in range(len(inputs.equipment)):
        model.new_var("inventory", (e, t), "et")
        model.new_var("operational", (e, t), "et")
        if (e, t) in sets.equipment_targets:
            model.new_var("equipment_shortfall", (e, t), "et")


# ---------------------------------------------------------------------- helpers
def course_starts(model: Model, k: int, coef: float = 1.0, terms=None) -> dict:
    """Terms of coef · N_k over the open routes of course k."""
    terms = {} if terms is None else terms
    t = steady_period(model.inputs)
    for route in model.sets.routes_by_course.get(k, ()):
        terms_add(terms, model.get("starts", (route.index, t)), coef)
    return terms


def _v(model: Model, family: str, i: int):
    return model.get(family, (i, steady_period(model.inputs)))


def effective_terms(model: Model, c: int, coef: float = 1.0) -> dict:
    """coef · (strength_c − (1 − reserve_weight_c)·reserve_c − instructors_c)."""
    cat = model.inputs.categories[c]
    terms: dict = {}
    terms_add(terms, _v(model, "strength", c), coef)
    terms_add(terms, _v(model, "reserve", c), -coef * (1.0 - cat.reserve_weight))
    terms_add(terms, _v(model, "instructors", c), -coef)
    return terms


def _row(model: Model, family: str, i: int, letter: str, terms: dict, sense: str, rhs: float,
         **kw) -> None:
    """One stationary row (skipped when it has no terms: it holds trivially)."""
    if any(terms.values()):
        model.add_row(family, (i,), letter, terms, sense, rhs, **kw)


# ---------------------------------------------------------------------- personnel
def define_steady_strength(model: Model) -> None:
    """a_c·strength_c − Σ_{to=c} yield_k·N_k + Σ_{from=c} N_k + separations_c = 0."""
    inputs, sets = model.inputs, model.sets
    for c, cat in enumerate(inputs.categories):
        terms: dict = {}
        terms_add(terms, _v(model, "strength", c), sets.attrition[c])
        for k, course in enumerate(inputs.courses):
            if course.to_category == cat.name:
                course_starts(model, k, -course.yield_, terms)
            if course.from_category == cat.name:
                course_starts(model, k, 1.0, terms)
        terms_add(terms, _v(model, "separations", c), 1.0)
        _row(model, "strength_balance", c, "c", terms, "==", 0.0, item=cat.name,
             cell=cat.cells.get("attrition_rate", ""))


def define_steady_instructor_pool(model: Model) -> None:
    """instructors_c − Σ p_k·starts[k,s]/trainees_per_instructor_k = 0 (routes whose site
    does not bring its own instructors)."""
    t = steady_period(model.inputs)
    for (c, _t), v in model.var.get("instructors", {}).items():
        name = model.inputs.categories[c].name
        terms = {v: 1.0}
        for route in open_routes(model):
            if model.inputs.courses[route.course].instructor_category == name:
                terms_add(terms, model.get("starts", (route.index, t)), -teaches(model, route))
        _row(model, "instructors_drawn", c, "c", terms, "==", 0.0, item=name)


def define_steady_targets(model: Model) -> None:
    """effective_c − overstrength_c + shortfall_c = target_c[T]."""
    t = steady_period(model.inputs)
    for (c, tt), target in model.sets.targets.items():
        if tt != t:
            continue
        terms = effective_terms(model, c)
        terms_add(terms, _v(model, "overstrength", c), -1.0)
        terms_add(terms, _v(model, "shortfall", c), 1.0)
        model.add_row("target", (c,), "c", terms, "==", target.value,
                      item=model.inputs.categories[c].name, cell=target.cell)


def define_steady_reserve(model: Model) -> None:
    """reserve_c + instructors_c ≤ strength_c (reserve_c ≤ reserve_cap_c is the bound)."""
    for c, cat in enumerate(model.inputs.categories):
        terms: dict = {}
        terms_add(terms, _v(model, "reserve", c), 1.0)
        terms_add(terms, _v(model, "instructors", c), 1.0)
        if terms:
            terms_add(terms, _v(model, "strength", c), -1.0)
            _row(model, "within_strength", c, "c", terms, "<=", 0.0, item=cat.name)


def define_steady_overstrength_cap(model: Model) -> None:
    """Σ_c overstrength_c ≤ overstrength_cap."""
    cap = model.inputs.settings.overstrength_cap
    terms: dict = {}
    for v in model.var.get("overstrength", {}).values():
        terms_add(terms, v, 1.0)
    if cap is not None and terms:
        model.add_row("overstrength_cap", (0,), "n", terms, "<=", cap,
                      cell=model.inputs.settings.cells.get("overstrength_cap", ""), elastic=True)


# ---------------------------------------------------------------------- training
def define_steady_course_limits(model: Model) -> None:
    """min_starts_k ≤ N_k ≤ max_starts_k (for a course with a route open at T), and
    N_k ≤ starts_per_instructor_k · strength[instructor_category_k] (row
    ``instructor_throughput``)."""
    inputs, sets = model.inputs, model.sets
    for k, course in enumerate(inputs.courses):
        terms = course_starts(model, k)
        if not terms:
            continue
        if course.max_starts_per_period is not None:
            model.add_row("course_max_starts", (k,), "k", terms, "<=",
                          course.max_starts_per_period, item=course.name,
                          cell=course.cells.get("max_starts_per_period", ""))
        if course.min_starts_per_period > 0:
            model.add_row("course_min_starts", (k,), "k", terms, ">=",
                          course.min_starts_per_period, item=course.name,
                          cell=course.cells.get("min_starts_per_period", ""), elastic=True)
        if course.instructor_category is not None and course.starts_per_instructor is not None:
            spi = dict(terms)
            terms_add(spi, _v(model, "strength", sets.cat_index[course.instructor_category]),
                      -course.starts_per_instructor)
            model.add_row("instructor_throughput", (k,), "k", spi, "<=", 0.0, item=course.name,
                          cell=course.cells.get("starts_per_instructor", ""))


def define_steady_recruits(model: Model) -> None:
    """Σ_{k from RECRUIT} N_k ≤ recruits_available[T]."""
    period = model.inputs.periods[steady_period(model.inputs)]
    terms: dict = {}
    for k, course in enumerate(model.inputs.courses):
        if course.from_recruit:
            course_starts(model, k, 1.0, terms)
    if period.recruits_available is not None and terms:
        model.add_row("recruits", (0,), "n", terms, "<=", period.recruits_available,
                      cell=period.cells.get("recruits_available", ""))


def define_steady_seats(model: Model) -> None:
    """Σ_{k at s} p_k·starts[k,s] ≤ seats_s, every site open at T with seats."""
    inputs, t, m = model.inputs, steady_period(model.inputs), model.sets.m
    for s, site in enumerate(inputs.sites or ()):
        if site.seats is None:
            continue
        terms: dict = {}
        for route in model.sets.routes_by_site.get(s, ()):
            p = presence(inputs.courses[route.course].duration_months, m)
            terms_add(terms, model.get("starts", (route.index, t)), p)
        _row(model, "seats", s, "s", terms, "<=", site.seats, item=site.name,
             cell=site.cells.get("seats", ""))


def define_steady_force_cap(model: Model) -> None:
    """Σ_c strength_c + Σ_k lag_k·N_k ≤ force_cap[T]."""
    inputs = model.inputs
    t = steady_period(inputs)
    cap = inputs.force_cap(t)
    if cap is None:
        return
    terms: dict = {}
    for k in range(len(inputs.courses)):
        course_starts(model, k, float(model.sets.course_lag[k]), terms)
    for c in range(len(inputs.categories)):
        terms_add(terms, _v(model, "strength", c), 1.0)
    cell = inputs.periods[t].cells.get("force_cap") or inputs.settings.cells.get("force_cap", "")
    model.add_row("force_cap", (0,), "n", terms, "<=", cap, cell=cell, elastic=True)


# ---------------------------------------------------------------------- equipment
def define_steady_equipment(model: Model) -> None:
    """l_e·inventory_e = Σ orders; operational_e ≤ availability_e·inventory_e;
    operational_e + equipment_shortfall_e ≥ target_e[T]."""
    inputs, sets, t = model.inputs, model.sets, steady_period(model.inputs)
    for e, eq in enumerate(inputs.equipment):
        terms: dict = {}
        terms_add(terms, _v(model, "inventory", e), sets.loss[e])
        for j, src in enumerate(inputs.sources):
            if src.equipment == eq.name:
                terms_add(terms, model.get("orders", (j, t)), -1.0)
        _row(model, "inventory_balance", e, "e", terms, "==", 0.0, item=eq.name,
             cell=eq.cells.get("loss_rate", ""))
        model.add_row("availability", (e,), "e",
                      {_v(model, "operational", e): 1.0, _v(model, "inventory", e):
                       -eq.availability}, "<=", 0.0, item=eq.name,
                      cell=eq.cells.get("availability", ""))
        target = sets.equipment_targets.get((e, t))
        if target is not None:
            model.add_row("equipment_target", (e,), "e",
                          {_v(model, "operational", e): 1.0,
                           _v(model, "equipment_shortfall", e): 1.0}, ">=", target.value,
                          item=eq.name, cell=target.cell)


def define_steady_crews(model: Model) -> None:
    """Σ_{e: crew_category=c} crew_per_system_e·operational_e ≤ effective_c."""
    inputs = model.inputs
    for c, cat in enumerate(inputs.categories):
        terms = effective_terms(model, c, -1.0)
        crewed = False
        for e, eq in enumerate(inputs.equipment):
            if eq.crew_category == cat.name and eq.crew_per_system:
                terms_add(terms, _v(model, "operational", e), eq.crew_per_system)
                crewed = True
        if crewed:
            model.add_row("crews", (c,), "c", terms, "<=", 0.0, item=cat.name)


# ---------------------------------------------------------------------- money
def define_steady_costs(model: Model) -> None:
    """cost = the period model's cost lines for one period; cost ≤ budget[T]."""
    inputs, t = model.inputs, steady_period(model.inputs)
    year = model.sets.m / 12.0
    lines = {name: {} for name in COST_LINES}
    for route in open_routes(model):
        terms_add(lines["training"], model.get("starts", (route.index, t)), route.cost_per_start)
    for c, cat in enumerate(inputs.categories):
        terms_add(lines["personnel"], _v(model, "strength", c), cat.cost_per_person_year * year)
        terms_add(lines["personnel"], _v(model, "reserve", c), cat.reserve_cost * year)
        terms_add(lines["personnel"], _v(model, "overstrength", c), cat.overstrength_cost * year)
        terms_add(lines["separations"], _v(model, "separations", c), cat.separation_cost)
    for j, src in enumerate(inputs.sources):
        terms_add(lines["procurement"], model.get("orders", (j, t)), src.unit_cost)
    for e, eq in enumerate(inputs.equipment):
        terms_add(lines["sustainment"], _v(model, "inventory", e),
                  eq.sustainment_cost_per_year * year)
    model.cost_terms[t] = lines
    budget = inputs.periods[t].budget
    total: dict = {}
    for line in lines.values():
        for v, coef in line.items():
            terms_add(total, v, coef)
    if budget is not None and total:
        model.add_row("budget", (0,), "n", total, "<=", budget,
                      cell=inputs.periods[t].cells.get("budget", ""), elastic=True)


@dataclass(frozen=True)
class SteadyFamily:
    """One row of FORMULATION.md's steady-state table, registered once (as
    model/families.py registers the period model's): its ``#``, its LP names as written
    there (for a variable bound, the bounds' names), and the function that builds it
    (``define_steady_variables`` for a bound). tests/test_families.py proves that the
    table, this registry and the stationary LP cover the same families."""

    row: str
    lp_names: tuple
    define: Callable
    bound: bool = False


S = SteadyFamily
STEADY_REGISTRY: tuple = (
    S("S1", ("strength_balance_c",), define_steady_strength),
    S("S2", ("instructors_drawn_c",), define_steady_instructor_pool),
    S("S3", ("target_c",), define_steady_targets),
    S("S4", ("min_fill", "reserve_cap", "max_separations"), define_steady_variables, True),
    S("S5", ("within_strength_c",), define_steady_reserve),
    S("S6", ("overstrength_cap_n0",), define_steady_overstrength_cap),
    S("S7", ("course_min_starts_k", "course_max_starts_k", "instructor_throughput_k"),
      define_steady_course_limits),
    S("S8", ("site_course_starts",), define_steady_variables, True),
    S("S9", ("recruits_n0",), define_steady_recruits),
    S("S10", ("seats_s",), define_steady_seats),
    S("S11", ("force_cap_n0",), define_steady_force_cap),
    S("S12", ("inventory_balance_e", "availability_e", "equipment_target_e"),
      define_steady_equipment),
    S("S13", ("source_per_period",), define_steady_variables, True),
    S("S14", ("crews_c",), define_steady_crews),
    S("S15", ("budget_n0",), define_steady_costs),
)
del S

#: the stationary families' builders, in the order of models/FORMULATION.md
STEADY_FAMILIES = tuple(dict.fromkeys(f.define for f in STEADY_REGISTRY if not f.bound))


def build_steady(inputs: Inputs, *, elastic: bool = False) -> Model:
    """The steady-state LP of ``inputs`` (``elastic``: hard limits get priced slacks, for
    diagnosis, as in build.build)."""
    prob = pulp.LpProblem("force_plan_steady", pulp.LpMinimize)
    model = Model(inputs=inputs, sets=derive(inputs), prob=prob, integer=False, elastic=elastic)
    return populate(model, (define_steady_variables, *STEADY_FAMILIES))
