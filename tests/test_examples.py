"""The bundled examples, version 2: what they hold (the design of inputs/baseline.xlsx and
inputs/small.xlsx) and what their plans show (a drawdown to the cap that holds, a last
plan period that trains like the periods before it, instructors drawn per category)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from force_plan.authoring import example_baseline, examples
from force_plan.pipeline import RunOptions, solve_plan
from force_plan.contract.schema import RECRUIT
from force_plan.inputs.load import load_inputs
from force_plan.xlsx.plan import write_plan

INPUTS = Path(__file__).resolve().parents[1] / "inputs"
LEADER_WORDS = ("NCO", "officer", "petty officer")


@pytest.fixture(scope="module")
def baseline():
    return examples.example("baseline").content


@pytest.fixture(scope="module")
def small():
    return examples.example("small").content


# --------------------------------------------------------------------------- design
def test_baseline_starts_near_880000_with_mobilised_personnel(baseline):
    cats = baseline["Categories"]
    assert sum(c["initial_strength"] for c in cats) == 880300
    targeted = {r["category"] for r in baseline["Targets"]}
    mobilised = [c for c in cats if c["category"].startswith("Mobilised")]
    assert sum(c["initial_strength"] for c in mobilised) == 96000
    for c in mobilised:  # to be demobilised: no target, a limit and a cost per separation
        assert c["category"] not in targeted
        assert c["max_separations_per_period"] > 0 and c["separation_cost"] > 0
    # some may sign a contract instead
    assert any(k["from"] == "Mobilised infantry" and k["to"] == "Infantry rifleman"
               for k in baseline["Courses"])


def test_baseline_cap_steps_down_to_800000_within_two_years(baseline):
    caps = [p["force_cap"] for p in baseline["Periods"]]
    assert caps[0] == 880000 and caps[7] == 800000
    assert all(a > b for a, b in zip(caps[:7], caps[1:8]))  # a step down every quarter
    assert caps[8:] == [None] * 12  # blank: the Settings value
    assert baseline["Settings"]["force_cap"] == 800000
    last = sum(r["2031-Q4"] for r in baseline["Targets"])
    assert last == 796100  # with trainees and instructors, more than the cap holds


def test_every_priority_1_branch_and_the_infantry_have_their_own_leaders(baseline):
    cats = {c["category"]: c for c in baseline["Categories"]}
    into = {k["to"] for k in baseline["Courses"]}
    branches = {c["weapons_category"] for c in cats.values() if c["priority"] == 1}
    assert branches == {"Integrated Air and Missile Defence", "Maritime"}
    for branch in branches | {"Manoeuvre Infantry"}:
        leaders = [n for n, c in cats.items() if c["weapons_category"] == branch
                   and any(w in n for w in LEADER_WORDS)]
        assert any("officer" in n for n in leaders), branch
        assert any("NCO" in n or "petty officer" in n for n in leaders), branch
        assert set(leaders) <= into, branch  # every leader category is trained


def test_domestic_courses_draw_instructors_and_partner_sites_bring_their_own(baseline):
    for k in baseline["Courses"]:
        assert k["instructor_category"] and k["trainees_per_instructor"] > 0, k["course"]
    pools = {k["instructor_category"] for k in baseline["Courses"]}
    assert {"Military instructor", "Air defence NCO", "Naval petty officer",
            "Staff officer"} <= pools
    sites = {s["site"]: s for s in baseline["Sites"]}
    for s in sites.values():
        assert (s["own_instructors"] == "yes") == (s["provider"] != "Domestic"), s["site"]
    for row in baseline["CourseSites"]:  # the partner pays
        assert (row["cost_per_start"] == 0) == (sites[row["site"]]["own_instructors"] == "yes")
    uk = sites["Partner basic infantry programme"]
    assert uk["provider"].startswith("UK-led") and uk["seats"] == 2000
    basic = next(k for k in baseline["Courses"] if k["course"] == "Basic infantry course")
    # about 20,000 starts a year on 2,000 seats of average occupancy: 5,000 a quarter
    assert 2000 / (basic["duration_months"] / 3) * 4 == 19200


def test_expendable_systems_are_consumed_and_the_notes_say_so(baseline):
    loss = {e["equipment"]: e["loss_rate"] for e in baseline["Equipment"]}
    assert loss["Strike drone"] == loss["Interceptor drone"] == 0.95
    assert max(v for k, v in loss.items() if "drone" not in k.lower()) <= 0.3
    assert any("consumed, not held" in n and "0.95" in n for n in example_baseline.NOTES)
    leads = {s["lead_time_months"] for s in baseline["EquipmentSources"]}
    assert min(leads) == 0 and max(leads) == 24


def test_baseline_objectives_are_the_default_ending_with_changes(baseline):
    assert [(o["level"], o["term"]) for o in baseline["Objectives"]] == [
        (1, "shortfall"), (1, "equipment_shortfall"), (2, "cost"), (3, "changes")]
    assert "lookahead_periods" not in baseline["Settings"]  # blank: computed


def test_small_exercises_every_version_2_column(small):
    assert small["Settings"]["lookahead_periods"] == 2
    assert [p["force_cap"] for p in small["Periods"]] == [1220, None, None, None]
    assert all(k["trainees_per_instructor"] for k in small["Courses"])
    assert any(k["starts_per_instructor"] for k in small["Courses"])
    assert [s["own_instructors"] for s in small["Sites"]] == ["no", "yes"]
    assert [(o["level"], o["term"], o["allowance"]) for o in small["Objectives"]] == [
        (1, "shortfall", None), (1, "equipment_shortfall", None), (2, "cost", 0.01),
        (3, "changes", None)]
    assert sum(k["from"] == RECRUIT for k in small["Courses"]) == 2


# --------------------------------------------------------------------------- the plans
def _by_period(data, quantity, labels, items=None):
    rows = data[data.quantity == quantity]
    if items is not None:
        rows = rows[rows["item"].isin(items)]
    return rows.groupby("period")["value"].sum().reindex(labels).fillna(0.0)


@pytest.fixture(scope="module")
def baseline_plan(tmp_path_factory):
    """The committed baseline solved once (HiGHS) and written as a plan workbook."""
    inputs = load_inputs(INPUTS / "baseline.xlsx")
    results = solve_plan(inputs, RunOptions(solver="highs"))
    path = write_plan(results, tmp_path_factory.mktemp("plan") / "baseline-plan.xlsx")
    return inputs, results, openpyxl.load_workbook(path, read_only=True)


def test_baseline_solves_to_optimal_and_looks_ahead(baseline_plan):
    inputs, results, book = baseline_plan
    assert results.status == "optimal"
    summary = dict(results.summary)
    assert summary["lookahead_periods"] == 8  # the 24-month lead time: lag 7, + 1
    assert list(results.data.period.unique()) == list(inputs.period_labels)


def test_baseline_demobilises_to_800000_and_holds_it(baseline_plan):
    inputs, results, _ = baseline_plan
    labels, data = list(inputs.period_labels), results.data
    force = _by_period(data, "strength", labels) + _by_period(data, "in_training", labels)
    for t, label in enumerate(labels):
        assert force[label] <= inputs.force_cap(t) + 1e-6, label
    assert force["2027-Q1"] > 860000
    assert list(force[labels[:8]]) == sorted(force[labels[:8]], reverse=True)  # down
    for label in labels[7:]:  # 2028-Q4 on: at the cap, every quarter
        assert force[label] == pytest.approx(800000, abs=1.0), label
    mobilised = ["Mobilised infantry", "Mobilised support personnel"]
    assert _by_period(data, "strength", labels, mobilised)["2028-Q4"] == pytest.approx(0, abs=1e-6)
    assert _by_period(data, "separations", labels, mobilised).sum() > 40000
    # the early quarters are short of money and people; the shortfall that remains at the
    # end is the cap's: priority 3 only, since targets + trainees + instructors exceed it
    assert _by_period(data, "shortfall", labels)["2027-Q1"] > 5000
    cost = _by_period(data, "cost", labels, ["total"])
    assert cost["2027-Q1"] == pytest.approx(inputs.periods[0].budget, rel=1e-6)
    last = data[(data.quantity == "shortfall") & (data.period == labels[-1]) & (data.value > 1e-6)]
    priority = {c.name: c.priority for c in inputs.categories}
    assert {priority[c] for c in last["item"]} == {3}


def test_last_plan_period_trains_like_the_four_before(baseline_plan):
    """Every course with starts in the last plan year starts at least half as many in
    the last quarter as on average in the four quarters before it (no wind-down)."""
    inputs, results, _ = baseline_plan
    labels, data = list(inputs.period_labels), results.data
    starts = (data[data.quantity == "starts"].groupby(["item", "period"])["value"].sum()
              .unstack().reindex(columns=labels).fillna(0.0))
    active = starts[starts[labels[-4:]].sum(axis=1) > 1e-6]
    assert len(active) >= 25
    for course, row in active.iterrows():
        before = row[labels[-5:-1]].mean()
        assert row[labels[-1]] >= 0.5 * before - 1e-6, (course, list(row[labels[-5:]]))


def test_strength_sheet_shows_instructors_of_every_instructor_category(baseline_plan):
    inputs, results, book = baseline_plan
    labels, data = list(inputs.period_labels), results.data
    rows = {(r[1], r[2]): r[3:3 + len(labels)]
            for r in book["Strength"].iter_rows(min_row=5, values_only=True) if r and r[2]}
    pools = {k.instructor_category for k in inputs.courses if k.trainees_per_instructor}
    assert len(pools) >= 10
    for category in pools:
        drawn = rows[(category, "instructors")]
        strength = rows[(category, "strength")]
        assert all(i <= s + 1e-6 for i, s in zip(drawn, strength)), category
        expected = _by_period(data, "instructors", labels, [category])
        assert list(drawn) == pytest.approx(list(expected), abs=1e-6), category
    assert max(rows[("Military instructor", "instructors")]) > 500
    # partner programmes bring their own: while the partner basic-infantry programme runs,
    # military instructors teach only the basic infantry starts at home
    total = _by_period(data, "instructors", labels)
    assert all(total > 1000)


def test_small_plan(tmp_path):
    inputs = load_inputs(INPUTS / "small.xlsx")
    results = solve_plan(inputs, RunOptions(solver="highs"))
    assert results.status == "optimal"
    data, labels = results.data, list(inputs.period_labels)
    assert dict(results.summary)["lookahead_periods"] == 2
    assert _by_period(data, "shortfall", labels).sum() == pytest.approx(0, abs=1e-6)
    drones = data[(data.quantity == "acquisitions") & (data["item"] == "Reconnaissance drone")]
    assert list(drones.value) == pytest.approx([40, 40, 40, 40])  # production is the limit
    force = _by_period(data, "strength", labels) + _by_period(data, "in_training", labels)
    assert all(force[lab] <= inputs.force_cap(t) + 1e-6 for t, lab in enumerate(labels))
    # 2027: riflemen come down from 1,100 to their target by attrition and 50 separations
    rifle = data[(data["item"] == "Rifleman") & (data.period == "2027")]
    assert rifle[rifle.quantity == "separations"].value.sum() == pytest.approx(50)
    assert 950 <= rifle[rifle.quantity == "strength"].value.sum() <= 951
    # instructors drawn from two pools; the partner programme (from 2028) draws none
    drawn = data[data.quantity == "instructors"].groupby("item")["value"].sum()
    assert set(drawn[drawn > 1e-6].index) == {"Instructor", "Drone operator"}
