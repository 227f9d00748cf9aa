"""Build small Inputs objects directly for hand-solvable LP tests."""
from __future__ import annotations

from dataclasses import replace

from force_plan.inputs.typed import (Category, Course, CourseSite, Equipment, ObjectiveTerm, Period,
                                     Inputs, Settings, Site, Source, Target,
                                     shortfall_weight_from_priority)


def cat(name, **kw) -> Category:
    kw.setdefault("shortfall_weight", shortfall_weight_from_priority(kw.get("priority", 1)))
    return Category(name, **kw)


def course(name, frm, to, **kw) -> Course:
    return Course(name, frm, to, **kw)


def equipment(name, **kw) -> Equipment:
    kw.setdefault("shortfall_weight", shortfall_weight_from_priority(kw.get("priority", 1)))
    return Equipment(name, **kw)


def inputs(*, T=1, m=12, categories=(), courses=(), targets=None, sites=None, course_sites=None,
           equipment=(), equipment_targets=None, sources=(), objectives=None, periods=None,
           pipeline=(), **settings) -> Inputs:
    """``targets``: {(category, t): value}; ``objectives``: [(level, term[, priority])].

    The hand-solved cases are worked on the plan's own horizon: ``lookahead_periods``
    defaults to 0 here (version 1's horizon); a test of the look-ahead sets it."""
    settings.setdefault("lookahead_periods", 0)
    labels = [f"P{t + 1}" for t in range(T)]
    periods = periods or [Period(label) for label in labels]
    tg = tuple(Target(c, t, v, f"Targets!{chr(66 + t)}{2 + i}")
               for i, ((c, t), v) in enumerate((targets or {}).items()))
    etg = tuple(Target(e, t, v, f"EquipmentTargets!{chr(66 + t)}{2 + i}")
                for i, ((e, t), v) in enumerate((equipment_targets or {}).items()))
    objs = objectives or [(1, "shortfall"), (1, "equipment_shortfall"), (2, "cost")]
    objs = tuple(ObjectiveTerm(o[0], o[1], o[2] if len(o) > 2 else None) for o in objs)
    return Inputs(settings=Settings(plan_name="test", period_months=m, **settings),
                    periods=tuple(periods), categories=tuple(categories), targets=tg,
                    courses=tuple(courses), sites=sites, course_sites=course_sites,
                    equipment=tuple(equipment), equipment_targets=etg, sources=tuple(sources),
                    objectives=objs, pipeline=tuple(pipeline))


__all__ = ["cat", "course", "equipment", "inputs", "replace", "Period", "Site", "CourseSite",
           "Source", "Target"]
