"""Bounded memory and message size on large files inside every limit (issue 16, item 6).

The files come from ``large_files.py`` at a size that runs in seconds; the full-size
figures (1.9 million target cells, 1.68 million bad cells, two 1-million-row plans) are
measured by running that script (see the report in CHANGELOG / SECURITY.md). Each run
here is a child process under a real 1.5 GiB address-space limit.
"""
from __future__ import annotations

import python_calamine
import pytest

from large_files import bad_cells, huge_text, plan_file, write_raw, _base
from test_hostile_parts import run_limited


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("large")


def test_four_hundred_thousand_bad_cells_print_a_bounded_message(folder):
    path = bad_cells(folder / "bad.xlsx", n=20_000)
    (r,) = run_limited([["validate", str(path)]], folder)
    assert r["code"] == 2, r["output"][-2000:]
    out = r["output"]
    assert out.startswith("The workbook has 400,000 problems:")
    assert out.count("\n  Targets!") == 200
    assert "  … and 399,800 more (the first 200 are listed): fix these and run validate " \
           "again to see the rest" in out
    assert "Targets!B2: target must be a number, but the cell holds the text 'x'" in out
    assert len(out) < 40_000


def test_megabytes_of_text_in_numeric_cells_are_quoted_briefly(folder):
    path = huge_text(folder / "text.xlsx")
    (r,) = run_limited([["validate", str(path)]], folder)
    assert r["code"] == 2
    out = r["output"]
    assert out.count("initial_strength must be a number") == 11
    assert "the text '9999999999" + "z" * 30 + "… (900,010 characters)'" in out
    assert len(out) < 5_000


def test_sheets_together_beyond_three_million_cells_are_refused(folder):
    sheets = _base(3)
    categories = list(sheets["Categories"])
    categories += [[]] * (99_000 - len(categories)) + [[None] * 19 + ["stray"]]
    targets = list(sheets["Targets"])
    targets += [[]] * (70_000 - len(targets)) + [[None] * 20 + ["stray"]]
    sheets["Categories"], sheets["Targets"] = categories, targets
    path = write_raw(folder / "wide.xlsx", sheets)
    (r,) = run_limited([["validate", str(path)]], folder)
    assert r["code"] == 2, r["output"]
    assert "Targets!U70001: this sheet spans 1,470,021 cells, which with the sheets before " \
           "it makes 3,450,089: more than" in r["output"]
    assert "more than the 3,000,000 force-plan reads from one workbook" in r["output"]


def test_compare_of_two_large_plans_writes_every_row_within_the_limit(folder):
    old = plan_file(folder / "old.xlsx", rows=100_000)
    new = plan_file(folder / "new.xlsx", rows=100_000, shift=1.0)
    out = folder / "cmp.xlsx"
    (r,) = run_limited([["compare", str(old), str(new), "-o", str(out)]], folder)
    assert r["code"] == 0, r["output"]
    book = python_calamine.CalamineWorkbook.from_path(str(out))
    every = book.get_sheet_by_name("All").to_python()
    changes = book.get_sheet_by_name("Changes").to_python()
    assert len(every) == 100_001
    assert every[1] == ["starts", "Course 000000", "", "2026", 0.0, 1.0, 1.0]
    assert len(changes) == 1 + len(range(0, 100_000, 3))  # every third value moved by 1
    assert all(row[6] == 1.0 for row in changes[1:])


def _amplified(path, plan: bool = False):
    """A megabyte or two that the value reader would copy into 3 GB: one 32,000-character
    shared string used by 100,000 cells."""
    long = "y" * 32_000
    if plan:
        rows = [["quantity", "item", "where", "period", "value"]] + \
            [["starts", long, "", "2026", 1.0]] * 100_000
        return write_raw(path, {"Summary": [["key", "value"], ["force_plan_version", "1"]],
                                "Data": rows}, shared=True)
    sheets = _base(50)
    sheets["Categories"] = [r + ["notes"] if i == 0 else r + [long]
                            for i, r in enumerate(sheets["Categories"])]
    sheets["Categories"] += [[None] * 4 + [long]] * 100_000
    return write_raw(path, sheets, shared=True)


def test_a_shared_string_copied_into_many_cells_is_refused(folder):
    book = _amplified(folder / "amplified.xlsx")
    plan = _amplified(folder / "amplified-plan.xlsx", plan=True)
    assert book.stat().st_size < 2 * 2**20 and plan.stat().st_size < 2 * 2**20
    first, second = run_limited([["validate", str(book)], ["compare", str(plan), str(plan)]],
                                folder)
    assert first["code"] == 2, first["output"]
    assert "Categories: its cells repeat shared text 3,055 MB long in all (each cell " \
           "holding a copy), more than the 200 MB force-plan reads" in first["output"]
    assert second["code"] == 2, second["output"]
    assert "its Data sheet repeats shared text over 200 MB long" in second["output"]
