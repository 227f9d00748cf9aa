"""force-plan compare explains: input cells first, a shortfall that mirrors strength
folded into its line, moves between sites rolled up to the course, colours and words by
meaning, counts whole."""
from __future__ import annotations

import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from brief_plans import budget_plans  # noqa: F401 - a fixture
from fake_results import fake_results
from force_plan.cli import main
from force_plan.review.compare import compare_plans, format_comparison, verdict
from force_plan.xlsx.plan import write_plan


def edited(source, target, edits: dict, summary: dict | None = None):
    """A copy of plan ``source`` with Data values {(quantity, item, where, period): value}
    and Summary values {key: value} replaced."""
    wb = openpyxl.load_workbook(source)
    found = set()
    for row in wb["Data"].iter_rows(min_row=2):
        key = tuple(c.value or "" for c in row[:4])
        if key in edits:
            row[4].value = edits[key]
            found.add(key)
    assert found == set(edits)
    for row in wb["Summary"].iter_rows(min_row=2):
        if summary and row[0].value in summary:
            row[1].value = summary[row[0].value]
    wb.save(target)
    return target


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    d = tmp_path_factory.mktemp("explain")
    old = write_plan(fake_results(), d / "old.xlsx")
    values = {tuple(r[:4]): r[4] for r in fake_results().data.itertuples(index=False)}
    strength = ("strength", "AD crew", "", "2027 H2")
    short = ("shortfall", "AD crew", "", "2027 H2")
    central = ("starts", "Basic", "Central school", "2028 H1")
    partner = ("starts", "Basic", "Partner camp", "2028 H1")
    new = edited(old, d / "new.xlsx", {
        strength: values[strength] - 7.25, short: values[short] + 7.25,  # a mirrored pair
        central: values[central] - 30, partner: values[partner] + 30,  # a site shuffle
    }, {"status": "no_solution"})
    return old, new, values


def test_mirrored_pairs_fold_and_site_shuffles_roll_up(pair):
    old, new, values = pair
    lines = format_comparison(compare_plans(old, new)).splitlines()
    s = values[("strength", "AD crew", "", "2027 H2")]
    assert "Status: optimal → no solution" in lines
    i = lines.index("Strength and shortfall per category and period (persons), biggest "
                    "changes first:")
    assert lines[i + 1:i + 2] == [
        f"  strength AD crew  2027 H2  {s:,.0f} → {s - 7.25:,.0f}  (−7, worse; shortfall +7)"]
    assert not any(line.startswith("  shortfall AD crew") for line in lines)
    assert lines[i + 2:i + 4] == [
        "Training starts per course and period, over all sites: no change.",
        "  (1 course-period only moved between sites, the course's total unchanged.)"]
    assert lines[-1] == "4 figures of the Data sheets changed."


def test_verdicts_follow_the_meaning_of_each_quantity():
    assert [verdict(q, +1) for q in ("shortfall", "strength", "cost", "starts",
                                     "operational", "equipment_shortfall", "objective_2")] \
        == ["worse", "better", "worse", "", "better", "worse", "worse"]
    assert [verdict(q, -1) for q in ("shortfall", "strength")] == ["better", "worse"]
    assert verdict("shortfall", 0.0) == ""


@pytest.mark.slow
def test_compare_lists_the_changed_input_cells_first(budget_plans, tmp_path):  # noqa: F811
    d, base, cut, edits = budget_plans
    out = tmp_path / "changes.xlsx"
    r = CliRunner().invoke(main, ["compare", str(base), str(cut), "-o", str(out)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    old, new = sum(a for a, _ in edits.values()), sum(b for _, b in edits.values())
    assert lines[1] == (f"Inputs changed ({len(edits)} cells, {d / 'baseline.xlsx'} → "
                        f"{d / 'budget-cut.xlsx'}):")
    assert lines[2] == (f"  Periods!C2…C21  Periods budget, {len(edits)} rows (2027-Q1–2031-Q4)"
                        f", total: {old:,.0f} → {new:,.0f}")
    assert lines[3] == "Status: optimal (unchanged)"
    ws = openpyxl.load_workbook(out)["Inputs"]
    assert [c.value for c in ws[1]] == ["cell", "sheet", "row", "column", "old", "new"]
    got = {row[0].value: (row[4].value, row[5].value) for row in ws.iter_rows(min_row=2)}
    assert got == edits
    # plans moved away from their inputs: given with --inputs, or not compared
    far = tmp_path / "far"
    far.mkdir()
    for p in (base, cut):
        shutil.copy(p, far / p.name)
    r = CliRunner().invoke(main, ["compare", str(far / base.name), str(far / cut.name),
                                  "--inputs", str(d / "baseline.xlsx"),
                                  str(d / "budget-cut.xlsx")])
    assert r.output.splitlines()[2] == lines[2]


def test_printed_summary_says_no_force_cap_once():
    from fake_results import fake_plan
    from force_plan.results.report import format_glance, glance

    lines = format_glance(glance(fake_results(fake_plan(force_cap=None)))).splitlines()
    end = next(line for line in lines if line.startswith("End strength"))
    assert end.endswith("; no force cap)") and "cap no cap" not in end
    capped = format_glance(glance(fake_results())).splitlines()
    assert next(x for x in capped if x.startswith("End strength")).endswith(
        "; force cap 2,000)")
