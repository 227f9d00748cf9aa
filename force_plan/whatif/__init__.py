"""Many plans from one input workbook: the Scenarios sweep and the Uncertainty risk run.

Enters: a read workbook, its Scenarios/Uncertainty rows (``inputs.scenarios``,
``inputs.uncertainty``) and the run options; ``check`` validates the what-if sheets,
``sweep`` solves each scenario (local processes or Dask), ``risk`` replays a plan against
drawn inputs and ``risk_reopt`` re-optimises them.
Leaves: per-scenario and per-draw figures, written by ``xlsx.sweep_book``/``xlsx.risk_book``.
"""
