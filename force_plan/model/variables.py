"""The one place that creates every decision variable (all ≥ 0).

Variables that the data fixes at zero are not created: separations where
``max_separations_per_period`` is 0, reserve where ``reserve_cap`` is 0, shortfall and
over-strength where no target is set, orders outside a source's window or that would
arrive after the last period, starts whose graduation would fall after the last period or
outside the site's availability window.
"""
from __future__ import annotations

from .model import Model


def define_variables(model: Model) -> None:
    inputs, sets, T = model.inputs, model.sets, model.sets.T
    integer = model.integer

    for c, cat in enumerate(inputs.categories):
        for t in range(T):
            model.new_var("strength", (c, t), "ct")
            if cat.max_separations_per_period is None or cat.max_separations_per_period > 0:
                v = model.new_var("separations", (c, t), "ct")
                if cat.max_separations_per_period is not None:
                    model.add_bound("max_separations", v, cat.max_separations_per_period,
                                    item=cat.name, period=t,
                                    cell=cat.cells.get("max_separations_per_period", ""),
                                    elastic=True)
            if cat.reserve_cap > 0:
                v = model.new_var("reserve", (c, t), "ct")
                model.add_bound("reserve_cap", v, cat.reserve_cap, item=cat.name, period=t,
                                cell=cat.cells.get("reserve_cap", ""))
            if c in sets.pool_courses:
                model.new_var("instructors", (c, t), "ct")
            target = sets.targets.get((c, t))
            if target is not None:
                model.new_var("overstrength", (c, t), "ct")
                v = model.new_var("shortfall", (c, t), "ct")
                model.add_bound("min_fill", v, (1.0 - cat.min_fill) * target.value,
                                item=cat.name, period=t,
                                cell=target.cell, elastic=cat.min_fill > 0)

    for route in sets.routes:
        course = inputs.courses[route.course]
        mult = course.class_size if integer else 1.0
        for t in route.periods:
            v = model.new_var("starts", (route.index, t), "rt", integer=integer)
            model.start_mult[(route.index, t)] = mult
            if route.max_starts_per_period is not None:
                site = inputs.sites[route.site].name if route.site is not None else ""
                model.add_bound("site_course_starts", v, route.max_starts_per_period,
                                item=f"{course.name} at {site}", period=t,
                                cell=route.cells.get("max_starts_per_period", ""), scale=mult)

    for j, src in enumerate(inputs.sources):
        if src.max_per_period == 0 or src.total_available == 0:
            continue
        for t in sets.order_periods[j]:
            v = model.new_var("orders", (j, t), "jt", integer=integer)
            if src.max_per_period is not None:
                model.add_bound("source_per_period", v, src.max_per_period,
                                item=f"{src.equipment} from {src.source}", period=t,
                                cell=src.cells.get("max_per_period", ""))

    for e, _eq in enumerate(inputs.equipment):
        for t in range(T):
            model.new_var("inventory", (e, t), "et")
            model.new_var("operational", (e, t), "et")
            if (e, t) in sets.equipment_targets:
                model.new_var("equipment_shortfall", (e, t), "et")
