"""Safety checks of a DOCX package, done before python-docx opens it.

A DOCX is a ZIP of XML parts.  What is refused, and why here:

* not a ZIP, or a damaged one (truncated, bad CRC);
* a ZIP bomb: judged from the central directory alone, before anything is
  inflated — too many members, too much declared content, or a big member
  compressed suspiciously well.  Inflating cannot exceed the declared sizes:
  :mod:`zipfile` stops each member at its declared size and fails its CRC;
* encrypted members (a password-protected Word file is an OLE container and
  never gets here; a ZIP with encrypted members does);
* no main document part;
* an XML part that is not well-formed, or that declares a DTD.  Word never
  writes a DTD, and a DTD is how entity attacks (external files, «billion
  laughs») come in, so any ``<!DOCTYPE`` is refused outright.  The parser used
  here and python-docx's own (``docx.oxml.parser``) never resolve entities or
  load DTDs either.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from pipeline.errors import InputError
from pipeline.limits import limits

MAX_MEMBERS = 10_000
# Text XML deflates about 5–20×; zeros, about 1000×.  Small members may
# compress very well (a repetitive styles.xml), so only big ones are judged.
MAX_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024

MAIN_DOCUMENT_DEFAULT = "word/document.xml"
_OFFICE_DOCUMENT = "/officeDocument"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

_SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def _parse(data: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(data, _SAFE_PARSER))


def _check_directory(path: Path, archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise InputError(str(path), f"подозрительный DOCX: слишком много частей в архиве ({len(members)})")
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size >= RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            reason = f"подозрительный DOCX: часть {member.filename} сжата в {ratio} раз (ZIP-бомба?)"
            raise InputError(str(path), reason)
        if member.flag_bits & 0x1:
            raise InputError(str(path), "DOCX зашифрован (защищён паролем)")
    # Only XML is parsed; pictures and fonts are never inflated.
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    limit = limits().max_xml_mb
    if xml > limit * 1024 * 1024:
        raise InputError(
            str(path),
            f"слишком большой DOCX: {xml / 1048576:.0f} МБ XML в распакованном виде (предел {limit:g} МБ, ROADMAP_MAX_XML_MB)",
        )


def _main_document_name(archive: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships."""
    try:
        rels = _parse(archive.read("_rels/.rels")).getroot()
    except (KeyError, etree.XMLSyntaxError):
        return MAIN_DOCUMENT_DEFAULT
    for rel in rels.iter(_RELATIONSHIPS):
        if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            return posixpath.normpath(target.lstrip("/")) if target else MAIN_DOCUMENT_DEFAULT
    return MAIN_DOCUMENT_DEFAULT


def _is_xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _check_xml(path: Path, name: str, data: bytes) -> None:
    try:
        tree = _parse(data)
    except etree.XMLSyntaxError:
        raise InputError(str(path), f"повреждённый DOCX: испорчен XML в части {name}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InputError(str(path), f"недопустимый DOCX: часть {name} объявляет DTD (возможна XXE-атака)")


def check_package(path: Path) -> None:
    """Refuse a file that is not a safe, well-formed DOCX package, with an
    :class:`InputError` that says why.  Opens the file; inflates only XML
    parts, and only after the directory has passed."""
    try:
        with zipfile.ZipFile(path) as archive:
            _check_directory(path, archive)
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                raise InputError(str(path), "это не DOCX: нет [Content_Types].xml")
            main = _main_document_name(archive)
            if main not in names:
                raise InputError(str(path), f"это не DOCX: нет {main}")
            for name in sorted(names):
                if _is_xml_part(name):
                    _check_xml(path, name, archive.read(name))
    except zipfile.BadZipFile:
        with path.open("rb") as fh:
            looks_like_zip = fh.read(4) == b"PK\x03\x04"
        reason = "повреждённый DOCX: архив обрезан или испорчен" if looks_like_zip else "это не DOCX: файл не ZIP-архив"
        raise InputError(str(path), reason) from None
    except (zlib.error, EOFError, NotImplementedError):
        # A damaged deflate stream, or a compression method zipfile lacks.
        raise InputError(str(path), "повреждённый DOCX: архив не распаковывается") from None
    except OSError as exc:
        raise InputError(str(path), f"файл не читается: {exc.strerror}") from None
