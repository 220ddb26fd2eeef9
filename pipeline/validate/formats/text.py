"""One finding per line — ``path:page:item: CODE message`` — then a summary.

``page`` is the page for paged files and ``L<line>`` for text files; ``item``
is the roadmap item or clause number, ``-`` when the finding is about the
whole document.
"""

from __future__ import annotations

from collections import Counter

from pipeline.lang.controls import terminal_safe
from pipeline.validate.formats import DocumentReport
from schemas import Finding

_SEVERITY = {"error": "ошибка", "warning": "предупреждение", "info": "замечание"}


def where(finding: Finding) -> str:
    loc = finding.location
    page = str(loc.page) if loc.page else (f"L{loc.line}" if loc.line else "-")
    item = loc.item or (f"п.{loc.clause}" if loc.clause else (f"прил.{loc.appendix}" if loc.appendix else "-"))
    return f"{loc.file}:{page}:{item}"


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def render(reports: list[DocumentReport]) -> str:
    lines: list[str] = []
    counts: Counter[str] = Counter()
    for report in reports:
        if report.error:
            lines.append(f"{report.path}: не прочитан: {report.error}")
            continue
        for f in report.findings:
            counts[f.severity] += 1
            fix = f" [исправление: {f.fix}]" if f.fix else ""
            lines.append(f"{where(f)}: {f.code} {f.message}{fix}")
    failed = sum(1 for r in reports if r.error)
    checked = len(reports) - failed
    summary = (
        f"Проверено документов: {checked}"
        + (f", не прочитано: {failed}" if failed else "")
        + f". {counts['error']} {_plural(counts['error'], 'ошибка', 'ошибки', 'ошибок')}, "
        f"{counts['warning']} {_plural(counts['warning'], 'предупреждение', 'предупреждения', 'предупреждений')}, "
        f"{counts['info']} {_plural(counts['info'], 'замечание', 'замечания', 'замечаний')}."
    )
    lines.append(summary)
    # Document text in a message must not move the cursor or set colours.
    return terminal_safe("\n".join(lines)) + "\n"
