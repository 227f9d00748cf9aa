"""The LP → a ``Solution``.

Enters: a ``Model``. ``levels`` runs the lexicographic objective levels over a solver
(``highs`` by default, ``cbc`` as fallback; ``integer`` for whole classes and systems),
never trusting a status alone (``verify``); ``diagnose`` explains an infeasible plan
through an elastic model.
Leaves: ``Solution`` (values, duals, level objectives, status) or a diagnosis.
"""
