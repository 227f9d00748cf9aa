"""Which zip member the value reader (calamine) reads for each sheet, worked out the way it
does, so that the reader's guards look at exactly those bytes.

calamine resolves a sheet in four steps, each reproduced here (calamine 0.3x, xlsx reader):

1. the workbook's folder is the folder of ``_rels/.rels``'s officeDocument target (``xl/``
   in every file a spreadsheet program writes, but a file may say otherwise);
2. ``<folder>_rels/workbook.xml.rels`` maps relationship ids to targets: attributes
   ``Id``/``Type``/``Target`` taken raw (no entity decoding), in either quote;
3. ``<folder>workbook.xml``'s ``sheet`` elements (any namespace prefix, so Strict OOXML
   too) give a name and an id (the attribute whose local name is ``id``, in any namespace);
   the part is the target, absolute when it starts with ``/``, else ``<folder>`` + target
   with no normalisation (``../`` stays in the name);
4. a part name is looked up ignoring letter case and with ``\\`` read as ``/``; when two
   members differ only so, one of them is read.

Where a step could go more than one way (two sheets of exactly one name, two members that
differ in letter case, an entity-encoded target, ``xl/`` against another folder), every
candidate is returned: the guards check all of them. Members that no sheet resolves to
are checked too (:func:`unclaimed`), so a resolution this module gets wrong cannot let a
far-reaching sheet through unchecked.
"""
from __future__ import annotations

import html
import posixpath
import re
import weakref
import zipfile

__all__ = ["sheet_parts", "lookup", "unclaimed", "raw_attrs", "start_tags", "folders",
           "declared_strings"]

_NAME = rb"(?:[^\s<>/!?=\"']*:)?"  # an element name's namespace prefix, any spelling
#: a start tag's attribute text, quote-aware (a '>' inside a quoted value does not end it)
_ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)"


def start_tags(local: bytes) -> re.Pattern:
    """Start tags whose local name is ``local`` (any prefix); group 1: the attributes."""
    return re.compile(rb"<" + _NAME + re.escape(local) + rb"(?=[\s/>])" + _ATTRS + rb">")


def raw_attrs(text: bytes) -> list[tuple[bytes, bytes]]:
    """(key, raw value) pairs of a start tag's attribute text, split as calamine splits them:
    the key is everything before '=', the value runs to the matching quote."""
    out, pos, n = [], 0, len(text)
    while True:
        while pos < n and text[pos:pos + 1].isspace():
            pos += 1
        if pos >= n or text[pos:pos + 1] == b"/":
            return out
        eq = text.find(b"=", pos)
        if eq < 0:
            return out
        key = text[pos:eq].rstrip()
        pos = eq + 1
        while pos < n and text[pos:pos + 1].isspace():
            pos += 1
        quote = text[pos:pos + 1]
        if quote not in (b'"', b"'"):
            return out
        end = text.find(quote, pos + 1)
        end = n if end < 0 else end
        out.append((key, text[pos + 1:end]))
        pos = end + 1


def _local(key: bytes) -> bytes:
    return key.rsplit(b":", 1)[-1]


def _text(value: bytes) -> list[str]:
    """A raw attribute value as calamine may use it: raw, and with entities decoded."""
    raw = value.decode("utf-8", "replace")
    return list(dict.fromkeys([raw, html.unescape(raw)]))


class _Index:
    """Member names by their reader's spelling (lower case, '\\' as '/'), built once per
    zip: a workbook of many sheets would otherwise compare every name for every sheet."""

    def __init__(self, zf: zipfile.ZipFile):
        self.names = set(zf.namelist())
        self.by_key: dict[str, list[str]] = {}
        for name in zf.namelist():
            self.by_key.setdefault(name.replace("\\", "/").lower(), []).append(name)


#: one index per open zip, dropped with the zip
_INDEXES: "weakref.WeakKeyDictionary[zipfile.ZipFile, _Index]" = weakref.WeakKeyDictionary()


def _index(zf: zipfile.ZipFile) -> _Index:
    hit = _INDEXES.get(zf)
    if hit is None:
        hit = _INDEXES[zf] = _Index(zf)
    return hit


def lookup(zf: zipfile.ZipFile, path: str) -> list[str]:
    """Members calamine may open for ``path``: equal ignoring letter case with '\\' as '/',
    or equal outright."""
    index = _index(zf)
    hits = list(index.by_key.get(path.lower(), []))
    if path in index.names and path not in hits:
        hits.append(path)
    return hits


def _read(zf: zipfile.ZipFile, path: str) -> list[bytes]:
    return [zf.read(m) for m in lookup(zf, path)]


def folders(zf: zipfile.ZipFile) -> list[str]:
    """The workbook folder(s): from ``_rels/.rels``, and ``xl/`` (calamine's default)."""
    folders = ["xl/"]
    rel = start_tags(b"Relationship")
    for data in _read(zf, "_rels/.rels"):
        for m in rel.finditer(data):
            attrs = dict(raw_attrs(m.group(1)))
            if attrs.get(b"Type", b"").endswith(b"/relationships/officeDocument"):
                for target in _text(attrs.get(b"Target", b"")):
                    cut = target.rfind("/")
                    folder = target[:cut + 1].removeprefix("/") if cut >= 0 else ""
                    folders.append(folder)
    return list(dict.fromkeys(folders))


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, list[str]]:
    """Tab name -> every member calamine may read for it (the likeliest first)."""
    parts: dict[str, list[str]] = {}
    rel, sheet = start_tags(b"Relationship"), start_tags(b"sheet")
    for folder in folders(zf):
        targets: dict[bytes, list[str]] = {}
        for data in _read(zf, f"{folder}_rels/workbook.xml.rels"):
            for m in rel.finditer(data):
                attrs = dict(raw_attrs(m.group(1)))
                if b"Id" in attrs:
                    targets.setdefault(attrs[b"Id"], []).extend(
                        _text(attrs.get(b"Target", b"")))
        for data in _read(zf, f"{folder}workbook.xml"):
            for m in sheet.finditer(data):
                pairs = raw_attrs(m.group(1))
                names = [v for k, v in pairs if k == b"name"][:1] or [b""]
                ids = {v for k, v in pairs if _local(k) == b"id"}
                for name in _text(names[0]):
                    found = parts.setdefault(name, [])
                    for rid in ids:
                        for target in targets.get(rid, []):
                            for path in _spellings(folder, target):
                                found += [p for p in lookup(zf, path) if p not in found]
    return parts


def _spellings(folder: str, target: str) -> list[str]:
    """calamine's spelling of a target's path (no normalisation), and the normalised one."""
    path = target[1:] if target.startswith("/") else folder + target
    return list(dict.fromkeys([path, posixpath.normpath(path).lstrip("/")]))


def unclaimed(zf: zipfile.ZipFile, parts: dict[str, list[str]]) -> list[str]:
    """Members no sheet resolves to: the far-cell guard scans them as well, in case the
    reader resolves a sheet in a way this module does not foresee."""
    claimed = {p for found in parts.values() for p in found}
    return [i.filename for i in zf.infolist() if not i.is_dir() and i.filename not in claimed]


_UNIQUE = re.compile(rb"\buniqueCount\s*=\s*[\"']([^\"']*)")


def declared_strings(zf: zipfile.ZipFile) -> tuple[str, int] | None:
    """(member, count) when the shared-strings part declares more strings than it could
    hold (the reader reserves memory for the declared count before reading one; each string
    takes several bytes of XML); None when the count is plausible."""
    for folder in folders(zf):
        for member in lookup(zf, f"{folder}sharedStrings.xml"):
            size = zf.getinfo(member).file_size
            for m in _UNIQUE.finditer(zf.read(member)):
                digits = re.sub(rb"[^0-9]", b"", m.group(1)).lstrip(b"0")[:20] or b"0"
                if int(digits) > max(1024, size):
                    return member, int(digits)
    return None
