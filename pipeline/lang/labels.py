"""Russian names for the English codes the JSON keeps (``lang/data/labels.toml``):
``label("severity", "warning")`` → «предупреждение».  An unknown code is
shown as it is, never dropped."""

from __future__ import annotations

from pipeline.lang.data import load


def label(group: str, code: str | None) -> str:
    if code is None:
        return ""
    return load("labels").get(group, {}).get(code, code)
