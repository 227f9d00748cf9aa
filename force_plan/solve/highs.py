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
from ..model.model import Model
from .levels import (INF, PIN_TOL, WARM_LEVELS, Solution, SolveOptions, _col_upper, _csr,
                     _feasible, _finish, _held_by_pins, _level_row, _row_bound, _stopped,
                     _store_duals, level_value, pair_arrays, pins)

log = logging.getLogger(__name__)


def _highs_lp(model: Model, ncols: int | None = None, nrows: int | None = None, csr=None):
    """The model as a HighsLp; only its first ``ncols`` columns and ``nrows`` rows when
    given (the rest deferred, see _Live); ``csr``: the model's _csr when already made."""
    import highspy

    n = len(model.columns) if ncols is None else ncols
    starts, index, value, lower, upper = _csr(model) if csr is None else csr
    m = len(model.rows) if nrows is None else nrows
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = _col_upper(model)[:n]
    lp.row_lower_ = lower[:m]
    lp.row_upper_ = upper[:m]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = starts[:m + 1]
    lp.a_matrix_.index_ = index[:starts[m]]
    lp.a_matrix_.value_ = value[:starts[m]]
    if model.integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger if v.cat == pulp.LpInteger
                           else highspy.HighsVarType.kContinuous for v in model.columns[:n]]
    return lp


class _Live:
    """Which of the model's rows and columns the live HiGHS model holds, and where.

    The rows and columns of the `changes` term (built last, ``model.deferred_col`` /
    ``deferred_row``; its rows compact, ``model.change_pairs``) join only when a level
    that uses them is solved: before, they cannot bind (a change column may take any value
    above its differences), but they slowed the simplex of the earlier levels several
    times over. Level rows (an allowance, integer mode) are HiGHS rows that belong to no
    model row. A plan of the earlier levels is completed with the change columns at their
    smallest values (``full``).
    """

    def __init__(self, model: Model):
        self.n, self.m = len(model.columns), len(model.rows)
        self.col = self.n if model.deferred_col is None else model.deferred_col
        self.row = self.m if model.deferred_row is None else model.deferred_row
        self.csr = _csr(model, upto=self.row)  # dropped once HiGHS has it (solve_highs)
        self.lower, self.upper = self.csr[3], self.csr[4]  # the rows' sides, for pins
        # the `changes` rows, passed as arrays even when an export made PuLP rows of them
        self.pairs = pair_arrays(model, always=True)
        self.hrow = np.full(self.m, -1, dtype=np.int64)  # HiGHS row of each model row
        self.hrow[:self.row] = np.arange(self.row)
        self.hrows = self.row  # rows the HiGHS model has
        self.pair_first = -1  # HiGHS row of the first `changes` row once added
        self.pair_fixed = np.zeros(0, dtype=bool)

    @property
    def complete(self) -> bool:
        return self.col == self.n and (self.pairs is None or self.pair_first >= 0)

    def cols(self) -> int:
        return self.n if self.complete else self.col

    def add_deferred(self, h) -> None:
        """Add the deferred columns (cost 0, ≥ 0) and the `changes` rows to the live
        model, in the order Model.materialize_changes gives them: per pair, up then down."""
        k = self.n - self.col
        if k:
            h.addCols(k, np.zeros(k), np.zeros(k), np.full(k, INF), 0,
                      np.zeros(k, dtype=np.int32), np.zeros(0, dtype=np.int32),
                      np.zeros(0))
        if self.pairs is not None and self.pair_first < 0:
            before, after, change, q0, q1, scale = self.pairs
            r = 2 * len(change)
            index = np.empty((len(change), 2, 3), dtype=np.int32)
            index[:, 0] = np.column_stack((after, before, change))  # q1·v1 − q0·v0 − d ≤ 0
            index[:, 1] = np.column_stack((before, after, change))  # q0·v0 − q1·v1 − d ≤ 0
            value = np.empty((len(change), 2, 3))
            value[:, 0] = np.column_stack((q1, -q0, -np.ones_like(q0))) / scale[:, None]
            value[:, 1] = np.column_stack((q0, -q1, -np.ones_like(q0))) / scale[:, None]
            h.addRows(r, np.full(r, -INF), np.zeros(r), 3 * r,
                      np.arange(0, 3 * r, 3, dtype=np.int32), index.ravel(), value.ravel())
            self.pair_first = self.hrows
            if self.row < self.m:  # the same rows as PuLP rows of the model
                self.hrow[self.row:] = self.hrows + np.arange(r)
            self.hrows += r
            self.pair_fixed = np.zeros(r, dtype=bool)
        self.col = self.n

    def pin_pairs(self, h, hdual) -> None:
        """Hold a level on the `changes` rows (_pin_highs pins the other model rows): a
        row whose dual is not zero becomes an equality at its upper side, 0."""
        if self.pair_first < 0:
            return
        dual = np.asarray(hdual, dtype=np.float64)[self.pair_first:
                                                   self.pair_first + len(self.pair_fixed)]
        rows = np.flatnonzero((np.abs(dual) > PIN_TOL) & ~self.pair_fixed)
        if len(rows):
            zero = np.zeros(len(rows))
            h.changeRowsBounds(len(rows), (self.pair_first + rows).astype(np.int32), zero,
                               zero)
            self.pair_fixed[rows] = True

    def add_level_row(self, h, cols, vals, bound) -> None:
        h.addRow(-INF, bound, len(cols), cols, vals)
        self.hrows += 1

    def full(self, x) -> np.ndarray:
        """A plan over every model column from HiGHS's columns: each deferred change
        column at the difference it must cover (its smallest feasible value)."""
        x = np.asarray(x, dtype=np.float64)
        if self.complete:
            return x[:self.n]
        out = np.zeros(self.n)
        out[:self.col] = x[:self.col]
        if self.pairs is not None:
            before, after, change, q0, q1, _scale = self.pairs
            out[change] = np.abs(q1 * out[after] - q0 * out[before])
        return np.maximum(out, 0.0)

    def model_rows(self, hvalues) -> np.ndarray:
        """A per-HiGHS-row array (duals) as a per-model-row array, 0 where absent."""
        hvalues = np.asarray(hvalues, dtype=np.float64)
        out = np.zeros(self.m)
        present = self.hrow >= 0
        out[present] = hvalues[self.hrow[present]]
        return out

    def model_cols(self, hvalues) -> np.ndarray:
        out = np.zeros(self.n)
        out[:min(self.n, len(hvalues))] = np.asarray(hvalues)[:self.n]
        return out


def solve_highs(model: Model, options: SolveOptions, levels: list) -> Solution:
    import highspy

    h = _new_highs(options.verbose)
    if options.threads:
        h.setOptionValue("threads", int(options.threads))
    if model.integer:
        h.setOptionValue("mip_rel_gap", float(options.mip_gap))
        h.setOptionValue("mip_heuristic_effort", MIP_HEURISTIC_EFFORT)
    live = _Live(model)
    _return_freed_memory()
    lp = _highs_lp(model, live.col, live.row, live.csr)
    live.csr = None
    h.passModel(lp)
    if not model.integer:
        lp = None  # HiGHS holds its own copy; only the integer start needs this one
    n = len(model.columns)
    version = _highs_version(h)
    sol = Solution(status="optimal", solver=version)
    col_upper = _col_upper(model)
    row_fixed = np.array([info.sense == "==" for _, info in model.rows], dtype=bool)
    started = time.perf_counter()
    values = None
    watch = report_progress(h) if model.integer else {}
    strategies = RECOVERY
    for pos, level in enumerate(levels):
        cols, vals, scale = _level_row(model, level)
        if not live.complete and (cols >= live.col).any():
            live.add_deferred(h)
            if not model.integer and not WARM_LEVELS:
                h.clearSolver()
        cost = np.zeros(n)
        cost[cols] = vals
        k = live.cols()
        h.changeColsCost(k, np.arange(k, dtype=np.int32), cost[:k])
        watch.update(level=level, scale=scale)
        if model.integer and pos == 0:
            t0 = time.perf_counter()
            # at most a quarter of a time limit goes to the start
            deadline = time.monotonic() + (math.inf if options.time_limit is None
                                           else options.time_limit / 4)
            values, bound = repaired_start(model, lp, cost[:k], options.threads, live.full,
                                           deadline)
            sol.timings["integer start"] = time.perf_counter() - t0
            if values is not None:
                z = float(np.dot(cost[:k], values[:k]))
                sol.gap = abs(z - bound) / max(abs(z), 1e-9) if bound is not None else None
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
            start.col_value = list(values[:live.cols()])
            start.value_valid = True
            h.setSolution(start)
        t0 = time.perf_counter()
        status, worked = _run(h, sol, level, pos > 0, strategies)
        if model.integer and status == highspy.HighsModelStatus.kOptimal and \
                _stale(h, cost[:k]):
            # HiGHS 1.16 can prove a MIP level (its presolve solving the whole of it) yet
            # hand back the start it was given: the plan's objective is not the one it
            # proved. Run again without the start.
            log.info(f"objective level {level}: HiGHS returned its start, not the plan it "
                     "proved; solving again without the start")
            h.clearSolver()
            h.run()
            status = h.getModelStatus()
        # the trouble that needed another strategy (a badly scaled or badly presolved
        # LP) stays with the model: the next levels try the strategy that worked first
        strategies = (worked,) + tuple(s for s in RECOVERY if s is not worked)
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
        got = live.full(h.getSolution().col_value) if info.primal_solution_status == 2 \
            else None
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
            row_dual, col_dual = live.model_rows(s.row_dual), live.model_cols(s.col_dual)
            _store_duals(model, sol, level, row_dual, col_dual, scale)
        if pos + 1 < len(levels):
            if _held_by_pins(model, level):
                _pin_highs(h, live, sol, level, row_dual, col_dual, values, row_fixed,
                           col_upper)
                live.pin_pairs(h, s.row_dual)
            else:
                live.add_level_row(h, cols, vals, _row_bound(model, level, z, scale))
            if not model.integer and not WARM_LEVELS:
                h.clearSolver()  # next level: presolve and dual simplex afresh (see WARM_LEVELS)
    return _finish(model, sol, values)


#: how a level is run, in turn, until HiGHS proves it (or stops for a reason of the user's):
#: name, options changed for that attempt (set back afterwards)
RECOVERY = (
    ("dual simplex", {}),
    # Presolve can leave HiGHS a reduced LP whose postsolved plan it cannot clean up: on a
    # baseline with attrition × 0.918 (benchmarks/WHATIF.md, scenario s011) presolve made
    # a coefficient of 1e-36 out of the budget rows' 3e-7 (a trainee's upkeep in USD
    # million), and every strategy with presolve then ended "unknown" — or spent 50–100 s
    # in postsolve's clean-up first. Without presolve the interior point proves the level
    # in a fraction of a second.
    ("interior point with crossover, without presolve",
     {"solver": "ipm", "run_crossover": "on", "presolve": "off"}),
    ("primal simplex", {"solver": "simplex", "simplex_strategy": 4}),
    # costs span 3e-7..1: an objective scaled by 2^5 helps the dual simplex past
    # "excessive dual values"
    ("dual simplex, objective scaled ×32", {"user_objective_scale": 5}),
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


def _run(h, sol: Solution, level: int, later: bool, strategies=RECOVERY):
    """Run HiGHS on the current level; when it ends without proof (status unknown, an
    iteration limit we never set, a solve error — or "infeasible" on a later level, which
    the previous level's plan disproves), try the next of ``strategies`` (RECOVERY, in
    some order) afresh. Returns the last model status and the strategy that gave it; each
    recovery is noted in ``sol.notes``."""
    first = None
    for n, strategy in enumerate(strategies):
        name, changes = strategy
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
        if status == _S.kOptimal and not _precise(h):
            # HiGHS 1.16 calls a basis "optimal" within 100× its tolerances; its duals
            # then do not hold the level exactly (the next levels' pins would move it)
            log.warning(f"objective level {level}: HiGHS {name} ended optimal with a "
                        f"primal-dual objective error of "
                        f"{h.getInfo().primal_dual_objective_error:.2g}; trying another "
                        "strategy")
            first = first or "optimal within 100× HiGHS's tolerances only"
            continue
        proven_infeasible = status in (_S.kInfeasible, _S.kUnboundedOrInfeasible) and not later
        if status in _FINAL or status in _USERS_STOP or proven_infeasible:
            if n and status == _S.kOptimal:
                sol.notes.append(f"objective level {level}: HiGHS ended without proof "
                                 f"({first}); proven optimal by {name}")
                log.warning(sol.notes[-1])
            elif status == _S.kOptimal and strategy is not RECOVERY[0]:
                sol.notes.append(f"objective level {level}: proven optimal by {name}, "
                                 "the strategy that proved the level before it")
                log.info(sol.notes[-1])
            return status, strategy
        first = first or h.modelStatusToString(status)
        log.warning(f"objective level {level}: HiGHS {name} ended with status "
                    f"{h.modelStatusToString(status)}; trying another strategy")
    return status, strategies[0]


#: HiGHS's share of MIP effort spent on primal heuristics (its default 0.05). The bundled
#: baseline in whole classes, 120 s: gap 1.28 % and 1.20 % at the default, 0.94 % (twice)
#: at 0.3 — a better plan found sooner (benchmarks/RESULTS.md, "Integer mode")
MIP_HEURISTIC_EFFORT = 0.3


def _stale(h, cost) -> bool:
    """True when the plan HiGHS returns does not have the objective it reports."""
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)[:len(cost)]
    reported = h.getInfo().objective_function_value
    return abs(float(np.dot(cost, x)) - reported) > 1e-6 * max(1.0, abs(reported))


#: the largest primal-dual objective error (HiGHS's relative measure) of a level called
#: proven: HiGHS's own optimality tolerance
PD_TOLERANCE = 1e-7


def _precise(h) -> bool:
    """True unless HiGHS reported optimal with a primal-dual objective error above its own
    tolerance (MIP levels have no duals: always True)."""
    info = h.getInfo()
    err = info.primal_dual_objective_error
    return info.mip_node_count >= 0 or not (err == err) or err <= PD_TOLERANCE


def _option(h, key: str):
    got = h.getOptionValue(key)
    return got[1] if isinstance(got, tuple) else got  # (status, value) in newer highspy


def _pin_highs(h, live: _Live, sol: Solution, level: int, row_dual, col_dual, values,
               row_fixed, col_upper) -> None:
    """Hold ``level`` on the live HiGHS model by fixing columns and pinning rows (duals per
    model row and column; deferred ones are 0, so never pinned)."""
    cols, fixed, rows = pins(col_dual, row_dual, values, col_upper, row_fixed)
    rows = rows[rows < live.row]  # `changes` rows made PuLP rows: live.pin_pairs pins them
    if len(cols):
        h.changeColsBounds(len(cols), cols.astype(np.int32), fixed, fixed)
        col_upper[cols] = fixed
    if len(rows):
        lower, upper = live.lower, live.upper
        dual = row_dual[rows]
        # the active side: the upper one of a ≤ row, the lower of a ≥ row
        side = np.where(np.isfinite(upper[rows]) & ((dual < 0) | ~np.isfinite(lower[rows])),
                        upper[rows], lower[rows])
        h.changeRowsBounds(len(rows), live.hrow[rows].astype(np.int32), side, side)
        row_fixed[rows] = True
    sol.pinned_rows[level] = rows
    sol.pinned_cols[level] = cols


#: glibc serves an allocation of at least this many bytes by a mapping of its own, given
#: back to the system when freed. Its default threshold starts at 128 KiB and follows the
#: largest block freed (up to 32 MiB), so HiGHS's vectors of one level stayed in the heap
#: after it and the next level's presolve and simplex grew the process further. Fixed at
#: 1 MiB: peak memory of the generated large instance 1,545–1,583 → 1,370 MB (xlarge:
#: benchmarks/RESULTS.md); solve time within the machine's noise.
MMAP_THRESHOLD = 1 << 20
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)


def _return_freed_memory() -> None:
    """Fix glibc's mmap threshold (``mallopt``, public C API), once per process; nothing
    where the C library is not glibc."""
    global _MALLOPT_DONE
    if _MALLOPT_DONE:
        return
    _MALLOPT_DONE = True
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl without it)
        pass


_MALLOPT_DONE = False


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
