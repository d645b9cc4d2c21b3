"""Namespaces: the standard vocabularies we use and our own closed ``tg:`` namespace."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

__all__ = ["SCHEMA", "SKOS", "DCTERMS", "PROV", "XSD", "RDF", "RDFS", "TG", "TAX", "SH", "DEFAULT_BASE_IRI",
           "TG_IRI", "TAX_IRI", "PREFIXES"]

#: schema.org, in its ``http://`` form, which is what most RDF tooling and the seeds' consumers expect.
SCHEMA = Namespace("http://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

TG_IRI = "https://w3id.org/topicgraph/ns#"
TAX_IRI = "https://w3id.org/topicgraph/taxonomy/"
DEFAULT_BASE_IRI = "https://w3id.org/topicgraph/id/"

#: Concept schemes and concepts: independent of ``--base-iri`` because taxonomy files are written by hand.
TAX = Namespace(TAX_IRI)


class TG(DefinedNamespace):
    """Our own terms (``ontology/topicgraph.ttl``); closed, so a typo such as ``TG.comunity`` fails at once."""

    _fail = True
    _NS = Namespace(TG_IRI)

    # classes
    Community: URIRef
    TopicSuggestion: URIRef
    Relatedness: URIRef
    TopicCluster: URIRef
    # record properties
    linkHref: URIRef
    community: URIRef
    slug: URIRef
    alias: URIRef
    mdName: URIRef
    recordType: URIRef
    curationSource: URIRef
    recordFormat: URIRef
    missing: URIRef
    frontMatter: URIRef
    sha256: URIRef
    # machine suggestions, related items, clusters
    suggestedTopic: URIRef
    topic: URIRef
    score: URIRef
    evidence: URIRef
    relatedTo: URIRef
    relatedness: URIRef
    relatedArticle: URIRef
    rank: URIRef
    modularity: URIRef
    clusterSize: URIRef


#: Prefixes written into Turtle, TriG and JSON-LD output and offered to SPARQL queries.
PREFIXES: dict[str, str] = {
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "xsd": str(XSD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "tg": TG_IRI,
    "tax": TAX_IRI,
}
