"""A read-only SPARQL 1.1 Protocol endpoint over a build folder (``topicgraph serve``).

``GET /sparql?query=…`` and ``POST /sparql`` (a form with ``query=…``, or a body of type
``application/sparql-query``) run one query; ``default-graph-uri`` and ``named-graph-uri`` choose the dataset
(by default the union of all named graphs). Results come in the format the ``Accept`` header prefers (or the one
``format=`` names). Every answer is complete before its headers are sent. Answers to identical requests are
kept until the build changes, and identical requests running at once share one run (see :mod:`.cache`).

Whatever it is sent, the endpoint stays read-only and keeps answering other clients:

* updates, ``LOAD`` and ``SERVICE`` get ``403``; a query (or POST body) over ``max_query_bytes`` gets ``413``;
  brackets nested deeper than ``max_depth`` get ``400`` before any parser sees them;
* a query over the time limit is stopped (its worker process killed) with ``503``; a result over the row or
  byte limit gets ``413``; a query over the worker's memory limit ``503``;
* a request (line, headers and body) must arrive within ``request_timeout`` seconds, and only whole requests
  reach a thread, so a client sending a byte a second holds up nobody (``408``); at most ``max_connections``
  connections are served at once (``503`` beyond);
* malformed HTTP gets a ``4xx`` in plain text: a bad request line or ``Content-Length`` (``400``), a chunked body
  (``411``), an oversized request line or header (``414``, ``431``), a body that is not UTF-8 (``400``), a
  wrong ``Content-Type`` (``415``), an unknown method (``501``).

The pieces: :mod:`.settings` (the limits), :mod:`.app` (the WSGI application), :mod:`.transport` (waitress and
the HTTP limits), :mod:`.workers` (the query processes), :mod:`.cache` (the answers).
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.task import ThreadedTaskDispatcher

from .app import PATHS, SparqlApp
from .cache import AnswerCache
from .settings import ServerSettings
from .transport import CHECK_EVERY, MAX_DISCARD, HttpServer
from .workers import WorkerPool

__all__ = ["SparqlServer", "ServerSettings", "PATHS"]


def adjustments(host: str, port: int, settings: ServerSettings) -> Adjustments:
    """waitress's settings for ``settings``: why each value is what it is, next to it."""
    # waitress turns a host that does not resolve into a bare ValueError: resolve it first, for the reason
    socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return Adjustments(
        host=host, port=port, ident="topicgraph-sparql",
        # threads answer whole requests only; queries beyond the workers wait for one (then 503), and the
        # rest answer from the cache or refuse early without waiting behind them
        threads=max(8, 4 * settings.workers),
        backlog=128,  # many clients connecting at once must wait, not be refused
        # the transport answers 503 beyond max_connections; this is only the backstop
        connection_limit=settings.max_connections + 16,
        channel_timeout=max(1, round(settings.request_timeout)),
        max_request_header_size=4 * 65536,  # the transport refuses a longer line (414, 431) with its reason
        max_request_body_size=MAX_DISCARD + 1,  # larger bodies are refused before they are read
        inbuf_overflow=max(524288, settings.max_query_bytes + 1),  # bodies over the limit go to a temp file
        expose_tracebacks=False, log_socket_errors=False, asyncore_use_poll=True,
    )


class SparqlServer:
    """The endpoint over the build folder ``store``; ``port=0`` picks a free port (see :attr:`url`).

    >>> import tempfile, topicgraph, urllib.request, urllib.parse, json
    >>> out = tempfile.mkdtemp()
    >>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
    >>> with SparqlServer(out, port=0, settings=ServerSettings(workers=1)) as server:
    ...     q = urllib.parse.urlencode({"query": "ASK { ?a a schema:Article }"})
    ...     with urllib.request.urlopen(f"{server.url}?{q}") as resp:
    ...         json.load(resp)["boolean"]
    True
    """

    def __init__(self, store: str | Path = "graph", *, host: str = "127.0.0.1", port: int = 7879,
                 settings: ServerSettings | None = None) -> None:
        from ..store import GraphStore, ensure_summary

        GraphStore.open(store).close()  # fail now, with the usual message, when there is no graph
        summary = ensure_summary(store)  # once here, rather than in each query worker at its first page
        if summary is not None:
            summary.close()
        self.settings = settings or ServerSettings()
        adj = adjustments(host, port, self.settings)  # a host that does not resolve fails here, before workers
        self.pool = WorkerPool(store, self.settings.workers, memory_mb=self.settings.worker_memory_mb)
        self.cache = AnswerCache(store, self.settings.cache_mb * 2**20)
        self.app = SparqlApp(self.settings, self.pool, self.cache)
        self._map: dict = {}
        self._dispatcher = ThreadedTaskDispatcher()
        self._dispatcher.set_thread_count(adj.threads)
        try:
            self.httpd = HttpServer(self.app, self.settings, map=self._map, adj=adj, dispatcher=self._dispatcher)
        except OSError:
            self._dispatcher.shutdown()
            self.pool.close()
            raise
        self.app.address = self.url.split("//", 1)[1].split("/", 1)[0]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.pool.warm_up()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/sparql"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (or Ctrl-C in the caller)."""
        while not self._stop.is_set():
            wasyncore.loop(timeout=CHECK_EVERY, map=self._map, use_poll=True, count=1)

    def start(self) -> "SparqlServer":
        """Serve from a background thread (for tests and notebooks)."""
        self._thread = threading.Thread(target=self.serve_forever, name="topicgraph-sparql", daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self.httpd.pull_trigger()
            self._thread.join(5)
            self._thread = None
        self._dispatcher.shutdown(timeout=5)
        wasyncore.close_all(self._map)
        self.pool.close()

    def __enter__(self) -> "SparqlServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()
