"""Input workbook → ``Inputs``.

Enters: the path of a planner's input workbook (.xlsx). ``guard``/``parts``/``sheetxml``
check the zip and its XML before anything is parsed; ``read`` gives every value with its
Sheet!Cell; ``fields`` and ``validate`` collect every problem (an ``InputError`` naming
cells and fixes) or build the typed, immutable ``Inputs`` (``typed``); ``load`` does all
of it in one call. ``scenarios`` and ``uncertainty`` read the what-if sheets.
Leaves: ``Inputs`` (or an ``InputError``). Imports only ``contract`` and ``errors``.
"""
