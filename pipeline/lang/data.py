"""Loads the TOML data files that hold the language knowledge."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed ``pipeline/lang/data/<name>.toml``."""
    text = resources.files("pipeline.lang").joinpath("data", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)
