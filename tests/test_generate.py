"""The instance generator: deterministic, valid, feasible workbooks of the contract."""
import openpyxl
import pytest
from click.testing import CliRunner

from force_plan.cli import main
from force_plan.authoring.generate import SCALES, content, generate, scale_of
from force_plan.pipeline import RunOptions, solve_plan
from force_plan.contract.schema import RECRUIT
from force_plan.inputs.load import load_inputs
from model_check import assert_plan_holds


def cells(path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()]
            for ws in wb.worksheets}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("gen") / "small.xlsx", "small", seed=1)


def test_same_scale_and_seed_give_the_same_cells(small, tmp_path):
    again = generate(tmp_path / "again.xlsx", "small", seed=1)
    assert cells(again) == cells(small)
    other = cells(generate(tmp_path / "other.xlsx", "small", seed=2))
    assert other["Categories"] != cells(small)["Categories"]
    assert other["Categories"][0] == cells(small)["Categories"][0]  # same header


def test_content_is_deterministic_and_sized_by_the_scale():
    a, title, notes = content("small", 3)
    assert content("small", 3)[0] == a
    assert title == "generated small instance (seed 3)"
    assert "ALL FIGURES ARE INVENTED" in notes[0]
    assert [len(a[s]) for s in ("Periods", "Categories", "Courses", "Sites", "Equipment",
                                "EquipmentSources")] == [12, 8, 16, 3, 4, 5]
    assert [p["period"] for p in a["Periods"][:5]] == ["2027-Q1", "2027-Q2", "2027-Q3",
                                                      "2027-Q4", "2028-Q1"]
    assert a["Settings"]["period_months"] == 3
    # one entry course from RECRUIT and one conversion into every category
    for cat in a["Categories"]:
        into = [k for k in a["Courses"] if k["to"] == cat["category"]]
        assert sorted(k["from"] == RECRUIT for k in into) == [False, True]
    # every course is taught at a domestic site open for the whole plan
    domestic = {s["site"] for s in a["Sites"] if s["provider"] == "Domestic"
                and "available_from" not in s and "available_until" not in s}
    for k in a["Courses"]:
        assert any(cs["site"] in domestic for cs in a["CourseSites"]
                   if cs["course"] == k["course"])
    monthly = content("5", 1)[0]
    assert len(monthly["Periods"]) == 120 and monthly["Periods"][13]["period"] == "2028-02"
    assert len(monthly["Categories"]) == 5


def test_scales():
    assert scale_of("LARGE") is SCALES["large"]
    assert (SCALES["xlarge"].categories, SCALES["xlarge"].periods) == (400, 120)
    assert SCALES["xlarge"].categories == 2 * SCALES["large"].categories
    s = scale_of(" 60 ")
    assert (s.categories, s.courses, s.sites, s.equipment, s.sources, s.periods,
            s.period_months) == (60, 120, 8, 30, 40, 120, 1)
    for bad in ("huge", "0", "-3", "2.5"):
        with pytest.raises(ValueError, match="unknown scale"):
            scale_of(bad)


def test_the_small_workbook_validates_and_solves_optimal(small):
    inputs = load_inputs(small)
    assert inputs.warnings == ()
    assert (len(inputs.categories), len(inputs.courses), inputs.T, inputs.period_months) == (8, 16,
                                                                                             12, 3)
    assert len(inputs.targets) == 8 * 12
    assert inputs.levels == (1, 2, 3)
    results = solve_plan(inputs, RunOptions(solver="highs"))
    assert results.status == "optimal"
    assert set(results.objectives) == {1, 2, 3}
    assert_plan_holds(results)
    # the hard parts of the targets hold: min_fill categories are never short beyond it
    df = results.data
    for cat in inputs.categories:
        if cat.min_fill > 0:
            for t in inputs.targets:
                if t.item == cat.name:
                    short = df[(df.quantity == "shortfall") & (df["item"] == cat.name)
                               & (df.period == inputs.period_labels[t.period])]["value"]
                    assert float(short.iloc[0]) <= (1 - cat.min_fill) * t.value + 1e-6


def test_generated_baseline_scale_solves_with_cbc_too(tmp_path):
    inputs = load_inputs(generate(tmp_path / "b.xlsx", "baseline", seed=4))
    highs = solve_plan(inputs, RunOptions(solver="highs"))
    cbc = solve_plan(inputs, RunOptions(solver="cbc"))
    assert highs.status == cbc.status == "optimal"
    for level in (1, 2, 3):
        assert cbc.objectives[level] == pytest.approx(highs.objectives[level], rel=1e-5)


def test_cli_generate(tmp_path):
    runner = CliRunner()
    out = tmp_path / "g.xlsx"
    r = runner.invoke(main, ["generate", str(out), "--scale", "small", "--seed", "5"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == (f"Wrote {out} (generated small instance, seed 5). "
                                f"Solve it: force-plan solve {out}")
    assert cells(out) == cells(generate(tmp_path / "same.xlsx", "small", seed=5))
    again = runner.invoke(main, ["generate", str(out)])
    assert again.exit_code == 2
    assert "already exists" in again.output
    bad = runner.invoke(main, ["generate", str(tmp_path / "x.xlsx"), "--scale", "huge"])
    assert bad.exit_code == 2
    assert "unknown scale 'huge'" in bad.output
    assert not (tmp_path / "x.xlsx").exists()
