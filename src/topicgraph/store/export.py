"""Exporting a store as a file of one of the RDF formats a build folder can hold (``graph.<ext>``).

N-Triples and N-Quads are pyoxigraph's own; Turtle, TriG and JSON-LD are written by :mod:`.readable` from them,
sorted and grouped by subject, with prefixed names only where every reader takes them and a JSON-LD ``@context``.
The N-Quads go through a temporary file beside the output and are sorted on disk, so memory stays bounded.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TopicgraphError
from ..vocab import PREFIXES
from . import readable
from .layout import EXPORT_FORMATS, atomic_write

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

__all__ = ["EXPORT_FORMATS", "export_graph", "rdf_format", "names_a_graph", "read_lines"]


def rdf_format(name: str):
    """The pyoxigraph ``RdfFormat`` called ``name`` (``"TURTLE"``, ``"N_QUADS"``...)."""
    import pyoxigraph

    return getattr(pyoxigraph.RdfFormat, name)


def names_a_graph(line: str) -> bool:
    """True when an N-Quads line as pyoxigraph writes it names a graph (``S P O G .``), False for a triple of the
    default graph (``S P O .``).

    Without a graph, the last term is the object: a literal, whose last space-separated part holds its closing
    quote, or an IRI or blank node, which has no space, so that only the predicate comes before it. A graph name
    is an IRI or a blank node (no quote), after a subject, a predicate and an object.

    >>> names_a_graph('<http://e.org/s> <http://e.org/p> "a <b> c" <http://e.org/g> .')
    True
    >>> names_a_graph('<http://e.org/s> <http://e.org/p> "a <b>" .'), names_a_graph('_:s <http://e.org/p> _:o .')
    (False, False)
    """
    head, _, last = line[:-2].rpartition(" ")
    return '"' not in last and head.count(" ") >= 2


def read_lines(path: str | Path) -> Iterator[str]:
    """The lines of an N-Triples or N-Quads file, read as a stream, without their line ends."""
    with open(path, encoding="utf-8", newline="\n", buffering=1 << 16) as fh:
        for line in fh:
            yield line[:-1] if line.endswith("\n") else line


def _without_graph(line: str) -> str:
    """An N-Quads line with a graph name as the N-Triples line of its triple."""
    return line[:line.rfind(" ", 0, len(line) - 2)] + " ."


def export_graph(ox: "pyoxigraph.Store", path: str | Path, fmt: str, *,
                 chunk_size: int = readable.CHUNK_LINES) -> Path:
    """Write the store as ``fmt`` to ``path`` atomically. Triple formats get the union of the named graphs.
    Turtle, TriG and JSON-LD are sorted in runs of ``chunk_size`` lines (see :func:`.readable.sorted_unique`)."""
    import pyoxigraph

    if fmt not in EXPORT_FORMATS:
        raise TopicgraphError(f"unknown format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
    _, name, quads = EXPORT_FORMATS[fmt]
    fmt_obj = rdf_format(name)
    folder = Path(path).parent

    def readable_format(tmp: str) -> None:
        with tempfile.TemporaryDirectory(prefix=".export-", dir=folder) as work:
            dump = Path(work, "store.nq")
            ox.dump(dump, format=rdf_format("N_QUADS"))
            sort = {"chunk_size": chunk_size, "tmpdir": work}
            with open(tmp, "wb") as fh:
                if fmt == "ttl":
                    triples = (_without_graph(line) if names_a_graph(line) else line for line in read_lines(dump))
                    readable.turtle(triples, PREFIXES, fh, **sort)
                else:
                    named = (line for line in read_lines(dump) if line and names_a_graph(line))
                    default = (line for line in read_lines(dump) if line and not names_a_graph(line))
                    (readable.trig if fmt == "trig" else readable.jsonld)(named, PREFIXES, default, fh, **sort)

    def write(tmp: str) -> None:
        if fmt in ("ttl", "trig", "jsonld"):
            readable_format(tmp)
        elif quads:
            ox.dump(tmp, fmt_obj)
        else:
            triples = (pyoxigraph.Triple(q.subject, q.predicate, q.object)
                       for q in ox.quads_for_pattern(None, None, None, None))
            pyoxigraph.serialize(triples, tmp, fmt_obj)

    atomic_write(path, write)
    return Path(path)
