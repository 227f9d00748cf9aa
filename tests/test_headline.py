"""One set of headline figures: the printed summary, ``--json`` and the Summary sheet of
``force-plan solve`` show the same figures (force_plan/results/headline.py), on workbooks whose
horizon is only partly budgeted."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from fake_results import fake_results
from force_plan.numbers import whole
from force_plan.cli import main
from force_plan.results.headline import compute, headline
from test_cli_solve import hand_sheets
from wbhelpers import write_workbook

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    result = CliRunner().invoke(main, ["solve", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def printed(text: str) -> dict:
    """The figures of the printed summary (format_glance), parsed back."""
    num = r"(-?[\d,]+(?:\.\d+)?)"
    out: dict = {"priority": {}, "weapons": {}, "readiness": {}}
    n = lambda s: float(s.replace(",", ""))  # noqa: E731
    section = None
    for line in text.splitlines():
        if m := re.match(rf"End strength (\S+): {num} trained \+ {num} in training "
                         rf"\(target {num}; (?:force cap (.+)|no force cap)\)$", line):
            out.update(end=m[1], trained=n(m[2]), in_training=n(m[3]), target=n(m[4]),
                       cap=m[5])
        elif m := re.match(rf"Shortfall over the plan: {num} person-periods", line):
            out["shortfall"], section = n(m[1]), "shortfall"
        elif m := re.match(rf"  priority (\d+): {num}$", line):
            out["priority"][int(m[1])] = n(m[2])
        elif line.startswith("Equipment operational"):
            section = "readiness"
        elif (m := re.match(rf"  (.+): {num} / {num}$", line)) and section == "readiness":
            out["readiness"][m[1]] = (n(m[2]), n(m[3]))
        elif (m := re.match(rf"  (.+): {num}$", line)) and section == "shortfall":
            out["weapons"][m[1]] = n(m[2])
        elif m := re.match(rf"Budget: {num} of {num} .+ \(([\d.]+)%\) in the (\d+) periods? "
                           rf"with a budget; total cost {num} ", line):
            out.update(spent=n(m[1]), budget=n(m[2]), used=float(m[3]) / 100,
                       budgeted=int(m[4]), total_cost=n(m[5]))
    return out


def sheet_block(path) -> dict:
    """The Summary sheet's headline block: label (its first row) and section/label ->
    (value, detail)."""
    ws = openpyxl.load_workbook(path)["Summary"]
    block, section = {}, ""
    for r in ws.iter_rows(min_row=5, min_col=4, max_col=6, values_only=True):
        if r[0] is not None and r[1] is None and not r[2]:
            section = r[0].split(":")[0].split(" (")[0]
        elif r[0] is not None:
            block.setdefault(r[0], (r[1], r[2]))
            block[f"{section}/{r[0]}"] = (r[1], r[2])
    return block


def three_ways(src: Path, tmp_path: Path):
    out = tmp_path / "plan.xlsx"
    text = run(src, "-o", out).stdout
    g = json.loads([x for x in run(src, "-o", out, "--force", "--json").stdout.splitlines()
                    if x.startswith("{")][0])
    return printed(text), g, sheet_block(out), out


def test_hand_workbook_budget_in_one_period(tmp_path):
    """hand_sheets: 2027 costs pay 98 + training 2·10 = 118, 2028 costs 96.2 + 20 = 116.2.
    A budget of 200 in 2027 only: used = 118 / 200 = 59 % (not 234.2 / 200)."""
    sheets = hand_sheets(**{"Periods:1:2": 200})
    text, g, sheet, _ = three_ways(write_workbook(tmp_path / "hand.xlsx", sheets), tmp_path)
    b = g["budget"]
    assert b["total_cost"] == pytest.approx(234.2, rel=1e-5)
    assert b["spent"] == pytest.approx(118, rel=1e-5) and b["budget"] == 200
    assert b["used"] == pytest.approx(0.59, rel=1e-5)
    assert b["budgeted_periods"] == ["2027"] and b["highest_use_period"] == "2027"
    assert (text["spent"], text["budget"], text["used"], text["budgeted"],
            text["total_cost"]) == (118.0, 200.0, 0.59, 1, 234.2)
    assert sheet["Budget used"][0] == pytest.approx(0.59, rel=1e-5)
    assert sheet["Cost in the periods that have a budget"] == (pytest.approx(118, rel=1e-5),
                                                               "1 of 2 periods")
    assert sheet["Budget of the periods that have one"][0] == 200
    assert sheet["Total cost over the plan"][0] == pytest.approx(234.2, rel=1e-5)
    assert sheet["Highest budget use in a period"] == (pytest.approx(0.59, rel=1e-5), "2027")
    # the force: 96.2 trained at the end of 2028, target 150; 53.8 + 22 = 75.8 short
    assert text["trained"] == 96 and g["end_strength"]["strength"] == pytest.approx(96.2)
    assert sheet["Trained strength at the end (2028)"][0] == pytest.approx(96.2, rel=1e-5)
    assert sheet["Target at the end (2028)"][0] == text["target"] == 150
    assert sheet["Priority 1"] == (pytest.approx(75.8, rel=1e-5), "54 short at the end")
    assert g["shortfall_person_periods"]["by_priority"] == {"1": pytest.approx(75.8)}


def test_small_example_with_half_the_budgets_agrees_three_ways(tmp_path):
    """The bundled small example (illustrative) with budgets only in its first two years;
    every figure is checked against the Data sheet too."""
    src = tmp_path / "small.xlsx"
    shutil.copy(ROOT / "inputs" / "small.xlsx", src)
    wb = openpyxl.load_workbook(src)
    ws = wb["Periods"]
    col = [c.value for c in ws[1]].index("budget") + 1
    for row in (4, 5):
        ws.cell(row, col).value = None
    wb.save(src)
    text, g, sheet, out = three_ways(src, tmp_path)

    data = [r for r in openpyxl.load_workbook(out, read_only=True)["Data"].iter_rows(
        min_row=2, values_only=True)]
    periods = list(dict.fromkeys(str(r[3]) for r in data))
    cost = {str(r[3]): r[4] for r in data if r[0] == "cost" and r[1] == "total"}
    spent = cost[periods[0]] + cost[periods[1]]
    total = sum(cost.values())
    assert spent < total  # the unbudgeted years cost something: the ratios would differ

    b = g["budget"]
    assert b["budgeted_periods"] == periods[:2] and b["budget"] == 64000
    assert b["spent"] == pytest.approx(spent) and b["total_cost"] == pytest.approx(total)
    assert b["used"] == pytest.approx(spent / 64000, abs=1e-6)
    assert sheet["Budget used"][0] == pytest.approx(spent / 64000)
    assert text["used"] == pytest.approx(round(spent / 64000, 3))
    assert text["spent"] == pytest.approx(round(spent, 1))
    assert text["total_cost"] == pytest.approx(round(total, 1))
    assert sheet["Total cost over the plan"][0] == pytest.approx(total)

    e, end = g["end_strength"], periods[-1]
    trained = sum(r[4] for r in data if r[0] == "strength" and str(r[3]) == end)
    assert e["strength"] == pytest.approx(trained, abs=1e-3)
    assert sheet[f"Trained strength at the end ({end})"][0] == pytest.approx(trained)
    assert text["trained"] == round(trained)
    assert sheet[f"Target at the end ({end})"][0] == e["target"] == text["target"]
    assert sheet["Force cap"][0] == e["force_cap"] == float(text["cap"].replace(",", ""))

    s = g["shortfall_person_periods"]
    for p, v in s["by_priority"].items():
        assert sheet[f"Priority {p}"][0] == pytest.approx(v, abs=1e-3)
        assert text["priority"][int(p)] == round(v)
    for w, v in s["by_weapons_category"].items():
        assert sheet[f"Shortfall by weapons category/{w}"][0] == pytest.approx(v, abs=1e-3)
        assert text["weapons"][w] == round(v)
    assert set(text["weapons"]) == set(s["by_weapons_category"])

    r = g["equipment_readiness"]["by_weapons_category"]
    assert set(r) == set(text["readiness"]) and r
    for w, v in r.items():
        ratio, detail = sheet[f"Equipment readiness at the end/{w}"]
        assert ratio == pytest.approx(v["operational"] / v["target"], abs=1e-4)
        held = whole(v["operational"], floor=v["operational"] < v["target"])
        assert detail == f"{held} of {whole(v['target'])} systems"  # whole systems
        assert text["readiness"][w] == (round(v["operational"]), round(v["target"]))
        op = sum(x[4] for x in data if x[0] == "operational" and str(x[3]) == end
                 and x[1] in {q.name for q in _equipment_of(src, w)})
        assert v["operational"] == pytest.approx(op, abs=1e-3)


def _equipment_of(src, weapons_category):
    from force_plan.inputs.load import load_inputs

    return [e for e in load_inputs(src).equipment if e.weapons_category == weapons_category]


def test_headline_of_fake_results_by_hand():
    """fake_results: budgets of 70, 70, 80 in the first three of four periods."""
    res = fake_results()
    h = headline(res)
    assert h == compute(res.inputs, res.data)
    costs = res.data[(res.data.quantity == "cost") & (res.data.item == "total")]["value"]
    assert h.cost_by_period == pytest.approx(tuple(costs))
    assert h.budget.periods == res.inputs.period_labels[:3]
    assert h.budget.available == 220
    assert h.budget.spent == pytest.approx(costs.iloc[:3].sum())
    assert h.budget.used == pytest.approx(costs.iloc[:3].sum() / 220)
    assert h.readiness_all == (44.0, 44.0)
    assert h.total_force == pytest.approx(h.trained + h.in_training)
    assert h.shortfall_total == pytest.approx(
        res.data[res.data.quantity == "shortfall"]["value"].sum())
