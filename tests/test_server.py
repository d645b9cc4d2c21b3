"""`topicgraph serve`: the read-only SPARQL 1.1 Protocol endpoint, tried with plain HTTP and real clients
(SPARQLWrapper, rdflib's SPARQLStore, our own `query --endpoint`), and as a real `topicgraph serve` process."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib
from rdflib.compare import isomorphic

from topicgraph.queries import Endpoint, example_params, list_queries, run_named, run_query
from topicgraph.server import ServerSettings, SparqlServer

from .test_queries import _Listener

ID = "https://w3id.org/topicgraph/id/"
pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(seed_build):
    with SparqlServer(seed_build.out, port=0, settings=ServerSettings(timeout=3, max_rows=1000, workers=2)) as s:
        yield s


def http(url, *, query=None, method="GET", accept=None, body=None, ctype=None, params=None):
    """One request; returns (status, content type, body bytes) for errors too."""
    fields = dict(params or {})
    if query is not None:
        fields["query"] = query
    headers = {}
    if accept:
        headers["Accept"] = accept
    if method == "GET":
        req = urllib.request.Request(url + ("?" + urllib.parse.urlencode(fields) if fields else ""), headers=headers)
    else:
        data = body if body is not None else urllib.parse.urlencode(fields).encode()
        headers["Content-Type"] = ctype or "application/x-www-form-urlencoded"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:Article }"


def test_bound_to_loopback_by_default(server):
    assert server.httpd.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


def test_get_and_both_kinds_of_post(server):
    for status, ctype, body in (http(server.url, query=COUNT),
                                http(server.url, query=COUNT, method="POST"),
                                http(server.url, method="POST", body=COUNT.encode(), ctype="application/sparql-query")):
        assert (status, ctype) == (200, "application/sparql-results+json")
        assert json.loads(body)["results"]["bindings"] == [
            {"n": {"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


@pytest.mark.parametrize("accept,ctype,fmt", [
    ("application/sparql-results+json", "application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ("text/csv", "text/csv; charset=utf-8", "csv"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "tsv"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", "xml"),
    ("text/html, */*;q=0.1", "application/sparql-results+json", "json"),
])
def test_content_negotiation_for_results(server, accept, ctype, fmt):
    status, got, body = http(server.url, query=COUNT, accept=accept)
    assert (status, got) == (200, ctype)
    parsed = rdflib.query.Result.parse(io.BytesIO(body), format=fmt)
    assert [int(r["n"]) for r in parsed] == [5]


def test_format_parameter_and_not_acceptable(server):
    status, ctype, _ = http(server.url, query=COUNT, params={"format": "csv"}, accept="application/json")
    assert (status, ctype) == (200, "text/csv; charset=utf-8")
    status, _, body = http(server.url, query=COUNT, accept="text/html")
    assert status == 406 and b"application/sparql-results+json" in body


@pytest.mark.parametrize("accept,rdflib_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                  ("application/ld+json", "json-ld"),
                                                  ("application/rdf+xml", "xml")])
def test_construct_returns_rdf(server, seed_build, accept, rdflib_format):
    q = "CONSTRUCT { ?a schema:about ?t } WHERE { ?a schema:about ?t }"
    status, ctype, body = http(server.url, query=q, accept=accept)
    assert (status, ctype) == (200, accept)
    expected = rdflib.Graph()
    for t in run_query(seed_build.store, q).triples:
        expected.add((rdflib.URIRef(t.subject.value), rdflib.URIRef(t.predicate.value), rdflib.URIRef(t.object.value)))
    assert len(expected) == 5
    assert isomorphic(rdflib.Graph().parse(data=body, format=rdflib_format), expected)


def test_sparqlwrapper_client(server):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    sw = SPARQLWrapper(server.url)
    sw.setQuery("PREFIX schema: <http://schema.org/> SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } "
                "ORDER BY ?name")
    sw.setReturnFormat(JSON)
    names = [b["name"]["value"] for b in sw.query().convert()["results"]["bindings"]]
    assert names == ["Kyra Hagan", "Sonalika Ghosh", "Vinit @maxinovip.com"]
    sw.setMethod(POST)
    sw.setQuery("ASK { ?a <http://schema.org/about> ?t }")
    assert sw.query().convert()["boolean"] is True
    sw.setQuery("CONSTRUCT WHERE { ?p a <http://schema.org/Person> }")
    from SPARQLWrapper import TURTLE

    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) == 3


def test_rdflib_sparqlstore_client(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(server.url, returnFormat="json"))
    rows = g.query("PREFIX schema: <http://schema.org/> SELECT ?b (COUNT(?a) AS ?n) WHERE { ?a schema:publisher ?b } "
                   "GROUP BY ?b ORDER BY ?b")
    assert [(str(r.b), int(r.n)) for r in rows] == [(ID + "brand/healthtechmagazines.com", 1),
                                                    (ID + "brand/managedhealthcareexecutive.com", 1)]


def test_named_queries_answer_the_same_through_the_endpoint(server, seed_build):
    for q in list_queries():
        params = example_params(seed_build.store, q.name)
        local = run_named(seed_build.store, q.name, params)
        remote = run_named(Endpoint(server.url), q.name, params)
        assert (remote.variables, remote.rows) == (local.variables, local.rows), q.name


def test_updates_load_and_service_are_refused(server):
    listener = _Listener()
    try:
        for status, _, body in (
                http(server.url, params={"update": "INSERT DATA { <http://e/s> <http://e/p> 1 }"}, method="POST"),
                http(server.url, method="POST", body=b"CLEAR ALL", ctype="application/sparql-update"),
                http(server.url, query=f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>"),
                http(server.url, query=f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/s> "
                                       "{ ?s ?p ?o } }"),
                http(server.url, query="SELECT * WHERE { ?s ?p ?o # SERVICE\n"
                                       f"OPTIONAL {{ service <http://127.0.0.1:{listener.port}/s> {{ ?s ?q ?r }} }} }}")):
            assert status == 403, body
            assert b"read-only" in body
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()
    assert http(server.url, method="PUT", body=b"<http://e/s> <http://e/p> 1 .", ctype="text/turtle")[0] == 405
    assert http(server.url, query=COUNT)[0] == 200  # and nothing changed


def test_syntax_errors_are_400_with_the_place(server):
    status, _, body = http(server.url, query="SELECT * WHERE {\n ?s ?p ?o ")
    assert status == 400
    assert b"line 2, column 11" in body and b"  2 |  ?s ?p ?o" in body


def test_result_size_limit(server):
    status, _, body = http(server.url, query="SELECT * WHERE { ?s ?p ?o }")  # 1215 rows > 1000
    assert status == 413 and b"more than 1000 rows" in body
    status, _, body = http(server.url, query="SELECT * WHERE { ?s ?p ?o } LIMIT 1000", accept="text/csv")
    assert status == 200 and body.count(b"\r\n") == 1001


def test_time_limit_answers_503_then_keeps_serving(server):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1215^3 rows
    started = time.monotonic()
    status, ctype, body = http(server.url, query=heavy)
    took = time.monotonic() - started
    assert status == 503 and ctype.startswith("text/plain")
    assert b"more than 3 s" in body and b"time limit" in body
    assert 2.5 < took < 15
    assert http(server.url, query=COUNT)[0] == 200


def test_service_description_and_unknown_paths(server):
    status, ctype, body = http(server.url)
    assert status == 200 and ctype.startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(server.url)) in g
    assert http(server.url.replace("/sparql", "/nothing"), query=COUNT)[0] == 404


def test_the_serve_command_runs_a_real_endpoint(seed_build):
    """`topicgraph serve` as its own process: it says where it listens, answers, and stops on SIGINT."""
    proc = subprocess.Popen([sys.executable, "-c", "from topicgraph.cli import main; main()", "serve", "--store", str(seed_build.out),
                             "--port", "0", "--quiet", "--timeout", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        m = re.search(r"at (http://127\.0\.0\.1:\d+/sparql)", line)
        assert m, line + proc.stderr.read()
        status, _, body = http(m.group(1), query=COUNT, accept="text/csv")
        assert (status, body) == (200, b"n\r\n5\r\n")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    assert proc.returncode == 0


def test_our_endpoint_client_reads_every_query_form(server, seed_build):
    from topicgraph.queries import QuerySyntaxError

    ep = Endpoint(server.url)
    assert run_query(ep, "ASK { ?a a schema:Article }").boolean is True
    construct = "CONSTRUCT { ?a schema:about ?t } WHERE { ?a schema:about ?t }"
    remote = run_query(ep, construct)
    assert remote.form == "CONSTRUCT" and set(remote.triples) == set(run_query(seed_build.store, construct).triples)
    described = run_query(ep, f"DESCRIBE <{ID}person/kyra-hagan>")
    assert len(described) == 2
    with pytest.raises(QuerySyntaxError) as info:  # found before sending, with the place
        run_query(ep, "SELECT * WHERE {\n ?s ?p ?o ")
    assert (info.value.line, info.value.col) == (2, 11)
