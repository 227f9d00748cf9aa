"""A read-only view of a solved plan: the tidy Data table indexed for the sheet writers.

Everything the plan workbook shows is taken from ``Results.data`` (the solver's figures)
and ``Results.inputs`` (the inputs: targets, limits, rates); nothing is re-solved here. The
few derived figures (seat use, in-period occupancy) are computed from those two, by the
rules of MODEL.md.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ..inputs.typed import Inputs
from ..model.timing import lag, per_period_rate, seat_shares
from ..results.extract import Results
from ..contract.schema import DATA_COLUMNS


@dataclass
class PlanView:
    results: Results
    #: (quantity, item, where, period index) -> value
    values: dict = field(default_factory=dict)
    #: (quantity, item, where, period index) -> 0-based row in the Data table
    rows: dict = field(default_factory=dict)
    #: quantity -> item -> [where, ...] in Data order
    wheres: dict = field(default_factory=dict)
    frame: pd.DataFrame | None = None
    #: (category, period index) -> target; (equipment, period index) -> equipment target
    targets: dict = field(default_factory=dict)
    equipment_targets: dict = field(default_factory=dict)
    period_labels: tuple = ()
    _courses_at: dict | None = field(default=None, repr=False)  # see courses_at

    # ------------------------------------------------------------------ construction
    @classmethod
    def of(cls, results: Results) -> "PlanView":
        view = cls(results)
        df = results.data.loc[:, list(DATA_COLUMNS)].copy()
        df["where"] = df["where"].fillna("").astype(str)
        df["item"] = df["item"].astype(str)
        df["period"] = df["period"].astype(str)
        df["value"] = pd.to_numeric(df["value"]).astype(float)
        df = df.reset_index(drop=True)
        view.frame = df
        inputs = results.inputs
        view.period_labels = inputs.period_labels
        view.targets = {(x.item, x.period): x.value for x in inputs.targets}
        view.equipment_targets = {(x.item, x.period): x.value for x in inputs.equipment_targets}
        index = {label: t for t, label in enumerate(results.inputs.period_labels)}
        wheres = defaultdict(dict)
        columns = [df[name].tolist() for name in DATA_COLUMNS]
        for i, (q, item, where, period, value) in enumerate(zip(*columns)):
            t = index.get(period)
            if t is None:
                raise ValueError(f"Data row {i}: period {period!r} is not a plan period")
            key = (q, item, where, t)
            view.values[key] = value
            view.rows[key] = i
            wheres[q].setdefault(item, {})[where] = None
        view.wheres = {q: {item: list(w) for item, w in items.items()}
                       for q, items in wheres.items()}
        return view

    # ------------------------------------------------------------------ plan facts
    @property
    def inputs(self) -> Inputs:
        return self.results.inputs

    @property
    def T(self) -> int:
        return self.inputs.T

    @property
    def m(self) -> int:
        return self.inputs.period_months

    @property
    def labels(self) -> tuple[str, ...]:
        return self.period_labels

    @property
    def unit(self) -> str:
        return self.inputs.settings.cost_unit

    def attrition(self, category) -> float:
        return per_period_rate(category.attrition_rate, self.m)

    def loss(self, equipment) -> float:
        return per_period_rate(equipment.loss_rate, self.m)

    def lag(self, months: float) -> int:
        return lag(months, self.m)

    def target(self, category: str, t: int):
        """The category's target in period t, None where the cell is blank."""
        return self.targets.get((category, t))

    def equipment_target(self, equipment: str, t: int):
        return self.equipment_targets.get((equipment, t))

    def weapons_groups(self, records) -> list[tuple[str, list]]:
        """Records grouped by weapons_category, groups in order of first appearance."""
        groups: dict[str, list] = {}
        for r in records:
            groups.setdefault(r.weapons_category, []).append(r)
        return list(groups.items())

    # ------------------------------------------------------------------ figures
    def has(self, quantity: str, item: str, where: str = "", t: int | None = None) -> bool:
        if t is None:
            return item in self.wheres.get(quantity, {})
        return (quantity, item, where, t) in self.values

    def value(self, quantity: str, item: str, where: str = "", t: int = 0) -> float:
        """The plan's figure, 0 where the Data table has no row for it."""
        return self.values.get((quantity, item, where, t), 0.0)

    def series(self, quantity: str, item: str, where: str = "") -> list:
        """Per-period figures; None in periods without a Data row."""
        return [self.values.get((quantity, item, where, t)) for t in range(self.T)]

    def where_of(self, quantity: str, item: str) -> list[str]:
        """The sites (starts) or sources (acquisitions) the Data table has for an item."""
        return self.wheres.get(quantity, {}).get(item, [])

    def total(self, quantity: str, item: str, t: int) -> float:
        """Sum over all `where` of an item's figure in period t (e.g. starts of a course)."""
        return sum(self.value(quantity, item, w, t) for w in self.where_of(quantity, item))

    def courses_at(self, site: str) -> list:
        """[(course, shares)] of the courses with starts at ``site``, in course order;
        shares[offset] is the fraction of period τ + offset a start in τ occupies."""
        if self._courses_at is None:
            at = defaultdict(list)
            for course in self.inputs.courses:
                shares = seat_shares(course.duration_months, self.m)
                for where in self.where_of("starts", course.name):
                    at[where].append((course.name, shares))
            self._courses_at = dict(at)
        return self._courses_at.get(site, [])

    def seat_use(self, site: str, t: int) -> float:
        """Trainees present at a site during period t (average occupancy)."""
        used = 0.0
        values = self.values
        for course, shares in self.courses_at(site):
            for tau in range(max(0, t - len(shares) + 1), t + 1):
                share = shares[t - tau]
                if share:
                    used += share * values.get(("starts", course, site, tau), 0.0)
        return used

    def site_open(self, site, t: int) -> bool:
        until = self.T - 1 if site.available_until is None else site.available_until
        return site.available_from <= t <= until

    def source_open(self, source, t: int) -> bool:
        until = self.T - 1 if source.available_until is None else source.available_until
        return source.available_from <= t <= until

    def window_text(self, record) -> str:
        labels = self.labels
        first = labels[record.available_from] if labels else ""
        last = labels[-1 if record.available_until is None else record.available_until] \
            if labels else ""
        return f"{first} – {last}"
