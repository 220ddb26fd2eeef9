"""Batch conversion: many orders in parallel, resumable, one bad file never
stopping the others.

Each document runs in a process of its own (:mod:`pipeline.isolate`) under
the time and memory limits: a document that crashes its process, runs out of
memory or out of time is reported and the batch goes on.  It writes its
outputs atomically to ``OUT/<name>.<source suffix>.<format>`` — ``<name>``
being its path below the folder it was found in, so two files of the same
name in different folders never overwrite each other — and reports a small
summary; a document whose outputs are all newer than it is skipped unless
forced — and, when the batch validates, checked again from its JSON, so a
rerun reports the same findings as the first run.  A combined workbook holds
every item of every document, a sheet of the documents with their counts,
and the findings.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from pipeline.errors import InputError
from pipeline.fileio import write_atomic, write_atomic_with
from pipeline.inputs import Document


@dataclass(slots=True)
class Outcome:
    path: str
    status: str  # ok, skipped, failed
    items: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0
    json_path: str | None = None
    # The document's rows for the combined workbook, made by the worker that
    # has the order (a skipped document's are read back from its JSON).
    rows: list[list] | None = None
    # Its findings as rows of the workbook's findings sheet.
    notes: list[list] = field(default_factory=list)


def outputs(path: Path, out_dir: Path, formats: list[str], name: str | None = None) -> list[Path]:
    relative = Path(name) if name else Path(path.name)
    base = relative.with_name(f"{relative.stem}{relative.suffix.lower()}")
    return [out_dir / f"{base}.{fmt}" for fmt in formats]


def up_to_date(path: Path, targets: list[Path]) -> bool:
    try:
        source = path.stat().st_mtime
    except OSError:
        return False
    return all(t.exists() and t.stat().st_mtime >= source for t in targets)


def convert(path: str, targets: list[str], check: bool, selection=None) -> Outcome:
    """One document, in its own process: extract, validate, write."""
    from pipeline.extract import extract_order, write_order_json

    start = time.perf_counter()
    order = extract_order(Path(path))
    findings = _findings(order, path, selection) if check else []
    json_path = None
    for target in map(Path, targets):
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".json":
            write_atomic_with(target, lambda out: write_order_json(order, out))
            json_path = str(target)
        elif target.suffix == ".xlsx":
            from pipeline.export.xlsx import order_xlsx

            write_atomic(target, order_xlsx(order, findings))
        elif target.suffix == ".csv":
            from pipeline.export.csv import items_csv

            write_atomic(target, items_csv(order))
    return _outcome(path, "ok", order, findings, json_path, time.perf_counter() - start)


def recheck(path: str, targets: list[str], json_path: str, selection=None) -> Outcome:
    """A document skipped as up to date, validated again from its JSON: its
    findings count on every run, not only on the run that converted it."""
    from schemas import Order

    start = time.perf_counter()
    try:
        order = Order.model_validate_json(Path(json_path).read_bytes())
    except (OSError, ValueError):
        # The JSON of the last run was damaged or removed: converted again.
        return convert(path, targets, True, selection)
    return _outcome(path, "skipped", order, _findings(order, path, selection), json_path, time.perf_counter() - start)


def _findings(order, path: str, selection):
    from pipeline.validate import validate

    return validate(order, path, selection)


def _outcome(path: str, status: str, order, findings, json_path: str | None, seconds: float) -> Outcome:
    from pipeline.export import item_rows

    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    from pipeline.export.xlsx import finding_row

    notes = [[path, *finding_row(f)] for f in findings]
    return Outcome(
        path, status, sum(len(r.items) for r in order.roadmaps), counts, seconds=seconds,
        json_path=json_path, rows=item_rows(order), notes=notes,
    )


def _warm(check: bool) -> None:
    """Load the pipeline and its dictionary once, before the workers are
    forked (they inherit both)."""
    import pipeline.warm  # noqa: F401

    if check:
        import pipeline.validate  # noqa: F401


def run_batch(
    documents: list[Document], out_dir: Path, formats: list[str], jobs: int, check: bool, force: bool, progress,
    timeout: float | None = None, selection=None, debug: bool = False,
) -> list[Outcome]:
    """Convert every document; ``progress(outcome, done, total)`` after each.
    With ``debug`` every document is read in this process, one at a time, and
    a bug of ours is raised with its traceback."""
    from pipeline.isolate import InternalError, Isolated

    out_dir.mkdir(parents=True, exist_ok=True)
    total = len(documents)
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        progress(outcome, len(outcomes), total)

    # (function, arguments, path) of each piece of work.
    queue: list[tuple[object, tuple, Path]] = []
    for doc in documents:
        targets = outputs(doc.path, out_dir, formats, doc.name)
        json_target = next((t for t in targets if t.suffix == ".json"), None)
        if not force and up_to_date(doc.path, targets):
            if check and json_target is not None:
                queue.append((recheck, (str(doc.path), [str(t) for t in targets], str(json_target), selection), doc.path))
            else:
                done(Outcome(str(doc.path), "skipped", json_path=str(json_target) if json_target else None))
        else:
            queue.append((convert, (str(doc.path), [str(t) for t in targets], check, selection), doc.path))
    # The largest first: a long document started last would leave the other
    # workers idle at the end.
    queue.sort(key=lambda q: -_size(q[2]))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(queue) or 1))
    if queue:
        _warm(check)
    if debug:
        for func, args, path in queue:
            started = time.perf_counter()
            try:
                outcome = func(*args)
            except InputError as exc:
                outcome = Outcome(str(path), "failed", error=exc.reason)
            outcome.seconds = time.perf_counter() - started
            done(outcome)
        queue = []
    running: list[tuple[Isolated, float]] = []
    while queue or running:
        while queue and len(running) < jobs:
            func, args, path = queue.pop(0)
            running.append((Isolated.start(func, args, str(path), timeout), time.perf_counter()))
        waits = [r.remaining() for r, _ in running if r.deadline is not None]
        ready = set(wait([r.conn for r, _ in running], timeout=min(waits) if waits else None))
        for entry in list(running):
            child, started = entry
            if child.conn not in ready and child.remaining() != 0:
                continue
            running.remove(entry)
            try:
                outcome = child.result()
            except InputError as exc:
                outcome = Outcome(child.path, "failed", error=exc.reason)
            except InternalError as exc:
                outcome = Outcome(child.path, "failed", error=f"внутренняя ошибка ({exc}); запустите с --debug")
            outcome.seconds = time.perf_counter() - started
            done(outcome)
    order = {str(d.path): i for i, d in enumerate(documents)}
    outcomes.sort(key=lambda o: order.get(o.path, 0))
    return outcomes


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def combined_workbook(outcomes: list[Outcome], target: Path, checked: bool = False) -> int:
    """One workbook with every item of every converted document (read back
    from their JSON), the documents with their counts, and — when the batch
    validated — every finding; the number of items written."""
    from openpyxl import Workbook

    from pipeline.export import ITEM_HEADERS, item_rows
    from pipeline.export.xlsx import FINDING_HEADERS, FINDING_WIDTHS, _table
    from pipeline.lang.labels import label
    from schemas import Order

    rows: list[list] = []
    for outcome in outcomes:
        if outcome.rows is not None:
            rows.extend([outcome.path, *row] for row in outcome.rows)
        elif outcome.json_path and Path(outcome.json_path).exists():
            order = Order.model_validate_json(Path(outcome.json_path).read_text("utf-8"))
            rows.extend([outcome.path, *row] for row in item_rows(order))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Все пункты"
    _table(sheet, ["Документ", *ITEM_HEADERS], rows, [40, 36, 28, 7, 60, 24, 12, 12, 36, 40])
    documents = [
        [o.path, label("status", o.status), o.items if o.status != "failed" else None,
         *((o.findings.get(k, 0) for k in ("error", "warning", "info")) if checked else (None, None, None)), o.error or ""]
        for o in outcomes
    ]
    _table(workbook.create_sheet("Документы"), DOCUMENT_HEADERS, documents, [40, 20, 9, 9, 15, 11, 60])
    if checked:
        notes = [n for o in outcomes for n in o.notes]
        _table(workbook.create_sheet("Замечания"), ["Документ", *FINDING_HEADERS], notes, [40, *FINDING_WIDTHS])
    import io

    out = io.BytesIO()
    workbook.save(out)
    write_atomic(target, out.getvalue())
    return len(rows)


DOCUMENT_HEADERS = ["Документ", "Состояние", "Пунктов", "Ошибок", "Предупреждений", "Примечаний", "Почему не прочитан"]
