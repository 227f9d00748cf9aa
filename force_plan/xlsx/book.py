"""force_plan's own workbooks on XlsxWriter (constant_memory mode, public API only).

A :class:`Book` is one XlsxWriter workbook being written to a path (or file object), and
the cache of its cell formats: the sheet modules describe a cell's look with openpyxl's
style objects (``Font``, ``PatternFill``, ``Alignment``) and a number format, and each
distinct combination becomes one XlsxWriter ``Format``. In constant_memory mode a row is
written out as soon as a later row is begun, so rows go in order (``layout.Sheet``
collects cells and writes them in row order; ``rows.Rows`` streams the big sheets), and
strings are stored inline.
"""
from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from .. import __version__

#: what XlsxWriter must never guess from a string: text is text (never a number, a
#: formula or a link); formulas are written as formulas on purpose
OPTIONS = {"constant_memory": True, "strings_to_numbers": False,
           "strings_to_formulas": False, "strings_to_urls": False, "use_zip64": True}


def _rgb(color) -> str | None:
    """openpyxl's "FF305496" (or "305496") as XlsxWriter's "#305496"."""
    value = getattr(color, "rgb", None)
    return "#" + value[-6:] if isinstance(value, str) else None


def style_properties(fmt=None, font=None, fill=None, align=None) -> dict:
    """XlsxWriter format properties of a number format and openpyxl style objects."""
    props: dict = {}
    if fmt:
        props["num_format"] = fmt
    if font is not None:
        if font.b:
            props["bold"] = True
        if font.i:
            props["italic"] = True
        if font.sz:
            props["font_size"] = float(font.sz)
        if _rgb(font.color):
            props["font_color"] = _rgb(font.color)
    if fill is not None and fill.fill_type == "solid" and _rgb(fill.fgColor):
        props["pattern"] = 1
        props["bg_color"] = _rgb(fill.fgColor)
    if align is not None:
        if align.horizontal:
            props["align"] = align.horizontal
        if align.vertical:
            props["valign"] = {"center": "vcenter"}.get(align.vertical, align.vertical)
        if align.wrap_text:
            props["text_wrap"] = True
    return props


class Book:
    """An XlsxWriter workbook being written to ``target``, with one cached ``Format`` per
    distinct style. Nothing reaches ``target`` before :meth:`close`."""

    def __init__(self, target):
        self.wb = xlsxwriter.Workbook(str(target) if isinstance(target, Path) else target,
                                      OPTIONS)
        self.sheets: list = []
        self._by_id: dict = {}  # (fmt, id(font), id(fill), id(align)) -> (Format, objects)
        self._by_props: dict = {}  # the format's properties -> Format
        self._fills: dict = {}  # conditional formats' fills

    def format(self, fmt=None, font=None, fill=None, align=None):
        """The Format of a number format and style objects (None: the default style)."""
        key = (fmt, id(font), id(fill), id(align))
        hit = self._by_id.get(key)
        if hit is None:
            props = style_properties(fmt, font, fill, align)
            frozen = tuple(sorted(props.items()))
            made = self._by_props.get(frozen)
            if made is None and props:
                made = self._by_props[frozen] = self.wb.add_format(props)
            # the style objects are kept with the format, so that their ids stay theirs
            hit = self._by_id[key] = (made, font, fill, align)
        return hit[0]

    def fill_format(self, fill):
        """The format of a conditional format that fills a cell with ``fill``'s colour."""
        color = _rgb(fill.fgColor)
        made = self._fills.get(color)
        if made is None:
            made = self._fills[color] = self.wb.add_format({"bg_color": color})
        return made

    def mark(self, kind: str, title: str = "", created=None) -> None:
        """Label the workbook as force_plan's own (see ``save.MARKER``), with the fixed
        document date, so that the same content gives the same bytes."""
        from .save import FIXED_TIME, MARKER, VERSION_KEY

        self.wb.set_custom_property(MARKER, kind)
        self.wb.set_custom_property(VERSION_KEY, __version__)
        props = {"author": f"force-plan {__version__}", "created": created or FIXED_TIME}
        if title:
            props["title"] = title
        self.wb.set_properties(props)

    def close(self) -> None:
        """Write every sheet's remaining rows and the file."""
        for sheet in self.sheets:
            sheet.flush()
        try:
            self.wb.close()
        except FileCreateError as err:  # a full disk, a lost folder: the OSError it wraps
            cause = err.args[0] if err.args else None
            if isinstance(cause, OSError):
                raise cause from None
            raise OSError(str(err)) from err
