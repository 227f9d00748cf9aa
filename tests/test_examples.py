"""The bundled examples, version 2: what they hold (the design of inputs/baseline.xlsx and
inputs/small.xlsx) and what their plans show (a drawdown to the cap that holds, a last
plan period that trains like the periods before it, instructors drawn per category)."""
from __future__ import annotations

from pathlib import Path

import pytest

from force_plan import example_baseline, examples
from force_plan.pipeline import RunOptions, solve_plan
from force_plan.schema import RECRUIT
from force_plan.workbook.load import load_plan

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
