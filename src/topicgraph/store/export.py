"""Exporting a store as a file of one of the RDF formats a build folder can hold (``graph.<ext>``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TopicgraphError
from ..vocab import PREFIXES
from .layout import EXPORT_FORMATS, atomic_write

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

__all__ = ["EXPORT_FORMATS", "export_graph", "rdf_format"]


def rdf_format(name: str):
    """The pyoxigraph ``RdfFormat`` called ``name`` (``"TURTLE"``, ``"N_QUADS"``...)."""
    import pyoxigraph

    return getattr(pyoxigraph.RdfFormat, name)


def export_graph(ox: "pyoxigraph.Store", path: str | Path, fmt: str) -> Path:
    """Write the store as ``fmt`` to ``path`` atomically. Triple formats get the union of the named graphs."""
    import pyoxigraph

    if fmt not in EXPORT_FORMATS:
        raise TopicgraphError(f"unknown format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
    _, name, quads = EXPORT_FORMATS[fmt]
    fmt_obj = rdf_format(name)

    def write(tmp: str) -> None:
        if quads:
            ox.dump(tmp, fmt_obj, prefixes=None if fmt == "nq" else PREFIXES)
        else:
            triples = (pyoxigraph.Triple(q.subject, q.predicate, q.object)
                       for q in ox.quads_for_pattern(None, None, None, None))
            pyoxigraph.serialize(triples, tmp, fmt_obj, prefixes=None if fmt == "nt" else PREFIXES)

    atomic_write(path, write)
    return Path(path)
