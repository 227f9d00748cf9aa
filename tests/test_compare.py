"""force-plan compare: what changed between two plans (force_plan.review.compare and the CLI)."""
from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from fake_results import fake_results
from force_plan.cli import main
from force_plan.review.compare import compare_plans, format_comparison, signed
from force_plan.numbers import brief as number
from force_plan.errors import NotAWorkbookError
from force_plan.xlsx.plan import write_plan

MORE = {("Basic", "Central school"): [100, 130, 110, 100],
        ("AD conversion", "Central school"): [20, 25, 15, 0],
        ("Basic", "Partner camp"): [0, 40, 50, 0]}


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    d = tmp_path_factory.mktemp("cmp")
    old = write_plan(fake_results(), d / "old.xlsx")
    new = write_plan(fake_results(starts=MORE), d / "new.xlsx")
    return old, new


def test_compare_lists_the_biggest_changes_first(plans):
    old, new = plans
    comp = compare_plans(old, new)
    text = format_comparison(comp, top=3)
    assert text.splitlines() == [
        f"Comparing {old} (old) with {new} (new)",
        "Inputs: the input workbooks named in the plans' Summaries were not found next to "
        "the plans (give them with --inputs OLD NEW); the changes below are the plans' own "
        "figures.",
        "Status: optimal (unchanged)",
        "  objective_1                19.89 → 19.89  (unchanged)",
        "  objective_2                78.94 → 79.37  (+0.44, worse)",
        "  total_cost                 78.94 → 79.37  (+0.44, worse)",
        "  total_shortfall            39 → 39  (unchanged)",
        "  total_equipment_shortfall  0 → 0  (unchanged)",
        "  total_separations          5 → 5  (unchanged)",
        "Strength and shortfall per category and period (persons), biggest changes first:",
        "  strength AD crew  2028 H1  142 → 147  (+5, better)",
        "  strength AD crew  2028 H2  153 → 158  (+5, better)",
        "  strength Rifle    2027 H2  905 → 909  (+4, better)",
        "  … and 2 more (write them all with -o).",
        "Training starts per course and period, over all sites (persons), biggest changes "
        "first:",
        "  Basic          2027 H2  160 → 170  (+10; Central school +10)",
        "  AD conversion  2027 H2  20 → 25  (+5; Central school +5)",
        "Orders per equipment and period, over all sources: no change.",
        "22 figures of the Data sheets changed.",
    ]
    assert [abs(c.change) for c in comp.changes] == sorted(
        (abs(c.change) for c in comp.changes), reverse=True)


def test_identical_plans(plans):
    old, _ = plans
    text = format_comparison(compare_plans(old, old))
    assert text.splitlines()[-4:] == [
        "Strength and shortfall per category and period: no change.",
        "Training starts per course and period, over all sites: no change.",
        "Orders per equipment and period, over all sources: no change.",
        "The Data sheets are identical."]


def test_numbers_in_sentences():
    assert [number(x) for x in (1454.0, 0.5, 19.890598, 255000.0, None, -0.001)] == [
        "1,454", "0.5", "19.89", "255,000", "—", "0"]
    assert [signed(x) for x in (5.0, -1298.37, 0.0)] == ["+5", "−1,298.37", "±0"]
    assert [signed(x, "starts") for x in (5.4, -1298.37, 0.2)] == ["+5", "−1,298", "±0"]


def test_cli_compare_writes_the_differences_workbook(plans, tmp_path):
    old, new = plans
    out = tmp_path / "diff.xlsx"
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "-o", str(out),
                                       "--top", "1"])
    assert result.exit_code == 0, result.output
    assert "  Basic  2027 H2  160 → 170  (+10; Central school +10)" in result.output
    assert result.output.endswith(f"Differences written to {out}\n")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Changes", "All"]
    ws = wb["Summary"]
    assert [c.value for c in ws[1][:4]] == ["key", "old", "new", "change"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "total_cost")
    cost = dict(fake_results(starts=MORE).summary)["total_cost"]
    assert row[3].value == pytest.approx(cost - dict(fake_results().summary)["total_cost"])
    assert row[0].fill.fgColor.rgb.endswith("F8CBAD")  # it changed, for the worse
    status = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "status")
    assert status[0].fill.fgColor.rgb == "00000000"
    ws = wb["Changes"]
    assert [c.value for c in ws[1]] == ["quantity", "item", "where", "period", "old", "new",
                                        "change"]
    assert [c.value for c in ws[2]] == ["starts", "Basic", "Central school", "2027 H2", 120,
                                        130, 10]
    assert ws.max_row == 23
    assert ws["E2"].number_format == "#,##0"  # a count: whole
    assert ws["G2"].fill.fgColor.rgb.endswith("FFE699")  # more starts: neither better nor worse
    strength = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "strength")
    assert strength[6].fill.fgColor.rgb.endswith("C6EFCE")  # more strength: better
    cost = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "cost")
    assert cost[6].fill.fgColor.rgb.endswith("F8CBAD")  # more cost: worse
    assert cost[4].number_format == "#,##0.00"
    assert wb["All"].max_row == len(fake_results().data) + 1
    # the differences workbook is force_plan's own: written again without --force
    again = CliRunner().invoke(main, ["compare", str(old), str(new), "-o", str(out)])
    assert again.exit_code == 0


def test_cli_compare_help_shows_an_example():
    result = CliRunner().invoke(main, ["compare", "--help"])
    assert result.exit_code == 0
    assert "force-plan compare outputs/before.xlsx outputs/after.xlsx -o" in result.output


def test_not_a_plan_is_exit_2_with_a_sentence(plans, tmp_path):
    old, _ = plans
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    other = tmp_path / "input.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Settings"
    wb.save(other)
    runner = CliRunner()
    for bad, why in ((text, "it cannot be read as an .xlsx workbook"),
                     (other, "it has no Summary and Data sheets")):
        result = runner.invoke(main, ["compare", str(old), str(bad)])
        assert result.exit_code == 2
        assert result.output == (f"{bad} is not a force-plan plan workbook ({why}) — compare "
                                 "two files written by force-plan solve.\n")
    result = runner.invoke(main, ["compare", str(tmp_path / "missing.xlsx"), str(old)])
    assert result.exit_code == 2
    assert result.output == (f"{tmp_path / 'missing.xlsx'}: no such file — give the path of "
                             "a plan workbook written by force-plan solve.\n")


def test_a_summary_without_the_version_key_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    wb.active.append(["key", "value"])
    wb.active.append(["status", "optimal"])
    wb.create_sheet("Data").append(["quantity", "item", "where", "period", "value"])
    wb.save(path)
    with pytest.raises(NotAWorkbookError, match="its Summary has no force_plan_version key"):
        compare_plans(path, path)


def test_compare_refuses_to_write_over_its_inputs(plans):
    old, new = plans
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "-o", str(new)])
    assert result.exit_code == 2
    assert "force-plan never writes into its input" in result.output
