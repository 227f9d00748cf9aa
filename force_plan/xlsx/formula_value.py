"""The value of a formula force_plan composed, computed in Python: the cached value a
spreadsheet reader (pandas, calamine) sees without recalculating.

Only the grammar force_plan writes is known: numbers, "text", TRUE/FALSE, cell references
and ranges of the same sheet, + − × ÷ ^ &, comparisons, and SUM, SUMPRODUCT, MIN, MAX,
ABS, ROUND, COUNTIF (of a value), IF, AND, OR, ISNUMBER. Ranges are arrays and arithmetic
on them is element by element, as in SUMPRODUCT((A1:A3="x")*B1:B3). An empty cell is 0 in
arithmetic and "" beside text. Anything else raises ValueError: every formula force_plan
writes must have its value.
"""
from __future__ import annotations

import math
import operator
import re

TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[Ee][+-]?\d+)?|\.\d+(?:[Ee][+-]?\d+)?)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)
  | (?P<func>[A-Z][A-Z0-9.]*)\(
  | (?P<bool>TRUE|FALSE)\b
  | (?P<ref>\$?[A-Z]{1,3}\$?\d+)
  | (?P<op><=|>=|<>|[-+*/^&=<>(),])
)""", re.VERBOSE)
CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cell(ref: str) -> tuple[int, int]:
    m = CELL.fullmatch(ref)
    return int(m[2]), column_number(m[1])


def _num(x):
    if x is None or x == "":
        return 0.0
    if isinstance(x, (bool, int, float)):
        return float(x)
    raise ValueError(f"text {x!r} in arithmetic")


def _elementwise(f, a, b):
    if isinstance(a, list) or isinstance(b, list):
        n = len(a) if isinstance(a, list) else len(b)
        a = a if isinstance(a, list) else [a] * n
        b = b if isinstance(b, list) else [b] * n
        return [f(x, y) for x, y in zip(a, b)]
    return f(a, b)


def _compare(op):
    def test(a, b):
        if isinstance(a, str) or isinstance(b, str):
            a, b = ("" if a is None else str(a)).lower(), ("" if b is None else str(b)).lower()
        else:
            a, b = _num(a), _num(b)
        return op(a, b)
    return test


class SpreadsheetError(Exception):
    """A value a spreadsheet shows as an error ("#DIV/0!", "#NUM!"): the formula's value."""


def _arith(op):
    def apply(a, b):
        try:
            value = op(_num(a), _num(b))
        except ZeroDivisionError:
            raise SpreadsheetError("#DIV/0!") from None
        except OverflowError:
            raise SpreadsheetError("#NUM!") from None
        if isinstance(value, complex) or value != value or value in (math.inf, -math.inf):
            raise SpreadsheetError("#NUM!")
        return value
    return apply


def _flat(args):
    for a in args:
        yield from (a if isinstance(a, list) else [a])


def _round(x, digits=0.0):
    scale = 10 ** int(_num(digits))
    v = _num(x) * scale
    return math.copysign(math.floor(abs(v) + 0.5), v) / scale


def _countif(values, wanted):
    return float(sum(1 for v in values if v is wanted or (
        not isinstance(v, bool) and not isinstance(wanted, bool) and v == wanted)))


def _sumproduct(*arrays):
    arrays = [a if isinstance(a, list) else [a] for a in arrays]
    total = 0.0
    for items in zip(*arrays):
        term = 1.0
        for x in items:
            term *= _num(x) if not isinstance(x, str) else 0.0
        total += term
    return total


FUNCTIONS = {
    "SUM": lambda *a: sum(_num(x) for x in _flat(a) if not isinstance(x, str)),
    "SUMPRODUCT": _sumproduct,
    "MIN": lambda *a: min((_num(x) for x in _flat(a) if isinstance(x, (int, float))),
                          default=0.0),
    "MAX": lambda *a: max((_num(x) for x in _flat(a) if isinstance(x, (int, float))),
                          default=0.0),
    "ABS": lambda x: abs(_num(x)),
    "ROUND": _round,
    "COUNTIF": _countif,
    "IF": lambda c, a, b=False: a if c else b,
    "AND": lambda *a: all(bool(x) for x in _flat(a)),
    "OR": lambda *a: any(bool(x) for x in _flat(a)),
    "ISNUMBER": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
}
BINARY = [  # loosest first
    {"=": _compare(operator.eq), "<>": _compare(operator.ne), "<": _compare(operator.lt),
     ">": _compare(operator.gt), "<=": _compare(operator.le), ">=": _compare(operator.ge)},
    {"&": lambda a, b: _text(a) + _text(b)},
    {"+": _arith(operator.add), "-": _arith(operator.sub)},
    {"*": _arith(operator.mul), "/": _arith(operator.truediv)},
    {"^": _arith(operator.pow)},
]


def _text(x) -> str:
    if isinstance(x, bool):
        return "TRUE" if x else "FALSE"
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() else repr(x)
    return "" if x is None else str(x)


class _Parser:
    def __init__(self, text: str, cell):
        self.tokens, self.i, self.cell = self._tokens(text), 0, cell

    @staticmethod
    def _tokens(text: str) -> list:
        out, pos = [], 0
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise ValueError(f"cannot read formula at {text[pos:pos + 20]!r}")
            out.append((m.lastgroup, m[m.lastgroup]))
            pos = m.end()
        return out

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok[1] != want:
            raise ValueError(f"expected {want!r}, found {tok[1]!r}")
        self.i += 1
        return tok

    def expr(self, level: int = 0):
        if level == len(BINARY):
            return self.unary()
        left = self.expr(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in BINARY[level]:
            f = BINARY[level][self.take()[1]]
            left = _elementwise(f, left, self.expr(level + 1))
            if level == 0:
                break
        return left

    def unary(self):
        kind, text = self.peek()
        if kind == "op" and text in "+-":
            self.take()
            value = self.unary()
            return value if text == "+" else _elementwise(lambda a, b: -_num(a), value, 0)
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "bool":
            return text == "TRUE"
        if kind == "ref":
            return self.cell(*_cell(text))
        if kind == "range":
            (r0, c0), (r1, c1) = map(_cell, text.split(":"))
            return [self.cell(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        if kind == "func":
            if text not in FUNCTIONS:
                raise ValueError(f"unknown function {text}")
            args = []
            if self.peek()[1] != ")":
                args.append(self.expr())
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.expr())
            self.take(")")
            return FUNCTIONS[text](*args)
        if text == "(":
            value = self.expr()
            self.take(")")
            return value
        raise ValueError(f"unexpected {text!r}")


def evaluate(formula: str, cell):
    """The value of ``formula`` ("=…"); ``cell(row, col)`` gives a referenced cell's value
    (None when empty). Numbers come back as float, tests as bool, text as str, a division
    by zero or an impossible power as the spreadsheet's error text ("#DIV/0!", "#NUM!")."""
    parser = _Parser(formula[1:] if formula.startswith("=") else formula, cell)
    try:
        value = parser.expr()
    except SpreadsheetError as err:  # as a spreadsheet shows it (and stores its value)
        return str(err)
    if parser.i != len(parser.tokens):
        raise ValueError(f"cannot read formula {formula!r}")
    if isinstance(value, list):
        raise ValueError(f"formula {formula!r} gives an array")
    return value
