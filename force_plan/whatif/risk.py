"""How likely a plan is to miss its targets: its decisions replayed under random draws.

``draw_inputs(inputs, lines, n, seed)`` draws the Uncertainty sheet's lines (triangular,
``once`` or ``each_period``) into per-draw, per-period arrays; ``replay(inputs, results,
drawn)`` replays the plan's decisions under every draw at once (numpy, vectorised over
draws; a loop over periods only); ``summarise`` turns the replay into probabilities and
percentiles.

The replay (WORKBOOK.md, Uncertainty; MODEL.md's balances with drawn rates):

- starts, orders, separations, reserve and instructors are taken as planned;
- recruit starts of a period are cut down proportionally (all recruit courses alike)
  where the drawn recruit pool cannot supply them;
- conversion starts out of a category are cut down proportionally where its drawn
  strength, after attrition, this period's graduates and planned separations, cannot
  supply them (separations are cut only when strength runs out altogether). Graduates
  of a 0-month conversion join in the same period, so a period's conversions are settled
  by a short fixed-point iteration (three rounds);
- graduates are cut starts × the drawn yield of their start period; an order arrives at
  the end of its order period + the lag of its drawn lead time (arrivals after the plan's
  last period are not counted);
- instructors and reservists are what the plan holds, capped by the strength there is;
  effective strength = strength − instructors − (1 − reserve_weight) × reserve;
- operational systems = drawn availability × inventory, up to the target (as planned
  where there is none), cut down proportionally where the crew category's effective
  strength cannot crew them all.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..inputs.typed import Inputs
from ..model.timing import lag as lag_of, lags as lags_of, per_period_rate

PERCENTILES = (10, 50, 90)
#: a draw meets a target when it is short by no more than this share of it (round-off)
MEET_TOLERANCE = 1e-6
#: fixed-point rounds settling a period's conversions (0-month courses chain within one)
ROUNDS = 3
#: draws replayed at once (memory stays bounded by the levels kept for the percentiles)
CHUNK = 5000
#: most values kept for the percentiles (draws × (categories + equipment) × periods): 1.2 GB
MAX_KEPT = 150_000_000


def chunks(n: int) -> list[int]:
    """Sizes of the blocks of draws, in order (every block draws its lines in sheet order
    from one generator, so the replay and --reoptimise see the same draws)."""
    return [min(CHUNK, n - i) for i in range(0, n, CHUNK)]


@dataclass
class Drawn:
    """Drawn inputs, one row per draw: shapes (D, items, T)."""

    n: int
    attrition: np.ndarray  # per-period rate, (D, C, T)
    yields: np.ndarray  # by start period, (D, K, T)
    loss: np.ndarray  # per-period rate, (D, E, T)
    availability: np.ndarray  # (D, E, T)
    recruits: np.ndarray  # pool per period, inf = no limit, (D, T)
    lags: np.ndarray  # periods from order to arrival, by order period, (D, S, T)


def line_factors(rng, line, n: int, T: int) -> np.ndarray:
    """(n, T) factors of one line: one triangular draw per draw, or per draw and period."""
    size = (n, T) if line.each_period else (n, 1)
    if line.high == line.low:
        f = np.full(size, float(line.low))
    else:
        f = rng.triangular(line.low, line.likely, line.high, size=size)
    return np.broadcast_to(f, (n, T))


def draw_inputs(inputs: Inputs, lines, n: int, seed) -> Drawn:
    """Draw every Uncertainty line ``n`` times (the same seed gives the same draws);
    ``seed`` may be a numpy Generator to go on drawing from."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    T, m = inputs.T, inputs.period_months
    cats, courses, eqs = inputs.categories, inputs.courses, inputs.equipment
    # annual values before the draws, per item (D broadcast later)
    att = np.tile(np.array([[c.attrition_rate] for c in cats], dtype=float), (n, 1, T)) \
        if cats else np.zeros((n, 0, T))
    yld = np.tile(np.array([[k.yield_] for k in courses], dtype=float), (n, 1, T)) \
        if courses else np.zeros((n, 0, T))
    loss = np.tile(np.array([[e.loss_rate] for e in eqs], dtype=float), (n, 1, T)) \
        if eqs else np.zeros((n, 0, T))
    avail = np.tile(np.array([[e.availability] for e in eqs], dtype=float), (n, 1, T)) \
        if eqs else np.zeros((n, 0, T))
    pool = np.array([np.inf if p.recruits_available is None else p.recruits_available
                     for p in inputs.periods], dtype=float)
    recruits = np.tile(pool, (n, 1))
    lead = np.tile(np.array([[s.lead_time_months] for s in inputs.sources], dtype=float),
                   (n, 1, T)) if inputs.sources else np.zeros((n, 0, T))
    index = {
        "Categories": {(c.name.lower(),): i for i, c in enumerate(cats)},
        "Courses": {(k.name.lower(),): i for i, k in enumerate(courses)},
        "Equipment": {(e.name.lower(),): i for i, e in enumerate(eqs)},
        "Periods": {(p.label.lower(),): i for i, p in enumerate(inputs.periods)},
        "EquipmentSources": {(s.source.lower(), s.equipment.lower()): i
                             for i, s in enumerate(inputs.sources)},
    }
    target = {("Categories", "attrition_rate"): att, ("Courses", "yield"): yld,
              ("Equipment", "loss_rate"): loss, ("Equipment", "availability"): avail,
              ("EquipmentSources", "lead_time_months"): lead}
    for line in lines:
        f = line_factors(rng, line, n, T)
        rows = [index[line.sheet][k] for k in line.keys if k in index[line.sheet]]
        if line.sheet == "Periods":
            for t in rows:  # one draw per line: shared by every period a * line hits
                recruits[:, t] = recruits[:, t] * (f[:, t] if line.each_period else f[:, 0])
            continue
        arr = target[(line.sheet, line.column)]
        for i in rows:
            arr[:, i, :] = arr[:, i, :] * f
    for arr in (att, yld, loss, avail):
        np.clip(arr, 0.0, 1.0, out=arr)
    lags = lags_of(lead, m)
    return Drawn(n, per_period_rate(att, m), yld, per_period_rate(loss, m), avail, recruits,
                 lags)


def planned_values(df, quantity: str, items, T: int, labels, key=lambda r: r[0]) -> np.ndarray:
    """(len(items), T) planned values of one Data quantity (summed over `where`)."""
    out = np.zeros((len(items), T))
    pos = {name: i for i, name in enumerate(items)}
    col = {lbl: t for t, lbl in enumerate(labels)}
    sel = df[df.quantity == quantity]
    for item, where, period, value in zip(sel["item"], sel["where"], sel["period"],
                                          sel["value"]):
        i = pos.get(key((item, where)))
        if i is not None and period in col:
            out[i, col[period]] += float(value)
    return out


@dataclass
class Replay:
    strength: np.ndarray  # (D, C, T) trained strength
    effective: np.ndarray  # (D, C, T)
    operational: np.ndarray  # (D, E, T)


def replay(inputs: Inputs, results, drawn: Drawn) -> Replay:
    """The plan's decisions under every draw at once (see the module doc)."""
    df, T, labels = results.data, inputs.T, inputs.period_labels
    cats = [c.name for c in inputs.categories]
    ci = {c: i for i, c in enumerate(cats)}
    C, K, D = len(cats), len(inputs.courses), drawn.n
    starts = planned_values(df, "starts", [k.name for k in inputs.courses], T, labels)
    seps = planned_values(df, "separations", cats, T, labels)
    reserve = planned_values(df, "reserve", cats, T, labels)
    instructors = planned_values(df, "instructors", cats, T, labels)
    pipeline = np.zeros((K, T))
    kpos = {k.name: i for i, k in enumerate(inputs.courses)}
    for p in inputs.pipeline:
        pipeline[kpos[p.course], p.period] += p.graduates
    to_m = np.zeros((K, C))
    from_m = np.zeros((K, C))
    recruit = np.zeros(K, dtype=bool)
    lag = np.zeros(K, dtype=int)
    for k, course in enumerate(inputs.courses):
        to_m[k, ci[course.to_category]] = 1.0
        if course.from_recruit:
            recruit[k] = True
        else:
            from_m[k, ci[course.from_category]] = 1.0
        lag[k] = lag_of(course.duration_months, inputs.period_months)
    rw = np.array([c.reserve_weight for c in inputs.categories])
    S = np.tile(np.array([c.initial_strength for c in inputs.categories], dtype=float), (D, 1))
    cut = np.zeros((D, K, T))  # starts as replayed
    strength = np.zeros((D, C, T))
    effective = np.zeros((D, C, T))
    for t in range(T):
        n_t = np.tile(starts[:, t], (D, 1))
        planned_recruits = starts[recruit, t].sum()
        if planned_recruits > 0:
            f = np.minimum(1.0, drawn.recruits[:, t] / planned_recruits)
            n_t[:, recruit] *= f[:, None]
        earlier = np.zeros((D, K))  # graduates from starts of earlier periods + Pipeline
        for k in np.flatnonzero(lag > 0):
            tau = t - lag[k]
            if tau >= 0:
                earlier[:, k] = drawn.yields[:, k, tau] * cut[:, k, tau]
        earlier += pipeline[:, t]
        same = lag == 0
        kept = S * (1.0 - drawn.attrition[:, :, t])
        conv_planned = n_t @ from_m  # (D, C): conversion starts out of each category
        conv = n_t.copy()
        for _ in range(ROUNDS):
            grads = earlier + np.where(same, drawn.yields[:, :, t] * conv, 0.0)
            avail = kept + grads @ to_m
            sep = np.minimum(seps[:, t], avail)
            room = np.maximum(avail - sep, 0.0)
            factor = np.where(conv_planned > 0, np.minimum(1.0, room / np.where(
                conv_planned > 0, conv_planned, 1.0)), 1.0)
            conv = np.where(recruit, n_t, n_t * (factor @ from_m.T))
        cut[:, :, t] = conv
        grads = earlier + np.where(same, drawn.yields[:, :, t] * conv, 0.0)
        avail = kept + grads @ to_m
        sep = np.minimum(seps[:, t], avail)
        S = np.maximum(avail - sep - conv @ from_m, 0.0)
        inst = np.minimum(instructors[:, t], S)
        res = np.minimum(reserve[:, t], S - inst)
        strength[:, :, t] = S
        effective[:, :, t] = S - inst - (1.0 - rw) * res
    return Replay(strength, effective, _equipment(inputs, df, drawn, effective))


def _equipment(inputs: Inputs, df, drawn: Drawn, effective: np.ndarray) -> np.ndarray:
    T, labels, D = inputs.T, inputs.period_labels, drawn.n
    eqs = inputs.equipment
    E = len(eqs)
    if not E:
        return np.zeros((D, 0, T))
    epos = {e.name: i for i, e in enumerate(eqs)}
    keys = [(s.equipment, s.source) for s in inputs.sources]
    orders = planned_values(df, "acquisitions", keys, T, labels, key=lambda r: (r[0], r[1]))
    arrivals = np.zeros((D, E, T))
    for s, src in enumerate(inputs.sources):
        e = epos[src.equipment]
        for tau in np.flatnonzero(orders[s] > 0):
            when = tau + drawn.lags[:, s, tau]
            ok = when < T
            np.add.at(arrivals[:, e, :], (np.flatnonzero(ok), when[ok]), orders[s, tau])
    inv = np.tile(np.array([e.initial_inventory for e in eqs], dtype=float), (D, 1))
    ci = {c.name: i for i, c in enumerate(inputs.categories)}
    crew = np.zeros((E, len(inputs.categories)))
    for i, e in enumerate(eqs):
        if e.crew_category is not None and e.crew_per_system:
            crew[i, ci[e.crew_category]] = e.crew_per_system
    # systems worth operating: up to the target, or as planned where there is none (so
    # that systems beyond any need take no crews from those that have a target)
    wanted = planned_values(df, "operational", [e.name for e in eqs], T, labels)
    for tg in inputs.equipment_targets:
        wanted[epos[tg.item], tg.period] = tg.value
    operational = np.zeros((D, E, T))
    for t in range(T):
        inv = inv * (1.0 - drawn.loss[:, :, t]) + arrivals[:, :, t]
        op = np.minimum(drawn.availability[:, :, t] * inv, wanted[:, t])
        need = op @ crew  # (D, C) persons needed to crew every available system
        f = np.where(need > 0, np.minimum(1.0, effective[:, :, t] / np.where(
            need > 0, need, 1.0)), 1.0)
        # a system is limited by its crew category's factor (1 without a crew category)
        limit = np.where(crew.sum(axis=1) > 0, f @ (crew > 0).T.astype(float), 1.0)
        operational[:, :, t] = op * np.minimum(limit, 1.0)
    return operational


# --------------------------------------------------------------------------- figures
def _targets(records, names, T) -> np.ndarray:
    """(items, T) targets, NaN where blank."""
    out = np.full((len(names), T), np.nan)
    pos = {n: i for i, n in enumerate(names)}
    for t in records:
        out[pos[t.item], t.period] = t.value
    return out


def _stats(values: np.ndarray, target: np.ndarray) -> dict:
    """Per item and period: p_meet, shortfall and level percentiles (arrays)."""
    has = ~np.isnan(target)
    goal = np.where(has, target, 0.0)
    short = np.maximum(goal[None] - values, 0.0) * has[None]
    meets = short <= MEET_TOLERANCE * np.maximum(1.0, goal[None])
    p = np.percentile(short, PERCENTILES, axis=0)
    s = np.percentile(values, PERCENTILES, axis=0)
    return {"p_meet": np.where(has, meets.mean(axis=0), np.nan), "target": target,
            "shortfall": p, "level": s}


@dataclass
class RiskFigures:
    draws: int
    seed: int | None
    categories: dict  # stats of effective strength (see _stats), names in plan order
    equipment: dict
    category_names: list
    equipment_names: list
    labels: tuple
    #: "replay": the plan's decisions under the draws; "reoptimise": re-solved per draw
    mode: str = "replay"
    #: draws that had no plan (re-solved runs only), left out of the figures
    no_plan: int = 0


def summarise(inputs: Inputs, rep: Replay, drawn: Drawn, seed) -> RiskFigures:
    cats = [c.name for c in inputs.categories]
    eqs = [e.name for e in inputs.equipment]
    return RiskFigures(drawn.n, seed,
                       _stats(rep.effective, _targets(inputs.targets, cats, inputs.T)),
                       _stats(rep.operational, _targets(inputs.equipment_targets, eqs, inputs.T)),
                       cats, eqs, inputs.period_labels)


def _r(x, digits=6):
    return None if x is None or np.isnan(x) else round(float(x), digits)


def as_json(fig: RiskFigures) -> dict:
    def block(stats, names):
        out = {}
        for i, name in enumerate(names):
            out[name] = {lbl: {"p_meet": _r(stats["p_meet"][i, t]),
                               "shortfall_p10": _r(stats["shortfall"][0, i, t]),
                               "shortfall_p50": _r(stats["shortfall"][1, i, t]),
                               "shortfall_p90": _r(stats["shortfall"][2, i, t]),
                               "strength_p50": _r(stats["level"][1, i, t])}
                         for t, lbl in enumerate(fig.labels)}
        return out
    return {"draws": fig.draws, "categories": block(fig.categories, fig.category_names),
            "equipment": block(fig.equipment, fig.equipment_names)}


def most_at_risk(fig: RiskFigures, results, top: int = 3) -> list[str]:
    """Sentences on the targets the plan meets but is least likely to meet under the draws
    (the ``top`` categories, then the ``top`` equipment types, worst first); then how many
    items the plan itself leaves short."""
    df, labels = results.data, list(fig.labels)
    found, short_as_planned = [], {"persons": 0, "systems": 0}
    for stats, names, unit, quantity in (
            (fig.categories, fig.category_names, "persons", "shortfall"),
            (fig.equipment, fig.equipment_names, "systems", "equipment_shortfall")):
        planned = planned_values(df, quantity, names, len(labels), labels)
        for i, name in enumerate(names):
            row = stats["p_meet"][i]
            goal = np.nan_to_num(stats["target"][i])
            met = ~np.isnan(row) & (planned[i] <= MEET_TOLERANCE * np.maximum(1.0, goal))
            if np.any(~np.isnan(row) & ~met):
                short_as_planned[unit] += 1
            if not np.any(met):
                continue
            t = int(np.argmin(np.where(met, row, np.inf)))
            if row[t] < 1.0:
                found.append((row[t], name, i, t, unit, stats))
    found.sort(key=lambda x: (x[0], x[1]))
    # the worst categories and the worst equipment types, so that neither hides the other
    found = [f for f in found if f[4] == "persons"][:top] + \
        [f for f in found if f[4] == "systems"][:top]
    out = []
    for pm, name, i, t, unit, stats in found:
        out.append(f"{name}: the plan meets its target in {labels[t]}, but only in {pm:.0%} of "
                   f"the draws (target {stats['target'][i, t]:,.0f} {unit}; median shortfall "
                   f"{stats['shortfall'][1, i, t]:,.0f}, 1 draw in 10 short by "
                   f"{stats['shortfall'][2, i, t]:,.0f} or more)")
    if not found:
        out.append(f"Every target the plan meets is met in all {fig.draws:,} draws.")
    cats, eqs = short_as_planned["persons"], short_as_planned["systems"]
    if cats or eqs:
        out.append(f"As planned, {cats} categor{'y' if cats == 1 else 'ies'} and {eqs} equipment "
                   f"type{'' if eqs == 1 else 's'} are already short of target in some period "
                   "(the plan's Strength and Equipment sheets say where); the draws' shortfall "
                   "percentiles for them are on the Categories and Equipment sheets.")
    return out


def run_risk(inputs: Inputs, results, lines, n: int, seed) -> RiskFigures:
    """The replay's figures over ``n`` draws, replayed CHUNK draws at a time."""
    from ..errors import InputError, Problem

    items = (len(inputs.categories) + len(inputs.equipment)) * inputs.T
    if n * items > MAX_KEPT:
        most = max(1, MAX_KEPT // items)
        raise InputError([Problem("", f"{n:,} draws of this plan would keep {n * items:,} "
                                  "figures in memory for the percentiles",
                                  f"ask for at most {most:,} draws (-n {most})")])
    rng = np.random.default_rng(seed)
    effective, operational = [], []
    for size in chunks(n):
        rep = replay(inputs, results, draw_inputs(inputs, lines, size, rng))
        effective.append(rep.effective)
        operational.append(rep.operational)
        del rep
    eff, op = np.concatenate(effective), np.concatenate(operational)
    return summarise(inputs, Replay(eff, eff, op), Drawn(n, *(np.zeros(0),) * 6), seed)
