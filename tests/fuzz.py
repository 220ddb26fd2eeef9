"""Mutation fuzzing of the readers through the CLI.

Mutants of the corpus documents (TXT, DOCX, PDF): bytes flipped, cut, dropped,
repeated or inserted; for a DOCX the mutation goes into its XML parts and the
package is zipped again, so that it gets past the ZIP's checksums to the
parser.  Each mutant is extracted with ``roadmap extract -o``; a mutant that
extracts is also rendered (DOCX, Markdown) and exported (XLSX).  The
contract, checked for every mutant:

* exit status 0 or 2, never a traceback;
* on status 2, exactly one line on stderr, naming the file;
* on status 2, no output file and no temporary file left behind;
* the memory of the process that read the document stays under the cap.

``tests/test_fuzz.py`` runs a bounded number in CI.  By hand, longer:

    python -m tests.fuzz --count 2000 --seed 7
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(
    p for p in (ROOT / "corpus" / "documents").iterdir() if p.suffix in {".txt", ".docx", ".pdf"} and "corrected" not in p.name
)
# Limits for fuzzing: a mutant that turns into a scan is read only if short.
ENVIRONMENT = {"ROADMAP_TIMEOUT": "30", "ROADMAP_MAX_SCAN_PAGES": "2", "ROADMAP_MAX_MEMORY_MB": "2048", "CI": "1"}
MEMORY_CAP_MB = 2048


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        kind = rng.choice(["flip", "cut", "drop", "repeat", "insert", "zeros", "swap"])
        at = rng.randrange(len(data))
        if kind == "flip":
            for _ in range(rng.randint(1, 16)):
                i = rng.randrange(len(data))
                data[i] = rng.randrange(256)
        elif kind == "cut":
            del data[max(at, 1):]
        elif kind == "drop":
            del data[at : at + rng.randint(1, 4096)]
        elif kind == "repeat":
            chunk = data[at : at + rng.randint(1, 2048)]
            data[at:at] = chunk * rng.randint(2, 50)
        elif kind == "insert":
            data[at:at] = bytes(rng.choice([0, 1, 0x0B, 0x1B, 0x7F, 0xFF, rng.randrange(256)]) for _ in range(rng.randint(1, 64)))
        elif kind == "zeros":
            data[at : at + rng.randint(1, 1024)] = b"\0" * min(1024, len(data) - at)
        elif kind == "swap":
            other = rng.randrange(len(data))
            size = rng.randint(1, 256)
            data[at : at + size], data[other : other + size] = data[other : other + size], data[at : at + size]
    return bytes(data)


def _mutate_docx(data: bytes, rng: random.Random) -> bytes:
    """Mutate the XML inside the package and zip it again (or, now and then,
    the package's own bytes)."""
    if rng.random() < 0.2:
        return _mutate_bytes(data, rng)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    xml = [n for n in names if n.endswith(".xml")]
    target = "word/document.xml" if rng.random() < 0.7 and "word/document.xml" in names else rng.choice(xml)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in names:
            content = source.read(name)
            if name == target:
                content = _mutate_bytes(content, rng)
            package.writestr(name, content)
    return out.getvalue()


def mutant(seed_file: Path, rng: random.Random) -> bytes:
    data = seed_file.read_bytes()
    if seed_file.suffix == ".docx":
        return _mutate_docx(data, rng)
    if seed_file.suffix == ".pdf" and rng.random() < 0.6:
        # Past the header, where the objects and streams are.
        head, body = data[:1024], data[1024:]
        return head + _mutate_bytes(body, rng)
    return _mutate_bytes(data, rng)


@dataclass
class Result:
    tried: int = 0
    exits: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    peak_mb: float = 0.0
    seconds: float = 0.0


def _run_cli(args: list[str]) -> tuple[int, str, str]:
    """``roadmap ARGS`` in this process, its exit status and output."""
    from pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args, prog_name="roadmap", standalone_mode=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException as exc:  # noqa: BLE001 — a crash is what we look for
            import traceback

            err.write("Traceback (in process)\n" + traceback.format_exc())
            code = 99
    return code, out.getvalue(), err.getvalue()


def check_one(path: Path, folder: Path) -> tuple[int, list[str]]:
    """The contract for one mutant: its exit status and the problems found."""
    problems: list[str] = []
    target = folder / "out.json"
    code, _, err = _run_cli(["extract", str(path), "-o", str(target)])
    label = f"{path.name}: extract"
    if "Traceback" in err:
        problems.append(f"{label}: traceback\n{err}")
    if code not in (0, 2):
        problems.append(f"{label}: exit {code}: {err.strip()[:300]}")
    if code == 2:
        lines = err.strip().splitlines()
        if len(lines) != 1 or path.name not in lines[0]:
            problems.append(f"{label}: stderr is not one line naming the file: {err.strip()[:300]!r}")
    leftovers = [p.name for p in folder.iterdir() if p != path and (code != 0 or p != target)]
    if leftovers:
        problems.append(f"{label}: left behind {leftovers}")
    if code == 0:
        for args in (["render", str(target), "--to", "docx", "-o", str(folder / "o.docx")],
                     ["render", str(target), "--to", "md", "-o", str(folder / "o.md")],
                     ["extract", str(path), "--format", "xlsx", "-o", str(folder / "o.xlsx")]):
            rc, _, e = _run_cli(args)
            # A document may be refused by the renderer's limits: one line, status 2.
            refused = rc == 2 and len(e.strip().splitlines()) == 1 and "Traceback" not in e
            if rc != 0 and not refused:
                problems.append(f"{path.name}: {' '.join(args[:3])}: exit {rc}: {e.strip()[:300]}")
    return code, problems


def _worker(job: tuple[int, int, str]) -> tuple[str, int, list[str], float]:
    index, seed, seed_name = job
    rng = random.Random(seed * 1_000_003 + index)
    source = next(p for p in SEEDS if p.name == seed_name)
    data = mutant(source, rng)
    with tempfile.TemporaryDirectory(prefix="roadmap-fuzz-") as tmp:
        folder = Path(tmp)
        path = folder / f"mutant-{index:05d}{source.suffix}"
        path.write_bytes(data)
        code, problems = check_one(path, folder)
        if problems:  # kept for a look by hand
            keep = ROOT / "bench" / ".cache" / "fuzz"
            keep.mkdir(parents=True, exist_ok=True)
            (keep / path.name).write_bytes(data)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seed_name, code, problems, peak


def run(count: int, seed: int, jobs: int = 2) -> Result:
    """``count`` mutants, spread over the seed documents, in ``jobs`` worker
    processes (each warm: the pipeline is imported before they fork)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    os.environ.update(ENVIRONMENT)
    import pipeline.cli  # noqa: F401 — loaded once, before the workers fork
    from pipeline.lang.morph import analyzer

    analyzer()
    jobs_list = [(i, seed, SEEDS[i % len(SEEDS)].name) for i in range(count)]
    result = Result()
    start = time.perf_counter()
    # Not multiprocessing.Pool: its workers are daemons, which may not start
    # the process each document is read in.
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for seed_name, code, problems, peak in pool.map(_worker, jobs_list):
            result.tried += 1
            result.exits[code] += 1
            result.problems.extend(problems)
            result.peak_mb = max(result.peak_mb, peak)
    result.seconds = time.perf_counter() - start
    if result.peak_mb > MEMORY_CAP_MB:
        result.problems.append(f"peak memory {result.peak_mb:.0f} MB over the cap of {MEMORY_CAP_MB} MB")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    result = run(args.count, args.seed, args.jobs)
    print(f"tried {result.tried}: exit 0 {result.exits[0]}, exit 2 {result.exits[2]}, "
          f"problems {len(result.problems)}; peak memory {result.peak_mb:.0f} MB; {result.seconds:.0f} s")
    for problem in result.problems:
        print("-", problem)
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
