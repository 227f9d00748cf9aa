"""The far-cell scan (``sheetxml.scan_sheet``) reads cell tags as calamine does."""
from __future__ import annotations

import random

import pytest

from force_plan.inputs import sheetxml
from force_plan.inputs.parts import raw_attrs
from force_plan.inputs.sheetxml import scan_sheet


def sheet(body: bytes) -> bytes:
    return b'<worksheet xmlns="x"><sheetData>' + body + b"</sheetData></worksheet>"


@pytest.mark.parametrize("cell, area, far", [
    (b'<c r="C4"><v>1</v></c>', 12, "C4"),
    (b'<c r="c4"><v>1</v></c>', 12, "C4"),  # lower case: read by calamine
    (b"<c r='C4'><v>1</v></c>", 12, "C4"),
    (b'<x:c r="C4"><x:v>1</x:v></x:c>', 12, "C4"),
    (b'<c s="1"r="C4"><v>1</v></c>', 12, "C4"),  # no space between attributes
    (b'<c t=">" r="C4"><v>1</v></c>', 12, "C4"),  # a quoted '>'
    (b'<c r = "C4" ><v>1</v></c>', 12, "C4"),
    (b'<c r="C4"/>', 0, ""),  # empty: skipped by the reader
    (b'<c r="XFD1048576"><v>1</v></c>', 16384 * 1048576, "XFD1048576"),
    (b'<c r="A99999999"><v>1</v></c>', 99999999, "A1048576"),  # beyond the grid
    (b'<c r="ZZZZZZZZ1"><v>1</v></c>', 10 ** 9, "XFD1"),
])
def test_every_spelling_of_an_address_is_measured(cell, area, far):
    scan = scan_sheet(sheet(b'<row r="1"><c r="A1"><v>1</v></c></row><row>' + cell + b"</row>"))
    assert scan.area == max(area, 1)
    assert scan.far_cell == (far or "A1")


def test_cells_without_an_address_are_bounded_by_their_rows():
    body = b'<row r="5"><c><v>1</v></c><c><v>2</v></c></row>' + b"</row>" * 1000 + \
        b"<row><c><v>3</v></c></row>"
    scan = scan_sheet(sheet(body))
    # rows: the largest r (5) + 2 row starts + 1002 row ends; columns: 3 unaddressed cells
    assert scan.area >= 1002 * 3
    assert scan.area == (5 + 2 + 1002) * 3


def test_the_fast_scan_agrees_with_the_careful_one():
    rng = random.Random(7)
    cells = []
    for _ in range(3000):
        r, c = rng.randint(1, 5000), rng.randint(1, 700)
        empty = rng.random() < 0.2
        ref = f"{sheetxml.col_letter(c)}{r}".encode()
        cells.append(b'<c r="' + ref + (b'" s="2"/>' if empty else b'" t="n"><v>1</v></c>'))
    data = sheet(b"<row>" + b"".join(cells) + b"</row>")
    fast = sheetxml._canonical_reach(data, chunk=4096)
    assert fast is not None
    slow = sheetxml._reach(data.replace(b'<c r="', b'<c x="0" r="'))  # not the usual form
    assert sheetxml._canonical_reach(data.replace(b'<c r="', b'<c x="0" r="')) is None
    assert fast[0] == slow[0] == 0
    assert fast[1][0] == slow[1][0] and fast[2][1] == slow[2][1]


def test_raw_attributes_split_as_the_reader_splits_them():
    assert raw_attrs(b' r="A1" s=\'2\'t="n"') == [(b"r", b"A1"), (b"s", b"2"), (b"t", b"n")]
    assert raw_attrs(b' x:id="rId3" name="a&amp;b"') == [(b"x:id", b"rId3"),
                                                       (b"name", b"a&amp;b")]
