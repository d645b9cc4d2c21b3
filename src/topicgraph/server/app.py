"""The endpoint's WSGI application: routes, parameters, content negotiation and the answers' status codes.

It sees only whole requests (the HTTP layer in :mod:`.transport` refuses malformed framing and slow clients
first), checks what it can before a worker is asked (updates, sizes, nesting), and runs the rest in a worker
process through the answer cache. Every error is plain text that says what to send instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from urllib.parse import parse_qs

from .. import vocab
from ..queries.checks import QueryTooComplex, check_complexity, check_nesting
from .cache import AnswerCache
from .pages import ASSETS, asset
from .settings import ServerSettings
from .workers import Busy, Job, QueryTimeout, Reply, WorkerDied, WorkerPool

__all__ = ["SparqlApp", "PATHS", "CLOSE", "TEXT", "service_description"]

PATHS = ("/sparql", "/query")
#: the workbench's pages (see :mod:`.pages`): path -> page name
PAGES = {"/": "home", "/resource": "resource", "/named": "named"}
#: the environ key that asks the HTTP layer to close the connection after this answer (WSGI may not say so)
CLOSE = "topicgraph.close"
TEXT = "text/plain; charset=utf-8"
_MAX_FIELDS = 200  # form fields or URL parameters in one request
_ALLOW = "GET, HEAD, POST, OPTIONS"
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?")

StartResponse = Callable[..., object]


def service_description(base: str) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``base``, in Turtle."""
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "",
        "[] a sd:Service ;",
        f"   sd:endpoint <{base}> ;",
        "   sd:supportedLanguage sd:SPARQL11Query ;",
        "   sd:feature sd:UnionDefaultGraph ;",
        "   sd:resultFormat " + ", ".join(f"<{vocab.FORMATS}{name}>" for name in _RESULT_FORMATS) + " .",
        "",
        "# A read-only topicgraph endpoint: SPARQL 1.1 queries only (no update, LOAD or SERVICE).",
        "# Ask with GET ?query=... or POST (form or application/sparql-query).",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def text_reply(status: int, message: str) -> Reply:
    return Reply(status, TEXT, (message.rstrip() + "\n").encode("utf-8"))


class _Refusal(Exception):
    """An answer decided before any query runs; ``close`` when the connection cannot carry another request."""

    def __init__(self, status: int, message: str, *, close: bool = False,
                 headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.reply = Reply(status, TEXT, (message.rstrip() + "\n").encode("utf-8"), headers)
        self.close = close


class SparqlApp:
    """The WSGI application over a worker pool and an answer cache; ``address`` names the endpoint when a
    request carries no usable ``Host`` header."""

    def __init__(self, settings: ServerSettings, pool: WorkerPool, cache: AnswerCache) -> None:
        self.settings, self.pool, self.cache = settings, pool, cache
        self.address = "127.0.0.1:0"

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        extra: tuple[tuple[str, str], ...] = ()
        try:
            reply, extra = self._route(method, environ)
        except _Refusal as refusal:
            reply = refusal.reply
            if refusal.close:
                environ[CLOSE] = True
        headers = [("Content-Type", reply.content_type), ("Content-Length", str(len(reply.body))),
                   ("Vary", "Accept"), ("X-Content-Type-Options", "nosniff"), *reply.headers, *extra]
        start_response(f"{reply.status} {HTTPStatus(reply.status).phrase}", headers)
        return [b""] if method == "HEAD" else [reply.body]

    def _route(self, method: str, environ: dict) -> tuple[Reply, tuple[tuple[str, str], ...]]:
        if method in ("PUT", "DELETE", "PATCH"):
            raise _Refusal(405, "Method not allowed: this endpoint is read-only (no Graph Store writes, no updates).",
                           close=True, headers=(("Allow", _ALLOW),))
        if method not in ("GET", "HEAD", "POST", "OPTIONS"):
            raise _Refusal(501, f"Not Implemented: unknown method {method[:40]!r}: this endpoint answers GET, HEAD "
                                "and POST (and OPTIONS)", close=True)
        if method == "OPTIONS":
            return Reply(204, "text/plain", b"", (("Allow", _ALLOW),)), ()
        path = environ.get("PATH_INFO", "")
        if path in PAGES or path.startswith("/assets/"):
            return self._page(method, path, environ)
        if path not in PATHS:
            # a body the application did not ask for: the connection cannot be trusted with another request
            raise _Refusal(404, f"Not found: the SPARQL endpoint is at {' or '.join(PATHS)}; the query page at /.",
                           close=method == "POST")
        params = _params(environ.get("QUERY_STRING", ""), "URL's query string")
        if method == "POST":
            self._read_form(environ, params)
        elif "query" not in params and "update" not in params:
            host = environ.get("HTTP_HOST") or ""
            if not _HOST.fullmatch(host):
                host = self.address
            return Reply(200, "text/turtle; charset=utf-8", service_description(f"http://{host}{path}")), ()
        return self._answer(params, environ.get("HTTP_ACCEPT"))

    def _page(self, method: str, path: str, environ: dict) -> tuple[Reply, tuple[tuple[str, str], ...]]:
        """The workbench: the query page, resource pages, named queries and their static assets (GET only)."""
        if method == "POST":
            raise _Refusal(405, f"Method not allowed: {path} is read-only; it answers GET and HEAD (queries go to "
                                f"{PATHS[0]}).", close=True, headers=(("Allow", "GET, HEAD, OPTIONS"),))
        params = _params(environ.get("QUERY_STRING", ""), "URL's query string")
        if "update" in params:
            raise _Refusal(403, "Refused: updates are refused. This endpoint is read-only.")
        if path.startswith("/assets/"):
            name = path.removeprefix("/assets/")
            if name not in ASSETS:
                raise _Refusal(404, f"Not found: no asset {name[:80]!r}.")
            return Reply(200, ASSETS[name] + ("; charset=utf-8" if not ASSETS[name].endswith("javascript") else ""),
                         asset(name), (("Cache-Control", "public, max-age=3600"),)), ()
        single = {}
        for key, values in params.items():
            if len(values) != 1:
                raise _Refusal(400, f"Bad request: give the parameter {key[:40]!r} once.")
            single[key] = values[0]
        accept = environ.get("HTTP_ACCEPT")
        job = Job("", accept=accept, page=PAGES[path], params=tuple(sorted(single.items())),
                  max_rows=self.settings.max_rows, max_bytes=self.settings.max_bytes)
        key = ("page", job.page, job.params, accept)
        reply, hit = self.cache.get_or_run(key, lambda: run_job(self.pool, job, self.settings.timeout),
                                           wait=2 * self.settings.timeout + 60)
        return reply, (("X-Topicgraph-Cache", "hit" if hit else "miss"),)

    def _read_form(self, environ: dict, params: dict[str, list[str]]) -> None:
        """Add the POST body's parameters to ``params`` (a form, or the query itself)."""
        limit = self.settings.max_query_bytes
        length = int(environ.get("CONTENT_LENGTH") or 0)  # the HTTP layer let only one plain number through
        if length > limit:
            raise _Refusal(413, f"Request too large: {too_large(length, limit)}.", close=True)
        body = environ["wsgi.input"].read(length) if length else b""
        ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            try:
                text = body.decode("ascii")  # a form body is percent-encoded: bytes over 127 do not belong
            except UnicodeDecodeError as exc:
                raise _Refusal(400, f"Bad request: the form body has a raw byte 0x{body[exc.start]:02x} at "
                                    f"position {exc.start}; percent-encode it (UTF-8).") from None
            for k, v in _params(text, "form body").items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            try:
                params["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError as exc:
                raise _Refusal(400, f"Bad request: the query is not UTF-8 (byte 0x{body[exc.start]:02x} at position "
                                    f"{exc.start}); send SPARQL as UTF-8.") from None
        elif ctype == "application/sparql-update":
            raise _Refusal(403, "Refused: updates are refused. This endpoint is read-only.")
        else:
            raise _Refusal(415, "Unsupported media type" + (f" {ctype[:60]!r}" if ctype else " (no Content-Type)")
                           + ": POST a form (application/x-www-form-urlencoded) with query=..., or the query "
                             "itself as application/sparql-query.")

    def _answer(self, params: dict[str, list[str]], accept: str | None) -> tuple[Reply, tuple[tuple[str, str], ...]]:
        settings = self.settings
        if "update" in params:
            raise _Refusal(403, "Refused: updates are refused. This endpoint is read-only.")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            got = "none" if not queries else ("an empty one" if len(queries) == 1 else f"{len(queries)}")
            raise _Refusal(400, f"Bad request: give exactly one non-empty query parameter (got {got}).")
        query = queries[0]
        size = len(query.encode("utf-8"))
        if size > settings.max_query_bytes:
            raise _Refusal(413, f"Request too large: the query has {size} bytes; a query may have at most "
                                f"{settings.max_query_bytes} bytes here.")
        try:
            check_nesting(query, settings.max_depth)
            check_complexity(query)
        except QueryTooComplex as exc:
            raise _Refusal(400, f"Bad query: {exc}") from None
        fmt = (params.get("format") or [None])[0]
        if fmt and "/" in fmt:  # format=application/sparql-results+json: treat it as the Accept header
            accept, fmt = fmt, None
        job = Job(query, accept=accept, fmt=fmt, default_graphs=tuple(params.get("default-graph-uri", [])),
                  named_graphs=tuple(params.get("named-graph-uri", [])), max_rows=settings.max_rows,
                  max_bytes=settings.max_bytes, max_depth=settings.max_depth)
        key = (query, accept, fmt, job.default_graphs, job.named_graphs)
        reply, hit = self.cache.get_or_run(key, lambda: run_job(self.pool, job, settings.timeout),
                                           wait=2 * settings.timeout + 60)
        return reply, (("X-Topicgraph-Cache", "hit" if hit else "miss"),)


def too_large(size: int, limit: int) -> str:
    return f"the request carries {size} bytes; a query may have at most {limit} bytes here"


def _params(text: str, where: str) -> dict[str, list[str]]:
    """URL or form parameters, decoded strictly as UTF-8."""
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=_MAX_FIELDS)
    except UnicodeDecodeError as exc:
        raise _Refusal(400, f"Bad request: the {where} is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at "
                            f"position {exc.start} after percent-decoding); send queries as UTF-8.") from None
    except ValueError:
        raise _Refusal(400, f"Bad request: more than {_MAX_FIELDS} parameters in the {where}.") from None


def run_job(pool: WorkerPool, job: Job, timeout: float) -> Reply:
    """The worker's reply, or the reason there is none, as a reply too."""
    try:
        return pool.run(job, timeout)
    except QueryTimeout as exc:
        return text_reply(503, f"Query timed out: {exc}.")
    except Busy as exc:
        return Reply(503, TEXT, f"Server busy: {exc}; try again.\n".encode(), (("Retry-After", "5"),))
    except WorkerDied as exc:
        return text_reply(503 if exc.out_of_memory else 500,
                          f"{'Query stopped' if exc.out_of_memory else 'Server error'}: {exc}.")
    except RuntimeError as exc:
        return text_reply(500, f"Server error: {exc}.")
