"""Rendering: an order back into a clean official document.

:mod:`context` prepares the values, :mod:`docx` fills ``templates/order.docx``
with docxtpl, :mod:`text` fills the HTML and Markdown Jinja templates, and PDF
is LibreOffice's conversion of the DOCX.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import InputError
from schemas import Order

FORMATS = ("docx", "html", "md", "pdf")
PDF_TIMEOUT_S = 180


def docx_to_pdf(data: bytes, label: str = "документ") -> bytes:
    """The PDF LibreOffice makes of a DOCX, in a temporary directory."""
    from pipeline.readers.office import soffice

    program = soffice()
    if program is None:
        raise InputError(label, "для PDF нужен LibreOffice (apt-get install libreoffice-writer-nogui); DOCX, HTML и Markdown доступны без него")
    with tempfile.TemporaryDirectory(prefix="roadmap-pdf-") as tmp:
        source = Path(tmp) / "order.docx"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_TIMEOUT_S, env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise InputError(label, f"LibreOffice не смог сделать PDF ({type(exc).__name__})") from None
        result = Path(tmp) / "order.pdf"
        if not result.exists():
            raise InputError(label, "LibreOffice не сделал PDF")
        return result.read_bytes()


def check_size(order: Order, label: str) -> None:
    """A document too big to lay out is refused before any work is done."""
    from pipeline.limits import limits

    lim = limits()
    items = sum(len(r.items) for r in order.roadmaps)
    if items > lim.max_render_items:
        raise InputError(label, f"слишком много пунктов для документа: {items} (предел {lim.max_render_items}, ROADMAP_MAX_RENDER_ITEMS)")
    widest = max((len(r.columns) for r in order.roadmaps), default=0)
    if widest > lim.max_render_columns:
        raise InputError(
            label, f"таблица слишком широка для документа: {widest} столбцов (предел {lim.max_render_columns}, ROADMAP_MAX_RENDER_COLUMNS)"
        )


def render(order: Order, to: str, label: str = "документ") -> bytes:
    """The order as ``to`` (docx, html, md, pdf), as bytes ready to write."""
    from pipeline.render.docx import render_docx
    from pipeline.render.text import render_html, render_markdown

    check_size(order, label)

    if to == "docx":
        return render_docx(order)
    if to == "pdf":
        return docx_to_pdf(render_docx(order), label)
    if to == "html":
        return render_html(order).encode("utf-8")
    if to == "md":
        return render_markdown(order).encode("utf-8")
    raise ValueError(f"unknown format {to}")
