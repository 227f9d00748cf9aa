"""Build workbooks that spell a far-away cell, or a sheet's part, in every way the value
reader (calamine) accepts but a naive scan misses. Run as a script to write them:

    python tests/hostile_parts.py OUTDIR

Each case starts from the valid test workbook (``wbhelpers.valid_sheets``) and rewrites
zip members as bytes; the far value sits in the Categories sheet unless said otherwise.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from wbhelpers import valid_sheets, write_workbook  # noqa: E402

SHEET = "xl/worksheets/sheet3.xml"  # Categories (openpyxl writes sheets in order)
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_RELS = b"http://purl.oclc.org/ooxml/officeDocument/relationships"


def members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def write(path: Path, items: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items:
            zf.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data)
    return path


def edit(items, name: str, old: bytes, new: bytes, count: int = 1):
    out = []
    for n, data in items:
        if n == name:
            assert old in data, (name, old, data[:500])
            data = data.replace(old, new, count)
        out.append((n, data))
    return out


def far_cell(cell: bytes = b'<c r="XFD1048576" t="inlineStr"><is><t>stray</t></is></c>'):
    """The bytes that put ``cell`` in a new last row of the sheet."""
    return b"<row>" + cell + b"</row></sheetData>"


def strict(items):
    """The same package in Strict OOXML namespaces (as Excel's 'Strict Open XML' save)."""
    out = []
    for n, data in items:
        data = data.replace(MAIN, STRICT_MAIN).replace(RELS, STRICT_RELS)
        if n == "xl/workbook.xml":
            data = data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        out.append((n, data))
    return out


def cases(base: Path) -> dict[str, list[tuple[str, bytes]]]:
    """Case name -> zip members."""
    items = members(base)
    sheet = dict(items)[SHEET]
    assert b"</sheetData>" in sheet and b"r:id=" in dict(items)["xl/workbook.xml"]
    made = {
        "lower_case_reference": edit(items, SHEET, b"</sheetData>", far_cell(
            b'<c r="xfd1048576" t="inlineStr"><is><t>stray</t></is></c>')),
        "single_quotes": edit(items, SHEET, b"</sheetData>", far_cell(
            b"<c r='XFD1048576' t='inlineStr'><is><t>stray</t></is></c>")),
        "element_prefix": edit(
            edit(items, SHEET, b"</sheetData>", far_cell(
                b'<x-y:c r="XFD1048576" t="inlineStr"><x-y:is><x-y:t>stray</x-y:t></x-y:is>'
                b"</x-y:c>")),
            SHEET, b"<worksheet ", b'<worksheet xmlns:x-y="' + MAIN + b'" '),
        "quoted_gt_and_no_space": edit(items, SHEET, b"</sheetData>", far_cell(
            b'<c s="0" z=">"r="XFD1048576" t="inlineStr"><is><t>stray</t></is></c>')),
        "row_beyond_the_grid": edit(items, SHEET, b"</sheetData>", far_cell(
            b'<c r="A99999999" t="inlineStr"><is><t>stray</t></is></c>')),
        # r:id with the prefix bound to another namespace (the reader matches "id" alone)
        "relationships_prefix_renamed": edit(
            edit(items, SHEET, b"</sheetData>", far_cell()), "xl/workbook.xml",
            b'xmlns:r="' + RELS, b'xmlns:r="urn:example:other', count=-1),
        "target_in_other_letter_case": edit(
            edit(items, SHEET, b"</sheetData>", far_cell()), "xl/_rels/workbook.xml.rels",
            b'Target="/xl/worksheets/sheet3.xml"', b'Target="/XL/Worksheets/SHEET3.XML"'),
        "strict_ooxml": strict(edit(items, SHEET, b"</sheetData>", far_cell())),
    }
    # two sheets named exactly Categories: the reader reads the first, the far one
    far = dict(made["lower_case_reference"])[SHEET]
    ns = b'<sheet xmlns:r="' + RELS + b'" name="Categories"'
    twice = edit(items, "xl/workbook.xml", ns, ns + b' sheetId="99" r:id="rId99"/>' + ns)
    twice = edit(twice, "xl/_rels/workbook.xml.rels", b"</Relationships>",
                 b'<Relationship Id="rId99" Type="' + RELS + b'/worksheet" '
                 b'Target="/xl/worksheets/sheet99.xml"/></Relationships>')
    made["two_sheets_of_one_name"] = twice + [("xl/worksheets/sheet99.xml", far)]
    # the package says the workbook lives in another folder, which holds the far sheet
    moved = [(n.replace("xl/", "alt/", 1) if n.startswith("xl/") else n, d) for n, d in items]
    moved = [(n, d.replace(b"/xl/", b"/alt/")) for n, d in moved]
    moved = edit(moved, SHEET.replace("xl/", "alt/"), b"</sheetData>", far_cell())
    redirected = [(n, d.replace(b'Target="xl/workbook.xml"', b'Target="alt/workbook.xml"'))
                  if n == "_rels/.rels" else (n, d) for n, d in items]
    assert redirected != items
    made["workbook_in_another_folder"] = redirected + [m for m in moved
                                                       if m[0].startswith("alt/")]
    # a target spelt with '..', and a member of exactly that name (never normalised)
    made["unnormalised_target"] = edit(items, "xl/_rels/workbook.xml.rels",
                                       b'Target="/xl/worksheets/sheet3.xml"',
                                       b'Target="worksheets/../worksheets/sheet3.xml"') + [
        ("xl/worksheets/../worksheets/sheet3.xml", far)]
    # two members that differ only in letter case or slash: the reader opens the last
    made["member_in_other_letter_case"] = items + [("xl/worksheets/Sheet3.xml", far)]
    made["member_with_backslashes"] = items + [("xl\\worksheets\\sheet3.xml", far)]
    # shared strings declaring a count the reader would reserve memory for
    strings = [n for n, _ in items if n.endswith("sharedStrings.xml")]
    if strings:
        made["shared_strings_count"] = edit(items, strings[0], b"<sst ",
                                            b'<sst uniqueCount="99999999999" ')
    else:
        made["shared_strings_count"] = edit(items, "[Content_Types].xml", b"</Types>",
                                            b'<Override PartName="/xl/sharedStrings.xml" '
                                            b'ContentType="application/vnd.openxmlformats-'
                                            b'officedocument.spreadsheetml.sharedStrings+xml"/>'
                                            b"</Types>") + [
            ("xl/sharedStrings.xml", b'<?xml version="1.0"?><sst xmlns="' + MAIN +
             b'" uniqueCount="99999999999"><si><t>x</t></si></sst>')]
    return made


def build(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    base = write_workbook(folder / "valid.xlsx", valid_sheets())
    return {case: write(folder / f"{case}.xlsx", items) for case, items in cases(base).items()}


if __name__ == "__main__":
    out = build(Path(sys.argv[1]))
    print("\n".join(str(p) for p in out.values()))
