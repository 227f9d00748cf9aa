"""The comparison workbook of a sweep: one row per scenario, differences against base,
native charts side by side, what each scenario changes and why any has no plan.

Sheets: ``Scenarios`` (figures, base first), ``Differences`` (scenario − base),
``Charts``, ``Lines`` (the Scenarios sheet's lines), ``Problems`` (invalid, no plan,
failed or not run), ``About``. Written like a plan (``layout.Sheet`` on XlsxWriter: scenario
names and messages are always text) and saved atomically like one.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from .book import Book
from .charts import PIXELS_PER_CM, series_name
from .layout import Sheet, print_setup, put, widths
from .save import save_output

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WORSE = PatternFill("solid", fgColor="F8CBAD")
BETTER = PatternFill("solid", fgColor="C6EFCE")
BAD_STATUS = PatternFill("solid", fgColor="FFE699")
MONEY, COUNT, SHARE = "#,##0.0", "#,##0", "0.0%"
#: figures where more is better (the others: less is better)
MORE_IS_BETTER = ("lowest_priority1_fill", "equipment_readiness_end")


def columns(results, cost_unit: str) -> list[tuple[str, str, str]]:
    """(header, figure key, number format) of the numeric columns, in order."""
    levels = sorted({lvl for r in results for lvl in r.objectives})
    wcs = sorted({wc for r in results for wc in r.figures.get("shortfall_by_weapons_category",
                                                                {})})
    cols = [(f"objective_{lvl}", f"objective_{lvl}", "#,##0.00") for lvl in levels]
    cols += [(f"total_cost ({cost_unit})", "total_cost", MONEY),
             ("total_shortfall (person-periods)", "total_shortfall", COUNT),
             ("total_equipment_shortfall (system-periods)", "total_equipment_shortfall", COUNT)]
    cols += [(f"shortfall {wc} (person-periods)", f"wc:{wc}", COUNT) for wc in wcs]
    cols += [("lowest_priority1_fill", "lowest_priority1_fill", SHARE),
             ("equipment_readiness_end", "equipment_readiness_end", SHARE),
             ("budget_used", "budget_used", SHARE)]
    return cols


def figure(result, key: str):
    if key.startswith("objective_"):
        return result.objectives.get(int(key.split("_")[1]))
    if key.startswith("wc:"):
        return result.figures.get("shortfall_by_weapons_category", {}).get(key[3:], 0.0) \
            if result.solved else None
    return result.figures.get(key)


HEAD_ALIGN = Alignment(wrap_text=True, vertical="top")


def _header(ws: Sheet, names, row: int = 1) -> None:
    for j, name in enumerate(names, start=1):
        put(ws, row, j, name, font=BOLD, fill=HEAD_FILL, align=HEAD_ALIGN)
    ws.freeze(row + 1, 2)


def build_sweep_workbook(results, lines, target, *, input_path: str, sha256: str,
                         cost_unit: str) -> None:
    """Write the sweep's workbook to ``target`` (a path or a binary file object).
    ``results``: ScenarioResult list, base first; ``lines``: Scenarios lines."""
    wb = Book(target)
    ws = Sheet(wb, "Scenarios")
    cols = columns(results, cost_unit)
    names = ["scenario", "status"] + [c[0] for c in cols] + [
        "lowest fill at", "binding limit 1", "binding limit 2", "binding limit 3",
        "solve seconds", "message"]
    _header(ws, names)
    n = len(cols)
    for i, r in enumerate(results, start=2):
        put(ws, i, 1, r.name, font=BOLD if r.name == "base" else None)
        put(ws, i, 2, r.status, fill=None if r.solved else BAD_STATUS)
        for j, (_h, key, fmt) in enumerate(cols, start=3):
            v = figure(r, key)
            if v is not None:
                put(ws, i, j, v, fmt)
        limits = list(r.figures.get("binding_limits", []))[:3]
        tail = [r.figures.get("lowest_priority1_fill_where") or None] + \
            (limits + [None] * 3)[:3] + [round(r.seconds, 2), r.message.splitlines()[0][:300]
                                         if r.message else None]
        for j, v in enumerate(tail, start=3 + n):
            put(ws, i, j, v)
    widths(ws, {1: 22, 2: 12, **{j: 16 for j in range(3, 3 + n)}, 3 + n: 24,
                 4 + n: 60, 5 + n: 60, 6 + n: 60, 7 + n: 10, 8 + n: 60})
    ws.height(1, 45)
    ws.autofilter(f"A1:{get_column_letter(len(names))}{len(results) + 1}")
    tables = [ws, Sheet(wb, "Differences")]
    _differences(tables[1], results, cols)
    charts = Sheet(wb, "Charts")
    _charts(charts, ws, results, cols, cost_unit)
    tables += [Sheet(wb, "Lines"), Sheet(wb, "Problems")]
    _lines(tables[2], lines)
    _problems(tables[3], results)
    about = Sheet(wb, "About")
    _about(about, input_path, sha256, cost_unit)
    # printed: A4 landscape, one page wide (the wide Scenarios and Differences several,
    # their scenario column repeated), the header row on every page
    for sheet in tables:
        print_setup(sheet, "1:1", title_cols="A:A")
    print_setup(charts)
    print_setup(about)
    wb.mark("sweep", "force-plan sweep")
    wb.close()


def _differences(ws, results, cols) -> None:
    _header(ws, ["scenario", "status"] + [f"{c[0]} − base" for c in cols])
    base = results[0]
    for i, r in enumerate(results, start=2):
        put(ws, i, 1, r.name)
        put(ws, i, 2, r.status)
        for j, (_h, key, fmt) in enumerate(cols, start=3):
            a, b = figure(base, key), figure(r, key)
            if a is None or b is None:
                continue
            d = b - a
            fill = None
            if abs(d) > 1e-9 * max(1.0, abs(a)):
                better = (d > 0) == (key in MORE_IS_BETTER)
                fill = BETTER if better else WORSE
            put(ws, i, j, d, f"+{fmt};-{fmt};0", fill=fill)
    put(ws, len(results) + 3, 1, "Each figure minus base's. Green: better than base; red: "
        "worse (less shortfall and cost is better; a higher fill or readiness is better). "
        "Objectives are minimised.")
    widths(ws, {1: 22, 2: 12, **{j: 18 for j in range(3, 3 + len(cols))}})
    ws.height(1, 45)


def _charts(ws: Sheet, data: Sheet, results, cols, cost_unit: str) -> None:
    keys = [c[1] for c in cols]
    picks = [("total_cost", f"Total cost ({cost_unit})"),
             ("total_shortfall", "Total shortfall (person-periods)"),
             ("total_equipment_shortfall", "Equipment shortfall (system-periods)"),
             ("lowest_priority1_fill", "Lowest fill of a priority-1 category")]
    put(ws, 1, 1, "Each chart compares the scenarios (base first); the figures are on the "
        "Scenarios sheet.")
    rows = len(results) + 1
    for k, (key, title) in enumerate(picks):
        j = 3 + keys.index(key)
        chart = ws.new_chart({"type": "bar"})
        chart.set_title({"name": series_name(title)})
        chart.set_legend({"none": True})
        chart.add_series({"name": [data.title, 0, j - 1],
                          "values": [data.title, 1, j - 1, rows - 1, j - 1],
                          "categories": [data.title, 1, 0, rows - 1, 0]})
        # a bar chart's value axis runs across: XlsxWriter's x axis
        chart.set_x_axis({"num_format": SHARE if key == "lowest_priority1_fill" else COUNT})
        height = max(7.0, 0.55 * rows + 3)
        chart.set_size({"width": round(14.0 * PIXELS_PER_CM),
                        "height": round(height * PIXELS_PER_CM)})
        anchor_row = 3 if k < 2 else 3 + int(height * 2.1) + 2
        ws.place_chart(anchor_row, 1 if k % 2 == 0 else 10, chart)  # A or J


def _lines(ws, lines) -> None:
    _header(ws, ["scenario", "sheet", "row", "column", "change", "value", "note",
                 "Scenarios cell"])
    i = 1
    for s in lines:
        for line in s.lines:
            i += 1
            for j, v in enumerate((line.scenario, line.sheet, line.row, line.column,
                                   line.change, line.value, line.note or None), start=1):
                put(ws, i, j, v)
            put(ws, i, 8, f"row {line.at}")
    widths(ws, {1: 22, 2: 18, 3: 24, 4: 22, 5: 8, 6: 12, 7: 50, 8: 14})


def _problems(ws, results) -> None:
    _header(ws, ["scenario", "status", "problem"])
    i = 1
    for r in results:
        if r.solved and not r.message:
            continue
        for text in (r.message or r.status).splitlines() or [r.status]:
            for part in text.split("; ") if r.status == "invalid" else [text]:
                i += 1
                put(ws, i, 1, r.name)
                put(ws, i, 2, r.status)
                put(ws, i, 3, part.strip())
    if i == 1:
        put(ws, 2, 1, "Every scenario has a plan.")
    widths(ws, {1: 22, 2: 12, 3: 140})


def _about(ws, input_path: str, sha256: str, cost_unit: str) -> None:
    rows = [
        ("input_file", Path(input_path).name), ("input_sha256", sha256),
        ("force_plan_version", __version__), ("cost_unit", cost_unit),
        ("what", "force-plan sweep: the base workbook and each scenario of its Scenarios "
         "sheet, solved on their own; each scenario is the workbook with its lines applied"),
        ("objective_<level>", "the objective level's value on the scenario's plan"),
        ("total_*", "unweighted sums over the plan's periods, as in a plan's Summary"),
        ("lowest_priority1_fill", "the lowest share of its target any priority-1 category "
         "meets in any period (1 = every target met)"),
        ("equipment_readiness_end", "operational systems within target ÷ target, summed over "
         "equipment, in the last period"),
        ("budget_used", "cost ÷ budget over the periods that have a budget"),
        ("binding limit", "the three limits whose relaxation is worth most, from the "
         "scenario's shadow prices"),
        ("status", "optimal / feasible: a plan; invalid: the scenario's workbook breaks the "
         "contract; no plan: its hard limits conflict; failed: the solver failed; not run: "
         "the sweep was stopped first"),
    ]
    for i, (k, v) in enumerate(rows, start=1):
        put(ws, i, 1, k, font=BOLD)
        put(ws, i, 2, v)
    widths(ws, {1: 26, 2: 120})


def write_sweep(results, lines, path, *, input_path: str, sha256: str, cost_unit: str,
                force: bool = False) -> Path:
    def produce(target: Path) -> None:
        build_sweep_workbook(results, lines, target, input_path=input_path, sha256=sha256,
                             cost_unit=cost_unit)

    return save_output(Path(path), produce, inputs=[input_path], force=force,
                       what="comparison", kind="sweep")
