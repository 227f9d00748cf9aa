"""Solve the base workbook and every scenario: serially, over local processes, or on Dask.

``scenario_tasks(raw, path, …)`` turns a raw workbook into one :class:`Task` per scenario
(``base`` first; an invalid scenario becomes a finished "invalid" result at once);
``execute(tasks, executor, on_event)`` runs them and calls ``on_event`` as each one starts
and finishes, so that the command line streams results and draws its progress bar.
Every executor runs the same function (:func:`run_one`) on the same Inputs with the
same solver options, so a scenario's figures are identical whether run serially, with
``-j`` or on a Dask cluster. (The solver's thread count is left alone: HiGHS refuses a
run whose thread count differs from the first run in the same process.)

Executors
---------
``Serial()``             in this process, one after another
``Processes(n)``         ``concurrent.futures.ProcessPoolExecutor`` of n spawned workers
                         (a fork would copy the solver's thread pool half-alive; workers
                         ignore Ctrl-C; the parent cancels what has not started and waits
                         for the scenarios being solved, which take seconds)
``Dask(address)``        a running Dask distributed scheduler (``tcp://host:8786``); its
                         workers need force_plan installed
``Dask(local=n)``        a LocalCluster of n single-threaded worker processes started here
"""
from __future__ import annotations

import math
import re
import signal
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

from ..inputs.typed import Inputs
from ..errors import ForcePlanError, InputError, NoPlanError
from ..pipeline import RunOptions

#: statuses of a scenario that has a plan
SOLVED = ("optimal", "feasible")
DASK_MISSING = ("Dask is not installed; install it with: pip install 'force-plan[dask]' "
                "(or pip install distributed)")


@dataclass(frozen=True)
class Task:
    name: str
    inputs: Inputs
    options: RunOptions
    plans_dir: Optional[str] = None
    input_path: Optional[str] = None
    #: the plan workbook's file name in plans_dir, without .xlsx (unique in a sweep)
    file_stem: str = ""
    #: what to keep of a solved plan: "sweep" (the comparison's figures) or "levels"
    #: (effective strength and operational systems per item and period, for risk)
    keep: str = "sweep"


@dataclass
class ScenarioResult:
    name: str
    status: str  # optimal | feasible | invalid | no plan | failed | not run
    message: str = ""
    objectives: dict = field(default_factory=dict)  # level -> value
    figures: dict = field(default_factory=dict)  # see figures()
    seconds: float = 0.0
    plan_file: str = ""
    warnings: tuple = ()

    @property
    def solved(self) -> bool:
        return self.status in SOLVED

    def as_json(self) -> dict:
        f = self.figures
        return {"name": self.name, "status": self.status,
                "objectives": {str(k): v for k, v in self.objectives.items()},
                "total_cost": f.get("total_cost"), "total_shortfall": f.get("total_shortfall"),
                "total_equipment_shortfall": f.get("total_equipment_shortfall")}


# --------------------------------------------------------------------------- figures
def figures(results) -> dict:
    """The comparison workbook's figures of one solved plan (workbook units)."""
    inputs, df = results.inputs, results.data
    summary = dict(results.summary)
    out: dict = {k: float(summary[k]) for k in ("total_cost", "total_shortfall",
                                                 "total_equipment_shortfall")}
    labels = inputs.period_labels
    short = df[df.quantity == "shortfall"]
    by_cell = {(i, p): float(v) for i, p, v in zip(short["item"], short["period"],
                                                  short["value"])}
    wc = {c.name: c.weapons_category for c in inputs.categories}
    by_wc: dict = {}
    for (item, _p), v in by_cell.items():
        by_wc[wc.get(item, "Other")] = by_wc.get(wc.get(item, "Other"), 0.0) + v
    out["shortfall_by_weapons_category"] = {k: by_wc[k] for k in sorted(by_wc)}
    first = {c.name for c in inputs.categories if c.priority == 1}
    fills = [(1.0 - by_cell.get((t.item, labels[t.period]), 0.0) / t.value, t.item,
              labels[t.period]) for t in inputs.targets if t.item in first and t.value > 0]
    low = min(fills) if fills else None
    out["lowest_priority1_fill"] = low[0] if low else None
    out["lowest_priority1_fill_where"] = f"{low[1]} in {low[2]}" if low else ""
    last = labels[-1]
    op = df[(df.quantity == "operational") & (df.period == last)]
    op = dict(zip(op["item"], op["value"]))
    goals = {t.item: t.value for t in inputs.equipment_targets if t.period == inputs.T - 1}
    need = sum(goals.values())
    out["equipment_readiness_end"] = (sum(min(float(op.get(e, 0.0)), v)
                                          for e, v in goals.items()) / need) if need else None
    cost = df[(df.quantity == "cost") & (df["item"] == "total")]
    spent = dict(zip(cost["period"], cost["value"]))
    budgeted = [(p.label, p.budget) for p in inputs.periods if p.budget is not None]
    total_budget = sum(b for _l, b in budgeted)
    out["budget_used"] = (sum(float(spent.get(lbl, 0.0)) for lbl, _b in budgeted)
                          / total_budget) if total_budget else None
    out["binding_limits"] = [b.sentence for b in results.bottlenecks[:3]]
    return out


# --------------------------------------------------------------------------- one task
def safe_name(name: str) -> str:
    """A scenario name as a file name: letters, digits, - and _ only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:80] or "scenario"


def run_one(task: Task) -> ScenarioResult:
    """Solve one scenario; every failure becomes a status and a message, never an
    exception (a worker process or a Dask worker returns it like any result)."""
    from ..pipeline import solve_plan

    t0 = time.perf_counter()
    done = ScenarioResult(task.name, "failed", warnings=tuple(task.inputs.warnings))
    try:
        results = solve_plan(task.inputs, task.options)
    except NoPlanError as err:
        done.status, done.message = "no plan", str(err)
    except ForcePlanError as err:
        done.message = str(err)
    except Exception as err:  # noqa: BLE001 - one scenario's failure must not stop a sweep
        done.message = f"{type(err).__name__}: {err}"
    else:
        done.status = results.status
        done.objectives = {int(k): float(v) for k, v in results.objectives.items()}
        if task.keep == "levels":
            from .risk_reopt import levels

            done.figures = levels(results)
        else:
            done.figures = figures(results)
        if task.plans_dir:
            from ..xlsx.plan import write_plan

            path = Path(task.plans_dir) / f"{task.file_stem or safe_name(task.name)}.xlsx"
            try:
                done.plan_file = str(write_plan(results, path, input_path=task.input_path))
            except ForcePlanError as err:
                done.message = f"plan not written: {err}"
    done.seconds = time.perf_counter() - t0
    return done


@dataclass(frozen=True)
class Pending:
    """A scenario whose workbook is applied and validated just before it is handed to a
    worker (so that the parent validates the next scenarios while the workers solve)."""

    name: str
    raw: object
    scenario: object
    common: dict
    file_stem: str = ""

    def ready(self):
        """The scenario's Task, or its "invalid" result."""
        from ..inputs.scenarios import scenario_plan

        try:
            inputs = scenario_plan(self.raw, self.scenario, self.common["input_path"])
        except InputError as err:
            return ScenarioResult(self.name, "invalid", "; ".join(str(p) for p in err.problems),
                                  warnings=tuple(str(w) for w in err.warnings))
        title = f"{inputs.settings.plan_name} — scenario {self.name}"
        inputs = replace(inputs, settings=replace(inputs.settings, plan_name=title))
        return Task(self.name, inputs, file_stem=self.file_stem, **self.common)


def ready(job):
    """A Task or ScenarioResult from a Task or a Pending scenario."""
    return job.ready() if isinstance(job, Pending) else job


def scenario_tasks(raw, path, options: RunOptions, names=None, plans_dir=None) -> list:
    """The jobs of a sweep, base first then the scenarios in sheet order: base's Task and
    one :class:`Pending` per scenario. The base workbook must be valid (InputError).

    ``names``: only these scenarios (case-insensitive; base is always run); an unknown
    name is an InputError."""
    from ..errors import Problem
    from ..inputs.scenarios import parse_scenarios
    from ..inputs.validate import build_inputs

    base = build_inputs(raw, str(path), raw.sha256)
    scenarios = parse_scenarios(raw)
    if names:
        wanted = [n.strip().lower() for n in names if n.strip().lower() != "base"]
        unknown = [n for n in wanted if n not in scenarios]
        if unknown:
            listed = ", ".join(s.name for s in scenarios.values()) or "none"
            raise InputError([Problem("Scenarios", f"no scenario named '{n}'",
                                      f"the scenarios are: {listed}") for n in unknown])
        scenarios = {k: v for k, v in scenarios.items() if k in wanted}
    common = dict(options=options, plans_dir=str(plans_dir) if plans_dir else None,
                  input_path=str(path))
    stems = unique_stems(["base"] + [s.name for s in scenarios.values()])
    return [Task("base", base, file_stem=stems[0], **common)] + [
        Pending(s.name, raw, s, common, stem) for s, stem in zip(scenarios.values(), stems[1:])]


def unique_stems(names: list[str]) -> list[str]:
    """File names for scenario names, made unique ("a b" and "a-b": a-b, a-b-2)."""
    seen: set = set()
    out = []
    for name in names:
        stem, k = safe_name(name), 1
        while (stem if k == 1 else f"{stem}-{k}").lower() in seen:
            k += 1
        stem = stem if k == 1 else f"{stem}-{k}"
        seen.add(stem.lower())
        out.append(stem)
    return out


# --------------------------------------------------------------------------- executors
Event = Callable[[str, str, Optional[ScenarioResult]], None]  # (started|done, name, result)


class Serial:
    workers = 1

    def run(self, jobs: list, on_event: Event) -> None:
        for job in jobs:
            task = _started(job, on_event)
            if task is not None:
                on_event("done", task.name, run_one(task))


def _started(job, on_event: Event):
    """The job's Task after reporting it started; None when it finished at once (an
    invalid scenario, reported done)."""
    task = _prepared(job, on_event)
    if task is not None:
        on_event("started", task.name, None)
    return task


def _prepared(job, on_event: Event):
    """The job's Task; None when it is an invalid scenario (reported started and done)."""
    task = ready(job)
    if isinstance(task, ScenarioResult):
        on_event("started", task.name, None)
        on_event("done", task.name, task)
        return None
    return task


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Processes:
    def __init__(self, workers: int) -> None:
        self.workers = workers

    def run(self, jobs: list, on_event: Event) -> None:
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        import multiprocessing

        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_ignore_interrupts,
                                   mp_context=multiprocessing.get_context("spawn"))
        pending: dict = {}
        queue = list(jobs)
        ahead: list = []  # the next task, validated here while the workers solve
        try:
            # keep at most one task per worker in flight, so "running" is true and Ctrl-C
            # leaves nothing queued inside the pool
            while queue or pending or ahead:
                while len(pending) < self.workers and (ahead or queue):
                    task = ahead.pop() if ahead else _prepared(queue.pop(0), on_event)
                    if task is not None:
                        on_event("started", task.name, None)
                        pending[pool.submit(run_one, task)] = task
                while queue and not ahead:
                    task = _prepared(queue.pop(0), on_event)
                    if task is not None:
                        ahead.append(task)
                if not pending:
                    continue
                finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for fut in finished:
                    task = pending.pop(fut)
                    on_event("done", task.name, _outcome(task, fut))
        except KeyboardInterrupt:
            for fut in pending:
                fut.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def _outcome(task: Task, fut) -> ScenarioResult:
    try:
        return fut.result()
    except Exception as err:  # noqa: BLE001 - a worker that died is one failed scenario
        return ScenarioResult(task.name, "failed", f"{type(err).__name__}: {err}")


class Dask:
    """A Dask distributed scheduler at ``address``, or a LocalCluster of ``local``
    single-threaded worker processes (``processes=False``: threads, for tests)."""

    def __init__(self, address: str | None = None, local: int | None = None,
                 processes: bool = True, timeout: str = "10s") -> None:
        self.address, self.local, self.processes = address, local, processes
        self.timeout = timeout
        self.workers = local or 0

    def run(self, jobs: list, on_event: Event) -> None:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise ForcePlanError(DASK_MISSING) from None
        cluster = None
        if self.address is None:
            cluster = LocalCluster(n_workers=self.local, threads_per_worker=1,
                                   host="127.0.0.1", processes=self.processes,
                                   dashboard_address=None)
        try:
            client = Client(self.address or cluster, timeout=self.timeout)
        except OSError as err:
            raise ForcePlanError(f"cannot reach the Dask scheduler at {self.address} ({err}) "
                                 "— check the address (tcp://host:8786) and that the "
                                 "scheduler is running") from None
        futures: list = []
        try:
            by_key = {}
            run = uuid.uuid4().hex[:8]
            done = as_completed()
            # each task is submitted as soon as it is ready, so the cluster solves while the
            # next scenarios are validated here; "started" means handed to the cluster
            for i, job in enumerate(jobs):
                task = _started(job, on_event)
                if task is None:
                    continue
                fut = client.submit(run_one, task, pure=False,
                                    key=f"force-plan-{run}-{i}-{safe_name(task.name)}")
                futures.append(fut)
                by_key[fut.key] = task
                done.add(fut)
                for fut in _finished(done):
                    on_event("done", by_key[fut.key].name, _outcome(by_key[fut.key], fut))
            for fut in done:
                on_event("done", by_key[fut.key].name, _outcome(by_key[fut.key], fut))
        except KeyboardInterrupt:
            client.cancel(futures)
            raise
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _finished(done) -> list:
    """The futures that have finished so far (without waiting)."""
    return [f for batch in iter(lambda: done.next_batch(block=False), []) for f in batch] \
        if done.has_ready() else []


def executor_for(jobs: int = 1, scheduler: str | None = None, dask_local: int | None = None):
    if scheduler:
        return Dask(address=scheduler)
    if dask_local:
        return Dask(local=dask_local)
    return Serial() if jobs <= 1 else Processes(jobs)


# --------------------------------------------------------------------------- progress
@dataclass
class Progress:
    """Counts and timing of a sweep, and its one-line bar."""

    total: int
    started_at: float = field(default_factory=time.perf_counter)
    running: set = field(default_factory=set)
    done: int = 0
    failed: int = 0

    def event(self, kind: str, name: str, result: ScenarioResult | None) -> None:
        if kind == "started":
            self.running.add(name)
            return
        self.running.discard(name)
        self.done += 1
        if result is not None and not result.solved:
            self.failed += 1

    def line(self, width: int = 24) -> str:
        elapsed = time.perf_counter() - self.started_at
        filled = int(width * self.done / max(self.total, 1))
        left = ""
        if 0 < self.done < self.total:
            left = f", about {_clock(elapsed / self.done * (self.total - self.done))} left"
        return (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} done, "
                f"{len(self.running)} running, {self.failed} failed or invalid, "
                f"{_clock(elapsed)} elapsed{left}")


def _clock(seconds: float) -> str:
    s = int(math.ceil(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else \
        f"{s // 60}:{s % 60:02d}"
