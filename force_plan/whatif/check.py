"""What force-plan validate says about the Scenarios and Uncertainty sheets.

``solve`` plans the workbook as it is and uses neither sheet; ``validate`` checks every
scenario's own workbook too (each problem naming the Scenarios cell that caused it), and
says which command uses the sheets.
"""
from __future__ import annotations

from ..errors import InputError
from ..inputs.scenarios import parse_scenarios, scenario_plan
from ..inputs.uncertainty import parse_uncertainty
from ..inputs.read import read_workbook


def check_what_ifs(path) -> tuple[list[str], list[str], int]:
    """(summary lines, warning lines, number of invalid scenarios) of a workbook whose base
    is valid."""
    raw = read_workbook(path)
    lines: list[str] = []
    warnings: list[str] = []
    bad = 0
    scenarios = parse_scenarios(raw)
    if scenarios:
        n = len(scenarios)
        lines.append(f"Scenarios: {n} scenario{'s' if n != 1 else ''} — solve plans the "
                     "workbook as it is and does not use them; force-plan sweep solves them")
        for s in scenarios.values():
            count = f"{len(s.lines)} line{'s' if len(s.lines) != 1 else ''}"
            try:
                inputs = scenario_plan(raw, s, str(path))
            except InputError as err:
                bad += 1
                k = len(err.problems)
                lines.append(f"  scenario '{s.name}' ({count}): {k} problem"
                             f"{'s' if k != 1 else ''}:")
                lines += [f"    {p}" for p in err.problems]
                warnings += [str(w) for w in err.warnings if f"scenario '{s.name}'" in str(w)]
                continue
            lines.append(f"  scenario '{s.name}': valid ({count})")
            warnings += [w for w in inputs.warnings if f"scenario '{s.name}'" in w]
    uncertain = parse_uncertainty(raw)
    if uncertain:
        n = len(uncertain)
        lines.append(f"Uncertainty: {n} line{'s' if n != 1 else ''} — solve does not use "
                     "them; force-plan risk draws them")
    return lines, warnings, bad
