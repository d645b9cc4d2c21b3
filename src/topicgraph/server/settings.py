"""The endpoint's limits, in one frozen value shared by the HTTP layer, the WSGI application and the workers."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServerSettings"]


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
