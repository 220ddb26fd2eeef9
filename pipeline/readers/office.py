"""Other office formats (.doc, .rtf, .odt) through LibreOffice.

LibreOffice converts them to DOCX headless, in a temporary directory with a
temporary user profile (so parallel conversions do not fight over one
profile); the DOCX reader reads the result.  Without LibreOffice, the user is
told what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import InputError
from pipeline.layout import Layout

CONVERSION_TIMEOUT_S = 180
_NAMES = {"ole": "DOC (Word 97–2003)", "rtf": "RTF", "odt": "ODT"}


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, kind: str, workdir: Path) -> Path:
    """``path`` converted by LibreOffice into ``workdir``; the new file's path."""
    program = soffice()
    if program is None:
        raise InputError(
            str(path),
            f"формат {_NAMES.get(kind, kind)} читается через LibreOffice, а он не установлен "
            "(apt-get install libreoffice-writer-nogui) — или сохраните документ как DOCX",
        )
    # A copy with a plain name: LibreOffice picks the filter by extension too.
    suffix = {"ole": ".doc", "rtf": ".rtf", "odt": ".odt"}.get(kind, path.suffix)
    source = workdir / f"input{suffix}"
    shutil.copyfile(path, source)
    profile = workdir / "profile"
    command = [
        program,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(workdir / "out"),
        str(source),
    ]
    try:
        subprocess.run(
            command,
            check=True,
            capture_output=True,
            timeout=CONVERSION_TIMEOUT_S,
            env={**os.environ, "HOME": str(workdir)},
        )
    except subprocess.TimeoutExpired:
        raise InputError(str(path), f"LibreOffice не преобразовал документ за {CONVERSION_TIMEOUT_S} с") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(str(path), f"LibreOffice не смог открыть документ ({detail[-1] if detail else exc.returncode})") from None
    result = workdir / "out" / "input.docx"
    if not result.exists():
        raise InputError(str(path), f"LibreOffice не смог прочитать файл как {_NAMES.get(kind, kind)}")
    return result


def read_office(path: Path, kind: str) -> Layout:
    """Read a .doc, .rtf or .odt file as the DOCX LibreOffice makes of it."""
    from pipeline.readers.docx import read_docx

    with tempfile.TemporaryDirectory(prefix="roadmap-office-") as tmp:
        converted = convert_to_docx(path, kind, Path(tmp))
        layout = read_docx(converted)
    layout.path = str(path)
    layout.format = {"ole": "doc"}.get(kind, kind)
    return layout
