"""Rendering a large roadmap to DOCX against python-docx's own table API.

The order is corpus order 454-р with its roadmap repeated to N items (1 000,
10 000 by default).  Each measurement runs in a fresh process, interleaved:

* ours — `pipeline.render.render(order, "docx")`: the whole order, template,
  widths, header row, section rows, fonts;
* bare — python-docx alone: a document with one table of the same rows and
  columns, each cell set with `cell.text = …` (no fonts, no widths).

Printed: seconds (best of the repeats) and the ratio ours ÷ bare.

    python bench/render_large.py [--items 1000 10000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus" / "expected" / "nao-rasporyazhenie-454-r.json"

SETUP = """
import json, sys, time
from schemas import Order
data = json.loads(open(sys.argv[1], encoding="utf-8").read())
data["source"] = {"path": "bench", "format": "text"}
order = Order.model_validate(data)
items = order.roadmaps[0].items
n = int(sys.argv[2])
order.roadmaps[0].items = [items[i % len(items)].model_copy() for i in range(n)]
"""

CHILD = {
    "ours": SETUP + """
from pipeline.render import render
start = time.perf_counter()
render(order, "docx")
print(json.dumps({"seconds": time.perf_counter() - start}))
""",
    "bare": SETUP + """
import io
import docx
start = time.perf_counter()
document = docx.Document()
columns = order.roadmaps[0].columns
table = document.add_table(rows=len(order.roadmaps[0].items) + 1, cols=len(columns))
rows = table.rows
for cell, column in zip(rows[0].cells, columns):
    cell.text = column.header
for row, item in zip(rows[1:], order.roadmaps[0].items):
    values = [item.number or "", item.activity, item.deadline.text if item.deadline else "",
              "\\n".join(p.text for p in item.responsibles), item.result or ""]
    for cell, value in zip(row.cells, values):
        cell.text = value
document.save(io.BytesIO())
print(json.dumps({"seconds": time.perf_counter() - start}))
""",
}


def measure(kind: str, items: int) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD[kind], str(SOURCE), str(items)], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"{'items':>7} {'ours s':>8} {'bare s':>8} {'ours/bare':>10}")
    for n in args.items:
        ours, bare = [], []
        for _ in range(args.repeat):
            ours.append(measure("ours", n))
            bare.append(measure("bare", n))
        print(f"{n:>7} {min(ours):>8.2f} {min(bare):>8.2f} {min(ours) / min(bare):>10.2f}")


if __name__ == "__main__":
    main()
