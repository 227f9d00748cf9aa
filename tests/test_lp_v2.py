"""Model version 2, hand-solved (each docstring works the optimum out), asserted exactly
with HiGHS and CBC: the look-ahead, the shared instructor pool with a partner site that
brings its own instructors, a drawdown under a per-period force cap, exact holding of
levels (and an allowance), the `changes` level. The figures are invented for testing."""
import pytest

from force_plan.errors import NoPlanError
from force_plan.pipeline import RunOptions, solve_plan
from model_check import check_results
from force_plan.inputs.typed import ObjectiveTerm
from plan_builder import CourseSite, Period, Site, cat, course, inputs, replace

SOLVERS = ["highs", "cbc"]


def near(x):
    return pytest.approx(x, rel=1e-7, abs=1e-7)


def run(p, solver):
    r = solve_plan(p, RunOptions(solver=solver))
    assert r.status == "optimal"
    problems = check_results(r)
    assert not problems, problems[:10]
    return r


def val(res, quantity, item, period, where="", data=None):
    df = res.data if data is None else data
    sel = df[(df.quantity == quantity) & (df["item"] == item) & (df.period == period)
             & (df["where"] == where)]
    assert len(sel) == 1, (quantity, item, period, where, len(sel))
    return float(sel["value"].iloc[0])


def _replenish(lookahead):
    """A (100 trained, 50 % a year lost), a 24-month entry course (lag 1, cost 1 a start),
    target 100 in P1 and P2 (yearly)."""
    return inputs(T=2, m=12, categories=[cat("A", initial_strength=100, attrition_rate=0.5)],
                  courses=[course("K", None, "A", duration_months=24, cost_per_start=1)],
                  targets={("A", 0): 100, ("A", 1): 100}, lookahead_periods=lookahead)


@pytest.mark.parametrize("solver", SOLVERS)
def test_lookahead_replenishes_past_the_horizon(solver):
    """Blank lookahead_periods = lag 1 + 1 = 2 periods repeating P2's target 100.
    Strength: s1 = 50 (no graduate yet: 50 short), s2 = 25 + N1 = 100 → N1 = 75,
    s3 = 50 + N2 = 100 → N2 = 50, s4 = 50 + N3 = 100 → N3 = 50 (a start in the last
    look-ahead period would graduate after it: not allowed). Level 1 = 50; level 2 = cost
    over every optimised period = 75 + 50 + 50 = 175, of which the plan's own periods
    spend 125. The last plan period trains 50 like the periods after it."""
    r = run(_replenish(None), solver)
    assert r.lookahead_periods == 2
    assert dict(r.summary)["lookahead_periods"] == 2
    assert r.objectives[1] == near(50) and r.objectives[2] == near(175)
    assert val(r, "starts", "K", "P1") == near(75)
    assert val(r, "starts", "K", "P2") == near(50)
    assert val(r, "in_training", "K", "P2") == near(50)
    assert dict(r.summary)["total_cost"] == near(125)
    assert set(r.data.period) == {"P1", "P2"}  # the plan's periods only
    assert val(r, "starts", "K", "P2 +1", data=r.lookahead_data) == near(50)
    assert val(r, "strength", "A", "P2 +2", data=r.lookahead_data) == near(100)


@pytest.mark.parametrize("solver", SOLVERS)
def test_no_lookahead_is_version_1s_horizon(solver):
    """lookahead_periods = 0: a start in P2 would graduate after the plan, so only P1's 75
    starts happen and the plan winds down (cost 75)."""
    r = run(_replenish(0), solver)
    assert r.lookahead_periods == 0 and len(r.lookahead_data) == 0
    assert r.objectives[1] == near(50) and r.objectives[2] == near(75)
    assert val(r, "starts", "K", "P1") == near(75)
    assert val(r, "starts", "K", "P2") == 0


@pytest.mark.parametrize("solver", SOLVERS)
def test_shared_instructor_pool_with_a_partner_bringing_its_own(solver):
    """I (10 trained, target 4) teaches K1 (12 months, 10 trainees each) and K2 (6 months:
    present half the year, 5 trainees each) at Home; K1 also runs at Partner (30 seats,
    own instructors). A needs 100. Instructors = x1/10 + 0.5·x3/5 = (x1 + x3)/10 for
    Home starts x1 (K1) and x3 (K2); Partner x2 ≤ 30. Shortfall of A = 100 − x2 − x1 − x3,
    of I = (x1 + x3)/10 − 6 beyond 6 instructors: best y = x1 + x3 = 70 → level 1 = 1
    (I is one short, A full). Cost: Partner 3 × 30, then Home K1 at 1 rather than K2 at
    2: x1 = 70, level 2 = 160. 7 instructors are drawn."""
    p = inputs(T=1, categories=[cat("A"), cat("I", initial_strength=10)],
               courses=[course("K1", None, "A", duration_months=12, instructor_category="I",
                               trainees_per_instructor=10),
                        course("K2", None, "A", duration_months=6, instructor_category="I",
                               trainees_per_instructor=5)],
               sites=(Site("Home"), Site("Partner", seats=30, own_instructors=True)),
               course_sites=(CourseSite("K1", "Home", cost_per_start=1),
                             CourseSite("K1", "Partner", cost_per_start=3),
                             CourseSite("K2", "Home", cost_per_start=2)),
               targets={("A", 0): 100, ("I", 0): 4}, lookahead_periods=0)
    r = run(p, solver)
    assert r.objectives[1] == near(1) and r.objectives[2] == near(160)
    assert val(r, "starts", "K1", "P1", "Home") == near(70)
    assert val(r, "starts", "K1", "P1", "Partner") == near(30)
    assert val(r, "starts", "K2", "P1", "Home") == 0
    assert val(r, "instructors", "I", "P1") == near(7)
    assert val(r, "shortfall", "I", "P1") == near(1)


def _drawdown(cap_p1=None):
    cells = {"force_cap": "Periods!D2"}
    return inputs(T=3, m=12, categories=[cat("A", initial_strength=1000, separation_cost=1,
                                             max_separations_per_period=60)],
                  targets={("A", t): 800 for t in range(3)},
                  periods=[Period("P1", force_cap=cap_p1 or 960, cells=cells),
                           Period("P2", force_cap=880), Period("P3")],
                  force_cap=820, lookahead_periods=0)


@pytest.mark.parametrize("solver", SOLVERS)
def test_drawdown_under_a_per_period_cap(solver):
    """1,000 trained, at most 60 separations a period, caps 960, 880 then the Settings
    value 820: s1 ≤ 960 and s2 ≤ 880 with s1 − s2 ≤ 60 force s1 = 940, s2 = 880, s3 =
    820: 60 separations every period, cost 180, no shortfall."""
    r = run(_drawdown(), solver)
    assert r.objectives[1] == near(0) and r.objectives[2] == near(180)
    assert [val(r, "strength", "A", p) for p in ("P1", "P2", "P3")] == \
        [near(940), near(880), near(820)]


def test_a_cap_below_what_separations_allow_names_its_cell():
    """A P1 cap of 930 needs 70 separations in P1, beyond the limit of 60."""
    with pytest.raises(NoPlanError) as info:
        solve_plan(_drawdown(cap_p1=930))
    assert any("Periods!D2" in line for line in info.value.conflicts), info.value.conflicts


@pytest.mark.parametrize("solver", SOLVERS)
def test_levels_are_held_exactly_and_an_allowance_is_used(solver):
    """A (1 trained, paid 8 a year, no separations) needs 10; a cheap course K0 (1 a start, at most 6)
    and a dear one K1 (5 a start). Shortfall then cost: shortfall 0, cost = pay 8·10 +
    6 + 5·3 = 101. Cost first (held exactly): nobody trained, cost 8, shortfall 9. Cost
    first with an allowance of 0.5: cost may reach 12, i.e. 4 more, and each cheap start
    costs 1 + 8 (its pay): 4/9 starts, shortfall 9 − 4/9; the cost level ends at 12."""
    base = dict(T=1, categories=[cat("A", initial_strength=1, cost_per_person_year=8,
                                     max_separations_per_period=0)],
                courses=[course("K0", None, "A", cost_per_start=1, max_starts_per_period=6),
                         course("K1", None, "A", cost_per_start=5)],
                targets={("A", 0): 10}, lookahead_periods=0)
    r = run(inputs(**base), solver)
    assert (r.objectives[1], r.objectives[2]) == (near(0), near(101))
    cost_first = inputs(**base, objectives=[(1, "cost"), (2, "shortfall")])
    r = run(cost_first, solver)
    assert (r.objectives[1], r.objectives[2]) == (near(8), near(9))
    allowed = replace(cost_first, objectives=(ObjectiveTerm(1, "cost", allowance=0.5),
                                              ObjectiveTerm(2, "shortfall")))
    r = run(allowed, solver)
    assert (r.objectives[1], r.objectives[2]) == (near(12), near(9 - 4 / 9))


def test_scaling_every_weight_of_a_level_changes_no_plan():
    """MODEL.md: multiplying every weight of a level by the same factor changes no plan
    (a level is held relative to itself, never by an absolute slack)."""
    def solved(weight):
        p = inputs(T=2, categories=[cat("A", priority=10, shortfall_weight=weight),
                                    cat("B", priority=10, shortfall_weight=2 * weight)],
                   courses=[course("KA", None, "A", cost_per_start=1),
                            course("KB", None, "B", cost_per_start=3)],
                   periods=[Period("P1", recruits_available=15), Period("P2",
                                                                        recruits_available=15)],
                   targets={("A", 0): 10, ("B", 0): 10, ("A", 1): 20, ("B", 1): 20},
                   lookahead_periods=0)
        return solve_plan(p, RunOptions())

    one, tiny = solved(1.0), solved(1e-9)
    assert tiny.objectives[1] == pytest.approx(one.objectives[1] * 1e-9, rel=1e-9)
    assert tiny.objectives[2] == pytest.approx(one.objectives[2], rel=1e-9)
    assert tiny.data["value"].tolist() == pytest.approx(one.data["value"].tolist(),
                                                        rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("solver", SOLVERS)
def test_the_changes_level_steadies_equal_plans(solver):
    """A needs 10 more every year for 3 years (attrition 0, target 10, 20, 30 from 0), a
    course with no cost: any split of starts that keeps up meets every target, but only
    10, 10, 10 has no changes. With the default levels (shortfall, cost, changes) and no
    look-ahead: changes = |10 − 10| + |10 − 10| = 0 (the first period's 10 does not
    count: changes start at t = 2)."""
    p = inputs(T=3, categories=[cat("A")], courses=[course("K", None, "A")],
               targets={("A", 0): 10, ("A", 1): 20, ("A", 2): 30}, lookahead_periods=0,
               objectives=[(1, "shortfall"), (2, "cost"), (3, "changes")])
    r = run(p, solver)
    assert [val(r, "starts", "K", f"P{t}") for t in (1, 2, 3)] == [near(10)] * 3
    assert r.objectives[3] == near(0)


def test_a_level_highs_cannot_prove_is_recovered_by_another_strategy(monkeypatch):
    """A first strategy that stops on an iteration limit (as HiGHS does with status
    "unknown" on hard instances) is followed by the next one, which proves the level:
    the plan is optimal, and the Summary says what happened."""
    from force_plan.solve import highs

    failing = (("dual simplex, limited", {"solver": "simplex",
                                           "simplex_iteration_limit": 0}),)
    monkeypatch.setattr(highs, "RECOVERY", failing + highs.RECOVERY[1:])
    r = run(_replenish(None), "highs")
    assert r.objectives[1] == near(50) and r.objectives[2] == near(175)
    notes = dict(r.summary)["solver_notes"]
    assert "objective level 1: HiGHS ended without proof (Iteration limit reached); " \
        f"proven optimal by {highs.RECOVERY[1][0]}" in notes
    # the next level starts with the strategy that worked, not the one that failed
    assert f"objective level 2: proven optimal by {highs.RECOVERY[1][0]}, the strategy " \
        "that proved the level before it" in notes


def test_a_level_no_strategy_proves_says_what_to_do(monkeypatch):
    from force_plan.solve import highs

    stuck = tuple((name, {"solver": "simplex", "simplex_iteration_limit": 0})
                  for name, _ in highs.RECOVERY)
    monkeypatch.setattr(highs, "RECOVERY", stuck)
    from force_plan.errors import SolverError

    with pytest.raises(SolverError) as info:
        solve_plan(_replenish(None), RunOptions(solver="highs"))
    assert "could not prove it optimal" in str(info.value)
    assert "Try --solver cbc" in str(info.value)


@pytest.mark.parametrize("solver", SOLVERS)
def test_shadow_prices_mean_what_re_solving_gives(solver):
    """A needs 10; recruits 8; a cheap course K0 (1 a start, at most 5) and a dear one K1
    (3 a start). Level 1 (shortfall 2) is held by the recruit pool: one more recruit cuts
    it by 1. Level 2 (cost 5 + 3·3 = 14) is held by K0's maximum: one more cheap start
    saves 2. Each limit is shown at the level where it first binds only; re-solving with
    it relaxed by one unit moves that level by exactly the figure shown."""
    def solved(recruits=8, k0=5):
        p = inputs(T=1, categories=[cat("A")],
                   courses=[course("K0", None, "A", cost_per_start=1, max_starts_per_period=k0),
                            course("K1", None, "A", cost_per_start=3)],
                   periods=[Period("P1", recruits_available=recruits)],
                   targets={("A", 0): 10}, lookahead_periods=0)
        return run(p, solver)

    r = solved()
    assert (r.objectives[1], r.objectives[2]) == (near(2), near(14))
    worth = {b.family: b.value_per_unit for b in r.bottlenecks}
    assert worth["recruits"] == {1: near(1)}
    assert worth["course_max_starts"] == {2: near(2)}
    assert solved(recruits=9).objectives[1] == near(2 - 1)
    more = solved(k0=6)
    assert more.objectives[1] == near(2) and more.objectives[2] == near(14 - 2)


def _steady_or_just_in_time(objectives):
    return inputs(T=3, categories=[cat("A", cost_per_person_year=1.0,
                                       max_separations_per_period=0)],
                  courses=[course("K", None, "A")], targets={("A", 2): 30},
                  objectives=objectives)


@pytest.mark.parametrize("path", ["highs", "cbc", "highs after an export"])
def test_a_level_after_changes_holds_it(path, tmp_path):
    """A needs 30 by P3 (no target before), trained the same period (duration 0), upkeep 1
    a person-year, nobody separated. Cost alone trains just in time: 0, 0, 30 (cost 30, changes 30). With
    `changes` as level 2 and cost as level 3, level 2 allows only equal starts s, s, s
    (changes 0) with 3s ≥ 30, and cost 1·s + 2s + 3s = 6s is least at s = 10: 60. The
    `changes` rows reach HiGHS as arrays (model.ChangePairs) and are held there; CBC and
    an export (which turns them into PuLP rows first) must give the same plan."""
    p = _steady_or_just_in_time([(1, "shortfall"), (2, "changes"), (3, "cost")])
    export = tmp_path / "model.lp" if "export" in path else None
    r = solve_plan(p, RunOptions(solver=path.split()[0], export_model=export))
    assert r.status == "optimal"
    assert not check_results(r)
    assert [val(r, "starts", "K", f"P{t}") for t in (1, 2, 3)] == [near(10)] * 3
    assert r.objectives[2] == near(0) and r.objectives[3] == near(60)
    if export is not None:  # the rows as PuLP wrote them, and counted once
        assert "start_changes_up_r0_t1" in export.read_text()
        plain = run(p, "highs")
        assert dict(r.summary)["constraints"] == dict(plain.summary)["constraints"]
    usual = run(_steady_or_just_in_time([(1, "shortfall"), (2, "cost"), (3, "changes")]),
                path.split()[0])
    assert [val(usual, "starts", "K", f"P{t}") for t in (1, 2, 3)] == \
        [near(0), near(0), near(30)]
    assert usual.objectives[2] == near(30) and usual.objectives[3] == near(30)


def test_compact_changes_rows_are_pinned_where_their_duals_are_not_zero():
    """The `changes` rows HiGHS holds as arrays are held like model rows: a row whose dual
    exceeds PIN_TOL becomes an equality at 0 (its active side), once."""
    import numpy as np

    from force_plan.model.build import build
    from force_plan.solve.highs import _Live
    from force_plan.solve.levels import PIN_TOL

    p = _steady_or_just_in_time([(1, "shortfall"), (2, "changes"), (3, "cost")])
    model = build(p)
    model.col_index = {v: i for i, v in enumerate(model.columns)}
    live = _Live(model)
    assert live.pairs is not None and len(live.pairs[2]) == 2  # P1→P2, P2→P3

    class Recorder:
        def __init__(self):
            self.calls = []

        def addCols(self, *a):
            pass

        def addRows(self, r, lower, upper, nnz, starts, index, value):
            self.rows = (r, list(upper), list(index), list(value))

        def changeRowsBounds(self, k, rows, lower, upper):
            self.calls.append((list(rows), list(lower), list(upper)))

    h = Recorder()
    live.add_deferred(h)
    first = live.pair_first
    r, upper, index, value = h.rows
    before, after, change = (int(a[0]) for a in live.pairs[:3])
    assert r == 4 and upper == [0.0] * 4
    assert index[:6] == [after, before, change, before, after, change]
    assert value[:6] == [1.0, -1.0, -1.0, 1.0, -1.0, -1.0]
    dual = np.zeros(first + 4)
    dual[first + 1] = -10 * PIN_TOL  # the first pair's down row
    dual[first + 2] = -PIN_TOL / 10  # noise
    live.pin_pairs(h, dual)
    live.pin_pairs(h, dual)  # already pinned: not again
    assert h.calls == [([first + 1], [0.0], [0.0])]


def test_changes_rows_made_pulp_rows_are_pinned_once_by_their_highs_rows():
    """After an export the `changes` rows are also PuLP rows of the model: their HiGHS rows
    are the same array rows, their duals reach the model rows, and a level is held on them
    by pin_pairs only (the other model rows by _pin_highs)."""
    import numpy as np

    from force_plan.model.build import build
    from force_plan.solve.highs import _Live, _pin_highs
    from force_plan.solve.levels import PIN_TOL, Solution, _col_upper

    model = build(_steady_or_just_in_time([(1, "shortfall"), (2, "changes"), (3, "cost")]))
    model.materialize_changes()
    model.col_index = {v: i for i, v in enumerate(model.columns)}
    live = _Live(model)
    assert live.m - live.row == 4

    class Recorder:
        calls: list = []

        def addCols(self, *a):
            pass

        def addRows(self, *a):
            pass

        def changeColsBounds(self, *a):
            pass

        def changeRowsBounds(self, k, rows, lower, upper):
            self.calls.append(list(rows))

    h = Recorder()
    live.add_deferred(h)
    assert list(live.hrow[live.row:]) == list(live.pair_first + np.arange(4))
    hdual = np.zeros(live.hrows)
    hdual[live.pair_first + 3] = -10 * PIN_TOL
    row_dual = live.model_rows(hdual)
    assert row_dual[live.row + 3] == -10 * PIN_TOL
    sol = Solution(status="optimal")
    _pin_highs(h, live, sol, 2, row_dual, np.zeros(live.n), np.zeros(live.n),
               np.zeros(live.m, dtype=bool), _col_upper(model))
    live.pin_pairs(h, hdual)
    assert h.calls == [[live.pair_first + 3]]
