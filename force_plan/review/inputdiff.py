"""What changed between two input workbooks, cell by cell, and where a plan's input is.

A plan's Summary names its input (``input_file``, a file name) and that file's SHA-256
(``input_sha256``). :func:`find_input` looks for it next to the plan, in the working
directory and in ``inputs/``, and accepts a file only when its bytes hash to the recorded
SHA-256 (an input edited after the solve is not the plan's input). :func:`diff_inputs`
reads both workbooks with the guarded reader (``workbook.read``) and pairs rows by the
sheet's key columns (``schema``), so an inserted row is one added row, not a shifted table.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..numbers import plain


@dataclass(frozen=True)
class InputChange:
    sheet: str
    row: str  # the row's key as text ("2028-Q1", "Pilot training at Aviation School")
    column: str  # contract column or wide header; "" for a row added or removed
    cell: str  # the cell in the new workbook (the old one's for a removed row)
    old: object  # None: not in the old workbook
    new: object  # None: not in the new workbook

    @property
    def what(self) -> str:
        if not self.column:
            return f"{self.sheet} row {self.row}"
        return f"{self.sheet} {self.row}: {self.column}"


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def find_input(plan, given=None) -> Path | None:
    """The input workbook of ``plan`` (a ``compare.PlanFile``): ``given`` when named, else
    the file named in its Summary next to the plan, here, or in inputs/, whose SHA-256 is
    the one the Summary recorded; None when none is found."""
    if given is not None:
        return Path(given)
    name = str(plan.summary.get("input_file") or "").strip()
    sha = str(plan.summary.get("input_sha256") or "").strip().lower()
    if not name or not sha or Path(name).name != name:
        return None
    for folder in (plan.path.parent, Path("."), Path("inputs")):
        candidate = folder / name
        if candidate.is_file() and _sha256(candidate) == sha:
            return candidate
    return None


def _text(value) -> str:
    return "" if value is None else plain(value).strip()


def _rows(raw) -> dict:
    """sheet -> {key text: (record, {column: RawValue})} of a RawWorkbook."""
    out: dict = {}
    for name, table in raw.tables.items():
        rows: dict = {}
        key = table.sheet.key
        for rec in table.records:
            values = dict(rec.values)
            values.update(rec.wide)
            label = " / ".join(_text(values[k].value) if k in values else "" for k in key)
            label = label or str(rec.row)
            rows.setdefault(label, values)
        out[name] = rows
    return out


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
    return _text(a) == _text(b)


def diff_inputs(old_path, new_path) -> list:
    """Every cell that differs between two input workbooks, in the new workbook's sheet and
    row order (removed rows and sheets after). Raises NotAWorkbookError for a file that is
    not a workbook."""
    from ..inputs.read import read_workbook

    old, new = _rows(read_workbook(Path(old_path))), _rows(read_workbook(Path(new_path)))
    changes = []
    for sheet in list(new) + [s for s in old if s not in new]:
        a, b = old.get(sheet, {}), new.get(sheet, {})
        for label, values in b.items():
            if label not in a:
                first = next(iter(values.values()), None)
                changes.append(InputChange(sheet, label, "", first.cell if first else sheet,
                                           None, "added"))
                continue
            before = a[label]
            for column in list(values) + [c for c in before if c not in values]:
                v, w = before.get(column), values.get(column)
                if _same(v.value if v else None, w.value if w else None):
                    continue
                cell = (w or v).cell
                changes.append(InputChange(sheet, label, column, cell,
                                           v.value if v else None, w.value if w else None))
        for label, values in a.items():
            if label not in b:
                first = next(iter(values.values()), None)
                changes.append(InputChange(sheet, label, "", first.cell if first else sheet,
                                           "present", None))
    return changes


def shown(value) -> str:
    """A cell value as the planner typed it; blank: (blank)."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, float):
        from ..numbers import brief
        return brief(value) if abs(value) >= 1 else plain(value)
    return str(value)


def grouped_inputs(changes: list) -> list:
    """[(what, cells, old text, new text)]: the changes of one sheet column (budget of 20
    periods) folded into one line with totals, each other change on its own line."""
    by_column: dict = {}
    for c in changes:
        by_column.setdefault((c.sheet, c.column or f"row {c.row}"), []).append(c)
    out = []
    for (sheet, column), group in by_column.items():
        numbers = all(isinstance(x, (int, float)) for c in group for x in (c.old, c.new))
        if len(group) > 2 and numbers:
            first, last = group[0], group[-1]
            old, new = sum(c.old for c in group), sum(c.new for c in group)
            cells = f"{first.cell}…{last.cell.split('!')[-1]}"
            out.append((f"{sheet} {column}, {len(group)} rows ({first.row}–{last.row}), total",
                        cells, shown(old), shown(new)))
        else:
            out.extend((c.what, c.cell, shown(c.old), shown(c.new)) for c in group)
    return out
