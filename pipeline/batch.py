"""Batch conversion: many orders in parallel, resumable, one bad file never
stopping the others.

Each document runs in a process of its own (:mod:`pipeline.isolate`) under
the time and memory limits: a document that crashes its process, runs out of
memory or out of time is reported and the batch goes on.  The processes are
this machine's pool, or those of a Dask cluster's workers
(:mod:`pipeline.cluster`): the same :class:`Work` done by the same
:func:`perform`, so both give the same bytes.  Documents and outputs are
paths or fsspec URLs (:mod:`pipeline.storage`).  A document writes its
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
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import wait
from pathlib import Path, PurePosixPath

from pipeline import storage
from pipeline.errors import InputError
from pipeline.fileio import write_atomic_with
from pipeline.inputs import Document
from pipeline.limits import Limits, limits, use_limits


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
    # Outputs sent back by a worker that cannot reach the targets, by target;
    # the batch writes them and lets them go.
    outputs: dict[str, bytes] | None = None


@dataclass(frozen=True, slots=True)
class Work:
    """One document's share of a batch, as sent to whatever does it: a
    process of the pool, or a worker of a cluster."""

    source: str  # the path or URL, as the outcome and the JSON name the document
    targets: tuple[str, ...]  # one output per format: paths or URLs
    check: bool
    selection: object = None
    # The JSON of the last run, up to date: validated again instead of converted.
    recheck: str | None = None
    # The document's bytes (and a recheck's JSON), for a worker that cannot
    # read ``source`` itself.
    data: bytes | None = None
    json_data: bytes | None = None
    # Outputs returned in the outcome instead of written: the worker cannot
    # reach the targets.
    send_back: bool = False
    # The batch's limits, for a worker whose environment has others.
    limits: Limits | None = None
    size: int = 0  # of the document, in bytes: the largest are started first


def outputs(path: Path | str, out_dir: Path | str, formats: list[str], name: str | None = None) -> list[Path | str]:
    relative = PurePosixPath(name) if name else PurePosixPath(storage.basename(path))
    base = relative.with_name(f"{relative.stem}{relative.suffix.lower()}")
    return [storage.join(out_dir, f"{base}.{fmt}") for fmt in formats]


def up_to_date(source: float | None, targets: list[Path | str], times: dict[str, float | None] | None = None) -> bool:
    """Whether every target exists and is newer than the source's time
    ``source``; ``times`` are the targets' times when already listed."""
    if source is None:
        return False
    for target in targets:
        when = times.get(str(target)) if times is not None else storage.modified(target)
        if when is None or when < source:
            return False
    return True


def perform(work: Work) -> Outcome:
    """One document, in the process that reads it: extract (or read back the
    JSON of the last run), validate, write or send back the outputs."""
    if work.limits is not None:
        use_limits(work.limits)
    start = time.perf_counter()
    if work.recheck is not None:
        from schemas import Order

        try:
            raw = work.json_data if work.json_data is not None else storage.read_bytes(work.recheck)
            order = Order.model_validate_json(raw)
        except (OSError, ValueError):
            # The JSON of the last run was damaged or removed: converted again.
            return perform(replace(work, recheck=None, json_data=None))
        return _outcome(work.source, "skipped", order, _findings(order, work.source, work.selection), work.recheck,
                        time.perf_counter() - start)
    from pipeline.extract import extract_order

    with _readable(work) as path:
        try:
            order = extract_order(path)
        except InputError as exc:
            raise InputError(work.source if exc.path == str(path) else exc.path,
                             exc.reason.replace(str(path), work.source)) from None
    if order.source.path != work.source:  # read from a copy
        order.source.path = work.source
    findings = _findings(order, work.source, work.selection) if work.check else []
    outcome = _outcome(work.source, "ok", order, findings, None, 0.0)
    sent: dict[str, bytes] = {}
    for target in work.targets:
        suffix = PurePosixPath(str(target)).suffix
        if suffix == ".json":
            outcome.json_path = str(target)
        try:
            if work.send_back or storage.is_url(target) or suffix != ".json":
                data = _output(order, findings, suffix)
                if work.send_back:
                    sent[str(target)] = data
                else:
                    storage.write(target, data)
            else:
                # A long order's JSON is written a piece at a time, never whole in memory.
                from pipeline.extract import write_order_json

                Path(target).parent.mkdir(parents=True, exist_ok=True)
                write_atomic_with(target, lambda out: write_order_json(order, out))
        except OSError as exc:
            raise InputError(str(target), f"результат не записан: {exc}") from None
    outcome.outputs = sent or None
    outcome.seconds = time.perf_counter() - start
    return outcome


def _output(order, findings, suffix: str) -> bytes:
    if suffix == ".json":
        from pipeline.extract import order_json_bytes

        return order_json_bytes(order)
    if suffix == ".xlsx":
        from pipeline.export.xlsx import order_xlsx

        return order_xlsx(order, findings)
    from pipeline.export.csv import items_csv

    return items_csv(order)


@contextmanager
def _readable(work: Work):
    """A file on this machine holding the document: its own path, or a
    copy of the bytes sent or fetched, under the document's own name (the
    readers take some formats by their suffix)."""
    local = None if work.data is not None else storage.local_path(work.source)
    if local is not None:
        yield local
        return
    with tempfile.TemporaryDirectory(prefix="roadmap-doc-") as folder:
        copy = Path(folder) / (storage.basename(work.source) or "document")
        if work.data is not None:
            data = work.data
        else:
            from pipeline.readers import refuse_if_too_large

            refuse_if_too_large(work.source, storage.size(work.source))
            try:
                data = storage.read_bytes(work.source, int(limits().max_file_mb * 1024 * 1024))
            except FileNotFoundError:
                raise InputError(work.source, "файл не найден") from None
            except OSError as exc:
                raise InputError(work.source, f"файл не читается: {exc}") from None
            refuse_if_too_large(work.source, len(data))  # grown since it was measured
        copy.write_bytes(data)
        yield copy


def _findings(order, path: str, selection):
    from pipeline.validate import validate

    return validate(order, path, selection)


def _outcome(path: str, status: str, order, findings, json_path: str | None, seconds: float) -> Outcome:
    from pipeline.export import item_rows
    from pipeline.export.xlsx import finding_row

    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
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


def plan(documents: list[Document], out_dir: Path | str, formats: list[str], check: bool, force: bool,
         selection=None) -> tuple[list[Outcome], list[Work]]:
    """The outcomes known without work (up to date, nothing to check) and
    the work left, the largest documents first: a long one started last
    would leave the other workers idle at the end."""
    known: list[Outcome] = []
    work: list[Work] = []
    times = None if force else storage.times_below(out_dir)
    for doc in documents:
        targets = outputs(doc.path, out_dir, formats, doc.name)
        json_target = next((t for t in targets if str(t).endswith(".json")), None)
        source = str(doc.path)
        size, modified = storage.stat(doc.path) or (0, None)
        if not force and up_to_date(modified, targets, times):
            if check and json_target is not None:
                work.append(Work(source, tuple(map(str, targets)), True, selection, recheck=str(json_target), size=size))
            else:
                known.append(Outcome(source, "skipped", json_path=str(json_target) if json_target else None))
        else:
            work.append(Work(source, tuple(map(str, targets)), check, selection, size=size))
    work.sort(key=lambda w: -w.size)
    return known, work


def run_batch(
    documents: list[Document], out_dir: Path | str, formats: list[str], jobs: int, check: bool, force: bool, progress,
    timeout: float | None = None, selection=None, debug: bool = False, scheduler: str | None = None,
) -> list[Outcome]:
    """Convert every document; ``progress(outcome, done, total)`` after each.
    With ``debug`` every document is read in this process, one at a time, and
    a bug of ours is raised with its traceback; with ``scheduler`` (a Dask
    scheduler's address) the documents go to its workers."""
    if not storage.is_url(out_dir):
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    total = len(documents)
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        if outcome.outputs:
            try:
                for target, data in outcome.outputs.items():
                    storage.write(target, data)
            except OSError as exc:
                outcome = Outcome(outcome.path, "failed", error=f"результат не записан: {exc}", seconds=outcome.seconds)
            outcome.outputs = None
        outcomes.append(outcome)
        progress(outcome, len(outcomes), total)

    known, queue = plan(documents, out_dir, formats, check, force, selection)
    for outcome in known:
        done(outcome)
    if scheduler is not None:
        from pipeline.cluster import run_on_cluster

        run_on_cluster(scheduler, queue, done, timeout)
    elif debug:
        _warm(check)
        for work in queue:
            started = time.perf_counter()
            try:
                outcome = perform(work)
            except InputError as exc:
                outcome = Outcome(work.source, "failed", error=exc.reason)
            outcome.seconds = time.perf_counter() - started
            done(outcome)
    else:
        _run_pool(queue, jobs, check, timeout, done)
    order = {str(d.path): i for i, d in enumerate(documents)}
    outcomes.sort(key=lambda o: order.get(o.path, 0))
    return outcomes


def failed(work: Work, exc: Exception) -> Outcome:
    """The outcome of a document whose process reported an error."""
    from pipeline.isolate import InternalError

    if isinstance(exc, InternalError):
        return Outcome(work.source, "failed", error=f"внутренняя ошибка ({exc}); запустите с --debug")
    return Outcome(work.source, "failed", error=exc.reason)


def _run_pool(queue: list[Work], jobs: int, check: bool, timeout: float | None, done) -> None:
    """Each document in a process of its own, ``jobs`` at a time."""
    from pipeline.isolate import InternalError, Isolated

    queue = list(queue)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(queue) or 1))
    if queue:
        _warm(check)
    running: list[tuple[Isolated, Work, float]] = []
    while queue or running:
        while queue and len(running) < jobs:
            work = queue.pop(0)
            running.append((Isolated.start(perform, (work,), work.source, timeout), work, time.perf_counter()))
        waits = [r.remaining() for r, _, _ in running if r.deadline is not None]
        ready = set(wait([r.conn for r, _, _ in running], timeout=min(waits) if waits else None))
        for entry in list(running):
            child, work, started = entry
            if child.conn not in ready and child.remaining() != 0:
                continue
            running.remove(entry)
            try:
                outcome = child.result()
            except (InputError, InternalError) as exc:
                outcome = failed(work, exc)
            outcome.seconds = time.perf_counter() - started
            done(outcome)


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
        elif outcome.json_path and storage.modified(outcome.json_path) is not None:
            order = Order.model_validate_json(storage.read_bytes(outcome.json_path))
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
    from pipeline.export.xlsx import workbook_bytes

    storage.write(target, workbook_bytes(workbook))
    return len(rows)


DOCUMENT_HEADERS = ["Документ", "Состояние", "Пунктов", "Ошибок", "Предупреждений", "Примечаний", "Почему не прочитан"]
