"""How to solve the later objective levels: warm from the previous basis, or afresh?

    python benchmarks/levels.py inputs/baseline.xlsx
    python benchmarks/levels.py --scale 40 --cap 300
    python benchmarks/levels.py --scale 100 --variants "fresh,fixed" --cap 300

Builds the model of a workbook (or a generated scale) once, passes it to HiGHS and solves
its objective levels in order, as force_plan does (costs changed and the level row added
on the live model), in one of these ways for every level after the first:

- ``warm dual``    keep the previous level's basis, HiGHS's default (dual) simplex;
- ``warm primal``  keep the basis, primal simplex (the basis stays primal feasible);
- ``fresh``        clear the basis (``clearSolver``): presolve, then dual simplex from
                   scratch — what force_plan does (``force_plan.solve.levels.WARM_LEVELS``);
- ``fresh primal`` afresh, primal simplex;
- ``fresh ipm``    afresh, HiGHS's interior point method (IPX) with crossover;
- ``fixed``        afresh, after fixing what the previous level's optimum settles: every
                   nonbasic column whose reduced cost exceeds ``FIX_TOL`` is fixed at its
                   bound and every nonbasic row whose dual exceeds it is made an equality
                   at its active side. Any such point keeps the previous level at its
                   optimum exactly (LP duality), so presolve can drop those columns and
                   rows; the level row is still added. This holds the previous level at
                   z* itself, not at z* + tolerance: the later optimum can be a little
                   higher than with the level row alone (the objective is printed).

Prints the time, iterations and solver objective (scaled) of each level; ``--cap`` stops
a level after that many seconds (marked "stopped").
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

#: HiGHS options per variant for the levels after the first; "_fresh": clear the basis,
#: "_fix": fix by reduced costs first (see the module doc).
VARIANTS = {
    "warm dual": {},
    "warm primal": {"simplex_strategy": 4},
    "fresh": {"_fresh": True},
    "fresh primal": {"_fresh": True, "simplex_strategy": 4},
    "fresh ipm": {"_fresh": True, "solver": "ipm"},
    "fixed": {"_fresh": True, "_fix": True},
}
#: a reduced cost or row dual above this (HiGHS's dual feasibility tolerance) fixes
FIX_TOL = 1e-7


def _pinned(lower, upper, dual, basic, tol: float) -> tuple:
    """New (lower, upper) with every non-basic entry whose dual exceeds ``tol`` held at
    the bound it is on: a positive dual at its lower bound, a negative one at its upper.
    Also returns the mask of the entries held."""
    lower, upper, dual = np.array(lower), np.array(upper), np.array(dual)
    held = ~np.asarray(basic) & (np.abs(dual) > tol)
    on_lower, on_upper = held & (dual > 0), held & (dual < 0)
    upper[on_lower] = lower[on_lower]
    lower[on_upper] = upper[on_upper]
    return lower, upper, held


def fix_by_reduced_costs(h, tol: float = FIX_TOL) -> tuple[int, int]:
    """Fix the columns and rows that the current optimum's duals settle (see the module
    doc). Returns (columns fixed, rows made equalities)."""
    import highspy

    sol, basis, lp = h.getSolution(), h.getBasis(), h.getLp()
    basic = lambda status: [s_ == highspy.HighsBasisStatus.kBasic for s_ in status]  # noqa: E731
    lower, upper, fixed = _pinned(lp.col_lower_, lp.col_upper_, sol.col_dual,
                                  basic(basis.col_status), tol)
    cols = np.arange(len(lower), dtype=np.int32)
    h.changeColsBounds(len(cols), cols, lower, upper)
    lower, upper, tight = _pinned(lp.row_lower_, lp.row_upper_, sol.row_dual,
                                  basic(basis.row_status), tol)
    rows = np.arange(len(lower), dtype=np.int32)
    h.changeRowsBounds(len(rows), rows, lower, upper)
    return int(fixed.sum()), int(tight.sum())


def run_levels(model, lp, variant: str, cap: float | None) -> list[str]:
    from force_plan.solve import highs as H
    from force_plan.solve import levels as S

    h = H._new_highs(False)
    h.passModel(lp)
    n = len(model.columns)
    every = np.arange(n, dtype=np.int32)
    out = []
    levels = sorted(model.levels)
    for pos, level in enumerate(levels):
        cols, vals, _scale = S._level_row(model, level)
        cost = np.zeros(n)
        cost[cols] = vals
        h.changeColsCost(n, every, cost)
        if pos > 0:
            options = VARIANTS[variant]
            if options.get("_fresh"):
                h.clearSolver()
            for key, value in options.items():
                if not key.startswith("_"):
                    h.setOptionValue(key, value)
        if cap is not None:
            h.setOptionValue("time_limit", float(cap))
        t0 = time.perf_counter()
        h.run()
        dt = time.perf_counter() - t0
        status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        its = f"{info.simplex_iteration_count:>8,} it."
        if info.ipm_iteration_count > 0:
            its += f" ({info.ipm_iteration_count} IPM, {info.crossover_iteration_count:,} " \
                   "crossover)"
        z = info.objective_function_value
        out.append(f"level {level}: {dt:8.2f} s {its} {status} {z:.10g}")
        if status != "Optimal":
            break
        if pos + 1 < len(levels) and VARIANTS[variant].get("_fix"):
            fixed, tight = fix_by_reduced_costs(h)
            out[-1] += f" (then {fixed:,} columns fixed, {tight:,} rows tight)"
        # version 1's level row (a relative slack of 1e-6), the yardstick these variants
        # were measured against; force-plan solve now pins levels exactly (solve/levels.py)
        h.addRow(-S.INF, z + 1e-6 * max(1.0, abs(z)), len(cols), cols, vals)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("workbook", nargs="?", type=Path)
    p.add_argument("--scale", help="a generated scale instead of a workbook")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cap", type=float, help="seconds per level before it is stopped")
    p.add_argument("--variants", default="warm dual,warm primal,fresh,fixed",
                   help=f"comma-separated, of: {', '.join(VARIANTS)}")
    a = p.parse_args(argv)
    from force_plan.solve import highs as H
    from force_plan.model.build import build
    from force_plan.inputs.load import load_inputs

    with tempfile.TemporaryDirectory() as tmp:
        path = a.workbook
        if path is None:
            from force_plan.authoring.generate import generate

            path = generate(Path(tmp) / "instance.xlsx", a.scale or "small", a.seed)
        model = build(load_inputs(path))
    model.materialize_changes()  # one LP with every row (the `changes` rows included)
    model.col_index = {v: i for i, v in enumerate(model.columns)}
    lp = H._highs_lp(model)
    print(f"{path}: {len(model.columns):,} variables, {model.row_count:,} constraints, "
          f"levels {sorted(model.levels)}")
    for variant in a.variants.split(","):
        print(f"{variant:>12}: " + " | ".join(run_levels(model, lp, variant.strip(), a.cap)),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
