"""One finding per line — ``path:page:item: CODE message`` — then a summary.

``page`` is the page for paged files, ``L<line>`` for text files and DOCX
paragraphs (the block's number in the body), ``L<block>.<row>`` for a row
of a DOCX table; ``item``
is the roadmap item or clause number, ``-`` when the finding is about the
whole document.
"""

from __future__ import annotations

from collections import Counter

from pipeline.lang.controls import terminal_safe
from pipeline.lang.numerals import count
from pipeline.validate.formats import DocumentReport, rule_counts
from schemas import Finding


def where(finding: Finding) -> str:
    loc = finding.location
    if loc.page:
        page = str(loc.page)
    elif loc.line:
        page = f"L{loc.line}.{loc.row}" if loc.row else f"L{loc.line}"
    else:
        page = "-"
    item = loc.item or (f"п.{loc.clause}" if loc.clause else (f"прил.{loc.appendix}" if loc.appendix else "-"))
    return f"{loc.file}:{page}:{item}"


def render(reports: list[DocumentReport], summary: bool = True) -> str:
    lines: list[str] = []
    for report in reports:
        if report.error:
            lines.append(f"{report.path}: не прочитан: {report.error}")
            continue
        for f in report.findings:
            fix = f" [исправление: {f.fix}]" if f.fix else ""
            lines.append(f"{where(f)}: {f.code} {f.message}{fix}")
    if summary:
        lines.append(summary_line(reports))
    # Document text in a message must not move the cursor or set colours.
    return terminal_safe("\n".join(lines)) + "\n" if lines else ""


def summary_line(reports: list[DocumentReport]) -> str:
    """«Проверено документов: 2, не прочитано: 1. 3 ошибки, 1 предупреждение, 0 сведений.»"""
    counts = Counter(f.severity for r in reports for f in r.findings)
    failed = sum(1 for r in reports if r.error)
    checked = len(reports) - failed
    return (
        f"Проверено документов: {checked}"
        + (f", не прочитано: {failed}" if failed else "")
        + f". {count(counts['error'], 'ошибка')}, {count(counts['warning'], 'предупреждение')}, "
        f"{count(counts['info'], 'примечание')}."
    )


def statistics(reports: list[DocumentReport]) -> str:
    """Findings counted by rule, the commonest first — as ``ruff --statistics``."""
    rows = rule_counts(reports)
    width = max((len(str(r[0])) for r in rows), default=1)
    lines = [f"{n:>{width}}  {code}  {name}  {summary}" for n, code, name, summary in rows]
    return terminal_safe("\n".join(lines)) + "\n" if lines else ""
