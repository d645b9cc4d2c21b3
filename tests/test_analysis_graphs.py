"""The incidence matrix and the networkx graphs built from the store (topicgraph.analysis.graphs)."""

from __future__ import annotations

import io
import math

import networkx as nx
import pytest

import topicgraph
from topicgraph.analysis import article_graph, bipartite_graph, load_incidence, topic_graph
from topicgraph.errors import TopicgraphError

TAX = "https://w3id.org/topicgraph/taxonomy/"
ART = "https://w3id.org/topicgraph/id/article/"
PA, HCE, CX, PX = (TAX + "medigy/patient-acquisition", TAX + "medigy/healthcare-consumer-engagement",
                   TAX + "gartner/customer-experience", TAX + "symplur/patient-experience")


@pytest.fixture(scope="module")
def inc(tmp_path_factory):
    out = tmp_path_factory.mktemp("graphs")
    topicgraph.build(["seeds"], out=out, jobs=1)
    return load_incidence(topicgraph.GraphStore.open(out))


def test_incidence_rows_and_columns(inc):
    assert inc.articles == sorted(ART + x for x in ("002-e2043c317a839aa3", "003-93b4219c4437b57c",
                                                    "004-7f7bd89bfa8fa00f", "3896", "4463"))
    assert inc.topics == sorted([PA, HCE, CX, PX])
    about = {(inc.articles[i], inc.topics[j]) for i, j in zip(*inc.matrix.nonzero())}
    assert about == {(ART + "4463", PA), (ART + "4463", CX), (ART + "3896", PA), (ART + "3896", HCE),
                     (ART + "3896", PX)}
    assert set(inc.matrix.data) == {1.0}


def test_incidence_metadata(inc):
    assert inc.topic_label[CX] == "Customer Experience" and inc.topic_vendor[CX] == "Gartner"
    assert inc.topic_name(PX) == "Symplur: Patient Experience"
    assert inc.article_title[ART + "4463"] == "Elevating the Consumer Experience in Healthcare"
    assert [inc.names[p] for p in inc.article_authors[ART + "3896"]] == ["Sonalika Ghosh"]
    assert inc.article_authors[ART + "002-e2043c317a839aa3"] == []
    assert inc.names[inc.article_brand[ART + "4463"]] == "healthtechmagazines.com"
    assert inc.article_brand[ART + "003-93b4219c4437b57c"] is None
    assert inc.article_date[ART + "003-93b4219c4437b57c"] == "2016-07-08"
    assert inc.article_identifier[ART + "4463"] == "4463"
    # mappings between the four seed topics, one per pair, (a, b) with a < b
    assert (CX, PX, "closeMatch") in inc.mappings
    assert all(a < b for a, b, _ in inc.mappings)
    assert len({(a, b) for a, b, _ in inc.mappings}) == len(inc.mappings)


def test_topic_graph_weights(inc):
    g = topic_graph(inc)
    assert set(g.nodes) == {PA, HCE, CX, PX}
    assert g.nodes[PA] == {"label": "Medigy: Patient Acquisition", "kind": "topic", "prefLabel": "Patient Acquisition",
                           "vendor": "Medigy", "articles": 2}
    # 4463 gives PA-CX; 3896 gives PA-HCE, PA-PX, HCE-PX
    assert {frozenset(e) for e in g.edges} == {frozenset(e) for e in ((PA, CX), (PA, HCE), (PA, PX), (HCE, PX))}
    assert g.edges[PA, CX] == {"weight": 1.0, "count": 1, "kind": "co-occurrence"}
    jac = topic_graph(inc, weight="jaccard")
    assert jac.edges[PA, CX]["weight"] == pytest.approx(1 / (2 + 1 - 1))
    assert jac.edges[HCE, PX]["weight"] == pytest.approx(1.0)
    pmi = topic_graph(inc, weight="pmi")
    assert pmi.edges[PA, CX]["weight"] == pytest.approx(math.log(1 * 5 / (2 * 1)))
    assert pmi.edges[HCE, PX]["weight"] == pytest.approx(math.log(5))
    with pytest.raises(TopicgraphError, match="unknown weight"):
        topic_graph(inc, weight="cosine")


def test_bipartite_and_article_graphs(inc):
    b = bipartite_graph(inc)
    assert b.number_of_nodes() == 9 and b.number_of_edges() == 5
    assert b.nodes[ART + "4463"]["kind"] == "article" and b.nodes[PA]["kind"] == "topic"
    assert b.nodes[ART + "4463"]["label"] == "Elevating the Consumer Experience in Healthcare"
    assert b.nodes[ART + "4463"]["brand"] == "healthtechmagazines.com"
    assert b.edges[ART + "3896", PX] == {"kind": "about", "weight": 1}
    a = article_graph(inc)
    assert list(a.edges(data=True)) == [(ART + "3896", ART + "4463", {"weight": 1, "kind": "shared-topics"})]
    assert article_graph(inc, min_shared=2).number_of_edges() == 0


@pytest.mark.parametrize("make", [topic_graph, bipartite_graph, article_graph])
def test_attributes_are_scalars_and_export(inc, make):
    g = make(inc)
    for _, data in list(g.nodes(data=True)) + [(None, d) for *_, d in g.edges(data=True)]:
        assert all(isinstance(v, (str, int, float)) for v in data.values()), data
    buf = io.BytesIO()
    nx.write_graphml(g, buf)
    back = nx.read_graphml(io.BytesIO(buf.getvalue()))
    assert back.number_of_edges() == g.number_of_edges()


def test_graphs_accept_a_store(tmp_path):
    topicgraph.build(["seeds"], out=tmp_path, jobs=1)
    assert topic_graph(topicgraph.GraphStore.open(tmp_path)).number_of_edges() == 4
