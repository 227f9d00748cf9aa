"""Every file force-plan writes goes through here: one overwrite policy, one atomic save.

The policy (:func:`check_output_path`), the same for the plan, the comparison, the input
workbooks of ``template`` and ``generate`` and the model of ``--export-model``:

* the name ends in the output's suffix (.xlsx; .lp or .mps for the model);
* never the input (nor a hard link, symbolic link or other spelling of it);
* never a folder, a device, a pipe or a socket, nor anything in /dev, /proc or /sys;
* an existing file is replaced only when force-plan wrote it as an output (its marker
  says "plan" or "comparison"; a plan or comparison may replace either), or with
  ``--force``; input workbooks and models are never replaced without ``--force``.

The save (:func:`save_output`): the file is produced inside a private folder created
beside the target (``.force-plan-*.tmp``, created exclusively), its zip re-packed with
one fixed timestamp and fixed member modes (the same content gives the same bytes), synced
to disk, and put in place only when whole: by a hard link when no file was there (which
never replaces a file that appeared meanwhile), by a rename over the old file when one
may be replaced and it is still the file that was checked (a file created or changed at
the target during the write is not replaced without ``--force``; concurrent runs to the
same target hold a lock on the folder for this step, so one wins and the other says so).
Any failure, Ctrl-C, SIGTERM or SIGHUP removes the private folder and leaves the previous
file untouched. A new file gets the ordinary mode (0666 less the umask); a replaced
regular file keeps its mode; a symbolic link's target never lends its mode.
"""
from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from defusedxml import ElementTree
from lxml import etree
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

from ..errors import OutputError

MARKER = "force_plan_kind"
VERSION_KEY = "force_plan_version"
#: the one timestamp of every file force-plan writes: document dates and zip members
FIXED_TIME = dt.datetime(2020, 1, 1, 0, 0, 0)
#: zlib level of the workbooks' parts: 1 compresses sheet XML 3–4× faster than the
#: default 6, for a file about a fifth larger
COMPRESS_LEVEL = 1
SUFFIXES = {"model": (".lp", ".mps"), "brief": (".html", ".htm")}  # else .xlsx
#: outputs that may replace one another without --force (by their marker)
REPLACEABLE = {"plan": {"plan", "comparison"}, "comparison": {"plan", "comparison"},
               "risk": {"risk"}, "sweep": {"sweep"}, "brief": {"brief"}}
#: the first bytes of an HTML brief force_plan wrote (brief.py writes this meta first)
BRIEF_MARK = b'<meta name="generator" content="force-plan brief">'
SYSTEM_FOLDERS = ("/dev", "/proc", "/sys")
WORK_PREFIX = ".force-plan-"


# --------------------------------------------------------------------------- recognising
#: A file whose members would unpack to more than this is never a plan force_plan wrote,
#: and is not inflated to find out (it may be a zip bomb).
MAX_PLAN_UNPACKED = 256 * 1024 * 1024
MAX_MARKER_PART = 64 * 1024  # docProps/custom.xml larger than this is not force_plan's


def _looks_like_a_bomb(z: zipfile.ZipFile) -> bool:
    from ..inputs.guard import LARGE_PART, MAX_RATIO

    infos = z.infolist()
    return sum(i.file_size for i in infos) > MAX_PLAN_UNPACKED or any(
        i.file_size > LARGE_PART and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        for i in infos)


def output_kind(path: Path) -> str | None:
    """The kind force_plan's marker gives the file ("plan", "comparison"), "plan" for a
    plan that lost its marker but keeps the Summary's force_plan_version key, else None."""
    if not Path(path).is_file():
        return None  # a pipe or a device is never opened
    if Path(path).suffix.lower() in SUFFIXES["brief"]:
        try:
            with open(path, "rb") as f:
                return "brief" if BRIEF_MARK in f.read(4096) else None
        except OSError:
            return None
    try:
        with zipfile.ZipFile(path) as z:
            # the marker part is tiny, and zipfile never inflates a member past its declared
            # size, so it is read even from a plan too large for the Summary fallback
            info = next((i for i in z.infolist() if i.filename == "docProps/custom.xml"),
                        None)
            if info is not None and info.file_size <= MAX_MARKER_PART:
                root = ElementTree.fromstring(z.read(info))
                for el in root.iter():
                    if el.get("name") == MARKER:
                        return "".join(el.itertext()).strip() or "plan"
            if _looks_like_a_bomb(z):
                return None
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError):
        return None  # ValueError: defusedxml refused a DTD or entities
    return "plan" if VERSION_KEY in summary_keys(path) else None


def written_by_force_plan(path: Path) -> bool:
    """True when the file carries force_plan's marker or a Summary force_plan_version key."""
    return output_kind(path) is not None


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


# --------------------------------------------------------------------------- the policy
def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(str(a.resolve())) == os.path.normcase(str(b.resolve()))


def _identity(path: Path):
    """What is at ``path`` now (the entry itself, a link not followed), or None."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns


def _in_system_folder(path: Path) -> bool:
    folder = str(Path(os.path.abspath(path)).parent.resolve())
    return any(folder == f or folder.startswith(f + "/") for f in SYSTEM_FOLDERS)


def check_output_path(path: Path, inputs=(), force: bool = False, what: str = "plan",
                      kind: str | None = None):
    """Refuse an output path that would destroy something; create its folder if needed.

    ``kind``: "plan", "comparison", "input" or "model" (default: ``what``). Returns what
    is at the path now (see :func:`save_output`'s final check)."""
    path = Path(path)
    kind = kind or what
    suffixes = SUFFIXES.get(kind, (".xlsx",))
    if path.suffix.lower() not in suffixes:
        names = " or ".join(suffixes)
        kind_of = "workbook" if suffixes == (".xlsx",) else "file"
        raise OutputError(f"{path}: the {what} is an {names} {kind_of} — give the output a "
                          f"name ending in {names}.")
    if _in_system_folder(path):
        raise OutputError(f"{path}: is in a system folder of devices — choose an output "
                          "folder of your own.")
    for source in inputs:
        if source and _same_file(path, Path(source)):
            raise OutputError(f"{path}: this is the input workbook; force-plan never writes "
                              f"into its input — choose another name for the {what}.")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder — give a file name ending in {suffixes[0]}.")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path}: is not an ordinary file (a device, pipe or socket); "
                          f"force-plan writes only ordinary files — choose another name for "
                          f"the {what}.")
    if os.path.lexists(path) and not force and output_kind(path) not in REPLACEABLE.get(
            kind, ()):
        if kind in REPLACEABLE:
            raise OutputError(f"{path}: this file was not written by force-plan, so it is not "
                              "replaced (it may be your own work) — choose another output "
                              "name, or add --force to replace it.")
        raise OutputError(f"{path} already exists; force-plan does not overwrite a file "
                          "you may have edited. Choose another name, or add --force.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{path.parent}: the folder cannot be created ({err.strerror}) — "
                          "choose another output folder.") from err
    return _identity(path)


# --------------------------------------------------------------------------- zips
class _Sink:
    """The file a zip is written into. From its first failed write on it drops whatever it
    is given (and stays where it was), so that the zip's own clean-up — closing the member
    being written, ``ZipFile.__del__`` — has nothing left to fail on and prints nothing;
    the first error is the one reported."""

    def __init__(self, path: Path):
        self.file = open(path, "xb")  # exclusive: never an existing file
        self.dead = False
        self.position = 0

    def write(self, data) -> int:
        if self.dead:
            return len(data)
        try:
            n = self.file.write(data)
        except BaseException:
            self.dead = True
            raise
        self.position += n
        return n

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self.dead:
            self.position = self.file.seek(offset, whence)
        return self.position

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        if not self.dead:
            self.file.flush()

    def close(self) -> None:
        self.dead = True
        self.file.close()


@contextmanager
def _zip(path: Path, compression: int, level: int | None = None):
    """A zip being written to ``path``, closed on success; on any failure its file stops
    taking data before the failure propagates."""
    sink = _Sink(path)
    try:
        archive = zipfile.ZipFile(sink, "w", compression, allowZip64=True,
                                  compresslevel=level)
        yield archive
        archive.close()
    finally:
        sink.close()


def write_book(wb: Workbook, target: Path) -> None:
    """Write an openpyxl workbook (the input workbooks of ``template`` and ``generate``)
    as a plain, uncompressed zip; :func:`save_output` packs it with the fixed timestamp.
    force_plan's own outputs are XlsxWriter workbooks (``book.Book``), written to the
    target by their ``close``."""
    from .layout import abandon

    wb.properties.created = wb.properties.modified = FIXED_TIME
    try:
        with _zip(target, zipfile.ZIP_STORED) as archive:
            ExcelWriter(wb, archive).save()
    except BaseException:
        abandon(wb)
        raise


def _pack(raw: Path, final: Path, work: Path) -> None:
    """Re-pack the zip ``raw`` into ``final``: its members in the same order, each
    deflated at COMPRESS_LEVEL, with the fixed timestamp and mode 0644."""
    stamp = time.mktime(FIXED_TIME.timetuple())
    part = work / "part"
    with zipfile.ZipFile(raw) as src, _zip(final, zipfile.ZIP_DEFLATED,
                                           COMPRESS_LEVEL) as out:
        for info in src.infolist():
            with src.open(info) as fh, open(part, "wb") as dst:
                shutil.copyfileobj(fh, dst, 1 << 20)
            os.chmod(part, 0o644)
            os.utime(part, (stamp, stamp))  # the member's date: the fixed time
            out.write(part, info.filename)
            os.unlink(part)


# --------------------------------------------------------------------------- signals
class _Stopped(BaseException):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame):
    raise _Stopped(signum)


@contextmanager
def _stoppable(path: Path, what: str):
    """SIGTERM and SIGHUP stop the write like Ctrl-C (the private folder is removed);
    then the signal is delivered again, so that the process ends as it was told."""
    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {n: signal.signal(getattr(signal, n), _stop) for n in names}
    try:
        yield
    except _Stopped as stopped:
        for n, handler in before.items():
            signal.signal(getattr(signal, n), handler)
        before = {}
        name = signal.Signals(stopped.signum).name
        print(f"Stopped by {name}: no {what} was written; {path} is unchanged.",
              file=sys.stderr, flush=True)
        signal.raise_signal(stopped.signum)
        raise SystemExit(128 + stopped.signum) from None
    finally:
        for n, handler in before.items():
            signal.signal(getattr(signal, n), handler)


@contextmanager
def _folder_lock(folder: Path):
    """An exclusive lock on the output folder while a finished file is put in place, so
    that two runs to the same target check and install one after the other."""
    try:
        import fcntl
        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):  # no flock (Windows) or an unusual folder
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass
        yield fd
    finally:
        os.close(fd)  # releases the lock


# --------------------------------------------------------------------------- the save
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _changed(path: Path, what: str) -> OutputError:
    return OutputError(f"{path}: another program or another force-plan run wrote this file "
                       f"while the {what} was being written, so it is not replaced and this "
                       f"{what} was not saved — run again, choose another name, or add "
                       "--force.")


def _install(final: Path, path: Path, before, force: bool, what: str) -> None:
    """Put the finished file in place (see the module docstring)."""
    old = os.lstat(path) if before is not None else None
    keep = stat.S_IMODE(old.st_mode) if old is not None and stat.S_ISREG(old.st_mode) \
        else 0o666 & ~_umask()
    os.chmod(final, keep)
    with _folder_lock(path.parent) as fd:
        now = _identity(path)
        if now != before and not force:
            raise _changed(path, what)
        if now is None:
            try:
                os.link(final, path)  # fails if a file appeared: never replaces one
            except FileExistsError:
                raise _changed(path, what) from None
            except OSError:  # a file system without hard links
                if os.path.lexists(path):
                    raise _changed(path, what) from None
                os.replace(final, path)
        else:
            try:
                os.replace(final, path)
            except PermissionError as err:
                raise OutputError(f"{path}: cannot be replaced ({err.strerror}); it may be "
                                  "open in a spreadsheet program — close it and run "
                                  "again.") from err
        if fd is not None:
            try:
                os.fsync(fd)  # the folder's entry too
            except OSError:
                pass


def _release(err: BaseException) -> None:
    """Let go of the half-written workbook and zip of a failed write now, quietly.

    The libraries' own clean-up of a half-written sheet stream or zip (run when the
    garbage collector finds them) would try to finish writing, fail again on a full disk
    or a half-closed element, and print "Exception ignored in …" after force-plan's own
    sentence; the output is abandoned anyway, so that noise is dropped here."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(err.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _io_error(err: Exception) -> str:
    """The sentence of an lxml write error such as "IO_ENOSPC" (its errno's name)."""
    name = str(err).strip()
    code = getattr(errno, name[3:], None) if name.startswith("IO_") else None
    return os.strerror(code) if code is not None else name


#: ``expect`` of :func:`save_output` when the caller did not check the path earlier
UNCHECKED = object()


def save_output(path, produce: Callable[[Path], None], *, inputs=(), force: bool = False,
                what: str = "plan", kind: str | None = None, pack: bool = True,
                expect=UNCHECKED) -> Path:
    """Produce a file and put it at ``path`` under the output policy (module docstring).

    ``produce(target)`` writes the whole file to ``target`` (a workbook as a zip, packed
    here with the fixed timestamp when ``pack``; a model as text). ``expect``: what
    :func:`check_output_path` returned when the run began (then a file written at the path
    since, by anyone, is not replaced without ``force``). Raises OutputError (nothing
    written, any previous file intact) for a refused path or a failed write.
    """
    path = Path(path)
    before = check_output_path(path, inputs, force, what, kind)
    if expect is not UNCHECKED and expect != before and not force:
        raise _changed(path, what)
    with _stoppable(path, what):
        try:
            work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, suffix=".tmp", dir=path.parent))
        except OSError as err:
            raise OutputError(f"{path}: cannot write in {path.parent} ({err.strerror}) — "
                              "choose another output folder.") from err
        saved_tempdir = tempfile.tempdir
        try:
            raw = work / "raw"
            tempfile.tempdir = str(work)  # libraries' scratch files too: removed below
            try:
                produce(raw)
            finally:
                tempfile.tempdir = saved_tempdir
            final = raw
            if pack:
                final = work / "packed"
                _pack(raw, final, work)
                os.unlink(raw)
            with open(final, "rb") as fh:
                os.fsync(fh.fileno())
            _install(final, path, before, force, what)
        except BaseException as err:
            _release(err)
            if isinstance(err, OSError):
                raise OutputError(f"{path}: cannot be written ({err.strerror or err}) — "
                                  "check the disk and the folder's permissions.") from err
            if isinstance(err, etree.SerialisationError):  # lxml's word for a failed write
                raise OutputError(f"{path}: cannot be written ({_io_error(err)}) — check "
                                  "the disk and the folder's permissions.") from err
            raise
        finally:
            tempfile.tempdir = saved_tempdir
            shutil.rmtree(work, ignore_errors=True)
    return path


def workbook_bytes(write: Callable[[Path], None]) -> bytes:
    """The .xlsx bytes ``write(target)`` produces, exactly as :func:`save_output` would
    save them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        save_output(path, write, what="workbook", kind="input")
        return path.read_bytes()
