"""Progress of the long steps (pages read, pages recognised), told to
whoever listens.

A reader says ``report("ocr", done, total)`` after each page; the web
server's jobs and the isolated reading process listen (:mod:`pipeline.isolate`
relays a child's reports to its parent).  With no listener a report costs a
lookup: the CLI and the batch do not pay for what they do not show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# step, pages done, pages in all
Listener = Callable[[str, int, int], None]

STEPS = {
    "read": "чтение страниц",
    "ocr": "распознавание страниц",
    "structure": "разбор структуры",
    "check": "проверка",
}

_listener: ContextVar[Listener | None] = ContextVar("roadmap_progress", default=None)


def report(step: str, done: int, total: int) -> None:
    listener = _listener.get()
    if listener is not None:
        listener(step, done, total)


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
