"""Graph analysis over the store: the topic and article graphs, related items, topic clusters and centrality.

Everything starts from :func:`load_incidence` (articles × topics, read with a few SPARQL SELECTs); the graph
builders, :class:`RelatedIndex`, :func:`find_clusters` and :func:`graph_stats` accept either a
:class:`~topicgraph.store.GraphStore` or an :class:`Incidence` already loaded, so one load can serve them all.
See docs/analysis.md for the formulas and defaults.
"""

from __future__ import annotations

from .clusters import Cluster, Clustering, find_clusters
from .graphs import Incidence, article_graph, bipartite_graph, cooccurrence, load_incidence, topic_graph
from .incidence_update import UPDATE_AT_MOST, update_incidence
from .related import DEFAULT_WEIGHTS, RelatedIndex, RelatedItem, RelatedTable, RelatedWeights
from .stats import Centrality, GraphStats, coverage_graph, graph_stats

__all__ = ["Incidence", "load_incidence", "update_incidence", "UPDATE_AT_MOST", "topic_graph", "bipartite_graph", "article_graph", "cooccurrence",
           "RelatedIndex", "RelatedWeights", "RelatedItem", "RelatedTable", "DEFAULT_WEIGHTS",
           "find_clusters", "Clustering", "Cluster", "graph_stats", "GraphStats", "Centrality", "coverage_graph"]
