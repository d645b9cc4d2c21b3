"""The HTTP client for other SPARQL servers: the SPARQL 1.1 Protocol (queries) and Graph Store Protocol (push).

Built on httpx, whose connection pool keeps connections alive between the many requests of a push and whose
Digest and Basic authentication answer the server's challenge (Virtuoso wants Digest for writes). Queries
always go as a form POST, because Virtuoso hangs on a direct ``application/sparql-query`` POST.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import httpx

from .errors import TopicgraphError

__all__ = ["HttpClient", "Response", "EndpointError", "sparql_query", "graph_store_url"]


class EndpointError(TopicgraphError):
    """A server answered with an error status (or could not be reached)."""

    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


@dataclass
class Response:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self, limit: int = 2000) -> str:
        return self.body[:limit].decode("utf-8", "replace").strip()


class _ChallengedAuth(httpx.Auth):
    """Credentials in whichever scheme the server's first ``401`` asks for (Digest or Basic), then that one."""

    def __init__(self, user: str, password: str) -> None:
        self._schemes = {"digest": httpx.DigestAuth(user, password), "basic": httpx.BasicAuth(user, password)}
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(None, 1)[0].lower()
        chosen = self._schemes.get(scheme)
        if chosen is None:
            return
        self._chosen = chosen
        flow = chosen.auth_flow(request)
        request = next(flow)
        if scheme == "digest":  # its first try goes unsigned: that is the one just answered
            request = flow.send(response)
        while True:
            response = yield request
            try:
                request = flow.send(response)
            except StopIteration:
                return


def _auth(user: str | None, password: str | None, scheme: str) -> httpx.Auth | None:
    if not user:
        return None
    if scheme == "basic":
        return httpx.BasicAuth(user, password or "")
    if scheme == "digest":
        return httpx.DigestAuth(user, password or "")
    return _ChallengedAuth(user, password or "")


class HttpClient:
    """Keep-alive HTTP(S) with optional authentication; safe to share between threads.

    ``auth``: ``"auto"`` answers the server's challenge, ``"basic"`` sends credentials up front, ``"digest"``
    answers only a Digest challenge.
    """

    def __init__(self, user: str | None = None, password: str | None = None, *, auth: str = "auto",
                 timeout: float = 60.0) -> None:
        self.user, self.timeout = user, timeout
        self._client = httpx.Client(auth=_auth(user, password, auth), timeout=timeout, follow_redirects=False,
                                    trust_env=False)

    def close(self) -> None:
        self._client.close()

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"{url!r} is not an http(s) URL")
        resp = self._send(method, url, body, headers or {})
        if resp.status == 401:
            if not self.user:
                raise EndpointError(f"{method} {url}: the server wants a user name and password "
                                    "(--user and --password, or TOPICGRAPH_PASSWORD)", 401, resp.text())
            raise EndpointError(f"{method} {url}: the server refused the user name or password", 401, resp.text())
        return resp

    def _send(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Response:
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        where = f"{method} {parts.scheme}://{parts.netloc}{target[:80]}"
        for retry in (False, True):
            try:
                raw = self._client.request(method, url, content=body, headers=headers)
                return Response(raw.status_code, raw.reason_phrase, {k.lower(): v for k, v in raw.headers.items()},
                                raw.content)
            except httpx.TimeoutException:
                raise EndpointError(f"{where}: no answer within {self.timeout:g} s") from None
            except httpx.ConnectError as exc:
                raise EndpointError(f"cannot reach {parts.scheme}://{parts.netloc}: {_reason(exc)}") from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                if not retry:
                    continue  # most often a kept-alive connection the server had closed: try a new one once
                raise EndpointError(f"{where}: connection lost ({exc})") from None
            except httpx.HTTPError as exc:
                raise EndpointError(f"{where}: {exc}") from None
        raise AssertionError("unreachable")


def _reason(exc: Exception) -> str:
    """The operating system's words for a failed connection ("Connection refused"), not the layers above."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return str(exc)


def sparql_query(client: HttpClient, url: str, query: str, *, accept: str, default_graphs=(),
                 named_graphs=()) -> Response:
    """Send a query by the SPARQL 1.1 Protocol as a form POST (the one way every server accepts)."""
    form = [("query", query)] + [("default-graph-uri", g) for g in default_graphs] \
        + [("named-graph-uri", g) for g in named_graphs]
    return client.request("POST", url, urlencode(form).encode("utf-8"),
                          {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Accept": accept})


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of ``graph`` (None: the default graph) at ``endpoint``.

    >>> graph_store_url("http://127.0.0.1:7878/store", "https://w3id.org/topicgraph/id/graph/entities")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Ftopicgraph%2Fid%2Fgraph%2Fentities'
    """
    sep = "&" if "?" in endpoint else "?"
    return f"{endpoint}{sep}default" if graph is None else f"{endpoint}{sep}{urlencode({'graph': graph})}"
