"""force_plan: a linear-programming planner for sustaining a trained, equipped force."""

__version__ = "0.1.0"
