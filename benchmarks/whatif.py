"""Benchmark force-plan sweep and force-plan risk on the bundled baseline.

    python benchmarks/whatif.py                       # the issue's three targets
    python benchmarks/whatif.py --scenarios 20 --draws 1000 --dask-scenarios 10   # quick

Every figure is the wall time of a fresh ``force-plan`` command (interpreter start,
imports, reading and writing included), run once:

1. **sweep**: the baseline with N generated scenarios (budget, recruit pool, attrition and
   lead-time factors, invented for the benchmark), serially and with ``-j 2``; target:
   ``-j 2`` in at most 0.6 × the serial time;
2. **risk**: ``force-plan risk -n DRAWS`` on the baseline with its Uncertainty sheet
   (force_plan/authoring/baseline_whatifs.py); target: 10,000 draws in under 30 s end to end;
3. **Dask**: the same sweep of M scenarios with ``--dask-local 2`` against ``-j 2``; the
   difference divided by M is the Dask path's overhead per scenario (cluster start-up
   included); target: under 0.5 s.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def baseline(path: Path, scenarios: int) -> Path:
    """The baseline with its Uncertainty sheet and ``scenarios`` generated scenarios."""
    from force_plan.authoring.baseline_whatifs import uncertainty_rows
    from force_plan.authoring.examples import example
    from force_plan.authoring.template import write_workbook

    kinds = (("Periods", "*", "budget", 0.70, 0.30), ("Periods", "*", "recruits_available",
                                                         0.75, 0.35),
             ("Categories", "*", "attrition_rate", 0.8, 0.5),
             ("EquipmentSources", "*", "lead_time_months", 1.0, 1.0))
    rows = []
    for i in range(scenarios):
        sheet, row, column, lo, span = kinds[i % len(kinds)]
        factor = round(lo + span * ((i // len(kinds)) * 0.618 % 1.0), 4)
        rows.append({"scenario": f"s{i + 1:03d}-{column}-x{factor}", "sheet": sheet,
                     "row": row, "column": column, "change": "scale", "value": factor})
    ex = example("baseline")
    content = {**ex.content, "Scenarios": rows, "Uncertainty": uncertainty_rows()}
    write_workbook(path, content, title=ex.title, notes=ex.notes, illustrative=True)
    return path


def timed(args: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "force_plan.cli", *args],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"force-plan {' '.join(args)} failed ({done.returncode}):\n"
                         f"{done.stderr[-3000:]}")
    return seconds, done.stdout


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=200)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--dask-scenarios", type=int, default=40)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="force-plan-whatif-"))
    work.mkdir(parents=True, exist_ok=True)
    figures: dict = {}

    book = baseline(work / "sweep.xlsx", args.scenarios)
    serial, out1 = timed(["sweep", str(book), "-o", str(work / "s1.xlsx"), "--json"])
    two, out2 = timed(["sweep", str(book), "-o", str(work / "s2.xlsx"), "--json", "-j", "2"])
    same = json.loads(out1) == json.loads(out2)
    figures["sweep"] = {"scenarios": args.scenarios, "serial_s": round(serial, 1),
                        "j2_s": round(two, 1), "ratio": round(two / serial, 3),
                        "identical": same}

    risk, _ = timed(["risk", str(book), "-n", str(args.draws), "-o", str(work / "r.xlsx")])
    figures["risk"] = {"draws": args.draws, "end_to_end_s": round(risk, 1)}

    small = baseline(work / "dask.xlsx", args.dask_scenarios)
    local, out3 = timed(["sweep", str(small), "-o", str(work / "d1.xlsx"), "--json", "-j", "2"])
    dask, out4 = timed(["sweep", str(small), "-o", str(work / "d2.xlsx"), "--json",
                        "--dask-local", "2"])
    figures["dask"] = {"scenarios": args.dask_scenarios, "j2_s": round(local, 1),
                       "dask_local_2_s": round(dask, 1),
                       "overhead_per_scenario_s": round((dask - local) / args.dask_scenarios,
                                                        3),
                       "identical": json.loads(out3) == json.loads(out4)}

    s, r, d = figures["sweep"], figures["risk"], figures["dask"]
    print(json.dumps(figures, indent=2))
    print(f"sweep of {s['scenarios']} scenarios: serial {s['serial_s']} s, -j 2 {s['j2_s']} s "
          f"= {s['ratio']} x serial (target <= 0.6: {'met' if s['ratio'] <= 0.6 else 'NOT met'}"
          f"); figures identical: {s['identical']}")
    print(f"risk, {r['draws']:,} draws: {r['end_to_end_s']} s end to end (target < 30 s: "
          f"{'met' if r['end_to_end_s'] < 30 else 'NOT met'})")
    print(f"Dask overhead: {d['overhead_per_scenario_s']} s per scenario over "
          f"{d['scenarios']} scenarios (target < 0.5 s: "
          f"{'met' if d['overhead_per_scenario_s'] < 0.5 else 'NOT met'}); identical: "
          f"{d['identical']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
