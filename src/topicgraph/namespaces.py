"""Namespaces: rdflib ``Namespace`` objects for the vocabularies in ``vocab``, and our own closed ``tg:`` namespace."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

from . import vocab
from .vocab import DEFAULT_BASE_IRI, PREFIXES

__all__ = ["SCHEMA", "SKOS", "DCTERMS", "PROV", "XSD", "RDF", "RDFS", "TG", "TAX", "SH", "DEFAULT_BASE_IRI",
           "TG_IRI", "TAX_IRI", "PREFIXES"]

SCHEMA = Namespace(vocab.SCHEMA)
SH = Namespace(vocab.SH)
TG_IRI = vocab.TG
TAX_IRI = vocab.TAX
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

