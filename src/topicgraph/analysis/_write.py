"""Writing derived graphs (related items, topic clusters) back into a build's store.

A :class:`~topicgraph.store.GraphStore` opens the store read-only. Derived data goes into a named graph of its own
(``IriMinter(base).graph("related")``, ``.graph("clusters")``), which :func:`replace_graph` replaces whole: it opens
the live store folder read-write with pyoxigraph, clears that one graph and bulk-loads the new triples into it. The
record, entity and taxonomy graphs are never touched, and a rebuild (which writes a new store folder) drops the
derived graphs, so run ``related --all`` / ``clusters`` again after ``build``.

RocksDB allows one writer and no reader beside it: close every :class:`GraphStore` on the folder first (this
process's included) and stop any ``topicgraph serve`` on it. The replacement is not one transaction: if it fails
half way, run the command again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..errors import TopicgraphError
from ..iris import IriMinter
from ..store import MANIFEST

__all__ = ["replace_graph", "derived_graph", "nt_iri", "nt_literal", "XSD_DECIMAL", "XSD_INTEGER"]

XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def nt_iri(iri: str) -> str:
    return f"<{iri}>"


def nt_literal(value: str, *, datatype: str | None = None, lang: str | None = None) -> str:
    """An N-Triples literal, escaped.

    >>> nt_literal('say "hi"\\n', lang="en")
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    text = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def _manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TopicgraphError(f"no graph in {folder}/: run `topicgraph build SRC --out {folder}` first") from None
    except ValueError as exc:
        raise TopicgraphError(f"{folder / MANIFEST} is damaged ({exc}): rebuild with `topicgraph build`") from None


def derived_graph(folder: str | Path, name: str) -> str:
    """The IRI of the derived graph ``name`` of the build in ``folder``."""
    return IriMinter(_manifest(Path(folder))["base_iri"]).graph(name)


def replace_graph(folder: str | Path, name: str, ntriples: Iterable[str]) -> tuple[str, int]:
    """Replace the derived named graph ``name`` of the build in ``folder`` by ``ntriples`` (N-Triples lines).

    Returns the graph's IRI and how many lines were written.
    """
    import pyoxigraph

    folder = Path(folder)
    manifest = _manifest(folder)
    graph_iri = IriMinter(manifest["base_iri"]).graph(name)
    data = "".join(line if line.endswith("\n") else line + "\n" for line in ntriples)
    lines = data.count("\n")
    try:
        ox = pyoxigraph.Store(str(folder / manifest["store"]))
    except OSError as exc:
        raise TopicgraphError(f"cannot open {folder / manifest['store']} for writing ({exc}): stop any "
                              "`topicgraph serve` or other program that has this graph open, then retry") from None
    graph = pyoxigraph.NamedNode(graph_iri)
    try:
        ox.clear_graph(graph)
        if data:
            ox.bulk_load(data.encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
        else:
            ox.add_graph(graph)
        ox.flush()
    except (OSError, SyntaxError) as exc:
        raise TopicgraphError(f"could not write the graph <{graph_iri}> ({exc}): run the command again") from None
    finally:
        del ox
    return graph_iri, lines
