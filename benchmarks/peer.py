"""HiGHS's own lexicographic multi-objective solve of force_plan's model: the peer that
benchmarks/run.py compares force_plan's level loop with.

    python benchmarks/peer.py INPUT.xlsx        # prints one JSON line

The same LP as ``force-plan solve`` (force_plan.model.build, rows and scaling as passed to
HiGHS), every objective level given to highspy with ``addLinearObjective`` (scaled as
force_plan scales it; priority: level 1 highest), ``blend_multi_objectives`` off, so
HiGHS solves the levels in turn and holds each with an objective row (tolerances 0:
exactly, as MODEL.md version 2 holds them). Prints the solver time, HiGHS's status and
each level's value on the final plan, in workbook units.
"""
from __future__ import annotations

import json
import sys
import time


def peer(inp: str) -> dict:
    import highspy
    import numpy as np

    from force_plan.model.build import build
    from force_plan.solve.highs import _highs_lp, _new_highs
    from force_plan.solve.levels import _level_row, level_value
    from force_plan.inputs.load import load_inputs

    model = build(load_inputs(inp))
    model.materialize_changes()  # the `changes` rows as rows of the one LP HiGHS gets
    model.col_index = {v: i for i, v in enumerate(model.columns)}
    h = _new_highs(False)
    h.passModel(_highs_lp(model))
    levels = sorted(model.levels)
    n = len(model.columns)
    for level in levels:
        cols, vals, _scale = _level_row(model, level)
        obj = highspy.HighsLinearObjective()
        coef = np.zeros(n)
        coef[cols] = vals
        obj.weight, obj.offset, obj.coefficients = 1.0, 0.0, coef.tolist()
        obj.abs_tolerance, obj.rel_tolerance = 0.0, 0.0
        obj.priority = len(levels) - level  # a higher priority is solved first
        h.addLinearObjective(obj)
    h.setOptionValue("blend_multi_objectives", False)
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    status = h.modelStatusToString(h.getModelStatus())
    x = np.array(h.getSolution().col_value)
    objectives = {str(lvl): level_value(model, lvl, x) for lvl in levels} if len(x) else {}
    return {"solve": seconds, "status": status, "objectives": objectives}


if __name__ == "__main__":
    print(json.dumps(peer(sys.argv[1])))
