"""Property tests: random small valid plans, solved by HiGHS and CBC, checked against
MODEL.md by the independent ``model_check`` (which does not use force_plan.model).

* every generated plan is solved by both solvers; both must agree that it has a plan or
  that it has none; when it has one, every balance, bound, limit and the budget hold in
  both plans, and both reach the same objective values (relative 1e-5, on top of the
  lexicographic tolerance 1e-6 kept on earlier levels);
* some plans go through a workbook (wbhelpers.write_workbook + load_inputs): what is read
  back is the plan that was written, and its plan passes the same checks;
* the bundled examples (inputs/small.xlsx and inputs/baseline.xlsx) pass the checks;
* the checker itself catches a broken balance, cost, seat count or target.

The figures are invented for testing; they describe no real force.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import pandas as pd
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from force_plan.inputs.typed import (Category, Course, CourseSite, Equipment, ObjectiveTerm, Period,
                                     PipelineClass, Inputs, Settings, Site, Source, Target,
                                     shortfall_weight_from_priority)
from force_plan.errors import NoPlanError
from force_plan.pipeline import RunOptions, solve_plan
from force_plan.inputs.load import load_inputs
from model_check import check_plan, check_results
from wbhelpers import write_workbook

ROOT = Path(__file__).resolve().parents[1]
OBJ_REL = 1e-5


# --------------------------------------------------------------------------- strategies
def _pick(draw, *options):
    return draw(st.sampled_from(options))


@st.composite
def plans(draw, integer: bool | None = None):
    """A small valid Inputs; hard limits are drawn so that most plans are feasible."""
    T = draw(st.integers(1, 4))
    m = _pick(draw, 1, 3, 6, 12)
    years = draw(st.booleans())
    labels = [str(2030 + t) if years else f"P{t + 1}" for t in range(T)]
    periods = tuple(Period(label, recruits_available=_pick(draw, None, None, 40.0),
                           budget=_pick(draw, None, None, 5000.0, 400.0),
                           force_cap=_pick(draw, None, None, None, 2500.0))
                    for label in labels)
    n_cat = draw(st.integers(1, 3))
    cats = []
    for i in range(n_cat):
        priority = draw(st.integers(1, 3))
        weight = _pick(draw, None, 0.5, 2.0)
        cats.append(Category(
            f"Cat{i}", weapons_category=_pick(draw, "Other", "Air Defense"), priority=priority,
            initial_strength=float(draw(st.integers(0, 60))),
            attrition_rate=_pick(draw, 0.0, 0.05, 0.2),
            cost_per_person_year=_pick(draw, 0.0, 0.5, 1.3),
            separation_cost=_pick(draw, 0.0, 0.2),
            max_separations_per_period=_pick(draw, None, None, 0.0, 6.0),
            overstrength_cost=_pick(draw, 0.0, 0.1),
            reserve_cap=_pick(draw, 0.0, 0.0, 8.0),
            reserve_weight=_pick(draw, 0.0, 0.5, 1.0),
            reserve_cost=_pick(draw, 0.0, 0.3),
            min_fill=_pick(draw, 0.0, 0.0, 0.0, 0.3),
            shortfall_weight=weight if weight is not None
            else shortfall_weight_from_priority(priority)))
    names = [c.name for c in cats]
    targets = []
    for c in names:
        for t in range(T):
            if draw(st.booleans()):
                targets.append(Target(c, t, float(draw(st.integers(0, 80)))))
    courses = []
    for k in range(draw(st.integers(1, 4))):
        to = draw(st.sampled_from(names))
        sources = [None] + [c for c in names if c != to]
        frm = draw(st.sampled_from(sources))
        instructor = draw(st.sampled_from([None, None] + names))
        duration = _pick(draw, 0.0, 1.0, 3.0, 6.0, 12.0, 18.0)
        # a pool draws trainees present: a 0-month course has none (a warning)
        pool = _pick(draw, None, 4.0, 10.0) if instructor and duration else None
        throughput = _pick(draw, 2.0, 5.0) if instructor else None
        if instructor and pool is None and throughput is None:
            throughput = 5.0
        courses.append(Course(
            f"K{k}", frm, to, duration_months=duration,
            yield_=_pick(draw, 1.0, 0.8), cost_per_start=_pick(draw, 0.0, 0.4, 1.1),
            max_starts_per_period=_pick(draw, None, 25.0),
            min_starts_per_period=_pick(draw, 0.0, 0.0, 0.0, 1.0) if frm is None else 0.0,
            instructor_category=instructor, trainees_per_instructor=pool,
            starts_per_instructor=_pick(draw, None, throughput) if pool else throughput,
            class_size=_pick(draw, 1.0, 2.0, 3.0)))
    sites = course_sites = None
    if draw(st.booleans()):
        sites = []
        for s in range(draw(st.integers(1, 2))):
            a = draw(st.integers(0, T - 1))
            b = draw(st.sampled_from([None, *range(a, T)]))
            sites.append(Site(f"S{s}", provider=_pick(draw, "", "Partner"),
                              seats=_pick(draw, None, 12.0, 30.0),
                              available_from=a if draw(st.booleans()) else 0,
                              available_until=b, own_instructors=draw(st.booleans())))
        course_sites = []
        for k in courses:
            chosen = draw(st.lists(st.sampled_from(sites), min_size=1, max_size=len(sites),
                                   unique_by=lambda s: s.name))
            for s in chosen:
                course_sites.append(CourseSite(k.name, s.name,
                                               max_starts_per_period=_pick(draw, None, 15.0),
                                               cost_per_start=_pick(draw, None, 0.7)))
        sites, course_sites = tuple(sites), tuple(course_sites)
    pipeline = ()
    if draw(st.booleans()):
        k = draw(st.sampled_from(courses))
        pipeline = (PipelineClass(k.name, draw(st.integers(0, T - 1)),
                                  float(draw(st.integers(1, 10)))),)
    equipment, equipment_targets, sources = [], [], []
    for e in range(draw(st.integers(0, 2))):
        priority = draw(st.integers(1, 2))
        crew = draw(st.sampled_from([None] + names))
        equipment.append(Equipment(
            f"E{e}", priority=priority, crew_category=crew,
            crew_per_system=_pick(draw, 0.5, 2.0) if crew else None,
            initial_inventory=float(draw(st.integers(0, 10))),
            loss_rate=_pick(draw, 0.0, 0.1), availability=_pick(draw, 1.0, 0.75),
            sustainment_cost_per_year=_pick(draw, 0.0, 0.3),
            shortfall_weight=shortfall_weight_from_priority(priority)))
        for t in range(T):
            if draw(st.booleans()):
                equipment_targets.append(Target(f"E{e}", t, float(draw(st.integers(0, 12)))))
        for j in range(draw(st.integers(0, 2))):
            a = draw(st.integers(0, T - 1))
            sources.append(Source(
                f"Src{j}", f"E{e}", unit_cost=_pick(draw, 0.0, 2.0, 9.0),
                lead_time_months=_pick(draw, 0.0, 3.0, 12.0),
                max_per_period=_pick(draw, None, 3.0), total_available=_pick(draw, None, 5.0),
                available_from=a if draw(st.booleans()) else 0,
                available_until=draw(st.sampled_from([None, *range(a, T)]))))
    whole = draw(st.booleans()) if integer is None else integer
    # `changes` in whole numbers makes a MIP that CBC cannot prove at gap 0 in a test's time
    steady = () if whole else ("changes",)
    if draw(st.booleans()):
        objectives = (ObjectiveTerm(1, "shortfall"), ObjectiveTerm(1, "equipment_shortfall"),
                      ObjectiveTerm(2, "cost")) + tuple(ObjectiveTerm(3, t) for t in steady)
    else:
        terms = draw(st.lists(st.tuples(st.integers(1, 3), st.sampled_from(
            ["shortfall", "equipment_shortfall", "cost", "separations", "overstrength",
             "recruits", *steady]), st.sampled_from([1.0, 0.5, 3.0])), min_size=1,
            max_size=4))
        allowance = {lvl: _pick(draw, None, None, 0.0, 0.05) for lvl in (1, 2, 3)}
        objectives = tuple(ObjectiveTerm(lvl, term, weight=w,
                                         priority=_pick(draw, None, 1) if "shortfall" in term
                                         else None, allowance=allowance[lvl])
                           for lvl, term, w in terms)
    settings_ = Settings(plan_name="property", period_months=m,
                         force_cap=_pick(draw, None, None, 2000.0),
                         overstrength_cap=_pick(draw, None, 40.0),
                         integer=whole, mip_gap=0.0,
                         lookahead_periods=_pick(draw, None, None, 0, 2))
    return Inputs(settings=settings_, periods=periods, categories=tuple(cats),
                    targets=tuple(targets), courses=tuple(courses), sites=sites,
                    course_sites=course_sites, pipeline=pipeline, equipment=tuple(equipment),
                    equipment_targets=tuple(equipment_targets), sources=tuple(sources),
                    objectives=objectives)


# --------------------------------------------------------------------------- solving
def _solve_both(inputs):
    """(HiGHS results, CBC results), or (None, None) when both find no plan."""
    out = []
    for solver in ("highs", "cbc"):
        try:
            out.append(solve_plan(inputs, RunOptions(solver=solver)))
        except NoPlanError:
            out.append(None)
    assert (out[0] is None) == (out[1] is None), \
        f"HiGHS {'found no' if out[0] is None else 'found a'} plan, CBC the opposite"
    return out


def _check_agreement(inputs):
    highs, cbc = _solve_both(inputs)
    if highs is None:
        note("no plan (both solvers agree)")
        event("no plan")
        return None
    event("a plan")
    for res in (highs, cbc):
        assert res.status == "optimal", res.status_text
        problems = check_results(res)
        assert not problems, f"{res.solver}: " + "\n".join(problems[:30])
    for lvl in highs.objectives:
        a, b = highs.objectives[lvl], cbc.objectives[lvl]
        assert a == pytest.approx(b, rel=OBJ_REL, abs=OBJ_REL), (lvl, a, b)
    return highs


PROPERTY = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@PROPERTY
@given(inputs=plans(integer=False))
def test_random_plans_hold_the_model_with_both_solvers(inputs):
    _check_agreement(inputs)


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(inputs=plans(integer=True))
def test_random_integer_plans_hold_the_model(inputs):
    res = _check_agreement(inputs)
    if res is not None:
        assert res.integer


# --------------------------------------------------------------------------- via a workbook
def plan_to_sheets(inputs: Inputs) -> dict:
    """The workbook (sheet -> rows) that holds ``inputs``: the validator's inverse."""
    labels = [p.label for p in inputs.periods]

    def label(t):
        return None if t is None else (int(labels[t]) if labels[t].isdigit() else labels[t])

    s = inputs.settings
    sheets = {
        "Settings": [["setting", "value"], ["plan_name", s.plan_name],
                     ["period_months", s.period_months], ["force_cap", s.force_cap],
                     ["overstrength_cap", s.overstrength_cap],
                     ["integer", "yes" if s.integer else "no"], ["mip_gap", s.mip_gap],
                     ["lookahead_periods", s.lookahead_periods]],
        "Periods": [["period", "recruits_available", "budget", "force_cap"]] + [
            [label(t), p.recruits_available, p.budget, p.force_cap]
            for t, p in enumerate(inputs.periods)],
    }
    cat_cols = ["category", "weapons_category", "priority", "initial_strength",
                "attrition_rate", "cost_per_person_year", "separation_cost",
                "max_separations_per_period", "overstrength_cost", "reserve_cap",
                "reserve_weight", "reserve_cost", "min_fill", "shortfall_weight"]
    sheets["Categories"] = [cat_cols] + [
        [c.name, c.weapons_category, c.priority, c.initial_strength, c.attrition_rate,
         c.cost_per_person_year, c.separation_cost, c.max_separations_per_period,
         c.overstrength_cost, c.reserve_cap, c.reserve_weight, c.reserve_cost, c.min_fill,
         c.shortfall_weight] for c in inputs.categories]

    def wide(key, items, targets):
        rows = [[key] + [label(t) for t in range(len(labels))]]
        for name in items:
            row = [name] + [None] * len(labels)
            for x in targets:
                if x.item == name:
                    row[1 + x.period] = x.value
            rows.append(row)
        return rows

    sheets["Targets"] = wide("category", [c.name for c in inputs.categories], inputs.targets)
    sheets["Courses"] = [["course", "from", "to", "duration_months", "yield", "cost_per_start",
                          "max_starts_per_period", "min_starts_per_period",
                          "instructor_category", "trainees_per_instructor",
                          "starts_per_instructor", "class_size"]] + [
        [k.name, k.from_category or "RECRUIT", k.to_category, k.duration_months, k.yield_,
         k.cost_per_start, k.max_starts_per_period, k.min_starts_per_period,
         k.instructor_category, k.trainees_per_instructor, k.starts_per_instructor,
         k.class_size] for k in inputs.courses]
    if inputs.sites is not None:
        sheets["Sites"] = [["site", "provider", "seats", "available_from", "available_until",
                            "own_instructors"]] + [
            [x.name, x.provider or None, x.seats, label(x.available_from) if x.available_from
             else None, label(x.available_until), "yes" if x.own_instructors else "no"]
            for x in inputs.sites]
        sheets["CourseSites"] = [["course", "site", "max_starts_per_period",
                                  "cost_per_start"]] + [
            [x.course, x.site, x.max_starts_per_period, x.cost_per_start]
            for x in inputs.course_sites]
    if inputs.pipeline:
        sheets["Pipeline"] = [["course", "period", "graduates"]] + [
            [x.course, label(x.period), x.graduates] for x in inputs.pipeline]
    if inputs.equipment:
        sheets["Equipment"] = [["equipment", "weapons_category", "priority", "crew_category",
                                "crew_per_system", "initial_inventory", "loss_rate",
                                "availability", "sustainment_cost_per_year",
                                "shortfall_weight"]] + [
            [e.name, e.weapons_category, e.priority, e.crew_category, e.crew_per_system,
             e.initial_inventory, e.loss_rate, e.availability, e.sustainment_cost_per_year,
             e.shortfall_weight] for e in inputs.equipment]
        sheets["EquipmentTargets"] = wide("equipment", [e.name for e in inputs.equipment],
                                          inputs.equipment_targets)
    if inputs.sources:
        sheets["EquipmentSources"] = [["source", "equipment", "unit_cost", "lead_time_months",
                                       "max_per_period", "total_available", "available_from",
                                       "available_until"]] + [
            [x.source, x.equipment, x.unit_cost, x.lead_time_months, x.max_per_period,
             x.total_available, label(x.available_from) if x.available_from else None,
             label(x.available_until)] for x in inputs.sources]
    sheets["Objectives"] = [["level", "term", "priority", "weight", "allowance"]] + [
        [o.level, o.term, o.priority, o.weight, o.allowance] for o in inputs.objectives]
    return sheets


def _bare(records):
    """Records without their cell bookkeeping, for comparison."""
    out = []
    for r in records or ():
        kw = {f.name: getattr(r, f.name) for f in dataclasses.fields(r)
              if f.name not in ("row", "cells", "cell")}
        out.append(kw)
    return out


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(inputs=plans(integer=False))
def test_random_workbooks_read_back_and_hold_the_model(tmp_path, inputs):
    path = write_workbook(tmp_path / "random.xlsx", plan_to_sheets(inputs))
    loaded = load_inputs(path)
    # random limits and targets may leave a blank between filled periods: only that warns
    assert [w for w in loaded.warnings if "between filled periods" not in w] == []
    for attr in ("periods", "categories", "targets", "courses", "sites", "course_sites",
                 "pipeline", "equipment", "equipment_targets", "sources", "objectives"):
        assert _bare(getattr(loaded, attr)) == _bare(getattr(inputs, attr)), attr
    assert dataclasses.replace(loaded.settings, cells={}) == inputs.settings
    _check_agreement(loaded)


# --------------------------------------------------------------------------- the examples
@pytest.mark.parametrize("name", ["small", "baseline"])
def test_bundled_examples_hold_the_model(name):
    res = solve_plan(load_inputs(ROOT / "inputs" / f"{name}.xlsx"))
    assert res.status == "optimal"
    problems = check_results(res)
    assert not problems, "\n".join(problems[:30])


def test_small_example_with_cbc_and_in_whole_units():
    inputs = load_inputs(ROOT / "inputs" / "small.xlsx")
    for opts in (RunOptions(solver="cbc"), RunOptions(integer=True)):
        res = solve_plan(inputs, opts)
        problems = check_results(res)
        assert not problems, "\n".join(problems[:30])


# --------------------------------------------------------------------------- the checker
@pytest.fixture(scope="module")
def solved():
    return solve_plan(load_inputs(ROOT / "inputs" / "small.xlsx"))


def _nudge(data, quantity, delta, item=None):
    df = data.copy()
    rows = df.index[(df.quantity == quantity) & ((df["item"] == item) if item else True)]
    rows = [i for i in rows if df.at[i, "value"] > 1] or list(rows)
    df.at[rows[0], "value"] = df.at[rows[0], "value"] + delta
    return df


@pytest.mark.parametrize("quantity, delta, expected", [
    ("strength", 0.5, "strength balance of"),
    ("starts", 0.01, "graduates of"),
    ("inventory", 1.0, "inventory balance of"),
    ("acquisitions", 1.0, "inventory balance of"),
    ("shortfall", 0.3, "target equation of"),
    ("operational", 1e4, "availability of"),
])
def test_the_checker_catches_a_broken_plan(solved, quantity, delta, expected):
    df = _nudge(solved.data, quantity, delta)
    problems = check_plan(solved.inputs, df)
    assert any(p.startswith(expected) for p in problems), problems[:10]


def test_the_checker_catches_costs_budget_and_objectives(solved):
    df = _nudge(solved.data, "cost", 1.0, item="training")
    assert any(p.startswith("training cost in") for p in check_plan(solved.inputs, df))
    objectives = {k: v * 1.001 + 1 for k, v in solved.objectives.items()}
    full = pd.concat([solved.data, solved.lookahead_data], ignore_index=True)
    problems = check_plan(solved.inputs, full, objectives=objectives)
    assert [p.split(":")[0] for p in problems] == [f"objective level {k}" for k in objectives]
    tight = dataclasses.replace(solved.inputs, periods=tuple(
        dataclasses.replace(p, budget=1.0) for p in solved.inputs.periods))
    assert any(p.startswith("budget of") for p in check_plan(tight, solved.data))


def test_the_checker_catches_seats_and_windows():
    inputs = Inputs(
        settings=Settings(plan_name="t", period_months=12), periods=(Period("P1"), Period("P2")),
        categories=(Category("A"),), targets=(Target("A", 1, 10.0),),
        courses=(Course("K", None, "A", duration_months=18.0),),
        sites=(Site("S", seats=5.0, available_until=0),),
        course_sites=(CourseSite("K", "S"),), objectives=(ObjectiveTerm(1, "shortfall"),))
    import pandas as pd
    rows = [("strength", "A", "", p, 0.0) for p in ("P1", "P2")]
    rows += [("reserve", "A", "", p, 0.0) for p in ("P1", "P2")]
    rows += [("separations", "A", "", p, 0.0) for p in ("P1", "P2")]
    rows += [("shortfall", "A", "", "P2", 10.0), ("overstrength", "A", "", "P2", 0.0)]
    rows += [("starts", "K", "S", "P1", 12.0), ("starts", "K", "S", "P2", 0.0)]
    rows += [("graduates", "K", "", "P1", 0.0), ("graduates", "K", "", "P2", 12.0)]
    rows += [("in_training", "K", "", "P1", 12.0), ("in_training", "K", "", "P2", 0.0)]
    rows += [("cost", line, "", p, 0.0) for p in ("P1", "P2")
             for line in ("training", "personnel", "separations", "procurement", "sustainment",
                          "total")]
    df = pd.DataFrame(rows, columns=["quantity", "item", "where", "period", "value"])
    problems = check_plan(inputs, df)
    assert any(p.startswith("starts of K at S in P1 = 12.0 where no start is allowed")
               for p in problems), problems
    assert any(p.startswith("seats of S in P1") for p in problems), problems
    assert any(p.startswith("seats of S in P2") for p in problems), problems
    assert any(p.startswith("strength balance of A in P2") for p in problems), problems


def test_model_check_is_independent_of_the_lp_code():
    source = (Path(__file__).parent / "model_check.py").read_text()
    assert "force_plan" not in source.replace("force_plan.model", "").split('"""', 2)[2]
