"""Time in the model, written once (MODEL.md, "Time"): every module that needs a lag, a
per-period rate or a seat share — the LP, the steady state, the Checks sheet, the plan
view, the risk replay and the example generator — calls these.
"""
from __future__ import annotations

import math

import numpy as np

#: a tiny tolerance so that 6.0000000001 months typed in a sheet is still 6
_MONTHS_TOL = 1e-9


def lag(months: float, period_months: int) -> int:
    """Periods between a start (beginning of period τ) and its end (end of τ + lag).

    lag = 0 if months = 0 else ceil(months / m) − 1  (MODEL.md, Time).
    """
    if months <= 0:
        return 0
    return max(0, math.ceil(months / period_months - _MONTHS_TOL) - 1)


def lags(months: np.ndarray, period_months: int) -> np.ndarray:
    """``lag`` of every element of an array of durations (the risk draws)."""
    months = np.asarray(months, dtype=float)
    out = np.maximum(0, np.ceil(months / period_months - _MONTHS_TOL) - 1)
    return np.where(months > 0, out, 0).astype(int)


def per_period_rate(annual_rate, period_months: int):
    """r_m = 1 − (1 − r)^(m/12) (a number or a numpy array)."""
    return 1.0 - (1.0 - annual_rate) ** (period_months / 12.0)


def seat_fraction(duration_months: float, m: int, offset: int) -> float:
    """Fraction of period τ+offset that a trainee who started at the beginning of τ is present.

    Months of presence inside the period: clamp(d − offset·m, 0, m). 0-month courses: 0.
    """
    if duration_months <= 0 or offset < 0:
        return 0.0
    present = min(float(m), duration_months - offset * m)
    return max(0.0, present) / m


def seat_shares(duration_months: float, m: int) -> list[float]:
    """[seat_fraction(d, m, o) for o = 0 … lag]: a starter's presence in each period."""
    return [seat_fraction(duration_months, m, o) for o in range(lag(duration_months, m) + 1)]
