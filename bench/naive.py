"""The naive pipeline, for comparison: python-frontmatter, rdflib ``Graph.add``, N-Triples (or Turtle), pyshacl, SPARQL.

Run by ``bench/run.py`` in a process of its own (so its peak memory is its own); prints one JSON object with the
seconds each stage took. It maps the same fields topicgraph's core mapping does (article, headline, description,
dates, url, authors, brand, curated topics with their labels and schemes, tags), about 13 triples a record.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

QUERIES = {
    "related-articles": """
        PREFIX schema: <http://schema.org/>
        SELECT ?other (COUNT(?t) AS ?shared) WHERE {
          ?a schema:identifier %ID% . ?a schema:about ?t . ?other schema:about ?t . FILTER(?other != ?a)
        } GROUP BY ?other ORDER BY DESC(?shared) LIMIT 10""",
    "topics-by-vendor": """
        PREFIX schema: <http://schema.org/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?vendor (COUNT(DISTINCT ?t) AS ?topics) (COUNT(?a) AS ?uses) WHERE {
          ?a schema:about ?t . ?t skos:inScheme ?s . ?s skos:prefLabel ?vendor
        } GROUP BY ?vendor ORDER BY DESC(?uses)""",
    "topic-co-occurrence": """
        PREFIX schema: <http://schema.org/>
        SELECT ?t1 ?t2 (COUNT(?a) AS ?n) WHERE {
          ?a schema:about ?t1, ?t2 . FILTER(STR(?t1) < STR(?t2))
        } GROUP BY ?t1 ?t2 ORDER BY DESC(?n) LIMIT 50""",
}


def with_id(query: str, record_id: str) -> str:
    """The query with ``%ID%`` replaced by the record id as a SPARQL string literal."""
    return query.replace("%ID%", json.dumps(record_id))


def main(corpus: str, shapes_dir: str, first_id: str, stages: str = "read,graph,nt,validate,queries") -> None:
    import frontmatter
    import rdflib
    from rdflib import RDF, SKOS, Literal, Namespace, URIRef, XSD

    wanted = set(stages.split(","))
    schema = Namespace("http://schema.org/")
    base = "https://w3id.org/topicgraph/id/"
    tax = "https://w3id.org/topicgraph/taxonomy/"
    times: dict[str, float] = {}
    files = sorted(p for p in Path(corpus).rglob("*") if p.is_file() and p.suffix in (".md", ".txt"))

    t, c = time.perf_counter(), time.process_time()
    posts = [frontmatter.load(p) for p in files]
    times["read"] = time.perf_counter() - t
    times["read_cpu"] = time.process_time() - c
    if "graph" not in wanted:
        print(json.dumps(times))
        return

    t, c = time.perf_counter(), time.process_time()
    g = rdflib.Graph()
    for path, post in zip(files, posts):
        m = post.metadata
        art = URIRef(f"{base}article/{m.get('id', path.stem)}")
        g.add((art, RDF.type, schema.Article))
        g.add((art, schema.identifier, Literal(str(m.get("id", path.stem)))))
        if m.get("title"):
            g.add((art, schema.headline, Literal(m["title"])))
        if m.get("description"):
            g.add((art, schema.description, Literal(m["description"])))
        if m.get("date"):
            g.add((art, schema.datePublished, Literal(str(m["date"]), datatype=XSD.dateTime)))
        if m.get("lastMod"):
            g.add((art, schema.dateModified, Literal(str(m["lastMod"]), datatype=XSD.dateTime)))
        link = m.get("link") or {}
        if link.get("original"):
            g.add((art, schema.url, URIRef(link["original"])))
        if link.get("brand"):
            brand = URIRef(f"{base}brand/{link['brand']}")
            g.add((art, schema.publisher, brand))
            g.add((brand, RDF.type, schema.Organization))
            g.add((brand, schema.name, Literal(link["brand"])))
        for name in m.get("author") or []:
            person = URIRef(f"{base}person/{'-'.join(str(name).lower().split())}")
            g.add((art, schema.author, person))
            g.add((person, RDF.type, schema.Person))
            g.add((person, schema.name, Literal(name)))
        for topic in m.get("communityTopics") or []:
            vendor, _, label = str(topic).partition(":")
            scheme = URIRef(f"{tax}{vendor.strip().lower()}")
            concept = URIRef(f"{tax}{vendor.strip().lower()}/{'-'.join(label.lower().split())}")
            g.add((art, schema.about, concept))
            g.add((concept, RDF.type, SKOS.Concept))
            g.add((concept, SKOS.prefLabel, Literal(label.strip(), lang="en")))
            g.add((concept, SKOS.inScheme, scheme))
            g.add((scheme, SKOS.prefLabel, Literal(vendor.strip(), lang="en")))
        for tag in m.get("tags") or []:
            g.add((art, schema.keywords, Literal(str(tag))))
    times["graph"] = time.perf_counter() - t
    times["graph_cpu"] = time.process_time() - c
    times["triples"] = len(g)

    if "nt" in wanted:  # what `topicgraph build --format nt` is compared with
        t, c = time.perf_counter(), time.process_time()
        g.serialize(destination=str(Path(corpus).parent / f"naive-{Path(corpus).name}.nt"), format="nt")
        times["nt"] = time.perf_counter() - t
        times["nt_cpu"] = time.process_time() - c

    if "ttl" in wanted:
        t, c = time.perf_counter(), time.process_time()
        g.serialize(destination=str(Path(corpus).parent / f"naive-{Path(corpus).name}.ttl"), format="turtle")
        times["ttl"] = time.perf_counter() - t
        times["ttl_cpu"] = time.process_time() - c

    if "validate" in wanted:
        import pyshacl

        shapes = rdflib.Graph()
        for f in sorted(Path(shapes_dir).glob("*.ttl")):
            shapes.parse(f)
        t, c = time.perf_counter(), time.process_time()
        pyshacl.validate(g, shacl_graph=shapes, inference="none")
        times["validate"] = time.perf_counter() - t
        times["validate_cpu"] = time.process_time() - c

    if "queries" in wanted:
        for name, q in QUERIES.items():
            t, c = time.perf_counter(), time.process_time()
            list(g.query(with_id(q, first_id)))
            times[f"query:{name}"] = time.perf_counter() - t
            times[f"query:{name}_cpu"] = time.process_time() - c
    print(json.dumps(times))


if __name__ == "__main__":
    main(*sys.argv[1:])
