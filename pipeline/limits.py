"""Limits on what one document may cost: size, pages, pixels, memory, time.

Hostile or broken files must fail with a clear message, not take the machine:
a 640 KB PDF can hold 2 000 pages, a 99 KB PNG can state a resolution that
makes it 50 000 pixels wide, a small ZIP can hold gigabytes of XML.  Every
limit is a setting: the defaults below, changed per process by environment
variables ``ROADMAP_<NAME>`` (``ROADMAP_MAX_PAGES=5000``,
``ROADMAP_TIMEOUT=120``) or by the command's options.  The messages name the
variable, so a user who meets a limit knows how to lift it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

_PREFIX = "ROADMAP_"


@dataclass(frozen=True, slots=True)
class Limits:
    # Any input file, in megabytes.
    max_file_mb: float = 200
    # Pages of a PDF read from its text layer.
    max_pages: int = 2000
    # Pages or image frames read by OCR (each costs seconds).
    max_scan_pages: int = 300
    # One page image at the OCR resolution, in megapixels: A4 at 300 dpi is
    # 8.7, A3 17.4; a poster-sized «page» is refused.
    max_page_megapixels: float = 40
    # A text conversion, in megabytes.
    max_text_mb: float = 20
    # The XML of a DOCX, uncompressed, in megabytes (a 500-page order is ~30).
    max_xml_mb: float = 60
    # Memory of the process reading one document, in megabytes.
    max_memory_mb: int = 4096
    # Wall time for one document, in seconds (0: none).
    timeout: float = 600
    # Items and columns a rendered document may hold.
    max_render_items: int = 20000
    max_render_columns: int = 40

    def env_name(self, name: str) -> str:
        return _PREFIX + name.upper()


def _parse(value: str, kind: type):
    return kind(float(value)) if kind is int else kind(value)


def from_environment(base: Limits | None = None) -> Limits:
    """The defaults, overridden by ``ROADMAP_<NAME>`` variables."""
    base = base or Limits()
    changes = {}
    for f in fields(Limits):
        raw = os.environ.get(_PREFIX + f.name.upper())
        if raw is None or not raw.strip():
            continue
        kind = type(getattr(base, f.name))
        try:
            changes[f.name] = _parse(raw.strip().replace(",", "."), kind)
        except ValueError:
            raise ValueError(f"{_PREFIX + f.name.upper()}={raw!r}: ожидается число") from None
    return replace(base, **changes)


_current: Limits | None = None


def limits() -> Limits:
    """The limits of this process (read from the environment once)."""
    global _current
    if _current is None:
        _current = from_environment()
    return _current


def configure(**changes) -> Limits:
    """Change limits for this process and the processes it starts (they
    inherit the environment)."""
    global _current
    new = replace(limits(), **{k: v for k, v in changes.items() if v is not None})
    for f in fields(Limits):
        os.environ[_PREFIX + f.name.upper()] = str(getattr(new, f.name))
    _current = new
    return new


def use_limits(chosen: Limits) -> None:
    """Take ``chosen`` as this process's limits: a worker of a cluster keeps
    the limits of the batch that sent it the document, not its own."""
    global _current
    _current = chosen
