"""Speed and memory of the whole job against bare libraries, in one run.

Every figure is ours ÷ a reference measured in the same run: each command
runs in a fresh process (through a small wrapper that reports the CPU
seconds and the peak resident memory of the command and all it started),
ours and the reference interleaved, each repeat in the other order; the
median of the repeats is printed.

| row | ours | reference |
|---|---|---|
| text PDF, 6 / 19 / ~300 pages | `roadmap extract F.pdf -o out.json` | pdfplumber `extract_tables()` on every page |
| the same PDFs | 〃 | pypdfium2: the text of every page |
| corpus DOCX | `roadmap extract F.docx -o out.json` | python-docx: every paragraph and every cell's text |
| one scanned page | `roadmap extract scan.pdf -o out.json` | the page rendered at 300 dpi (pypdfium2) and `tesseract --psm 6 -l rus` |
| batch of the corpus | `roadmap batch --jobs 2` (wall) | `roadmap batch --jobs 1` (wall) |

The ~300-page PDF is the corpus order 718-ОД with its roadmap repeated, made
by `bench/pdf_vs_pdfplumber.py`'s builder and cached in `bench/.cache/`.
Byte code is written and used (as in an installed package), whatever
``PYTHONDONTWRITEBYTECODE`` says.

    python bench/speed.py [--repeat 3] [--skip-scan] [--skip-batch]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpus" / "documents"
SCAN = ROOT / "tests" / "fixtures" / "scans" / "smolensk-prikaz-718-od-scan.pdf"

# Runs argv[1:] as a child and prints its CPU seconds (user + system, with
# everything it started and waited for) and peak resident memory.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "peak_mb": usage.ru_maxrss / 1024, "code": code}))
"""

BARE_PDFPLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
        page.close()
"""

BARE_PDFIUM = """
import sys, pypdfium2
document = pypdfium2.PdfDocument(sys.argv[1])
for index in range(len(document)):
    page = document[index]
    text = page.get_textpage()
    text.get_text_range()
    text.close()
    page.close()
"""

BARE_DOCX = """
import sys, docx
document = docx.Document(sys.argv[1])
texts = [p.text for p in document.paragraphs]
for table in document.tables:
    for row in table.rows:
        texts.extend(cell.text for cell in row.cells)
"""

# What a plain OCR of a scanned page costs: the page rendered as the
# reader renders it (pypdfium2, 300 dpi, grey) and Tesseract's CLI on it.
BARE_TESSERACT = """
import subprocess, sys, tempfile, os, pypdfium2
document = pypdfium2.PdfDocument(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    for index in range(len(document)):
        image = document[index].render(scale=300 / 72, grayscale=True).to_pil()
        png = os.path.join(tmp, f"{index}.png")
        image.save(png)
        subprocess.run(["tesseract", png, "-", "--psm", "6", "-l", "rus"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"})
"""


def roadmap() -> list[str]:
    exe = Path(sys.executable).with_name("roadmap")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline.cli"]


def measure(argv: list[str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"failed ({result['code']}): {' '.join(argv)}")
    return result


def compare(name: str, ours: list[str], references: dict[str, list[str]], repeat: int, key: str = "cpu") -> list[tuple]:
    """Interleaved runs; a row per reference: name, ours, reference, ratio, peaks."""
    kinds = ["ours", *references]
    argv = {"ours": ours, **references}
    runs: dict[str, list[dict]] = {k: [] for k in kinds}
    for turn in range(repeat):
        order = kinds[turn % len(kinds) :] + kinds[: turn % len(kinds)]
        for kind in order:
            runs[kind].append(measure(argv[kind]))
    ours_value = statistics.median(r[key] for r in runs["ours"])
    ours_peak = max(r["peak_mb"] for r in runs["ours"])
    rows = []
    for ref in references:
        ref_value = statistics.median(r[key] for r in runs[ref])
        rows.append((name, ref, ours_value, ref_value, ours_value / ref_value, ours_peak, max(r["peak_mb"] for r in runs[ref])))
    return rows


def scan_pages(path: Path) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(str(path)))


def big_pdf() -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    import pdf_vs_pdfplumber

    return pdf_vs_pdfplumber.build_inputs()[300]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-scan", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    # Byte code compiled once, as an installed package has it.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline"), str(ROOT / "schemas")], check=True)

    out = Path(tempfile.mkdtemp(prefix="roadmap-bench-"))
    rows: list[tuple] = []
    try:
        pdfs = {
            "PDF, 6 страниц": DOCS / "smolensk-prikaz-718-od.pdf",
            "PDF, 19 страниц": DOCS / "mordovia-bbereznikovsky-prikaz-59-b.pdf",
            "PDF, ~300 страниц": big_pdf(),
        }
        for name, path in pdfs.items():
            rows += compare(
                name,
                [*roadmap(), "extract", str(path), "-o", str(out / "out.json")],
                {
                    "pdfplumber extract_tables": [sys.executable, "-c", BARE_PDFPLUMBER, str(path)],
                    "pypdfium2 text": [sys.executable, "-c", BARE_PDFIUM, str(path)],
                },
                args.repeat,
            )
        docx_path = DOCS / "smolensk-prikaz-718-od.docx"
        rows += compare(
            "DOCX корпуса",
            [*roadmap(), "extract", str(docx_path), "-o", str(out / "out.json")],
            {"python-docx text": [sys.executable, "-c", BARE_DOCX, str(docx_path)]},
            args.repeat,
        )
        if not args.skip_scan and shutil.which("tesseract"):
            rows += compare(
                f"скан, {scan_pages(SCAN)} стр.",
                [*roadmap(), "extract", str(SCAN), "-o", str(out / "out.json")],
                {"pdfium 300 dpi + tesseract --psm 6": [sys.executable, "-c", BARE_TESSERACT, str(SCAN)]},
                args.repeat,
            )
        if not args.skip_batch:
            files = sorted(p for p in DOCS.iterdir() if p.suffix in {".pdf", ".docx", ".txt"})
            rows += compare(
                f"batch, {len(files)} файлов (стена)",
                [*roadmap(), "batch", "--force", "--jobs", "2", "--out", str(out / "b2"), *map(str, files)],
                {"batch --jobs 1": [*roadmap(), "batch", "--force", "--jobs", "1", "--out", str(out / "b1"), *map(str, files)]},
                args.repeat,
                key="wall",
            )
    finally:
        shutil.rmtree(out, ignore_errors=True)

    print(f"{'работа':34} {'эталон':36} {'наше, с':>8} {'эталон, с':>9} {'отношение':>9} {'наше, МБ':>8} {'эталон, МБ':>10}")
    for name, ref, ours, reference, ratio, ours_mb, ref_mb in rows:
        print(f"{name:34} {ref:36} {ours:8.2f} {reference:9.2f} {ratio:9.2f} {ours_mb:8.0f} {ref_mb:10.0f}")


if __name__ == "__main__":
    main()
