"""Graph analysis over the store: the topic and article graphs, related items, topic clusters and centrality."""

from __future__ import annotations

from .graphs import Incidence, article_graph, bipartite_graph, load_incidence, topic_graph

__all__ = ["Incidence", "load_incidence", "topic_graph", "bipartite_graph", "article_graph"]
