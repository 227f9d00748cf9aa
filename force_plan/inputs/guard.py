"""The reader's guards: checks made on an input workbook's zip before any XML or
spreadsheet library expands it (used by ``read.py`` and ``compare.py``).

* :func:`guard_bomb`: too many parts, two parts of one name, a zip bomb, too much data;
* :func:`guard_doctype`: a document type declaration (an XML entity bomb) in any part;
* :func:`guard_reach`: a shared-strings count or a sheet the value reader would reserve
  absurd memory for (one value in XFD1048576 makes a 17-billion-cell rectangle); each
  sheet is found the way the reader finds it (``parts.py``) and scanned however its XML
  is spelt (``sheetxml.scan_sheet``); :func:`sheet_xml` checks a contract sheet's parts.
"""
from __future__ import annotations

import re
import zipfile

import numpy as np
from pathlib import Path

from ..errors import NotAWorkbookError
from .parts import folders, declared_strings, lookup, sheet_parts, unclaimed
from .sheetxml import SheetScan, scan_sheet

#: Refuse a workbook whose XML parts would unpack to more than this many bytes.
MAX_UNPACKED = 200 * 1024 * 1024
#: Refuse a part compressed more than this ratio once it is larger than LARGE_PART.
MAX_RATIO = 200
LARGE_PART = 10 * 1024 * 1024
#: Refuse a zip of more parts than this (a workbook has a few dozen).
MAX_MEMBERS = 10_000
#: Refuse a contract sheet whose values span more than this many cells from A1 (calamine
#: holds the whole rectangle: one value in XFD1048576 would need 17 billion cells).
MAX_CELLS = 2_000_000
#: Refuse sheets whose cells repeat shared strings to more than this many bytes of text
#: together: the value reader copies a shared string into every cell that uses it, so a
#: 32,767-character string in 100,000 cells is 3 GB from a file of half a megabyte.
MAX_SHARED_TEXT = 200 * 1024 * 1024
#: Refuse contract sheets spanning more than this many cells together: reading and
#: checking takes about 400 bytes a cell, so this keeps `validate` within 1.5 GB (a real
#: planning workbook spans a few thousand cells; the bundled baseline well under 100,000).
MAX_TOTAL_CELLS = 3_000_000
#: How much of each part's beginning is scanned for a document type declaration.
PROLOG_SCAN = 64 * 1024


def refuse(path: Path, what: str) -> NotAWorkbookError:
    return NotAWorkbookError(f"{path.name} {what}.")


def guard_bomb(path: Path, zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise refuse(path, f"holds {len(infos):,} parts, far more than any planning workbook, "
                      "so force-plan refuses to open it")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        seen: set = set()
        twice = next(n for n in names if n in seen or seen.add(n))
        raise refuse(path, f"is damaged: it holds two parts named {twice} (different "
                      "programs would read different ones) — open it in Excel or LibreOffice "
                      "and save a fresh copy as .xlsx")
    total = 0
    for info in infos:
        # every member counts: a sheet part may be given any name by the relationships
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > LARGE_PART and ratio > MAX_RATIO:
            raise refuse(path, f"looks like a zip bomb: its part {info.filename} unpacks "
                          f"{ratio:.0f} times larger than it is stored, so force-plan refuses "
                          "to open it")
    if total > MAX_UNPACKED:
        raise refuse(path, f"is too large to be a planning workbook ({total / 2**20:.0f} MB "
                      "of sheet data unpacked), so force-plan refuses to open it")


_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def _xml_head(head: bytes) -> bytes | None:
    """The beginning of a part as UTF-8 bytes when it looks like XML, else None."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        little = head[:2] == b"\xff\xfe" or (head[:2] != b"\xfe\xff" and head[1:2] == b"\x00")
        body = head[2:] if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head
        body = body[:len(body) // 2 * 2]
        head = body.decode("utf-16-le" if little else "utf-16-be", "replace").encode("utf-8")
    return head if head.lstrip().startswith(b"<") else None


def guard_doctype(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse any part that declares a DTD or entities (an XML bomb), before parsing.

    Spreadsheet programs never write a <!DOCTYPE>; the XML libraries used here do not
    expand entities, but a declared one is refused outright all the same. Only the
    beginning of each part is inflated (the zip-bomb guard has bounded it already).
    """
    for info in zf.infolist():
        if info.is_dir() or info.file_size == 0:
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(PROLOG_SCAN)
        except Exception as err:  # noqa: BLE001 - encrypted, unknown method, bad data
            raise refuse(path, f"is damaged or protected and cannot be opened as a workbook "
                          f"(part {info.filename}: {str(err)[:100] or type(err).__name__}) "
                          "— open it in Excel or LibreOffice and save a fresh copy as .xlsx") \
                from None
        text = _xml_head(head)
        if text is None:
            continue  # not XML (an image, a vbaProject.bin): never parsed
        pos = 0
        while (m := _PROLOG_ITEM.match(text, pos)) is not None and m.end() > pos:
            pos = m.end()
        rest = text[pos:]
        if rest[:9].lower() == b"<!doctype" or b"<!entity" in text.lower():
            raise refuse(path, f"contains a document type declaration (<!DOCTYPE>) in its "
                          f"part {info.filename}; spreadsheet programs never write one and it "
                          "can hide an XML bomb, so force-plan refuses to open it — open it in "
                          "Excel or LibreOffice and save a fresh copy as .xlsx")
        if len(head) == PROLOG_SCAN and (not rest or rest.startswith((b"<!--", b"<?"))):
            raise refuse(path, f"has a part ({info.filename}) that starts with more than "
                          f"{PROLOG_SCAN // 1024} KB of preamble, which no spreadsheet program "
                          "writes, so force-plan refuses to open it")


def guard_reach(path: Path, zf: zipfile.ZipFile, most: int = MAX_CELLS) -> dict:
    """Refuse (NotAWorkbookError) what would make the value reader reserve absurd memory
    before it reads a sheet: a shared-strings count far above what its part holds, or a
    part no sheet resolves to that spans more than ``most`` cells. Returns
    :func:`parts.sheet_parts` (each sheet's parts: see :func:`sheet_xml`)."""
    strings = declared_strings(zf)
    if strings is not None:
        raise refuse(path, f"is damaged: its part {strings[0]} declares {strings[1]:,} "
                     "shared strings, far more than it holds, so force-plan refuses to open "
                     "it — open it in Excel or LibreOffice and save a fresh copy as .xlsx")
    parts = sheet_parts(zf)
    for member in unclaimed(zf, parts):
        scan = scan_sheet(zf.read(member))
        if scan.area > most:
            raise refuse(path, f"has a part ({member}) with a value at {scan.far_cell}, far "
                         "outside any planning table, so force-plan refuses to open it — "
                         "open it in Excel or LibreOffice and save a fresh copy as .xlsx")
    return parts


def sheet_xml(path: Path, zf: zipfile.ZipFile, tab: str, parts: dict) -> tuple[bytes, SheetScan]:
    """The XML the value reader reads for ``tab`` (its first candidate part) and the scan
    the far-cell check must use: the first part's, or any other candidate's that reaches
    beyond ``MAX_CELLS`` (every candidate is checked). A tab whose part cannot be found is
    refused: the check must never pass a sheet it has not seen."""
    members = parts.get(tab) or []
    if not members:
        raise refuse(path, f"is damaged: the part holding its sheet '{tab[:40]}' cannot be "
                     "found — open it in Excel or LibreOffice and save a fresh copy as .xlsx")
    xml = zf.read(members[0])
    scan = scan_sheet(xml)
    for member in members[1:]:
        other = scan_sheet(zf.read(member))
        if other.area > max(scan.area, MAX_CELLS):
            scan = other
    return xml, scan


_SI = re.compile(rb"<(?:[^\s<>/!?=\"']*:)?si(?=[\s/>])")
_S_TYPE = re.compile(rb"""t\s*=\s*["']s["']""")
_S_VALUE = re.compile(rb'<c\s[^>]*?\bt="s"[^>]*>\s*<v>\s*([0-9]{1,10})\s*</v>')


def string_sizes(zf: zipfile.ZipFile) -> np.ndarray:
    """An upper bound of each shared string's size in bytes (the bytes of XML between the
    starts of its item and the next: entities and markup only shrink), over every
    shared-strings part the reader may read."""
    sizes = np.zeros(0, dtype=np.int64)
    for folder in folders(zf):
        for member in lookup(zf, f"{folder}sharedStrings.xml"):
            data = zf.read(member)
            starts = np.fromiter((m.start() for m in _SI.finditer(data)), dtype=np.int64)
            found = np.diff(np.append(starts, len(data)))
            if len(found) > len(sizes):
                found[:len(sizes)] = np.maximum(found[:len(sizes)], sizes)
                sizes = found
            else:
                sizes[:len(found)] = np.maximum(sizes[:len(found)], found)
    return sizes


def shared_text(xml: bytes, sizes: np.ndarray) -> int:
    """Bytes of shared-string text the cells of sheet ``xml`` hold, each cell counted (as
    the reader copies them): exact for the usual spelling of a shared-string cell, else the
    count of such cells times the largest string."""
    if not len(sizes):
        return 0
    cells = len(_S_TYPE.findall(xml))
    if not cells:
        return 0
    found = np.fromiter((int(m.group(1)) for m in _S_VALUE.finditer(xml)), dtype=np.int64)
    if len(found) == cells:
        found = found[found < len(sizes)]  # an index beyond the table: the reader refuses
        return int(sizes[found].sum())
    return cells * int(sizes.max())
