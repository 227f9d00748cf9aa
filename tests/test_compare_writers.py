"""tests/compare_writers.py (the cell-by-cell comparison of two plan writers) finds no
difference between a plan and itself, and finds a changed value, format, font and fill."""
from __future__ import annotations

import zipfile

import openpyxl
from openpyxl.styles import Font, PatternFill

from compare_writers import compare
from fake_results import fake_results
from force_plan.xlsx.plan import write_plan


def test_the_comparison_sees_what_differs(tmp_path):
    a = write_plan(fake_results(), tmp_path / "a.xlsx")
    said: list[str] = []
    assert compare(a, a, said.append) == 0 and said[-1].endswith("0 difference(s)")
    wb = openpyxl.load_workbook(a)
    data, checks = wb["Data"], wb["Checks"]
    data["E2"] = data["E2"].value + 1
    data["E3"].number_format = "0.0"
    checks["A1"].font = Font(bold=False, size=14)
    wb["Strength"]["A1"].fill = PatternFill("solid", fgColor="FF0000")
    wb.save(tmp_path / "edited.xlsx")
    with zipfile.ZipFile(tmp_path / "edited.xlsx") as src, \
            zipfile.ZipFile(tmp_path / "b.xlsx", "w") as dst:  # and a chart's title
        for info in src.infolist():
            data_ = src.read(info)
            if info.filename == "xl/charts/chart1.xml":
                data_ = data_.replace(b"Total force", b"Whole force")
            dst.writestr(info, data_)
    said.clear()
    problems = compare(a, tmp_path / "b.xlsx", said.append)
    found = {line.split(":")[0].strip() for line in said[:-1]}
    assert {"Data!E2", "Data!E3", "Checks!A1", "Strength!A1"} <= found
    # chart1.xml is the first force chart (on Summary or Strength, as the writer numbers)
    assert found & {"Summary chart 1", "Strength chart 1"}
    assert problems == len(found)
