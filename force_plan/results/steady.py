"""The sustainable force: solve the steady state and read its figures (MODEL.md, "Steady
state").

Figures come in the planner's units: flows per year (× 12/m) — recruits, starts,
graduates, separations, attrition, orders, losses, cost per line — and levels as they
stand — strength, targets, shortfall, reserve, instructors, seats used, persons in
training, inventory, operational systems, readiness. ``Sustainment.figures`` is one plain
dict, the ``--json`` object of ``force-plan sustain`` (names as written in the workbook):

  status, solver, period (label of T), period_months, cost_unit
  recruits_per_year, recruits_available_per_year (None: no limit)
  cost_per_year, cost_lines {training, personnel, separations, procurement, sustainment},
  budget_per_year
  categories {name: strength, target (None: none), shortfall, overstrength, reserve,
              instructors, effective, readiness (None without a target),
              separations_per_year, attrition_per_year, graduates_per_year,
              conversions_out_per_year}
  courses {name: starts_per_year, graduates_per_year, in_training, instructors,
           sites {site: starts per year} ({} without a Sites sheet)}
  sites {name: seats_used, seats (None: no limit), available (in period T)}
  equipment {name: inventory, operational, target, shortfall, readiness,
             losses_per_year, orders_per_year}
  sources {"<source> @ <equipment>": source, equipment, orders_per_year, takes_part,
           why_not}
  force {strength, in_training, force_cap}, total_shortfall, total_equipment_shortfall,
  sustainable (no shortfall of either kind), objectives {level: value per period},
  binding [{family, item, cell, limit, per_year, level, value_per_unit, sentence}]

Binding limits are the input limits with a shadow price at some objective level. A limit
that binds where shortfall is minimised is said to *hold* the targets it can reach through
the training network (courses from a category or from RECRUIT to another, instructors
drawn from a category, crews of equipment): "recruits: 100 a year hold at most 800 of the
1,000 Infantry required". Plan-wide limits (budget, force cap) reach every target.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..numbers import whole
from ..inputs.typed import Inputs
from ..model.steady import COST_LINES, open_at, open_sources, presence, steady_period, teaches

TOL = 1e-6  # a shortfall below this (persons or systems) counts as none
_BINDING = 1e-7


@dataclass
class Sustainment:
    status: str  # optimal | feasible | infeasible | unbounded | no_solution
    status_text: str
    solver: str
    figures: dict = field(default_factory=dict)  # empty unless a steady state was found
    conflicts: list = field(default_factory=list)  # when no steady state exists
    message: str = ""

    @property
    def found(self) -> bool:
        return self.status in ("optimal", "feasible")


def clean(x) -> Optional[float]:
    if x is None:
        return None
    x = round(float(x), 9)
    return 0.0 if abs(x) < 1e-9 else x


# ---------------------------------------------------------------------- figures
def figures(model, sol) -> dict:
    """Every figure of the solved steady state (see the module docstring for units)."""
    inputs, sets = model.inputs, model.sets
    t, m = steady_period(inputs), sets.m
    year = 12.0 / m
    x = sol.values
    idx = model.col_index

    def val(family, i):
        v = model.get(family, (i, t))
        return 0.0 if v is None else float(x[idx[v]])

    n_route = {r.index: val("starts", r.index) for r in sets.routes}
    n_course = [sum(n_route[r.index] for r in sets.routes_by_course.get(k, ()))
                for k in range(len(inputs.courses))]
    period = inputs.periods[t]
    f: dict = {"status": "", "solver": sol.solver, "period": inputs.period_labels[t],
               "period_months": m, "cost_unit": inputs.settings.cost_unit}
    recruits = sum(n for k, n in enumerate(n_course) if inputs.courses[k].from_recruit)
    f["recruits_per_year"] = clean(recruits * year)
    f["recruits_available_per_year"] = clean(None if period.recruits_available is None
                                             else period.recruits_available * year)
    lines = {}
    for line in COST_LINES:
        terms = model.cost_terms[t][line]
        lines[line] = sum(c * float(x[idx[v]]) for v, c in terms.items()) * year
    f["cost_per_year"] = clean(sum(lines.values()))
    f["cost_lines"] = {k: clean(v) for k, v in lines.items()}
    f["budget_per_year"] = clean(None if period.budget is None else period.budget * year)

    cats: dict = {}
    for c, cat in enumerate(inputs.categories):
        target = sets.targets.get((c, t))
        strength, reserve, inst = val("strength", c), val("reserve", c), val("instructors", c)
        effective = strength - (1.0 - cat.reserve_weight) * reserve - inst
        grads = sum(inputs.courses[k].yield_ * n for k, n in enumerate(n_course)
                    if inputs.courses[k].to_category == cat.name)
        out = sum(n for k, n in enumerate(n_course)
                  if inputs.courses[k].from_category == cat.name)
        cats[cat.name] = {
            "strength": clean(strength),
            "target": None if target is None else clean(target.value),
            "shortfall": clean(val("shortfall", c)),
            "overstrength": clean(val("overstrength", c)),
            "reserve": clean(reserve), "instructors": clean(inst),
            "effective": clean(effective),
            "readiness": clean(effective / target.value) if target is not None and
            target.value else None,
            "separations_per_year": clean(val("separations", c) * year),
            "attrition_per_year": clean(sets.attrition[c] * strength * year),
            "graduates_per_year": clean(grads * year),
            "conversions_out_per_year": clean(out * year),
        }
    f["categories"] = cats

    courses: dict = {}
    for k, course in enumerate(inputs.courses):
        routes = sets.routes_by_course.get(k, ())
        courses[course.name] = {
            "starts_per_year": clean(n_course[k] * year),
            "graduates_per_year": clean(course.yield_ * n_course[k] * year),
            "in_training": clean(sets.course_lag[k] * n_course[k]),
            "instructors": clean(sum(teaches(model, r) * n_route[r.index] for r in routes)),
            "sites": {inputs.sites[r.site].name: clean(n_route[r.index] * year)
                      for r in routes if r.site is not None},
        }
    f["courses"] = courses

    sites: dict = {}
    for s, site in enumerate(inputs.sites or ()):
        used = sum(presence(inputs.courses[r.course].duration_months, m) * n_route[r.index]
                   for r in sets.routes_by_site.get(s, ()))
        sites[site.name] = {"seats_used": clean(used), "seats": site.seats,
                            "available": open_at(site.available_from, site.available_until, t)}
    f["sites"] = sites

    supplying = set(open_sources(inputs))
    sources: dict = {}
    orders_of: dict = {}
    for j, src in enumerate(inputs.sources):
        o = val("orders", j) * year
        orders_of[src.equipment] = orders_of.get(src.equipment, 0.0) + o
        why = ""
        if j not in supplying:
            why = ("total_available: a one-time stock cannot supply for ever"
                   if src.total_available is not None else
                   "max_per_period is 0" if src.max_per_period == 0 else
                   f"not available in {inputs.period_labels[t]}")
        sources[f"{src.source} @ {src.equipment}"] = {
            "source": src.source, "equipment": src.equipment,
            "orders_per_year": clean(o), "takes_part": j in supplying, "why_not": why}
    f["sources"] = sources

    equipment: dict = {}
    for e, eq in enumerate(inputs.equipment):
        target = sets.equipment_targets.get((e, t))
        op, inv = val("operational", e), val("inventory", e)
        equipment[eq.name] = {
            "inventory": clean(inv), "operational": clean(op),
            "target": None if target is None else clean(target.value),
            "shortfall": clean(val("equipment_shortfall", e)),
            "readiness": clean(op / target.value) if target is not None and target.value
            else None,
            "losses_per_year": clean(sets.loss[e] * inv * year),
            "orders_per_year": clean(orders_of.get(eq.name, 0.0)),
        }
    f["equipment"] = equipment

    in_training = sum(sets.course_lag[k] * n for k, n in enumerate(n_course))
    f["force"] = {"strength": clean(sum(v["strength"] for v in cats.values())),
                  "in_training": clean(in_training), "force_cap": inputs.force_cap(t)}
    f["total_shortfall"] = clean(sum(v["shortfall"] for v in cats.values()))
    f["total_equipment_shortfall"] = clean(sum(v["shortfall"] for v in equipment.values()))
    f["sustainable"] = (f["total_shortfall"] <= TOL and f["total_equipment_shortfall"] <= TOL)
    f["objectives"] = {str(lvl): clean(z) for lvl, z in sol.level_optimum.items()}
    return f


# ---------------------------------------------------------------------- binding limits
#: family -> (what the limit is, whether it is a flow per period shown per year, its unit,
#: whether the unit is written after the limit)
_LIMITS = {
    "recruits": ("recruits", True, "recruit", False),
    "seats": ("seats at {item}", False, "seat", False),
    "course_max_starts": ("starts of {item}", True, "start", False),
    "site_course_starts": ("starts of {item}", True, "start", False),
    "course_min_starts": ("minimum starts of {item}", True, "start", False),
    "instructor_throughput": ("starts of {item} allowed by its starts_per_instructor", True,
                              "start", False),
    "budget": ("budget", True, "{cost_unit}", True),
    "force_cap": ("force cap", False, "person", True),
    "overstrength_cap": ("over-strength cap", False, "person", True),
    "source_per_period": ("orders of {item}", True, "system", False),
    "max_separations": ("separations from {item}", True, "person", True),
    "reserve_cap": ("reserve places of {item}", False, "person", True),
    "min_fill": ("the most {item} may be short of its hard target", False, "person", True),
}
_EVERYTHING = ("budget", "force_cap", "overstrength_cap")


def _network(inputs: Inputs) -> dict:
    """node -> nodes it feeds: ("cat", c) → ("cat", to) through a course from c or taught
    by c, ("cat", c) → ("eq", e) through crews."""
    feeds: dict = {}
    for k in inputs.courses:
        for source in (k.from_category, k.instructor_category):
            if source is not None:
                feeds.setdefault(("cat", source), set()).add(("cat", k.to_category))
    for e in inputs.equipment:
        if e.crew_category is not None:
            feeds.setdefault(("cat", e.crew_category), set()).add(("eq", e.name))
    return feeds


def _roots(inputs: Inputs, family: str, item: str) -> set:
    """The targets a limit reaches first."""
    if family in _EVERYTHING:
        return {("cat", c.name) for c in inputs.categories} | {("eq", e.name)
                                                               for e in inputs.equipment}
    if family == "recruits":
        return {("cat", k.to_category) for k in inputs.courses if k.from_recruit}
    if family == "seats":
        sites = [cs.course for cs in inputs.course_sites or () if cs.site == item]
        return {("cat", k.to_category) for k in inputs.courses if k.name in sites}
    if family in ("course_max_starts", "instructor_throughput"):
        return {("cat", inputs.course(item).to_category)}
    if family == "site_course_starts":
        return {("cat", k.to_category) for k in inputs.courses if item.startswith(k.name + " at ")}
    if family == "source_per_period":
        return {("eq", e.name) for e in inputs.equipment if item.startswith(e.name + " from ")}
    return {("cat", item)}


def _reach(inputs: Inputs, roots: set) -> set:
    feeds, seen, todo = _network(inputs), set(roots), list(roots)
    while todo:
        for nxt in feeds.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def fmt(x: float) -> str:
    """A figure in words: thousands and whole numbers with separators, else 4 digits."""
    if abs(x - round(x)) < 1e-6 * max(1.0, abs(x)) or abs(x) >= 1000:
        return f"{round(x):,}"
    return f"{x:,.1f}" if abs(x) >= 100 else f"{x:,.4g}"


def binding(model, sol, f: dict) -> list:
    """The binding input limits of the steady state, in words, most important first:
    [{family, item, cell, limit, per_year, level, value_per_unit, sentence}]."""
    from .extract import level_words

    inputs = model.inputs
    year = 12.0 / model.sets.m
    levels = sorted(sol.row_duals)
    found = []

    def consider(family, item, cell, limit, sense, duals):
        if family not in _LIMITS:
            return
        worth = {}
        for lvl in duals:
            v = duals[lvl] if sense == ">=" else -duals[lvl]
            if v > _BINDING:
                worth[lvl] = v
        if not worth:
            return
        what, flow, unit, show_unit = _LIMITS[family]
        what = what.format(item=item)
        unit = unit.format(cost_unit=inputs.settings.cost_unit)
        shown = limit * year if flow else limit
        plural = unit + ("s" if unit in ("person", "system") and shown != 1 else "")
        limit_words = fmt(shown) + (f" {plural}" if show_unit else "") + \
            (" a year" if flow else "")
        first = min(worth)
        held = _held(inputs, family, item, f) if _has_shortfall(inputs, first) and \
            family not in ("min_fill", "course_min_starts") else []
        if held:
            sentence = f"{what}: {limit_words} hold at most " + _held_words(held)
        else:
            name, _ = level_words(inputs, first)
            per = worth[first] if (name == "cost") == flow else (
                worth[first] * year if name == "cost" else worth[first] / year)
            gain = (f"save {fmt(per)} {inputs.settings.cost_unit} a year" if name == "cost"
                    else f"cut the {name} by {fmt(per)}")
            if sense == ">=":  # a requirement (minimum starts): fewer would help
                sentence = (f"{what}: {limit_words} required; one {unit} fewer"
                            f"{' a year' if flow else ''} would {gain}")
            else:
                sentence = (f"{what}: {limit_words}, all used; one more {unit}"
                            f"{' a year' if flow else ''} would {gain}")
        found.append({"family": family, "item": item, "cell": cell, "limit": limit,
                      "per_year": flow, "level": first,
                      "value_per_unit": {str(k): clean(v) for k, v in worth.items()},
                      "sentence": sentence})

    # a row or column pinned to hold a level is no longer the planner's limit at the
    # levels after it: its duals there are not the limit's worth, and are not read
    row_pinned = _pinned_at(sol.pinned_rows)
    col_pinned = _pinned_at(sol.pinned_cols)
    x, idx = sol.values, model.col_index
    for i, (con, info) in enumerate(model.rows):
        last = row_pinned.get(i, levels[-1] if levels else 0)
        limit = info.rhs
        if info.family == "instructor_throughput":  # its capacity: spi × strength
            limit = -sum(c * float(x[idx[v]]) for v, c in con.items() if c < 0) * info.scale
        consider(info.family, info.item, info.cell, limit, info.sense,
                 {lvl: float(sol.row_duals[lvl][i]) for lvl in levels if lvl <= last})
    for i, b in enumerate(model.bounds):
        last = col_pinned.get(model.col_index[b.var], levels[-1] if levels else 0)
        consider(b.family, b.item, b.cell, b.limit, "<=",
                 {lvl: float(sol.bound_duals[lvl][i]) for lvl in levels if lvl <= last})
    found.sort(key=lambda b: (b["level"], -b["value_per_unit"][str(b["level"])]))
    return found


def _pinned_at(pinned: dict) -> dict:
    """index -> the first level at which the row or column was pinned."""
    first: dict = {}
    for lvl in sorted(pinned):
        for i in np.asarray(pinned[lvl]).tolist():
            first.setdefault(i, lvl)
    return first


def _has_shortfall(inputs: Inputs, level: int) -> bool:
    return any(o.level == level and o.term in ("shortfall", "equipment_shortfall")
               for o in inputs.objectives)


def _held(inputs: Inputs, family: str, item: str, f: dict) -> list:
    """[(held, required, name)] of the short targets the limit reaches, most short first."""
    reach = _reach(inputs, _roots(inputs, family, item))
    out = []
    for kind, table, held in (("cat", f["categories"], "effective"),
                              ("eq", f["equipment"], "operational")):
        for name, row in table.items():
            if (kind, name) in reach and row["target"] is not None and row["shortfall"] > TOL:
                out.append((row[held], row["target"], name, row["shortfall"]))
    out.sort(key=lambda h: -h[3])
    return out


def _held_words(held: list, named: int = 3) -> str:
    parts = [f"{whole(h, floor=True)} of the {whole(r)} {name} required"
             for h, r, name, _ in held[:named]]
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    if len(held) > named:
        rest = sum(h[3] for h in held[named:])
        text += f" (and {len(held) - named} more targets, {whole(rest)} short in all)"
    return text

