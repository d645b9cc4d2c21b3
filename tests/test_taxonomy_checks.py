"""topicgraph.taxonomy.checks and `topicgraph taxonomy check`: every SKOS integrity rule on a broken taxonomy,
reported at the file and line that states the problem; the shipped taxonomy is clean."""

from __future__ import annotations

import json

import pyoxigraph
import pytest
from click.testing import CliRunner

from topicgraph.cli import cli
from topicgraph.errors import Severity
from topicgraph.shacl import TurtleLines
from topicgraph.taxonomy.checks import CHECKS, check_taxonomy, load_store, run_checks

from .conftest import DATA

BROKEN = DATA / "broken" / "taxonomy"
DEMO, MAPS = "tests/data/broken/taxonomy/demo.ttl", "tests/data/broken/taxonomy/mappings.ttl"
D = "https://w3id.org/topicgraph/taxonomy/demo/"
E, W = Severity.ERROR, Severity.WARNING

# (rule, file, line, focus node, severity): lines are those of the statement at fault in the fixture files
EXPECTED = {
    ("skos.dangling-concept", DEMO, 14, "https://w3id.org/topicgraph/taxonomy/demo", E),
    ("skos.top-concepts", DEMO, 14, D + "ghost", W),  # described nowhere: where it is named
    ("skos.mapping-clash", DEMO, 45, D + "child", E),
    ("skos.pref-label-per-language", DEMO, 50, D + "two-prefs", E),
    ("skos.pref-alt-clash", DEMO, 59, D + "clash", E),
    ("skos.alt-label-repeated", DEMO, 68, D + "alts", W),
    ("skos.pref-label-unique", DEMO, 83, D + "same-2", E),
    ("skos.label-unique", DEMO, 92, D + "alt-dup", E),
    ("skos.broader-cycle", DEMO, 103, D + "loop-a", E),
    ("skos.broader-cycle", DEMO, 110, D + "loop-b", E),
    ("skos.hierarchy-inverse", DEMO, 103, D + "loop-a", W),
    ("skos.hierarchy-inverse", DEMO, 110, D + "loop-b", W),
    ("skos.hierarchy-inverse", DEMO, 118, D + "one-way", W),
    ("skos.hierarchy-inverse", DEMO, 148, D + "across", W),
    ("skos.undocumented", DEMO, 121, D + "undocumented", W),
    ("skos.orphan", DEMO, 128, D + "orphan", W),
    ("skos.top-concepts", DEMO, 128, D + "orphan", W),
    ("skos.top-concepts", DEMO, 135, D + "two-schemes", W),
    ("skos.one-scheme", DEMO, 139, D + "two-schemes", E),
    ("skos.dangling-scheme", DEMO, 139, D + "two-schemes", E),
    ("skos.hierarchy-across-schemes", DEMO, 148, D + "across", E),
    ("skos.stray-subject", DEMO, 151, "https://example.org/stray", W),
    ("skos.scheme-label-unique", DEMO, 156, "https://w3id.org/topicgraph/taxonomy/demo-twin", E),
    ("skos.exact-match-in-scheme", MAPS, 9, D + "same-1", E),
    ("skos.exact-match-in-scheme", MAPS, 11, D + "same-2", E),
    ("skos.mapping-in-scheme", MAPS, 9, D + "same-1", E),
    ("skos.mapping-in-scheme", MAPS, 11, D + "same-2", E),
    ("skos.mapping-inverse", MAPS, 15, D + "child", W),
    ("skos.mapping-clash", MAPS, 19, D + "clash", E),
    ("skos.mapping-clash", MAPS, 22, "https://w3id.org/topicgraph/taxonomy/other/x", E),
}


@pytest.fixture(scope="module")
def broken():
    return check_taxonomy(BROKEN)


def test_every_rule_found_where_it_is_broken(broken):
    got = {(f.rule, f.file, f.line, f.node, f.severity) for f in broken if f.rule.startswith("skos.")}
    assert got == EXPECTED
    assert {c.rule for c in CHECKS} == {e[0] for e in EXPECTED}  # every check has a case here


def test_shacl_results_on_the_taxonomy_are_located_too(broken):
    got = {(f.rule, f.file, f.line) for f in broken if f.rule.startswith("tgsh:")}
    assert got == {("tgsh:ConceptScheme-hasTopConcept", DEMO, 14), ("tgsh:Concept-related", DEMO, 45),
                   ("tgsh:Concept-prefLabel", DEMO, 50), ("tgsh:Concept-inScheme", DEMO, 139),
                   ("tgsh:Concept-relatedMatch", MAPS, 19), ("tgsh:Concept-relatedMatch", MAPS, 22)}


def test_messages_name_the_nodes_and_say_what_to_do(broken):
    by = {(f.rule, f.node): f for f in broken}
    f = by[("skos.pref-label-unique", D + "same-2")]
    assert f.message == 'demo:same-2 has the prefLabel "same"@en, which demo:same-1 of the same scheme has too'
    assert f.fix == "rename one of them, or merge the two concepts" and f.field == "skos:prefLabel"
    f = by[("skos.dangling-concept", "https://w3id.org/topicgraph/taxonomy/demo")]
    assert f.message == "tax:demo skos:hasTopConcept demo:ghost, which is not a concept of the taxonomy"


def test_shipped_taxonomy_is_clean():
    assert check_taxonomy() == []


def test_run_checks_rows():
    store = load_store(sorted(BROKEN.glob("*.ttl")))
    rows = [(c.rule, row["focus"].value) for c, row in run_checks(store) if c.rule == "skos.broader-cycle"]
    assert sorted(rows) == [("skos.broader-cycle", D + "loop-a"), ("skos.broader-cycle", D + "loop-b")]
    assert all(isinstance(row["focus"], pyoxigraph.NamedNode) for _, row in run_checks(store))


def test_turtle_lines():
    t = TurtleLines('@prefix ex: <https://e.org/> .\nex:a a ex:T ;\n    ex:p "x" .\n<https://e.org/b>\n  ex:q 1 .\n')
    assert (t.line("https://e.org/a"), t.line("https://e.org/a", "https://e.org/p"),
            t.line("https://e.org/b", "https://e.org/q"), t.line("https://e.org/a",
                                                                 "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")) \
        == (2, 3, 5, 2)
    assert t.shorten("https://e.org/a") == "ex:a"


def test_cli_check_exit_codes_and_formats():
    runner = CliRunner()
    clean = runner.invoke(cli, ["taxonomy", "check"])
    assert clean.exit_code == 0, clean.output
    assert clean.output.strip().splitlines()[-1].startswith("passed: 4 files checked")
    bad = runner.invoke(cli, ["taxonomy", "check", "--taxonomy", str(BROKEN), "--format", "json"])
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    assert {(f["rule"], f["file"], f["line"]) for f in data["findings"] if f["rule"].startswith("skos.")} == \
        {(r, fi, li) for r, fi, li, _, _ in EXPECTED}
    only_sparql = runner.invoke(cli, ["taxonomy", "check", "--taxonomy", str(BROKEN), "--no-shacl", "-f", "json"])
    assert not [f for f in json.loads(only_sparql.stdout)["findings"] if f["rule"].startswith("tgsh:")]
    missing = runner.invoke(cli, ["taxonomy", "check", "--taxonomy", "no/such/dir"])
    assert missing.exit_code == 2


def test_cli_check_only_warnings_fails_with_strict(tmp_path):
    (tmp_path / "t.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix tax: <https://w3id.org/topicgraph/taxonomy/> .\n"
        'tax:t a skos:ConceptScheme ; skos:prefLabel "T"@en ; skos:definition "A scheme."@en ;\n'
        "    skos:hasTopConcept <https://w3id.org/topicgraph/taxonomy/t/a> .\n"
        '<https://w3id.org/topicgraph/taxonomy/t/a> a skos:Concept ; skos:prefLabel "A"@en ;\n'
        "    skos:inScheme tax:t ; skos:topConceptOf tax:t .\n")
    runner = CliRunner()
    lenient = runner.invoke(cli, ["taxonomy", "check", "--taxonomy", str(tmp_path)])
    assert lenient.exit_code == 0, lenient.output
    assert "skos.undocumented" in lenient.output and "t.ttl" in lenient.output
    strict = runner.invoke(cli, ["taxonomy", "check", "--taxonomy", str(tmp_path), "--strict"])
    assert strict.exit_code == 1
