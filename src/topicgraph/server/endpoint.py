"""A read-only SPARQL 1.1 Protocol endpoint over a build folder (``topicgraph serve``).

``GET /sparql?query=…`` and ``POST /sparql`` (a form with ``query=…``, or a body of type
``application/sparql-query``) run one query; ``default-graph-uri`` and ``named-graph-uri`` choose the dataset
(by default the union of all named graphs). Results come in the format the ``Accept`` header prefers (or the one
``format=`` names). Updates, ``LOAD`` and ``SERVICE`` are refused with ``403``; a query over the time limit gets
``503``; a result over the size limit ``413``. Every answer is complete before its headers are sent.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .workers import Busy, Job, QueryTimeout, Reply, WorkerPool

__all__ = ["SparqlServer", "ServerSettings", "PATHS"]

log = logging.getLogger("topicgraph.server")

PATHS = ("/sparql", "/query")
_MAX_REQUEST = 1_000_000  # bytes of query text; larger requests are refused with 413


@dataclass(frozen=True)
class ServerSettings:
    """The endpoint's limits: seconds per query, rows (or triples) per result, bytes per response."""

    timeout: float = 30.0
    max_rows: int | None = 100_000
    max_bytes: int | None = 100_000_000
    workers: int = 2


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


class _Handler(BaseHTTPRequestHandler):
    server: "_HTTPServer"
    protocol_version = "HTTP/1.1"
    server_version = "topicgraph-sparql"

    # ------------------------------------------------------------------------------------------- plumbing
    def log_message(self, fmt: str, *args) -> None:  # route http.server's access log to logging
        log.info("%s %s", self.address_string(), fmt % args)

    def _send(self, reply: Reply, *, head_only: bool = False, extra: dict[str, str] | None = None) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept")
        if reply.status == 503:
            self.send_header("Retry-After", "5")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head_only:
            self.wfile.write(reply.body)

    def _error(self, status: int, message: str, **kw) -> None:
        self._send(Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8")), **kw)

    def _path_ok(self) -> bool:
        path = urlsplit(self.path).path
        if path in PATHS:
            return True
        self._error(404, f"Not found: the SPARQL endpoint is at {' or '.join(PATHS)}.")
        return False

    def _refuse_write(self) -> None:
        self._error(405, "Method not allowed: this endpoint is read-only (no Graph Store writes, no updates).",
                    extra={"Allow": "GET, HEAD, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def do_OPTIONS(self) -> None:
        self._send(Reply(204, "text/plain", b""), extra={"Allow": "GET, HEAD, POST, OPTIONS"})

    def do_HEAD(self) -> None:
        self.do_GET(head_only=True)

    # -------------------------------------------------------------------------------------------- queries
    def do_GET(self, head_only: bool = False) -> None:
        if not self._path_ok():
            return
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if "query" not in params and "update" not in params:
            host = self.headers.get("Host") or ""
            if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?", host):
                host = f"{self.server.server_address[0]}:{self.server.server_address[1]}"
            body = _service_description(f"http://{host}{urlsplit(self.path).path}")
            self._send(Reply(200, "text/turtle; charset=utf-8", body), head_only=head_only)
            return
        self._answer(params, head_only=head_only)

    def do_POST(self) -> None:
        if not self._path_ok():
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > _MAX_REQUEST:
            self.close_connection = True
            self._error(413, f"Request too large: a query may have at most {_MAX_REQUEST} bytes.")
            return
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif ctype == "application/sparql-update":
            self._error(403, "Refused: updates are refused. This endpoint is read-only.")
            return
        else:
            self._error(415, "Unsupported media type: POST a form (application/x-www-form-urlencoded) with "
                             "query=..., or the query itself as application/sparql-query.")
            return
        self._answer(params)

    def _answer(self, params: dict[str, list[str]], head_only: bool = False) -> None:
        if "update" in params:
            self._error(403, "Refused: updates are refused. This endpoint is read-only.", head_only=head_only)
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._error(400, "Bad request: give exactly one non-empty query parameter.", head_only=head_only)
            return
        fmt = (params.get("format") or [None])[0]
        if fmt and "/" in fmt:  # format=application/sparql-results+json: treat it as the Accept header
            accept, fmt = fmt, None
        else:
            accept = self.headers.get("Accept")
        settings = self.server.settings
        job = Job(queries[0], accept=accept, fmt=fmt, default_graphs=tuple(params.get("default-graph-uri", [])),
                  named_graphs=tuple(params.get("named-graph-uri", [])), max_rows=settings.max_rows,
                  max_bytes=settings.max_bytes)
        try:
            reply = self.server.pool.run(job, settings.timeout)
        except QueryTimeout as exc:
            reply = Reply(503, "text/plain; charset=utf-8", f"Query timed out: {exc}.\n".encode())
        except Busy as exc:
            reply = Reply(503, "text/plain; charset=utf-8", f"Server busy: {exc}; try again.\n".encode())
        except RuntimeError as exc:
            reply = Reply(500, "text/plain; charset=utf-8", f"Server error: {exc}.\n".encode())
        self._send(reply, head_only=head_only)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    settings: ServerSettings
    pool: WorkerPool


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
        self.pool = WorkerPool(store, self.settings.workers)
        try:
            self.httpd = _HTTPServer((host, port), _Handler)
        except OSError:
            self.pool.close()
            raise
        self.httpd.settings = self.settings
        self.httpd.pool = self.pool
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
