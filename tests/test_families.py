"""One registry of equation families (force_plan/model/families.py), and four places that
must cover exactly its families: models/FORMULATION.md's constraint table, the LP that
``build`` makes, the Checks sheet of a plan, and the independent checker
(tests/model_check.py). A family missing from any of them fails here."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from test_write_checks import plan_book

from force_plan.inputs.load import load_inputs
from force_plan.model import build as build_module
from force_plan.model.build import build
from force_plan.model.families import BUILDERS, DEFINITIONS, FAMILIES
from force_plan.pipeline import solve_plan
from force_plan.xlsx.checks_terms import FIRST_ROW

ROOT = Path(__file__).resolve().parents[1]
INDEX = re.compile(r"(_[a-z])+$")  # the index letters of an LP name as written: _c_t


def formulation_rows() -> dict[str, tuple[tuple[str, ...], str]]:
    """'#' -> (LP names, function) of FORMULATION.md's constraint table."""
    text = (ROOT / "models" / "FORMULATION.md").read_text()
    start = text.index("| # | equation | LP name | function | dual means |")
    rows = {}
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        number, lp, function = cells[0], cells[2], cells[3]
        if lp == "variable bound":  # `define_variables` (`min_fill`)
            names = tuple(re.findall(r"\(`(\w+)`\)", function))
        else:
            names = tuple(re.findall(r"`(\w+)`", lp))
        rows[number] = (names, re.match(r"`(\w+)`", function).group(1))
    return rows


@pytest.fixture(scope="module")
def results():
    """The plan of inputs/small.xlsx with an over-strength cap and a course minimum added:
    a plan in which every family has rows."""
    inputs = load_inputs(ROOT / "inputs" / "small.xlsx")
    first = replace(inputs.courses[0], min_starts_per_period=1.0)
    inputs = replace(inputs, settings=replace(inputs.settings, overstrength_cap=1e6),
                     courses=(first, *inputs.courses[1:]))
    return solve_plan(inputs)


def test_registry_matches_formulation_table():
    rows = formulation_rows()
    assert sorted(rows) == sorted(f.row for f in FAMILIES)
    for f in FAMILIES:
        names, function = rows[f.row]
        assert names == f.lp_names, f.row
        assert function == ("define_variables" if f.bound else f.define.__name__), f.row


def test_build_uses_the_registry_and_makes_its_rows(results):
    assert build_module.FAMILIES == BUILDERS
    model = build(results.inputs)
    compact = len(model.rows)
    assert model.row_count == compact + 2 * len(model.change_pairs)  # `changes` rows compact
    model.materialize_changes()  # their PuLP rows, as CBC and model exports get them
    assert len(model.rows) == model.row_count > compact
    made = {info.family for _, info in model.rows}
    bounds = {b.family for b in model.bounds}
    stems = {INDEX.sub("", n) for f in FAMILIES if not f.bound for n in f.lp_names}
    assert stems == made - {b + "_limit" for b in bounds}
    assert bounds == {n for f in FAMILIES if f.bound for n in f.lp_names}


def test_checks_sheet_writes_a_row_for_every_family(results):
    ws = plan_book(results)["Checks"]
    written = {ws.cell(r, 1).value for r in range(FIRST_ROW, ws.max_row + 1)} - {None}
    claimed = {label for f in FAMILIES for label in f.checks}
    assert claimed <= written, f"no Checks row for {sorted(claimed - written)}"
    assert written <= claimed | set(DEFINITIONS), \
        f"Checks rows of no family: {sorted(written - claimed - set(DEFINITIONS))}"
    for f in FAMILIES:
        assert f.checks or f.no_checks, f"family {f.row} has neither Checks rows nor a reason"


def test_independent_checker_checks_every_family():
    source = (ROOT / "tests" / "model_check.py").read_text()
    said = set(re.findall(r'self\.(?:eq|le)\(f?"([^"{]+)', source))
    for f in FAMILIES:
        for prefix in f.checker:
            assert any(s.startswith(prefix) for s in said), \
                f"model_check.py never says {prefix!r} (family {f.row})"
    claimed = [p for f in FAMILIES for p in f.checker]
    definitions = ("graduates of", "in_training of", "cost in", "total cost in", "Summary")
    for s in said:
        assert any(s.startswith(p) for p in claimed + list(definitions)), \
            f"model_check.py checks {s!r}, a family the registry does not name"


def steady_rows() -> dict[str, tuple[tuple[str, ...], str]]:
    """'#' -> (LP names, function) of FORMULATION.md's steady-state table."""
    text = (ROOT / "models" / "FORMULATION.md").read_text()
    start = text.index("| # | equation | LP name | function |", text.index("## Steady state"))
    rows = {}
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        names = () if cells[2].startswith("variable bound") else \
            tuple(re.findall(r"`(\w+)`", cells[2]))
        rows[cells[0]] = (names, re.match(r"`(\w+)`", cells[3]).group(1))
    return rows


def test_steady_registry_matches_its_table_and_its_lp(results):
    """The steady state's families: FORMULATION.md's table, the registry in
    model/steady.py and the stationary LP name the same ones."""
    from force_plan.model.steady import STEADY_FAMILIES, STEADY_REGISTRY, build_steady

    rows = steady_rows()
    assert sorted(rows) == sorted(f.row for f in STEADY_REGISTRY)
    for f in STEADY_REGISTRY:
        names, function = rows[f.row]
        assert function == f.define.__name__, f.row
        assert names == (() if f.bound else f.lp_names), f.row
    model = build_steady(results.inputs)
    stem = re.compile(r"(_[a-z]\d*)+$")
    made = {info.family for _, info in model.rows}
    bounds = {b.family for b in model.bounds}
    assert made - {b + "_limit" for b in bounds} == \
        {stem.sub("", n) for f in STEADY_REGISTRY if not f.bound for n in f.lp_names}
    assert bounds <= {n for f in STEADY_REGISTRY if f.bound for n in f.lp_names}
    assert STEADY_FAMILIES == tuple(dict.fromkeys(
        f.define for f in STEADY_REGISTRY if not f.bound))
