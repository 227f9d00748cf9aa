"""Integer mode with HiGHS: a whole-number plan to start from, and progress while it runs.

The start (``repaired_start``): the LP relaxation of the first objective level is solved,
its classes and systems are rounded (down first, so that maximum starts, seats, recruit
pools, budgets and source limits still hold; then to the nearest whole number where
rounding down breaks a minimum), the rounded columns are fixed and the LP is solved again
for everything that must follow (strength, inventory, shortfall, cost). If that LP has a
plan, it is a feasible whole-number plan: HiGHS is given it as its first incumbent, so a
time-limited run is never worse than it. If neither rounding leaves a feasible plan, no
start is given (HiGHS searches from scratch).

Progress (``report_progress``): every improving whole-number plan HiGHS finds is logged as
a progress line — best plan so far, bound, gap — at most once a second, so that a long
integer run shows it is moving without ``-v``.
"""
from __future__ import annotations

import logging
import math
import time
from typing import Optional

import numpy as np
import pulp

from .model import Model

log = logging.getLogger(__name__)


def integer_columns(model: Model) -> np.ndarray:
    return np.fromiter((i for i, v in enumerate(model.columns) if v.cat == pulp.LpInteger),
                       dtype=np.int32)


def repaired_start(model: Model, lp, cost: np.ndarray, threads=None,
                   complete=lambda x: x) -> Optional[np.ndarray]:
    """A feasible whole-number plan near the LP optimum of ``cost`` (None: none found).
    ``lp`` may hold the model's leading columns only; ``complete`` extends a plan of them
    to every column."""
    import highspy

    from .highs import _new_highs
    from .solve import _feasible

    ints = integer_columns(model)
    ints = ints[ints < lp.num_col_]
    if not len(ints):
        return None
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
        return None
    x = np.array(h.getSolution().col_value)
    upper = np.asarray(lp.col_upper_, dtype=np.float64)[ints]
    for rounding in (np.floor, np.round):
        whole = np.minimum(rounding(x[ints] + 1e-9), np.floor(upper + 1e-9))
        whole = np.maximum(whole, 0.0)
        h.changeColsBounds(len(ints), ints, whole, whole)
        h.clearSolver()
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            got = np.array(h.getSolution().col_value)
            got[ints] = whole
            got = complete(got)
            if _feasible(model, got):
                return got
        h.changeColsBounds(len(ints), ints, np.zeros(len(ints)), upper)
    return None


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
