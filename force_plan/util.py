"""Small helpers shared by the stages: pausing the garbage collector, timing a stage.

Progress and timings go through ``logging``: a stage's progress line is an INFO record
of logger ``force_plan.progress`` whose ``stage`` attribute names the stage (the command
line prints it as ``    build: 4,708 variables …``); a stage's time is a DEBUG record of
logger ``force_plan.timing`` written by :func:`timed`. force_plan installs no handler of its own except in the
command line, so a program that imports it sees nothing unless it configures logging.
"""
from __future__ import annotations

import gc
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Optional

log = logging.getLogger("force_plan.timing")
progress_log = logging.getLogger("force_plan.progress")


def progress(stage: str, detail: str) -> None:
    """Log one stage's progress line (the command line prints ``    stage: detail``)."""
    progress_log.info(detail, extra={"stage": stage}, stacklevel=2)


@contextmanager
def no_cycle_collection():
    """Pause Python's cyclic garbage collector while a large model is built or a
    large plan written.

    Both create millions of small objects and no reference cycles worth collecting; the
    collector would scan the growing heap again and again, at a cost that grows faster
    than the model (measured in benchmarks/RESULTS.md).
    Reference counting still frees everything; the collector is switched back on
    afterwards if it was on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@dataclass
class Stopwatch:
    """What :func:`timed` yields: the stage's seconds, set when the block ends."""

    stage: str
    seconds: float = 0.0


@contextmanager
def timed(stage: str, timings: Optional[dict] = None):
    """Time the block as ``stage``: store its seconds in ``timings[stage]`` (when given)
    and log them at DEBUG, also when the block raises.

        with timed("solve") as clock:
            sol = solve(model, options)
        progress("solve", f"{sol.status} in {clock.seconds:.2f} s")
    """
    clock = Stopwatch(stage)
    t0 = time.perf_counter()
    try:
        yield clock
    finally:
        clock.seconds = time.perf_counter() - t0
        if timings is not None:
            timings[stage] = clock.seconds
        log.debug("%s took %.3f s", stage, clock.seconds)
