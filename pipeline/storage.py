"""Where a batch reads documents and writes outputs: a path on this machine
or an fsspec URL (``s3://bucket/orders/``, ``file:///shared/orders``).

A URL is what a machine that does not share our disk can still reach: a
worker of a cluster reads its document from it and writes its outputs to it
itself.  A plain path is this machine's; a cluster's workers get its bytes
sent to them and send their outputs back.  fsspec is imported only when a
URL is met (a protocol other than ``file`` needs its own package: s3fs,
gcsfs, adlfs).

Writes never leave a half-written output: a local one is renamed into place
(:mod:`pipeline.fileio`), an object store's object appears whole when its
upload completes, and any other filesystem gets a temporary name moved over
the target.
"""

from __future__ import annotations

import posixpath
import re
import uuid
from datetime import datetime
from pathlib import Path

from pipeline.fileio import OutputError, write_atomic

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Stores where an object is visible only once wholly written.
_WHOLE_OBJECT = {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "memory"}


def is_url(location: str | Path) -> bool:
    return isinstance(location, str) and bool(_URL.match(location))


def _fs(url: str):
    try:
        from fsspec.core import url_to_fs
    except ImportError:  # pragma: no cover — fsspec comes with the cluster extra
        raise OutputError(f"{url}: для адресов нужен пакет fsspec: pip install 'roadmap-orders[cluster]'") from None
    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as exc:
        # An unknown protocol, or one whose package is missing (s3fs for s3://).
        raise OutputError(f"{url}: адрес не открыть: {exc}") from None


def local_path(location: str | Path) -> Path | None:
    """The file on this machine a location names (a path, or a ``file://``
    URL), or None for a remote one."""
    if not is_url(location):
        return Path(location)
    fs, path = _fs(location)
    return Path(path) if _is_local(fs) else None


def _is_local(fs) -> bool:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return protocol in ("file", "local")


def basename(location: str | Path) -> str:
    return posixpath.basename(str(location).rstrip("/")) if is_url(location) else Path(location).name


def join(base: str | Path, name: str) -> str | Path:
    """``name`` (a relative name with ``/``) below ``base``."""
    if is_url(base):
        return base.rstrip("/") + "/" + name
    return Path(base) / name


def read_bytes(location: str | Path, limit: int | None = None) -> bytes:
    """The whole file; more than ``limit`` bytes are not read (the caller
    refuses the file for its size)."""
    if not is_url(location):
        with open(location, "rb") as fh:
            return fh.read() if limit is None else fh.read(limit + 1)
    fs, path = _fs(location)
    with fs.open(path, "rb") as fh:
        return fh.read() if limit is None else fh.read(limit + 1)


def open_binary(location: str | Path):
    """A seekable binary file object (a ZIP's directory is read with range requests)."""
    if not is_url(location):
        return open(location, "rb")
    fs, path = _fs(location)
    return fs.open(path, "rb")


def head(location: str | Path, size: int = 128) -> bytes:
    if not is_url(location):
        with open(location, "rb") as fh:
            return fh.read(size)
    fs, path = _fs(location)
    return fs.cat_file(path, start=0, end=size)


def stat(location: str | Path) -> tuple[int, float | None] | None:
    """(size in bytes, modification time or None when the store does not
    say), or None when the file does not exist — one request for both."""
    if not is_url(location):
        try:
            st = Path(location).stat()
        except OSError:
            return None
        return st.st_size, st.st_mtime
    fs, path = _fs(location)
    try:
        info = fs.info(path)
    except (FileNotFoundError, OSError):
        return None
    return int(info.get("size") or 0), _info_time(info)


def modified(location: str | Path) -> float | None:
    """The modification time (seconds since the epoch), or None when the
    file does not exist or its store does not say."""
    found = stat(location)
    return found[1] if found else None


def size(location: str | Path) -> int:
    """The size in bytes, 0 when unknown."""
    found = stat(location)
    return found[0] if found else 0


def times_below(folder: str | Path) -> dict[str, float | None] | None:
    """The modification time of every file below a folder URL, by URL, from
    one listing (a store answers a request per file slowly: a batch's
    up-to-date check of 100 000 outputs would be as many requests); None
    for a path of this machine, where a file's own stat is cheap."""
    if not is_url(folder):
        return None
    fs, root = _fs(folder)
    root = root.rstrip("/")
    try:
        found = fs.find(root, detail=True)
    except (FileNotFoundError, OSError):
        return {}
    return {folder.rstrip("/") + "/" + posixpath.relpath(path, root): _info_time(info) for path, info in found.items()}


def _info_time(info: dict) -> float | None:
    for key in ("mtime", "LastModified", "last_modified", "updated", "modified", "created"):
        value = info.get(key)
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, datetime):
            return value.timestamp()
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
    return None


def is_dir(location: str | Path) -> bool:
    if not is_url(location):
        return Path(location).is_dir()
    fs, path = _fs(location)
    return fs.isdir(path)


def files_below(folder: str | Path) -> list[tuple[str | Path, str]]:
    """(file, its name relative to ``folder`` with ``/``) of every file below
    a folder — a path or a URL — in name order."""
    if not is_url(folder):
        folder = Path(folder)
        return [(p, p.relative_to(folder).as_posix()) for p in sorted(folder.rglob("*")) if p.is_file()]
    fs, root = _fs(folder)
    root = root.rstrip("/")
    found = []
    for path in sorted(fs.find(root)):
        relative = posixpath.relpath(path, root)
        found.append((folder.rstrip("/") + "/" + relative, relative))
    return found


def write(location: str | Path, data: bytes) -> None:
    """``data`` whole at ``location``, never half-written; :class:`OutputError`."""
    if not is_url(location):
        try:
            Path(location).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"нельзя создать каталог {Path(location).parent}: {exc.strerror}") from None
        write_atomic(location, data)
        return
    fs, path = _fs(location)
    if _is_local(fs):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        return
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    try:
        parent = posixpath.dirname(path)
        if parent:
            fs.makedirs(parent, exist_ok=True)
        if protocol in _WHOLE_OBJECT:
            fs.pipe_file(path, data)
        else:
            temporary = f"{parent}/.{posixpath.basename(path)}.{uuid.uuid4().hex}.tmp"
            fs.pipe_file(temporary, data)
            fs.mv(temporary, path)
    except OSError as exc:
        raise OutputError(f"не удалось записать {location}: {exc}") from None
