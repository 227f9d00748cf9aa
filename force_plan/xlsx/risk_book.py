"""The risk workbook: the plan's chance of meeting each target, percentiles, fan charts.

Sheets: ``Risk`` (what was drawn and the items most at risk, in words), ``Categories``
and ``Equipment`` (one row per item and period), ``Fan charts`` (one chart per
priority-1 category: the 10th, 50th and 90th percentiles of effective strength and the
target). Plain openpyxl; saved atomically like a plan.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from .save import mark, save_output, write_book

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
RISKY = PatternFill("solid", fgColor="F8CBAD")
DOUBT = PatternFill("solid", fgColor="FFE699")


def _num(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def _table(ws, stats, names, labels, extra, unit: str) -> None:
    head = ["item", *extra[0], "period", f"target ({unit})", "p_meet",
            "shortfall_p10", "shortfall_p50", "shortfall_p90",
            "level_p10", "level_p50", "level_p90"]
    for j, h in enumerate(head, start=1):
        c = ws.cell(row=1, column=j, value=h)
        c.font, c.fill = BOLD, HEAD_FILL
    ws.freeze_panes = "B2"
    i = 1
    e = len(extra[0])
    for k, name in enumerate(names):
        for t, lbl in enumerate(labels):
            i += 1
            ws.cell(row=i, column=1, value=name)
            for j, v in enumerate(extra[1][k], start=2):
                ws.cell(row=i, column=j, value=v)
            ws.cell(row=i, column=2 + e, value=lbl)
            ws.cell(row=i, column=3 + e, value=_num(stats["target"][k, t])).number_format = \
                "#,##0"
            p = _num(stats["p_meet"][k, t])
            c = ws.cell(row=i, column=4 + e, value=p)
            c.number_format = "0.0%"
            if p is not None and p < 0.5:
                c.fill = RISKY
            elif p is not None and p < 0.9:
                c.fill = DOUBT
            for j, arr in enumerate((stats["shortfall"][0], stats["shortfall"][1],
                                     stats["shortfall"][2], stats["level"][0],
                                     stats["level"][1], stats["level"][2]), start=5 + e):
                ws.cell(row=i, column=j, value=_num(arr[k, t])).number_format = "#,##0.0"
    if i > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{i}"
    for j in range(1, len(head) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 26 if j == 1 else 14


def _fans(ws, fig, plan) -> None:
    """A small table and a line chart per priority-1 category, two charts a row."""
    labels = fig.labels
    first = [i for i, c in enumerate(plan.categories) if c.priority == 1
             and not np.all(np.isnan(fig.categories["target"][i]))]
    ws.cell(row=1, column=1, value="Effective strength of each priority-1 category across "
            "the draws: the 10th, 50th and 90th percentiles (8 draws in 10 lie between the "
            "outer lines) and the target (dashed).").font = BOLD
    col = 1
    row = 3
    T = len(labels)
    for n, i in enumerate(first):
        top = row + n * (T + 4)
        name = fig.category_names[i]
        for j, h in enumerate(("period", "p10", "p50", "p90", "target"), start=col):
            ws.cell(row=top, column=j, value=h if j > col else name).font = BOLD
        for t, lbl in enumerate(labels):
            r = top + 1 + t
            ws.cell(row=r, column=col, value=lbl)
            for j, v in enumerate((fig.categories["level"][0, i, t],
                                   fig.categories["level"][1, i, t],
                                   fig.categories["level"][2, i, t],
                                   fig.categories["target"][i, t]), start=col + 1):
                ws.cell(row=r, column=j, value=_num(v)).number_format = "#,##0"
        chart = LineChart()
        chart.title = f"{name}: effective strength"
        chart.y_axis.title = "persons"
        chart.y_axis.number_format = "#,##0"
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.legend.position = "b"
        chart.add_data(Reference(ws, min_col=col + 1, max_col=col + 4, min_row=top,
                                 max_row=top + T), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=col, min_row=top + 1, max_row=top + T))
        chart.series[3].graphicalProperties = GraphicalProperties(
            ln=LineProperties(prstDash="dash", w=22225))
        chart.width, chart.height = 16.0, 7.5
        ws.add_chart(chart, f"{get_column_letter(col + 6)}{top}")
    ws.column_dimensions["A"].width = 26


def build_risk_workbook(fig, plan, words, *, input_path: str, sha256: str) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Risk"
    rows = [
        ("What", "force-plan risk: the plan's decisions replayed under random draws of the "
         "Uncertainty sheet; how often each target is met"),
        ("input_file", Path(input_path).name), ("input_sha256", sha256),
        ("force_plan_version", __version__), ("draws", fig.draws),
        ("seed", fig.seed if fig.seed is not None else "none (not repeatable)"),
        ("p_meet", "the share of draws in which effective strength (operational systems for "
         "equipment) meets the target"),
        ("shortfall_p10/50/90", "percentiles of the shortfall across draws"),
        ("level_p10/50/90", "percentiles of effective strength (operational systems)"),
        ("How", "starts, orders, separations and reserve as planned; recruit and conversion "
         "starts cut proportionally where the drawn recruit pool or strength cannot supply "
         "them; arrivals moved by drawn lead times" if fig.mode == "replay" else
         "re-solved for every draw: what the best plan would achieve had the future been "
         f"known ({fig.no_plan} draw{'s' if fig.no_plan != 1 else ''} had no plan and "
         "are left out)"),
        ("", ""), ("Most at risk", ""),
    ]
    for i, (k, v) in enumerate(rows, start=1):
        ws.cell(row=i, column=1, value=k).font = BOLD
        ws.cell(row=i, column=2, value=v).alignment = Alignment(wrap_text=True)
    for i, sentence in enumerate(words, start=len(rows) + 1):
        ws.cell(row=i, column=2, value=sentence)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 130
    cats = wb.create_sheet("Categories")
    _table(cats, fig.categories, fig.category_names, fig.labels,
           (["priority"], [[c.priority] for c in plan.categories]), "persons")
    if fig.equipment_names:
        _table(wb.create_sheet("Equipment"), fig.equipment, fig.equipment_names, fig.labels,
               (["priority"], [[e.priority] for e in plan.equipment]), "systems")
    _fans(wb.create_sheet("Fan charts"), fig, plan)
    mark(wb, "risk", "force-plan risk")
    return wb


def write_risk(fig, plan, words, path, *, input_path: str, sha256: str,
               force: bool = False) -> Path:
    def produce(target: Path) -> None:
        write_book(build_risk_workbook(fig, plan, words, input_path=input_path,
                                       sha256=sha256), target)

    return save_output(Path(path), produce, inputs=[input_path], force=force,
                       what="risk workbook", kind="risk")
