"""Input workbooks made by the tool: the blank template, the bundled illustrative
examples (``python -m force_plan.authoring.examples`` regenerates inputs/) and the
generated instances of any size.

Enters: the ``contract`` schema and the example content. Leaves: input .xlsx files
(written through ``xlsx.save``).
"""
