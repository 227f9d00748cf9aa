"""The plan workbook of the bundled baseline after a 15 % budget cut, as a reviewer reads
it: the Bottlenecks sheet one row per limit (the budget one row over its Periods cells),
whole persons and systems, no total block for a one-category weapons group."""
from __future__ import annotations

import openpyxl
import pytest

import brief_plans
from force_plan.inputs.load import load_inputs
from force_plan.review.limits import group_by_cell, read_bindings

budget_plans = brief_plans.budget_plans  # the session fixture: both plans solved once

WHOLE = "#,##0"
PERSONS = '#,##0;-#,##0;"–"'


def _block(ws, first_word: str):
    """(header row number, {column name: index}, rows) of the table whose header starts
    with rank, ``first_word``."""
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[:2] == ["rank", first_word])
    body = []
    for r in rows[at + 1:]:
        if r[0] is None:
            break
        body.append(r)
    return at + 1, {name: j for j, name in enumerate(rows[at]) if name}, body


@pytest.mark.slow
def test_budget_cut_bottlenecks_one_row_per_limit(budget_plans):
    d, _base, cut, _edits = budget_plans
    wb = openpyxl.load_workbook(cut)
    ws = wb["Bottlenecks"]
    head, col, limits = _block(ws, "limit in words")
    _, pcol, periods = _block(ws, "bottleneck")
    assert len(limits) < len(periods) / 3
    assert [r[0] for r in limits] == list(range(1, len(limits) + 1))
    # the budget: one row over the Periods cells it binds in, first and last period
    budget = [r for r in periods if (r[pcol["input cell"]] or "").startswith("Periods!C")
              and r[pcol["unit"]] == "USD million"]
    rows = sorted(int(r[pcol["input cell"]][len("Periods!C"):]) for r in budget)
    labels = list(load_inputs(d / "budget-cut.xlsx").period_labels)
    shown = sorted((r[pcol["period"]] for r in budget), key=labels.index)
    [row] = [r for r in limits if (r[col["input cell"]] or "").startswith("Periods!C")
             and r[col["unit"]] == "USD million"]
    assert row[col["input cell"]] == f"Periods!C{rows[0]}:C{rows[-1]}"
    assert (row[col["first period"]], row[col["last period"]]) == (shown[0], shown[-1])
    assert row[col["binding periods"]] == len(budget)
    assert row[col["who gains"]].startswith("those short of target: ")
    assert row[col["limit in words"]].startswith(
        f"One more USD million of budget per period, binding {shown[0]}–{shown[-1]} "
        f"({len(budget)} periods), would cut weighted shortfall by up to ")
    r = head + 1 + limits.index(row)
    assert ws.cell(r, col["limit (first binding period)"] + 1).number_format == "#,##0.00"
    level = next(name for name, j in col.items() if name.startswith("largest value")
                 and row[j] is not None)
    assert level == "largest value per unit, level 1"
    assert row[col[level]] == pytest.approx(max(r[pcol["value per unit, level 1"]]
                                                for r in budget))
    # ranked as the brief ranks (review/limits.py: level, then weight)
    # as the brief reads it (calamine: an empty cell is "")
    brief = group_by_cell(read_bindings([["" if c.value is None else c.value for c in r]
                                         for r in ws.iter_rows()]))
    assert [g.where for g in brief] == [r[col["input cell"]] or g.where
                                        for r, g in zip(limits, brief)]
    assert row[0] == 1 + [g.where for g in brief].index(row[col["input cell"]])
    # persons, seats, starts and systems whole
    person = next(i for i, r in enumerate(limits) if r[col["unit"]] == "person")
    assert ws.cell(head + 1 + person, col["limit (first binding period)"] + 1) \
        .number_format == WHOLE


@pytest.mark.slow
def test_baseline_numbers_whole_and_groups_without_repeats(budget_plans):
    d, base, _cut, _ = budget_plans
    wb = openpyxl.load_workbook(base)
    inputs = load_inputs(d / "baseline.xlsx")
    ws = wb["Strength"]
    totals = {r[1] for r in ws.iter_rows(min_row=5, max_col=2, values_only=True)
              if isinstance(r[1], str) and r[1].endswith(" total")}
    members: dict = {}
    for c in inputs.categories:
        members.setdefault(c.weapons_category, []).append(c.name)
    assert totals == {f"{w} total" for w, cats in members.items() if len(cats) > 1}
    assert any(len(cats) == 1 for cats in members.values())  # the case is exercised
    formats = {c.number_format for row in ws.iter_rows(min_row=5) for c in row[3:]
               if isinstance(c.value, float) and c.value > 1 and "%" not in str(row[1].value)}
    assert formats == {PERSONS}
    ws = wb["Equipment"]
    formats = {c.number_format for row in ws.iter_rows(min_row=5) for c in row[3:]
               if isinstance(c.value, float) and c.value > 1 and row[2].value != "readiness %"}
    assert formats == {PERSONS}
    summary = {r[0].value: r[1] for r in wb["Summary"].iter_rows(min_row=2, max_col=2)}
    for key in ("variables", "constraints", "lookahead_periods", "total_shortfall"):
        assert summary[key].number_format == WHOLE, key
    assert summary["total_cost"].number_format == "#,##0.00"
    data = wb["Data"]
    assert {data.cell(r, 5).number_format for r in range(2, 200)} == {"General"}
    ws = wb["Sustainment"]
    row = next(r for r in ws.iter_rows() if r[0].value == "trained strength")
    assert row[1].number_format == WHOLE and row[1].value > 1000
