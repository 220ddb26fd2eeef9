"""Throughput of a batch through the process pool and through a Dask
cluster of the same size on this machine, in one run.

The corpus's documents (``corpus/documents``; with ``--real`` also
``corpus/real``) are copied ``--times`` times into folders of their own, so
that every copy is a document to convert, and the whole set is converted
with ``--force`` by

* the process pool: ``run_batch(..., jobs=N)``, this machine's N processes;
* a cluster started as a user starts one — ``dask scheduler`` and ``dask
  worker --nworkers N --nthreads 1`` (each worker with its nanny), each a
  process of its own: ``run_batch(..., scheduler=ADDRESS)`` with the
  documents named by paths, so sent as bytes and the outputs sent back;
* the same cluster with the documents and the output folder named by
  ``file://`` URLs, so that the workers read and write them themselves.

The figure is each run's throughput ÷ the pool's, the runs interleaved over
``--repeat`` repeats (the median is printed).  The cluster's start is
measured apart: a standing cluster pays it once.  The per-document seconds
(inside the document's own process), the CPU per document of this process
(the batch's client) and of the scheduler, and the bytes that travel per
document are printed as the ground for an estimate of a real cluster — an
estimate, not a measurement.  So is the cost of the dependency: the time and
memory of importing ``distributed``, paid only with ``--scheduler``.

    python bench/cluster.py [--times 10] [--workers 2] [--repeat 1] [--real]
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Peak memory from the process's own high-water mark (VmHWM begins anew at
# exec; getrusage's maximum would carry the forking parent's size over).
IMPORT_COST = """
import json, time
start = time.perf_counter()
import distributed
seconds = time.perf_counter() - start
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024}))
"""
BARE_PYTHON = """
import json
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"peak_mb": peak / 1024}))
"""


class Cluster:
    """``dask scheduler`` and ``dask worker`` started as a user starts them,
    each a process of its own, so that the client's CPU (this process) and
    the scheduler's are measured apart."""

    def __init__(self, folder: Path, workers: int):
        import distributed

        info = folder / "scheduler.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.scheduler = subprocess.Popen(["dask", "scheduler", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
                                          **quiet)
        while not info.exists():
            time.sleep(0.05)
        time.sleep(0.1)
        self.workers = subprocess.Popen(["dask", "worker", "--scheduler-file", str(info), "--nworkers", str(workers),
                                         "--nthreads", "1", "--no-dashboard"], **quiet)
        self.address = json.loads(info.read_text())["address"]
        with distributed.Client(self.address) as client:
            client.wait_for_workers(workers, timeout=60)

    def scheduler_cpu(self) -> float:
        import psutil

        times = psutil.Process(self.scheduler.pid).cpu_times()
        return times.user + times.system

    def close(self) -> None:
        for process in (self.workers, self.scheduler):
            process.terminate()
            process.wait(30)


def corpus(real: bool) -> list[Path]:
    files = sorted(p for p in (ROOT / "corpus" / "documents").iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
    if real:
        files += sorted(p for p in (ROOT / "corpus" / "real").iterdir() if p.suffix in (".pdf", ".doc", ".docx"))
    return files


def copies(files: list[Path], times: int, folder: Path) -> list[Path]:
    for k in range(times):
        target = folder / f"copy{k:02d}"
        target.mkdir(parents=True)
        for f in files:
            shutil.copy(f, target / f.name)
    return [folder / f"copy{k:02d}" for k in range(times)]


def run(sources: list, out, workers: int, scheduler: str | None):
    from pipeline.batch import run_batch
    from pipeline.inputs import collect_documents

    documents = collect_documents(sources).documents
    shutil.rmtree(str(out).removeprefix("file://"), ignore_errors=True)
    start, cpu = time.perf_counter(), time.process_time()
    outcomes = run_batch(documents, out, ["json"], 0 if scheduler else workers, False, True, lambda o, d, t: None,
                         scheduler=scheduler)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    bad = [o for o in outcomes if o.status != "ok"]
    if bad:  # a throughput of failures means nothing
        sys.exit(f"не прочитаны: {[(o.path, o.error) for o in bad][:3]}")
    return wall, cpu, outcomes


MODES = {
    "pool": "пул процессов",
    "paths": "кластер, пути: байты через клиента",
    "urls": "кластер, file://: рабочие читают и пишут сами",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--real", action="store_true")
    args = parser.parse_args()

    files = corpus(args.real)
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-cluster-") as tmp:
        tmp = Path(tmp)
        folders = copies(files, args.times, tmp / "in")
        total = len(files) * args.times
        in_bytes = sum(f.stat().st_size for f in files) * args.times
        started = time.perf_counter()
        cluster = Cluster(tmp, args.workers)
        startup = time.perf_counter() - started
        address = cluster.address
        setups = {
            "pool": (folders, tmp / "out", None),
            "paths": (folders, tmp / "out", address),
            "urls": ([f"file://{f}" for f in folders], f"file://{tmp}/out", address),
        }
        walls = {m: [] for m in MODES}
        cpus = {m: [] for m in MODES}  # this process: the batch's client
        scheduler_cpus = {m: [] for m in MODES}
        inside = {m: [] for m in MODES}  # each document in its own process
        out_bytes = 0
        try:
            # A first pass each, not counted: the cluster's workers start
            # their fork servers and load the dictionary, the pool warms
            # this process; a batch run for real does each once.
            run(folders[:1], tmp / "warm", args.workers, address)
            run(folders[:1], tmp / "warm", args.workers, None)
            for r in range(args.repeat):
                order = list(MODES) if r % 2 == 0 else list(reversed(MODES))
                for mode in order:
                    sources, out, scheduler = setups[mode]
                    before = cluster.scheduler_cpu()
                    wall, cpu, outcomes = run(sources, out, args.workers, scheduler)
                    scheduler_cpus[mode].append(cluster.scheduler_cpu() - before)
                    walls[mode].append(wall)
                    cpus[mode].append(cpu)
                    inside[mode].extend(o.seconds for o in outcomes)
                    out_bytes = sum(p.stat().st_size for p in (tmp / "out").rglob("*.json"))
        finally:
            cluster.close()

    bare = json.loads(subprocess.run([sys.executable, "-c", BARE_PYTHON], capture_output=True, text=True).stdout)
    imported = json.loads(subprocess.run([sys.executable, "-c", IMPORT_COST], capture_output=True, text=True).stdout)
    wall = {m: statistics.median(v) for m, v in walls.items()}
    print(f"документов: {total} ({len(files)} × {args.times}); рабочих процессов: {args.workers}; повторов: {args.repeat}")
    print("ЦП на документ, мс: клиента (этого процесса) и планировщика; документ — в своём процессе, с")
    print(f"{'':52}{'стена, с':>9}{'док/с':>7}{'÷ пул':>7}{'клиент':>8}{'план.':>7}{'документ':>10}")
    for mode, name in MODES.items():
        print(f"{name:52}{wall[mode]:9.1f}{total / wall[mode]:7.2f}{wall['pool'] / wall[mode]:7.2f}"
              f"{statistics.median(cpus[mode]) / total * 1000:8.1f}{statistics.median(scheduler_cpus[mode]) / total * 1000:7.1f}"
              f"{statistics.mean(inside[mode]):10.2f}")
    print(f"запуск кластера (dask scheduler, dask worker): {startup:.1f} с, платится один раз; здесь клиент, "
          f"планировщик и рабочие делят те же {os.cpu_count()} ядра")
    print(f"на документ отправлено {in_bytes / total / 1024:.0f} КБ, получено {out_bytes / total / 1024:.0f} КБ JSON")
    print(f"import distributed: {imported['seconds']:.2f} с, пик памяти {imported['peak_mb']:.0f} МБ "
          f"(голый Python {bare['peak_mb']:.0f} МБ); платится только с --scheduler")
    per_doc = statistics.mean(inside["pool"])
    for mode in ("paths", "urls"):
        busiest = max(statistics.median(cpus[mode]), statistics.median(scheduler_cpus[mode])) / total
        print(f"оценка (не измерение), {MODES[mode]}: W процессов на своих ядрах ≈ W ÷ {per_doc:.2f} док/с, "
              f"пока клиент и планировщик успевают: до ≈ {1 / busiest:.0f} док/с")


if __name__ == "__main__":
    main()
