"""Records to triples: the two front-matter seeds triple by triple, entities, unknown topics."""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from topicgraph.iris import IriMinter
from topicgraph.mapping import Mapper
from topicgraph.namespaces import TG
from topicgraph.records import parse_record, read_record
from topicgraph.taxonomy import Taxonomy, load_taxonomy

from .conftest import DATA, SEEDS

FRONT_MATTER_4463 = {
    "archetype": "curate-content",
    "basePath": "/communities/chronic-care-management/curated-content/",
    "breadcrumbLinks": ["/", "/communities/", "/communities/chronic-care-management/",
                        "/communities/chronic-care-management/curated-content", "#"],
    "contentCategories": "medigy-chronic-care-management-curated-content",
    "featuredImage": {"valid": "true", "workPackage": "4463",
                      "wpAttachment": {"fileName": "Curated_Featured_Image.jpg",
                                       "link": "/api/v3/attachments/10826/content"}},
    "openProjectCustomFields": {
        "cleanUrl": "https://www.healthtechmagazines.com/elevating-the-consumer-experience-in-healthcare/",
        "medigyTopics": '["Medigy: Patient Acquisition","Gartner: Customer Experience"]',
        "sourceUrl": "https://www.healthtechmagazines.com/elevating-the-consumer-experience-in-healthcare/"},
    "openProjectWorkPackageType": "Curated Content",
    "owlType": "Medigy Communities",
    "searchCategory": "News",
    "status": "",
    "sub": "brief",
}


def record_graph(nquads: str) -> rdflib.Graph:
    ds = rdflib.Dataset()
    ds.parse(data=nquads, format="nquads")
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def assert_isomorphic(actual: rdflib.Graph, expected: rdflib.Graph) -> None:
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail("graphs differ\nonly in actual:\n" + only_actual.serialize(format="nt")
                    + "\nonly in expected:\n" + only_expected.serialize(format="nt"))


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper(IriMinter(), load_taxonomy())


@pytest.mark.parametrize("seed, record_id", [("000_e196614bccfeda88.txt", "4463"), ("001_46930356a44fedc4.txt", "3896")])
def test_front_matter_seed_triple_by_triple(mapper, seed, record_id):
    rec = read_record(SEEDS / seed, display=f"seeds/{seed}")
    mapped = mapper.map(rec)
    g = record_graph(mapped.nquads)
    (fm_json,) = list(g.objects(None, TG.frontMatter))
    g.remove((None, TG.frontMatter, None))
    expected = rdflib.Graph().parse(DATA / "expected" / f"seed-{record_id}.ttl")
    assert_isomorphic(g, expected)
    assert str(fm_json.datatype) == "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
    if record_id == "4463":
        assert json.loads(str(fm_json)) == FRONT_MATTER_4463
    assert mapped.graph == f"https://w3id.org/topicgraph/id/graph/record/{record_id}"


def test_entities_are_mentioned_once_per_record(mapper):
    rec = read_record(SEEDS / "001_46930356a44fedc4.txt")
    kinds = sorted((m.kind, m.iri) for m in mapper.map(rec).entities if m.kind in ("person", "brand", "community"))
    assert kinds == [
        ("brand", "https://w3id.org/topicgraph/id/brand/managedhealthcareexecutive.com"),
        ("community", "https://w3id.org/topicgraph/id/community/chronic-care-management-%28ccm%29"),
        ("person", "https://w3id.org/topicgraph/id/person/sonalika-ghosh"),
    ]


def test_seed_topics_are_known_to_the_taxonomy(mapper):
    for seed in ("000_e196614bccfeda88.txt", "001_46930356a44fedc4.txt"):
        assert mapper.map(read_record(SEEDS / seed)).unknown_topics == []


def test_unknown_topic_and_vendor_are_still_mapped():
    rec = parse_record(b"---\nid: 1\ntitle: T\ncommunityTopics: ['Acme: Quantum Triage', 'Medigy: Brand New']\n---\n",
                       "x.md")
    mapped = Mapper(IriMinter("https://example.org/kg/"), Taxonomy()).map(rec)
    assert mapped.unknown_topics == ["Acme: Quantum Triage", "Medigy: Brand New"]
    assert mapped.unknown_vendors == ["Acme", "Medigy"]
    concepts = {m.iri: m.extra for m in mapped.entities if m.kind == "concept"}
    assert concepts == {
        "https://w3id.org/topicgraph/taxonomy/acme/quantum-triage": ("https://w3id.org/topicgraph/taxonomy/acme",),
        "https://w3id.org/topicgraph/taxonomy/medigy/brand-new": ("https://w3id.org/topicgraph/taxonomy/medigy",),
    }


def test_topic_lookup_uses_alt_labels_case_insensitively(tmp_path):
    (tmp_path / "acme.ttl").write_text("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/topicgraph/taxonomy/acme> a skos:ConceptScheme ; skos:prefLabel "Acme"@en .
        <https://w3id.org/topicgraph/taxonomy/acme/remote-patient-monitoring> a skos:Concept ;
            skos:prefLabel "Remote Patient Monitoring"@en ; skos:altLabel "RPM"@en ;
            skos:inScheme <https://w3id.org/topicgraph/taxonomy/acme> .
    """)
    tax = load_taxonomy(tmp_path)
    rec = parse_record(b"---\nid: 1\ntitle: T\ncommunityTopics: ['ACME: rpm']\n---\n", "x.md")
    mapped = Mapper(IriMinter(), tax).map(rec)
    assert mapped.unknown_topics == []
    assert "<https://w3id.org/topicgraph/taxonomy/acme/remote-patient-monitoring>" in mapped.nquads
