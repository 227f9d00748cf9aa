"""The steady state (MODEL.md, "Steady state"): tiny models whose stationary optimum is
computed by hand (in each docstring), asserted exactly with HiGHS and CBC."""
import pytest

from force_plan.solve.levels import SolveOptions
from force_plan.model.steady import build_steady, presence
from force_plan.pipeline import sustain
from plan_builder import (CourseSite, Period, Site, Source, cat, course, equipment, inputs,
                          replace)

SOLVERS = ["highs", "cbc"]


def near(x):
    return pytest.approx(x, rel=1e-7, abs=1e-7)


def steady(p, solver="highs"):
    s = sustain(p, SolveOptions(solver=solver))
    assert s.status == "optimal", (s.status, s.conflicts, s.message)
    return s.figures


def test_presence_is_months_over_period_length():
    assert [presence(d, 3) for d in (0, 1, 3, 6, 7)] == [0, pytest.approx(1 / 3), 1, 2,
                                                          pytest.approx(7 / 3)]
    assert presence(6, 12) == 0.5


@pytest.mark.parametrize("solver", SOLVERS)
def test_annual_attrition(solver):
    """m = 12, A: attrition 10 %, target 1,000, pay 1 a year; Basic: RECRUIT → A, yield
    0.8, 6 months, cost 2 a start. Stationary: 0.1·1000 = 0.8·N → N = 125 starts a year,
    125 recruits; cost 2·125 + 1,000 = 1,250 a year; 6 months < 12: nobody in training at
    a period's end (lag 0); seats used 0.5·125 = 62.5."""
    p = inputs(T=2, m=12, categories=[cat("A", attrition_rate=0.1, cost_per_person_year=1,
                                          initial_strength=3)],
               courses=[course("Basic", None, "A", duration_months=6, yield_=0.8,
                               cost_per_start=2)],
               sites=(Site("S", seats=100),), course_sites=(CourseSite("Basic", "S"),),
               targets={("A", 0): 10, ("A", 1): 1000})
    f = steady(p, solver)
    a = f["categories"]["A"]
    assert a["strength"] == near(1000) and a["shortfall"] == 0 and a["readiness"] == 1
    assert a["attrition_per_year"] == near(100)
    assert f["recruits_per_year"] == near(125)
    assert f["courses"]["Basic"]["starts_per_year"] == near(125)
    assert f["courses"]["Basic"]["sites"] == {"S": near(125)}
    assert f["courses"]["Basic"]["graduates_per_year"] == near(100)
    assert f["courses"]["Basic"]["in_training"] == 0
    assert f["sites"]["S"]["seats_used"] == near(62.5)
    assert f["cost_lines"]["training"] == near(250)
    assert f["cost_lines"]["personnel"] == near(1000)
    assert f["cost_per_year"] == near(1250)
    assert f["sustainable"] is True and f["binding"] == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_quarterly_attrition_compounds(solver):
    """m = 3, annual attrition 0.3439 = 1 − 0.9⁴: the quarterly rate is 0.1, not 0.086.
    S = 1,000 loses 100 a quarter → 125 starts a quarter (yield 0.8) = 500 recruits a year
    and 400 lost a year (more than 0.3439·1,000: losses are replaced as they happen).
    A 6-month course: lag 1 → 125 in training at a quarter's end; present 2 quarters →
    250 seats used. Cost: 2·500 training + 1,000 pay = 2,000 a year."""
    p = inputs(T=4, m=3, categories=[cat("A", attrition_rate=0.3439, cost_per_person_year=1)],
               courses=[course("Basic", None, "A", duration_months=6, yield_=0.8,
                               cost_per_start=2)],
               sites=(Site("S", seats=300),), course_sites=(CourseSite("Basic", "S"),),
               targets={("A", 3): 1000})
    f = steady(p, solver)
    assert f["categories"]["A"]["attrition_per_year"] == near(400)
    assert f["recruits_per_year"] == near(500)
    assert f["courses"]["Basic"]["in_training"] == near(125)
    assert f["sites"]["S"]["seats_used"] == near(250)
    assert f["cost_per_year"] == near(2000)
    assert f["force"] == {"strength": near(1000), "in_training": near(125), "force_cap": None}


@pytest.mark.parametrize("solver", SOLVERS)
def test_recruit_limit_leaves_a_shortfall(solver):
    """100 recruits a year, attrition 12.5 %, yield 1: at most 100/0.125 = 800 held of
    the 1,000 required — 200 short for ever, in words."""
    p = inputs(T=2, m=12, categories=[cat("Infantry", attrition_rate=0.125)],
               courses=[course("Basic", None, "Infantry")],
               periods=[Period("P1"), Period("P2", recruits_available=100,
                                             cells={"recruits_available": "Periods!B3"})],
               targets={("Infantry", 1): 1000})
    f = steady(p, solver)
    inf = f["categories"]["Infantry"]
    assert inf["strength"] == near(800) and inf["shortfall"] == near(200)
    assert inf["readiness"] == near(0.8)
    assert f["total_shortfall"] == near(200) and f["sustainable"] is False
    assert [b["sentence"] for b in f["binding"]] == [
        "recruits: 100 a year hold at most 800 of the 1,000 Infantry required"]
    assert f["binding"][0]["cell"] == "Periods!B3"


@pytest.mark.parametrize("solver", SOLVERS)
def test_equipment_losses_availability_crews_and_a_total_source(solver):
    """E: loss 10 %/yr, availability 0.8, 2 crew of C per operational system, target 40
    operational → 50 held → 5 orders a year from S1 (unit cost 5: 25 a year); the cheaper
    S2 has a total_available and takes no part. Sustainment 2 a system-year: 100. Crews:
    80 effective C; C loses 20 %/yr → 16 starts a year."""
    p = inputs(T=2, m=12, categories=[cat("C", attrition_rate=0.2)],
               courses=[course("CrewCourse", None, "C")],
               equipment=[equipment("E", crew_category="C", crew_per_system=2, loss_rate=0.1,
                                    availability=0.8, sustainment_cost_per_year=2)],
               sources=[Source("S1", "E", unit_cost=5),
                        Source("S2", "E", unit_cost=1, total_available=1000)],
               equipment_targets={("E", 1): 40})
    f = steady(p, solver)
    e = f["equipment"]["E"]
    assert (e["inventory"], e["operational"], e["shortfall"]) == (near(50), near(40), 0)
    assert e["losses_per_year"] == near(5) and e["orders_per_year"] == near(5)
    assert f["sources"]["S1 @ E"]["orders_per_year"] == near(5)
    s2 = f["sources"]["S2 @ E"]
    assert s2["orders_per_year"] == 0 and s2["takes_part"] is False
    assert "total_available" in s2["why_not"]
    assert f["categories"]["C"]["strength"] == near(80)
    assert f["courses"]["CrewCourse"]["starts_per_year"] == near(16)
    assert f["cost_lines"]["procurement"] == near(25)
    assert f["cost_lines"]["sustainment"] == near(100)
    # only a source with a total: nothing can be held for ever
    p2 = replace(p, sources=(Source("S2", "E", unit_cost=1, total_available=1000),))
    f2 = steady(p2, solver)
    assert f2["equipment"]["E"]["inventory"] == 0
    assert f2["equipment"]["E"]["shortfall"] == near(40)
    assert f2["total_equipment_shortfall"] == near(40) and not f2["sustainable"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_shared_instructor_pool_and_own_instructor_site(solver):
    """Instructors I (10 %/yr, pay 20) teach K (6 months, 5 trainees per instructor) and
    K2 (12 months, 10 per instructor) at S1; S2 brings its own instructors.
    A needs 100 at 50 %/yr → 50 K starts a year; S1 (cost 1, at most 30) is cheaper even
    with instructors (0.1 instructor-years ≈ 2 a start) than S2 (cost 10) → 30 at S1,
    20 at S2. B needs 20 at 25 %/yr → 5 K2 starts. Pool: 0.5·30/5 + 1·5/10 = 3.5
    instructors, drawn from I's strength: I = 10 (target) + 3.5 = 13.5; 1.35 I starts.
    Seats at S2: 0.5·20 = 10. Cost: training 30 + 200 = 230; pay 20·13.5 = 270."""
    p = inputs(T=1, m=12,
               categories=[cat("A", attrition_rate=0.5), cat("B", attrition_rate=0.25),
                           cat("I", attrition_rate=0.1, cost_per_person_year=20)],
               courses=[course("K", None, "A", duration_months=6, instructor_category="I",
                               trainees_per_instructor=5),
                        course("K2", None, "B", duration_months=12, instructor_category="I",
                               trainees_per_instructor=10),
                        course("IC", None, "I")],
               sites=(Site("S1"), Site("S2", seats=40, own_instructors=True)),
               course_sites=(CourseSite("K", "S1", max_starts_per_period=30, cost_per_start=1),
                             CourseSite("K", "S2", cost_per_start=10),
                             CourseSite("K2", "S1"), CourseSite("IC", "S1")),
               targets={("A", 0): 100, ("B", 0): 20, ("I", 0): 10})
    f = steady(p, solver)
    assert f["courses"]["K"]["sites"] == {"S1": near(30), "S2": near(20)}
    assert f["courses"]["K2"]["starts_per_year"] == near(5)
    i = f["categories"]["I"]
    assert i["instructors"] == near(3.5) and i["strength"] == near(13.5)
    assert i["effective"] == near(10) and i["shortfall"] == 0
    assert f["courses"]["IC"]["starts_per_year"] == near(1.35)
    assert f["courses"]["K"]["instructors"] == near(3)
    assert f["sites"]["S2"]["seats_used"] == near(10)
    assert f["cost_lines"]["training"] == near(230)
    assert f["cost_lines"]["personnel"] == near(270)
    sentences = [b["sentence"] for b in f["binding"]]
    assert any(s.startswith("starts of K at S1: 30 a year, all used; one more start a year "
                            "would save") for s in sentences)


@pytest.mark.parametrize("solver", SOLVERS)
def test_conversion_course_feeds_a_category(solver):
    """A (10 %/yr, target 900) feeds B through Conv (yield 0.5); B (20 %/yr, target 100)
    needs 20 graduates = 40 conversion starts, which leave A: 0.1·900 = N − 40 →
    N = 130 recruits a year."""
    p = inputs(T=1, m=12, categories=[cat("A", attrition_rate=0.1),
                                      cat("B", attrition_rate=0.2)],
               courses=[course("Basic", None, "A"), course("Conv", "A", "B", yield_=0.5)],
               targets={("A", 0): 900, ("B", 0): 100})
    f = steady(p, solver)
    assert f["courses"]["Conv"]["starts_per_year"] == near(40)
    assert f["courses"]["Conv"]["graduates_per_year"] == near(20)
    assert f["categories"]["A"]["conversions_out_per_year"] == near(40)
    assert f["recruits_per_year"] == near(130)
    assert f["categories"]["B"]["strength"] == near(100)


def test_hard_target_that_cannot_hold_names_its_rows():
    """min_fill 1 with 100 recruits a year and 12.5 % attrition: no steady state."""
    p = inputs(T=2, m=12, categories=[cat("A", attrition_rate=0.125, min_fill=1,
                                          cells={"min_fill": "Categories!E2"})],
               courses=[course("Basic", None, "A")],
               periods=[Period("P1"), Period("P2", recruits_available=100,
                                             cells={"recruits_available": "Periods!B3"})],
               targets={("A", 1): 1000})
    s = sustain(p, SolveOptions())
    assert s.status == "infeasible" and not s.found
    assert s.conflicts == [
        "the hard target of A in the steady state (Targets!C2; min_fill 1 at "
        "Categories!E2) cannot be met: 200 persons short beyond what min_fill allows",
        "held down by the recruits available in the steady state (Periods!B3)"]


def test_min_starts_only_with_a_route_open_at_T_and_windows():
    """Site S closes before the last period: its course takes no part (its minimum starts
    do not apply); source J opens after it: no orders."""
    p = inputs(T=2, m=12, categories=[cat("A", attrition_rate=0.5)],
               courses=[course("K", None, "A", min_starts_per_period=10)],
               sites=(Site("S", available_until=0),), course_sites=(CourseSite("K", "S"),),
               equipment=[equipment("E", loss_rate=0.5)],
               sources=[Source("J", "E", available_from=1), Source("L", "E", available_until=0)],
               targets={("A", 1): 10}, equipment_targets={("E", 1): 4})
    f = steady(p)
    assert f["courses"]["K"]["starts_per_year"] == 0
    assert f["categories"]["A"]["shortfall"] == near(10)
    assert f["sites"]["S"]["available"] is False
    assert f["sources"]["J @ E"]["orders_per_year"] == near(2)
    assert f["sources"]["L @ E"]["takes_part"] is False


def test_force_cap_counts_trainees_by_lag():
    """m = 3, a 9-month course (lag 2), cap 1,000 at T, a = 0.1 a quarter: N = 0.1·S and
    S + 2·N ≤ 1,000 → S ≤ 1000/1.2 = 833.33 of the 1,000 required (166.67 short), with
    2·83.33 = 166.67 in training; the cap binds in words."""
    p = inputs(T=1, m=3, categories=[cat("A", attrition_rate=1 - 0.9 ** 4)],
               courses=[course("K", None, "A", duration_months=9)],
               periods=[Period("P1", force_cap=1000, cells={"force_cap": "Periods!D2"})],
               targets={("A", 0): 1000})
    f = steady(p)
    assert f["categories"]["A"]["strength"] == pytest.approx(1000 / 1.2, rel=1e-7)
    assert f["categories"]["A"]["shortfall"] == pytest.approx(1000 - 1000 / 1.2, rel=1e-7)
    assert f["force"]["in_training"] == pytest.approx(200 / 1.2, rel=1e-7)
    assert f["binding"][0]["sentence"] == ("force cap: 1,000 persons hold at most 833 of "
                                           "the 1,000 A required")
    assert f["binding"][0]["cell"] == "Periods!D2"
    model = build_steady(p)
    assert {info.family for _, info in model.rows} >= {"strength_balance", "force_cap"}


@pytest.mark.parametrize("solver", SOLVERS)
def test_budget_and_instructor_limits_in_words(solver):
    """A budget of 50 a year pays 50 starts at 1 each (pay is free). A: 50 %/yr, target
    200; B: 20 %/yr, target 20, fed by Conv from A, at most 0.02 × A's strength a year
    (starts_per_instructor). One more Conv start a year costs one more K start
    (1) and gives 5 B where the K start alone gives 2 A, so Conv runs at its limit
    c = 0.02·A, and 50 = 0.5·A + c → A = 50/0.52 = 96.15,
    c = 1.923, B = 5c = 9.615: both limits hold the targets, in words."""
    p = inputs(T=1, m=12, categories=[cat("A", attrition_rate=0.5), cat("B", attrition_rate=0.2)],
               courses=[course("K", None, "A", cost_per_start=1),
                        course("Conv", "A", "B", instructor_category="A",
                               starts_per_instructor=0.02)],
               periods=[Period("P1", budget=50, cells={"budget": "Periods!C2"})],
               targets={("A", 0): 200, ("B", 0): 20})
    f = steady(p, solver)
    a, b = f["categories"]["A"], f["categories"]["B"]
    assert a["strength"] == near(50 / 0.52)
    assert f["courses"]["Conv"]["starts_per_year"] == near(1 / 0.52)
    assert b["strength"] == near(5 / 0.52)
    assert f["total_shortfall"] == near(220 - 55 / 0.52)
    words = {x["family"]: x["sentence"] for x in f["binding"]}
    # persons held in whole persons, rounded down: 96.15 of 200 reads 96, 9.615 of 20 reads 9
    assert words["budget"] == ("budget: 50 currency units a year hold at most 96 of the "
                               "200 A required and 9 of the 20 B required")
    assert words["instructor_throughput"] == ("starts of Conv allowed by its starts_per_instructor: "
                                    "1.923 a year hold at most 9 of the 20 B required")


def test_minimum_starts_binding_in_words():
    """At least 30 starts a year of a 1-per-start course that A (50 %/yr, target 10)
    needs only 5 of: 25 separated or over strength; one start fewer saves 1 a year."""
    p = inputs(T=1, m=12, categories=[cat("A", attrition_rate=0.5)],
               courses=[course("K", None, "A", cost_per_start=1, min_starts_per_period=30,
                               cells={"min_starts_per_period": "Courses!H2"})],
               targets={("A", 0): 10})
    f = steady(p)
    assert f["courses"]["K"]["starts_per_year"] == near(30)
    (b,) = [x for x in f["binding"] if x["family"] == "course_min_starts"]
    assert b["sentence"] == ("minimum starts of K: 30 a year required; one start fewer a "
                             "year would save 1 currency units a year")
    assert b["cell"] == "Courses!H2"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_instances_are_stationary_and_solvers_agree(tmp_path, seed):
    """On generated workbooks: every stock is constant (the balances re-derived from the
    figures alone) and HiGHS and CBC reach the same objective levels."""
    from force_plan.authoring.generate import generate
    from force_plan.model.timing import per_period_rate
    from force_plan.inputs.load import load_inputs

    p = load_inputs(generate(tmp_path / f"g{seed}.xlsx", "small", seed))
    h, c = steady(p, "highs"), steady(p, "cbc")
    for level, z in h["objectives"].items():
        assert c["objectives"][level] == pytest.approx(z, rel=1e-6, abs=1e-6)
    year = 12 / p.period_months
    for cat_ in p.categories:
        row = h["categories"][cat_.name]
        loss = per_period_rate(cat_.attrition_rate, p.period_months) * row["strength"] * year
        grads = sum(k.yield_ * h["courses"][k.name]["starts_per_year"] for k in p.courses
                    if k.to_category == cat_.name)
        out = sum(h["courses"][k.name]["starts_per_year"] for k in p.courses
                  if k.from_category == cat_.name)
        assert loss == pytest.approx(grads - out - row["separations_per_year"], abs=1e-5)
        assert row["instructors"] + row["reserve"] <= row["strength"] + 1e-6
    for e in p.equipment:
        row = h["equipment"][e.name]
        assert row["losses_per_year"] == pytest.approx(row["orders_per_year"], abs=1e-5)
        assert row["operational"] <= e.availability * row["inventory"] + 1e-6
    total = sum(h["courses"][k.name]["starts_per_year"] for k in p.courses if k.from_recruit)
    assert h["recruits_per_year"] == pytest.approx(total, abs=1e-6)
