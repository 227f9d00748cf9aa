"""Time the plan writer alone, on a plan solved once and kept.

    python benchmarks/write.py INPUT.xlsx --cache /tmp/large.pickle --time-limit 60
    python benchmarks/write.py INPUT.xlsx --cache /tmp/large.pickle --repeat 3 -o /tmp/p.xlsx

The first call solves INPUT (with HiGHS's time limit, if given: the plan's size, not its
optimality, is what the writer's time depends on) and pickles the Results to ``--cache``;
later calls load them, so the writer can be timed again and again (and by two versions
of the code) on exactly the same plan. Prints the seconds of each write (wall clock and
CPU: on a shared machine the CPU time is the steadier figure), the best, and the peak
memory of the process. The run-time rows of the Summary are set to fixed figures,
so the same plan gives the same file.
"""
from __future__ import annotations

import argparse
import pickle
import resource
import sys
import time
from pathlib import Path

FIXED_TIMINGS = {"read": 1.0, "validate": 1.0, "build": 1.0, "solve level 1": 1.0,
                 "extract": 1.0}


def solved(input_path: Path, cache: Path, time_limit: float | None):
    """The Results of ``input_path``, from ``cache`` when it exists and is current (a
    cache pickled before ``Results.plan`` became ``Results.inputs`` is solved again)."""
    if cache.exists():
        with cache.open("rb") as fh:
            results = pickle.load(fh)
        if hasattr(results, "inputs"):
            return results
        print(f"{cache} holds Results of an older layout: solving again", flush=True)
    from force_plan.pipeline import RunOptions, solve_plan
    from force_plan.inputs.load import load_inputs

    results = solve_plan(load_inputs(input_path), RunOptions(time_limit=time_limit))
    results.timings = dict(FIXED_TIMINGS)
    results.peak_memory_mb = 100.0
    with cache.open("wb") as fh:
        pickle.dump(results, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return results


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path)
    args = ap.parse_args(argv)
    results = solved(args.input, args.cache, args.time_limit)
    from force_plan.xlsx.plan import write_plan

    out = args.output or args.cache.with_suffix(".xlsx")
    times, cpu = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        write_plan(results, out, force=True)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        print(f"write: {times[-1]:.2f} s ({cpu[-1]:.2f} s of CPU)", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"best {min(times):.2f} s ({min(cpu):.2f} s of CPU); {len(results.data):,} Data rows; "
          f"{out.stat().st_size / 1e6:.1f} MB; peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
