"""The rule registry: every rule is a unit with a code, a name, a default
severity, a one-line summary and a documentation with a bad and a good
example — as ruff lays out its rules.  A rule's check reads a normalized
:class:`~schemas.Order` and yields :class:`Hit` s; the registry turns them into
findings with the configured severity.  Output formats live elsewhere.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from schemas import Finding, FindingLocation, Order, Severity


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check found: a message (Russian) and where; a suggested fix."""

    message: str
    location: dict = field(default_factory=dict)
    fix: str | None = None
    replaces: str | None = None  # the text the fix replaces where the hit points


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Callable[[Order], Iterable[Hit]]

    @property
    def category(self) -> str:
        return self.code.rstrip("0123456789")


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, summary: str):
    """Register a check; its docstring is the rule's documentation."""

    def register(check: Callable[[Order], Iterable[Hit]]) -> Callable[[Order], Iterable[Hit]]:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, name, severity, summary, inspect.cleandoc(check.__doc__ or ""), check)
        return check

    return register


def matches(code: str, patterns: Iterable[str]) -> bool:
    """``ALL`` selects every rule, ``D`` D001 … D999, ``D00`` D001 … D009,
    ``D001`` itself."""
    for pattern in patterns:
        pattern = pattern.strip().upper()
        if pattern == "ALL" or (pattern and code.startswith(pattern)):
            return True
    return False


class SelectorError(ValueError):
    """A rule code or prefix that names no rule; the message says which."""


def check_selectors(patterns: Iterable[str], where: str) -> list[str]:
    """The patterns, upper-cased, or :class:`SelectorError` naming those
    that select no rule (``Z9``, a misspelt ``D0004``) — as ruff refuses an
    unknown selector rather than silently running nothing."""
    from pipeline.validate import rules as _  # noqa: F401  registers the rules

    cleaned = [p.strip().upper() for p in patterns if p.strip()]
    unknown = [p for p in cleaned if p != "ALL" and not any(code.startswith(p) for code in RULES)]
    if unknown:
        names = ", ".join(unknown)
        known = ", ".join(sorted({r.category for r in RULES.values()}))
        noun = "нет правил с кодами" if len(unknown) > 1 else "нет правила с кодом"
        raise SelectorError(f"{where}: {noun} {names} (коды правил начинаются с {known}; список: roadmap rules)")
    return cleaned


@dataclass(slots=True)
class Selection:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)

    def rules(self) -> list[Rule]:
        from pipeline.validate import rules as _  # noqa: F401  registers the rules

        return [RULES[code] for code in sorted(RULES) if matches(code, self.select) and not matches(code, self.ignore)]

    def severity_of(self, rule_: Rule) -> Severity:
        # The longest pattern wins: «R = "info"» with «R001 = "error"».
        for pattern in sorted(self.severity, key=len, reverse=True):
            if matches(rule_.code, [pattern]):
                return self.severity[pattern]
        return rule_.severity


def run(order: Order, path: str, selection: Selection) -> Iterator[Finding]:
    for rule_ in selection.rules():
        for hit in rule_.check(order):
            yield Finding(
                code=rule_.code,
                rule=rule_.name,
                severity=selection.severity_of(rule_),
                message=hit.message,
                location=FindingLocation(file=path, **hit.location),
                fix=hit.fix,
                replaces=hit.replaces if hit.fix else None,
            )
