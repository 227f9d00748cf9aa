"""Progress and timings go through logging (force_plan.util.timed, pipeline.progress);
the command line prints them as the stage lines users know, and a program that imports
force_plan sees nothing unless it configures logging."""
from __future__ import annotations

import logging
import re
import time

import pytest
from click.testing import CliRunner

from force_plan.cli import main
from force_plan.pipeline import solve_plan
from force_plan.util import timed
from force_plan.inputs.load import load_inputs
from test_cli_solve import hand_sheets
from wbhelpers import write_workbook


def test_solve_prints_the_stage_lines_in_order(tmp_path):
    src = write_workbook(tmp_path / "hand.xlsx", hand_sheets())
    out = tmp_path / "plan.xlsx"
    r = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--timings"])
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    assert lines[:2] == [f"  reading: {src}",
                         " validate: valid (1 category, 1 course, 2 periods of 12 months)"]
    # the model's size is the LP's business: only the line's shape is fixed here
    assert re.fullmatch(r"    build: \d+ variables \(0 integer\), \d+ constraints", lines[2])
    assert re.fullmatch(r"    solve: HiGHS [\d.]+: optimal in \d+\.\d\d s", lines[3])
    assert lines[4] == f"    write: {out}"
    stages = [line.split()[0] for line in lines[5:]]
    assert stages[:4] == ["read", "validate", "build", "solver"]
    assert "solve level 1" in r.stderr and "extract" in stages and "write" in stages
    assert stages[-2:] == ["total", "peak"]
    # the handler is gone after the command: nothing accumulates between runs
    assert not [h for h in logging.getLogger("force_plan").handlers
                if not isinstance(h, logging.NullHandler)]


def test_a_program_using_force_plan_sees_no_progress_unless_it_asks(tmp_path, capsys,
                                                                     caplog):
    inputs = load_inputs(write_workbook(tmp_path / "hand.xlsx", hand_sheets()))
    with caplog.at_level(logging.DEBUG, logger="force_plan"):
        res = solve_plan(inputs)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    stages = [(rec.name, getattr(rec, "stage", None)) for rec in caplog.records
              if rec.levelno == logging.INFO]
    assert stages == [("force_plan.progress", "build"), ("force_plan.progress", "solve")]
    took = [rec.getMessage() for rec in caplog.records if rec.levelno == logging.DEBUG
            and rec.name == "force_plan.timing"]
    assert [m.split(" took")[0] for m in took] == ["build", "solve", "extract", "steady state"]
    assert set(res.timings) >= {"build", "solver setup", "solve level 1", "solve level 2",
                                "extract"}


def test_timed_stores_and_logs_even_when_the_block_fails(caplog):
    timings: dict = {}
    with caplog.at_level(logging.DEBUG, logger="force_plan.timing"):
        with timed("nap", timings) as clock:
            time.sleep(0.02)
        with pytest.raises(ValueError):
            with timed("broken", timings):
                raise ValueError("stop")
    assert clock.seconds == timings["nap"] >= 0.02
    assert "broken" in timings
    assert [r.getMessage().split()[:2] for r in caplog.records] == [["nap", "took"],
                                                                    ["broken", "took"]]
