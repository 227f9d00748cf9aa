"""Solver choice, honest status, the lexicographic loop and shadow prices.

HiGHS: the model is passed to highspy once (rows in bulk); each later objective level
changes the costs and adds the previous level's row on the live model (a MIP is given the
previous solution as a start). An LP level is then solved afresh, not from the previous
basis, which measured slower (see WARM_LEVELS).
CBC: through PuLP, one solve per level with the level rows added to the PuLP problem.

Status is never taken from PuLP alone: a solution that is not proven optimal is accepted
as "feasible" only if it satisfies every row and bound (within FEAS_TOL, scaled).

Shadow prices (LP only) are stored as ∂level/∂limit in workbook units, the same sign
convention for both solvers (≤ limits: ≤ 0 when binding; ≥ limits: ≥ 0).
"""
from __future__ import annotations

import math
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pulp

from .model import Model

FEAS_TOL = 1e-6
INF = math.inf
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
    tolerance: float = 1e-6  # lexicographic_tolerance


@dataclass
class Solution:
    status: str  # optimal | feasible | infeasible | unbounded | no_solution
    values: Optional[np.ndarray] = None  # aligned with model.columns
    gap: Optional[float] = None
    solver: str = ""
    levels_solved: list = field(default_factory=list)
    level_optimum: dict = field(default_factory=dict)  # level -> z* (unscaled)
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
        return _solve_cbc(model, options, levels)
    return _solve_highs(model, options, levels)


def level_value(model: Model, level: int, values: np.ndarray) -> float:
    idx = model.col_index
    terms = model.levels[level]
    cols = np.fromiter(map(idx.__getitem__, terms), dtype=np.int64, count=len(terms))
    coefs = np.fromiter(terms.values(), dtype=np.float64, count=len(terms))
    return float(coefs @ np.asarray(values, dtype=np.float64)[cols])


def max_violation(model: Model, values: np.ndarray) -> float:
    """Largest violation of any row (in solver scale) or variable bound."""
    starts, index, value, lower, upper = _csr(model)
    x = np.asarray(values, dtype=np.float64)
    rows = np.repeat(np.arange(len(model.rows)), np.diff(starts))
    lhs = np.bincount(rows, weights=value * x[index], minlength=len(model.rows))
    ub = _col_upper(model)
    worst = 0.0
    for excess in (lhs - upper, lower - lhs, -x, x - ub):
        if len(excess):
            worst = max(worst, float(np.max(excess)))
    return worst


def _feasible(model: Model, values) -> bool:
    """Every row and bound holds and, in integer mode, every integer column is whole (a
    solver stopped early may hand back its fractional relaxation)."""
    if values is None or max_violation(model, values) > FEAS_TOL * 10:
        return False
    if model.integer:
        ints = [i for i, v in enumerate(model.columns) if v.cat == pulp.LpInteger]
        x = np.asarray(values)[ints]
        if len(x) and np.max(np.abs(x - np.round(x))) > 1e-6:
            return False
    return True


def _level_bound(z: float, tol: float) -> float:
    return z + tol * max(1.0, abs(z))


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
    return pulp.LpAffineExpression(terms or [(model.columns[0], 0.0)])


# ---------------------------------------------------------------------- arrays
def _col_upper(model: Model) -> np.ndarray:
    return np.fromiter((INF if v.upBound is None else v.upBound for v in model.columns),
                       dtype=np.float64, count=len(model.columns))


def _csr(model: Model) -> tuple:
    """The rows in solver scale as CSR arrays: (starts, index, value, lower, upper)."""
    idx = model.col_index
    nrows = len(model.rows)
    starts = np.zeros(nrows + 1, dtype=np.int32)
    index: list = []
    value: list = []
    col_of = idx.__getitem__
    for r, (con, _info) in enumerate(model.rows):
        index.extend(map(col_of, con.keys()))
        value.extend(con.values())
        starts[r + 1] = len(index)
    rhs = np.fromiter((info.rhs / info.scale for _, info in model.rows), dtype=np.float64,
                      count=nrows)
    sense = [info.sense for _, info in model.rows]
    upper = np.where([s_ in ("<=", "==") for s_ in sense], rhs, INF) if nrows else rhs
    lower = np.where([s_ in (">=", "==") for s_ in sense], rhs, -INF) if nrows else rhs
    return (starts, np.array(index, dtype=np.int32), np.array(value, dtype=np.float64),
            np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64))


# ---------------------------------------------------------------------- HiGHS
def _highs_lp(model: Model):
    import highspy

    n, nrows = len(model.columns), len(model.rows)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = nrows
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = _col_upper(model)
    starts, index, value, lower, upper = _csr(model)
    lp.row_lower_ = lower
    lp.row_upper_ = upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    if model.integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger if v.cat == pulp.LpInteger
                           else highspy.HighsVarType.kContinuous for v in model.columns]
    return lp


def _solve_highs(model: Model, options: SolveOptions, levels: list) -> Solution:
    import highspy

    h = _new_highs(options.verbose)
    if options.threads:
        h.setOptionValue("threads", int(options.threads))
    if model.integer:
        h.setOptionValue("mip_rel_gap", float(options.mip_gap))
    h.passModel(_highs_lp(model))
    n = len(model.columns)
    all_cols = np.arange(n, dtype=np.int32)
    version = _highs_version(h)
    sol = Solution(status="optimal", solver=version)
    started = time.perf_counter()
    values = None
    for pos, level in enumerate(levels):
        cols, vals, scale = _level_row(model, level)
        cost = np.zeros(n)
        cost[cols] = vals
        h.changeColsCost(n, all_cols, cost)
        if options.time_limit is not None:
            left = options.time_limit - (time.perf_counter() - started)
            if left <= 0:
                sol.status, sol.message = _stopped(values, level)
                break
            h.setOptionValue("time_limit", float(left))
        if model.integer and values is not None:
            start = highspy.HighsSolution()
            start.col_value = list(values)
            start.value_valid = True
            h.setSolution(start)
        t0 = time.perf_counter()
        h.run()
        sol.timings[f"solve level {level}"] = time.perf_counter() - t0
        status = h.getModelStatus()
        info = h.getInfo()
        S = highspy.HighsModelStatus
        if status == S.kOptimal:
            level_status = "optimal"
        elif status in (S.kInfeasible, S.kUnboundedOrInfeasible):
            if pos == 0:
                return Solution(status="infeasible", solver=version, timings=sol.timings)
            level_status = "feasible"  # numerical trouble on a later level: keep the last plan
        elif status == S.kUnbounded:
            return Solution(status="unbounded", solver=version, timings=sol.timings)
        else:
            level_status = "stopped"
        got = np.array(h.getSolution().col_value) if info.primal_solution_status == 2 else None
        if level_status == "optimal" or (got is not None and _feasible(model, got)):
            values = got  # else: keep the previous level's plan, which is feasible
        if model.integer:
            sol.gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else None
        if level_status != "optimal":
            sol.status, sol.message = _stopped(values, level, h.modelStatusToString(status))
            break
        sol.levels_solved.append(level)
        z = level_value(model, level, values)
        sol.level_optimum[level] = z
        if not model.integer:
            s = h.getSolution()
            _store_duals(model, sol, level, np.array(s.row_dual[:len(model.rows)]),
                         np.array(s.col_dual), scale)
        if pos + 1 < len(levels):
            h.addRow(-INF, _level_bound(z, options.tolerance) / scale, len(cols), cols, vals)
            if not model.integer and not WARM_LEVELS:
                h.clearSolver()  # next level: presolve and dual simplex afresh (see WARM_LEVELS)
    sol.values = values
    if values is None and sol.status != "optimal":
        sol.status = "no_solution"
    return sol


def _new_highs(verbose: bool):
    """A Highs instance; its start-up banner is kept off stdout unless verbose."""
    import highspy

    if verbose:
        return highspy.Highs()
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h


def _highs_version(h) -> str:
    try:
        return f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
    except AttributeError:  # older highspy
        return "HiGHS"


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
def _solve_cbc(model: Model, options: SolveOptions, levels: list) -> Solution:
    prob = model.prob
    sol = Solution(status="optimal", solver="CBC (PuLP bundled)")
    started = time.perf_counter()
    values = None
    for pos, level in enumerate(levels):
        scale = model.level_scale[level]
        expr = level_expression(model, level)
        prob.setObjective(expr.copy())
        left = None
        if options.time_limit is not None:
            left = options.time_limit - (time.perf_counter() - started)
            if left <= 0:
                sol.status, sol.message = _stopped(values, level)
                break
        fd, log = tempfile.mkstemp(suffix=".log", prefix="force_plan_cbc_")
        os.close(fd)
        solver = pulp.PULP_CBC_CMD(msg=bool(options.verbose), timeLimit=left,
                                   gapRel=options.mip_gap if model.integer else None,
                                   threads=options.threads, logPath=log)
        t0 = time.perf_counter()
        try:
            prob.solve(solver)
        except pulp.PulpSolverError as err:
            from ..errors import SolverError

            raise SolverError(f"CBC failed while solving objective level {level} ({err}); "
                              "solve with --solver highs, and please report this with the "
                              "workbook.") from None
        finally:
            sol.timings[f"solve level {level}"] = time.perf_counter() - t0
            log_text = _read_and_remove(log)
        got = np.array([v.varValue if v.varValue is not None else 0.0 for v in model.columns])
        proven = prob.status == pulp.LpStatusOptimal and \
            prob.sol_status == pulp.LpSolutionOptimal
        if prob.status == pulp.LpStatusInfeasible:
            # CBC stopped by a time limit during pre-processing says "infeasible" too; under
            # a limit only the log's own proof counts, else it is a stop without a plan
            if pos == 0 and (left is None or _CBC_PROOF.search(log_text)):
                return Solution(status="infeasible", solver=sol.solver, timings=sol.timings)
            proven = False
        if prob.status == pulp.LpStatusUnbounded:
            return Solution(status="unbounded", solver=sol.solver, timings=sol.timings)
        found = proven or not model.integer or prob.sol_status in (
            pulp.LpSolutionIntegerFeasible, pulp.LpSolutionOptimal)
        if proven or (found and _feasible(model, got)):
            values = got  # else: keep the previous level's plan, which is feasible
        if model.integer:
            sol.gap = _cbc_gap(log_text) if not proven else _cbc_gap(log_text, default=0.0)
        if not proven:
            sol.status, sol.message = _stopped(values, level, "stopped before proving "
                                               "optimality")
            break
        sol.levels_solved.append(level)
        z = level_value(model, level, values)
        sol.level_optimum[level] = z
        if not model.integer:
            sol.row_duals[level] = np.array([(con.pi or 0.0) * scale / info.scale
                                             for con, info in model.rows])
            sol.bound_duals[level] = np.array([(b.var.dj or 0.0) * scale / b.scale
                                               for b in model.bounds])
        if pos + 1 < len(levels) and model.levels[level]:  # an empty level binds nothing
            bound = _level_bound(z, options.tolerance) / scale  # (and an empty row breaks CBC)
            prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, f"level_{level}",
                                                 bound), f"level_{level}")
    sol.values = values
    if values is None:
        sol.status = "no_solution"
    return sol


def _read_and_remove(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""
    finally:
        try:
            os.remove(path)
        except OSError:
            pass


#: CBC's log lines that prove infeasibility (presolve, the relaxation, a finished search);
#: "Pre-processing says infeasible" is not among them: a time limit cuts it short too
_CBC_PROOF = re.compile(r"Problem is infeasible|proven infeasible|Linear relaxation "
                        r"infeasible|Presolve determined that the problem was infeasible")


def _cbc_gap(log: str, default=None):
    m = re.findall(r"Gap:\s+([-0-9.eE+]+)", log)
    return float(m[-1]) if m else default
