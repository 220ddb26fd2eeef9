"""Inline markup left in converted text: HTML fragments and markdown bold.

Converters to text leave ``<b>``, ``<p>``, ``<ol>``/``<ul>``/``<li>``,
``<br>`` and entities in cells, and ``**bold**`` around titles.  This module
turns such a fragment into plain text with its line boundaries and tells
whether all of it was bold.  It uses the standard library's HTML parser, which
copes with the unclosed and stray tags such fragments carry.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCK_TAGS = {"p", "div", "li", "ol", "ul", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD_TAGS = {"b", "strong"}
_HTML_HINT = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>|&[a-zA-Z]+;|&#\d+;")
# Only «**»: underscores are blanks in orders («от _____ № _____»).
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])")


@dataclass(slots=True)
class InlineText:
    text: str
    bold: bool


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, bool]] = []
        self.bold_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BOLD_TAGS:
            self.bold_depth += 1
        elif tag == "br" or tag in _BLOCK_TAGS:
            self.parts.append(("\n", False))

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br":
            self.parts.append(("\n", False))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BOLD_TAGS:
            self.bold_depth = max(0, self.bold_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(("\n", False))

    def handle_data(self, data: str) -> None:
        self.parts.append((data, self.bold_depth > 0))


def _strip_markdown(text: str) -> list[tuple[str, bool]]:
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _MD_BOLD.finditer(text):
        parts.append((text[pos : m.start()], False))
        parts.append((m.group(1), True))
        pos = m.end()
    parts.append((text[pos:], False))
    return [(_MD_ESCAPE.sub(r"\1", t), b) for t, b in parts]


def _tidy_lines(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def parse_inline(fragment: str) -> InlineText:
    """Plain text (lines kept) and whether every visible character was bold."""
    pieces: list[tuple[str, bool]] = []
    for text, md_bold in _strip_markdown(fragment):
        if _HTML_HINT.search(text):
            collector = _Collector()
            collector.feed(text)
            collector.close()
            pieces.extend((t, b or md_bold) for t, b in collector.parts)
        else:
            pieces.append((html.unescape(text) if "&" in text else text, md_bold))
    visible = [(t, b) for t, b in pieces if t.strip()]
    bold = bool(visible) and all(b for _, b in visible)
    return InlineText(_tidy_lines("".join(t for t, _ in pieces)), bold)
