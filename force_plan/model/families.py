"""Every equation family of models/FORMULATION.md, registered once.

Each entry ties one row of FORMULATION.md's constraint table (its ``#`` and its LP
names as written there) to the function that builds it in the LP (``define``; None where
the family is a variable bound set in ``variables.py``), to the label of the rows the
plan's Checks sheet writes for it (``checks``), and to the start of the message the
independent checker (tests/model_check.py) gives when a plan breaks it (``checker``).
``build`` builds the LP from this table, and tests/test_families.py proves that the
table, FORMULATION.md, the Checks sheet and the checker cover the same families.

Adding a family: its ``define_*`` in constraints.py, its row here, its Checks rows in
xlsx/checks.py, its row in FORMULATION.md and its check in tests/model_check.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from . import constraints as C


@dataclass(frozen=True)
class Family:
    row: str  # FORMULATION.md's '#'
    lp_names: tuple[str, ...]  # as written there; for a variable bound, the bound's name
    define: Optional[Callable]  # the LP builder; None: a variable bound (variables.py)
    checks: tuple[str, ...]  # labels of the Checks sheet's rows for it
    checker: tuple[str, ...]  # starts of tests/model_check.py's messages for it
    no_checks: str = ""  # why the Checks sheet has no row for it (only when checks is ())

    @property
    def bound(self) -> bool:
        return self.define is None


F = Family
FAMILIES: tuple[Family, ...] = (
    F("1", ("strength_balance_c_t",), C.define_strength_balance, ("strength balance",),
      ("strength balance of",)),
    F("2", ("target_c_t",), C.define_targets, ("target",), ("target equation of",)),
    F("3", ("min_fill",), None, ("minimum fill",), ("min_fill of",)),
    F("4", ("reserve_cap",), None, ("reserve cap",), ("reserve cap of",)),
    F("5a", ("instructors_drawn_c_t",), C.define_instructor_pool, ("instructor pool",),
      ("instructor pool of",)),
    F("5b", ("within_strength_c_t",), C.define_within_strength, ("reserve within strength",),
      ("reserve and instructors within strength of",)),
    F("6", ("overstrength_cap_t",), C.define_overstrength_cap, ("overstrength cap",),
      ("over-strength cap in",)),
    F("7", ("max_separations",), None, ("separations limit",), ("separations of",)),
    F("8", ("course_max_starts_k_t", "course_min_starts_k_t"), C.define_course_limits,
      ("course maximum", "course minimum"), ("max starts of", "min starts of")),
    F("9", ("site_course_starts",), None, ("course at site maximum",),
      ("max starts at a site of",)),
    F("10", ("instructor_throughput_k_t",), C.define_instructor_throughput, ("instructors",),
      ("instructor throughput of",)),
    F("11", ("recruits_t",), C.define_recruit_pool, ("recruits",), ("recruits in",)),
    F("12", ("seats_s_t",), C.define_site_seats, ("seats",), ("seats of",)),
    F("13", ("force_cap_t",), C.define_force_cap, ("force cap",), ("force cap in",)),
    F("14", ("inventory_balance_e_t",), C.define_inventory_balance, ("inventory balance",),
      ("inventory balance of",)),
    F("15", ("availability_e_t",), C.define_operational, ("availability",),
      ("availability of",)),
    F("16", ("crews_c_t",), C.define_crews, ("crews",), ("crews of",)),
    F("17", ("equipment_target_e_t",), C.define_equipment_targets, ("equipment target",),
      ("equipment target of",)),
    F("18", ("source_per_period",), None, ("source maximum",), ("max per period of",)),
    F("19", ("source_total_j",), C.define_source_totals, ("source total",),
      ("total available of",)),
    F("20", ("budget_t",), C.define_costs, ("budget",), ("budget of",)),
    F("21", ("start_changes_up_r_t", "start_changes_down_r_t", "order_changes_up_j_t",
             "order_changes_down_j_t"), C.define_changes, (), ("objective level",),
      no_checks="start_changes / order_changes only measure |Δ starts| and |Δ orders| for "
                "the `changes` objective term: they limit nothing the planner set, and the "
                "Checks sheet checks the starts and orders themselves"),
)

#: Checks rows that check a definition of FORMULATION.md (a derived quantity or the cost
#: lines), not a constraint family of its table: label -> what they check
DEFINITIONS = {
    "non-negative": "every quantity ≥ 0 (the variables' lower bounds)",
    "graduates": "G[k,t] = yield × starts lag periods earlier (+ Pipeline)",
    "in training": "in_training[k,t] (force cap, Sustainment)",
    "order window": "orders exist only in a source's window (the variables)",
    "cost line": "cost[t] lines",
    "cost total": "cost[t] = Σ lines",
    "whole classes": "integer mode: starts = class_size × classes",
    "whole systems": "integer mode: whole systems ordered",
}

#: the LP builders in FORMULATION.md's order (``changes`` must stay last: its rows and
#: columns are deferred by solve/highs.py)
BUILDERS: tuple[Callable, ...] = tuple(dict.fromkeys(f.define for f in FAMILIES if f.define))
