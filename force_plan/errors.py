"""Errors a planner can act on. Each message says what is wrong and how to fix it.

Exit statuses of the command line (see ``cli.py``):
  2  InputError / NotAWorkbookError / OutputError  (bad input or unusable output path)
  3  NoPlanError                                   (hard limits conflict: no feasible plan)
  4  SolverError                                   (solver failed or found nothing in time)
"""
from __future__ import annotations

from dataclasses import dataclass


#: At most this many problems (or warnings) are printed in full; the rest are counted.
SHOWN = 200


@dataclass(frozen=True)
class Problem:
    """One located problem: ``Sheet!Cell: what is wrong — how to fix it``."""

    where: str  # "Categories!E7", "Categories" (a whole sheet) or "" (the file)
    what: str
    fix: str = ""
    warning: bool = False

    def __str__(self) -> str:
        head = f"{self.where}: " if self.where else ""
        tail = f" — {self.fix}" if self.fix else ""
        return f"{head}{self.what}{tail}"


class ForcePlanError(Exception):
    exit_code = 1


class InputError(ForcePlanError):
    """Every problem found in an input workbook, reported together."""

    exit_code = 2

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        n = len(self.problems)
        lines = [f"The workbook has {n:,} problem{'s' if n != 1 else ''}:"]
        lines += [f"  {p}" for p in self.problems[:SHOWN]]
        if n > SHOWN:
            lines.append(f"  … and {n - SHOWN:,} more (the first {SHOWN} are listed): fix "
                         "these and run validate again to see the rest")
        super().__init__("\n".join(lines))


class NotAWorkbookError(ForcePlanError):
    """The file cannot be read as an .xlsx workbook at all: one plain sentence."""

    exit_code = 2


class OutputError(ForcePlanError):
    """The plan cannot be written where asked (the previous file is left untouched)."""

    exit_code = 2


class NoPlanError(ForcePlanError):
    """Hard limits conflict; ``conflicts`` lists the input rows involved, in words."""

    exit_code = 3

    def __init__(self, message: str, conflicts: list[str] | None = None):
        self.conflicts = list(conflicts or [])
        text = message
        if self.conflicts:
            text += "\n" + "\n".join(f"  - {c}" for c in self.conflicts)
        super().__init__(text)


class SolverError(ForcePlanError):
    """The solver failed, or stopped (time limit) without any feasible plan."""

    exit_code = 4
