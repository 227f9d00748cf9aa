"""The ``force-plan`` command line: parse options, call the pipeline, print, set exit codes.

Exit statuses: 0 success (a plan, optimal or feasible), 2 invalid input or unusable output
path, 3 no feasible plan, 4 solver failure or no solution within the time limit.
"""
from __future__ import annotations

import logging
import math
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .errors import ForcePlanError, InputError

DEFAULT_INPUT = Path("inputs") / "baseline.xlsx"
#: the most solver threads accepted: 4 per CPU of this machine. More only slows a solver
#: down (they share the CPUs), and a huge count makes HiGHS abort reserving their memory.
MAX_THREADS = 4 * (os.cpu_count() or 1)


class FiniteFloat(click.FloatRange):
    """A FloatRange that also refuses nan and infinity (which compare false with any
    bound, so a plain range lets nan through)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number — give one such as "
                      f"{'60' if self.min_open else '0.01'}", param, ctx)
        return number


class _StageLines(logging.Handler):
    """force_plan's log records on stderr: a progress record (one with a ``stage``) as
    ``    build: 4,708 variables …``, any other record as its message."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stage = getattr(record, "stage", None)
            text = record.getMessage()
            click.echo(f"{stage:>9}: {text}" if stage else text, err=True)
        except Exception:  # a broken stderr must not stop the run
            self.handleError(record)


@contextmanager
def _stage_lines():
    """Show force_plan's progress (INFO and above) on stderr while the block runs."""
    logger = logging.getLogger("force_plan")
    handler, level = _StageLines(logging.INFO), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def fail(err: ForcePlanError) -> None:
    """Print a planner-facing error (no traceback) and exit with its status."""
    click.echo(str(err), err=True)
    sys.exit(err.exit_code)


def _interrupted(output: Path | None = None) -> None:
    """Ctrl-C: one line and exit 130. Plans are written atomically, so an earlier plan at
    ``output`` is intact and no half-written file is left behind."""
    if output is None:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    tail = f"; the plan at {output} is unchanged" if output.exists() else ""
    click.echo(f"Interrupted: stopped before a new plan was written{tail}.", err=True)
    sys.exit(130)


@contextmanager
def reported(output: Path | None = None):
    """Planner-facing errors become their message (after any warnings) and exit status,
    never a traceback; Ctrl-C becomes one line and exit 130."""
    try:
        yield
    except InputError as err:
        _print_warnings(err.warnings)
        fail(err)
    except ForcePlanError as err:
        fail(err)
    except KeyboardInterrupt:
        _interrupted(output)


def _print_warnings(warnings) -> None:
    from .errors import SHOWN

    warnings = list(warnings)
    for w in warnings[:SHOWN]:
        click.echo(f"warning: {w}", err=True)
    if len(warnings) > SHOWN:
        click.echo(f"warning: … and {len(warnings) - SHOWN:,} more warnings (the first "
                   f"{SHOWN} are listed)", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="force-plan")
def main() -> None:
    """force-plan: plan training, conversions, equipment, crews and budget for a force.

    \b
    Example:
      force-plan template my-plan.xlsx      # an editable input workbook
      force-plan validate my-plan.xlsx      # check it, every problem at once
      force-plan solve my-plan.xlsx         # write outputs/my-plan-plan.xlsx
    """


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def validate(path: Path) -> None:
    """Check an input workbook and say what it holds.

    Prints counts per sheet, the horizon and total target against the force cap, then
    every problem found, each as Sheet!Cell: what is wrong — how to fix it.
    Exit 0 when the workbook is valid, 2 when it is not.

    \b
    Example:
      force-plan validate inputs/baseline.xlsx
    """
    from .inputs.load import describe_inputs, load_inputs

    with reported():
        inputs = load_inputs(path)
    _print_warnings(inputs.warnings)
    for line in describe_inputs(inputs):
        click.echo(line)
    from .whatif.check import check_what_ifs

    with reported():
        lines, warnings, bad = check_what_ifs(path)
    _print_warnings(warnings)
    for line in lines:
        click.echo(line)
    if bad:
        click.echo(f"{path}: the workbook is valid, but {bad} of its scenarios "
                   f"{'is' if bad == 1 else 'are'} not (fix the lines named above).")
        sys.exit(2)
    click.echo(f"{path}: valid.")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", type=click.Choice(["blank", "small", "baseline"]), default="blank",
              show_default=True, help="Fill the template with an example instead of one "
              "illustrative row per sheet.")
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
def template(path: Path, example: str, force: bool) -> None:
    """Write an editable input workbook.

    It has a README sheet, a comment on every header (meaning, unit, default), dropdowns
    for every reference column, and styled input cells. The same call always writes the
    same cell contents.

    \b
    Example:
      force-plan template my-plan.xlsx
      force-plan template my-copy.xlsx --example baseline
    """
    from .authoring.template import write_example

    with reported():
        write_example(example, path, force=force)
    click.echo(f"Wrote {path} ({example} template). Edit it, then: force-plan validate {path}")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scale", default="small", show_default=True, metavar="SIZE",
              help="small, baseline, large (about 260,000 LP variables), xlarge (about "
              "525,000), or a number of categories (120 monthly periods).")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same scale and seed always give the same workbook.")
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
def generate(path: Path, scale: str, seed: int, force: bool) -> None:
    """Write a generated input workbook of a given size (invented figures), for benchmarks.

    The workbook is valid and feasible; every figure is drawn at random from a plausible
    range and says so in its README sheet.

    \b
    Example:
      force-plan generate big.xlsx --scale large --seed 7
      force-plan generate mine.xlsx --scale 50     # 50 categories, 120 months
    """
    from .authoring.generate import generate as write_generated, scale_of

    try:
        scale_of(scale)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--scale") from None
    with reported():
        write_generated(path, scale, seed, force=force)
    click.echo(f"Wrote {path} (generated {scale} instance, seed {seed}). "
               f"Solve it: force-plan solve {path}")


def _default_output(input_path: Path) -> Path:
    return Path("outputs") / f"{input_path.stem}-plan.xlsx"


@main.command()
@click.argument("input_path", metavar="[INPUT]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Plan workbook to write [default: outputs/<input name>-plan.xlsx].")
@click.option("--solver", type=click.Choice(["highs", "cbc"], case_sensitive=False),
              help="Override the workbook's solver setting.")
@click.option("--time-limit", type=FiniteFloat(min=0, min_open=True),
              help="Solver time limit in seconds (overrides time_limit_s).")
@click.option("--mip-gap", type=FiniteFloat(min=0, max=1),
              help="Relative gap for integer mode (overrides mip_gap).")
@click.option("--threads", type=click.IntRange(min=1, max=MAX_THREADS),
              help=f"Solver threads (at most {MAX_THREADS}: 4 per CPU of this machine).")
@click.option("--integer/--no-integer", default=None,
              help="Whole classes and whole systems (overrides the integer setting).")
@click.option("--export-model", type=click.Path(path_type=Path),
              help="Also write the model as .lp or .mps (a directory: models/<input>.lp).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--timings", is_flag=True, help="Print the time of each stage (read, validate, "
              "build, solve per objective level, extract, write) and the peak memory.")
@click.option("--force", is_flag=True, help="Replace an output file force-plan did not write "
              "(and an existing --export-model file).")
@click.option("-v", "--verbose", is_flag=True, help="Show the solver's own log.")
def solve(input_path, output, solver, time_limit, mip_gap, threads, integer, export_model,
          as_json, timings, force, verbose):
    """Solve an input workbook and write the plan workbook.

    INPUT defaults to inputs/baseline.xlsx. Exit status: 0 a plan (optimal or feasible),
    2 invalid input, 3 no feasible plan (the conflicting rows are listed),
    4 solver failure or no solution within the time limit.

    \b
    Example:
      force-plan solve                                  # the bundled baseline
      force-plan solve my-plan.xlsx -o outputs/mine.xlsx --solver cbc
      force-plan solve my-plan.xlsx --integer --time-limit 120 --json
    """
    import json

    from .numbers import counted
    from .pipeline import RunOptions, solve_plan
    from .results.report import format_glance, glance
    from .results.steady_report import solve_json, solve_lines
    from .util import progress, timed
    from .inputs.load import load_inputs
    from .xlsx.save import check_output_path
    from .xlsx.plan import write_plan

    input_path = input_path or DEFAULT_INPUT
    output = output or _default_output(input_path)
    stage_times: dict = {}

    with reported(output), _stage_lines():
        progress("reading", str(input_path))
        inputs = load_inputs(input_path, stage_times)
        _print_warnings(inputs.warnings)
        progress("validate", f"valid ({counted(len(inputs.categories), 'category', 'categories')}"
                 f", {counted(len(inputs.courses), 'course')}, {counted(inputs.T, 'period')} of "
                 f"{counted(inputs.period_months, 'month')})")
        if export_model is not None and (export_model.is_dir() or not export_model.suffix):
            export_model = export_model / f"{input_path.stem}.lp"
        # refused outputs are said before the solve, not after it (and checked again then)
        found = check_output_path(output, [input_path], force, "plan")
        if export_model is not None:
            check_output_path(export_model, [input_path], force, "model")
        opts = RunOptions(solver=solver, time_limit=time_limit, mip_gap=mip_gap,
                          threads=threads, integer=integer, verbose=verbose,
                          export_model=export_model, force=force)
        results = solve_plan(inputs, opts, stage_times)
        with timed("write", stage_times):
            written = write_plan(results, output, input_path=input_path, force=force,
                                 expect=found)
        progress("write", str(written))
    summary = glance(results)
    summary["steady_state"] = solve_json(results.steady)
    summary["output"] = str(written)
    if as_json:
        click.echo(json.dumps(summary, indent=None, sort_keys=False))
    else:
        click.echo("\n".join([format_glance(summary)] + solve_lines(results.steady)))
        click.echo(f"Plan written to {written}")
    if timings:
        _print_timings(stage_times)


@main.command()
@click.argument("input_path", metavar="[INPUT]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--solver", type=click.Choice(["highs", "cbc"], case_sensitive=False),
              help="Override the workbook's solver setting.")
@click.option("--time-limit", type=FiniteFloat(min=0, min_open=True),
              help="Solver time limit in seconds (overrides time_limit_s).")
@click.option("--threads", type=click.IntRange(min=1, max=MAX_THREADS), help="Solver threads.")
@click.option("--export-model", type=click.Path(path_type=Path),
              help="Also write the stationary model as .lp or .mps (a directory: "
              "models/<input>-steady.lp).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--timings", is_flag=True, help="Print the time of each stage and the peak "
              "memory.")
@click.option("-v", "--verbose", is_flag=True, help="Show the solver's own log.")
def sustain(input_path, solver, time_limit, threads, export_model, as_json, timings, verbose):
    """What holding the last period's requirements takes, every year, for ever.

    Solves the steady state (one representative period in which every stock stays
    constant, with the last period's targets and limits) and prints recruits, starts,
    seats, instructors, orders and cost per year, the strength, shortfall and readiness
    it holds, and the limits that bind, in words. INPUT defaults to inputs/baseline.xlsx.
    Always a linear program (integer mode does not apply: it is an average).
    Exit status: 0 a steady state (shortfall is soft: it says by how much the targets
    cannot be held), 2 invalid input, 3 no steady state (a hard limit — min_fill, minimum
    starts, the force cap, the budget — cannot hold; the rows are listed), 4 solver failure.

    \b
    Example:
      force-plan sustain                       # the bundled baseline
      force-plan sustain my-plan.xlsx --json
    """
    import json

    from .errors import NoPlanError, SolverError
    from .pipeline import RunOptions, solve_options
    from .pipeline import sustain as solve_steady
    from .results.steady_report import format_sustain
    from .inputs.load import load_inputs

    input_path = input_path or DEFAULT_INPUT
    stage_times: dict = {}
    with reported():
        inputs = load_inputs(input_path, stage_times)
        _print_warnings(inputs.warnings)
        if export_model is not None and (export_model.is_dir() or not export_model.suffix):
            export_model = export_model / f"{input_path.stem}-steady.lp"
        steady = solve_steady(inputs, solve_options(inputs, RunOptions(
            solver=solver, time_limit=time_limit, threads=threads, verbose=verbose)),
            export_model, stage_times)
        if steady.status == "infeasible":
            raise NoPlanError("No steady state: the last period's hard limits cannot all "
                              "hold for ever. These input rows conflict (relax one of them):"
                              if steady.conflicts else "No steady state: the last period's "
                              "hard limits cannot all hold for ever, and the conflicting rows "
                              "could not be located.", steady.conflicts)
        if not steady.found:
            raise SolverError(f"No steady state found: {steady.message or steady.status}. "
                              "Allow more time (--time-limit) or try --solver cbc.")
    if as_json:
        click.echo(json.dumps(steady.figures, indent=None, sort_keys=False))
    else:
        click.echo(format_sustain(steady))
    if timings:
        _print_timings(stage_times)


def _print_timings(stage_times: dict) -> None:
    from .pipeline import peak_memory_mb

    say = (lambda msg: click.echo(msg, err=True))
    for stage, secs in stage_times.items():
        say(f"  {stage:<16} {secs:8.3f} s")
    say(f"  {'total':<16} {sum(stage_times.values()):8.3f} s")
    peak = peak_memory_mb()
    if peak is not None:
        say(f"  {'peak memory':<16} {peak:8,.0f} MB")


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every difference, highlighted, to this .xlsx workbook.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="Changes listed per section.")
@click.option("--force", is_flag=True, help="Replace OUTPUT even if force-plan did not write it.")
@click.option("--inputs", nargs=2, type=click.Path(dir_okay=False, path_type=Path),
              metavar="OLD NEW", help="The two plans' input workbooks [default: the files "
              "their Summaries name, found next to the plans or in inputs/].")
def compare(old: Path, new: Path, output, top: int, force: bool, inputs) -> None:
    """Say what changed between two plan workbooks, biggest changes first.

    Prints the input cells that changed (old → new), status and objectives, then strength
    and shortfall per category and period (a shortfall that mirrors strength on its line),
    training starts per course and orders per equipment (moves between sites or sources
    rolled up), each marked worse or better. Exit 2 when a file is not a plan written by
    force-plan solve.

    \b
    Example:
      force-plan solve my-plan.xlsx -o outputs/before.xlsx
      (edit my-plan.xlsx, then)
      force-plan solve my-plan.xlsx -o outputs/after.xlsx
      force-plan compare outputs/before.xlsx outputs/after.xlsx -o outputs/changes.xlsx
    """
    from .review.compare import compare_plans, format_comparison, write_comparison

    with reported():
        comparison = compare_plans(old, new, inputs or (None, None))
        if output is not None:
            write_comparison(comparison, output, force=force)
    click.echo(format_comparison(comparison, top))
    if output is not None:
        click.echo(f"Differences written to {output}")


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--against", type=click.Path(dir_okay=False, path_type=Path),
              help="An earlier plan: also say what changed and why.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write [default: the plan's name with -brief.html].")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it already exists.")
def brief(plan: Path, against, output, force: bool) -> None:
    """Write a two-page HTML brief of a plan: headline, strength and readiness by weapons
    category, the five limits that matter most, the partner menu used and, with
    --against, what changed in the inputs and why. Print it from a browser (A4).

    \b
    Example:
      force-plan brief outputs/after.xlsx --against outputs/before.xlsx -o brief.html
    """
    from .review.brief import write_brief

    output = output or plan.with_name(f"{plan.stem}-brief.html")
    with reported():
        written = write_brief(plan, output, against, force=force)
    click.echo(f"Brief written to {written}")


def _register_what_ifs() -> None:
    from .cli_whatif import risk, sweep

    main.add_command(sweep)
    main.add_command(risk)


_register_what_ifs()


if __name__ == "__main__":  # pragma: no cover
    main()
