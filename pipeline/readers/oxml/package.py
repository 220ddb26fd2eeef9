"""A DOCX package opened safely: checked, then its parts resolved.

A DOCX is a ZIP of XML parts.  What is refused, and why here:

* not a ZIP, or a damaged one (truncated, bad CRC);
* a ZIP bomb: judged from the central directory alone, before anything is
  inflated — too many members, too much declared content, or a big member
  compressed suspiciously well.  Inflating cannot exceed the declared sizes:
  :mod:`zipfile` stops each member at its declared size and fails its CRC;
* encrypted members (a password-protected Word file is an OLE container and
  never gets here; a ZIP with encrypted members does);
* no main document part, or a main part of another kind (a template, a
  macro-enabled document);
* a relationship to a part the package does not hold, or a part with no
  content type (Word calls such a file unreadable);
* an XML part that is not well-formed, or that declares a DTD.  Word never
  writes a DTD, and a DTD is how entity attacks (external files, «billion
  laughs») come in, so any ``<!DOCTYPE`` is refused outright.  The parser
  used here never resolves entities or loads DTDs either.

The parts are then found as the Open Packaging Conventions say (ECMA-376
Part 2): the package relationships name the main document, its own
relationships name its styles and numbering, ``[Content_Types].xml`` gives
each part's type.  That is all the reader needs of a package, so this is
done here, on the trees already parsed for the checks, rather than by
python-docx, whose document model the reader never uses (it walks the XML
itself) and which would parse the same parts a second time.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections import deque
from dataclasses import dataclass
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
WORD_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Relationship types end the same in the transitional and the strict
# vocabulary (…/officeDocument/2006/relationships/styles and
# …/officeDocument/relationships/styles), so they are matched by their end.
_OFFICE_DOCUMENT = "/officeDocument"
_STYLES = "/styles"
_NUMBERING = "/numbering"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"

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


@dataclass(frozen=True)
class Relationship:
    type: str
    target: str  # the target part's member name


def _relationships(trees: dict[str, etree._ElementTree], source: str) -> list[Relationship]:
    """The internal relationships of the part ``source`` ("" for the package),
    their targets resolved against the part's folder."""
    folder, name = posixpath.split(source)
    tree = trees.get(posixpath.join(folder, "_rels", f"{name}.rels"))
    if tree is None:
        return []
    out = []
    for rel in tree.getroot().iter(_RELATIONSHIPS):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        # An absolute target starts at the package root; a relative one at the source's folder.
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out.append(Relationship(rel.get("Type") or "", posixpath.normpath(joined)))
    return out


def _content_type(types: etree._Element | None, name: str) -> str | None:
    if types is None:
        return None
    for override in types.iter(f"{_CONTENT_TYPES}Override"):
        if (override.get("PartName") or "").lstrip("/").lower() == name.lower():
            return override.get("ContentType")
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    for default in types.iter(f"{_CONTENT_TYPES}Default"):
        if (default.get("Extension") or "").lower() == extension:
            return default.get("ContentType")
    return None


@dataclass
class WordPackage:
    """The parts of a checked DOCX the reader uses, as parsed trees."""

    document: etree._Element
    styles: etree._Element | None
    numbering: etree._Element | None


def _is_xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _checked_tree(path: Path, name: str, data: bytes) -> etree._ElementTree:
    try:
        tree = _parse(data)
    except etree.XMLSyntaxError:
        raise InputError(str(path), f"повреждённый DOCX: испорчен XML в части {name}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InputError(str(path), f"недопустимый DOCX: часть {name} объявляет DTD (возможна XXE-атака)")
    return tree


def open_package(path: Path) -> WordPackage:
    """The checked package's main document, styles and numbering, or an
    :class:`InputError` that says why the file is not a safe, well-formed
    Word document.  Inflates only XML parts, and only after the directory
    has passed."""
    try:
        with zipfile.ZipFile(path) as archive:
            _check_directory(path, archive)
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                raise InputError(str(path), "это не DOCX: нет [Content_Types].xml")
            trees = {name: _checked_tree(path, name, archive.read(name)) for name in sorted(names) if _is_xml_part(name)}
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
    return _resolve(path, names, trees)


def _resolve(path: Path, names: set[str], trees: dict[str, etree._ElementTree]) -> WordPackage:
    types = trees["[Content_Types].xml"].getroot()
    package_rels = _relationships(trees, "")
    main = next((r.target for r in package_rels if r.type.endswith(_OFFICE_DOCUMENT)), MAIN_DOCUMENT_DEFAULT)
    if main not in names:
        raise InputError(str(path), f"это не DOCX: нет {main}")
    # Every part the relationships reach must be there and typed, as Word
    # requires; what no relationship reaches is ignored.
    seen: set[str] = set()
    queue = deque(r.target for r in package_rels)
    while queue:
        name = queue.popleft()
        if name in seen:
            continue
        seen.add(name)
        if name not in names:
            raise InputError(str(path), f"повреждённый DOCX: нет части {name}, на которую ссылается пакет")
        if _content_type(types, name) is None:
            raise InputError(str(path), f"повреждённый DOCX: у части {name} не указан тип содержимого")
        queue.extend(r.target for r in _relationships(trees, name))
    if _content_type(types, main) != WORD_DOCUMENT:
        raise InputError(str(path), "это не документ DOCX (шаблон, документ с макросами или другой формат Office)")

    def related(kind: str) -> etree._Element | None:
        target = next((r.target for r in _relationships(trees, main) if r.type.endswith(kind)), None)
        tree = trees.get(target) if target else None
        return None if tree is None else tree.getroot()

    document = trees.get(main)
    if document is None:  # a main part not named .xml
        raise InputError(str(path), f"повреждённый DOCX: часть {main} не XML")
    return WordPackage(document.getroot(), related(_STYLES), related(_NUMBERING))
