"""The binding limits of a plan grouped by input cell: one :class:`Limit` per limit.

The solver reports a binding limit per period (extract.py's :class:`Bottleneck`: a shadow
price per objective level). A reader wants one line per limit: the input cell (a budget
in Periods!C2:C21 is one limit, a Targets row is one target), the periods it binds
(first–last), what one more unit would buy, and who gains. :func:`group_by_cell` folds
:class:`Binding` rows — made from ``Bottleneck`` objects (:func:`bindings_of`, for the
plan workbook) or read back from a Bottlenecks sheet (``review/limits.read_bindings``,
for the brief) — into limits; :func:`gains` says who a limit holds back.

Ranking (where the design is silent): limits of a lower objective level first (level 1
outranks anything at level 2); within a level by *weight*, Σ over periods of
value per unit × |limit| — the first-order gain of relaxing the limit by all of itself,
i.e. 100 × what a 1 % relaxation would buy — since a value per unit alone compares a
USD million with a launcher; then by total value per unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_EFFECT = re.compile(r"would (.+?) by -?[\d.,e+-]+\s*(?:[A-Za-z ]+)?\(objective level", re.I)
_SAVE = re.compile(r"would (save) [-\d.,e+]+ ([^()]+?) \(objective level", re.I)


@dataclass
class Binding:
    """One row of the Bottlenecks table: a limit binding in one period."""

    cell: str
    limit_of: str
    unit: str
    limit: float | None
    period: str
    level: int  # the first level with a non-zero value (0: worth nothing at any level)
    value: float  # value per unit at that level
    sentence: str
    family: str = ""  # constraint family ("" when read back from a sheet)
    item: str = ""  # the site, course, category, source … of the family


@dataclass
class Limit:
    """The rows of one input cell, folded."""

    cell: str
    limit_of: str
    unit: str
    level: int
    effect: str  # "cut weighted shortfall" (from the sheet's own sentence)
    lead: str = ""  # "One more seat at Naval Training Centre per period"
    cells: list = field(default_factory=list)  # every cell of the limit (one per period
    #: for a per-period sheet: Periods!C2…C21 is one budget limit)
    periods: list = field(default_factory=list)  # in the order of the sheet's Data periods
    values: list = field(default_factory=list)  # value per unit, per binding period
    limits: list = field(default_factory=list)  # the limit's value, per binding period
    family: str = ""
    item: str = ""

    def lead_in(self) -> str:
        what = f" of {self.limit_of}" if self.limit_of else ""
        return self.lead or f"One more {self.unit or 'unit'}{what}"

    @property
    def where(self) -> str:
        """The limit's cell, or its cells as a range (Periods!C2:C21)."""
        cells = sorted(set(self.cells), key=_cell_order)
        if len(cells) <= 1:
            return cells[0] if cells else self.cell
        sheet = cells[0].split("!")[0]
        return f"{sheet}!{cells[0].split('!')[1]}:{cells[-1].split('!')[1]}"

    @property
    def largest(self) -> float:
        return max(self.values, default=0.0)

    @property
    def total(self) -> float:
        return sum(self.values)

    @property
    def weight(self) -> float:
        """Σ value × |limit|: what relaxing the limit by 100 % would buy, to first order."""
        return sum(v * abs(x or 0.0) for v, x in zip(self.values, self.limits))

    def first_limit(self, order: list | None = None):
        """The limit's value in its first binding period (plan order)."""
        first = self.span(order)[0]
        for p, x in zip(self.periods, self.limits):
            if p == first:
                return x
        return self.limits[0] if self.limits else None

    def span(self, order: list | None = None) -> tuple:
        """(first, last) binding period in plan order ('' for a limit over the plan)."""
        named = [p for p in self.periods if p]
        if not named:
            return ("", "")
        if order:
            rank = {p: i for i, p in enumerate(order)}
            named = sorted(named, key=lambda p: rank.get(p, len(rank)))
        return (named[0], named[-1])


def effect_words(sentence: str, level: int) -> str:
    """What the gain is, in the sheet's own words ('cut weighted shortfall'); 'improve
    objective level N' when the sentence does not say."""
    m = _SAVE.search(sentence)
    if m:
        return f"save {m.group(2).strip()}"
    m = _EFFECT.search(sentence)
    return m.group(1).strip() if m else f"improve objective level {level}"


#: sheets with one row per period (a limit is a column of them) or one column per period
#: (a limit is a row of them)
PER_PERIOD_ROWS = ("periods",)
PER_PERIOD_COLUMNS = ("targets", "equipmenttargets")
_CELL = re.compile(r"^(.*)!\$?([A-Za-z]+)\$?(\d+)$")


def _cell_order(cell: str):
    m = _CELL.match(cell)
    return (len(m.group(2)), m.group(2).upper(), int(m.group(3))) if m else (0, cell, 0)


def limit_key(cell: str) -> str:
    """The limit a cell belongs to: the cell itself, or for a per-period sheet its column
    (Periods!C) or row (Targets!7)."""
    m = _CELL.match(cell)
    if not m:
        return cell
    sheet = m.group(1)
    if sheet.strip().lower() in PER_PERIOD_ROWS:
        return f"{sheet}!{m.group(2).upper()}"
    if sheet.strip().lower() in PER_PERIOD_COLUMNS:
        return f"{sheet}!{m.group(3)}"
    return cell


def lead_words(sentence: str, period: str) -> str:
    """The sheet's sentence up to 'would', its period made 'per period'."""
    head = sentence.split(" would ", 1)[0].strip() if " would " in sentence else ""
    if period and head:
        head = head.replace(f" in {period}", " per period")
    return head


def group_by_cell(bindings: list, keep_worthless: bool = False) -> list:
    """One :class:`Limit` per input cell (a row without a cell: per 'limit of' text),
    ranked as the module says. Rows worth nothing at every level are left out, unless
    ``keep_worthless`` (a plan without values: an integer plan)."""
    groups: dict = {}
    for b in bindings:
        if b.level == 0 and not keep_worthless:
            continue
        key = (limit_key(b.cell) if b.cell else b.limit_of, b.level)
        g = groups.get(key)
        if g is None:
            g = groups[key] = Limit(cell=b.cell, limit_of=b.limit_of, unit=b.unit,
                                    level=b.level, effect=effect_words(b.sentence, b.level),
                                    lead=lead_words(b.sentence, b.period), family=b.family,
                                    item=b.item)
        if b.cell:
            g.cells.append(b.cell)
        g.periods.append(b.period)
        g.values.append(b.value)
        g.limits.append(b.limit)
    return sorted(groups.values(), key=lambda g: (g.level, -g.weight, -g.total))


# --------------------------------------------------------------------- from the solver
def bindings_of(bottlenecks: list) -> list:
    """:class:`Binding` rows of extract.py's ``Bottleneck`` objects (the level is the first
    with a non-zero value, as the sheet reader finds it)."""
    out = []
    for b in bottlenecks:
        worth = {int(k): float(v) for k, v in b.value_per_unit.items()}
        level = next((lv for lv in sorted(worth) if worth[lv]), 0)
        out.append(Binding(cell=b.cell, limit_of=b.item, unit=b.unit, limit=b.limit,
                           period=b.period, level=level, value=worth.get(level, 0.0),
                           sentence=b.sentence, family=b.family, item=b.item))
    return out


# --------------------------------------------------------------------- who gains
#: families whose one more unit frees the whole force (money, head-room, recruits for
#: everyone): the gainers are whoever is short of target in the periods they bind
WHOLE_FORCE = ("budget", "force_cap", "overstrength_cap", "course_min_starts", "min_fill")
#: names listed before "and N more"
NAMES_SHOWN = 3


def names(items: list, shown: int = NAMES_SHOWN) -> str:
    items = list(dict.fromkeys(items))
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def shortfalls(data) -> dict:
    """period -> {category or equipment: persons or systems short} from a Data table."""
    out: dict = {}
    short = data[data["quantity"].isin(("shortfall", "equipment_shortfall"))
                 & (data["value"] > 1e-6)]
    for item, period, value in zip(short["item"], short["period"], short["value"]):
        bucket = out.setdefault(str(period), {})
        bucket[item] = bucket.get(item, 0.0) + float(value)
    return out


def gains(inputs, g: Limit, short: dict) -> str:
    """Who one more unit of limit ``g`` helps: the categories or equipment it holds back
    (the rule is FORMULATION.md's, near the shadow-price rule). ``short``: from
    :func:`shortfalls`."""
    fam, item = g.family, g.item
    courses = {k.name: k for k in inputs.courses}
    if fam == "seats":
        at = {cs.course for cs in inputs.course_sites or () if cs.site == item}
        return names([k.to_category for k in inputs.courses if k.name in at])
    if fam in ("course_max_starts", "instructor_throughput") and item in courses:
        return courses[item].to_category
    if fam == "site_course_starts":
        for cs in inputs.course_sites or ():
            if f"{cs.course} at {cs.site}" == item and cs.course in courses:
                return courses[cs.course].to_category
    if fam in ("source_total", "source_per_period"):
        for s in inputs.sources or ():
            if f"{s.equipment} from {s.source}" == item:
                return s.equipment
    if fam == "recruits":
        return names([k.to_category for k in inputs.courses if k.from_recruit])
    if fam == "within_strength":
        taught = [k.to_category for k in inputs.courses if k.instructor_category == item
                  and k.trainees_per_instructor]
        return names(taught) if taught else item
    if fam in ("max_separations", "reserve_cap"):
        return item
    if fam in WHOLE_FORCE or not fam:
        total: dict = {}
        for p in set(g.periods) if any(g.periods) else short:
            for name, v in short.get(p, {}).items():
                if not (fam == "min_fill" and name == item):
                    total[name] = total.get(name, 0.0) + v
        if not total:
            return "every category short of target (none is short in these periods)"
        ranked = sorted(total, key=lambda n: -total[n])
        return "those short of target: " + names(ranked)
    return ""


# --------------------------------------------------------------------- in words
def sig(x: float) -> str:
    """A value per unit: three significant figures."""
    return f"{x:,.3g}" if abs(x) >= 1e-3 else f"{x:.2g}"


def span_words(first: str, last: str) -> str:
    return first if first == last else f"{first}–{last}"


def sentence(g: Limit, order: list | None, *, cell: str = "", who: str = "",
             esc=lambda s: s) -> str:
    """One plain sentence for limit ``g``: what one more unit is, when it binds, what it
    would buy, for whom. ``cell`` (already marked up) follows the lead; ``esc`` escapes
    the words (html.escape for a web page)."""
    first, last = g.span(order)
    lead = g.lead_in().rstrip(",")
    count = len(g.periods)
    when = (f", binding {span_words(first, last)} ({count} period{'s' if count != 1 else ''})"
            if first else "" if "over the plan" in lead else ", over the plan")
    unit = g.unit or "unit"
    effect, what = g.effect, ""
    if effect.startswith("save "):  # "save USD thousand": the amount before its unit
        effect, what = "save", " " + effect[5:]
        per = (f"up to {sig(g.largest)}{what} per {unit} in one period, {sig(g.total)}"
               f"{what} summed over them" if count > 1 else f"{sig(g.largest)}{what}")
    else:
        per = (f"by up to {sig(g.largest)} per {unit} in one period, {sig(g.total)} summed "
               "over them" if count > 1 else f"by {sig(g.largest)}")
    whom = f" — for {esc(who)}" if who else ""
    return f"{esc(lead)}{cell}{when}, would {esc(effect)} {esc(per)}{whom}."
