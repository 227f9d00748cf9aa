"""Objective terms and lexicographic levels (MODEL.md, Objective).

level_ℓ = Σ_{terms of ℓ} weight · term, with

  shortfall            Σ_{c,t} w_c · shortfall[c,t]            (w_c: shortfall_weight, blank =
  equipment_shortfall  Σ_{e,t} w_e · equipment_shortfall[e,t]   10^(1 − priority))
  cost                 Σ_t cost[t]
  separations          Σ_{c,t} separations[c,t]
  overstrength         Σ_{c,t} overstrength[c,t]
  recruits             Σ_{k from RECRUIT, t} N[k,t]
  changes              Σ_{r,t≥2} |starts[r,t] − starts[r,t−1]| + Σ_{j,t≥2} |orders[j,t] − orders[j,t−1]|
                       (linearised in constraints.define_changes)

A ``priority`` filter keeps only categories/equipment of that priority (shortfall terms).
"""
from __future__ import annotations

from .model import Model, terms_add


def term_terms(model: Model, term: str, priority=None) -> dict:
    """{var: coefficient} of one objective term, unscaled."""
    inputs = model.inputs
    out: dict = {}
    if term == "shortfall":
        for (c, t), v in model.var.get("shortfall", {}).items():
            cat = inputs.categories[c]
            if priority is None or cat.priority == priority:
                terms_add(out, v, cat.shortfall_weight)
    elif term == "equipment_shortfall":
        for (e, t), v in model.var.get("equipment_shortfall", {}).items():
            eq = inputs.equipment[e]
            if priority is None or eq.priority == priority:
                terms_add(out, v, eq.shortfall_weight)
    elif term == "cost":
        for lines in model.cost_terms.values():
            for line in lines.values():
                for v, coef in line.items():
                    terms_add(out, v, coef)
    elif term == "separations":
        for v in model.var.get("separations", {}).values():
            terms_add(out, v, 1.0)
    elif term == "overstrength":
        for v in model.var.get("overstrength", {}).values():
            terms_add(out, v, 1.0)
    elif term == "recruits":
        for (r, t), v in model.var.get("starts", {}).items():
            route = model.sets.routes[r]
            if inputs.courses[route.course].from_recruit:
                terms_add(out, v, model.start_mult[(r, t)])
    elif term == "changes":
        for v, coef in model.change_terms.items():
            terms_add(out, v, coef)
    else:  # the validator only lets schema.OBJECTIVE_TERMS through
        raise ValueError(f"unknown objective term {term!r}")
    return out


def define_objective_levels(model: Model) -> None:
    """model.levels[ℓ] = {var: coefficient} of level_ℓ; model.level_scale[ℓ] = its largest
    |coefficient| (the solver sees level_ℓ / scale)."""
    for obj in model.inputs.objectives:
        level = model.levels.setdefault(obj.level, {})
        for v, coef in term_terms(model, obj.term, obj.priority).items():
            terms_add(level, v, obj.weight * coef)
    for lvl, terms in model.levels.items():
        big = max((abs(c) for c in terms.values()), default=0.0)
        model.level_scale[lvl] = big if big > 0 else 1.0
