"""One ``define_<family>`` function per equation family of MODEL.md.

Notation: c category, k course, r route (a course at a site), s site, e equipment,
j source, t period (0-based; t − 1 = −1 is the plan start). N[k,t] = Σ_s starts[k,s,t];
lag_k = 0 if d_k = 0 else ceil(d_k/m) − 1; a_c, l_e the per-period attrition and loss.
Row names: ``<family>_<letter><index>…`` with positional indices (see model.py).
"""
from __future__ import annotations

from .model import Model, terms_add
from .timing import seat_fraction


# ---------------------------------------------------------------------- helpers
def _routes_of_course(model: Model) -> dict:
    return model.sets.routes_by_course


def _add_starts(model: Model, terms: dict, route, t: int, coef: float) -> None:
    key = (route.index, t)
    v = model.var.get("starts", _NONE).get(key)
    if v is not None and coef:  # (start_mult > 0)
        terms[v] = terms.get(v, 0.0) + coef * model.start_mult[key]


_NONE: dict = {}


def course_starts(model: Model, k: int, t: int, coef: float = 1.0, terms=None) -> dict:
    """Terms of coef · N[k,t]."""
    terms = {} if terms is None else terms
    for route in _routes_of_course(model).get(k, ()):
        _add_starts(model, terms, route, t, coef)
    return terms


# ---------------------------------------------------------------------- personnel
def define_strength_balance(model: Model) -> None:
    """strength[c,t] = (1 − a_c)·strength[c,t−1] + Σ_{k: to=c} G[k,t]
                       − Σ_{k: from=c} N[k,t] − separations[c,t]

    with G[k,t] = yield_k·N[k, t − lag_k] + pipeline[k,t] and strength[c,−1] =
    initial_strength. Row ``strength_balance_c<c>_t<t>``; its dual is the value of one
    more trained person of c at the end of t.
    """
    inputs, sets = model.inputs, model.sets
    into: dict = {}
    out_of: dict = {}
    for k, course in enumerate(inputs.courses):
        into.setdefault(sets.cat_index[course.to_category], []).append(k)
        if course.from_category is not None:
            out_of.setdefault(sets.cat_index[course.from_category], []).append(k)
    for c, cat in enumerate(inputs.categories):
        keep = 1.0 - sets.attrition[c]
        for t in range(sets.T):
            terms: dict = {}
            terms_add(terms, model.get("strength", (c, t)), 1.0)
            rhs = 0.0
            if t == 0:
                rhs += keep * cat.initial_strength
            else:
                terms_add(terms, model.get("strength", (c, t - 1)), -keep)
            for k in into.get(c, ()):
                course = inputs.courses[k]
                if t - sets.course_lag[k] >= 0:
                    course_starts(model, k, t - sets.course_lag[k], -course.yield_, terms)
                rhs += sets.pipeline.get((k, t), 0.0)
            for k in out_of.get(c, ()):
                course_starts(model, k, t, 1.0, terms)
            terms_add(terms, model.get("separations", (c, t)), 1.0)
            model.add_row("strength_balance", (c, t), "ct", terms, "==", rhs,
                          item=cat.name, period=t, cell=cat.cells.get("initial_strength", ""))


def effective_terms(model: Model, c: int, t: int, coef: float = 1.0) -> dict:
    """coef · effective[c,t] = coef · (strength[c,t] − (1 − reserve_weight_c)·reserve[c,t]
    − instructors[c,t])."""
    cat = model.inputs.categories[c]
    terms: dict = {}
    terms_add(terms, model.get("strength", (c, t)), coef)
    terms_add(terms, model.get("reserve", (c, t)), -coef * (1.0 - cat.reserve_weight))
    terms_add(terms, model.get("instructors", (c, t)), -coef)
    return terms


def define_targets(model: Model) -> None:
    """effective[c,t] − overstrength[c,t] + shortfall[c,t] = target[c,t]   for every
    target cell (look-ahead periods repeat period T's), with effective[c,t] =
    strength[c,t] − (1 − reserve_weight_c)·reserve[c,t] − instructors[c,t].

    (shortfall[c,t] ≤ (1 − min_fill_c)·target[c,t] is the variable's upper bound.)
    Row ``target_c<c>_t<t>``: its dual is the value of one person less required.
    """
    inputs = model.inputs
    for (c, t), target in model.sets.targets.items():
        cat = inputs.categories[c]
        terms = effective_terms(model, c, t)
        terms_add(terms, model.get("overstrength", (c, t)), -1.0)
        terms_add(terms, model.get("shortfall", (c, t)), 1.0)
        model.add_row("target", (c, t), "ct", terms, "==", target.value,
                      item=cat.name, period=t, cell=target.cell)


def define_instructor_pool(model: Model) -> None:
    """instructors[c,t] = Σ_{k: instructor_category=c} Σ_{s: not own_instructors}
                          Σ_{τ ≤ t} f_k(t − τ)·starts[k,s,τ] / trainees_per_instructor_k

    Row ``instructors_drawn_c<c>_t<t>``: the persons of c who teach in t, one pool shared
    by every course c teaches (trainees present, the seat measure f_k).
    """

    inputs, sets, m = model.inputs, model.sets, model.sets.m
    own = {s for s, site in enumerate(inputs.sites or ()) if site.own_instructors}
    for c, courses in sets.pool_courses.items():
        for t in range(sets.T):
            v = model.get("instructors", (c, t))
            terms: dict = {v: 1.0}
            for k, per in courses:
                d = inputs.courses[k].duration_months
                for route in sets.routes_by_course.get(k, ()):
                    if route.site in own:
                        continue
                    for tau in range(max(0, t - sets.course_lag[k]), t + 1):
                        share = seat_fraction(d, m, t - tau)
                        _add_starts(model, terms, route, tau, -share / per)
            model.add_row("instructors_drawn", (c, t), "ct", terms, "==", 0.0,
                          item=inputs.categories[c].name, period=t)


def define_within_strength(model: Model) -> None:
    """reserve[c,t] + instructors[c,t] ≤ strength[c,t]   (reserve[c,t] ≤ reserve_cap_c is
    the bound). Row ``within_strength_c<c>_t<t>``: its dual is what one more trained person
    of c is worth as a reservist or an instructor."""
    keys = set(model.var.get("reserve", {})) | set(model.var.get("instructors", {}))
    for (c, t) in sorted(keys):
        terms = {model.get("strength", (c, t)): -1.0}
        terms_add(terms, model.get("reserve", (c, t)), 1.0)
        terms_add(terms, model.get("instructors", (c, t)), 1.0)
        model.add_row("within_strength", (c, t), "ct", terms, "<=", 0.0,
                      item=model.inputs.categories[c].name, period=t)


def define_overstrength_cap(model: Model) -> None:
    """Σ_c overstrength[c,t] ≤ overstrength_cap, every t (when the setting is given)."""
    cap = model.inputs.settings.overstrength_cap
    if cap is None:
        return
    by_t: dict = {}
    for (c, t), v in model.var.get("overstrength", {}).items():
        terms_add(by_t.setdefault(t, {}), v, 1.0)
    for t, terms in sorted(by_t.items()):
        model.add_row("overstrength_cap", (t,), "t", terms, "<=", cap, period=t,
                      cell=model.inputs.settings.cells.get("overstrength_cap", ""), elastic=True)


# ---------------------------------------------------------------------- training
def define_course_limits(model: Model) -> None:
    """min_starts_k ≤ N[k,t] ≤ max_starts_k in every period where a start is allowed.

    (starts[k,s,t] ≤ CourseSites.max_starts_per_period is the variable's bound.)
    """
    inputs, sets = model.inputs, model.sets
    for k, course in enumerate(inputs.courses):
        for t in sets.course_start_periods.get(k, ()):
            terms = course_starts(model, k, t)
            if course.max_starts_per_period is not None:
                model.add_row("course_max_starts", (k, t), "kt", terms, "<=",
                              course.max_starts_per_period, item=course.name, period=t,
                              cell=course.cells.get("max_starts_per_period", ""))
            if course.min_starts_per_period > 0:
                model.add_row("course_min_starts", (k, t), "kt", terms, ">=",
                              course.min_starts_per_period, item=course.name, period=t,
                              cell=course.cells.get("min_starts_per_period", ""), elastic=True)


def define_instructor_throughput(model: Model) -> None:
    """N[k,t] ≤ starts_per_instructor_k · strength[instructor_category_k, t] (version 1's
    limit on the course alone; draws no one). Row ``instructor_throughput_k<k>_t<t>``."""
    inputs, sets = model.inputs, model.sets
    for k, course in enumerate(inputs.courses):
        if course.instructor_category is None or course.starts_per_instructor is None:
            continue
        ic = sets.cat_index[course.instructor_category]
        for t in sets.course_start_periods.get(k, ()):
            terms = course_starts(model, k, t)
            terms_add(terms, model.get("strength", (ic, t)), -course.starts_per_instructor)
            model.add_row("instructor_throughput", (k, t), "kt", terms, "<=", 0.0,
                          item=course.name,
                          period=t, cell=course.cells.get("starts_per_instructor", ""))


def define_recruit_pool(model: Model) -> None:
    """Σ_{k from RECRUIT} N[k,t] ≤ recruits_available[t] (when given; the look-ahead
    repeats period T's)."""
    inputs, sets = model.inputs, model.sets
    entry = [k for k, course in enumerate(inputs.courses) if course.from_recruit]
    for t in range(sets.T):
        period = inputs.periods[sets.period_of(t)]
        if period.recruits_available is None:
            continue
        terms: dict = {}
        for k in entry:
            course_starts(model, k, t, 1.0, terms)
        if terms:
            model.add_row("recruits", (t,), "t", terms, "<=", period.recruits_available,
                          period=t, cell=period.cells.get("recruits_available", ""))


def in_course_terms(model: Model, t: int, fraction=None, site=None) -> dict:
    """Σ over routes (at ``site`` if given) and start periods τ ≤ t of the starters still
    in their course during t, each weighted by ``fraction(route, t − τ)`` (or 1 when the
    course graduates after t: τ + lag > t)."""
    sets = model.sets
    starts, mult = model.var.get("starts", _NONE), model.start_mult
    terms: dict = {}
    for route in (sets.routes if site is None else sets.routes_by_site.get(site, ())):
        r = route.index
        for o, w in _overlap_weights(model, route, fraction):
            key = (r, t - o)
            v = starts.get(key)
            if v is not None:
                terms[v] = terms.get(v, 0.0) + w * mult[key]
    return terms


def _overlap_weights(model: Model, route, fraction) -> list:
    """[(o, w)] for the starts of period t − o, o = lag … 0, with a non-zero weight w in
    in_course_terms (cached per route and kind of weight)."""
    cache = model.overlap_cache
    key = (route.index, fraction is None)
    got = cache.get(key)
    if got is None:
        L = model.sets.course_lag[route.course]
        d = model.inputs.courses[route.course].duration_months
        got = []
        for o in range(L, -1, -1):
            w = (1.0 if o < L else 0.0) if fraction is None else fraction(d, o)
            if w:
                got.append((o, w))
        cache[key] = got
    return got


def define_site_seats(model: Model) -> None:
    """Σ_{k at s, τ ≤ t} f_k(t − τ)·starts[k,s,τ] ≤ seats_s, every site with seats and t.

    f_k(o) = clamp(d_k − o·m, 0, m)/m: the fraction of period τ + o a starter of τ is
    present. Availability windows are enforced by which starts exist (sets.py).
    """

    inputs, m = model.inputs, model.sets.m
    for s, site in enumerate(inputs.sites or ()):
        if site.seats is None:
            continue
        for t in range(model.sets.T):
            terms = in_course_terms(model, t, lambda d, o: seat_fraction(d, m, o), site=s)
            if terms:
                model.add_row("seats", (s, t), "st", terms, "<=", site.seats, item=site.name,
                              period=t, cell=site.cells.get("seats", ""))


def define_force_cap(model: Model) -> None:
    """Σ_c strength[c,t] + in_training[t] ≤ force_cap[t], in_training[t] = starters with
    τ ≤ t < τ + lag_k (Pipeline classes are not counted); force_cap[t] is the Periods
    value, blank = the Settings value (the look-ahead repeats period T's)."""
    inputs, sets = model.inputs, model.sets
    for t in range(sets.T):
        p = sets.period_of(t)
        cap = inputs.force_cap(p)
        if cap is None:
            continue
        cell = inputs.periods[p].cells.get("force_cap") or \
            inputs.settings.cells.get("force_cap", "")
        terms = in_course_terms(model, t)
        for c in range(len(inputs.categories)):
            terms_add(terms, model.get("strength", (c, t)), 1.0)
        model.add_row("force_cap", (t,), "t", terms, "<=", cap, period=t, cell=cell,
                      elastic=True)


# ---------------------------------------------------------------------- equipment
def define_inventory_balance(model: Model) -> None:
    """inventory[e,t] = (1 − l_e)·inventory[e,t−1] + Σ_j orders[j, e, t − lag_j]."""
    inputs, sets = model.inputs, model.sets
    arrivals: dict = {}
    for j, src in enumerate(inputs.sources):
        e = sets.eq_index[src.equipment]
        for t in sets.order_periods[j]:
            v = model.get("orders", (j, t))
            if v is not None:
                terms_add(arrivals.setdefault((e, t + sets.source_lag[j]), {}), v, 1.0)
    for e, eq in enumerate(inputs.equipment):
        keep = 1.0 - sets.loss[e]
        for t in range(sets.T):
            terms = {model.get("inventory", (e, t)): 1.0}
            rhs = keep * eq.initial_inventory if t == 0 else 0.0
            if t > 0:
                terms_add(terms, model.get("inventory", (e, t - 1)), -keep)
            for v, coef in arrivals.get((e, t), {}).items():
                terms_add(terms, v, -coef)
            model.add_row("inventory_balance", (e, t), "et", terms, "==", rhs, item=eq.name,
                          period=t, cell=eq.cells.get("initial_inventory", ""))


def define_operational(model: Model) -> None:
    """operational[e,t] ≤ availability_e · inventory[e,t]."""
    for e, eq in enumerate(model.inputs.equipment):
        for t in range(model.sets.T):
            terms = {model.get("operational", (e, t)): 1.0}
            terms_add(terms, model.get("inventory", (e, t)), -eq.availability)
            model.add_row("availability", (e, t), "et", terms, "<=", 0.0, item=eq.name,
                          period=t, cell=eq.cells.get("availability", ""))


def define_crews(model: Model) -> None:
    """Σ_{e: crew_category=c} crew_per_system_e·operational[e,t] ≤ effective[c,t]
          = strength[c,t] − (1 − reserve_weight_c)·reserve[c,t] − instructors[c,t]."""
    inputs, sets = model.inputs, model.sets
    crews: dict = {}
    for e, eq in enumerate(inputs.equipment):
        if eq.crew_category is not None and eq.crew_per_system:
            crews.setdefault(sets.cat_index[eq.crew_category], []).append((e, eq.crew_per_system))
    for c, members in crews.items():
        cat = inputs.categories[c]
        for t in range(sets.T):
            terms = effective_terms(model, c, t, -1.0)
            for e, crew in members:
                terms_add(terms, model.get("operational", (e, t)), crew)
            model.add_row("crews", (c, t), "ct", terms, "<=", 0.0, item=cat.name, period=t)


def define_equipment_targets(model: Model) -> None:
    """operational[e,t] + equipment_shortfall[e,t] ≥ equipment_target[e,t]."""
    for (e, t), target in model.sets.equipment_targets.items():
        terms = {model.get("operational", (e, t)): 1.0,
                 model.get("equipment_shortfall", (e, t)): 1.0}
        model.add_row("equipment_target", (e, t), "et", terms, ">=", target.value,
                      item=model.inputs.equipment[e].name, period=t, cell=target.cell)


def define_source_totals(model: Model) -> None:
    """Σ_t orders[j,e,t] ≤ total_available_j (orders[j,e,t] ≤ max_per_period_j is the
    bound; the window is enforced by which orders exist)."""
    for j, src in enumerate(model.inputs.sources):
        if src.total_available is None:
            continue
        terms: dict = {}
        for t in model.sets.order_periods[j]:
            terms_add(terms, model.get("orders", (j, t)), 1.0)
        if terms:
            model.add_row("source_total", (j,), "j", terms, "<=", src.total_available,
                          item=f"{src.equipment} from {src.source}",
                          cell=src.cells.get("total_available", ""))


# ---------------------------------------------------------------------- money
def define_costs(model: Model) -> None:
    """cost[t] = training + personnel + separations + procurement + sustainment, and
    cost[t] ≤ budget[t] (row ``budget_t<t>``, when a budget is given).

    training    Σ_r cost_per_start_r · starts[r,t]           (paid in the start period)
    personnel   (Σ_c cost_per_person_year_c·strength + reserve_cost_c·reserve
                 + overstrength_cost_c·overstrength) · m/12
    separations Σ_c separation_cost_c · separations[c,t]
    procurement Σ_j unit_cost_j · orders[j,t]                 (paid in the order period)
    sustainment Σ_e sustainment_cost_per_year_e · inventory[e,t] · m/12
    """
    inputs, sets = model.inputs, model.sets
    year = sets.m / 12.0
    for t in range(sets.T):
        lines = {name: {} for name in ("training", "personnel", "separations", "procurement",
                                       "sustainment")}
        for route in sets.routes:
            _add_starts(model, lines["training"], route, t, route.cost_per_start)
        for c, cat in enumerate(inputs.categories):
            terms_add(lines["personnel"], model.get("strength", (c, t)),
                      cat.cost_per_person_year * year)
            terms_add(lines["personnel"], model.get("reserve", (c, t)), cat.reserve_cost * year)
            terms_add(lines["personnel"], model.get("overstrength", (c, t)),
                      cat.overstrength_cost * year)
            terms_add(lines["separations"], model.get("separations", (c, t)),
                      cat.separation_cost)
        for j, src in enumerate(inputs.sources):
            terms_add(lines["procurement"], model.get("orders", (j, t)), src.unit_cost)
        for e, eq in enumerate(inputs.equipment):
            terms_add(lines["sustainment"], model.get("inventory", (e, t)),
                      eq.sustainment_cost_per_year * year)
        model.cost_terms[t] = lines
        period = inputs.periods[sets.period_of(t)]
        budget = period.budget
        if budget is not None:
            total: dict = {}
            for line in lines.values():
                for v, coef in line.items():
                    terms_add(total, v, coef)
            model.add_row("budget", (t,), "t", total, "<=", budget, period=t,
                          cell=period.cells.get("budget", ""), elastic=True)


# ---------------------------------------------------------------------- steadiness
def define_changes(model: Model) -> None:
    """changes = Σ_{r,t≥2} |starts[r,t] − starts[r,t−1]| + Σ_{j,t≥2} |orders[j,t] − orders[j,t−1]|
    (only when an objective level uses the term `changes`).

    A start or order not allowed in a period counts as 0 there, so a pair with one side
    missing adds the other side itself (it is ≥ 0); a pair with both sides adds a variable
    ``start_changes_r<r>_t<t>`` (``order_changes_j<j>_t<t>``) held above the difference both
    ways by rows ``start_changes_up_…`` and ``start_changes_down_…``. Minimised, it equals
    |difference|. Quantities are persons and systems (in integer mode, starters, not classes).
    """
    if not any(o.term == "changes" for o in model.inputs.objectives):
        return
    model.deferred_col, model.deferred_row = len(model.columns), len(model.rows)
    mult = model.start_mult
    starts = {key: (v, mult[key]) for key, v in model.var.get("starts", _NONE).items()}
    orders = {key: (v, 1.0) for key, v in model.var.get("orders", _NONE).items()}
    T = model.sets.T
    for family, letters, quantities in (("start_changes", "rt", starts),
                                        ("order_changes", "jt", orders)):
        for i in sorted({key[0] for key in quantities}):
            for t in range(1, T):
                before, after = quantities.get((i, t - 1)), quantities.get((i, t))
                if before is not None and after is not None:
                    _change_pair(model, family, letters, (i, t), before, after)
                elif before is not None or after is not None:  # the other side counts 0
                    v, q = before if after is None else after
                    terms_add(model.change_terms, v, q)


def _change_pair(model: Model, family: str, letters: str, key: tuple, before, after) -> None:
    """d ≥ q1·after − q0·before and d ≥ q0·before − q1·after: rows
    ``<family>_up_…`` and ``<family>_down_…``, kept compact (model.ChangePairs)."""
    model.add_change_pair(family, letters, key, before, after)
