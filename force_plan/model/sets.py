"""Index sets and timing facts derived from Inputs (no LP objects here).

Periods are 0-based: t = 0 … T−1 here is period t + 1 of MODEL.md; "t − 1" of the first
period is the plan start (initial values). The model runs over T + H periods: the plan's
T and H look-ahead periods (MODEL.md, Look-ahead), which repeat period T's per-period
inputs (``Sets.period_of``); ``Sets.T`` is the model's horizon T + H, ``Sets.T_plan`` the
plan's T.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..inputs.typed import Inputs
from .timing import lag, per_period_rate


@dataclass(frozen=True)
class Route:
    """A course delivered at a site (site = None: the one implicit site)."""

    index: int
    course: int  # index into inputs.courses
    site: Optional[int]  # index into inputs.sites, or None
    cost_per_start: float
    max_starts_per_period: Optional[float]
    row: str = ""  # CourseSites row, "" for the implicit site
    cells: dict = field(default_factory=dict)
    periods: tuple = ()  # start periods allowed


@dataclass
class Sets:
    T: int  # periods in the model: the plan's and the look-ahead
    m: int
    course_lag: list  # per course
    attrition: list  # per category, per period
    loss: list  # per equipment, per period
    source_lag: list  # per source
    routes: list  # [Route]
    order_periods: list  # per source: allowed order periods
    targets: dict  # (category index, t) -> Target
    equipment_targets: dict  # (equipment index, t) -> Target
    pipeline: dict  # (course index, t) -> graduates (summed)
    cat_index: dict
    course_index: dict
    site_index: dict
    eq_index: dict
    #: course index -> periods where at least one start is allowed (min starts apply there)
    course_start_periods: dict = field(default_factory=dict)
    routes_by_course: dict = field(default_factory=dict)
    routes_by_site: dict = field(default_factory=dict)
    T_plan: int = 0  # the plan's periods (the look-ahead H = T − T_plan)
    #: category index -> [(course index, trainees_per_instructor)] it teaches from its pool
    pool_courses: dict = field(default_factory=dict)

    @property
    def H(self) -> int:
        return self.T - self.T_plan

    def label(self, labels, t: int) -> str:
        """Period t's label; a look-ahead period reads "2031-Q4 +1" (after the last)."""
        return labels[t] if t < self.T_plan else f"{labels[-1]} +{t - self.T_plan + 1}"

    def period_of(self, t: int) -> int:
        """The plan period whose per-period inputs period t uses (look-ahead: T's)."""
        return min(t, self.T_plan - 1)


def lookahead(inputs: Inputs) -> int:
    """H: Settings lookahead_periods, blank = the largest lag of any course or equipment
    source, plus 1 (MODEL.md, Look-ahead)."""
    if inputs.settings.lookahead_periods is not None:
        return inputs.settings.lookahead_periods
    m = inputs.period_months
    lags = [lag(k.duration_months, m) for k in inputs.courses]
    lags += [lag(src.lead_time_months, m) for src in inputs.sources]
    return max(lags, default=0) + 1


def _until(until, T_plan: int, T: int) -> int:
    """Last period index of a window: one open at period T stays open in the look-ahead."""
    return T - 1 if until is None or until >= T_plan - 1 else until


def derive(inputs: Inputs) -> Sets:
    T_plan, m = inputs.T, inputs.period_months
    T = T_plan + lookahead(inputs)
    cat_index = {c.name: i for i, c in enumerate(inputs.categories)}
    course_index = {k.name: i for i, k in enumerate(inputs.courses)}
    site_index = {s.name: i for i, s in enumerate(inputs.sites or ())}
    eq_index = {e.name: i for i, e in enumerate(inputs.equipment)}
    course_lag = [lag(k.duration_months, m) for k in inputs.courses]

    routes: list[Route] = []

    def allowed(k: int, s: Optional[int]) -> tuple:
        last = T - 1 - course_lag[k]
        first = 0
        if s is not None:
            site = inputs.sites[s]
            first = site.available_from
            last = min(last, _until(site.available_until, T_plan, T) - course_lag[k])
        return tuple(range(first, last + 1))

    if inputs.course_sites is None:
        for k, course in enumerate(inputs.courses):
            routes.append(Route(len(routes), k, None, course.cost_per_start, None,
                                periods=allowed(k, None)))
    else:
        for cs in inputs.course_sites:
            k, s = course_index[cs.course], site_index[cs.site]
            cost = cs.cost_per_start if cs.cost_per_start is not None \
                else inputs.courses[k].cost_per_start
            routes.append(Route(len(routes), k, s, cost, cs.max_starts_per_period, cs.row,
                                dict(cs.cells), allowed(k, s)))

    course_start_periods: dict = {}
    routes_by_course: dict = {}
    routes_by_site: dict = {}
    for r in routes:
        course_start_periods.setdefault(r.course, set()).update(r.periods)
        routes_by_course.setdefault(r.course, []).append(r)
        routes_by_site.setdefault(r.site, []).append(r)

    source_lag = [lag(src.lead_time_months, m) for src in inputs.sources]
    order_periods = []
    for j, src in enumerate(inputs.sources):
        last = min(T - 1 - source_lag[j], _until(src.available_until, T_plan, T))
        order_periods.append(tuple(range(src.available_from, last + 1)))

    pipeline: dict = {}
    for p in inputs.pipeline:
        key = (course_index[p.course], p.period)
        pipeline[key] = pipeline.get(key, 0.0) + p.graduates

    targets = {(cat_index[t.item], t.period): t for t in inputs.targets}
    equipment_targets = {(eq_index[t.item], t.period): t for t in inputs.equipment_targets}
    for table in (targets, equipment_targets):  # the look-ahead repeats period T's targets
        for (i, t), target in list(table.items()):
            if t == T_plan - 1:
                table.update({(i, u): target for u in range(T_plan, T)})

    pool_courses: dict = {}
    for k, course in enumerate(inputs.courses):
        if course.instructor_category is not None and course.trainees_per_instructor:
            pool_courses.setdefault(cat_index[course.instructor_category], []).append(
                (k, course.trainees_per_instructor))

    return Sets(
        T=T, T_plan=T_plan, m=m, course_lag=course_lag, pool_courses=pool_courses,
        attrition=[per_period_rate(c.attrition_rate, m) for c in inputs.categories],
        loss=[per_period_rate(e.loss_rate, m) for e in inputs.equipment],
        source_lag=source_lag, routes=routes, order_periods=order_periods,
        targets=targets, equipment_targets=equipment_targets,
        pipeline=pipeline, cat_index=cat_index, course_index=course_index,
        site_index=site_index, eq_index=eq_index,
        course_start_periods={k: tuple(sorted(v)) for k, v in course_start_periods.items()},
        routes_by_course=routes_by_course, routes_by_site=routes_by_site,
    )
