"""Generated input workbooks of growing size, for benchmarks and load tests.

``generate(path, scale, seed)`` writes a complete, valid and feasible workbook of the
contract (every sheet, the default three objective levels written out) whose size is set by
``scale``:

=========  ==========  ==========================  ======================================
scale      categories  periods                     LP size (look-ahead and changes included)
=========  ==========  ==========================  ======================================
small      8           12 quarters (3 years)       2,203 variables, 2,323 constraints
baseline   24          20 quarters (5 years)       10,220 variables, 10,345 constraints
large      200         120 months (10 years)       457,762 variables, 464,245 constraints
xlarge     400         120 months (10 years)       917,586 variables, 929,807 constraints
N          N           120 months (10 years)       about 2,300 variables per category
=========  ==========  ==========================  ======================================

Everything else grows with the number of categories n: 2n courses (one entry course from
RECRUIT per category and one conversion into it), about 2n/15 training sites (a third of
them partner programmes, some open only part of the plan), about 2.4 sites per course,
n/2 equipment types and 2n/3 equipment sources.

ALL FIGURES ARE INVENTED. Names follow the capability coalitions and equipment types of
the project's BASELINE notes so that a planner recognises the shape of the problem; the
numbers are drawn at random from plausible ranges and are not data about any armed force.

Feasible by construction: hard limits (min_fill, minimum starts, seats, instructors,
budgets, the force cap) are sized from the expected training need with a margin of at
least 30 %, every course has a domestic site open for the whole plan, and shortfalls
below the hard part of a target are allowed at a price. Deterministic: the same scale and
seed always give the same cell contents (``random.Random(seed)``, values rounded).
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

from ..contract.schema import DEFAULT_OBJECTIVES, RECRUIT
from ..model.timing import lag, per_period_rate

FIRST_YEAR = 2027

IAMD = "Integrated Air and Missile Defence"
#: weapons category, priority, roles (category names), equipment types
#: (type, crew per system, unit cost, sustainment per year, loss per year, lead months)
GROUPS = (
    (IAMD, 1, ("Air defence missile crew", "Air surveillance radar operator",
               "Short-range air defence gunner", "Fire control officer"),
     (("Long-range air-defence battery", 60, 400.0, 12.0, 0.03, 24),
      ("Medium-range air-defence system", 20, 80.0, 3.0, 0.04, 18),
      ("Short-range air-defence system", 5, 4.0, 0.3, 0.08, 6),
      ("Air surveillance radar", 8, 15.0, 0.8, 0.05, 12))),
    ("Maritime", 1, ("Sailor", "Coastal defence crew", "Marine engineer",
                     "Naval drone operator"),
     (("Patrol boat", 12, 15.0, 0.5, 0.05, 24),
      ("Uncrewed surface vessel", 2, 0.3, 0.02, 0.3, 6),
      ("Coastal anti-ship missile launcher", 10, 10.0, 1.0, 0.03, 12))),
    ("Manoeuvre Infantry", 2, ("Rifleman", "Infantry NCO", "Sniper", "Mortar crew"),
     (("Infantry fighting vehicle", 3, 3.0, 0.1, 0.07, 9),
      ("Armoured personnel carrier", 2, 1.0, 0.05, 0.07, 6))),
    ("Armour", 2, ("Tank crew", "Vehicle crew", "Armour mechanic"),
     (("Main battle tank", 4, 8.0, 0.25, 0.07, 18),
      ("Armoured recovery vehicle", 3, 4.0, 0.15, 0.05, 12))),
    ("Artillery", 2, ("Artillery gunner", "Rocket artillery crew", "Fire direction specialist"),
     (("155 mm howitzer", 8, 3.0, 0.2, 0.08, 9),
      ("Multiple rocket launcher", 5, 7.0, 0.3, 0.06, 18),
      ("Counter-battery radar", 6, 10.0, 0.6, 0.05, 12))),
    ("Drones", 2, ("Drone operator", "Drone technician", "Strike drone pilot"),
     (("Reconnaissance drone", 2, 0.08, 0.005, 0.4, 0),
      ("Strike drone", 2, 0.03, 0.001, 0.5, 0))),
    ("Electronic Warfare", 2, ("Electronic warfare operator", "Electronic warfare technician"),
     (("EW system", 6, 1.5, 0.1, 0.1, 6), ("Jamming station", 4, 0.8, 0.05, 0.1, 3))),
    ("Air Force", 2, ("Pilot", "Aircraft technician", "Air traffic controller"),
     (("Fighter aircraft", 2, 80.0, 4.0, 0.03, 24),
      ("Transport helicopter", 3, 25.0, 1.5, 0.04, 18))),
    ("Demining", 2, ("Deminer", "Explosive ordnance disposal technician"),
     (("Demining vehicle", 3, 1.2, 0.05, 0.05, 6),
      ("Mine-clearing line charge", 2, 0.2, 0.01, 0.2, 3))),
    ("IT", 2, ("Cyber specialist", "IT administrator"),
     (("Cyber defence kit", 20, 2.0, 0.5, 0.1, 6), ("Data centre module", 10, 5.0, 0.5, 0.05, 9))),
    ("Signals", 3, ("Signals specialist", "Satellite communications operator"),
     (("Tactical radio node", 4, 0.3, 0.02, 0.05, 3), ("Satellite terminal", 2, 0.5, 0.05, 0.05,
                                                       6))),
    ("Logistics", 3, ("Logistics specialist", "Driver", "Supply clerk"),
     (("Logistics truck", 1, 0.12, 0.01, 0.08, 3), ("Fuel tanker", 2, 0.3, 0.02, 0.06, 6))),
    ("Medical", 3, ("Combat medic", "Nurse", "Surgeon"),
     (("Armoured ambulance", 3, 0.4, 0.02, 0.06, 6), ("Field hospital module", 20, 3.0, 0.3,
                                                      0.04, 9))),
    ("Command", 3, ("Staff officer", "Military instructor"),
     (("Command post vehicle", 6, 1.0, 0.05, 0.05, 9),)),
)
REGIONS = ("Western", "Central", "Northern", "Southern", "Eastern")
PARTNERS = ("Air defence capability coalition", "Maritime capability coalition",
            "Armour capability coalition", "Artillery capability coalition",
            "Drone capability coalition", "Demining capability coalition",
            "IT capability coalition", "Air force capability coalition",
            "Partner basic infantry programme", "Partner training mission")
DOMESTIC, FMS, PURCHASE = "Domestic production", "Foreign military sale", "Commercial purchase"
LONG = 12  # equipment types whose lead time is at least this many months are bought abroad


@dataclass(frozen=True)
class Scale:
    name: str
    categories: int
    periods: int
    period_months: int

    @property
    def courses(self) -> int:
        return 2 * self.categories

    @property
    def sites(self) -> int:
        return max(3, round(2 * self.categories / 15))

    @property
    def equipment(self) -> int:
        return max(2, self.categories // 2)

    @property
    def sources(self) -> int:
        return max(self.equipment + 1, round(2 * self.categories / 3))


SCALES = {
    "small": Scale("small", 8, 12, 3),
    "baseline": Scale("baseline", 24, 20, 3),
    "large": Scale("large", 200, 120, 1),
    "xlarge": Scale("xlarge", 400, 120, 1),
}


def scale_of(scale) -> Scale:
    """A named scale, or N categories over 120 monthly periods."""
    if isinstance(scale, Scale):
        return scale
    text = str(scale).strip().lower()
    if text in SCALES:
        return SCALES[text]
    if text.isdigit() and int(text) >= 1:
        return Scale(text, int(text), 120, 1)
    raise ValueError(f"unknown scale {scale!r}: use {', '.join(SCALES)} or a number of "
                     "categories (1 or more)")


def _labels(s: Scale) -> list[str]:
    if s.period_months == 12:
        return [str(FIRST_YEAR + t) for t in range(s.periods)]
    per_year = 12 // s.period_months
    out = []
    for t in range(s.periods):
        year, k = FIRST_YEAR + t // per_year, t % per_year + 1
        out.append(f"{year}-Q{k}" if s.period_months == 3 else
                   f"{year}-{k:02d}" if s.period_months == 1 else f"{year}-H{k}")
    return out


def _r(x: float, digits: int = 0):
    """Rounded for a cell: an int when no digits are kept."""
    return int(round(x)) if digits == 0 else round(x, digits)


def content(scale="small", seed: int = 1) -> tuple[dict, str, tuple[str, ...]]:
    """(content for ``template.write_workbook``, title, README notes) of a generated plan."""
    s = scale_of(scale)
    rng = random.Random(f"force_plan.generate/{s.name}/{s.categories}/{s.periods}/{seed}")
    m, T, n = s.period_months, s.periods, s.categories
    labels = _labels(s)
    ramp = max(1, round(36 / m))  # targets reach their final value after three years

    def ramped(start: float, end: float, t: int) -> float:
        return start + (end - start) * min(1.0, t / ramp)

    # ------------------------------------------------------------ categories, targets
    cats, by_group = [], {}
    for i in range(n):
        g = i % len(GROUPS)
        wc, prio, roles, _types = GROUPS[g]
        role = roles[(i // len(GROUPS)) % len(roles)]
        initial = _r(min(40000.0, max(100.0, rng.lognormvariate(math.log(2500), 0.7))) / 10) * 10
        cats.append(dict(
            category=f"{role} {i + 1:03d}", weapons_category=wc, priority=prio,
            initial_strength=initial,
            attrition_rate=_r(rng.uniform(0.04, 0.14) / 0.005) * 0.005,
            cost_per_person_year=_r(rng.uniform(0.018, 0.04), 3),
            growth=rng.uniform(0.9, 1.3)))
        by_group.setdefault(g, []).append(i)
    targets = []
    need = []  # expected entries per period into each category (persons)
    for i, c in enumerate(cats):
        c["attrition_rate"] = round(c["attrition_rate"], 3)
        final = c["initial_strength"] * c.pop("growth")
        row = {"category": c["category"]}
        for t, label in enumerate(labels):
            row[label] = _r(ramped(c["initial_strength"], final, t) / 10) * 10
        targets.append(row)
        growth = max(0.0, final - c["initial_strength"]) / ramp
        need.append(final * per_period_rate(c["attrition_rate"], m) + growth)
        c["separation_cost"] = round(0.5 * c["cost_per_person_year"], 4)
        c["max_separations_per_period"] = 0 if i % 7 == 3 else _r(
            0.004 * m * c["initial_strength"]) or 1
        c["overstrength_cost"] = 0.002
        if i % 2 == 0:
            c.update(reserve_cap=_r(0.08 * c["initial_strength"]),
                     reserve_weight=round(rng.uniform(0.3, 0.6), 2), reserve_cost=0.002)
        if c["priority"] == 1:
            c["min_fill"] = 0.5
        elif i % 4 == 1:
            c["min_fill"] = 0.3

    # ------------------------------------------------------------ sites
    n_partner = max(1, s.sites // 3)
    n_domestic = s.sites - n_partner
    sites = []
    for k in range(n_domestic):
        sites.append({"site": f"{REGIONS[k % len(REGIONS)]} training centre {k + 1:02d}",
                      "provider": "Domestic", "load": 0.0})
    for k in range(n_partner):
        site = {"site": f"Partner programme {k + 1:02d}", "provider": PARTNERS[k % len(PARTNERS)],
                "load": 0.0}
        if k % 3 == 1:
            site["available_until"] = labels[max(1, int(0.6 * T))]
        elif k % 3 == 2:
            site["available_from"] = labels[min(T - 1, max(1, int(0.1 * T)))]
        sites.append(site)

    # ------------------------------------------------------------ courses, course-sites
    courses, course_sites, pipeline = [], [], []
    starts_need = {}  # course name -> expected starts per period
    for i, c in enumerate(cats):
        g = i % len(GROUPS)
        group = by_group[g]
        instructor = cats[group[0]]
        pilot = c["category"].startswith("Pilot")
        for kind in ("entry", "conversion"):
            if kind == "entry":
                months = 12 if pilot else rng.choice((1, 2, 2, 3, 3, 4, 6, 9))
                yld = round(rng.uniform(0.8, 0.95), 2)
                frm = RECRUIT
                name = f"{c['category']} course"
                share = 0.8
                cost = round(rng.uniform(0.003, 0.05) * (20 if pilot else 1), 4)
            else:
                others = [j for j in group if j != i] or [j for j in range(n) if j != i]
                if not others:
                    continue
                frm = cats[others[(i // len(GROUPS)) % len(others)]]["category"]
                months = rng.choice((1, 1, 2, 2, 3, 4, 6))
                yld = round(rng.uniform(0.9, 0.98), 2)
                name = f"{frm} to {c['category']} conversion"
                share = 0.2
                cost = round(rng.uniform(0.002, 0.02), 4)
            starts = share * need[i] / yld
            starts_need[name] = starts
            course = {"course": name, "from": frm, "to": c["category"],
                      "duration_months": months, "yield": yld, "cost_per_start": cost,
                      "class_size": rng.choice((8, 10, 12, 16, 20, 24, 30))}
            if kind == "entry" and i % 10 == 5 and starts >= 1:
                course["min_starts_per_period"] = _r(0.2 * starts, 1)
            if i % 5 == 2:
                course["max_starts_per_period"] = _r(3 * starts + 10)
            if i % 2 == 0:
                course["instructor_category"] = instructor["category"]
                course["starts_per_instructor"] = round(
                    max(0.001, 4 * starts / instructor["initial_strength"]), 4)
            courses.append(course)
            L = lag(months, m)
            if kind == "entry" and L > 0:
                for t in range(min(L, 3)):
                    pipeline.append({"course": name, "period": labels[t],
                                     "graduates": _r(0.6 * starts * yld)})
            # where it is taught: a domestic site always; maybe a second one and a partner
            occupancy = starts * months / m
            home = (i * 2 + (kind == "conversion")) % n_domestic
            chosen = [home]
            if n_domestic > 1 and rng.random() < (0.8 if kind == "entry" else 0.5):
                chosen.append((home + 1 + rng.randrange(n_domestic - 1)) % n_domestic)
            if n_domestic > 2 and kind == "entry" and rng.random() < 0.4:
                third = (home + 1 + rng.randrange(n_domestic - 1)) % n_domestic
                if third not in chosen:
                    chosen.append(third)
            if rng.random() < (0.7 if kind == "entry" else 0.4):
                chosen.append(n_domestic + rng.randrange(n_partner))
            for pos, k in enumerate(chosen):
                site = sites[k]
                cs = {"course": name, "site": site["site"]}
                partner = k >= n_domestic
                if partner:
                    cs["cost_per_start"] = 0
                    cs["max_starts_per_period"] = _r(2 * starts + 5)
                site["load"] += occupancy if pos == 0 else 0.5 * occupancy
                course_sites.append(cs)
    for site in sites:
        load = site.pop("load")
        site["seats"] = _r(1.3 * load / 10 + 1) * 10

    # ------------------------------------------------------------ equipment, sources
    equipment, eq_targets, sources = [], [], []
    crewed: dict[int, list] = {}
    for e in range(s.equipment):
        g = e % len(GROUPS)
        wc, prio, _roles, types = GROUPS[g]
        kind = types[(e // len(GROUPS)) % len(types)]
        group = by_group.get(g) or list(range(n))
        crew_cat = group[(e // len(GROUPS)) % len(group)]
        crewed.setdefault(crew_cat, []).append(e)
        equipment.append([e, wc, prio, kind, crew_cat])
    procurement = 0.0
    for e, wc, prio, kind, crew_cat in equipment:
        name, crew, cost, sust, loss, lead = kind
        cat = cats[crew_cat]
        share = 0.3 * cat["initial_strength"] / len(crewed[crew_cat])
        initial = max(1, _r(share / crew))
        availability = round(rng.uniform(0.7, 0.9), 2)
        loss = round(loss * rng.uniform(0.8, 1.2), 3)
        label = f"{name} {e + 1:03d}"
        end = initial * availability * rng.uniform(1.1, 1.5)
        equipment[e] = {"equipment": label, "weapons_category": wc, "priority": prio,
                        "crew_category": cat["category"], "crew_per_system": crew,
                        "initial_inventory": initial, "loss_rate": loss,
                        "availability": availability,
                        "sustainment_cost_per_year": round(sust * rng.uniform(0.8, 1.2), 3),
                        "_cost": cost, "_lead": lead}
        row = {"equipment": label}
        for t, lab in enumerate(labels):
            row[lab] = _r(ramped(0.9 * initial * availability, end, t))
        eq_targets.append(row)
        replace = end / availability * per_period_rate(loss, m) + max(
            0.0, end / availability - initial) / ramp
        procurement += 1.3 * replace * cost
        equipment[e]["_need"] = replace
    for j in range(s.sources):
        e = j % s.equipment
        eq = equipment[e]
        per = max(1, _r(3 * eq["_need"] + 1))
        row = {"equipment": eq["equipment"]}
        if j < s.equipment:
            row.update(source=FMS if eq["_lead"] >= LONG else DOMESTIC,
                       unit_cost=round(eq["_cost"], 3), lead_time_months=eq["_lead"],
                       max_per_period=per)
        elif j < 2 * s.equipment:
            row.update(source=PARTNERS[e % 8], unit_cost=0,
                       lead_time_months=min(24, eq["_lead"] + 3),
                       max_per_period=per, total_available=_r(per * T / 4) + 1)
            if j % 3 == 0:
                row["available_until"] = labels[max(1, T // 2)]
        else:
            row.update(source=PURCHASE, unit_cost=round(1.2 * eq["_cost"], 3),
                       lead_time_months=max(0, eq["_lead"] - 3))
        sources.append(row)
    for eq in equipment:
        for key in ("_cost", "_lead", "_need"):
            eq.pop(key)

    # ------------------------------------------------------------ periods, settings
    recruits = sum(starts_need[k["course"]] for k in courses if k["from"] == RECRUIT)
    periods, peak = [], 0.0
    for t, label in enumerate(labels):
        pay = sust = 0.0
        for c, row in zip(cats, targets):
            pay += max(row[label], c["initial_strength"]) * c["cost_per_person_year"] * m / 12
        for eq, row in zip(equipment, eq_targets):
            sust += (max(eq["initial_inventory"], row[label] / eq["availability"])
                     * eq["sustainment_cost_per_year"] * m / 12)
        train = sum(starts_need[k["course"]] * k["cost_per_start"] for k in courses)
        periods.append({"period": label, "recruits_available": _r(1.5 * recruits / 10 + 1) * 10,
                        "budget": _r(1.15 * (pay + sust + 1.5 * train) + procurement)})
        peak = max(peak, sum(max(row[label], c["initial_strength"])
                             for c, row in zip(cats, targets)))
    force_cap = _r(1.12 * peak / 1000 + 1) * 1000
    title = f"generated {s.name} instance (seed {seed})"
    settings = {"plan_name": f"Generated {s.name} plan, seed {seed} (invented figures)",
                "period_months": m, "force_cap": force_cap, "cost_unit": "USD million",
                "solver": "highs", "integer": "no"}
    out = {
        "Settings": settings,
        "Periods": periods,
        "Categories": cats,
        "Targets": targets,
        "Courses": courses,
        "Sites": sites,
        "CourseSites": course_sites,
        "Pipeline": pipeline,
        "Equipment": equipment,
        "EquipmentTargets": eq_targets,
        "EquipmentSources": sources,
        "Objectives": [{"level": level, "term": term} for level, term in DEFAULT_OBJECTIVES],
    }
    notes = (
        f"ALL FIGURES ARE INVENTED. This workbook was generated by force-plan generate "
        f"(scale {s.name}, seed {seed}) to measure force_plan at size: {n} categories, "
        f"{len(courses)} courses, {len(sites)} sites, {len(equipment)} equipment types, "
        f"{len(sources)} equipment sources, {T} periods of {m} months. Names follow the "
        "capability coalitions so that the shape is recognisable; every number is drawn at "
        "random from a plausible range. It is not data about any armed force.",
        "Hard limits (min_fill, minimum starts, seats, instructors, budgets, force cap) are "
        "sized with a margin over the expected training need, so a plan exists.",
    )
    return out, title, notes


def generate(path, scale="small", seed: int = 1, *, force: bool = False) -> Path:
    """Write the generated workbook of ``scale`` and ``seed`` to ``path``; return the path."""
    from .template import write_workbook

    data, title, notes = content(scale, seed)
    path = Path(path)
    write_workbook(path, data, title=title, notes=notes, illustrative=True, force=force)
    return path
