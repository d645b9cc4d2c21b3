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
from .prepare import GRAPHS, add_centrality, build_export_graph, filter_graph, topic_clusters

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["export_graph", "build_export_graph", "filter_graph", "add_centrality", "topic_clusters", "FORMATS",
           "GRAPHS", "COLOR_BY", "ARTICLES_KEY", "EXTENSIONS"]

#: ``--format`` name -> what it is.
FORMATS: dict[str, str] = {
    "graphml": "GraphML (yEd, Gephi, igraph, networkx)",
    "gexf": "GEXF 1.3 with colours, sizes and positions (Gephi)",
    "cytoscape": "Cytoscape.js JSON (also Cytoscape desktop, .cyjs)",
    "d3": "D3 node-link JSON (nodes + links)",
    "dot": "Graphviz DOT",
    "csv": "CSV nodes and edges tables (Gephi, Neo4j)",
    "html": "one self-contained interactive page (Cytoscape.js inlined)",
    "svg": "a picture rendered by Graphviz",
    "png": "a picture rendered by Graphviz",
}

#: The usual file extension of each format.
EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "cytoscape": "cyjs", "d3": "json", "dot": "dot", "csv": "csv",
              "html": "html", "svg": "svg", "png": "png"}


def export_graph(G: "nx.Graph", path: str | Path, fmt: str, **opts: Any) -> list[Path]:
    """Write ``G`` to ``path`` as ``fmt`` (one of :data:`FORMATS`); returns the files written (``csv`` writes a
    nodes and an edges file beside ``path``).

    Any networkx graph will do: node ids are written as text, list attributes are flattened to ``"a; b"``, dict
    attributes to JSON, ``None`` and NaN are left out. Files are written through a temporary file and renamed,
    so an error never leaves a broken file. Options: ``color_by`` (cluster, vendor or kind; default: clusters
    when nodes have them), ``seed`` (layout), ``title`` (html), ``csv_dialect`` (gephi or neo4j), ``engine``
    (Graphviz layout for svg/png: sfdp, neato, fdp, dot...).
    """
    from ._common import clean_graph

    if fmt not in FORMATS:
        raise TopicgraphError(f"unknown export format {fmt!r}: choose from {', '.join(FORMATS)}")
    path = Path(path)
    H = clean_graph(G)
    if fmt == "html":
        from .html import write_html

        return write_html(H, path, articles=G.graph.get(ARTICLES_KEY), **opts)
    if fmt in ("svg", "png"):
        from .render import render

        return render(H, path, fmt, **opts)
    from . import writers

    return getattr(writers, f"write_{fmt}")(H, path, **opts)
