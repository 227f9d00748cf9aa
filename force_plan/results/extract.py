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
instructors             category                persons of the category teaching (the pool)
inventory               equipment               systems held at the end of the period
operational             equipment               systems operational in the period
acquisitions            equipment   source      systems ordered (placed) in the period
equipment_shortfall     equipment               operational systems short of target
cost                    cost line               money spent in the period, by line:
                                                training, personnel, separations,
                                                procurement, sustainment, total
======================  ==========  ==========  =======================================

Rows cover the plan's periods 1..T only (never the look-ahead). They are emitted for every
(item, where, period) of a quantity that exists in the model, zeros included, in a fixed order (quantity order above, then input row order, then period),
so the same input always gives the same table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from ..inputs.typed import Inputs


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
    inputs: Inputs
    status: str  # "optimal" or "feasible" (feasible, not proven optimal)
    status_text: str  # e.g. "optimal" / "feasible, not proven optimal (gap 0.8 %)"
    gap: Optional[float]  # relative MIP gap when known (integer mode), else None
    solver: str  # e.g. "HiGHS 1.16.0" / "CBC 2.10.3"
    objectives: dict  # level -> level value on the final plan, workbook units
    data: pd.DataFrame  # tidy table, columns schema.DATA_COLUMNS, the plan's periods
    summary: list  # ordered [(key, value)], contract keys first
    bottlenecks: list = field(default_factory=list)  # [Bottleneck], most valuable first
    #: "" when shadow prices are shown; otherwise why they are not (integer plans)
    bottleneck_note: str = ""
    timings: dict = field(default_factory=dict)  # stage -> seconds
    integer: bool = False
    #: largest resident memory of the run when the results were made (MB; None: unknown)
    peak_memory_mb: Optional[float] = None
    #: the same table over the look-ahead periods ("<last label> +1" …): what the plan
    #: assumed comes after it (not part of the plan workbook's Data sheet)
    lookahead_data: Optional[pd.DataFrame] = None
    lookahead_periods: int = 0
    #: the headline figures (headline.Headline); None: computed from ``data`` when asked
    headline: Optional[object] = None
    #: the steady state of the plan's last period (steady.Sustainment; None: not solved)
    steady: Optional[object] = None


# ====================================================================== extraction
_ZERO = 1e-9
_BINDING = 1e-7

#: how one unit of a limit reads, by family: (sentence start, unit)
_LIMIT_WORDS = {
    "seats": ("One more seat at {item} in {period}", "seat"),
    "budget": ("One more {cost_unit} of budget in {period}", "{cost_unit}"),
    "instructor_throughput": ("One more start allowed by the instructors of {item} in "
                              "{period}", "start"),
    "within_strength": ("One more trained {item} in {period}, free to instruct or serve in "
                        "reserve,", "person"),
    "recruits": ("One more recruit available in {period}", "recruit"),
    "force_cap": ("Raising the force cap by one person in {period}", "person"),
    "course_max_starts": ("One more start allowed on {item} in {period}", "start"),
    "course_min_starts": ("One fewer required start on {item} in {period}", "start"),
    "overstrength_cap": ("Raising the over-strength cap by one person in {period}", "person"),
    "source_total": ("One more {item} available over the plan", "system"),
    "min_fill": ("Accepting one more person short of the hard target of {item} in {period}",
                 "person"),
    "max_separations": ("Allowing one more separation from {item} in {period}", "person"),
    "reserve_cap": ("One more reserve place for {item} in {period}", "person"),
    "site_course_starts": ("One more start of {item} in {period}", "start"),
    "source_per_period": ("One more {item} orderable in {period}", "system"),
}


def _clean(x: float) -> float:
    x = round(float(x), 9)
    return 0.0 if abs(x) < _ZERO else x


#: an integer plan further than this from its bound is reported with a plain warning
GAP_WARNING = 0.05


def gap_warning(gap) -> str:
    """"" or a sentence for an integer plan whose relative gap exceeds GAP_WARNING."""
    if gap is None or gap <= GAP_WARNING:
        return ""
    return (f"Warning: this whole-number plan may be up to {gap:.1%} worse than the best "
            "possible (its gap): allow more time (--time-limit), accept a larger --mip-gap, "
            "or solve with integer = no for the exact fractional plan.")


def level_words(inputs: Inputs, level: int) -> tuple[str, str]:
    """(what the level measures, its unit) in a planner's words."""
    terms = [o for o in inputs.objectives if o.level == level]
    names = {o.term for o in terms}
    if names == {"cost"}:
        return "cost", inputs.settings.cost_unit
    if names == {"changes"}:
        return "changes of starts and orders", "persons and systems"
    if names <= {"shortfall", "equipment_shortfall"}:
        pri = {o.priority for o in terms}
        what = "weighted shortfall"
        if pri != {None} and len(pri) == 1:
            what = f"weighted priority-{pri.pop()} shortfall"
        return what, "person- or system-periods"
    words = " + ".join(sorted(names)).replace("_", " ")
    return f"objective level {level} ({words})", "units"


def tidy_data(model, sol) -> tuple:
    """(the contract's Data table over the plan's periods, the same table over the
    look-ahead periods, labelled "<last label> +1" …) from a solved model."""
    df = _tidy(model, sol)
    inside = df["period"].isin(set(model.inputs.period_labels))
    return (df[inside].reset_index(drop=True), df[~inside].reset_index(drop=True))


def _tidy(model, sol) -> pd.DataFrame:
    inputs, sets, T = model.inputs, model.sets, model.sets.T
    labels = [sets.label(inputs.period_labels, t) for t in range(T)]
    val = np.asarray(sol.values, dtype=np.float64).tolist()  # Python floats: fast lookups
    idx = model.col_index

    def values_of(family) -> dict:
        """key -> solution value of every variable of ``family``."""
        return {key: val[idx[v]] for key, v in model.var.get(family, {}).items()}

    # starts quantity = multiplier × variable (class_size in integer mode)
    mult = model.start_mult
    starts = {key: x * mult[key] for key, x in values_of("starts").items()}

    rows: list = []
    add = rows.append
    for fam in ("strength", "shortfall", "overstrength", "reserve", "separations"):
        x = values_of(fam)
        targeted = fam in ("shortfall", "overstrength")
        for c, cat in enumerate(inputs.categories):
            for t in range(T):
                if targeted and (c, t) not in sets.targets:
                    continue
                add((fam, cat.name, "", labels[t], x.get((c, t), 0.0)))
    for route in sets.routes:
        course = inputs.courses[route.course]
        site = inputs.sites[route.site].name if route.site is not None else ""
        r = route.index
        for t in range(T):
            add(("starts", course.name, site, labels[t], starts.get((r, t), 0.0)))
    n = [[0.0] * T for _ in inputs.courses]  # N[k][t]: starts of course k in t, all sites
    for route in sets.routes:
        nk, r = n[route.course], route.index
        for t in route.periods:
            nk[t] += starts.get((r, t), 0.0)
    for k, course in enumerate(inputs.courses):
        L, nk = sets.course_lag[k], n[k]
        for t in range(T):
            g = course.yield_ * nk[t - L] if t - L >= 0 else 0.0
            add(("graduates", course.name, "", labels[t], g + sets.pipeline.get((k, t), 0.0)))
    for k, course in enumerate(inputs.courses):
        L, nk = sets.course_lag[k], n[k]
        for t in range(T):
            add(("in_training", course.name, "", labels[t],
                 sum(nk[max(0, t - L + 1):t + 1]) if L else 0.0))
    x = values_of("instructors")
    for c in sorted(sets.pool_courses):
        for t in range(T):
            add(("instructors", inputs.categories[c].name, "", labels[t], x.get((c, t), 0.0)))
    for fam in ("inventory", "operational", "equipment_shortfall"):
        x = values_of(fam)
        targeted = fam == "equipment_shortfall"
        for e, eq in enumerate(inputs.equipment):
            for t in range(T):
                if targeted and (e, t) not in sets.equipment_targets:
                    continue
                add((fam, eq.name, "", labels[t], x.get((e, t), 0.0)))
    orders = values_of("orders")
    for j, src in enumerate(inputs.sources):
        for t in range(T):
            add(("acquisitions", src.equipment, src.source, labels[t], orders.get((j, t), 0.0)))
    for t in range(T):
        total = 0.0
        for line, terms in model.cost_terms[t].items():
            v = sum(c * val[idx[var]] for var, c in terms.items())
            total += v
            add(("cost", line, "", labels[t], v))
        add(("cost", "total", "", labels[t], total))
    df = pd.DataFrame(rows, columns=["quantity", "item", "where", "period", "value"])
    df["value"] = [_clean(v) for v in df["value"].tolist()]
    return df


def bottlenecks(model, sol) -> list:
    """Binding limits with what one more unit of each is worth, most valuable first.

    A limit's value is shown at the level where it first binds only: holding that level
    pins it (solve.py), so a later level's dual on it says nothing about relaxing it.
    A look-ahead row repeats a period-T input: its value is added to the period-T row of
    the same limit and input cell (MODEL.md, Look-ahead), which alone is reported.
    """
    inputs, sets = model.inputs, model.sets
    if not sol.row_duals:
        return []
    levels = sorted(sol.row_duals)
    labels = inputs.period_labels
    cu = inputs.settings.cost_unit
    T = sets.T_plan
    found = []

    def consider(family, item, period, cell, limit, worth):
        if family not in _LIMIT_WORDS or not worth:
            return
        first = min(worth)
        what, unit = level_words(inputs, first)
        head, per = _LIMIT_WORDS[family]
        pl = labels[period] if period is not None else ""
        start = head.format(item=item, period=pl, cost_unit=cu)
        effect = (f"save {worth[first]:,.4g} {cu}" if what == "cost"
                  else f"cut {what} by {worth[first]:,.4g}")
        sentence = f"{start} would {effect} (objective level {first})."
        found.append(Bottleneck(family, item, pl, cell, float(limit),
                                per.format(cost_unit=cu), {first: worth[first]}, sentence))

    def gather(infos, duals, signs) -> dict:
        """limit key -> (position of its period-T or own row, {level: value}) with the
        look-ahead folded in; value > 0 means binding (one more unit improves the level)."""
        out: dict = {}
        worth = np.stack([signs * np.asarray(duals[lvl]) for lvl in levels]) \
            if len(signs) else np.zeros((len(levels), 0))
        for i in np.flatnonzero((worth > _BINDING).any(axis=0)).tolist():
            info = infos[i]
            period = info.period if info.period is None or info.period < T else T - 1
            key = (info.family, info.item, info.cell, period)
            pos, acc = out.setdefault(key, (None, np.zeros(len(levels))))
            acc += worth[:, i]
            if info.period is None or info.period < T:
                out[key] = (i, acc)
        return out

    def first_binding(acc) -> dict:
        for n, lvl in enumerate(levels):
            if acc[n] > _BINDING:
                return {lvl: float(acc[n])}
        return {}

    idx, val = model.col_index, sol.values
    infos = [info for _, info in model.rows]
    signs = np.fromiter((1.0 if info.sense == ">=" else -1.0 for info in infos),
                        dtype=np.float64, count=len(infos))
    for (family, item, cell, period), (i, acc) in gather(infos, sol.row_duals,
                                                         signs).items():
        limit = infos[i].rhs if i is not None else 0.0
        if i is not None and family in _LIMIT_WORDS and infos[i].rhs == 0 \
                and infos[i].sense == "<=":
            # a capacity set by other variables (instructors: starts_per_instructor ×
            # instructor strength): report that capacity, not the 0 of the row
            con = model.rows[i][0]
            limit = -sum(c * float(val[idx[v]]) for v, c in con.items() if c < 0) \
                * infos[i].scale
        consider(family, item, period, cell, limit, first_binding(acc))
    bsigns = -np.ones(len(model.bounds))
    for (family, item, cell, period), (i, acc) in gather(model.bounds, sol.bound_duals,
                                                         bsigns).items():
        limit = model.bounds[i].limit if i is not None else 0.0
        consider(family, item, period, cell, limit, first_binding(acc))
    found.sort(key=lambda b: (min(b.value_per_unit),
                              -b.value_per_unit[min(b.value_per_unit)], b.family, b.item,
                              b.period))
    return found
