"""Vocabulary: every IRI topicgraph writes or reads, as plain strings, importable without rdflib.

Code that works on strings or pyoxigraph terms takes its IRIs from here; ``namespaces`` builds rdflib's
``Namespace`` objects and our closed ``TG`` namespace from the same strings, so each IRI is spelled once.

>>> SCHEMA + "about" == SCHEMA_ABOUT
True
>>> PREFIXES["tax"]
'https://w3id.org/topicgraph/taxonomy/'
"""

from __future__ import annotations

# Namespaces
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
#: schema.org, in its ``http://`` form, which is what most RDF tooling and the seeds' consumers expect.
SCHEMA = "http://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
FORMATS = "http://www.w3.org/ns/formats/"
#: Our own terms (``ontology/topicgraph.ttl``).
TG = "https://w3id.org/topicgraph/ns#"
#: Concept schemes and concepts: independent of ``--base-iri`` because taxonomy files are written by hand.
TAX = "https://w3id.org/topicgraph/taxonomy/"
#: Our SHACL shapes (``ontology/shapes/``).
TGSH = "https://w3id.org/topicgraph/shapes#"
#: Where a build mints articles, people, brands and graphs unless ``--base-iri`` says otherwise.
DEFAULT_BASE_IRI = "https://w3id.org/topicgraph/id/"
#: The project's home, named in SARIF output.
HOME = "https://w3id.org/topicgraph"

# Terms used by name in the code
RDF_TYPE = RDF + "type"
RDF_FIRST = RDF + "first"
RDF_JSON = RDF + "JSON"
RDF_LANGSTRING = RDF + "langString"
RDFS_CLASS = RDFS + "Class"
RDFS_SUBCLASS_OF = RDFS + "subClassOf"
OWL_CLASS = OWL + "Class"
OWL_IMPORTS = OWL + "imports"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_DECIMAL = XSD + "decimal"
XSD_DATE = XSD + "date"
XSD_DATETIME = XSD + "dateTime"
SKOS_CONCEPT = SKOS + "Concept"
SKOS_CONCEPT_SCHEME = SKOS + "ConceptScheme"
SKOS_IN_SCHEME = SKOS + "inScheme"
SCHEMA_ABOUT = SCHEMA + "about"
SCHEMA_AUTHOR = SCHEMA + "author"
SCHEMA_PUBLISHER = SCHEMA + "publisher"
SCHEMA_IDENTIFIER = SCHEMA + "identifier"
SCHEMA_PERSON = SCHEMA + "Person"
SCHEMA_ORGANIZATION = SCHEMA + "Organization"
DCTERMS_SOURCE = DCTERMS + "source"
TG_COMMUNITY = TG + "community"
TG_COMMUNITY_CLASS = TG + "Community"
TG_RECORD_FORMAT = TG + "recordFormat"
SKOS_COLLECTION = SKOS + "Collection"
SKOS_MEMBER = SKOS + "member"
SKOS_PREF_LABEL = SKOS + "prefLabel"
TG_TOPIC_CLUSTER = TG + "TopicCluster"
TG_CLUSTER_SIZE = TG + "clusterSize"
TG_MODULARITY = TG + "modularity"
TG_RELATED_TO = TG + "relatedTo"
TG_RELATEDNESS = TG + "relatedness"
TG_RELATED_ARTICLE = TG + "relatedArticle"
TG_SCORE = TG + "score"
TG_RANK = TG + "rank"

#: Prefixes written into Turtle, TriG and JSON-LD output and offered to SPARQL queries.
PREFIXES: dict[str, str] = {
    "schema": SCHEMA,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "xsd": XSD,
    "rdf": RDF,
    "rdfs": RDFS,
    "tg": TG,
    "tax": TAX,
}
