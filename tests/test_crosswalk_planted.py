"""Crosswalk suggestions on a generated corpus with planted pairs: the precision targets on a held-out seed, and the
review loop end to end (accept -> build -> cross-vendor-mappings and related see it)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli

pytestmark = pytest.mark.slow

# seed 3 was used to choose the thresholds; seed 7 was run once, after, and is what this test pins
HELD_OUT_SEED = 7
N = 3000


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    runner = CliRunner()
    _ok(runner.invoke(cli, ["generate", str(root / "corpus"), "-n", str(N), "--seed", str(HELD_OUT_SEED),
                            "--crosswalk-pairs", "10", "--broader-pairs", "10", "--taxonomy", str(root / "tax")]))
    _ok(runner.invoke(cli, ["build", str(root / "corpus"), "--out", str(root / "build"), "--taxonomy",
                            str(root / "tax"), "-q"]))
    return root


def test_planted_pairs_are_recovered_at_the_targets(planted):
    result = _ok(CliRunner().invoke(cli, ["crosswalk", "evaluate", "--store", str(planted / "build"), "--taxonomy",
                                          str(planted / "tax"), "--truth", str(planted / "corpus"), "--json"]))
    report = json.loads(result.output)
    assert report["crosswalk"]["planted"] == 10 and report["broader"]["planted"] == 10
    # K = the number planted (10): precision@10 and recall@10
    cross, broad = report["crosswalk"]["at"][-1], report["broader"]["at"][-1]
    assert cross["k"] == broad["k"] == 10
    assert cross["precision"] >= 0.9, cross
    assert broad["precision"] >= 0.8, broad
    assert report["leave_one_out"]["links"] > 0


def test_manifest_holds_the_planted_truth(planted):
    manifest = json.loads((planted / "corpus" / ".manifest.json").read_text())
    assert len(manifest["planted"]["crosswalk"]) == 10 and len(manifest["planted"]["broader"]) == 10
    assert manifest["config"]["crosswalk_pairs"] == 10
    for a, b in manifest["planted"]["crosswalk"]:
        assert a.split(":")[0] != b.split(":")[0]
    for n, b in manifest["planted"]["broader"]:
        assert n.split(":")[0] == b.split(":")[0]


def test_broader_suggestions_make_no_cycle(planted, tmp_path):
    from topicgraph.crosswalk import read_sssom, taxonomy_links
    from topicgraph.crosswalk.links import ancestors
    from topicgraph.taxonomy import load_taxonomy

    out = tmp_path / "b.sssom.tsv"
    _ok(CliRunner().invoke(cli, ["taxonomy", "suggest-broader", "--store", str(planted / "build"), "--taxonomy",
                                 str(planted / "tax"), "-o", str(out), "--min-support", "1"]))
    links = taxonomy_links(load_taxonomy(planted / "tax"))
    graph = {k: set(v) for k, v in links.broader.items()}
    rows = read_sssom(out).rows
    assert rows and all(r["predicate_id"] == "skos:broader" for r in rows)
    for r in rows:
        assert r["object"] not in links.broader.get(r["subject"], set())  # never a link the scheme has
        graph.setdefault(r["subject"], set()).add(r["object"])
    assert all(c not in ancestors(c, graph) for c in graph)


def test_accepted_mapping_reaches_the_query_and_related(planted, tmp_path):
    from topicgraph.analysis.related import RelatedIndex
    from topicgraph.crosswalk import read_sssom
    from topicgraph.store import GraphStore

    runner = CliRunner()
    tax = tmp_path / "tax"
    shutil.copytree(planted / "tax", tax)
    sssom = tmp_path / "s.sssom.tsv"
    _ok(runner.invoke(cli, ["crosswalk", "suggest", "--store", str(planted / "build"), "--taxonomy", str(tax),
                            "-o", str(sssom)]))
    row = next(r for r in read_sssom(sssom).rows if r["predicate_id"] == "skos:exactMatch")
    review = _ok(runner.invoke(cli, ["crosswalk", "review", str(sssom), "--store", str(planted / "build"),
                                     "--limit", "3"]))
    assert "e.g. [" in review.output
    _ok(runner.invoke(cli, ["crosswalk", "accept", str(sssom), row["record_id"], "--taxonomy", str(tax),
                            "--author", "tester", "--date", "2026-01-02"]))

    def mapped(store):
        out = _ok(runner.invoke(cli, ["query", "--store", str(store), "--name", "cross-vendor-mappings",
                                      "--format", "csv"])).output
        return {tuple(line.split(",")[0:4:2]) for line in out.splitlines()[1:]}

    assert (row["subject"], "http://www.w3.org/2004/02/skos/core#exactMatch") not in {
        (s, p) for s, p in mapped(planted / "build") if s == row["subject"]}
    rebuilt = tmp_path / "build"
    _ok(runner.invoke(cli, ["build", str(planted / "corpus"), "--out", str(rebuilt), "--taxonomy", str(tax), "-q"]))
    after = mapped(rebuilt)
    assert (row["subject"], "http://www.w3.org/2004/02/skos/core#exactMatch") in after
    assert (row["object"], "http://www.w3.org/2004/02/skos/core#exactMatch") in after

    # related: an article about the subject only now finds articles about the object only through the mapping
    def reasons(store):
        gs = GraphStore.open(store)
        try:
            index = RelatedIndex(gs)
            inc = index.incidence
            j_s, j_o = inc.topic_index[row["subject"]], inc.topic_index[row["object"]]
            m = inc.matrix.tocsr()
            query = next(a for i, a in enumerate(inc.articles) if m[i, j_s] and not m[i, j_o])
            return {(a, b, k) for item in index.related(query, 50) for a, b, k in item.mapped_topics}
        finally:
            gs.close()

    pair = (row["subject_label"], row["object_label"], "exactMatch")
    assert pair not in reasons(planted / "build")
    assert pair in reasons(rebuilt)
