"""CBC through PuLP: one solve per objective level, each level held by fixing PuLP
variables and making rows equalities (or a level row), CBC's statuses checked against
its log and the plan itself."""
from __future__ import annotations

import os
import re
import tempfile
import time

import numpy as np
import pulp

from ..model.model import Model
from .levels import (Solution, SolveOptions, _col_upper, _feasible, _finish, _held_by_pins,
                     _row_bound, _stopped, level_expression, level_value, pins)


def solve_cbc(model: Model, options: SolveOptions, levels: list) -> Solution:
    model.materialize_changes()  # CBC gets the model through PuLP: every row a PuLP row
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
        # A later LP level runs without CBC's presolve: on the pinned model (thousands of
        # fixed columns, active rows made equalities) it returned "optimal" plans up to
        # 0.34 % above the level's optimum (benchmarks/RESULTS.md, "CBC's presolve")
        later_lp = pos > 0 and not model.integer
        solver = pulp.PULP_CBC_CMD(msg=bool(options.verbose), timeLimit=left,
                                   gapRel=options.mip_gap if model.integer else None,
                                   threads=options.threads, logPath=log,
                                   options=["presolve off"] if later_lp else None)
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
            if _held_by_pins(model, level):  # (and an empty row breaks CBC)
                _pin_pulp(model, sol, level, values)
            else:
                bound = _row_bound(model, level, z, scale)
                prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE,
                                                     f"level_{level}", bound), f"level_{level}")
    return _finish(model, sol, values)


def _pin_pulp(model: Model, sol: Solution, level: int, values) -> None:
    """Hold ``level`` on the PuLP problem: fix columns, make active rows equalities."""
    col_dual = [v.dj or 0.0 for v in model.columns]
    row_dual = [con.pi or 0.0 for con, _ in model.rows]
    row_fixed = np.array([con.sense == pulp.LpConstraintEQ for con, _ in model.rows])
    cols, fixed, rows = pins(col_dual, row_dual, values, _col_upper(model), row_fixed)
    for j, x in zip(cols.tolist(), fixed.tolist()):
        model.columns[j].lowBound = model.columns[j].upBound = x
    for i in rows.tolist():
        model.rows[i][0].sense = pulp.LpConstraintEQ
    sol.pinned_rows[level] = rows
    sol.pinned_cols[level] = cols


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
