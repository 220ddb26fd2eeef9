"""The OCR reader page by page against another checkout, in the same run.

Every page of each scan is rendered and read (`readers.ocr.read_page`: the
render, upright and deskew, tables, stamps and signatures made paper on a
colour page, Tesseract) in a fresh process on one core, for ours and for the
reference tree (``--reference DIR``, e.g. a ``git worktree`` of an older
commit), interleaved, each repeat in the other order.  Printed per scan:
CPU seconds per page (best of the repeats) and peak resident memory of each,
and the ratios ours/reference.

Default inputs: the colour scans of the real development set (seals and
signatures on their first pages) and a synthetic black-and-white scan of the
test fixtures (the same pages without colour).

    python bench/scan_pages.py --reference DIR [--repeat 2] [PDF ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [
    *sorted((ROOT / "corpus" / "real").glob("*_SCAN*.pdf")),
    ROOT / "tests" / "fixtures" / "scans" / "smolensk-prikaz-718-od-scan.pdf",
]

CHILD = """
import json, resource, sys
from pathlib import Path
from pipeline.readers.ocr import OcrSettings, page_count, read_page
path = Path(sys.argv[1])
pages = page_count(path, "pdf")
for index in range(pages):
    read_page(path, "pdf", index, OcrSettings())
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "pages": pages, "peak_kb": usage.ru_maxrss}))
"""


def measure(tree: Path, path: Path) -> dict:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True, cwd=tree, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--reference", type=Path, required=True, help="another checkout of the project to measure against")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    trees = {"ours": ROOT, "reference": args.reference.resolve()}
    print(f"{'scan':<48} {'pages':>5} {'ref s/p':>8} {'ours s/p':>8} {'ours/ref':>8} {'ref MB':>7} {'ours MB':>7} {'ours/ref':>8}")
    for path in args.inputs:
        runs: dict[str, list[dict]] = {"ours": [], "reference": []}
        for repeat in range(args.repeat):
            order = ("ours", "reference") if repeat % 2 == 0 else ("reference", "ours")
            for kind in order:
                runs[kind].append(measure(trees[kind], path))
        ours = min(runs["ours"], key=lambda r: r["cpu"])
        ref = min(runs["reference"], key=lambda r: r["cpu"])
        pages = ours["pages"]
        print(
            f"{path.name[:48]:<48} {pages:5} {ref['cpu'] / pages:8.2f} {ours['cpu'] / pages:8.2f} {ours['cpu'] / ref['cpu']:8.2f} "
            f"{ref['peak_kb'] / 1024:7.0f} {ours['peak_kb'] / 1024:7.0f} {ours['peak_kb'] / ref['peak_kb']:8.2f}"
        )


if __name__ == "__main__":
    main()
