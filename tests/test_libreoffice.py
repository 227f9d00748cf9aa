"""A real spreadsheet application opens the plan: LibreOffice Calc (headless) recomputes
every Checks formula, and renders the workbook to PDF.

LibreOffice runs with a fresh user profile set to recalculate every formula on load
(openpyxl stores formulas without computed values). Skipped where ``soffice`` is missing
(.ci/run installs it).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from fake_results import LABELS, fake_results
from force_plan.xlsx.checks import FIRST_ROW
from force_plan.xlsx.save import written_by_force_plan
from force_plan.xlsx.plan import write_plan

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not "
                                "installed: the plan's live Checks cannot be recomputed here")

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def convert(profile: Path, files: list[Path], fmt: str, outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    out = [outdir / f"{f.stem}.{fmt}" for f in files]
    missing = [p for p in out if not p.is_file()]
    assert not missing, f"LibreOffice did not write {missing}: {done.stdout}\n{done.stderr}"
    return out


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """A fresh LibreOffice profile that recalculates every formula when a file opens."""
    path = tmp_path_factory.mktemp("lo-profile")
    (path / "user").mkdir()
    (path / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    return path


def real_results():
    """A real solve of the bundled small example (None while there is no solver)."""
    try:
        from force_plan.pipeline import solve_plan
        from force_plan.inputs.load import load_inputs
    except ImportError:
        return None
    return solve_plan(load_inputs(ROOT / "inputs" / "small.xlsx"))


@pytest.fixture(scope="module")
def recalculated(profile, tmp_path_factory):
    """Plans written by force_plan, then opened, recalculated and saved by LibreOffice."""
    src = tmp_path_factory.mktemp("plans")
    plans = {"fake": write_plan(fake_results(), src / "fake.xlsx"),
             "tampered": write_plan(fake_results(tamper=("strength", "Rifle", "", 1, 5.0)),
                                    src / "tampered.xlsx")}
    real = real_results()
    if real is not None:
        plans["small"] = write_plan(real, src / "small-plan.xlsx")
    out = convert(profile, list(plans.values()), "xlsx", src / "recalculated")
    return {name: (plans[name], path) for name, path in zip(plans, out)}


def ok_column(path: Path):
    ws = openpyxl.load_workbook(path, data_only=True)["Checks"]
    rows = [(r[0], r[1], r[3], r[9]) for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True)
            if r[0] is not None]
    return ws["A3"].value, rows


@pytest.mark.parametrize("name", ["fake", "small"])
def test_libreoffice_recomputes_every_check_true(recalculated, name):
    if name not in recalculated:
        pytest.skip("no solver in this checkout yet")
    _, path = recalculated[name]
    verdict, rows = ok_column(path)
    failed = [r for r in rows if r[3] is not True]
    assert rows and not failed, failed[:10]
    assert verdict == f"All {len(rows)} checks hold."


def test_a_tampered_figure_turns_its_checks_false(recalculated):
    verdict, rows = ok_column(recalculated["tampered"][1])
    failed = {(r[0], r[1], r[2]) for r in rows if r[3] is not True}
    assert failed == {("strength balance", "Rifle", "2027 H2"),
                      ("strength balance", "Rifle", "2028 H1"),
                      ("target", "Rifle", "2027 H2"), ("cost line", "personnel", "2027 H2")}
    assert verdict == f"4 of {len(rows)} checks FAIL: see the rows marked FALSE."


@pytest.mark.parametrize("name", ["fake", "small"])
def test_key_figures_match_data_after_recalculation(recalculated, name):
    if name not in recalculated:
        pytest.skip("no solver in this checkout yet")
    original, path = recalculated[name]
    data = pd.read_excel(path, sheet_name="Data", dtype={"period": str}, engine="openpyxl")
    wb = openpyxl.load_workbook(path, data_only=True)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, max_col=2,
                                                            values_only=True) if r[0]}
    cost = data[(data["quantity"] == "cost") & (data["item"] == "total")]
    assert summary["total_cost"] == pytest.approx(cost["value"].sum())
    periods = list(dict.fromkeys(data["period"]))
    budget = wb["Budget"]
    total = next(r for r in budget.iter_rows(values_only=True) if r[0] == "total")
    assert list(total[1:1 + len(periods)]) == pytest.approx(cost["value"].tolist())
    strength = wb["Strength"]
    force = next(r for r in strength.iter_rows(values_only=True) if r[1] == "total force")
    expected = [data[(data["period"] == p) & data["quantity"].isin(["strength", "in_training"])]
                ["value"].sum() for p in periods]
    assert list(force[3:3 + len(periods)]) == pytest.approx(expected)
    assert written_by_force_plan(path)  # still recognised after LibreOffice saved it
    if name == "fake":
        assert periods == list(LABELS)


def test_plan_renders_to_pdf(profile, tmp_path):
    plan = write_plan(fake_results(), tmp_path / "plan.xlsx")
    (pdf,) = convert(profile, [plan], "pdf", tmp_path / "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 30_000
    pages = data.count(b"/Type/Page") - data.count(b"/Type/Pages")
    if pages <= 0:  # page objects may sit in compressed object streams
        pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages == 0 or pages >= 9, pages  # at least one page per sheet when countable


def test_libreoffice_recomputes_every_stationary_check_true(recalculated):
    """The Sustainment sheet's stationary checks (SUMPRODUCT over criteria, COUNTIF, ^)
    hold when a real spreadsheet recomputes them."""
    if "small" not in recalculated:
        pytest.skip("no solver in this checkout yet")
    ws = openpyxl.load_workbook(recalculated["small"][1], data_only=True)["Sustainment"]
    rows = [r for r in ws.iter_rows(values_only=True)
            if len(r) >= 7 and r[3] in ("=", "≤", "≥")]
    assert len(rows) > 20 and all(r[6] is True for r in rows), \
        [r for r in rows if r[6] is not True][:5]
    verdict = next(r for r in ws.iter_rows(values_only=True)
                   if isinstance(r[0], str) and r[0].startswith("checks holding"))
    assert verdict[1] == len(rows) and verdict[0] == f"checks holding (of {len(rows)})"


@pytest.mark.parametrize("name", ["fake", "tampered", "small"])
def test_force_plans_cached_values_are_what_libreoffice_computes(recalculated, name):
    """Every formula's value as force_plan stored it (what pandas reads without a
    spreadsheet program) is LibreOffice's recalculated value: Checks and Sustainment."""
    if name not in recalculated:
        pytest.skip("no solver in this checkout yet")
    ours, theirs = (openpyxl.load_workbook(p, data_only=True) for p in recalculated[name])
    formulas = openpyxl.load_workbook(recalculated[name][0])
    compared = 0
    for sheet in ("Checks", "Sustainment"):
        for row_f, row_a, row_b in zip(formulas[sheet].iter_rows(), ours[sheet].iter_rows(),
                                       theirs[sheet].iter_rows()):
            for f, a, b in zip(row_f, row_a, row_b):
                if f.data_type != "f":
                    continue
                compared += 1
                if isinstance(b.value, bool) or isinstance(b.value, str):
                    assert a.value == b.value and type(a.value) is type(b.value), f.coordinate
                else:
                    assert a.value == pytest.approx(b.value, rel=1e-9, abs=1e-9), \
                        (sheet, f.coordinate, f.value)
    assert compared > 100
