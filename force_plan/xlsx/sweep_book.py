"""The comparison workbook of a sweep: one row per scenario, differences against base,
native charts side by side, what each scenario changes and why any has no plan.

Sheets: ``Scenarios`` (figures, base first), ``Differences`` (scenario − base),
``Charts``, ``Lines`` (the Scenarios sheet's lines), ``Problems`` (invalid, no plan,
failed or not run), ``About``. Plain openpyxl; saved atomically like a plan.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from .save import mark, save_output, write_book

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


def _header(ws, names, row: int = 1) -> None:
    for j, name in enumerate(names, start=1):
        c = ws.cell(row=row, column=j, value=name)
        c.font, c.fill = BOLD, HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=row + 1, column=2)


def _widths(ws, widths: dict) -> None:
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w


def build_sweep_workbook(results, lines, *, input_path: str, sha256: str,
                         cost_unit: str) -> Workbook:
    """``results``: ScenarioResult list, base first; ``lines``: Scenarios lines."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Scenarios"
    cols = columns(results, cost_unit)
    names = ["scenario", "status"] + [c[0] for c in cols] + [
        "lowest fill at", "binding limit 1", "binding limit 2", "binding limit 3",
        "solve seconds", "message"]
    _header(ws, names)
    n = len(cols)
    for i, r in enumerate(results, start=2):
        ws.cell(row=i, column=1, value=r.name).font = BOLD if r.name == "base" else Font()
        status = ws.cell(row=i, column=2, value=r.status)
        if not r.solved:
            status.fill = BAD_STATUS
        for j, (_h, key, fmt) in enumerate(cols, start=3):
            v = figure(r, key)
            if v is not None:
                ws.cell(row=i, column=j, value=v).number_format = fmt
        limits = list(r.figures.get("binding_limits", []))[:3]
        tail = [r.figures.get("lowest_priority1_fill_where") or None] + \
            (limits + [None] * 3)[:3] + [round(r.seconds, 2), r.message.splitlines()[0][:300]
                                         if r.message else None]
        for j, v in enumerate(tail, start=3 + n):
            ws.cell(row=i, column=j, value=v)
    _widths(ws, {1: 22, 2: 12, **{j: 16 for j in range(3, 3 + n)}, 3 + n: 24,
                 4 + n: 60, 5 + n: 60, 6 + n: 60, 7 + n: 10, 8 + n: 60})
    ws.row_dimensions[1].height = 45
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(results) + 1}"
    _differences(wb.create_sheet("Differences"), results, cols)
    _charts(wb.create_sheet("Charts"), ws, results, cols, cost_unit)
    _lines(wb.create_sheet("Lines"), lines)
    _problems(wb.create_sheet("Problems"), results)
    _about(wb.create_sheet("About"), input_path, sha256, cost_unit)
    mark(wb, "sweep", "force-plan sweep")
    return wb


def _differences(ws, results, cols) -> None:
    _header(ws, ["scenario", "status"] + [f"{c[0]} − base" for c in cols])
    base = results[0]
    for i, r in enumerate(results, start=2):
        ws.cell(row=i, column=1, value=r.name)
        ws.cell(row=i, column=2, value=r.status)
        for j, (_h, key, fmt) in enumerate(cols, start=3):
            a, b = figure(base, key), figure(r, key)
            if a is None or b is None:
                continue
            d = b - a
            c = ws.cell(row=i, column=j, value=d)
            c.number_format = f"+{fmt};-{fmt};0"
            if abs(d) > 1e-9 * max(1.0, abs(a)):
                better = (d > 0) == (key in MORE_IS_BETTER)
                c.fill = BETTER if better else WORSE
    ws.cell(row=len(results) + 3, column=1, value="Each figure minus base's. Green: better "
            "than base; red: worse (less shortfall and cost is better; a higher fill or "
            "readiness is better). Objectives are minimised.")
    _widths(ws, {1: 22, 2: 12, **{j: 18 for j in range(3, 3 + len(cols))}})
    ws.row_dimensions[1].height = 45


def _charts(ws, data, results, cols, cost_unit: str) -> None:
    keys = [c[1] for c in cols]
    picks = [("total_cost", f"Total cost ({cost_unit})"),
             ("total_shortfall", "Total shortfall (person-periods)"),
             ("total_equipment_shortfall", "Equipment shortfall (system-periods)"),
             ("lowest_priority1_fill", "Lowest fill of a priority-1 category")]
    ws.cell(row=1, column=1, value="Each chart compares the scenarios (base first); the "
            "figures are on the Scenarios sheet.")
    rows = len(results) + 1
    cats = Reference(data, min_col=1, min_row=2, max_row=rows)
    for k, (key, title) in enumerate(picks):
        j = 3 + keys.index(key)
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.legend = None
        chart.add_data(Reference(data, min_col=j, min_row=1, max_row=rows), titles_from_data=True)
        chart.set_categories(cats)
        chart.y_axis.number_format = SHARE if key == "lowest_priority1_fill" else COUNT
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.width, chart.height = 14.0, max(7.0, 0.55 * rows + 3)
        anchor_row = 3 if k < 2 else 3 + int(chart.height * 2.1) + 2
        ws.add_chart(chart, f"{'A' if k % 2 == 0 else 'J'}{anchor_row}")


def _lines(ws, lines) -> None:
    _header(ws, ["scenario", "sheet", "row", "column", "change", "value", "note",
                 "Scenarios cell"])
    i = 1
    for s in lines:
        for line in s.lines:
            i += 1
            for j, v in enumerate((line.scenario, line.sheet, line.row, line.column,
                                   line.change, line.value, line.note or None), start=1):
                ws.cell(row=i, column=j, value=v)
            ws.cell(row=i, column=8, value=f"row {line.at}")
    _widths(ws, {1: 22, 2: 18, 3: 24, 4: 22, 5: 8, 6: 12, 7: 50, 8: 14})


def _problems(ws, results) -> None:
    _header(ws, ["scenario", "status", "problem"])
    i = 1
    for r in results:
        if r.solved and not r.message:
            continue
        for text in (r.message or r.status).splitlines() or [r.status]:
            for part in text.split("; ") if r.status == "invalid" else [text]:
                i += 1
                ws.cell(row=i, column=1, value=r.name)
                ws.cell(row=i, column=2, value=r.status)
                ws.cell(row=i, column=3, value=part.strip())
    if i == 1:
        ws.cell(row=2, column=1, value="Every scenario has a plan.")
    _widths(ws, {1: 22, 2: 12, 3: 140})


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
        ws.cell(row=i, column=1, value=k).font = BOLD
        ws.cell(row=i, column=2, value=v)
    _widths(ws, {1: 26, 2: 120})


def write_sweep(results, lines, path, *, input_path: str, sha256: str, cost_unit: str,
                force: bool = False) -> Path:
    def produce(target: Path) -> None:
        write_book(build_sweep_workbook(results, lines, input_path=input_path,
                                        sha256=sha256, cost_unit=cost_unit), target)

    return save_output(Path(path), produce, inputs=[input_path], force=force,
                       what="comparison", kind="sweep")
