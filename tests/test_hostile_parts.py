"""The far-cell guard sees what the value reader reads (issue 16, item 1).

Every file of ``hostile_parts.py`` spells a value in XFD1048576 (or a sheet's part) in a
way calamine reads; unguarded, calamine tries to reserve 549,755,813,888 bytes and the
process aborts (exit 134). Here ``validate``, ``solve`` and ``compare`` run on each in a
child process under a real 1.5 GiB address-space limit and must refuse it with one
sentence (exit 2).
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hostile_parts import build, cases, members, write
from wbhelpers import valid_sheets, write_workbook

MEMORY_LIMIT = 1536 * 2**20

DRIVER = r"""
import json, sys
from click.testing import CliRunner
from force_plan.cli import main
for args in json.loads(sys.argv[1]):
    r = CliRunner().invoke(main, args)
    print(json.dumps({"args": args, "code": r.exit_code, "output": r.output,
                      "exception": type(r.exception).__name__ if r.exception else ""}),
          flush=True)
"""


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(runs: list[list[str]], cwd: Path) -> list[dict]:
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(runs)], preexec_fn=_limit,
                          capture_output=True, text=True, timeout=300, cwd=cwd)
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(runs), (
        f"the child stopped after {len(results)} of {len(runs)} runs (exit "
        f"{proc.returncode}); next: {runs[len(results)] if len(results) < len(runs) else ''}"
        f"\n{proc.stderr[-2000:]}")
    return results


#: what each case's refusal says (the far cell is named where the sheet is known)
SENTENCE = {
    "shared_strings_count": "declares 99,999,999,999 shared strings, far more than it holds",
    "member_in_other_letter_case": "Categories!XFD1048576: this cell holds a value far "
                                   "outside any planning table",
    "row_beyond_the_grid": "Categories!A1048576: this cell holds a value far outside",
}
DEFAULT = "Categories!XFD1048576: this cell holds a value far outside any planning table"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return build(tmp_path_factory.mktemp("parts"))


def test_every_spelling_is_refused_under_a_memory_limit(hostile, tmp_path):
    names = sorted(hostile)
    runs = []
    for case in names:
        runs.append(["validate", str(hostile[case])])
        runs.append(["solve", str(hostile[case]), "-o", str(tmp_path / "out" / f"{case}.xlsx")])
    results = run_limited(runs, tmp_path)
    for i, r in enumerate(results):
        case = names[i // 2]
        label = f"{case} / {r['args'][0]}"
        assert r["code"] == 2, f"{label}: exit {r['code']} {r['exception']}\n{r['output']}"
        assert "Traceback" not in r["output"], label
        assert SENTENCE.get(case, DEFAULT) in r["output"], f"{label}:\n{r['output']}"
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_the_cases_cover_the_issue_list(hostile):
    assert {"lower_case_reference", "single_quotes", "element_prefix",
            "relationships_prefix_renamed", "target_in_other_letter_case",
            "two_sheets_of_one_name", "strict_ooxml"} <= set(hostile)
    for case, path in hostile.items():  # each file differs from the valid one
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None, case


def as_plan(items):
    """The same members with Settings named Summary and Categories named Data, so that
    ``compare`` loads the far sheet."""
    out = []
    for n, d in items:
        if n.endswith("workbook.xml"):
            d = d.replace(b'name="Settings"', b'name="Summary"')
            d = d.replace(b'name="Categories"', b'name="Data"')
        out.append((n, d))
    return out


def test_compare_refuses_the_same_spellings_in_a_plan(tmp_path):
    base = write_workbook(tmp_path / "valid.xlsx", valid_sheets())
    made = cases(base)
    chosen = ["lower_case_reference", "single_quotes", "element_prefix",
              "target_in_other_letter_case", "two_sheets_of_one_name", "strict_ooxml",
              "workbook_in_another_folder", "member_with_backslashes"]
    runs = []
    for case in chosen:
        path = write(tmp_path / f"{case}.xlsx", as_plan(made[case]))
        runs.append(["compare", str(path), str(path)])
    for case, r in zip(chosen, run_limited(runs, tmp_path)):
        assert r["code"] == 2, f"{case}: exit {r['code']} {r['exception']}\n{r['output']}"
        assert "is not a force-plan plan workbook (" in r["output"], case
        assert "XFD1048576" in r["output"], f"{case}:\n{r['output']}"


def test_a_valid_workbook_still_reads_with_every_guard(hostile):
    from force_plan.inputs.load import load_inputs

    inputs = load_inputs(hostile["lower_case_reference"].parent / "valid.xlsx")
    assert [c.name for c in inputs.categories] == ["Pilot", "Mechanic", "Instructor"]


def test_members_round_trip(tmp_path):
    base = write_workbook(tmp_path / "v.xlsx", valid_sheets())
    copy = write(tmp_path / "c.xlsx", members(base))
    assert members(copy) == members(base)
