"""Checks of the hand-edited Turtle under taxonomy/ and ontology/ (only the SKOS integrity queries come from
src/topicgraph, so that these tests and `topicgraph taxonomy check` apply the same rules).

- every .ttl file parses with rdflib and with pyoxigraph, and both give the same graph;
- the merged taxonomy conforms to ontology/shapes/*.ttl with no result of any severity;
- SKOS integrity rules that SHACL Core cannot express are SPARQL queries that must return no row, each run
  by rdflib and by pyoxigraph;
- IRIs follow the key rule of docs/data-model.md; every topic the seeds use is defined;
- the ontology declares every tg: term of docs/data-model.md and of the later features.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import yaml
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from topicgraph.taxonomy.checks import CHECKS, PREFIXES

ROOT = Path(__file__).resolve().parents[1]
TAXONOMY_DIR = ROOT / "taxonomy"
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
SEEDS_DIR = ROOT / "seeds"
DATA_MODEL = ROOT / "docs" / "data-model.md"

TAX = "https://w3id.org/topicgraph/taxonomy/"
TG = Namespace("https://w3id.org/topicgraph/ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

TTL_FILES = sorted(TAXONOMY_DIR.rglob("*.ttl")) + sorted(ONTOLOGY_DIR.rglob("*.ttl"))
TAXONOMY_FILES = sorted(TAXONOMY_DIR.glob("*.ttl"))
MAPPINGS_FILE = TAXONOMY_DIR / "mappings.ttl"
SCHEME_FILES = [p for p in TAXONOMY_FILES if p != MAPPINGS_FILE]
SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
ONTOLOGY_FILE = ONTOLOGY_DIR / "topicgraph.ttl"

# Topics that the seeds use; also read from seeds/ below, this list guards against the seeds moving.
REQUIRED_TOPICS = [
    "Medigy: Patient Acquisition",
    "Medigy: Healthcare Consumer Engagement",
    "Gartner: Customer Experience",
    "Symplur: Patient Experience",
]

# tg: terms that later features use (topic suggestion, relatedness, clusters), besides those in the contract.
LATER_TG_TERMS = {
    "TopicSuggestion": OWL.Class,
    "suggestedTopic": OWL.ObjectProperty,
    "topic": OWL.ObjectProperty,
    "score": OWL.DatatypeProperty,
    "evidence": OWL.DatatypeProperty,
    "relatedTo": OWL.ObjectProperty,
    "Relatedness": OWL.Class,
    "relatedness": OWL.ObjectProperty,
    "relatedArticle": OWL.ObjectProperty,
    "rank": OWL.DatatypeProperty,
    "TopicCluster": OWL.Class,
    "modularity": OWL.DatatypeProperty,
    "clusterSize": OWL.DatatypeProperty,
}

MAPPING_PROPERTIES = {SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch}


def key(text: str) -> str:
    """The key of docs/data-model.md: NFC, casefold, trim, white space/`_` runs -> `-`, percent-encode."""
    folded = unicodedata.normalize("NFC", text).casefold().strip()
    folded = re.sub(r"[\s_]+", "-", folded)
    out = []
    for ch in folded:
        if ch.isascii() and (ch.isalnum() or ch in "-.~"):
            out.append(ch)
        else:
            out.extend(f"%{byte:02X}" for byte in ch.encode("utf-8"))
    return "".join(out)


def test_key_matches_contract_examples():
    assert key("Patient Acquisition") == "patient-acquisition"
    assert key("C++") == "c%2B%2B"
    assert key("Vinit @maxinovip.com") == "vinit-%40maxinovip.com"


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --------------------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------------------


def _normal_literal(lit: Literal) -> Literal:
    if lit.language is None and lit.datatype in (None, XSD.string):
        return Literal(str(lit))
    return lit


def _from_oxigraph(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return _normal_literal(Literal(term.value, datatype=URIRef(term.datatype.value)))


def _rdflib_graph(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def test_expected_files_exist():
    names = {_rel(p) for p in TTL_FILES}
    for expected in [
        "taxonomy/medigy.ttl",
        "taxonomy/gartner.ttl",
        "taxonomy/symplur.ttl",
        "taxonomy/mappings.ttl",
        "ontology/topicgraph.ttl",
        *(f"ontology/shapes/{n}.ttl" for n in ("article", "person", "organization", "concept", "scheme", "community")),
    ]:
        assert expected in names


@pytest.mark.parametrize("path", TTL_FILES, ids=_rel)
def test_parses_with_rdflib_and_pyoxigraph_alike(path: Path):
    rdflib_graph = Graph()
    for s, p, o in _rdflib_graph(path):
        rdflib_graph.add((s, p, _normal_literal(o) if isinstance(o, Literal) else o))
    assert len(rdflib_graph) > 0

    oxigraph_graph = Graph()
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
        oxigraph_graph.add((_from_oxigraph(quad.subject), _from_oxigraph(quad.predicate), _from_oxigraph(quad.object)))

    assert len(oxigraph_graph) == len(rdflib_graph)
    assert isomorphic(rdflib_graph, oxigraph_graph)

    # No IRI may depend on where the file was read from (relative IRIs resolve against file:///...).
    for term in {t for triple in rdflib_graph for t in triple if isinstance(t, URIRef)}:
        assert re.match(r"^https?://[^\s<>\"]+$", str(term)), f"not an absolute http(s) IRI: {term}"


# --------------------------------------------------------------------------------------------------------------
# The merged taxonomy
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def taxonomy() -> Graph:
    return _rdflib_graph(*TAXONOMY_FILES)


@pytest.fixture(scope="module")
def taxonomy_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for path in TAXONOMY_FILES:
        store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _rdflib_graph(*SHAPE_FILES)


def test_taxonomy_conforms_to_shapes(taxonomy: Graph, shapes: Graph):
    conforms, report, text = pyshacl.validate(
        taxonomy, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True
    )
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert conforms, text
    assert not results, text  # not even warnings or infos


# The SKOS integrity rules are the library's (topicgraph.taxonomy.checks, also run by `topicgraph taxonomy check`
# and `topicgraph validate`); each query selects the offending rows, and an empty answer means the rule holds.
INTEGRITY_QUERIES = {check.title: check.query for check in CHECKS}


def _run(engine: str, graph: Graph, store: pyoxigraph.Store, query: str) -> list[tuple]:
    if engine == "rdflib":
        return [tuple(row) for row in graph.query(PREFIXES + query)]
    return [tuple(solution) for solution in store.query(PREFIXES + query)]


@pytest.mark.parametrize("engine", ["rdflib", "pyoxigraph"])
@pytest.mark.parametrize("rule", sorted(INTEGRITY_QUERIES))
def test_skos_integrity(rule: str, engine: str, taxonomy: Graph, taxonomy_store: pyoxigraph.Store):
    rows = _run(engine, taxonomy, taxonomy_store, INTEGRITY_QUERIES[rule])
    assert rows == [], f"{rule}: {rows[:10]}"


def test_integrity_queries_catch_a_bad_taxonomy():
    """The queries are not vacuous: a small broken taxonomy trips each of them."""
    bad = Graph().parse(
        format="turtle",
        data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix t: <https://w3id.org/topicgraph/taxonomy/t/> .
        @prefix tax: <https://w3id.org/topicgraph/taxonomy/> .
        tax:t a skos:ConceptScheme ; skos:prefLabel "T"@en ; skos:hasTopConcept t:a .
        t:a a skos:Concept ; skos:inScheme tax:t ; skos:prefLabel "A"@en , "A2"@en ; skos:altLabel "a" , "x"@en , "X"@en ;
            skos:broader t:b ; skos:related t:c ; skos:narrower t:b ; skos:exactMatch t:b ; skos:relatedMatch t:b ;
            skos:related t:b ; skos:broadMatch t:missing ; skos:definition "x"@en .
        t:b a skos:Concept ; skos:inScheme tax:t , tax:other ; skos:prefLabel "a"@en ; skos:broader t:a ;
            skos:topConceptOf tax:t .
        t:c a skos:Concept ; skos:inScheme tax:other .
        t:d a skos:Concept ; skos:inScheme tax:t ; skos:prefLabel "D"@en .
        <https://example.org/stray> skos:note "x" .
        tax:t2 a skos:ConceptScheme ; skos:prefLabel "t"@en .
        """,
    )
    store = pyoxigraph.Store()
    store.load(bad.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    for rule, query in INTEGRITY_QUERIES.items():
        for engine in ("rdflib", "pyoxigraph"):
            assert _run(engine, bad, store, query), f"{rule} ({engine}) found nothing in the broken taxonomy"


# --------------------------------------------------------------------------------------------------------------
# IRIs, files and seeds
# --------------------------------------------------------------------------------------------------------------


def _en(graph: Graph, node, prop=SKOS.prefLabel) -> str:
    values = [o for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == "en"]
    assert len(values) == 1, (node, prop, values)
    return str(values[0])


@pytest.mark.parametrize("path", SCHEME_FILES, ids=_rel)
def test_scheme_file_holds_one_scheme_and_its_concepts(path: Path):
    graph = _rdflib_graph(path)
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 1
    scheme = schemes.pop()
    vendor_key = key(_en(graph, scheme))
    assert str(scheme) == TAX + vendor_key
    assert path.stem == vendor_key

    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert 25 <= len(concepts) <= 60, len(concepts)
    for concept in concepts:
        assert set(graph.objects(concept, SKOS.inScheme)) == {scheme}
        # The local part of the IRI is the key of the English prefLabel.
        assert str(concept) == f"{TAX}{vendor_key}/{key(_en(graph, concept))}", concept
        assert not set(graph.predicates(concept)) & MAPPING_PROPERTIES, f"{concept}: mappings go in mappings.ttl"

    # At least two levels: some concept has a broader concept.
    assert any(graph.objects(c, SKOS.broader) for c in concepts)

    # Keys of all labels (pref and alt) are unique within the scheme: the build looks topics up by label.
    seen: dict[str, URIRef] = {}
    for concept in concepts:
        for label in {*graph.objects(concept, SKOS.prefLabel), *graph.objects(concept, SKOS.altLabel)}:
            k = key(str(label))
            assert seen.setdefault(k, concept) == concept, f"label {label!r} of {concept} clashes with {seen[k]}"
        for definition in graph.objects(concept, SKOS.definition):
            assert str(definition).endswith("."), (concept, definition)


def test_mappings_file_holds_only_cross_scheme_mappings(taxonomy: Graph):
    graph = _rdflib_graph(MAPPINGS_FILE)
    assert len(graph) > 0
    assert set(graph.predicates()) <= MAPPING_PROPERTIES
    for s, p, o in graph:
        for node in (s, o):
            assert (node, RDF.type, SKOS.Concept) in taxonomy, f"{node} is not defined in a scheme file"
        assert set(taxonomy.objects(s, SKOS.inScheme)).isdisjoint(taxonomy.objects(o, SKOS.inScheme))
    # The examples asked for in the brief.
    medigy, gartner, symplur = (Namespace(f"{TAX}{v}/") for v in ("medigy", "gartner", "symplur"))
    assert (gartner["customer-experience"], SKOS.closeMatch, symplur["patient-experience"]) in graph
    assert (medigy["healthcare-consumer-engagement"], SKOS.closeMatch, symplur["patient-engagement"]) in graph
    assert (medigy["artificial-intelligence"], SKOS.exactMatch, gartner["artificial-intelligence"]) in graph
    assert (gartner["artificial-intelligence"], SKOS.exactMatch, symplur["artificial-intelligence"]) in graph


def _seed_topics() -> list[str]:
    topics = set(REQUIRED_TOPICS)
    for path in sorted(SEEDS_DIR.glob("*")):
        text = path.read_text(encoding="utf-8")
        match = re.match(r"---\r?\n(.*?)\r?\n---\r?\n", text, re.S)
        if match:
            topics.update((yaml.safe_load(match.group(1)) or {}).get("communityTopics") or [])
    return sorted(topics)


SEED_TOPICS = _seed_topics()


def test_seed_topics_are_read():
    assert set(REQUIRED_TOPICS) <= set(SEED_TOPICS)


@pytest.mark.parametrize("engine", ["rdflib", "pyoxigraph"])
def test_every_seed_topic_is_defined(engine: str, taxonomy: Graph, taxonomy_store: pyoxigraph.Store):
    rows = []
    for topic in SEED_TOPICS:
        vendor, _, label = (part.strip() for part in topic.partition(":"))
        rows.append(f'(<{TAX}{key(vendor)}> <{TAX}{key(vendor)}/{key(label)}> "{label}")')
    query = f"""
        SELECT ?scheme ?concept ?label WHERE {{
          VALUES (?scheme ?concept ?label) {{ {' '.join(rows)} }}
          FILTER NOT EXISTS {{
            ?concept a skos:Concept ; skos:inScheme ?scheme ; skos:prefLabel ?pref .
            ?scheme a skos:ConceptScheme .
            FILTER(STR(?pref) = ?label && LANG(?pref) = "en")
          }}
        }}"""
    assert _run(engine, taxonomy, taxonomy_store, query) == []


@pytest.mark.parametrize(
    "phrase",
    ["customer experience", "patient experience", "consumer engagement", "telemedicine", "digital transformation",
     "CX", "RPM", "AI", "machine learning"],
)
def test_tagging_phrases_are_labels(taxonomy: Graph, phrase: str):
    labels = {str(o).casefold() for p in (SKOS.prefLabel, SKOS.altLabel) for o in taxonomy.objects(None, p)}
    assert phrase.casefold() in labels


# --------------------------------------------------------------------------------------------------------------
# Ontology
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _rdflib_graph(ONTOLOGY_FILE)


def _contract_tg_terms() -> set[str]:
    return set(re.findall(r"\btg:([A-Za-z][A-Za-z0-9]*)", DATA_MODEL.read_text(encoding="utf-8")))


def test_ontology_header(ontology: Graph):
    ontologies = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert ontologies == [URIRef("https://w3id.org/topicgraph/ns")]
    assert not list(ontology.triples((None, OWL.imports, None)))


def test_contract_terms_found():
    assert {"Community", "linkHref", "community", "slug", "recordFormat", "frontMatter", "sha256"} <= _contract_tg_terms()


@pytest.mark.parametrize("term", sorted(_contract_tg_terms() | set(LATER_TG_TERMS)))
def test_ontology_declares_term(ontology: Graph, term: str):
    iri = TG[term]
    types = set(ontology.objects(iri, RDF.type))
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    assert len(types & kinds) == 1, (term, types)
    if term in LATER_TG_TERMS:
        assert LATER_TG_TERMS[term] in types
    assert term[0].isupper() == (OWL.Class in types), "classes are capitalised, properties are not"
    assert any(o.language == "en" for o in ontology.objects(iri, RDFS.label))
    assert any(o.language == "en" for o in ontology.objects(iri, RDFS.comment))
    if OWL.Class not in types:
        assert list(ontology.objects(iri, RDFS.domain)), term
        assert list(ontology.objects(iri, RDFS.range)), term


def test_ontology_ranges(ontology: Graph):
    assert (TG.TopicCluster, RDFS.subClassOf, SKOS.Collection) in ontology
    assert (TG.score, RDFS.range, XSD.decimal) in ontology
    assert (TG.rank, RDFS.range, XSD.integer) in ontology
    assert (TG.topic, RDFS.range, SKOS.Concept) in ontology
    assert (TG.suggestedTopic, RDFS.range, TG.TopicSuggestion) in ontology
    assert (TG.relatedness, RDFS.range, TG.Relatedness) in ontology
    assert (TG.frontMatter, RDFS.range, RDF.JSON) in ontology


def test_every_tg_term_used_is_declared(ontology: Graph):
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(TG))}
    used = set()
    for path in TTL_FILES:
        for triple in _rdflib_graph(path):
            used.update(t for t in triple if isinstance(t, URIRef) and str(t).startswith(str(TG)))
    assert used - declared == set()
