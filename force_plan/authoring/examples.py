"""The bundled example workbooks, as plain Python data.

Three examples, each a ``{sheet name: [row dict, ...]}`` content for
``force_plan.authoring.template.write_workbook``:

- ``blank``    one illustrative row per sheet, yearly periods 2027..2031: the template.
- ``small``    three categories, four yearly periods: every number small and easy to follow.
- ``baseline`` a quarterly five-year plan: from about 880,000 down to the 800,000 cap, then
              sustained (its data is in force_plan/authoring/example_baseline.py).

ALL FIGURES ARE ILLUSTRATIVE. They are invented for demonstration, at most loosely scaled
on public order-of-magnitude facts (the force cap, the capability coalitions, partner
training throughput: see the project's BASELINE notes), and are not data about any armed
force.

Regenerate the committed workbooks from the repository root with::

    python -m force_plan.authoring.examples          # writes inputs/baseline.xlsx, inputs/small.xlsx
    python -m force_plan.authoring.examples OUTDIR   # elsewhere
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..contract.schema import DEFAULT_OBJECTIVES, RECRUIT

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
            "trainees_per_instructor",
            ("Basic infantry course", RECRUIT, "Rifleman", 3, 0.9, 0.005, "Rifleman", 10)),
        "Sites": _rows("site provider seats own_instructors",
                       ("Training centre", "Domestic", 200, "no")),
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
        "Scenarios": [],
        "Uncertainty": [],
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
                     "force_cap": 1210, "cost_unit": "USD thousand", "solver": "highs",
                     "integer": "no", "lookahead_periods": 2},
        "Periods": [{"period": y, "recruits_available": 400, "budget": 32000,
                     "force_cap": 1220 if y == "2027" else None} for y in years],
        "Categories": _rows(
            "category weapons_category priority initial_strength attrition_rate "
            "cost_per_person_year separation_cost max_separations_per_period "
            "overstrength_cost reserve_cap reserve_weight reserve_cost min_fill",
            ("Rifleman", "Manoeuvre Infantry", 2, 1100, 0.10, 20, 10, 50, 5, 100, 0.5, 2, 0.8),
            ("Drone operator", "Drones", 1, 100, 0.08, 25, None, None, None, None, None, None,
             0.5),
            ("Instructor", "Command", 2, 4, 0.05, 30, None, 0, None, None, None, None, None)),
        "Targets": _rows("category " + " ".join(years),
                         ("Rifleman", 950, 950, 950, 950),
                         ("Drone operator", 150, 200, 250, 250)),
        "Courses": _rows(
            "course from to duration_months yield cost_per_start max_starts_per_period "
            "instructor_category trainees_per_instructor starts_per_instructor class_size",
            ("Basic training", RECRUIT, "Rifleman", 3, 0.9, 5, None, "Instructor", 10, None, 20),
            ("Drone operator course", RECRUIT, "Drone operator", 6, 0.85, 15, None,
             "Drone operator", 5, None, 10),
            ("Infantry to drone conversion", "Rifleman", "Drone operator", 2, 0.95, 8, None,
             "Drone operator", 5, 0.5, 10),
            ("Instructor course", "Rifleman", "Instructor", 3, 1, 4, 20, "Instructor", 5, None,
             5)),
        "Sites": _rows("site provider seats available_from available_until own_instructors",
                       ("Home training centre", "Domestic", 150, None, None, "no"),
                       ("Partner programme", "Partner nation", 20, "2028", None, "yes")),
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
        "Objectives": _rows("level term allowance",
                            (1, "shortfall", None), (1, "equipment_shortfall", None),
                            (2, "cost", 0.01), (3, "changes", None)),
    }
    notes = (
        "The small example: a force of about 1,200 in three categories over four years. "
        "Money is in USD thousand: a rifleman costs 20 a year, a drone operator 25.",
        "Riflemen start above their target of 950, so some are separated (at most 50 a year) "
        "or converted into drone operators. The force cap is 1,220 in 2027 (Periods "
        "force_cap) and 1,210 from 2028 (the blank cells take the Settings force_cap).",
        "Instructors: basic training needs one Instructor per 10 trainees present, the "
        "instructor course one per 5; the drone courses are taught by drone operators (one "
        "per 5 trainees), who then do not count toward their own target. The Instructor "
        "category has no target: its strength is the pool the courses draw. The conversion "
        "also keeps a limit of its own (starts_per_instructor 0.5: at most half as many "
        "starts a year as there are trained drone operators).",
        "The partner programme opens in 2028, brings its own instructors (own_instructors "
        "yes) and is free to this force (cost_per_start 0 on CourseSites: the partner pays). "
        "The purchased armoured vehicles arrive the year after they are ordered (24-month "
        "lead time with 12-month periods).",
        "Objectives: first the least shortfall, then the least cost, then the steadiest plan "
        "(changes); the cost level has an allowance of 0.01, so the steadier plan may cost up "
        "to 1 % more than the cheapest. lookahead_periods 2 (the default here too: the "
        "24-month purchase arrives one period later, + 1) plans 2031 and 2032 as if the "
        "force goes on, so the plan does not wind down in 2030.",
    )
    return Example("small", "small example", content, notes)


# =========================================================================== baseline
def baseline() -> Example:
    """A quarterly five-year plan: a drawdown from about 880,000 to the 800,000 cap, then
    sustainment (illustrative figures; the data is in force_plan/authoring/example_baseline.py)."""
    from . import example_baseline
    from .baseline_whatifs import with_what_ifs

    return Example("baseline", "illustrative baseline",
                   with_what_ifs(example_baseline.content()), example_baseline.NOTES)


# =========================================================================== script
def main(argv: list[str] | None = None) -> int:
    """Write the committed examples (baseline, small) into a folder (default inputs/)."""
    from .template import write_example

    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m force_plan.authoring.examples [OUTDIR]   (default: inputs)")
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
