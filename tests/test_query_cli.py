"""`topicgraph query`: options, output formats and error messages, in-process with click's CliRunner."""

from __future__ import annotations

import csv
import re
import io
import json

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from topicgraph.cli import cli

ID = "https://w3id.org/topicgraph/id/"
TAX = "https://w3id.org/topicgraph/taxonomy/"


@pytest.fixture(scope="module")
def store_dir(seed_build):
    return str(seed_build.out)


def run(*args, input=None):
    return CliRunner().invoke(cli, ["query", *args], input=input, catch_exceptions=False)


def test_list_shows_every_named_query_and_its_parameters():
    res = run("--list")
    assert res.exit_code == 0
    for name in ("articles-by-topic", "topics-by-vendor", "related-articles", "topic-cooccurrence",
                 "authors-by-topic", "brands-by-topic", "topic-timeline", "cross-vendor-mappings",
                 "untagged-articles", "unused-topics"):
        assert f"\n{name}\n" in "\n" + res.output
    assert "--param topic=... (iri, required)" in res.output
    assert "--param identifier=... (string, required)" in res.output
    listing = json.loads(run("--list", "--format", "json").output)
    timeline = next(q for q in listing if q["name"] == "topic-timeline")
    assert timeline["title"] == "A topic's monthly timeline"
    assert timeline["parameters"][0]["name"] == "topic"


def test_named_query_with_a_parameter_as_csv(store_dir):
    res = run("--store", store_dir, "--name", "articles-by-topic", "--param", "topic=tax:symplur/patient-experience",
              "--format", "csv")
    assert res.exit_code == 0, res.output
    table = list(csv.reader(io.StringIO(res.output)))
    assert table == [["article", "identifier", "headline", "published", "brand"],
                     [ID + "article/3896", "3896", "Customer Experience Automation - The Next Big Thing in "
                      "Healthcare?", "2020-12-05T06:30:54.34049Z", "managedhealthcareexecutive.com"]]


def test_table_output_shortens_iris(store_dir):
    res = run("--store", store_dir, "-n", "untagged-articles")
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0].split() == ["article", "identifier", "headline", "file"]
    assert lines[2].startswith("id:article/002-e2043c317a839aa3  002_e2043c317a839aa3")
    assert lines[-1] == "3 rows"


def test_sparql_text_file_and_stdin(store_dir, tmp_path):
    q = "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
    expected = "?name\n\"Kyra Hagan\"\n\"Sonalika Ghosh\"\n\"Vinit @maxinovip.com\"\n"
    assert run("--store", store_dir, q, "--format", "tsv").output == expected
    path = tmp_path / "people.rq"
    path.write_text(q, encoding="utf-8")
    assert run("--store", store_dir, "-f", str(path), "--format", "tsv").output == expected
    assert run("--store", store_dir, "-f", "-", "--format", "tsv", input=q).output == expected


def test_json_and_xml_results(store_dir):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:Article }"
    doc = json.loads(run("--store", store_dir, q, "--format", "json").output)
    assert doc["results"]["bindings"][0]["n"]["value"] == "5"
    xml = run("--store", store_dir, q, "--format", "xml").output
    parsed = rdflib.query.Result.parse(io.BytesIO(xml.encode()), format="xml")
    assert [int(r["n"]) for r in parsed] == [5]


def test_ask_and_construct(store_dir, tmp_path):
    assert run("--store", store_dir, "ASK { ?a schema:author/schema:name 'Kyra Hagan' }").output == "true\n"
    assert json.loads(run("--store", store_dir, "ASK { ?a a schema:Nothing }", "--format", "json").output) == {
        "head": {}, "boolean": False}
    out = tmp_path / "about.nt"
    res = run("--store", store_dir, "CONSTRUCT { ?a schema:about ?t } WHERE { ?a schema:about ?t ; "
              "schema:identifier '4463' }", "--format", "nt", "-o", str(out))
    assert res.exit_code == 0 and res.output == ""
    expected = rdflib.Graph()
    for topic in ("medigy/patient-acquisition", "gartner/customer-experience"):
        expected.add((rdflib.URIRef(ID + "article/4463"), rdflib.URIRef("http://schema.org/about"),
                      rdflib.URIRef(TAX + topic)))
    assert isomorphic(rdflib.Graph().parse(out, format="nt"), expected)
    ttl = run("--store", store_dir, "CONSTRUCT { ?a schema:about ?t } WHERE { ?a schema:about ?t ; "
              "schema:identifier '4463' }").output  # table means Turtle for RDF
    assert isomorphic(rdflib.Graph().parse(data=ttl, format="turtle"), expected)
    res = run("--store", store_dir, "CONSTRUCT WHERE { ?a schema:about ?t }", "--format", "csv")
    assert res.exit_code == 2 and "returns RDF" in res.output


def test_show_prints_the_named_query():
    res = run("--name", "topic-timeline", "--show")
    assert res.exit_code == 0
    assert res.output.startswith("# title: A topic's monthly timeline\n")
    assert "GROUP BY ?month" in res.output


def test_syntax_errors_and_unknown_prefixes_exit_2_with_the_place(store_dir):
    res = run("--store", store_dir, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }")
    assert res.exit_code == 2
    assert "Error: SPARQL syntax error at line 3, column 3" in res.output
    assert "  3 |   FILTER(?o = ) }" in res.output
    res = run("--store", store_dir, "SELECT * WHERE { ?s dc:title ?t }")
    assert res.exit_code == 2 and "unknown prefix 'dc:'" in res.output


def test_id_prefix_is_predeclared_as_the_builds_base_iri(store_dir):
    """Tables print ``id:article/4463``; the same prefix works in query text (with the ``/`` escaped)."""
    res = run("--store", store_dir, "--format", "csv", r"SELECT ?h WHERE { id:article\/4463 schema:headline ?h }")
    assert res.exit_code == 0, res.output
    assert list(csv.reader(io.StringIO(res.output))) == [["h"], ["Elevating the Consumer Experience in Healthcare"]]
    res = run("--store", store_dir, "SELECT * WHERE { ?s nope:p ?o }")
    assert res.exit_code == 2 and "unknown prefix 'nope:'" in res.output and "tax:, id:)" in res.output


@pytest.mark.parametrize("value, rows", [
    ('w="800"^^xsd:integer', [["img"], [ID + "article/4463#image"]]),
    ('w="800"^^<http://www.w3.org/2001/XMLSchema#integer>', [["img"], [ID + "article/4463#image"]]),
    ("w=800", [["img"]]),  # text from the command line is a string unless written as a typed literal
    ('w="800"', [["img"]]),
])
def test_param_typed_literals(store_dir, value, rows):
    res = run("--store", store_dir, "--format", "csv", "SELECT ?img WHERE { ?img schema:width ?w }", "--param", value)
    assert res.exit_code == 0, res.output
    assert list(csv.reader(io.StringIO(res.output))) == rows


@pytest.mark.parametrize("value, message", [
    ('w="eight"^^xsd:integer', "'eight' is not a valid xsd:integer"),
    ('w="8"^^foo:int', "the datatype 'foo:int' is not an IRI"),
    ('w="8', "is not a literal"),
])
def test_param_bad_literals_exit_2(store_dir, value, message):
    res = run("--store", store_dir, "SELECT ?img WHERE { ?img schema:width ?w }", "--param", value)
    assert res.exit_code == 2 and message in res.output, res.output


def test_param_language_tagged_literal(store_dir):
    res = run("--store", store_dir, "--format", "csv", "SELECT ?c WHERE { ?c skos:prefLabel ?l } ORDER BY ?c",
              "--param", 'l="Telehealth"@EN')
    assert res.exit_code == 0, res.output
    assert list(csv.reader(io.StringIO(res.output))) == [["c"], [TAX + "medigy/telehealth"],
                                                         [TAX + "symplur/telehealth"]]
    res = run("--store", store_dir, "SELECT ?c WHERE { ?c skos:prefLabel ?l }", "--param", "l=Telehealth")
    assert res.output.strip().endswith("0 rows")  # a plain string is not the language-tagged label


def test_service_load_and_updates_are_refused(store_dir):
    res = run("--store", store_dir, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert res.exit_code == 2 and "SERVICE is refused" in res.output
    for update in ("LOAD <http://127.0.0.1:9/x.ttl>", "INSERT DATA { <http://e/s> <http://e/p> 1 }"):
        res = run("--store", store_dir, update)
        assert res.exit_code == 2 and "updates are refused" in res.output


def test_usage_errors(store_dir, tmp_path):
    assert run("--store", store_dir).exit_code == 2
    res = run("--store", store_dir, "ASK {}", "--name", "topic-timeline")
    assert res.exit_code == 2 and "exactly one of" in res.output
    res = run("--store", store_dir, "ASK {}", "--graph", "http://e/g")
    assert res.exit_code == 2 and "--graph only applies with --endpoint" in res.output
    res = run("--store", store_dir, "-n", "topic-timeline", "--param", "topic")
    assert res.exit_code == 2 and "NAME=VALUE" in res.output
    res = run("--store", store_dir, "-n", "topic-timeline", "--param", "month=2021-02")
    assert res.exit_code == 2 and "no parameter 'month'" in res.output
    res = run("--store", str(tmp_path / "nothing"), "ASK {}")
    assert res.exit_code == 2 and "topicgraph build" in res.output


def test_endpoint_errors_are_messages_not_tracebacks():
    res = run("--endpoint", "http://127.0.0.1:9/sparql", "ASK {}", "--timeout", "2")
    assert res.exit_code == 2 and "cannot reach http://127.0.0.1:9" in res.output


def _doc_examples():
    """Every ```text block of docs/analysts.md that starts with `$ topicgraph query --name`."""
    import shlex

    from .conftest import ROOT

    text = (ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n(\$ topicgraph query --name[^\n]*)\n(.*?)```", text, re.DOTALL)
    return [(shlex.split(cmd[2:])[2:], body.rstrip("\n").split("\n")) for cmd, body in blocks]


def test_the_cookbook_shows_what_the_queries_answer(store_dir):
    """docs/analysts.md: each example prints exactly that on the seeds (a `…` line stands for rows left out)."""
    from topicgraph.queries import list_queries

    examples = _doc_examples()
    assert {args[1] for args, _ in examples} == {q.name for q in list_queries()}  # every query has an example
    for args, shown in examples:
        res = run("--store", store_dir, *args)
        assert res.exit_code == 0, res.output
        actual = res.output.rstrip("\n").split("\n")
        if "…" in shown:
            cut = shown.index("…")
            assert actual[:cut] == shown[:cut], args
            assert len(actual) > len(shown)
        else:
            assert actual == shown, args


def test_the_cookbook_shows_each_query_as_shipped():
    """docs/analysts.md: the SPARQL shown under each named query is the text of its .rq file (headers aside)."""
    from topicgraph.queries import list_queries

    from .conftest import ROOT

    text = (ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    shown = dict(re.findall(r"### \d+\. [^\n]*\(`([a-z-]+)`\)\n.*?```sparql\n(.*?)```", text, re.DOTALL))
    for q in list_queries():
        assert q.name in shown, f"docs/analysts.md has no section for {q.name}"
        shipped = "".join(line for line in q.sparql.splitlines(True) if not line.startswith("# "))
        assert shown[q.name] == shipped, f"docs/analysts.md shows an old text of {q.name}.rq"


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_reader_that_goes_away_stops_the_output_quietly(store_dir, unbuffered):
    """`topicgraph query ... | head -1`: exit 141 (as SIGPIPE would), no 'Broken pipe' error, with a buffered and
    an unbuffered (PYTHONUNBUFFERED=1: a raw stdout that writes part of a block and says so only by its return
    value) standard output. The answer (about 150 kB) is larger than a pipe holds, so the writer is still writing
    when the reader closes."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    proc = subprocess.Popen([sys.executable, "-m", "topicgraph", "query", "--store", store_dir,
                             "SELECT * WHERE { ?s ?p ?o }"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 141, stderr
    assert first == b"o         " and stderr == b""
    whole = subprocess.run([sys.executable, "-m", "topicgraph", "query", "--store", store_dir, "--format", "csv",
                            "SELECT * WHERE { ?s ?p ?o }"], capture_output=True, env=env, check=True)
    count = run("--store", store_dir, "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").output
    rows = list(csv.reader(io.StringIO(whole.stdout.decode("utf-8"), newline="")))
    assert len(whole.stdout) > 65536 and len(rows) == 1 + int(count.split()[1])  # a reader that stays gets it all


def test_a_query_file_that_is_not_utf8_is_a_message(store_dir, tmp_path):
    latin1 = tmp_path / "latin1.rq"
    latin1.write_bytes('SELECT * WHERE { ?s ?p "café" }'.encode("latin-1"))
    res = CliRunner().invoke(cli, ["query", "--store", store_dir, "-f", str(latin1)])
    assert res.exit_code == 2, res.output
    assert (f"Error: {latin1} is not UTF-8 text (byte 0xe9 at offset 27): save it as UTF-8, e.g. "
            f"`iconv -f latin1 -t utf-8 {latin1} > query.rq`") in res.output
    piped = CliRunner().invoke(cli, ["query", "--store", store_dir, "-f", "-"], input=latin1.read_bytes())
    assert piped.exit_code == 2 and "the query on standard input is not UTF-8 text" in piped.output
    bom = run("--store", store_dir, "-f", "-", input="\ufeffASK { ?s ?p ?o }".encode("utf-8"))
    assert bom.exit_code == 0 and bom.output == "true\n"  # a byte-order mark (Windows editors) is dropped
