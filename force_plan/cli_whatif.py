"""The ``force-plan sweep`` and ``force-plan risk`` commands (registered by cli.py)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import click

DEFAULT_INPUT = Path("inputs") / "baseline.xlsx"
#: most draws of a risk run (risk.MAX_KEPT bounds the memory of a large plan further)
MAX_DRAWS = 100_000


def _say(msg: str, nl: bool = True) -> None:
    click.echo(msg, err=True, nl=nl)


def _number(x) -> str:
    return "—" if x is None else f"{x:,.1f}"


def _check_executor_options(jobs: int, scheduler, dask_local) -> None:
    from .whatif.sweep import DASK_MISSING

    if scheduler and dask_local:
        raise click.UsageError("give --scheduler or --dask-local, not both")
    if (scheduler or dask_local) and jobs > 1:
        raise click.UsageError("-j is for local processes; with Dask the cluster's workers "
                               "do the work")
    if scheduler or dask_local:
        if importlib.util.find_spec("distributed") is None:
            _say(DASK_MISSING)
            sys.exit(2)


def _reoptimised(inputs, lines, draws, seed, jobs, scheduler, dask_local):
    from .whatif.risk_reopt import reoptimise
    from .whatif.sweep import Progress, executor_for

    progress = Progress(total=draws)
    tty = sys.stderr.isatty()

    def on_event(kind, name, result):
        progress.event(kind, name, result)
        if tty:
            _say(f"\r{progress.line()}", nl=False)

    fig = reoptimise(inputs, lines, draws, seed, executor_for(jobs, scheduler, dask_local),
                     on_event)
    if tty:
        _say("")
    return fig


@click.command()
@click.argument("input_path", metavar="[INPUT]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Comparison workbook to write [default: outputs/<input name>-sweep.xlsx].")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Solve this many scenarios at once, in local processes.")
@click.option("--scenario", "names", multiple=True, metavar="NAME",
              help="Solve only this scenario (and base); repeat for several.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on an existing Dask distributed scheduler, e.g. tcp://host:8786 "
              "(its workers need force-plan installed).")
@click.option("--dask-local", type=click.IntRange(min=1), metavar="N",
              help="Start a local Dask cluster of N workers and run on it.")
@click.option("--plans", "plans_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write every scenario's plan workbook into this folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object.")
@click.option("--solver", type=click.Choice(["highs", "cbc"], case_sensitive=False),
              help="Override the workbook's solver setting.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True),
              help="Solver time limit per scenario, in seconds.")
@click.option("--force", is_flag=True, help="Replace an output file force-plan did not write.")
def sweep(input_path, output, jobs, names, scheduler, dask_local, plans_dir, as_json, solver,
          time_limit, force):
    """Solve the workbook and every scenario of its Scenarios sheet; compare them.

    Each scenario is the workbook with its lines applied, validated like any workbook;
    an invalid scenario, or one with no plan, is reported and the others still run.
    Results are printed as scenarios finish; Ctrl-C stops the sweep and keeps what
    finished. The comparison workbook has one row per scenario (base first), the
    differences against base and charts side by side.

    \b
    Example:
      force-plan sweep                                   # the bundled baseline
      force-plan sweep my-plan.xlsx -j 2 --plans outputs/scenarios
      force-plan sweep my-plan.xlsx --scheduler tcp://10.0.0.5:8786
      force-plan sweep my-plan.xlsx --dask-local 4 --json
    """
    from .cli import fail, reported
    from .errors import ForcePlanError
    from .errors import OutputError
    from .pipeline import RunOptions
    from .inputs.scenarios import parse_scenarios
    from .whatif.sweep import Progress, ScenarioResult, executor_for, scenario_tasks
    from .inputs.read import read_workbook
    from .xlsx.save import check_output_path
    from .xlsx.sweep_book import write_sweep

    _check_executor_options(jobs, scheduler, dask_local)
    input_path = input_path or DEFAULT_INPUT
    output = output or Path("outputs") / f"{input_path.stem}-sweep.xlsx"
    with reported():
        check_output_path(output, [input_path], force, what="comparison", kind="sweep")
        if plans_dir is not None and plans_dir.exists() and not plans_dir.is_dir():
            raise OutputError(f"{plans_dir} is a file — --plans takes a folder.")
        raw = read_workbook(input_path)
        options = RunOptions(solver=solver, time_limit=time_limit)
        tasks = scenario_tasks(raw, input_path, options, names, plans_dir)
        lines = list(parse_scenarios(raw).values())
    base_inputs = tasks[0].inputs
    order = [t.name for t in tasks]
    if names:
        wanted = {n.strip().lower() for n in names}
        lines = [s for s in lines if s.name.lower() in wanted]
    done: dict[str, ScenarioResult] = {}
    if len(order) == 1:
        _say("note: the workbook has no Scenarios lines, so only base is solved (add a "
             "Scenarios sheet: see force-plan template)")
    executor = executor_for(jobs, scheduler, dask_local)
    progress = Progress(total=len(order))
    tty = sys.stderr.isatty()

    def on_event(kind, name, result):
        progress.event(kind, name, result)
        if kind == "done":
            done[name] = result
            base = done.get("base")
            tail = ""
            if result.solved and base is not None and base.solved and name != "base":
                dc = result.figures["total_cost"] - base.figures["total_cost"]
                ds = result.figures["total_shortfall"] - base.figures["total_shortfall"]
                tail = f" ({dc:+,.1f} cost, {ds:+,.0f} shortfall against base)"
            what = (f"cost {_number(result.figures.get('total_cost'))}, shortfall "
                    f"{_number(result.figures.get('total_shortfall'))}{tail}"
                    if result.solved else
                    " ".join(result.message.split("; ")[0].splitlines()[:2])[:300])
            _say(f"{chr(13) if tty else ''}  {result.status:<8} {name}: {what}" +
                 (" " * 10 if tty else ""))
        if tty:
            _say(f"\r{progress.line()}", nl=False)

    interrupted = False
    where = f"on Dask at {scheduler}" if scheduler else (
        f"on a local Dask cluster of {dask_local}" if dask_local else
        f"in {jobs} local processes" if jobs > 1 else "one after another")
    _say(f"Solving base and {len(order) - 1} scenario{'s' if len(order) != 2 else ''} "
         f"{where}")
    try:
        executor.run(tasks, on_event)
    except KeyboardInterrupt:
        interrupted = True
    except ForcePlanError as err:
        fail(err)
    if tty:
        _say("")
    _say(progress.line())
    results = [done.get(n) or ScenarioResult(n, "not run", "the sweep was stopped (Ctrl-C) "
                                             "before this scenario finished") for n in order]
    with reported():
        written = write_sweep(results, lines, output, input_path=str(input_path),
                              sha256=raw.sha256, cost_unit=base_inputs.settings.cost_unit,
                              force=True)
    if as_json:
        click.echo(json.dumps({"scenarios": [r.as_json() for r in results]}))
    else:
        click.echo(format_sweep(results, base_inputs.settings.cost_unit))
        click.echo(f"Comparison written to {written}")
    if interrupted:
        _say(f"Interrupted: {sum(r.status != 'not run' for r in results)} of {len(results)} "
             f"finished; their figures are in {written}.")
        sys.exit(130)


def format_sweep(results, cost_unit: str) -> str:
    width = max([len("scenario")] + [len(r.name) for r in results])
    lines = [f"{'scenario':<{width}}  {'status':<8}  {'total cost':>14}  {'shortfall':>12}  "
             f"{'equip. short':>12}  lowest P1 fill"]
    for r in results:
        f = r.figures
        fill = f.get("lowest_priority1_fill")
        lines.append(f"{r.name:<{width}}  {r.status:<8}  {_number(f.get('total_cost')):>14}  "
                     f"{_number(f.get('total_shortfall')):>12}  "
                     f"{_number(f.get('total_equipment_shortfall')):>12}  "
                     f"{'—' if fill is None else f'{fill:.1%}'}")
    lines.append(f"(cost in {cost_unit}; shortfall in person-periods, equipment in "
                 "system-periods)")
    return "\n".join(lines)


@click.command()
@click.argument("input_path", metavar="[INPUT]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-n", "--draws", type=click.IntRange(min=1, max=MAX_DRAWS), default=1000,
              show_default=True, help="Number of random draws of the Uncertainty sheet.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed gives the same figures.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Risk workbook to write [default: outputs/<input name>-risk.xlsx].")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--reoptimise", is_flag=True,
              help="Re-solve the plan for every draw instead of replaying it: what the best "
              "plan would achieve had the future been known (one solve per draw).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --reoptimise: solve this many draws at once, in local processes.")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --reoptimise: run on an existing Dask scheduler (tcp://host:8786).")
@click.option("--dask-local", type=click.IntRange(min=1), metavar="N",
              help="With --reoptimise: start a local Dask cluster of N workers.")
@click.option("--force", is_flag=True, help="Replace an output file force-plan did not write.")
def risk(input_path, draws, seed, output, as_json, reoptimise, jobs, scheduler, dask_local,
         force):
    """Solve the plan, then replay its decisions under random draws of the Uncertainty
    sheet: how likely is each target to be met?

    Reports, for every category and equipment type and every period, the probability
    that effective strength (operational systems) meets the target and the 10th, 50th
    and 90th percentiles of shortfall and strength; a fan chart per priority-1 category;
    the items most at risk in words.

    \b
    Example:
      force-plan risk                                    # the bundled baseline
      force-plan risk my-plan.xlsx -n 10000 --seed 7 -o outputs/my-risk.xlsx
      force-plan risk my-plan.xlsx --json
    """
    import time

    from .cli import reported
    from .errors import InputError, Problem
    from .pipeline import solve_plan
    from .whatif.risk import as_json as risk_json, most_at_risk, run_risk
    from .inputs.uncertainty import parse_uncertainty
    from .inputs.read import read_workbook
    from .xlsx.risk_book import write_risk
    from .xlsx.save import check_output_path
    from .inputs.validate import build_inputs

    _check_executor_options(jobs, scheduler, dask_local)
    if not reoptimise and (jobs > 1 or scheduler or dask_local):
        raise click.UsageError("-j, --scheduler and --dask-local go with --reoptimise (the "
                               "replay is one vectorised computation)")
    input_path = input_path or DEFAULT_INPUT
    output = output or Path("outputs") / f"{input_path.stem}-risk.xlsx"
    with reported(output):
        check_output_path(output, [input_path], force, what="risk workbook", kind="risk")
        raw = read_workbook(input_path)
        inputs = build_inputs(raw, str(input_path), raw.sha256)
        lines = parse_uncertainty(raw)
        if not lines:
            raise InputError([Problem("Uncertainty", "the workbook has no Uncertainty lines, "
                                      "so there is nothing to draw", "add an Uncertainty "
                                      "sheet (sheet, row, column, low, likely, high, draw): "
                                      "see force-plan template")])
        _say(f"  solving: {input_path}")
        results = solve_plan(inputs)
        t0 = time.perf_counter()
        what = f"{draws:,} draws of {len(lines)} uncertain line{'s' if len(lines) != 1 else ''}"
        if reoptimise:
            fig = _reoptimised(inputs, lines, draws, seed, jobs, scheduler, dask_local)
            _say(f"  re-solved: {what} in {time.perf_counter() - t0:.2f} s"
                 + (f"; {fig.no_plan} had no plan" if fig.no_plan else ""))
        else:
            fig = run_risk(inputs, results, lines, draws, seed)
            _say(f"  replay: {what} in {time.perf_counter() - t0:.2f} s")
        words = most_at_risk(fig, results)
        written = write_risk(fig, inputs, words, output, input_path=str(input_path),
                             sha256=raw.sha256, force=True)
    if as_json:
        click.echo(json.dumps(risk_json(fig)))
    else:
        click.echo(f"Most at risk ({draws:,} draws, seed {seed}):")
        for sentence in words:
            click.echo(f"  {sentence}")
        click.echo(f"Risk workbook written to {written}")
