"""The binding limits of a plan, read from its Bottlenecks sheet and grouped by input cell.

The Bottlenecks sheet lists one row per binding limit and period (a shadow price per
objective level). A reader wants one line per limit: the input cell, the periods it binds
(first–last), and what one more unit would buy. :func:`read_bindings` finds the table by
its header row (the row holding ``input cell`` and ``value per unit, level N`` columns),
wherever it starts, so a sheet that adds a summary block above its per-period rows still
reads; :func:`group_by_cell` folds the rows of one cell into a :class:`Limit`.

Ranking (where the design is silent): limits of a lower objective level first (level 1
outranks anything at level 2); within a level by *weight*, Σ over periods of
value per unit × |limit| — the first-order gain of relaxing the limit by all of itself,
i.e. 100 × what a 1 % relaxation would buy — since a value per unit alone compares a
USD million with a launcher; then by total value per unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_LEVEL = re.compile(r"value per unit,?\s*level\s*(\d+)", re.I)
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

    def span(self, order: list | None = None) -> tuple:
        """(first, last) binding period in plan order ('' for a limit over the plan)."""
        named = [p for p in self.periods if p]
        if not named:
            return ("", "")
        if order:
            rank = {p: i for i, p in enumerate(order)}
            named = sorted(named, key=lambda p: rank.get(p, len(rank)))
        return (named[0], named[-1])


def _number(x) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _head(row) -> dict | None:
    """Column positions when ``row`` is the Bottlenecks table's header row, else None."""
    names = [str(x).strip().lower() for x in row]
    if "input cell" not in names:
        return None
    levels = {int(m.group(1)): j for j, x in enumerate(names) if (m := _LEVEL.fullmatch(x))}
    if not levels:
        return None
    pos = {k: names.index(k) for k in ("bottleneck", "limit", "unit", "limit of", "period")
           if k in names}
    return {"cell": names.index("input cell"), "levels": levels, **pos}


def read_bindings(rows: list) -> list:
    """Every per-period row of the Bottlenecks table(s) in ``rows`` (calamine rows)."""
    out, head = [], None
    for row in rows:
        row = list(row)
        found = _head(row)
        if found is not None:
            head = found if "period" in found or head is None else head
            continue
        if head is None or not row or all(x in (None, "") for x in row):
            continue
        get = (lambda k: row[head[k]] if k in head and head[k] < len(row) else None)
        cell = get("cell")
        if not isinstance(cell, str) or "!" not in cell and cell.strip() != "":
            continue
        level, value = 0, 0.0
        for lvl, j in sorted(head["levels"].items()):
            v = _number(row[j]) if j < len(row) else None
            if v:
                level, value = lvl, v
                break
        out.append(Binding(cell=cell.strip(), limit_of=str(get("limit of") or "").strip(),
                           unit=str(get("unit") or "").strip(), limit=_number(get("limit")),
                           period=_period(get("period")), level=level, value=value,
                           sentence=str(get("bottleneck") or "")))
    return out


def _period(x) -> str:
    from ..numbers import plain
    return "" if x in (None, "") else plain(x)


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


def group_by_cell(bindings: list) -> list:
    """One :class:`Limit` per input cell (a row without a cell: per 'limit of' text),
    ranked as the module says. Rows worth nothing at every level are left out."""
    groups: dict = {}
    for b in bindings:
        if b.level == 0:
            continue
        key = (limit_key(b.cell) if b.cell else b.limit_of, b.level)
        g = groups.get(key)
        if g is None:
            g = groups[key] = Limit(cell=b.cell, limit_of=b.limit_of, unit=b.unit,
                                    level=b.level, effect=effect_words(b.sentence, b.level),
                                    lead=lead_words(b.sentence, b.period))
        if b.cell:
            g.cells.append(b.cell)
        g.periods.append(b.period)
        g.values.append(b.value)
        g.limits.append(b.limit)
    return sorted(groups.values(), key=lambda g: (g.level, -g.weight, -g.total))
