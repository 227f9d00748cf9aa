"""How to solve the later objective levels: warm from the previous basis, or afresh?

    python benchmarks/levels.py inputs/baseline.xlsx
    python benchmarks/levels.py --scale 40 --cap 300

Builds the model of a workbook (or a generated scale) once, passes it to HiGHS and solves
its objective levels in order, as force_plan does (costs changed and the level row added
on the live model), in three ways for every level after the first:

- ``warm dual``    keep the previous level's basis, HiGHS's default (dual) simplex;
- ``warm primal``  keep the basis, primal simplex (the basis stays primal feasible);
- ``fresh``        clear the basis (``clearSolver``): presolve, then dual simplex from
                   scratch — what force_plan does (``force_plan.lp.solve.WARM_LEVELS``).

Prints the time and simplex iterations of each level; ``--cap`` stops a level after that
many seconds (marked "stopped").
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

VARIANTS = {"warm dual": {}, "warm primal": {"simplex_strategy": 4}, "fresh": None}


def run_levels(model, lp, variant: str, cap: float | None) -> list[str]:
    from force_plan.lp import solve as S

    h = S._new_highs(False)
    h.passModel(lp)
    n = len(model.columns)
    every = np.arange(n, dtype=np.int32)
    out = []
    for pos, level in enumerate(sorted(model.levels)):
        cols, vals, _scale = S._level_row(model, level)
        cost = np.zeros(n)
        cost[cols] = vals
        h.changeColsCost(n, every, cost)
        if pos > 0:
            if VARIANTS[variant] is None:
                h.clearSolver()
            else:
                for key, value in VARIANTS[variant].items():
                    h.setOptionValue(key, value)
        if cap is not None:
            h.setOptionValue("time_limit", float(cap))
        t0 = time.perf_counter()
        h.run()
        dt = time.perf_counter() - t0
        status = h.modelStatusToString(h.getModelStatus())
        its = h.getInfo().simplex_iteration_count
        out.append(f"level {level}: {dt:8.2f} s {its:>8,} it. {status}")
        if status != "Optimal":
            break
        z = h.getInfo().objective_function_value
        h.addRow(-S.INF, S._level_bound(z, 1e-6), len(cols), cols, vals)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("workbook", nargs="?", type=Path)
    p.add_argument("--scale", help="a generated scale instead of a workbook")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cap", type=float, help="seconds per level before it is stopped")
    p.add_argument("--variants", default=",".join(VARIANTS))
    a = p.parse_args(argv)
    from force_plan.lp import solve as S
    from force_plan.lp.build import build
    from force_plan.workbook.load import load_plan

    with tempfile.TemporaryDirectory() as tmp:
        path = a.workbook
        if path is None:
            from force_plan.generate import generate

            path = generate(Path(tmp) / "instance.xlsx", a.scale or "small", a.seed)
        model = build(load_plan(path))
    model.col_index = {v: i for i, v in enumerate(model.columns)}
    lp = S._highs_lp(model)
    print(f"{path}: {len(model.columns):,} variables, {len(model.rows):,} constraints, "
          f"levels {sorted(model.levels)}")
    for variant in a.variants.split(","):
        print(f"{variant:>12}: " + " | ".join(run_levels(model, lp, variant.strip(), a.cap)),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
