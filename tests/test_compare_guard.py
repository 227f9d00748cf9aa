"""compare refuses a plan file whose sheets reach absurdly far before any library expands
them (a stray value in XFD1048576), with exit 2 and one sentence."""
import openpyxl
from click.testing import CliRunner

from fake_results import fake_results
from force_plan.cli import main
from force_plan.review.compare import read_plan_file
from force_plan.xlsx.plan import write_plan


def test_far_away_cell_in_data_is_refused(tmp_path):
    good = write_plan(fake_results(), tmp_path / "good.xlsx")
    assert read_plan_file(good).data  # a real plan reads
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(good)
    wb["Data"]["XFD1048576"] = 1
    wb.save(bad)
    r = CliRunner().invoke(main, ["compare", str(good), str(bad)])
    assert r.exit_code == 2
    assert "its Data sheet has a value as far out as XFD1048576" in r.output
    assert "Traceback" not in r.output


def test_far_away_cell_in_summary_is_refused(tmp_path):
    good = write_plan(fake_results(), tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(good)
    wb["Summary"]["AZ20000"] = "x"
    wb.save(bad)
    r = CliRunner().invoke(main, ["compare", str(bad), str(good)])
    assert r.exit_code == 2 and "its Summary sheet has a value as far out as AZ20000" in r.output
