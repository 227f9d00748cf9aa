"""How many pages a workbook prints to: LibreOffice converts it to PDF (as in
test_libreoffice.py) and ``pdfinfo`` counts the pages.

Pages per sheet come from the same PDF, read with ``pdftotext``: every sheet force_plan
writes (plan, comparison, input workbook, template) has the footer "<sheet> — page n of
m", so each page names its sheet, and one conversion serves the whole workbook. A page
without that footer counts under None.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from test_libreoffice import SOFFICE, convert

PDFINFO = shutil.which("pdfinfo")
PDFTOTEXT = shutil.which("pdftotext")
#: the footer force_plan puts on every printed page: "&A — page &P of &N"
FOOTER = re.compile(r"^\s*(\S.*?) — page \d+ of \d+\s*$", re.M)


def missing_tools() -> str | None:
    """Why pages cannot be counted here (None when they can)."""
    absent = [name for name, path in (("soffice", SOFFICE), ("pdfinfo", PDFINFO),
                                      ("pdftotext", PDFTOTEXT)) if path is None]
    return f"{', '.join(absent)} not installed: printed pages cannot be counted" \
        if absent else None


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


def sheet_pages(pdf: Path) -> Counter:
    """Pages per sheet, by the sheet name in each page's footer."""
    out = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True)
    pages = out.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page, the last one too, with a form feed
    found = Counter()
    for page in pages:
        names = FOOTER.findall(page)
        found[names[-1] if names else None] += 1
    return found


def printed(paths: list[Path], workdir: Path) -> dict:
    """{path: (pages, Counter of pages per sheet)} for workbooks printed by LibreOffice
    (one conversion for them all, in a fresh profile under ``workdir``)."""
    pdfs = convert(workdir / "profile", paths, "pdf", workdir / "pdf")
    return {path: (pdf_pages(pdf), sheet_pages(pdf)) for path, pdf in zip(paths, pdfs)}
