"""force-plan brief: a two-page HTML account of a plan (and, with --against, of a change).

Enters: a plan workbook written by ``force-plan solve`` (read with compare.py's guarded
reader: Summary key/value, Data, Bottlenecks and, when present, Sustainment) and, when it
can be found with the SHA-256 the Summary recorded (``inputdiff.find_input``), its input
workbook. Leaves: one self-contained HTML page (inline CSS and SVG, no script, no link to
anything) that prints to at most two A4 pages.

Sections: headline; strength and readiness by weapons category; the five limits that
matter most, one sentence each (ranked as limits.py says); the partner menu; with
--against, what changed in the inputs and the largest consequences, each traced to the
limits that moved. Without the input workbook the brief still prints, from the plan alone
(per category instead of per weapons category; no provider for sites).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pandas as pd

from . import brief_svg
from .compare import PlanFile, read_plan_file
from ..errors import ForcePlanError, OutputError
from .inputdiff import diff_inputs, find_input, shown
from .limits import Limit, group_by_cell, read_bindings, read_gains
from ..results.limits import sentence
from ..numbers import MISSING

TOP_LIMITS = 5
TOP_CHANGES = 6


@dataclass
class Side:
    """One plan, with what could be learnt about it."""

    file: PlanFile
    input: Path | None
    inputs: object = None  # Inputs when the input was found
    headline: object = None  # headline.Headline when the input was found
    limits: list = field(default_factory=list)  # [Limit], ranked
    #: {(input cell or range, level): who gains}, from the sheet's one-row-per-limit block
    gains: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        return str(self.file.summary.get("status") or "unknown").replace("_", " ")


def load_side(path, input_path=None) -> Side:
    from ..results.headline import compute
    from ..inputs.load import load_inputs

    file = read_plan_file(path)
    side = Side(file, find_input(file, input_path))
    rows = file.sheets.get("bottlenecks", [])
    side.limits = group_by_cell(read_bindings(rows))
    side.gains = read_gains(rows)
    if side.input is not None:
        try:
            side.inputs = load_inputs(side.input)
        except ForcePlanError:  # no longer valid (a stricter force_plan): the plan alone
            side.input = None
            return side
        if list(side.inputs.period_labels) == list(file.periods) or not file.periods:
            side.headline = compute(side.inputs, frame(file))
    return side


def frame(file: PlanFile) -> pd.DataFrame:
    rows = [(*k, v) for k, v in file.data.items()]
    return pd.DataFrame(rows, columns=["quantity", "item", "where", "period", "value"])


# --------------------------------------------------------------------------- words
def n(x) -> str:
    """A count of persons or systems: whole."""
    return MISSING if x is None else f"{x:,.0f}"


def pct(x) -> str:
    return MISSING if x is None else f"{x:.0%}"


def _gainer(inputs, cell: str) -> str:
    """Who gains from one more unit of the limit in ``cell`` (input row → category,
    equipment or course); '' when it is the whole force or unknown."""
    if inputs is None or "!" not in cell:
        return ""
    sheet, ref = cell.split("!", 1)
    if sheet.strip().lower() in ("periods", "settings"):
        return "the whole force"
    row = sheet + "!" + "".join(ch for ch in ref if ch.isdigit())
    wc = {c.name: c.weapons_category for c in inputs.categories}
    eq = {e.name: e.weapons_category for e in inputs.equipment or ()}
    for s in inputs.sources or ():
        if s.row == row:
            return f"{s.equipment} ({eq.get(s.equipment, '')})"
    for k in inputs.courses:
        if k.row == row:
            return f"{k.to_category} ({wc.get(k.to_category, '')})"
    for c in inputs.categories:
        if c.row == row:
            return f"{c.name} ({c.weapons_category})"
    for site in inputs.sites or ():
        if site.row == row:
            courses = {cs.course for cs in inputs.course_sites or () if cs.site == site.name}
            gain = sorted({k.to_category for k in inputs.courses if k.name in courses})
            more = f" and {len(gain) - 2} more" if len(gain) > 2 else ""
            return ", ".join(gain[:2]) + more
    for t in list(inputs.targets) + list(inputs.equipment_targets or ()):
        if t.cell and t.cell.split("!")[0] == sheet and _row_of(t.cell) == _row_of(cell):
            kind = wc.get(t.item) or eq.get(t.item)
            return f"{t.item} ({kind})" if kind else t.item
    return ""


def _row_of(cell: str) -> str:
    return "".join(ch for ch in cell.split("!", 1)[-1] if ch.isdigit())


def limit_sentence(g: Limit, side: Side) -> str:
    cell = f" <code>{escape(g.where)}</code>" if g.cell else ""
    who = side.gains.get((g.where, g.level)) or _gainer(side.inputs, g.cell)
    return sentence(g, side.file.periods, cell=cell, who=who,
                    esc=escape)


# --------------------------------------------------------------------------- sections
def headline_items(side: Side) -> list:
    s, h = side.file.summary, side.headline
    items = [f"<strong>Status:</strong> {escape(side.status)}"
             f" ({escape(str(s.get('solver') or ''))})"]
    if h is not None:
        cap = (f"force cap {n(h.force_cap)} ({pct(h.total_force / h.force_cap)} of it)"
               if h.force_cap else "no force cap")
        items.append(f"<strong>End strength {escape(h.end_period)}:</strong> {n(h.trained)} "
                     f"trained + {n(h.in_training)} in training = {n(h.total_force)} against "
                     f"a target of {n(h.target)}; {cap}; peak {n(h.peak_force)} in "
                     f"{escape(h.peak_period)}.")
    else:
        items.append(f"<strong>Shortfall over the plan:</strong> "
                     f"{n(_num(s.get('total_shortfall')))} person-periods (the input workbook "
                     f"{escape(str(s.get('input_file') or ''))} was not found beside the plan, "
                     "so strength is shown per category).")
    sustain = sustainment_line(side.file)
    if sustain:
        items.append(f"<strong>Sustainable:</strong> {escape(sustain)}")
    unit = escape(str(s.get("cost_unit") or ""))
    b = h.budget if h is not None else None
    if b is not None:
        items.append(f"<strong>Cost:</strong> {n(b.spent)} of a budget of {n(b.available)} "
                     f"{unit} ({pct(b.used)}) in the {len(b.periods)} budgeted periods; "
                     f"highest use {pct(b.highest_use)} in {escape(b.highest_use_period)}; "
                     f"total cost {n(h.total_cost)} {unit}.")
    else:
        items.append(f"<strong>Cost:</strong> {n(_num(s.get('total_cost')))} {unit}"
                     + (" (no budget set)." if h is not None else "."))
    if h is not None:
        items.append(f"<strong>Shortfall:</strong> {n(h.shortfall_total)} person-periods over "
                     f"the plan; {n(h.equipment_short_total)} system-periods of equipment.")
    return items


def _num(x):
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def sustainment_line(file: PlanFile) -> str:
    """What the Sustainment sheet says about whether the force can be held ('' when the
    plan has no such sheet or it says nothing recognisable)."""
    rows = file.sheets.get("sustainment") or []
    for row in rows:
        cells = [x for x in row if x not in (None, "")]
        if len(cells) >= 2 and str(cells[0]).strip().lower() in ("sustainable", "status",
                                                                   "steady state"):
            return f"{cells[1]}" + (f" — {cells[2]}" if len(cells) > 2 else "")
    for row in rows:
        for x in row:
            if isinstance(x, str) and "sustain" in x.lower() and len(x) > 25:
                return x.strip()
    return ""


def strength_rows(side: Side) -> list:
    """[(label, trained, target, short at end, strength share, operational, eq target)]."""
    h, file = side.headline, side.file
    end = file.periods[-1] if file.periods else ""
    if h is None or side.inputs is None:
        rows = []
        for (q, item, _w, p), v in file.data.items():
            if q == "strength" and p == end:
                short = file.data.get(("shortfall", item, "", end), 0.0)
                rows.append((item, v, None, short, None, None, None))
        return rows
    trained, target = {}, {}
    targets = {x.item: x.value for x in side.inputs.targets if x.period == side.inputs.T - 1}
    for c in side.inputs.categories:
        w = c.weapons_category
        trained[w] = trained.get(w, 0.0) + file.data.get(("strength", c.name, "", end), 0.0)
        if c.name in targets:
            target[w] = target.get(w, 0.0) + targets[c.name]
    out = []
    for w in list(trained) + [w for w in h.readiness if w not in trained]:
        op, eq_target = h.readiness.get(w, (None, None))
        t = target.get(w)
        out.append((w, trained.get(w), t, h.shortfall_end_by_weapons.get(w),
                    None if not t else min(trained.get(w, 0.0), t) / t, op, eq_target))
    return out


def partner_rows(side: Side) -> list:
    """[(kind, name, provider, total)]: starts at sites whose provider is not domestic, and
    orders from sources that are not domestic production, over the plan."""
    starts, orders = {}, {}
    for (q, item, where, _p), v in side.file.data.items():
        if q == "starts" and where:
            starts[where] = starts.get(where, 0.0) + v
        elif q == "acquisitions" and where:
            orders[(where, item)] = orders.get((where, item), 0.0) + v
    rows = []
    if side.inputs is not None and side.inputs.sites:
        for site in side.inputs.sites:
            if "domestic" not in site.provider.lower() and starts.get(site.name, 0) > 0.5:
                rows.append(("starts", site.name, site.provider, starts[site.name]))
    elif side.inputs is None:
        rows += [("starts", site, MISSING, v) for site, v in starts.items() if v > 0.5]
    for (src, item), v in orders.items():
        if "domestic" not in src.lower() and v > 0.5:
            rows.append(("orders", f"{item}", src, v))
    return rows


# --------------------------------------------------------------------------- HTML
CSS = """
@page { size: A4; margin: 11mm 12mm; }
* { box-sizing: border-box; }
body { font: 8.6pt/1.3 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto;
       max-width: 186mm; }
h1 { font-size: 13pt; margin: 0 0 1mm; } h2 { font-size: 10.5pt; margin: 2.5mm 0 1mm;
  border-bottom: 1px solid #1f4e79; color: #1f4e79; }
p, ul, ol { margin: 0.8mm 0; } ul, ol { padding-left: 5mm; } li { margin: 0.4mm 0; }
.meta { color: #444; font-size: 7.5pt; overflow-wrap: anywhere; }
section { break-inside: auto; overflow: hidden; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 7.6pt; }
caption { text-align: left; font-weight: bold; font-size: 8pt; padding: 0.5mm 0; }
th, td { border-bottom: 1px solid #ccc; padding: 0.3mm 1mm; text-align: right;
         overflow-wrap: break-word; vertical-align: top; }
thead th:first-child { width: 30%; } td:not(.text) { white-space: nowrap; }
h2, h3, caption { break-after: avoid; }
th[scope=row], td.text, th.text { text-align: left; }
thead th { background: #dde7f1; }
.two { display: flex; gap: 3mm; align-items: flex-start; }
.two > * { flex: 1 1 0; min-width: 0; } .two > .wide { flex: 2.1 1 0; }
table, svg { break-inside: avoid; }
.worse { color: #b00000; } .better { color: #1a6e1a; }
code { font-size: 7.2pt; background: #f1f1f1; padding: 0 0.6mm; }
h3 { font-size: 9pt; margin: 1.5mm 0 0.5mm; }
.note { color: #555; font-size: 7.2pt; }
"""


def _table(caption: str, head: list, rows: list, text_cols=(0,)) -> str:
    out = [f"<table><caption>{escape(caption)}</caption><thead><tr>"]
    for j, h in enumerate(head):
        cls = ' class="text"' if j in text_cols else ""
        out.append(f'<th scope="col"{cls}>{escape(h)}</th>')
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for j, cell in enumerate(row):
            if j == 0:
                out.append(f'<th scope="row">{cell}</th>')
            else:
                cls = ' class="text"' if j in text_cols else ""
                out.append(f"<td{cls}>{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _section(key: str, title: str, body: str) -> str:
    return (f'<section id="{key}" aria-labelledby="{key}-h"><h2 id="{key}-h">{escape(title)}'
            f"</h2>\n{body}\n</section>")


def render(side: Side, old: Side | None = None) -> str:
    from .brief_change import change_section  # the --against part

    s = side.file.summary
    name = str(s.get("plan_name") or side.file.path.stem)
    meta = (f"Plan {escape(side.file.path.name)} · input {escape(str(s.get('input_file')))}"
            f"{'' if side.input else ' (not found: figures from the plan alone)'} · "
            f"{escape(str(s.get('solver') or ''))} · force_plan "
            f"{escape(str(s.get('force_plan_version') or ''))}")
    parts = [f"<header><h1>Plan brief: {escape(name)}</h1><p class=\"meta\">{meta}</p>"
             "</header>"]
    parts.append(_section("headline", "Headline", "<ul>" + "".join(
        f"<li>{x}</li>" for x in headline_items(side)) + "</ul>" + trend_html(side)))
    parts.append(_section("strength", "Strength and readiness by weapons category"
                          if side.headline else "Strength per category at the end",
                          strength_html(side)))
    parts.append(_section("limits", "What limits the plan", limits_html(side)))
    parts.append(_section("partners", "Partner menu used", partners_html(side)))
    if old is not None:
        parts.append(_section("changes", f"What changed against {old.file.path.name}",
                              change_section(old, side)))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Plan brief: {escape(name)}</title>"
            "<meta name=\"viewport\" content=\"width=device-width\">"
            "<meta name=\"generator\" content=\"force-plan brief\">"
            f"<style>{CSS}</style></head><body><main>\n" + "\n".join(parts)
            + "\n</main></body></html>\n")


def trend_html(side: Side) -> str:
    """Two small charts: the force per period against its cap, the cost against the budget
    ('' without the input workbook, which holds the caps and budgets)."""
    inputs, file = side.inputs, side.file
    if side.headline is None:
        return ""
    labels = list(inputs.period_labels)
    force = [sum(v for (q, _i, _w, p), v in file.data.items()
                 if p == label and q in ("strength", "in_training")) for label in labels]
    cost = [file.data.get(("cost", "total", "", label), 0.0) for label in labels]
    unit = str(file.summary.get("cost_unit") or "")
    charts = [brief_svg.series(force, [inputs.force_cap(t) for t in range(inputs.T)], labels,
                               "Force (trained + in training); dashed: force cap", "persons"),
              brief_svg.series(cost, [p.budget for p in inputs.periods], labels,
                               "Cost per period; dashed: budget", unit)]
    return '<div class="two">' + "".join(f"<div>{c}</div>" for c in charts if c) + "</div>"


def strength_html(side: Side) -> str:
    rows = strength_rows(side)
    end = side.file.periods[-1] if side.file.periods else ""
    if side.headline is None:
        rows.sort(key=lambda r: -(r[3] or 0))
        body = [(escape(r[0]), n(r[1]), n(r[3])) for r in rows[:14]]
        return _table(f"Trained strength and shortfall at the end ({end}), largest shortfall "
                      "first", ["category", "trained", "short"], body)
    body = [(escape(w), n(t), n(tg), n(sh), pct(share),
             n(op) if op is not None else MISSING,
             pct(op / et) if op is not None and et else MISSING)
            for w, t, tg, sh, share, op, et in rows]
    table = _table(f"At the end ({end}); persons and systems", [
        "weapons category", "trained", "target", "short", "filled", "systems", "ready"],
        body)
    chart = brief_svg.share_bars(
        [(w, share, (op / et) if op is not None and et else None)
         for w, _t, _tg, _sh, share, op, et in rows],
        f"Strength and operational equipment as a share of target, {end}")
    return f'<div class="two"><div class="wide">{table}</div><div>{chart}</div></div>'


def limits_html(side: Side) -> str:
    if not side.limits:
        return "<p>No limit binds with a value: nothing in the inputs holds the plan back.</p>"
    items = "".join(f"<li>{limit_sentence(g, side)}</li>" for g in side.limits[:TOP_LIMITS])
    more = len(side.limits) - TOP_LIMITS
    note = ("<p class=\"note\">Grouped by input cell from the Bottlenecks sheet; ranked by "
            "objective level, then by what relaxing each limit would buy in all (value per "
            "unit × the limit, summed over the periods it binds)"
            + (f"; {more} more limits bind." if more > 0 else ".") + "</p>")
    return f"<ol>{items}</ol>{note}"


def partners_html(side: Side) -> str:
    rows = partner_rows(side)
    if not rows:
        return "<p>No partner site or source is used.</p>"
    tables = []
    for kind, caption, head in (
            ("starts", "Starts at partner sites, over the plan",
             ["site", "provider", "starts"]),
            ("orders", "Orders from partner and purchase sources, over the plan",
             ["equipment", "source", "systems"])):
        picked = sorted((r for r in rows if r[0] == kind), key=lambda r: -r[3])
        if side.inputs is None and kind == "starts":
            caption = "Starts per site (providers unknown without the input workbook)"
        if not picked:
            tables.append(f"<p>No {kind} from partners.</p>")
            continue
        more = f" ({len(picked) - 6} more in the plan workbook)" if len(picked) > 6 else ""
        body = [(escape(name), escape(provider), n(v)) for _k, name, provider, v in picked[:6]]
        tables.append(_table(caption + more, head, body, text_cols=(0, 1)))
    return '<div class="two">' + "".join(f"<div>{t}</div>" for t in tables) + "</div>"


def write_brief(plan_path, out_path, against=None, inputs=(None, None), *,
                force: bool = False) -> Path:
    """Write the brief of ``plan_path`` (against ``against`` when given) to ``out_path``
    under the output rules (xlsx/save.py): never over a plan or input it reads, nor
    over a file force-plan did not write unless ``force``."""
    from ..xlsx.save import check_output_path, save_output

    out = Path(out_path)
    sources = [s for s in (plan_path, against, *inputs) if s is not None]
    for source in sources:
        if out.exists() and out.resolve() == Path(source).resolve():
            raise OutputError(f"{out} is a file the brief reads; force-plan never writes into "
                              "its input — choose another name for the brief (-o).")
    check_output_path(out, sources, force, "brief")
    side = load_side(plan_path, inputs[1])
    old = load_side(against, inputs[0]) if against is not None else None
    html = render(side, old)
    return save_output(out, lambda target: target.write_text(html, encoding="utf-8"),
                       inputs=sources, force=force, what="brief", pack=False)


def input_changes(old: Side, new: Side) -> list | None:
    """The input differences of two plans, or None when either input was not found."""
    if old.input is None or new.input is None:
        return None
    return diff_inputs(old.input, new.input)


__all__ = ["write_brief", "render", "load_side", "shown"]
