"""Output formats for findings: text, json, sarif, junit, github."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas import Finding


@dataclass(slots=True)
class DocumentReport:
    """The outcome of checking one input: its findings, or why it could not be read."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    format: str | None = None  # text, docx, pdf … of the source


def rule_counts(reports: list[DocumentReport]) -> list[tuple[int, str, str, str]]:
    """(count, code, name, summary) of each rule that found something — an
    unreadable input counted as E000 —, the commonest first: ``--statistics``."""
    from collections import Counter

    from pipeline.validate import all_rules

    rules = {r.code: r for r in all_rules()}
    counts = Counter(f.code for r in reports for f in r.findings)
    rows = [(n, code, rules[code].name, rules[code].summary) for code, n in counts.items()]
    unread = sum(1 for r in reports if r.error)
    if unread:
        rows.append((unread, "E000", "input-unreadable", "документ не прочитан"))
    return sorted(rows, key=lambda r: (-r[0], r[1]))


def render(name: str, reports: list[DocumentReport]) -> str:
    from pipeline.validate.formats import github, junit, sarif, text
    from pipeline.validate.formats import json as json_format

    writers = {"text": text.render, "json": json_format.render, "sarif": sarif.render, "junit": junit.render, "github": github.render}
    return writers[name](reports)
