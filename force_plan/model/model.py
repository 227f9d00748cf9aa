"""The LP container: PuLP problem, variables by family, rows with what they mean.

Names follow one safe pattern, ``<family>_<letter><index>_…`` with positional indices
(``strength_c3_t5``, ``seats_s2_t7``), so PuLP never has to rewrite them; results are
mapped back by object, never by parsing names.

Scaling (invisible to users, see models/FORMULATION.md): a row whose largest absolute
coefficient lies outside [0.1, 10] is divided by that coefficient before it reaches the
solver (``RowInfo.scale``), and each objective level is divided by its largest absolute
coefficient (``Model.level_scale``). Values reported back are always evaluated from the
unscaled terms, and shadow prices are converted back to workbook units.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Optional

import pulp
from pulp import v4_migration

from ..inputs.typed import Inputs
from .sets import Sets

ROW_SCALE_BAND = (0.1, 10.0)
SENSES = {"<=": pulp.LpConstraintLE, ">=": pulp.LpConstraintGE, "==": pulp.LpConstraintEQ}


class Variable(pulp.LpVariable):
    """A PuLP variable that hashes in C, by identity.

    ``LpVariable.__hash__`` is a Python method returning ``id(self)``; every dict operation
    on a variable (the model's term dicts, PuLP's expressions) paid a Python call for it.
    Hashing by identity in C keeps the same meaning — PuLP itself keys variables by their
    ``hash`` attribute, ``id(self)``, which is unchanged.
    """

    __hash__ = object.__hash__


@contextmanager
def pulp_quiet():
    """PuLP 3.3 warns (a DeprecationWarning through ``warnings``) on every direct
    ``LpVariable(...)`` that the call changes in PuLP 4; at a million variables the
    warning machinery alone costs seconds. PuLP's public switch turns the migration
    warnings off while a model is built, and back to what it was afterwards."""
    was = v4_migration.V4_MIGRATION_WARNINGS
    pulp.set_v4_migration_warnings(False)
    try:
        yield
    finally:
        pulp.set_v4_migration_warnings(was)


@dataclass(slots=True)
class RowInfo:
    """What a row means to a planner (for shadow prices and diagnosis)."""

    family: str
    name: str
    sense: str
    rhs: float  # unscaled right-hand side
    scale: float  # the solver sees (terms / scale) sense (rhs / scale)
    item: str = ""  # category, course, site, source … the row is about
    period: Optional[int] = None
    cell: str = ""  # Sheet!Cell of the input that sets the limit
    index: int = -1  # position among the model's rows


@dataclass(slots=True)
class BoundInfo:
    """A planner limit carried as a variable's upper bound (shadow price = reduced cost)."""

    family: str
    var: pulp.LpVariable
    limit: float
    item: str = ""
    period: Optional[int] = None
    cell: str = ""
    scale: float = 1.0  # variable = quantity / scale (integer classes: class_size)


@dataclass
class ChangePairs:
    """The `changes` term's rows, kept compact (memory) until PuLP needs them.

    Pair p holds its change column ``change[p]`` above |q1·after − q0·before| by two rows,
    ``<family>_up_…`` and ``<family>_down_…`` (constraints.define_changes). As PuLP
    objects these rows were a third of the model's memory at a million columns, and the
    HiGHS path passes them as arrays (solve/highs._Live); ``Model.materialize_changes``
    makes the PuLP rows, exactly as the other rows are made, for CBC and model exports.
    """

    family: list = field(default_factory=list)
    letters: list = field(default_factory=list)
    key: list = field(default_factory=list)
    before: list = field(default_factory=list)  # variables
    after: list = field(default_factory=list)
    change: list = field(default_factory=list)
    q0: list = field(default_factory=list)  # multipliers (persons per start variable …)
    q1: list = field(default_factory=list)
    scale: list = field(default_factory=list)  # each pair's row scale, as add_row's
    materialized: bool = False

    def __len__(self) -> int:
        return len(self.change)


@dataclass
class Model:
    inputs: Inputs
    sets: Sets
    prob: pulp.LpProblem
    integer: bool
    elastic: bool = False
    #: family -> {key tuple: LpVariable}
    var: dict = field(default_factory=dict)
    #: starts quantity per (route, t) = multiplier × var (class_size in integer mode)
    start_mult: dict = field(default_factory=dict)
    columns: list = field(default_factory=list)  # variables in creation order
    rows: list = field(default_factory=list)  # [(LpConstraint, RowInfo)]
    bounds: list = field(default_factory=list)  # [BoundInfo]
    #: t -> cost line -> {var: coefficient} (unscaled)
    cost_terms: dict = field(default_factory=dict)
    #: level -> {var: coefficient} (unscaled)
    levels: dict = field(default_factory=dict)
    level_scale: dict = field(default_factory=dict)
    #: elastic mode: slack var -> RowInfo/BoundInfo it relaxes
    slack_of: dict = field(default_factory=dict)
    #: variable -> position in ``columns`` (filled by solve)
    col_index: dict = field(default_factory=dict)
    #: the `changes` objective term, {var: coefficient} (constraints.define_changes)
    change_terms: dict = field(default_factory=dict)
    #: first column and row of the `changes` term, built last (None: none); the HiGHS path
    #: adds them only when a level uses them (highs._Live)
    deferred_col: Optional[int] = None
    deferred_row: Optional[int] = None
    #: constraints.in_course_terms: (route, kind) -> [(periods back, weight)]
    overlap_cache: dict = field(default_factory=dict)
    #: the `changes` term's row pairs, compact until materialize_changes (ChangePairs)
    change_pairs: Optional[ChangePairs] = None

    @property
    def row_count(self) -> int:
        """Constraints of the model, the compact `changes` rows included."""
        pairs = self.change_pairs
        return len(self.rows) + (2 * len(pairs) if pairs and not pairs.materialized else 0)

    # ------------------------------------------------------------------ changes
    def add_change_pair(self, family: str, letters: str, key: tuple, before: tuple,
                        after: tuple) -> None:
        """A change column d ≥ |q1·v1 − q0·v0| (``before`` = (v0, q0), ``after`` = (v1,
        q1)); its two rows stay compact (ChangePairs)."""
        pairs = self.change_pairs
        if pairs is None:
            pairs = self.change_pairs = ChangePairs()
        (v0, q0), (v1, q1) = before, after
        d = self.new_var(family, key, letters)
        terms_add(self.change_terms, d, 1.0)
        for name, value in (("family", family), ("letters", letters), ("key", key),
                            ("before", v0), ("after", v1), ("change", d), ("q0", q0),
                            ("q1", q1), ("scale", row_scale(max(abs(q0), abs(q1), 1.0)))):
            getattr(pairs, name).append(value)

    def materialize_changes(self) -> None:
        """Make the compact `changes` rows PuLP rows, appended after the others (their
        place when the model was built: `changes` is the last family)."""
        pairs = self.change_pairs
        if pairs is None or pairs.materialized:
            return
        for p in range(len(pairs)):
            family, letters, key = pairs.family[p], pairs.letters[p], pairs.key[p]
            v0, v1, d, q0, q1 = (pairs.before[p], pairs.after[p], pairs.change[p],
                                 pairs.q0[p], pairs.q1[p])
            self.add_row(family + "_up", key, letters, {v1: q1, v0: -q0, d: -1.0}, "<=",
                         0.0, period=key[1])
            self.add_row(family + "_down", key, letters, {v0: q0, v1: -q1, d: -1.0},
                         "<=", 0.0, period=key[1])
        pairs.materialized = True

    # ------------------------------------------------------------------ variables
    def new_var(self, family: str, key: tuple, letters: str, ub: Optional[float] = None,
                integer: bool = False) -> pulp.LpVariable:
        v = Variable(_name(family, key, letters), 0, ub,
                     pulp.LpInteger if integer else pulp.LpContinuous)
        self.var.setdefault(family, {})[key] = v
        self.columns.append(v)
        return v

    def get(self, family: str, key: tuple):
        return self.var.get(family, {}).get(key)

    # ------------------------------------------------------------------ rows
    def add_row(self, family: str, key: tuple, letters: str, terms: dict, sense: str,
                rhs: float, *, item: str = "", period: Optional[int] = None,
                cell: str = "", elastic: bool = False) -> Optional[RowInfo]:
        """Add ``Σ terms sense rhs``. ``terms`` maps variable -> coefficient.

        ``elastic``: in diagnosis mode this limit may be violated at a price (a slack
        variable joins the row), so that the conflict can be located.
        """
        name = _name(family, key, letters)
        if 0 in terms.values():  # terms that cancelled out
            terms = {v: c for v, c in terms.items() if c != 0}
        scale = row_scale(max(map(abs, terms.values()), default=1.0))
        info = RowInfo(family, name, sense, rhs, scale, item, period, cell, len(self.rows))
        if self.elastic and elastic:
            if sense == "==":  # not used for equalities
                raise ValueError("equalities are never elastic")
            slack = Variable(f"slack_{name}", 0, None, pulp.LpContinuous)
            self.columns.append(slack)
            self.slack_of[slack] = info
            # the slack loosens the limit: ≤ gets −slack, ≥ gets +slack
            terms = dict(terms)
            terms[slack] = -scale if sense == "<=" else scale
        expr = pulp.LpAffineExpression(
            terms if scale == 1.0 else [(v, c / scale) for v, c in terms.items()])
        con = pulp.LpConstraint(expr, SENSES[sense], name, rhs / scale)
        self.prob.addConstraint(con, name)
        info.name = con.name  # the same text as PuLP's copy: one string kept, not two
        self.rows.append((con, info))
        return info

    def add_bound(self, family: str, var: pulp.LpVariable, limit: float, *, item: str = "",
                  period: Optional[int] = None, cell: str = "", scale: float = 1.0,
                  elastic: bool = False) -> None:
        """Record that ``var ≤ limit / scale`` is a planner limit (set as its upper bound).

        In diagnosis mode an elastic bound becomes a row with a slack instead.
        """
        info = BoundInfo(family, var, limit, item, period, cell, scale)
        if self.elastic and elastic:
            var.upBound = None
            self.add_row(family + "_limit", (len(self.bounds),), "b", {var: 1.0}, "<=",
                         limit / scale, item=item, period=period, cell=cell, elastic=True)
        else:
            var.upBound = limit / scale
        self.bounds.append(info)


def row_scale(big: float) -> float:
    """What a row is divided by before it reaches the solver, from its largest absolute
    coefficient ``big``: itself outside ROW_SCALE_BAND, else 1."""
    return big if (big < ROW_SCALE_BAND[0] or big > ROW_SCALE_BAND[1]) else 1.0


def _name(family: str, key: tuple, letters: str) -> str:
    """``strength_c3_t5`` from ("strength", (3, 5), "ct")."""
    if len(key) == 2:
        return f"{family}_{letters[0]}{key[0]}_{letters[1]}{key[1]}"
    return family + "".join(f"_{a}{i}" for a, i in zip(letters, key))


def terms_add(terms: dict, var, coef: float) -> None:
    """Accumulate ``coef · var`` into a {var: coefficient} dict."""
    if var is None or coef == 0:
        return
    terms[var] = terms.get(var, 0.0) + coef
