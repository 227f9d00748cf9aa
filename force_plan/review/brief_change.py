"""The --against part of the brief: what changed in the inputs, the largest consequences,
and the limits that moved, each consequence traced to the moved limits that act on it.

A limit *moved* when it binds in a different number of periods, or its weight (limits.py:
value per unit × the limit, summed over its periods) changed by more than 5 % — a limit
that starts or stops binding always moves. A consequence is traced to the moved limits
whose gainer is in its weapons category, and to the moved limits of the whole force
(Periods and Settings cells: budget, recruits, force cap), largest move first.
"""
from __future__ import annotations

from html import escape

from .brief import (TOP_CHANGES, TOP_LIMITS, Side, _gainer, _table, input_changes, n, pct,
                    strength_rows)
from ..results.limits import sig
from .inputdiff import grouped_inputs
from .limits import limit_key

MOVED = 0.05
WHOLE_FORCE = ("periods", "settings")


def _moves(old: Side, new: Side) -> list:
    """[(key, old Limit | None, new Limit | None, size)] of the limits that moved, biggest
    move first (size: |Δ weight|, or the weight of a limit that starts or stops)."""
    before = {(limit_key(g.cell) if g.cell else g.limit_of, g.level): g for g in old.limits}
    after = {(limit_key(g.cell) if g.cell else g.limit_of, g.level): g for g in new.limits}
    out = []
    for key in list(after) + [k for k in before if k not in after]:
        a, b = before.get(key), after.get(key)
        wa, wb = (a.weight if a else 0.0), (b.weight if b else 0.0)
        count = (len(a.periods) if a else 0) != (len(b.periods) if b else 0)
        if count or abs(wb - wa) > MOVED * max(abs(wa), abs(wb), 1e-12):
            out.append((key, a, b, abs(wb - wa)))
    out.sort(key=lambda m: (min(g.level for g in m[1:3] if g), -m[3]))
    return out


def move_text(a, b) -> str:
    g = b or a
    name = escape(g.lead_in().replace("One more ", "").replace(" per period", ""))
    cell = f" <code>{escape(g.where)}</code>" if g.cell else ""
    if a is None:
        return (f"{name}{cell} now binds ({_periods(len(b.periods))}, up to {sig(b.largest)} per "
                f"{escape(b.unit or 'unit')})")
    if b is None:
        return f"{name}{cell} no longer binds (it bound in {_periods(len(a.periods))})"
    return (f"{name}{cell} binds in {_periods(len(b.periods))} (was {len(a.periods)}), worth up "
            f"to {sig(b.largest)} per {escape(b.unit or 'unit')} (was {sig(a.largest)})")


def consequences(old: Side, new: Side) -> list:
    """[(what, old text, new text, worse?, weapons category or '', size)], largest first:
    the headline figures, then per weapons category (or category) the end shortfall and
    operational systems."""
    out = []
    ho, hn = old.headline, new.headline
    so, sn = old.file.summary, new.file.summary

    def add(what, a, b, more_is_worse, group="", scale=1.0):
        if a is None or b is None or abs(b - a) <= 1e-6 * max(1.0, abs(a), abs(b)):
            return
        out.append((what, n(a), n(b), (b > a) == more_is_worse, group,
                    abs(b - a) / max(abs(a), abs(b), 1.0) * scale))

    def num(x):
        return float(x) if isinstance(x, (int, float)) else None

    add("Shortfall over the plan (person-periods)", num(so.get("total_shortfall")),
        num(sn.get("total_shortfall")), True, scale=2)
    add("Equipment short over the plan (system-periods)",
        num(so.get("total_equipment_shortfall")), num(sn.get("total_equipment_shortfall")),
        True, scale=2)
    add("Total cost", num(so.get("total_cost")), num(sn.get("total_cost")), True, scale=2)
    if ho is not None and hn is not None:
        add(f"Trained strength at the end ({hn.end_period})", ho.trained, hn.trained, False,
            scale=2)
    rows_o = {r[0]: r for r in strength_rows(old)}
    for r in strength_rows(new):
        o = rows_o.get(r[0])
        if o is None:
            continue
        add(f"{r[0]}: persons short at the end", o[3], r[3], True, r[0])
        add(f"{r[0]}: systems operational at the end", o[5], r[5], False, r[0])
    out.sort(key=lambda c: -c[5])
    return out


def change_section(old: Side, new: Side) -> str:
    parts = []
    changes = input_changes(old, new)
    if changes is None:
        parts.append("<p>The input workbooks were not both found beside the plans (with the "
                     "SHA-256 their Summaries record), so the inputs cannot be compared; the "
                     "differences below are the plans' own figures.</p>")
    elif not changes:
        parts.append("<p>The two input workbooks hold the same values.</p>")
    else:
        rows = grouped_inputs(changes)
        body = [(escape(w), f"<code>{escape(c)}</code>", escape(a), escape(b))
                for w, c, a, b in rows[:8]]
        more = f" ({len(rows) - 8} more lines: force-plan compare --inputs)" if len(rows) > 8 \
            else ""
        parts.append(_table("Inputs changed (old → new)" + more,
                            ["what", "cells", "old", "new"], body, text_cols=(0, 1)))
    moves = _moves(old, new)
    by_group: dict = {}
    whole = []
    for key, a, b, _size in moves:
        g = b or a
        if g.cell.split("!")[0].strip().lower() in WHOLE_FORCE:
            whole.append((a, b))
        who = _gainer(new.inputs or old.inputs, g.cell)
        for w in {c.weapons_category for c in (new.inputs.categories if new.inputs else ())}:
            if who.endswith(f"({w})") or who == w:
                by_group.setdefault(w, []).append((a, b))
    items = []
    for what, a, b, worse, group, _size in consequences(old, new)[:TOP_CHANGES]:
        own = by_group.get(group, [])
        traced = (own[:1] + whole[:1] + own[1:] + whole[1:])[:2]
        why = "; ".join(move_text(x, y) for x, y in traced)
        cls = "worse" if worse else "better"
        items.append(f'<li><span class="{cls}">{escape(what)}: {a} → {b} '
                     f'({"worse" if worse else "better"})</span>'
                     + (f". Limits that moved: {why}." if why else ".") + "</li>")
    parts.append("<h3>Largest consequences</h3>" + (f"<ul>{''.join(items)}</ul>" if items
                                                     else "<p>No figure changed.</p>"))
    if moves:
        parts.append("<h3>Limits that moved most</h3><ul>" + "".join(
            f"<li>{move_text(a, b)}.</li>" for _k, a, b, _s in moves[:TOP_LIMITS]) + "</ul>")
    return "\n".join(parts)


__all__ = ["change_section", "grouped_inputs", "consequences", "pct"]


def _periods(k: int) -> str:
    return f"{k} period{'s' if k != 1 else ''}"
