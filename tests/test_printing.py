"""Print-ready workbooks: what LibreOffice prints, counted in PDF pages (``printing.py``),
and the print settings behind it.

The page counts are of LibreOffice's rendering (Excel's rows are a little taller, so it
may print a page more here and there). The input workbooks have one sheet per input
table: each prints on its own page(s), so a workbook of 15 sheets cannot print in fewer
than 15 pages.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
import pytest
from click.testing import CliRunner

from fake_results import fake_results
from force_plan.cli import main
from force_plan.xlsx.layout import block_breaks
from force_plan.xlsx.plan import write_plan
from force_plan.xlsx.sheets_summary import PRINTED_LIMITS
from printing import missing_tools, printed

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "inputs" / "baseline.xlsx"


# --------------------------------------------------------------------------- settings
def test_block_breaks_keep_tables_whole():
    # 40 rows a page: the block 35–50 would be split, so the page breaks before it
    assert block_breaks([(1, 20), (22, 33), (35, 50), (52, 60)], 40) == [34]
    # blocks that fit where they fall need no break
    assert block_breaks([(1, 10), (12, 20), (22, 39)], 40) == []
    # a block longer than a page breaks every page, from where it starts
    assert block_breaks([(1, 30), (32, 100)], 40) == [40, 80]
    # ... and the next block that would be split starts a page
    assert block_breaks([(1, 85), (87, 125)], 40) == [40, 80, 86]
    assert block_breaks([(5, 60)], 40, first=5) == [44]


def test_plan_print_settings(tmp_path):
    wb = openpyxl.load_workbook(write_plan(fake_results(), tmp_path / "plan.xlsx"))
    for ws in wb:
        assert ws.page_setup.orientation == ("portrait" if ws.title == "Data" else
                                             "landscape"), ws.title
        # one page wide: 1 is the default, which a writer may leave unsaid
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.oddFooter.center.text == "&A — page &P of &N", ws.title
    checks, data = wb["Checks"], wb["Data"]
    assert checks.print_area == "'Checks'!$A$1:$K$5"
    assert checks["A4"].value.startswith("Printing: the check rows below are left out of "
                                         "the print area")
    assert data.print_area == "'Data'!$A$1:$E$1"
    assert "Its rows are left out of the print area" in data["A1"].comment.text
    summary = [c.value for c in wb["Summary"]["D"] if isinstance(c.value, str)]
    assert any(v.startswith("Printing: the rows of the Checks and Data sheets are left out")
               for v in summary)
    assert wb["Strength"].print_title_cols == "$A:$C"
    assert wb["Strength"].print_title_rows == "$4:$4"
    assert wb["Training"].print_title_cols == "$A:$D"
    assert wb["Budget"].print_title_cols == "$A:$A"
    # a few limits: all of them print, with the note under them; not the per-period rows
    bn = wb["Bottlenecks"]
    assert bn.print_area == "'Bottlenecks'!$A$1:$N$7"
    assert bn["A7"].value.startswith("Printing: the per-period rows below are left out")


def test_only_the_most_valuable_limits_print(tmp_path):
    """57 limits (one cell each): the first 50 grouped rows print, the 7 others and the
    per-period block are left out of the print area, and the sheet says so."""
    r = fake_results()
    b = r.bottlenecks[0]
    many = [replace(b, cell=f"Sites!C{k + 2}") for k in range(PRINTED_LIMITS + 7)]
    ws = openpyxl.load_workbook(write_plan(replace(r, bottlenecks=many),
                                           tmp_path / "p.xlsx"))["Bottlenecks"]
    assert ws["A3"].value.startswith("Printing: the 7 limits after the first 50 and the "
                                     "per-period rows are left out of the print area")
    assert ws["A5"].value == "rank" and ws["B5"].value == "limit in words"
    last = max(c.column for c in ws[5] if c.value)
    assert ws.print_area == (f"'Bottlenecks'!$A$1:${get_column_letter(last)}"
                             f"${5 + PRINTED_LIMITS}")
    assert ws.cell(5 + PRINTED_LIMITS, 1).value == PRINTED_LIMITS
    assert ws.cell(6 + PRINTED_LIMITS, 1).value == PRINTED_LIMITS + 1  # listed, not printed


def test_input_workbook_print_settings():
    wb = openpyxl.load_workbook(BASELINE)
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        # one page wide: 1 is the default, which a writer may leave unsaid
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.oddFooter.center.text == "&A — page &P of &N", ws.title
        if ws.title != "README":
            assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"
    readme = wb["README"]
    width = sum(readme.column_dimensions[c].width for c in "AB")
    assert 120 <= width <= 150  # labels and text side by side on one landscape page
    assert all(c.alignment.wrap_text for c in readme["B"] if c.value)


# --------------------------------------------------------------------------- page counts
@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    why = missing_tools()
    if why:
        pytest.skip(why)
    d = tmp_path_factory.mktemp("print")
    runner = CliRunner()
    template, plan, cut, cut_plan, comparison = (d / n for n in (
        "template.xlsx", "plan.xlsx", "cut.xlsx", "cut-plan.xlsx", "comparison.xlsx"))
    for args in (["template", str(template)], ["solve", str(BASELINE), "-o", str(plan)]):
        done = runner.invoke(main, args)
        assert done.exit_code == 0, done.output
    wb = openpyxl.load_workbook(BASELINE)  # the same plan with a fifth less budget
    periods = wb["Periods"]
    col = [c.value for c in periods[1]].index("budget") + 1
    for row in range(2, periods.max_row + 1):
        cell = periods.cell(row, col)
        if isinstance(cell.value, (int, float)):
            cell.value *= 0.8
    wb.save(cut)
    for args in (["solve", str(cut), "-o", str(cut_plan)],
                 ["compare", str(plan), str(cut_plan), "-o", str(comparison)]):
        done = runner.invoke(main, args)
        assert done.exit_code == 0, done.output
    books = {"input": BASELINE, "template": template, "plan": plan,
             "comparison": comparison}
    counted = printed(list(books.values()), d)
    sheets = {name: openpyxl.load_workbook(path, read_only=True).sheetnames
              for name, path in books.items()}
    return {name: (*counted[path], sheets[name]) for name, path in books.items()}


def check_sheets(total, per, names):
    """Every page names its sheet; every sheet prints; the pages add up."""
    assert None not in per, per
    assert set(per) == set(names), per
    assert sum(per.values()) == total


@pytest.mark.slow
def test_baseline_plan_prints_in_at_most_40_pages(pages):
    total, per, names = pages["plan"]
    check_sheets(total, per, names)
    assert total <= 40, per  # 337 before the print settings
    assert per["Checks"] == 1 and per["Data"] == 1, per  # title and note rows only
    assert per["Bottlenecks"] <= 3 and per["Summary"] == 1 and per["Budget"] == 1, per


@pytest.mark.slow
def test_baseline_input_prints_one_page_wide(pages):
    total, per, names = pages["input"]
    check_sheets(total, per, names)
    # 15 sheets: README (3 pages), CourseSites (78 rows: 3 pages), the rest one page each
    assert total <= 20, per  # 51 before, columns split from their names
    assert per["README"] <= 3 and per["CourseSites"] <= 3, per
    assert all(per[n] == 1 for n in names if n not in ("README", "CourseSites")), per


@pytest.mark.slow
def test_template_prints_one_page_a_sheet(pages):
    total, per, names = pages["template"]
    check_sheets(total, per, names)
    assert per["README"] <= 2, per
    assert all(per[n] == 1 for n in names if n != "README"), per
    assert total <= len(names) + 1, per  # 16 for 15 sheets; 34 before


@pytest.mark.slow
def test_comparison_prints_its_summary_and_biggest_changes(pages):
    total, per, names = pages["comparison"]
    check_sheets(total, per, names)
    assert per["All"] == 1 and per["Changes"] <= 4, per  # 218 and 59 before
    assert total <= 10, per
