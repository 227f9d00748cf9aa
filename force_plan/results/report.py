"""The at-a-glance summary printed by ``force-plan solve`` (text or one JSON object).

Enters: ``Results``. Leaves: a JSON-ready dict (``glance``) and its text
(``format_glance``). Every figure is read from headline.py, the same figures the Summary
sheet shows; nothing is computed here but rounding.
"""
from __future__ import annotations

from .headline import headline
from .extract import Results, gap_warning, level_words


def _r(x, digits: int = 3):
    return None if x is None else round(x, digits)


def glance(results: Results) -> dict:
    inputs, h = results.inputs, headline(results)
    out: dict = {
        "status": results.status_text,
        "plan_name": inputs.settings.plan_name,
        "solver": results.solver,
        "objectives": {str(lvl): {"what": level_words(inputs, lvl)[0], "value": round(v, 6)}
                       for lvl, v in results.objectives.items()},
        "lookahead_periods": results.lookahead_periods,
        "gap": results.gap,
        "warning": gap_warning(results.gap) or None,
    }
    out["end_strength"] = {"period": h.end_period, "strength": _r(h.trained),
                           "in_training": _r(h.in_training),
                           "total_force": _r(h.total_force), "target": _r(h.target),
                           "force_cap": h.force_cap, "peak_force": _r(h.peak_force),
                           "peak_period": h.peak_period}
    out["shortfall_person_periods"] = {
        "total": _r(h.shortfall_total),
        "by_priority": {str(k): _r(v) for k, v in h.shortfall_by_priority.items()},
        "by_weapons_category": {k: _r(v) for k, v in h.shortfall_by_weapons.items()},
    }
    if inputs.equipment:
        out["equipment_readiness"] = {
            "period": h.end_period,
            "by_weapons_category": {wc: {"operational": _r(op), "target": _r(target)}
                                    for wc, (op, target) in h.readiness.items()},
            "total_system_periods_short": _r(h.equipment_short_total)}
    b = h.budget
    out["budget"] = {"cost_unit": inputs.settings.cost_unit,
                     "total_cost": _r(h.total_cost, 6),
                     "budgeted_periods": list(b.periods) if b else [],
                     "spent": _r(b.spent, 6) if b else None,
                     "budget": b.available if b else None,
                     "used": _r(b.used, 6) if b else None,
                     "highest_use": _r(b.highest_use, 6) if b else None,
                     "highest_use_period": b.highest_use_period if b else None}
    out["timings_s"] = {k: round(v, 3) for k, v in results.timings.items()}
    return out


def format_glance(g: dict) -> str:
    lines = [f"Status: {g['status']}   ({g['solver']})"]
    if g.get("warning"):
        lines.append(g["warning"])
    for lvl, o in g["objectives"].items():
        lines.append(f"  objective {lvl} ({o['what']}): {o['value']:,.4f}")
    if g.get("lookahead_periods"):
        lines.append(f"  (the plan looks ahead {g['lookahead_periods']} period(s) past its end, "
                     "repeating its last period's requirements and limits, so that it does "
                     "not wind down; the objectives count them, the figures below do not)")
    e = g["end_strength"]
    cap = f"force cap {e['force_cap']:,.0f}" if e["force_cap"] is not None else "no force cap"
    lines.append(f"End strength {e['period']}: {e['strength']:,.0f} trained + "
                 f"{e['in_training']:,.0f} in training (target {e['target']:,.0f}; {cap})")
    s = g["shortfall_person_periods"]
    lines.append(f"Shortfall over the plan: {s['total']:,.0f} person-periods")
    for p, v in s["by_priority"].items():
        lines.append(f"  priority {p}: {v:,.0f}")
    for wc, v in s["by_weapons_category"].items():
        lines.append(f"  {wc}: {v:,.0f}")
    if "equipment_readiness" in g:
        r = g["equipment_readiness"]
        lines.append(f"Equipment operational vs target, {r['period']} "
                     f"({r['total_system_periods_short']:,.0f} system-periods short overall):")
        for wc, v in r["by_weapons_category"].items():
            lines.append(f"  {wc}: {v['operational']:,.0f} / {v['target']:,.0f}")
    b = g["budget"]
    unit = b["cost_unit"]
    if b["budget"] is not None:
        used = "" if b["used"] is None else f" ({b['used']:.1%})"
        n = len(b["budgeted_periods"])
        lines.append(f"Budget: {b['spent']:,.1f} of {b['budget']:,.1f} {unit}{used} in the "
                     f"{n} period{'s' if n != 1 else ''} with a budget; total cost "
                     f"{b['total_cost']:,.1f} {unit}")
    else:
        lines.append(f"Cost: {b['total_cost']:,.1f} {unit} (no budget set)")
    return "\n".join(lines)
