"""A JSON list of findings; inputs that could not be read appear as findings
with code ``E000`` and severity error, so nothing is silently missing."""

from __future__ import annotations

import json

from pipeline.validate.formats import DocumentReport


def render(reports: list[DocumentReport]) -> str:
    out = []
    for report in reports:
        if report.error:
            out.append(
                {"code": "E000", "rule": "input-unreadable", "severity": "error", "message": report.error,
                 "location": {"file": report.path}, "fix": None}
            )
        out.extend(f.model_dump(mode="json") for f in report.findings)
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
