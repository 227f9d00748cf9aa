"""HiGHS and CBC reach the same objective values on the bundled examples."""
from pathlib import Path

import pytest

from force_plan.pipeline import RunOptions, solve_plan
from force_plan.inputs.load import load_inputs

INPUTS = Path(__file__).resolve().parent.parent / "inputs"


@pytest.mark.parametrize("name", ["small", "baseline"])
def test_highs_and_cbc_agree(name):
    inputs = load_inputs(INPUTS / f"{name}.xlsx")
    highs = solve_plan(inputs, RunOptions(solver="highs"))
    cbc = solve_plan(inputs, RunOptions(solver="cbc"))
    assert highs.status == cbc.status == "optimal"
    assert set(highs.objectives) == set(cbc.objectives) == set(inputs.levels)
    for level, value in highs.objectives.items():
        # equal up to the lexicographic tolerance each solver may use differently
        assert cbc.objectives[level] == pytest.approx(value, rel=1e-5, abs=1e-5), level
