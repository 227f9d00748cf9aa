"""A ``Solution`` → the plan's figures and tables.

Enters: a ``Model`` and its ``Solution``. ``extract`` gives the tidy Data table and the
bottlenecks; ``headline`` the one set of summary figures that the printed summary,
``--json`` and the Summary sheet share; ``report`` the printed lines; ``steady`` and
``steady_report`` the sustainment (steady-state) figures.
Leaves: ``Results`` and plain figures; nothing here writes a file.
"""
