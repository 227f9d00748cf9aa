"""Turn one raw cell into a typed value of its schema kind, or report why it cannot be.

Used by ``validate.py``. Every conversion either returns the value or records one
:class:`Problem` naming the cell and returns :data:`INVALID` (so later checks skip it).
"""
from __future__ import annotations

import datetime as _dt
import math
import re

from ..errors import Problem, ProblemList
from ..numbers import plain
from ..contract.schema import range_text
from .read import UNREADABLE, RawValue, cell_text, clip, did_you_mean

#: A value that could not be converted; its problem has been reported.
INVALID = UNREADABLE
#: Numbers must be smaller than this in size (beyond it they are typos or overflow).
MAX_ABS = 1e15
_DATES = (_dt.date, _dt.datetime, _dt.time, _dt.timedelta)
_NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class Collector:
    """Problems and warnings found so far."""

    def __init__(self) -> None:
        self.problems: list[Problem] = ProblemList()
        self.warnings: list[Problem] = ProblemList()

    def error(self, where: str, what: str, fix: str = "") -> None:
        self.problems.append(Problem(where, what, fix))

    def warn(self, where: str, what: str, fix: str = "") -> None:
        self.warnings.append(Problem(where, what, fix, warning=True))


#: validate.py's name for numbers.plain (to be switched to numbers.plain there)
fmt = plain
#: the most characters an Excel cell holds
MAX_TEXT = 32_767
#: characters an .xlsx cannot hold in any spelling: surrogates and the noncharacters
#: U+FFFE and U+FFFF (control characters are written escaped, as _x0007_, and kept)
_XML_ILLEGAL = re.compile("[\ud800-\udfff\ufffe\uffff]")



def _shown(value: object) -> str:
    if isinstance(value, str):
        return f"the text '{clip(value)}'"
    if isinstance(value, bool):
        return f"the yes/no value {'TRUE' if value else 'FALSE'}"
    if isinstance(value, _DATES):
        return f"the date/time {cell_text(value)}"
    return repr(value)


def number(rv: RawValue, name: str, out: Collector, *, text_ok: bool = False,
           integer: bool = False, minimum=None, maximum=None, minimum_open=False,
           maximum_open=False, range_text: str = "", unit: str = ""):
    """A finite float (int when ``integer``) within the range, or INVALID."""
    v = rv.value
    if v is UNREADABLE:
        return INVALID
    kind = "a whole number" if integer else "a number"
    example = "1 or 2" if integer else "1000 or 0.08"
    if isinstance(v, str) and text_ok and _NUMBER_TEXT.fullmatch(v.strip()):
        v = float(v.strip())
    if isinstance(v, bool) or isinstance(v, _DATES) or not isinstance(v, (int, float)):
        fix = f"type {kind} such as {example} (no thousands separators, units or quotes)"
        if isinstance(v, _DATES):
            fix = f"format the cell as Number and type {kind}"
        elif isinstance(v, bool):
            fix = f"type {kind} instead of TRUE/FALSE"
        out.error(rv.cell, f"{name} must be {kind}, but the cell holds {_shown(v)}", fix)
        return INVALID
    v = float(v)
    if not math.isfinite(v) or abs(v) >= MAX_ABS:
        out.error(rv.cell, f"{name} is {plain(v)}, which is not a usable number",
                  f"type a finite number smaller than {MAX_ABS:.0e} in size")
        return INVALID
    if integer and not v.is_integer():
        out.error(rv.cell, f"{name} must be a whole number, but the cell holds {plain(v)}",
                  f"type a whole number such as {max(1, math.floor(v))}")
        return INVALID
    low_bad = minimum is not None and (v <= minimum if minimum_open else v < minimum)
    high_bad = maximum is not None and (v >= maximum if maximum_open else v > maximum)
    if low_bad or high_bad:
        hint = " (a fraction: 0.08 means 8 %)" if "fraction" in unit else ""
        out.error(rv.cell, f"{name} is {plain(v)}, outside its allowed range",
                  f"type a value {range_text}{hint}")
        return INVALID
    return int(v) if integer else v


def text(rv: RawValue, name: str, out: Collector):
    """Trimmed label text: 2027 typed as a number is "2027"."""
    v = rv.value
    if v is UNREADABLE:
        return INVALID
    if isinstance(v, bool):
        out.error(rv.cell, f"{name} must be text, but the cell holds {_shown(v)}",
                  "type the text (put an apostrophe before TRUE/FALSE to keep it as text)")
        return INVALID
    if isinstance(v, float) and not math.isfinite(v):
        out.error(rv.cell, f"{name} holds {plain(v)}, which is not a usable label",
                  "type a name")
        return INVALID
    label = cell_text(v)
    if len(label) > MAX_TEXT:
        out.error(rv.cell, f"{name} is {len(label):,} characters long, more than the "
                  f"{MAX_TEXT:,} a spreadsheet cell holds (the plan would cut it, and two "
                  "names that differ only beyond that would become one)", "type a shorter "
                  "name")
        return INVALID
    bad = _XML_ILLEGAL.search(label)
    if bad is not None:
        out.error(rv.cell, f"{name} holds the invisible character U+{ord(bad.group()):04X} "
                  f"(at position {bad.start() + 1:,}), which a workbook cannot store",
                  "retype the text without it (it often comes from pasting from another "
                  "program)")
        return INVALID
    return label


def choice(rv: RawValue, name: str, choices, out: Collector):
    """One of ``choices`` (text, compared case-insensitively; numbers match as numbers)."""
    v = rv.value
    if v is UNREADABLE:
        return INVALID
    listed = ", ".join(str(c) for c in choices)
    if all(isinstance(c, int) for c in choices):
        got = v
        if isinstance(v, str) and _NUMBER_TEXT.fullmatch(v.strip()):
            got = float(v.strip())
        if isinstance(got, (int, float)) and not isinstance(got, bool):
            for c in choices:
                if float(got) == c:
                    return c
        out.error(rv.cell, f"{name} is {cell_text(v) or repr(v)}, not one of {listed}",
                  f"type one of {listed}")
        return INVALID
    t = cell_text(v).lower() if not isinstance(v, (bool,) + _DATES) else None
    for c in choices:
        if t is not None and t == str(c).lower():
            return c
    hint = did_you_mean(t or "", choices)
    fix = f"type one of {listed}" + (f" ({hint})" if hint else "")
    out.error(rv.cell, f"{name} is {_shown(v) if t is None else repr(cell_text(v))}, "
              f"not one of the allowed values", fix)
    return INVALID


YES = ("yes", "true", "1", "y")
NO = ("no", "false", "0", "n")


def yesno(rv: RawValue, name: str, out: Collector):
    v = rv.value
    if v is UNREADABLE:
        return INVALID
    if isinstance(v, bool):
        return v
    t = cell_text(v).lower()
    if t in YES:
        return True
    if t in NO:
        return False
    out.error(rv.cell, f"{name} must be yes or no, but the cell holds {_shown(v)}",
              "type yes or no")
    return INVALID


def convert(column, rv: RawValue, out: Collector, *, text_ok: bool = False):
    """Convert by ``column.kind`` (a schema Column or Setting)."""
    kind = column.kind
    name = getattr(column, "name", None) or getattr(column, "key")
    if kind in ("number", "integer"):
        return number(rv, name, out, text_ok=text_ok, integer=kind == "integer",
                      minimum=column.minimum, maximum=column.maximum,
                      minimum_open=column.minimum_open, maximum_open=column.maximum_open,
                      range_text=column_range_text(column), unit=column.unit)
    if kind == "choice":
        return choice(rv, name, column.choices, out)
    if kind == "yesno":
        return yesno(rv, name, out)
    return text(rv, name, out)  # id, ref, period, text


def column_range_text(column) -> str:
    """The allowed range in words (one definition: schema.range_text)."""
    return range_text(column)
