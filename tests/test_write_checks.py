"""The Checks sheet: its formulas re-derive the plan from the Data sheet.

A tiny evaluator computes the formulas here, so these tests run without a spreadsheet
program, and the values force_plan stores with every formula (what pandas and calamine
read) must be the evaluator's; tests/test_libreoffice.py recomputes them in LibreOffice
Calc.
"""
from __future__ import annotations

import io
import re

import openpyxl
import pytest

from fake_results import fake_results
from force_plan.xlsx import checks
from force_plan.numbers import literal as num
from force_plan.xlsx.checks_terms import FIRST_ROW, RELATIVE_TOLERANCE, Sum
from force_plan.xlsx.book import Book
from force_plan.xlsx.layout import Sheet, put
from force_plan.xlsx.save import workbook_bytes
from force_plan.xlsx.view import PlanView
from force_plan.xlsx.plan import build_plan_workbook, write_plan


def saved(write, data_only: bool = False):
    """The workbook ``write(target)`` writes, read back: its formulas, or (``data_only``)
    the values stored with them."""
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(write)), data_only=data_only)


def plan_book(results, data_only: bool = False):
    return saved(lambda target: build_plan_workbook(results, target), data_only)

ARITHMETIC = re.compile(r"[0-9Ee+\-*/(). ,<>=a-z_]*")


class Evaluator:
    """Evaluates the formulas force_plan writes: cell references, numbers, + − × ÷ ^,
    ABS, MIN over a Data range, and comparisons."""

    def __init__(self, wb):
        self.wb = wb
        self.cache = {}

    def cell(self, sheet: str, ref: str):
        key = (sheet, ref)
        if key not in self.cache:
            value = self.wb[sheet][ref].value
            if isinstance(value, str) and value.startswith("="):
                value = self.formula(sheet, value)
            self.cache[key] = value
        return self.cache[key]

    def formula(self, sheet: str, text: str):
        expr = text[1:]
        expr = re.sub(r"MIN\(Data!E(\d+):E(\d+)\)", lambda m: repr(min(
            self.cell("Data", f"E{r}") for r in range(int(m[1]), int(m[2]) + 1))), expr)
        expr = re.sub(r"Data!([A-Z]+\d+)", lambda m: repr(self.cell("Data", m[1])), expr)
        expr = re.sub(r"\b([A-Z]{1,2}\d+)\b", lambda m: repr(self.cell(sheet, m[1])), expr)
        expr = re.sub(r"ROUND\(([^,()]+),0\)", r"float(round(\1))", expr)
        expr = expr.replace("^", "**").replace("ABS(", "abs(").replace("<>", "!=")
        expr = re.sub(r"(?<![<>!=])=(?!=)", "==", expr)
        assert ARITHMETIC.fullmatch(expr), expr
        return eval(expr, {"abs": abs, "round": round, "float": float,  # noqa: S307
                           "__builtins__": {}})  # the expression was checked above


def check_rows(wb, cached=None):
    """The check rows, their figures and ok as the evaluator computes them; ``cached``
    (the same workbook read with its stored values) must agree cell by cell."""
    ws = wb["Checks"]
    ev = Evaluator(wb)
    out = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        ok = ws.cell(r, 10).value
        if ok is None:
            continue
        out.append({"check": ws.cell(r, 1).value, "item": ws.cell(r, 2).value,
                    "where": ws.cell(r, 3).value, "period": ws.cell(r, 4).value,
                    "plan": ev.cell("Checks", f"E{r}"), "other": ev.cell("Checks", f"G{r}"),
                    "ok": ev.cell("Checks", f"J{r}"), "row": r})
        if cached is not None:
            stored = cached["Checks"]
            assert stored.cell(r, 10).value is out[-1]["ok"], r
            for col in "EGH":
                assert stored[f"{col}{r}"].value == pytest.approx(
                    ev.cell("Checks", f"{col}{r}"), rel=1e-12, abs=1e-9), (col, r)
    return out


@pytest.fixture(scope="module")
def results():
    return fake_results()


@pytest.fixture(scope="module")
def wb(results):
    return plan_book(results)


def data_row(results, quantity, item, where, period):
    d = results.data.reset_index(drop=True)
    hit = d[(d["quantity"] == quantity) & (d["item"] == item) & (d["where"] == where)
            & (d["period"] == period)]
    assert len(hit) == 1
    return int(hit.index[0]) + 2


def test_every_check_holds(wb, results):
    cached = plan_book(results, data_only=True)
    rows = check_rows(wb, cached)
    assert cached["Checks"]["A3"].value == f"All {len(rows)} checks hold."
    assert rows and all(r["ok"] is True for r in rows), [r for r in rows if not r["ok"]]
    families = {r["check"] for r in rows}
    assert families == {
        "strength balance", "graduates", "in training", "target", "inventory balance",
        "availability", "equipment target", "crews", "source maximum", "order window",
        "source total", "cost line", "cost total", "budget", "force cap", "recruits", "seats",
        "course maximum", "instructors", "reserve cap", "reserve within strength",
        "non-negative"}
    counts = {f: sum(r["check"] == f for r in rows) for f in families}
    assert counts["strength balance"] == 3 * 4  # every category and period
    assert counts["inventory balance"] == 2 * 4  # every equipment type and period
    assert counts["cost line"] == 5 * 4 and counts["cost total"] == 4
    assert counts["budget"] == 3  # the last period has no budget
    assert wb["Checks"]["A3"].value.startswith('=IF(COUNTIF(J6:J')


def test_strength_balance_formula_text(wb, results):
    ws = wb["Checks"]
    rows = [r for r in range(FIRST_ROW, ws.max_row + 1)
            if ws.cell(r, 1).value == "strength balance" and ws.cell(r, 2).value == "Rifle"]
    first, second = rows[0], rows[1]
    strength0 = data_row(results, "strength", "Rifle", "", "2027 H1")
    strength1 = data_row(results, "strength", "Rifle", "", "2027 H2")
    grads = data_row(results, "graduates", "Basic", "", "2027 H2")
    conv = data_row(results, "starts", "AD conversion", "Central school", "2027 H2")
    seps = data_row(results, "separations", "Rifle", "", "2027 H2")
    assert ws.cell(second, 5).value == f"=Data!E{strength1}"
    assert ws.cell(second, 6).value == "="
    assert ws.cell(second, 7).value == (f"=(1-0.1)^(6/12)*Data!E{strength0}+Data!E{grads}"
                                        f"-Data!E{conv}-Data!E{seps}")
    assert ws.cell(second, 8).value == f"=E{second}-G{second}"
    assert ws.cell(second, 10).value == f"=ABS(H{second})<=I{second}"
    g0 = data_row(results, "graduates", "Basic", "", "2027 H1")
    c0 = data_row(results, "starts", "AD conversion", "Central school", "2027 H1")
    s0 = data_row(results, "separations", "Rifle", "", "2027 H1")
    assert ws.cell(first, 7).value == (f"=(1-0.1)^(6/12)*800+Data!E{g0}-Data!E{c0}"
                                       f"-Data!E{s0}")
    # tolerance: 10⁻⁶ × (|plan figure| + Σ |terms|)
    view = PlanView.of(results)
    size = (view.value("strength", "Rifle", "", 1) + 0.9 ** 0.5 * view.value(
        "strength", "Rifle", "", 0) + view.value("graduates", "Basic", "", 1)
            + view.value("starts", "AD conversion", "Central school", 1)
            + view.value("separations", "Rifle", "", 1))
    assert ws.cell(second, 9).value == pytest.approx(RELATIVE_TOLERANCE * size)


def test_inventory_and_cost_formula_text(wb, results):
    ws = wb["Checks"]
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1)
               if ws.cell(r, 1).value == "inventory balance"
               and ws.cell(r, 2).value == "SHORAD system" and ws.cell(r, 4).value == "2027 H2")
    inv0 = data_row(results, "inventory", "SHORAD system", "", "2027 H1")
    dom = data_row(results, "acquisitions", "SHORAD system", "Domestic production", "2027 H2")
    partner = data_row(results, "acquisitions", "SHORAD system", "Partner group", "2027 H1")
    assert ws.cell(row, 7).value == (f"=(1-0.1)^(6/12)*Data!E{inv0}+Data!E{dom}"
                                     f"+Data!E{partner}")  # the partner's lead time is 1 period
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1)
               if ws.cell(r, 1).value == "cost line" and ws.cell(r, 2).value == "training"
               and ws.cell(r, 4).value == "2027 H1")
    a = data_row(results, "starts", "Basic", "Central school", "2027 H1")
    b = data_row(results, "starts", "Basic", "Partner camp", "2027 H1")
    c = data_row(results, "starts", "AD conversion", "Central school", "2027 H1")
    assert ws.cell(row, 7).value == f"=0.002*Data!E{a}+0.003*Data!E{b}+0.01*Data!E{c}"
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1)
               if ws.cell(r, 1).value == "budget" and ws.cell(r, 4).value == "2027 H1")
    total = data_row(results, "cost", "total", "", "2027 H1")
    assert [ws.cell(row, c).value for c in (5, 6, 7, 10)] == [
        f"=Data!E{total}", "≤", 70, f"=H{row}<=I{row}"]


@pytest.mark.parametrize("tamper, failing", [
    (("strength", "Rifle", "", 1, 5.0),
     {("strength balance", "Rifle", "2027 H2"), ("strength balance", "Rifle", "2028 H1"),
      ("target", "Rifle", "2027 H2"), ("cost line", "personnel", "2027 H2")}),
    (("inventory", "SHORAD system", "", 2, -1.0),
     {("inventory balance", "SHORAD system", "2028 H1"),
      ("inventory balance", "SHORAD system", "2028 H2"),
      ("cost line", "sustainment", "2028 H1")}),
    (("cost", "procurement", "", 0, 100.0),
     {("cost line", "procurement", "2027 H1"), ("cost total", "total", "2027 H1")}),
    (("cost", "total", "", 0, 100.0),
     {("cost total", "total", "2027 H1"), ("budget", "total", "2027 H1")}),
    (("starts", "Basic", "Partner camp", 0, 1.0),
     {("graduates", "Basic", "2027 H1"), ("cost line", "training", "2027 H1"),
      ("seats", "Partner camp", "2027 H1")}),  # the site is closed in 2027 H1
])
def test_a_wrong_figure_fails_exactly_its_checks(tamper, failing):
    results = fake_results(tamper=tamper)
    cached = plan_book(results, data_only=True)
    rows = check_rows(plan_book(results), cached)  # stored ok: False exactly there too
    assert {(r["check"], r["item"], r["period"]) for r in rows if not r["ok"]} == failing
    assert cached["Checks"]["A3"].value == (f"{len(failing)} of {len(rows)} checks FAIL: "
                                            "see the rows marked FALSE.")


def test_integer_plans_check_whole_classes_and_systems(results):
    wb = plan_book(fake_results(integer=True))
    rows = check_rows(wb, plan_book(fake_results(integer=True), data_only=True))
    assert all(r["ok"] for r in rows)
    whole = [r for r in rows if r["check"] in ("whole classes", "whole systems")]
    assert len(whole) == 3 * 4 + 3 * 4  # every starts and acquisitions row
    ws = wb["Checks"]
    first = next(r for r in whole if r["check"] == "whole classes")["row"]
    ref = ws.cell(first, 5).value[1:]
    assert ws.cell(first, 7).value == f"=1*ROUND({ref}/1,0)"
    systems = next(r for r in whole if r["check"] == "whole systems")["row"]
    ref = ws.cell(systems, 5).value[1:]
    assert ws.cell(systems, 7).value == f"=ROUND({ref},0)"
    tampered = check_rows(plan_book(fake_results(
        integer=True, tamper=("acquisitions", "Recon drone", "Domestic production", 3, 0.5))))
    assert {(r["check"], r["period"]) for r in tampered if not r["ok"]} == {
        ("whole systems", "2028 H2"), ("inventory balance", "2028 H2"),
        ("cost line", "2028 H2")}
    assert not any(r["check"] == "whole classes" for r in check_rows(plan_book(
        fake_results())))  # LP plans have no such rows


def test_long_sums_are_split_over_part_rows(results):
    data = plan_book(results)["Data"]
    count = None

    def write(path):
        nonlocal count
        book = Book(path)
        ws, target = Sheet(book, "Checks"), Sheet(book, "Data")
        for row in data.iter_rows():
            for c in row:
                put(target, c.row, c.column, c.value)
        count = checks.write_checks(ws, PlanView.of(results), max_formula=40)
        book.close()

    wb = saved(write)
    cached = saved(write, data_only=True)
    ws = wb["Checks"]
    parts = [r for r in range(FIRST_ROW, ws.max_row + 1)
             if "(part " in str(ws.cell(r, 1).value)]
    assert parts
    assert all(len(str(ws.cell(r, 7).value)) <= 60 for r in parts)
    rows = check_rows(wb, cached)
    assert len(rows) == count and all(r["ok"] is True for r in rows)
    assert all(cached["Checks"].cell(r, 7).value is not None for r in parts)


def test_sum_and_num_spelling(results):
    assert num(800.0) == "800" and num(0.1) == "0.1" and num(1e-05) == "1E-05"
    view = PlanView.of(results)
    s = Sum(view).add(("strength", "Rifle", "", 0), 0.5).add(("nothing", "x", "", 0))
    s.add(("separations", "Rifle", "", 0), -1.0).const(-3.0)
    seps = data_row(results, "separations", "Rifle", "", "2027 H1")
    assert s.formula() == f"=0.5*Data!E2-Data!E{seps}-3"
    assert s.number is None and Sum(view).const(2.0).const(-0.5).number == 1.5


def test_formulas_never_hold_input_text(tmp_path):
    from fake_results import fake_plan
    name = '=HYPERLINK("http://x","y")'
    wb = openpyxl.load_workbook(write_plan(fake_results(fake_plan(rifle=name)),
                                           tmp_path / "p.xlsx"))
    ws = wb["Checks"]
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and not any("HYPERLINK" in f for f in formulas)
    assert all(r["ok"] for r in check_rows(wb))
