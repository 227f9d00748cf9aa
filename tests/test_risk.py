"""force-plan risk: the Uncertainty sheet checked, the replay exact where the answer is known."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from force_plan.cli import main
from force_plan.errors import InputError
from force_plan.pipeline import solve_plan
from force_plan.whatif.risk import draw_inputs, replay
from force_plan.inputs.uncertainty import parse_uncertainty
from force_plan.inputs.load import load_inputs
from force_plan.inputs.read import read_workbook

from wbhelpers import valid_sheets, write_workbook

HEAD = ["sheet", "row", "column", "low", "likely", "high", "draw"]


def run(*args):
    result = CliRunner().invoke(main, [*map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def one_category(tmp_path, lines):
    """One category of 1,000 with 10 % attrition, a target of 900 after one year and no
    recruiting: effective strength = 1000 × (1 − 0.1 × factor)."""
    sheets = {
        "Settings": [["setting", "value"], ["period_months", 12]],
        "Periods": [["period", "recruits_available"], ["Y1", 0]],
        "Categories": [["category", "initial_strength", "attrition_rate"], ["A", 1000, 0.1]],
        "Targets": [["category", "Y1"], ["A", 900]],
        "Courses": [["course", "from", "to"], ["Basic", "RECRUIT", "A"]],
        "Uncertainty": [HEAD] + lines,
    }
    return write_workbook(tmp_path / "one.xlsx", sheets)


def tri_quantile(q, a, c, b):
    """The q-quantile of a triangular distribution on [a, b] with mode c."""
    if q < (c - a) / (b - a):
        return a + math.sqrt(q * (b - a) * (c - a))
    return b - math.sqrt((1 - q) * (b - a) * (b - c))


def test_closed_form_one_category_triangular_attrition(tmp_path):
    path = one_category(tmp_path, [["Categories", "A", "attrition_rate", 0.5, 1, 2, "once"]])
    n = 40_000
    result = run("risk", path, "-n", n, "--seed", 3, "-o", tmp_path / "r.xlsx", "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["draws"] == n and got["equipment"] == {}
    y1 = got["categories"]["A"]["Y1"]
    # P(meet) = P(factor ≤ 1) = (1 − 0.5)² / ((2 − 0.5)(1 − 0.5)) = 1/3
    se = math.sqrt((1 / 3) * (2 / 3) / n)
    assert abs(y1["p_meet"] - 1 / 3) < 4 * se
    # strength = 1000 − 100 × factor, so its p50 is at the factor's median; the shortfall's
    # p90 at the factor's 90th percentile; its p10 is 0 (the factor's p10 is below 1)
    assert y1["strength_p50"] == pytest.approx(1000 - 100 * tri_quantile(0.5, 0.5, 1, 2),
                                               abs=0.8)
    assert y1["shortfall_p50"] == pytest.approx(100 * tri_quantile(0.5, 0.5, 1, 2) - 100,
                                                abs=0.8)
    assert y1["shortfall_p90"] == pytest.approx(100 * tri_quantile(0.9, 0.5, 1, 2) - 100,
                                                abs=0.8)
    assert y1["shortfall_p10"] == 0
    # the same seed gives the same figures; another seed other ones
    again = run("risk", path, "-n", n, "--seed", 3, "-o", tmp_path / "r.xlsx", "--json")
    assert json.loads(again.stdout) == got
    other = run("risk", path, "-n", n, "--seed", 4, "-o", tmp_path / "r.xlsx", "--json")
    assert json.loads(other.stdout) != got


@pytest.mark.parametrize("draw", ["once", "each_period"])
def test_once_and_each_period_draws(tmp_path, draw):
    """Factors are triangular (mean (0.5 + 1 + 2) / 3); once: one factor for every period,
    each_period: independent factors per period."""
    sheets = {
        "Settings": [["setting", "value"]],
        "Periods": [["period"], ["Y1"], ["Y2"]],
        "Categories": [["category", "initial_strength", "attrition_rate"], ["A", 1000, 0.1]],
        "Targets": [["category", "Y1", "Y2"]],
        "Courses": [["course", "from", "to"], ["Basic", "RECRUIT", "A"]],
        "Uncertainty": [HEAD, ["Categories", "*", "attrition_rate", 0.5, 1, 2, draw]],
    }
    path = write_workbook(tmp_path / "two.xlsx", sheets)
    inputs = load_inputs(path)
    drawn = draw_inputs(inputs, parse_uncertainty(read_workbook(path)), 50_000, seed=1)
    f = drawn.attrition[:, 0, :] / 0.1   # period_months 12: the per-period rate is annual
    assert f.mean() == pytest.approx(3.5 / 3, abs=0.01)
    assert f.min() >= 0.5 and f.max() <= 2
    corr = np.corrcoef(f[:, 0], f[:, 1])[0, 1]
    if draw == "once":
        assert np.array_equal(f[:, 0], f[:, 1])
    else:
        assert abs(corr) < 0.03


def test_with_no_uncertainty_the_replay_is_the_plan(tmp_path):
    sheets = valid_sheets()
    sheets["Uncertainty"] = [HEAD,
                             ["Categories", "*", "attrition_rate", 1, 1, 1, "once"],
                             ["Courses", "*", "yield", 1, 1, 1, "each_period"],
                             ["Periods", "*", "recruits_available", 1, 1, 1, None],
                             ["Equipment", "*", "loss_rate", 1, 1, 1, None],
                             ["EquipmentSources", "*", "lead_time_months", 1, 1, 1, None]]
    path = write_workbook(tmp_path / "x.xlsx", sheets)
    inputs = load_inputs(path)
    results = solve_plan(inputs)
    drawn = draw_inputs(inputs, parse_uncertainty(read_workbook(path)), 3, seed=1)
    rep = replay(inputs, results, drawn)
    df = results.data
    for i, c in enumerate(inputs.categories):
        planned = df[(df.quantity == "strength") & (df["item"] == c.name)]["value"].to_numpy()
        assert np.allclose(rep.strength[:, i, :], planned, atol=1e-6)
    for i, e in enumerate(inputs.equipment):
        op = df[(df.quantity == "operational") & (df["item"] == e.name)]["value"].to_numpy()
        assert np.allclose(rep.operational[:, i, :], op, atol=1e-6)


def test_recruit_starts_are_cut_to_the_drawn_pool(tmp_path):
    """A target that needs every recruit: with the pool drawn at half, half the starts
    happen, so strength falls short by half the planned intake."""
    sheets = {
        "Settings": [["setting", "value"]],
        "Periods": [["period", "recruits_available"], ["Y1", 100]],
        "Categories": [["category", "initial_strength"], ["A", 0]],
        "Targets": [["category", "Y1"], ["A", 100]],
        "Courses": [["course", "from", "to", "yield"], ["Basic", "RECRUIT", "A", 0.5]],
        "Uncertainty": [HEAD, ["Periods", "Y1", "recruits_available", 1, 1, 1, None],
                        ["Courses", "Basic", "yield", 2, 2, 2, None]],
    }
    path = write_workbook(tmp_path / "r.xlsx", sheets)
    inputs = load_inputs(path)
    results = solve_plan(inputs)
    lines = parse_uncertainty(read_workbook(path))
    rep = replay(inputs, results, draw_inputs(inputs, lines, 2, seed=0))
    assert rep.strength[:, 0, 0].tolist() == [100.0, 100.0]   # yield 0.5 × 2 = 1 (clipped)
    lines[0] = type(lines[0])(**{**lines[0].__dict__, "low": 0.5, "likely": 0.5,
                                 "high": 0.5})
    rep = replay(inputs, results, draw_inputs(inputs, lines, 2, seed=0))
    assert rep.strength[:, 0, 0].tolist() == [50.0, 50.0]


@pytest.mark.parametrize("line, where, words", [
    (["Categories", "Pilot", "cost_per_person_year", 1, 1, 2, None], "Uncertainty!C2",
     "cannot be uncertain"),
    (["Categories", "Nobody", "attrition_rate", 1, 1, 2, None], "Uncertainty!B2",
     "matches no row"),
    (["Categories", "Pilot", "attrition_rate", 1, 0.9, 2, None], "Uncertainty!E2",
     "not in order"),
    (["Categories", "Pilot", "attrition_rate", "low", 1, 2, None], "Uncertainty!D2",
     "must be a number"),
    (["Categories", "Pilot", "attrition_rate", 1, 1, 2, "monthly"], "Uncertainty!G2",
     "not one of"),
])
def test_a_bad_uncertainty_line_names_its_cell(tmp_path, line, where, words):
    sheets = valid_sheets()
    sheets["Uncertainty"] = [HEAD, line]
    with pytest.raises(InputError) as info:
        load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    assert [p.where for p in info.value.problems] == [where]
    assert words in str(info.value.problems[0])


def test_one_cell_drawn_twice_is_an_error(tmp_path):
    sheets = valid_sheets()
    sheets["Uncertainty"] = [HEAD, ["Categories", "*", "attrition_rate", 1, 1, 2, None],
                             ["Categories", "pilot", "attrition_rate", 1, 1, 2, None]]
    with pytest.raises(InputError) as info:
        load_inputs(write_workbook(tmp_path / "x.xlsx", sheets))
    (p,) = info.value.problems
    assert p.where == "Uncertainty!B3" and "Uncertainty!A2 draws already" in p.what


def test_risk_workbook_and_words(tmp_path):
    import openpyxl

    path = one_category(tmp_path, [["Categories", "A", "attrition_rate", 0.5, 1, 2, "once"]])
    result = run("risk", path, "-n", 2000, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 0
    assert "A: the plan meets its target in Y1, but only in 3" in result.stdout
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Risk", "Categories", "Fan charts"]
    rows = list(wb["Categories"].iter_rows(values_only=True))
    assert rows[0][:5] == ("item", "priority", "period", "target (persons)", "p_meet")
    assert rows[1][:4] == ("A", 1, "Y1", 900)
    for ws in wb:  # print-ready: landscape A4, one page wide, header repeated on tables
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddFooter.center.text == "&A — page &P of &N"
    assert wb["Categories"].print_title_rows == "$1:$1"
    none = run("risk", write_workbook(tmp_path / "v.xlsx", valid_sheets()), "-o",
               tmp_path / "s.xlsx")
    assert none.exit_code == 2 and "no Uncertainty lines" in none.output


def test_reoptimise_equals_the_replay_when_nothing_can_be_replanned(tmp_path):
    """No recruits and no other decision: the best plan for each draw is the replayed one,
    on the same draws (same seed); serial = two processes."""
    path = one_category(tmp_path, [["Categories", "A", "attrition_rate", 0.5, 1, 2, "once"]])
    replayed = run("risk", path, "-n", 12, "--seed", 5, "-o", tmp_path / "a.xlsx", "--json")
    serial = run("risk", path, "-n", 12, "--seed", 5, "-o", tmp_path / "b.xlsx", "--json",
                 "--reoptimise")
    two = run("risk", path, "-n", 12, "--seed", 5, "-o", tmp_path / "c.xlsx", "--json",
              "--reoptimise", "-j", 2)
    assert serial.exit_code == two.exit_code == 0, serial.output
    a, b = json.loads(replayed.stdout), json.loads(serial.stdout)
    assert json.loads(two.stdout) == b
    for key, value in a["categories"]["A"]["Y1"].items():
        assert b["categories"]["A"]["Y1"][key] == pytest.approx(value, abs=1e-6), key


def test_reoptimise_refuses_each_period_draws_naming_the_cell(tmp_path):
    path = one_category(tmp_path, [["Categories", "A", "attrition_rate", 0.5, 1, 2,
                                    "each_period"]])
    result = run("risk", path, "-n", 3, "-o", tmp_path / "a.xlsx", "--reoptimise")
    assert result.exit_code == 2 and "Uncertainty!G2" in result.output
    assert "set draw to once" in result.output


def test_reoptimise_on_a_dask_cluster_equals_serial(tmp_path):
    distributed = pytest.importorskip("distributed")
    path = one_category(tmp_path, [["Categories", "A", "attrition_rate", 0.5, 1, 2, "once"]])
    serial = run("risk", path, "-n", 6, "-o", tmp_path / "a.xlsx", "--json", "--reoptimise")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        on_dask = run("risk", path, "-n", 6, "-o", tmp_path / "b.xlsx", "--json",
                      "--reoptimise", "--scheduler", cluster.scheduler_address)
    assert on_dask.exit_code == 0, on_dask.output
    assert json.loads(on_dask.stdout) == json.loads(serial.stdout)


def test_risk_json_covers_categories_and_equipment_every_period(tmp_path):
    sheets = valid_sheets()
    sheets["Uncertainty"] = [HEAD, ["Equipment", "Jet", "availability", 0.9, 1, 1, None]]
    result = run("risk", write_workbook(tmp_path / "x.xlsx", sheets), "-n", 500, "-o",
                 tmp_path / "r.xlsx", "--json")
    got = json.loads(result.stdout)
    assert set(got["categories"]) == {"Pilot", "Mechanic", "Instructor"}
    assert set(got["equipment"]) == {"Jet"}
    assert set(got["equipment"]["Jet"]) == {"2026", "2027", "2028"}
    assert set(got["equipment"]["Jet"]["2027"]) == {"p_meet", "shortfall_p10", "shortfall_p50",
                                                    "shortfall_p90", "strength_p50"}
    assert got["categories"]["Instructor"]["2026"]["p_meet"] is None   # no target
    # availability only ever falls, so operational systems never exceed the plan's
    assert all(0 <= v["p_meet"] <= 1 for v in got["equipment"]["Jet"].values())


def test_draws_come_in_blocks_and_reoptimise_sees_the_same_ones(tmp_path, monkeypatch):
    import force_plan.whatif.risk as risk
    from force_plan.whatif.risk_reopt import drawn_plans

    monkeypatch.setattr(risk, "CHUNK", 4)
    path = one_category(tmp_path, [["Categories", "A", "attrition_rate", 0.5, 1, 2, "once"]])
    inputs = load_inputs(path)
    lines = parse_uncertainty(read_workbook(path))
    assert risk.chunks(10) == [4, 4, 2]
    rng = np.random.default_rng(9)
    replayed = np.concatenate([risk.draw_inputs(inputs, lines, k, rng).attrition[:, 0, 0]
                               for k in risk.chunks(10)])
    resolved = [p.categories[0].attrition_rate for p in drawn_plans(inputs, lines, 10, 9)]
    assert np.allclose(replayed, resolved)   # period_months 12: per-period rate = annual
    fig = risk.run_risk(inputs, solve_plan(inputs), lines, 10, 9)
    strength = np.sort(1000 * (1 - np.array(resolved)))
    assert fig.categories["level"][1, 0, 0] == pytest.approx(np.median(strength), rel=1e-6)


def test_too_many_draws_for_memory_is_one_sentence(tmp_path, monkeypatch):
    import force_plan.whatif.risk as risk

    monkeypatch.setattr(risk, "MAX_KEPT", 1000)
    path = one_category(tmp_path, [["Categories", "A", "attrition_rate", 0.5, 1, 2, "once"]])
    result = run("risk", path, "-n", 2000, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2 and "ask for at most 1,000 draws (-n 1000)" in result.output
    assert not (tmp_path / "r.xlsx").exists()
