"""Check a solver's integer plan before it is called a plan (issue 16, item 5).

A solver declares an integer plan optimal within its own tolerances: a column is "whole"
when within 1e-6 of an integer, a row holds when within 1e-6 (solver scale). A class of
many persons turns such slack into real people, so the plan is checked again here: every
row and bound (``solve.max_violation``) and every integer column within ``WHOLE`` of a
whole number. A plan that fails is never written (SolverError, exit 4).
"""
from __future__ import annotations

import numpy as np
import pulp

from ..model.model import Model
from .levels import FEAS_TOL, max_violation

#: how far from a whole number an integer column may be (a millionth of a class: with
#: class_size at most 1e6, under one person)
WHOLE = 1e-6
#: and a row may be off by this fraction of its size Σ|a·x| besides: CBC's plan reaches
#: force_plan with 8 significant digits (a separation figure of 12,500.99573 read as
#: 12,500.996 put a balance 2.65e-4 off); at a million persons this is a tenth of one
ROW_RELATIVE = 1e-7


def plan_problem(model: Model, values) -> str | None:
    """Why the integer plan ``values`` breaks the model (None when it holds)."""
    if values is None or not model.integer:
        return None
    worst = max_violation(model, values, relative=ROW_RELATIVE)
    if worst > FEAS_TOL * 10:
        return f"a balance or limit is off by {worst:.3g} (in the solver's units)"
    ints = [i for i, v in enumerate(model.columns) if v.cat == pulp.LpInteger]
    if ints:
        x = np.asarray(values, dtype=np.float64)[ints]
        off = np.abs(x - np.round(x))
        if float(np.max(off)) > WHOLE:
            i = ints[int(np.argmax(off))]
            return (f"{model.columns[i].name} is {x[int(np.argmax(off))]:.9g} classes, "
                    "not a whole number")
    return None
