"""Word's XML vocabulary (WordprocessingML), read with lxml.

The low layer under the DOCX reader, split off as python-docx splits its
``oxml`` package from its document API: this layer knows element names,
value encodings and the style sheet, and nothing about the layout model.
Everything here reads; nothing writes.

Values are read leniently: a malformed number or an unknown keyword reads as
absent, so a sloppy generator's file degrades to "no formatting", never to an
exception.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"

Element = etree._Element

_FALSE = {"0", "false", "off"}


def w(tag: str) -> str:
    """The Clark name of a ``w:`` element or attribute: ``w("p")`` → ``{…main}p``."""
    return f"{{{W_NS}}}{tag}"


def mc(tag: str) -> str:
    return f"{{{MC_NS}}}{tag}"


def m(tag: str) -> str:
    return f"{{{M_NS}}}{tag}"


def find(element: Element | None, *path: str) -> Element | None:
    """The first ``w:`` descendant along ``path`` (child names), or None."""
    for tag in path:
        if element is None:
            return None
        element = element.find(w(tag))
    return element


def val(element: Element | None) -> str | None:
    """The ``w:val`` attribute of an element that may be absent."""
    return None if element is None else element.get(w("val"))


def int_val(element: Element | None) -> int | None:
    text = val(element)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def on_off(element: Element | None) -> bool | None:
    """A toggle such as ``<w:b/>``: None when absent, True when present with
    no value or a true one, False for "0"/"false"/"off"."""
    if element is None:
        return None
    text = val(element)
    return text is None or text.lower() not in _FALSE


def on_off_attr(text: str | None) -> bool:
    """An on/off attribute such as ``w:default="1"``; absent is off."""
    return text is not None and text.lower() not in _FALSE


class StyleSheet:
    """``styles.xml`` as lookups along each style's ``w:basedOn`` chain.

    Style ids are matched by dictionary, not by XPath, so an id with quotes in
    it cannot break a query."""

    def __init__(self, styles: Element | None):
        self._styles: dict[str, Element] = {}
        self._default_paragraph: str | None = None
        self._run_defaults: Element | None = None
        if styles is None:
            return
        for style in styles.iterfind(w("style")):
            style_id = style.get(w("styleId"))
            if style_id is None:
                continue
            self._styles.setdefault(style_id, style)
            if style.get(w("type")) == "paragraph" and on_off_attr(style.get(w("default"))):
                # The spec takes the last default of a type.
                self._default_paragraph = style_id
        self._run_defaults = find(styles, "docDefaults", "rPrDefault", "rPr")

    def paragraph_style_id(self, p_pr: Element | None) -> str | None:
        """The paragraph's style id, or the default paragraph style's."""
        style_id = val(find(p_pr, "pStyle"))
        return style_id if style_id in self._styles else self._default_paragraph

    def chain(self, style_id: str | None) -> Iterator[Element]:
        """The style and the styles it is based on, nearest first; stops at
        a loop or a dangling reference."""
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            style_id = val(find(style, "basedOn"))

    def inherited(self, style_id: str | None, *path: str) -> Element | None:
        """The first element at ``path`` (below ``w:style``) along the chain."""
        for style in self.chain(style_id):
            found = find(style, *path)
            if found is not None:
                return found
        return None

    def run_default(self, tag: str) -> Element | None:
        """A run property of the document defaults (``w:docDefaults``)."""
        return find(self._run_defaults, tag)

    def numbering_style_num_id(self, style_id: str) -> int | None:
        """The ``w:numId`` of a numbering style (the target of ``w:numStyleLink``)."""
        return int_val(self.inherited(style_id, "pPr", "numPr", "numId"))
