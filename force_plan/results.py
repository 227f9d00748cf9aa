"""Solution → tidy tables and summary figures (what the plan workbook is written from).

``Results.data`` is the contract's tidy ``Data`` table:

======================  ==========  ==========  =======================================
quantity                item        where       meaning
======================  ==========  ==========  =======================================
strength                category                trained persons at the end of the period
shortfall               category                persons short of target (target rows only)
overstrength            category                persons above target (target rows only)
reserve                 category                persons held in reserve status
separations             category                persons discharged in the period
starts                  course      site        starters in the period ("" = no sites)
graduates               course                  graduates at the end of the period
                                                (from starts and Pipeline, after yield)
in_training             course                  starters still in training at period end
inventory               equipment               systems held at the end of the period
operational             equipment               systems operational in the period
acquisitions            equipment   source      systems ordered (placed) in the period
equipment_shortfall     equipment               operational systems short of target
cost                    cost line               money spent in the period, by line:
                                                training, personnel, separations,
                                                procurement, sustainment, total
======================  ==========  ==========  =======================================

Rows are emitted for every (item, where, period) of a quantity that exists in the model,
zeros included, in a fixed order (quantity order above, then input row order, then period),
so the same input always gives the same table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import pandas as pd

from .data import PlanData


@dataclass
class Bottleneck:
    """A binding limit and what relaxing it by one unit is worth (LP shadow price)."""

    family: str  # constraint family, e.g. "site_seats", "budget", "instructors"
    item: str  # the site, course, category, source … ("" for plan-wide limits)
    period: str  # period label ("" when the limit spans the plan)
    cell: str  # Sheet!Cell of the input that sets the limit ("" when none)
    limit: float  # the limit's value in workbook units
    unit: str  # unit of one more unit of the limit: "seat", "USD million", "person" …
    value_per_unit: dict  # objective level -> improvement of that level per extra unit (≥ 0)
    sentence: str  # the planner-facing sentence


@dataclass
class Results:
    plan: PlanData
    status: str  # "optimal" or "feasible" (feasible, not proven optimal)
    status_text: str  # e.g. "optimal" / "feasible, not proven optimal (gap 0.8 %)"
    gap: Optional[float]  # relative MIP gap when known (integer mode), else None
    solver: str  # e.g. "HiGHS 1.16.0" / "CBC 2.10.3"
    objectives: dict  # level -> level value on the final plan, workbook units
    data: pd.DataFrame  # tidy table, columns schema.DATA_COLUMNS
    summary: list  # ordered [(key, value)], contract keys first
    bottlenecks: list = field(default_factory=list)  # [Bottleneck], most valuable first
    #: "" when shadow prices are shown; otherwise why they are not (integer plans)
    bottleneck_note: str = ""
    timings: dict = field(default_factory=dict)  # stage -> seconds
    integer: bool = False
