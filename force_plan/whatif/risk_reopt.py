"""``force-plan risk --reoptimise``: re-solve the plan for every draw (what the best plan
would achieve had the future been known), on the same executors as ``sweep``.

Each draw is the plan with its drawn values written into its records (the same draws,
in the same order, as the replay of ``risk.py`` under the same seed). The LP holds one
attrition rate, yield, loss rate, availability and lead time per row, so only ``once``
lines of those can be re-solved; ``each_period`` is allowed on Periods
``recruits_available`` (a per-period value already). A draw whose hard limits conflict
has no plan: it is counted, and left out of the probabilities and percentiles.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..inputs.typed import Inputs
from ..errors import InputError, Problem
from ..pipeline import RunOptions
from .risk import Drawn, Replay, RiskFigures, line_factors, planned_values, chunks, summarise


def refuse_each_period(lines) -> None:
    bad = [ln for ln in lines if ln.each_period and ln.sheet != "Periods"]
    if bad:
        raise InputError([Problem(ln.cells.get("draw", ln.cell), "--reoptimise re-solves the "
                                  "plan, which holds one value per row of "
                                  f"{ln.sheet} {ln.column}, so this line cannot draw "
                                  "each_period", "set draw to once for a re-solved run, or run "
                                  "without --reoptimise to replay the plan") for ln in bad])


def _scaled(value, f: float, clip: bool):
    if value is None:
        return None
    v = value * f
    return min(max(v, 0.0), 1.0) if clip else v


def drawn_plans(inputs: Inputs, lines, n: int, seed) -> list[Inputs]:
    """The plan under each of ``n`` draws (``once`` lines; Periods may draw each period)."""
    rng = np.random.default_rng(seed)
    T = inputs.T
    blocks = [[line_factors(rng, line, size, T) for line in lines] for size in chunks(n)]
    factors = [(np.concatenate([b[i] for b in blocks]), line) for i, line in enumerate(lines)]
    out = []
    for d in range(n):
        cats = list(inputs.categories)
        courses = list(inputs.courses)
        eqs = list(inputs.equipment)
        periods = list(inputs.periods)
        sources = list(inputs.sources)
        for f, line in factors:
            keys = set(line.keys)
            if line.sheet == "Periods":
                periods = [replace(p, recruits_available=_scaled(p.recruits_available,
                                                                  f[d, t], False))
                           if (p.label.lower(),) in keys else p
                           for t, p in enumerate(periods)]
            elif line.sheet == "Categories":
                cats = [replace(c, attrition_rate=min(_scaled(c.attrition_rate, f[d, 0], True),
                                                      0.999999))
                        if (c.name.lower(),) in keys else c for c in cats]
            elif line.sheet == "Courses":
                courses = [replace(k, yield_=_scaled(k.yield_, f[d, 0], True))
                           if (k.name.lower(),) in keys else k for k in courses]
            elif line.sheet == "Equipment":
                clip = line.column in ("loss_rate", "availability")
                eqs = [replace(e, **{line.column: _scaled(getattr(e, line.column), f[d, 0],
                                                          clip)})
                       if (e.name.lower(),) in keys else e for e in eqs]
            elif line.sheet == "EquipmentSources":
                sources = [replace(s, lead_time_months=_scaled(s.lead_time_months, f[d, 0],
                                                               False))
                           if (s.source.lower(), s.equipment.lower()) in keys else s
                           for s in sources]
        out.append(replace(inputs, categories=tuple(cats), courses=tuple(courses),
                           equipment=tuple(eqs), periods=tuple(periods),
                           sources=tuple(sources)))
    return out


def levels(results) -> dict:
    """Effective strength (C, T) and operational systems up to target (E, T) of a plan."""
    inputs, df = results.inputs, results.data
    labels, T = inputs.period_labels, inputs.T
    cats = [c.name for c in inputs.categories]
    strength = planned_values(df, "strength", cats, T, labels)
    inst = planned_values(df, "instructors", cats, T, labels)
    reserve = planned_values(df, "reserve", cats, T, labels)
    rw = np.array([[c.reserve_weight] for c in inputs.categories])
    eqs = [e.name for e in inputs.equipment]
    op = planned_values(df, "operational", eqs, T, labels)
    pos = {e: i for i, e in enumerate(eqs)}
    for tg in inputs.equipment_targets:
        op[pos[tg.item], tg.period] = min(op[pos[tg.item], tg.period], tg.value)
    return {"effective": strength - inst - (1.0 - rw) * reserve, "operational": op}


def reoptimise(inputs: Inputs, lines, n: int, seed, executor, on_event) -> RiskFigures:
    """Figures over the draws that have a plan (``no_plan`` counts the others)."""
    from .sweep import Task

    refuse_each_period(lines)
    drawn = drawn_plans(inputs, lines, n, seed)
    tasks = [Task(f"draw {d + 1}", p, RunOptions(), keep="levels") for d, p in
             enumerate(drawn)]
    got: dict = {}

    def collect(kind, name, result):
        if kind == "done":
            got[name] = result
        on_event(kind, name, result)

    executor.run(tasks, collect)
    ok = [got[t.name] for t in tasks if t.name in got and got[t.name].solved]
    C, E, T = len(inputs.categories), len(inputs.equipment), inputs.T
    eff = np.array([r.figures["effective"] for r in ok]).reshape(len(ok), C, T)
    op = np.array([r.figures["operational"] for r in ok]).reshape(len(ok), E, T)
    drawn = Drawn(len(ok), *(np.zeros(0),) * 6)
    fig = summarise(inputs, Replay(eff, eff, op), drawn, seed)
    fig.mode, fig.no_plan = "reoptimise", n - len(ok)
    return fig
