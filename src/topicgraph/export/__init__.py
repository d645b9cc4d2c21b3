"""Export topic graphs for visualisation: GraphML, GEXF 1.3 (Gephi), Cytoscape.js JSON, D3 node-link JSON,
Graphviz DOT, CSV node and edge tables, a self-contained interactive HTML page, and SVG/PNG pictures.

:func:`build_export_graph` makes the graph from a build's store (clusters, centrality, filters);
:func:`export_graph` writes any networkx graph in one of :data:`FORMATS` and returns the files it wrote.

>>> import networkx as nx, pathlib, tempfile
>>> G = nx.Graph([("Medigy:Telehealth", "Gartner:Customer Experience", {"weight": 2, "kind": "co-occurrence"})])
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in export_graph(G, out / "topics.dot", "dot")]
['topics.dot']
>>> [p.name for p in export_graph(G, out / "topics.csv", "csv")]
['topics-nodes.csv', 'topics-edges.csv']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError
from ._common import ARTICLES_KEY, COLOR_BY
from .formats import EXPORT_FORMATS, ExportFormat
from .prepare import GRAPHS, add_centrality, build_export_graph, filter_graph, topic_clusters

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["export_graph", "build_export_graph", "filter_graph", "add_centrality", "topic_clusters", "FORMATS",
           "GRAPHS", "COLOR_BY", "ARTICLES_KEY", "EXTENSIONS", "EXPORT_FORMATS", "ExportFormat"]

#: ``--format`` name -> what it is (from :data:`EXPORT_FORMATS`).
FORMATS: dict[str, str] = {name: f.description for name, f in EXPORT_FORMATS.items()}

#: The usual file extension of each format (from :data:`EXPORT_FORMATS`).
EXTENSIONS: dict[str, str] = {name: f.extension for name, f in EXPORT_FORMATS.items()}


def export_graph(G: "nx.Graph", path: str | Path, fmt: str, **opts: Any) -> list[Path]:
    """Write ``G`` to ``path`` as ``fmt`` (one of :data:`FORMATS`); returns the files written (``csv`` writes a
    nodes and an edges file beside ``path``).

    Any networkx graph will do: node ids are written as text, list attributes are flattened to ``"a; b"``, dict
    attributes to JSON, ``None`` and NaN are left out. Files are written through a temporary file and renamed,
    so an error never leaves a broken file. Options: ``color_by`` (cluster, vendor or kind; default: clusters
    when nodes have them), ``seed`` (layout), ``title`` (html), ``csv_dialect`` (gephi or neo4j), ``engine``
    (Graphviz layout for svg/png: sfdp, neato, fdp, dot...); :data:`EXPORT_FORMATS` says which format reads which.
    """
    from ._common import clean_graph

    spec = EXPORT_FORMATS.get(fmt)
    if spec is None:
        raise TopicgraphError(f"unknown export format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
    if "articles" in spec.options:
        opts["articles"] = G.graph.get(ARTICLES_KEY)
    return spec.write(clean_graph(G), Path(path), **opts)
