"""OCR accuracy and speed on synthetic scans of the corpus.

Each corpus PDF is turned into a scan by ``tests/fixtures/scans/make_scans.py``
(200 dpi, turned, noisy, JPEG'd, black and white; cached in bench/.cache),
extracted through the normal pipeline, and compared item by item with the
document's golden JSON (items matched by section and number).

    python bench/ocr_accuracy.py [STEM...] [--diffs] [--seed N]

Prints per document: pages, seconds per page (wall, pages read in parallel
on all cores), items found and exact, and per field how many items are
right; with --diffs every field that differs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "scans"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "scans"))
    from make_scans import make

    from pipeline.extract import extract_order
    from tests.accuracy import FIELDS, compare, golden

    stems = sorted(p.stem for p in (ROOT / "corpus" / "documents").glob("*.pdf"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stems", nargs="*", default=stems, help=f"documents (default: all {len(stems)} corpus PDFs)")
    parser.add_argument("--diffs", action="store_true", help="print every field that differs from the golden file")
    parser.add_argument("--seed", type=int, default=0, help="other noise and turns for the scans (0: those of the committed fixtures)")
    args = parser.parse_args()

    CACHE.mkdir(parents=True, exist_ok=True)
    total_items = total_exact = 0
    print(f"{'document':40} {'pages':>5} {'s/page':>6} {'found':>7} {'exact':>12}  per field")
    for stem in args.stems:
        scan = CACHE / (f"{stem}-scan.pdf" if args.seed == 0 else f"{stem}-{args.seed}-scan.pdf")
        if not scan.exists():
            make(stem, CACHE, args.seed)
        start = time.perf_counter()
        order = extract_order(scan)
        elapsed = time.perf_counter() - start
        result = compare(json.loads(order.model_dump_json()), golden(stem))
        total_items += result.items
        total_exact += result.exact
        pages = order.source.pages or 1
        fields = " ".join(f"{name} {result.fields[name]}" for name in FIELDS)
        print(
            f"{stem:40} {pages:5} {elapsed / pages:6.1f} {result.found:3}/{result.items:<3} "
            f"{result.exact:3}/{result.items:<3}{100 * result.share:4.0f} %  {fields}"
        )
        if result.document_fields_wrong:
            print(f"{'':40} requisites wrong: {', '.join(result.document_fields_wrong)}")
        if args.diffs:
            document = json.loads(order.model_dump_json())["document"]
            for name in result.document_fields_wrong:
                print(f"    document.{name}:\n      got  {json.dumps(document.get(name), ensure_ascii=False)}\n      want {json.dumps(golden(stem)['document'][name], ensure_ascii=False)}")
            for number, name, got, want in result.differences:
                print(f"    {number} {name}:\n      got  {json.dumps(got, ensure_ascii=False)}\n      want {json.dumps(want, ensure_ascii=False)}")
    if total_items:
        print(f"{'all':40} {'':5} {'':6} {'':7} {total_exact:3}/{total_items:<3}{100 * total_exact / total_items:4.0f} %")


if __name__ == "__main__":
    main()
