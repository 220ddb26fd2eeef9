"""Validation: rules over a normalized order → findings.

:mod:`registry` holds the rules (each in :mod:`rules`), :mod:`config` reads
``[tool.roadmap]``, :mod:`formats` writes findings for people and CI.
"""

from __future__ import annotations

from pipeline.validate.registry import RULES, Rule, Selection, run
from schemas import Finding, Order

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def validate(order: Order, path: str, selection: Selection | None = None) -> list[Finding]:
    """Every finding of the selected rules, in document order."""
    findings = list(run(order, path, selection or Selection()))
    return sorted(findings, key=lambda f: (f.location.page or 0, f.location.line or 0, f.code))


def all_rules() -> list[Rule]:
    from pipeline.validate import rules as _  # noqa: F401  registers the rules

    return [RULES[code] for code in sorted(RULES)]
