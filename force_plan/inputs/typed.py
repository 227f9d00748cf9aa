"""Inputs: the typed, immutable inputs built only from a valid workbook ("plan" means the
output: what the model makes of these).

This is the only thing the LP code consumes. Identifiers are the spelling of the row that
defines them (references are resolved case-insensitively by the validator and stored in
the defining spelling). Periods are 0-based indices into ``Inputs.periods``.

Every record keeps ``cells``: column name -> ``Sheet!Cell`` of the value it came from
(only for cells that held a value), and ``row``: ``Sheet!row`` of the record, so that
diagnoses can point planners at their inputs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

Cells = Mapping[str, str]


def shortfall_weight_from_priority(priority: int) -> float:
    """A blank shortfall_weight is 10^(1 − priority)."""
    return 10.0 ** (1 - priority)


@dataclass(frozen=True)
class Settings:
    plan_name: str
    period_months: int = 12
    force_cap: Optional[float] = None
    overstrength_cap: Optional[float] = None
    cost_unit: str = "currency units"
    solver: str = "highs"
    time_limit_s: Optional[float] = None
    mip_gap: float = 1e-4
    integer: bool = False
    #: None: computed (the longest course or lead-time lag + 1); 0: version 1's horizon
    lookahead_periods: Optional[int] = None
    cells: Cells = field(default_factory=dict)  # setting key -> cell of its value


@dataclass(frozen=True)
class Period:
    label: str
    recruits_available: Optional[float] = None
    budget: Optional[float] = None
    force_cap: Optional[float] = None  # None: the Settings value
    row: str = ""
    cells: Cells = field(default_factory=dict)


@dataclass(frozen=True)
class Category:
    name: str
    weapons_category: str = "Other"
    priority: int = 1
    initial_strength: float = 0.0
    attrition_rate: float = 0.0
    cost_per_person_year: float = 0.0
    separation_cost: float = 0.0
    max_separations_per_period: Optional[float] = None
    overstrength_cost: float = 0.0
    reserve_cap: float = 0.0
    reserve_weight: float = 0.5
    reserve_cost: float = 0.0
    min_fill: float = 0.0
    shortfall_weight: float = 1.0  # resolved: blank -> 10^(1 − priority)
    row: str = ""
    cells: Cells = field(default_factory=dict)


@dataclass(frozen=True)
class Course:
    name: str
    from_category: Optional[str]  # None = RECRUIT
    to_category: str
    duration_months: float = 0.0
    yield_: float = 1.0
    cost_per_start: float = 0.0
    max_starts_per_period: Optional[float] = None
    min_starts_per_period: float = 0.0
    instructor_category: Optional[str] = None
    trainees_per_instructor: Optional[float] = None
    starts_per_instructor: Optional[float] = None
    class_size: float = 1.0
    row: str = ""
    cells: Cells = field(default_factory=dict)

    @property
    def from_recruit(self) -> bool:
        return self.from_category is None


@dataclass(frozen=True)
class Site:
    name: str
    provider: str = ""
    seats: Optional[float] = None
    available_from: int = 0  # period index, inclusive
    available_until: Optional[int] = None  # period index, inclusive; None = to the end
    own_instructors: bool = False
    row: str = ""
    cells: Cells = field(default_factory=dict)


@dataclass(frozen=True)
class CourseSite:
    course: str
    site: str
    max_starts_per_period: Optional[float] = None
    cost_per_start: Optional[float] = None  # None = the course's cost_per_start
    row: str = ""
    cells: Cells = field(default_factory=dict)


@dataclass(frozen=True)
class PipelineClass:
    course: str
    period: int
    graduates: float
    row: str = ""
    cells: Cells = field(default_factory=dict)


@dataclass(frozen=True)
class Equipment:
    name: str
    weapons_category: str = "Other"
    priority: int = 1
    crew_category: Optional[str] = None
    crew_per_system: Optional[float] = None
    initial_inventory: float = 0.0
    loss_rate: float = 0.0
    availability: float = 1.0
    sustainment_cost_per_year: float = 0.0
    shortfall_weight: float = 1.0  # resolved
    row: str = ""
    cells: Cells = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    source: str
    equipment: str
    unit_cost: float = 0.0
    lead_time_months: float = 0.0
    max_per_period: Optional[float] = None
    total_available: Optional[float] = None
    available_from: int = 0
    available_until: Optional[int] = None
    row: str = ""
    cells: Cells = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """One non-blank cell of Targets or EquipmentTargets."""

    item: str  # category or equipment
    period: int
    value: float
    cell: str = ""


@dataclass(frozen=True)
class ObjectiveTerm:
    level: int
    term: str
    priority: Optional[int] = None
    weight: float = 1.0
    row: str = ""
    allowance: Optional[float] = None  # blank: gives nothing (the level's allowance is 0)


@dataclass(frozen=True)
class Inputs:
    settings: Settings
    periods: tuple[Period, ...]
    categories: tuple[Category, ...]
    targets: tuple[Target, ...]
    courses: tuple[Course, ...]
    #: None when the workbook has no Sites sheet (one implicit site, no site limits)
    sites: Optional[tuple[Site, ...]] = None
    #: None when the workbook has no CourseSites sheet
    course_sites: Optional[tuple[CourseSite, ...]] = None
    pipeline: tuple[PipelineClass, ...] = ()
    equipment: tuple[Equipment, ...] = ()
    equipment_targets: tuple[Target, ...] = ()
    sources: tuple[Source, ...] = ()
    #: the levels to solve, resolved (the default when the Objectives sheet is absent)
    objectives: tuple[ObjectiveTerm, ...] = ()
    source_file: str = ""
    source_sha256: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    # ---------------------------------------------------------------- conveniences
    @property
    def T(self) -> int:
        return len(self.periods)

    @property
    def period_months(self) -> int:
        return self.settings.period_months

    @property
    def period_labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.periods)

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted({o.level for o in self.objectives}))

    def allowance(self, level: int) -> float:
        """The level's allowance: the non-blank value given on its rows, else 0."""
        given = [o.allowance for o in self.objectives
                 if o.level == level and o.allowance is not None]
        return given[0] if given else 0.0

    def force_cap(self, t: int) -> Optional[float]:
        """The force cap of period index t (Periods force_cap, blank = Settings)."""
        cap = self.periods[t].force_cap
        return self.settings.force_cap if cap is None else cap

    def category(self, name: str) -> Category:
        return _index(self.categories, "name")[name]

    def course(self, name: str) -> Course:
        return _index(self.courses, "name")[name]


def _index(records, attr):
    return {getattr(r, attr): r for r in records}
