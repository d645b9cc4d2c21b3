"""What the HTTP side asks a query worker (:class:`Job`) and what it gets back (:class:`Reply`): plain values
that cross the process boundary as pickles."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Job", "Reply"]


@dataclass(frozen=True)
class Job:
    sparql: str
    accept: str | None = None
    fmt: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int | None = None
    max_bytes: int | None = None
    max_depth: int | None = 128
    #: a workbench page (``home``, ``resource``, ``named``) instead of a query, with its URL parameters
    page: str | None = None
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
