"""Bombs and far-reaching files are refused before they inflate, under a memory limit.

Every file is built at test time and is small on disk (a few MB at most): deflate turns
1 MiB of spaces into about a kilobyte, and the same compressed block is repeated (each
block ends with a full flush, so the blocks are independent) to declare 3.5 GiB; the
CRC-32 of the whole is combined arithmetically instead of being computed over 3.5 GiB.

All cases run in ONE child process (imports paid once) whose address space is limited to
1.5 GiB (RLIMIT_AS) and whose run is limited in time: a reader that inflated any of them
would die of MemoryError or be killed by the timeout, and the test would say which. Each
case must end, for both ``validate`` and ``solve``, in exit status 2 and one plain
sentence, within 15 seconds. This module takes a few seconds (one child Python).
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from wbhelpers import valid_sheets, write_workbook

MEMORY_LIMIT = 1536 * 2**20
CASE_SECONDS = 15
GIB = 1024  # blocks of 1 MiB


# --------------------------------------------------------------------------- CRC-32 of repeats
def _gf2_times(mat, vec):
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _gf2_square(mat):
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def repeated_crc(block: bytes, n: int) -> int:
    """CRC-32 of ``block * n`` by doubling."""
    result, have = 0, 0
    acc, acc_len = zlib.crc32(block), len(block)
    while n:
        if n & 1:
            result = crc32_combine(result, acc, acc_len) if have else acc
            have += acc_len
        acc = crc32_combine(acc, acc, acc_len)
        acc_len *= 2
        n >>= 1
    return result


def bomb_stream(prefix: bytes, suffix: bytes, blocks: int, block: bytes = b" " * 2**20):
    """(raw deflate stream, crc, size) of prefix + block * blocks + suffix."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    middle = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(suffix) + c.flush()
    crc = crc32_combine(zlib.crc32(prefix), repeated_crc(block, blocks), len(block) * blocks)
    crc = crc32_combine(crc, zlib.crc32(suffix), len(suffix))
    return head + middle * (blocks - 1) + tail, crc, len(prefix) + len(block) * blocks + len(suffix)


def test_bomb_stream_is_exact():
    stream, crc, size = bomb_stream(b"<a>", b"</a>", 37, b" " * 1000)
    data = zlib.decompress(stream, -15)
    assert (len(data), zlib.crc32(data)) == (size, crc)
    assert data == b"<a>" + b" " * 37000 + b"</a>"


# --------------------------------------------------------------------------- raw zip writing
def write_raw_zip(path: Path, members) -> Path:
    """A zip of (name, deflated bytes, crc, declared size) members, written by hand so
    that a member can declare any size."""
    out, central = bytearray(), bytearray()
    for name, comp, crc, size in members:
        nb = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x5021, crc, len(comp),
                           size, len(nb), 0) + nb + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x5021,
                               crc, len(comp), size, len(nb), 0, 0, 0, 0, 0, offset) + nb
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                 len(central), start, 0)
    path.write_bytes(bytes(out))
    return path


def _deflated(data: bytes):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def rebuild(source: Path, path: Path, bomb_part: str = "", rename: dict | None = None,
            lie: bool = False, extra: list | None = None) -> Path:
    """Copy ``source`` member by member; ``bomb_part`` becomes 3.5 GiB of spaces inside its
    <sheetData> (or <Properties>); ``rename`` maps member names and rewrites references to
    them; ``lie``: declare the bomb's true size small; ``extra``: members to add."""
    rename = rename or {}
    members = []
    with zipfile.ZipFile(source) as zf:
        for info in zf.infolist():
            data = zf.read(info.filename)
            for old, new in rename.items():
                data = data.replace(old.split("/", 1)[-1].encode(), new.split("/", 1)[-1].encode())
            name = rename.get(info.filename, info.filename)
            if info.filename == bomb_part:
                cut = data.index(b"<sheetData>") + len(b"<sheetData>")
                stream, crc, size = bomb_stream(data[:cut], data[cut:], int(3.5 * GIB))
                members.append((name, stream, crc, len(data) if lie else size))
            else:
                members.append((name, *_deflated(data)))
    return write_raw_zip(path, members + list(extra or []))


# --------------------------------------------------------------------------- the files
@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bombs")
    valid = write_workbook(d / "valid.xlsx", valid_sheets())
    sheet3 = "xl/worksheets/sheet3.xml"  # Categories
    made = {
        "zip_bomb_in_a_sheet": rebuild(valid, d / "sheet-bomb.xlsx", sheet3),
        "zip_bomb_under_another_name": rebuild(
            valid, d / "renamed-bomb.xlsx", sheet3,
            rename={sheet3: "xl/worksheets/categories.dat"}),
        "zip_bomb_lying_about_its_size": rebuild(valid, d / "liar.xlsx", sheet3, lie=True),
    }
    # 30 parts of 9.5 MiB each: every one below the ratio rule, 285 MiB together
    spaces = b"<x>" + b" " * (9 * 2**20 + 2**19) + b"</x>"
    comp, crc, size = _deflated(spaces)
    extra = [(f"xl/media/pad{i}.xml", comp, crc, size) for i in range(30)]
    made["many_large_parts"] = rebuild(valid, d / "many-parts.xlsx", extra=extra)
    # the billion laughs (refused before parsing; here under the memory limit too)
    laughs = "".join([' <!ENTITY lol "lol">\n'] + [
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)])
    with zipfile.ZipFile(valid) as zf, zipfile.ZipFile(d / "laughs.xlsx", "w") as out:
        for info in zf.infolist():
            data = zf.read(info.filename)
            if info.filename == sheet3:
                data = (f'<?xml version="1.0"?>\n<!DOCTYPE l [\n{laughs}]>\n'.encode()
                        + data.replace(b"<t>Pilot</t>", b"<t>&lol9;</t>"))
            out.writestr(info, data)
    made["billion_laughs"] = d / "laughs.xlsx"
    # one value in the last cell of a sheet: 17 billion cells if read as a rectangle
    far = write_workbook(d / "far.xlsx", valid_sheets())
    wb = openpyxl.load_workbook(far)
    wb["Categories"]["XFD1048576"] = "stray"
    wb.save(far)
    made["value_in_XFD1048576"] = far
    zero = d / "zero.xlsx"
    zero.symlink_to("/dev/zero")
    made["endless_device"] = zero
    fifo = d / "pipe.xlsx"
    os.mkfifo(fifo)
    made["named_pipe"] = fifo
    # an existing file at the output path that is a bomb: never inflated to look inside
    summary = write_workbook(d / "summary-src.xlsx", {"Summary": [["key", "value"],
                                                                 ["force_plan_version", "1"]]})
    made["output_path_holds_a_bomb"] = rebuild(summary, d / "old-plan.xlsx",
                                               "xl/worksheets/sheet1.xml")
    return valid, made


DRIVER = r"""
import json, sys, time
from click.testing import CliRunner
from force_plan.cli import main
for args in json.loads(sys.argv[1]):
    t0 = time.perf_counter()
    r = CliRunner().invoke(main, args)
    print(json.dumps({"args": args, "code": r.exit_code, "output": r.output,
                      "exception": type(r.exception).__name__ if r.exception else "",
                      "seconds": time.perf_counter() - t0}), flush=True)
"""


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_bombs_are_refused_within_bounded_memory_and_time(files, tmp_path):
    valid, made = files
    runs, cases = [], []
    for case, path in made.items():
        if case == "output_path_holds_a_bomb":
            runs.append(["solve", str(valid), "-o", str(path)])
            cases.append(case)
        else:
            runs.append(["validate", str(path)])
            runs.append(["solve", str(path), "-o", str(tmp_path / "out" / f"{case}.xlsx")])
            cases += [case, case]
    before = hashlib.sha256(made["output_path_holds_a_bomb"].read_bytes()).hexdigest()
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(runs)], preexec_fn=_limit,
                          capture_output=True, text=True, timeout=CASE_SECONDS * 4,
                          cwd=tmp_path)
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(runs), (
        f"the child stopped after {len(results)} of {len(runs)} runs (exit {proc.returncode}); "
        f"next: {runs[len(results)] if len(results) < len(runs) else ''}\n{proc.stderr[-3000:]}")
    sentences = {
        "zip_bomb_in_a_sheet": "sheet-bomb.xlsx looks like a zip bomb: its part "
                               "xl/worksheets/sheet3.xml unpacks",
        "zip_bomb_under_another_name": "renamed-bomb.xlsx looks like a zip bomb: its part "
                                       "xl/worksheets/categories.dat unpacks",
        "zip_bomb_lying_about_its_size": "liar.xlsx is damaged or protected and cannot be "
                                         "opened as a workbook (part xl/worksheets/sheet3.xml",
        "many_large_parts": "many-parts.xlsx is too large to be a planning workbook (",
        "billion_laughs": "laughs.xlsx contains a document type declaration (<!DOCTYPE>) in "
                          "its part xl/worksheets/sheet3.xml",
        "value_in_XFD1048576": "Categories!XFD1048576: this cell holds a value far outside "
                               "any planning table",
        "endless_device": "zero.xlsx is not a regular file (it is a device, pipe or socket)",
        "named_pipe": "pipe.xlsx is not a regular file (it is a device, pipe or socket)",
        "output_path_holds_a_bomb": "old-plan.xlsx: this file was not written by force-plan, "
                                    "so it is not replaced",
    }
    for case, r in zip(cases, results):
        label = f"{case} / {r['args'][0]}"
        assert r["code"] == 2, f"{label}: exit {r['code']} {r['exception']}\n{r['output']}"
        assert r["exception"] == "SystemExit", label
        assert "Traceback" not in r["output"], label
        assert r["seconds"] < CASE_SECONDS, f"{label}: {r['seconds']:.1f} s"
        hits = [ln.strip() for ln in r["output"].splitlines()
                if sentences[case] in ln]
        assert hits, f"{label}: expected {sentences[case]!r} in\n{r['output']}"
        assert hits[0].endswith((".", "save")) or "—" in hits[0], hits[0]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    after = hashlib.sha256(made["output_path_holds_a_bomb"].read_bytes()).hexdigest()
    assert after == before  # the file at the output path is untouched


def test_the_bomb_files_are_small_on_disk(files):
    _valid, made = files
    for case, path in made.items():
        if path.is_file() and not path.is_symlink():
            assert path.stat().st_size < 8 * 2**20, case
    with zipfile.ZipFile(made["zip_bomb_in_a_sheet"]) as zf:
        assert zf.getinfo("xl/worksheets/sheet3.xml").file_size > 3 * 2**30
