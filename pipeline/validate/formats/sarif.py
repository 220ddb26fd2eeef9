"""SARIF 2.1.0: the rules in ``tool.driver.rules``, one result per finding."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import __version__
from pipeline.validate import all_rules
from pipeline.validate.formats import DocumentReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def render(reports: list[DocumentReport]) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    driver = {
        "name": "roadmap-orders",
        "version": __version__,
        "informationUri": "https://pypi.org/project/roadmap-orders/",
        "rules": [
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.doc.split("\n\n")[0] if r.doc else r.summary},
                "help": {"text": r.doc or r.summary},
                "defaultConfiguration": {"level": _LEVEL[r.severity]},
            }
            for r in rules
        ],
    }
    results = []
    notifications = []
    artifacts = []
    for report in reports:
        artifacts.append({"location": {"uri": _uri(report.path)}})
        if report.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{report.path}: {report.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(report.path)}}}],
                }
            )
            continue
        for f in report.findings:
            physical: dict = {"artifactLocation": {"uri": _uri(f.location.file), "index": len(artifacts) - 1}}
            if report.format == "text" and f.location.line:
                physical["region"] = {"startLine": f.location.line}
            logical = []
            if f.location.item:
                logical.append({"name": f.location.item, "kind": "member", "fullyQualifiedName": f"roadmap[{f.location.roadmap}].item {f.location.item}"})
            elif f.location.clause:
                logical.append({"name": f.location.clause, "kind": "member", "fullyQualifiedName": f"clause {f.location.clause}"})
            location: dict = {"physicalLocation": physical}
            if logical:
                location["logicalLocations"] = logical
            result = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [location],
                "properties": {k: v for k, v in f.location.model_dump().items() if v is not None and k != "file"},
            }
            if f.fix:  # a document is not text SARIF «fixes» can edit: the suggestion is a property
                result["properties"]["fix"] = f.fix
            results.append(result)
    run: dict = {"tool": {"driver": driver}, "artifacts": artifacts, "results": results, "columnKind": "unicodeCodePoints"}
    if notifications:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
