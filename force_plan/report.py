"""The at-a-glance summary printed by ``force-plan solve`` (text or one JSON object)."""
from __future__ import annotations

from .results import Results, level_words


def _sum(df, quantity, period=None, items=None) -> float:
    sel = df[df.quantity == quantity]
    if period is not None:
        sel = sel[sel.period == period]
    if items is not None:
        sel = sel[sel["item"].isin(items)]
    return float(sel["value"].sum())


def glance(results: Results) -> dict:
    plan, df = results.plan, results.data
    last = plan.period_labels[-1]
    out: dict = {
        "status": results.status_text,
        "plan_name": plan.settings.plan_name,
        "solver": results.solver,
        "objectives": {str(lvl): {"what": level_words(plan, lvl)[0], "value": round(v, 6)}
                       for lvl, v in results.objectives.items()},
    }
    strength = _sum(df, "strength", last)
    training = _sum(df, "in_training", last)
    out["end_strength"] = {"period": last, "strength": round(strength, 3),
                           "in_training": round(training, 3),
                           "target": round(sum(t.value for t in plan.targets
                                               if t.period == plan.T - 1), 3),
                           "force_cap": plan.settings.force_cap}
    by_priority: dict = {}
    by_wc: dict = {}
    # one pass over the table, not one per category (quadratic on large plans)
    short = df[df.quantity == "shortfall"].groupby("item", sort=False)["value"].sum()
    for cat in plan.categories:
        s = float(short.get(cat.name, 0.0))
        by_priority[str(cat.priority)] = by_priority.get(str(cat.priority), 0.0) + s
        by_wc[cat.weapons_category] = by_wc.get(cat.weapons_category, 0.0) + s
    out["shortfall_person_periods"] = {
        "total": round(sum(by_priority.values()), 3),
        "by_priority": {k: round(v, 3) for k, v in sorted(by_priority.items())},
        "by_weapons_category": {k: round(v, 3) for k, v in sorted(by_wc.items()) if v > 1e-9},
    }
    if plan.equipment:
        readiness = {}
        for wc in sorted({e.weapons_category for e in plan.equipment}):
            names = [e.name for e in plan.equipment if e.weapons_category == wc]
            target = sum(t.value for t in plan.equipment_targets
                         if t.period == plan.T - 1 and t.item in names)
            op = _sum(df, "operational", last, names)
            readiness[wc] = {"operational": round(op, 3), "target": round(target, 3)}
        out["equipment_readiness"] = {"period": last, "by_weapons_category": readiness,
                                      "total_system_periods_short":
                                          round(_sum(df, "equipment_shortfall"), 3)}
    spent = _sum(df, "cost", items=["total"])
    budgets = [p.budget for p in plan.periods]
    budget = sum(b for b in budgets if b is not None) if any(b is not None
                                                             for b in budgets) else None
    out["budget"] = {"cost_unit": plan.settings.cost_unit, "spent": round(spent, 6),
                     "budget": budget,
                     "used": round(spent / budget, 6) if budget else None}
    out["timings_s"] = {k: round(v, 3) for k, v in results.timings.items()}
    return out


def format_glance(g: dict) -> str:
    lines = [f"Status: {g['status']}   ({g['solver']})"]
    for lvl, o in g["objectives"].items():
        lines.append(f"  objective {lvl} ({o['what']}): {o['value']:,.4f}")
    e = g["end_strength"]
    cap = f"{e['force_cap']:,.0f}" if e["force_cap"] is not None else "no cap"
    lines.append(f"End strength {e['period']}: {e['strength']:,.0f} trained + "
                 f"{e['in_training']:,.0f} in training (target {e['target']:,.0f}; "
                 f"force cap {cap})")
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
    if b["budget"]:
        lines.append(f"Budget: {b['spent']:,.1f} of {b['budget']:,.1f} {b['cost_unit']} "
                     f"({b['used']:.1%})")
    else:
        lines.append(f"Cost: {b['spent']:,.1f} {b['cost_unit']} (no budget set)")
    return "\n".join(lines)
