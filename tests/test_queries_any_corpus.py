"""`topicgraph query` on a corpus that is not the seeds: required parameters list the store's own values, syntax
errors say what is missing, `--help` names every predeclared prefix, JSON ends with a newline."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli
from topicgraph.queries import (MissingParameter, QuerySyntaxError, example_params, get_query, list_queries,
                                run_named, run_query)


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated corpus built with its own taxonomy: topics the seeds never use."""
    root = tmp_path_factory.mktemp("anycorpus")
    corpus, taxonomy, out = root / "corpus", root / "taxonomy", root / "graph"
    res = invoke("generate", str(corpus), "-n", "60", "--seed", "5", "--taxonomy", str(taxonomy))
    assert res.exit_code == 0, res.output
    res = invoke("build", str(corpus), "--out", str(out), "--taxonomy", str(taxonomy), "-q", "--jobs", "1")
    assert res.exit_code in (0, 1), res.output  # warnings (unknown topics) are fine here
    return str(out)


def _listed(output: str) -> list[tuple[str, int]]:
    """(value, article count) of each line `  VALUE  Label (N articles)` of an error or listing."""
    return [(m.group(1), int(m.group(2))) for m in re.finditer(r"^\s+(?:e\.g\. )?(\S+)\s.*\((\d+) articles?\)$",
                                                               output, re.MULTILINE)]


def test_a_required_topic_left_out_lists_the_stores_most_used_topics(generated):
    res = invoke("query", "--store", generated, "--name", "articles-by-topic")
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert "needs --param topic=VALUE" in res.output
    listed = _listed(res.output)
    assert 1 <= len(listed) <= 10
    assert [n for _, n in listed] == sorted((n for _, n in listed), reverse=True)  # most used first
    assert "tax:medigy/patient-acquisition" not in res.output or listed[0][0] != "tax:medigy/patient-acquisition"
    # the counts are the store's own
    counts = {row["t"]: row["n"] for row in run_query(
        generated, "SELECT ?t (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a schema:about ?t } GROUP BY ?t").values()}
    best = max(counts.values())
    assert listed[0][1] == best
    # one of them, passed, gives rows
    topic = listed[0][0]
    res = invoke("query", "--store", generated, "--name", "articles-by-topic", "--param", f"topic={topic}",
                 "--format", "json")
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.output)["results"]["bindings"]) == best


def test_a_required_identifier_left_out_lists_articles(generated):
    res = invoke("query", "--store", generated, "--name", "related-articles")
    assert res.exit_code == 2 and "needs --param identifier=VALUE" in res.output
    lines = res.output.split("Some article identifiers in this store")[1].splitlines()[1:6]
    ident = lines[0].split()[0]
    assert ident != "4463"
    res = invoke("query", "--store", generated, "--name", "related-articles", "--param", f"identifier={ident}",
                 "--format", "csv")
    assert res.exit_code == 0 and len(res.output.splitlines()) > 1, res.output


def test_the_library_raises_the_same_error_with_choices(generated):
    with pytest.raises(MissingParameter) as info:
        run_named(generated, "topic-timeline")
    assert info.value.parameter.name == "topic" and info.value.choices
    assert get_query("articles-by-topic").parameters[0].required
    assert not get_query("authors-by-topic").parameters[0].required  # free: every topic


def test_every_named_query_runs_on_any_corpus_with_example_params(generated):
    for q in list_queries():
        params = example_params(generated, q.name)
        assert set(params) == {p.name for p in q.parameters if p.required}, q.name
        run_named(generated, q.name, params)
    assert run_named(generated, "articles-by-topic", example_params(generated, "articles-by-topic")).rows


def test_list_shows_required_parameters_and_example_values(generated):
    res = invoke("query", "--list", "--store", generated)
    assert res.exit_code == 0
    assert "--param topic=... (iri, required)" in res.output
    assert _listed(res.output)  # example topics with their counts, from this store
    doc = json.loads(invoke("query", "--list", "--store", generated, "--format", "json").output)
    topic = next(q for q in doc if q["name"] == "articles-by-topic")["parameters"][0]
    assert topic["required"] is True and topic["examples"]


@pytest.mark.parametrize(("query", "words", "where"), [
    ("SELECT * WHERE { ?s ?p }", "`?s ?p` has no object", (1, 24)),
    ("SELECT * WHERE { ?s }", "`?s` has no predicate and no object", (1, 21)),
    ("SELECT * WHERE {\n  ?s schema:name ?n\n  ?s schema:about ?t\n}", "a `.` is missing between two triple", (3, 3)),
    ("SELECT * WHERE {\n ?s ?p ?o ", "the `{` opened at line 1, column 16 is never closed: add `}`", (2, 11)),
    ("SELECT * WHERE { ?s ?p ?o } }", "this `}` closes nothing", (1, 29)),
    ("SELECT * WHERE { ?s ?p ?o OPTINAL { ?s ?q ?r } }", "`OPTINAL` is not a SPARQL keyword: did you mean OPTIONAL?",
     (1, 27)),
    ("SELCT * WHERE { ?s ?p ?o }", "did you mean SELECT?", (1, 1)),
    ("SELECT * WHERE { ?s ?p ?o } ORDR BY ?s", "did you mean ORDER?", (1, 29)),
])
def test_a_syntax_error_says_what_is_missing(generated, query, words, where):
    with pytest.raises(QuerySyntaxError) as info:
        run_query(generated, query)
    assert (info.value.line, info.value.col) == where
    text = str(info.value)
    assert words in text
    assert "(the parser said: expected" in text  # pyoxigraph's own words kept after ours
    assert any(re.fullmatch(r"\s+\| +\^", line) for line in text.splitlines())  # the caret under the place
    res = invoke("query", "--store", generated, query)
    assert res.exit_code == 2 and words in res.output and "Traceback" not in res.output


def test_an_unknown_prefix_lists_the_predeclared_ones(generated):
    res = invoke("query", "--store", generated, "SELECT * WHERE { ?s foaf:name ?o }")
    assert res.exit_code == 2
    assert "unknown prefix 'foaf:'" in res.output
    assert "schema:, skos:, dcterms:, prov:, xsd:, rdf:, rdfs:, tg:, tax:, id:" in res.output


def test_help_names_id_with_the_other_predeclared_prefixes():
    res = invoke("query", "--help")
    assert res.exit_code == 0
    text = " ".join(res.output.split())
    assert "tg:, tax: and id:" in text


def test_json_output_ends_with_a_newline(generated, tmp_path):
    res = invoke("query", "--store", generated, "SELECT ?s WHERE { ?s a schema:Article } LIMIT 2", "--format",
                 "json")
    assert res.exit_code == 0 and res.output.endswith("}\n")
    assert invoke("query", "--store", generated, "ASK { ?s ?p ?o }", "--format", "json").output == \
        '{"head":{},"boolean":true}\n'
    out = tmp_path / "r.json"
    invoke("query", "--store", generated, "ASK { ?s ?p ?o }", "--format", "json", "-o", str(out))
    assert out.read_bytes().endswith(b"}\n")
