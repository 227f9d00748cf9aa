"""The bundled baseline (inputs/baseline.xlsx), version 2: data and the builder.

ALL FIGURES ARE ILLUSTRATIVE: invented for demonstration, at most loosely scaled on the
public order-of-magnitude facts in the project's BASELINE notes (a force of about 880,000
at the start, a peacetime cap of 800,000, the capability coalitions, partner training
throughput). They are not data about any armed force.

Units: persons; money in USD million (0.02 = USD 20,000); rates per year; durations and
lead times in months; seats, limits and budgets per quarter.
"""
from __future__ import annotations

from ..contract.schema import DEFAULT_OBJECTIVES, RECRUIT

QUARTERS = [f"{y}-Q{q}" for y in range(2027, 2032) for q in range(1, 5)]
RAMP_END = 11  # targets move linearly from 2027-Q1 (index 0) to 2029-Q4 (index 11), then hold
RECRUITS = {"2027": 20000, "2028": 24000, "2029": 25000, "2030": 25000, "2031": 25000}
#: the money left for new equipment each quarter, on top of running costs (by year)
PROCUREMENT = {"2027": 1500, "2028": 2000, "2029": 2400, "2030": 2200, "2031": 2200}
RUNNING_MARGIN = 1.04  # budget = 1.04 × (pay + sustainment + training) + procurement
SETTINGS_CAP = 800000
#: the drawdown: Periods force_cap of the first two years (blank afterwards = Settings)
DRAWDOWN_CAP = (880000, 870000, 860000, 850000, 840000, 830000, 815000, SETTINGS_CAP)

IAMD = "Integrated Air and Missile Defence"
MI, MAR, CMD = "Manoeuvre Infantry", "Maritime", "Command"
# category, weapons_category, priority, initial, target 2027-Q1, target from 2029-Q4
# (None = no target), attrition per year, pay per person-year, min_fill
CATEGORIES = (
    ("Infantry rifleman", MI, 2, 285000, 276000, 250000, 0.10, 0.020, 0.7),
    ("Infantry NCO", MI, 2, 44000, 43500, 42000, 0.07, 0.024, 0.7),
    ("Infantry officer", MI, 2, 12000, 12300, 13000, 0.06, 0.032, 0.6),
    ("Tank crew", "Armour", 2, 24000, 24000, 25000, 0.08, 0.021, 0.6),
    ("Infantry fighting vehicle crew", "Armour", 2, 32000, 32000, 33000, 0.08, 0.021, 0.6),
    ("Artillery gunner", "Artillery", 2, 55000, 52000, 41000, 0.08, 0.021, 0.7),
    ("Rocket artillery crew", "Artillery", 2, 10000, 11000, 13000, 0.07, 0.022, 0.6),
    ("Air defence missile crew", IAMD, 1, 9000, 10000, 15000, 0.06, 0.026, 0.5),
    ("Short-range air defence gunner", IAMD, 1, 18000, 20000, 26000, 0.08, 0.022, 0.5),
    ("Air defence NCO", IAMD, 1, 3500, 3600, 4500, 0.06, 0.028, 0.5),
    ("Air defence officer", IAMD, 1, 1000, 1050, 1400, 0.05, 0.040, 0.5),
    ("Drone operator", "Drones", 2, 40000, 42000, 52000, 0.10, 0.021, 0.5),
    ("Drone technician", "Drones", 2, 8000, 9000, 13000, 0.08, 0.023, 0.5),
    ("Electronic warfare operator", "Electronic Warfare", 2, 6000, 7000, 10000, 0.07, 0.024, 0.5),
    ("Signals specialist", "Signals", 3, 30000, 30000, 34000, 0.08, 0.021, 0.6),
    ("Cyber and IT specialist", "IT", 2, 4000, 4500, 7000, 0.12, 0.030, 0.4),
    ("Pilot", "Air Force", 2, 1200, 1250, 1500, 0.05, 0.060, 0.6),
    ("Aircraft technician", "Air Force", 2, 9000, 9500, 11000, 0.07, 0.024, 0.6),
    ("Sailor", MAR, 1, 12000, 13000, 15000, 0.07, 0.022, 0.6),
    ("Coastal defence crew", MAR, 1, 5000, 5500, 7000, 0.07, 0.022, 0.5),
    ("Naval petty officer", MAR, 1, 2000, 2100, 2600, 0.06, 0.027, 0.5),
    ("Naval officer", MAR, 1, 800, 850, 1100, 0.05, 0.040, 0.5),
    ("Deminer", "Demining", 2, 5000, 6000, 9000, 0.09, 0.022, 0.4),
    ("Logistics specialist", "Logistics", 3, 110000, 104000, 109000, 0.08, 0.020, 0.7),
    ("Combat medic", "Medical", 2, 33000, 33000, 36000, 0.09, 0.022, 0.6),
    ("Staff officer", CMD, 2, 24000, 24000, 24000, 0.06, 0.035, 0.7),
    # no target of its own: its strength is what the instructor pool draws
    ("Military instructor", CMD, 2, 800, None, None, 0.06, 0.025, 0),
    # mobilised for the war, to be demobilised (no target; some sign a contract)
    ("Mobilised infantry", MI, 2, 70000, None, None, 0.15, 0.022, 0),
    ("Mobilised support personnel", "Logistics", 3, 26000, None, None, 0.15, 0.020, 0),
)
MOBILISED = {"Mobilised infantry": (6000, 0.008), "Mobilised support personnel": (3000, 0.008)}
SEPARATION_COST = 0.01      # half a year's pay, for a regular
SEPARATIONS_SHARE = 0.005   # at most 0.5 % of a regular category separated per quarter
OVERSTRENGTH_COST = 0.002
# category: (reserve_cap, reserve_weight, reserve_cost); no separations for pilots
RESERVES = {"Infantry rifleman": (15000, 0.3, 0.002), "Logistics specialist": (8000, 0.4, 0.002),
            "Signals specialist": (2000, 0.5, 0.002)}
NO_SEPARATIONS = ("Pilot",)
#: explicit shortfall weights (blank = from priority): a pilot short weighs like priority 1
SHORTFALL_WEIGHTS = {"Pilot": 1}

# Sites; partner programmes abroad bring their own instructors and are paid by the partner.
W, C, N, S = ("Western Training Centre", "Central Training Centre", "Northern Training Centre",
              "Southern Training Centre")
ADS, AVS, NAV, DRA = ("Air Defence School", "Aviation School", "Naval Training Centre",
                      "Drone Academy")
SIG, ENG, MED, ACA = ("Signals and Cyber School", "Engineer and Demining School",
                      "Medical Training Centre", "Military Academy")
UK, EU, PAD, PAF = ("Partner basic infantry programme", "Partner training mission",
                    "Partner air defence training", "Partner fighter training")
PMA, PDM, PDR, PIT = ("Partner maritime training", "Partner demining training",
                      "Partner drone and EW training", "Partner cyber training")
# site, provider, seats (average trainees present), available_from, available_until;
# a provider other than "Domestic" is a partner programme (own instructors, partner pays)
SITES = (
    (W, "Domestic", 7000, None, None), (C, "Domestic", 6000, None, None),
    (N, "Domestic", 5000, None, None), (S, "Domestic", 4000, "2028-Q1", None),
    (ADS, "Domestic", 2000, None, None), (AVS, "Domestic", 1600, None, None),
    (NAV, "Domestic", 1500, None, None), (DRA, "Domestic", 2500, None, None),
    (SIG, "Domestic", 2000, None, None), (ENG, "Domestic", 800, None, None),
    (MED, "Domestic", 2000, None, None), (ACA, "Domestic", 8000, None, None),
    (UK, "UK-led coalition of about ten partner nations", 2000, None, "2029-Q4"),
    (EU, "European Union training mission", 1500, None, "2028-Q4"),
    (PAD, "Air defence capability coalition", 600, "2027-Q2", None),
    (PAF, "Air force capability coalition", 150, None, None),
    (PMA, "Maritime capability coalition", 400, None, None),
    (PDM, "Demining capability coalition", 300, "2027-Q3", "2029-Q4"),
    (PDR, "Drone capability coalition", 800, None, None),
    (PIT, "IT capability coalition", 200, "2028-Q1", None),
)
R, RIF, INCO, MIN = RECRUIT, "Infantry rifleman", "Infantry NCO", "Military instructor"
ADN, SO, NPO, DO = "Air defence NCO", "Staff officer", "Naval petty officer", "Drone operator"
# course, from, to, months, yield, cost per start, instructor category, trainees per
# instructor (a shared pool), starts per instructor (a limit on the course alone), class
# size, sites
COURSES = (
    ("Basic infantry course", R, RIF, 1.25, 0.92, 0.004, MIN, 12, None, 30,
     (W, C, N, S, UK, EU)),
    ("Mobilised to contract rifleman", "Mobilised infantry", RIF, 1, 0.95, 0.002, INCO, 20, None,
     30, (W, C, N)),
    ("Infantry NCO course", RIF, INCO, 2, 0.90, 0.003, MIN, 10, None, 20, (W, C, EU)),
    ("Infantry officer course", INCO, "Infantry officer", 6, 0.90, 0.020, SO, 10, None, 20,
     (ACA,)),
    ("Instructor course", INCO, MIN, 2, 0.95, 0.004, MIN, 5, None, 10, (C,)),
    ("Tank crew course", R, "Tank crew", 4, 0.88, 0.015, "Tank crew", 10, None, 12, (N, W)),
    ("Infantry fighting vehicle crew course", R, "Infantry fighting vehicle crew", 3, 0.88,
     0.010, MIN, 12, None, 12, (N, W, EU)),
    ("Rifleman to vehicle crew conversion", RIF, "Infantry fighting vehicle crew", 2, 0.93,
     0.006, "Infantry fighting vehicle crew", 12, 0.05, 12, (N,)),
    ("Artillery gunner course", R, "Artillery gunner", 3, 0.90, 0.008, MIN, 12, None, 16, (C, S)),
    ("Rocket artillery course", R, "Rocket artillery crew", 4, 0.88, 0.012,
     "Rocket artillery crew", 8, None, 10, (C,)),
    ("Air defence missile operator course", R, "Air defence missile crew", 6, 0.85, 0.050, ADN, 8,
     None, 10, (ADS, PAD)),
    ("Short-range air defence course", R, "Short-range air defence gunner", 3, 0.90, 0.010, ADN,
     12, None, 16, (ADS, C)),
    ("Artillery to short-range air defence conversion", "Artillery gunner",
     "Short-range air defence gunner", 2, 0.95, 0.005, ADN, 12, 0.3, 16, (ADS, PAD)),
    ("Artillery to air defence missile conversion", "Artillery gunner",
     "Air defence missile crew", 4, 0.90, 0.030, ADN, 8, None, 10, (ADS, PAD)),
    ("Infantry to short-range air defence conversion", RIF, "Short-range air defence gunner", 2,
     0.92, 0.006, ADN, 12, 0.3, 16, (ADS, W)),
    ("Air defence NCO course", "Short-range air defence gunner", ADN, 3, 0.92, 0.010, ADN, 10,
     None, 10, (ADS, PAD)),
    ("Air defence officer course", R, "Air defence officer", 12, 0.85, 0.080, SO, 10, None, 10,
     (ACA, PAD)),
    ("Air defence NCO to officer conversion", ADN, "Air defence officer", 6, 0.90, 0.030, SO, 10,
     None, 10, (ACA,)),
    ("Drone operator course", R, DO, 2, 0.88, 0.006, DO, 12, None, 20, (DRA, PDR)),
    ("Infantry to drone operator conversion", RIF, DO, 1, 0.92, 0.003, DO, 12, 0.05, 20,
     (DRA, W, PDR)),
    ("Drone technician course", R, "Drone technician", 4, 0.85, 0.012, "Drone technician", 8,
     None, 12, (DRA,)),
    ("Drone operator to technician conversion", DO, "Drone technician", 2, 0.92, 0.006,
     "Drone technician", 8, None, 12, (DRA,)),
    ("Electronic warfare course", R, "Electronic warfare operator", 5, 0.85, 0.020,
     "Electronic warfare operator", 8, None, 10, (SIG, PDR)),
    ("Signals to electronic warfare conversion", "Signals specialist",
     "Electronic warfare operator", 3, 0.92, 0.012, "Electronic warfare operator", 8, 0.04, 10,
     (SIG,)),
    ("Signals course", R, "Signals specialist", 3, 0.90, 0.008, "Signals specialist", 12, None,
     16, (SIG, C)),
    ("Cyber and IT course", R, "Cyber and IT specialist", 6, 0.80, 0.030,
     "Cyber and IT specialist", 8, None, 10, (SIG, PIT)),
    ("Signals to cyber conversion", "Signals specialist", "Cyber and IT specialist", 4, 0.85,
     0.015, "Cyber and IT specialist", 8, None, 10, (SIG, PIT)),
    ("Pilot training", R, "Pilot", 12, 0.80, 2.000, "Pilot", 4, 0.04, 4, (AVS, PAF)),
    ("Aircraft technician course", R, "Aircraft technician", 9, 0.85, 0.060,
     "Aircraft technician", 8, None, 10, (AVS,)),
    ("Naval rating course", R, "Sailor", 4, 0.88, 0.012, NPO, 10, None, 12, (NAV, PMA)),
    ("Coastal defence course", R, "Coastal defence crew", 4, 0.88, 0.012, NPO, 10, None, 12,
     (NAV,)),
    ("Petty officer course", "Sailor", NPO, 3, 0.92, 0.010, NPO, 10, None, 10, (NAV, PMA)),
    ("Naval officer course", R, "Naval officer", 12, 0.85, 0.080, SO, 10, None, 10, (ACA, PMA)),
    ("Petty officer to naval officer conversion", NPO, "Naval officer", 6, 0.90, 0.030, SO, 10,
     None, 10, (ACA,)),
    ("Demining course", R, "Deminer", 2, 0.90, 0.006, "Deminer", 10, None, 12, (ENG, PDM)),
    ("Infantry to demining conversion", RIF, "Deminer", 1, 0.95, 0.003, "Deminer", 10, 0.05, 12,
     (ENG, PDM)),
    ("Logistics course", R, "Logistics specialist", 2, 0.92, 0.004, MIN, 12, None, 30,
     (W, C, N, S)),
    ("Combat medic course", R, "Combat medic", 3, 0.90, 0.008, "Combat medic", 12, None, 20,
     (MED, EU)),
    ("Infantry to combat medic conversion", RIF, "Combat medic", 2, 0.92, 0.005, "Combat medic",
     12, None, 20, (MED,)),
    ("Officer academy", R, SO, 12, 0.85, 0.060, SO, 10, None, 30, (ACA,)),
)
#: most starts per quarter of a course (blank = no limit)
MAX_STARTS = {"Mobilised to contract rifleman": 3000}
# classes under way at plan start: course, period of graduation, graduates (net of yield)
PIPELINE = (
    ("Pilot training", "2027-Q1", 30), ("Pilot training", "2027-Q2", 30),
    ("Pilot training", "2027-Q3", 25),
    ("Air defence missile operator course", "2027-Q1", 300),
    ("Air defence missile operator course", "2027-Q2", 250),
    ("Aircraft technician course", "2027-Q1", 200),
    ("Officer academy", "2027-Q1", 500), ("Officer academy", "2027-Q2", 500),
    ("Officer academy", "2027-Q3", 500),
    ("Air defence officer course", "2027-Q2", 40), ("Naval officer course", "2027-Q2", 30),
)
# equipment, weapons_category, priority, crew category, crew per system, initial inventory,
# target from 2029-Q4, loss per year, availability, sustainment per system-year
EQUIPMENT = (
    ("Long-range air-defence battery", IAMD, 1, "Air defence missile crew", 90, 10, 16, 0.03, 0.8,
     20),
    ("Medium-range air-defence system", IAMD, 1, "Air defence missile crew", 30, 30, 48, 0.04,
     0.85, 4),
    ("Short-range air-defence system", IAMD, 1, "Short-range air defence gunner", 5, 600, 1000,
     0.08, 0.85, 0.3),
    # expendable: consumed, not held (loss_rate near 1 a year)
    ("Interceptor drone", IAMD, 1, "Short-range air defence gunner", 0.25, 4000, 6000, 0.95, 0.9,
     0.002),
    ("155 mm howitzer", "Artillery", 2, "Artillery gunner", 8, 800, 1000, 0.08, 0.8, 0.2),
    ("Multiple rocket launcher", "Artillery", 2, "Rocket artillery crew", 5, 150, 250, 0.06, 0.8,
     0.3),
    ("Main battle tank", "Armour", 2, "Tank crew", 4, 900, 1000, 0.07, 0.75, 0.25),
    ("Infantry fighting vehicle", "Armour", 2, "Infantry fighting vehicle crew", 3, 2400, 2600,
     0.07, 0.8, 0.1),
    ("Reconnaissance drone", "Drones", 2, DO, 2, 5000, 8000, 0.4, 0.85, 0.005),
    ("Strike drone", "Drones", 2, DO, 1, 16000, 18000, 0.95, 0.9, 0.001),  # expendable
    ("EW system", "Electronic Warfare", 2, "Electronic warfare operator", 6, 300, 550, 0.1, 0.85,
     0.1),
    ("Patrol boat", MAR, 1, "Sailor", 12, 40, 50, 0.05, 0.75, 0.5),
    ("Uncrewed surface vessel", MAR, 1, "Sailor", 2, 150, 350, 0.3, 0.85, 0.02),
    ("Coastal anti-ship missile launcher", MAR, 1, "Coastal defence crew", 10, 20, 40, 0.03, 0.85,
     1),
    ("Fighter aircraft", "Air Force", 2, "Pilot", 1.5, 80, 100, 0.03, 0.7, 4),
    ("Transport helicopter", "Air Force", 3, "Pilot", 2, 60, 66, 0.04, 0.65, 1.5),
    ("Demining vehicle", "Demining", 2, "Deminer", 3, 150, 400, 0.05, 0.85, 0.05),
    ("Tactical radio node", "Signals", 3, "Signals specialist", 4, 1500, 2000, 0.05, 0.9, 0.02),
    ("Logistics truck", "Logistics", 3, "Logistics specialist", 1, 15000, 16500, 0.08, 0.85, 0.01),
    ("Armoured ambulance", "Medical", 3, "Combat medic", 3, 800, 1000, 0.06, 0.85, 0.02),
    ("Cyber defence kit", "IT", 2, "Cyber and IT specialist", 20, 50, 80, 0.1, 0.95, 0.5),
)
DOM, FMS, COM = "Domestic production", "Foreign military sale", "Commercial purchase"
# source, equipment, unit cost, lead months, max per quarter, total over the plan and its
# look-ahead, from, until
SOURCES = (
    (DOM, "Reconnaissance drone", 0.08, 0, 2500, None, None, None),
    (DOM, "Strike drone", 0.03, 0, 12000, None, None, None),
    (DOM, "Interceptor drone", 0.02, 0, 4000, None, None, None),
    (DOM, "EW system", 1.5, 6, 45, None, None, None),
    (DOM, "Uncrewed surface vessel", 0.25, 6, 50, None, None, None),
    (DOM, "Demining vehicle", 1.2, 6, 20, None, None, None),
    (DOM, "Tactical radio node", 0.3, 3, 100, None, None, None),
    (DOM, "Logistics truck", 0.12, 3, 600, None, None, None),
    (DOM, "Armoured ambulance", 0.4, 6, 40, None, None, None),
    (DOM, "155 mm howitzer", 3, 9, 50, None, None, None),
    (DOM, "Infantry fighting vehicle", 2.5, 12, 60, None, None, None),
    (DOM, "Coastal anti-ship missile launcher", 10, 12, 2, None, None, None),
    ("Air defence coalition", "Long-range air-defence battery", 0, 18, 1, 3, "2027-Q2", "2029-Q4"),
    ("Air defence coalition", "Medium-range air-defence system", 0, 12, 2, 10, None, None),
    ("Air defence coalition", "Short-range air-defence system", 0, 6, 40, 200, None, "2029-Q4"),
    ("Air defence coalition", "Interceptor drone", 0, 3, 1000, 12000, None, None),
    ("Armour coalition", "Main battle tank", 0, 9, 40, 300, None, "2028-Q4"),
    ("Armour coalition", "Infantry fighting vehicle", 0, 9, 60, 300, None, "2029-Q4"),
    ("Artillery coalition", "155 mm howitzer", 0, 6, 30, 200, None, None),
    ("Artillery coalition", "Multiple rocket launcher", 0, 12, 10, 60, None, None),
    ("Drone coalition", "Strike drone", 0, 3, 3000, 30000, None, None),
    ("Drone coalition", "Reconnaissance drone", 0, 3, 500, 5000, None, None),
    ("Maritime coalition", "Patrol boat", 0, 18, 2, 10, None, None),
    ("Maritime coalition", "Uncrewed surface vessel", 0, 6, 20, 100, None, None),
    ("Air force coalition", "Fighter aircraft", 0, 12, 4, 40, None, "2029-Q4"),
    ("Demining coalition", "Demining vehicle", 0, 6, 20, 120, "2027-Q2", None),
    ("IT coalition", "Cyber defence kit", 0, 6, 2, 20, None, None),
    (FMS, "Long-range air-defence battery", 900, 24, 1, None, None, None),
    (FMS, "Medium-range air-defence system", 120, 18, 2, None, None, None),
    (FMS, "Short-range air-defence system", 5, 12, 40, None, None, None),
    (DOM, "Short-range air-defence system", 4, 9, 30, None, "2028-Q1", None),
    (FMS, "Fighter aircraft", 80, 24, 4, None, None, None),
    (FMS, "Transport helicopter", 25, 18, 6, None, None, None),
    (FMS, "Main battle tank", 8, 18, 40, None, None, None),
    (FMS, "Patrol boat", 15, 24, 3, None, None, None),
    (FMS, "Multiple rocket launcher", 7, 18, 15, None, None, None),
    (COM, "Logistics truck", 0.15, 3, None, None, None, None),
    (COM, "Infantry fighting vehicle", 3, 18, 40, None, None, None),
    (COM, "Reconnaissance drone", 0.1, 3, None, None, None, None),
    (COM, "Cyber defence kit", 2, 6, 5, None, None, None),
    (COM, "Armoured ambulance", 0.5, 6, None, None, None, None),
    (COM, "Tactical radio node", 0.4, 3, None, None, None, None),
)


def _ramp(start: float, end: float, t: int, step: int) -> int:
    """Linear from start (index 0) to end (index RAMP_END), then flat; rounded to ``step``."""
    x = start + (end - start) * min(1.0, t / RAMP_END)
    return int(round(x / step) * step)


def category_targets() -> dict[str, list[int]]:
    """Per category with a target: its target in each quarter."""
    return {c[0]: [_ramp(c[4], c[5], t, 10) for t in range(len(QUARTERS))]
            for c in CATEGORIES if c[4] is not None}


def equipment_targets() -> dict[str, list[int]]:
    """From 95 % of what the initial inventory can field, up to the final target."""
    out = {}
    for name, *_, initial, end, _loss, availability, _sust in EQUIPMENT:
        start = min(end, round(0.95 * availability * initial))
        step = 10 if end >= 1000 else 1
        out[name] = [_ramp(start, end, t, step) for t in range(len(QUARTERS))]
    return out


def _quarterly(rate: float) -> float:
    return 1 - (1 - rate) ** 0.25


def _mobilised_path(initial: float, attrition: float, limit: float) -> list[float]:
    """Strength of a mobilised category separated at its limit every quarter."""
    out, s = [], initial
    for _ in QUARTERS:
        s = max(0.0, s * (1 - _quarterly(attrition)) - limit)
        out.append(s)
    return out


def budgets(cat_targets, eq_targets) -> list[int]:
    """Per quarter: 1.04 × (pay + separations + sustainment + training) + procurement.

    Pay counts every category with a target at the larger of its target and initial
    strength, the instructors at their initial strength, and the mobilised as separated at
    their limit every quarter (with the separation cost); sustainment counts the inventory
    needed to field the target (or the initial one, if larger); training pays for the
    recruits who replace losses and grow the force, on each category's entry course (its
    course from RECRUIT, or the conversion into it when it has none).
    """
    entry = {}  # category -> its entry course (from RECRUIT if there is one)
    for c in sorted(COURSES, key=lambda c: c[1] != RECRUIT):
        entry.setdefault(c[2], c)
    mobilised = {c[0]: _mobilised_path(c[3], c[6], MOBILISED[c[0]][0])
                 for c in CATEGORIES if c[0] in MOBILISED}
    out = []
    for t, label in enumerate(QUARTERS):
        pay = train = sust = separations = 0.0
        for name, _w, _p, initial, _s, _e, attrition, pay_year, _f in CATEGORIES:
            if name in mobilised:
                before = mobilised[name][t - 1] if t else initial
                pay += mobilised[name][t] * pay_year / 4
                separations += (before - mobilised[name][t]) * MOBILISED[name][1]
                continue
            if name not in cat_targets:
                pay += initial * pay_year / 4
                continue
            target = cat_targets[name][t]
            growth = max(0, target - (cat_targets[name][t - 1] if t else initial))
            pay += max(target, initial) * pay_year / 4
            course = entry[name]
            train += (target * _quarterly(attrition) + growth) / course[4] * course[5]
        for name, *_, initial, _end, _loss, availability, sust_year in EQUIPMENT:
            sust += max(initial, eq_targets[name][t] / availability) * sust_year / 4
        money = RUNNING_MARGIN * (pay + separations + sust + train) + PROCUREMENT[label[:4]]
        out.append(int(round(money / 10) * 10))
    return out


def _rows(columns: str, *tuples) -> list[dict]:
    names = columns.split()
    return [dict(zip(names, t)) for t in tuples]


def _category_row(name, wc, prio, initial, attrition, pay, min_fill) -> dict:
    cap, weight, cost = RESERVES.get(name, (None, None, None))
    if name in MOBILISED:
        limit, separation_cost = MOBILISED[name]
    else:
        limit = 0 if name in NO_SEPARATIONS else int(round(initial * SEPARATIONS_SHARE / 10) * 10)
        separation_cost = SEPARATION_COST
    return {"category": name, "weapons_category": wc, "priority": prio,
            "initial_strength": initial, "attrition_rate": attrition,
            "cost_per_person_year": pay, "separation_cost": separation_cost,
            "max_separations_per_period": limit,
            "overstrength_cost": OVERSTRENGTH_COST if min_fill else None,
            "reserve_cap": cap, "reserve_weight": weight, "reserve_cost": cost,
            "min_fill": min_fill or None, "shortfall_weight": SHORTFALL_WEIGHTS.get(name)}


def content() -> dict:
    """The baseline's sheets as ``{sheet: rows}`` for write_workbook."""
    cat_targets, eq_targets = category_targets(), equipment_targets()
    money = budgets(cat_targets, eq_targets)
    caps = list(DRAWDOWN_CAP) + [None] * (len(QUARTERS) - len(DRAWDOWN_CAP))
    partner = {s[0] for s in SITES if s[1] != "Domestic"}
    return {
        "Settings": {"plan_name": "Illustrative baseline (invented figures)", "period_months": 3,
                     "force_cap": SETTINGS_CAP, "cost_unit": "USD million", "solver": "highs",
                     "integer": "no"},
        "Periods": [{"period": q, "recruits_available": RECRUITS[q[:4]], "budget": b,
                     "force_cap": cap} for q, b, cap in zip(QUARTERS, money, caps)],
        "Categories": [_category_row(c[0], c[1], c[2], c[3], c[6], c[7], c[8])
                       for c in CATEGORIES],
        "Targets": [{"category": c, **dict(zip(QUARTERS, v))} for c, v in cat_targets.items()],
        "Courses": [{"course": k, "from": f, "to": to, "duration_months": d, "yield": y,
                     "cost_per_start": cost, "max_starts_per_period": MAX_STARTS.get(k),
                     "instructor_category": ins, "trainees_per_instructor": tpi,
                     "starts_per_instructor": spi, "class_size": cls}
                    for k, f, to, d, y, cost, ins, tpi, spi, cls, _sites in COURSES],
        "Sites": [{"site": s, "provider": p, "seats": seats, "available_from": a,
                   "available_until": u, "own_instructors": "yes" if s in partner else "no"}
                  for s, p, seats, a, u in SITES],
        "CourseSites": [{"course": k[0], "site": s, "cost_per_start": 0 if s in partner
                         else None} for k in COURSES for s in k[10]],
        "Pipeline": _rows("course period graduates", *PIPELINE),
        "Equipment": _rows("equipment weapons_category priority crew_category crew_per_system "
                           "initial_inventory loss_rate availability sustainment_cost_per_year",
                           *((e[:6] + e[7:]) for e in EQUIPMENT)),
        "EquipmentTargets": [{"equipment": e, **dict(zip(QUARTERS, v))}
                             for e, v in eq_targets.items()],
        "EquipmentSources": _rows("source equipment unit_cost lead_time_months max_per_period "
                                  "total_available available_from available_until", *SOURCES),
        "Objectives": [{"level": level, "term": term} for level, term in DEFAULT_OBJECTIVES],
    }


NOTES = (
    "ALL FIGURES ARE ILLUSTRATIVE. This baseline is invented for demonstration. A few public, "
    "order-of-magnitude facts keep it recognisable: a force of about 880,000 at the start, "
    "much of it mobilised; a peacetime force cap of about 800,000; personnel grouped by the "
    "partner capability coalitions (air force, armour, artillery, demining, drones, integrated "
    "air and missile defence, IT, maritime) plus manoeuvre infantry, electronic warfare, "
    "signals, logistics, medical and command; a partner basic-infantry programme of about "
    "20,000 starts a year, i.e. about 2,000 seats. Everything else — strengths, rates, pay, "
    "costs, seats, equipment numbers, lead times, budgets — is made up. It is not data about "
    "any armed force.",
    "Periods are quarters, 2027-Q1 to 2031-Q4. The force starts near 880,000 trained persons, "
    "96,000 of them in the two mobilised categories, which have no target: they are "
    "demobilised (separations of at most 6,000 and 3,000 a quarter, at a cost of 0.008 each) "
    "or sign a contract (a one-month course into Infantry rifleman). Periods force_cap steps "
    "the cap down from 880,000 in 2027-Q1 to 800,000 in 2028-Q4; blank cells after that take "
    "the Settings force_cap of 800,000, which the plan then sustains. The final targets "
    "(796,100) plus the trainees and the instructors they draw come to more than the cap, "
    "so the cap binds from 2028-Q4 and the plan runs a priority-3 category about 1,600 "
    "short: the price of the cap, shown on the Bottlenecks sheet.",
    "Targets move in a straight line from 2027-Q1 to 2029-Q4 and then hold. Air defence and "
    "maritime categories and equipment have priority 1 (a deterrence presence focused on air "
    "defence and maritime security), the rest 2 or 3. Each priority-1 branch has its own "
    "NCOs and officers (Air defence NCO and officer, Naval petty officer and officer), as "
    "does the infantry; staff officers come from the academy.",
    "Instructors: a domestic course draws its instructors from the category named in "
    "instructor_category, one per trainees_per_instructor trainees present, from a pool "
    "shared by every course that category teaches; instructors do not count toward their "
    "category's target. Military instructor has no target of its own: its strength is the "
    "pool. Partner programmes abroad (Sites own_instructors yes) bring their own instructors "
    "and cost this force nothing (cost_per_start 0 on CourseSites: the partner pays). "
    "starts_per_instructor, where given, is a limit on that course alone: at most that many "
    "starts a quarter per trained person of the category (e.g. 0.05 = 5 %).",
    "Expendable systems — strike drones and interceptor drones — are consumed, not held: their "
    "loss_rate is 0.95 a year (about 53 % a quarter), so the plan orders them every quarter. "
    "Partner equipment offers on EquipmentSources have unit_cost 0 and a total_available "
    "limit; the lead times run from 0 (domestic drones) to 24 months (purchases abroad).",
    "Money is in USD million: a person costs about 0.02 (USD 20,000) a year. The budget of each "
    "quarter is worked out by force_plan/authoring/example_baseline.py: 1.04 × (pay, "
    "demobilisation, sustainment of the equipment the targets need, and training that replaces losses) + a "
    "procurement envelope of 1,500 to 2,400 a quarter.",
    "Objectives are the default: level 1 the least shortfall of persons and equipment "
    "(weighted by priority), level 2 the least cost, level 3 the steadiest plan (changes). "
    "lookahead_periods is blank: the plan looks past 2031-Q4 by the longest course or "
    "lead-time lag + 1, so that its last quarters train and order as if the force goes on.",
)
