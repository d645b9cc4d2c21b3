"""Topic clusters: communities of the topic co-occurrence graph (networkx Louvain), labelled by their central topics.

Louvain is randomised; a given ``seed`` gives the same clusters on every run (the graph is built in a fixed
order). Clusters are numbered from 1, largest first. A topic's centrality inside its cluster is its weighted
degree counted over edges to other members; the cluster's label is its ``top`` most central topics.

>>> import tempfile, topicgraph
>>> out = tempfile.mkdtemp()
>>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
>>> result = find_clusters(topicgraph.GraphStore.open(out), seed=1)
>>> sum(c.size for c in result.clusters), result.seed
(4, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..vocab import (DEFAULT_BASE_IRI, RDF_TYPE, SKOS_COLLECTION, SKOS_MEMBER, SKOS_PREF_LABEL, TG_CLUSTER_SIZE,
                     TG_MODULARITY, TG_TOPIC_CLUSTER, XSD_DECIMAL, XSD_INTEGER)
from .graphs import Incidence, WEIGHTS, as_incidence, topic_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..store import GraphStore

__all__ = ["Cluster", "Clustering", "find_clusters"]


@dataclass
class Cluster:
    """One community of topics: ``topics`` are concept IRIs, most central first."""

    number: int
    topics: list[str]
    names: list[str]            # "Vendor: Label" of each topic, in the same order
    centrality: list[float]     # weighted degree inside the cluster, in the same order
    articles: int               # articles about at least one member
    label: str

    @property
    def size(self) -> int:
        return len(self.topics)

    def to_dict(self) -> dict:
        return {"number": self.number, "label": self.label, "size": self.size, "articles": self.articles,
                "topics": [{"topic": t, "name": n, "centrality": c}
                           for t, n, c in zip(self.topics, self.names, self.centrality)]}


@dataclass
class Clustering:
    """The clusters of one run, with its modularity (over the whole partition) and parameters."""

    clusters: list[Cluster]
    modularity: float
    seed: int
    resolution: float
    weight: str
    min_size: int
    topics: int                  # nodes of the topic graph
    edges: int
    unclustered: list[str] = field(default_factory=list)  # topics in communities smaller than min_size
    base_iri: str | None = None

    def cluster_of(self) -> dict[str, int]:
        """Topic IRI -> cluster number."""
        return {t: c.number for c in self.clusters for t in c.topics}

    def membership(self) -> dict[str, tuple[int, str]]:
        """Topic IRI -> (cluster number, cluster label), cluster by cluster, members most central first."""
        return {t: (c.number, c.label) for c in self.clusters for t in c.topics}

    def to_dict(self) -> dict:
        return {"modularity": self.modularity, "seed": self.seed, "resolution": self.resolution,
                "weight": self.weight, "min_size": self.min_size, "topics": self.topics, "edges": self.edges,
                "sizes": [c.size for c in self.clusters], "unclustered": len(self.unclustered),
                "clusters": [c.to_dict() for c in self.clusters]}

    def cluster_iri(self, number: int) -> str:
        from ..iris import IriMinter

        return f"{IriMinter(self.base_iri or DEFAULT_BASE_IRI).base}cluster/{number}"

    def ntriples(self):
        """Each cluster as a ``skos:Collection`` and ``tg:TopicCluster`` with prefLabel, members, size and the
        run's modularity."""
        from ..mapping.nquads import iri, literal  # rdflib comes with topicgraph.mapping: loaded when used
        from ..mapping.nquads import decimal

        rdf_type, collection, cluster = iri(RDF_TYPE), iri(SKOS_COLLECTION), iri(TG_TOPIC_CLUSTER)
        label, size, modularity, member = (iri(SKOS_PREF_LABEL), iri(TG_CLUSTER_SIZE), iri(TG_MODULARITY),
                                           iri(SKOS_MEMBER))
        for c in self.clusters:
            s = iri(self.cluster_iri(c.number))
            yield f"{s} {rdf_type} {collection} .\n"
            yield f"{s} {rdf_type} {cluster} .\n"
            yield f"{s} {label} {literal(c.label, lang='en')} .\n"
            yield f"{s} {size} {literal(str(c.size), XSD_INTEGER)} .\n"
            yield f"{s} {modularity} {literal(decimal(self.modularity), XSD_DECIMAL)} .\n"
            for t in c.topics:
                yield f"{s} {member} {iri(t)} .\n"

    def write_store(self, folder: str | Path) -> tuple[str, int]:
        """Replace the ``clusters`` graph of the build in ``folder`` (see :func:`topicgraph.store.replace_graph`)."""
        from ..store import replace_graph

        return replace_graph(folder, "clusters", self.ntriples())


def find_clusters(store_or_incidence: "GraphStore | Incidence | nx.Graph", *, seed: int = 0,
                  resolution: float = 1.0, min_size: int = 2, weight: str = "jaccard", top: int = 3) -> Clustering:
    """Louvain communities of the topic co-occurrence graph (edge ``weight``: count, jaccard or pmi; negative PMI
    edges are left out, as modularity needs weights >= 0)."""
    import networkx as nx

    from ..errors import TopicgraphError

    if weight not in WEIGHTS:
        raise TopicgraphError(f"unknown weight {weight!r}: choose from {', '.join(WEIGHTS)}")
    if resolution <= 0:
        raise TopicgraphError("--resolution must be > 0")
    if isinstance(store_or_incidence, nx.Graph):
        g, inc = store_or_incidence, None
    else:
        inc = as_incidence(store_or_incidence)
        g = topic_graph(inc, weight=weight)
    if weight == "pmi":
        g = g.edge_subgraph([(u, v) for u, v, w in g.edges(data="weight") if w > 0]).copy()
        g.add_nodes_from(n for n in (inc.topics if inc else ()) if n not in g)
    if g.number_of_nodes() == 0:
        return Clustering([], 0.0, seed, resolution, weight, min_size, 0, 0,
                          base_iri=inc.base_iri if inc else None)
    communities = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed)
    modularity = (nx.community.modularity(g, communities, weight="weight", resolution=resolution)
                  if g.number_of_edges() else 0.0)
    ranked = []
    for members in communities:
        sub = g.subgraph(members)
        strength = dict(sub.degree(weight="weight"))
        order = sorted(members, key=lambda t: (-strength[t], g.nodes[t].get("label", t), t))
        ranked.append((order, [float(strength[t]) for t in order]))
    ranked.sort(key=lambda r: (-len(r[0]), r[0][0]))
    clusters, unclustered = [], []
    if inc is not None:
        x = inc.matrix.tocsc()
        index = inc.topic_index
    for order, cent in ranked:
        if len(order) < max(min_size, 1):
            unclustered.extend(order)
            continue
        names = [g.nodes[t].get("label", t) for t in order]
        if inc is not None:
            cols = [index[t] for t in order]
            articles = int((x[:, cols].sum(axis=1) > 0).sum())
        else:
            articles = 0
        clusters.append(Cluster(len(clusters) + 1, order, names, cent, articles, ", ".join(names[:top])))
    return Clustering(clusters, round(float(modularity), 9), seed, resolution, weight, min_size,
                      g.number_of_nodes(), g.number_of_edges(), sorted(unclustered),
                      base_iri=inc.base_iri if inc else None)
