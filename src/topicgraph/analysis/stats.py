"""Centrality of topics, authors and brands: which ones hold the graph together.

Topics are ranked in the topic co-occurrence graph (:func:`~topicgraph.analysis.graphs.topic_graph`, count
weights). Authors and brands are ranked in the *coverage graph* (:func:`coverage_graph`): authors, brands and
topics as nodes, linked when an article connects them (author–topic, brand–topic, author–brand), weighted by how
many articles do. For each node: ``degree`` (neighbours), ``strength`` (summed edge weights), ``pagerank``
(weighted) and ``betweenness`` (hop distances; estimated from ``betweenness_sample`` seeded pivots when the
graph has more nodes than that, exact otherwise).

>>> import tempfile, topicgraph
>>> out = tempfile.mkdtemp()
>>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
>>> stats = graph_stats(topicgraph.GraphStore.open(out))
>>> stats.topics[0].label, stats.topics[0].degree
('Medigy: Patient Acquisition', 3)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .graphs import Incidence, as_incidence, topic_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..store import GraphStore

__all__ = ["Centrality", "GraphStats", "graph_stats", "coverage_graph"]


@dataclass
class Centrality:
    node: str
    kind: str          # "topic" | "author" | "brand"
    label: str
    articles: int
    degree: int
    strength: float
    pagerank: float
    betweenness: float


@dataclass
class GraphStats:
    """Counts and the centrality of every topic, author and brand, each list by PageRank, highest first."""

    counts: dict[str, float]
    topics: list[Centrality] = field(default_factory=list)
    authors: list[Centrality] = field(default_factory=list)
    brands: list[Centrality] = field(default_factory=list)
    betweenness_sample: int | None = None
    seed: int = 0

    def to_dict(self, top: int | None = None) -> dict:
        cut = slice(None, top)
        return {"counts": self.counts, "seed": self.seed, "betweenness_sample": self.betweenness_sample,
                "topics": [asdict(c) for c in self.topics[cut]], "authors": [asdict(c) for c in self.authors[cut]],
                "brands": [asdict(c) for c in self.brands[cut]]}


def coverage_graph(store_or_incidence: "GraphStore | Incidence") -> "nx.Graph":
    """Authors, brands and topics (``kind`` "author", "brand", "topic"), linked when articles connect them;
    ``weight`` and ``articles`` = how many articles do, ``kind`` of edge "author-topic", "brand-topic" or
    "author-brand"."""
    import networkx as nx

    inc = as_incidence(store_or_incidence)
    x = inc.matrix.tocsr()
    n = len(inc.articles)
    people, authors = inc.author_matrix
    brands = sorted({b for b in inc.article_brand.values() if b})
    b_index = {b: i for i, b in enumerate(brands)}
    br = [(i, b_index[b]) for i, a in enumerate(inc.articles) if (b := inc.article_brand.get(a))]
    brand_m = sp.csr_matrix((np.ones(len(br)), ([i for i, _ in br], [j for _, j in br])), shape=(n, len(brands)))
    g = nx.Graph()
    topic_counts = inc.topic_counts
    g.add_nodes_from((t, {"label": inc.topic_name(t), "kind": "topic", "vendor": inc.topic_vendor.get(t, ""),
                          "articles": int(topic_counts[j])}) for j, t in enumerate(inc.topics))
    a_counts = np.asarray(authors.sum(axis=0)).ravel()
    b_counts = np.asarray(brand_m.sum(axis=0)).ravel()
    g.add_nodes_from((p, {"label": inc.names.get(p, p), "kind": "author", "articles": int(a_counts[i])})
                     for i, p in enumerate(people))
    g.add_nodes_from((b, {"label": inc.names.get(b, b), "kind": "brand", "articles": int(b_counts[i])})
                     for i, b in enumerate(brands))
    for matrix, left, right, kind in ((authors.T @ x, people, inc.topics, "author-topic"),
                                      (brand_m.T @ x, brands, inc.topics, "brand-topic"),
                                      (authors.T @ brand_m, people, brands, "author-brand")):
        coo = sp.coo_matrix(matrix)
        g.add_edges_from((left[i], right[j], {"weight": int(w), "articles": int(w), "kind": kind})
                         for i, j, w in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
    return g


def _centrality(g: "nx.Graph", kinds: set[str], *, seed: int, sample: int | None) -> list[Centrality]:
    import networkx as nx

    if g.number_of_nodes() == 0:
        return []
    pagerank = nx.pagerank(g, weight="weight") if g.number_of_edges() else {v: 1 / len(g) for v in g}
    k = sample if sample and sample < g.number_of_nodes() else None
    between = nx.betweenness_centrality(g, k=k, seed=seed, normalized=True)
    out = []
    for v, data in g.nodes(data=True):
        if data.get("kind") not in kinds:
            continue
        out.append(Centrality(node=v, kind=data["kind"], label=data.get("label", v), articles=data.get("articles", 0),
                              degree=g.degree(v), strength=float(g.degree(v, weight="weight")),
                              pagerank=round(float(pagerank[v]), 9), betweenness=round(float(between[v]), 9)))
    out.sort(key=lambda c: (-c.pagerank, -c.degree, c.label, c.node))
    return out


def graph_stats(store_or_incidence: "GraphStore | Incidence", *, seed: int = 0,
                betweenness_sample: int | None = 100) -> GraphStats:
    """Counts (articles, topics, authors, brands, edges, density, components) and centrality of topics, authors
    and brands."""
    import networkx as nx

    inc = as_incidence(store_or_incidence)
    tg = topic_graph(inc, weight="count")
    cg = coverage_graph(inc)
    n_topics = tg.number_of_nodes()
    counts = {
        "articles": len(inc.articles),
        "articles_without_topics": int((np.diff(inc.matrix.tocsr().indptr) == 0).sum()),
        "topics": n_topics,
        "authors": sum(1 for _, k in cg.nodes(data="kind") if k == "author"),
        "brands": sum(1 for _, k in cg.nodes(data="kind") if k == "brand"),
        "about_links": int(inc.matrix.nnz),
        "topic_edges": tg.number_of_edges(),
        "topic_density": round(nx.density(tg), 9) if n_topics > 1 else 0.0,
        "topic_components": nx.number_connected_components(tg) if n_topics else 0,
        "mappings": len(inc.mappings),
    }
    people = _centrality(cg, {"author", "brand"}, seed=seed, sample=betweenness_sample)
    return GraphStats(counts=counts, topics=_centrality(tg, {"topic"}, seed=seed, sample=betweenness_sample),
                      authors=[c for c in people if c.kind == "author"],
                      brands=[c for c in people if c.kind == "brand"],
                      betweenness_sample=betweenness_sample, seed=seed)
