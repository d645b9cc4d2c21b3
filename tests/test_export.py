"""topicgraph.export: the graph a build exports (seeds, node by node), and every writer read back by the tools that
consume it (networkx, igraph, Graphviz) with the same nodes, edges and attributes."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import require_debian_package
from topicgraph.errors import TopicgraphError
from topicgraph.export import ARTICLES_KEY, build_export_graph, export_graph, filter_graph
from topicgraph.export._common import clean_graph
from topicgraph.export.writers import GEXF_NS, GEXF_VIZ_NS
from topicgraph.store import GraphStore

TAX = "https://w3id.org/topicgraph/taxonomy/"
ART = "https://w3id.org/topicgraph/id/article/"
PA, HCE = TAX + "medigy/patient-acquisition", TAX + "medigy/healthcare-consumer-engagement"
CX, PE = TAX + "gartner/customer-experience", TAX + "symplur/patient-experience"


@pytest.fixture(scope="module")
def store(seed_build):
    return GraphStore.open(seed_build.out)


def tricky_graph() -> nx.Graph:
    """Ids that break naive writers (a colon, quotes, a backslash, DOT keywords, markup, non-ASCII), a list-valued
    attribute, None, mixed int/float values, booleans."""
    G = nx.Graph(name="tricky", weight="count")
    G.add_node("Medigy:Telehealth", label="Medigy: Telehealth", kind="topic", vendor="Medigy", articles=3,
               cluster=1, pagerank=0.4, tags=["remote care", "video"], curated=True)
    G.add_node("Medigy:Patient Acquisition", label="Medigy: Patient Acquisition", kind="topic", vendor="Medigy",
               articles=2, cluster=1, pagerank=0.3, tags=[], curated=False)
    G.add_node('Gartner:"CX"', label='Gartner: "CX" \\ more', kind="topic", vendor="Gartner", articles=1,
               cluster=2, pagerank=0.2, tags=None, curated=True)
    G.add_node("node", label="node", kind="article", pagerank=0.1, date="2021-02-03")
    G.add_node("Ünïcødé <b>&amp;</b>", label="<script>alert(1)</script>", kind="article", pagerank=1e-07)
    G.add_edge("Medigy:Telehealth", "Medigy:Patient Acquisition", weight=2, kind="co-occurrence")
    G.add_edge("Medigy:Telehealth", 'Gartner:"CX"', weight=0.5, kind="co-occurrence")
    G.add_edge("node", "Medigy:Telehealth", weight=1, kind="about")
    G.add_edge("Ünïcødé <b>&amp;</b>", 'Gartner:"CX"', weight=1, kind="about")
    return G


def assert_same_graph(expected: nx.Graph, got: nx.Graph, *, ignore=("viz", "id")) -> None:
    assert set(got.nodes) == set(expected.nodes)
    assert {frozenset(e) for e in got.edges} == {frozenset(e) for e in expected.edges}
    for n, d in expected.nodes(data=True):
        assert {k: v for k, v in got.nodes[n].items() if k not in ignore} == d, n
    for a, b, d in expected.edges(data=True):
        assert {k: v for k, v in got.edges[a, b].items() if k not in ignore} == d, (a, b)


# ---------------------------------------------------------------------------------------------------------------
# the graph a build exports


def test_seed_topic_graph_node_by_node(store):
    G = build_export_graph(store)
    assert {n: (d["label"], d["kind"], d["vendor"], d["articles"]) for n, d in G.nodes(data=True)} == {
        PA: ("Medigy: Patient Acquisition", "topic", "Medigy", 2),
        HCE: ("Medigy: Healthcare Consumer Engagement", "topic", "Medigy", 1),
        CX: ("Gartner: Customer Experience", "topic", "Gartner", 1),
        PE: ("Symplur: Patient Experience", "topic", "Symplur", 1),
    }
    # article 3896 is about PA, HCE and PE; article 4463 about CX and PA
    assert {frozenset((a, b)): (d["weight"], d["kind"]) for a, b, d in G.edges(data=True)} == {
        frozenset((PA, HCE)): (1.0, "co-occurrence"), frozenset((PA, PE)): (1.0, "co-occurrence"),
        frozenset((HCE, PE)): (1.0, "co-occurrence"), frozenset((PA, CX)): (1.0, "co-occurrence"),
    }
    assert {n: d["degree"] for n, d in G.nodes(data=True)} == {PA: 3, HCE: 2, PE: 2, CX: 1}
    assert max(G, key=lambda n: G.nodes[n]["pagerank"]) == PA
    assert sum(d["pagerank"] for _, d in G.nodes(data=True)) == pytest.approx(1.0, abs=1e-5)
    # Louvain with seed 0 (no clusters stored): {PA, CX} and {HCE, PE}, numbered largest first, then by member
    assert {n: d["cluster"] for n, d in G.nodes(data=True)} == {CX: 1, PA: 1, HCE: 2, PE: 2}
    assert G.nodes[PA]["cluster_label"] == "Gartner: Customer Experience, Medigy: Patient Acquisition"
    assert G.graph["clusters"] == "louvain (seed 0)"
    # the page's article index: each topic's articles, newest first, with headline and URL
    arts = G.graph[ARTICLES_KEY]
    assert [arts["table"][i][:2] for i in arts["by_node"][PA]] == [
        [ART + "4463", "Elevating the Consumer Experience in Healthcare"],
        [ART + "3896", "Customer Experience Automation - The Next Big Thing in Healthcare?"]]
    (url,) = store.query(f"SELECT ?u WHERE {{ <{ART}4463> schema:url ?u }}")
    assert arts["table"][arts["by_node"][PA][0]][2] == url["u"]
    assert arts["total"] == {PA: 2, HCE: 1, CX: 1, PE: 1}


def test_seed_bipartite_graph_with_authors_and_brands(store):
    G = build_export_graph(store, "bipartite", authors=True, brands=True)
    kinds = {}
    for _, d in G.nodes(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    assert kinds == {"article": 5, "topic": 4, "author": 3, "brand": 2}
    assert {d["kind"] for _, _, d in G.edges(data=True)} == {"about", "author", "publisher"}
    assert set(G[ART + "4463"]) == {CX, PA, "https://w3id.org/topicgraph/id/person/vinit-%40maxinovip.com",
                                    "https://w3id.org/topicgraph/id/brand/healthtechmagazines.com"}
    # an article takes its topics' commonest cluster; one without topics has none
    assert G.nodes[ART + "4463"]["cluster"] == 1
    assert G.nodes[ART + "3896"]["cluster"] == 2
    assert "cluster" not in G.nodes[ART + "002-e2043c317a839aa3"]
    assert G.nodes["https://w3id.org/topicgraph/id/brand/healthtechmagazines.com"]["articles"] == 1


def test_filters(store):
    medigy = build_export_graph(store, vendor="medigy")
    assert set(medigy) == {PA, HCE} and medigy.number_of_edges() == 1
    two = build_export_graph(store, vendor=["Gartner", "Symplur"])
    assert set(two) == {CX, PE} and two.number_of_edges() == 0
    bip = build_export_graph(store, "bipartite", vendor="Gartner")
    assert set(bip) == {CX, ART + "4463"}
    arts = build_export_graph(store, "articles", vendor="Symplur")
    assert set(arts) == {ART + "3896"}
    assert set(build_export_graph(store, cluster=2)) == {HCE, PE}
    assert set(build_export_graph(store, cluster="gartner: customer experience, medigy: patient acquisition")) \
        == {CX, PA}
    assert set(build_export_graph(store, top=1)) == {PA}
    # ties on article count fall back to PageRank, then the id: deterministic
    assert build_export_graph(store, top=3).nodes == build_export_graph(store, top=3).nodes
    light = build_export_graph(store, min_weight=2)
    assert light.number_of_nodes() == 4 and light.number_of_edges() == 0
    # the article index follows the filter
    assert set(medigy.graph[ARTICLES_KEY]["by_node"]) == {PA, HCE}
    with pytest.raises(TopicgraphError, match="vendors: Gartner, Medigy, Symplur"):
        build_export_graph(store, vendor="Nobody")
    with pytest.raises(TopicgraphError, match="clusters: 1 .*; 2 "):
        build_export_graph(store, cluster="7")
    with pytest.raises(TopicgraphError, match="unknown graph"):
        build_export_graph(store, "people")


def test_cluster_graph(store):
    G = build_export_graph(store, "clusters")
    base = "https://w3id.org/topicgraph/id/cluster/"
    assert {n: (d["kind"], d["topics"], d["articles"], d["vendors"]) for n, d in G.nodes(data=True)} == {
        base + "1": ("cluster", 2, 2, "Gartner; Medigy"), base + "2": ("cluster", 2, 1, "Medigy; Symplur")}
    # PA (cluster 1) co-occurs with HCE and PE (cluster 2): two article-pairs across the clusters
    assert G.edges[base + "1", base + "2"]["weight"] == 2.0
    arts = G.graph[ARTICLES_KEY]
    assert arts["total"] == {base + "1": 2, base + "2": 1}


def test_clusters_stored_by_topicgraph_clusters_are_used(seed_build, tmp_path):
    """When the store has a clusters graph, membership, numbers and labels come from it, not from Louvain."""
    import pyoxigraph

    folder = tmp_path / "graph"
    shutil.copytree(seed_build.out, folder)
    manifest = json.loads((folder / "topicgraph-store.json").read_text())
    graph = pyoxigraph.NamedNode(manifest["base_iri"] + "graph/clusters")
    skos, tg = "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/topicgraph/ns#"
    rdf_type = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    ox = pyoxigraph.Store(str(folder / manifest["store"]))
    for number, label, members in ((1, "Experience", [CX, PE, HCE]), (2, "Acquisition", [PA])):
        c = pyoxigraph.NamedNode(f"{manifest['base_iri']}cluster/{number}")
        ox.add(pyoxigraph.Quad(c, rdf_type, pyoxigraph.NamedNode(skos + "Collection"), graph))
        ox.add(pyoxigraph.Quad(c, rdf_type, pyoxigraph.NamedNode(tg + "TopicCluster"), graph))
        ox.add(pyoxigraph.Quad(c, pyoxigraph.NamedNode(skos + "prefLabel"),
                               pyoxigraph.Literal(label, language="en"), graph))
        for m in members:
            ox.add(pyoxigraph.Quad(c, pyoxigraph.NamedNode(skos + "member"), pyoxigraph.NamedNode(m), graph))
    ox.flush()
    del ox
    G = build_export_graph(GraphStore.open(folder))
    assert {n: (d["cluster"], d["cluster_label"]) for n, d in G.nodes(data=True)} == {
        CX: (1, "Experience"), PE: (1, "Experience"), HCE: (1, "Experience"), PA: (2, "Acquisition")}
    assert G.graph["clusters"].startswith("store")
    assert set(build_export_graph(GraphStore.open(folder), cluster="acquisition")) == {PA}


def test_filter_graph_on_a_hand_made_graph():
    G = tricky_graph()
    assert set(filter_graph(G, vendor="gartner")) == {'Gartner:"CX"', "Ünïcødé <b>&amp;</b>"}
    assert set(filter_graph(G, cluster=1)) == {"Medigy:Telehealth", "Medigy:Patient Acquisition", "node"}
    assert set(filter_graph(G, top=2)) == {"Medigy:Telehealth", "Medigy:Patient Acquisition"}


# ---------------------------------------------------------------------------------------------------------------
# writers, read back


def test_clean_graph_flattens_lists_and_unifies_types():
    H = clean_graph(tricky_graph())
    assert H.nodes["Medigy:Telehealth"]["tags"] == "remote care; video"
    assert "tags" not in H.nodes['Gartner:"CX"']  # None is left out, not written as "None"
    assert {type(w) for _, _, w in H.edges(data="weight")} == {float}  # 2 and 0.5: one declared type
    assert H.nodes["node"]["label"] == "node"


def test_graphml_declares_keys_and_reads_back(tmp_path):
    from lxml import etree

    G = tricky_graph()
    (path,) = export_graph(G, tmp_path / "g.graphml", "graphml")
    doc = etree.parse(str(path))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in doc.findall("g:key", ns)}
    assert keys[("node", "label")] == "string"
    assert keys[("node", "articles")] == "long"
    assert keys[("node", "pagerank")] == "double"
    assert keys[("node", "curated")] == "boolean"
    assert keys[("edge", "weight")] == "double" and keys[("edge", "kind")] == "string"
    assert keys[("graph", "weight")] == "string"  # a graph and an edge attribute of one name: two keys
    ids = [k.get("id") for k in doc.findall("g:key", ns)]
    assert len(ids) == len(set(ids))
    domain = {k.get("id"): k.get("for") for k in doc.findall("g:key", ns)}
    for el in doc.iter():
        for d in el.findall("g:data", ns):
            assert domain[d.get("key")] == el.tag.rsplit("}", 1)[1]  # each value under a key of its own domain
    assert {d.text for d in doc.iter(f"{{{ns['g']}}}data") if domain[d.get("key")] == "node"
            and d.text in ("true", "false", "True", "False")} == {"true", "false"}  # xs:boolean
    back = nx.read_graphml(path)
    assert_same_graph(clean_graph(G), back)
    assert {k: v for k, v in back.graph.items() if not k.endswith("_default")} == {"name": "tricky", "weight": "count"}


def test_graphml_reads_into_igraph(tmp_path):
    igraph = pytest.importorskip("igraph")
    G = tricky_graph()
    (path,) = export_graph(G, tmp_path / "g.graphml", "graphml")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    # igraph (C core 0.10, libxml2 SAX) hands back a "&" inside a node id as "&#38;"; values come back as written
    by_id = {v["id"].replace("&#38;", "&"): v.attributes() for v in g.vs}
    assert set(by_id) == set(G)
    assert by_id['Gartner:"CX"']["label"] == 'Gartner: "CX" \\ more'
    assert by_id["Medigy:Telehealth"]["articles"] == 3 and by_id["Medigy:Telehealth"]["vendor"] == "Medigy"
    assert by_id["Ünïcødé <b>&amp;</b>"]["label"] == "<script>alert(1)</script>"
    assert by_id["Medigy:Telehealth"]["curated"] is True and by_id["Medigy:Patient Acquisition"]["curated"] is False
    edges = {frozenset((g.vs[e.source]["id"], g.vs[e.target]["id"])): (e["weight"], e["kind"]) for e in g.es}
    assert edges[frozenset(("Medigy:Telehealth", 'Gartner:"CX"'))] == (0.5, "co-occurrence")


def test_gexf_is_gexf_1_3_with_declared_attributes_and_viz(tmp_path):
    from lxml import etree

    G = tricky_graph()
    (path,) = export_graph(G, tmp_path / "g.gexf", "gexf")
    doc = etree.parse(str(path))
    root = doc.getroot()
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.3"
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == \
        "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
    ns = {"g": GEXF_NS, "viz": GEXF_VIZ_NS}
    declared = {}
    for attrs in root.findall("g:graph/g:attributes", ns):
        for a in attrs.findall("g:attribute", ns):
            declared[(attrs.get("class"), a.get("id"))] = (a.get("title"), a.get("type"))
    titles = {(cls, title): typ for (cls, _), (title, typ) in declared.items()}
    assert titles[("node", "kind")] == "string" and titles[("node", "articles")] == "long"
    assert titles[("node", "pagerank")] == "double" and titles[("node", "curated")] == "boolean"
    assert titles[("edge", "kind")] == "string"
    nodes = root.findall("g:graph/g:nodes/g:node", ns)
    assert len(nodes) == 5
    for node in nodes:
        for av in node.findall("g:attvalues/g:attvalue", ns):
            assert ("node", av.get("for")) in declared
        color = node.find("viz:color", ns)
        assert all(0 <= int(color.get(c)) <= 255 for c in "rgb")
        assert float(node.find("viz:size", ns).get("value")) >= 10
        assert node.find("viz:position", ns) is not None
    # same cluster, same colour; another cluster, another colour
    col = {n.get("id"): tuple(n.find("viz:color", ns).get(c) for c in "rgb") for n in nodes}
    assert col["Medigy:Telehealth"] == col["Medigy:Patient Acquisition"] != col['Gartner:"CX"']
    for edge in root.findall("g:graph/g:edges/g:edge", ns):
        assert edge.get("weight") is not None
        for av in edge.findall("g:attvalues/g:attvalue", ns):
            assert ("edge", av.get("for")) in declared
    back = nx.read_gexf(path, version="1.3")
    assert_same_graph(clean_graph(G), back)
    assert back.nodes["Medigy:Telehealth"]["viz"]["size"] > back.nodes['Gartner:"CX"']["viz"]["size"]


@pytest.mark.parametrize("fmt", ["d3", "cytoscape", "gexf"])
def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, fmt):
    """A writer that fails half way (as networkx's do on a list value, leaving an empty file) must leave the
    previous export as it was: ours write to a temporary file and rename it only once complete."""
    import xml.etree.ElementTree as ET

    target = tmp_path / f"g.{fmt}"
    target.write_text("previous export")

    def broken(*args, **kw):
        path = args[1]
        if hasattr(path, "write"):
            path.write("{half")
        else:
            Path(path).write_text("<half")
        raise ValueError("cannot serialise <class 'list'>")

    if fmt == "gexf":
        monkeypatch.setattr(ET.ElementTree, "write", lambda self, path, **kw: broken(self, path))
    else:
        monkeypatch.setattr(json, "dump", broken)
    with pytest.raises(ValueError):
        export_graph(tricky_graph(), target, fmt)
    assert target.read_text() == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_d3_node_link_json_uses_links(tmp_path):
    G = tricky_graph()
    (path,) = export_graph(G, tmp_path / "g.json", "d3")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "links" in doc and "edges" not in doc
    ids = {n["id"] for n in doc["nodes"]}
    assert ids == set(G)
    assert all(link["source"] in ids and link["target"] in ids and "weight" in link for link in doc["links"])
    assert_same_graph(clean_graph(G), nx.node_link_graph(doc, edges="links"))


def test_cytoscape_json_elements(tmp_path):
    G = tricky_graph()
    (path,) = export_graph(G, tmp_path / "g.cyjs", "cytoscape")
    doc = json.loads(path.read_text(encoding="utf-8"))
    nodes = {n["data"]["id"]: n for n in doc["elements"]["nodes"]}
    assert set(nodes) == set(G)
    assert nodes["Medigy:Telehealth"]["data"]["name"] == "Medigy: Telehealth"
    assert nodes["Medigy:Telehealth"]["data"]["tags"] == "remote care; video"
    assert set(nodes["node"]["position"]) == {"x", "y"}
    edges = doc["elements"]["edges"]
    assert len({e["data"]["id"] for e in edges}) == len(edges) == 4
    assert {(e["data"]["source"], e["data"]["target"]) for e in edges} == set(G.edges)
    assert {e["data"]["interaction"] for e in edges} == {"co-occurrence", "about"}
    assert doc["data"] == {"name": "tricky", "weight": "count"}


def test_csv_for_gephi_and_neo4j(tmp_path):
    G = tricky_graph()
    nodes_path, edges_path = export_graph(G, tmp_path / "g.csv", "csv")
    assert (nodes_path.name, edges_path.name) == ("g-nodes.csv", "g-edges.csv")
    with open(nodes_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:2] == ["Id", "Label"]
    by_id = {r["Id"]: r for r in rows}
    assert set(by_id) == set(G)
    assert by_id['Gartner:"CX"']["Label"] == 'Gartner: "CX" \\ more'
    assert by_id["Medigy:Telehealth"]["tags"] == "remote care; video" and by_id["node"]["vendor"] == ""
    with open(edges_path, newline="", encoding="utf-8") as fh:
        erows = list(csv.DictReader(fh))
    assert list(erows[0])[:4] == ["Source", "Target", "Type", "Weight"]
    assert {(r["Source"], r["Target"], r["Type"], float(r["Weight"])) for r in erows} == \
        {(a, b, "Undirected", float(w)) for a, b, w in G.edges(data="weight")}

    folder = tmp_path / "neo"
    folder.mkdir()
    n4, e4 = export_graph(G, folder, "csv", csv_dialect="neo4j")
    assert (n4, e4) == (folder / "nodes.csv", folder / "edges.csv")
    header = next(csv.reader(open(n4, encoding="utf-8")))
    assert header[0] == "id:ID" and header[-1] == ":LABEL" and "articles:long" in header \
        and "pagerank:double" in header
    labels = {row[0]: row[-1] for row in list(csv.reader(open(n4, encoding="utf-8")))[1:]}
    assert labels["Medigy:Telehealth"] == "Topic" and labels["node"] == "Article"
    eh, *erows4 = list(csv.reader(open(e4, encoding="utf-8")))
    assert eh[:4] == [":START_ID", ":END_ID", ":TYPE", "weight:double"]
    assert {r[2] for r in erows4} == {"CO_OCCURRENCE", "ABOUT"}


def test_dot_quotes_every_id(tmp_path):
    G = tricky_graph()
    (path,) = export_graph(G, tmp_path / "g.dot", "dot")
    text = path.read_text(encoding="utf-8")
    assert '"Medigy:Telehealth" -- "Medigy:Patient Acquisition"' in text
    assert '"Gartner:\\"CX\\""' in text
    assert 'label="Gartner: \\"CX\\" \\\\ more"' in text


def _graphviz() -> None:
    require_debian_package("graphviz", shutil.which("dot") is not None and shutil.which("sfdp") is not None)


def test_dot_renders_with_graphviz_and_keeps_colon_ids_apart(tmp_path):
    _graphviz()
    G = tricky_graph()
    (path,) = export_graph(G, tmp_path / "g.dot", "dot")
    out = subprocess.run(["dot", "-Tjson", str(path)], capture_output=True, check=True, timeout=60)
    doc = json.loads(out.stdout)
    names = [o["name"] for o in doc["objects"]]
    # pydot would read both Medigy:... ids as node "Medigy" with a port; Graphviz keeps all five nodes apart
    assert sorted(names) == sorted(G)
    labels = {o["name"]: o["label"] for o in doc["objects"]}
    assert {o["name"]: o.get("pagerank") for o in doc["objects"]}["Ünïcødé <b>&amp;</b>"] == "1e-07"
    assert labels['Gartner:"CX"'] == 'Gartner: "CX" \\\\ more'  # as written: escString shows one backslash
    assert len(doc["edges"]) == 4
    svg = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True, check=True, timeout=60).stdout
    assert svg.count(b'class="node"') == 5 and svg.count(b'class="edge"') == 4


@pytest.mark.parametrize("weight", ["count", "pmi"])
def test_svg_and_png_pictures(store, tmp_path, weight):
    _graphviz()
    from lxml import etree

    G = build_export_graph(store, "bipartite", authors=True, brands=True) if weight == "count" else \
        build_export_graph(store, weight="pmi")  # PMI weights can be negative: they must not reach the layout
    (svg,) = export_graph(G, tmp_path / "g.svg", "svg")
    doc = etree.parse(str(svg))
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(doc.findall(".//s:g[@class='node']", ns)) == G.number_of_nodes()
    assert len(doc.findall(".//s:g[@class='edge']", ns)) == G.number_of_edges()
    texts = {t.text for t in doc.iter("{http://www.w3.org/2000/svg}text")}
    # the vendor is the node's shape (named in the legend), not repeated in its label; the full label is its tooltip
    assert "Patient Acquisition" in texts and "Medigy" in texts
    titles = {a.get("{http://www.w3.org/1999/xlink}title") for a in doc.iter("{http://www.w3.org/2000/svg}a")}
    assert "Medigy: Patient Acquisition" in titles
    (png,) = export_graph(G, tmp_path / "g.png", "png")
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert width > 100 and height > 100


def test_render_errors_are_topicgraph_errors(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(TopicgraphError, match="apt-get install graphviz"):
        export_graph(tricky_graph(), tmp_path / "g.svg", "svg")
    assert not (tmp_path / "g.svg").exists()
    with pytest.raises(TopicgraphError, match="unknown export format"):
        export_graph(tricky_graph(), tmp_path / "g.x", "pdf")


def test_html_page_embeds_data_safely(tmp_path):
    """Without a browser: the markup in labels never reaches the page as markup, the page loads nothing."""
    import re

    G = tricky_graph()
    G.graph[ARTICLES_KEY] = {"table": [["a1", "</script><script>window.__pwned=1</script>", "javascript:alert(1)",
                                        ""]], "by_node": {"Medigy:Telehealth": [0]}, "total": {"Medigy:Telehealth": 1}}
    (path,) = export_graph(G, tmp_path / "g.html", "html", title="<b>Title</b>")
    text = path.read_text(encoding="utf-8")
    assert "<title>&lt;b&gt;Title&lt;/b&gt;</title>" in text
    assert "window.__pwned" in text and "<script>window.__pwned" not in text
    assert "<script>alert(1)" not in text and "\\u003cscript\\u003ealert(1)" in text
    assert len(re.findall(r"<script\b", text)) == 3  # data, library, page script
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", text)  # nothing loads from anywhere
    assert "default-src 'none'" in text and "'unsafe-inline'" not in text.split("script-src")[1].split(";")[0]
    data = json.loads(re.search(r'<script id="tg-data" type="application/json">(.*?)</script>', text, re.S).group(1))
    assert data["articles"]["table"][0][1] == "</script><script>window.__pwned=1</script>"
    labels = {n["data"]["id"]: n["data"]["label"] for n in data["elements"]["nodes"]}
    assert labels["Ünïcødé <b>&amp;</b>"] == "<script>alert(1)</script>"


def test_inlined_library_is_the_recorded_npm_file_with_its_licence():
    import hashlib
    import re

    import topicgraph

    assets = Path(topicgraph.__file__).parent / "export" / "assets"
    readme = (assets / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"`cytoscape\.min\.js` sha256: `([0-9a-f]{64})`", readme).group(1)
    library = (assets / "cytoscape.min.js").read_bytes()
    assert hashlib.sha256(library).hexdigest() == recorded
    assert b'"3.34.4"' in library and "3.34.4" in readme
    assert "MIT" in readme and "Permission is hereby granted" in (assets / "cytoscape.LICENSE").read_text("utf-8")
    assert b"Copyright (c) 2016-2026, The Cytoscape Consortium" in library[:200]


def test_export_colours_are_the_clusters_command_answers(tmp_path_factory):
    """Without stored clusters, export computes what `topicgraph clusters --seed S` would store (one Louvain, in
    topicgraph.analysis.clusters), so a picture's colours and the command's answers agree (issue 19)."""
    import topicgraph
    from topicgraph.analysis.clusters import find_clusters
    from topicgraph.synth import SynthConfig, generate

    corpus = generate(tmp_path_factory.mktemp("synth"), SynthConfig(n=300, seed=4, groups=5, topics_per_group=6))
    out = tmp_path_factory.mktemp("synth-graph")
    topicgraph.build([str(corpus.root)], out=str(out), jobs=1)
    store = GraphStore.open(out)
    for seed in (0, 1, 2):
        G = build_export_graph(store, seed=seed)
        expected = find_clusters(store, seed=seed).membership()
        got = {n: (d["cluster"], d["cluster_label"]) for n, d in G.nodes(data=True) if "cluster" in d}
        assert got == expected and len(set(n for n, _ in got.values())) >= 2


def test_export_colours_the_clusters_that_topicgraph_clusters_stores(tmp_path):
    """One clustering everywhere: without stored clusters, export computes what `topicgraph clusters` (same code,
    weight and seed) would store, so the page and pictures colour a build the same before and after it ran."""
    import subprocess
    import sys

    from topicgraph.analysis.clusters import find_clusters
    from topicgraph.export._common import node_colors

    tg = [sys.executable, "-m", "topicgraph"]
    subprocess.run([*tg, "generate", str(tmp_path / "rec"), "-n", "500", "--seed", "19", "--taxonomy",
                    str(tmp_path / "tax")], check=True, capture_output=True, timeout=300)
    out = tmp_path / "g"
    subprocess.run([*tg, "build", str(tmp_path / "rec"), "--taxonomy", str(tmp_path / "tax"), "--out", str(out),
                    "-q", "-j", "1"], check=True, capture_output=True, timeout=300)
    computed = build_export_graph(GraphStore.open(out), articles=False)
    assert computed.graph["clusters"] == "louvain (seed 0)"
    clustering = find_clusters(GraphStore.open(out), seed=0)
    assert len(clustering.clusters) > 5
    subprocess.run([*tg, "clusters", "--store", str(out)], check=True, capture_output=True, timeout=300)
    stored = build_export_graph(GraphStore.open(out), articles=False)
    assert stored.graph["clusters"].startswith("store")
    a = {n: (d.get("cluster"), d.get("cluster_label")) for n, d in computed.nodes(data=True)}
    b = {n: (d.get("cluster"), d.get("cluster_label")) for n, d in stored.nodes(data=True)}
    assert a == b
    assert {t: c for t, (c, _label) in clustering.membership().items()} == \
        {n: c for n, (c, _label) in a.items() if c is not None}
    assert node_colors(computed, "cluster") == node_colors(stored, "cluster")


def test_pictures_that_cannot_finish_in_time_are_refused_up_front(tmp_path):
    """A dense graph: Graphviz laying it out itself would take minutes, so it is refused at once, with a hint;
    the default picture (its backbone, positions from Python) is estimated and refused only past --timeout."""
    import random
    import time

    rng = random.Random(3)
    G = nx.Graph()
    for a in range(170):
        for b in range(a + 1, 170):
            G.add_edge(f"t{a}", f"t{b}", weight=rng.randint(1, 40))
    t = time.perf_counter()
    with pytest.raises(TopicgraphError, match=r"would take about \d+s.*leave out --engine"):
        export_graph(G, tmp_path / "g.png", "png", engine="sfdp", timeout=30)
    with pytest.raises(TopicgraphError, match=r"would take about \d+s, more than the 0.5s allowed.*--top N"):
        export_graph(G, tmp_path / "g.svg", "svg", timeout=0.5)
    assert time.perf_counter() - t < 10 and not list(tmp_path.iterdir())


def test_backbone_keeps_a_few_links_per_node_and_isolates_none():
    from topicgraph.export.backbone import backbone, disparity
    from topicgraph.export.picture import thin

    rng = __import__("random").Random(5)
    G = nx.Graph()
    for a in range(120):
        for b in range(a + 1, 120):
            if rng.random() < 0.5:
                same = a // 12 == b // 12  # ten planted groups: heavy links inside, light across
                G.add_edge(a, b, weight=rng.randint(20, 40) if same else rng.randint(1, 3))
    H = backbone(G, alpha=0.001)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert all(H.degree(n) > 0 for n in G if G.degree(n) > 0)
    assert H.number_of_edges() / H.number_of_nodes() <= 4 < G.number_of_edges() / G.number_of_nodes()
    inside = sum(1 for a, b in H.edges if a // 12 == b // 12)
    assert inside / H.number_of_edges() > 0.9
    assert all(0 <= a <= 1 for a in disparity(G).values())
    assert backbone(G, alpha=1).number_of_edges() == G.number_of_edges()
    small = nx.cycle_graph(5)
    assert thin(small) is small  # readable already: drawn whole
