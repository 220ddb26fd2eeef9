"""The whole pipeline on the real development set, against its hand-checked answers.

Every document of ``corpus/real/`` that has an expected file is extracted
(each in its own process, ``--jobs`` at a time) and scored by
``tests/real.py``: items found / expected, rows exact (every scored field of
the row right), each field per found item, metadata fields right, and
seconds per page.  One summary line at the end.

    python bench/real_accuracy.py [NAME...] [--diffs] [--jobs N]
    python bench/real_accuracy.py --update-ratchet       # raise corpus/real/ratchet.json
    python bench/real_accuracy.py --update-ratchet --lower "why"   # also lower, with a note

The ratchet (``corpus/real/ratchet.json``) holds every document at its best
figures so far; ``tests/test_real_ratchet.py`` fails when one drops.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.real import FIELDS, REAL, Score, documents, expected, score  # noqa: E402

RATCHET = REAL / "ratchet.json"
# The figures the ratchet holds, per document.
HELD = ("found", "exact", "metadata_right", *(f"fields.{name}" for name in FIELDS))


def _extract(path: str) -> tuple[str | None, str | None, int | None]:
    from pipeline.extract import extract_order

    order = extract_order(Path(path))
    return order.model_dump_json(), None, order.source.pages


def run(paths: list[Path], jobs: int) -> dict[str, tuple[Score, float, int | None, str | None]]:
    """Each document's score, seconds, pages and refusal reason."""
    from multiprocessing.connection import wait

    from pipeline.errors import InputError
    from pipeline.isolate import InternalError, Isolated

    results: dict[str, tuple[Score, float, int | None, str | None]] = {}
    queue = sorted(paths, key=lambda p: -p.stat().st_size)
    running: list[tuple[Isolated, Path, float]] = []
    while queue or running:
        while queue and len(running) < jobs:
            path = queue.pop(0)
            running.append((Isolated.start(_extract, (str(path),), str(path)), path, time.perf_counter()))
        ready = set(wait([r.conn for r, _, _ in running], timeout=min((r.remaining() or 600) for r, _, _ in running)))
        for entry in list(running):
            child, path, started = entry
            if child.conn not in ready and child.remaining() != 0:
                continue
            running.remove(entry)
            got, error, pages = None, None, None
            try:
                text, _, pages = child.result()
                got = json.loads(text)
            except InputError as exc:
                error = exc.reason
            except InternalError as exc:
                error = f"внутренняя ошибка: {exc}"
            results[path.name] = (score(got, expected(path)), time.perf_counter() - started, pages, error)
    return results


def _get(figures: dict, name: str) -> int:
    value = figures
    for part in name.split("."):
        value = value[part]
    return value


def update_ratchet(results: dict, lower: str | None) -> int:
    held = json.loads(RATCHET.read_text("utf-8")) if RATCHET.exists() else {"documents": {}, "lowered": []}
    dropped = []
    for name, (result, *_rest) in results.items():
        new = result.as_dict()
        old = held["documents"].get(name)
        if old:
            for figure in HELD:
                if _get(new, figure) < _get(old, figure):
                    dropped.append(f"{name}: {figure} {_get(old, figure)} → {_get(new, figure)}")
        held["documents"][name] = new
    if dropped and not lower:
        print("Не записано: цифры упали (чтобы понизить, укажите --lower «почему»):\n  " + "\n  ".join(dropped))
        return 1
    if dropped:
        held["lowered"].append({"date": dt.date.today().isoformat(), "why": lower, "figures": dropped})
    RATCHET.write_text(json.dumps(held, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"Записано: {RATCHET.relative_to(ROOT)}")
    return 0


def main() -> int:
    names = [p.name for p in documents()]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="documents (default: all)")
    parser.add_argument("--diffs", action="store_true", help="print every cell that differs from the answer")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="write the scores here")
    parser.add_argument("--update-ratchet", action="store_true", help="write the figures to corpus/real/ratchet.json if none dropped")
    parser.add_argument("--lower", help="with --update-ratchet: lower figures that dropped, recording this reason")
    args = parser.parse_args()
    chosen = [p for p in documents() if not args.names or p.name in args.names or p.stem in args.names]
    if not chosen:
        parser.error(f"no such document; choose from: {', '.join(names)}")

    start = time.perf_counter()
    results = run(chosen, args.jobs)
    wall = time.perf_counter() - start
    short = {"number": "№", "section": "разд", "activity": "мер", "description": "опис", "deadline_text": "срок",
             "deadline_dates": "даты", "responsibles": "отв", "result": "рез"}
    print(f"{'document':58} {'s/page':>6} {'found':>9} {'exact':>13} {'meta':>5}  " + " ".join(f"{short[f]:>4}" for f in FIELDS))
    totals = Score()
    for path in chosen:
        result, seconds, pages, error = results[path.name]
        totals.items += result.items
        totals.found += result.found
        totals.exact += result.exact
        totals.metadata_right += result.metadata_right
        totals.metadata_total += result.metadata_total
        for f in FIELDS:
            totals.fields[f] += result.fields[f]
        share = f"{100 * result.exact / result.items:3.0f} %" if result.items else "  – "
        per_page = f"{seconds / pages:6.1f}" if pages else f"{seconds:5.1f}*"
        fields = " ".join(f"{result.fields[f]:>4}" for f in FIELDS)
        print(f"{path.name[:58]:58} {per_page} {result.found:>4}/{result.items:<4} {result.exact:>4}/{result.items:<4}{share} "
              f"{result.metadata_right:>2}/{result.metadata_total:<2}  {fields}")
        if error:
            print(f"    не прочитан: {error}")
        if args.diffs:
            for label, name, have, want in result.differences:
                print(f"    {label:>8} {name:15} получено: {have!r}\n    {'':8} {'':15} ожидалось: {want!r}")
    found = 100 * totals.found / totals.items if totals.items else 0
    exact = 100 * totals.exact / totals.items if totals.items else 0
    meta = 100 * totals.metadata_right / totals.metadata_total if totals.metadata_total else 0
    print(f"всего: документов {len(chosen)}, пунктов найдено {totals.found}/{totals.items} ({found:.1f} %), "
          f"строк точно {totals.exact}/{totals.items} ({exact:.1f} %), реквизитов {totals.metadata_right}/{totals.metadata_total} "
          f"({meta:.0f} %); {wall:.0f} с  (* — секунд на документ: у DOC/DOCX нет страниц)")
    if args.json:
        args.json.write_text(json.dumps({n: r[0].as_dict() for n, r in results.items()}, ensure_ascii=False, indent=1), "utf-8")
    if args.update_ratchet:
        return update_ratchet(results, args.lower)
    return 0


if __name__ == "__main__":
    sys.exit(main())
