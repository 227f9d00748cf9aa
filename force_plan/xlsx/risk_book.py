"""The risk workbook: the plan's chance of meeting each target, percentiles, fan charts.

Sheets: ``Risk`` (what was drawn and the items most at risk, in words), ``Categories``
and ``Equipment`` (one row per item and period), ``Fan charts`` (one chart per
priority-1 category: the 10th, 50th and 90th percentiles of effective strength and the
target). Written like a plan (``layout.Sheet`` on XlsxWriter) and saved atomically like one.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from .book import Book
from .charts import DASHED, PIXELS_PER_CM, series_name
from .layout import Sheet, print_setup, put, widths
from .save import save_output

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
RISKY = PatternFill("solid", fgColor="F8CBAD")
DOUBT = PatternFill("solid", fgColor="FFE699")
WRAP = Alignment(wrap_text=True)


def _num(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def _table(ws, stats, names, labels, extra, unit: str) -> None:
    head = ["item", *extra[0], "period", f"target ({unit})", "p_meet",
            "shortfall_p10", "shortfall_p50", "shortfall_p90",
            "level_p10", "level_p50", "level_p90"]
    for j, h in enumerate(head, start=1):
        put(ws, 1, j, h, font=BOLD, fill=HEAD_FILL)
    ws.freeze(2, 2)
    i = 1
    e = len(extra[0])
    for k, name in enumerate(names):
        for t, lbl in enumerate(labels):
            i += 1
            put(ws, i, 1, name)
            for j, v in enumerate(extra[1][k], start=2):
                put(ws, i, j, v)
            put(ws, i, 2 + e, lbl)
            put(ws, i, 3 + e, _num(stats["target"][k, t]), "#,##0")
            p = _num(stats["p_meet"][k, t])
            fill = None
            if p is not None and p < 0.5:
                fill = RISKY
            elif p is not None and p < 0.9:
                fill = DOUBT
            put(ws, i, 4 + e, p, "0.0%", fill=fill)
            for j, arr in enumerate((stats["shortfall"][0], stats["shortfall"][1],
                                     stats["shortfall"][2], stats["level"][0],
                                     stats["level"][1], stats["level"][2]), start=5 + e):
                put(ws, i, j, _num(arr[k, t]), "#,##0.0")
    if i > 1:
        ws.autofilter(f"A1:{get_column_letter(len(head))}{i}")
    widths(ws, {j: 26 if j == 1 else 14 for j in range(1, len(head) + 1)})
    # printed with the header on every page (each row names its item, so a page may end
    # inside an item: a page per item would double the pages)
    print_setup(ws, "1:1", title_cols="A:A")


def _fans(ws, fig, inputs) -> None:
    """A small table and a line chart per priority-1 category, two charts a row."""
    labels = fig.labels
    first = [i for i, c in enumerate(inputs.categories) if c.priority == 1
             and not np.all(np.isnan(fig.categories["target"][i]))]
    put(ws, 1, 1, "Effective strength of each priority-1 category across the draws: the "
        "10th, 50th and 90th percentiles (8 draws in 10 lie between the outer lines) and the "
        "target (dashed).", font=BOLD)
    col = 1
    row = 3
    T = len(labels)
    for n, i in enumerate(first):
        top = row + n * (T + 4)
        name = fig.category_names[i]
        for j, h in enumerate(("period", "p10", "p50", "p90", "target"), start=col):
            put(ws, top, j, h if j > col else name, font=BOLD)
        for t, lbl in enumerate(labels):
            r = top + 1 + t
            put(ws, r, col, lbl)
            for j, v in enumerate((fig.categories["level"][0, i, t],
                                   fig.categories["level"][1, i, t],
                                   fig.categories["level"][2, i, t],
                                   fig.categories["target"][i, t]), start=col + 1):
                put(ws, r, j, _num(v), "#,##0")
        chart = ws.new_chart({"type": "line"})
        chart.set_title({"name": series_name(f"{name}: effective strength")})
        chart.set_y_axis({"name": "persons", "num_format": "#,##0"})
        chart.set_legend({"position": "bottom"})
        for j in range(col + 1, col + 5):  # the header cell names each series
            series = {"name": [ws.title, top - 1, j - 1],
                      "values": [ws.title, top, j - 1, top + T - 1, j - 1],
                      "categories": [ws.title, top, col - 1, top + T - 1, col - 1]}
            if j == col + 4:  # the target
                series["line"] = dict(DASHED)
            chart.add_series(series)
        chart.set_size({"width": round(16.0 * PIXELS_PER_CM),
                        "height": round(7.5 * PIXELS_PER_CM)})
        ws.place_chart(top, col + 6, chart)
    widths(ws, {1: 26})


def build_risk_workbook(fig, inputs, words, target, *, input_path: str, sha256: str) -> None:
    """Write the risk workbook to ``target`` (a path or a binary file object)."""
    wb = Book(target)
    ws = Sheet(wb, "Risk")
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
        put(ws, i, 1, k, font=BOLD)
        put(ws, i, 2, v, align=WRAP)
    for i, sentence in enumerate(words, start=len(rows) + 1):
        put(ws, i, 2, sentence)
    widths(ws, {1: 22, 2: 130})
    print_setup(ws)
    _table(Sheet(wb, "Categories"), fig.categories, fig.category_names, fig.labels,
           (["priority"], [[c.priority] for c in inputs.categories]), "persons")
    if fig.equipment_names:
        _table(Sheet(wb, "Equipment"), fig.equipment, fig.equipment_names, fig.labels,
               (["priority"], [[e.priority] for e in inputs.equipment]), "systems")
    fans = Sheet(wb, "Fan charts")
    _fans(fans, fig, inputs)
    print_setup(fans)
    wb.mark("risk", "force-plan risk")
    wb.close()


def write_risk(fig, inputs, words, path, *, input_path: str, sha256: str,
               force: bool = False) -> Path:
    def produce(target: Path) -> None:
        build_risk_workbook(fig, inputs, words, target, input_path=input_path, sha256=sha256)

    return save_output(Path(path), produce, inputs=[input_path], force=force,
                       what="risk workbook", kind="risk")
