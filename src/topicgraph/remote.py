"""A small HTTP client for other SPARQL servers: the SPARQL 1.1 Protocol (queries) and Graph Store Protocol.

Written on ``http.client`` so that connections are kept alive between the many requests of a push, and so that
digest authentication (which Virtuoso wants for writes) works without another dependency. Queries always go as
a form POST, because Virtuoso hangs on a direct ``application/sparql-query`` POST.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

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


@dataclass
class _DigestState:
    params: dict[str, str]
    nc: int = 0


@dataclass
class HttpClient:
    """Keep-alive HTTP(S) with optional basic or digest authentication; safe to share between threads."""

    user: str | None = None
    password: str | None = None
    auth: str = "auto"  # "auto" answers the server's challenge; "basic" sends credentials up front; "digest"
    timeout: float = 60.0
    _local: threading.local = field(default_factory=threading.local, repr=False)
    _digest: dict[str, _DigestState] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _open: list = field(default_factory=list, repr=False)

    def _connection(self, scheme: str, netloc: str, fresh: bool = False) -> tuple[http.client.HTTPConnection, bool]:
        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        key = (scheme, netloc)
        if fresh and key in conns:
            conns.pop(key).close()
        if key in conns:
            return conns[key], True
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conns[key] = cls(netloc, timeout=self.timeout)
        with self._lock:
            self._open.append(conns[key])
        return conns[key], False

    def close(self) -> None:
        """Close the connections of every thread that used this client."""
        with self._lock:
            opened, self._open = self._open, []
        for conn in opened:
            conn.close()
        self._local.conns = {}

    def _auth_header(self, method: str, netloc: str, path: str) -> str | None:
        if not self.user:
            return None
        if self.auth == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            return f"Basic {token}"
        with self._lock:
            state = self._digest.get(netloc)
            if state is None:
                return None
            state.nc += 1
            nc = state.nc
            params = dict(state.params)
        realm, nonce = params.get("realm", ""), params.get("nonce", "")
        algorithm = params.get("algorithm", "MD5")
        if algorithm.upper() not in ("MD5", "MD5-SESS"):
            raise EndpointError(f"the server wants digest algorithm {algorithm}, which topicgraph does not speak")
        h = lambda s: hashlib.md5(s.encode("utf-8")).hexdigest()  # noqa: E731 - RFC 2617 names it H
        cnonce = os.urandom(8).hex()
        ha1 = h(f"{self.user}:{realm}:{self.password or ''}")
        if algorithm.upper() == "MD5-SESS":
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{path}")
        qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
        parts = [f'username="{self.user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{path}"',
                 f"algorithm={algorithm}"]
        if "auth" in qops:
            ncv = f"{nc:08x}"
            response = h(f"{ha1}:{nonce}:{ncv}:{cnonce}:auth:{ha2}")
            parts += ["qop=auth", f"nc={ncv}", f'cnonce="{cnonce}"']
        else:
            response = h(f"{ha1}:{nonce}:{ha2}")
        parts.append(f'response="{response}"')
        if "opaque" in params:
            parts.append(f'opaque="{params["opaque"]}"')
        return "Digest " + ", ".join(parts)

    def _challenge(self, netloc: str, header: str) -> bool:
        """Remember a 401 challenge; True when retrying with credentials makes sense."""
        if not self.user:
            return False
        scheme = header.split(None, 1)[0].lower() if header else ""
        if scheme == "digest" and self.auth in ("auto", "digest"):
            params = {k.lower(): (v1 if v1 is not None else v2) for k, v1, v2 in
                      re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))', header.split(None, 1)[1])}
            with self._lock:
                self._digest[netloc] = _DigestState(params)
            return True
        if scheme == "basic" and self.auth in ("auto", "basic"):
            self.auth = "basic"
            return True
        return False

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"{url!r} is not an http(s) URL")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        for attempt in range(3):
            hdrs = dict(headers or {})
            auth = self._auth_header(method, parts.netloc, path)
            if auth:
                hdrs["Authorization"] = auth
            resp = self._send(parts.scheme, parts.netloc, method, path, body, hdrs)
            if resp.status == 401 and attempt < 2:
                challenge = resp.headers.get("www-authenticate", "")
                stale = "stale=true" in challenge.lower()
                if self._challenge(parts.netloc, challenge) and (attempt == 0 or stale):
                    continue
                if not self.user:
                    raise EndpointError(f"{method} {url}: the server wants a user name and password "
                                        "(--user and --password, or TOPICGRAPH_PASSWORD)", 401, resp.text())
                raise EndpointError(f"{method} {url}: the server refused the user name or password", 401,
                                    resp.text())
            return resp
        return resp

    def _send(self, scheme, netloc, method, path, body, headers) -> Response:
        for retry in (False, True):
            conn, reused = self._connection(scheme, netloc, fresh=retry)
            try:
                conn.request(method, path, body=body, headers=headers)
                raw = conn.getresponse()
                data = raw.read()
                resp = Response(raw.status, raw.reason, {k.lower(): v for k, v in raw.getheaders()}, data)
                if raw.will_close:
                    self._connection(scheme, netloc, fresh=True)
                return resp
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                    http.client.CannotSendRequest, http.client.ResponseNotReady) as exc:
                if reused and not retry:
                    continue  # a kept-alive connection the server had closed: open a new one once
                raise EndpointError(f"{method} {scheme}://{netloc}{path[:80]}: connection lost ({exc})") from None
            except TimeoutError:
                self._connection(scheme, netloc, fresh=True)
                raise EndpointError(f"{method} {scheme}://{netloc}{path[:80]}: no answer within "
                                    f"{self.timeout:g} s") from None
            except OSError as exc:
                raise EndpointError(f"cannot reach {scheme}://{netloc}: {exc.strerror or exc}") from None
        raise AssertionError("unreachable")


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
