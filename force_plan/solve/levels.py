"""Solver choice, honest status, the lexicographic loop and shadow prices.

Holding a level (MODEL.md, Objective). An LP level without an allowance is held exactly
by complementary slackness: every column whose reduced cost is not zero is fixed at the
bound it sits on, and every row whose dual is not zero is made an equality at its active
side. Given one optimal dual solution, the plans that remain are exactly the optimal
plans of the level (no slack row, no tolerance of our own). A level with an allowance a
gets the row level ≤ z* + a·|z*|; an integer level (no duals) the row level ≤ z*, with a
margin of HOLD_MARGIN·max(1, |z*|) in the solver's scale: the MIP solvers' own integer and
feasibility tolerances (CBC declared the next level infeasible with a margin of 1e-9).
After the last level every level is checked on the final plan: within 1e-7·max(1, |z*|)
of its bound (an integer level: plus its row's margin), or the plan is not called
optimal.

HiGHS: the model is passed to highspy once (rows in bulk); each later objective level
changes the costs and pins (or adds the level row) on the live model (a MIP is given the
previous solution as a start). An LP level is then solved afresh, not from the previous
basis, which measured slower (see WARM_LEVELS).
CBC: through PuLP, one solve per level, pinning the PuLP variables and rows.

Status is never taken from PuLP alone: a solution that is not proven optimal is accepted
as "feasible" only if it satisfies every row and bound (within FEAS_TOL, scaled).

Shadow prices (LP only) are stored as ∂level/∂limit in workbook units, the same sign
convention for both solvers (≤ limits: ≤ 0 when binding; ≥ limits: ≥ 0).
"""
from __future__ import annotations

import math
from itertools import chain
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pulp

from ..model.model import Model

FEAS_TOL = 1e-6
INF = math.inf
#: a reduced cost or dual (in the solver's scale) beyond this pins its column or row: a
#: tenth of HiGHS's dual feasibility tolerance (1e-7). Smaller pins columns whose reduced
#: cost is rounding noise, which over-restricts later levels (at 1e-9 HiGHS and CBC ended
#: the bundled baseline's third level 0.06 % apart, on different faces); larger lets a
#: later level drift on this one (at 1e-7 level 1 moved by 1e-7 of itself, the check's
#: limit). At 1e-8 both solvers agree on every level of the examples to 1e-9.
PIN_TOL = 1e-8
#: relative margin of an integer level's row (solver scale): the MIP solvers' tolerances
HOLD_MARGIN = 1e-7
#: the final plan's level ℓ may exceed its bound by at most this × max(1, |z*|)
HOLD_CHECK = 1e-7
#: HiGHS, LP: re-solve a later objective level from the previous level's basis (True), or
#: afresh on the same live model — costs changed, level row added, basis cleared — so that
#: HiGHS presolves and runs its dual simplex from scratch (False). Measured on the generated
#: benchmark instances (benchmarks/RESULTS.md, benchmarks/levels.py): the previous level's
#: optimal basis is a poor start for the next objective, and without presolve each
#: iteration costs more; a warm second level took 20× (dual simplex) or 5× (primal) the
#: time of a fresh one at 53,000 variables, and over ten minutes against 39 s at 130,000.
WARM_LEVELS = False


@dataclass
class SolveOptions:
    solver: str = "highs"
    time_limit: Optional[float] = None
    mip_gap: float = 1e-4
    threads: Optional[int] = None
    verbose: bool = False


@dataclass
class Solution:
    status: str  # optimal | feasible | infeasible | unbounded | no_solution
    values: Optional[np.ndarray] = None  # aligned with model.columns
    gap: Optional[float] = None
    solver: str = ""
    levels_solved: list = field(default_factory=list)
    level_optimum: dict = field(default_factory=dict)  # level -> z* (unscaled)
    #: level -> row indices pinned (made equalities) when the level was held
    pinned_rows: dict = field(default_factory=dict)
    #: level -> column indices fixed when the level was held
    pinned_cols: dict = field(default_factory=dict)
    #: what the solver path did beyond the ordinary (a level recovered by another method)
    notes: list = field(default_factory=list)
    row_duals: dict = field(default_factory=dict)  # level -> ndarray ∂level/∂rhs per row
    bound_duals: dict = field(default_factory=dict)  # level -> ndarray ∂level/∂limit
    timings: dict = field(default_factory=dict)
    message: str = ""

    def value(self, model: Model, var) -> float:
        return float(self.values[model.col_index[var]])


# ---------------------------------------------------------------------- public
def solve(model: Model, options: SolveOptions) -> Solution:
    model.col_index = {v: i for i, v in enumerate(model.columns)}
    levels = sorted(model.levels)
    if options.solver == "cbc":
        from .cbc import solve_cbc

        return solve_cbc(model, options, levels)
    from .highs import solve_highs

    return solve_highs(model, options, levels)


def level_value(model: Model, level: int, values: np.ndarray) -> float:
    idx = model.col_index
    terms = model.levels[level]
    cols = np.fromiter(map(idx.__getitem__, terms), dtype=np.int64, count=len(terms))
    coefs = np.fromiter(terms.values(), dtype=np.float64, count=len(terms))
    return float(coefs @ np.asarray(values, dtype=np.float64)[cols])


def max_violation(model: Model, values: np.ndarray, relative: float = 0.0) -> float:
    """Largest violation of any row (in solver scale) or variable bound. ``relative``:
    each row's violation is first reduced by that fraction of the row's size Σ|a·x| (a
    figure read back with 8 significant digits is off by up to 5e-9 of itself)."""
    starts, index, value, lower, upper = _csr(model)
    x = np.asarray(values, dtype=np.float64)
    rows = np.repeat(np.arange(len(model.rows)), np.diff(starts))
    lhs = np.bincount(rows, weights=value * x[index], minlength=len(model.rows))
    size = relative * np.bincount(rows, weights=np.abs(value * x[index]),
                                  minlength=len(model.rows)) if relative else 0.0
    ub = _col_upper(model)
    worst = 0.0
    excesses = [lhs - upper - size, lower - lhs - size, -x, x - ub]
    pairs = pair_arrays(model)
    if pairs is not None:  # |q1·after − q0·before| ≤ change, in each pair's row scale
        before, after, change, q0, q1, scale = pairs
        a, b, d = q1 * x[after], q0 * x[before], x[change]
        excesses.append((np.abs(a - b) - d
                         - relative * (np.abs(a) + np.abs(b) + np.abs(d))) / scale)
    for excess in excesses:
        if len(excess):
            worst = max(worst, float(np.max(excess)))
    return worst


def _feasible(model: Model, values) -> bool:
    """Every row and bound holds and, in integer mode, every integer column is whole (a
    solver stopped early may hand back its fractional relaxation): verify.plan_problem's
    test."""
    if values is None:
        return False
    if model.integer:
        from .verify import plan_problem

        return plan_problem(model, values) is None
    return max_violation(model, values) <= FEAS_TOL * 10


def _level_bound(model: Model, level: int, z: float) -> float:
    """What later levels may let level ℓ reach: z* + allowance·|z*| (MODEL.md, Objective)."""
    return z + model.inputs.allowance(level) * abs(z)


def _held_by_pins(model: Model, level: int) -> bool:
    """An LP level without an allowance is held by pinning (else by a level row)."""
    return not model.integer and model.inputs.allowance(level) == 0


def _row_bound(model: Model, level: int, z: float, scale: float) -> float:
    """The level row's right-hand side in the solver's scale."""
    bound = _level_bound(model, level, z) / scale
    if model.integer and model.inputs.allowance(level) == 0:
        bound += HOLD_MARGIN * max(1.0, abs(z / scale))
    return bound


def pins(col_dual, row_dual, values, col_upper, rows_fixed) -> tuple:
    """(columns to fix, their values, rows to pin) by complementary slackness.

    A column with |reduced cost| > PIN_TOL sits on a bound in every optimal plan of the
    level: it is fixed at the bound nearest its value. A row with |dual| > PIN_TOL is
    active in every optimal plan: it becomes an equality at its active side (returned as
    indices; the caller knows the sides). Equality rows need no pin."""
    col_dual = np.asarray(col_dual, dtype=np.float64)
    x = np.asarray(values, dtype=np.float64)
    cols = np.flatnonzero(np.abs(col_dual) > PIN_TOL)
    up = col_upper[cols]
    at_upper = np.isfinite(up) & (np.abs(x[cols] - up) < np.abs(x[cols]))
    fixed = np.where(at_upper, up, 0.0)
    rows = np.flatnonzero((np.abs(np.asarray(row_dual, dtype=np.float64)) > PIN_TOL)
                          & ~rows_fixed)
    return cols, fixed, rows


def check_levels(model: Model, sol: "Solution", values) -> str:
    """"" when every solved level is within HOLD_CHECK·max(1, |z*|) of its bound on the
    final plan (an integer level: plus the margin its row was given, _row_bound); else a
    sentence saying which is not."""
    for level, z in sol.level_optimum.items():
        got = level_value(model, level, values)
        excess = got - _level_bound(model, level, z)
        allowed = HOLD_CHECK * max(1.0, abs(z))
        if model.integer:
            scale = model.level_scale[level]
            allowed += HOLD_MARGIN * max(1.0, abs(z / scale)) * scale
        if excess > allowed * (1 + 1e-9):
            return (f"objective level {level} is {got:.9g} on the final plan, above its "
                    f"optimum {z:.9g} plus its allowance")
    return ""


def _level_row(model: Model, level: int) -> tuple:
    scale = model.level_scale[level]
    idx = model.col_index
    cols = np.fromiter((idx[v] for v in model.levels[level]), dtype=np.int32)
    vals = np.fromiter((c / scale for c in model.levels[level].values()), dtype=np.float64)
    return cols, vals, scale


def level_expression(model: Model, level: int) -> pulp.LpAffineExpression:
    """Objective level ℓ as the solver sees it (divided by its scale), as a PuLP
    expression. An empty level (e.g. shortfall with no targets) gets one zero term: PuLP
    would otherwise add a dummy column that a later level's MPS file lacks, and CBC fails."""
    scale = model.level_scale[level]
    terms = [(v, c / scale) for v, c in model.levels[level].items()]
    if not terms:  # the zero term goes on a column some row holds (PuLP's MPS lists those)
        held = next((v for con, _ in model.rows for v in con.keys()), model.columns[0])
        terms = [(held, 0.0)]
    return pulp.LpAffineExpression(terms)


# ---------------------------------------------------------------------- arrays
def _col_upper(model: Model) -> np.ndarray:
    return np.fromiter((INF if v.upBound is None else v.upBound for v in model.columns),
                       dtype=np.float64, count=len(model.columns))


def pair_arrays(model: Model, *, always: bool = False):
    """The compact `changes` rows (model.ChangePairs) as arrays: (before, after, change)
    column positions, (q0, q1) multipliers and each pair's row scale; None when the model
    has none, or when they are PuLP rows already (unless ``always``)."""
    pairs = model.change_pairs
    if not pairs or (pairs.materialized and not always):
        return None
    idx = model.col_index
    n = len(pairs)
    cols = [np.fromiter(map(idx.__getitem__, vs), dtype=np.int32, count=n)
            for vs in (pairs.before, pairs.after, pairs.change)]
    return (*cols, *(np.asarray(values, dtype=np.float64)
                     for values in (pairs.q0, pairs.q1, pairs.scale)))


def _csr(model: Model, upto: int | None = None) -> tuple:
    """The rows (the first ``upto`` when given) in solver scale as CSR arrays: (starts,
    index, value, lower, upper)."""
    idx = model.col_index
    rows = model.rows if upto is None else model.rows[:upto]
    nrows = len(rows)
    starts = np.zeros(nrows + 1, dtype=np.int32)
    np.cumsum(np.fromiter((len(con) for con, _ in rows), dtype=np.int64, count=nrows),
              out=starts[1:])
    nnz = int(starts[-1])
    # straight into arrays: no list of millions of references on the way (memory)
    index = np.fromiter(map(idx.__getitem__, chain.from_iterable(
        con.keys() for con, _ in rows)), dtype=np.int32, count=nnz)
    value = np.fromiter(chain.from_iterable(con.values() for con, _ in rows),
                        dtype=np.float64, count=nnz)
    rhs = np.fromiter((info.rhs / info.scale for _, info in rows), dtype=np.float64,
                      count=nrows)
    sense = [info.sense for _, info in rows]
    upper = np.where([s_ in ("<=", "==") for s_ in sense], rhs, INF) if nrows else rhs
    lower = np.where([s_ in (">=", "==") for s_ in sense], rhs, -INF) if nrows else rhs
    return (starts, index, value, np.asarray(lower, dtype=np.float64),
            np.asarray(upper, dtype=np.float64))


# ---------------------------------------------------------------------- HiGHS
def _finish(model: Model, sol: Solution, values) -> Solution:
    sol.values = values
    if values is None:
        if sol.status == "optimal" or sol.status == "feasible":
            sol.status = "no_solution"
        return sol
    if sol.status == "optimal":
        why = check_levels(model, sol, values)
        if why:
            sol.status, sol.message = "feasible", why
    return sol


def _stopped(values, level, why: str = "time limit reached") -> tuple:
    why = why[:1].lower() + why[1:]
    if values is None:
        return "no_solution", f"no feasible plan found before the solver stopped ({why})"
    return "feasible", f"solver stopped at objective level {level}: {why}"


def _store_duals(model: Model, sol: Solution, level: int, row_dual, col_dual, scale) -> None:
    """∂level/∂limit in workbook units: solver dual × level scale / row (bound) scale."""
    row_scale = np.fromiter((info.scale for _, info in model.rows), dtype=np.float64,
                            count=len(model.rows))
    sol.row_duals[level] = np.asarray(row_dual, dtype=np.float64)[:len(model.rows)] \
        * scale / row_scale
    idx = model.col_index
    cols = np.fromiter((idx[b.var] for b in model.bounds), dtype=np.int64,
                       count=len(model.bounds))
    bound_scale = np.fromiter((b.scale for b in model.bounds), dtype=np.float64,
                              count=len(model.bounds))
    sol.bound_duals[level] = np.asarray(col_dual, dtype=np.float64)[cols] * scale / bound_scale


# ---------------------------------------------------------------------- CBC
