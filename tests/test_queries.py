"""topicgraph.queries: every named query answers right on the seeds, parameters bind safely, unsafe queries are
refused before they run, syntax errors are located, and the writers produce the W3C results formats.

Expected answers are written out by hand from the five seed files (their front matter: ids, titles, dates,
authors, brands and ``communityTopics``) and from the taxonomy files, never produced by running the query.
"""

from __future__ import annotations

import io
import json
import socket
import threading
from datetime import datetime

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from topicgraph.errors import TopicgraphError
from topicgraph.queries import (QueryRefused, QuerySyntaxError, ResultTooLarge, check_query, get_query,
                                list_queries, run_named, run_query, serialize, to_term)
from topicgraph.queries import syntax

from .conftest import ROOT

ID = "https://w3id.org/topicgraph/id/"
TAX = "https://w3id.org/topicgraph/taxonomy/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# ---- facts read by hand from seeds/ ------------------------------------------------------------------------
# 000 -> id 4463, "Elevating the Consumer Experience in Healthcare", 2021-02-03T09:39:46.808068Z,
#        author "Vinit @maxinovip.com", brand healthtechmagazines.com, topics Medigy: Patient Acquisition,
#        Gartner: Customer Experience
# 001 -> id 3896, "Customer Experience Automation - The Next Big Thing in Healthcare?", 2020-12-05T06:30:54.340490Z,
#        author "Sonalika Ghosh", brand managedhealthcareexecutive.com, topics Medigy: Patient Acquisition,
#        Medigy: Healthcare Consumer Engagement, Symplur: Patient Experience
# 002, 003, 004 -> plain scraped articles without topics; 003 is by Kyra Hagan, dated July 8, 2016
T4463 = "Elevating the Consumer Experience in Healthcare"
T3896 = "Customer Experience Automation - The Next Big Thing in Healthcare?"
T003 = "Establishing a Shared Vision and Roadmap for Patient Engagement and Customer Experience: It’s Complicated!"
T004 = "Customer Experience versus Patient Experience"
PA, HCE = TAX + "medigy/patient-acquisition", TAX + "medigy/healthcare-consumer-engagement"
CX, PX = TAX + "gartner/customer-experience", TAX + "symplur/patient-experience"
USED_TOPICS = {PA, HCE, CX, PX}
VINIT, SONALIKA = "Vinit @maxinovip.com", "Sonalika Ghosh"
HTM, MHE = "healthtechmagazines.com", "managedhealthcareexecutive.com"

NAMES = {"articles-by-topic", "topics-by-vendor", "related-articles", "topic-cooccurrence", "authors-by-topic",
         "brands-by-topic", "topic-timeline", "cross-vendor-mappings", "untagged-articles", "unused-topics"}


@pytest.fixture(scope="module")
def store(seed_build):
    return seed_build.store


def rows(result, *cols):
    """The result as a list of tuples of plain values, in the order the query returned them."""
    values = result.values()
    return [tuple(v.get(c) for c in cols) for v in values]


@pytest.fixture(scope="module")
def taxonomy():
    """The shipped taxonomy read straight from taxonomy/*.ttl with rdflib (no SPARQL)."""
    g = rdflib.Graph()
    for path in sorted((ROOT / "taxonomy").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def en_label(g: rdflib.Graph, node) -> str | None:
    for label in g.objects(node, SKOS.prefLabel):
        if label.language == "en":
            return str(label)
    return None


# ------------------------------------------------------------------------------------------- the library
def test_the_library_ships_every_named_query_with_a_header():
    queries = list_queries()
    assert {q.name for q in queries} == NAMES
    for q in queries:
        assert q.title and q.description, q.name
        check_query(q.sparql)  # parses, and is a plain read-only query
        assert syntax.query_form(q.sparql) == "SELECT"
        for p in q.parameters:
            assert p.description and p.type in ("iri", "string")
            if p.default is not None:
                p.term(p.default)  # every default is a valid term of its type


def test_named_query_parameters_are_read_from_the_header():
    q = get_query("articles-by-topic")
    (p,) = q.parameters
    assert (p.name, p.type, p.default, p.required) == ("topic", "iri", None, True)  # no default fits every corpus
    assert get_query("cross-vendor-mappings").parameters[0].description.endswith("every mapping when left out")
    assert get_query("untagged-articles").parameters == ()
    with pytest.raises(TopicgraphError, match="did you mean articles-by-topic"):
        get_query("articles-by-topics")
    with pytest.raises(TopicgraphError, match="no parameter 'topik'"):
        q.bindings({"topik": "tax:medigy/telehealth"})


# ------------------------------------------------------------------------------ each query, row by row
def test_articles_by_topic(store):
    result = run_named(store, "articles-by-topic", {"topic": "tax:medigy/patient-acquisition"})  # newest first
    assert result.variables == ["article", "identifier", "headline", "published", "brand"]
    assert rows(result, "article", "identifier", "headline", "published", "brand") == [
        (ID + "article/4463", "4463", T4463, "2021-02-03T09:39:46.808068Z", HTM),
        (ID + "article/3896", "3896", T3896, "2020-12-05T06:30:54.34049Z", MHE),
    ]
    assert rows(run_named(store, "articles-by-topic", {"topic": "tax:gartner/customer-experience"}),
                "identifier") == [("4463",)]
    assert rows(run_named(store, "articles-by-topic", {"topic": f"<{PX}>"}), "identifier") == [("3896",)]
    assert rows(run_named(store, "articles-by-topic", {"topic": "tax:medigy/telehealth"}), "identifier") == []


def test_topics_by_vendor(store):
    expected = [(TAX + "gartner", "Gartner", CX, "Customer Experience", 1),
                (TAX + "medigy", "Medigy", PA, "Patient Acquisition", 2),
                (TAX + "medigy", "Medigy", HCE, "Healthcare Consumer Engagement", 1),
                (TAX + "symplur", "Symplur", PX, "Patient Experience", 1)]
    cols = ("vendor", "vendorLabel", "topic", "label", "articles")
    assert rows(run_named(store, "topics-by-vendor"), *cols) == expected
    assert rows(run_named(store, "topics-by-vendor", {"vendor": "tax:medigy"}), *cols) == expected[1:3]


def test_related_articles(store):
    cols = ("related", "relatedIdentifier", "headline", "sharedTopics")
    # 4463 and 3896 share exactly one topic, Medigy: Patient Acquisition
    assert rows(run_named(store, "related-articles", {"identifier": "4463"}), *cols) == [
        (ID + "article/3896", "3896", T3896, 1)]
    assert rows(run_named(store, "related-articles", {"identifier": "3896"}), *cols) == [
        (ID + "article/4463", "4463", T4463, 1)]
    assert rows(run_named(store, "related-articles", {"identifier": "003_93b4219c4437b57c"}), *cols) == []


def test_topic_cooccurrence(store):
    # 4463: {PA, CX} -> one pair; 3896: {PA, HCE, PX} -> three pairs; each once, IRI-ordered within the pair
    assert rows(run_named(store, "topic-cooccurrence"), "topicA", "labelA", "topicB", "labelB", "articles") == [
        (CX, "Customer Experience", PA, "Patient Acquisition", 1),
        (HCE, "Healthcare Consumer Engagement", PA, "Patient Acquisition", 1),
        (HCE, "Healthcare Consumer Engagement", PX, "Patient Experience", 1),
        (PA, "Patient Acquisition", PX, "Patient Experience", 1),
    ]


def test_authors_by_topic(store):
    cols = ("topic", "label", "author", "name", "articles")
    vinit, sonalika = ID + "person/vinit-%40maxinovip.com", ID + "person/sonalika-ghosh"
    assert rows(run_named(store, "authors-by-topic"), *cols) == [
        (CX, "Customer Experience", vinit, VINIT, 1),
        (HCE, "Healthcare Consumer Engagement", sonalika, SONALIKA, 1),
        (PA, "Patient Acquisition", sonalika, SONALIKA, 1),
        (PA, "Patient Acquisition", vinit, VINIT, 1),
        (PX, "Patient Experience", sonalika, SONALIKA, 1),
    ]
    assert rows(run_named(store, "authors-by-topic", {"topic": "tax:medigy/patient-acquisition"}), "name") == [
        (SONALIKA,), (VINIT,)]


def test_brands_by_topic(store):
    cols = ("topic", "label", "brand", "name", "articles")
    htm, mhe = ID + "brand/healthtechmagazines.com", ID + "brand/managedhealthcareexecutive.com"
    assert rows(run_named(store, "brands-by-topic"), *cols) == [
        (CX, "Customer Experience", htm, HTM, 1),
        (HCE, "Healthcare Consumer Engagement", mhe, MHE, 1),
        (PA, "Patient Acquisition", htm, HTM, 1),
        (PA, "Patient Acquisition", mhe, MHE, 1),
        (PX, "Patient Experience", mhe, MHE, 1),
    ]


def test_topic_timeline(store):
    assert rows(run_named(store, "topic-timeline", {"topic": "tax:medigy/patient-acquisition"}),
                "month", "articles") == [("2020-12", 1), ("2021-02", 1)]
    assert rows(run_named(store, "topic-timeline", {"topic": "tax:gartner/customer-experience"}),
                "month", "articles") == [("2021-02", 1)]


def test_cross_vendor_mappings_of_one_topic(store):
    # taxonomy/mappings.ttl, "from Gartner": customer-experience closeMatch medigy and symplur patient-experience,
    # relatedMatch medigy healthcare-consumer-engagement and patient-acquisition
    result = run_named(store, "cross-vendor-mappings", {"topic": "tax:gartner/customer-experience"})
    skos = str(SKOS)
    assert rows(result, "topic", "label", "relation", "target", "targetLabel") == [
        (CX, "Customer Experience", skos + "closeMatch", TAX + "medigy/patient-experience", "Patient Experience"),
        (CX, "Customer Experience", skos + "closeMatch", PX, "Patient Experience"),
        (CX, "Customer Experience", skos + "relatedMatch", HCE, "Healthcare Consumer Engagement"),
        (CX, "Customer Experience", skos + "relatedMatch", PA, "Patient Acquisition"),
    ]


def test_cross_vendor_mappings_are_every_mapping_in_the_taxonomy(store, taxonomy):
    relations = [SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch]
    expected = set()
    for rel in relations:
        for s, o in taxonomy.subject_objects(rel):
            schemes_s, schemes_o = set(taxonomy.objects(s, SKOS.inScheme)), set(taxonomy.objects(o, SKOS.inScheme))
            if schemes_s and schemes_o and schemes_s != schemes_o:
                expected.add((str(s), en_label(taxonomy, s), str(rel), str(o), en_label(taxonomy, o)))
    got = rows(run_named(store, "cross-vendor-mappings"), "topic", "label", "relation", "target", "targetLabel")
    assert len(got) == len(set(got)) and set(got) == expected
    assert len(expected) > 40  # mappings.ttl states dozens, each in both directions


def test_untagged_articles(store):
    assert rows(run_named(store, "untagged-articles"), "article", "identifier", "headline", "file") == [
        (ID + "article/002-e2043c317a839aa3", "002_e2043c317a839aa3", None, "seeds/002_e2043c317a839aa3.txt"),
        (ID + "article/003-93b4219c4437b57c", "003_93b4219c4437b57c", T003, "seeds/003_93b4219c4437b57c.txt"),
        (ID + "article/004-7f7bd89bfa8fa00f", "004_7f7bd89bfa8fa00f", T004, "seeds/004_7f7bd89bfa8fa00f.txt"),
    ]


def test_unused_topics_are_the_taxonomy_minus_the_four_seed_topics(store, taxonomy):
    concepts = {(str(scheme), str(c), en_label(taxonomy, c))
                for c in taxonomy.subjects(RDF.type, SKOS.Concept) for scheme in taxonomy.objects(c, SKOS.inScheme)}
    expected = {row for row in concepts if row[1] not in USED_TOPICS}
    got = rows(run_named(store, "unused-topics"), "vendor", "topic", "label")
    assert set(got) == expected and len(got) == len(expected) == len(concepts) - 4
    assert (TAX + "medigy", TAX + "medigy/telehealth", "Telehealth") in got
    assert got == sorted(got, key=lambda r: (r[0], r[2], r[1]))
    gartner = rows(run_named(store, "unused-topics", {"vendor": "tax:gartner"}), "vendor", "topic", "label")
    assert gartner and {r[0] for r in gartner} == {TAX + "gartner"}
    assert set(gartner) == {r for r in expected if r[0] == TAX + "gartner"}


# ------------------------------------------------------------------------------------------ parameters
def test_parameters_become_rdf_terms_never_query_text(store):
    hostile = 'x" } } ; DROP ALL ; SELECT * { "'
    assert run_query(store, "SELECT ?a WHERE { ?a schema:identifier ?id }", params={"id": hostile}).rows == []
    with pytest.raises(TopicgraphError, match="is not an IRI"):
        run_named(store, "articles-by-topic", {"topic": "<http://x/> } ; DROP ALL"})
    with pytest.raises(TopicgraphError, match="is not an IRI"):
        run_named(store, "articles-by-topic", {"topic": "not an iri"})
    assert to_term("id:article/4463", base_iri=ID).value == ID + "article/4463"
    with pytest.raises(TopicgraphError, match="unknown prefix 'tx'"):
        run_named(store, "articles-by-topic", {"topic": "tx:medigy/telehealth"})
    assert to_term("urn:isbn:123", "iri").value == "urn:isbn:123"
    assert to_term(3).datatype.value == XSD + "integer"
    with pytest.raises(TopicgraphError, match="not a valid integer"):
        to_term("3; DROP", "integer")


def test_values_are_bound_inside_the_where_clause_even_after_braces_in_strings(store):
    q = ('SELECT ?h WHERE { # a { in a comment\n ?a schema:headline ?h ; schema:identifier ?id '
         'FILTER(?h != "}{") }')
    assert run_query(store, q, params={"id": "4463"}).column("h") == [T4463]
    edited = syntax.insert_values('CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o }', {"a": "<http://e/x>"})
    assert edited == 'CONSTRUCT { ?a ?p ?o } WHERE { VALUES (?a) { (<http://e/x>) } ?a ?p ?o }'



@pytest.mark.parametrize(("query", "expected"), [
    # used only inside a subquery: bound there, where the subquery is evaluated (outside it would not reach it)
    ("SELECT ?a ?n WHERE { { SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?t } GROUP BY ?a } ?a ?q ?r }",
     "SELECT ?a ?n WHERE { { SELECT ?a (COUNT(*) AS ?n) WHERE { VALUES (?t) { (<http://e/x>) } ?a ?p ?t } "
     "GROUP BY ?a } ?a ?q ?r }"),
    # the innermost of two nested subqueries that holds every use
    ("SELECT * { { SELECT ?a { { SELECT ?a { ?a ?p ?t } } ?a ?q ?r } } }",
     "SELECT * { { SELECT ?a { { SELECT ?a { VALUES (?t) { (<http://e/x>) } ?a ?p ?t } } ?a ?q ?r } } }"),
    # used inside and outside: bound at the outer level, and inside the subquery that hands ?t up unchanged
    ("SELECT ?t WHERE { { SELECT ?t WHERE { ?a ?p ?t } } ?t ?q ?r }",
     "SELECT ?t WHERE { VALUES (?t) { (<http://e/x>) } { SELECT ?t WHERE { VALUES (?t) { (<http://e/x>) } "
     "?a ?p ?t } } ?t ?q ?r }"),
    ("SELECT * { { SELECT * { ?a ?p ?t } } ?t ?q ?r }",
     "SELECT * { VALUES (?t) { (<http://e/x>) } { SELECT * { VALUES (?t) { (<http://e/x>) } ?a ?p ?t } } ?t ?q ?r }"),
    # ... but not into one with LIMIT (its ten rows are not the ten rows of ?t), nor below one that hides ?t
    ("SELECT ?t WHERE { { SELECT ?t WHERE { ?a ?p ?t } LIMIT 10 } ?t ?q ?r }",
     "SELECT ?t WHERE { VALUES (?t) { (<http://e/x>) } { SELECT ?t WHERE { ?a ?p ?t } LIMIT 10 } ?t ?q ?r }"),
    ("SELECT ?t { { SELECT ?a { { SELECT ?t ?a { ?a ?p ?t } } } } ?a ?q ?t }",
     "SELECT ?t { VALUES (?t) { (<http://e/x>) } { SELECT ?a { { SELECT ?t ?a { ?a ?p ?t } } } } ?a ?q ?t }"),
    # made by the subquery (AS ?t): a join on its result, outside it
    ("SELECT ?t WHERE { { SELECT (COUNT(*) AS ?t) WHERE { ?a ?p ?o } } }",
     "SELECT ?t WHERE { VALUES (?t) { (<http://e/x>) } { SELECT (COUNT(*) AS ?t) WHERE { ?a ?p ?o } } }"),
    # a SELECT word inside a string or comment is not a subquery
    ('SELECT ?a WHERE { ?a ?p "{ SELECT ?t" # { SELECT\n ?a ?q ?t }',
     'SELECT ?a WHERE { VALUES (?t) { (<http://e/x>) } ?a ?p "{ SELECT ?t" # { SELECT\n ?a ?q ?t }'),
])
def test_values_are_bound_where_the_variable_is_used(query, expected):
    assert syntax.insert_values(query, {"t": "<http://e/x>"}) == expected


def test_two_parameters_bound_at_two_levels():
    q = "SELECT ?s WHERE { { SELECT ?a WHERE { ?a ?p ?t } } ?a ?q ?s }"
    assert syntax.insert_values(q, {"t": "<http://e/t>", "s": "<http://e/s>"}) == (
        "SELECT ?s WHERE { VALUES (?s) { (<http://e/s>) } { SELECT ?a WHERE { VALUES (?t) { (<http://e/t>) } "
        "?a ?p ?t } } ?a ?q ?s }")


def test_related_articles_counts_for_the_article_asked_about_only(store):
    # the count-first subquery must see the parameter: bound outside, it would count the topics every article
    # shares with any other, and 4463 would be listed as related to itself
    for ident, other in (("4463", "3896"), ("3896", "4463")):
        answer = run_named(store, "related-articles", {"identifier": ident})
        assert answer.column("relatedIdentifier") == [other]


# ---------------------------------------------------------------------------------------------- safety
@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { ?s ?p ?o optional { service silent <http://127.0.0.1:9/> { ?s ?q ?r } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { # a comment\n SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_service_is_refused(query):
    with pytest.raises(QueryRefused, match="SERVICE is refused"):
        check_query(query)


@pytest.mark.parametrize("query", [
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://e/g>",
    "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://e/> CLEAR ALL",
    "DROP GRAPH <http://e/g>",
    "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_and_load_are_refused(query):
    with pytest.raises(QueryRefused, match="updates are refused"):
        check_query(query)


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }",
    "SELECT ?service WHERE { ?service <http://e/SERVICE> ?load }",
    "PREFIX service: <http://e/> SELECT * WHERE { ?s service:load ?o }",
    "SELECT * WHERE { ?s ?p '''LOAD <http://127.0.0.1:9/>\nINSERT DATA {}''' }",
])
def test_the_words_in_comments_strings_iris_and_names_are_not_refused(query):
    assert check_query(query).has_service is False


class _Listener:
    """A TCP socket on 127.0.0.1 that counts the connections it receives (to prove nothing called out)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def test_the_store_never_calls_out_for_service(store):
    listener = _Listener()
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
        with pytest.raises(QueryRefused):
            run_query(store, query)
        assert listener.connections == 0
        # the trap is real: pyoxigraph on its own does make the request
        with pytest.raises(OSError):
            list(store.ox.query(query))
        assert listener.connections >= 1
    finally:
        listener.close()


# ----------------------------------------------------------------------------------------- syntax errors
def test_a_syntax_error_names_line_and_column_and_shows_the_query(store):
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}"
    with pytest.raises(QuerySyntaxError) as info:
        run_query(store, query)
    err = info.value
    assert (err.line, err.col) == (4, 3)  # the FILTER that cannot be read
    text = str(err)
    assert text.startswith("SPARQL syntax error at line 4, column 3: cannot read the query from here (at line 5, "
                           "column 2: expected one of")
    assert "  4 |   FILTER(?o = )\n    |   ^" in text
    assert "  2 | WHERE {" in text
    with pytest.raises(QuerySyntaxError) as info:
        run_query(store, "SELECT * WHERE {\n ?s ?p ?o ")
    assert (info.value.line, info.value.col) == (2, 11)
    assert str(info.value).startswith("SPARQL syntax error at line 2, column 11: the `{` opened at line 1, column 16 "
                                      "is never closed: add `}`")
    assert '(the parser said: expected one of ",", ".", ";", "{"' in str(info.value)


def test_an_unknown_prefix_is_named(store):
    with pytest.raises(QuerySyntaxError, match="unknown prefix 'foaf:'") as info:
        run_query(store, "SELECT ?n WHERE {\n  ?p foaf:name ?n\n}")
    assert (info.value.line, info.value.col) == (2, 6)
    # our own prefixes are predeclared, and a query may declare its own
    assert run_query(store, "PREFIX s: <http://schema.org/> ASK { ?a a s:Article ; schema:about ?t }").boolean


def test_an_empty_query_is_an_error(store):
    with pytest.raises(QuerySyntaxError, match="empty"):
        run_query(store, "  # only a comment\n")


# -------------------------------------------------------------------------------------- forms and limits
def test_ask_construct_and_describe(store):
    assert run_query(store, "ASK { ?a schema:about tax:medigy\\/patient-acquisition }").boolean is True
    assert run_query(store, "ASK { ?a schema:about tax:medigy\\/telehealth }").boolean is False
    result = run_query(store, "CONSTRUCT { ?a schema:about ?t } WHERE { ?a schema:about ?t }")
    assert result.form == "CONSTRUCT" and len(result) == 5
    described = run_query(store, f"DESCRIBE <{ID}person/kyra-hagan>")
    assert {(t.predicate.value, t.object.value) for t in described.triples} == {
        (str(RDF.type), "http://schema.org/Person"), ("http://schema.org/name", "Kyra Hagan")}


def test_max_rows(store):
    assert len(run_query(store, "SELECT * WHERE { ?a a schema:Article }", max_rows=5)) == 5
    with pytest.raises(ResultTooLarge, match="more than 4 rows"):
        run_query(store, "SELECT * WHERE { ?a a schema:Article }", max_rows=4)


def test_default_graphs_narrow_the_dataset(store):
    n = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                  default_graphs=[ID + "graph/entities"]).values()[0]["n"]
    assert n == 15  # 3 people x 2 + 2 brands x 3 + 1 community x 3


# ---------------------------------------------------------------------------------------------- writers
MIXED = """SELECT ?iri ?plain ?lang ?num ?date ?unbound WHERE {
  VALUES (?iri ?plain ?lang ?num ?date) {
    (<https://w3id.org/topicgraph/id/article/4463> "a \\"quoted\\", comma\\tand tab\\nline" "Patient Experience"@en
     42 "2021-02-03"^^xsd:date)
    (tax:medigy\\/telehealth "é ünïcode" "x"@en-GB 3.5 UNDEF)
  }
}"""


@pytest.mark.parametrize("fmt", ["xml", "csv", "tsv"])
def test_results_formats_match_pyoxigraphs_own_writers(store, fmt):
    ours = serialize(run_query(store, MIXED), fmt)
    native = store.raw_query(MIXED).serialize(format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper()))
    assert ours == native


def test_json_results_are_the_w3c_format(store):
    doc = json.loads(serialize(run_query(store, MIXED), "json"))
    assert doc["head"] == {"vars": ["iri", "plain", "lang", "num", "date", "unbound"]}
    first, second = doc["results"]["bindings"]
    assert first == {
        "iri": {"type": "uri", "value": ID + "article/4463"},
        "plain": {"type": "literal", "value": 'a "quoted", comma\tand tab\nline'},
        "lang": {"type": "literal", "value": "Patient Experience", "xml:lang": "en"},
        "num": {"type": "literal", "value": "42", "datatype": XSD + "integer"},
        "date": {"type": "literal", "value": "2021-02-03", "datatype": XSD + "date"},
    }
    assert "date" not in second and second["lang"]["xml:lang"].lower() == "en-gb"
    assert json.loads(serialize(run_query(store, "ASK {}"), "json")) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_other_tools_read_our_results(store, fmt):
    """rdflib's own SPARQL results parsers (an independent implementation) read every format back."""
    data = serialize(run_named(store, "topics-by-vendor"), fmt)
    parsed = rdflib.query.Result.parse(io.BytesIO(data), format=fmt)
    got = [(str(r["vendorLabel"]), str(r["label"]), int(r["articles"])) for r in parsed]
    assert got == [("Gartner", "Customer Experience", 1), ("Medigy", "Patient Acquisition", 2),
                   ("Medigy", "Healthcare Consumer Engagement", 1), ("Symplur", "Patient Experience", 1)]


def test_xml_ask_and_rdf_outputs(store):
    parsed = rdflib.query.Result.parse(io.BytesIO(serialize(run_query(store, "ASK { ?x a schema:Nothing }"),
                                                            "xml")), format="xml")
    assert parsed.askAnswer is False
    result = run_query(store, "CONSTRUCT { ?a schema:about ?t } WHERE { ?a schema:about ?t }")
    expected = rdflib.Graph()
    for article, topic in [("4463", PA), ("4463", CX), ("3896", PA), ("3896", HCE), ("3896", PX)]:
        expected.add((rdflib.URIRef(ID + "article/" + article), rdflib.URIRef("http://schema.org/about"),
                      rdflib.URIRef(topic)))
    for fmt, rdflib_format in [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")]:
        g = rdflib.Graph().parse(data=serialize(result, fmt), format=rdflib_format)
        assert isomorphic(g, expected), fmt
    with pytest.raises(TopicgraphError, match="returns RDF"):
        serialize(result, "csv")


def test_table_is_readable(store):
    text = serialize(run_named(store, "topic-timeline", {"topic": "tax:medigy/patient-acquisition"}), "table").decode()
    assert text == "month    articles\n-------  --------\n2020-12         1\n2021-02         1\n\n2 rows\n"


def test_dates_in_results_are_real_dates(store):
    published = run_named(store, "articles-by-topic", {"topic": "tax:medigy/patient-acquisition"}).column("published")
    assert [datetime.fromisoformat(p).date().isoformat() for p in published] == ["2021-02-03", "2020-12-05"]


def test_jsonld_answers_never_fetch_a_remote_context():
    """A server answering CONSTRUCT with JSON-LD cannot make us fetch its @context URL."""
    from topicgraph.queries.endpoint import _parse_response
    from topicgraph.remote import EndpointError, Response

    listener = _Listener()
    try:
        body = json.dumps({"@context": f"http://127.0.0.1:{listener.port}/context.jsonld", "@id": "http://e/s",
                           "name": "x"}).encode()
        with pytest.raises(EndpointError, match="cannot read the server's answer"):
            _parse_response(Response(200, "OK", {"content-type": "application/ld+json"}, body), "CONSTRUCT")
        assert listener.connections == 0
        inline = json.dumps({"@context": {"name": "http://schema.org/name"}, "@id": "http://e/s",
                             "name": "x"}).encode()
        result = _parse_response(Response(200, "OK", {"content-type": "application/ld+json"}, inline), "CONSTRUCT")
        assert [(t.subject.value, t.object.value) for t in result.triples] == [("http://e/s", "x")]
    finally:
        listener.close()
