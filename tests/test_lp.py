"""Tiny models whose optimum is computed by hand (in each docstring), asserted exactly,
with HiGHS and CBC."""
import math

import pytest

from force_plan.model.timing import lag, per_period_rate
from force_plan.errors import NoPlanError
from force_plan.pipeline import RunOptions, solve_plan
from plan_builder import CourseSite, Period, Site, Source, cat, course, equipment, inputs

SOLVERS = ["highs", "cbc"]
TOL = 1e-6


def near(x):
    """Equal up to the lexicographic tolerance (1e-6 relative) that later levels may use."""
    return pytest.approx(x, rel=2e-6, abs=2e-6)


def run(p, solver="highs", **kw):
    return solve_plan(p, RunOptions(solver=solver, **kw))


def val(res, quantity, item, period, where=""):
    df = res.data
    sel = df[(df.quantity == quantity) & (df["item"] == item) & (df.period == period)
             & (df["where"] == where)]
    assert len(sel) == 1, (quantity, item, period, where, len(sel))
    return float(sel["value"].iloc[0])


def test_lag_rule():
    assert [lag(d, 3) for d in (0, 1, 3, 4, 6, 7)] == [0, 0, 0, 1, 1, 2]
    assert [lag(d, 12) for d in (0, 3, 12, 13, 24, 25)] == [0, 0, 0, 1, 1, 2]
    assert per_period_rate(0.19, 6) == pytest.approx(0.1)
    assert per_period_rate(0.0, 3) == 0.0


@pytest.mark.parametrize("solver", SOLVERS)
def test_pipeline_lag_yearly(solver):
    """m = 12: a 3-month and a 12-month course both graduate at the end of the year they
    start. 10 starts each per year → strength 20 then 40; shortfall 80 + 60 = 140."""
    p = inputs(T=2, m=12, categories=[cat("A")],
               courses=[course("K3", None, "A", duration_months=3, max_starts_per_period=10),
                        course("K12", None, "A", duration_months=12, max_starts_per_period=10)],
               targets={("A", 0): 100, ("A", 1): 100})
    r = run(p, solver)
    assert r.objectives[1] == near(140)
    assert val(r, "strength", "A", "P1") == near(20)
    assert val(r, "strength", "A", "P2") == near(40)
    assert val(r, "in_training", "K12", "P1") == 0  # graduates within the period


@pytest.mark.parametrize("solver", SOLVERS)
def test_pipeline_lag_quarterly(solver):
    """m = 3: a 6-month course started in Q1 graduates at the end of Q2; a start in Q3
    would graduate after the plan and is not allowed. Target 10 each quarter, 10 starts
    max: Q1 is 10 short, Q2 and Q3 are met. Trainees of Q1 are in training at its end."""
    p = inputs(T=3, m=3, categories=[cat("A")],
               courses=[course("K6", None, "A", duration_months=6, max_starts_per_period=10)],
               targets={("A", t): 10 for t in range(3)},
               objectives=[(1, "shortfall"), (2, "recruits")])
    r = run(p, solver)
    assert r.objectives[1] == near(10)
    assert val(r, "strength", "A", "P1") == 0
    assert val(r, "strength", "A", "P2") == near(10)
    assert val(r, "starts", "K6", "P3") == 0
    assert val(r, "in_training", "K6", "P1") == near(10)
    assert val(r, "graduates", "K6", "P2") == near(10)


@pytest.mark.parametrize("solver", SOLVERS)
def test_attrition_annual_to_period(solver):
    """19 %/yr with 6-month periods is 10 % per period: 1000 → 900 → 810."""
    p = inputs(T=2, m=6, categories=[cat("A", initial_strength=1000, attrition_rate=0.19)],
               targets={("A", 0): 1000, ("A", 1): 1000})
    r = run(p, solver)
    assert val(r, "strength", "A", "P1") == near(900)
    assert val(r, "strength", "A", "P2") == near(810)
    assert r.objectives[1] == near(100 + 190)


@pytest.mark.parametrize("solver", SOLVERS)
def test_conversion_and_yield(solver):
    """Artillery (100, priority 2, weight 0.1) → air defence (0, priority 1) with yield 0.5,
    at most 40 starts: shortfall = (20 − 0.5N) + 0.1·N is least at N = 40: value 4."""
    p = inputs(T=1, categories=[cat("Art", initial_strength=100, priority=2), cat("AD")],
               courses=[course("Conv", "Art", "AD", yield_=0.5, max_starts_per_period=40)],
               targets={("AD", 0): 20, ("Art", 0): 100})
    r = run(p, solver)
    assert r.objectives[1] == near(4)
    assert val(r, "strength", "Art", "P1") == near(60)
    assert val(r, "strength", "AD", "P1") == near(20)
    assert val(r, "graduates", "Conv", "P1") == near(20)


@pytest.mark.parametrize("solver", SOLVERS)
def test_instructor_ratio_and_its_shadow_price(solver):
    """5 instructors × 2 starts each = 10 starts: shortfall 90; one more start allowed by
    instructors cuts shortfall by 1."""
    p = inputs(T=1, categories=[cat("A"), cat("I", initial_strength=5)],
               courses=[course("K", None, "A", instructor_category="I", starts_per_instructor=2,
                               cells={"starts_per_instructor": "Courses!J2"})],
               targets={("A", 0): 100}, objectives=[(1, "shortfall")])
    r = run(p, solver)
    assert r.objectives[1] == near(90)
    b = [b for b in r.bottlenecks if b.family == "instructor_throughput"]
    assert len(b) == 1 and b[0].value_per_unit[1] == near(1.0)
    assert b[0].cell == "Courses!J2" and b[0].limit == near(10)  # 2 × 5 instructors
    assert "instructors of K in P1" in b[0].sentence


def _seat_plan(until=None):
    site = Site("S", seats=10, available_until=until, cells={"seats": "Sites!C2"})
    return inputs(T=3, m=3, categories=[cat("A")],
                  courses=[course("K4", None, "A", duration_months=4)], sites=(site,),
                  course_sites=(CourseSite("K4", "S"),), targets={("A", 2): 1000},
                  objectives=[(1, "shortfall")])


@pytest.mark.parametrize("solver", SOLVERS)
def test_site_seats_fractional_overlap(solver):
    """A 4-month course in 3-month periods fills a seat for all of its first quarter and a
    third of its second: N0 ≤ 10, N0/3 + N1 ≤ 10 → N0 = 10, N1 = 20/3, shortfall 2950/3.
    One more seat in P2 is worth one start there; one more in P1 is worth 1 − 1/3."""
    r = run(_seat_plan(), solver)
    assert r.objectives[1] == near(2950 / 3)
    assert val(r, "starts", "K4", "P2", "S") == near(20 / 3)
    worth = {b.period: b.value_per_unit[1] for b in r.bottlenecks if b.family == "seats"}
    assert worth == pytest.approx({"P1": 2 / 3, "P2": 1.0})


@pytest.mark.parametrize("solver", SOLVERS)
def test_site_availability_window(solver):
    """The site closes after P2: a course still running in P2's successor cannot start in
    P2, so only the 10 starts of P1 graduate: shortfall 990."""
    r = run(_seat_plan(until=1), solver)
    assert r.objectives[1] == near(990)
    assert val(r, "starts", "K4", "P2", "S") == 0


@pytest.mark.parametrize("solver", SOLVERS)
def test_recruit_pool(solver):
    """Two entry courses share 7 recruits: shortfall 20 − 7 = 13."""
    p = inputs(T=1, categories=[cat("A"), cat("B")],
               courses=[course("KA", None, "A"), course("KB", None, "B")],
               targets={("A", 0): 10, ("B", 0): 10},
               periods=[Period("P1", recruits_available=7)], objectives=[(1, "shortfall")])
    r = run(p, solver)
    assert r.objectives[1] == near(13)


@pytest.mark.parametrize("solver", SOLVERS)
def test_force_cap_counts_trainees(solver):
    """Cap 100, 90 trained: at most 10 may be in a 6-month course at the end of Q1, so Q2
    strength is 100 and the target of 200 is 100 short."""
    p = inputs(T=2, m=3, categories=[cat("A", initial_strength=90,
                                               max_separations_per_period=0)],
               courses=[course("K6", None, "A", duration_months=6)],
               targets={("A", 1): 200}, force_cap=100, objectives=[(1, "shortfall")])
    r = run(p, solver)
    assert r.objectives[1] == near(100)
    assert val(r, "in_training", "K6", "P1") == near(10)


@pytest.mark.parametrize("solver", SOLVERS)
def test_reserve_weight_and_cap(solver):
    """130 persons for a target of 100, no separations: over-strength costs 10/yr, a
    reservist 1/yr and counts half. All 30 allowed reservists: over = 30 − 15 = 15,
    cost 30·1 + 15·10 = 180."""
    p = inputs(T=1, categories=[cat("A", initial_strength=130, max_separations_per_period=0,
                                    overstrength_cost=10, reserve_cost=1, reserve_cap=30,
                                    reserve_weight=0.5)],
               targets={("A", 0): 100}, objectives=[(1, "cost")])
    r = run(p, solver)
    assert r.objectives[1] == near(180)
    assert val(r, "reserve", "A", "P1") == near(30)
    assert val(r, "overstrength", "A", "P1") == near(15)


@pytest.mark.parametrize("solver", SOLVERS)
def test_overstrength_cap_and_separations(solver):
    """Cap 10 above target forces 20 of the 30 extra out (5 each), the other 10 stay at 2
    per person-year: cost 100 + 20 = 120."""
    p = inputs(T=1, categories=[cat("A", initial_strength=130, overstrength_cost=2,
                                    separation_cost=5)],
               targets={("A", 0): 100}, overstrength_cap=10, objectives=[(1, "cost")])
    r = run(p, solver)
    assert r.objectives[1] == near(120)
    assert val(r, "separations", "A", "P1") == near(20)
    assert dict(r.summary)["total_separations"] == near(20)


def _equipment_plan(crew=100, **src):
    return inputs(T=3, m=12, categories=[cat("C", initial_strength=crew)],
                  equipment=[equipment("E", initial_inventory=10, loss_rate=0.1, availability=0.5,
                                       crew_category="C", crew_per_system=2)],
                  sources=[Source("S", "E", unit_cost=1, lead_time_months=18,
                                  **{"max_per_period": 15, **src})],
                  equipment_targets={("E", 2): 20})


@pytest.mark.parametrize("solver", SOLVERS)
def test_equipment_lead_time_loss(solver):
    """18-month lead time = 1 period: orders of P1, P2 arrive a period later; P3 orders
    are not allowed. inventory P3 = 7.29 + 0.9·15 + 15 = 35.79, half operational:
    17.895, shortfall 2.105."""
    r = run(_equipment_plan(), solver)
    assert r.objectives[1] == near(20 - 35.79 / 2)
    assert val(r, "inventory", "E", "P1") == near(9)
    assert val(r, "acquisitions", "E", "P3", "S") == 0


@pytest.mark.parametrize("solver", SOLVERS)
def test_crew_coupling(solver):
    """20 crew at 2 per system: at most 10 operational, shortfall 10."""
    r = run(_equipment_plan(crew=20), solver)
    assert r.objectives[1] == near(10)
    assert val(r, "operational", "E", "P3") == near(10)


@pytest.mark.parametrize("solver", SOLVERS)
def test_source_total_and_window(solver):
    """20 available in all: 5 in P1, 15 in P2 → 26.79 → shortfall 6.605. Window from P2:
    only the P2 order → 22.29 → shortfall 8.855."""
    r = run(_equipment_plan(total_available=20), solver)
    assert r.objectives[1] == near(20 - 26.79 / 2)
    r = run(_equipment_plan(available_from=1), solver)
    assert r.objectives[1] == near(20 - 22.29 / 2)


@pytest.mark.parametrize("solver", SOLVERS)
def test_budget_and_its_shadow_price(solver):
    """Each graduate costs 2 to train and 1 to pay for the year: 3N ≤ 50, shortfall
    100 − 50/3; one more unit of budget is worth 1/3 person."""
    p = inputs(T=1, categories=[cat("A", cost_per_person_year=1)],
               courses=[course("K", None, "A", cost_per_start=2)], targets={("A", 0): 100},
               periods=[Period("P1", budget=50, cells={"budget": "Periods!C2"})],
               cost_unit="M", objectives=[(1, "shortfall")])
    r = run(p, solver)
    assert r.objectives[1] == near(100 - 50 / 3)
    b = [b for b in r.bottlenecks if b.family == "budget"]
    assert b[0].value_per_unit[1] == near(1 / 3)
    assert b[0].cell == "Periods!C2" and "One more M of budget in P1" in b[0].sentence
    assert val(r, "cost", "total", "P1") == near(50)


@pytest.mark.parametrize("solver", SOLVERS)
def test_lexicographic_levels(solver):
    """Target 8 from a cheap course (cost 1, max 5) and a dear one (cost 10): level 1
    shortfall 0, level 2 cost 5 + 30 = 35. Cost first instead: cost 0, shortfall 8."""
    kw = dict(T=1, categories=[cat("A")], targets={("A", 0): 8},
              courses=[course("Cheap", None, "A", cost_per_start=1, max_starts_per_period=5),
                       course("Dear", None, "A", cost_per_start=10)])
    r = run(inputs(**kw), solver)
    assert r.objectives[1] == near(0)
    assert r.objectives[2] == near(35 - 0)
    r = run(inputs(**kw, objectives=[(1, "cost"), (2, "shortfall")]), solver)
    assert r.objectives == near({1: 0, 2: 8})


@pytest.mark.parametrize("solver", SOLVERS)
def test_priority_filter_and_weights(solver):
    """Level 1 counts only priority-1 shortfall: 6 recruits all go to P1-category A."""
    p = inputs(T=1, categories=[cat("A"), cat("B", priority=2)],
               courses=[course("KA", None, "A"), course("KB", None, "B")],
               targets={("A", 0): 10, ("B", 0): 10}, periods=[Period("P1", recruits_available=6)],
               objectives=[(1, "shortfall", 1), (2, "shortfall")])
    r = run(p, solver)
    assert r.objectives[1] == near(4)
    assert r.objectives[2] == pytest.approx(4 + 10 * 0.1, abs=1e-4)


@pytest.mark.parametrize("solver", SOLVERS)
def test_integer_classes(solver):
    """Classes of 4, at most 10 starts: whole classes give 8 starts (shortfall 2); the LP
    gives 10 (shortfall 0)."""
    p = inputs(T=1, categories=[cat("A")],
               courses=[course("K", None, "A", class_size=4, max_starts_per_period=10)],
               targets={("A", 0): 10})
    assert run(p, solver).objectives[1] == near(0)
    r = run(p, solver, integer=True)
    assert r.integer and r.objectives[1] == near(2)
    assert val(r, "starts", "K", "P1") == near(8)
    assert r.bottlenecks == [] and "not shown for integer plans" in r.bottleneck_note


@pytest.mark.parametrize("solver", SOLVERS)
def test_pipeline_classes(solver):
    """Pipeline graduates join at the end of their period and are not in training."""
    from force_plan.inputs.typed import PipelineClass
    p = inputs(T=2, categories=[cat("A")], courses=[course("K", None, "A",
                                                           max_starts_per_period=0)],
               pipeline=[PipelineClass("K", 1, 7)], targets={("A", 1): 10})
    r = run(p, solver)
    assert val(r, "strength", "A", "P2") == near(7)
    assert val(r, "graduates", "K", "P2") == near(7)


@pytest.mark.parametrize("solver", SOLVERS)
def test_infeasible_hard_target_names_its_rows(solver):
    """A hard target (min_fill 1) of 100 with at most 10 starts cannot hold."""
    p = inputs(T=1, categories=[cat("A", min_fill=1, cells={"min_fill": "Categories!M2"})],
               courses=[course("K", None, "A", max_starts_per_period=10,
                               cells={"max_starts_per_period": "Courses!G2"})],
               targets={("A", 0): 100})
    with pytest.raises(NoPlanError) as err:
        run(p, solver)
    text = str(err.value)
    assert "hard target of A in P1 (Targets!B2; min_fill 1 at Categories!M2)" in text
    assert "90 persons short" in text
    assert "maximum starts of K (Courses!G2)" in text
    assert err.value.exit_code == 3


def test_infeasible_budget_names_budget():
    """Pay of 100 persons (1 each) cannot fit a budget of 60 when nobody may leave."""
    p = inputs(T=1, categories=[cat("A", initial_strength=100, cost_per_person_year=1,
                                    max_separations_per_period=0)],
               periods=[Period("P1", budget=60, cells={"budget": "Periods!C2"})])
    with pytest.raises(NoPlanError) as err:
        run(p)
    assert "the budget of P1 (Periods!C2) is 40" in str(err.value)


def test_objective_values_scale_invariant():
    """Scaling is invisible: the same plan in money units 1e3 times larger reports
    costs 1e3 times larger."""
    def p(k):
        return inputs(T=1, categories=[cat("A", cost_per_person_year=0.002 * k)],
                      courses=[course("K", None, "A", cost_per_start=0.01 * k)],
                      targets={("A", 0): 800000}, objectives=[(1, "shortfall"), (2, "cost")])
    a, b = run(p(1)), run(p(1000))
    assert a.objectives[2] == pytest.approx(800000 * 0.012, rel=1e-6)
    assert b.objectives[2] == pytest.approx(1000 * a.objectives[2], rel=1e-6)
