"""Readers: a file in, the common :class:`~pipeline.layout.Layout` out.

The format is decided by the file's content, not its name: a renamed file is
read for what it is, and a file that is none of the supported formats gets a
clear error.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError
from pipeline.layout import Layout, nfc
from pipeline.limits import limits

_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"\x7fELF", "program"),
    (b"MZ", "program"),
]


def sniff(head: bytes) -> str:
    """The kind of file from its first bytes: pdf, zip, odt, ole, rtf, program or text."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            # An OpenDocument file is a ZIP whose first member, stored
            # uncompressed, is «mimetype» naming the format.
            if kind == "zip" and head[30:38] == b"mimetype" and b"opendocument.text" in head[38:100]:
                return "odt"
            return kind
    return "text"


def read_document(path: str | Path) -> Layout:
    """Read any supported file into a layout (its text in NFC), or raise
    :class:`InputError`."""
    path = Path(path)
    head = readable_head(path)
    return nfc(_read(path, sniff(head)))


def readable_head(path: Path) -> bytes:
    """The file's first bytes, or :class:`InputError` when it is missing, a
    folder, unreadable or over the size limit — what is refused before any
    reading (a batch refuses so before it sends a file to a cluster)."""
    if not path.exists():
        raise InputError(str(path), "файл не найден")
    if path.is_dir():
        raise InputError(str(path), "это каталог, а не файл")
    try:
        with path.open("rb") as fh:
            head = fh.read(128)
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"файл не читается: {exc.strerror}") from None
    refuse_if_too_large(str(path), size)
    return head


def refuse_if_too_large(path: str, size: int) -> None:
    limit = limits().max_file_mb
    if size > limit * 1024 * 1024:
        raise InputError(path, f"файл слишком велик: {size / 1048576:.0f} МБ (предел {limit:g} МБ, ROADMAP_MAX_FILE_MB)")


def _read(path: Path, kind: str) -> Layout:
    if kind == "text":
        from pipeline.readers.text import read_text

        return read_text(path)
    if kind == "pdf":
        from pipeline.errors import NoTextLayer
        from pipeline.readers.pdf import read_pdf

        try:
            return read_pdf(path)
        except NoTextLayer:
            from pipeline.readers.ocr import read_scan
            from pipeline.readers.pdf import check_text_elsewhere

            # pdfium finds text where pdfminer found none: the file is
            # damaged (broken stream lengths), not a scan — say so at once
            # rather than spend minutes reading its pages as images.
            check_text_elsewhere(path)
            return read_scan(path, "pdf")  # the clear «no text layer» error without Tesseract
    if kind == "image":
        from pipeline.readers.ocr import read_scan

        return read_scan(path, "image")
    if kind == "zip":
        from pipeline.readers.docx import read_docx

        return read_docx(path)
    if kind in {"ole", "rtf", "odt"}:
        from pipeline.readers.office import read_office

        return read_office(path, kind)
    if kind == "program":
        raise InputError(str(path), "это исполняемая программа, а не документ")
    raise AssertionError(f"unhandled kind {kind}")
