"""`topicgraph push` into real servers on 127.0.0.1 (Oxigraph from PyPI; Virtuoso from Debian where installed),
then `query --endpoint` back: the same named queries give the same answers as the embedded store."""

from __future__ import annotations

import shutil
import urllib.parse
import urllib.request
from datetime import datetime

import pyoxigraph
import pytest
from click.testing import CliRunner

import topicgraph
from topicgraph.cli import cli
from topicgraph.queries import Endpoint, example_params, list_queries, run_named, run_query
from topicgraph.server import EndpointError, push

from .conftest import SEEDS
from .servers import UNION, oxigraph, oxigraph_plain, virtuoso  # noqa: F401 - fixtures

ID = "https://w3id.org/topicgraph/id/"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
pytestmark = pytest.mark.server


def canonical(term):
    """A term as a comparable value: xsd:dateTime by the instant it names (Virtuoso rewrites .34049 as .340490)."""
    if isinstance(term, pyoxigraph.Literal) and term.datatype.value == XSD_DATETIME:
        return ("dateTime", datetime.fromisoformat(term.value))
    return term


def same_answers(local, remote) -> None:
    assert remote.variables == local.variables
    assert [{k: canonical(v) for k, v in r.items()} for r in remote.rows] == \
           [{k: canonical(v) for k, v in r.items()} for r in local.rows]


def server_quads(store_url: str) -> set:
    """Everything an Oxigraph server holds, fetched through its Graph Store endpoint as N-Quads."""
    req = urllib.request.Request(store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return set(pyoxigraph.parse(resp.read(), format=pyoxigraph.RdfFormat.N_QUADS))


def store_quads(store) -> set:
    return set(store.ox.quads_for_pattern(None, None, None, None))


def graph_counts(endpoint: Endpoint) -> list[tuple[str, int]]:
    q = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
         "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/topicgraph/')) } GROUP BY ?g ORDER BY STR(?g)")
    return [(r["g"], r["n"]) for r in run_query(Endpoint(endpoint.url, user=endpoint.user), q).values()]


# ------------------------------------------------------------------------------------------------ Oxigraph
def test_push_to_oxigraph_twice_holds_exactly_the_build(oxigraph, seed_build):
    store = seed_build.store
    first = push(store, oxigraph.store_url)
    assert first.graphs == len(store.named_graphs()) == 7
    assert first.triples == len(store) and first.requests == 7
    assert server_quads(oxigraph.store_url) == store_quads(store)
    push(store, oxigraph.store_url)  # again: every graph replaced, nothing added
    assert server_quads(oxigraph.store_url) == store_quads(store)


def test_named_queries_read_back_from_oxigraph(oxigraph, seed_build):
    push(seed_build.store, oxigraph.store_url)
    for q in list_queries():
        params = example_params(seed_build.store, q.name)
        same_answers(run_named(seed_build.store, q.name, params),
                     run_named(Endpoint(oxigraph.query_url), q.name, params))
    # parameters travel as VALUES: the same bindings on both sides
    params = {"topic": "tax:gartner/customer-experience"}
    same_answers(run_named(seed_build.store, "articles-by-topic", params),
                 run_named(Endpoint(oxigraph.query_url), "articles-by-topic", params))


def test_a_changed_record_replaces_its_graph(oxigraph, seed_build, tmp_path):
    """Rebuild with one record's title changed and push: the server holds the new title only."""
    src = tmp_path / "seeds"
    shutil.copytree(SEEDS, src)
    path = src / "000_e196614bccfeda88.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Elevating the Consumer Experience in Healthcare",
                                 "title: A New Title", 1), encoding="utf-8")
    changed = topicgraph.build([src], out=tmp_path / "graph", jobs=1)
    push(seed_build.store, oxigraph.store_url)
    push(changed.store, oxigraph.store_url)
    q = "SELECT ?h WHERE { ?a schema:identifier '4463' ; schema:headline ?h }"
    assert run_query(Endpoint(oxigraph.query_url), q).column("h") == ["A New Title"]
    assert server_quads(oxigraph.store_url) == store_quads(changed.store)
    push(seed_build.store, oxigraph.store_url)
    assert run_query(Endpoint(oxigraph.query_url), q).column("h") == [
        "Elevating the Consumer Experience in Healthcare"]


def test_chunked_push_sends_the_same_data(oxigraph, seed_build):
    report = push(seed_build.store, oxigraph.store_url, chunk_size=100, jobs=2)
    assert report.requests > report.graphs  # the taxonomy graph alone needs a dozen requests
    assert server_quads(oxigraph.store_url) == store_quads(seed_build.store)


def test_union_graph_on_a_plain_default_graph_server(oxigraph_plain, seed_build):
    """Without --union-default-graph the default graph is empty; push --graph writes the union for queries."""
    push(seed_build.store, oxigraph_plain.store_url, graph=UNION)
    assert run_query(Endpoint(oxigraph_plain.query_url), "ASK { ?a a schema:Article }").boolean is False
    endpoint = Endpoint(oxigraph_plain.query_url, graph=UNION)
    for q in list_queries():
        params = example_params(seed_build.store, q.name)
        same_answers(run_named(seed_build.store, q.name, params), run_named(endpoint, q.name, params))
    again = push(seed_build.store, oxigraph_plain.store_url, graph=UNION)
    assert again.union_graph == UNION
    n = run_query(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").values()[0]["n"]
    assert n == len(seed_build.store)  # the union holds each triple once, however often it is pushed
    with pytest.raises(topicgraph.TopicgraphError, match="one of the build's own named graphs"):
        push(seed_build.store, oxigraph_plain.store_url, graph=ID + "graph/entities")


def test_push_and_query_commands(oxigraph, seed_build):
    runner = CliRunner()
    res = runner.invoke(cli, ["push", "--store", str(seed_build.out), "--endpoint", oxigraph.store_url, "-q"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"Replaced 7 graphs at {oxigraph.store_url}: {len(seed_build.store)} triples")
    res = runner.invoke(cli, ["query", "--endpoint", oxigraph.query_url, "-n", "topic-timeline", "--param",
                                 "topic=tax:medigy/patient-acquisition", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout_bytes == b"month,articles\r\n2020-12,1\r\n2021-02,1\r\n"
    res = runner.invoke(cli, ["push", "--store", str(seed_build.out), "--endpoint", "http://127.0.0.1:9/store"])
    assert res.exit_code == 2 and "cannot reach http://127.0.0.1:9" in res.output


# ------------------------------------------------------------------------------------------------ Virtuoso
def test_push_to_virtuoso_and_query_back(virtuoso, seed_build):
    store = seed_build.store
    kw = {"user": virtuoso.user, "password": virtuoso.password}
    push(store, virtuoso.store_url, graph=UNION, **kw)  # digest authentication, as Virtuoso wants for writes
    counts = graph_counts(Endpoint(virtuoso.query_url))
    expected = sorted([(g, sum(1 for _ in store.ox.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(g))))
                       for g in store.named_graphs()] + [(UNION, len(store))])
    assert counts == expected
    push(store, virtuoso.store_url, graph=UNION, **kw)  # twice: nothing duplicated
    assert graph_counts(Endpoint(virtuoso.query_url)) == expected
    endpoint = Endpoint(virtuoso.query_url, graph=UNION)
    for q in list_queries():
        params = example_params(store, q.name)
        same_answers(run_named(store, q.name, params), run_named(endpoint, q.name, params))
    params = {"identifier": "3896"}
    same_answers(run_named(store, "related-articles", params), run_named(endpoint, "related-articles", params))


def test_virtuoso_wants_credentials_to_write(virtuoso, seed_build):
    with pytest.raises(EndpointError, match="wants a user name and password"):
        push(seed_build.store, virtuoso.store_url)
    with pytest.raises(EndpointError, match="refused the user name or password"):
        push(seed_build.store, virtuoso.store_url, user="dba", password="wrong")


def test_virtuoso_row_cap_is_paged_through(virtuoso, seed_build):
    """Virtuoso stops at 10,000 rows (ResultSetMaxRows); we page with LIMIT/OFFSET, or warn when we cannot."""
    push(seed_build.store, virtuoso.store_url, graph=UNION, user=virtuoso.user, password=virtuoso.password)
    concepts = run_query(seed_build.store, "SELECT (COUNT(*) AS ?n) WHERE { ?c a skos:Concept }").values()[0]["n"]
    assert concepts ** 2 > 10_000
    pairs = "SELECT ?a ?b WHERE { ?a a skos:Concept . ?b a skos:Concept } ORDER BY ?a ?b"
    endpoint = Endpoint(virtuoso.query_url, graph=UNION)
    result = run_query(endpoint, pairs)
    assert len(result) == concepts ** 2 and not result.warnings
    assert len({(r["a"].value, r["b"].value) for r in result.rows}) == concepts ** 2
    unordered = pairs.split(" ORDER BY")[0]
    assert len(run_query(endpoint, unordered)) == concepts ** 2
    capped = run_query(endpoint, unordered + " LIMIT 20000")  # an explicit LIMIT: we cannot page, so we warn
    assert len(capped) == 10_000 and "X-SPARQL-MaxRows" in capped.warnings[0]


# ------------------------------------------------------------------------- digest authentication, no server
class _DigestGraphStore:
    """A tiny Graph Store on 127.0.0.1 that wants RFC 2617 digest authentication, and records what it gets."""

    def __init__(self, user: str, password: str) -> None:
        import hashlib
        import re
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        store = self
        self.received: list[tuple[str, str, str, bytes]] = []
        self.challenges = 0

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _authorized(self) -> bool:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Digest "):
                    return False
                p = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header[7:])}
                ha1, ha2 = md5(f"{user}:test:{password}"), md5(f"{self.command}:{p.get('uri')}")
                expected = md5(f"{ha1}:n0nce:{p.get('nc')}:{p.get('cnonce')}:auth:{ha2}")
                return p.get("uri") == self.path and p.get("response") == expected and p.get("qop") == "auth"

            def _write(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not self._authorized():
                    store.challenges += 1
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Digest realm="test", nonce="n0nce", qop="auth"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [""])[0]
                store.received.append((self.command, graph, self.headers.get("Content-Type"), body))
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PUT = do_POST = _write

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/gsp"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_push_answers_a_digest_challenge(seed_build):
    fake = _DigestGraphStore("dba", "s3cret")
    try:
        report = push(seed_build.store, fake.url, user="dba", password="s3cret", jobs=1)
        assert report.requests == 7 and fake.challenges == 1  # one challenge, then every request signed
        assert sorted(g for _, g, _, _ in fake.received) == seed_build.store.named_graphs()
        for method, graph, ctype, body in fake.received:
            assert method == "PUT" and ctype.startswith("text/turtle")
            sent = {q.triple for q in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES)}
            held = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in
                    seed_build.store.ox.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph))}
            assert sent == held
        with pytest.raises(EndpointError, match="refused the user name or password"):
            push(seed_build.store, fake.url, user="dba", password="wrong", jobs=1)
    finally:
        fake.close()
