"""Issue 15 item 5: the Checks carry cached values computed by force_plan, so pandas and
calamine read ``ok`` as TRUE (and every figure as a number) without a spreadsheet program;
LibreOffice's recalculation stays the independent test (tests/test_libreoffice.py)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fake_results import fake_results
from force_plan.xlsx.checks_terms import FIRST_ROW
from force_plan.xlsx.plan import write_plan

ROOT = Path(__file__).resolve().parent.parent
HEADER = FIRST_ROW - 2  # the header row, 0-based, as pandas counts it


@pytest.fixture(scope="module")
def baseline_plan(tmp_path_factory):
    from force_plan.inputs.load import load_inputs
    from force_plan.pipeline import solve_plan

    results = solve_plan(load_inputs(ROOT / "inputs" / "baseline.xlsx"))
    return write_plan(results, tmp_path_factory.mktemp("plan") / "baseline-plan.xlsx")


def checks_and_data(path, engine):
    kw = {} if engine is None else {"engine": engine}
    checks = pd.read_excel(path, sheet_name="Checks", header=HEADER, **kw)
    data = pd.read_excel(path, sheet_name="Data", dtype={"period": str}, **kw)
    verdict = pd.read_excel(path, sheet_name="Checks", header=None, nrows=3, **kw).iloc[2, 0]
    return checks, data.fillna({"where": ""}), verdict


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])  # pandas: openpyxl, default
def test_pandas_reads_every_check_of_the_baseline_as_true(baseline_plan, engine):
    checks, data, verdict = checks_and_data(baseline_plan, engine)
    assert len(checks) > 1000 and checks["ok"].map(type).eq(bool).all()
    assert checks["ok"].all(), checks[~checks["ok"].astype(bool)].head()
    assert verdict == f"All {len(checks)} checks hold."
    for col in ("plan figure", "recomputed or limit", "difference", "tolerance"):
        assert pd.api.types.is_float_dtype(checks[col]), col
    # a cost total's plan figure is the Data figure it sums; the cost line sums add up
    totals = checks[checks["check"] == "cost total"].reset_index(drop=True)
    cost = data[(data["quantity"] == "cost") & (data["item"] == "total")]
    assert totals["plan figure"].tolist() == cost["value"].tolist()
    assert (totals["plan figure"] - totals["recomputed or limit"]).abs().max() \
        <= totals["tolerance"].min()
    least = checks[checks["check"] == "non-negative"]["plan figure"].iloc[0]
    assert least == data["value"].min()


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_a_wrong_figure_is_cached_false_exactly_where_it_fails(tmp_path, engine):
    path = write_plan(fake_results(tamper=("strength", "Rifle", "", 1, 5.0)),
                      tmp_path / "tampered.xlsx")
    checks, _, verdict = checks_and_data(path, engine)
    failed = checks[~checks["ok"].astype(bool)]
    assert set(zip(failed["check"], failed["item"], failed["period"])) == {
        ("strength balance", "Rifle", "2027 H2"), ("strength balance", "Rifle", "2028 H1"),
        ("target", "Rifle", "2027 H2"), ("cost line", "personnel", "2027 H2")}
    assert (failed["difference"].abs() > failed["tolerance"]).all()
    assert verdict == f"4 of {len(checks)} checks FAIL: see the rows marked FALSE."


def test_the_stationary_checks_carry_their_values(baseline_plan):
    sheet = pd.read_excel(baseline_plan, sheet_name="Sustainment", header=None,
                          engine="calamine")
    head = sheet.index[sheet[0] == "check"][0]
    rows = sheet.iloc[head + 1:]
    rows = rows[rows[6].map(lambda v: isinstance(v, bool))]
    assert len(rows) > 50 and rows[6].all()
    for col in (2, 4):  # numbers (calamine reads a whole float as an int)
        assert rows[col].map(lambda v: isinstance(v, (int, float))
                             and not isinstance(v, bool)).all()
    count = sheet[sheet[0].astype(str).str.startswith("checks holding")].iloc[0, 1]
    assert count == len(rows)
