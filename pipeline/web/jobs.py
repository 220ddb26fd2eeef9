"""Uploads read in the background, their progress polled by the page.

An upload answers at once with its jobs' addresses; each document is read
in a process of its own (:mod:`pipeline.isolate`) by a thread of its own
that ends with it — at most one reading per core at a time (a semaphore), so
a folder of thirty files dropped on the page queues instead of starting
thirty processes, and an idle server keeps no threads (a process with
threads must start its readers from a fork server, which costs time).  A job's state is what
the page shows: waiting, the step and page being read, done (with the
document it made and its counts) or failed (with the one Russian line).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.progress import STEPS

MAX_JOBS = 500


@dataclass
class Job:
    id: str
    name: str
    batch: str
    state: str = "waiting"  # waiting, running, done, failed
    step: str | None = None
    done: int = 0
    total: int = 0
    document: str | None = None  # the key of the document it made
    counts: dict = field(default_factory=dict)  # items, errors, warnings
    error: str | None = None
    started: float | None = None
    finished: float | None = None
    kind: str = "extract"  # for the API: what the result is (extract: the order; validate: findings)
    format: str = "json"  # for validate: json or sarif

    def progress(self, step: str, done: int, total: int) -> None:
        self.step, self.done, self.total = step, done, total

    def view(self) -> dict:
        """What the page needs, in Russian where a person reads it."""
        step = STEPS.get(self.step or "", "")
        if self.state == "running" and self.total and self.step in {"read", "ocr"}:
            step = f"{step}: {self.done} из {self.total}"
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "step": step,
            "done": self.done,
            "total": self.total,
            "document": self.document,
            "counts": self.counts,
            "error": self.error,
            "seconds": round((self.finished or time.monotonic()) - self.started, 1) if self.started else None,
        }


class Jobs:
    """Jobs by id, grouped in batches (one upload); the oldest forgotten."""

    def __init__(self, workers: int | None = None, limit: int = MAX_JOBS):
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit
        self._slots = threading.BoundedSemaphore(workers or max(1, os.cpu_count() or 1))

    def submit(self, tasks: list[tuple[str, object]], work: Callable[[Job, object], None],
               refused: list[tuple[str, str]] = ()) -> tuple[str, list[Job]]:
        """One job per (name, payload), run by ``work(job, payload)``, which
        sets its outcome; ``refused`` (name, reason) are failed from the start,
        so that the summary lists every file given."""
        batch = secrets.token_urlsafe(9)
        jobs = [Job(secrets.token_urlsafe(12), name, batch) for name, _ in tasks]
        failed = [Job(secrets.token_urlsafe(12), name, batch, state="failed", error=reason) for name, reason in refused]
        with self._lock:
            for job in jobs + failed:
                self._jobs[job.id] = job
            while len(self._jobs) > self._limit:
                self._jobs.popitem(last=False)
        for job, (_, payload) in zip(jobs, tasks):
            threading.Thread(target=self._run, args=(job, work, payload), name="roadmap-job", daemon=True).start()
        return batch, jobs + failed

    def _run(self, job: Job, work: Callable[[Job, object], None], payload: object) -> None:
        with self._slots:
            job.state, job.started = "running", time.monotonic()
            try:
                work(job, payload)
                if job.state == "running":
                    job.state = "done"
            except Exception as exc:  # noqa: BLE001 — the page shows it; the other jobs go on
                job.state, job.error = "failed", f"внутренняя ошибка ({type(exc).__name__})"
            finally:
                job.finished = time.monotonic()

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def batch(self, batch: str) -> list[Job]:
        with self._lock:
            return [job for job in self._jobs.values() if job.batch == batch]
