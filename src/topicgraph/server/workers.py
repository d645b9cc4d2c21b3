"""Worker processes that run the endpoint's queries, so that a query over its time limit can be stopped.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so each query runs in a worker
process. The worker runs the query to the end (or to the row limit) and serialises it; only then does the HTTP
handler send headers, so a client never gets a ``200`` followed by a cut-off body. When the time limit passes
the worker is killed and replaced, and the client gets a ``503`` saying why. Each worker may also be given a
memory limit (``RLIMIT_DATA``): a query that would sort or group billions of rows then kills its own worker,
not the machine.
"""

from __future__ import annotations

import os
import pickle
import signal
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from .jobs import Job, Reply

__all__ = ["WorkerPool", "Job", "Reply", "QueryTimeout", "Busy", "WorkerDied"]


def _text(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


def execute(store, job: Job) -> Reply:
    """Run one job on an opened ``GraphStore``: the whole answer, or an error status with a message."""
    from ..errors import TopicgraphError
    from ..queries import QueryRefused, QuerySyntaxError, ResultTooLarge, run_query
    from ..queries.formats import BINDINGS_FORMATS, GRAPH_FORMATS, media_type, negotiate, serialize

    if job.page is not None:
        from .pages import render

        try:
            return render(store, job.page, dict(job.params), job.accept, max_rows=job.max_rows)
        except TopicgraphError as exc:
            return _text(400, f"Bad request: {exc}")
    try:
        result = run_query(store, job.sparql, max_rows=job.max_rows, default_graphs=list(job.default_graphs),
                           named_graphs=list(job.named_graphs), max_depth=job.max_depth)
    except QueryRefused as exc:
        return _text(403, f"Refused (this endpoint is read-only): {exc}")
    except QuerySyntaxError as exc:
        return _text(400, f"Bad query: {exc}")
    except ResultTooLarge as exc:
        return _text(413, f"Result too large: {exc} (this endpoint's limit).")
    except TopicgraphError as exc:
        return _text(400, f"Query failed: {exc}")
    kind = result.kind
    fmt = job.fmt
    if fmt is not None and fmt not in (GRAPH_FORMATS if kind == "graph" else BINDINGS_FORMATS):
        fmt = None
    if fmt is None:
        fmt = negotiate(job.accept, kind)
    if fmt is None:
        offered = [v[0] for v in (GRAPH_FORMATS if kind == "graph" else BINDINGS_FORMATS).values()]
        return _text(406, f"Not acceptable: none of {job.accept!r} can carry a {result.form} result; "
                          f"ask for one of {', '.join(offered)}.")
    body = serialize(result, fmt)
    if job.max_bytes is not None and len(body) > job.max_bytes:
        return _text(413, f"Result too large: {len(body)} bytes is over this endpoint's limit of "
                          f"{job.max_bytes} bytes; add LIMIT or narrow the query.")
    return Reply(200, media_type(kind, fmt), body)


def _read_message(stream):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the worker closed its pipe")
    size = int.from_bytes(head, "big")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the worker closed its pipe")
    return pickle.loads(data)


def _write_message(stream, obj) -> None:
    from ..streams import write_all

    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    write_all(stream, len(data).to_bytes(8, "big") + data)


def _worker_main(folder: str, memory_mb: int = 0) -> None:  # pragma: no cover - runs in a child process
    """The child's loop: read a job from stdin, write the reply to stdout, until stdin closes."""
    from ..parallel import end_with_parent
    from ..store import MANIFEST, GraphStore

    end_with_parent(os.getppid())  # a server killed outright takes its workers with it, busy or not
    if memory_mb > 0:  # heap and anonymous maps only: RocksDB's read-only file maps do not count
        import resource

        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))

    import rdflib.plugins.sparql.parser  # noqa: F401 - warm up: the first parse pays for the grammar

    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies may reach the pipe
    manifest = Path(folder) / MANIFEST
    stamp = None
    store = None
    _write_message(out, "ready")
    while True:
        try:
            job = _read_message(inp)
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            now = os.stat(manifest).st_mtime_ns
            if store is None or now != stamp:  # a rebuild replaced the graph: open the new one
                store, stamp = GraphStore.open(folder), now
            reply = execute(store, job)
        except MemoryError:
            reply = _text(503, f"Query stopped: it needed more than the {memory_mb} MB of memory a query may use "
                               "here; narrow it or add LIMIT")
        except Exception as exc:  # noqa: BLE001 - report, never die silently
            reply = _text(500, f"Server error: {type(exc).__name__}: {exc}")
        _write_message(out, reply)


class _Worker:
    """One child process (``python -m topicgraph.server._child FOLDER``) talking pickles over its stdin/stdout.

    A plain subprocess rather than multiprocessing: it never re-imports the caller's ``__main__``, and it can be
    killed outright.
    """

    def __init__(self, folder: str, memory_mb: int | None = None) -> None:
        env = dict(os.environ, RUST_BACKTRACE="0")  # an allocation failure prints one line, not a backtrace
        self.proc = subprocess.Popen([sys.executable, "-m", "topicgraph.server._child", folder, str(memory_mb or 0)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True, env=env)
        self.ready = False

    def poll(self, timeout: float) -> bool:
        """True when the child has something to say within ``timeout`` seconds."""
        readable, _, _ = select.select([self.proc.stdout], [], [], max(0.0, timeout))
        return bool(readable)

    def send(self, obj) -> None:
        _write_message(self.proc.stdin, obj)

    def recv(self):
        return _read_message(self.proc.stdout)

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready and self.poll(timeout):
            try:
                self.ready = self.recv() == "ready"
            except (EOFError, OSError, pickle.UnpicklingError):
                return False
        return self.ready

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(5)
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass

    def stop(self) -> None:
        try:
            self.proc.stdin.close()  # the child's loop ends at end of input
            self.proc.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.proc.poll() is None:
            self.kill()
        else:
            self.proc.stdout.close()


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class Busy(Exception):
    """No worker became free in time, or the pool is closing."""


class WorkerDied(RuntimeError):
    """The worker process ended in the middle of a query (``returncode`` as ``Popen`` gives it)."""

    def __init__(self, message: str, returncode: int | None, out_of_memory: bool) -> None:
        super().__init__(message)
        self.returncode, self.out_of_memory = returncode, out_of_memory


class WorkerPool:
    """``size`` worker processes over the build folder; :meth:`run` gives each job at most ``timeout`` seconds."""

    def __init__(self, folder: str | Path, size: int = 2, *, memory_mb: int | None = None) -> None:
        self.folder = str(folder)
        self.memory_mb = memory_mb
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, size)):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        w = _Worker(self.folder, self.memory_mb)
        with self._lock:
            self._all.add(w)
        return w

    def _retire(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)
        if not self._closed:
            self._idle.put(self._spawn())

    def warm_up(self, timeout: float = 60.0) -> bool:
        """Wait until every idle worker has started (imports done), so the first query is not slowed down."""
        workers = []
        ok = True
        while True:
            try:
                workers.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for w in workers:
            ok = w.wait_ready(timeout) and ok
            self._idle.put(w)
        return ok

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return sorted(w.proc.pid for w in self._all)

    def _take(self, timeout: float) -> _Worker:
        """An idle worker that is alive and ready; a dead one (killed while idle) is replaced, not handed out."""
        deadline = time.monotonic() + timeout
        while True:
            if self._closed:
                raise Busy("the server is shutting down")
            try:
                w = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Busy(f"every query worker stayed busy for {timeout:g} s") from None
            if w.proc.poll() is None and w.wait_ready(60.0):
                return w
            self._retire(w)
            if time.monotonic() >= deadline:
                raise RuntimeError("a query worker failed to start")

    def run(self, job: Job, timeout: float) -> Reply:
        w = self._take(timeout)
        started = time.monotonic()
        try:
            w.send(job)
            if not w.poll(timeout):
                self._retire(w)
                raise QueryTimeout(f"the query ran for more than {timeout:g} s (this endpoint's time limit) and "
                                   "was stopped; narrow it, add LIMIT, or raise --timeout")
            reply = w.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            code = w.proc.poll()
            if code is None:
                try:
                    code = w.proc.wait(2)
                except subprocess.TimeoutExpired:
                    code = None
            self._retire(w)
            took = time.monotonic() - started
            # an allocation over RLIMIT_DATA aborts a Rust program (SIGABRT); the kernel's OOM killer sends SIGKILL
            oom = code in (-signal.SIGABRT, -signal.SIGKILL, 128 + signal.SIGABRT)
            if oom and self.memory_mb:
                raise WorkerDied(f"the query needed more than the {self.memory_mb} MB of memory a query may use "
                                 f"here and was stopped after {took:.1f} s; narrow it or add LIMIT", code,
                                 True) from None
            raise WorkerDied(f"the query worker died after {took:.1f} s (exit status {code})", code, oom) from None
        self._idle.put(w)
        return reply

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()
