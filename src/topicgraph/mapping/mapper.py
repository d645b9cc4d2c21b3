"""Records to RDF: the article's own triples (its named graph) and the shared entities it mentions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from urllib.parse import urlsplit

from ..namespaces import DCTERMS, PROV, RDF, SCHEMA, SKOS, TG, XSD
from ..records.limits import breadcrumb_text, front_matter_json
from ..records.model import Record
from ..taxonomy.index import Taxonomy
from ..iris import IriMinter
from .nquads import RDF_JSON, XSD_NS, iri, literal, quad

__all__ = ["MappedRecord", "Mapper", "EntityMention", "entity_nquads", "count_mentions", "file_statement",
           "statement_lists"]

_T = {name: iri(str(term)) for name, term in {
    "type": RDF.type, "Article": SCHEMA.Article, "Person": SCHEMA.Person, "Organization": SCHEMA.Organization,
    "ImageObject": SCHEMA.ImageObject, "identifier": SCHEMA.identifier, "headline": SCHEMA.headline,
    "description": SCHEMA.description, "articleBody": SCHEMA.articleBody, "datePublished": SCHEMA.datePublished,
    "dateModified": SCHEMA.dateModified, "url": SCHEMA.url, "author": SCHEMA.author, "publisher": SCHEMA.publisher,
    "about": SCHEMA.about, "keywords": SCHEMA.keywords, "articleSection": SCHEMA.articleSection,
    "breadcrumb": SCHEMA.breadcrumb, "image": SCHEMA.image, "contentUrl": SCHEMA.contentUrl,
    "caption": SCHEMA.caption, "encodingFormat": SCHEMA.encodingFormat, "width": SCHEMA.width,
    "height": SCHEMA.height, "name": SCHEMA.name, "alternateName": SCHEMA.alternateName,
    "contentSize": SCHEMA.contentSize, "Concept": SKOS.Concept, "ConceptScheme": SKOS.ConceptScheme,
    "prefLabel": SKOS.prefLabel, "inScheme": SKOS.inScheme, "Entity": PROV.Entity,
    "wasDerivedFrom": PROV.wasDerivedFrom, "source": DCTERMS.source, "Community": TG.Community,
    "community": TG.community, "linkHref": TG.linkHref, "slug": TG.slug, "alias": TG.alias, "mdName": TG.mdName,
    "recordType": TG.recordType, "curationSource": TG.curationSource, "recordFormat": TG.recordFormat,
    "missing": TG.missing, "frontMatter": TG.frontMatter, "sha256": TG.sha256,
}.items()}
_XSD_INTEGER = str(XSD.integer)
_XSD_STRING = XSD_NS + "string"


@dataclass(frozen=True)
class EntityMention:
    """A shared node a record names; the build writes one description of each into the entities graph."""

    kind: str  # person | brand | community | concept | scheme
    iri: str
    label: str
    extra: tuple[str, ...] = ()  # brand: (url,); community: (mast head,); concept: (scheme IRI,)


@dataclass
class MappedRecord:
    """One record's N-Quads (in its own graph) and the entities it mentions."""

    record_id: str
    article: str
    graph: str
    nquads: str
    entities: list[EntityMention] = field(default_factory=list)
    unknown_topics: list[str] = field(default_factory=list)
    unknown_vendors: list[str] = field(default_factory=list)
    triples: int = 0
    about: list[str] = field(default_factory=list)  # concept IRIs of the curated topics
    #: with ``Mapper(..., triples=...)``: the statements of ``nquads`` already parsed, as
    #: ``({"<s>": {"<p>": [object, ...]}}, {IRIs named as subject or object})`` (objects as
    #: :func:`topicgraph.shacl.parse_triple` gives them); None when not asked for, or when the lines
    #: are not plain enough to be read that way (the reader of ``nquads`` then takes its own, slower way)
    own: tuple[dict, set[str]] | None = None



def file_statement(triples: dict[str, dict[str, dict]], named: set[str], s: str, p: str, o) -> None:
    """File the statement ``s p o`` in ``{subject: {predicate: {object: None}}}`` (the objects an ordered set:
    a repeat is kept once, in its first place, in constant time, however many objects a predicate has); a subject
    seen for the first time has its IRI (``s`` without ``<>``) added to ``named``. :func:`statement_lists` turns
    the result into the shape validation checks a record in.

    >>> t, n = {}, set()
    >>> for o in ('"a"', '"b"', '"a"'):
    ...     file_statement(t, n, "<x>", "<p>", o)
    >>> statement_lists(t), n
    ({'<x>': {'<p>': ['"a"', '"b"']}}, {'x'})
    """
    preds = triples.get(s)
    if preds is None:
        preds = triples[s] = {}
        named.add(s[1:-1])
    objs = preds.get(p)
    if objs is None:
        preds[p] = {o: None}
    else:
        objs[o] = None


def statement_lists(triples: dict[str, dict[str, dict]]) -> dict[str, dict[str, list]]:
    """Statements filed by :func:`file_statement` as ``{subject: {predicate: [objects, no repeats, in order]}}``."""
    return {s: {p: list(objs) for p, objs in preds.items()} for s, preds in triples.items()}


class Mapper:
    """Maps records to N-Quads under one base IRI, resolving topics against a taxonomy.

    >>> from topicgraph.records import parse_record
    >>> rec = parse_record(b"---\\nid: 1\\ntitle: T\\ncommunityTopics: ['Medigy: AI']\\n---\\n", "a.md")
    >>> m = Mapper(IriMinter("https://example.org/"), Taxonomy()).map(rec)
    >>> m.article, m.triples, m.unknown_topics
    ('https://example.org/article/1', 10, ['Medigy: AI'])

    With ``triples`` (validation passes :func:`topicgraph.shacl.typed_literal`, which gives the node
    of a typed literal), :meth:`map` also hands over the record's statements already parsed
    (:attr:`MappedRecord.own`), so that they need not be read back from the N-Quads; without it (the build),
    mapping does nothing more than write the N-Quads.
    """

    def __init__(self, minter: IriMinter, taxonomy: Taxonomy, *,
                 triples: Callable[[str, str], tuple] | None = None) -> None:
        self.minter = minter
        self.taxonomy = taxonomy
        self.typed_node = triples
        # taxonomy.resolve's answers kept: corpora name the same few hundred topics again and again (the taxonomy
        # does not change once loaded)
        self._resolve = lru_cache(maxsize=100_000)(taxonomy.resolve)

    def map(self, rec: Record) -> MappedRecord:
        m = self.minter
        article = m.article(rec.id)
        graph = iri(m.record_graph(rec.id))
        a = iri(article)
        out: list[str] = []
        entities: list[EntityMention] = []
        unknown_topics: list[str] = []
        unknown_vendors: list[str] = []
        about: list[str] = []
        about_set: set[str] = set()  # membership in the list would make a record with many topics quadratic

        tail = f" {graph} .\n"  # every quad of the record is in its graph (quad() inlined: 36 calls a record)
        # add(p, o, s): o an IRI term (a constant, or made with iri()); ref(p, value): the IRI value as an object of
        # the article; lit(p, value, datatype, s): a literal. Without typed_node (the build) ref and lit make the
        # very calls that add(p, iri(value)) and add(p, literal(value, datatype)) made: it pays nothing for the
        # parsed statements it does not ask for
        typed_node = self.typed_node
        if typed_node is None:
            def add(p: str, o: str, s: str = a) -> None:
                out.append(f"{s} {_T[p]} {o}{tail}")

            def ref(p: str, value: str) -> None:  # always about the article
                out.append(f"{a} {_T[p]} {iri(value)}{tail}")

            def lit(p: str, value: str, datatype: str | None = None, s: str = a) -> None:
                out.append(f"{s} {_T[p]} {literal(value, datatype)}{tail}")
        else:
            # the statements as own_triples in topicgraph.validation.record_graph reads them back from the N-Quads:
            # {subject: {predicate: [objects, no repeats, in order]}}; IRIs as "<iri>", a literal as
            # (lexical form, language, datatype) with xsd:string dropped and a typed one normalised by typed_node
            own: dict[str, dict[str, dict]] = {a: {}}
            named: set[str] = {article}
            plain = True  # False: a literal of another type than str, which the N-Quads reader does not take

            put = partial(file_statement, own, named)

            def add(p: str, o: str, s: str = a) -> None:
                pred = _T[p]
                out.append(f"{s} {pred} {o}{tail}")
                put(s, pred, o)
                named.add(o[1:-1])

            def ref(p: str, value: str) -> None:
                o = iri(value)
                pred = _T[p]
                out.append(f"{a} {pred} {o}{tail}")
                put(a, pred, o)
                named.add(value)

            def lit(p: str, value: str, datatype: str | None = None, s: str = a) -> None:
                nonlocal plain
                pred = _T[p]
                out.append(f"{s} {pred} {literal(value, datatype)}{tail}")
                if value.__class__ is not str:
                    plain = False
                    return
                if datatype and datatype != _XSD_STRING:
                    if '"' in datatype:  # the reader takes the last '"' of a statement for the literal's end
                        plain = False
                    o = typed_node(value, datatype)
                else:
                    o = (value, None, None)
                put(s, pred, o)

        add("type", _T["Article"])
        lit("identifier", rec.id)
        lit("recordFormat", rec.format)
        if rec.title:
            lit("headline", rec.title)
        if rec.description:
            lit("description", rec.description)
        if rec.body:
            lit("articleBody", rec.body)
        for prop, value in (("datePublished", rec.date), ("dateModified", rec.last_mod)):
            if value is not None:
                lit(prop, value.lexical, f"{XSD}{value.datatype}")
        original = rec.link.original or rec.link.href
        if original:
            ref("url", original)
        if rec.link.href and rec.link.href != original:
            ref("linkHref", rec.link.href)
        for name in dict.fromkeys(rec.authors):
            person = m.person(name)
            ref("author", person)
            entities.append(EntityMention("person", person, name))
        if rec.link.brand:
            domain = rec.link.brand.strip().lower().rstrip(".")
            brand = m.brand(domain)
            ref("publisher", brand)
            host = domain if "/" not in domain else urlsplit(domain).hostname or domain
            entities.append(EntityMention("brand", brand, rec.link.brand.strip(), (f"https://{host}/",)))
        resolve = self._resolve
        for topic in dict.fromkeys(rec.topics):
            concept, known = resolve(topic.vendor, topic.label)
            if concept in about_set:
                continue  # two spellings of one topic
            about_set.add(concept)
            about.append(concept)
            ref("about", concept)
            if not known:
                unknown_topics.append(str(topic))
                scheme = self.taxonomy.scheme_for(topic.vendor)
                if scheme is None:
                    scheme = m.scheme(topic.vendor)
                    unknown_vendors.append(topic.vendor)
                    entities.append(EntityMention("scheme", scheme, topic.vendor))
                entities.append(EntityMention("concept", concept, topic.label, (scheme,)))
        for tag in dict.fromkeys(rec.tags):
            lit("keywords", tag)
        for cat in dict.fromkeys(rec.categories):
            lit("articleSection", cat)
        if rec.breadcrumbs:
            lit("breadcrumb", breadcrumb_text(rec.breadcrumbs))
        if rec.community:
            community = m.community(rec.community)
            ref("community", community)
            entities.append(EntityMention("community", community, rec.community,
                                          (rec.mast_head,) if rec.mast_head else ()))
        for prop, value in (("slug", rec.slug), ("mdName", rec.md_name), ("recordType", rec.type),
                            ("curationSource", rec.source)):
            if value:
                lit(prop, value)
        for alias in dict.fromkeys(rec.aliases):
            lit("alias", alias)
        for name in rec.missing:
            lit("missing", name)
        if rec.extra:
            lit("frontMatter", front_matter_json(rec.extra), RDF_JSON)
        img = rec.featured_image
        if img is not None and any((img.href, img.alt, img.format, img.width)):
            i = iri(article + "#image")
            add("image", i)
            add("type", _T["ImageObject"], i)
            for prop, value in (("contentUrl", img.href), ("caption", img.alt), ("encodingFormat", img.format)):
                if value:
                    lit(prop, value, None, i)
            if img.width is not None and img.height is not None:
                lit("width", str(img.width), _XSD_INTEGER, i)
                lit("height", str(img.height), _XSD_INTEGER, i)
        f = iri(m.source_file(rec.sha256))
        add("wasDerivedFrom", f)
        add("type", _T["Entity"], f)
        lit("source", rec.path, None, f)
        lit("sha256", rec.sha256, None, f)
        lit("contentSize", str(rec.size), _XSD_INTEGER, f)
        return MappedRecord(rec.id, article, m.record_graph(rec.id), "".join(out), entities,
                            unknown_topics, list(dict.fromkeys(unknown_vendors)), len(out), about,
                            (statement_lists(own), named) if typed_node is not None and plain else None)


def count_mentions(mentions: dict[str, Counter], found: Iterable[EntityMention]) -> None:
    """Add mentions to ``mentions`` (entity IRI -> Counter of (kind, label, extra)): memory grows with the
    number of distinct entities and spellings, not with the number of records."""
    for m in found:
        counter = mentions.get(m.iri)
        if counter is None:
            counter = mentions[m.iri] = Counter()
        counter[(m.kind, m.label, m.extra)] += 1


def entity_nquads(mentions: dict[str, Counter], graph: str) -> str:
    """One description per entity IRI; where records spell a name differently, the most common spelling wins
    (ties: the first in sorted order), so the result does not depend on the order records were read."""
    g = iri(graph)
    out: list[str] = []
    for ent_iri in sorted(mentions):
        counted = mentions[ent_iri]
        kind = next(iter(counted))[0]
        labels: Counter = Counter()
        extras: Counter = Counter()
        for (_, label, extra), n in counted.items():
            labels[label] += n
            if extra:
                extras[extra] += n
        label = sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        s = iri(ent_iri)
        ranked = sorted(extras.items(), key=lambda kv: (-kv[1], kv[0]))
        extra = ranked[0][0] if ranked else ()
        if kind == "person":
            out += [quad(s, _T["type"], _T["Person"], g), quad(s, _T["name"], literal(label), g)]
        elif kind == "brand":
            out += [quad(s, _T["type"], _T["Organization"], g), quad(s, _T["name"], literal(label), g)]
            if extra:
                out.append(quad(s, _T["url"], iri(extra[0]), g))
        elif kind == "community":
            out += [quad(s, _T["type"], _T["Community"], g), quad(s, _T["name"], literal(label), g)]
            if extra:
                out.append(quad(s, _T["alternateName"], literal(extra[0]), g))
        elif kind == "concept":
            out += [quad(s, _T["type"], _T["Concept"], g), quad(s, _T["prefLabel"], literal(label, lang="en"), g),
                    quad(s, _T["inScheme"], iri(extra[0]), g)]
        elif kind == "scheme":
            out += [quad(s, _T["type"], _T["ConceptScheme"], g),
                    quad(s, _T["prefLabel"], literal(label, lang="en"), g)]
    return "".join(out)
