"""The ``force-plan`` command line: parse options, call the pipeline, print, set exit codes.

Exit statuses: 0 success (a plan, optimal or feasible), 2 invalid input or unusable output
path, 3 no feasible plan, 4 solver failure or no solution within the time limit.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import ForcePlanError, InputError

DEFAULT_INPUT = Path("inputs") / "baseline.xlsx"


def _fail(err: ForcePlanError) -> None:
    """Print a planner-facing error (no traceback) and exit with its status."""
    click.echo(str(err), err=True)
    sys.exit(err.exit_code)


def _print_warnings(warnings) -> None:
    for w in warnings:
        click.echo(f"warning: {w}", err=True)


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
    from .workbook.load import describe_plan, load_plan

    try:
        plan = load_plan(path)
    except InputError as err:
        _print_warnings(err.warnings)
        _fail(err)
    except ForcePlanError as err:
        _fail(err)
    _print_warnings(plan.warnings)
    for line in describe_plan(plan):
        click.echo(line)
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
    from .errors import OutputError
    from .workbook.template import write_example

    if path.exists() and not force:
        _fail(OutputError(f"{path} already exists; force-plan does not overwrite a file "
                          "you may have edited. Choose another name, or add --force."))
    try:
        write_example(example, path)
    except ForcePlanError as err:
        _fail(err)
    click.echo(f"Wrote {path} ({example} template). Edit it, then: force-plan validate {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
