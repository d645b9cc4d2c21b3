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
* a request (line, headers and body) must arrive within ``request_timeout`` seconds, so a client sending a
  byte a second ties up only its own connection thread, and only for that long (``408``); at most
  ``max_connections`` connections are served at once (``503`` beyond);
* malformed HTTP gets a ``4xx`` in plain text: a bad request line or ``Content-Length`` (``400``), a chunked body
  (``411``), an oversized request line or header (``414``, ``431``), a body that is not UTF-8 (``400``), a
  wrong ``Content-Type`` (``415``), an unknown method (``501``).
"""

from __future__ import annotations

import io
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .cache import AnswerCache
from .workers import Busy, Job, QueryTimeout, Reply, WorkerDied, WorkerPool

__all__ = ["SparqlServer", "ServerSettings", "PATHS"]

log = logging.getLogger("topicgraph.server")

PATHS = ("/sparql", "/query")
_MAX_FIELDS = 200  # form fields or URL parameters in one request


@dataclass(frozen=True)
class ServerSettings:
    """The endpoint's limits.

    ``timeout``: seconds a query may run; ``max_rows``: rows (or triples) per result; ``max_bytes``: bytes per
    response; ``workers``: query processes (queries running at once); ``max_query_bytes``: bytes of query text
    (or POST body); ``max_depth``: how deep ``{}``, ``()`` and ``[]`` may nest; ``request_timeout``: seconds
    for a client to send a whole request (also how long an idle keep-alive connection stays open);
    ``max_connections``: connections served at once; ``worker_memory_mb``: memory (heap) per query process,
    None for no limit; ``cache_mb``: answers kept for identical requests until the build changes (0: none).
    """

    timeout: float = 30.0
    max_rows: int | None = 100_000
    max_bytes: int | None = 100_000_000
    workers: int = 2
    max_query_bytes: int = 1_000_000
    max_depth: int = 128
    request_timeout: float = 10.0
    max_connections: int = 256
    worker_memory_mb: int | None = 2048
    cache_mb: int = 128


def _service_description(base: str) -> bytes:
    formats = {
        "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "ttl": "http://www.w3.org/ns/formats/Turtle",
        "nt": "http://www.w3.org/ns/formats/N-Triples",
        "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
        "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    }
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "",
        "[] a sd:Service ;",
        f"   sd:endpoint <{base}> ;",
        "   sd:supportedLanguage sd:SPARQL11Query ;",
        "   sd:feature sd:UnionDefaultGraph ;",
        "   sd:resultFormat " + ", ".join(f"<{iri}>" for iri in formats.values()) + " .",
        "",
        "# A read-only topicgraph endpoint: SPARQL 1.1 queries only (no update, LOAD or SERVICE).",
        "# Ask with GET ?query=... or POST (form or application/sparql-query).",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


class _DeadlineReader(io.RawIOBase):
    """A connection's input with one deadline for a whole request, not a timeout per ``recv``.

    A per-``recv`` timeout never fires on a client that sends one byte a second; this one does.
    """

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.deadline: float | None = None
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request did not arrive in time")
            self.sock.settimeout(left)
        n = self.sock.recv_into(buffer)
        self.received += n
        return n


_TEXT = "text/plain; charset=utf-8"


class _Handler(BaseHTTPRequestHandler):
    server: "_HTTPServer"
    protocol_version = "HTTP/1.1"
    server_version = "topicgraph-sparql"
    disable_nagle_algorithm = True  # keep-alive answers must not wait for the client's delayed ACK
    default_request_version = "HTTP/1.1"  # answer even a garbled request line with a status line and headers

    # ------------------------------------------------------------------------------------------- plumbing
    def setup(self) -> None:
        super().setup()
        self._reader = _DeadlineReader(self.connection)
        self.rfile.close()
        self.rfile = io.BufferedReader(self._reader)

    def log_message(self, fmt: str, *args) -> None:  # route http.server's access log to logging
        log.info("%s %s", self.address_string(), fmt % args)

    def handle_one_request(self) -> None:
        """One request, read within ``request_timeout``: ``408`` if it comes too slowly, silence if none comes."""
        settings = self.server.settings
        self._reader.deadline = time.monotonic() + settings.request_timeout
        self._reader.received = 0
        self.raw_requestline, self.requestline = b"", ""
        self.command, self.request_version = None, self.default_request_version
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline, self.request_version, self.command = "", "HTTP/1.1", ""
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG, "the request line is longer than 65536 bytes: "
                                "POST a long query (application/sparql-query) instead of putting it in the URL")
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            method = getattr(self, "do_" + self.command, None)
            if method is None:
                self.send_error(HTTPStatus.NOT_IMPLEMENTED, f"unknown method {self.command[:40]!r}: this endpoint "
                                "answers GET, HEAD and POST (and OPTIONS)")
                return
            method()
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True
            if self._reader.deadline is not None and self._reader.received:  # a request had begun: say why
                self._reader.deadline = None
                self.connection.settimeout(5)
                try:
                    self.send_error(HTTPStatus.REQUEST_TIMEOUT, "the request did not arrive within "
                                    f"{settings.request_timeout:g} s (request line, headers and body)")
                except OSError:
                    pass
        except (ConnectionError, OSError):
            self.close_connection = True

    def _request_read(self) -> None:
        """The whole request is in: stop the reading deadline, and give writes a timeout of their own."""
        self._reader.deadline = None
        self.connection.settimeout(max(60.0, self.server.settings.request_timeout))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors in plain text (this endpoint talks to programs), and always on a connection that then closes."""
        status = HTTPStatus(code)
        text = f"{status.phrase}: {message or status.description}"
        if explain and explain != message:
            text += f" ({explain})"
        self.close_connection = True
        self.send_response(code)
        body = (text.rstrip() + "\n").encode("utf-8", "replace")
        self.send_header("Content-Type", _TEXT)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send(self, reply: Reply, *, head_only: bool = False, extra: dict[str, str] | None = None) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (*reply.headers, *(extra or {}).items()):
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head_only:
            self.wfile.write(reply.body)

    def _error(self, status: int, message: str, *, close: bool = False, **kw) -> None:
        if close:  # the rest of the request was not read: the connection cannot carry another one
            self.close_connection = True
        self._send(Reply(status, _TEXT, (message.rstrip() + "\n").encode("utf-8")), **kw)

    def _path_ok(self, *, body_unread: bool = False) -> bool:
        path = urlsplit(self.path).path
        if path in PATHS:
            return True
        self._error(404, f"Not found: the SPARQL endpoint is at {' or '.join(PATHS)}.", close=body_unread)
        return False

    def _params(self, text: str, where: str) -> dict[str, list[str]] | None:
        """URL or form parameters, decoded strictly as UTF-8; None (and a 400 sent) when they cannot be."""
        try:
            return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                            max_num_fields=_MAX_FIELDS)
        except UnicodeDecodeError as exc:
            self._error(400, f"Bad request: the {where} is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at "
                             f"position {exc.start} after percent-decoding); send queries as UTF-8.")
        except ValueError:
            self._error(400, f"Bad request: more than {_MAX_FIELDS} parameters in the {where}.")
        return None

    def _refuse_write(self) -> None:
        self._error(405, "Method not allowed: this endpoint is read-only (no Graph Store writes, no updates).",
                    close=True, extra={"Allow": "GET, HEAD, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def do_OPTIONS(self) -> None:
        self._request_read()
        self._send(Reply(204, "text/plain", b""), extra={"Allow": "GET, HEAD, POST, OPTIONS"})

    def do_HEAD(self) -> None:
        self.do_GET(head_only=True)

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before the client sends it (``Expect: 100-continue``)."""
        length = self.headers.get("Content-Length", "").strip()
        if length.isdigit() and int(length) > self.server.settings.max_query_bytes:
            self.send_error(413, self._too_large(int(length)))
            return False
        return super().handle_expect_100()

    def _too_large(self, size: int) -> str:
        return (f"the request carries {size} bytes; a query may have at most "
                f"{self.server.settings.max_query_bytes} bytes here")

    # -------------------------------------------------------------------------------------------- queries
    def do_GET(self, head_only: bool = False) -> None:
        self._request_read()
        if not self._path_ok():
            return
        params = self._params(urlsplit(self.path).query, "URL's query string")
        if params is None:
            return
        if "query" not in params and "update" not in params:
            host = self.headers.get("Host") or ""
            if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?", host):
                host = f"{self.server.server_address[0]}:{self.server.server_address[1]}"
            body = _service_description(f"http://{host}{urlsplit(self.path).path}")
            self._send(Reply(200, "text/turtle; charset=utf-8", body), head_only=head_only)
            return
        self._answer(params, head_only=head_only)

    def _read_body(self) -> bytes | None:
        """The body, exactly as its Content-Length says; None (and an error sent) when that cannot be."""
        limit = self.server.settings.max_query_bytes
        if self.headers.get("Transfer-Encoding"):
            self._error(411, "Length required: send the body with a Content-Length header (chunked transfer "
                             "encoding is not accepted).", close=True)
            return None
        values = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if not values:
            return b""  # no Content-Length and no Transfer-Encoding: no body (RFC 9112, 6.3)
        if len(values) > 1 or not next(iter(values)).isdigit():
            shown = ", ".join(sorted(values))[:80]
            self._error(400, f"Bad request: Content-Length must be one number of bytes, not {shown!r}.",
                        close=True)
            return None
        length = int(next(iter(values)))
        if length > limit:
            self._discard(length)
            self._error(413, f"Request too large: {self._too_large(length)}.", close=True)
            return None
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            self._error(400, f"Bad request: the body ended after {len(body)} of the {length} bytes its "
                             "Content-Length announced.", close=True)
            return None
        return body

    def _discard(self, length: int) -> None:
        """Read and drop an oversized body (up to 64 MB, within the request deadline), so that the client,
        still sending, reads our 413 instead of a connection reset."""
        left = min(length, 64 * 2**20)
        try:
            while left > 0:
                chunk = self.rfile.read1(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)
        except (TimeoutError, OSError):
            pass
        self._request_read()

    def do_POST(self) -> None:
        if urlsplit(self.path).path not in PATHS:
            self._request_read()
            self._path_ok(body_unread=True)
            return
        body = self._read_body()
        self._request_read()
        if body is None:
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = self._params(urlsplit(self.path).query, "URL's query string")
        if params is None:
            return
        if ctype == "application/x-www-form-urlencoded":
            try:
                text = body.decode("ascii")  # a form body is percent-encoded: bytes over 127 do not belong
            except UnicodeDecodeError as exc:
                self._error(400, f"Bad request: the form body has a raw byte 0x{body[exc.start]:02x} at position "
                                 f"{exc.start}; percent-encode it (UTF-8).")
                return
            form = self._params(text, "form body")
            if form is None:
                return
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            try:
                params["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError as exc:
                self._error(400, f"Bad request: the query is not UTF-8 (byte 0x{body[exc.start]:02x} at position "
                                 f"{exc.start}); send SPARQL as UTF-8.")
                return
        elif ctype == "application/sparql-update":
            self._error(403, "Refused: updates are refused. This endpoint is read-only.")
            return
        else:
            self._error(415, "Unsupported media type"
                             + (f" {ctype[:60]!r}" if ctype else " (no Content-Type)")
                             + ": POST a form (application/x-www-form-urlencoded) with query=..., or the query "
                               "itself as application/sparql-query.")
            return
        self._answer(params)

    def _answer(self, params: dict[str, list[str]], head_only: bool = False) -> None:
        from ..queries.runner import QueryTooComplex, check_nesting

        settings = self.server.settings
        if "update" in params:
            self._error(403, "Refused: updates are refused. This endpoint is read-only.", head_only=head_only)
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            got = "none" if not queries else ("an empty one" if len(queries) == 1 else f"{len(queries)}")
            self._error(400, f"Bad request: give exactly one non-empty query parameter (got {got}).",
                        head_only=head_only)
            return
        query = queries[0]
        size = len(query.encode("utf-8"))
        if size > settings.max_query_bytes:
            self._error(413, f"Request too large: the query has {size} bytes; a query may have at most "
                             f"{settings.max_query_bytes} bytes here.", head_only=head_only)
            return
        try:
            check_nesting(query, settings.max_depth)
        except QueryTooComplex as exc:
            self._error(400, f"Bad query: {exc}", head_only=head_only)
            return
        fmt = (params.get("format") or [None])[0]
        if fmt and "/" in fmt:  # format=application/sparql-results+json: treat it as the Accept header
            accept, fmt = fmt, None
        else:
            accept = self.headers.get("Accept")
        job = Job(query, accept=accept, fmt=fmt, default_graphs=tuple(params.get("default-graph-uri", [])),
                  named_graphs=tuple(params.get("named-graph-uri", [])), max_rows=settings.max_rows,
                  max_bytes=settings.max_bytes, max_depth=settings.max_depth)
        key = (query, accept, fmt, job.default_graphs, job.named_graphs)
        reply, hit = self.server.cache.get_or_run(key, lambda: _run(self.server.pool, job, settings.timeout),
                                                  wait=2 * settings.timeout + 60)
        self._send(reply, head_only=head_only, extra={"X-Topicgraph-Cache": "hit" if hit else "miss"})


def _run(pool: WorkerPool, job: Job, timeout: float) -> Reply:
    """The worker's reply, or the reason there is none, as a reply too."""
    try:
        return pool.run(job, timeout)
    except QueryTimeout as exc:
        return Reply(503, _TEXT, f"Query timed out: {exc}.\n".encode())
    except Busy as exc:
        return Reply(503, _TEXT, f"Server busy: {exc}; try again.\n".encode(), (("Retry-After", "5"),))
    except WorkerDied as exc:
        return Reply(503 if exc.out_of_memory else 500, _TEXT,
                     f"{'Query stopped' if exc.out_of_memory else 'Server error'}: {exc}.\n".encode())
    except RuntimeError as exc:
        return Reply(500, _TEXT, f"Server error: {exc}.\n".encode())


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # listen backlog: many clients connecting at once must wait, not be refused
    settings: ServerSettings
    pool: WorkerPool
    cache: AnswerCache

    def server_activate(self) -> None:
        self._active = 0
        self._active_lock = threading.Lock()
        super().server_activate()

    def process_request(self, request, client_address) -> None:
        with self._active_lock:
            full = self._active >= self.settings.max_connections
            if not full:
                self._active += 1
        if full:
            body = (f"Server busy: {self.settings.max_connections} connections are open already; try again.\n"
                    ).encode()
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Retry-After: 5\r\nConnection: close\r\nContent-Length: "
                                + str(len(body)).encode() + b"\r\n\r\n" + body)
            except OSError:
                pass
            self.shutdown_request(request, linger=0.05)  # this runs in the accepting thread: keep it short
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._done()
            self.shutdown_request(request)
            raise

    def _done(self) -> None:
        with self._active_lock:
            self._active -= 1

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._done()

    def shutdown_request(self, request, *, linger: float = 1.0) -> None:
        """Close after reading what the client is still sending (at most 1 MB or ``linger`` seconds): closing
        with unread input makes the kernel send a reset, which can destroy the answer before the client reads it."""
        try:
            request.shutdown(socket.SHUT_WR)
            deadline, budget = time.monotonic() + linger, 1 << 20
            while budget > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                request.settimeout(left)
                data = request.recv(65536)
                if not data:
                    break
                budget -= len(data)
        except OSError:
            pass
        self.close_request(request)

    def handle_error(self, request, client_address) -> None:  # a client that vanished is not worth a traceback
        log.debug("error while serving %s", client_address, exc_info=True)


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
        from ..store import GraphStore

        GraphStore.open(store).close()  # fail now, with the usual message, when there is no graph
        self.settings = settings or ServerSettings()
        self.pool = WorkerPool(store, self.settings.workers, memory_mb=self.settings.worker_memory_mb)
        try:
            self.httpd = _HTTPServer((host, port), _Handler)
        except OSError:
            self.pool.close()
            raise
        self.httpd.settings = self.settings
        self.httpd.pool = self.pool
        self.cache = self.httpd.cache = AnswerCache(store, self.settings.cache_mb * 2**20)
        self._thread: threading.Thread | None = None
        self.pool.warm_up()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/sparql"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (or Ctrl-C in the caller)."""
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self) -> "SparqlServer":
        """Serve from a background thread (for tests and notebooks)."""
        self._thread = threading.Thread(target=self.serve_forever, name="topicgraph-sparql", daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self.httpd.server_close()
        self.pool.close()

    def __enter__(self) -> "SparqlServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()
