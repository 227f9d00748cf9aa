"""force_plan: a linear-programming planner for sustaining a trained, equipped force."""

__version__ = "0.1.0"

import logging as _logging

# progress and timings are logged (see util.py); nothing is shown unless the program
# using force_plan configures logging (the command line does)
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
