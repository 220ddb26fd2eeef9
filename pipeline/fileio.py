"""Writing outputs so that a failure never leaves a half-written file.

An output is written to a temporary file beside its target and renamed over
it.  A rename replaces whatever the name pointed at, so the target must be a
regular file or nothing: renaming over ``/dev/null`` (as root) turns the
device into a regular file and breaks the machine; renaming over a symlink
would replace the link, so the file it points at is written instead.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


class OutputError(OSError):
    """The output cannot be written there; the message is for the user."""


def output_target(path: str | Path) -> Path:
    """The file a write to ``path`` replaces, or :class:`OutputError`."""
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"нельзя записать: {exc.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError("это каталог; укажите имя файла")
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError("это не обычный файл (устройство или канал); укажите путь к файлу")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"каталога {parent} нет")
    return path


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic_with(path, lambda fh: fh.write(payload))


def write_atomic_with(path: str | Path, write: Callable[[BinaryIO], object]) -> None:
    """``write(file)`` into a temporary file beside ``path``, then rename it
    into place: an output too large to hold whole in memory is written in
    pieces, and still never half-written."""
    path = output_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"нельзя записать в каталог {path.parent}: {exc.strerror}") from None
    try:
        # mkstemp creates the file 0600; give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"не удалось записать: {exc.strerror or exc}") from None
        raise
