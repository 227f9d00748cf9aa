"""The solve pipeline, stage by stage: build → solve → (diagnose) → extract.

Enters: a validated ``Inputs`` (inputs/load.py reads and validates it) and
``RunOptions``. Leaves: ``Results`` with the headline figures (headline.py), or
NoPlanError / SolverError. Each stage is timed (util.timed) into ``Results.timings`` and
reports progress through logging (an INFO record whose ``stage`` names the stage).
Writing the plan workbook is the caller's last stage (see cli.py).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from . import __version__
from .errors import NoPlanError, SolverError
from .inputs.typed import Inputs
from .model.build import build
from .model.steady import build_steady
from .results.extract import Results, bottlenecks, tidy_data
from .results.headline import compute as compute_headline
from .results.steady import Sustainment, binding as steady_binding, figures as steady_figures
from .results.steady_report import summary_pairs
from .solve.diagnose import diagnose
from .solve.levels import SolveOptions, level_expression, level_value, solve
from .util import progress, timed


@dataclass
class RunOptions:
    solver: Optional[str] = None  # None: the workbook's setting
    time_limit: Optional[float] = None
    mip_gap: Optional[float] = None
    threads: Optional[int] = None
    integer: Optional[bool] = None
    verbose: bool = False
    export_model: Optional[Path] = None
    force: bool = False  # --force: the model may replace an existing file


def solve_options(inputs: Inputs, opts: RunOptions) -> SolveOptions:
    s = inputs.settings
    return SolveOptions(
        solver=(opts.solver or s.solver).lower(),
        time_limit=opts.time_limit if opts.time_limit is not None else s.time_limit_s,
        mip_gap=opts.mip_gap if opts.mip_gap is not None else s.mip_gap,
        threads=opts.threads, verbose=opts.verbose)


def solve_plan(inputs: Inputs, opts: RunOptions | None = None,
               timings: dict | None = None) -> Results:
    """Build and solve ``inputs``; raise NoPlanError / SolverError when there is no plan.

    ``timings``: stage -> seconds of the earlier stages (read, validate), kept in front of
    this run's stages in ``Results.timings``.
    """
    opts = opts or RunOptions()
    timings = {} if timings is None else timings
    if opts.integer is not None and opts.integer != inputs.settings.integer:
        inputs = replace(inputs, settings=replace(inputs.settings, integer=opts.integer))
    sopts = solve_options(inputs, opts)

    with timed("build", timings):
        model = build(inputs)
    n_int = sum(1 for v in model.columns if v.cat == "Integer")
    progress("build", f"{len(model.columns):,} variables ({n_int:,} integer), "
             f"{model.row_count:,} constraints")
    if opts.export_model is not None:
        export_model(model, opts.export_model, force=opts.force)
        progress("export", str(opts.export_model))

    with timed("solve") as clock:
        sol = solve(model, sopts)
    # stages never overlap, so that they add up to the run: the solver's own time per
    # objective level, and the rest of solve() (passing the model, shadow prices, checks)
    timings["solver setup"] = max(0.0, clock.seconds - sum(sol.timings.values()))
    timings.update(sol.timings)
    progress("solve", f"{sol.solver}: {sol.status} in {clock.seconds:.2f} s")

    if sol.status == "infeasible":
        with timed("diagnose", timings):
            conflicts = diagnose(inputs, sopts)
        if not conflicts and inputs.settings.integer:
            raise NoPlanError("No plan in whole classes and whole systems exists, although "
                              "one with fractional starts and orders does: check class_size "
                              "against the courses' minimum and maximum starts and seats, or "
                              "solve with integer = no.")
        raise NoPlanError("No plan satisfies every hard limit of this workbook. These input "
                          "rows conflict (relax one of them):" if conflicts else
                          "No plan satisfies every hard limit of this workbook, and the "
                          "conflicting rows could not be located.", conflicts)
    if sol.status == "unbounded":
        raise SolverError("The solver reports the model as unbounded, which a valid workbook "
                          "should never produce; please report this with the workbook.")
    if sol.status == "no_solution":
        raise SolverError(f"No plan: {sol.message or 'the solver found no feasible plan'}. "
                          "Allow more time (--time-limit) or, in integer mode, a larger "
                          "--mip-gap.")

    from .solve.verify import plan_problem

    broken = plan_problem(model, sol.values)
    if broken is not None:
        raise SolverError(f"No plan: the solver's plan in whole classes does not hold "
                          f"({broken}), so it is not written. Solve with --solver "
                          f"{'highs' if sopts.solver == 'cbc' else 'cbc'}, or with "
                          "integer = no.")
    with timed("extract", timings):
        results = make_results(model, sol, timings)
    with timed("steady state", timings):
        results.steady = steady_state(inputs, sopts)
    results.summary += summary_pairs(results.steady)
    results.peak_memory_mb = peak_memory_mb()
    return results


def steady_state(inputs: Inputs, sopts: SolveOptions) -> Sustainment:
    """The plan's steady state; a solver failure there leaves the plan standing (its
    Sustainment sheet and Summary say why there is no steady state)."""
    try:
        return sustain(inputs, sopts)
    except SolverError as err:
        return Sustainment("no_solution", "no steady state found", "", message=str(err))


def peak_memory_mb() -> float | None:
    """The largest resident memory this process has used so far, in MB (None where the
    platform does not say: Windows)."""
    import sys

    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


def export_model(model, path: Path, *, force: bool = False) -> Path:
    """Write the solver-neutral model (.lp or .mps) with the first level's objective,
    under the rules of every output (xlsx/save.py: never the input, no overwrite
    without ``force``, atomic)."""
    from .xlsx.save import save_output

    model.materialize_changes()  # the `changes` rows as PuLP rows, for PuLP's writers
    model.prob.setObjective(level_expression(model, min(model.levels)))
    path = Path(path)
    mps = path.suffix.lower() == ".mps"

    def produce(target: Path) -> None:
        (model.prob.writeMPS if mps else model.prob.writeLP)(str(target))

    return save_output(path, produce, inputs=[model.inputs.source_file], force=force,
                       what="model", pack=False)


def status_text(sol) -> str:
    if sol.status == "optimal":
        text = "optimal"
        if sol.gap is not None:
            text += f" (integer plan within a relative gap of {sol.gap:.4%})"
        return text
    gap = f"; gap {sol.gap:.4%}" if sol.gap is not None else "; gap unknown"
    return f"feasible, not proven optimal ({sol.message}{gap})"


def make_results(model, sol, timings: dict) -> Results:
    inputs = model.inputs
    data, ahead = tidy_data(model, sol)
    objectives = {lvl: level_value(model, lvl, sol.values) for lvl in sorted(model.levels)}
    head = compute_headline(inputs, data)
    summary = [("status", status_text(sol))]
    summary += [(f"objective_{lvl}", round(v, 9)) for lvl, v in objectives.items()]
    summary += [
        ("total_cost", round(head.total_cost, 9)),
        ("total_separations", round(head.separations_total, 9)),
        ("total_shortfall", round(head.shortfall_total, 9)),
        ("total_equipment_shortfall", round(head.equipment_short_total, 9)),
        ("solver", sol.solver),
        ("input_file", Path(inputs.source_file).name if inputs.source_file else ""),
        ("input_sha256", inputs.source_sha256),
        ("force_plan_version", __version__),
        ("lookahead_periods", model.sets.H),
        ("plan_name", inputs.settings.plan_name),
        ("cost_unit", inputs.settings.cost_unit),
        ("period_months", inputs.period_months),
        ("periods", f"{inputs.period_labels[0]} – {inputs.period_labels[-1]} ({inputs.T})"),
        ("integer", "yes" if model.integer else "no"),
        ("mip_gap", sol.gap if sol.gap is not None else ""),
        ("levels_solved", ", ".join(str(x) for x in sol.levels_solved)),
        ("solver_notes", "; ".join(sol.notes)),
        ("variables", len(model.columns)),
        ("constraints", model.row_count),
    ]
    note = ""
    if model.integer:
        note = ("Shadow prices are not shown for integer plans: with whole classes and "
                "whole systems the marginal value of one more unit is not defined by the "
                "LP duals. Re-solve with integer = no to see them.")
    return Results(inputs=inputs, status=sol.status, status_text=status_text(sol), gap=sol.gap,
                   solver=sol.solver, objectives=objectives, data=data, summary=summary,
                   bottlenecks=[] if model.integer else bottlenecks(model, sol),
                   bottleneck_note=note, timings=timings, integer=model.integer,
                   lookahead_data=ahead, lookahead_periods=model.sets.H,
                   headline=head)


def sustain(inputs: Inputs, options, export=None, timings: dict | None = None) -> Sustainment:
    """Build and solve the steady state of ``inputs`` (``options``: solve.levels.SolveOptions;
    ``export``: also write the stationary model to this .lp/.mps path; ``timings``: the
    stages' seconds are added to it).

    Never raises for an infeasible or unsolved steady state: the status says so, and
    ``conflicts`` names the input rows when hard limits cannot all hold."""
    timings = {} if timings is None else timings
    t0 = time.perf_counter()
    model = build_steady(inputs)
    timings["build"] = time.perf_counter() - t0
    if export is not None:
        export_model(model, export)
    t0 = time.perf_counter()
    sol = solve(model, options)
    timings["solve"] = time.perf_counter() - t0
    if sol.status == "infeasible":
        conflicts = diagnose(inputs, options, build_steady, "the steady state")
        return Sustainment("infeasible", "no steady state", sol.solver, conflicts=conflicts)
    if sol.values is None or sol.status not in ("optimal", "feasible"):
        return Sustainment(sol.status, sol.status, sol.solver, message=sol.message)
    out = Sustainment(sol.status, status_text(sol), sol.solver)
    out.figures = steady_figures(model, sol)
    out.figures["status"] = out.status_text
    out.figures["binding"] = steady_binding(model, sol, out.figures)
    return out
