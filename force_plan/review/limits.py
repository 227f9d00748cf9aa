"""The binding limits of a plan, read back from its Bottlenecks sheet.

:func:`read_bindings` finds the per-period table by its header row (the row holding
``input cell`` and ``value per unit, level N`` columns), wherever it starts, so the sheet's
grouped block above it (one row per limit, whose columns read ``largest value per unit,
level N``) does not get in the way. The grouping and ranking are ``results/limits.py``'s,
shared with the plan workbook; its names are re-exported here.
"""
from __future__ import annotations

import re

from ..results.limits import (Binding, Limit, effect_words, group_by_cell, lead_words,
                              limit_key)

__all__ = ["Binding", "Limit", "effect_words", "group_by_cell", "lead_words", "limit_key",
           "read_bindings", "read_gains"]

_LEVEL = re.compile(r"value per unit,?\s*level\s*(\d+)", re.I)


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


def read_gains(rows: list) -> dict:
    """{(input cell or range, level): who gains} from the sheet's one-row-per-limit block
    (header ``input cell``, ``who gains``, ``largest value per unit, level N``); {} for a
    plan written before the block existed."""
    out, head = {}, None
    for row in rows:
        names = [str(x).strip().lower() for x in row]
        if "who gains" in names and "input cell" in names:
            head = (names.index("input cell"), names.index("who gains"),
                    {j: int(m.group(1)) for j, x in enumerate(names)
                     if x.startswith("largest ") and (m := _LEVEL.search(x))})
            continue
        if head is None:
            continue
        if not row or all(x in (None, "") for x in row) or _head(row) is not None:
            break
        cell, who, levels = head
        level = next((lv for j, lv in sorted(levels.items())
                      if j < len(row) and _number(row[j])), 0)
        where = row[cell] if cell < len(row) else ""
        if where not in (None, "") and who < len(row) and row[who] not in (None, ""):
            out[(str(where).strip(), level)] = str(row[who]).strip()
    return out
