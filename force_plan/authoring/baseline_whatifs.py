"""The bundled baseline's Scenarios and Uncertainty sheets, as plain data.

Six planner questions (and one combination) asked of the illustrative baseline, and
three-point estimates of what is uncertain in it. ALL FIGURES ARE ILLUSTRATIVE: the
factors are invented for demonstration, like the baseline itself.

``with_what_ifs(content)`` adds both sheets to an example's content (the
``{sheet: rows}`` mapping of ``force_plan.authoring.examples``); the names used here are those of
``examples.baseline()``, and ``tests/test_whatif_baseline.py`` proves every line still
finds its row.
"""
from __future__ import annotations

#: scenario, sheet, row, column, change, value, note
SCENARIOS = (
    ("budget-cut-20pc", "Periods", "*", "budget", "scale", 0.8,
     "The budget is cut by a fifth in every quarter."),
    ("partner-infantry-ends-2028", "Sites", "Partner basic infantry programme",
     "available_until", "set", "2028-Q4",
     "The partner basic infantry programme closes a year early (2028-Q4, not 2029-Q4)."),
    ("air-defence-attrition-up", "Categories", "Air defence missile crew", "attrition_rate",
     "scale", 4 / 3, "Attrition in the priority-1 air defence branch rises by a third."),
    ("air-defence-attrition-up", "Categories", "Short-range air defence gunner",
     "attrition_rate", "scale", 4 / 3, None),
    ("air-defence-attrition-up", "Categories", "Air defence NCO", "attrition_rate", "scale",
     4 / 3, None),
    ("air-defence-attrition-up", "Categories", "Air defence officer", "attrition_rate",
     "scale", 4 / 3, None),
    ("fms-lead-times-doubled", "EquipmentSources",
     "Foreign military sale @ Long-range air-defence battery", "lead_time_months", "scale", 2,
     "The foreign military sale supplier's lead times double for air defence."),
    ("fms-lead-times-doubled", "EquipmentSources",
     "Foreign military sale @ Medium-range air-defence system", "lead_time_months", "scale", 2,
     None),
    ("fms-lead-times-doubled", "EquipmentSources",
     "Foreign military sale @ Short-range air-defence system", "lead_time_months", "scale", 2,
     None),
    ("recruits-down-15pc", "Periods", "*", "recruits_available", "scale", 0.85,
     "15 % fewer recruits come forward every quarter."),
    ("force-cap-840k", "Settings", "force_cap", "value", "set", 840000,
     "The drawdown stops at 840,000 instead of 800,000 (the cap from 2028-Q2 on)."),
    ("force-cap-840k", "Periods", "2028-Q2", "force_cap", "set", 840000, None),
    ("force-cap-840k", "Periods", "2028-Q3", "force_cap", "set", 840000, None),
    ("force-cap-840k", "Periods", "2028-Q4", "force_cap", "set", 840000, None),
    ("budget-cut-and-partner-ends", "Periods", "*", "budget", "scale", 0.8,
     "Both at once: a fifth less budget and the partner infantry programme ends in 2028."),
    ("budget-cut-and-partner-ends", "Sites", "Partner basic infantry programme",
     "available_until", "set", "2028-Q4", None),
)

#: sheet, row, column, low, likely, high, draw
UNCERTAINTY = (
    ("Categories", "*", "attrition_rate", 0.8, 1.0, 1.3, "once"),
    ("Courses", "*", "yield", 0.9, 1.0, 1.05, "each_period"),
    ("Periods", "*", "recruits_available", 0.8, 1.0, 1.1, "each_period"),
    ("Equipment", "*", "loss_rate", 0.7, 1.0, 1.5, "once"),
    ("Equipment", "*", "availability", 0.85, 1.0, 1.05, "once"),
    ("EquipmentSources", "*", "lead_time_months", 1.0, 1.0, 1.5, "each_period"),
)

SCENARIO_COLUMNS = ("scenario", "sheet", "row", "column", "change", "value", "note")
UNCERTAINTY_COLUMNS = ("sheet", "row", "column", "low", "likely", "high", "draw")


def scenario_rows() -> list[dict]:
    return [dict(zip(SCENARIO_COLUMNS, r)) for r in SCENARIOS]


def uncertainty_rows() -> list[dict]:
    return [dict(zip(UNCERTAINTY_COLUMNS, r)) for r in UNCERTAINTY]


def with_what_ifs(content: dict) -> dict:
    """A copy of an example's content with the baseline's Scenarios and Uncertainty."""
    return {**content, "Scenarios": scenario_rows(), "Uncertainty": uncertainty_rows()}
