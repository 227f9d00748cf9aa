"""Compare the plan workbook of this tree with the one an earlier commit writes, cell by cell.

    python tests/compare_writers.py                       # against 4f3a241, both instances
    python tests/compare_writers.py --ref main --instances baseline

For each instance (the bundled baseline, and a generated 40-category workbook) the plan is
solved once here; the very same Results are written by this tree and, in a fresh process,
by the package as it was at ``--ref`` (extracted with ``git archive``, nothing committed).
Both files are read back with openpyxl and compared: every cell's value, type, formula,
number format, font (bold, italic, size, colour), fill and alignment; column widths,
freeze panes, filters, tables, conditional formats, comments (text and author) and merged
cells, print titles; charts by meaning (their anchors, titles, types, series names and
ranges, dashes, axes and legend: two writers spell the same chart differently). Prints
each difference and exits 1 if any.
"""
from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
OLD_WRITE = ("import pickle, sys; from force_plan.xlsx.plan import write_plan; "
             "r = pickle.load(open(sys.argv[1], 'rb')); write_plan(r, sys.argv[2], force=True)")


def instance(name: str, folder: Path) -> Path:
    if name == "baseline":
        return ROOT / "inputs" / "baseline.xlsx"
    from force_plan.authoring.generate import generate

    return generate(folder / f"{name}.xlsx", name.replace("c", ""), 1, force=True)


def results_of(path: Path):
    from force_plan.pipeline import solve_plan
    from force_plan.inputs.load import load_inputs

    results = solve_plan(load_inputs(path))
    results.timings = {"read": 1.0, "build": 1.0, "solve level 1": 1.0}  # the same in both
    results.peak_memory_mb = 100.0
    return results


def old_tree(ref: str, folder: Path) -> Path:
    archive = folder / "old.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref, "force_plan"],
                   check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "old", filter="data")
    return folder / "old"


def _rgb(color) -> str | None:
    value = getattr(color, "rgb", None)
    return value[-6:].upper() if isinstance(value, str) else None


def cell_facts(c) -> tuple:
    f, fill, al = c.font, c.fill, c.alignment
    return (c.value, c.data_type, c.number_format,
            (bool(f.b), bool(f.i), float(f.sz or 11), _rgb(f.color)),
            (fill.fill_type, _rgb(fill.fgColor) if fill.fill_type else None),
            (al.horizontal, al.vertical, bool(al.wrap_text)))


def sheet_facts(ws) -> dict:
    from openpyxl.utils import get_column_letter

    widths = {}  # a <col> element may span columns (min..max): each column's width
    for k, v in ws.column_dimensions.items():
        if v.width and v.customWidth:
            for j in range(v.min or 1, (v.max or v.min or 1) + 1):
                widths[get_column_letter(j)] = round(v.width, 2)
    heights = {k: v.height for k, v in ws.row_dimensions.items() if v.height}
    return {
        "widths": widths, "heights": heights, "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref, "merged": sorted(map(str, ws.merged_cells.ranges)),
        "tables": sorted((t.displayName, t.ref, t.tableStyleInfo.name if t.tableStyleInfo
                          else None) for t in ws.tables.values()),
        "conditional": sorted((str(cf.sqref), r.type, r.operator, tuple(r.formula or ()))
                              for cf in ws.conditional_formatting for r in cf.rules),
        "print titles": (ws.print_title_rows, ws.print_title_cols),
        "print area": (ws.print_area or "").replace("'", ""),
        "page setup": (ws.page_setup.orientation, ws.page_setup.paperSize,
                       ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight,
                       bool(ws.sheet_properties.pageSetUpPr
                            and ws.sheet_properties.pageSetUpPr.fitToPage)),
        "margins": tuple(round(getattr(ws.page_margins, k), 3)
                         for k in ("left", "right", "top", "bottom")),
        "footer": ws.oddFooter.center.text,
        "page breaks": sorted(b.id for b in ws.row_breaks.brk),
        "zoom": ws.sheet_view.zoomScale,
    }


NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
      "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _rels(z: zipfile.ZipFile, part: str) -> dict:
    """The relationships of ``part``: id -> the target's part name."""
    import posixpath
    from defusedxml import ElementTree

    folder, name = posixpath.split(part)
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in z.namelist():
        return {}
    out = {}
    for rel in ElementTree.fromstring(z.read(rels)).findall("pr:Relationship", NS):
        target = rel.get("Target")
        out[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
    return out


def _text(el) -> str | None:
    return None if el is None else "".join(t.text or "" for t in el.iter(f"{{{NS['a']}}}t"))


def chart_meaning(xml: bytes) -> tuple:
    """What a chart shows, whichever writer spelled it: its title; per plot its type (bar
    direction, grouping, overlap) and series (name, values and categories ranges, dashed
    or not); its axes' titles and number formats; its legend's position."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(xml)
    chart = root.find("c:chart", NS)
    title = _text(chart.find("c:title", NS))
    plots = []
    for plot in chart.find("c:plotArea", NS):
        tag = plot.tag.split("}")[1]
        if not tag.endswith("Chart"):
            continue

        def val(name, el=plot):
            found = el.find(f"c:{name}", NS)
            return None if found is None else found.get("val")

        series = []
        for ser in plot.findall("c:ser", NS):
            tx = ser.find("c:tx", NS)
            name = None
            if tx is not None:
                f = tx.find(".//c:f", NS)
                name = ("ref", f.text.replace("'", "").replace("$", "")) if f is not None else \
                    ("text", tx.find(".//c:v", NS).text)
            refs = tuple((ser.find(f"c:{k}//c:f", NS).text.replace("'", "").replace("$", "")
                          if ser.find(f"c:{k}//c:f", NS) is not None else None)
                         for k in ("val", "cat"))
            dash = ser.find("c:spPr/a:ln/a:prstDash", NS)
            dash = None if dash is None else dash.get("val")
            series.append((name, refs, None if dash == "solid" else dash))  # solid: default
        plots.append((tag, val("barDir"), val("grouping"), val("overlap"), tuple(series)))
    axes = []
    for ax in chart.find("c:plotArea", NS):
        if ax.tag.split("}")[1] in ("valAx", "catAx"):
            fmt = ax.find("c:numFmt", NS)
            axes.append((ax.tag.split("}")[1], _text(ax.find("c:title", NS)),
                         None if fmt is None or ax.tag.endswith("catAx") else
                         fmt.get("formatCode")))
    legend = chart.find("c:legend/c:legendPos", NS)
    return (title, tuple(sorted(plots)), tuple(sorted(axes, key=str)),
            None if legend is None else legend.get("val"))


def drawn_parts(path: Path) -> dict:
    """Each sheet's charts by meaning, with their anchors (top-left column and row), and
    each sheet's dimension (the range readers size rows by)."""
    import re
    from defusedxml import ElementTree

    out = {}
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        targets = _rels(z, "xl/workbook.xml")
        for sheet in book.find("m:sheets", NS):
            name, part = sheet.get("name"), targets[sheet.get(f"{{{NS['r']}}}id")]
            with z.open(part) as fh:
                found = re.search(rb'<dimension ref="[^"]*"/>', fh.read(4000))
            ref = re.search(rb'ref="([^"]*)"', found.group()).group(1) if found else b""
            cells = ref.split(b":")
            out[f"{name} dimension"] = cells[0] if len(cells) == 2 and cells[0] == cells[1] \
                else ref  # A1:A1 is A1
            drawings = [t for t in _rels(z, part).values() if "/drawings/drawing" in t]
            for drawing in drawings:
                charts = _rels(z, drawing)
                root = ElementTree.fromstring(z.read(drawing))
                for k, anchor in enumerate(a for a in root if a.find("xdr:from", NS)
                                           is not None):
                    start = anchor.find("xdr:from", NS)
                    where = (start.find("xdr:col", NS).text, start.find("xdr:row", NS).text)
                    ref = anchor.find(".//c:chart", NS)
                    meaning = chart_meaning(z.read(charts[ref.get(f"{{{NS['r']}}}id")])) \
                        if ref is not None else None
                    out[f"{name} chart {k + 1}"] = (where, meaning)
    return out


def compare(old: Path, new: Path, say) -> int:
    a, b = openpyxl.load_workbook(old), openpyxl.load_workbook(new)
    problems = 0

    def differ(what, x, y):
        nonlocal problems
        problems += 1
        if problems <= 40:
            say(f"  {what}: old {x!r} new {y!r}")

    if a.sheetnames != b.sheetnames:
        differ("sheets", a.sheetnames, b.sheetnames)
    cells = 0
    for name in a.sheetnames:
        wa, wb_ = a[name], b[name]
        ca = {c.coordinate: c for row in wa.iter_rows() for c in row
              if c.value is not None or c.has_style}
        cb = {c.coordinate: c for row in wb_.iter_rows() for c in row
              if c.value is not None or c.has_style}
        for ref in sorted(set(ca) | set(cb)):
            x = cell_facts(ca[ref]) if ref in ca else None
            y = cell_facts(cb[ref]) if ref in cb else None
            if x != y:
                differ(f"{name}!{ref}", x, y)
            cells += 1
            comments = [(c.comment.text, c.comment.author) if c.comment is not None
                        else None for c in (ca.get(ref), cb.get(ref)) if c is not None]
            if len(comments) == 2 and comments[0] != comments[1]:
                differ(f"{name}!{ref} comment", *comments)
        fa, fb = sheet_facts(wa), sheet_facts(wb_)
        for key in fa:
            if fa[key] != fb[key]:
                differ(f"{name} {key}", fa[key], fb[key])
    pa, pb = drawn_parts(old), drawn_parts(new)
    for name in sorted(set(pa) | set(pb)):
        if pa.get(name) != pb.get(name):
            differ(name, pa.get(name), pb.get(name))
    say(f"  {cells:,} cells compared; {problems} difference(s)")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="4f3a241",
                    help="the commit whose writer is the reference (the last with the old one)")
    ap.add_argument("--instances", default="baseline,c40",
                    help="baseline and/or cN (a generated instance of N categories)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from force_plan.xlsx.plan import write_plan

    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old = old_tree(args.ref, folder)
        for name in args.instances.split(","):
            print(f"{name}:")
            results = results_of(instance(name, folder))
            pickled = folder / f"{name}.pickle"
            pickled.write_bytes(pickle.dumps(results))
            new_path, old_path = folder / f"{name}-new.xlsx", folder / f"{name}-old.xlsx"
            write_plan(results, new_path, force=True)
            env = dict(os.environ, PYTHONPATH=str(old))
            subprocess.run([sys.executable, "-c", OLD_WRITE, str(pickled), str(old_path)],
                           check=True, env=env, cwd=folder)
            failed += compare(old_path, new_path, print) > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
