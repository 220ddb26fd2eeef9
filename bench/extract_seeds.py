"""Time `roadmap extract` on the corpus documents and print a table.

Two figures per document: a cold run (a fresh `roadmap extract` process, as a
user runs it: interpreter start, imports, dictionary loading included) and a
warm run (extraction alone, in a process that has extracted once already).

    python bench/extract_seeds.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted((ROOT / "corpus" / "documents").glob("*.*"))


def cold(path: Path) -> float:
    command = [shutil.which("roadmap") or "roadmap", "extract", str(path)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from pipeline.extract import extract_order

    extract_order(DOCUMENTS[0])  # load dictionaries once
    print(f"{'document':45} {'items':>5} {'sections':>8} {'abbrev':>6} {'cold, s':>8} {'warm, ms':>9}")
    for path in DOCUMENTS:
        order = extract_order(path)
        warm = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            extract_order(path)
            warm.append(time.perf_counter() - start)
        cold_s = min(cold(path) for _ in range(args.repeat))
        items = sum(len(r.items) for r in order.roadmaps)
        sections = sum(len(r.sections) for r in order.roadmaps)
        print(f"{path.name:45} {items:5} {sections:8} {len(order.abbreviations):6} {cold_s:8.2f} {min(warm) * 1000:9.1f}")


if __name__ == "__main__":
    main()
