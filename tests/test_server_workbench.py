"""The workbench over HTTP: resource pages by content negotiation (a CBD in Turtle, N-Triples, JSON-LD), 404 for an
unknown IRI, hostile input (labels, IRIs, page numbers) answered without a traceback, updates refused everywhere,
the named-query route equal to the plain SPARQL, and the vendored assets equal to what their README pins."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

import topicgraph
from topicgraph.queries import run_named
from topicgraph.server import ServerSettings, SparqlServer
from topicgraph.store import GraphStore

ASSETS = Path(topicgraph.__file__).parent / "server" / "assets"
TOPIC = "https://w3id.org/topicgraph/taxonomy/medigy/patient-acquisition"
ARTICLE = "https://w3id.org/topicgraph/id/article/4463"
PERSON = "https://w3id.org/topicgraph/id/person/sonalika-ghosh"
SCHEME = "https://w3id.org/topicgraph/taxonomy/medigy"


@pytest.fixture(scope="module")
def server(seed_build):
    with SparqlServer(seed_build.out, port=0, settings=ServerSettings(workers=1)) as srv:
        yield srv


def get(server, path: str, *, accept: str | None = None, method: str = "GET", data: bytes | None = None,
        headers: dict | None = None):
    url = server.url.removesuffix("/sparql") + path
    req = urllib.request.Request(url, data=data, method=method, headers={**({"Accept": accept} if accept else {}),
                                                                         **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def resource(iri: str, **extra) -> str:
    return "/resource?" + urllib.parse.urlencode({"iri": iri, **extra})


def own_statements(seed_build, iri: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o in GraphStore.open(seed_build.out).to_rdflib_graph().triples((rdflib.URIRef(iri), None, None)):
        g.add((s, p, o))
    return g


@pytest.mark.parametrize("iri", [TOPIC, ARTICLE, PERSON, SCHEME])
@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld")])
def test_resource_rdf_by_accept_holds_its_statements(server, seed_build, iri, accept, fmt):
    status, headers, body = get(server, resource(iri), accept=accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    got = rdflib.Graph().parse(data=body, format=fmt)
    expected = own_statements(seed_build, iri)
    assert len(expected) >= 2
    # the CBD: every statement about the resource (no blank nodes in these), nothing else
    assert isomorphic(got, expected)


def test_resource_html_for_browsers_with_csp(server):
    for iri, kind in [(TOPIC, "topic"), (ARTICLE, "article"), (PERSON, "author"), (SCHEME, "scheme")]:
        status, headers, body = get(server, resource(iri), accept="text/html,application/xhtml+xml,*/*;q=0.8")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert "script-src 'none'" in headers["Content-Security-Policy"]
        assert f'<p class="kind">{kind}</p>' in body.decode()
        assert b"<script" not in body
    body = get(server, resource(TOPIC))[2].decode()
    assert "<h1>Patient Acquisition</h1>" in body and "Monthly timeline" in body and "<svg" in body
    assert "Elevating the Consumer Experience in Healthcare" in body  # its articles, newest first
    article = get(server, resource(ARTICLE))[2].decode()
    assert "Related articles" in article and "shares Medigy: Patient Acquisition" in article
    assert "source file" in article


def test_unknown_and_bad_iris_are_pages_not_tracebacks(server):
    status, headers, body = get(server, resource("https://example.org/nothing"))
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"says nothing about" in body
    assert get(server, resource("https://example.org/nothing"), accept="text/turtle")[0] == 404
    for iri in ["> } DROP ALL { <x", "not an iri", "javascript:alert(1)>", "<https://e/x>", "", "a" * 5000]:
        status, _, body = get(server, resource(iri))
        assert status in (400, 404), iri
        assert b"Traceback" not in body and b"<script" not in body
    # a valid IRI of another scheme is just unknown, and SPARQL text inside an IRI is never run
    assert get(server, resource("urn:x:y"))[0] == 404
    assert get(server, resource("javascript:alert(1)"))[0] == 404
    assert get(server, resource(TOPIC + "> } } ; DROP ALL ; SELECT * { <x"))[0] in (400, 404)
    assert get(server, resource(TOPIC))[0] == 200  # still there
    for page in ["0", "-1", "x", "99999999999999999999999", "1e9"]:
        assert get(server, resource(TOPIC, page=page))[0] == 400
    status, _, body = get(server, resource(TOPIC, page="1000000"))
    assert status == 200 and b"None on this page" in body
    assert get(server, "/resource?" + "&".join(f"iri={i}" for i in range(2)))[0] == 400
    assert get(server, resource(TOPIC, format="rdfxml"))[0] == 400


def test_updates_refused_on_every_route(server):
    routes = ["/", resource(TOPIC), "/named?name=topics-by-vendor", "/assets/workbench.js", "/sparql"]
    for path in routes:
        for method in ("PUT", "DELETE", "PATCH"):
            assert get(server, path, method=method, data=b"x")[0] == 405, (path, method)
        sep = "&" if "?" in path else "?"
        assert get(server, f"{path}{sep}update=DROP%20ALL")[0] == 403, path
        status, _, _ = get(server, path, method="POST", data=b"update=DROP+ALL",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status in (403, 405), path
    assert get(server, "/sparql", method="POST", data=b"DROP ALL",
               headers={"Content-Type": "application/sparql-update"})[0] == 403
    assert get(server, resource(TOPIC))[0] == 200


def test_named_route_equals_plain_sparql(server, seed_build):
    store = GraphStore.open(seed_build.out)
    for name, params in [("topics-by-vendor", {}), ("authors-by-topic", {"topic": TOPIC}),
                         ("topic-cooccurrence", {}), ("topic-timeline", {"topic": TOPIC}),
                         ("articles-by-topic", {"topic": TOPIC})]:
        status, headers, body = get(server, "/named?" + urllib.parse.urlencode({"name": name, **params}),
                                    accept="application/sparql-results+json")
        assert status == 200, body
        rows = [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]
        plain = run_named(store, name, params, summary=False)
        assert rows == [{k: v.value for k, v in r.items()} for r in plain.rows]
    status, _, body = get(server, "/named?name=topic-timeline&format=sparql&topic=tax:medigy/patient-acquisition")
    assert status == 200 and f"<{TOPIC}>".encode() in body
    assert get(server, "/named?name=articles-by-topic")[0] == 400  # its required parameter
    assert get(server, "/named?name=nope")[0] == 400
    assert get(server, "/named?name=topic-timeline&topic=%3E%20%7D%20DROP%20ALL")[0] == 400


def test_query_page_offers_every_named_query_with_store_values(server):
    status, headers, body = get(server, "/")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    page = body.decode()
    data = json.loads(re.search(r'<script type="application/json" id="tg-data">(.*?)</script>', page, re.S).group(1))
    assert [q["name"] for q in data["queries"]] == [q.name for q in topicgraph.queries.list_queries()]
    topic_param = next(p for q in data["queries"] if q["name"] == "articles-by-topic" for p in q["parameters"])
    assert TOPIC in [c["value"] for c in topic_param["choices"]]
    assert data["prefixes"]["schema"] == "http://schema.org/"
    # another endpoint: the page may connect there, and nowhere else
    status, headers, _ = get(server, "/?endpoint=" + urllib.parse.quote("http://localhost:7878/query"))
    assert status == 200 and "connect-src 'self' http://localhost:7878;" in headers["Content-Security-Policy"]
    for bad in ["javascript:alert(1)", "http://x'; script-src *", "file:///etc/passwd"]:
        assert get(server, "/?endpoint=" + urllib.parse.quote(bad))[0] == 400


def test_assets_are_the_pinned_npm_files():
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    for name in ("yasgui.min.js", "yasgui.min.css", "chart.umd.min.js"):
        digest = hashlib.sha256((ASSETS / name).read_bytes()).hexdigest()
        assert f"`{name}` sha256: `{digest}`" in readme
    for licence in ("yasgui.LICENSE", "chart.LICENSE"):
        assert "MIT" in (ASSETS / licence).read_text(encoding="utf-8")


def test_assets_served_and_nothing_else(server):
    status, headers, body = get(server, "/assets/chart.umd.min.js")
    assert status == 200 and headers["Content-Type"] == "text/javascript"
    assert body == (ASSETS / "chart.umd.min.js").read_bytes()
    for path in ["/assets/../app.py", "/assets/", "/assets/%2e%2e/pages.py", "/assets/missing.js"]:
        assert get(server, path)[0] == 404
