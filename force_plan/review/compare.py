"""Compare two plan workbooks: what changed, biggest changes first.

Only the contract parts of a plan are read — the Summary's ``key``/``value`` columns and
the tidy Data table — so any two plans written by force_plan can be compared, even from
different inputs. A figure counts as changed when it moved by more than 10⁻⁶ of its size.
"""
from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from ..errors import NotAWorkbookError
from ..numbers import brief, plain
from ..contract.schema import DATA_COLUMNS

RELATIVE = 1e-6
SUMMARY_HEADLINE = ("total_cost", "total_shortfall", "total_equipment_shortfall",
                    "total_separations")


@dataclass
class PlanFile:
    path: Path
    summary: dict  # key -> value, in the Summary's order
    #: (quantity, item, where, period) -> value, in the Data sheet's order
    data: dict
    periods: list = field(default_factory=list)
    #: optional sheets read as rows (lower-case name -> rows): bottlenecks, sustainment
    sheets: dict = field(default_factory=dict)


@dataclass
class Change:
    quantity: str
    item: str
    where: str
    period: str
    old: float | None  # None: the row is only in the new plan
    new: float | None  # None: the row is only in the old plan

    @property
    def change(self) -> float:
        return (self.new or 0.0) - (self.old or 0.0)


@dataclass
class Comparison:
    old: PlanFile
    new: PlanFile
    #: [(key, old, new)] for every Summary key of either plan (new plan's order first)
    summary: list
    changes: list  # [Change] that changed, biggest first
    rows: list  # [Change] every row of either plan, in Data order (old plan's first)
    #: [inputdiff.InputChange] of the two input workbooks; None when they were not found
    inputs: list | None = None
    input_paths: tuple = (None, None)


def _not_a_plan(path: Path, why: str) -> NotAWorkbookError:
    return NotAWorkbookError(f"{path} is not a force-plan plan workbook ({why}) — compare two "
                             "files written by force-plan solve.")


#: the largest area (rows × columns from A1) a plan's Summary and Data sheets can span:
#: Data is 5 columns wide, the Summary a block of key/value rows and a headline beside it
_MAX_AREA = {"summary": 40 * 10_000, "data": 8 * 1_048_576,
             "bottlenecks": 20 * 1_048_576, "sustainment": 40 * 100_000}
#: sheets read besides Summary and Data when a plan has them
OPTIONAL = ("bottlenecks", "sustainment")


def _too_far(path: Path, zf) -> str | None:
    """Why a Summary or Data sheet reaches far beyond a plan's shape (one stray value in
    XFD1048576 would make the spreadsheet library allocate billions of cells), found
    before any library expands it; None when the sheets are of a plan's size. Every part
    the library may read for a sheet is checked (``workbook.guard``)."""
    from ..inputs.guard import MAX_SHARED_TEXT, guard_reach, shared_text, string_sizes
    from ..inputs.sheetxml import scan_sheet

    try:
        parts = guard_reach(path, zf, most=max(_MAX_AREA.values()))
    except NotAWorkbookError as err:  # "<name> has a part … — <how to fix>."
        return "it " + str(err).removeprefix(path.name + " ").split(" — ")[0].rstrip(".")
    sizes, text = string_sizes(zf), 0
    for name, members in parts.items():
        most = _MAX_AREA.get(name.strip().lower())
        for member in members if most is not None else ():
            xml = zf.read(member)
            scan = scan_sheet(xml)
            if scan.area > most:
                return (f"its {name} sheet has a value as far out as {scan.far_cell}, beyond "
                        f"any plan's {name} table")
            text += shared_text(xml, sizes)
            if text > MAX_SHARED_TEXT:
                return (f"its {name} sheet repeats shared text over "
                        f"{MAX_SHARED_TEXT // 2**20} MB long, beyond any plan's")
    return None


def read_plan_file(path) -> PlanFile:
    """The Summary and Data of a plan workbook; NotAWorkbookError when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise NotAWorkbookError(f"{path}: no such file — give the path of a plan workbook "
                                "written by force-plan solve.")
    from ..inputs.read import guarded_bytes  # size, zip-bomb and file-type guards

    unreadable = _not_a_plan(path, "it cannot be read as an .xlsx workbook")
    try:
        data, zf = guarded_bytes(path)
        too_far = _too_far(path, zf)
        if too_far is None:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = {n.strip().lower(): n for n in book.sheet_names}
    except Exception as err:  # noqa: BLE001 — the guards and calamine raise several types
        raise unreadable from err
    if too_far is not None:
        raise _not_a_plan(path, too_far)
    if "summary" not in names or "data" not in names:
        raise _not_a_plan(path, "it has no Summary and Data sheets")
    try:
        summary_rows = book.get_sheet_by_name(names["summary"]).to_python()
        data_rows = book.get_sheet_by_name(names["data"]).to_python()
        sheets = {k: book.get_sheet_by_name(names[k]).to_python()
                  for k in OPTIONAL if k in names}
    except Exception as err:  # noqa: BLE001
        raise unreadable from err
    summary = {}
    for row in summary_rows[1:]:
        if row and isinstance(row[0], str) and row[0].strip():
            summary[row[0].strip()] = row[1] if len(row) > 1 else None
    if "force_plan_version" not in summary:
        raise _not_a_plan(path, "its Summary has no force_plan_version key")
    head = [str(x).strip().lower() for x in (data_rows[0] if data_rows else [])][:5]
    if tuple(head) != DATA_COLUMNS:
        raise _not_a_plan(path, "its Data sheet does not start with the columns "
                          + ", ".join(DATA_COLUMNS))
    data, periods, names = {}, {}, {}
    for i in range(1, len(data_rows)):
        q, item, where, period, value = (list(data_rows[i]) + [None] * 5)[:5]
        data_rows[i] = None  # read once: a million-row plan is held once, as keys
        if q in (None, ""):
            continue
        # the same few thousand names recur on every row: keep one copy of each
        key = tuple(names.setdefault(t, t) for t in (str(q), _text(item), _text(where),
                                                     _text(period)))
        data[key] = float(value) if isinstance(value, (int, float)) else 0.0
        periods.setdefault(key[3], None)
    return PlanFile(path, summary, data, list(periods), sheets)


def _text(x) -> str:
    # plain: a period label a spreadsheet program turned into a number reads 2027 again
    return "" if x is None else plain(x)


def changed(old, new) -> bool:
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return abs(new - old) > RELATIVE * max(1.0, abs(old), abs(new))
    return old != new


def compare_plans(old_path, new_path, inputs=(None, None)) -> Comparison:
    """The differences of two plans; ``inputs``: their input workbooks (old, new), each
    found beside its plan by the Summary's name and SHA-256 when not given."""
    from .inputdiff import diff_inputs, find_input

    old, new = read_plan_file(old_path), read_plan_file(new_path)
    paths = (find_input(old, inputs[0]), find_input(new, inputs[1]))
    keys = list(new.summary) + [k for k in old.summary if k not in new.summary]
    summary = [(k, old.summary.get(k), new.summary.get(k)) for k in keys]
    rows = [Change(*key, old.data.get(key), new.data.get(key))
            for key in list(old.data) + [k for k in new.data if k not in old.data]]
    moved = [c for c in rows if c.old is None or c.new is None or changed(c.old, c.new)]
    moved.sort(key=lambda c: -abs(c.change))  # stable: ties keep Data order
    found = None not in paths
    return Comparison(old, new, summary, moved, rows,
                      diff_inputs(*paths) if found else None, paths if found else (None, None))


# --------------------------------------------------------------------------- meaning
#: quantities (and Summary keys) of which more is worse, or better; the rest is neither
MORE_IS_WORSE = ("shortfall", "equipment_shortfall", "overstrength", "separations", "cost",
                 "total_cost", "total_shortfall", "total_equipment_shortfall",
                 "total_separations")
MORE_IS_BETTER = ("strength", "operational", "inventory")
#: quantities that count persons or systems: shown whole
COUNTS = ("strength", "shortfall", "overstrength", "reserve", "separations", "starts",
          "graduates", "in_training", "instructors", "inventory", "operational",
          "acquisitions", "equipment_shortfall", "total_shortfall",
          "total_equipment_shortfall", "total_separations")


def verdict(quantity: str, change: float) -> str:
    """'worse', 'better' or '' (neither, or no change) for a change of ``quantity``."""
    if not change:
        return ""
    if quantity in MORE_IS_WORSE or quantity.startswith("objective_"):
        return "worse" if change > 0 else "better"
    if quantity in MORE_IS_BETTER:
        return "better" if change > 0 else "worse"
    return ""


def figure(quantity: str, x) -> str:
    """A figure of ``quantity``: whole for a count, else at most two decimals."""
    if quantity in COUNTS and isinstance(x, (int, float)) and not isinstance(x, bool):
        return f"{x:,.0f}"
    return brief(x)


def signed(x: float, quantity: str = "") -> str:
    text = figure(quantity, abs(x))
    return f"+{text}" if x > 0 and text != "0" else f"−{text}" if x < 0 and text != "0" \
        else "±0"


@dataclass
class Line:
    """One line of the printed comparison: a change, or changes folded into one."""

    quantity: str
    label: str
    period: str
    old: float | None
    new: float | None
    note: str = ""  # what was folded in ("shortfall mirrors it", the sites that moved)

    @property
    def change(self) -> float:
        return (self.new or 0.0) - (self.old or 0.0)


def mirrored(changes: list) -> list:
    """Strength and shortfall lines, a shortfall that only mirrors the strength of the same
    category and period (strength +5, shortfall −5) folded into the strength line."""
    by_key = {(c.quantity, c.item, c.period): c for c in changes}
    lines = []
    for c in changes:
        if c.quantity not in ("strength", "shortfall"):
            continue
        other = by_key.get(("shortfall" if c.quantity == "strength" else "strength",
                            c.item, c.period))
        mirror = other is not None and not changed(c.change, -other.change)
        if mirror and c.quantity == "shortfall":
            continue  # told on the strength line
        note = f"shortfall {signed(other.change, 'shortfall')}" if mirror else ""
        lines.append(Line(c.quantity, f"{c.quantity} {c.item}", c.period, c.old, c.new, note))
    return lines


def rolled_up(comp: Comparison, quantity: str = "starts") -> tuple:
    """(lines, shuffles): ``quantity`` per item and period over every ``where`` (starts per
    course over its sites, orders per equipment over its sources), changes biggest first,
    each noting the sites or sources that moved; and how many item-periods only moved
    between sites or sources, their total unchanged."""
    total: dict = {}
    sites: dict = {}
    for c in comp.rows:
        if c.quantity != quantity:
            continue
        key = (c.item, c.period)
        o, n = total.get(key, (0.0, 0.0))
        total[key] = (o + (c.old or 0.0), n + (c.new or 0.0))
        if c.where and (c.old is None or c.new is None or changed(c.old, c.new)):
            sites.setdefault(key, []).append(c)
    lines, shuffles = [], 0
    for key, (o, n) in total.items():
        moved = sorted(sites.get(key, []), key=lambda c: -abs(c.change))
        if not changed(o, n):
            shuffles += bool(moved)
            continue
        note = ", ".join(f"{c.where} {signed(c.change, quantity)}" for c in moved[:3])
        lines.append(Line(quantity, key[0], key[1], o, n, note))
    lines.sort(key=lambda x: -abs(x.change))
    return lines, shuffles


# --------------------------------------------------------------------------- printing
def _some(labels: list, most: int = 6) -> str:
    if not labels:
        return "none"
    more = f" and {len(labels) - most} more" if len(labels) > most else ""
    return ", ".join(labels[:most]) + more


def _tail(quantity: str, change: float) -> str:
    word = verdict(quantity, change)
    return f"({signed(change, quantity)}{', ' + word if word else ''})"


def _input_lines(comp: Comparison, top: int) -> list:
    if comp.inputs is None:
        return ["Inputs: the input workbooks named in the plans' Summaries were not found "
                "next to the plans (give them with --inputs OLD NEW); the changes below are "
                "the plans' own figures."]
    if not comp.inputs:
        return ["Inputs: the two input workbooks hold the same values."]
    from .inputdiff import grouped_inputs

    lines = [f"Inputs changed ({len(comp.inputs)} cell{'s' if len(comp.inputs) != 1 else ''}"
             f", {comp.input_paths[0]} → {comp.input_paths[1]}):"]
    rows = grouped_inputs(comp.inputs)
    w1 = max(len(cells) for _w, cells, _o, _n in rows[:top])
    for what, cells, old, new in rows[:top]:
        lines.append(f"  {cells:<{w1}}  {what}: {old} → {new}")
    if len(rows) > top:
        lines.append(f"  … and {len(rows) - top} more (write them all with -o).")
    return lines


def _block(title: str, unit: str, lines: list, top: int) -> list:
    if not lines:
        return [f"{title}: no change."]
    out = [f"{title} ({unit}), biggest changes first:"]
    shown = lines[:top]
    w1 = max(len(x.label) for x in shown)
    w2 = max(len(x.period) for x in shown)
    for x in shown:
        note = f"; {x.note}" if x.note else ""
        out.append(f"  {x.label:<{w1}}  {x.period:<{w2}}  {figure(x.quantity, x.old)} → "
                   f"{figure(x.quantity, x.new)}  {_tail(x.quantity, x.change)[:-1]}{note})")
    if len(lines) > top:
        out.append(f"  … and {len(lines) - top} more (write them all with -o).")
    return out


def format_comparison(comp: Comparison, top: int = 10) -> str:
    """A short plain-text account: what changed in the inputs, then in the plan, biggest
    changes first, mirrored and shuffled figures folded."""
    lines = [f"Comparing {comp.old.path} (old) with {comp.new.path} (new)"]
    lines += _input_lines(comp, top)
    summary = {k: (o, n) for k, o, n in comp.summary}
    o, n = summary.get("status", (None, None))
    say = (lambda x: str(x).replace("_", " "))
    lines.append(f"Status: {say(o)} → {say(n)}" if o != n else f"Status: {say(n)} (unchanged)")
    keys = [k for k, _, _ in comp.summary if k.startswith("objective_")]
    keys += [k for k in SUMMARY_HEADLINE if k in summary]
    width = max((len(k) for k in keys), default=0)
    for k in keys:
        o, n = summary[k]
        if isinstance(o, (int, float)) and isinstance(n, (int, float)):
            tail = f"  {_tail(k, n - o)}" if changed(o, n) else "  (unchanged)"
        else:
            tail = "" if o != n else "  (unchanged)"
        lines.append(f"  {k:<{width}}  {figure(k, o)} → {figure(k, n)}{tail}")
    if comp.old.periods != comp.new.periods:
        only_old = [p for p in comp.old.periods if p not in comp.new.periods]
        only_new = [p for p in comp.new.periods if p not in comp.old.periods]
        lines.append("The plans cover different periods: "
                     f"only in old: {_some(only_old)}; only in new: {_some(only_new)}.")
    lines += _block("Strength and shortfall per category and period", "persons",
                    mirrored(comp.changes), top)
    for quantity, title, unit, what, where in (
            ("starts", "Training starts per course and period, over all sites", "persons",
             "course", "sites"),
            ("acquisitions", "Orders per equipment and period, over all sources", "systems",
             "equipment", "sources")):
        moved, shuffles = rolled_up(comp, quantity)
        lines += _block(title, unit, moved, top)
        if shuffles:
            lines.append(f"  ({shuffles} {what}-period{'s' if shuffles != 1 else ''} only "
                         f"moved between {where}, the {what}'s total unchanged.)")
    total = len(comp.changes)
    lines.append(f"{total} figure{'s' if total != 1 else ''} of the Data sheets changed."
                 if total else "The Data sheets are identical.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- workbook
def write_comparison(comp: Comparison, path, *, force: bool = False) -> Path:
    """Write the differences, highlighted, to an .xlsx workbook (see xlsx/save.py)."""
    from ..xlsx.save import save_output

    def produce(target: Path) -> None:
        comparison_workbook(comp, target)

    return save_output(path, produce, inputs=[comp.old.path, comp.new.path], force=force,
                       what="comparison")


#: rows of the Changes and All sheets written out at a time
STREAM_ROWS = 10_000
#: the changes printed (the biggest; the sheet lists every one)
PRINTED_CHANGES = 100


def comparison_workbook(comp: Comparison, target) -> None:
    """Write the comparison workbook to ``target`` (a path or a binary file object)."""
    from openpyxl.comments import Comment

    from ..xlsx.book import Book
    from ..xlsx.layout import (HEADER_ALIGN, HEADER_FILL, HEADER_FONT, NOTE_FONT, PRINT_NOTE,
                               Sheet, header, print_setup, put, widths)

    wb = Book(target)
    ws = Sheet(wb, "Summary")
    header(ws, 1, ["key", "old", "new", "change"])
    for i, (key, old, new) in enumerate(comp.summary, start=2):
        numbers = isinstance(old, (int, float)) and isinstance(new, (int, float))
        fill = _fill(key, new - old if numbers else 0.0) if changed(old, new) else None
        whole = "#,##0" if key in COUNTS else "#,##0.00"
        put(ws, i, 1, key, fill=fill)
        put(ws, i, 2, old, whole if isinstance(old, float) else None, fill=fill)
        put(ws, i, 3, new, whole if isinstance(new, float) else None, fill=fill)
        if numbers:
            put(ws, i, 4, new - old, _signed_format(key), fill=fill)
        elif fill is not None:
            put(ws, i, 4, None, fill=fill)
    put(ws, 1, 6, f"old: {comp.old.path}", font=NOTE_FONT)
    put(ws, 2, 6, f"new: {comp.new.path}", font=NOTE_FONT)
    put(ws, 3, 6, "Highlighted: a value that changed. Sheet Changes lists every changed "
        "figure, biggest first; sheet All has every figure of both plans.", font=NOTE_FONT)
    put(ws, 4, 6, "Colours by meaning: red = worse in the new plan (more shortfall, cost, "
        "separations; less strength or equipment), green = better, yellow = changed, neither "
        "better nor worse (starts, orders).", font=NOTE_FONT)
    if comp.inputs is not None:
        put(ws, 5, 6, f"inputs: {comp.input_paths[0]} → {comp.input_paths[1]} (sheet Inputs)",
            font=NOTE_FONT)
    printing = PRINT_NOTE.format(what=f"the rows of sheet All and those of sheet Changes "
                                 f"after its {PRINTED_CHANGES} biggest")
    for i, line in enumerate(textwrap.wrap(printing, 90), start=7):
        put(ws, i, 6, line, font=NOTE_FONT)
    widths(ws, {1: 28, 2: 22, 3: 22, 4: 16, 6: 60})
    ws.freeze(2, 1)
    print_setup(ws)

    if comp.inputs is not None:
        _inputs_sheet(Sheet(wb, "Inputs"), comp.inputs)
    head = list(DATA_COLUMNS[:4]) + ["old", "new", "change"]
    for name, rows in (("Changes", comp.changes), ("All", comp.rows)):
        ws = Sheet(wb, name)
        # the sheet is streamed: its layout is set before its first rows are written
        last = max(2, len(rows) + 1)
        if rows:
            ws.autofilter(f"A1:G{last}")
        widths(ws, {1: 20, 2: 28, 3: 24, 4: 12, 5: 14, 6: 14, 7: 14})
        ws.freeze(2, 1)
        printed = 1 if name == "All" else min(last, PRINTED_CHANGES + 1)
        print_setup(ws, "1:1", area=f"A1:G{printed}" if printed < last else None)
        ws.reserve(last, len(head))
        header(ws, 1, head)
        if printed < last:
            what = ("this sheet's rows" if name == "All" else
                    f"the rows after the {PRINTED_CHANGES} biggest changes")
            put(ws, 1, 1, head[0], font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN,
                comment=Comment(PRINT_NOTE.format(what=what[:1].upper() + what[1:]),
                                "force-plan", width=300, height=150))
        for i, c in enumerate(rows, start=2):
            for j, text in enumerate((c.quantity, c.item, c.where, c.period), start=1):
                put(ws, i, j, text or None)
            whole = "#,##0" if c.quantity in COUNTS else "#,##0.00"
            put(ws, i, 5, c.old, whole)
            put(ws, i, 6, c.new, whole)
            fill = None
            if c.old is None or c.new is None or changed(c.old, c.new):
                fill = _fill(c.quantity, c.change)
            put(ws, i, 7, c.change, _signed_format(c.quantity), fill=fill)
            if i % STREAM_ROWS == 0:
                ws.flush()  # a million rows held as cells would take gigabytes
    wb.mark("comparison", "force-plan comparison")
    wb.close()


def _signed_format(quantity: str) -> str:
    return "+#,##0;−#,##0;0" if quantity in COUNTS else "+#,##0.00;−#,##0.00;0"


def _fill(quantity: str, change: float):
    """The fill of a changed figure by what the change means: worse red, better green,
    neither yellow."""
    from ..xlsx.layout import BINDING_FILL, GOOD_FILL, SHORT_FILL

    return {"worse": SHORT_FILL, "better": GOOD_FILL}.get(verdict(quantity, change),
                                                          BINDING_FILL)


def _inputs_sheet(ws, changes: list):
    from ..xlsx.layout import header, print_setup, put, widths

    header(ws, 1, ["cell", "sheet", "row", "column", "old", "new"])
    for i, c in enumerate(changes, start=2):
        for j, value in enumerate((c.cell, c.sheet, c.row, c.column or "(row)", c.old, c.new),
                                  start=1):
            put(ws, i, j, value if value not in ("", None) else None)
    widths(ws, {1: 22, 2: 18, 3: 30, 4: 24, 5: 16, 6: 16})
    ws.freeze(2, 1)
    print_setup(ws, "1:1")
    return ws
