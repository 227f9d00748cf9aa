"""The headline figures of a solved plan, computed once.

Enters: the plan's inputs (``Inputs``) and the tidy Data table of the solution.
Leaves: a :class:`Headline`, which the printed summary and ``--json`` (report.py), the
Summary sheet's headline block (xlsx/sheets_summary.py) and the Summary's key/value
list (pipeline.make_results) all read, so the three always show the same figures.

Definitions (in the planner's words):

- *end*: the last period of the plan.
- *force*: trained strength plus persons in training (all courses), per period.
- *target at the end*: the sum of the category targets set for the last period.
- *shortfall*: persons short of target, summed over the periods of the plan
  (person-periods), over the categories that have at least one target; grouped by
  priority and by weapons category, in input order of first appearance.
- *equipment readiness at the end*: operational systems ÷ target, over the equipment
  types that have a target in the last period, grouped by weapons category.
- *budget used*: cost in the periods that have a budget ÷ the budget of those periods.
  Periods without a budget have no limit, so their cost is left out of the ratio (but not
  out of the *total cost*, which is over every period).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pandas as pd

from ..inputs.typed import Inputs


@dataclass(frozen=True)
class Budget:
    """Cost against budget over the periods that have a budget."""

    periods: tuple  # labels of the periods that have a budget, in plan order
    spent: float  # cost in those periods
    available: float  # the sum of their budgets
    used: Optional[float]  # spent ÷ available (None when the budgets sum to 0)
    highest_use: Optional[float]  # the highest cost ÷ budget of one period (None: all 0)
    highest_use_period: str  # the period of highest_use ("" when None)


@dataclass(frozen=True)
class Headline:
    end_period: str
    trained: float  # trained strength at the end
    in_training: float  # persons in training at the end
    target: float  # sum of the category targets of the last period
    force_cap: Optional[float]
    peak_force: float  # the largest force (trained + in training) of any period
    peak_period: str
    shortfall_total: float  # person-periods over the plan, every targeted category
    shortfall_by_priority: dict  # priority -> person-periods (ascending priority)
    shortfall_end_by_priority: dict  # priority -> persons short at the end
    shortfall_by_weapons: dict  # weapons category -> person-periods
    shortfall_end_by_weapons: dict  # weapons category -> persons short at the end
    #: weapons category -> (operational, target) at the end, equipment with an end target
    readiness: dict
    equipment_short_total: float  # system-periods short over the plan
    separations_total: float  # persons separated over the plan
    cost_by_period: tuple  # total cost of each period
    budget: Optional[Budget]  # None when no period has a budget

    @property
    def total_force(self) -> float:
        """Trained plus in training at the end."""
        return self.trained + self.in_training

    @property
    def total_cost(self) -> float:
        return sum(self.cost_by_period)

    @property
    def peak_share_of_cap(self) -> Optional[float]:
        cap = self.force_cap
        return self.peak_force / cap if cap else None

    @property
    def readiness_all(self) -> Optional[tuple]:
        """(operational, target) over every equipment type with an end target; None when
        none has one."""
        if not self.readiness:
            return None
        return (sum(o for o, _ in self.readiness.values()),
                sum(t for _, t in self.readiness.values()))


def compute(inputs: Inputs, data: pd.DataFrame) -> Headline:
    """Every headline figure of the plan whose tidy table is ``data``."""
    labels = inputs.period_labels
    T, last = len(labels), len(labels) - 1
    end = labels[last]
    sums: dict = {}
    if len(data):
        sums = data.groupby(["quantity", "item", "period"], sort=False)["value"].sum().to_dict()

    def per_period(quantity: str, items) -> list:
        """Per period, the sum of ``quantity`` over ``items``."""
        return [sum(sums.get((quantity, i, label), 0.0) for i in items) for label in labels]

    def over_plan(quantity: str, item: str) -> float:
        return sum(sums.get((quantity, item, label), 0.0) for label in labels)

    categories = [c.name for c in inputs.categories]
    strength = per_period("strength", categories)
    force = [s + n for s, n in zip(strength, per_period("in_training",
                                                         [k.name for k in inputs.courses]))]
    peak = max(range(T), key=force.__getitem__)

    targeted = {x.item for x in inputs.targets}
    by_priority: dict = {}
    end_priority: dict = {}
    by_weapons: dict = {}
    end_weapons: dict = {}
    for c in inputs.categories:
        if c.name not in targeted:
            continue
        total = over_plan("shortfall", c.name)
        at_end = sums.get(("shortfall", c.name, end), 0.0)
        by_priority[c.priority] = by_priority.get(c.priority, 0.0) + total
        end_priority[c.priority] = end_priority.get(c.priority, 0.0) + at_end
        by_weapons[c.weapons_category] = by_weapons.get(c.weapons_category, 0.0) + total
        end_weapons[c.weapons_category] = end_weapons.get(c.weapons_category, 0.0) + at_end

    end_targets = {x.item: x.value for x in inputs.equipment_targets if x.period == last}
    readiness: dict = {}
    for e in inputs.equipment:
        if e.name not in end_targets:
            continue
        op, target = readiness.get(e.weapons_category, (0.0, 0.0))
        readiness[e.weapons_category] = (op + sums.get(("operational", e.name, end), 0.0),
                                         target + end_targets[e.name])

    costs = per_period("cost", ["total"])
    return Headline(
        end_period=end,
        trained=strength[last],
        in_training=force[last] - strength[last],
        target=sum(x.value for x in inputs.targets if x.period == last),
        force_cap=inputs.force_cap(inputs.T - 1),
        peak_force=force[peak], peak_period=labels[peak],
        shortfall_total=sum(by_priority.values()),
        shortfall_by_priority=dict(sorted(by_priority.items())),
        shortfall_end_by_priority=dict(sorted(end_priority.items())),
        shortfall_by_weapons=by_weapons, shortfall_end_by_weapons=end_weapons,
        readiness=readiness,
        equipment_short_total=sum(over_plan("equipment_shortfall", e.name)
                                  for e in inputs.equipment),
        separations_total=sum(per_period("separations", categories)),
        cost_by_period=tuple(costs),
        budget=_budget(inputs, costs))


def _budget(inputs: Inputs, costs: list) -> Optional[Budget]:
    budgeted = [t for t, p in enumerate(inputs.periods) if p.budget is not None]
    if not budgeted:
        return None
    spent = sum(costs[t] for t in budgeted)
    available = sum(inputs.periods[t].budget for t in budgeted)
    use = [(costs[t] / inputs.periods[t].budget, t) for t in budgeted if inputs.periods[t].budget]
    top, t_top = max(use) if use else (None, None)
    return Budget(periods=tuple(inputs.period_labels[t] for t in budgeted), spent=spent,
                  available=available, used=spent / available if available else None,
                  highest_use=top,
                  highest_use_period=inputs.period_labels[t_top] if use else "")


def headline(results) -> Headline:
    """The headline figures of ``results``: those computed when the results were made, or
    computed now from its plan and Data table."""
    return results.headline or compute(results.inputs, results.data)
