"""The steady state in words and beside the plan: the text of ``force-plan sustain``, the
two steady-state lines of ``force-plan solve`` and of the Summary sheet, and the plan's
last year in the same units (for the Sustainment sheet).

The plan's last year, beside the steady state (decided here; the design is silent):
- flows (recruits, starts, graduates, separations, orders, cost by line) are summed over
  the last 12/m periods of the plan — the last year; a plan shorter than a year has its
  sums scaled to a year (× 12 / (m × T));
- levels (strength, shortfall, reserve, instructors, persons in training, seats used,
  inventory, operational systems, readiness) are those of the last period, T, whose
  requirements the steady state holds; seats used (and instructors, when the plan's Data
  table has no `instructors` rows) are period T's average occupancy (MODEL.md, Time),
  from the plan's starts in T and the periods before it.
"""
from __future__ import annotations

from ..inputs.typed import Inputs
from ..model.timing import lag, seat_fraction
from ..numbers import whole
from .steady import Sustainment, fmt


# ---------------------------------------------------------------------- the plan's last year
def last_year_periods(inputs: Inputs) -> list:
    """Indices of the plan's last year: its last 12/m periods (all, if fewer)."""
    n = max(1, 12 // inputs.period_months)
    return list(range(max(0, inputs.T - n), inputs.T))


def last_year(inputs: Inputs, data) -> dict:
    """The plan's last year in the steady state's units (module docstring)."""
    labels = inputs.period_labels
    m, T = inputs.period_months, inputs.T
    span = last_year_periods(inputs)
    per_year = 12.0 / (m * len(span))
    sums: dict = {}
    for q, item, where, period, value in data.itertuples(index=False, name=None):
        sums[q, item, where, period] = sums.get((q, item, where, period), 0.0) + value
    end = labels[T - 1]

    def at(q, item, where="", period=end):
        return sums.get((q, item, where, period), 0.0)

    def flow(q, item, where=""):
        return sum(at(q, item, where, labels[t]) for t in span) * per_year

    def present(k, site_name, weight=1.0):
        """Trainees of course k at site (\"\" = none) present on average during T."""
        d = k.duration_months
        return weight * sum(seat_fraction(d, m, o) * at("starts", k.name, site_name,
                                                          labels[T - 1 - o])
                            for o in range(lag(d, m) + 1) if T - 1 - o >= 0)

    drawn = {item: v for (q, item, _w, period), v in sums.items()
             if q == "instructors" and period == end}
    own = {s.name for s in inputs.sites or () if s.own_instructors}
    routes = {k.name: [cs.site for cs in inputs.course_sites if cs.course == k.name]
              if inputs.course_sites is not None else [""] for k in inputs.courses}
    instructors: dict = {}
    for k in inputs.courses:
        if k.instructor_category and k.trainees_per_instructor:
            instructors[k.instructor_category] = instructors.get(k.instructor_category, 0.0) + \
                sum(present(k, s, 1.0 / k.trainees_per_instructor) for s in routes[k.name]
                    if s not in own)
    targets = {x.item: x.value for x in inputs.targets if x.period == T - 1}
    cats = {}
    for c in inputs.categories:
        # the plan's own figure where its Data table has one, else MODEL.md's sum
        inst = drawn.get(c.name, instructors.get(c.name, 0.0))
        eff = at("strength", c.name) - (1 - c.reserve_weight) * at("reserve", c.name) - inst
        tg = targets.get(c.name)
        cats[c.name] = {"strength": at("strength", c.name), "target": tg,
                        "shortfall": at("shortfall", c.name), "reserve": at("reserve", c.name),
                        "instructors": inst, "effective": eff,
                        "readiness": eff / tg if tg else None,
                        "separations_per_year": flow("separations", c.name)}
    courses = {}
    for k in inputs.courses:
        courses[k.name] = {
            "starts_per_year": sum(flow("starts", k.name, s) for s in routes[k.name]),
            "graduates_per_year": flow("graduates", k.name),
            "sites": {s: flow("starts", k.name, s) for s in routes[k.name] if s}}
    sites = {s.name: {"seats_used": sum(present(k, s.name) for k in inputs.courses
                                        if s.name in routes[k.name])}
             for s in inputs.sites or ()}
    eq_targets = {x.item: x.value for x in inputs.equipment_targets if x.period == T - 1}
    equipment = {}
    for e in inputs.equipment:
        tg = eq_targets.get(e.name)
        op = at("operational", e.name)
        equipment[e.name] = {"inventory": at("inventory", e.name), "operational": op,
                             "target": tg, "shortfall": at("equipment_shortfall", e.name),
                             "readiness": op / tg if tg else None}
    sources = {f"{j.source} @ {j.equipment}": {"orders_per_year": flow("acquisitions",
                                                                       j.equipment, j.source)}
               for j in inputs.sources}
    lines = {line: flow("cost", line) for line in
             ("training", "personnel", "separations", "procurement", "sustainment")}
    return {"periods": [labels[t] for t in span], "end": end,
            "in_training": sum(at("in_training", k.name) for k in inputs.courses),
            "recruits_per_year": sum(courses[k.name]["starts_per_year"]
                                     for k in inputs.courses if k.from_recruit),
            "cost_per_year": sum(lines.values()), "cost_lines": lines, "categories": cats,
            "courses": courses, "sites": sites, "equipment": equipment, "sources": sources}


# ---------------------------------------------------------------------- solve's two lines
def summary_pairs(steady: Sustainment | None) -> list:
    """The Summary's two steady-state keys: cost per year, total shortfall (persons and
    systems short for ever; text when there is no steady state)."""
    if steady is None:
        return []
    if not steady.found:
        why = "no steady state: " + ("; ".join(steady.conflicts) or steady.message
                                     or steady.status)
        return [("steady_state_cost_per_year", why), ("steady_state_shortfall", why)]
    f = steady.figures
    return [("steady_state_cost_per_year", f["cost_per_year"]),
            ("steady_state_shortfall", f["total_shortfall"] + f["total_equipment_shortfall"])]


def sustainable_sentence(steady: Sustainment) -> str:
    """Whether the final targets can be held for ever, and by how much not."""
    if steady.status != "infeasible" and not steady.found:
        return f"No steady state found: {steady.message or steady.status}."
    if not steady.found:
        return ("No steady state: the hard limits of the last period cannot all hold for "
                "ever" + (" (" + "; ".join(steady.conflicts) + ")" if steady.conflicts else ""))
    f = steady.figures
    if f["sustainable"]:
        return f"The final targets ({f['period']}) can be sustained: no steady-state shortfall."
    short = [f"{name} {whole(row['shortfall'])}" for table in (f["categories"], f["equipment"])
             for name, row in table.items() if row["shortfall"] > 1e-6]
    parts = []
    if f["total_shortfall"] > 1e-6:
        parts.append(f"{whole(f['total_shortfall'])} persons")
    if f["total_equipment_shortfall"] > 1e-6:
        parts.append(f"{whole(f['total_equipment_shortfall'])} systems")
    return (f"The final targets ({f['period']}) cannot be sustained: "
            f"{' and '.join(parts)} short for ever ({', '.join(short[:6])}"
            f"{', …' if len(short) > 6 else ''}).")


def solve_lines(steady: Sustainment | None) -> list:
    """The two lines ``force-plan solve`` prints."""
    if steady is None:
        return []
    if not steady.found:
        return ["Steady state: none (force-plan sustain names the conflicting rows).",
                sustainable_sentence(steady)]
    f = steady.figures
    return [f"Steady state: {fmt(f['cost_per_year'])} {f['cost_unit']} a year to hold the "
            f"final targets for ever (force-plan sustain for details).",
            sustainable_sentence(steady)]


def solve_json(steady: Sustainment | None) -> dict | None:
    if steady is None:
        return None
    if not steady.found:
        return {"status": steady.status_text, "conflicts": steady.conflicts}
    f = steady.figures
    return {"status": f["status"], "cost_per_year": f["cost_per_year"],
            "total_shortfall": f["total_shortfall"],
            "total_equipment_shortfall": f["total_equipment_shortfall"],
            "sustainable": f["sustainable"]}


# ---------------------------------------------------------------------- force-plan sustain
def _pct(x) -> str:
    return "" if x is None else f", readiness {x:.0%}"


def format_sustain(steady: Sustainment) -> str:
    """The sustainable force at a glance (the text of ``force-plan sustain``)."""
    f = steady.figures
    cu = f["cost_unit"]
    out = [f"Steady state: {f['status']}   ({f['solver']})",
           f"What holding {f['period']}'s requirements takes, every year "
           f"(flows per year, levels as they stand):"]
    pool = f["recruits_available_per_year"]
    out.append(f"Recruits: {fmt(f['recruits_per_year'])} a year"
               + (f" (pool {fmt(pool)} a year)" if pool is not None else " (no limit)"))
    budget = f["budget_per_year"]
    out.append(f"Cost: {fmt(f['cost_per_year'])} {cu} a year"
               + (f" (budget {fmt(budget)} a year)" if budget is not None else "")
               + ": " + ", ".join(f"{k} {fmt(v)}" for k, v in f["cost_lines"].items() if v))
    force = f["force"]
    cap = force["force_cap"]
    out.append(f"Force: {fmt(force['strength'])} trained + {fmt(force['in_training'])} in "
               f"training" + (f" (force cap {fmt(cap)})" if cap is not None else ""))
    out.append(sustainable_sentence(steady))
    if f["binding"]:
        out.append("Binding limits:")
        out += [f"  - {b['sentence']}" + (f" [{b['cell']}]" if b["cell"] else "")
                for b in f["binding"][:12]]
        if len(f["binding"]) > 12:
            out.append(f"  … and {len(f['binding']) - 12} more (--json lists them all)")
    out.append("Categories: strength, required (target), short, readiness; instructors; "
               "separations a year")
    for name, c in f["categories"].items():
        req = "no target" if c["target"] is None else (
            f"target {fmt(c['target'])}, short {fmt(c['shortfall'])}{_pct(c['readiness'])}")
        extra = f"; {fmt(c['instructors'])} instructing" if c["instructors"] else ""
        sep = f"; {fmt(c['separations_per_year'])} separated a year" \
            if c["separations_per_year"] else ""
        out.append(f"  {name}: {fmt(c['strength'])} ({req}){extra}{sep}")
    out.append("Courses: starts a year → graduates a year (by site)")
    for name, k in f["courses"].items():
        if not k["starts_per_year"]:
            continue
        sites = ", ".join(f"{s} {fmt(v)}" for s, v in k["sites"].items() if v)
        out.append(f"  {name}: {fmt(k['starts_per_year'])} → {fmt(k['graduates_per_year'])}"
                   + (f" ({sites})" if sites else ""))
    if f["sites"]:
        out.append("Sites: seats used (average trainees present) of seats")
        for name, s in f["sites"].items():
            seats = "no limit" if s["seats"] is None else fmt(s["seats"])
            state = "" if s["available"] else f" (not available in {f['period']})"
            out.append(f"  {name}: {fmt(s['seats_used'])} of {seats}{state}")
    if f["equipment"]:
        out.append("Equipment: inventory, operational / target (readiness), short")
        for name, e in f["equipment"].items():
            tg = "no target" if e["target"] is None else (
                f"{fmt(e['target'])}, short {fmt(e['shortfall'])}{_pct(e['readiness'])}")
            out.append(f"  {name}: {fmt(e['inventory'])} held, {fmt(e['operational'])} "
                       f"operational / {tg}")
    if f["sources"]:
        out.append("Orders a year by source")
        for name, s in f["sources"].items():
            note = "" if s["takes_part"] else f" (takes no part: {s['why_not']})"
            out.append(f"  {name}: {fmt(s['orders_per_year'])}{note}")
    return "\n".join(out)
