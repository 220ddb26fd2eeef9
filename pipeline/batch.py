"""Batch conversion: many orders in parallel, resumable, one bad file never
stopping the others.

Each document runs in a worker process (extraction is CPU-bound), writes its
outputs atomically to ``OUT/<name>.<source suffix>.<format>`` and reports a
small summary; a document whose outputs are all newer than it is skipped
unless forced.  A combined workbook holds every item of every document.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.fileio import write_atomic

SUFFIXES = {".txt", ".md", ".docx", ".pdf", ".doc", ".rtf", ".odt"}


@dataclass(slots=True)
class Outcome:
    path: str
    status: str  # ok, skipped, failed
    items: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0
    json_path: str | None = None


def collect(paths: list[Path]) -> list[Path]:
    """Files as given; folders searched recursively for supported documents."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            found.append(path)
    return found


def outputs(path: Path, out_dir: Path, formats: list[str]) -> list[Path]:
    name = f"{path.stem}{path.suffix.lower()}"
    return [out_dir / f"{name}.{fmt}" for fmt in formats]


def up_to_date(path: Path, targets: list[Path]) -> bool:
    try:
        source = path.stat().st_mtime
    except OSError:
        return False
    return all(t.exists() and t.stat().st_mtime >= source for t in targets)


def convert(path: str, out_dir: str, formats: list[str], check: bool, force: bool) -> Outcome:
    """One document, in a worker process."""
    from pipeline.errors import InputError
    from pipeline.extract import extract_order, order_json

    start = time.perf_counter()
    source = Path(path)
    targets = outputs(source, Path(out_dir), formats)
    json_target = next((t for t in targets if t.suffix == ".json"), None)
    if not force and up_to_date(source, targets):
        return Outcome(path, "skipped", json_path=str(json_target) if json_target else None)
    try:
        order = extract_order(source)
        findings = []
        if check:
            from pipeline.validate import validate

            findings = validate(order, path)
        for target in targets:
            if target.suffix == ".json":
                write_atomic(target, order_json(order))
            elif target.suffix == ".xlsx":
                from pipeline.export.xlsx import order_xlsx

                write_atomic(target, order_xlsx(order, findings))
            elif target.suffix == ".csv":
                from pipeline.export.csv import items_csv

                write_atomic(target, items_csv(order))
    except InputError as exc:
        return Outcome(path, "failed", error=exc.reason, seconds=time.perf_counter() - start)
    except Exception as exc:  # a bug on one document must not stop the batch
        return Outcome(path, "failed", error=f"внутренняя ошибка ({type(exc).__name__}: {exc})", seconds=time.perf_counter() - start)
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return Outcome(
        path, "ok", sum(len(r.items) for r in order.roadmaps), counts, seconds=time.perf_counter() - start,
        json_path=str(json_target) if json_target else None,
    )


def run_batch(paths: list[Path], out_dir: Path, formats: list[str], jobs: int, check: bool, force: bool, progress) -> list[Outcome]:
    """Convert every document; ``progress(outcome, done, total)`` after each."""
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = collect(paths)
    outcomes: list[Outcome] = []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(documents) or 1))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(convert, str(d), str(out_dir), formats, check, force): d for d in documents}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            progress(outcome, len(outcomes), len(documents))
    order = {str(d): i for i, d in enumerate(documents)}
    outcomes.sort(key=lambda o: order.get(o.path, 0))
    return outcomes


def combined_workbook(outcomes: list[Outcome], target: Path) -> int:
    """One workbook with every item of every converted document (read back
    from their JSON); the number of items written."""
    from openpyxl import Workbook

    from pipeline.export import ITEM_HEADERS, item_rows
    from pipeline.export.xlsx import _table
    from schemas import Order

    rows: list[list] = []
    for outcome in outcomes:
        if outcome.json_path and Path(outcome.json_path).exists():
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
