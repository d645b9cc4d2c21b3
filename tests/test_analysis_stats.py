"""Centrality of topics, authors and brands (topicgraph.analysis.stats), checked by hand on the seeds."""

from __future__ import annotations

import pytest

import topicgraph
from topicgraph.analysis import load_incidence
from topicgraph.analysis.stats import coverage_graph, graph_stats

TAX = "https://w3id.org/topicgraph/taxonomy/"
ID = "https://w3id.org/topicgraph/id/"
PA, HCE, CX, PX = (TAX + "medigy/patient-acquisition", TAX + "medigy/healthcare-consumer-engagement",
                   TAX + "gartner/customer-experience", TAX + "symplur/patient-experience")


@pytest.fixture(scope="module")
def inc(tmp_path_factory):
    out = tmp_path_factory.mktemp("stats")
    topicgraph.build(["seeds"], out=out, jobs=1)
    return load_incidence(topicgraph.GraphStore.open(out))


def test_counts(inc):
    c = graph_stats(inc).counts
    assert c == {"articles": 5, "articles_without_topics": 3, "topics": 4, "authors": 3, "brands": 2,
                 "about_links": 5, "topic_edges": 4, "topic_density": pytest.approx(4 / 6), "topic_components": 1,
                 "mappings": len(inc.mappings)}


def test_topic_centrality(inc):
    topics = {c.node: c for c in graph_stats(inc).topics}
    # edges PA-CX, PA-HCE, PA-PX, HCE-PX: PA is on the only path between CX and the other two
    assert (topics[PA].degree, topics[PA].articles, topics[PA].betweenness) == (3, 2, pytest.approx(2 / 3))
    assert (topics[CX].degree, topics[CX].betweenness) == (1, 0.0)
    assert [c.node for c in graph_stats(inc).topics][0] == PA
    assert sum(c.pagerank for c in topics.values()) == pytest.approx(1.0, abs=1e-6)
    assert topics[HCE].pagerank == topics[PX].pagerank > topics[CX].pagerank


def test_coverage_graph_and_people(inc):
    g = coverage_graph(inc)
    sonalika, vinit = ID + "person/sonalika-ghosh", ID + "person/vinit-%40maxinovip.com"
    mhe = ID + "brand/managedhealthcareexecutive.com"
    assert set(g[sonalika]) == {PA, HCE, PX, mhe}
    assert g.edges[sonalika, mhe] == {"weight": 1, "articles": 1, "kind": "author-brand"}
    assert g.edges[vinit, CX]["kind"] == "author-topic"
    assert g.nodes[ID + "person/kyra-hagan"] == {"label": "Kyra Hagan", "kind": "author", "articles": 1}
    stats = graph_stats(inc)
    assert [a.label for a in stats.authors] == ["Sonalika Ghosh", "Vinit @maxinovip.com", "Kyra Hagan"]
    assert [b.label for b in stats.brands] == ["managedhealthcareexecutive.com", "healthtechmagazines.com"]
    assert stats.authors[-1].degree == 0 and stats.authors[-1].betweenness == 0.0


def test_sampled_betweenness_is_seeded(inc):
    one = graph_stats(inc, betweenness_sample=2, seed=4)
    two = graph_stats(inc, betweenness_sample=2, seed=4)
    assert [c.betweenness for c in one.topics] == [c.betweenness for c in two.topics]
    assert one.to_dict(top=1)["topics"][0]["node"] == one.topics[0].node
