"""`topicgraph export` in-process with click's CliRunner: every format from the seed build, filters, errors."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from click.testing import CliRunner

from topicgraph.cli import cli

TAX = "https://w3id.org/topicgraph/taxonomy/"
PA, HCE = TAX + "medigy/patient-acquisition", TAX + "medigy/healthcare-consumer-engagement"


def run(*args: str):
    return CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)


@pytest.mark.parametrize("fmt, name", [("graphml", "t.graphml"), ("gexf", "t.gexf"), ("cytoscape", "t.cyjs"),
                                       ("d3", "t.json"), ("dot", "t.dot"), ("html", "t.html")])
def test_each_format_from_the_seed_build(seed_build, tmp_path, fmt, name):
    out = tmp_path / name
    result = run("--store", str(seed_build.out), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out)]
    assert "Exported the topics graph as " + fmt + ": 4 nodes, 4 edges" in result.stderr
    if fmt == "graphml":
        G = nx.read_graphml(out)
    elif fmt == "gexf":
        G = nx.read_gexf(out, version="1.3")
    elif fmt == "d3":
        G = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="links")
    elif fmt == "cytoscape":
        doc = json.loads(out.read_text(encoding="utf-8"))
        G = nx.Graph()
        G.add_nodes_from((n["data"]["id"], n["data"]) for n in doc["elements"]["nodes"])
        G.add_edges_from((e["data"]["source"], e["data"]["target"], e["data"]) for e in doc["elements"]["edges"])
    else:
        text = out.read_text(encoding="utf-8")
        assert f'"{PA}"' in text and ("<!doctype html>" in text or text.startswith("graph "))
        return
    assert G.number_of_nodes() == 4 and G.number_of_edges() == 4
    assert G.nodes[PA]["label"] == "Medigy: Patient Acquisition" and G.nodes[PA]["articles"] == 2
    assert G.nodes[PA]["vendor"] == "Medigy" and G.nodes[PA]["kind"] == "topic"
    assert G.nodes[PA]["cluster"] == 1 and G.nodes[PA]["degree"] == 3 and 0 < G.nodes[PA]["pagerank"] < 1
    assert {d["kind"] for _, _, d in G.edges(data=True)} == {"co-occurrence"}


def test_format_from_the_extension_and_csv_files(seed_build, tmp_path):
    result = run("--store", str(seed_build.out), "--graph", "bipartite", "--vendor", "Medigy", "--authors",
                 "-o", str(tmp_path / "medigy.csv"), "-q")
    assert result.exit_code == 0, result.output
    nodes, edges = tmp_path / "medigy-nodes.csv", tmp_path / "medigy-edges.csv"
    assert result.stdout.splitlines() == [str(nodes), str(edges)]
    rows = list(csv.DictReader(open(nodes, encoding="utf-8")))
    assert {r["kind"] for r in rows} == {"topic", "article", "author"}
    assert {r["Label"] for r in rows if r["kind"] == "topic"} == {"Medigy: Patient Acquisition",
                                                                 "Medigy: Healthcare Consumer Engagement"}
    assert {r["Type"] for r in csv.DictReader(open(edges, encoding="utf-8"))} == {"Undirected"}


def test_default_output_is_in_the_store(seed_build, tmp_path):
    import shutil

    store = tmp_path / "graph"
    shutil.copytree(seed_build.out, store)
    result = run("--store", str(store), "--graph", "clusters", "--format", "gexf")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(store / "clusters.gexf")
    assert nx.read_gexf(store / "clusters.gexf", version="1.3").number_of_nodes() == 2


def test_filters_on_the_command_line(seed_build, tmp_path):
    out = tmp_path / "f.json"
    assert run("--store", str(seed_build.out), "--cluster", "2", "--min-weight", "1", "-f", "d3", "-o",
               str(out)).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in doc["nodes"]} == {HCE, TAX + "symplur/patient-experience"}
    assert len(doc["links"]) == 1
    assert run("--store", str(seed_build.out), "--top", "1", "-f", "d3", "-o", str(out)).exit_code == 0
    assert [n["id"] for n in json.loads(out.read_text(encoding="utf-8"))["nodes"]] == [PA]


def test_errors_exit_2_with_a_message(seed_build, tmp_path):
    r = run("--store", str(seed_build.out), "--vendor", "Acme", "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2 and "no topic of vendor acme" in r.stderr and "Gartner, Medigy, Symplur" in r.stderr
    assert not (tmp_path / "x.html").exists()
    r = run("--store", str(seed_build.out), "-o", str(tmp_path / "x.pdf"))
    assert r.exit_code == 2 and "cannot tell the format" in r.stderr
    r = run("--store", str(tmp_path / "nothing"), "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2 and "topicgraph build" in r.stderr
    r = run("--store", str(seed_build.out), "--graph", "topics", "--authors", "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2 and "articles and bipartite" in r.stderr


@pytest.mark.parametrize("name, fmt", [("t.graphml", "graphml"), ("t.gexf", "gexf"), ("t.cyjs", "cytoscape"),
                                       ("t.json", "d3"), ("t.gv", "dot"), ("t.htm", "html")])
def test_the_format_follows_the_extension(seed_build, tmp_path, name, fmt):
    """Each extension docs/export.md lists picks its format without --format."""
    out = tmp_path / name
    result = run("--store", str(seed_build.out), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"Exported the topics graph as {fmt}:" in result.stderr and out.stat().st_size > 0


def test_help_lists_every_format_and_graph():
    r = CliRunner().invoke(cli, ["export", "--help"])
    assert r.exit_code == 0
    for word in ("graphml", "gexf", "cytoscape", "d3", "dot", "csv", "html", "svg", "png",
                 "topics", "articles", "bipartite", "clusters", "--vendor", "--min-weight", "--top", "--cluster"):
        assert word in r.output
