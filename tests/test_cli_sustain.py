"""`force-plan sustain` through click, on hand-made workbooks, and the steady-state lines
of `force-plan solve`."""
import json

import pytest
from click.testing import CliRunner

from force_plan.cli import main
from wbhelpers import write_workbook

JSON_KEYS = {"status", "recruits_per_year", "cost_per_year", "cost_lines", "categories",
             "courses", "sites", "equipment", "sources"}


def sheets(**extra):
    """Infantry: 12.5 %/yr attrition, pay 2/yr, target 1,000 in 2028; Basic from RECRUIT,
    cost 1 a start, at site North (own instructors) or South; 100 recruits a year in 2028.
    Tanks: 10 %/yr losses, 5 a year from a factory at 4 each; a coalition gift with a total
    takes no part. Steady state: 800 Infantry (200 short), 100 starts (40 at North, whose
    10 seats hold 40 three-month starters, 60 at South), cost 40 + 120 training + 1,600
    pay + 20 orders = 1,780 a year."""
    out = {
        "Settings": [["setting", "value"], ["period_months", 12], ["cost_unit", "M"]],
        "Periods": [["period", "recruits_available", "budget"], [2027, None, None],
                    [2028, 100, None]],
        "Categories": [["category", "initial_strength", "attrition_rate",
                        "cost_per_person_year", "min_fill"],
                       ["Infantry", 900, 0.125, 2, None]],
        "Targets": [["category", 2027, 2028], ["Infantry", 900, 1000]],
        "Courses": [["course", "from", "to", "duration_months", "cost_per_start"],
                    ["Basic", "RECRUIT", "Infantry", 3, 1]],
        "Sites": [["site", "seats", "own_instructors"], ["North", 10, "yes"],
                  ["South", None, "no"]],
        "CourseSites": [["course", "site", "cost_per_start"], ["Basic", "North", None],
                        ["Basic", "South", 2]],
        "Equipment": [["equipment", "loss_rate", "initial_inventory"], ["Tank", 0.1, 50]],
        "EquipmentTargets": [["equipment", 2027, 2028], ["Tank", 40, 50]],
        "EquipmentSources": [["source", "equipment", "unit_cost", "total_available"],
                             ["Factory", "Tank", 4, None], ["Coalition", "Tank", 0, 30]],
    }
    out.update(extra)
    return out


def invoke(*args):
    result = CliRunner().invoke(main, [*map(str, args)])
    assert "Traceback" not in result.output
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_sustain_json(tmp_path, solver):
    """North's 10 seats hold 40 three-month starts a year (cost 1); the other 60 go to
    South (cost 2)."""
    src = write_workbook(tmp_path / "hand.xlsx", sheets())
    r = invoke("sustain", src, "--json", "--solver", solver)
    assert r.exit_code == 0, r.output
    g = json.loads(r.stdout)
    assert JSON_KEYS <= set(g)
    assert g["status"] == "optimal"
    assert g["recruits_per_year"] == pytest.approx(100)
    inf = g["categories"]["Infantry"]
    assert {k: inf[k] for k in ("strength", "target", "shortfall", "instructors",
                                "separations_per_year")} == {
        "strength": pytest.approx(800), "target": 1000, "shortfall": pytest.approx(200),
        "instructors": 0, "separations_per_year": 0}
    basic = g["courses"]["Basic"]
    assert basic["starts_per_year"] == pytest.approx(100)
    assert basic["graduates_per_year"] == pytest.approx(100)
    assert basic["sites"] == {"North": pytest.approx(40), "South": pytest.approx(60)}
    assert g["sites"]["North"]["seats_used"] == pytest.approx(10)
    assert g["sites"]["South"]["seats_used"] == pytest.approx(15)
    tank = g["equipment"]["Tank"]
    assert (tank["inventory"], tank["operational"], tank["target"], tank["shortfall"]) == (
        pytest.approx(50), pytest.approx(50), 50, 0)
    assert g["sources"]["Factory @ Tank"]["orders_per_year"] == pytest.approx(5)
    assert g["sources"]["Coalition @ Tank"]["orders_per_year"] == 0
    assert g["cost_lines"] == {"training": pytest.approx(160), "personnel": pytest.approx(1600),
                               "separations": 0, "procurement": pytest.approx(20),
                               "sustainment": 0}
    assert g["cost_per_year"] == pytest.approx(1780)


def test_sustain_text_says_how_much_cannot_be_held(tmp_path):
    src = write_workbook(tmp_path / "hand.xlsx", sheets())
    r = invoke("sustain", src)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "Recruits: 100 a year (pool 100 a year)" in out
    assert "Cost: 1,780 M a year: training 160, personnel 1,600, procurement 20" in out
    assert ("The final targets (2028) cannot be sustained: 200 persons short for ever "
            "(Infantry 200).") in out
    assert "  - recruits: 100 a year hold at most 800 of the 1,000 Infantry required" in out
    assert "  Infantry: 800 (target 1,000, short 200, readiness 80%)" in out
    assert "  Coalition @ Tank: 0 (takes no part: total_available" in out


def test_sustain_hard_limit_exits_3_naming_rows(tmp_path):
    s = sheets()
    s["Categories"][1][4] = 1  # min_fill 1: the target is hard
    s["Periods"][1][1] = 1000  # the plan itself can meet it (from its initial strength)
    src = write_workbook(tmp_path / "hard.xlsx", s)
    r = invoke("sustain", src)
    assert r.exit_code == 3
    assert "No steady state" in r.output
    assert ("the hard target of Infantry in the steady state (Targets!C2; min_fill 1 at "
            "Categories!E2) cannot be met: 200 persons short") in r.output
    assert "held down by the recruits available in the steady state (Periods!B3)" in r.output


def test_sustain_invalid_input_exits_2(tmp_path):
    s = sheets()
    s["Categories"][1][2] = "ten"
    src = write_workbook(tmp_path / "bad.xlsx", s)
    r = invoke("sustain", src)
    assert r.exit_code == 2 and "Categories!C2" in r.output


def test_solve_prints_the_two_steady_state_lines(tmp_path):
    src = write_workbook(tmp_path / "hand.xlsx", sheets())
    r = invoke("solve", src, "-o", tmp_path / "p.xlsx")
    assert r.exit_code == 0, r.output
    assert ("Steady state: 1,780 M a year to hold the final targets for ever (force-plan "
            "sustain for details).") in r.stdout
    assert "cannot be sustained: 200 persons short for ever (Infantry 200)" in r.stdout
    r = invoke("solve", src, "-o", tmp_path / "p.xlsx", "--json", "--force")
    g = json.loads([x for x in r.stdout.splitlines() if x.startswith("{")][0])
    assert g["steady_state"] == {"status": "optimal", "cost_per_year": pytest.approx(1780),
                                 "total_shortfall": pytest.approx(200),
                                 "total_equipment_shortfall": 0, "sustainable": False}


def test_baseline_highs_and_cbc_agree():
    figures = {}
    for solver in ("highs", "cbc"):
        r = invoke("sustain", "inputs/baseline.xlsx", "--json", "--solver", solver)
        assert r.exit_code == 0, r.output
        figures[solver] = json.loads(r.stdout)
    h, c = figures["highs"], figures["cbc"]
    assert h["cost_per_year"] == pytest.approx(c["cost_per_year"], rel=1e-7)
    assert h["recruits_per_year"] == pytest.approx(c["recruits_per_year"], rel=1e-6)
    for level, z in h["objectives"].items():
        assert c["objectives"][level] == pytest.approx(z, rel=1e-7, abs=1e-6), level
    assert h["total_shortfall"] == pytest.approx(c["total_shortfall"], rel=1e-7, abs=1e-6)


def test_sustain_solver_failure_exits_4(tmp_path, monkeypatch):
    """A solver that finds nothing in time: exit 4 with the reason, no traceback."""
    from force_plan import pipeline
    from force_plan.solve import levels as solve_module

    monkeypatch.setattr(pipeline, "solve", lambda model, options: solve_module.Solution(
        status="no_solution", message="no feasible plan found before the solver stopped "
        "(time limit reached)"))
    src = write_workbook(tmp_path / "hand.xlsx", sheets())
    r = invoke("sustain", src)
    assert r.exit_code == 4
    assert r.output.splitlines()[-1] == (
        "No steady state found: no feasible plan found before the solver stopped (time "
        "limit reached). Allow more time (--time-limit) or try --solver cbc.")


def test_sustain_export_model(tmp_path):
    src = write_workbook(tmp_path / "hand.xlsx", sheets())
    r = invoke("sustain", src, "--export-model", tmp_path)
    assert r.exit_code == 0, r.output
    text = (tmp_path / "hand-steady.lp").read_text()
    assert "strength_balance_c0" in text and "recruits_n0" in text
