"""The full pipeline against bare pdfplumber on the same PDFs.

Inputs are made with the corpus builder (`corpus/build.py`): the Word version
of order 718-ОД with its roadmap repeated to about 30, 100 and 300 pages (the
300-page one has ~3 000 rows), converted to PDF by LibreOffice; they are cached
in `bench/.cache/` (not committed).  Each measurement runs in a fresh process,
interleaved (ours, bare, ours, bare …):

* ours — `extract_order(pdf)`: read, stitch, structure, normalize;
* bare — `pdfplumber.open(pdf)` and `page.extract_tables()` over every page.

Printed: seconds (best of the repeats), pages per second, the ratio
ours/bare, and peak resident memory of the process.  Also the 3 000-row DOCX.

    python bench/pdf_vs_pdfplumber.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
STEM = "smolensk-prikaz-718-od"
COPIES = {30: 10, 100: 34, 300: 101}  # roadmap copies giving about that many pages (≈ 3 pages a copy)

CHILD = {
    "ours": """
import json, resource, sys, time
from pipeline.extract import extract_order
start = time.perf_counter()
order = extract_order(sys.argv[1])
seconds = time.perf_counter() - start
items = sum(len(r.items) for r in order.roadmaps)
print(json.dumps({"seconds": seconds, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "items": items}))
""",
    "bare": """
import json, resource, sys, time
import pdfplumber
start = time.perf_counter()
tables = 0
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        tables += len(page.extract_tables())
        page.close()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "items": tables}))
""",
}


def build_inputs() -> dict[int, Path]:
    sys.path.insert(0, str(ROOT / "corpus"))
    import build  # the corpus builder

    CACHE.mkdir(parents=True, exist_ok=True)
    golden = json.loads((ROOT / "corpus" / "expected" / f"{STEM}.json").read_text("utf-8"))
    paths = {}
    for pages, copies in COPIES.items():
        docx_path, pdf_path = CACHE / f"{STEM}-x{copies}.docx", CACHE / f"{STEM}-x{copies}.pdf"
        if not pdf_path.exists():
            data = build.build_docx(STEM, build.replicate(golden, copies))
            docx_path.write_bytes(data)
            print(f"building {pdf_path.name} with LibreOffice …", file=sys.stderr)
            pdf_path.write_bytes(build.convert_to_pdf(build.find_soffice(), pdf_path.stem, data, timeout=1200))
        paths[pages] = pdf_path
    return paths


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD[kind], str(path)], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    inputs = build_inputs()
    best: dict[tuple[str, int], dict] = {}
    for _ in range(args.repeat):
        for pages, path in inputs.items():
            for kind in ("ours", "bare"):
                result = measure(kind, path)
                key = (kind, pages)
                if key not in best or result["seconds"] < best[key]["seconds"]:
                    best[key] = {**result, "peak_kb": max(result["peak_kb"], best.get(key, {}).get("peak_kb", 0))}

    print(f"{'pages':>5} {'items':>6} {'bare s':>8} {'ours s':>8} {'ours/bare':>9} {'ours p/s':>9} {'bare MB':>8} {'ours MB':>8}")
    for pages, path in inputs.items():
        n = page_count(path)
        ours, bare = best[("ours", pages)], best[("bare", pages)]
        print(
            f"{n:5} {ours['items']:6} {bare['seconds']:8.2f} {ours['seconds']:8.2f} {ours['seconds'] / bare['seconds']:9.2f} "
            f"{n / ours['seconds']:9.1f} {bare['peak_kb'] / 1024:8.0f} {ours['peak_kb'] / 1024:8.0f}"
        )
    small, large = best[("ours", 30)]["peak_kb"], best[("ours", 300)]["peak_kb"]
    print(f"peak memory of ours at ~300 pages / at ~30 pages: {large / small:.2f}")

    docx_path = CACHE / f"{STEM}-x{COPIES[300]}.docx"
    if docx_path.exists():
        result = measure("ours", docx_path)
        print(f"DOCX with {result['items']} rows: {result['seconds']:.2f} s, peak {result['peak_kb'] / 1024:.0f} MB")


if __name__ == "__main__":
    main()
