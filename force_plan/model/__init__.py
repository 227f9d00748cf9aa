"""``Inputs`` → the LP (MIP in integer mode) of models/FORMULATION.md.

Enters: ``Inputs``. ``timing`` holds lag, per-period rate and seat share (the only copy);
``sets`` derives index sets; ``variables``, ``constraints`` (one ``define_*`` per equation
family), ``objective``; ``families`` registers each family once with its FORMULATION.md
row, LP names, builder, Checks label and checker message; ``build`` builds from it;
``steady`` is the steady-state (sustainment) LP.
Leaves: ``Model`` (a PuLP problem plus the objects that map rows and columns back).
"""
