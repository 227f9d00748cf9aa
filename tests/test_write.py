"""The plan workbook's sheets and cells (force_plan.xlsx.plan), on a hand-made plan."""
from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest

from fake_results import LABELS, fake_plan, fake_results
from force_plan import __version__
from force_plan.contract.schema import DATA_COLUMNS
from force_plan.model.timing import seat_fraction as occupancy
from force_plan.xlsx.plan import write_plan


@pytest.fixture(scope="module")
def results():
    return fake_results()


@pytest.fixture(scope="module")
def plan_path(results, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "plan.xlsx"
    return write_plan(results, path)


@pytest.fixture(scope="module")
def wb(plan_path):
    return openpyxl.load_workbook(plan_path)


@pytest.fixture(scope="module")
def charts(plan_path):
    """Each sheet's charts by meaning, read from the file's parts ("Summary chart 1": its
    anchor, and (title, plots, axes, legend); a plot's series: name, (values,
    categories) ranges, dash)."""
    from compare_writers import drawn_parts

    return {k: v for k, v in drawn_parts(plan_path).items() if " chart " in k}


def series_refs(chart) -> list[str]:
    return [refs[0] for plot in chart[1][1] for _name, refs, _dash in plot[4]]


def rows_of(ws, first_row=1, max_col=None):
    return [list(r) for r in ws.iter_rows(min_row=first_row, max_col=max_col,
                                          values_only=True)]


def find_row(ws, *labels, col=1):
    """The row whose cells from ``col`` on start with ``labels``."""
    for row in ws.iter_rows():
        values = [c.value for c in row[col - 1:col - 1 + len(labels)]]
        if values == list(labels):
            return row[0].row
    raise AssertionError(f"{ws.title}: no row {labels}")


def test_sheet_names_in_contract_order(wb):
    assert wb.sheetnames == ["Summary", "Training", "Strength", "Equipment", "Sources",
                             "Budget", "Sustainment", "Bottlenecks", "Checks", "Data"]


@pytest.mark.parametrize("kwargs, names", [
    (dict(equipment=False), ["Summary", "Training", "Strength", "Sources", "Budget",
                             "Sustainment", "Bottlenecks", "Checks", "Data"]),
    (dict(equipment=False, sites=False), ["Summary", "Training", "Strength", "Budget",
                                          "Sustainment", "Bottlenecks", "Checks", "Data"]),
    (dict(sites=False), ["Summary", "Training", "Strength", "Equipment", "Sources", "Budget",
                         "Sustainment", "Bottlenecks", "Checks", "Data"]),
])
def test_optional_sheets(tmp_path, kwargs, names):
    path = write_plan(fake_results(fake_plan(**kwargs)), tmp_path / "p.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == names


def test_summary_keys_and_values(wb, results):
    ws = wb["Summary"]
    assert [ws["A1"].value, ws["B1"].value] == ["key", "value"]
    pairs = [(r[0], r[1]) for r in rows_of(ws, 2, 2) if r[0] is not None]
    # numbers are stored with 16 significant digits (openpyxl), so compare approximately
    assert pairs == [(k, pytest.approx(v) if isinstance(v, float) else v)
                     for k, v in results.summary]
    assert [k for k, _ in pairs] == [
        "status", "objective_1", "objective_2", "total_cost", "total_separations",
        "total_shortfall", "total_equipment_shortfall", "solver", "input_file",
        "input_sha256", "force_plan_version"]
    assert ws["B2"].value == "optimal"
    assert ws["B12"].value == __version__


def test_summary_headline(wb, results):
    ws = wb["Summary"]
    assert ws["D1"].value == "Fake plan (illustrative)"
    assert ws["D2"].value == ("Optimal: no better plan exists for these objectives, solved "
                              "level by level.")
    block, section = {}, ""
    for r in rows_of(ws, 5):
        if r[3] is not None and r[4] is None:
            section = r[3].split(":")[0].split(" (")[0]
        elif r[3] is not None:
            block[r[3] if r[3] not in block else f"{section}/{r[3]}"] = (r[4], r[5])
    assert block["Level 1: shortfall + equipment_shortfall"][0] == pytest.approx(
        results.objectives[1])
    assert block["Level 2: cost"][0] == pytest.approx(results.objectives[2])
    assert block["Force cap"][0] == 2000
    data = results.data
    last = data[data["period"] == LABELS[-1]]
    trained = last[last["quantity"] == "strength"]["value"].sum()
    training = last[last["quantity"] == "in_training"]["value"].sum()
    assert block["Trained strength at the end (2028 H2)"][0] == pytest.approx(trained)
    assert block["Total force at the end (2028 H2), trained + in training"][0] == \
        pytest.approx(trained + training)
    short = data[data["quantity"] == "shortfall"]
    assert block["Priority 2"][0] == pytest.approx(short[short["item"] == "Rifle"]["value"].sum())
    assert block["Priority 1"][0] == pytest.approx(
        short[short["item"] == "AD crew"]["value"].sum())
    assert block["Air Defense"][0] == block["Priority 1"][0]
    assert block["Equipment readiness at the end/Air Defense"] == (1.0, "14 of 14 systems")
    assert block["Manoeuvre"][0] == block["Priority 2"][0]
    assert block["All equipment"] == (1.0, "44 of 44 systems")
    assert block["Budget of the periods that have one"][0] == 220.0
    costs = data[(data["quantity"] == "cost") & (data["item"] == "total")]["value"]
    assert block["Total cost over the plan"][0] == pytest.approx(costs.sum())
    assert block["Budget used"][0] == pytest.approx(costs.iloc[:3].sum() / 220.0)
    assert block["total"][0] == pytest.approx(0.48)


def test_data_sheet_is_the_tidy_table(wb, results):
    ws = wb["Data"]
    rows = rows_of(ws)
    assert tuple(rows[0]) == DATA_COLUMNS
    assert len(rows) == len(results.data) + 1
    assert rows[1] == ["strength", "Rifle", None, "2027 H1",
                       pytest.approx(results.data["value"].iloc[0])]
    starts = [r for r in rows if r[0] == "starts"]
    assert starts[0] == ["starts", "Basic", "Central school", "2027 H1", 100.0]
    assert all(isinstance(r[3], str) for r in rows[1:])
    # constant_memory writing has no Excel tables: the header row has filter buttons
    assert not ws.tables and ws.auto_filter.ref == f"A1:E{len(rows)}"
    assert ws.freeze_panes == "A2" and ws["A1"].comment is not None


def test_data_reads_back_with_pandas(tmp_path, results):
    import pandas as pd
    path = write_plan(results, tmp_path / "p.xlsx")
    back = pd.read_excel(path, sheet_name="Data", dtype={"period": str},
                         engine="openpyxl").fillna({"where": ""})
    assert list(back.columns) == list(DATA_COLUMNS)
    pd.testing.assert_frame_equal(back, results.data.reset_index(drop=True),
                                  check_dtype=False)


def test_training_starts_graduates_and_seats(wb, results):
    ws = wb["Training"]
    assert ws["A1"].value.startswith("Training — ")
    r = find_row(ws, "Basic", "RECRUIT", "Rifle", "Central school")
    assert [ws.cell(r, c).value for c in range(5, 10)] == [100, 120, 110, 100, 430]
    r = find_row(ws, "Basic", "RECRUIT", "Rifle", "all sites")
    assert [ws.cell(r, c).value for c in range(5, 10)] == [100, 160, 160, 100, 520]
    grads = [r for r in range(1, ws.max_row + 1)
             if ws.cell(r, 1).value == "AD conversion" and ws.cell(r, 4).value is None]
    assert [ws.cell(grads[0], c).value for c in range(5, 9)] == [10, 20, 20, 15]  # pipeline 10
    used = find_row(ws, "Central school", "Domestic", "seats used")
    # Basic (3 months) occupies half a 6-month period; AD conversion (9 months) a whole
    # period and then half of the next one.
    assert [ws.cell(used, c).value for c in range(5, 9)] == pytest.approx(
        [100 * .5 + 20, 120 * .5 + 20 + 20 * .5, 110 * .5 + 15 + 20 * .5, 100 * .5 + 15 * .5])
    offered = find_row(ws, "Partner camp", "Partner group", "seats offered")
    assert [ws.cell(offered, c).value for c in range(5, 9)] == ["closed", 100, 100, 100]
    pct = find_row(ws, "Central school", "Domestic", "use %")
    assert ws.cell(pct, 6).value == pytest.approx(0.45)
    assert ws.cell(pct, 6).number_format == "0.0%"


def test_occupancy_rule():
    # m = 6: a 9-month course fills its start period and half the next one
    assert [occupancy(9, 6, k) for k in range(3)] == [1.0, 0.5, 0.0]
    assert [occupancy(3, 6, k) for k in range(2)] == [0.5, 0.0]
    assert [occupancy(12, 6, k) for k in range(3)] == [1.0, 1.0, 0.0]
    assert occupancy(0, 6, 0) == 0.0


def test_strength_sheet(wb, results):
    ws = wb["Strength"]
    assert [ws.cell(4, c).value for c in range(1, 8)] == [
        "weapons category", "category", "measure", *LABELS]
    r = find_row(ws, "Manoeuvre", "Rifle", "target")
    assert [ws.cell(r, c).value for c in range(4, 8)] == [850, 880, 900, 1000]
    strength = results.data[(results.data["quantity"] == "strength")
                            & (results.data["item"] == "Rifle")]["value"].tolist()
    r = find_row(ws, "Manoeuvre", "Rifle", "strength")
    assert [ws.cell(r, c).value for c in range(4, 8)] == pytest.approx(strength)
    r = find_row(ws, "Air Defense", "AD crew", "shortfall")
    ad = results.data[(results.data["quantity"] == "strength")
                      & (results.data["item"] == "AD crew")]["value"].tolist()
    assert ws.cell(r, 4).value == pytest.approx(120 - ad[0])
    assert ws.cell(r, 4).number_format == '#,##0;-#,##0;"–"'  # persons: whole
    # a weapons category of one category: no "total" block repeating its rows
    assert not [row for row in rows_of(ws) if str(row[1]).endswith(" total")]
    assert ws.cell(r + 2, 2).value == "AD crew" and ws.cell(r + 4, 1) .value is None
    # a category without a target has no target/shortfall rows
    with pytest.raises(AssertionError):
        find_row(ws, "Command", "Instructor", "target")
    cap = find_row(ws, "Whole force", "force cap")
    assert [ws.cell(cap, c).value for c in range(4, 8)] == [2000] * 4
    force = find_row(ws, "Whole force", "total force")
    in_training = results.data[(results.data["quantity"] == "in_training")
                               & (results.data["period"] == LABELS[0])]["value"].sum()
    first = results.data[(results.data["quantity"] == "strength")
                         & (results.data["period"] == LABELS[0])]["value"].sum()
    assert ws.cell(force, 4).value == pytest.approx(first + in_training)
    assert ws.freeze_panes == "D5"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 (one page wide) is the default
    assert ws.page_setup.fitToHeight == 0


def test_equipment_and_sources(wb, charts):
    ws = wb["Equipment"]
    r = find_row(ws, "Air Defense", "SHORAD system", "ordered from Partner group")
    assert [ws.cell(r, c).value for c in range(4, 8)] == [3, 2, 0, 0]
    r = find_row(ws, "Drones", "Recon drone", "readiness %")
    assert [ws.cell(r, c).value for c in range(4, 8)] == [1.0] * 4
    # one equipment per weapons category here: no total block repeats a group's rows
    assert not [row for row in rows_of(ws) if str(row[1]).endswith(" total")]
    target = find_row(ws, "Air Defense", "SHORAD system", "target")
    assert ws.cell(target, 4).number_format == '#,##0;-#,##0;"–"'  # systems: whole
    # the readiness chart draws the group's own readiness row
    assert f"Equipment!D{r}:G{r}" in series_refs(charts["Equipment chart 1"])
    ws = wb["Sources"]
    r = find_row(ws, "Partner group", "SHORAD system")
    assert [ws.cell(r, c).value for c in range(3, 11)] == [
        1.5, 8, "no limit", 6, "2027 H1 – 2028 H1", 5, pytest.approx(5 / 6), 7.5]
    assert [ws.cell(r, c).value for c in range(11, 15)] == [3, 2, 0, "closed"]
    r = find_row(ws, "Partner group", "Partner camp", "seats used")
    assert [ws.cell(r, c).value for c in range(4, 8)] == [0, 20, 25, 0]


def test_budget_sheet(wb, results):
    ws = wb["Budget"]
    assert ws["A4"].value == "cost line (USD million)"
    cost = results.data[results.data["quantity"] == "cost"]
    r = find_row(ws, "total")
    assert [ws.cell(r, c).value for c in range(2, 6)] == pytest.approx(
        cost[cost["item"] == "total"]["value"].tolist())
    r = find_row(ws, "budget")
    assert [ws.cell(r, c).value for c in range(2, 6)] == [70, 70, 80, "no limit"]
    r = find_row(ws, "budget used %")
    assert ws.cell(r, 5).value is None


VALUE = "[>=100]#,##0;[>=0.01]0.00;0.0000"


def test_bottlenecks_sheet_one_row_per_limit_then_the_periods(wb, results):
    ws = wb["Bottlenecks"]
    assert ws["A3"].value.startswith("One row per limit")
    assert [ws.cell(4, c).value for c in range(1, 15)] == [
        "rank", "limit in words", "input cell", "limit of", "who gains", "first period",
        "last period", "binding periods", "limit (first binding period)", "unit",
        "largest value per unit, level 1", "largest value per unit, level 2",
        "total value per unit, level 1", "total value per unit, level 2"]
    # seats bind at level 1, the budget at level 2: level first (review/limits.py's rule)
    assert [ws.cell(5, c).value for c in range(1, 15)] == [
        1, "One more seat at Central school per period, binding 2027 H2 (1 period), would "
        "cut weighted shortfall by 0.25 — for Rifle, AD crew.", "Sites!C2", "Central school",
        "Rifle, AD crew", "2027 H2", "2027 H2", 1, 200, "seat", 0.25, None, 0.25, None]
    data = results.data
    short = data[data["quantity"].isin(["shortfall", "equipment_shortfall"])
                 & (data["period"] == LABELS[0]) & (data["value"] > 1e-6)]
    by_size = short.groupby("item")["value"].sum().sort_values(ascending=False)
    who = "those short of target: " + ", ".join(by_size.index[:3])
    assert by_size.size >= 1
    assert [ws.cell(6, c).value for c in range(1, 15)] == [
        2, f"One more USD million of budget per period, binding 2027 H1 (1 period), would "
        f"save 1 USD million — for {who}.", "Periods!C2", None, who, "2027 H1", "2027 H1", 1,
        70, "USD million", None, 1, None, 1]
    # whole persons and seats, money with 2 decimals, values readable
    assert [ws.cell(5, c).number_format for c in (8, 9, 11, 13)] == ["0", "#,##0", VALUE, VALUE]
    assert ws.cell(6, 9).number_format == "#,##0.00"
    assert ws.cell(5, 2).alignment.wrap_text and ws.cell(5, 5).alignment.wrap_text
    # the per-period rows follow under their own header
    assert ws["A8"].value.startswith("Per period")
    assert [ws.cell(9, c).value for c in range(1, 10)] == [
        "rank", "bottleneck", "input cell", "limit of", "period", "limit", "unit",
        "value per unit, level 1", "value per unit, level 2"]
    assert [ws.cell(10, c).value for c in range(1, 10)] == [
        1, "One more seat at Central school in 2027 H2 would cut weighted shortfall by 0.25 "
        "(objective level 1).", "Sites!C2", "Central school", "2027 H2", 200, "seat", 0.25, 0]
    assert ws.cell(10, 6).number_format == "#,##0" and ws.cell(11, 6).number_format == \
        "#,##0.00"


def test_the_brief_reads_the_grouped_limits_back(wb):
    from force_plan.review.limits import group_by_cell, read_bindings

    rows = [[c.value for c in row] for row in wb["Bottlenecks"].iter_rows()]
    limits = group_by_cell(read_bindings(rows))
    assert [(g.where, g.level, g.periods) for g in limits] == [
        ("Sites!C2", 1, ["2027 H2"]), ("Periods!C2", 2, ["2027 H1"])]
    # who gains, as the brief takes it from the one-row-per-limit block
    from force_plan.review.limits import read_gains

    gains = read_gains(rows)
    assert gains[("Sites!C2", 1)] == "Rifle, AD crew"
    assert gains[("Periods!C2", 2)].startswith("those short of target: ")
    assert read_gains(rows[7:]) == {}  # the per-period table alone: nothing to read


def test_bottlenecks_of_an_integer_plan_have_no_values(tmp_path):
    integer = openpyxl.load_workbook(write_plan(fake_results(integer=True), tmp_path / "i.xlsx"))
    ws = integer["Bottlenecks"]
    assert ws["A3"].value.startswith("This plan has whole classes and systems")
    assert [ws.cell(5, c).value for c in range(1, 12)] == [
        "rank", "limit in words", "input cell", "limit of", "who gains", "first period",
        "last period", "binding periods", "limit (first binding period)", "unit", None]
    assert ws["B6"].value == "One more seat at Central school per period."
    head = find_row(ws, "rank", "bottleneck")
    assert [ws.cell(head, c).value for c in range(1, 9)] == [
        "rank", "bottleneck", "input cell", "limit of", "period", "limit", "unit", None]


def test_no_bottlenecks_says_so(tmp_path):
    r = fake_results()
    r = replace(r, bottlenecks=[])
    ws = openpyxl.load_workbook(write_plan(r, tmp_path / "p.xlsx"))["Bottlenecks"]
    assert ws["B5"].value == "No limit is binding: every input limit has room to spare."


def test_charts_present(charts):
    def count(sheet):
        return sum(k.startswith(f"{sheet} chart ") for k in charts)

    assert count("Summary") == 3
    assert count("Strength") == 3  # force vs cap + 2 weapons categories with targets
    assert count("Equipment") == 1
    assert count("Budget") == 1


def test_shortfall_highlighting(wb):
    ws = wb["Strength"]
    rules = [(str(cf.sqref), rule.operator, rule.formula)
             for cf in ws.conditional_formatting for rule in cf.rules]
    short_rows = [r for r in range(5, ws.max_row + 1) if ws.cell(r, 3).value == "shortfall"]
    ranges = {f"D{r}:G{r}" for r in short_rows}
    assert any(set(sq.split()) == ranges and op == "greaterThan" for sq, op, _ in rules)
