"""Topic suggestions (topicgraph.tagging, `topicgraph taxonomy tag`): matching, scores derived by hand for the
three plain seeds, and suggestions stored apart from curated topics."""

from __future__ import annotations

import json
import math
import re

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from topicgraph.cli import cli
from topicgraph.records import read_record
from topicgraph.taxonomy import load_taxonomy
from topicgraph.tagging import Tagger, suggest_files, suggest_store, write_suggestions

from .conftest import ROOT

S002, S003, S004 = "seeds/002_e2043c317a839aa3.txt", "seeds/003_93b4219c4437b57c.txt", "seeds/004_7f7bd89bfa8fa00f.txt"
N = 3  # the three plain seeds are tagged together: idf = 1 + ln((1 + N) / (1 + df))


def idf(df: int) -> float:
    return 1 + math.log((1 + N) / (1 + df))


# Weights counted by hand in each seed's text (title + body as read, boilerplate removed): a label's matches times
# its words. Counts are re-checked from the text with plain regular expressions in test_hand_counts.
HAND = {
    S002: [("Gartner: Customer Experience", 10 * 2 + 1 * 3, 3,  # "customer experience" x10, "... strategy" x1
            [("customer experience", 10), ("customer experience strategy", 1)]),
           ("Gartner: Digital Transformation", 2 * 2 + 2 * 1, 1,  # "digital transformation" x2, "digitization" x2
            [("Digital Transformation", 2), ("digitization", 2)]),
           ("Gartner: Healthcare Providers", 3 * 2, 1, [("healthcare providers", 3)]),
           ("Gartner: Personalization", 3 * 1, 1, [("personalization", 3)]),
           ("Medigy: Value-Based Care", 1 * 3, 1, [("value-based care", 1)])],
    S003: [("Medigy: Healthcare Consumer Engagement", 1 * 2 + 1 * 2, 1,
            [("consumer engagement", 1), ("consumer experience", 1)]),
           ("Gartner: Customer Experience", 2 * 2, 3, [("Customer Experience", 2)]),
           ("Medigy: Care Delivery", 1 * 2, 1, [("care delivery", 1)]),
           ("Medigy: Digital Health", 1 * 2, 1, [("digital healthcare", 1)]),
           ("Medigy: Healthcare Marketing", 1 * 2, 1, [("digital marketing", 1)])],
    S004: [("Medigy: Patient Experience", 8 * 2, 3, [("Patient Experience", 8)]),
           ("Symplur: Patient Experience", 8 * 2, 3, [("Patient Experience", 8)]),
           ("Gartner: Customer Experience", 7 * 2, 3, [("Customer Experience", 7)]),
           ("Gartner: Customer Journey Mapping", 1 * 2 + 1 * 2, 1, [("customer journey", 1), ("customer journeys", 1)]),
           ("Gartner: Customer Service and Support", 2 * 2, 2, [("Customer service", 2)])],
}


def _text(path: str) -> str:
    rec = read_record(path)
    return "\n\n".join(p for p in (rec.title, rec.description, rec.body) if p)


@pytest.fixture(scope="module")
def tagged():
    return {f.file: f for f in suggest_files(["seeds"])}


def test_hand_counts():
    """The counts behind HAND, with independent regular expressions over the same text."""
    def count(pattern, path):
        return len(re.findall(pattern, _text(path), re.I))

    assert count(r"\bcustomer experience\b(?! strategy)", S002) == 10
    assert count(r"\bcustomer experience strategy\b", S002) == 1
    assert count(r"\bdigital transformation\b", S002) == 2 and count(r"\bdigitization\b", S002) == 2
    assert count(r"\bhealthcare providers\b", S002) == 3 and count(r"\bpersonalization\b", S002) == 3
    assert count(r"\bvalue-based care\b", S002) == 1
    assert count(r"\bcustomer experience\b", S003) == 2 and count(r"\bconsumer engagement\b", S003) == 1
    assert count(r"\bpatient experience\b", S004) == 8 and count(r"\bcustomer experience\b", S004) == 7
    assert count(r"\bcustomer service\b", S004) == 2 and count(r"\bcustomer journeys?\b", S004) == 2
    # df of "patient experience" (Medigy and Symplur) and "customer experience": all three plain seeds
    for path in (S002, S003, S004):
        assert count(r"\bpatient experience\b", path) >= 1 and count(r"\bcustomer experience\b", path) >= 1


def test_seed_suggestions_and_scores_by_hand(tagged):
    for path, expected in HAND.items():
        got = [(s.topic, s.score, s.weight, [tuple(e) for e in s.evidence], s.rank) for s in tagged[path].suggestions]
        want = [(topic, round(weight * idf(df), 3), weight, evidence, rank)
                for rank, (topic, weight, df, evidence) in enumerate(expected, 1)]
        assert got == want, path


def test_seed_scores_as_numbers(tagged):
    """The same numbers written out: 23 x idf(3) = 23; 6 x (1 + ln 2) = 10.159; 4 x (1 + ln 4/3) = 5.151."""
    s = {x.topic: x.score for x in tagged[S002].suggestions}
    assert s["Gartner: Customer Experience"] == 23.0 and s["Gartner: Digital Transformation"] == 10.159
    s = {x.topic: x.score for x in tagged[S004].suggestions}
    assert s["Symplur: Patient Experience"] == 16.0 and s["Gartner: Customer Service and Support"] == 5.151


def test_curated_seeds_are_not_tagged(tagged):
    curated = [f for f in tagged.values() if f.tagged]
    assert sorted(f.file[:9] for f in curated) == ["seeds/000", "seeds/001"]
    assert all(f.suggestions == [] for f in curated)


def test_brief_topics_appear_for_every_plain_seed():
    files = {f.file: f for f in suggest_files(["seeds"], top=20)}
    for path in (S002, S003, S004):
        topics = {s.topic for s in files[path].suggestions}
        assert {"Gartner: Customer Experience", "Symplur: Patient Experience"} <= topics, path


# ------------------------------------------------------------------------------------------------- matching
@pytest.fixture(scope="module")
def tagger():
    return Tagger(load_taxonomy())


def test_word_boundaries_case_and_longest_label(tagger):
    m = tagger.matches("Customer-Experience and customer experiences; the CX team. cx is not CX.")
    cx = m["https://w3id.org/topicgraph/taxonomy/gartner/customer-experience"]
    assert cx == {"~customer experience": [1, "Customer-Experience"], "=CX": [2, "CX"]}
    # the longest label wins an overlap: "customer experience strategy" is not also "customer experience"
    m = tagger.matches("Our customer experience strategy.")
    assert m["https://w3id.org/topicgraph/taxonomy/gartner/customer-experience"] == {
        "~customer experience strategy": [1, "customer experience strategy"]}


def test_abbreviations_match_only_in_capitals(tagger):
    assert tagger.matches("we hit the ex-post target and it is ok") == {}
    assert "https://w3id.org/topicgraph/taxonomy/medigy/artificial-intelligence" in tagger.matches("AI helps.")
    assert tagger.matches("Ai helps.") == {}


def test_min_score_and_top(tagger):
    text = {"d": "Telehealth. Customer experience, customer experience, CX."}
    assert [s.topic for s in tagger.suggest(text, top=1)["d"]] == ["Gartner: Customer Experience"]
    assert [s.score for s in tagger.suggest(text, min_score=100)["d"]] == []


# ------------------------------------------------------------------------------------------------- the store
@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory):
    import topicgraph

    out = tmp_path_factory.mktemp("tag-graph")
    topicgraph.build(["seeds"], out=out, jobs=1)
    return out


def test_store_suggestions_equal_file_suggestions(seed_graph, tagged):
    from_store = suggest_store(seed_graph)
    assert len(from_store) == 3
    from_files = {tagged[p].article: tagged[p].suggestions for p in (S002, S003, S004)}
    assert from_store == from_files


def test_write_keeps_suggestions_apart_from_curated_topics(seed_graph, tagged):
    from topicgraph.store import GraphStore

    graph, triples = write_suggestions(seed_graph, suggest_store(seed_graph))
    assert graph == "https://w3id.org/topicgraph/id/graph/suggestions"
    article = tagged[S004].article
    store = GraphStore.open(seed_graph)
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { %s } }"
        assert store.query(count % (graph, "?s ?p ?o"))[0]["n"] == triples == 3 * 5 * 5 + sum(
            len(f.suggestions[i].evidence) for f in tagged.values() for i in range(len(f.suggestions)))
        # never schema:about: the suggestions graph has none, and only the two curated seeds have any
        assert store.query(count % (graph, "?a schema:about ?t"))[0]["n"] == 0
        assert store.query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a schema:about ?t }")[0]["n"] == 2
        # the suggestions of seed 004, as RDF, are exactly what HAND says
        solutions = store.raw_query("""SELECT ?s ?p ?o WHERE { GRAPH <%s> {
            { <%s> ?p ?o BIND(<%s> AS ?s) } UNION { <%s> tg:suggestedTopic ?s . ?s ?p ?o } } }"""
                                    % (graph, article, article, article))
        got = rdflib.Graph()
        for row in solutions:
            got.add(tuple(_rdflib(row[v]) for v in ("s", "p", "o")))
    finally:
        store.close()
    expected = _expected_graph(article, HAND[S004])
    assert isomorphic(got, expected), got.serialize(format="turtle")


def _decimal(value) -> rdflib.Literal:
    """One lexical form per decimal value (the store writes 16 for 16.000)."""
    from decimal import Decimal

    return rdflib.Literal(format(Decimal(str(value)).normalize(), "f"), datatype=rdflib.XSD.decimal)


def _rdflib(term):
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(rdflib.XSD.decimal):
        return _decimal(term.value)
    if term.datatype.value == str(rdflib.XSD.string):
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _expected_graph(article: str, expected) -> rdflib.Graph:
    tg = rdflib.Namespace("https://w3id.org/topicgraph/ns#")
    tax = load_taxonomy()
    g = rdflib.Graph()
    for rank, (topic, weight, df, evidence) in enumerate(expected, 1):
        vendor, label = topic.split(": ", 1)
        concept, known = tax.resolve(vendor, label)
        assert known
        node = rdflib.URIRef(f"{article}#suggestion-{concept.rsplit('/', 2)[-2]}-{concept.rsplit('/', 1)[-1]}")
        g.add((rdflib.URIRef(article), tg.suggestedTopic, node))
        g.add((node, rdflib.RDF.type, tg.TopicSuggestion))
        g.add((node, tg.topic, rdflib.URIRef(concept)))
        g.add((node, tg.score, _decimal(round(weight * idf(df), 3))))
        g.add((node, tg.rank, rdflib.Literal(rank)))
        for phrase, _ in evidence:
            g.add((node, tg.evidence, rdflib.Literal(phrase)))
    return g


# ------------------------------------------------------------------------------------------------- CLI
def test_cli_tag_files():
    result = CliRunner().invoke(cli, ["taxonomy", "tag", "seeds"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("seeds/000_e196614bccfeda88.txt: has curated topics; not tagged "
                        "(--include-tagged to tag it anyway)")
    i = lines.index(S004)
    assert lines[i + 1] == "  1. Medigy: Patient Experience  score 16  ('Patient Experience' x8)"
    assert lines[i + 3] == "  3. Gartner: Customer Experience  score 14  ('Customer Experience' x7)"


def test_cli_tag_json_and_store(seed_graph):
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["taxonomy", "tag", S003, "--json", "-k", "1"]).stdout)
    # tagged alone, N = 1 and idf = 1: scores are the weights, and the tie of 4 between Gartner CX and Medigy
    # Healthcare Consumer Engagement goes to the first by name
    assert data[0]["suggestions"] == [{"topic": "Gartner: Customer Experience",
                                       "concept": "https://w3id.org/topicgraph/taxonomy/gartner/customer-experience",
                                       "score": 4.0, "rank": 1, "weight": 4,
                                       "evidence": [{"phrase": "Customer Experience", "count": 2}]}]
    result = runner.invoke(cli, ["taxonomy", "tag", "--store", str(seed_graph), "--write"])
    assert result.exit_code == 0, result.output
    assert "untagged articles into <https://w3id.org/topicgraph/id/graph/suggestions>" in result.stderr
    bad = runner.invoke(cli, ["taxonomy", "tag", "--write", S003])
    assert bad.exit_code == 2 and "--write needs --store" in bad.output
    assert runner.invoke(cli, ["taxonomy", "tag"]).exit_code == 2


# ----------------------------------------------------------------------------------- profiles, corpus, did-you-mean
def _suggestions(result, name: str) -> list[dict]:
    return next(r for r in json.loads(result.stdout) if r["file"].endswith(name))["suggestions"]


def test_scores_come_from_the_stores_corpus_not_from_the_files_given(seed_graph):
    """With a build given, rarity is counted over its untagged articles: a file scores the same alone or with
    others (without one, over the files given, so the scores move with the selection)."""
    runner = CliRunner()
    alone = runner.invoke(cli, ["taxonomy", "tag", S004, "--store", str(seed_graph), "--json"])
    together = runner.invoke(cli, ["taxonomy", "tag", S002, S004, "--store", str(seed_graph), "--json"])
    everything = runner.invoke(cli, ["taxonomy", "tag", "seeds", "--store", str(seed_graph), "--json"])
    assert alone.exit_code == together.exit_code == everything.exit_code == 0, alone.output
    assert _suggestions(alone, S004) == _suggestions(together, S004) == _suggestions(everything, S004)
    assert _suggestions(alone, S004) == [s.to_dict() for s in suggest_store(seed_graph)[
        next(f for f in suggest_files([S004])).article]]
    # the score is the weight times the rarity over the build's three untagged articles
    first = _suggestions(alone, S004)[0]
    assert first["score"] == round(16 * idf(3), 3)
    # without a build the selection decides (the behaviour the store removes)
    plain_alone = runner.invoke(cli, ["taxonomy", "tag", S002, "--json"])
    plain_two = runner.invoke(cli, ["taxonomy", "tag", S002, S004, "--json"])
    assert _suggestions(plain_alone, S002) != _suggestions(plain_two, S002)
    assert "rarity over the FILES given" in runner.invoke(cli, ["taxonomy", "tag", S002]).stderr


def test_tag_reads_the_fields_the_profile_names(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("---\nid: p1\ntitle: Better customer experience\nauthor: Ann Lee\ndate: 2024-05-02\n"
                    "linkBrand: blog.example\nlink: https://blog.example/p1\n---\n"
                    "Customer experience starts at the front desk.\n", encoding="utf-8")
    profile = ROOT / "docs" / "examples" / "hugo-blog" / "profile.toml"
    runner = CliRunner()
    plain = runner.invoke(cli, ["taxonomy", "tag", str(post), "--json"])
    assert "link should be a mapping" in json.loads(plain.stdout)[0]["problem"]
    read = runner.invoke(cli, ["taxonomy", "tag", str(post), "--json", "--profile", str(profile)])
    (entry,) = json.loads(read.stdout)
    assert entry["problem"] is None and entry["record_id"] == "p1"
    assert [s["topic"] for s in entry["suggestions"]] == ["Gartner: Customer Experience"]
    # the profile's topic field counts as curated topics
    post.write_text(post.read_text(encoding="utf-8").replace("---\nCustomer", "categories: [CX]\n---\nCustomer"),
                    encoding="utf-8")
    tagged = runner.invoke(cli, ["taxonomy", "tag", str(post), "--profile", str(profile)])
    assert "has curated topics; not tagged" in tagged.stdout


def test_did_you_mean_only_what_a_person_would_accept(tmp_path):
    from topicgraph.validation import validate

    (tmp_path / "r.md").write_text(
        "---\nid: 1\ntitle: T\ndate: '2021-02-03'\nlink:\n  brand: e.com\n  href: https://e.com/1\ncommunityTopics:\n"
        "- 'Gartner: observational study'\n- 'Symplur: cloud'\n- 'Medigy: Patient Aquisition'\n"
        "---\nb\n", encoding="utf-8")
    report = validate([tmp_path], jobs=1, check_taxonomy=False, cache_dir=None)
    fixes = {f.field: f.fix for f in report.findings}
    assert "Conversational AI" not in fixes["communityTopics[0]"]
    assert "did you mean" not in fixes["communityTopics[0]"]
    assert "Opioid" not in fixes["communityTopics[1]"] and "COVID" not in fixes["communityTopics[1]"]
    assert fixes["communityTopics[2]"].startswith("did you mean 'Medigy: Patient Acquisition'?")
    assert "Patient Experience" not in fixes["communityTopics[2]"]
    assert len(report.findings) == 3
