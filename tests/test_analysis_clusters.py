"""Topic clusters (topicgraph.analysis.clusters): Louvain over the topic graph, labels, and the store graph."""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

import topicgraph
from topicgraph.analysis import load_incidence
from topicgraph.analysis.clusters import find_clusters
from topicgraph.errors import TopicgraphError

TAX = "https://w3id.org/topicgraph/taxonomy/"
PA, HCE, CX, PX = (TAX + "medigy/patient-acquisition", TAX + "medigy/healthcare-consumer-engagement",
                   TAX + "gartner/customer-experience", TAX + "symplur/patient-experience")
TG = Namespace("https://w3id.org/topicgraph/ns#")
# plain namespaces: pytest's collection trips over rdflib's closed ones (a warning per missing attribute)
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("clusters-seeds")
    topicgraph.build(["seeds"], out=out, jobs=1)
    return out


def two_triangles() -> nx.Graph:
    g = nx.Graph()
    for a, b in [("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")]:
        g.add_edge(a, b, weight=3.0)
    g.edges["b", "c"]["weight"] = 5.0
    g.add_edge("c", "x", weight=1.0)
    for n in g:
        g.nodes[n]["label"] = n.upper()
    g.add_node("lonely", label="LONELY")
    return g


def test_clusters_of_a_plain_graph():
    result = find_clusters(two_triangles(), seed=1)
    # centrality counts edges inside the cluster only (c's edge to x does not count), ties by label
    assert [c.topics for c in result.clusters] == [["b", "c", "a"], ["x", "y", "z"]]
    assert result.clusters[0].label == "B, C, A"
    assert result.clusters[0].centrality == [8.0, 8.0, 6.0]
    assert result.unclustered == ["lonely"]
    q = nx.community.modularity(two_triangles(), [{"a", "b", "c"}, {"x", "y", "z"}, {"lonely"}])
    assert result.modularity == pytest.approx(q, abs=1e-9)
    assert find_clusters(two_triangles(), seed=1, min_size=4).clusters == []


def test_seeds_clusters_pinned_for_seed_0(seeds):
    result = find_clusters(topicgraph.GraphStore.open(seeds), seed=0)
    assert [c.topics for c in result.clusters] == [[CX, PA], [HCE, PX]]
    assert [c.label for c in result.clusters] == ["Gartner: Customer Experience, Medigy: Patient Acquisition",
                                                  "Medigy: Healthcare Consumer Engagement, Symplur: Patient Experience"]
    assert [c.articles for c in result.clusters] == [2, 1]
    assert (result.topics, result.edges) == (4, 4)


def test_resolution_and_weight(seeds):
    inc = load_incidence(topicgraph.GraphStore.open(seeds))
    assert len(find_clusters(inc, seed=0, resolution=0.01).clusters) == 1
    # PMI: every seed pair co-occurs more than chance would have it, so no edge is dropped
    assert find_clusters(inc, seed=0, weight="pmi").edges == 4
    with pytest.raises(TopicgraphError, match="unknown weight"):
        find_clusters(inc, weight="cosine")
    with pytest.raises(TopicgraphError, match="resolution"):
        find_clusters(inc, resolution=0)


def test_clusters_written_to_the_store(seeds):
    store = topicgraph.GraphStore.open(seeds)
    result = find_clusters(store, seed=0)
    store.close()
    del store
    graph, lines = result.write_store(seeds)
    assert graph == "https://w3id.org/topicgraph/id/graph/clusters"
    store = topicgraph.GraphStore.open(seeds)
    rows = store.query(
        f"SELECT ?c ?label WHERE {{ ?c a skos:Collection, tg:TopicCluster ; skos:member <{PX}> ; "
        "skos:prefLabel ?label }")
    assert rows == [{"c": "https://w3id.org/topicgraph/id/cluster/2",
                     "label": "Medigy: Healthcare Consumer Engagement, Symplur: Patient Experience"}]
    # the whole graph, by isomorphism
    got = Graph()
    for quad in store.ox.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(graph)):
        got.add(tuple(_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
    expected = Graph()
    for n, members, label in ((1, [CX, PA], "Gartner: Customer Experience, Medigy: Patient Acquisition"),
                              (2, [HCE, PX], "Medigy: Healthcare Consumer Engagement, Symplur: Patient Experience")):
        c = URIRef(f"https://w3id.org/topicgraph/id/cluster/{n}")
        expected.add((c, RDF.type, SKOS.Collection))
        expected.add((c, RDF.type, TG.TopicCluster))
        expected.add((c, SKOS.prefLabel, Literal(label, lang="en")))
        expected.add((c, TG.clusterSize, Literal("2", datatype=XSD.integer)))
        canonical = format(Decimal(repr(result.modularity)).normalize(), "f")   # "0", as pyoxigraph keeps it
        expected.add((c, TG.modularity, Literal(canonical, datatype=XSD.decimal)))
        for m in members:
            expected.add((c, SKOS.member, URIRef(m)))
    assert isomorphic(got, expected)
    assert lines == len(expected)


def _rdflib(term):
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value))
