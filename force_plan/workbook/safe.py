"""Writing a workbook safely: never over the input, never over someone else's file, never
half a file.

* :func:`check_output_path` refuses an output path that is the input workbook, is not an
  ``.xlsx`` name, or is an existing file force_plan did not write (unless ``force``).
* :func:`save_atomically` writes to a temporary file in the same folder and renames it
  over the target only when it is complete, so a crash leaves the previous file intact.
  Dates and zip timestamps are fixed, so the same plan gives the same bytes.
* :func:`mark` stores a custom document property that says force_plan wrote the file;
  :func:`written_by_force_plan` looks for it (or for the Summary's force_plan_version key).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

from defusedxml import ElementTree
from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

from .. import __version__
from ..errors import OutputError

MARKER = "force_plan_kind"
VERSION_KEY = "force_plan_version"
FIXED_TIME = dt.datetime(2020, 1, 1, 0, 0, 0)
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def mark(wb: Workbook, kind: str, title: str = "") -> None:
    """Label the workbook as force_plan's own (kind: "plan" or "comparison")."""
    wb.custom_doc_props.append(StringProperty(name=MARKER, value=kind))
    wb.custom_doc_props.append(StringProperty(name=VERSION_KEY, value=__version__))
    props = wb.properties
    props.creator = props.lastModifiedBy = f"force-plan {__version__}"
    props.title = title or None
    props.created = props.modified = FIXED_TIME


#: A file whose members would unpack to more than this is never a plan force_plan wrote,
#: and is not inflated to find out (it may be a zip bomb).
MAX_PLAN_UNPACKED = 256 * 1024 * 1024
MAX_MARKER_PART = 64 * 1024  # docProps/custom.xml larger than this is not force_plan's


def _looks_like_a_bomb(z: zipfile.ZipFile) -> bool:
    from .read import LARGE_PART, MAX_RATIO

    infos = z.infolist()
    return sum(i.file_size for i in infos) > MAX_PLAN_UNPACKED or any(
        i.file_size > LARGE_PART and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        for i in infos)


def written_by_force_plan(path: Path) -> bool:
    """True when the file carries force_plan's marker or a Summary force_plan_version key."""
    if not Path(path).is_file():
        return False  # a pipe or a device is never opened
    try:
        with zipfile.ZipFile(path) as z:
            # the marker part is tiny, and zipfile never inflates a member past its declared
            # size, so it is read even from a plan too large for the Summary fallback
            info = next((i for i in z.infolist() if i.filename == "docProps/custom.xml"),
                        None)
            if info is not None and info.file_size <= MAX_MARKER_PART:
                root = ElementTree.fromstring(z.read(info))
                if any(el.get("name") == MARKER for el in root.iter()):
                    return True
            if _looks_like_a_bomb(z):
                return False
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError):
        return False  # ValueError: defusedxml refused a DTD or entities
    return VERSION_KEY in summary_keys(path)


def summary_keys(path: Path, rows: int = 200) -> set:
    """Column-A texts of a workbook's Summary sheet (empty when it has none)."""
    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file simply has no Summary
        return set()
    try:
        if "Summary" not in wb.sheetnames:
            return set()
        ws = wb["Summary"]
        return {str(r[0]).strip() for r in ws.iter_rows(min_col=1, max_col=1, max_row=rows,
                                                        values_only=True) if r[0] is not None}
    finally:
        wb.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(str(a.resolve())) == os.path.normcase(str(b.resolve()))


def check_output_path(path: Path, inputs=(), force: bool = False, what: str = "plan") -> None:
    """Refuse an output path that would destroy something; create its folder if needed."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path}: the {what} is an .xlsx workbook — give the output a name "
                          "ending in .xlsx.")
    for source in inputs:
        if source and _same_file(path, Path(source)):
            raise OutputError(f"{path}: this is the input workbook; force-plan never writes "
                              f"into its input — choose another name for the {what}.")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder — give a file name ending in .xlsx.")
    if path.exists() and not force and not written_by_force_plan(path):
        raise OutputError(f"{path}: this file was not written by force-plan, so it is not "
                          "replaced (it may be your own work) — choose another output name, "
                          "or add --force to replace it.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{path.parent}: the folder cannot be created ({err.strerror}) — "
                          "choose another output folder.") from err


#: zlib level of the plan's parts: 1 compresses sheet XML 3–4× faster than the default 6
#: for a file about a fifth larger
COMPRESS_LEVEL = 1


class _Archive(zipfile.ZipFile):
    """The zip openpyxl's ExcelWriter writes into: every member gets a fixed timestamp and
    mode (the same plan gives the same bytes), and the bulk rows of a sheet
    (``bulk.BulkRows``) are spliced into its part as it is stored."""

    def __init__(self, file, wb: Workbook):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                         compresslevel=COMPRESS_LEVEL)
        self._wb = wb

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        try:
            info.compress_level = COMPRESS_LEVEL  # Python ≥ 3.13
        except AttributeError:
            info._compresslevel = COMPRESS_LEVEL
        info.external_attr = 0o644 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        super().writestr(self._info(name), data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """openpyxl stores each worksheet from a temporary file."""
        from .bulk import bulk_of, splice

        name = arcname or filename
        with open(filename, "rb") as fh:
            part = fh.read()
        bulk = next((b for ws in self._wb.worksheets
                     if ws.path[1:] == name and (b := bulk_of(ws)) is not None), None)
        if bulk is None:
            super().writestr(self._info(name), part)
            return
        # a streamed member must be declared Zip64 up front if it may pass 4 GiB
        large = len(part) + 4 * bulk.size() > zipfile.ZIP64_LIMIT
        with self.open(self._info(name), "w", force_zip64=large) as out:
            splice(part, bulk, out)


def write_workbook(wb: Workbook, fileobj) -> None:
    """Write ``wb`` as .xlsx to a binary file object, with fixed dates and zip timestamps."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ExcelWriter(wb, _Archive(fileobj, wb)).save()  # closes the archive


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes of a workbook (see :func:`write_workbook`)."""
    out = io.BytesIO()
    write_workbook(wb, out)
    return out.getvalue()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_atomically(wb: Workbook, path: Path) -> Path:
    """Write ``wb`` to ``path`` all at once: the old file stays intact until the new is whole."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"{path}: cannot write in {path.parent} ({err.strerror}) — choose "
                          "another output folder.") from err
    try:
        with os.fdopen(fd, "wb") as fh:
            write_workbook(wb, fh)
            fh.flush()
            os.fsync(fh.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except PermissionError as err:
        _discard(tmp)
        raise OutputError(f"{path}: cannot be replaced ({err.strerror}); it may be open in "
                          "a spreadsheet program — close it and run again.") from err
    except OSError as err:
        _discard(tmp)
        raise OutputError(f"{path}: cannot be written ({err.strerror}) — check the disk and "
                          "the folder's permissions.") from err
    except BaseException:
        _discard(tmp)
        raise
    return path


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
