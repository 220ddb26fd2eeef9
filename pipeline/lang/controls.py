"""Control characters: what each output can hold, and what it shows instead.

Sources carry them — Word's vertical tab for a manual line break, field
markers, stray bytes — and a web edit can type one in.  The JSON keeps every
character (JSON escapes them); the formats that cannot hold them get a
visible stand-in, never a silent loss and never a crash:

* XML (DOCX, XLSX, JUnit, SARIF in XML viewers): XML 1.0 forbids C0 controls
  other than tab, line feed and carriage return; they become the Unicode
  control picture of the character («␁» for U+0001);
* a terminal (text and GitHub reports): C0 and C1 controls and DEL become
  their control pictures too, so a report can never move the cursor or
  change colours.
"""

from __future__ import annotations

import re

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold made visible."""
    return _NOT_XML.sub(lambda m: _picture(m.group()), text) if text else text


def terminal_safe(text: str) -> str:
    """``text`` with control characters (other than tab and line feed) made
    visible, for printing to a terminal."""
    return _NOT_TERMINAL.sub(lambda m: _picture(m.group()), text) if text else text
