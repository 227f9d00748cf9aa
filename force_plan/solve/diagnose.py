"""Which input rows conflict when no plan exists.

Elastic re-solve: the model is rebuilt as an LP in which every hard limit that can make
it infeasible — hard targets (min_fill), budgets, the force cap, the over-strength cap,
minimum starts and separation limits — may be violated by a slack priced at
1 / max(1, |limit|) per unit, i.e. by relative violation. The limits whose slack is
positive at the optimum are those that cannot all hold; the other limits that are binding
with a non-zero shadow price in that solve (seats, instructors, recruits, budgets, …) are
what holds them down. Both are reported in the planner's words with their cells.
"""
from __future__ import annotations


from ..inputs.typed import Inputs
from ..model.build import build
from ..model.model import RowInfo
from .levels import SolveOptions, solve

_TOL = 1e-6

_MUST_GIVE = {
    "min_fill_limit": "the hard target of {item} in {period} ({cell}{extra}) cannot be met: "
                      "{amount} persons short beyond what min_fill allows",
    "budget": "the budget of {period} ({cell}) is {amount} {cost_unit} too small",
    "force_cap": "the force cap ({cell}) would be exceeded by {amount} persons in {period}",
    "overstrength_cap": "the over-strength cap ({cell}) would be exceeded by {amount} persons "
                        "in {period}",
    "course_min_starts": "the minimum starts of {item} ({cell}) cannot be met in {period}: "
                         "{amount} starts short",
    "max_separations_limit": "the separation limit of {item} ({cell}) is {amount} persons too "
                             "low in {period}",
}
_HOLDS = {
    "seats": "the seats of {item} ({cell}) in {period}",
    "instructor_throughput": "the instructors for {item} (starts_per_instructor {cell}) in "
                             "{period}",
    "within_strength": "the trained strength of {item} that holds its reservists and "
                       "instructors in {period}",
    "recruits": "the recruits available in {period} ({cell})",
    "course_max_starts": "the maximum starts of {item} ({cell}) in {period}",
    "budget": "the budget of {period} ({cell})",
    "force_cap": "the force cap ({cell}) in {period}",
    "overstrength_cap": "the over-strength cap ({cell}) in {period}",
    "source_total": "the total available of {item} ({cell})",
}


def _say(template: str, info: RowInfo, inputs: Inputs, amount: float = 0.0,
         when: str = "the plan") -> str:
    period = when
    if info.period is not None:
        period = inputs.period_labels[info.period] if info.period < inputs.T else (
            f"look-ahead period {info.period - inputs.T + 1} (after {inputs.period_labels[-1]}, "
            "repeating its inputs)")
    extra = ""
    if info.family == "min_fill_limit":
        cat = next((c for c in inputs.categories if c.name == info.item), None)
        if cat is not None and cat.cells.get("min_fill"):
            extra = f"; min_fill {cat.min_fill:g} at {cat.cells['min_fill']}"
    return template.format(item=info.item, period=period, cell=info.cell or "no cell",
                           extra=extra, amount=f"{amount:,.6g}",
                           cost_unit=inputs.settings.cost_unit)


def diagnose(inputs: Inputs, options: SolveOptions, builder=build,
             when: str = "the plan") -> list[str]:
    """Sentences naming the conflicting input rows (empty when nothing could be located).

    ``builder(inputs, elastic=True)`` makes the elastic model (the steady state passes its
    own); ``when`` names the time of a row without a period."""
    model = builder(inputs, elastic=True)
    penalty = {s: 1.0 / max(1.0, abs(info.rhs)) for s, info in model.slack_of.items()}
    model.levels = {1: penalty}
    model.level_scale = {1: max(penalty.values(), default=1.0)}
    sol = solve(model, SolveOptions(solver=options.solver, time_limit=options.time_limit,
                                    threads=options.threads))
    if sol.values is None:
        return []
    idx = model.col_index
    must, holds = [], []
    relaxed = set()
    for slack, info in model.slack_of.items():
        amount = float(sol.values[idx[slack]]) * info.scale
        if amount > _TOL * max(1.0, abs(info.rhs)):
            relaxed.add(info.index)
            must.append(_say(_MUST_GIVE.get(info.family, "{item} in {period} ({cell})"), info,
                             inputs, amount, when))
    duals = sol.row_duals.get(1)
    if duals is not None:
        for i, (con, info) in enumerate(model.rows):
            if i in relaxed or info.family not in _HOLDS or abs(duals[i]) <= _TOL:
                continue
            holds.append(_say(_HOLDS[info.family], info, inputs, when=when))
    out = must
    if holds:
        out = must + ["held down by " + h for h in _dedupe(holds)[:15]]
    return out


def _dedupe(items: list) -> list:
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
