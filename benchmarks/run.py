"""Benchmark force_plan end to end against the solver alone, at growing sizes.

    python benchmarks/run.py                        # small, baseline, large, xlarge
    python benchmarks/run.py --sizes small,large    # a selection
    python benchmarks/run.py --sizes 60 --cbc-sizes ""   # 60 generated categories, no CBC
    python benchmarks/run.py --sizes xlarge --time-limit 1500   # cap HiGHS (s)
    python benchmarks/run.py --load a.json b.log         # the table of saved measurements

On a 2-core machine large takes about 15 minutes and xlarge well over 30 (the second,
cost, objective level dominates); see benchmarks/RESULTS.md.

For every size it runs, each in a fresh process (so that peak memory is that run's own):

1. **end to end**: ``force-plan solve INPUT -o PLAN --timings`` — the wall time of the
   whole command (interpreter start and imports included), the time of each stage it
   reports (read, validate, build, solve per objective level, extract, write) and the
   process's peak resident memory (``wait4`` rusage, the same figure the command prints);
2. **the floor**: the same LP exported to MPS (``pipeline.export_model``, first objective
   level) and solved by highspy alone: ``readModel`` + ``run``;
3. **CBC** (the sizes in ``--cbc-sizes``, with a time cap): ``force-plan solve --solver cbc``.

Instances: ``small``, ``large`` and ``xlarge`` (and a number of categories) are written by
``force_plan.authoring.generate`` (seed 1); ``baseline`` is the bundled
``inputs/baseline.xlsx`` when present, else the generated baseline scale. The table is printed as Markdown, followed by
the targets of the scale-and-speed work, each marked met or not.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ("small", "baseline", "large", "xlarge")
SOLVER_STAGE = re.compile(r"^solve level (\d+)$")
TIMING_LINE = re.compile(r"^\s{2}(\S.*?)\s+(-?[\d.]+) s$")
MEMORY_LINE = re.compile(r"peak memory\s+([\d,.]+) MB")
BUILD_LINE = re.compile(r"build: ([\d,]+) variables .*?, ([\d,]+) constraints")


# ====================================================================== child processes
def _run(cmd: list[str], timeout: float | None = None) -> dict:
    """Run ``cmd``; its wall time, exit status, output and peak memory (MB)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # its own process group, so that a solver it started (CBC) is stopped with it
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, start_new_session=True)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "code": proc.returncode, "stdout": out.read().decode(),
                "stderr": err.read().decode(), "peak_mb": usage.ru_maxrss / 1024}


def _stages(stderr: str) -> dict:
    stages = {}
    for line in stderr.splitlines():
        m = TIMING_LINE.match(line)
        if m:
            stages[m.group(1).strip()] = float(m.group(2))
    return stages


def end_to_end(inp: Path, out: Path, solver: str = "highs", cap: float | None = None) -> dict:
    cmd = [sys.executable, "-m", "force_plan.cli", "solve", str(inp), "-o", str(out),
           "--timings", "--force", "--json", "--solver", solver]
    if cap is not None:
        cmd += ["--time-limit", str(cap)]
    r = _run(cmd, timeout=None if cap is None else 3 * cap + 600)
    r["stages"] = _stages(r["stderr"])
    m = BUILD_LINE.search(r["stderr"])
    if m:
        r["variables"], r["constraints"] = (int(m.group(i).replace(",", "")) for i in (1, 2))
    m = MEMORY_LINE.search(r["stderr"])
    if m:  # the command's own figure (the same as wait4's)
        r["peak_mb_reported"] = float(m.group(1).replace(",", ""))
    try:
        r["summary"] = json.loads(r["stdout"].strip().splitlines()[-1])
    except (ValueError, IndexError):
        r["summary"] = None
    return r


def floor(inp: Path, work: Path) -> dict:
    r = _run([sys.executable, str(Path(__file__).resolve()), "--floor-child", str(inp),
              str(work / (inp.stem + ".mps"))])
    if r["code"] != 0:
        raise SystemExit(f"floor run failed for {inp}:\n{r['stderr']}")
    return json.loads(r["stdout"].strip().splitlines()[-1])


def _floor_child(inp: str, mps: str) -> None:
    """(In a child process) export the LP to MPS, then time highspy alone on it."""
    from force_plan.model.build import build
    from force_plan.pipeline import export_model
    from force_plan.inputs.load import load_inputs

    model = build(load_inputs(inp))
    first = min(model.levels)
    export_model(model, Path(mps))
    scale = model.level_scale[first]
    del model
    from force_plan.solve.highs import _new_highs

    h = _new_highs(False)  # the same options as force-plan's own HiGHS runs
    t0 = time.perf_counter()
    h.readModel(mps)
    t1 = time.perf_counter()
    h.run()
    t2 = time.perf_counter()
    lp = h.getLp()
    info = h.getInfo()
    print(json.dumps({"read": t1 - t0, "run": t2 - t1, "floor": t2 - t0,
                      "status": h.modelStatusToString(h.getModelStatus()),
                      "objective": info.objective_function_value * scale,
                      "columns": lp.num_col_, "rows": lp.num_row_,
                      "nonzeros": len(lp.a_matrix_.value_),
                      "iterations": info.simplex_iteration_count}))
    os.remove(mps)


# ====================================================================== one size
def instance(size: str, work: Path) -> Path:
    if size == "baseline" and (ROOT / "inputs" / "baseline.xlsx").exists():
        return ROOT / "inputs" / "baseline.xlsx"
    from force_plan.authoring.generate import generate

    # the work folder is the benchmark's own: an instance from an earlier run is rewritten
    return generate(work / f"{size}.xlsx", size, seed=1, force=True)


def peer(inp: Path, cap: float | None) -> dict:
    """HiGHS's own lexicographic multi-objective solve of the same model (peer.py)."""
    r = _run([sys.executable, str(Path(__file__).resolve().parent / "peer.py"), str(inp)],
             timeout=cap)
    if r["code"] != 0:
        return {"solve": None, "status": f"not finished ({r['wall']:.0f} s)",
                "objectives": {}, "stopped_after": r["wall"]}
    return json.loads(r["stdout"].strip().splitlines()[-1])


def measure(size: str, work: Path, cbc: bool, cap: float, with_floor: bool = True,
            limit: float | None = None, with_peer: bool = True,
            peer_cap: float | None = None) -> dict:
    inp = instance(size, work)
    row: dict = {"size": size, "input": str(inp)}
    e2e = end_to_end(inp, work / f"{size}-plan.xlsx", cap=limit)
    if e2e["code"] != 0:
        raise SystemExit(f"force-plan solve failed on {inp} (exit {e2e['code']}):\n"
                         f"{e2e['stderr'][-3000:]}")
    row["e2e"] = {k: e2e.get(k) for k in ("wall", "peak_mb", "peak_mb_reported", "stages",
                                           "summary")}
    row["variables"], row["constraints"] = e2e.get("variables"), e2e.get("constraints")
    if with_floor:
        row["floor"] = floor(inp, work)
    if with_peer:
        row["peer"] = peer(inp, cap=peer_cap or limit)
    if cbc:
        c = end_to_end(inp, work / f"{size}-plan-cbc.xlsx", "cbc", cap)
        status = (c["summary"] or {}).get("status", "") if c["code"] == 0 else ""
        row["cbc"] = {"wall": c["wall"], "code": c["code"], "status": status,
                      "stages": c["stages"],
                      "objectives": (c["summary"] or {}).get("objectives")}
    return row


# ====================================================================== the table
def derived(row: dict) -> dict:
    """Figures computed from one size's measurements."""
    st = row["e2e"]["stages"]
    levels = {int(SOLVER_STAGE.match(k).group(1)): v for k, v in st.items()
              if SOLVER_STAGE.match(k)}
    solver = sum(levels.values())
    wall = row["e2e"]["wall"]
    d = {"solver": solver, "overhead": wall - solver, "overhead_share": (wall - solver) / wall,
         "levels": levels}
    if levels:
        first = levels[min(levels)]
        d["level_ratio"] = solver / first if first > 0 else None
    if "floor" in row:
        d["ratio"] = wall / row["floor"]["floor"] if row["floor"]["floor"] > 0 else None
    p = row.get("peer") or {}
    if p.get("stopped_after") and solver > 0:  # the peer did not finish: a lower bound
        d["peer_ratio_min"] = p["stopped_after"] / solver
    if p.get("solve") and solver > 0:
        d["peer_ratio"] = p["solve"] / solver
        ours = (row["e2e"].get("summary") or {}).get("objectives") or {}
        d["peer_agrees"] = all(
            abs(float(ours[k]["value"]) - v) <= 1e-6 * max(1.0, abs(v))
            for k, v in p["objectives"].items() if k in ours)
    return d


STAGE_ORDER = ("read", "validate", "read+validate", "build", "solver setup", "solve level",
               "extract", "steady state", "write")


def _stage_order(name: str) -> tuple:
    m = SOLVER_STAGE.match(name)
    for i, head in enumerate(STAGE_ORDER):
        if name == head or (m and head == "solve level"):
            return (i, int(m.group(1)) if m else 0, name)
    return (len(STAGE_ORDER), 0, name)


def _f(x, fmt="{:.2f}") -> str:
    return "" if x is None else fmt.format(x)


def table(rows: list[dict]) -> str:
    cols = [r["size"] for r in rows]
    lines = ["| | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]

    def add(label, values):
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    ds = [derived(r) for r in rows]
    add("status", [((r["e2e"]["summary"] or {}).get("status") or "?").split(" (")[0][:40]
                   for r in rows])
    add("variables", [_f(r["variables"], "{:,}") for r in rows])
    add("constraints", [_f(r["constraints"], "{:,}") for r in rows])
    add("non-zeros", [_f(r.get("floor", {}).get("nonzeros"), "{:,}") for r in rows])
    stages = sorted({k for r in rows for k in r["e2e"]["stages"] if k != "solve"},
                    key=_stage_order)
    for k in stages:
        add("stages total (s)" if k == "total" else f"{k} (s)",
            [_f(r["e2e"]["stages"].get(k)) for r in rows])
    add("**end to end** (s, whole command)", [_f(r["e2e"]["wall"]) for r in rows])
    add("solver (s, Σ levels)", [_f(d["solver"]) for d in ds])
    add("everything but the solver", [f"{_f(d['overhead'])} s ({d['overhead_share']:.1%})"
                                      for d in ds])
    add("all levels ÷ first level", [_f(d.get("level_ratio")) for d in ds])
    add("peak memory (MB)", [_f(r["e2e"]["peak_mb"], "{:,.0f}") for r in rows])
    add("floor: highspy alone, MPS read + run (s)",
        [_f(r.get("floor", {}).get("floor")) for r in rows])
    add("end to end ÷ floor", [_f(d.get("ratio")) for d in ds])
    if any("peer" in r for r in rows):
        add("peer: HiGHS multi-objective, same levels (s)",
            [_f(r["peer"]["solve"]) if r.get("peer", {}).get("solve") else
             r.get("peer", {}).get("status", "") for r in rows])
        add("peer ÷ force_plan's levels",
            [_f(d.get("peer_ratio")) if "peer_ratio" in d else
             ("≥ " + _f(d["peer_ratio_min"]) if "peer_ratio_min" in d else "") for d in ds])
        add("same objectives as the peer", ["" if "peer_agrees" not in d else
                                            ("yes" if d["peer_agrees"] else "NO")
                                            for d in ds])
    if any("cbc" in r for r in rows):
        vals = []
        for r in rows:
            c = r.get("cbc")
            if c is None:
                vals.append("not run")
            elif c["code"] == 0 and c["status"].startswith("optimal"):
                vals.append(f"{c['wall']:.2f}")
            else:
                vals.append(f"not finished ({c['wall']:.0f} s)")
        add("CBC end to end (s)", vals)
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[str]:
    by = {r["size"]: (r, derived(r)) for r in rows}
    out = []

    def say(ok: bool, text: str) -> None:
        out.append(f"- [{'x' if ok else ' '}] {text}")

    for size in ("large", "xlarge"):
        if size in by:
            r, d = by[size]
            say(d["overhead_share"] <= 0.10, f"{size}: everything but the solver "
                f"{d['overhead_share']:.1%} of end to end (target ≤ 10 %)")
    for size, (r, d) in by.items():  # the target is set at scale; small runs are shown too
        if size in ("large", "xlarge") and d.get("level_ratio") is not None \
                and len(d["levels"]) >= 2:
            say(d["level_ratio"] <= 2.5, f"{size}: {len(d['levels'])} levels take "
                f"{d['level_ratio']:.2f}× the first level alone (target ≤ 2.5)")
            if "peer_ratio_min" in d:
                say(d["peer_ratio_min"] >= 5, f"{size}: HiGHS's own multi-objective solve "
                    f"did not finish in {d['peer_ratio_min']:.1f}× force_plan's levels "
                    "(target ≥ 5; objectives not compared)")
            if "peer_ratio" in d:
                say(d["peer_ratio"] >= 5 and d["peer_agrees"], f"{size}: HiGHS's own "
                    f"multi-objective solve takes {d['peer_ratio']:.1f}× force_plan's levels "
                    f"(target ≥ 5), same objectives: {'yes' if d['peer_agrees'] else 'no'}")
    if "large" in by and "xlarge" in by:
        (a, _), (b, _) = by["large"], by["xlarge"]
        for stage in ("build", "write"):
            x, y = a["e2e"]["stages"].get(stage), b["e2e"]["stages"].get(stage)
            if x and y:
                say(y / x <= 2.2, f"doubling large → xlarge: {stage} × {y / x:.2f} "
                    "(target ≤ 2.2)")
    if "xlarge" in by:
        mb = by["xlarge"][0]["e2e"]["peak_mb"]
        say(mb < 3072, f"xlarge: peak memory {mb:,.0f} MB (target < 3 GB)")
    if "baseline" in by:
        w = by["baseline"][0]["e2e"]["wall"]
        say(w < 5.0, f"baseline: end to end {w:.2f} s (target < 5 s)")
    return out


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import pulp

    from force_plan.solve.highs import _highs_version, _new_highs

    return (f"{os.cpu_count()} CPUs ({cpu or platform.processor()}), {mem} memory, "
            f"Python {platform.python_version()}, {_highs_version(_new_highs(False))}, "
            f"PuLP {pulp.__version__}, "
            f"{platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--floor-child"]:
        _floor_child(*args[1:3])
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(SIZES),
                   help="comma-separated: small, baseline, large, xlarge or a number of "
                   "categories")
    p.add_argument("--cbc-sizes", default="small,baseline",
                   help="sizes also solved with CBC (comma-separated; '' for none)")
    p.add_argument("--cbc-cap", type=float, default=600, help="CBC time limit (s)")
    p.add_argument("--no-floor", action="store_true", help="skip the highspy-alone floor")
    p.add_argument("--no-peer", action="store_true", help="skip HiGHS's own multi-objective "
                   "solve (benchmarks/peer.py)")
    p.add_argument("--peer-cap", type=float, help="stop the peer after this many seconds "
                   "(default: --time-limit); a stopped peer gives a lower bound")
    p.add_argument("--time-limit", type=float, help="HiGHS time limit of the end-to-end runs "
                   "(s; default none): a run stopped by it is marked in the table")
    p.add_argument("--work", type=Path, help="folder for instances and plans "
                   "(default: a temporary folder)")
    p.add_argument("--json", type=Path, help="also write every measurement to this file")
    p.add_argument("--load", type=Path, nargs="+", help="print the table of measurements "
                   "saved earlier (--json files, or the one-line-per-size log on stderr) "
                   "instead of measuring")
    a = p.parse_args(args)
    sizes = [s.strip() for s in a.sizes.split(",") if s.strip()]
    cbc = {s.strip() for s in a.cbc_sizes.split(",") if s.strip()}
    rows = []
    if a.load:
        for path in a.load:
            text = path.read_text()
            if text.lstrip().startswith("["):
                rows += json.loads(text)
            else:
                rows += [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        rows.sort(key=lambda r: r.get("variables") or 0)
        print(table(rows))
        print()
        print("\n".join(targets(rows)))
        return 0
    with tempfile.TemporaryDirectory(prefix="force_plan_bench_") as tmp:
        work = a.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            print(f"measuring {size} …", file=sys.stderr, flush=True)
            rows.append(measure(size, work, size in cbc, a.cbc_cap, not a.no_floor,
                                a.time_limit, not a.no_peer, a.peer_cap))
            print(json.dumps(rows[-1], default=str), file=sys.stderr, flush=True)
    print(f"Machine: {machine()}\n")
    print(table(rows))
    print()
    print("\n".join(targets(rows)))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
