"""Reading finished plans back: ``compare`` (two plans side by side, with their inputs'
differences from ``inputdiff``), ``limits`` (the binding limits a plan reports) and
``brief`` (an HTML brief of one plan, with ``brief_change`` and ``brief_svg``).

Enters: plan workbooks written by ``xlsx`` (and the input workbooks they name).
Leaves: printed comparisons, a comparison workbook, an HTML brief.
"""
