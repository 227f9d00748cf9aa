"""Numbers as text: every way force_plan spells a number, in one place.

=================  ==========================================  ========================
helper             for                                         examples
=================  ==========================================  ========================
``plain``          a value as a planner would type it          3, 0.08, 1e+20
                   (messages about input cells, labels)
``literal``        a literal in a spreadsheet formula, exact   800, 0.1, 1E-05
``grouped``        a figure in a sentence, fixed digits        12,346 / 14.0 / —
``brief``          a figure in a comparison: ≤ 2 decimals      1,454 / 19.89 / —
``count``          a count of persons or systems               12,345 / 12.5
``whole``          persons or systems in a sentence            12,345 / under 1
``counted``        a number of things, with its noun           1 category / 2 courses
=================  ==========================================  ========================
"""
from __future__ import annotations

import math

#: below this size an integral float is written without a decimal point (beyond it, as
#: Python and spreadsheet programs do, in exponent form)
WHOLE_LIMIT = 1e15
#: what a missing figure reads as
MISSING = "—"


def plain(x) -> str:
    """A number as a planner would type it: 3 (not 3.0), 0.08, 1e+20; the shortest text
    that reads back as the same float. Not a number: ``str(x)``."""
    if isinstance(x, float):
        if x.is_integer() and abs(x) < WHOLE_LIMIT:
            return str(int(x))
        return repr(x)
    return str(x)


def literal(x: float) -> str:
    """A number as a formula literal, exact and in a spreadsheet's spelling (1E-05)."""
    return plain(float(x)).upper()


def grouped(x, digits: int = 0) -> str:
    """A figure for a sentence: thousands separators, ``digits`` decimals; None: —."""
    if x is None:
        return MISSING
    return f"{x:,.{digits}f}"


def brief(x) -> str:
    """A figure for a list of changes: thousands separators, at most two decimals and no
    trailing zeros (1,454; 0.5; 19.89; −0.001 reads 0); None: —; not a number: str(x)."""
    if x is None:
        return MISSING
    if not isinstance(x, (int, float)) or isinstance(x, bool) or not math.isfinite(x):
        return str(x)
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def count(x: float) -> str:
    """A count for people: 12,345 (one decimal when fractional: 12.5)."""
    return grouped(x, 0 if float(x).is_integer() else 1)


def whole(x: float, floor: bool = False) -> str:
    """Persons or systems in a sentence, whole: 12,345; a figure above 0 and below 1
    reads "under 1", not 0. ``floor``: round down (what is held of a target that is not
    met never reads as the target)."""
    x = float(x)
    if 0 < abs(x) < 0.5 and not floor or 0 < abs(x) < 1 and floor:
        return "under 1"
    return f"{math.floor(x + 1e-6) if floor else round(x):,}"


def counted(n: int, one: str, many: str = "") -> str:
    """``n`` things in words: 1 category, 2 categories (``many`` defaults to one + s)."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
