"""The two worked examples of docs/profiles.md, built end to end."""

from __future__ import annotations

import topicgraph
from topicgraph.records import load_profile

from .conftest import ROOT

EX = ROOT / "docs" / "examples"
TAX = "https://w3id.org/topicgraph/taxonomy/"


def test_hugo_blog_example(tmp_path):
    result = topicgraph.build([EX / "hugo-blog" / "content"], out=tmp_path,
                              profile=load_profile(EX / "hugo-blog" / "profile.toml"), jobs=1)
    assert result.report.counts["mapped"] == 2
    rows = result.query("SELECT ?id ?t WHERE { ?a schema:identifier ?id ; schema:about ?t } ORDER BY ?id ?t")
    assert [(r["id"], r["t"]) for r in rows] == [
        ("blog-17", TAX + "blog/ai"), ("blog-17", TAX + "blog/emergency-medicine"),
        ("blog-17", TAX + "gartner/artificial-intelligence"),
        ("blog-18", TAX + "blog/ai"), ("blog-18", TAX + "blog/clinical-documentation")]
    assert result.query(f"SELECT ?l WHERE {{ <{TAX}blog/ai> skos:prefLabel ?l }}") == [{"l": "AI"}]
    assert result.query(f"SELECT ?l WHERE {{ <{TAX}blog> a skos:ConceptScheme ; skos:prefLabel ?l }}") == [{"l": "Blog"}]
    rows = result.query("SELECT ?m ?b WHERE { ?a schema:identifier 'blog-17' ; schema:dateModified ?m ; "
                        "schema:publisher/schema:name ?b }")
    assert rows == [{"m": "2024-03-20T08:00:00Z", "b": "healthblog.example"}]


def test_newsroom_example(tmp_path):
    result = topicgraph.build([EX / "newsroom" / "posts"], out=tmp_path,
                              profile=load_profile(EX / "newsroom" / "profile.toml"), jobs=1)
    rows = result.query("SELECT ?a ?t WHERE { ?a schema:about ?t } ORDER BY ?t")
    assert rows == [{"a": "https://w3id.org/topicgraph/id/article/nr-2023-0042", "t": TAX + "medigy/telehealth"},
                    {"a": "https://w3id.org/topicgraph/id/article/nr-2023-0042", "t": TAX + "symplur/patient-experience"}]
    names = result.query("SELECT ?n WHERE { ?a schema:author/schema:name ?n } ORDER BY ?n")
    assert [r["n"] for r in names] == ["Priya Raman", "Tom Okafor"]
    assert result.report.counts["unknown_topics"] == 0
