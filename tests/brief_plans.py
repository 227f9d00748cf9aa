"""Plans for the brief and compare tests: the bundled baseline solved as it is and with its
budget cut by 15 % in every period (an edit made with openpyxl, as a planner would)."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from force_plan.cli import main

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
CUT = 0.85


def cut_budget(source: Path, target: Path) -> dict:
    """Write ``source`` with every budget × CUT (rounded); {cell: (old, new)}."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Periods"]
    column = next(c.column for c in ws[1] if str(c.value).strip().lower() == "budget")
    edits = {}
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row, column)
        if isinstance(cell.value, (int, float)):
            edits[f"Periods!{cell.coordinate}"] = (cell.value, round(cell.value * CUT))
            cell.value = round(cell.value * CUT)
    wb.save(target)
    return edits


@pytest.fixture(scope="session")
def budget_plans(tmp_path_factory):
    """(folder, baseline plan, budget-cut plan, {cell: (old, new)}): each plan next to the
    input it was solved from."""
    d = tmp_path_factory.mktemp("brief")
    shutil.copy(INPUTS / "baseline.xlsx", d / "baseline.xlsx")
    edits = cut_budget(d / "baseline.xlsx", d / "budget-cut.xlsx")
    runner = CliRunner()
    for name in ("baseline", "budget-cut"):
        r = runner.invoke(main, ["solve", str(d / f"{name}.xlsx"), "-o",
                                 str(d / f"{name}-plan.xlsx")])
        assert r.exit_code == 0, r.output
    return d, d / "baseline-plan.xlsx", d / "budget-cut-plan.xlsx", edits
