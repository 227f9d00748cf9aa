"""Writing the plan safely: input text never becomes a formula, the input and files
force_plan did not write are never overwritten, writes are atomic and deterministic."""
from __future__ import annotations

import hashlib
import re
import zipfile

import openpyxl
import pytest

from force_plan.solve.levels import SolveOptions
from force_plan.pipeline import sustain

from fake_results import fake_plan, fake_results
from force_plan.errors import OutputError
from force_plan.xlsx import save as safe
from force_plan.xlsx.save import written_by_force_plan
from force_plan.xlsx.plan import write_plan

EVIL = '=HYPERLINK("http://x","y")'
EVIL_SITE = "=1+1"
EVIL_PLAN = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def evil_path(tmp_path_factory):
    inputs = fake_plan(rifle=EVIL, site_b=EVIL_SITE, plan_name=EVIL_PLAN)
    path = tmp_path_factory.mktemp("evil") / "plan.xlsx"
    results = fake_results(inputs)
    results.steady = sustain(inputs, SolveOptions())  # the Sustainment sheet, names and all
    return write_plan(results, path)


def test_input_names_are_stored_as_text(evil_path):
    wb = openpyxl.load_workbook(evil_path)
    seen = {EVIL: 0, EVIL_SITE: 0, EVIL_PLAN: 0}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in seen:
                    seen[c.value] += 1
                    assert c.data_type == "s", (ws.title, c.coordinate)
                if c.data_type == "f":
                    # the only formulas are the checks force_plan composes
                    assert ws.title in ("Checks", "Sustainment"), (ws.title, c.coordinate,
                                                                   c.value)
                    assert "HYPERLINK" not in c.value and "cmd" not in c.value
    assert seen[EVIL] > 20 and seen[EVIL_SITE] > 10 and seen[EVIL_PLAN] == 1
    assert wb["Summary"]["D1"].value == EVIL_PLAN
    assert wb["Data"]["B2"].value == EVIL


def test_no_formula_element_outside_checks(evil_path):
    with zipfile.ZipFile(evil_path) as z:
        book = z.read("xl/workbook.xml").decode()
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        texts = {n: z.read(n).decode() for n in names}
    # sheet7 is Sustainment, sheet9 Checks (sheets are written in workbook order)
    assert 'name="Sustainment" sheetId="7"' in book and 'name="Checks" sheetId="9"' in book
    for name, text in texts.items():
        formulas = re.findall(r"<f>(.*?)</f>", text)
        if name.endswith(("sheet7.xml", "sheet9.xml")):
            assert formulas and not any("HYPERLINK" in f for f in formulas)
        else:
            assert "<f>" not in text, name


def test_refuses_to_write_over_the_input(tmp_path):
    source = tmp_path / "my-plan.xlsx"
    source.write_bytes(b"the planner's input")
    results = fake_results()
    with pytest.raises(OutputError) as err:
        write_plan(results, source, input_path=source)
    assert str(err.value) == (f"{source}: this is the input workbook; force-plan never writes "
                              "into its input — choose another name for the plan.")
    with pytest.raises(OutputError):
        write_plan(results, tmp_path / "." / "my-plan.xlsx", input_path=source, force=True)
    assert source.read_bytes() == b"the planner's input"


def test_refuses_a_file_force_plan_did_not_write(tmp_path):
    other = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "someone's own workbook"
    wb.save(other)
    before = other.read_bytes()
    with pytest.raises(OutputError) as err:
        write_plan(fake_results(), other)
    assert str(err.value) == (
        f"{other}: this file was not written by force-plan, so it is not replaced (it may be "
        "your own work) — choose another output name, or add --force to replace it.")
    assert other.read_bytes() == before
    write_plan(fake_results(), other, force=True)
    assert openpyxl.load_workbook(other).sheetnames[0] == "Summary"


def test_replaces_its_own_plan_and_marks_it(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_plan(fake_results(), path)
    assert written_by_force_plan(path)
    props = {p.name: p.value for p in openpyxl.load_workbook(path).custom_doc_props}
    assert props["force_plan_kind"] == "plan"
    write_plan(fake_results(integer=True), path)  # no --force needed
    assert openpyxl.load_workbook(path)["Bottlenecks"]["A3"].value.startswith("This plan")


def test_a_plan_resaved_without_the_marker_is_still_recognised(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_plan(fake_results(), path)
    wb = openpyxl.load_workbook(path)
    wb.custom_doc_props.props.clear()  # as if a program dropped the custom properties
    wb.save(path)
    assert written_by_force_plan(path)  # the Summary's force_plan_version key


@pytest.mark.parametrize("name", ["plan.csv", "plan.xls", "plan"])
def test_refuses_a_name_that_is_not_xlsx(tmp_path, name):
    with pytest.raises(OutputError, match=r"give the output a name ending in \.xlsx"):
        write_plan(fake_results(), tmp_path / name)


def test_creates_the_output_folder(tmp_path):
    path = write_plan(fake_results(), tmp_path / "outputs" / "deep" / "plan.xlsx")
    assert path.is_file()


def test_a_crash_leaves_the_previous_plan_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "plan.xlsx"
    write_plan(fake_results(), path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(safe.os, "replace", boom)
    with pytest.raises(RuntimeError):
        write_plan(fake_results(integer=True), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_locked_file_is_a_plain_error(tmp_path, monkeypatch):
    path = tmp_path / "plan.xlsx"
    write_plan(fake_results(), path)
    before = path.read_bytes()

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safe.os, "replace", locked)
    with pytest.raises(OutputError) as err:
        write_plan(fake_results(), path)
    assert str(err.value) == (f"{path}: cannot be replaced (Permission denied); it may be open "
                              "in a spreadsheet program — close it and run again.")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_same_results_same_bytes(tmp_path):
    a = write_plan(fake_results(), tmp_path / "a.xlsx")
    b = write_plan(fake_results(), tmp_path / "b.xlsx")
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    props = openpyxl.load_workbook(a).properties
    assert props.created == props.modified == safe.FIXED_TIME
    assert props.creator.startswith("force-plan ")


def test_a_hostile_marker_part_is_not_trusted(tmp_path):
    path = tmp_path / "trap.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("docProps/custom.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
                   '"aaaa">]><Properties><property name="force_plan_kind">&a;</property>'
                   "</Properties>")
    assert not written_by_force_plan(path)
    with pytest.raises(OutputError, match="not written by force-plan"):
        write_plan(fake_results(), path)
