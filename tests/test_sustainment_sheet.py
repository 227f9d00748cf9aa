"""The Sustainment sheet: the steady state beside the plan's last year, and stationary
checks whose formulas re-derive the balances from the sheet's own cells (evaluated here by
a small evaluator: openpyxl stores no computed values)."""
from __future__ import annotations

import re

import numpy as np
import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from force_plan.pipeline import RunOptions, solve_plan
from force_plan.inputs.load import load_inputs
from force_plan.xlsx.plan import write_plan
from plan_builder import CourseSite, Period, Site, Source, cat, course, equipment, inputs

REF = re.compile(r"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)|\b([A-Z]{1,3}\d+)\b")


class Evaluator:
    """Cell references and ranges of one sheet, numbers, + − × ÷ ^, ABS, SUM, SUMPRODUCT
    (of ranges and of element-wise comparisons such as (B5:B9=A3)), COUNTIF(range, TRUE)
    and comparisons — the formulas the Sustainment sheet writes."""

    def __init__(self, ws):
        self.ws, self.cache = ws, {}

    def __call__(self, ref: str):
        if ref not in self.cache:
            v = self.ws[ref].value
            if isinstance(v, str) and v.startswith("="):
                v = self.formula(v)
            self.cache[ref] = 0.0 if v is None else v
        return self.cache[ref]

    def formula(self, text: str):
        def sub(m):
            if m.group(5):
                return f"V({m.group(5)!r})"
            c1, r1 = column_index_from_string(m.group(1)), int(m.group(2))
            c2, r2 = column_index_from_string(m.group(3)), int(m.group(4))
            cells = [f"V('{get_column_letter(c)}{r}')" for r in range(r1, r2 + 1)
                     for c in range(c1, c2 + 1)]
            return "A([" + ",".join(cells) + "])"
        expr = REF.sub(sub, text[1:]).replace("^", "**").replace("TRUE", "True")
        expr = re.sub(r"(?<![<>!=])=(?!=)", "==", expr)  # Excel's = compares
        return eval(expr, {"V": self, "ABS": abs, "SUM": sum,  # noqa: S307 (test only)
                           "A": lambda xs: np.array(xs, dtype=object),
                           "SUMPRODUCT": lambda *a: float(sum(np.prod(a, axis=0))),
                           "COUNTIF": lambda r, v: sum(1 for x in r if x == v)})


def checks_of(ws):
    """[(check, item, ok)] of the stationary checks, and the verdict (holding, count)."""
    ev = Evaluator(ws)
    rows, verdict = [], None
    for row in ws.iter_rows():
        a = row[0].value
        if isinstance(a, str) and a.startswith("checks holding (of "):
            verdict = (ev(row[1].coordinate), int(a.split("(of ")[1].rstrip(")")))
        if len(row) >= 7 and isinstance(row[6].value, str) and row[6].value.startswith("=") \
                and row[3].value in ("=", "≤", "≥"):
            rows.append((a, row[1].value, ev(row[6].coordinate)))
    return rows, verdict


def find(ws, label, col=1):
    for row in ws.iter_rows():
        if row[col - 1].value == label:
            return row
    raise AssertionError(label)


def test_hand_plan_sheet_side_by_side_and_checks(tmp_path):
    """Quarterly plan of 8 periods (the last year is periods 5–8), shared instructors, a
    site bringing its own, a conversion, equipment with a total-limited source and a
    force cap: every stationary check holds."""
    p = inputs(T=8, m=3,
               categories=[cat("A", attrition_rate=0.2, cost_per_person_year=1,
                               initial_strength=400),
                           cat("B", attrition_rate=0.1, initial_strength=50),
                           cat("I", attrition_rate=0.05, cost_per_person_year=3,
                               initial_strength=20, reserve_cap=5, reserve_cost=0.5)],
               courses=[course("K", None, "A", duration_months=6, yield_=0.9,
                               instructor_category="I", trainees_per_instructor=4,
                               cost_per_start=1),
                        course("Conv", "A", "B", duration_months=3, yield_=0.5),
                        course("IC", None, "I", duration_months=12)],
               sites=(Site("S1", seats=60), Site("S2", own_instructors=True, seats=10)),
               course_sites=(CourseSite("K", "S1", cost_per_start=1),
                             CourseSite("K", "S2", cost_per_start=4),
                             CourseSite("Conv", "S1"), CourseSite("IC", "S1")),
               equipment=[equipment("E", crew_category="B", crew_per_system=2, loss_rate=0.1,
                                    availability=0.9, sustainment_cost_per_year=0.2,
                                    initial_inventory=10)],
               sources=[Source("F", "E", unit_cost=3), Source("G", "E", total_available=5)],
               periods=[Period(f"Q{t + 1}", recruits_available=60) for t in range(8)],
               targets={("A", t): 500 for t in range(8)} | {("B", 7): 40, ("I", 7): 15},
               equipment_targets={("E", 7): 18}, force_cap=2000)
    results = solve_plan(p, RunOptions())
    assert results.steady.found
    path = write_plan(results, tmp_path / "plan.xlsx")
    ws = openpyxl.load_workbook(path)["Sustainment"]
    rows, verdict = checks_of(ws)
    assert len(rows) > 30 and all(ok is True for _, _, ok in rows), \
        [r for r in rows if r[2] is not True]
    assert verdict == (len(rows), len(rows))
    f = results.steady.figures
    # the headline row: steady state beside the last year (flows summed over Q5–Q8)
    head = find(ws, "recruits a year")
    assert head[1].value == pytest.approx(f["recruits_per_year"])
    df = results.data
    last = df[(df.quantity == "starts") & df.period.isin(["Q5", "Q6", "Q7", "Q8"])
              & df["item"].isin(["K", "IC"])]["value"].sum()
    assert head[2].value == pytest.approx(last)
    assert head[3].value == pytest.approx(240)  # 60 recruits a quarter
    # levels at the end of the plan
    row = find(ws, "A")
    strength_end = df[(df.quantity == "strength") & (df["item"] == "A")
                      & (df.period == "Q8")]["value"].sum()
    assert row[2].value == pytest.approx(f["categories"]["A"]["strength"])
    assert row[3].value == pytest.approx(strength_end)
    assert "last plan year (Q5–Q8)" in [c.value for c in find(ws, "figure")]
    # one route's starts changed by hand: its course total, seats, instructor pool and
    # training cost fail
    route = next(r for r in ws.iter_rows() if r[0].value == "K" and r[1].value == "S1")
    route[2].value += 1
    rows, _ = checks_of(ws)
    failed = {(c.split(" ")[0], item) for c, item, ok in rows if ok is not True}
    assert failed == {("starts", "K"), ("seats", "S1"), ("instructors", "I"), ("cost", None)}


def test_a_wrong_figure_fails_its_check(tmp_path):
    """The checks can fail: a strength changed by hand is caught."""
    p = inputs(T=2, m=12, categories=[cat("A", attrition_rate=0.1)],
               courses=[course("K", None, "A")], targets={("A", 1): 100})
    path = write_plan(solve_plan(p, RunOptions()), tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Sustainment"]
    row = find(ws, "A")
    row[2].value = row[2].value + 1
    rows, verdict = checks_of(ws)
    failed = {(c.split(":")[0], item) for c, item, ok in rows if ok is not True}
    assert ("strength balance", "A") in failed
    assert verdict[0] < verdict[1]


def test_small_example_sheet_checks_hold(tmp_path):
    results = solve_plan(load_inputs("inputs/small.xlsx"), RunOptions())
    path = write_plan(results, tmp_path / "small-plan.xlsx")
    wb = openpyxl.load_workbook(path)
    rows, verdict = checks_of(wb["Sustainment"])
    assert rows and all(ok is True for _, _, ok in rows)
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows(min_row=2)}
    assert summary["steady_state_cost_per_year"] == pytest.approx(
        results.steady.figures["cost_per_year"])
    assert summary["steady_state_shortfall"] == 0
    block = {r[3].value: (r[4].value, r[5].value) for r in wb["Summary"].iter_rows()
             if len(r) > 5 and r[3].value}
    assert block["Cost a year (USD thousand)"][0] == pytest.approx(
        results.steady.figures["cost_per_year"])
    assert block["Persons and systems short for ever"] == (
        0, "The final targets (2030) can be sustained: no steady-state shortfall.")


def test_no_steady_state_is_said_on_the_sheet(tmp_path):
    """The plan meets its hard target from its initial strength, but 10 recruits a year
    cannot hold it for ever: the sheet names the conflict, the Summary says none."""
    p = inputs(T=1, m=12, categories=[cat("A", attrition_rate=0.5, min_fill=1,
                                          initial_strength=200)],
               courses=[course("K", None, "A")],
               periods=[Period("P1", recruits_available=10)], targets={("A", 0): 100})
    results = solve_plan(p, RunOptions())
    assert results.status == "optimal" and not results.steady.found
    path = write_plan(results, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    text = [c.value for row in wb["Sustainment"].iter_rows() for c in row if c.value]
    assert any("hard target of A in the steady state" in t and "80 persons short" in t
               for t in text)
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows(min_row=2)}
    assert summary["steady_state_shortfall"].startswith("no steady state: ")


def test_baseline_sheet_checks_hold(tmp_path):
    results = solve_plan(load_inputs("inputs/baseline.xlsx"), RunOptions())
    path = write_plan(results, tmp_path / "baseline-plan.xlsx")
    rows, verdict = checks_of(openpyxl.load_workbook(path)["Sustainment"])
    assert len(rows) > 300 and verdict == (len(rows), len(rows))


def test_last_year_of_a_plan_shorter_than_a_year_is_scaled():
    """Two quarters with at most 10 starts each: the last year's flows are their sum × 2
    (a year is four quarters); levels are those of the last quarter."""
    from force_plan.results.steady_report import last_year

    p = inputs(T=2, m=3, categories=[cat("A", attrition_rate=0.1, initial_strength=5)],
               courses=[course("K", None, "A", max_starts_per_period=10, cost_per_start=1)],
               targets={("A", 0): 100, ("A", 1): 100})
    results = solve_plan(p, RunOptions())
    ly = last_year(p, results.data)
    assert ly["periods"] == ["P1", "P2"]
    assert ly["recruits_per_year"] == pytest.approx(40)
    assert ly["cost_lines"]["training"] == pytest.approx(40)
    strength = results.data[(results.data.quantity == "strength")
                            & (results.data.period == "P2")]["value"].sum()
    assert ly["categories"]["A"]["strength"] == pytest.approx(strength)
