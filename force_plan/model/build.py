"""build(inputs) -> Model: variables, then each constraint family of the registry
(model/families.py, in the order of models/FORMULATION.md), then the objective levels."""
from __future__ import annotations


import pulp

from ..inputs.typed import Inputs
from ..util import no_cycle_collection
from . import constraints as C
from .families import BUILDERS
from .model import Model, pulp_quiet
from .objective import define_objective_levels
from .sets import derive
from .variables import define_variables

#: the LP builders of the registered families (model/families.py), in FORMULATION.md's order
FAMILIES = BUILDERS


def build(inputs: Inputs, *, integer: bool | None = None, elastic: bool = False) -> Model:
    """The LP (MIP in integer mode) of MODEL.md for ``inputs``.

    ``elastic``: diagnosis mode — hard limits (hard targets, budget, force cap,
    over-strength cap, minimum starts, separation limits) get priced slack variables.
    """
    integer = inputs.settings.integer if integer is None else integer
    prob = pulp.LpProblem("force_plan", pulp.LpMinimize)
    model = Model(inputs=inputs, sets=derive(inputs), prob=prob, integer=integer and not elastic,
                  elastic=elastic)
    return populate(model, (define_variables, *FAMILIES))


def populate(model: Model, families) -> Model:
    """Run each ``define_…`` of ``families`` on ``model`` in order (variables first), then
    define its objective levels (the plan and the steady state share this)."""
    with no_cycle_collection(), pulp_quiet():
        for define in families:
            define(model)
        define_objective_levels(model)
    # the `changes` rows and columns must be the last ones (highs._Live defers them)
    assert FAMILIES[-1] is C.define_changes
    return model
