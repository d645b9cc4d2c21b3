"""The endpoint's HTTP layer: waitress, with the limits a public read-only endpoint needs on top of its own.

waitress parses HTTP/1.1, buffers each request whole before the application sees it, and serves the
application from a fixed pool of threads, so a client that sends slowly ties up no thread. What it leaves to
the application, and what this module adds in three small subclasses:

* one deadline for a whole request (``request_timeout``): waitress's ``channel_timeout`` counts from the last
  byte received, so a client sending a byte a second would never meet it. A request not in by then gets
  ``408``; an idle connection is closed quietly;
* ``max_connections``: waitress stops accepting beyond its ``connection_limit`` and leaves clients waiting in the
  backlog; here the next client is answered ``503`` with ``Retry-After`` straight away;
* framing that could be read two ways is refused, not interpreted: any ``Transfer-Encoding`` (``411``; this
  is what closes the Content-Length + Transfer-Encoding smuggling route), more than one ``Content-Length``
  (``400``), a body that ends early (``400``), HTTP/2+ (``505``), an oversized request line (``414``) or header
  (``431``), a body announced over the limit with ``Expect: 100-continue`` (``413`` before it is sent);
* errors are plain text that names the problem, and the connection closes after them.
"""

from __future__ import annotations

import logging
import socket
import time
from http import HTTPStatus

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import TcpWSGIServer
from waitress.task import WSGITask
from waitress.utilities import Error

from .app import CLOSE, TEXT, too_large
from .settings import ServerSettings

__all__ = ["HttpServer", "HttpError"]

log = logging.getLogger("topicgraph.server")

MAX_LINE = 65536  # bytes in the request line or one header line
MAX_HEADERS = 100
MAX_DISCARD = 64 * 2**20  # an oversized body up to this size is read and dropped, so the client reads our 413
CHECK_EVERY = 0.25  # seconds between two looks at every connection's deadline


class HttpError(Error):
    """An error answered by the HTTP layer itself: ``text`` is the whole plain-text body."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.reason = HTTPStatus(code).phrase

    @classmethod
    def standard(cls, code: int, message: str) -> "HttpError":
        """The status's phrase, then what went wrong."""
        return cls(code, f"{HTTPStatus(code).phrase}: {message}")

    def to_response(self, ident=None):
        return (f"{self.code} {self.reason}", [("Content-Type", TEXT), ("X-Content-Type-Options", "nosniff")],
                (self.body.rstrip() + "\n").encode("utf-8", "replace"))


def _request_line_problem(line: bytes) -> HttpError | None:
    """What is wrong with a request line, in the words of the HTTP/1.1 grammar; None when it is fine."""
    if len(line) > MAX_LINE:
        return HttpError.standard(414, f"the request line is longer than {MAX_LINE} bytes: POST a long query "
                                       "(application/sparql-query) instead of putting it in the URL")
    text = line.decode("iso-8859-1")
    words = text.split()
    if len(words) >= 3:
        version = words[-1]
        number = version[5:].split(".") if version.startswith("HTTP/") else []
        if len(number) != 2 or not all(n.isdigit() and len(n) <= 10 for n in number):
            return HttpError.standard(400, f"Bad request version ({version!r})")
        if (int(number[0]), int(number[1])) >= (2, 0):
            return HttpError.standard(505, f"Invalid HTTP version ({version[5:]})")
    if not 2 <= len(words) <= 3:
        return HttpError.standard(400, f"Bad request syntax ({text!r})")
    if len(words) == 2:
        if words[0] != "GET":
            return HttpError.standard(400, f"Bad HTTP/0.9 request type ({words[0]!r})")
        return HttpError.standard(400, "HTTP/0.9 requests are not served; send HTTP/1.1")
    return None


def _header_problem(lines: list[bytes], settings: ServerSettings) -> HttpError | None:
    if any(len(line) > MAX_LINE for line in lines):
        return HttpError.standard(431, f"Line too long (a header line over {MAX_LINE} bytes)")
    if len(lines) > MAX_HEADERS:
        return HttpError.standard(431, f"Too many headers (more than {MAX_HEADERS})")
    names = [line.split(b":", 1)[0].strip().lower() for line in lines]
    if b"transfer-encoding" in names:
        return HttpError(411, "Length required: send the body with a Content-Length header (chunked transfer "
                              "encoding is not accepted).")
    lengths = {line.split(b":", 1)[1].strip().decode("latin-1") for line, name in zip(lines, names)
               if name == b"content-length" and b":" in line}
    if len(lengths) > 1 or (lengths and not next(iter(lengths)).isdigit()):
        shown = ", ".join(sorted(lengths))[:80]
        return HttpError(400, f"Bad request: Content-Length must be one number of bytes, not {shown!r}.")
    length = int(next(iter(lengths))) if lengths else 0
    expect = any(name == b"expect" and b"100-continue" in line.lower() for line, name in zip(lines, names))
    if length > settings.max_query_bytes and (expect or length > MAX_DISCARD):
        return HttpError.standard(413, too_large(length, settings.max_query_bytes))
    return None


class _Parser(HTTPRequestParser):
    """waitress's request parser, with the checks above run on the head before waitress reads it."""

    settings: ServerSettings

    def __init__(self, adj) -> None:
        super().__init__(adj)
        self.started = time.monotonic()  # the request's first byte: its deadline counts from here

    def parse_header(self, header_plus: bytes) -> None:
        first, _, rest = header_plus.partition(b"\r\n")
        lines = [line for line in rest.split(b"\r\n") if line]
        problem = _request_line_problem(first.rstrip()) or _header_problem(lines, self.settings)
        if problem is None:
            try:
                super().parse_header(header_plus)
                return
            except ParsingError as exc:
                problem = HttpError.standard(400, str(exc))
        self.refuse(problem)

    def refuse(self, error: HttpError) -> None:
        """Make this request one that is answered with ``error`` (and no body is read)."""
        self.headers, self.body_rcv, self.content_length = {}, None, 0
        HTTPRequestParser.parse_header(self, b"GET / HTTP/1.1\r\n")  # the fields an answer needs
        self.error = error
        self.expect_continue = False


class _Task(WSGITask):
    def build_response_header(self) -> bytes:
        if self.environ is not None and self.environ.get(CLOSE):
            self.set_close_on_finish()
        return super().build_response_header()


class _Channel(HTTPChannel):
    parser_class = _Parser
    task_class = _Task

    def handle_read(self) -> None:
        try:
            data = self.socket.recv(self.adj.recv_bytes)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.handle_close()
            return
        if data:
            self.last_activity = time.time()
            self.received(data)
            return
        request = self.request  # the client stopped sending: answer a body it cut short, then close
        if request is not None and request.headers_finished and not request.completed and request.error is None:
            self.answer(HttpError(400, f"Bad request: the body ended after {request.body_bytes_received} of the "
                                       f"{request.content_length} bytes its Content-Length announced."))
        else:
            self.handle_close()

    def answer(self, error: HttpError) -> None:
        """Answer the request being read with ``error``, then close (called from the server's loop)."""
        with self.requests_lock:
            if self.request is not None:
                self.request.close()
            refused = self.parser_class(self.adj)
            refused.refuse(error)
            refused.completed = True
            self.request = None
            self.requests.append(refused)
            if len(self.requests) == 1:
                self.server.add_task(self)


class HttpServer(TcpWSGIServer):
    """waitress's TCP server for ``app`` under ``settings`` (see the module's docstring for what it adds)."""

    channel_class = _Channel

    def __init__(self, app, settings: ServerSettings, **kw) -> None:
        self.settings = settings
        self._next_check = 0.0
        parser = type("Parser", (_Parser,), {"settings": settings})
        self.channel_class = type("Channel", (_Channel,), {"parser_class": parser})
        super().__init__(app, **kw)

    @property
    def server_address(self) -> tuple[str, int]:
        return self.socket.getsockname()[:2]

    def readable(self) -> bool:
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + CHECK_EVERY
            self.maintenance(time.time())
        return super().readable()

    def maintenance(self, now: float) -> None:
        """Answer ``408`` to requests not in within ``request_timeout``; close idle connections."""
        limit = self.settings.request_timeout
        started_before = time.monotonic() - limit
        for channel in list(self.active_channels.values()):
            if channel.requests or channel.will_close or channel.close_when_flushed:
                continue  # being answered, or closing already
            request = channel.request
            if request is not None and not request.completed:
                if request.started < started_before:
                    channel.answer(HttpError.standard(408, f"the request did not arrive within {limit:g} s "
                                                           "(request line, headers and body)"))
            elif channel.last_activity < now - (max(60.0, limit) if channel.total_outbufs_len else limit):
                channel.will_close = True  # idle, or a client that stopped reading its answer

    def handle_accept(self) -> None:
        if len(self.active_channels) < self.settings.max_connections:
            super().handle_accept()
            return
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is not None:
            _refuse_connection(accepted[0], self.settings.max_connections)


def _refuse_connection(conn: socket.socket, limit: int) -> None:
    """Answer ``503`` and close, in the accepting thread: so quickly that it cannot hold up the others."""
    body = f"Server busy: {limit} connections are open already; try again.\n".encode()
    try:
        conn.settimeout(0.05)
        conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     b"Retry-After: 5\r\nConnection: close\r\nContent-Length: " + str(len(body)).encode()
                     + b"\r\n\r\n" + body)
        conn.shutdown(socket.SHUT_WR)
        conn.recv(65536)  # what the client sent: closing with it unread would reset the connection
    except OSError:
        pass
    conn.close()
