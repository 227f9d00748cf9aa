"""HiGHS through highspy: the model passed once (rows in bulk as CSR), one run per
objective level on the live model, each level held by pinning or a level row (solve.py
says how), a level that ends without proof retried with other strategies."""
from __future__ import annotations

import logging
import math
import os
import time

import numpy as np
import pulp

from .integer import repaired_start, report_progress
from .model import Model
from .solve import (INF, WARM_LEVELS, Solution, SolveOptions, _col_upper, _csr, _feasible,
                    _finish, _held_by_pins, _level_row, _row_bound, _row_sides, _stopped,
                    _store_duals, level_value, pins)

log = logging.getLogger(__name__)


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


def solve_highs(model: Model, options: SolveOptions, levels: list) -> Solution:
    import highspy

    h = _new_highs(options.verbose)
    if options.threads:
        h.setOptionValue("threads", int(options.threads))
    if model.integer:
        h.setOptionValue("mip_rel_gap", float(options.mip_gap))
    lp = _highs_lp(model)
    h.passModel(lp)
    n = len(model.columns)
    all_cols = np.arange(n, dtype=np.int32)
    version = _highs_version(h)
    sol = Solution(status="optimal", solver=version)
    col_upper = _col_upper(model)
    row_fixed = np.array([info.sense == "==" for _, info in model.rows], dtype=bool)
    started = time.perf_counter()
    values = None
    watch = report_progress(h) if model.integer else {}
    for pos, level in enumerate(levels):
        cols, vals, scale = _level_row(model, level)
        cost = np.zeros(n)
        cost[cols] = vals
        h.changeColsCost(n, all_cols, cost)
        watch.update(level=level, scale=scale)
        if model.integer and pos == 0:
            t0 = time.perf_counter()
            values = repaired_start(model, lp, cost, options.threads)
            sol.timings["integer start"] = time.perf_counter() - t0
            if values is not None:
                sol.notes.append("integer mode started from the LP plan rounded to whole "
                                 "classes and systems")
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
        status = _run(h, sol, level, later=pos > 0)
        sol.timings[f"solve level {level}"] = time.perf_counter() - t0
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
            why = h.modelStatusToString(status)
            if status not in _USERS_STOP:
                why = (f"{why}: HiGHS could not prove it optimal with "
                       f"{', '.join(name for name, _ in RECOVERY)}; the plan is the last "
                       "one proven. Try --solver cbc, or give this level an allowance on "
                       "the Objectives sheet")
            sol.status, sol.message = _stopped(values, level, why)
            break
        sol.levels_solved.append(level)
        z = level_value(model, level, values)
        sol.level_optimum[level] = z
        if not model.integer:
            s = h.getSolution()
            _store_duals(model, sol, level, np.array(s.row_dual[:len(model.rows)]),
                         np.array(s.col_dual), scale)
        if pos + 1 < len(levels):
            if _held_by_pins(model, level):
                s = h.getSolution()
                _pin_highs(h, model, sol, level, s, values, row_fixed, col_upper)
            else:
                h.addRow(-INF, _row_bound(model, level, z, scale), len(cols), cols, vals)
            if not model.integer and not WARM_LEVELS:
                h.clearSolver()  # next level: presolve and dual simplex afresh (see WARM_LEVELS)
    return _finish(model, sol, values)


#: how a level is run, in turn, until HiGHS proves it (or stops for a reason of the user's):
#: name, options changed for that attempt (set back afterwards)
RECOVERY = (
    ("dual simplex", {}),
    ("primal simplex", {"solver": "simplex", "simplex_strategy": 4}),
    ("interior point with crossover", {"solver": "ipm", "run_crossover": "on"}),
    ("dual simplex without presolve", {"solver": "simplex", "simplex_strategy": 1,
                                       "presolve": "off"}),
)


def _model_status():
    import highspy

    return highspy.HighsModelStatus


_S = _model_status()
#: statuses that end a level for good: proven, or stopped by the user's limits
_FINAL = (_S.kOptimal, _S.kUnbounded)
_USERS_STOP = (_S.kTimeLimit, _S.kInterrupt, _S.kSolutionLimit, _S.kObjectiveBound,
               _S.kObjectiveTarget)


def _run(h, sol: Solution, level: int, later: bool):
    """Run HiGHS on the current level; when it ends without proof (status unknown, an
    iteration limit we never set, a solve error — or "infeasible" on a later level, which
    the previous level's plan disproves), try the next strategy of RECOVERY afresh.
    Returns the last model status; each recovery is noted in ``sol.notes``."""
    first = None
    for n, (name, changes) in enumerate(RECOVERY):
        saved = {key: _option(h, key) for key in changes}
        for key, value in changes.items():
            h.setOptionValue(key, value)
        try:
            if n:
                h.clearSolver()
            h.run()
        finally:
            for key, value in saved.items():
                h.setOptionValue(key, value)
        status = h.getModelStatus()
        proven_infeasible = status in (_S.kInfeasible, _S.kUnboundedOrInfeasible) and not later
        if status in _FINAL or status in _USERS_STOP or proven_infeasible:
            if n and status == _S.kOptimal:
                sol.notes.append(f"objective level {level}: HiGHS ended without proof "
                                 f"({first}); proven optimal by {name}")
                log.warning(sol.notes[-1])
            return status
        first = first or h.modelStatusToString(status)
        log.warning(f"objective level {level}: HiGHS {name} ended with status "
                    f"{h.modelStatusToString(status)}; trying another strategy")
    return status


def _option(h, key: str):
    got = h.getOptionValue(key)
    return got[1] if isinstance(got, tuple) else got  # (status, value) in newer highspy


def _pin_highs(h, model: Model, sol: Solution, level: int, s, values, row_fixed,
               col_upper) -> None:
    """Hold ``level`` on the live HiGHS model by fixing columns and pinning rows."""
    nrows = len(model.rows)
    cols, fixed, rows = pins(s.col_dual, np.asarray(s.row_dual)[:nrows], values, col_upper,
                             row_fixed)
    if len(cols):
        h.changeColsBounds(len(cols), cols.astype(np.int32), fixed, fixed)
        col_upper[cols] = fixed
    if len(rows):
        lower, upper = _row_sides(model)
        dual = np.asarray(s.row_dual)[rows]
        # the active side: the upper one of a ≤ row, the lower of a ≥ row
        side = np.where(np.isfinite(upper[rows]) & ((dual < 0) | ~np.isfinite(lower[rows])),
                        upper[rows], lower[rows])
        h.changeRowsBounds(len(rows), rows.astype(np.int32), side, side)
        row_fixed[rows] = True
    sol.pinned_rows[level] = rows
    sol.pinned_cols[level] = cols


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
