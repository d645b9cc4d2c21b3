"""Exporting a store as a file of one of the RDF formats a build folder can hold (``graph.<ext>``).

N-Triples and N-Quads are pyoxigraph's own; Turtle, TriG and JSON-LD are written by :mod:`.readable` from them,
sorted and grouped by subject, with prefixed names only where every reader takes them and a JSON-LD ``@context``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TopicgraphError
from ..vocab import PREFIXES
from . import readable
from .layout import EXPORT_FORMATS, atomic_write

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

__all__ = ["EXPORT_FORMATS", "export_graph", "rdf_format", "store_lines"]


def rdf_format(name: str):
    """The pyoxigraph ``RdfFormat`` called ``name`` (``"TURTLE"``, ``"N_QUADS"``...)."""
    import pyoxigraph

    return getattr(pyoxigraph.RdfFormat, name)


def store_lines(ox: "pyoxigraph.Store") -> tuple[list[str], list[str]]:
    """The store as N-Quads lines of its named graphs and N-Triples lines of its default graph."""
    import pyoxigraph

    lines = ox.dump(format=rdf_format("N_QUADS")).decode("utf-8").splitlines()
    if next(iter(ox.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None) is None:
        return lines, []
    default = ox.dump(format=rdf_format("N_TRIPLES"), from_graph=pyoxigraph.DefaultGraph()).decode("utf-8")
    default_lines = default.splitlines()
    in_default = set(default_lines)  # a quad's line has one term more than any triple's, so never equals one
    return [line for line in lines if line not in in_default], default_lines


def _without_graph(line: str) -> str:
    """An N-Quads line with a graph name as the N-Triples line of its triple."""
    return line[:line.rfind(" ", 0, len(line) - 2)] + " ."


def export_graph(ox: "pyoxigraph.Store", path: str | Path, fmt: str) -> Path:
    """Write the store as ``fmt`` to ``path`` atomically. Triple formats get the union of the named graphs."""
    import pyoxigraph

    if fmt not in EXPORT_FORMATS:
        raise TopicgraphError(f"unknown format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
    _, name, quads = EXPORT_FORMATS[fmt]
    fmt_obj = rdf_format(name)

    def write(tmp: str) -> None:
        if fmt in ("ttl", "trig", "jsonld"):
            named, default = store_lines(ox)
            with open(tmp, "wb") as fh:
                if fmt == "ttl":
                    default.extend(_without_graph(line) for line in named)
                    del named
                    readable.turtle(default, PREFIXES, fh)
                else:
                    (readable.trig if fmt == "trig" else readable.jsonld)(named, PREFIXES, default, fh)
        elif quads:
            ox.dump(tmp, fmt_obj)
        else:
            triples = (pyoxigraph.Triple(q.subject, q.predicate, q.object)
                       for q in ox.quads_for_pattern(None, None, None, None))
            pyoxigraph.serialize(triples, tmp, fmt_obj)

    atomic_write(path, write)
    return Path(path)
