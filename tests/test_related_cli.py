"""The analysis commands in-process: `topicgraph related`, `clusters` and `stats`."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

import topicgraph
from topicgraph.cli import cli

ART = "https://w3id.org/topicgraph/id/article/"
PX = "https://w3id.org/topicgraph/taxonomy/symplur/patient-experience"


@pytest.fixture()
def store(tmp_path):
    out = tmp_path / "graph"
    topicgraph.build(["seeds"], out=out, jobs=1)
    return out


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


def test_related_one_article_text_and_json(store):
    result = run("related", "4463", "--store", store)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Related to Elevating the Consumer Experience in Healthcare <{ART}4463>:"
    assert lines[1].split() == ["1.", "4.1474", "Customer", "Experience", "Automation", "-", "The", "Next", "Big",
                                "Thing", "in", "Healthcare?", "[3896]"]
    assert "shares Medigy: Patient Acquisition" in result.output
    assert "Gartner: Customer Experience closeMatch Symplur: Patient Experience" in result.output
    data = json.loads(run("related", "seeds/001_46930356a44fedc4.txt", "--json", "--store", store).output)
    assert data["article"] == ART + "3896"
    assert [(r["identifier"], r["rank"], r["score"]) for r in data["related"]] == [("4463", 1, 4.147400984)]
    assert data["weights"]["close_match"] == 0.6


def test_related_weights_from_the_command_line(store):
    data = json.loads(run("related", "4463", "-w", "close_match=0", "-w", "related_match=0", "--json",
                          "--store", store).output)
    assert data["related"][0]["score"] == pytest.approx(1.693147181)
    assert json.loads(run("related", "4463", "--threshold", "5", "--json", "--store", store).output)["related"] == []


def test_related_all_writes_files_and_store(store, tmp_path):
    result = run("related", "--all", "-k", "5", "--out", tmp_path / "out", "--json", "--store", store)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["articles"], summary["with_related"], summary["links"]) == (5, 2, 2)
    assert summary["graph"] == "https://w3id.org/topicgraph/id/graph/related"
    rows = list(csv.DictReader((tmp_path / "out" / "related.csv").open(encoding="utf-8")))
    assert [(r["identifier"], r["rank"], r["related_identifier"], r["score"]) for r in rows] == [
        ("3896", "1", "4463", "4.147400984"), ("4463", "1", "3896", "4.147400984")]
    data = json.loads((tmp_path / "out" / "related.json").read_text(encoding="utf-8"))
    assert data["k"] == 5 and [a["identifier"] for a in data["articles"]] == ["3896", "4463"]
    answer = topicgraph.GraphStore.open(store).query(
        "SELECT ?b ?score WHERE { ?a schema:identifier '4463' ; tg:relatedness ?r . "
        "?r tg:relatedArticle ?b ; tg:score ?score ; tg:rank 1 }")
    assert answer == [{"b": ART + "3896", "score": pytest.approx(4.147400984)}]


def test_related_all_default_output_is_the_store_folder(store):
    result = run("related", "--all", "--no-store", "--store", store)
    assert result.exit_code == 0, result.output
    assert "2 links (top 10)" in result.output
    assert (store / "related.json").exists() and (store / "related.csv").exists()
    assert not list(topicgraph.GraphStore.open(store).raw_query("SELECT * WHERE { ?a tg:relatedness ?r }"))


@pytest.mark.parametrize("args, message", [
    (["related"], "give one ARTICLE, or --all"),
    (["related", "4463", "--all"], "give one ARTICLE, or --all"),
    (["related", "no-such-article"], "no article 'no-such-article'"),
    (["related", "4463", "-w", "bogus=1"], "bad weight 'bogus=1'"),
])
def test_related_errors_exit_2(store, args, message):
    result = run(*args, "--store", store)
    assert result.exit_code == 2
    assert message in result.output


def test_missing_store_exits_2(tmp_path):
    for command in (["related", "4463"], ["clusters"], ["stats"]):
        result = run(*command, "--store", tmp_path / "nothing")
        assert result.exit_code == 2 and "no graph in" in result.output


def test_clusters_command(store):
    result = run("clusters", "--seed", "0", "--store", store)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("2 clusters of 4 topics (4 co-occurrence edges, weight jaccard, "
                                                    "seed 0, resolution 1): modularity ")
    assert "  1. Gartner: Customer Experience, Medigy: Patient Acquisition  [2 topics, 2 articles]" in result.output
    rows = topicgraph.GraphStore.open(store).query(
        f"SELECT ?c ?size WHERE {{ ?c a tg:TopicCluster ; skos:member <{PX}> ; tg:clusterSize ?size }}")
    assert rows == [{"c": "https://w3id.org/topicgraph/id/cluster/2", "size": 2}]
    data = json.loads(run("clusters", "--seed", "0", "--min-size", "3", "--json", "--no-store", "--store",
                          store).output)
    assert data["sizes"] == [] and data["unclustered"] == 4 and data["graph"] is None


def test_stats_command(store):
    result = run("stats", "--top", "1", "--store", store)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("5 articles (3 without topics), 4 topics, 3 authors, 2 brands, ")
    assert "Medigy: Patient Acquisition" in result.output and "Sonalika Ghosh" in result.output
    assert "Symplur: Patient Experience" not in result.output     # --top 1
    data = json.loads(run("stats", "--json", "--top", "2", "--store", store).output)
    assert [t["label"] for t in data["topics"]][0] == "Medigy: Patient Acquisition"
    assert len(data["authors"]) == 2 and data["counts"]["articles"] == 5


def test_stats_answer_is_kept_per_build_revision(store, tmp_path):
    first = run("stats", "--json", "--store", store).output
    kept = sorted((store / ".cache").glob("stats-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text(encoding="utf-8")) == json.loads(first)
    assert run("stats", "--json", "--store", store).output == first
    assert run("stats", "--json", "--seed", "1", "--store", store).exit_code == 0  # other options: their own answer
    assert len(list((store / ".cache").glob("stats-*.json"))) == 2
    kept[0].write_text("{damaged", encoding="utf-8")
    assert run("stats", "--json", "--store", store).output == first  # a damaged answer is computed again
    # an update changes the revision: the kept answer is not used, the new one counts the new record
    text = (tmp_path / "new.md")
    text.write_text("---\nid: brand-new\ntitle: A new record\ncommunityTopics:\n- 'Medigy: Patient Acquisition'\n"
                    "---\nbody\n", encoding="utf-8")
    from topicgraph.builder import update

    update([text], out=store, root=tmp_path)
    after = json.loads(run("stats", "--json", "--store", store).output)
    assert after["counts"]["articles"] == 6 and after["topics"][0]["articles"] == 3


def test_help_texts():
    for command in ("related", "clusters", "stats"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "--store" in result.output
