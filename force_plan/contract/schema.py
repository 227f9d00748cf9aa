"""The input and output workbook contract, declared once.

Every sheet and column of ``WORKBOOK.md`` (version 2) is described here: name, kind,
unit, default, whether it is required, what it references and its allowed range.
The reader, the validator, the template writer and the docs are all driven by these
declarations; ``tests/test_schema.py`` proves they agree with the contract text.

Kinds of column
---------------
``id``       identifier of the sheet's rows: text, trimmed, unique case-insensitively
``ref``      identifier that must exist in sheet ``ref`` (``allow_recruit``: may be RECRUIT)
``period``   a period label from the Periods sheet
``text``     free text
``number``   a real number within [minimum, maximum] (``*_open`` makes a bound strict)
``integer``  a whole number within [minimum, maximum]
``choice``   one of ``choices`` (case-insensitive)
``yesno``    yes / no (also true/false, 1/0)

Blank cells: ``blank`` says what a blank means: ``"default"`` (use ``default``),
``"no limit"``, ``"none"`` (no reference) or ``"required"`` (an error).
"""
from __future__ import annotations

from dataclasses import dataclass

RECRUIT = "RECRUIT"
CONTRACT_VERSION = 2
PERIOD_MONTHS_CHOICES = (1, 3, 6, 12)
OBJECTIVE_TERMS = (
    "shortfall",
    "equipment_shortfall",
    "cost",
    "separations",
    "overstrength",
    "recruits",
    "changes",
)
SCENARIO_CHANGES = ("set", "scale", "add")
UNCERTAINTY_DRAWS = ("once", "each_period")
#: Objective terms that accept a ``priority`` filter.
PRIORITY_TERMS = ("shortfall", "equipment_shortfall")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    meaning: str
    unit: str = ""
    default: object = None
    blank: str = "default"  # default | no limit | none | required
    ref: str | None = None
    allow_recruit: bool = False
    minimum: float | None = None
    maximum: float | None = None
    minimum_open: bool = False
    maximum_open: bool = False
    choices: tuple = ()
    requires: str | None = None  # this column is required when column `requires` is set

    @property
    def required(self) -> bool:
        return self.blank == "required"

    def default_text(self) -> str:
        """How the default reads in documentation and header comments."""
        if self.blank == "required":
            return "required"
        if self.blank == "no limit":
            return "blank = no limit"
        if self.blank == "none":
            return "blank = none"
        if self.default is None:
            return "blank"
        return f"default {self.default}"

    def range_text(self) -> str:
        return range_text(self)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def range_text(spec) -> str:
    """The allowed range of a Column or Setting in words: "≥ 0 and < 1"."""
    lo = hi = ""
    if spec.minimum is not None:
        lo = f"{'>' if spec.minimum_open else '≥'} {_fmt(spec.minimum)}"
    if spec.maximum is not None:
        hi = f"{'<' if spec.maximum_open else '≤'} {_fmt(spec.maximum)}"
    return " and ".join(x for x in (lo, hi) if x)


@dataclass(frozen=True)
class Setting:
    key: str
    kind: str  # number | integer | choice | yesno | text
    meaning: str
    default: object = None
    blank: str = "default"
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    minimum_open: bool = False
    maximum_open: bool = False
    choices: tuple = ()

    def default_text(self) -> str:
        if self.blank == "no limit":
            return "blank = no limit"
        if self.blank == "computed":
            return f"blank = {self.default}"
        if self.default is None:
            return "blank = none"
        return f"default {self.default}"


@dataclass(frozen=True)
class Sheet:
    name: str
    layout: str  # settings | table | wide
    required: bool
    meaning: str
    columns: tuple[Column, ...] = ()
    #: columns that together identify a row (unique case-insensitively)
    key: tuple[str, ...] = ()
    #: wide sheets: the type of the per-period value cells
    value: Column | None = None

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# --------------------------------------------------------------------------- settings
SETTINGS: tuple[Setting, ...] = (
    Setting("plan_name", "text", "title shown on the output", default="file name"),
    Setting("period_months", "choice", "length of every period: 1, 3, 6 or 12", default=12,
            unit="months", choices=PERIOD_MONTHS_CHOICES),
    Setting("force_cap", "number", "most persons in the force in any period: trained strength "
            "(reservists and instructors included) + in training; Periods force_cap overrides "
            "it per period", blank="no limit", unit="persons", minimum=0),
    Setting("overstrength_cap", "number", "most persons above target, summed over categories, "
            "in any period", blank="no limit", unit="persons", minimum=0),
    Setting("cost_unit", "text", "label for money, e.g. USD million", default="currency units"),
    Setting("solver", "choice", "highs or cbc", default="highs", choices=("highs", "cbc")),
    Setting("time_limit_s", "number", "solver time limit in seconds", blank="no limit",
            unit="seconds", minimum=0, minimum_open=True),
    Setting("mip_gap", "number", "relative gap for integer mode", default=0.0001,
            minimum=0, maximum=1),
    Setting("integer", "yesno", "yes: course starts in whole classes, acquisitions in whole "
            "systems", default="no"),
    Setting("lookahead_periods", "integer", "periods planned past the last one, repeating its "
            "requirements and limits, so that the plan does not wind down at its end; 0 = none",
            default="the longest course or lead-time lag + 1", blank="computed", unit="periods",
            minimum=0, maximum=1000),
)
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}
#: settings of an earlier contract version that no longer have an effect: key -> why
RETIRED_SETTINGS = {
    "lexicographic_tolerance": (
        "lexicographic_tolerance is no longer used (version 2 holds every objective level "
        "exactly)", "to let later levels worsen a level, give it an allowance on the "
        "Objectives sheet; delete this row"),
}

# --------------------------------------------------------------------------- sheets
_P = "persons"
_M = "cost_unit"  # money: the workbook's cost_unit
_RATE = dict(minimum=0, maximum=1, maximum_open=True)

SHEETS: tuple[Sheet, ...] = (
    Sheet("Settings", "settings", True, "plan-wide settings, one per row", columns=(
        Column("setting", "choice", "name of the setting", blank="required",
               choices=tuple(s.key for s in SETTINGS)),
        Column("value", "text", "its value (blank = the default)"),
    ), key=("setting",)),
    Sheet("Periods", "table", True, "one row per period, in time order", columns=(
        Column("period", "id", "period label", blank="required"),
        Column("recruits_available", "number", "new entrants available per period",
               unit=_P, blank="no limit", minimum=0),
        Column("budget", "number", "money available per period", unit=_M, blank="no limit",
               minimum=0),
        Column("force_cap", "number", "most persons in the force in this period (blank = the "
               "Settings value)", unit=_P, blank="none", minimum=0),
    ), key=("period",)),
    Sheet("Categories", "table", True, "personnel categories (specialties)", columns=(
        Column("category", "id", "identifier", blank="required"),
        Column("weapons_category", "text", "grouping used in outputs (Air Defense, Artillery, "
               "UAS, …)", default="Other"),
        Column("priority", "integer", "1 = most important", default=1, minimum=1),
        Column("initial_strength", "number", "trained persons at plan start", unit=_P, default=0,
               minimum=0),
        Column("attrition_rate", "number", "annual fraction of trained strength lost",
               unit="fraction per year", default=0, **_RATE),
        Column("cost_per_person_year", "number", "pay and upkeep", unit=f"{_M} per person-year",
               default=0, minimum=0),
        Column("separation_cost", "number", "cost per person separated (discharged)",
               unit=f"{_M} per person", default=0, minimum=0),
        Column("max_separations_per_period", "number", "most separations per period; "
               "0 = no separations", unit=_P, blank="no limit", minimum=0),
        Column("overstrength_cost", "number", "cost per person-year above target",
               unit=f"{_M} per person-year", default=0, minimum=0),
        Column("reserve_cap", "number", "most persons held in reserve status per period",
               unit=_P, default=0, minimum=0),
        Column("reserve_weight", "number", "how much a reservist counts toward the target (0–1)",
               unit="fraction", default=0.5, minimum=0, maximum=1),
        Column("reserve_cost", "number", "cost per reservist-year, on top of "
               "cost_per_person_year", unit=f"{_M} per person-year", default=0, minimum=0),
        Column("min_fill", "number", "fraction of the target that must be met (1 = hard target)",
               unit="fraction", default=0, minimum=0, maximum=1),
        Column("shortfall_weight", "number", "weight of one person-period short",
               default="from priority", minimum=0),
    ), key=("category",)),
    Sheet("Targets", "wide", True, "required effective strength: category, then one column "
          "per period label; blank cell = no requirement", columns=(
        Column("category", "ref", "category the row is for", blank="required", ref="Categories"),
    ), key=("category",), value=Column("target", "number", "required effective strength",
                                       unit=_P, blank="none", minimum=0)),
    Sheet("Courses", "table", True, "the training pipeline, including conversions between "
          "categories", columns=(
        Column("course", "id", "identifier", blank="required"),
        Column("from", "ref", "RECRUIT or a category: where students come from",
               blank="required", ref="Categories", allow_recruit=True),
        Column("to", "ref", "category that graduates join", blank="required", ref="Categories"),
        Column("duration_months", "number", "course length; 0 = within the period",
               unit="months", default=0, minimum=0),
        Column("yield", "number", "fraction of starters who graduate; the rest leave the force",
               unit="fraction", default=1, minimum=0, maximum=1, minimum_open=True),
        Column("cost_per_start", "number", "training cost per starter", unit=f"{_M} per start",
               default=0, minimum=0),
        Column("max_starts_per_period", "number", "most starts per period", unit=_P,
               blank="no limit", minimum=0),
        Column("min_starts_per_period", "number", "fewest starts per period", unit=_P, default=0,
               minimum=0),
        Column("instructor_category", "ref", "category whose trained persons teach this course; "
               "given together with trainees_per_instructor and/or starts_per_instructor",
               blank="none", ref="Categories"),
        Column("trainees_per_instructor", "number", "trainees present per instructor (average "
               "occupancy); the instructors are drawn from instructor_category's strength, one "
               "pool shared by its courses", unit="trainees per instructor", blank="none",
               minimum=0, minimum_open=True),
        Column("starts_per_instructor", "number", "throughput limit on this course alone: starts "
               "per period per person of instructor_category (draws no one)",
               unit="starts per instructor", blank="none", minimum=0),
        # at most 1e6: solvers hold whole classes to 1e-6 of a class, so a larger class
        # could hide a fractional start of more than one person in an "integer" plan
        Column("class_size", "number", "starters per class, used in integer mode", unit=_P,
               default=1, minimum=0, minimum_open=True, maximum=1e6),
    ), key=("course",)),
    Sheet("Sites", "table", False, "training sites and partner programmes (the training menu)",
          columns=(
        Column("site", "id", "identifier", blank="required"),
        Column("provider", "text", "who offers it: a country or programme", blank="none"),
        Column("seats", "number", "trainee places as average occupancy over a period",
               unit="seats", blank="no limit", minimum=0),
        Column("available_from", "period", "first period the site can be used",
               blank="none", ref="Periods"),
        Column("available_until", "period", "last period the site can be used",
               blank="none", ref="Periods"),
        Column("own_instructors", "yesno", "yes: the provider brings the instructors, so courses "
               "here draw none from instructor_category", default="no"),
    ), key=("site",)),
    Sheet("CourseSites", "table", False, "which site may deliver which course", columns=(
        Column("course", "ref", "course", blank="required", ref="Courses"),
        Column("site", "ref", "site", blank="required", ref="Sites"),
        Column("max_starts_per_period", "number", "most starts of this course at this site per "
               "period", unit=_P, blank="no limit", minimum=0),
        Column("cost_per_start", "number", "overrides the course's cost_per_start",
               unit=f"{_M} per start", blank="none", minimum=0),
    ), key=("course", "site")),
    Sheet("Pipeline", "table", False, "classes already under way at plan start", columns=(
        Column("course", "ref", "course", blank="required", ref="Courses"),
        Column("period", "period", "period at whose end they graduate", blank="required",
               ref="Periods"),
        Column("graduates", "number", "persons joining the course's `to` category, net of yield",
               unit=_P, blank="required", minimum=0),
    )),
    Sheet("Equipment", "table", False, "equipment types", columns=(
        Column("equipment", "id", "identifier", blank="required"),
        Column("weapons_category", "text", "grouping used in outputs", default="Other"),
        Column("priority", "integer", "1 = most important", default=1, minimum=1),
        Column("crew_category", "ref", "category that crews it", blank="none", ref="Categories"),
        Column("crew_per_system", "number", "persons of crew_category per operational system",
               unit=_P, blank="none", minimum=0, requires="crew_category"),
        Column("initial_inventory", "number", "systems at plan start", unit="systems", default=0,
               minimum=0),
        Column("loss_rate", "number", "annual fraction of inventory lost or retired",
               unit="fraction per year", default=0, **_RATE),
        Column("availability", "number", "fraction of inventory that can be operational at once",
               unit="fraction", default=1, minimum=0, maximum=1),
        Column("sustainment_cost_per_year", "number", "per system in inventory",
               unit=f"{_M} per system-year", default=0, minimum=0),
        Column("shortfall_weight", "number", "weight of one system-period short",
               default="from priority", minimum=0),
    ), key=("equipment",)),
    Sheet("EquipmentTargets", "wide", False, "required operational systems: equipment, then one "
          "column per period label; blank cell = no requirement", columns=(
        Column("equipment", "ref", "equipment the row is for", blank="required", ref="Equipment"),
    ), key=("equipment",), value=Column("target", "number", "required operational systems",
                                        unit="systems", blank="none", minimum=0)),
    Sheet("EquipmentSources", "table", False, "who can supply what (the equipment menu)",
          columns=(
        Column("source", "text", "supplier: domestic production, a partner, a purchase",
               blank="required"),
        Column("equipment", "ref", "equipment supplied", blank="required", ref="Equipment"),
        Column("unit_cost", "number", "cost per system", unit=f"{_M} per system", default=0,
               minimum=0),
        Column("lead_time_months", "number", "months from order to arrival", unit="months",
               default=0, minimum=0),
        Column("max_per_period", "number", "most systems ordered per period", unit="systems",
               blank="no limit", minimum=0),
        Column("total_available", "number", "most systems over the plan and its look-ahead",
               unit="systems",
               blank="no limit", minimum=0),
        Column("available_from", "period", "first period an order can be placed",
               blank="none", ref="Periods"),
        Column("available_until", "period", "last period an order can be placed",
               blank="none", ref="Periods"),
    ), key=("source", "equipment")),
    Sheet("Objectives", "table", False, "what best means, solved level by level", columns=(
        Column("level", "integer", "1 is optimised first", blank="required", minimum=1),
        Column("term", "choice", "what to minimise", blank="required", choices=OBJECTIVE_TERMS),
        Column("priority", "integer", "count only categories/equipment of this priority "
               "(shortfall terms only)", blank="none", minimum=1),
        Column("weight", "number", "weight of the term within its level", default=1, minimum=0,
               minimum_open=True),
        Column("allowance", "number", "how much later levels may worsen this level, as a "
               "fraction of its optimum (blank = 0: not at all)", unit="fraction",
               blank="none", minimum=0),
    )),
    Sheet("Scenarios", "table", False, "named what-ifs on this workbook", columns=(
        Column("scenario", "text", "a name (base is reserved for the workbook as it is)",
               blank="required"),
        Column("sheet", "text", "an input sheet (not Scenarios, Uncertainty or Objectives)",
               blank="required"),
        Column("row", "text", "the row's identifier on that sheet, or * for every row",
               blank="required"),
        Column("column", "text", "a column of that sheet (a period label or * on the target "
               "sheets, value on Settings)", blank="required"),
        Column("change", "choice", "set, scale or add", blank="required",
               choices=SCENARIO_CHANGES),
        Column("value", "text", "the value to set, the factor or the amount to add",
               blank="none"),
        Column("note", "text", "free text", blank="none"),
    )),
    Sheet("Uncertainty", "table", False, "what is uncertain, for a risk run", columns=(
        Column("sheet", "text", "Categories, Courses, Equipment, Periods or EquipmentSources",
               blank="required"),
        Column("row", "text", "the row's identifier on that sheet, or * for every row",
               blank="required"),
        Column("column", "text", "attrition_rate, yield, loss_rate, availability, "
               "recruits_available or lead_time_months", blank="required"),
        Column("low", "number", "lowest factor on the cell's value", blank="required",
               minimum=0),
        Column("likely", "number", "most likely factor", blank="required", minimum=0),
        Column("high", "number", "highest factor", blank="required", minimum=0),
        Column("draw", "choice", "once: one draw for the whole plan; each_period: a fresh draw "
               "every period", default="once", choices=UNCERTAINTY_DRAWS),
    )),
)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}

#: Default objective levels when the Objectives sheet is absent: (level, term)
DEFAULT_OBJECTIVES = ((1, "shortfall"), (1, "equipment_shortfall"), (2, "cost"), (3, "changes"))

# --------------------------------------------------------------------------- outputs
OUTPUT_SHEETS = ("Summary", "Training", "Strength", "Equipment", "Sources", "Budget",
                 "Sustainment", "Bottlenecks", "Checks", "Data")
SUMMARY_COLUMNS = ("key", "value")
SUMMARY_KEYS = ("status", "total_cost", "total_separations", "total_shortfall",
                "total_equipment_shortfall", "solver", "input_file", "input_sha256",
                "force_plan_version", "lookahead_periods")  # plus objective_<level> for each level
DATA_COLUMNS = ("quantity", "item", "where", "period", "value")
DATA_QUANTITIES = ("strength", "shortfall", "overstrength", "reserve", "separations", "starts",
                   "graduates", "in_training", "instructors", "inventory", "operational", "acquisitions",
                   "equipment_shortfall", "cost")
#: cost lines of the Money section, the `item` of Data rows with quantity `cost`
COST_LINES = ("training", "personnel", "separations", "procurement", "sustainment", "total")


def sheet(name: str) -> Sheet:
    return SHEETS_BY_NAME[name]


def find_sheet(name: str) -> Sheet | None:
    """The contract sheet a workbook tab name means (case-insensitive, spaces trimmed)."""
    key = str(name).strip().lower()
    for s in SHEETS:
        if s.name.lower() == key:
            return s
    return None
