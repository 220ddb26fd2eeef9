"""GitHub Actions workflow commands: ``::error file=…,line=…,title=…::message``.

Escaping as the runner expects: in the message ``%``, CR and LF are
percent-encoded; in property values also ``:`` and ``,``.
"""

from __future__ import annotations

from pipeline.lang.controls import terminal_safe
from pipeline.validate.formats import DocumentReport
from schemas import Finding

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return terminal_safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{level} {props}::{escape_data(message)}" if props else f"::{level}::{escape_data(message)}"


def _line(report: DocumentReport, finding: Finding) -> int | None:
    # Only a text file's line is a line of the file GitHub shows.
    return finding.location.line if report.format == "text" else None


def render(reports: list[DocumentReport]) -> str:
    lines = []
    for report in reports:
        if report.error:
            lines.append(command("error", report.error, file=report.path, title="E000 input-unreadable"))
            continue
        for f in report.findings:
            page = f" (стр. {f.location.page})" if f.location.page else ""
            lines.append(command(_LEVEL[f.severity], f"{f.message}{page}", file=report.path, line=_line(report, f), title=f"{f.code} {f.rule}"))
    return "\n".join(lines) + ("\n" if lines else "")
