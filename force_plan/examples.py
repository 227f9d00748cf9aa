"""The bundled example workbooks, as plain Python data.

Three examples, each a ``{sheet name: [row dict, ...]}`` content for
``force_plan.workbook.template.write_workbook``:

- ``blank``    one illustrative row per sheet, yearly periods 2027..2031: the template.
- ``small``    three categories, four yearly periods: every number small and easy to follow.
- ``baseline`` a quarterly five-year plan for a force of about 800,000.

ALL FIGURES ARE ILLUSTRATIVE. They are invented for demonstration, at most loosely scaled
on public order-of-magnitude facts (the force cap, the capability coalitions, partner
training throughput: see the project's BASELINE notes), and are not data about any armed
force.

Regenerate the committed workbooks from the repository root with::

    python -m force_plan.examples            # writes inputs/baseline.xlsx, inputs/small.xlsx
    python -m force_plan.examples OUTDIR     # elsewhere
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .schema import DEFAULT_OBJECTIVES, RECRUIT

NAMES = ("blank", "small", "baseline")
#: the examples committed under inputs/
COMMITTED = ("baseline", "small")


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    content: dict
    notes: tuple[str, ...] = ()
    illustrative: bool = True


def example(name: str) -> Example:
    """The example called ``name`` (one of NAMES)."""
    builders = {"blank": blank, "small": small, "baseline": baseline}
    if name not in builders:
        raise ValueError(f"unknown example {name!r}; choose one of {', '.join(NAMES)}")
    return builders[name]()


def _rows(columns: str, *tuples) -> list[dict]:
    """Row dicts from a column list ("a b c") and value tuples; None = blank cell."""
    names = columns.split()
    return [dict(zip(names, t)) for t in tuples]


def _default_objectives() -> list[dict]:
    return [{"level": level, "term": term} for level, term in DEFAULT_OBJECTIVES]


# =========================================================================== blank
def blank() -> Example:
    """One illustrative row per sheet; valid as it stands, meant to be overwritten."""
    years = [str(y) for y in range(2027, 2032)]
    content = {
        "Settings": {"plan_name": "My force plan", "period_months": 12,
                     "cost_unit": "USD million"},
        "Periods": [{"period": y, "recruits_available": 200, "budget": 80} for y in years],
        "Categories": _rows(
            "category weapons_category priority initial_strength attrition_rate "
            "cost_per_person_year min_fill",
            ("Rifleman", "Manoeuvre Infantry", 1, 1000, 0.1, 0.02, 0.8)),
        "Targets": [{"category": "Rifleman", **{y: 1000 for y in years}}],
        "Courses": _rows(
            "course from to duration_months yield cost_per_start instructor_category "
            "starts_per_instructor",
            ("Basic infantry course", RECRUIT, "Rifleman", 3, 0.9, 0.005, "Rifleman", 0.5)),
        "Sites": _rows("site provider seats", ("Training centre", "Domestic", 200)),
        "CourseSites": _rows("course site", ("Basic infantry course", "Training centre")),
        "Pipeline": _rows("course period graduates", ("Basic infantry course", "2027", 50)),
        "Equipment": _rows(
            "equipment weapons_category priority crew_category crew_per_system "
            "initial_inventory loss_rate availability sustainment_cost_per_year",
            ("Infantry fighting vehicle", "Manoeuvre Infantry", 1, "Rifleman", 3, 100, 0.05,
             0.8, 0.1)),
        "EquipmentTargets": [{"equipment": "Infantry fighting vehicle", **{y: 80 for y in years}}],
        "EquipmentSources": _rows(
            "source equipment unit_cost lead_time_months max_per_period",
            ("Domestic production", "Infantry fighting vehicle", 2, 12, 20)),
        "Objectives": _default_objectives(),
    }
    notes = ("This is the blank template: every sheet holds one illustrative row (invented "
             "figures) that shows how a row is filled in. Overwrite the rows with your own, "
             "add rows below them, and delete the optional sheets you do not need (Sites, "
             "CourseSites, Pipeline, Equipment, EquipmentTargets, EquipmentSources, "
             "Objectives).",
             "The Objectives rows are the default: first the least shortfall of persons and "
             "equipment, then the least cost.")
    return Example("blank", "blank template", content, notes)


# =========================================================================== small
def small() -> Example:
    """Three categories, four years; small round numbers that can be checked by hand."""
    years = ["2027", "2028", "2029", "2030"]
    content = {
        "Settings": {"plan_name": "Small example (illustrative)", "period_months": 12,
                     "force_cap": 1400, "cost_unit": "USD thousand", "solver": "highs",
                     "integer": "no"},
        "Periods": [{"period": y, "recruits_available": 400, "budget": 32000} for y in years],
        "Categories": _rows(
            "category weapons_category priority initial_strength attrition_rate "
            "cost_per_person_year separation_cost max_separations_per_period "
            "overstrength_cost reserve_cap reserve_weight reserve_cost min_fill",
            ("Rifleman", "Manoeuvre Infantry", 2, 1000, 0.10, 20, 10, 50, 5, 100, 0.5, 2, 0.8),
            ("Drone operator", "Drones", 1, 100, 0.08, 25, None, None, None, None, None, None,
             0.5),
            ("Instructor", "Command", 2, 40, 0.05, 30, None, 0, None, None, None, None, 0.5)),
        "Targets": _rows("category " + " ".join(years),
                         ("Rifleman", 950, 950, 950, 950),
                         ("Drone operator", 150, 200, 250, 250),
                         ("Instructor", 40, 45, 50, 50)),
        "Courses": _rows(
            "course from to duration_months yield cost_per_start max_starts_per_period "
            "instructor_category starts_per_instructor class_size",
            ("Basic training", RECRUIT, "Rifleman", 3, 0.9, 5, None, "Instructor", 10, 20),
            ("Drone operator course", RECRUIT, "Drone operator", 6, 0.85, 15, None, None, None,
             10),
            ("Infantry to drone conversion", "Rifleman", "Drone operator", 2, 0.95, 8, None,
             "Drone operator", 0.5, 10),
            ("Instructor course", "Rifleman", "Instructor", 3, 1, 4, 20, None, None, 5)),
        "Sites": _rows("site provider seats available_from available_until",
                       ("Home training centre", "Domestic", 150, None, None),
                       ("Partner programme", "Partner nation", 40, "2028", None)),
        "CourseSites": _rows(
            "course site max_starts_per_period cost_per_start",
            ("Basic training", "Home training centre", None, None),
            ("Basic training", "Partner programme", None, 0),
            ("Drone operator course", "Home training centre", None, None),
            ("Infantry to drone conversion", "Home training centre", None, None),
            ("Infantry to drone conversion", "Partner programme", 20, 0),
            ("Instructor course", "Home training centre", None, None)),
        "Pipeline": _rows("course period graduates", ("Drone operator course", "2027", 20)),
        "Equipment": _rows(
            "equipment weapons_category priority crew_category crew_per_system "
            "initial_inventory loss_rate availability sustainment_cost_per_year",
            ("Armoured vehicle", "Manoeuvre Infantry", 2, "Rifleman", 3, 60, 0.05, 0.8, 10),
            ("Reconnaissance drone", "Drones", 1, "Drone operator", 2, 40, 0.3, 0.9, 1)),
        "EquipmentTargets": _rows("equipment " + " ".join(years),
                                  ("Armoured vehicle", 48, 50, 55, 55),
                                  ("Reconnaissance drone", 36, 60, 80, 100)),
        "EquipmentSources": _rows(
            "source equipment unit_cost lead_time_months max_per_period total_available "
            "available_from",
            ("Domestic production", "Reconnaissance drone", 20, 0, 40, None, None),
            ("Partner donation", "Armoured vehicle", 0, 12, None, 10, None),
            ("Purchase", "Armoured vehicle", 400, 24, 5, None, "2028")),
        "Objectives": _default_objectives(),
    }
    notes = (
        "The small example: a force of about 1,200 in three categories over four years. "
        "Money is in USD thousand: a rifleman costs 20 a year, a drone operator 25.",
        "Riflemen start slightly above their target of 950, so some can be converted into "
        "drone operators (a two-month conversion course, at most 0.5 starts a year per "
        "trained drone operator, who act as instructors).",
        "The partner programme opens in 2028 and is free to this force (cost_per_start 0 on "
        "CourseSites: the partner pays). The purchased armoured vehicles arrive the year "
        "after they are ordered (24-month lead time with 12-month periods).",
    )
    return Example("small", "small example", content, notes)


# =========================================================================== baseline
# Every figure below is invented. Units: persons; money in USD million (0.02 = USD 20,000);
# rates per year; durations and lead times in months; seats and limits per quarter.
QUARTERS = [f"{y}-Q{q}" for y in range(2027, 2032) for q in range(1, 5)]
RAMP_END = 11  # targets grow linearly from 2027-Q1 (index 0) to 2029-Q4 (index 11), then hold
RECRUITS = {"2027": 24000, "2028": 25000, "2029": 26000, "2030": 26000, "2031": 26000}
#: the money left for new equipment each quarter, on top of running costs (by year)
PROCUREMENT = {"2027": 1200, "2028": 1800, "2029": 2200, "2030": 2000, "2031": 1500}
RUNNING_MARGIN = 1.04  # budget = 1.04 × (pay + sustainment + training) + procurement

IAMD = "Integrated Air and Missile Defence"
# category, weapons_category, priority, initial, target 2027-Q1, target from 2029-Q4,
# attrition per year, pay per person-year, min_fill
CATEGORIES = (
    ("Infantry rifleman", "Manoeuvre Infantry", 2, 262000, 255000, 245000, 0.10, 0.020, 0.7),
    ("Infantry NCO", "Manoeuvre Infantry", 2, 41000, 42000, 44000, 0.07, 0.024, 0.7),
    ("Tank crew", "Armour", 2, 22000, 23000, 25000, 0.08, 0.021, 0.6),
    ("Infantry fighting vehicle crew", "Armour", 2, 30000, 31000, 33000, 0.08, 0.021, 0.6),
    ("Artillery gunner", "Artillery", 2, 48000, 46000, 42000, 0.08, 0.021, 0.7),
    ("Rocket artillery crew", "Artillery", 2, 10000, 11000, 13000, 0.07, 0.022, 0.6),
    ("Air defence missile crew", IAMD, 1, 9000, 10000, 16000, 0.06, 0.026, 0.5),
    ("Short-range air defence gunner", IAMD, 1, 18000, 20000, 27000, 0.08, 0.022, 0.5),
    ("Drone operator", "Drones", 2, 36000, 40000, 54000, 0.10, 0.021, 0.5),
    ("Drone technician", "Drones", 2, 8000, 9000, 13000, 0.08, 0.023, 0.5),
    ("Electronic warfare operator", "Electronic Warfare", 2, 6000, 7000, 10000, 0.07, 0.024, 0.5),
    ("Signals specialist", "Signals", 3, 28000, 29000, 34000, 0.08, 0.021, 0.6),
    ("Cyber and IT specialist", "IT", 2, 4000, 4500, 7000, 0.12, 0.030, 0.4),
    ("Pilot", "Air Force", 2, 1200, 1250, 1500, 0.05, 0.060, 0.6),
    ("Aircraft technician", "Air Force", 2, 9000, 9500, 11500, 0.07, 0.024, 0.6),
    ("Sailor", "Maritime", 1, 12000, 13000, 16000, 0.07, 0.022, 0.6),
    ("Coastal defence crew", "Maritime", 1, 5000, 5500, 7000, 0.07, 0.022, 0.5),
    ("Deminer", "Demining", 2, 5000, 6000, 10000, 0.09, 0.022, 0.4),
    ("Logistics specialist", "Logistics", 3, 98000, 100000, 110000, 0.08, 0.020, 0.7),
    ("Combat medic", "Medical", 2, 30000, 31000, 36000, 0.09, 0.022, 0.6),
    ("Staff officer", "Command", 3, 24000, 25000, 27000, 0.06, 0.035, 0.7),
    ("Military instructor", "Command", 2, 6000, 6500, 7500, 0.06, 0.025, 0.6),
)
SEPARATION_COST = 0.01      # half a year's pay, for every category
SEPARATIONS_SHARE = 0.005   # at most 0.5 % of the initial strength separated per quarter
OVERSTRENGTH_COST = 0.002
# category: (reserve_cap, reserve_weight, reserve_cost); no separations for pilots
RESERVES = {"Infantry rifleman": (15000, 0.3, 0.002), "Logistics specialist": (8000, 0.4, 0.002),
            "Signals specialist": (2000, 0.5, 0.002)}
NO_SEPARATIONS = ("Pilot",)
#: explicit shortfall weights (blank = from priority): a pilot short weighs like priority 1
SHORTFALL_WEIGHTS = {"Pilot": 1}

# Sites. Partner programmes marked True are paid by the partner: cost_per_start 0 there.
W, C, N, S = ("Western Training Centre", "Central Training Centre", "Northern Training Centre",
              "Southern Training Centre")
ADS, AVS, NAV, DRA = "Air Defence School", "Aviation School", "Naval Training Centre", \
    "Drone Academy"
SIG, ENG, MED, ACA = ("Signals and Cyber School", "Engineer and Demining School",
                      "Medical Training Centre", "Military Academy")
UK, EU, PAD, PAF = ("Partner basic infantry programme", "Partner training mission",
                    "Partner air defence training", "Partner fighter training")
PMA, PDM, PDR, PIT = ("Partner maritime training", "Partner demining training",
                      "Partner drone and EW training", "Partner cyber training")
# site, provider, seats (average trainees present), available_from, available_until, partner pays
SITES = (
    (W, "Domestic", 8000, None, None, False),
    (C, "Domestic", 6000, None, None, False),
    (N, "Domestic", 5000, None, None, False),
    (S, "Domestic (opens 2028)", 4000, "2028-Q1", None, False),
    (ADS, "Domestic", 1500, None, None, False),
    (AVS, "Domestic", 1600, None, None, False),
    (NAV, "Domestic", 1200, None, None, False),
    (DRA, "Domestic", 2500, None, None, False),
    (SIG, "Domestic", 2000, None, None, False),
    (ENG, "Domestic", 800, None, None, False),
    (MED, "Domestic", 2000, None, None, False),
    (ACA, "Domestic", 5000, None, None, False),
    (UK, "UK-led coalition of about ten partner nations", 2000, None, "2029-Q4", True),
    (EU, "European Union training mission", 2500, None, "2028-Q4", True),
    (PAD, "Air defence capability coalition", 600, "2027-Q2", None, True),
    (PAF, "Air force capability coalition", 150, None, None, True),
    (PMA, "Maritime capability coalition", 400, None, None, True),
    (PDM, "Demining capability coalition", 300, "2027-Q3", "2030-Q4", True),
    (PDR, "Drone capability coalition", 800, None, None, True),
    (PIT, "IT capability coalition", 200, "2028-Q1", None, True),
)
R = RECRUIT
# course, from, to, months, yield, cost per start, instructor category, starts per instructor
# per quarter, class size, sites
COURSES = (
    ("Basic infantry course", R, "Infantry rifleman", 2, 0.90, 0.004, "Military instructor", 2,
     30, (W, C, N, S, UK, EU)),
    ("Infantry NCO course", "Infantry rifleman", "Infantry NCO", 2, 0.90, 0.003,
     "Military instructor", 1, 20, (W, C)),
    ("Instructor course", "Infantry NCO", "Military instructor", 2, 0.95, 0.004,
     "Military instructor", 0.2, 10, (C,)),
    ("Tank crew course", R, "Tank crew", 4, 0.88, 0.015, "Tank crew", 0.05, 12, (N, W)),
    ("Infantry fighting vehicle crew course", R, "Infantry fighting vehicle crew", 3, 0.88, 0.010,
     None, None, 12, (N, W, EU)),
    ("Rifleman to vehicle crew conversion", "Infantry rifleman", "Infantry fighting vehicle crew",
     2, 0.93, 0.006, "Infantry fighting vehicle crew", 0.05, 12, (N,)),
    ("Artillery gunner course", R, "Artillery gunner", 3, 0.90, 0.008, None, None, 16, (C, S)),
    ("Rocket artillery course", R, "Rocket artillery crew", 4, 0.88, 0.012,
     "Rocket artillery crew", 0.05, 10, (C,)),
    ("Air defence missile operator course", R, "Air defence missile crew", 6, 0.85, 0.050,
     "Air defence missile crew", 0.06, 10, (ADS, PAD)),
    ("Short-range air defence course", R, "Short-range air defence gunner", 3, 0.90, 0.010,
     "Short-range air defence gunner", 0.1, 16, (ADS, C)),
    ("Artillery to short-range air defence conversion", "Artillery gunner",
     "Short-range air defence gunner", 2, 0.95, 0.005, "Short-range air defence gunner", 0.05,
     16, (ADS, PAD)),
    ("Artillery to air defence missile conversion", "Artillery gunner",
     "Air defence missile crew", 4, 0.90, 0.030, "Air defence missile crew", 0.04, 10,
     (ADS, PAD)),
    ("Infantry to short-range air defence conversion", "Infantry rifleman",
     "Short-range air defence gunner", 2, 0.92, 0.006, "Short-range air defence gunner", 0.05,
     16, (ADS, W)),
    ("Drone operator course", R, "Drone operator", 2, 0.88, 0.006, "Drone operator", 0.1, 20,
     (DRA, PDR)),
    ("Infantry to drone operator conversion", "Infantry rifleman", "Drone operator", 1, 0.92,
     0.003, "Drone operator", 0.05, 20, (DRA, W, PDR)),
    ("Drone technician course", R, "Drone technician", 4, 0.85, 0.012, "Drone technician", 0.1,
     12, (DRA,)),
    ("Drone operator to technician conversion", "Drone operator", "Drone technician", 2, 0.92,
     0.006, "Drone technician", 0.05, 12, (DRA,)),
    ("Electronic warfare course", R, "Electronic warfare operator", 5, 0.85, 0.020,
     "Electronic warfare operator", 0.08, 10, (SIG, PDR)),
    ("Signals to electronic warfare conversion", "Signals specialist",
     "Electronic warfare operator", 3, 0.92, 0.012, "Electronic warfare operator", 0.04, 10,
     (SIG,)),
    ("Signals course", R, "Signals specialist", 3, 0.90, 0.008, None, None, 16, (SIG, C)),
    ("Cyber and IT course", R, "Cyber and IT specialist", 6, 0.80, 0.030,
     "Cyber and IT specialist", 0.1, 10, (SIG, PIT)),
    ("Signals to cyber conversion", "Signals specialist", "Cyber and IT specialist", 4, 0.85,
     0.015, "Cyber and IT specialist", 0.05, 10, (SIG, PIT)),
    ("Pilot training", R, "Pilot", 12, 0.80, 2.000, "Pilot", 0.04, 4, (AVS, PAF)),
    ("Aircraft technician course", R, "Aircraft technician", 9, 0.85, 0.060, None, None, 10,
     (AVS,)),
    ("Naval rating course", R, "Sailor", 4, 0.88, 0.012, "Sailor", 0.05, 12, (NAV, PMA)),
    ("Coastal defence course", R, "Coastal defence crew", 4, 0.88, 0.012, None, None, 12, (NAV,)),
    ("Demining course", R, "Deminer", 2, 0.90, 0.006, "Deminer", 0.1, 12, (ENG, PDM)),
    ("Infantry to demining conversion", "Infantry rifleman", "Deminer", 1, 0.95, 0.003,
     "Deminer", 0.05, 12, (ENG, PDM)),
    ("Logistics course", R, "Logistics specialist", 2, 0.92, 0.004, "Military instructor", 2, 30,
     (W, C, N, S)),
    ("Combat medic course", R, "Combat medic", 3, 0.90, 0.008, None, None, 20, (MED, EU)),
    ("Infantry to combat medic conversion", "Infantry rifleman", "Combat medic", 2, 0.92, 0.005,
     "Combat medic", 0.05, 20, (MED,)),
    ("Officer academy", R, "Staff officer", 12, 0.85, 0.060, None, None, 30, (ACA,)),
)
# classes under way at plan start: course, period of graduation, graduates (net of yield)
PIPELINE = (("Pilot training", "2027-Q1", 30), ("Pilot training", "2027-Q2", 30),
            ("Pilot training", "2027-Q3", 25), ("Air defence missile operator course", "2027-Q1",
                                                300),
            ("Air defence missile operator course", "2027-Q2", 250),
            ("Aircraft technician course", "2027-Q1", 200), ("Officer academy", "2027-Q1", 600),
            ("Officer academy", "2027-Q2", 600), ("Officer academy", "2027-Q3", 600))
# equipment, weapons_category, priority, crew category, crew per system, initial inventory,
# target from 2029-Q4, loss per year, availability, sustainment per system-year
EQUIPMENT = (
    ("Long-range air-defence battery", IAMD, 1, "Air defence missile crew", 90, 10, 16, 0.03, 0.8,
     20),
    ("Medium-range air-defence system", IAMD, 1, "Air defence missile crew", 30, 30, 48, 0.04,
     0.85, 4),
    ("Short-range air-defence system", IAMD, 1, "Short-range air defence gunner", 5, 600, 1000,
     0.08, 0.85, 0.3),
    ("Interceptor drone", IAMD, 1, "Short-range air defence gunner", 0.5, 2000, 6000, 0.5, 0.9,
     0.002),
    ("155 mm howitzer", "Artillery", 2, "Artillery gunner", 8, 800, 1000, 0.08, 0.8, 0.2),
    ("Multiple rocket launcher", "Artillery", 2, "Rocket artillery crew", 5, 150, 250, 0.06, 0.8,
     0.3),
    ("Main battle tank", "Armour", 2, "Tank crew", 4, 900, 1000, 0.07, 0.75, 0.25),
    ("Infantry fighting vehicle", "Armour", 2, "Infantry fighting vehicle crew", 3, 2400, 2600,
     0.07, 0.8, 0.1),
    ("Reconnaissance drone", "Drones", 2, "Drone operator", 2, 5000, 8000, 0.4, 0.85, 0.005),
    ("Strike drone", "Drones", 2, "Drone operator", 2, 12000, 18000, 0.5, 0.9, 0.001),
    ("EW system", "Electronic Warfare", 2, "Electronic warfare operator", 6, 300, 550, 0.1, 0.85,
     0.1),
    ("Patrol boat", "Maritime", 1, "Sailor", 12, 40, 50, 0.05, 0.75, 0.5),
    ("Uncrewed surface vessel", "Maritime", 1, "Sailor", 2, 150, 350, 0.3, 0.85, 0.02),
    ("Coastal anti-ship missile launcher", "Maritime", 1, "Coastal defence crew", 10, 20, 40, 0.03,
     0.85, 1),
    ("Fighter aircraft", "Air Force", 2, "Pilot", 1.5, 80, 100, 0.03, 0.7, 4),
    ("Transport helicopter", "Air Force", 3, "Pilot", 2, 60, 66, 0.04, 0.65, 1.5),
    ("Demining vehicle", "Demining", 2, "Deminer", 3, 150, 400, 0.05, 0.85, 0.05),
    ("Tactical radio node", "Signals", 3, "Signals specialist", 4, 1500, 2000, 0.05, 0.9, 0.02),
    ("Logistics truck", "Logistics", 3, "Logistics specialist", 1, 15000, 16500, 0.08, 0.85, 0.01),
    ("Armoured ambulance", "Medical", 3, "Combat medic", 3, 800, 1000, 0.06, 0.85, 0.02),
    ("Cyber defence kit", "IT", 2, "Cyber and IT specialist", 20, 50, 80, 0.1, 0.95, 0.5),
)
DOM, FMS, COM = "Domestic production", "Foreign military sale", "Commercial purchase"
# source, equipment, unit cost, lead months, max per quarter, total over the plan, from, until
SOURCES = (
    (DOM, "Reconnaissance drone", 0.08, 0, 2500, None, None, None),
    (DOM, "Strike drone", 0.03, 0, 6000, None, None, None),
    (DOM, "Interceptor drone", 0.02, 0, 2000, None, "2027-Q2", None),
    (DOM, "EW system", 1.5, 6, 30, None, None, None),
    (DOM, "Uncrewed surface vessel", 0.25, 6, 50, None, None, None),
    (DOM, "Demining vehicle", 1.2, 6, 20, None, None, None),
    (DOM, "Tactical radio node", 0.3, 3, 100, None, None, None),
    (DOM, "Logistics truck", 0.12, 3, 600, None, None, None),
    (DOM, "Armoured ambulance", 0.4, 6, 40, None, None, None),
    (DOM, "155 mm howitzer", 3, 9, 30, None, None, None),
    (DOM, "Infantry fighting vehicle", 2.5, 12, 60, None, None, None),
    (DOM, "Coastal anti-ship missile launcher", 10, 12, 2, None, None, None),
    ("Air defence coalition", "Long-range air-defence battery", 0, 18, 1, 3, "2027-Q2", "2029-Q4"),
    ("Air defence coalition", "Medium-range air-defence system", 0, 12, 2, 10, None, None),
    ("Air defence coalition", "Short-range air-defence system", 0, 6, 40, 200, None, "2029-Q4"),
    ("Armour coalition", "Main battle tank", 0, 9, 40, 300, None, "2028-Q4"),
    ("Armour coalition", "Infantry fighting vehicle", 0, 9, 60, 300, None, "2029-Q4"),
    ("Artillery coalition", "155 mm howitzer", 0, 6, 30, 200, None, None),
    ("Artillery coalition", "Multiple rocket launcher", 0, 12, 10, 60, None, None),
    ("Drone coalition", "Strike drone", 0, 3, 2000, 20000, None, None),
    ("Drone coalition", "Reconnaissance drone", 0, 3, 500, 5000, None, None),
    ("Maritime coalition", "Patrol boat", 0, 18, 2, 10, None, None),
    ("Maritime coalition", "Uncrewed surface vessel", 0, 6, 20, 100, None, None),
    ("Air force coalition", "Fighter aircraft", 0, 12, 4, 40, None, "2029-Q4"),
    ("Demining coalition", "Demining vehicle", 0, 6, 20, 120, "2027-Q2", None),
    ("IT coalition", "Cyber defence kit", 0, 6, 2, 20, None, None),
    (FMS, "Long-range air-defence battery", 900, 24, 1, None, None, None),
    (FMS, "Medium-range air-defence system", 120, 18, 2, None, None, None),
    (FMS, "Short-range air-defence system", 5, 12, 40, None, None, None),
    (FMS, "Fighter aircraft", 80, 24, 4, None, None, None),
    (FMS, "Transport helicopter", 25, 18, 4, None, None, None),
    (FMS, "Main battle tank", 8, 18, 30, None, None, None),
    (FMS, "Patrol boat", 15, 24, 3, None, None, None),
    (FMS, "Multiple rocket launcher", 7, 18, 10, None, None, None),
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


def _category_targets() -> dict[str, list[int]]:
    return {c[0]: [_ramp(c[4], c[5], t, 10) for t in range(len(QUARTERS))] for c in CATEGORIES}


def _equipment_targets() -> dict[str, list[int]]:
    """From 95 % of what the initial inventory can field, up to the final target."""
    out = {}
    for name, *_, initial, end, _loss, availability, _sust in EQUIPMENT:
        start = round(0.95 * availability * initial)
        step = 10 if end >= 1000 else 1
        out[name] = [_ramp(start, end, t, step) for t in range(len(QUARTERS))]
    return out


def _budgets(cat_targets, eq_targets) -> list[int]:
    """Per quarter: 1.04 × (pay + sustainment + replacement training) + procurement envelope.

    Pay counts every category at the larger of its target and initial strength (strength
    above target can only fall by attrition and limited separations, and it is paid);
    sustainment counts the inventory needed to field the target; training pays for the
    recruits who replace attrition and grow the force, on each category's entry course
    (its course from RECRUIT, or the conversion into it when it has none).
    """
    entry = {}  # category -> its entry course (from RECRUIT if there is one)
    for c in sorted(COURSES, key=lambda c: c[1] != RECRUIT):
        entry.setdefault(c[2], c)
    budgets = []
    for t, label in enumerate(QUARTERS):
        pay = train = sust = 0.0
        for name, _w, _p, initial, _s, _e, attrition, pay_year, _f in CATEGORIES:
            target = cat_targets[name][t]
            growth = max(0, target - (cat_targets[name][t - 1] if t else initial))
            pay += max(target, initial) * pay_year / 4
            course = entry[name]
            quarterly_loss = 1 - (1 - attrition) ** 0.25
            train += (target * quarterly_loss + growth) / course[4] * course[5]
        for name, *_, initial, _end, _loss, availability, sust_year in EQUIPMENT:
            sust += max(initial, eq_targets[name][t] / availability) * sust_year / 4
        money = RUNNING_MARGIN * (pay + sust + train) + PROCUREMENT[label[:4]]
        budgets.append(int(round(money / 10) * 10))
    return budgets


def baseline() -> Example:
    """A quarterly five-year plan for a force capped at 800,000 (illustrative figures)."""
    cat_targets, eq_targets = _category_targets(), _equipment_targets()
    budgets = _budgets(cat_targets, eq_targets)
    categories = []
    for name, wc, prio, initial, _s, _e, attrition, pay, min_fill in CATEGORIES:
        cap, weight, cost = RESERVES.get(name, (None, None, None))
        categories.append({
            "category": name, "weapons_category": wc, "priority": prio,
            "initial_strength": initial, "attrition_rate": attrition,
            "cost_per_person_year": pay, "separation_cost": SEPARATION_COST,
            "max_separations_per_period": 0 if name in NO_SEPARATIONS
            else int(round(initial * SEPARATIONS_SHARE / 10) * 10),
            "overstrength_cost": OVERSTRENGTH_COST, "reserve_cap": cap,
            "reserve_weight": weight, "reserve_cost": cost, "min_fill": min_fill,
            "shortfall_weight": SHORTFALL_WEIGHTS.get(name)})
    partner_pays = {s[0] for s in SITES if s[5]}
    content = {
        "Settings": {"plan_name": "Illustrative baseline (invented figures)", "period_months": 3,
                     "force_cap": 800000, "cost_unit": "USD million", "solver": "highs",
                     "integer": "no"},
        "Periods": [{"period": q, "recruits_available": RECRUITS[q[:4]], "budget": b}
                    for q, b in zip(QUARTERS, budgets)],
        "Categories": categories,
        "Targets": [{"category": c, **dict(zip(QUARTERS, v))} for c, v in cat_targets.items()],
        "Courses": [{"course": k, "from": f, "to": to, "duration_months": d, "yield": y,
                     "cost_per_start": cost, "instructor_category": ins,
                     "starts_per_instructor": spi, "class_size": cls}
                    for k, f, to, d, y, cost, ins, spi, cls, _sites in COURSES],
        "Sites": _rows("site provider seats available_from available_until",
                       *(s[:5] for s in SITES)),
        "CourseSites": [{"course": k[0], "site": s, "cost_per_start": 0 if s in partner_pays
                         else None} for k in COURSES for s in k[9]],
        "Pipeline": _rows("course period graduates", *PIPELINE),
        "Equipment": _rows("equipment weapons_category priority crew_category crew_per_system "
                           "initial_inventory loss_rate availability sustainment_cost_per_year",
                           *((e[:6] + e[7:]) for e in EQUIPMENT)),
        "EquipmentTargets": [{"equipment": e, **dict(zip(QUARTERS, v))}
                             for e, v in eq_targets.items()],
        "EquipmentSources": _rows("source equipment unit_cost lead_time_months max_per_period "
                                  "total_available available_from available_until", *SOURCES),
        "Objectives": _rows("level term priority weight",
                            (1, "shortfall", 1, 1), (1, "equipment_shortfall", 1, 1),
                            (2, "shortfall", None, 1), (2, "equipment_shortfall", None, 1),
                            (3, "cost", None, 1)),
    }
    return Example("baseline", "illustrative baseline", content, BASELINE_NOTES)


BASELINE_NOTES = (
    "ALL FIGURES ARE ILLUSTRATIVE. This baseline is invented for demonstration. A few public, "
    "order-of-magnitude facts keep it recognisable: a peacetime force cap of about 800,000 "
    "(force_cap 800000, targets summing to about 790,000); personnel grouped by the partner "
    "capability coalitions (air force, armour, artillery, demining, drones, integrated air and "
    "missile defence, IT, maritime) plus manoeuvre infantry, electronic warfare, signals, "
    "logistics, medical and command; a partner basic-infantry programme of about 20,000 starts "
    "a year, i.e. about 2,000 seats. Everything else — strengths, rates, pay, costs, seats, "
    "equipment numbers, lead times, budgets — is made up. It is not data about any armed force.",
    "Periods are quarters, 2027-Q1 to 2031-Q4. Targets grow in a straight line from 2027-Q1 to "
    "2029-Q4 and then hold; air defence and maritime categories and equipment have priority 1 "
    "(a deterrence presence focused on air defence and maritime security), the rest 2 or 3.",
    "Money is in USD million: a person costs about 0.02 (USD 20,000) a year. The budget of each "
    "quarter is worked out by force_plan/examples.py: 1.04 × (pay of the larger of target and "
    "initial strength + sustainment of the equipment the targets need + training that replaces "
    "losses) + a procurement envelope of 1,200 to 2,200 a quarter.",
    "Partner-funded sites: on CourseSites, a course at a partner programme costs 0 to this "
    "force (cost_per_start 0) — the assumption is that the partner pays. Partner equipment "
    "offers on EquipmentSources likewise have unit_cost 0 and a total_available limit.",
    "Domestic training centres carry most of the load; the partner programmes are the menu: "
    "some only from or until a given quarter (available_from, available_until).",
    "Objectives: level 1 keeps priority-1 shortfall of persons and equipment as small as "
    "possible; level 2 then all shortfall (weighted by priority); level 3 the total cost.",
)

# =========================================================================== script
def main(argv: list[str] | None = None) -> int:
    """Write the committed examples (baseline, small) into a folder (default inputs/)."""
    from .workbook.template import write_example

    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m force_plan.examples [OUTDIR]   (default: inputs)")
        return 2
    out = Path(args[0]) if args else Path("inputs")
    out.mkdir(parents=True, exist_ok=True)
    for name in COMMITTED:
        path = out / f"{name}.xlsx"
        write_example(name, path, force=True)  # the committed copies are rewritten
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
