"""Configuration, found as ruff finds its own: ``--config FILE``, or else the
nearest folder (from the working one up) holding a ``roadmap.toml``, or a
``pyproject.toml`` with a ``[tool.roadmap]`` table::

    [tool.roadmap]                        # in roadmap.toml: the same keys at the top
    select = ["D", "P", "N", "R", "C"]   # codes or prefixes, or "ALL"; default: all
    ignore = ["D004"]
    [tool.roadmap.severity]
    P003 = "error"                        # override a rule's default

A key, a code or a severity that means nothing is an error naming it (with
the nearest right spelling), never ignored: a misspelt ``selekt`` would
otherwise run every rule and let a CI check pass that should not.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from pipeline.validate.registry import Selection, SelectorError, check_selectors

SEVERITIES = ("error", "warning", "info")
KEYS = ("select", "ignore", "severity")


class ConfigError(Exception):
    pass


def find_config(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        own = folder / "roadmap.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "roadmap" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: файл настроек не найден") from None
    except OSError as exc:
        raise ConfigError(f"{path}: файл настроек не читается ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: файл настроек не в кодировке UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: не читается как TOML ({exc})") from None


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" — может быть, {close[0]}?" if close else ""


def load_selection(config: Path | None = None, start: Path | None = None) -> tuple[Selection, Path | None]:
    """The rule selection of ``config`` (a ``pyproject.toml`` or a
    ``roadmap.toml``), or of the nearest configuration found from ``start``
    (the working folder); the default selection when there is none."""
    path = config or find_config((start or Path.cwd()).resolve())
    if path is None:
        return Selection(), None
    data = _read(path)
    if path.name == "pyproject.toml":
        section, table = data.get("tool", {}).get("roadmap", {}), "[tool.roadmap]"
    else:
        section, table = data, path.name
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: {table} должна быть таблицей")
    for key in section:
        if key not in KEYS:
            raise ConfigError(f"{path}: {table}: неизвестный ключ «{key}»{_suggest(key, KEYS)} (ключи: {', '.join(KEYS)})")
    selection = Selection()
    try:
        if "select" in section:
            selection.select = check_selectors(_strings(path, table, "select", section["select"]), f"{path}: {table} select")
        selection.ignore = check_selectors(_strings(path, table, "ignore", section.get("ignore", [])), f"{path}: {table} ignore")
        severity = section.get("severity", {})
        if not isinstance(severity, dict):
            raise ConfigError(f"{path}: {table} severity должна быть таблицей «код = уровень»")
        check_selectors(list(severity), f"{path}: {table} severity")
    except SelectorError as exc:
        raise ConfigError(str(exc)) from None
    for code, level in severity.items():
        if level not in SEVERITIES:
            raise ConfigError(f"{path}: {table} severity {code} = {level!r}: ожидается error, warning или info{_suggest(str(level), SEVERITIES)}")
    selection.severity = {str(k).upper(): v for k, v in severity.items()}
    return selection, path


def _strings(path: Path, table: str, key: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {table} {key} должен быть списком кодов, например {key} = [\"D\", \"P001\"]")
    return value


def selection_for(config: Path | None, select: list[str] | None, ignore: list[str] | None) -> Selection:
    """The selection a command runs: the configuration's, with ``--select``
    replacing its select and ``--ignore`` adding to its ignore (as ruff's
    options do).  Raises :class:`ConfigError`."""
    selection, _ = load_selection(config)
    try:
        if select:
            selection.select = check_selectors(select, "--select")
        if ignore:
            selection.ignore = selection.ignore + check_selectors(ignore, "--ignore")
    except SelectorError as exc:
        raise ConfigError(str(exc)) from None
    return selection
