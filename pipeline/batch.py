"""Batch conversion: many orders in parallel, resumable, one bad file never
stopping the others.

Each document runs in a process of its own (:mod:`pipeline.isolate`) under
the time and memory limits: a document that crashes its process, runs out of
memory or out of time is reported and the batch goes on.  It writes its
outputs atomically to ``OUT/<name>.<source suffix>.<format>`` — ``<name>``
being its path below the folder it was found in, so two files of the same
name in different folders never overwrite each other — and reports a small
summary; a document whose outputs are all newer than it is skipped unless
forced.  A combined workbook holds every item of every document.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from pipeline.errors import InputError
from pipeline.fileio import write_atomic, write_atomic_with

SUFFIXES = {".txt", ".md", ".docx", ".pdf", ".doc", ".rtf", ".odt", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


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


@dataclass(frozen=True, slots=True)
class Document:
    """An input file and the name its outputs take (unique in the batch)."""

    path: Path
    name: str


def collect(paths: list[Path]) -> list[Path]:
    """Files as given; folders searched recursively for supported documents.
    A file reached twice (given twice, or inside a folder also given) is
    taken once."""
    return [d.path for d in collect_documents(paths)]


def collect_documents(paths: list[Path]) -> list[Document]:
    found: list[tuple[Path, Path]] = []  # (file, the part of its path that names it)
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            pairs = [(p, p.relative_to(path)) for p in members]
        else:
            pairs = [(path, Path(path.name))]
        for file, relative in pairs:
            key = file.resolve() if file.exists() else file.absolute()
            if key not in seen:
                seen.add(key)
                found.append((file, relative))
    return [Document(file, name) for (file, _), name in zip(found, _unique_names(found))]


def _unique_names(found: list[tuple[Path, Path]]) -> list[str]:
    """Each file's relative name; where two collide, their names grow by the
    folders above them until they differ."""
    full = [list((f.resolve() if f.exists() else f.absolute()).parts[1:]) for f, _ in found]
    depth = [len(rel.parts) for _, rel in found]
    while True:
        names = ["/".join(parts[-d:]) for parts, d in zip(full, depth)]
        clashes = {n for n in names if names.count(n) > 1}
        grown = False
        for i, n in enumerate(names):
            if n in clashes and depth[i] < len(full[i]):
                depth[i] += 1
                grown = True
        if not clashes or not grown:
            return names


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


def convert(path: str, targets: list[str], check: bool) -> Outcome:
    """One document, in its own process: extract, validate, write."""
    from pipeline.extract import extract_order, write_order_json

    start = time.perf_counter()
    order = extract_order(Path(path))
    findings = []
    if check:
        from pipeline.validate import validate

        findings = validate(order, path)
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
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    from pipeline.export import item_rows

    return Outcome(
        path, "ok", sum(len(r.items) for r in order.roadmaps), counts, seconds=time.perf_counter() - start,
        json_path=json_path, rows=item_rows(order),
    )


def _warm(check: bool) -> None:
    """Load the pipeline and its dictionary once, before the workers are
    forked (they inherit both)."""
    import pipeline.warm  # noqa: F401

    if check:
        import pipeline.validate  # noqa: F401


def run_batch(
    paths: list[Path], out_dir: Path, formats: list[str], jobs: int, check: bool, force: bool, progress,
    timeout: float | None = None,
) -> list[Outcome]:
    """Convert every document; ``progress(outcome, done, total)`` after each."""
    from pipeline.isolate import Isolated, InternalError

    out_dir.mkdir(parents=True, exist_ok=True)
    documents = collect_documents(paths)
    total = len(documents)
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        progress(outcome, len(outcomes), total)

    queue: list[tuple[Document, list[Path]]] = []
    for doc in documents:
        targets = outputs(doc.path, out_dir, formats, doc.name)
        json_target = next((t for t in targets if t.suffix == ".json"), None)
        if not force and up_to_date(doc.path, targets):
            done(Outcome(str(doc.path), "skipped", json_path=str(json_target) if json_target else None))
        else:
            queue.append((doc, targets))
    # The largest first: a long document started last would leave the other
    # workers idle at the end.
    queue.sort(key=lambda q: -_size(q[0].path))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(queue) or 1))
    if queue:
        _warm(check)
    running: list[tuple[Isolated, float]] = []
    while queue or running:
        while queue and len(running) < jobs:
            doc, targets = queue.pop(0)
            args = (str(doc.path), [str(t) for t in targets], check)
            running.append((Isolated.start(convert, args, str(doc.path), timeout), time.perf_counter()))
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
                outcome = Outcome(child.path, "failed", error=f"внутренняя ошибка ({exc})")
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


def combined_workbook(outcomes: list[Outcome], target: Path) -> int:
    """One workbook with every item of every converted document (read back
    from their JSON); the number of items written."""
    from openpyxl import Workbook

    from pipeline.export import ITEM_HEADERS, item_rows
    from pipeline.export.xlsx import _table
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
    import io

    out = io.BytesIO()
    workbook.save(out)
    write_atomic(target, out.getvalue())
    return len(rows)
