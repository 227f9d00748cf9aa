"""Write an editable input workbook: the blank template and the bundled examples.

Everything here is driven by ``force_plan.contract.schema``: the sheets, their columns and their
order, the header comments (meaning, unit, default), the dropdowns and the number formats.
The workbook has a first ``README`` sheet for a planner who is not a programmer.

Content is plain data: ``{sheet name: [row dict, ...]}``.

- ``Settings`` rows are ``{"setting": key, "value": value}`` (a ``{key: value}`` mapping is
  accepted too). Every setting of the schema is written, in schema order; a setting not
  given gets a blank value, which means "use the default".
- Table sheets: one dict per row, keyed by column name; a missing key is a blank cell.
- Wide sheets (``Targets``, ``EquipmentTargets``): the id column, then one key per period
  label of the ``Periods`` rows.

Required sheets are always written (header only when the content has no rows); optional
sheets are written when the content names them.

The same content always gives the same cells, comments, dropdowns and styles; the file
itself is byte-for-byte stable for a given openpyxl version (it is saved like every file
force-plan writes: ``safe.save_output``, one fixed timestamp).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..numbers import literal, plain
from ..contract.schema import RECRUIT, SETTINGS, SETTINGS_BY_KEY, SHEETS, Column, Sheet
from ..xlsx.layout import DEFAULT_WIDTH, MIN_SCALE, PADDING, PAGE_WIDTH
from ..xlsx.save import FIXED_TIME, save_output, write_book

README = "README"
#: the width of the README's text column: with its label column, one landscape page
README_WIDTH = 128
AUTHOR = "force_plan"
#: Dropdowns and number checks cover rows 2..MIN_LAST_ROW (more if a sheet has more rows).
MIN_LAST_ROW = 1000

_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE_FONT = Font(bold=True, size=14)
_HEADING_FONT = Font(bold=True, size=11, color="1F4E78")
_WARNING_FONT = Font(bold=True, color="C00000")
_WRAP = Alignment(wrap_text=True, vertical="top")

_FMT_PERSONS = "#,##0"
_FMT_FRACTION = "0.0#%"
_FMT_MONEY = "#,##0.00##"
_FMT_TEXT = "@"
_COUNT_UNITS = ("persons", "systems", "seats")


# --------------------------------------------------------------------------- public API
def write_example(name: str, path, *, force: bool = False) -> None:
    """Write the example ``name`` ("blank", "small" or "baseline") to ``path``."""
    from . import examples

    ex = examples.example(name)
    write_workbook(path, ex.content, title=ex.title, notes=ex.notes,
                   illustrative=ex.illustrative, force=force)


def write_workbook(path, content: Mapping[str, Sequence], *, title: str = "Input workbook",
                   notes: Iterable[str] = (), illustrative: bool = False,
                   force: bool = False) -> None:
    """Write an input workbook from ``content`` to ``path`` (see ``safe.py``: an existing
    file is replaced only with ``force``).

    ``notes`` are extra README paragraphs; ``illustrative`` adds the statement that every
    figure is invented. Raises OutputError when the file cannot be written there.
    """
    wb = build_workbook(content, title=title, notes=notes, illustrative=illustrative)
    save_output(Path(path), lambda target: write_book(wb, target), force=force,
                what="input workbook", kind="input")


def build_workbook(content: Mapping[str, Sequence], *, title: str = "Input workbook",
                   notes: Iterable[str] = (), illustrative: bool = False) -> Workbook:
    """The openpyxl Workbook for ``content`` (see the module docstring)."""
    unknown = [name for name in content if name not in {s.name for s in SHEETS}]
    if unknown:
        raise ValueError(f"content names sheets that are not in the contract: {unknown}")
    settings = _settings_rows(content.get("Settings", ()))
    cost_unit = next((r["value"] for r in settings if r["setting"] == "cost_unit"
                      and r["value"] not in (None, "")), None)
    periods = [str(r["period"]) for r in content.get("Periods", ())]

    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = props.lastModifiedBy = AUTHOR
    props.title = title
    props.created = props.modified = FIXED_TIME

    written = [s for s in SHEETS if s.required or s.name in content]
    names = {s.name: len(content.get(s.name, ())) for s in written}  # sheet -> rows
    _write_readme(wb.create_sheet(README), title, notes, illustrative, written)
    for sheet in written:
        ws = wb.create_sheet(sheet.name)
        if sheet.layout == "settings":
            _write_settings(ws, sheet, settings)
        elif sheet.layout == "wide":
            _write_wide(ws, sheet, content.get(sheet.name, ()), periods, cost_unit, names)
        else:
            _write_table(ws, sheet, content.get(sheet.name, ()), cost_unit, names)
    return wb


# --------------------------------------------------------------------------- README
def _readme_sections(title, notes, illustrative, sheets):
    """(kind, label, text) lines of the README sheet; kind: title|warning|heading|row|text."""
    out = [("title", f"force_plan input workbook — {title}", "")]
    if illustrative:
        out.append(("warning", "ILLUSTRATIVE",
                    "Every figure in this workbook is illustrative: invented for demonstration, "
                    "at most loosely scaled on public order-of-magnitude facts. It is not data "
                    "about any armed force. Replace it with your own figures before planning."))
    out += [
        ("heading", "What this is", ""),
        ("text", "", "This workbook is the input of force_plan, a planner for sustaining a "
         "trained and equipped force: who to recruit and train, on which course and at which "
         "site, which specialists to convert, what equipment to order from whom, within the "
         "budget, the seats, the instructors and the force cap. You edit the sheets; "
         "force_plan finds the best plan and writes it to a separate plan workbook. It never "
         "writes into this file."),
        ("heading", "How to use it", ""),
        ("row", "1. Edit", "Change the yellow cells, add rows below the existing ones (one "
         "record per row), delete rows you do not need. Point at a column header to read what "
         "the column means, its unit and its default."),
        ("row", "2. Validate", "In a terminal: force-plan validate this-file.xlsx — it lists "
         "every problem at once, each as Sheet!Cell: what is wrong — how to fix it."),
        ("row", "3. Solve", "force-plan solve this-file.xlsx — writes the plan workbook "
         "outputs/this-file-plan.xlsx (or the file named with -o): training, strength, "
         "equipment, budget, bottlenecks and checks."),
        ("row", "New template", "force-plan template new.xlsx writes a fresh copy of this "
         "template; add --example small or --example baseline for a filled-in example."),
        ("heading", "Cells", ""),
        ("row", "Headers", "Row 1 of every sheet holds the column names. Keep them as they "
         "are (upper/lower case and surrounding spaces do not matter). Columns may be in any "
         "order; a column or sheet force_plan does not know is reported as a warning and "
         "ignored, so you may keep notes in sheets of your own."),
        ("row", "Blank cells", "A blank cell means the default shown in the header comment, "
         "or 'no limit' where the comment says so; a blank in a required column is an error. "
         "An optional column may be deleted altogether: the same as all its cells blank. "
         "Blank rows are skipped."),
        ("row", "Zero", "0 is a value, never a blank: a target of 0 requires zero persons, a "
         "maximum of 0 allows none."),
        ("row", "Numbers", "Numeric columns need numbers, not text such as '1,000' or 'ten'. "
         "A percentage cell counts as its fraction (8% = 0.08). A formula is read by the value "
         "the spreadsheet program saved with it."),
        ("row", "Names", "Names of categories, courses, sites, equipment and periods are "
         "text, unique within their sheet ignoring case. A reference must match a name "
         "(ignoring case). A period typed as 2027 is the text 2027."),
        ("heading", "Units", ""),
        ("row", "Persons", "counts of people (strength, targets, starts, seats, crews)."),
        ("row", "Money", "in the cost_unit of the Settings sheet, e.g. USD million; yearly "
         "amounts (pay, sustainment) are per year and force_plan converts them to each period."),
        ("row", "Rates", "annual fractions: 0.08 (8%) of the strength lost per year."),
        ("row", "Durations", "course lengths and lead times in months."),
        ("row", "Periods", "every period lasts period_months (Settings): 1, 3, 6 or 12 months. "
         "The Periods sheet lists them in time order; Targets and EquipmentTargets have one "
         "column per period, headed with the same label. When you add a period, add its "
         "column there too."),
        ("heading", "RECRUIT", ""),
        ("text", "", f"{RECRUIT} is a reserved word, not a category. A course whose 'from' is "
         f"{RECRUIT} takes new entrants (limited by recruits_available on the Periods sheet). "
         f"The dropdown in the 'from' column lists the categories only; type {RECRUIT} into "
         "the cell (the spreadsheet warns that it is not in the list: accept it). No category "
         f"may be named {RECRUIT}."),
        ("heading", "Dropdowns", ""),
        ("text", "", "Columns that name a row of another sheet (a category, course, site, "
         "equipment or period) offer a dropdown of that sheet's names; a name that is not "
         "there yet gets a warning you may accept, and force-plan validate has the last word. "
         "Numeric cells refuse text and values outside their allowed range."),
        ("heading", "Sheets", ""),
    ]
    for s in sheets:
        need = "required" if s.required else "optional"
        cols = ", ".join(s.column_names)
        if s.layout == "wide":
            cols += ", then one column per period label"
        out.append(("row", s.name, f"({need}) {_sentence(s.meaning)} Columns: {cols}."))
    notes = list(notes)
    if notes:
        out.append(("heading", "About this workbook", ""))
        out += [("text", "", n) for n in notes]
    return out


def _write_readme(ws, title, notes, illustrative, sheets) -> None:
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = README_WIDTH
    row = 1
    for kind, label, text in _readme_sections(title, notes, illustrative, sheets):
        if kind == "title":
            ws.cell(row, 1, label).font = _TITLE_FONT
        elif kind == "heading":
            row += 1  # a blank line before each heading
            ws.cell(row, 1, label).font = _HEADING_FONT
        else:
            if label:
                ws.cell(row, 1, label).font = _WARNING_FONT if kind == "warning" else Font(
                    bold=True)
                ws.cell(row, 1).alignment = _WRAP
            c = ws.cell(row, 2, text)
            c.alignment = _WRAP
            if kind == "warning":
                c.font = _WARNING_FONT
            ws.row_dimensions[row].height = 15 * max(1, -(-len(text) // (README_WIDTH - 8)))
        row += 1
    ws.sheet_view.showGridLines = False
    _print_setup(ws, None)


def _print_setup(ws, title_rows: str | None = "1:1") -> None:
    """A4 landscape, one page wide (more, the first column repeated, for a sheet too wide
    to print at MIN_SCALE), ``title_rows`` repeated on every page, a footer naming the
    sheet and the page."""
    width = sum((ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH) + PADDING
                for c in range(1, ws.max_column + 1))
    across = max(1, math.ceil(width * MIN_SCALE / PAGE_WIDTH - 1e-9))
    setup = ws.page_setup
    setup.orientation, setup.paperSize = "landscape", ws.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = across, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
        ws.print_title_cols = "A:A"
    ws.oddFooter.center.text = "&A — page &P of &N"


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# --------------------------------------------------------------------------- Settings
def _settings_rows(rows) -> list[dict]:
    """Every setting of the schema in schema order, with the value given (or blank)."""
    if isinstance(rows, Mapping):
        given = dict(rows)
    else:
        given = {r["setting"]: r.get("value") for r in rows}
    unknown = [k for k in given if k not in SETTINGS_BY_KEY]
    if unknown:
        raise ValueError(f"unknown settings: {unknown}")
    return [{"setting": s.key, "value": given.get(s.key)} for s in SETTINGS]


def _write_settings(ws, sheet: Sheet, rows: list[dict]) -> None:
    _write_header(ws, sheet.columns, None)
    setting, value = sheet.columns
    ws["A1"].comment = _comment(f"{setting.name}\n{_sentence(setting.meaning)}\nRequired. "
                                "Point at a setting name to read what it means and its "
                                "default.")
    ws["B1"].comment = _comment(f"{value.name}\n{_sentence(value.meaning)}\nA blank value "
                                "means the setting's default.")
    last = max(MIN_LAST_ROW, len(rows) + 1)
    key_dv = _list_validation(",".join(s.key for s in SETTINGS), "setting",
                              "Choose one of the setting names.")
    key_dv.add(f"A2:A{last}")
    ws.add_data_validation(key_dv)
    for i, r in enumerate(rows, start=2):
        s = SETTINGS_BY_KEY[r["setting"]]
        ws.cell(i, 1, s.key)
        ws.cell(i, 1).comment = _comment(_setting_text(s))
        _input_style(ws.cell(i, 1), _FMT_TEXT)
        c = ws.cell(i, 2, r["value"])
        _input_style(c, _setting_format(s))
        choices = {"choice": s.choices, "yesno": ("yes", "no")}.get(s.kind, ())
        if choices:
            dv = _list_validation(",".join(str(x) for x in choices), s.key,
                                  f"{s.key} is one of: {', '.join(str(x) for x in choices)}.")
            dv.add(c.coordinate)
            ws.add_data_validation(dv)
        elif s.kind in ("number", "integer"):
            dv = _number_validation(s)
            if dv is not None:
                dv.add(c.coordinate)
                ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = max(len(s.key) for s in SETTINGS) + 4
    ws.column_dimensions["B"].width = max(
        [24] + [len(str(r["value"])) + 4 for r in rows if r["value"] is not None])
    ws.freeze_panes = "A2"
    _print_setup(ws)


def _setting_text(s) -> str:
    lines = [s.key, _sentence(s.meaning)]
    if s.unit:
        lines.append(f"Unit: {s.unit}.")
    lines.append(_sentence(s.default_text()))
    if s.kind == "choice":
        lines.append("Choices: " + ", ".join(str(c) for c in s.choices) + ".")
    elif s.kind == "yesno":
        lines.append("Choices: yes, no.")
    return "\n".join(lines)


def _setting_format(s) -> str:
    if s.unit == "persons":
        return _FMT_PERSONS
    if s.kind == "text":
        return _FMT_TEXT
    return "General"


# --------------------------------------------------------------------------- tables
def _write_table(ws, sheet: Sheet, rows, cost_unit, names) -> None:
    columns = sheet.columns
    _check_keys(sheet, rows, sheet.column_names)
    _write_header(ws, columns, cost_unit)
    for i, r in enumerate(rows, start=2):
        for j, col in enumerate(columns, start=1):
            _input_style(ws.cell(i, j, _cell_value(col, r.get(col.name))), _column_format(col))
    last = max(MIN_LAST_ROW, len(rows) + 1)
    for j, col in enumerate(columns, start=1):
        _column_validation(ws, col, f"{get_column_letter(j)}2:{get_column_letter(j)}{last}",
                           names)
    _widths(ws, [c.name for c in columns], rows, [c.name for c in columns])
    ws.freeze_panes = "A2"
    _print_setup(ws)


def _write_wide(ws, sheet: Sheet, rows, periods, cost_unit, names) -> None:
    id_col = sheet.columns[0]
    keys = [id_col.name] + periods
    _check_keys(sheet, rows, keys)
    value_cols = [_period_column(sheet.value, p) for p in periods]
    _write_header(ws, [id_col] + value_cols, cost_unit)
    for i, r in enumerate(rows, start=2):
        _input_style(ws.cell(i, 1, r.get(id_col.name)), _FMT_TEXT)
        for j, p in enumerate(periods, start=2):
            _input_style(ws.cell(i, j, r.get(p)), _column_format(sheet.value))
    last = max(MIN_LAST_ROW, len(rows) + 1)
    _column_validation(ws, id_col, f"A2:A{last}", names)
    if periods:
        end = get_column_letter(len(periods) + 1)
        _column_validation(ws, sheet.value, f"B2:{end}{last}", names)
    _widths(ws, keys, rows, keys)
    ws.freeze_panes = "B2"
    _print_setup(ws)


def _period_column(value: Column, label: str) -> Column:
    """The header of one period column of a wide sheet, described like a column."""
    return Column(label, value.kind, f"{value.meaning} in period {label}", unit=value.unit,
                  blank="period", minimum=value.minimum)


def _check_keys(sheet: Sheet, rows, allowed) -> None:
    allowed = set(allowed)
    for r in rows:
        extra = [k for k in r if k not in allowed]
        if extra:
            raise ValueError(f"{sheet.name} row {r} has keys that are not its columns: {extra}")


def _cell_value(col: Column, value):
    """Identifiers and period labels are written as text (2027 → "2027")."""
    if value is not None and col.kind in ("id", "ref", "period", "text") and not isinstance(
            value, str):
        return str(value)
    return value


def _write_header(ws, columns: Sequence[Column], cost_unit) -> None:
    for j, col in enumerate(columns, start=1):
        c = ws.cell(1, j, col.name)
        c.font = _HEADER_FONT
        c.fill = _HEADER_FILL
        c.border = _BORDER
        c.alignment = Alignment(horizontal="center", vertical="center")
        c.comment = _comment(header_text(col, cost_unit))


def header_text(col: Column, cost_unit=None) -> str:
    """The header comment of a column: meaning, unit, default, range, reference."""
    lines = [col.name, _sentence(col.meaning)]
    if col.unit:
        unit = col.unit
        if "cost_unit" in unit:
            unit = (f"{unit.replace('cost_unit', cost_unit)} (the cost_unit of Settings)"
                    if cost_unit else f"{unit} (see Settings)")
        lines.append(f"Unit: {unit}.")
    default = col.default_text()
    if col.blank == "period":  # a period column of a wide sheet
        default = "blank = no requirement in this period"
    elif col.default == "from priority":
        default += " (blank = 10^(1 − priority): priority 1 → 1, 2 → 0.1, 3 → 0.01)"
    elif col.blank == "none" and col.kind == "number":
        default += " (" + _BLANK_NONE.get(col.name, "no value") + ")"
    lines.append(_sentence(default))
    if col.range_text():
        lines.append(f"Allowed: {col.range_text()}.")
    if col.kind == "integer":
        lines.append("A whole number.")
    if col.choices:
        lines.append("Choices: " + ", ".join(str(c) for c in col.choices) + ".")
    if col.ref:
        lines.append(f"Must match a name on the {col.ref} sheet (dropdown).")
    if col.allow_recruit:
        lines.append(f"Or {RECRUIT}: new entrants (type it; accept the warning).")
    if col.requires:
        lines.append(f"Required when {col.requires} is filled.")
    return "\n".join(lines)


#: what a blank means for numeric columns whose schema blank is "none"
_BLANK_NONE = {"cost_per_start": "the course's own cost_per_start applies",
               "starts_per_instructor": "no instructor limit",
               "crew_per_system": "no crew needed"}


def _comment(text: str) -> Comment:
    lines = sum(1 + len(line) // 45 for line in text.split("\n"))
    return Comment(text, AUTHOR, height=20 + 15 * lines, width=320)


# --------------------------------------------------------------------------- validation
def _list_validation(formula: str, title: str, message: str, quoted=True) -> DataValidation:
    dv = DataValidation(type="list", formula1=f'"{formula}"' if quoted else formula,
                        allow_blank=True, errorStyle="warning", showErrorMessage=True)
    dv.errorTitle = title[:32]
    dv.error = message[:255]
    return dv


def _column_validation(ws, col: Column, cells: str, names) -> None:
    dv = None
    if col.ref and col.ref in names:
        ref = next(s for s in SHEETS if s.name == col.ref)
        id_index = next(i for i, c in enumerate(ref.columns, start=1) if c.kind == "id")
        letter = get_column_letter(id_index)
        message = f"Not a name on the {col.ref} sheet (yet)."
        if col.allow_recruit:
            message += f" {RECRUIT} (new entrants) is allowed here: accept it."
        end = max(MIN_LAST_ROW, names[col.ref] + 1)
        dv = _list_validation(f"{col.ref}!${letter}$2:${letter}${end}", col.name,
                              message, quoted=False)
    elif col.kind == "choice":
        dv = _list_validation(",".join(str(c) for c in col.choices), col.name,
                              f"{col.name} is one of: {', '.join(map(str, col.choices))}.")
    elif col.kind in ("number", "integer"):
        dv = _number_validation(col)
    if dv is not None:
        dv.add(cells)
        ws.add_data_validation(dv)


def _number_validation(col) -> DataValidation | None:
    """A stop-style check of numeric cells (bounds inclusive; the validator is exact)."""
    kind = "whole" if col.kind == "integer" else "decimal"
    lo, hi = col.minimum, col.maximum
    if lo is not None and hi is not None:
        dv = DataValidation(type=kind, operator="between", formula1=literal(lo),
                            formula2=literal(hi))
        what = f"a number from {plain(lo)} to {plain(hi)}"
    elif lo is not None:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=literal(lo))
        what = f"a number of at least {plain(lo)}"
    else:
        return None
    if kind == "whole":
        what = what.replace("a number", "a whole number")
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = col.name[:32] if hasattr(col, "name") else col.key[:32]
    dv.error = f"Type {what}, or leave the cell blank."
    return dv


# --------------------------------------------------------------------------- styles
def _column_format(col: Column) -> str:
    if col.kind in ("id", "ref", "period", "text", "choice"):
        return _FMT_TEXT
    unit = col.unit or ""
    if unit.startswith("fraction"):
        return _FMT_FRACTION
    if "cost_unit" in unit:
        return _FMT_MONEY
    if unit in _COUNT_UNITS:
        return _FMT_PERSONS
    return "General"


def _input_style(cell, number_format: str) -> None:
    cell.fill = _INPUT_FILL
    cell.border = _BORDER
    cell.number_format = number_format


def _widths(ws, headers, rows, keys) -> None:
    for j, (head, key) in enumerate(zip(headers, keys), start=1):
        longest = max([len(str(head)) + 4] + [len(_shown(r.get(key))) + 2 for r in rows])
        ws.column_dimensions[get_column_letter(j)].width = min(45, max(10, longest))


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)
