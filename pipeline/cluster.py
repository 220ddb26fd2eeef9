"""A batch on a Dask distributed cluster (``roadmap batch --scheduler``).

The cluster does the pool's work, not other work: each document is one
task that runs :func:`pipeline.batch.perform` in a process of its own on a
worker (:mod:`pipeline.isolate`, with the batch's time and memory limits),
so a document that crashes, loops or eats memory costs its own process and
is reported as in the pool, and the outputs are the pool's, byte for byte.

What a worker cannot reach is carried for it: a document named by a path
of this machine is sent as bytes, and outputs bound for a path of this
machine come back in the outcome and are written here, atomically, as each
document finishes — so a batch stopped half-way resumes as the pool's does.
Documents and outputs named by URLs (``s3://``, ``file://`` on a shared
disk) are read and written by the workers themselves.

A worker lost in the middle of a document (its machine gone, its process
killed) loses the task to the scheduler, which runs it again on another
worker; a document whose work is cut off so twice is reported as failed and
the batch goes on.  Dask is imported only here, only when a scheduler is
named.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from pipeline import storage
from pipeline.batch import Outcome, Work, failed, perform
from pipeline.errors import InputError
from pipeline.lang.numerals import count
from pipeline.limits import limits

# How many documents wait at the scheduler per worker thread: enough that no
# worker idles between two, few enough that the bytes sent stay small.
QUEUE_PER_THREAD = 2
# Attempts cut off by a lost worker before the document is reported.
MAX_LOST = 2
CONNECT_SECONDS = 20
WORKERS_SECONDS = 60
# The scheduler's event log where each run of a document says it started
# (one topic for every batch: the scheduler keeps a topic's last 100 000).
STARTS = "roadmap-orders-starts"


class ClusterError(Exception):
    """The cluster cannot take the batch; the message is for the user."""


@lru_cache(maxsize=1)
def build() -> str:
    """A digest of this installation's code and data: a worker with another
    build would give other outputs, so the batch refuses it."""
    digest = hashlib.sha256()
    for package in ("pipeline", "schemas", "templates"):
        for entry in sorted(_files(resources.files(package)), key=lambda e: e[0]):
            digest.update(entry[0].encode())
            digest.update(entry[1])
    return digest.hexdigest()[:16]


def _files(folder, prefix: str = ""):
    for entry in folder.iterdir():
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _files(entry, name)
        elif not entry.name.endswith((".pyc", ".pyo")):
            yield name, entry.read_bytes()


def _worker_build() -> str:
    # Sent by name, so each worker computes its own build (``build`` itself
    # may be replaced here, and would travel as it is).
    return build()


def run_on_cluster(address: str, queue: list[Work], done, timeout: float | None) -> None:
    """Do ``queue`` on the cluster whose scheduler is at ``address``;
    ``done(outcome)`` as each document finishes.  :class:`ClusterError`
    when the cluster cannot be used."""
    if not queue:
        return
    try:
        import dask
        import distributed
    except ImportError:
        raise ClusterError("для --scheduler нужны пакеты dask и distributed: pip install 'roadmap-orders[cluster]'") from None
    chosen = limits() if timeout is None else replace(limits(), timeout=timeout)
    # A document is sent inside its task; the warning about large graphs
    # would speak of every large PDF.
    with dask.config.set({"distributed.admin.large-graph-warning-threshold": f"{int(chosen.max_file_mb) + 1}MB"}):
        client = _connect(distributed, address)
        try:
            _check_workers(client, address)
            _run(distributed, client, queue, done, chosen)
        finally:
            client.close()


def _connect(distributed, address: str):
    try:
        return distributed.Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"{address}: планировщик Dask не отвечает ({exc})") from None


def _check_workers(client, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except TimeoutError:
        raise ClusterError(f"{address}: к планировщику за {WORKERS_SECONDS} с не подключился ни один рабочий процесс") from None
    mine = build()
    builds = client.run(_worker_build)
    other = sorted(w for w, b in builds.items() if b != mine)
    if other:
        where = "на рабочем процессе" if len(other) == 1 else "на рабочих процессах"
        raise ClusterError(
            f"{where} {', '.join(other)} другая сборка roadmap-orders, чем здесь: результаты отличались бы; "
            f"установите на них ту же"
        )


def _run(distributed, client, queue: list[Work], done, chosen) -> None:
    threads = sum(client.nthreads().values()) or 1
    window = max(2, QUEUE_PER_THREAD * threads)
    pending = list(queue)
    running = distributed.as_completed(loop=client.loop)
    by_key: dict[str, Work] = {}
    stamp = f"{time.time_ns():x}"
    numbers = itertools.count()

    def submit() -> None:
        work = pending.pop(0)
        try:
            ready = _for_workers(work, chosen)
        except InputError as exc:
            done(failed(work, exc))
            return
        # The document's name in its key: the dashboard shows what runs where.
        key = f"roadmap-{stamp}-{next(numbers)}-{storage.basename(work.source)}"
        by_key[key] = work
        running.add(client.submit(on_worker, ready, key=key, pure=False))

    def fill() -> None:
        # A document refused here takes no place: the window stays full
        # while documents remain.
        while pending and running.count() < window:
            submit()

    fill()
    for future in running:
        work = by_key.pop(future.key)
        try:
            outcome = future.result()
        except distributed.KilledWorker as exc:
            tries = getattr(exc, "allowed_failures", 0) + 1
            outcome = Outcome(work.source, "failed", error=_lost(tries))
        except Exception as exc:  # noqa: BLE001 — the cluster's trouble with one task, reported with it
            outcome = Outcome(work.source, "failed", error=f"кластер не выполнил задачу: {type(exc).__name__}: {exc}")
        future.release()
        done(outcome)
        fill()


def _lost(times: int) -> str:
    return f"обработка прервалась {count(times, 'раз')}: рабочий процесс кластера терялся посреди документа"


def _for_workers(work: Work, chosen) -> Work:
    """The work with what the workers cannot reach carried in it: the bytes
    of a document (and a recheck's JSON) on this machine, and the request to
    send back outputs bound for this machine."""
    from pathlib import Path

    from pipeline.readers import readable_head

    data = json_data = None
    if not storage.is_url(work.source):
        readable_head(Path(work.source))  # refused here as the reader would refuse it
        try:
            data = storage.read_bytes(work.source)
        except OSError as exc:
            raise InputError(work.source, f"файл не читается: {exc.strerror or exc}") from None
    if work.recheck is not None and not storage.is_url(work.recheck):
        try:
            json_data = storage.read_bytes(work.recheck)
        except OSError:
            work = replace(work, recheck=None)  # gone since the plan: converted again
    send_back = any(not storage.is_url(t) for t in work.targets)
    return replace(work, data=data, json_data=json_data, send_back=send_back, limits=chosen)


def on_worker(work: Work) -> Outcome:
    """The task: the document in a process of its own on this worker."""
    import multiprocessing

    from pipeline.isolate import InternalError, preload, run_isolated

    # Dask's nanny starts workers as daemons, which multiprocessing forbids
    # to have children, so that they die with it.  Ours die with their
    # worker anyway (isolate: the parent-death signal), so the flag is
    # lifted for the document's own process.
    multiprocessing.current_process().daemon = False
    preload("fsspec", "pipeline.storage", "pipeline.batch", "pipeline.export", "pipeline.validate")
    lost = _times_lost()
    if lost >= MAX_LOST:
        return Outcome(work.source, "failed", error=_lost(lost))
    started = time.perf_counter()
    chosen = work.limits or limits()
    try:
        outcome = run_isolated(perform, work, path=work.source, timeout=chosen.timeout, memory_mb=chosen.max_memory_mb)
    except (InputError, InternalError) as exc:
        outcome = failed(work, exc)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _times_lost() -> int:
    """How many earlier runs of this task were cut off by a lost worker.

    Each run says it started, in an event log on the scheduler; a run that
    ends never starts again, so the earlier starts are the runs cut off.
    The log is looked into only when the scheduler counts the task among
    those of a lost worker (``suspicious``; a task merely queued there is
    counted too, which is why the starts decide).  A cluster that forbids
    this leaves the count to its own ``allowed-failures``."""
    try:
        from distributed import get_client, get_worker

        key = get_worker().get_current_task()
        client = get_client()
        # A lambda travels by value: the scheduler needs no roadmap-orders.
        suspicious = client.run_on_scheduler(
            lambda dask_scheduler, key: getattr(dask_scheduler.tasks.get(key), "suspicious", 0), key=key)
        earlier = 0
        if suspicious:
            earlier = sum(1 for _, started in client.get_events(STARTS) if started == key)
        client.log_event(STARTS, key)
        return earlier
    except Exception:  # noqa: BLE001 — the count is a refinement, never a reason to fail
        return 0
