"""The pieces of a check: signed sums of Data cells written as formulas, and the rows.

See checks.py for what the Checks sheet is and how its tolerance is chosen.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..numbers import literal
from .view import PlanView

RELATIVE_TOLERANCE = 1e-6
#: formulas longer than this are split over "part" rows (Excel's limit is 8,192 characters)
MAX_FORMULA = 7000
DATA_VALUE_COLUMN = "E"
FIRST_ROW = 6  # first check row (rows 1–5: title, note, verdict, blank, header)
COLUMNS = ("check", "item", "where", "period", "plan figure", "relation",
           "recomputed or limit", "difference", "tolerance", "ok", "equation (MODEL.md)")


def excel_round(x: float) -> float:
    """ROUND(x, 0) as spreadsheet programs compute it: halves away from zero."""
    return math.copysign(math.floor(abs(x) + 0.5), x)


class Sum:
    """A signed sum of Data cells and constants, written as a formula, and its value
    (term by term, from the Data figures the formula refers to)."""

    def __init__(self, view: PlanView):
        self.view = view
        self.parts: list[str] = []  # "+Data!E5", "-0.5*Data!E9", "+800"
        self.terms: list[float] = []  # the value of each part
        self.size = 0.0  # Σ |term| as solved, for the tolerance
        self.number: float | None = 0.0  # the value while the sum holds only plain numbers

    def add(self, key, coef: float = 1.0, coef_text: str | None = None) -> "Sum":
        row = self.view.rows.get(key)
        if row is None or coef == 0:
            return self
        ref = f"Data!{DATA_VALUE_COLUMN}{row + 2}"
        sign = "-" if coef < 0 else "+"
        if coef_text is not None:
            text = f"{coef_text}*{ref}"
        else:
            text = ref if abs(coef) == 1 else f"{literal(abs(coef))}*{ref}"
        self.parts.append(sign + text)
        self.terms.append(coef * self.view.values[key])
        self.size += abs(coef * self.view.values[key])
        self.number = None
        return self

    def const(self, value: float, text: str | None = None) -> "Sum":
        if value == 0 and text is None:
            return self
        body = text if text is not None else literal(abs(value))
        self.parts.append(("-" if value < 0 and text is None else "+") + body)
        self.terms.append(value)
        self.size += abs(value)
        if text is not None:
            self.number = None
        elif self.number is not None:
            self.number += value
        return self

    def ref(self, key) -> str | None:
        row = self.view.rows.get(key)
        return None if row is None else f"Data!{DATA_VALUE_COLUMN}{row + 2}"

    def raw(self, text: str, size: float, value: float) -> "Sum":
        """A term force_plan spells itself (e.g. a ROUND of a Data cell), and its value."""
        self.parts.append("+" + text)
        self.terms.append(value)
        self.size += abs(size)
        self.number = None
        return self

    def body(self, parts=None) -> str:
        text = "".join(parts if parts is not None else self.parts) or "0"
        return text[1:] if text[0] == "+" else text

    def formula(self) -> str:
        return "=" + self.body()

    def value(self, terms=None) -> float:
        """The sum's value (of ``terms``, a slice of :attr:`terms`, when given)."""
        return math.fsum(self.terms if terms is None else terms)


@dataclass
class Check:
    check: str
    item: str
    where: str
    period: str
    plan: Sum
    relation: str  # "=", "≤", "≥"
    other: Sum
    equation: str = ""

    @property
    def tolerance(self) -> float:
        return RELATIVE_TOLERANCE * max(1.0, self.plan.size + self.other.size)


@dataclass
class CheckList:
    view: PlanView
    checks: list = field(default_factory=list)

    def new(self, check, item, where, t, relation, equation="") -> tuple[Sum, Sum]:
        plan, other = Sum(self.view), Sum(self.view)
        period = self.view.labels[t] if t is not None else ""
        self.checks.append(Check(check, item, where, period, plan, relation, other, equation))
        return plan, other

    def of(self, check, quantity, item, t, relation, equation=""):
        """A check whose plan side is the Data figure ``quantity`` of ``item`` in period t;
        returns its other side to fill, or None when the Data table has no such row."""
        if not self.view.has(quantity, item, "", t):
            return None
        plan, other = self.new(check, item, "", t, relation, equation)
        plan.add((quantity, item, "", t))
        return other
