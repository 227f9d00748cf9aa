"""The rules of every file force-plan writes (xlsx/save.py), tried for real.

* ``--export-model`` follows the plan's rules: never the input or a hard link of it, no
  overwrite without --force, atomic, a clear sentence and exit 2 for a device, a system
  folder, an impossible folder or a full disk;
* a full disk (a file-size limit, and a real small tmpfs where it can be mounted) while
  the plan is written: exit 2, one sentence, no traceback and no "Exception ignored"
  noise, the previous plan intact, nothing left behind;
* SIGTERM, SIGHUP and Ctrl-C during the write: the private folder is removed, the
  previous plan intact, no noise;
* a file created at the output during the run is not replaced without --force; of two
  runs to the same output one wins and the other says so;
* a replaced file keeps its mode, a symbolic link never lends its target's; a device
  behind a link is refused; a legal 255-character name is accepted;
* a horizon wider than a sheet never writes past column XFD.
"""
from __future__ import annotations

import os
import pickle
import resource
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from fake_results import fake_results
from wbhelpers import valid_sheets, write_workbook
from force_plan.cli import main
from force_plan.errors import OutputError
from force_plan.xlsx import layout, plan as write
from force_plan.xlsx.save import WORK_PREFIX
from force_plan.xlsx.plan import write_plan

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "inputs" / "baseline.xlsx"
NOISE = ("Traceback", "Exception ignored", "Error:")


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def run(*args, limit: int | None = None, **kwargs):
    """force-plan in a child process, optionally under a file-size limit (bytes)."""
    def child():
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([sys.executable, "-m", "force_plan.cli", *map(str, args)],
                          preexec_fn=child, capture_output=True, text=True, cwd=ROOT,
                          **kwargs)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(WORK_PREFIX))


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A plan of the baseline at out/plan.xlsx, its bytes and its parts' sizes."""
    out = tmp_path_factory.mktemp("rules") / "out" / "plan.xlsx"
    result = invoke("solve", BASELINE, "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        sizes = [i.file_size for i in z.infolist()]
    return out, out.read_bytes(), sizes


def assert_intact(previous) -> None:
    out, before, _ = previous
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


# --------------------------------------------------------------------------- --export-model
def test_export_model_is_refused_onto_the_input_and_its_hard_link(tmp_path):
    source = tmp_path / "in.xlsx"
    source.write_bytes(BASELINE.read_bytes())
    link = tmp_path / "in.lp"
    os.link(source, link)
    for target, sentence in ((source, "the model is an .lp or .mps file — give the output "
                                      "a name ending in .lp or .mps"),
                             (link, "this is the input workbook")):
        result = invoke("solve", source, "-o", tmp_path / "p.xlsx", "--export-model", target,
                        "--force")
        assert result.exit_code == 2 and sentence in result.output, result.output
    assert source.read_bytes() == BASELINE.read_bytes() == link.read_bytes()
    assert not (tmp_path / "p.xlsx").exists()  # refused before solving


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A small valid input workbook (3 categories, 3 periods): quick to solve."""
    return write_workbook(tmp_path / "tiny.xlsx", valid_sheets())


def test_export_model_never_overwrites_without_force(tmp_path, tiny):
    model = tmp_path / "models" / "m.lp"
    model.parent.mkdir()
    model.write_text("my notes")
    result = invoke("solve", tiny, "-o", tmp_path / "p.xlsx", "--export-model", model)
    assert result.exit_code == 2 and "m.lp already exists" in result.output
    assert model.read_text() == "my notes" and not (tmp_path / "p.xlsx").exists()
    result = invoke("solve", tiny, "-o", tmp_path / "p.xlsx", "--export-model", model,
                    "--force")
    assert result.exit_code == 0, result.output
    text = model.read_text()
    assert text.startswith("\\*") and "Subject To" in text  # PuLP's LP text
    assert sorted(p.name for p in model.parent.iterdir()) == ["m.lp"]


def test_export_model_into_a_new_folder_and_as_mps(tmp_path, tiny):
    model = tmp_path / "new" / "deep" / "m.mps"
    result = invoke("solve", tiny, "-o", tmp_path / "p.xlsx", "--export-model", model)
    assert result.exit_code == 0, result.output
    assert "ROWS" in model.read_text()


@pytest.mark.parametrize("target, sentence", [
    ("/dev/full", "/dev/full/baseline.lp: is in a system folder of devices"),
    ("/dev/full.txt", "give the output a name ending in .lp or .mps"),
    ("/dev/full.mps", "is in a system folder of devices"),
    ("/proc/self/x.lp", "is in a system folder of devices"),
    ("{tmp}/blocker/m.lp", "the folder cannot be created (File exists)"),
    ("{tmp}/fifo.lp", "is not an ordinary file"),
])
def test_export_model_bad_places_are_one_sentence(tmp_path, target, sentence):
    (tmp_path / "blocker").write_text("a file, not a folder")
    os.mkfifo(tmp_path / "fifo.lp")
    target = target.format(tmp=tmp_path)
    result = run("solve", BASELINE, "-o", tmp_path / "p.xlsx", "--export-model", target,
                 "--force")
    assert result.returncode == 2, result.stderr
    assert sentence in result.stderr.splitlines()[-1]
    assert not any(n in result.stderr for n in NOISE)
    assert not Path("/dev/full.mps").exists() and stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_model_on_a_full_disk(tmp_path):
    model = tmp_path / "m.lp"
    result = run("solve", BASELINE, "-o", tmp_path / "p.xlsx", "--export-model", model,
                 limit=50_000)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (f"{model}: cannot be written (File too large) — "
                                              "check the disk and the folder's permissions.")
    assert not any(n in result.stderr for n in NOISE)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- full disk
@pytest.mark.parametrize("phase", ["a sheet's rows", "the close"])
def test_a_full_disk_while_writing_is_one_sentence(previous, phase):
    out, _, sizes = previous
    # a limit below half the largest sheet fails while its rows are streamed to scratch;
    # one just below the sheet's whole part (its rows fit) fails while the workbook is
    # closed (the part assembled, the zip written)
    limit = max(sizes) // 2 if phase == "a sheet's rows" else max(sizes) - 200
    assert limit < sum(sizes)
    result = run("solve", BASELINE, "-o", out, limit=limit)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (f"{out}: cannot be written (File too large) — "
                                              "check the disk and the folder's permissions.")
    assert not any(n in result.stderr for n in NOISE), result.stderr
    assert_intact(previous)


def test_a_real_full_tmpfs(tmp_path, previous):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root and mount rights)")
    try:
        old = disk / "plan.xlsx"
        old.write_bytes(b"x" * 1000)
        result = run("solve", BASELINE, "-o", old, "--force")
        assert result.returncode == 2
        assert result.stderr.splitlines()[-1] == (
            f"{old}: cannot be written (No space left on device) — check the disk and the "
            "folder's permissions.")
        assert not any(n in result.stderr for n in NOISE), result.stderr
        assert old.read_bytes() == b"x" * 1000 and leftovers(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


# --------------------------------------------------------------------------- signals, races
WRITER = ("import pickle, sys; from force_plan.xlsx.plan import write_plan; "
          "r = pickle.load(open(sys.argv[1], 'rb')); "
          "write_plan(r, sys.argv[2], force=len(sys.argv) > 3)")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """Results whose plan takes a few seconds to write (a generated 12-category plan)."""
    from force_plan.authoring.generate import generate
    from force_plan.pipeline import solve_plan
    from force_plan.inputs.load import load_inputs

    folder = tmp_path_factory.mktemp("big")
    results = solve_plan(load_inputs(generate(folder / "in.xlsx", "12", 1)))  # in.xlsx: below
    path = folder / "results.pickle"
    path.write_bytes(pickle.dumps(results))
    return path


def start_writer(pickled: Path, out: Path, *extra):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(pickled), str(out), *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not leftovers(out.parent):  # the write has begun
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    return proc


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, -signal.SIGTERM),
                                          (signal.SIGHUP, -signal.SIGHUP),
                                          (signal.SIGINT, -signal.SIGINT)])
def test_a_signal_during_the_write_leaves_nothing(tmp_path, big, signum, code):
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"old plan")
    proc = start_writer(big, out, "--force")
    time.sleep(0.3)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert out.read_bytes() == b"old plan" and leftovers(tmp_path) == []
    if signum != signal.SIGINT:  # Ctrl-C here (no CLI) is Python's own KeyboardInterrupt
        name = signal.Signals(signum).name
        assert err.strip() == f"Stopped by {name}: no plan was written; {out} is unchanged."
    assert "Exception ignored" not in err


def test_ctrl_c_during_the_cli_write(tmp_path, big):
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"old plan")
    proc = subprocess.Popen([sys.executable, "-m", "force_plan.cli", "solve",
                             str(big.parent / "in.xlsx"), "-o", str(out), "--force"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    while not leftovers(tmp_path):  # the write has begun
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.splitlines()[-1] == (f"Interrupted: stopped before a new plan was written; the "
                                    f"plan at {out} is unchanged.")
    assert not any(n in err for n in NOISE), err
    assert out.read_bytes() == b"old plan" and leftovers(tmp_path) == []


def test_a_file_created_at_the_output_during_the_write_is_kept(tmp_path, big):
    out = tmp_path / "plan.xlsx"
    proc = start_writer(big, out)
    out.write_text("the planner's own file, saved meanwhile")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "OutputError" in err
    assert "another program or another force-plan run wrote this file" in err
    assert out.read_text() == "the planner's own file, saved meanwhile"
    assert leftovers(tmp_path) == []


def test_two_runs_to_the_same_output_one_wins(tmp_path):
    out = tmp_path / "plan.xlsx"
    procs = [subprocess.Popen([sys.executable, "-m", "force_plan.cli", "solve", str(BASELINE),
                               "-o", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    done = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in done)
    assert codes == [0, 2], done
    loser = next(err for code, err in done if code == 2)
    assert loser.splitlines()[-1].startswith(f"{out}: another program or another force-plan "
                                             "run wrote this file while the plan was being "
                                             "written")
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    assert leftovers(tmp_path) == []


def test_file_modes(tmp_path):
    results = fake_results()
    kept = tmp_path / "kept.xlsx"
    write_plan(results, kept)
    os.chmod(kept, 0o640)
    write_plan(results, kept)  # a replaced file keeps its mode
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o640
    target = tmp_path / "target.xlsx"
    write_plan(results, target)
    os.chmod(target, 0o600)
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    write_plan(results, link)  # the link is replaced by a file of the ordinary mode
    mask = os.umask(0)
    os.umask(mask)
    assert not link.is_symlink() and stat.S_IMODE(os.stat(link).st_mode) == 0o666 & ~mask
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    device = tmp_path / "device.xlsx"
    device.symlink_to("/dev/full")
    with pytest.raises(OutputError, match="is not an ordinary file"):
        write_plan(results, device, force=True)  # not even with --force
    assert device.is_symlink() and stat.S_IMODE(os.stat("/dev/full").st_mode) == 0o666


def test_a_255_character_name(tmp_path):
    out = tmp_path / ("p" * 250 + ".xlsx")
    assert write_plan(fake_results(), out) == out and out.is_file()
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


# --------------------------------------------------------------------------- column XFD
def test_periods_beyond_the_last_column_are_left_to_the_data_sheet(tmp_path, monkeypatch):
    """With a sheet of 8 columns (XFD stands in), the plan's 4 periods do not fit across
    the Training sheet (4 labels + 4 periods + total): no cell is written past the last
    column, row 3 says what is shown, and the Data sheet has every period."""
    monkeypatch.setattr(layout, "MAX_COLUMN", 8)
    monkeypatch.setattr(write, "MAX_COLUMN", 8)
    results = fake_results()
    wb = openpyxl.load_workbook(write_plan(results, tmp_path / "p.xlsx"))
    for name in ("Training", "Strength", "Budget", "Equipment", "Sources"):
        ws = wb[name]
        assert ws.max_column <= 8, name
    note = wb["Training"]["A3"].value
    assert note.startswith(f"This plan has {len(results.inputs.periods)} periods; a sheet holds "
                           "8 columns, so this sheet shows the first 3")
    assert wb["Strength"]["A3"].value is None  # 3 labels + 4 periods fit
    labels = {r[3] for r in wb["Data"].iter_rows(min_row=2, values_only=True)}
    assert labels == {p.label for p in results.inputs.periods}
