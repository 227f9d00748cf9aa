"""Integer mode with HiGHS: a whole-number plan to start from, and progress while it runs.

The start (``repaired_start``): the LP relaxation of the first objective level is solved;
then, period by period, that period's classes and systems are rounded (to the nearest
whole number, else up, else down: the first that leaves the LP feasible; if none does, a
small MIP on that period alone finds whole values) and fixed, and
the LP is solved again so that the later periods and everything continuous (strength,
inventory, shortfall, cost) follow the rounding. After the last period the plan is whole
and feasible: HiGHS is given it as its first incumbent, so a time-limited run is never
worse than it. If no rounding of some period leaves a feasible plan, no start is given
(HiGHS searches from scratch).

Progress (``report_progress``): every improving whole-number plan HiGHS finds is logged as
a progress line — best plan so far, bound, gap — at most once a second, so that a long
integer run shows it is moving without ``-v``.
"""
from __future__ import annotations

import logging
import math
import time

import numpy as np
import pulp

from ..model.model import Model

log = logging.getLogger(__name__)


def integer_columns(model: Model) -> np.ndarray:
    return np.fromiter((i for i, v in enumerate(model.columns) if v.cat == pulp.LpInteger),
                       dtype=np.int32)


def repaired_start(model: Model, lp, cost: np.ndarray, threads=None,
                   complete=lambda x: x, deadline: float = math.inf) -> tuple:
    """(a feasible whole-number plan near the LP optimum of ``cost``, or None; the LP
    bound of ``cost``, or None). ``lp`` may hold the model's leading columns only;
    ``complete`` extends a plan of them to every column; past ``deadline``
    (time.monotonic()) the search gives up."""
    import highspy

    from .highs import _new_highs
    from .levels import _feasible

    ints = integer_columns(model)
    ints = ints[ints < lp.num_col_]
    if not len(ints):
        return None, None
    relaxed = highspy.HighsLp()
    relaxed.num_col_, relaxed.num_row_ = lp.num_col_, lp.num_row_
    relaxed.col_cost_, relaxed.col_lower_, relaxed.col_upper_ = cost, lp.col_lower_, \
        lp.col_upper_
    relaxed.row_lower_, relaxed.row_upper_ = lp.row_lower_, lp.row_upper_
    relaxed.a_matrix_ = lp.a_matrix_
    h = _new_highs(False)
    if threads:
        h.setOptionValue("threads", int(threads))
    h.passModel(relaxed)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None, None
    x = np.array(h.getSolution().col_value)
    bound = float(np.dot(cost, x))
    upper = np.asarray(lp.col_upper_, dtype=np.float64)
    period = _period_of_columns(model, lp.num_col_)
    for t in sorted(set(period[ints].tolist())):
        if time.monotonic() > deadline:
            return None, bound
        cols = ints[period[ints] == t]
        for whole in (np.round(x[cols]), np.ceil(x[cols] - 1e-6), np.floor(x[cols] + 1e-6),
                      None):
            if whole is None:  # no plain rounding fits: a small MIP on this period alone
                whole = _period_mip(h, cols, upper[cols])
                if whole is None:
                    return None, bound
            whole = np.clip(whole, 0.0, np.floor(upper[cols] + 1e-9))
            h.changeColsBounds(len(cols), cols, whole, whole)
            h.clearSolver()
            h.run()
            if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                x = np.array(h.getSolution().col_value)
                x[cols] = whole
                break
    got = complete(x)
    return (got if _feasible(model, got) else None), bound


def _period_mip(h, cols, upper, seconds: float = 10.0):
    """Whole values for ``cols`` (one period's classes and systems) with every earlier
    period fixed and every later one continuous: the first feasible plan HiGHS finds."""
    import highspy

    k = len(cols)
    integer = highspy.HighsVarType.kInteger
    h.changeColsBounds(k, cols, np.zeros(k), upper)
    h.changeColsIntegrality(k, cols, np.array([integer] * k))
    h.setOptionValue("time_limit", seconds)
    h.setOptionValue("mip_rel_gap", 1.0)
    try:
        h.clearSolver()
        h.run()
        ok = h.getInfo().primal_solution_status == 2
        got = np.round(np.array(h.getSolution().col_value)[cols]) if ok else None
    finally:
        h.changeColsIntegrality(k, cols, np.array([highspy.HighsVarType.kContinuous] * k))
        h.setOptionValue("time_limit", float("inf"))
    return got


def _period_of_columns(model: Model, n: int) -> np.ndarray:
    """The period of each integer column (starts and orders are keyed (item, t)); −1 for
    the others."""
    period = np.full(n, -1, dtype=np.int64)
    idx = model.col_index
    for family in ("starts", "orders"):
        for (_i, t), v in model.var.get(family, {}).items():
            j = idx[v]
            if j < n:
                period[j] = t
    return period


def report_progress(h) -> dict:
    """Log each improving whole-number plan (at most once a second), in workbook units.
    Returns the state to update per level: {"level": ℓ, "scale": level scale}."""
    from ..util import progress

    state = {"level": None, "scale": 1.0, "last": 0.0}

    def improving(event) -> None:
        now = time.monotonic()
        if now - state["last"] < 1.0:
            return
        state["last"] = now
        d, scale = event.data_out, state["scale"]
        gap = d.mip_gap if math.isfinite(d.mip_gap) else None
        bound = d.mip_dual_bound if math.isfinite(d.mip_dual_bound) else None
        progress("solve", f"objective level {state['level']}: best whole-number plan so far "
                 f"{d.objective_function_value * scale:,.6g}"
                 + (f", bound {bound * scale:,.6g}" if bound is not None else "")
                 + (f", gap {gap:.2%}" if gap is not None else ""))

    try:
        h.cbMipImprovingSolution.subscribe(improving)
    except AttributeError:  # a highspy without Python callbacks: no progress lines
        log.debug("highspy has no MIP callbacks; integer progress is not shown")
    return state
