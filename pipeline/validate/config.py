"""Configuration from ``[tool.roadmap]`` in the nearest ``pyproject.toml``,
like ruff's::

    [tool.roadmap]
    select = ["D", "P", "N", "R", "C"]   # codes or prefixes; default: all
    ignore = ["D004"]
    [tool.roadmap.severity]
    P003 = "error"                        # override a rule's default
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pipeline.validate.registry import Selection

SEVERITIES = {"error", "warning", "info"}


class ConfigError(Exception):
    pass


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_selection(start: Path | None = None) -> tuple[Selection, Path | None]:
    """The selection configured for ``start`` (the working directory)."""
    path = find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Selection(), None
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: не читается как TOML ({exc})") from None
    section = data.get("tool", {}).get("roadmap", {})
    selection = Selection()
    if "select" in section:
        selection.select = [str(s) for s in section["select"]]
    selection.ignore = [str(s) for s in section.get("ignore", [])]
    severity = section.get("severity", {})
    for code, level in severity.items():
        if level not in SEVERITIES:
            raise ConfigError(f"{path}: [tool.roadmap.severity] {code} = {level!r}: ожидается error, warning или info")
    selection.severity = {str(k).upper(): v for k, v in severity.items()}
    return selection, path
