"""force-plan sweep: scenario figures equal hand-edited workbooks; serial = -j 2 = Dask."""
from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from force_plan.cli import main
from force_plan.pipeline import RunOptions, solve_plan
from force_plan.whatif.sweep import figures
from force_plan.inputs.load import load_inputs

from wbhelpers import put, valid_sheets, write_workbook

HEAD = ["scenario", "sheet", "row", "column", "change", "value", "note"]
LINES = [
    ["cut", "Periods", "*", "budget", "scale", 0.1, "a budget cut"],
    ["attrition", "Categories", "Pilot", "attrition_rate", "add", 0.05, None],
    ["targets", "Targets", "Mechanic", "*", "scale", 1.2, None],
    ["targets", "Targets", "Instructor", "2028", "set", 12, None],
    ["broken", "Courses", "MechBasic", "max_starts_per_period", "set", 1, None],
    ["none", "Courses", "PilotBasic", "min_starts_per_period", "set", 30, None],
]


@pytest.fixture()
def workbook(tmp_path):
    sheets = valid_sheets()
    sheets["Scenarios"] = [HEAD] + [list(r) for r in LINES]
    return write_workbook(tmp_path / "in.xlsx", sheets)


def sweep(*args):
    result = CliRunner().invoke(main, ["sweep", *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def hand_edited(tmp_path):
    """The same scenarios made by editing copies of the workbook by hand."""
    edits = {
        "cut": {"Periods!C3": 900 * 0.1, "Periods!C4": 900 * 0.1},
        "attrition": {"Categories!E2": 0.08 + 0.05},
        "targets": {"Targets!B3": 90 * 1.2, "Targets!C3": 0 * 1.2, "Targets!D3": 100 * 1.2,
                    "Targets!A4": "Instructor", "Targets!D4": 12},
    }
    out = {}
    for name, cells in edits.items():
        sheets = valid_sheets()
        for address, value in cells.items():
            put(sheets, address, value)
        out[name] = load_inputs(write_workbook(tmp_path / f"{name}.xlsx", sheets))
    return out


def test_each_scenario_equals_its_hand_edited_workbook(tmp_path, workbook):
    result = sweep(workbook, "-o", tmp_path / "cmp.xlsx", "--json")
    assert result.exit_code == 0, result.output
    got = {s["name"]: s for s in json.loads(result.stdout)["scenarios"]}
    assert list(got) == ["base", "cut", "attrition", "targets", "broken", "none"]
    assert got["broken"]["status"] == "invalid", result.output
    assert got["none"]["status"] == "no plan", result.output
    assert got["broken"]["total_cost"] is None
    for name, inputs in hand_edited(tmp_path).items():
        res = solve_plan(inputs, RunOptions())
        f = figures(res)
        want = {"name": name, "status": res.status,
                "objectives": {str(k): v for k, v in res.objectives.items()},
                "total_cost": f["total_cost"], "total_shortfall": f["total_shortfall"],
                "total_equipment_shortfall": f["total_equipment_shortfall"]}
        assert got[name] == want
    # the scenarios really differ from base
    assert got["cut"]["objectives"]["1"] > got["base"]["objectives"]["1"]
    assert got["attrition"]["total_cost"] != got["base"]["total_cost"]
    # the comparison workbook: one row per scenario, base first, the problems named
    wb = openpyxl.load_workbook(tmp_path / "cmp.xlsx")
    assert wb.sheetnames == ["Scenarios", "Differences", "Charts", "Lines", "Problems", "About"]
    rows = list(wb["Scenarios"].iter_rows(values_only=True))
    head = rows[0]
    cost = head.index("total_cost (currency units)")
    assert [r[0] for r in rows[1:]] == list(got)
    assert [r[cost] for r in rows[1:4]] == [got[n]["total_cost"] for n in
                                            ("base", "cut", "attrition")]
    diff = list(wb["Differences"].iter_rows(values_only=True))
    assert diff[3][cost] == pytest.approx(got["attrition"]["total_cost"]
                                          - got["base"]["total_cost"])
    problems = [r for r in wb["Problems"].iter_rows(values_only=True)][1:]
    assert ("broken", "invalid") in {r[:2] for r in problems}
    assert any("Scenarios!F6" in (r[2] or "") for r in problems if r[0] == "broken")
    with zipfile.ZipFile(tmp_path / "cmp.xlsx") as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 4


def test_serial_equals_two_processes_and_only_named_scenarios(tmp_path, workbook):
    one = sweep(workbook, "-o", tmp_path / "a.xlsx", "--json")
    two = sweep(workbook, "-o", tmp_path / "b.xlsx", "--json", "-j", 2,
                "--plans", tmp_path / "plans")
    assert one.exit_code == two.exit_code == 0
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == [
        "attrition.xlsx", "base.xlsx", "cut.xlsx", "targets.xlsx"]
    picked = sweep(workbook, "-o", tmp_path / "c.xlsx", "--json", "--scenario", "CUT")
    names = [s["name"] for s in json.loads(picked.stdout)["scenarios"]]
    assert names == ["base", "cut"]
    unknown = sweep(workbook, "-o", tmp_path / "d.xlsx", "--scenario", "nope")
    assert unknown.exit_code == 2 and "no scenario named 'nope'" in unknown.output


def test_dask_local_cluster_equals_serial(tmp_path, workbook):
    distributed = pytest.importorskip("distributed")
    serial = sweep(workbook, "-o", tmp_path / "a.xlsx", "--json")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        on_dask = sweep(workbook, "-o", tmp_path / "b.xlsx", "--json",
                        "--scheduler", cluster.scheduler_address)
    assert on_dask.exit_code == 0, on_dask.output
    assert json.loads(on_dask.stdout) == json.loads(serial.stdout)


def test_an_unreachable_scheduler_is_one_sentence():
    pytest.importorskip("distributed")
    from force_plan.errors import ForcePlanError
    from force_plan.whatif.sweep import Dask

    with pytest.raises(ForcePlanError, match="cannot reach the Dask scheduler at tcp://"):
        Dask("tcp://127.0.0.1:9", timeout="1s").run([], lambda *a: None)


def test_sweep_refuses_to_overwrite_the_users_file(tmp_path, workbook):
    mine = tmp_path / "mine.xlsx"
    openpyxl.Workbook().save(mine)
    result = sweep(workbook, "-o", mine)
    assert result.exit_code == 2 and "not written by force-plan" in result.output


def test_ctrl_c_keeps_what_finished(tmp_path, workbook, monkeypatch):
    import force_plan.whatif.sweep as sweep_module

    real = sweep_module.run_one
    calls = []

    def interrupted_third(task):
        calls.append(task.name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(sweep_module, "run_one", interrupted_third)
    result = sweep(workbook, "-o", tmp_path / "cmp.xlsx")
    assert result.exit_code == 130
    assert "Interrupted: 2 of 6 finished" in result.output
    rows = list(openpyxl.load_workbook(tmp_path / "cmp.xlsx")["Scenarios"].iter_rows(
        values_only=True))
    assert [r[:2] for r in rows[1:]] == [("base", "optimal"), ("cut", "optimal"),
                                         ("attrition", "not run"), ("targets", "not run"),
                                         ("broken", "not run"), ("none", "not run")]


def test_plan_file_names_are_safe_and_unique():
    from force_plan.whatif.sweep import unique_stems

    assert unique_stems(["base", "a b", "a-b", "A/B", "../../etc", "", "Base"]) == [
        "base", "a-b", "a-b-2", "A-B-3", "etc", "scenario", "Base-2"]   # case-blind disks


def test_the_sweep_workbook_prints_as_pages(tmp_path, workbook):
    """Landscape A4, fitted to the width, the header row and scenario column repeated."""
    import openpyxl

    assert sweep(workbook, "-o", tmp_path / "s.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, \
            ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.oddFooter.center.text == "&A — page &P of &N", ws.title
    for name in ("Scenarios", "Differences", "Lines", "Problems"):
        assert wb[name].print_title_rows == "$1:$1", name
        assert wb[name].print_title_cols == "$A:$A", name
