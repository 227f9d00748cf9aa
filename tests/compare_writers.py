"""Compare the plan workbook of this tree with the one an earlier commit writes, cell by cell.

    python tests/compare_writers.py                       # against 4f3a241, both instances
    python tests/compare_writers.py --ref main --instances baseline

For each instance (the bundled baseline, and a generated 40-category workbook) the plan is
solved once here; the very same Results are written by this tree and, in a fresh process,
by the package as it was at ``--ref`` (extracted with ``git archive``, nothing committed).
Both files are read back with openpyxl and compared: every cell's value, type, formula,
number format, font (bold, italic, size, colour), fill and alignment; column widths,
freeze panes, filters, tables, conditional formats, comments and merged cells; charts,
their anchors, comments and tables byte for byte (their parts). Prints each difference
and exits 1 if any.
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
    widths = {k: round(v.width, 2) for k, v in ws.column_dimensions.items()
              if v.width and v.customWidth}
    heights = {k: v.height for k, v in ws.row_dimensions.items() if v.height}
    return {
        "widths": widths, "heights": heights, "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref, "merged": sorted(map(str, ws.merged_cells.ranges)),
        "tables": sorted((t.displayName, t.ref, t.tableStyleInfo.name if t.tableStyleInfo
                          else None) for t in ws.tables.values()),
        "conditional": sorted((str(cf.sqref), r.type, r.operator, tuple(r.formula or ()))
                              for cf in ws.conditional_formatting for r in cf.rules),
        "print titles": ws.print_title_rows,
    }


#: parts compared byte for byte: charts (series, ranges, titles, styles), their anchors,
#: comments and tables
DRAWN = ("xl/charts/", "xl/drawings/", "xl/comments/", "xl/tables/")


def drawn_parts(path: Path) -> dict:
    """The DRAWN parts, and each sheet's dimension (the range readers size rows by)."""
    import re

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if n.startswith(DRAWN)}
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                with z.open(n) as fh:
                    found = re.search(rb'<dimension ref="[^"]*"/>', fh.read(4000))
                parts[n + " dimension"] = found.group() if found else b""
    return parts


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
            if ref in ca and ref in cb and (ca[ref].comment is None) != (cb[ref].comment is
                                                                       None):
                differ(f"{name}!{ref} comment", ca[ref].comment, cb[ref].comment)
        fa, fb = sheet_facts(wa), sheet_facts(wb_)
        for key in fa:
            if fa[key] != fb[key]:
                differ(f"{name} {key}", fa[key], fb[key])
    pa, pb = drawn_parts(old), drawn_parts(new)
    for name in sorted(set(pa) | set(pb)):
        if pa.get(name) != pb.get(name):
            differ(f"part {name}", len(pa.get(name, b"")), len(pb.get(name, b"")))
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
