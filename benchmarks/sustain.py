"""Time ``force-plan sustain`` (the steady state) end to end, each run in a fresh process.

    python benchmarks/sustain.py                      # baseline, small, large
    python benchmarks/sustain.py --sizes baseline,xlarge --solver cbc

Prints, per instance, the wall time of the whole command (interpreter start and imports
included), the stages it reports with --timings (read, validate, build, solve) and the
stationary LP's size. Target (issue 12): under 2 s on inputs/baseline.xlsx.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "inputs" / "baseline.xlsx"
STAGE = re.compile(r"^\s+(\S[^0-9]*?)\s+([0-9.]+) (s|MB)$")


def instance(size: str, work: Path) -> Path:
    if size == "baseline" and BASELINE.exists():
        return BASELINE
    path = work / f"{size}.xlsx"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "force_plan.cli", "generate", str(path),
                        "--scale", size], check=True, capture_output=True)
    return path


def measure(path: Path, solver: str) -> dict:
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "force_plan.cli", "sustain", str(path),
                          "--timings", "--solver", solver], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    stages = {m.group(1).strip(): float(m.group(2)) for m in
              map(STAGE.match, run.stderr.splitlines()) if m}
    status = run.stdout.splitlines()[0] if run.stdout else run.stderr.strip()[:80]
    return {"wall": wall, "stages": stages, "status": status, "exit": run.returncode}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="baseline,small,large")
    ap.add_argument("--solver", default="highs")
    args = ap.parse_args(argv)
    target = ""
    with tempfile.TemporaryDirectory() as tmp:
        print("| instance | exit | wall (s) | stages (s) | status |\n|---|---|---|---|---|")
        for size in [s for s in args.sizes.split(",") if s]:
            r = measure(instance(size, Path(tmp)), args.solver)
            stages = ", ".join(f"{k} {v:.3f}" for k, v in r["stages"].items()
                               if k not in ("total", "peak memory"))
            print(f"| {size} | {r['exit']} | {r['wall']:.2f} | {stages} | {r['status']} |")
            if size == "baseline":
                target = (f"\ntarget: baseline under 2 s — "
                          f"{'met' if r['wall'] < 2 else 'NOT met'} ({r['wall']:.2f} s)")
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
