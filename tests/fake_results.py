"""A small hand-made plan and a solution consistent with MODEL.md, for the writer's tests.

The decisions (starts, separations, reserve, orders) are chosen by hand; every stock and
cost is then derived from them by the equations of MODEL.md, so the plan workbook's
Checks must hold. All names and numbers are illustrative.
"""
from __future__ import annotations

import math

import pandas as pd

from force_plan import __version__
from force_plan.inputs.typed import (Category, Course, CourseSite, Equipment, ObjectiveTerm, Period,
                                     PipelineClass, Inputs, Settings, Site, Source, Target)
from force_plan.model.timing import lag, per_period_rate
from force_plan.results.extract import Bottleneck, Results
from force_plan.contract.schema import COST_LINES, DATA_COLUMNS

LABELS = ("2027 H1", "2027 H2", "2028 H1", "2028 H2")


def fake_plan(*, rifle="Rifle", site_b="Partner camp", equipment=True, sites=True,
              force_cap=2000.0, plan_name="Fake plan (illustrative)") -> Inputs:
    m = 6
    periods = tuple(Period(label, recruits_available=500.0, budget=b, row=f"Periods!{i + 2}")
                    for i, (label, b) in enumerate(zip(LABELS, (70.0, 70.0, 80.0, None))))
    cats = (
        Category(rifle, "Manoeuvre", priority=2, initial_strength=800, attrition_rate=0.10,
                 cost_per_person_year=0.02, separation_cost=0.005, overstrength_cost=0.01,
                 reserve_cap=50, reserve_weight=0.5, reserve_cost=0.01, shortfall_weight=0.1,
                 row="Categories!2"),
        Category("AD crew", "Air Defense", priority=1, initial_strength=100,
                 attrition_rate=0.05, cost_per_person_year=0.04, row="Categories!3"),
        Category("Instructor", "Command", priority=1, initial_strength=30,
                 cost_per_person_year=0.05, row="Categories!4"),
    )
    targets = tuple(Target(rifle, t, v, f"Targets!{chr(66 + t)}2")
                    for t, v in enumerate((850, 880, 900, 1000)))
    targets += tuple(Target("AD crew", t, v, f"Targets!{chr(66 + t)}3")
                     for t, v in enumerate((120, 130, 140, 150)))
    courses = (
        Course("Basic", None, rifle, duration_months=3, yield_=0.9, cost_per_start=0.002,
               max_starts_per_period=300, instructor_category="Instructor",
               starts_per_instructor=10, row="Courses!2"),
        Course("AD conversion", rifle, "AD crew", duration_months=9, yield_=1.0,
               cost_per_start=0.01, row="Courses!3"),
    )
    site_recs = course_sites = None
    if sites:
        site_recs = (Site("Central school", "Domestic", seats=200, row="Sites!2"),
                     Site(site_b, "Partner group", seats=100, available_from=1, row="Sites!3"))
        course_sites = (CourseSite("Basic", "Central school", row="CourseSites!2"),
                        CourseSite("Basic", site_b, cost_per_start=0.003, row="CourseSites!3"),
                        CourseSite("AD conversion", "Central school", row="CourseSites!4"))
    equip = srcs = ()
    eq_targets = ()
    if equipment:
        equip = (
            Equipment("SHORAD system", "Air Defense", crew_category="AD crew", crew_per_system=4,
                      initial_inventory=10, loss_rate=0.1, availability=0.8,
                      sustainment_cost_per_year=0.05, row="Equipment!2"),
            Equipment("Recon drone", "Drones", initial_inventory=0, loss_rate=0.2,
                      sustainment_cost_per_year=0.001, priority=2, shortfall_weight=0.1,
                      row="Equipment!3"),
        )
        srcs = (
            Source("Domestic production", "SHORAD system", unit_cost=2.0, max_per_period=3,
                   row="EquipmentSources!2"),
            Source("Partner group", "SHORAD system", unit_cost=1.5, lead_time_months=8,
                   total_available=6, available_until=2, row="EquipmentSources!3"),
            Source("Domestic production", "Recon drone", unit_cost=0.05,
                   row="EquipmentSources!4"),
        )
        eq_targets = tuple(Target("SHORAD system", t, v) for t, v in enumerate((8, 10, 12, 14)))
        eq_targets += tuple(Target("Recon drone", t, v) for t, v in enumerate((20, 20, 30, 30)))
    objectives = (ObjectiveTerm(1, "shortfall"), ObjectiveTerm(1, "equipment_shortfall"),
                  ObjectiveTerm(2, "cost"))
    return Inputs(
        settings=Settings(plan_name=plan_name, period_months=m, force_cap=force_cap,
                          cost_unit="USD million"),
        periods=periods, categories=cats, targets=targets, courses=courses, sites=site_recs,
        course_sites=course_sites,
        pipeline=(PipelineClass("AD conversion", 0, 10.0, row="Pipeline!2"),),
        equipment=equip, equipment_targets=eq_targets, sources=srcs, objectives=objectives,
        source_file="inputs/fake.xlsx", source_sha256="ab" * 32)


def fake_results(inputs: Inputs | None = None, *, starts=None, integer=False,
                 tamper=None) -> Results:
    """A Results for ``inputs`` (default :func:`fake_plan`) whose figures obey MODEL.md.

    ``starts`` overrides the hand-chosen starts {(course, site): [per period]}.
    ``tamper`` = (quantity, item, where, period index, delta) corrupts one figure, to show
    that the Checks catch it.
    """
    inputs = inputs or fake_plan()
    T, m, labels = inputs.T, inputs.period_months, inputs.period_labels
    rifle = inputs.categories[0].name
    site_a = inputs.sites[0].name if inputs.sites else ""
    site_b = inputs.sites[1].name if inputs.sites else ""
    if starts is None:
        starts = {("Basic", site_a): [100, 120, 110, 100],
                  ("AD conversion", site_a): [20, 20, 15, 0]}
        if inputs.sites:
            starts[("Basic", site_b)] = [0, 40, 50, 0]
    seps = {rifle: [0, 5, 0, 0]}
    reserve = {rifle: [0, 0, 10, 0]}
    orders = {}
    if inputs.equipment:
        orders = {("Domestic production", "SHORAD system"): [2, 2, 3, 0],
                  ("Partner group", "SHORAD system"): [3, 2, 0, 0],
                  ("Domestic production", "Recon drone"): [20, 5, 15, 5]}
    rows = []

    def add(q, item, where, t, v):
        rows.append((q, item, where, labels[t], float(v)))

    N = {k.name: [sum(v[t] for (c, _), v in starts.items() if c == k.name) for t in range(T)]
         for k in inputs.courses}
    grads = {}
    for k in inputs.courses:
        lg = lag(k.duration_months, m)
        grads[k.name] = [(k.yield_ * N[k.name][t - lg] if t - lg >= 0 else 0.0)
                         + sum(p.graduates for p in inputs.pipeline
                               if p.course == k.name and p.period == t) for t in range(T)]
    strength = {}
    for c in inputs.categories:
        keep = 1 - per_period_rate(c.attrition_rate, m)
        prev, s = c.initial_strength, []
        for t in range(T):
            prev = (keep * prev + sum(grads[k.name][t] for k in inputs.courses
                                      if k.to_category == c.name)
                    - sum(N[k.name][t] for k in inputs.courses if k.from_category == c.name)
                    - seps.get(c.name, [0] * T)[t])
            s.append(prev)
        strength[c.name] = s
    short, over = {}, {}
    for c in inputs.categories:
        for t in range(T):
            tg = next((x.value for x in inputs.targets if x.item == c.name and x.period == t), None)
            if tg is None:
                continue
            eff = strength[c.name][t] - (1 - c.reserve_weight) * reserve.get(c.name, [0] * T)[t]
            short[(c.name, t)], over[(c.name, t)] = max(0.0, tg - eff), max(0.0, eff - tg)
    for c in inputs.categories:
        for t in range(T):
            add("strength", c.name, "", t, strength[c.name][t])
    for q, table in (("shortfall", short), ("overstrength", over)):
        for c in inputs.categories:
            for t in range(T):
                if (c.name, t) in table:
                    add(q, c.name, "", t, table[(c.name, t)])
    for q, table in (("reserve", reserve), ("separations", seps)):
        for c in inputs.categories:
            for t in range(T):
                add(q, c.name, "", t, table.get(c.name, [0] * T)[t])
    for (k, s), v in starts.items():
        for t in range(T):
            add("starts", k, s, t, v[t])
    for k in inputs.courses:
        for t in range(T):
            add("graduates", k.name, "", t, grads[k.name][t])
    for k in inputs.courses:
        lg = lag(k.duration_months, m)
        for t in range(T):
            add("in_training", k.name, "", t, sum(N[k.name][tau]
                                                  for tau in range(max(0, t - lg + 1), t + 1)))
    inv, oper, eshort = {}, {}, {}
    for e in inputs.equipment:
        keep = 1 - per_period_rate(e.loss_rate, m)
        prev = e.initial_inventory
        for t in range(T):
            arrivals = sum(v[t - lag(src.lead_time_months, m)]
                           for src in inputs.sources for (sn, en), v in orders.items()
                           if src.source == sn and src.equipment == en == e.name
                           and t - lag(src.lead_time_months, m) >= 0)
            prev = keep * prev + arrivals
            inv[(e.name, t)] = prev
            tg = next((x.value for x in inputs.equipment_targets
                       if x.item == e.name and x.period == t), 0.0)
            oper[(e.name, t)] = min(e.availability * prev, tg)
            eshort[(e.name, t)] = max(0.0, tg - oper[(e.name, t)])
    for q, table in (("inventory", inv), ("operational", oper)):
        for e in inputs.equipment:
            for t in range(T):
                add(q, e.name, "", t, table[(e.name, t)])
    for (src, e), v in orders.items():
        for t in range(T):
            add("acquisitions", e, src, t, v[t])
    for e in inputs.equipment:
        for t in range(T):
            add("equipment_shortfall", e.name, "", t, eshort[(e.name, t)])
    cost = {line: [0.0] * T for line in COST_LINES}
    site_cost = {(cs.course, cs.site): cs.cost_per_start for cs in inputs.course_sites or ()}
    for t in range(T):
        for (k, s), v in starts.items():
            unit = site_cost.get((k, s))
            per_start = inputs.course(k).cost_per_start if unit is None else unit
            cost["training"][t] += v[t] * per_start
        for c in inputs.categories:
            cost["personnel"][t] += (strength[c.name][t] * c.cost_per_person_year
                                     + reserve.get(c.name, [0] * T)[t] * c.reserve_cost
                                     + over.get((c.name, t), 0.0) * c.overstrength_cost) * m / 12
            cost["separations"][t] += seps.get(c.name, [0] * T)[t] * c.separation_cost
        for src in inputs.sources:
            cost["procurement"][t] += orders[(src.source, src.equipment)][t] * src.unit_cost
        for e in inputs.equipment:
            cost["sustainment"][t] += inv[(e.name, t)] * e.sustainment_cost_per_year * m / 12
        cost["total"][t] = sum(cost[line][t] for line in COST_LINES[:-1])
    for line in COST_LINES:
        for t in range(T):
            add("cost", line, "", t, cost[line][t])
    data = pd.DataFrame(rows, columns=list(DATA_COLUMNS))
    if tamper:
        q, item, where, t, delta = tamper
        hit = ((data["quantity"] == q) & (data["item"] == item) & (data["where"] == where)
               & (data["period"] == labels[t]))
        assert hit.sum() == 1, tamper
        data.loc[hit, "value"] += delta

    weights = {c.name: c.shortfall_weight for c in inputs.categories}
    eweights = {e.name: e.shortfall_weight for e in inputs.equipment}
    level1 = (sum(weights[c] * v for (c, _), v in short.items())
              + sum(eweights[e] * v for (e, _), v in eshort.items()))
    total_cost = sum(cost["total"])
    objectives = {1: level1, 2: total_cost}
    summary = [("status", "optimal"), ("objective_1", level1), ("objective_2", total_cost),
               ("total_cost", total_cost), ("total_separations", float(sum(sum(v) for v in
                                                                            seps.values()))),
               ("total_shortfall", sum(short.values())),
               ("total_equipment_shortfall", sum(eshort.values())),
               ("solver", "HiGHS (fake)"), ("input_file", inputs.source_file),
               ("input_sha256", inputs.source_sha256), ("force_plan_version", __version__)]
    bottlenecks = [  # in extract.py's words
        Bottleneck("seats", site_a, labels[1], "Sites!C2", 200.0, "seat",
                   {1: 0.25, 2: 0.0},
                   f"One more seat at {site_a} in {labels[1]} would cut weighted shortfall by "
                   "0.25 (objective level 1)."),
        Bottleneck("budget", "", labels[0], "Periods!C2", 70.0, "USD million", {1: 0.0, 2: 1.0},
                   f"One more USD million of budget in {labels[0]} would save 1 USD million "
                   "(objective level 2)."),
    ]
    note = ""
    if integer:
        note = ("This plan has whole classes and systems (integer mode): shadow prices are not "
                "defined, so the limits below are listed without a value.")
    assert all(math.isfinite(v) for v in data["value"])
    return Results(inputs=inputs, status="optimal", status_text="optimal", gap=None,
                   solver="HiGHS (fake)", objectives=objectives, data=data, summary=summary,
                   bottlenecks=bottlenecks, bottleneck_note=note,
                   timings={"read": 0.12, "build": 0.05, "solve": 0.31, "write": 0.0},
                   integer=integer)
