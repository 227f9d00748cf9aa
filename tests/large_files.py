"""Large workbooks inside every size limit, for measuring memory and message size
(issue 16, item 6). Run as a script to build them and measure each command:

    python tests/large_files.py OUTDIR            # build, run, print peak memory and output

Every file is written part by part as sheet XML (inline strings, no shared strings), so
building an 18 MB workbook takes seconds. The numbers are illustrative only.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _col(j: int) -> str:
    out = ""
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _cell(ref: str, v, strings: dict | None = None) -> str:
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<c r="{ref}"><v>{v!r}</v></c>'
    if strings is not None:  # a shared string, as spreadsheet programs write text
        return f'<c r="{ref}" t="s"><v>{strings.setdefault(str(v), len(strings))}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'


def write_raw(path: Path, sheets: dict, shared: bool = False) -> Path:
    """An .xlsx of ``sheets`` ({name: iterable of rows}), streamed part by part; text as
    inline strings, or as shared strings when ``shared``."""
    names = list(sheets)
    strings: dict | None = {} if shared else None
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>' + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(names) + 1)) + "</Types>"))
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                    f'Type="{RNS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{NS}" xmlns:r="{RNS}"><sheets>' +
                    "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                            for i, n in enumerate(names, 1)) + "</sheets></workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">' + "".join(
            f'<Relationship Id="rId{i}" Type="{RNS}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1))
            + "</Relationships>")
        for i, name in enumerate(names, 1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                out.write(f'<worksheet xmlns="{NS}"><sheetData>'.encode())
                buf = []
                for r, row in enumerate(sheets[name], 1):
                    buf.append(f'<row r="{r}">' + "".join(
                        _cell(f"{_col(j)}{r}", v, strings) for j, v in enumerate(row, 1))
                        + "</row>")
                    if len(buf) >= 5000:
                        out.write("".join(buf).encode())
                        buf = []
                out.write(("".join(buf) + "</sheetData></worksheet>").encode())
        if strings is not None:
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<sst xmlns="{NS}" uniqueCount="{len(strings)}">'.encode())
                for text in strings:
                    out.write(f"<si><t>{escape(text)}</t></si>".encode())
                out.write(b"</sst>")
    return path


PERIODS = list(range(2026, 2046))


def _base(n_categories: int, bad=None):
    """A valid plan of ``n_categories`` categories, one recruit course each, targets in
    twenty periods; ``bad(i, j)`` may replace a Targets value (to make bad cells)."""
    cats = [f"Category {i:06d}" for i in range(n_categories)]

    def targets():
        yield ["category"] + PERIODS
        for i, c in enumerate(cats):
            row = [c] + [100 + (i + j) % 50 for j in range(len(PERIODS))]
            if bad is not None:
                row = [row[0]] + [bad(i, j) for j in range(len(PERIODS))]
            yield row

    return {
        "Settings": [["setting", "value"], ["plan_name", "Large illustrative plan"],
                     ["period_months", 12]],
        "Periods": [["period", "recruits_available"]] + [[p, 10 * n_categories]
                                                        for p in PERIODS],
        "Categories": ([["category", "priority", "initial_strength", "attrition_rate"]] +
                       [[c, 1 + i % 9, 100, 0.05] for i, c in enumerate(cats)]),
        "Targets": targets(),
        "Courses": ([["course", "from", "to", "duration_months", "yield"]] +
                    [[f"Course {i:06d}", "RECRUIT", c, 12, 0.9] for i, c in enumerate(cats)]),
        "Objectives": [["level", "term"], [1, "shortfall"], [2, "cost"]],
    }


def legitimate(path: Path, n: int = 95_000) -> Path:
    """Many legitimate rows: 95,000 categories and courses, 1.9 million target cells
    (just within the 2,000,000-cell guard of a sheet)."""
    return write_raw(path, _base(n))


def bad_cells(path: Path, n: int = 84_000) -> Path:
    """1.68 million text values in numeric Targets cells (20 per row)."""
    return write_raw(path, _base(n, bad=lambda i, j: "x"))


def huge_text(path: Path, cells: int = 11, size: int = 900_000) -> Path:
    """``cells`` numeric cells each holding ``size`` characters of text."""
    sheets = _base(20)
    sheets["Categories"] = list(sheets["Categories"])
    for k in range(cells):
        sheets["Categories"][1 + k][2] = "9" * 10 + "z" * size
    return write_raw(path, sheets)


def text_heavy(path: Path, n: int = 30_000, size: int = 1_500) -> Path:
    """Long names: ``n`` categories and courses named with ``size`` characters each."""
    sheets = _base(n)
    pad = "n" * size
    sheets["Categories"] = [r if i == 0 else [pad + r[0]] + r[1:]
                            for i, r in enumerate(sheets["Categories"])]
    sheets["Courses"] = [r if i == 0 else r[:2] + [pad + r[2]] + r[3:]
                         for i, r in enumerate(sheets["Courses"])]
    sheets["Targets"] = [["category"] + PERIODS] + [[pad + f"Category {i:06d}"] + [100] * 20
                                                    for i in range(n)]
    return write_raw(path, sheets)


def plan_file(path: Path, rows: int = 1_000_000, shift: float = 0.0) -> Path:
    """A plan workbook of ``rows`` Data rows (Summary with a force_plan_version key)."""
    def data():
        yield ["quantity", "item", "where", "period", "value"]
        for i in range(rows):
            yield ["starts", f"Course {i // 20:06d}", "", str(PERIODS[i % 20]),
                   float(i % 97) + (shift if i % 3 == 0 else 0.0)]

    return write_raw(path, {"Summary": [["key", "value"], ["force_plan_version", "1"],
                                        ["status", "optimal"]], "Data": data()}, shared=True)


def measure(args: list[str], cwd: Path) -> dict:
    """Run ``force-plan ARGS`` in a child: exit code, peak memory (MB), output bytes."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "force_plan.cli", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"args": " ".join(a if len(a) < 40 else Path(a).name for a in args),
            "exit": proc.returncode, "peak_mb": round(usage.ru_maxrss / 1024),
            "output_bytes": len(out), "seconds": round(time.perf_counter() - t0, 1),
            "last_line": out.decode("utf-8", "replace").strip().splitlines()[-1][:160]
            if out.strip() else ""}


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    made = {"legitimate": legitimate(folder / "legitimate.xlsx"),
            "bad_cells": bad_cells(folder / "bad-cells.xlsx"),
            "huge_text": huge_text(folder / "huge-text.xlsx"),
            "text_heavy": text_heavy(folder / "text-heavy.xlsx")}
    for name, path in made.items():
        print(json.dumps({"file": name, "mb": round(path.stat().st_size / 2**20, 1),
                          **measure(["validate", str(path)], folder)}), flush=True)
    if "--compare" in sys.argv:
        old, new = plan_file(folder / "old.xlsx"), plan_file(folder / "new.xlsx", shift=1.0)
        print(json.dumps({"file": "two 1M-row plans", "mb": round(
            old.stat().st_size / 2**20, 1), **measure(
            ["compare", str(old), str(new), "-o", str(folder / "cmp.xlsx"), "--force"],
            folder)}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
