"""JUnit XML: one testsuite per document, one testcase per rule; a rule
with error findings fails, warnings and notes go to the case's output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pipeline.lang.controls import xml_safe
from pipeline.lang.labels import label
from pipeline.validate import all_rules
from pipeline.validate.formats import DocumentReport
from pipeline.validate.formats.text import where


def render(reports: list[DocumentReport]) -> str:
    root = ET.Element("testsuites", name="roadmap validate")
    total_tests = total_failures = total_errors = 0
    codes = [r.code for r in all_rules()]
    rules = {r.code: r for r in all_rules()}
    for report in reports:
        suite = ET.SubElement(root, "testsuite", name=report.path)
        if report.error:
            case = ET.SubElement(suite, "testcase", classname=report.path, name="E000 input-unreadable")
            ET.SubElement(case, "error", message=report.error).text = report.error
            suite.set("tests", "1")
            suite.set("failures", "0")
            suite.set("errors", "1")
            total_tests += 1
            total_errors += 1
            continue
        by_code: dict[str, list] = {}
        for f in report.findings:
            by_code.setdefault(f.code, []).append(f)
        failures = 0
        ran = [c for c in codes if c in by_code] + [c for c in codes if c not in by_code]
        for code in ran:
            findings = by_code.get(code, [])
            case = ET.SubElement(suite, "testcase", classname=report.path, name=f"{code} {rules[code].name}")
            errors = [f for f in findings if f.severity == "error"]
            others = [f for f in findings if f.severity != "error"]
            if errors:
                failures += 1
                text = "\n".join(f"{where(f)}: {f.message}" for f in errors)
                ET.SubElement(case, "failure", message=f"{len(errors)} × {code}", type=code).text = text
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(f"{where(f)}: [{label('severity', f.severity)}] {f.message}" for f in others)
        suite.set("tests", str(len(ran)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total_tests += len(ran)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    # ElementTree writes control characters raw, which no XML parser accepts.
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_safe(ET.tostring(root, encoding="unicode")) + "\n"
