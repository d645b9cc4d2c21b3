"""Worker processes: the one pool that build, validate and the analyses use, its Ctrl-C policy and worker count.

Workers start by forkserver on POSIX (spawn elsewhere): a clean process that imports what it needs, never a fork
of a main process holding an open store or a half-written report. Each worker ignores Ctrl-C
(:func:`quiet_worker`): the terminal sends it to the whole process group, and the main process, which unwinds
and stops its pool, is the one that should answer it. Each worker also ends with the process that started its
pool, kill -9 included (:func:`end_with_parent`); the fork server then exits too, once its last worker is gone.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["default_jobs", "worker_context", "quiet_worker", "end_with_parent", "WorkerPool", "WorkerDied"]

T = TypeVar("T")

#: the most workers chosen by default: beyond it, the main process (which merges what they send) is the limit
MAX_DEFAULT_JOBS = 8


def default_jobs(jobs: int | None = None) -> int:
    """``jobs`` when given (and positive), else the cores, at most :data:`MAX_DEFAULT_JOBS`.

    >>> default_jobs(3)
    3
    >>> 1 <= default_jobs() <= MAX_DEFAULT_JOBS
    True
    """
    return jobs if jobs is not None and jobs > 0 else min(os.cpu_count() or 1, MAX_DEFAULT_JOBS)


def worker_context():
    """The multiprocessing context of every worker pool: forkserver on POSIX."""
    import multiprocessing

    return multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")


def end_with_parent(owner: int, every: float = 0.5) -> None:
    """End this process (exit 1) once ``owner``, the process it works for, has ended, kill -9 included.

    A daemon thread looks every ``every`` seconds. A pipe would not tell: the fork server hands its own pipe's
    writing end to every worker, so it outlives the main process as long as they do. On Linux the kernel also
    kills this process at once when its parent ends (``PR_SET_PDEATHSIG``), as when the fork server is killed.
    """
    import threading
    import time

    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no C library to ask: the thread below still ends it
            pass

    def watch() -> None:
        while _alive(owner):
            time.sleep(every)
        os._exit(1)

    if not _alive(owner) or os.getppid() == 1:
        os._exit(1)
    threading.Thread(target=watch, name="topicgraph-watch-owner", daemon=True).start()


_PR_SET_PDEATHSIG = 1


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, killed but not yet reaped, counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def quiet_worker(owner: int, init: Callable | None, *args) -> None:
    """A pool worker's initializer: Ctrl-C is ignored, the worker ends with ``owner`` (the process of the pool,
    :func:`end_with_parent`), then ``init(*args)``. The terminal sends Ctrl-C to the
    whole process group; the main process unwinds and its pool stops the workers once their chunk is done, so a
    worker taking it too would only print a KeyboardInterrupt traceback of its own (in the middle of loading the
    taxonomy, say). A signal mask would not do: multiprocessing starts the fork server with an empty one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(owner)
    if init is not None:
        init(*args)


def _noop() -> None:
    return None


class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed, out of memory, a crash in native code)."""


class WorkerPool:
    """``jobs`` worker processes, each set up once by ``init(*initargs)`` (ignoring Ctrl-C).

    ``start=True`` starts every worker now (they start on demand otherwise), so that they import and load what
    ``init`` loads while the main process does something else. Use as a context manager, or :meth:`close`.

    >>> with WorkerPool(1) as pool:
    ...     [chunk for chunk, _ in pool.ordered(len, [[1, 2], [3]])]
    [[1, 2], [3]]
    """

    def __init__(self, jobs: int, init: Callable | None = None, *initargs: Any, start: bool = False) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = jobs
        self.executor = ProcessPoolExecutor(jobs, mp_context=worker_context(), initializer=quiet_worker,
                                            initargs=(os.getpid(), init, *initargs))
        if start:
            for _ in range(jobs):  # one task each, so that every worker starts now
                self.executor.submit(_noop)

    def submit(self, fn: Callable[..., T], *args: Any):
        """``fn(*args)`` in a worker: a ``concurrent.futures.Future``."""
        return self.executor.submit(fn, *args)

    def ordered(self, fn: Callable[[Any], T], chunks: Iterable, ahead: int | None = None) -> Iterator[tuple[Any, T]]:
        """``(chunk, fn(chunk))`` for every chunk, in order, with at most ``ahead`` chunks in flight (default
        three per worker): memory stays flat however many chunks there are. Raises :class:`WorkerDied` when a
        worker process ends without answering."""
        from concurrent.futures.process import BrokenProcessPool

        chunks = iter(chunks)
        ahead = ahead if ahead is not None else self.jobs * 3
        try:
            window: deque = deque((c, self.executor.submit(fn, c)) for _, c in zip(range(ahead), chunks))
            while window:
                chunk, future = window.popleft()
                done = future.result()
                nxt = next(chunks, None)
                if nxt is not None:
                    window.append((nxt, self.executor.submit(fn, nxt)))
                yield chunk, done
        except BrokenProcessPool as exc:
            raise WorkerDied(str(exc)) from None

    def close(self, wait: bool = True) -> None:
        """Stop the workers, cancelling what has not started (not waiting for them unless ``wait``)."""
        self.executor.shutdown(wait=wait, cancel_futures=True)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        # every chunk handed out is finished, even after Ctrl-C: a worker stopped halfway through writing its
        # answer would leave the pool waiting for ever; a second Ctrl-C meanwhile ends the process (cli._interrupted)
        self.executor.shutdown(wait=True)
