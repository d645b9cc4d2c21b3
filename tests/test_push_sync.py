"""`push` keeps a server in line with the build: deleted records' graphs are dropped, `--sync` sends only what
changed, and `--query-endpoint` finds stale record graphs on a machine with no push on record (Oxigraph on
127.0.0.1)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

import topicgraph
from topicgraph.cli import cli
from topicgraph.queries import Endpoint, run_query
from topicgraph.server import push

from .conftest import SEEDS
from .servers import UNION, oxigraph, oxigraph_plain, virtuoso  # noqa: F401 - fixtures
from .test_push import graph_counts, server_quads, store_quads

pytestmark = pytest.mark.server
RECORD = "https://w3id.org/topicgraph/id/graph/record/"
FIRST = "000_e196614bccfeda88.txt"  # identifier 4463


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    return src


def build(src, out):
    return topicgraph.build([src], out=out, jobs=1).store


def server_graphs(url: str) -> set[str]:
    rows = run_query(Endpoint(url), "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").values()
    return {r["g"] for r in rows}


def test_a_deleted_record_leaves_the_server_on_the_next_plain_push(oxigraph, corpus, tmp_path):
    out = tmp_path / "graph"
    store = build(corpus, out)
    push(store, oxigraph.store_url)
    assert RECORD + "4463" in server_graphs(oxigraph.query_url)
    (corpus / FIRST).unlink()
    store = build(corpus, out)  # a full rebuild into the same folder keeps the push record
    report = push(store, oxigraph.store_url)
    assert report.dropped == [RECORD + "4463"]
    assert RECORD + "4463" not in server_graphs(oxigraph.query_url)
    assert server_quads(oxigraph.store_url) == store_quads(store)


def test_sync_sends_only_the_changed_graph(oxigraph, corpus, tmp_path):
    out = tmp_path / "graph"
    store = build(corpus, out)
    first = push(store, oxigraph.store_url, sync=True)
    assert first.graphs == len(store.named_graphs()) and first.unchanged == 0
    assert any("no earlier push" in n for n in first.notes)
    again = push(store, oxigraph.store_url, sync=True)  # nothing changed: nothing sent
    assert (again.graphs, again.requests, again.unchanged, again.dropped) == (0, 0, len(store.named_graphs()), [])
    path = corpus / FIRST
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Elevating the Consumer Experience in Healthcare", "title: A New Title", 1), encoding="utf-8")
    store = build(corpus, out)
    third = push(store, oxigraph.store_url, sync=True)
    assert third.graphs == 1 and third.unchanged == len(store.named_graphs()) - 1 and third.notes == []
    assert server_quads(oxigraph.store_url) == store_quads(store)
    q = "SELECT ?h WHERE { ?a schema:identifier '4463' ; schema:headline ?h }"
    assert run_query(Endpoint(oxigraph.query_url), q).column("h") == ["A New Title"]


def test_sync_with_a_union_graph_rewrites_the_union_only_when_something_changed(oxigraph_plain, corpus, tmp_path):
    out = tmp_path / "graph"
    store = build(corpus, out)
    push(store, oxigraph_plain.store_url, graph=UNION, sync=True)
    idle = push(store, oxigraph_plain.store_url, graph=UNION, sync=True)
    assert idle.graphs == 0
    (corpus / FIRST).unlink()
    store = build(corpus, out)
    report = push(store, oxigraph_plain.store_url, graph=UNION, sync=True)
    # sent: the entities graph (4463's author and brand are gone) and the union; the other 5 stay as they are
    assert report.dropped == [RECORD + "4463"] and (report.graphs, report.unchanged) == (2, 5)
    union = Endpoint(oxigraph_plain.query_url, graph=UNION)
    assert run_query(union, "ASK { ?a schema:identifier '4463' }").boolean is False
    n = run_query(union, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").values()[0]["n"]
    assert n == len(store)


def test_query_endpoint_finds_stale_record_graphs_without_a_push_record(oxigraph, corpus, tmp_path):
    """A CI runner builds afresh: no push-state.json; the server still holds a graph of a deleted record."""
    old = build(corpus, tmp_path / "old")
    push(old, oxigraph.store_url)
    (corpus / FIRST).unlink()
    fresh = build(corpus, tmp_path / "fresh")
    report = push(fresh, oxigraph.store_url, sync=True)
    assert report.dropped == []  # nothing on record: the stale graph cannot be known
    assert RECORD + "4463" in server_graphs(oxigraph.query_url)
    (tmp_path / "fresh" / "push-state.json").unlink()
    report = push(fresh, oxigraph.store_url, sync=True, query_endpoint=oxigraph.query_url)
    assert report.dropped == [RECORD + "4463"]
    assert server_quads(oxigraph.store_url) == store_quads(fresh)


@pytest.mark.parametrize("forged", ['{"format": 1, "pushes": {"x": {"graphs": [1, 2]}}}', "not json", "[]"])
def test_an_unreadable_push_record_is_set_aside_with_a_warning(oxigraph, corpus, tmp_path, forged):
    out = tmp_path / "graph"
    store = build(corpus, out)
    (out / "push-state.json").write_text(forged, encoding="utf-8")
    report = push(store, oxigraph.store_url, sync=True)
    assert report.graphs == len(store.named_graphs())
    assert any("push-state.json" in n and "every graph is sent again" in n for n in report.notes)
    assert json.loads((out / "push-state.json").read_text())["format"] == 1  # rewritten whole


def test_push_record_keeps_no_password(oxigraph, corpus, tmp_path):
    out = tmp_path / "graph"
    store = build(corpus, out)
    url = oxigraph.store_url.replace("http://", "http://someone:s3cret@")
    push(store, url)
    text = (out / "push-state.json").read_text()
    assert "s3cret" not in text and oxigraph.store_url in json.loads(text)["pushes"]


def test_push_sync_command(oxigraph, corpus, tmp_path):
    out = tmp_path / "graph"
    build(corpus, out)
    runner = CliRunner()
    args = ["push", "--store", str(out), "--endpoint", oxigraph.store_url, "-q", "--sync"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "no earlier push" in res.stderr and res.stdout.startswith("Replaced 7 graphs at ")
    res = runner.invoke(cli, args)
    assert res.exit_code == 0 and "Replaced 0 graphs" in res.stdout and "; 7 unchanged" in res.stdout
    (corpus / FIRST).unlink()
    build(corpus, out)
    res = runner.invoke(cli, args + ["--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    # the entities graph changes with the record (its author and brand go); the 5 other graphs stay
    assert (data["graphs"], data["unchanged"], data["dropped"]) == (1, 5, [RECORD + "4463"])
    res = runner.invoke(cli, args + ["--query-endpoint", "http://127.0.0.1:9/query"])
    assert res.exit_code == 2 and "cannot reach http://127.0.0.1:9" in res.stderr
    assert "Traceback" not in res.output


def test_virtuoso_sync_drops_a_deleted_record_and_rewrites_the_union(virtuoso, corpus, tmp_path):
    kw = {"user": virtuoso.user, "password": virtuoso.password, "graph": UNION, "sync": True}
    out = tmp_path / "graph"
    store = build(corpus, out)
    push(store, virtuoso.store_url, **kw)
    (corpus / FIRST).unlink()
    store = build(corpus, out)
    report = push(store, virtuoso.store_url, **kw)
    assert report.dropped == [RECORD + "4463"] and (report.graphs, report.unchanged) == (2, 5)
    counts = dict(graph_counts(Endpoint(virtuoso.query_url)))
    assert RECORD + "4463" not in counts and counts[UNION] == len(store)
    union = Endpoint(virtuoso.query_url, graph=UNION)
    assert run_query(union, "ASK { ?a schema:identifier '4463' }").boolean is False
    assert run_query(union, "ASK { ?a schema:identifier '3896' }").boolean is True


def test_a_push_record_that_is_a_symlink_is_replaced_not_followed(oxigraph, corpus, tmp_path):
    out = tmp_path / "graph"
    store = build(corpus, out)
    secret = tmp_path / "secret.txt"
    secret.write_text("do not touch", encoding="utf-8")
    (out / "push-state.json").symlink_to(secret)
    report = push(store, oxigraph.store_url, sync=True)
    assert report.graphs == len(store.named_graphs())
    assert any("every graph is sent again" in n for n in report.notes)
    assert "do not touch" not in " ".join(report.notes)  # the target's content is never echoed
    assert secret.read_text(encoding="utf-8") == "do not touch"
    assert not (out / "push-state.json").is_symlink()
