"""Checking files: each one read once (within the size limit), then checked as an RDF file or as a record, the
records' SHACL done together.

:func:`check_files` returns a JSON-ready *summary* of each file (:mod:`.summary`): its findings, without the file
name, and what the cross-record checks need (the record's id, URLs and digest). Everything here depends only on
the file's bytes, its path, and the :class:`~.context.Context` (taxonomy, shapes, profile, base IRI), which is
what the cache is keyed by.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import RecordError
from ..records import read_limited
from .context import Context
from .rdf_checks import RDF_EXTENSIONS, check_rdf
from .record_checks import Pending, check_record
from .summary import summary

__all__ = ["check_files"]


def check_files(items: list[tuple[Path, str]], ctx: Context, digests: list | None = None) -> list[dict]:
    """Check many files (never raises for bad input; a pyshacl crash raises :class:`~topicgraph.shacl.ShaclCrash`),
    each as if alone, with the records' SHACL done together.

    Each record's graph (with its stand-ins) is screened (:mod:`topicgraph.shacl.screen`); the few that might not
    conform go to pyshacl in batches (:meth:`topicgraph.shacl.Shapes.results_for`), and each result comes back to
    its own record. With ``digests`` (one entry per item), each entry that is None becomes the sha256 of the bytes
    checked, when the file could be read (so the caller need not read and hash it again).
    """
    out: list[dict | None] = [None] * len(items)
    pending: list[tuple[int, Pending]] = []
    for n, (path, display) in enumerate(items):
        want = digests is not None and digests[n] is None
        got = _check_one(path, display, ctx, digests if want else None, n)
        if isinstance(got, Pending):
            pending.append((n, got))
        else:
            out[n] = got
    if pending:
        results = ctx.shapes.results_for([p.nt for _, p in pending], ignore=ctx.taxonomy_types.keys())
        for (n, p), found in zip(pending, results):
            out[n] = p.finish(found, ctx)
    return out  # type: ignore[return-value]


def _check_one(path, display: str, ctx: Context, digests: list | None = None, n: int = 0) -> dict | Pending:
    path = os.fspath(path)
    try:
        data = read_limited(path, display, max_bytes=ctx.max_bytes)
    except RecordError as exc:
        return summary("record", exc.findings)
    if digests is not None:
        digests[n] = hashlib.sha256(data).hexdigest()
    kind = RDF_EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if kind is not None:
        return check_rdf(data, display, kind, ctx)
    return check_record(data, display, ctx)
