"""force-plan brief: the limits grouped by input cell, the input differences, and the brief
of the bundled baseline and of a budget cut (values checked against the plans)."""
from __future__ import annotations

import re
import shutil
from html import unescape

import openpyxl
import pytest
from click.testing import CliRunner

from brief_plans import INPUTS, budget_plans  # noqa: F401 - a fixture
from force_plan.review.brief import load_side
from force_plan.cli import main
from force_plan.review.compare import read_plan_file
from force_plan.review.inputdiff import InputChange, diff_inputs
from force_plan.review.limits import group_by_cell, read_bindings

HEAD = ["rank", "bottleneck", "limit", "unit", "input cell", "limit of", "period",
        "value per unit, level 1", "value per unit, level 2"]


def row(cell, of, unit, limit, period, v1, v2="", text=""):
    return [0, text or f"One more {unit} of {of} in {period} would cut weighted shortfall by "
            f"{v1} (objective level 1).", limit, unit, cell, of, period, v1, v2]


def test_bottleneck_rows_fold_into_one_limit_per_input_cell():
    rows = [["Bottlenecks — title"], [""], HEAD,
            row("Periods!C2", "", "USD million", 100.0, "2027", 0.5),
            row("Periods!C4", "", "USD million", 200.0, "2029", 0.25),
            row("Periods!C3", "", "USD million", 150.0, "2028", 1.0),
            row("Sites!C8", "Naval school", "seat", 40.0, "2028", 2.0),
            row("Sites!C8", "Naval school", "seat", 40.0, "2027", 3.0),
            row("Courses!K9", "Pilot training", "start", 10.0, "2027", 0.0, 4.0,
                text="One more start of Pilot training in 2027 would save 4 USD million "
                     "(objective level 2)."),
            row("Categories!H3", "Rifle", "person", 5.0, "2027", 0.0, 0.0),
            [""], ["a note below the table"]]
    limits = group_by_cell(read_bindings(rows))
    assert [(g.where, g.level) for g in limits] == [
        ("Periods!C2:C4", 1), ("Sites!C8", 1), ("Courses!K9", 2)]
    budget, seats, pilots = limits
    assert budget.periods == ["2027", "2029", "2028"]
    assert budget.span(["2027", "2028", "2029"]) == ("2027", "2029")
    assert (budget.largest, budget.total) == (1.0, 1.75)
    assert budget.weight == 0.5 * 100 + 0.25 * 200 + 1.0 * 150  # 250 > seats 200
    assert seats.weight == 2 * 40 + 3 * 40 and seats.largest == 3.0
    assert budget.lead == "One more USD million of  per period"
    assert budget.effect == "cut weighted shortfall"
    assert pilots.effect == "save USD million" and pilots.total == 4.0
    from force_plan.review.brief import Side, limit_sentence
    from force_plan.review.compare import PlanFile

    side = Side(PlanFile(None, {}, {}, ["2027", "2028", "2029"]), None)
    assert limit_sentence(seats, side) == (
        "One more seat of Naval school per period <code>Sites!C8</code>, binding 2027–2028 "
        "(2 periods), would cut weighted shortfall by up to 3 per seat in one period, 5 "
        "summed over them.")
    assert limit_sentence(pilots, side) == (
        "One more start of Pilot training per period <code>Courses!K9</code>, binding 2027 "
        "(1 period), would save 4 USD million.")


def test_a_sheet_without_a_bottlenecks_table_has_no_limits():
    assert group_by_cell(read_bindings([["status", "optimal"], ["x", 1]])) == []


def test_input_differences_pair_rows_by_their_key(tmp_path):
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    shutil.copy(INPUTS / "small.xlsx", old)
    wb = openpyxl.load_workbook(old)
    ws = wb["Periods"]
    budget = next(c.column_letter for c in ws[1] if c.value == "budget")
    before = ws[f"{budget}3"].value
    ws[f"{budget}3"] = 999
    cats = wb["Categories"]
    name = cats["A2"].value
    cats.insert_rows(2)  # every later row moves down one: still the same categories
    cats["A2"] = "Cook"
    cats["B2"] = "Logistics"
    wb.save(new)
    changes = diff_inputs(old, new)
    assert changes[0] == InputChange("Periods", wb["Periods"]["A3"].value, "budget",
                                     f"Periods!{budget}3", before, 999)
    added = [c for c in changes if c.sheet == "Categories"]
    assert added == [InputChange("Categories", "Cook", "", "Categories!A2", None, "added")]
    assert name != "Cook" and len(changes) == 2


def text_of(html: str) -> str:
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", "", html, flags=re.S)
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([.,;])", r"\1", text)


@pytest.mark.slow
def test_brief_of_the_baseline(budget_plans):  # noqa: F811
    d, base, _cut, _ = budget_plans
    out = d / "base-brief.html"
    r = CliRunner().invoke(main, ["brief", str(base), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text()
    text = text_of(html)
    side = load_side(base)
    h = side.headline
    assert side.input == d / "baseline.xlsx"
    assert (f"End strength {h.end_period}: {h.trained:,.0f} trained + {h.in_training:,.0f} "
            f"in training = {h.total_force:,.0f} against a target of {h.target:,.0f}; force "
            f"cap {h.force_cap:,.0f}") in text
    assert f"Cost: {h.budget.spent:,.0f} of a budget of {h.budget.available:,.0f}" in text
    assert "Status: optimal" in text and "http" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    limits = re.findall(r"<li>(.*?)</li>", html.split('id="limits"')[1].split("</section>")[0])
    assert len(limits) == 5
    for g, sentence in zip(side.limits, limits):
        assert f"<code>{g.where}</code>" in sentence and f"({len(g.periods)} period" in sentence
    # the weapons-category table: Air Force's operational systems at the end, from Data
    file = read_plan_file(base)
    end = file.periods[-1]
    air = sum(file.data[("operational", e.name, "", end)] for e in side.inputs.equipment
              if e.weapons_category == "Air Force")
    assert re.search(rf">Air Force</th>(<td>[^<]*</td>){{4}}<td>{air:,.0f}</td>", html)
    # partner menu: starts at a partner site over the plan, from Data
    starts = sum(v for (q, _i, w, _p), v in file.data.items()
                 if q == "starts" and w == "Partner maritime training")
    assert f"Partner maritime training Maritime capability coalition {starts:,.0f}" in text
    assert "Domestic production" not in html.split('id="partners"')[1]


@pytest.mark.slow
def test_brief_against_a_budget_cut_says_what_changed_and_why(budget_plans):  # noqa: F811
    d, base, cut, edits = budget_plans
    out = d / "cut-brief.html"
    r = CliRunner().invoke(main, ["brief", str(cut), "--against", str(base), "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = text_of(out.read_text())
    old = sum(a for a, _ in edits.values())
    new = sum(b for _, b in edits.values())
    assert (f"Periods budget, {len(edits)} rows (2027-Q1–2031-Q4), total Periods!C2…C21 "
            f"{old:,.0f} {new:,.0f}") in text
    before, after = load_side(base), load_side(cut)
    budget = [next(g for g in s.limits if g.where.startswith("Periods!C")) for s in
              (before, after)]
    moved = text.split("Limits that moved most")[1]
    assert moved.lstrip().startswith(
        f"USD million of budget Periods!C2:C21 binds in {len(budget[1].periods)} periods (was "
        f"{len(budget[0].periods)})")
    # the budget is among the five limits that matter most after the cut
    assert "Periods!C2:C21" in text.split("What limits the plan")[1].split("Partner menu")[0]
    eq = [read_plan_file(p).summary["total_equipment_shortfall"] for p in (base, cut)]
    assert eq[1] > eq[0]
    assert (f"Equipment short over the plan (system-periods): {eq[0]:,.0f} → {eq[1]:,.0f} "
            "(worse). Limits that moved: USD million of budget Periods!C2:C21") in text
    assert 'class="worse">Equipment short' in out.read_text()


@pytest.mark.slow
def test_brief_without_the_input_workbook_reads_the_plan_alone(budget_plans, tmp_path,  # noqa: F811
                                                               monkeypatch):
    _d, base, _cut, _ = budget_plans
    monkeypatch.chdir(tmp_path)  # inputs/baseline.xlsx of the checkout would be found
    assert load_side(base).input is not None
    lone = tmp_path / "plan.xlsx"
    shutil.copy(base, lone)
    r = CliRunner().invoke(main, ["brief", str(lone)])
    assert r.exit_code == 0, r.output
    text = text_of((tmp_path / "plan-brief.html").read_text())
    assert "input baseline.xlsx (not found: figures from the plan alone)" in text
    assert "Strength per category at the end" in text and "Signals specialist" in text
    shortfall = read_plan_file(lone).summary["total_shortfall"]
    assert f"Shortfall over the plan: {shortfall:,.0f} person-periods" in text
    # against another plan without its input: the plans' own figures
    _d, _b, cut, _ = budget_plans
    shutil.copy(cut, tmp_path / "cut.xlsx")
    r = CliRunner().invoke(main, ["brief", str(tmp_path / "cut.xlsx"), "--against", str(lone)])
    assert r.exit_code == 0, r.output
    text = text_of((tmp_path / "cut-brief.html").read_text())
    assert "The input workbooks were not both found beside the plans" in text
    short = [read_plan_file(p).summary["total_shortfall"] for p in (lone, cut)]
    assert (f"Shortfall over the plan (person-periods): {short[0]:,.0f} → {short[1]:,.0f} "
            "(worse)") in text
    # an input with the same name but other contents is not the plan's input
    shutil.copy(INPUTS / "small.xlsx", tmp_path / "baseline.xlsx")
    assert load_side(lone).input is None


def test_brief_refuses_other_files_and_non_plans(tmp_path):
    from fake_results import fake_results
    from force_plan.xlsx.plan import write_plan

    plan = write_plan(fake_results(), tmp_path / "plan.xlsx")
    mine = tmp_path / "notes.html"
    mine.write_text("<p>my notes</p>")
    runner = CliRunner()
    r = runner.invoke(main, ["brief", str(plan), "-o", str(mine)])
    assert r.exit_code == 2 and "was not written by force-plan" in r.output
    assert mine.read_text() == "<p>my notes</p>"
    out = tmp_path / "b.html"
    for _ in range(2):  # its own brief is replaced without --force
        r = runner.invoke(main, ["brief", str(plan), "-o", str(out)])
        assert r.exit_code == 0, r.output
    assert r.output == f"Brief written to {out}\n"
    before = plan.read_bytes()
    r = runner.invoke(main, ["brief", str(plan), "-o", str(plan), "--force"])
    assert r.exit_code == 2 and "force-plan never writes into its input" in r.output
    assert plan.read_bytes() == before
    r = runner.invoke(main, ["brief", str(INPUTS / "small.xlsx"), "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 2
    assert "is not a force-plan plan workbook (it has no Summary and Data sheets)" in r.output


def test_sustainment_line_reads_the_sheet_when_there_is_one(tmp_path):
    from force_plan.review.brief import sustainment_line
    from force_plan.review.compare import PlanFile

    def plan(rows):
        return PlanFile(tmp_path / "p.xlsx", {}, {}, [], {"sustainment": rows} if rows else {})

    assert sustainment_line(plan(None)) == ""  # no Sustainment sheet: the line is left out
    assert sustainment_line(plan([["key", "value"], ["sustainable", "yes",
                                                     "every final target can be held"]])) \
        == "yes — every final target can be held"
    assert sustainment_line(plan([["Steady state"], ["The force is not sustainable: the "
                                                     "recruit pool is 2,000 short a year."]])) \
        == "The force is not sustainable: the recruit pool is 2,000 short a year."
    assert sustainment_line(plan([["a", 1], ["b", 2]])) == ""
