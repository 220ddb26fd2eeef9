"""One document in a process of its own.

Reading a file is the one step a hostile or broken input controls, so it
runs in a child process with a memory cap and a wall-clock limit: a PDF that
asks for tens of gigabytes gets a MemoryError in its own process, a file that
makes a parser loop is killed when its time is up, a crash in a C library
takes only its own process — and the caller (a batch, the web server, the
CLI) reports one clear line and goes on.

The child makes itself a process group, so a timeout also ends what it
started (OCR page workers, Tesseract, LibreOffice).  Children are forked from
the caller when it has one thread (cheap, and they inherit the loaded
dictionaries), from a fork server otherwise (a web server has threads, and
forking a threaded process can deadlock the child).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection

from pipeline.errors import InputError
from pipeline.limits import limits

MB = 1024 * 1024


class InternalError(Exception):
    """A bug of ours met in the child: the message and the child's traceback."""

    def __init__(self, message: str, trace: str):
        super().__init__(message)
        self.trace = trace


# Modules a caller asks the fork server to hold as well (a cluster worker:
# fsspec, which every document named by a URL needs).
_preload: list[str] = []


def preload(*modules: str) -> None:
    """Have the fork server import ``modules`` before its first child (once
    it runs, it keeps what it has)."""
    _preload.extend(m for m in modules if m not in _preload)


def _context():
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    # The fork server imports the pipeline and loads the dictionary once;
    # each child starts warm.  It takes in our main module first
    # (pipeline/forkmain.py): a child whose server has not would run the
    # main script again itself — under `dask worker`, Dask's command line,
    # 0.16 s a document.
    from multiprocessing import spawn

    main = {k: v for k, v in spawn.get_preparation_data("main").items() if k in ("init_main_from_path", "init_main_from_name")}
    os.environ["ROADMAP_FORKSERVER_MAIN"] = json.dumps(main)
    ctx.set_forkserver_preload(["pipeline.forkmain", "pipeline.warm", *_preload])
    return ctx


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies: a child in a
    session of its own would outlive a batch or a cluster worker killed
    outright, and go on working for nobody."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return  # not Linux: the parent's kill on its own way out still holds
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _child(conn: Connection, func, args: tuple, memory_mb: int, relay: bool = False) -> None:
    parent = os.getppid()
    os.setsid()
    _die_with_parent(parent)
    if memory_mb:
        cap = memory_mb * MB
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ValueError, OSError):
            pass  # a lower hard limit is already in force
    try:
        if relay:
            from pipeline.progress import listening

            with listening(lambda step, done, total: conn.send(("progress", step, done, total))):
                message = ("ok", func(*args))
        else:
            message = ("ok", func(*args))
    except InputError as exc:
        message = ("input", exc.path, exc.reason)
    except MemoryError:
        message = ("memory",)
    except BaseException as exc:  # noqa: BLE001 — reported to the parent as a bug
        message = ("bug", f"{type(exc).__name__}: {exc}", traceback.format_exc())
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory",))
    except Exception as exc:  # the result could not be pickled
        conn.send(("bug", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    conn.close()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _seconds(value: float) -> str:
    return f"{value:g} с"


@dataclass
class Isolated:
    """A started child; ``result()`` waits for it."""

    path: str
    process: multiprocessing.process.BaseProcess
    conn: Connection
    deadline: float | None
    timeout: float
    memory_mb: int
    on_progress: object = None  # called with (step, done, total) as the child reports them

    @classmethod
    def start(cls, func, args: tuple, path: str, timeout: float | None = None, memory_mb: int | None = None,
              on_progress=None) -> "Isolated":
        lim = limits()
        timeout = lim.timeout if timeout is None else timeout
        memory_mb = lim.max_memory_mb if memory_mb is None else memory_mb
        ctx = _context()
        parent, child = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_child, args=(child, func, args, memory_mb, on_progress is not None), daemon=False)
        process.start()
        child.close()
        deadline = time.monotonic() + timeout if timeout else None
        return cls(path, process, parent, deadline, timeout, memory_mb, on_progress)

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def kill(self) -> None:
        _kill_group(self.process.pid)
        self.process.join()
        self.conn.close()

    def result(self):
        """The function's value, or :class:`InputError` (bad input, time or
        memory exceeded, the process died) or :class:`InternalError`."""
        while True:
            try:
                ready = self.conn.poll(self.remaining())
            except BaseException:
                self.kill()
                raise
            if not ready:
                self.kill()
                raise InputError(
                    self.path,
                    f"обработка не уложилась в {_seconds(self.timeout)} (предел задаёт ROADMAP_TIMEOUT или --timeout)",
                )
            try:
                message = self.conn.recv()
            except EOFError:
                message = None
            except BaseException:
                self.kill()
                raise
            if message is not None and message[0] == "progress":
                self.on_progress(*message[1:])
                continue
            break
        _kill_group(self.process.pid)  # whatever it left running
        self.process.join()
        self.conn.close()
        if message is None:
            code = self.process.exitcode
            how = f"сигнал {-code}" if code is not None and code < 0 else f"код {code}"
            if code == -signal.SIGKILL:
                how += ", вероятно, не хватило памяти"
            raise InputError(self.path, f"процесс обработки завершился аварийно ({how})")
        kind = message[0]
        if kind == "ok":
            return message[1]
        if kind == "input":
            raise InputError(message[1], message[2])
        if kind == "memory":
            raise InputError(
                self.path,
                f"документ требует больше {self.memory_mb} МБ памяти (предел задаёт ROADMAP_MAX_MEMORY_MB)",
            )
        raise InternalError(message[1], message[2])


def run_isolated(func, *args, path: str, timeout: float | None = None, memory_mb: int | None = None, on_progress=None):
    """``func(*args)`` in a child process under the time and memory limits;
    ``on_progress(step, done, total)`` hears the child's progress reports."""
    return Isolated.start(func, args, path, timeout, memory_mb, on_progress).result()
