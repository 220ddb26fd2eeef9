"""What every command and the web page take in: the documents that paths
name, and standard input.

A file named on the command line is always tried (the reader says what is
wrong with it).  In a folder, searched recursively, a file is taken when
its content is a document, as the readers decide formats — a PDF, a Word
package, an OpenDocument text, an old Word or RTF file, a page image, with
whatever name — or when its name says it is one (``.pdf``, ``.docx``,
``.txt`` …): a damaged «приказ.docx» is then reported as unreadable, not
dropped.  Plain text is taken only by its name, since any JSON, CSV or
source file is text too.  Hidden files and folders (``.git``) are passed
over, and so is what is neither (spreadsheets, archives, programs); the
count of those is reported, so that nothing is skipped silently.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.errors import InputError
from pipeline.limits import limits

DOCUMENT_KINDS = {"pdf", "odt", "ole", "rtf", "image"}
DOCUMENT_SUFFIXES = {".txt", ".md", ".pdf", ".docx", ".doc", ".rtf", ".odt", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# The file name standard input is read into: what messages call it.
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Document:
    """An input file and the name its outputs take (unique in the batch).
    ``path`` is a path of this machine, or a URL as given (a string)."""

    path: Path | str
    name: str


@dataclass(slots=True)
class Collected:
    documents: list[Document] = field(default_factory=list)
    # Files inside the folders that are not documents, left alone.
    passed_over: list[Path | str] = field(default_factory=list)

    @property
    def paths(self) -> list[Path | str]:
        return [d.path for d in self.documents]


def output_stem(name: str) -> str:
    """The name an output is named after: the file name without the
    suffixes of documents and of our own outputs («приказ.docx.json», a batch
    output, loses both), so an output never takes the source's own name."""
    path = Path(Path(name).name)
    while path.suffix.lower() in DOCUMENT_SUFFIXES | {".json", ".yaml", ".yml", ".img"}:
        path = path.with_suffix("")
    return path.name


def is_word_package(path: Path | str) -> bool:
    """A ZIP that holds a Word document (not a workbook, a presentation, an archive)."""
    from pipeline import storage

    try:
        with storage.open_binary(path) as fh, zipfile.ZipFile(fh) as archive:
            return any(name.startswith("word/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return True  # a damaged Word file is still reported as one


def looks_like_document(path: Path | str) -> bool:
    """Whether a file found in a folder is a document to read (see the module's docstring)."""
    from pipeline import storage
    from pipeline.readers import sniff

    if PurePosixPath(str(path)).suffix.lower() in DOCUMENT_SUFFIXES:
        return True
    try:
        head = storage.head(path)
    except OSError:
        return True  # unreadable: the reader reports it
    kind = sniff(head)
    if kind == "zip":
        return is_word_package(path)
    return kind in DOCUMENT_KINDS


def _hidden(relative: PurePosixPath) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


def collect_documents(paths: list[Path | str]) -> Collected:
    """Files as given; folders searched recursively for documents.  A file
    reached twice (given twice, or inside a folder also given) is taken
    once.  A URL (``s3://…/``, ``file://…``) names a file or a folder in
    the same way."""
    from pipeline import storage

    found: list[tuple[Path | str, PurePosixPath, tuple[str, ...]]] = []  # (file, its name, its full name)
    passed_over: list[Path | str] = []
    seen: set[tuple[str, ...]] = set()
    for path in paths:
        if not storage.is_url(path):
            path = Path(path)
        if storage.is_dir(path):
            pairs = []
            for member, relative in storage.files_below(path):
                relative = PurePosixPath(relative)
                if _hidden(relative):
                    continue
                if looks_like_document(member):
                    pairs.append((member, relative))
                else:
                    passed_over.append(member)
        else:
            pairs = [(path, PurePosixPath(storage.basename(path)))]
        for file, relative in pairs:
            key = _full_name(file)
            if key not in seen:
                seen.add(key)
                found.append((file, relative, key))
    documents = [Document(file, name) for (file, _, _), name in zip(found, _unique_names(found))]
    return Collected(documents, passed_over)


def _full_name(file: Path | str) -> tuple[str, ...]:
    """The file's name from the root of its filesystem, as parts (for a URL:
    its protocol, then its path)."""
    from pipeline import storage

    if storage.is_url(file):
        protocol, _, rest = file.partition("://")
        return (protocol + ":", *[p for p in rest.split("/") if p])
    return (file.resolve() if file.exists() else file.absolute()).parts[1:]


def _unique_names(found: list[tuple[Path | str, PurePosixPath, tuple[str, ...]]]) -> list[str]:
    """Each file's relative name; where two collide, their names grow by the
    folders above them until they differ."""
    full = [list(parts) for _, _, parts in found]
    depth = [len(rel.parts) for _, rel, _ in found]
    while True:
        names = ["/".join(parts[-d:]) for parts, d in zip(full, depth)]
        clashes = {n for n in names if names.count(n) > 1}
        grown = False
        for i, n in enumerate(names):
            if n in clashes and depth[i] < len(full[i]):
                depth[i] += 1
                grown = True
        if not clashes or not grown:
            return names


def read_stdin(folder: Path) -> Path:
    """Standard input saved as a file in ``folder`` (the readers read files;
    the format is decided by the content, as for any file).  Refused when
    empty or larger than the file limit."""
    limit = limits().max_file_mb * 1024 * 1024
    data = sys.stdin.buffer.read(int(limit) + 1)
    if not data:
        raise InputError(STDIN, "на стандартном вводе ничего нет")
    if len(data) > limit:
        raise InputError(STDIN, f"на стандартном вводе больше {limits().max_file_mb:g} МБ (предел ROADMAP_MAX_FILE_MB)")
    target = folder / "stdin"
    target.write_bytes(data)
    return target


def stdin_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="roadmap-stdin-")
