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


def render(name: str, reports: list[DocumentReport]) -> str:
    from pipeline.validate.formats import github, junit, sarif, text
    from pipeline.validate.formats import json as json_format

    writers = {"text": text.render, "json": json_format.render, "sarif": sarif.render, "junit": junit.render, "github": github.render}
    return writers[name](reports)
