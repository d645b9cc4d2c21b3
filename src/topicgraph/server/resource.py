"""What a resource page shows: a topic, article, author, brand or scheme of the store, gathered by small SPARQL
queries with the resource bound as a term (never pasted into the text) and the build's summary when it is fresh.

Every function takes an opened ``GraphStore`` and returns plain data (dicts, lists, strings and numbers) for the
templates of :mod:`.pages`; nothing here is HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import vocab
from ..queries import run_named, run_query
from ..queries.formats import compact_iri
from ..queries.terms import predeclared

__all__ = ["Resource", "describe", "cbd", "kind_of", "PAGE_SIZE", "MAX_PAGE"]

PAGE_SIZE = 20
MAX_PAGE = 1_000_000  # OFFSET beyond the corpus gives an empty page; beyond this the number is refused
_SKOS, _SCHEMA = vocab.SKOS, vocab.SCHEMA
_KINDS = ((vocab.SKOS_CONCEPT, "topic"), (_SCHEMA + "Article", "article"), (vocab.SCHEMA_PERSON, "author"),
          (vocab.SCHEMA_ORGANIZATION, "brand"), (vocab.SKOS_CONCEPT_SCHEME, "scheme"),
          (vocab.TG_TOPIC_CLUSTER, "cluster"))
_LABELS = f"<{_SKOS}prefLabel>|<{_SCHEMA}name>|<{_SCHEMA}headline>"
_MAPPINGS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


@dataclass
class Resource:
    """One page's worth of facts about ``iri``."""

    iri: str
    kind: str
    title: str
    facts: list[tuple[str, list[dict]]] = field(default_factory=list)  # (property shown, values)
    sections: list[dict] = field(default_factory=list)  # {"title", "columns", "rows" of cells, "pager"?}
    timeline: list[tuple[str, int]] = field(default_factory=list)
    tree: list[dict] = field(default_factory=list)  # a scheme's concepts: {"link", "children"}
    count: int | None = None


def _rows(store, sparql: str, **params) -> list[dict[str, Any]]:
    return run_query(store, sparql, params=params).rows


def _iri_term(iri: str):
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


def kind_of(store, node) -> str | None:
    """``topic``, ``article``, ``author``, ``brand``, ``scheme``, ``cluster``, ``resource`` (something the store
    says things about or points at) or ``None`` (the store knows nothing of it)."""
    types = {row["type"].value for row in _rows(store, "SELECT ?type WHERE { ?r a ?type }", r=node)}
    for iri, kind in _KINDS:
        if iri in types:
            return kind
    if types or run_query(store, "ASK { { ?r ?p ?o } UNION { ?s ?p ?r } }", params={"r": node}).boolean:
        return "resource"
    return None


class _Labels:
    """Labels of IRIs, looked up in batches: the English prefLabel, a name or a headline."""

    def __init__(self, store) -> None:
        self.store, self.known = store, {}
        self.prefixes = predeclared(getattr(store, "base_iri", None))

    def fetch(self, iris) -> None:
        todo = sorted({i for i in iris if i not in self.known})
        self.known.update({i: None for i in todo})
        for start in range(0, len(todo), 500):
            chunk = " ".join(str(_iri_term(i)) for i in todo[start:start + 500])  # serialised terms, not text
            for row in self.store.ox.query(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {chunk} }} ?x {_LABELS} ?l }}",
                                           use_default_graph_as_union=True):
                lang = getattr(row["l"], "language", None) or ""
                if self.known.get(row["x"].value) is None or lang.lower().startswith("en"):
                    self.known[row["x"].value] = row["l"].value

    def link(self, iri: str) -> dict:
        self.fetch([iri])
        return {"iri": iri, "label": self.known.get(iri) or compact_iri(iri, self.prefixes)}


def _value(term, labels: _Labels) -> dict:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return labels.link(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return {"text": f"_:{term.value}"}
    out = {"text": term.value}
    if term.language:
        out["lang"] = term.language
    return out


def _facts(store, node, labels: _Labels) -> list[tuple[str, list[dict]]]:
    rows = _rows(store, "SELECT ?p ?o WHERE { ?r ?p ?o } ORDER BY STR(?p) STR(?o) LIMIT 500", r=node)
    labels.fetch([r["o"].value for r in rows if type(r["o"]).__name__ == "NamedNode"])
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(compact_iri(row["p"].value, labels.prefixes), []).append(_value(row["o"], labels))
    return list(grouped.items())


def _incoming(store, node, labels: _Labels, predicates: list[str]) -> list[tuple[str, list[dict]]]:
    values = " ".join(f"<{p}>" for p in predicates)
    rows = _rows(store, f"SELECT ?s ?p WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?r }} ORDER BY STR(?p) STR(?s) "
                        "LIMIT 500", r=node)
    labels.fetch([r["s"].value for r in rows])
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        shown = "is " + compact_iri(row["p"].value, labels.prefixes) + " of"
        grouped.setdefault(shown, []).append(_value(row["s"], labels))
    return list(grouped.items())


def _summary(store):
    from ..store import ensure_summary

    return ensure_summary(store.folder, store.manifest)


def _timeline(store, node, kind: str, summary) -> list[tuple[str, int]]:
    if summary is not None:
        rows = summary.timeline(node, kind)
    else:
        pred = {"topic": "schema:about", "author": "schema:author", "brand": "schema:publisher"}[kind]
        rows = _rows(store, f"""SELECT ?month (COUNT(DISTINCT ?a) AS ?articles) WHERE {{
            ?a a schema:Article ; {pred} ?r ; schema:datePublished ?date .
            BIND(CONCAT(STR(YEAR(?date)), "-", IF(MONTH(?date) < 10, "0", ""), STR(MONTH(?date))) AS ?month)
          }} GROUP BY ?month ORDER BY ?month""", r=node)
    return [(r["month"].value, int(r["articles"].value)) for r in rows if "month" in r]


def _articles(store, node, pred: str, page: int, labels: _Labels) -> dict:
    # the page's rows first, their headlines after: 21 look-ups instead of one per article of the topic; no
    # `a schema:Article` join, as only articles carry schema:about, schema:author and schema:publisher
    rows = _rows(store, f"""SELECT ?a ?published ?headline WHERE {{
        {{ SELECT ?a ?published WHERE {{ ?a {pred} ?r . OPTIONAL {{ ?a schema:datePublished ?published }} }}
          ORDER BY DESC(?published) ?a LIMIT {PAGE_SIZE + 1} OFFSET {(page - 1) * PAGE_SIZE} }}
        OPTIONAL {{ ?a schema:headline ?headline }}
      }} ORDER BY DESC(?published) ?a""", r=node)
    more = len(rows) > PAGE_SIZE
    out = []
    for row in rows[:PAGE_SIZE]:
        link = {"iri": row["a"].value, "label": row["headline"].value if "headline" in row else row["a"].value}
        out.append([link, {"text": row["published"].value if "published" in row else ""}])
    return {"title": "Articles, newest first", "columns": ["article", "published"], "rows": out,
            "pager": {"page": page, "prev": page > 1, "next": more}}


def _count_rows(title: str, columns: list[str], rows, labels: _Labels) -> dict:
    """A table of (IRI, count) pairs, most first."""
    labels.fetch([iri for iri, _ in rows])
    return {"title": title, "columns": columns, "rows": [[labels.link(iri), {"text": str(n)}] for iri, n in rows]}


def _top(store, node, summary, *, by: str, of: str, limit: int = 10) -> list[tuple[str, int]]:
    """Top ``of`` (author, brand or topic) for the resource ``node`` found by ``by`` (topic, author or brand)."""
    if summary is not None:
        if by == "topic":
            rows = (summary.authors_by_topic if of == "author" else summary.brands_by_topic)(node)
            ranked = sorted({(r[of].value, int(r["articles"].value)) for r in rows}, key=lambda x: (-x[1], x[0]))
        else:
            rows = (summary.authors_by_topic(author=node) if by == "author" else summary.brands_by_topic(brand=node))
            ranked = sorted({(r["topic"].value, int(r["articles"].value)) for r in rows}, key=lambda x: (-x[1], x[0]))
        return ranked[:limit]
    pred = {"topic": "schema:about", "author": "schema:author", "brand": "schema:publisher"}
    rows = _rows(store, f"""SELECT ?x (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a schema:Article ; {pred[by]} ?r ;
        {pred[of]} ?x }} GROUP BY ?x ORDER BY DESC(?n) STR(?x) LIMIT {limit}""", r=node)
    return [(r["x"].value, int(r["n"].value)) for r in rows]


def _cotagged(store, node, summary, limit: int = 15) -> list[tuple[str, int]]:
    if summary is not None:
        rows = summary.cooccurrence(node, limit=limit)
        return [(r["topicB"].value if r["topicA"] == node else r["topicA"].value, int(r["articles"].value))
                for r in rows]
    rows = _rows(store, f"""SELECT ?x (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a schema:Article ; schema:about ?r, ?x
        FILTER(!sameTerm(?x, ?r)) }} GROUP BY ?x ORDER BY DESC(?n) STR(?x) LIMIT {limit}""", r=node)
    return [(r["x"].value, int(r["n"].value)) for r in rows]


def _count(store, node, summary, kind: str) -> int:
    if summary is not None:
        return summary.count(node, kind)
    pred = {"topic": "schema:about", "author": "schema:author", "brand": "schema:publisher"}[kind]
    rows = _rows(store, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a schema:Article ; {pred} ?r }}", r=node)
    return int(rows[0]["n"].value)


def _related(store, iri: str, labels: _Labels) -> dict:
    from .related import related_items

    items = related_items(store, iri)
    labels.fetch([item.article for item in items])
    rows = [[labels.link(item.article), {"text": f"{item.score:.3f}"}, {"text": "; ".join(item.reasons())}]
            for item in items]
    return {"title": "Related articles (as `topicgraph related` scores them)", "columns": ["article", "score",
            "why"], "rows": rows}


def _tree(store, node, labels: _Labels) -> list[dict]:
    rows = _rows(store, """SELECT ?c ?parent WHERE { ?c skos:inScheme ?r .
        OPTIONAL { ?c skos:broader ?parent . ?parent skos:inScheme ?r } } LIMIT 20000""", r=node)
    labels.fetch([r["c"].value for r in rows])
    children: dict[str | None, set[str]] = {}
    concepts = {r["c"].value for r in rows}
    for row in rows:
        parent = row["parent"].value if "parent" in row and row["parent"].value in concepts else None
        children.setdefault(parent, set()).add(row["c"].value)

    def build(parent: str | None, seen: frozenset) -> list[dict]:
        kids = sorted(children.get(parent, ()), key=lambda i: (labels.link(i)["label"].lower(), i))
        return [{"link": labels.link(k), "children": build(k, seen | {k}) if k not in seen else []}
                for k in kids if k not in seen]

    return build(None, frozenset())


def describe(store, iri: str, page: int = 1) -> Resource | None:
    """Everything the page of ``iri`` shows; ``None`` when the store knows nothing of it."""
    node = _iri_term(iri)
    kind = kind_of(store, node)
    if kind is None:
        return None
    labels = _Labels(store)
    title = labels.link(iri)["label"]
    res = Resource(iri, kind, title, _facts(store, node, labels))
    incoming = [vocab.SKOS + "broader", vocab.SKOS + "hasTopConcept", vocab.SKOS_MEMBER]
    incoming += [vocab.SKOS + m for m in _MAPPINGS]
    res.facts += _incoming(store, node, labels, incoming)
    summary = _summary(store) if kind in ("topic", "author", "brand") else None
    try:
        if kind == "topic":
            res.count = _count(store, node, summary, "topic")
            res.timeline = _timeline(store, node, "topic", summary)
            res.sections.append(_count_rows("Most co-tagged topics", ["topic", "articles together"],
                                            _cotagged(store, node, summary), labels))
            res.sections.append(_count_rows("Top authors", ["author", "articles"],
                                            _top(store, node, summary, by="topic", of="author"), labels))
            res.sections.append(_count_rows("Top brands", ["brand", "articles"],
                                            _top(store, node, summary, by="topic", of="brand"), labels))
            res.sections.append(_articles(store, node, "schema:about", page, labels))
        elif kind in ("author", "brand"):
            pred = "schema:author" if kind == "author" else "schema:publisher"
            res.count = _count(store, node, summary, kind)
            res.timeline = _timeline(store, node, kind, summary)
            res.sections.append(_count_rows("Topics", ["topic", "articles"],
                                            _top(store, node, summary, by=kind, of="topic", limit=25), labels))
            res.sections.append(_articles(store, node, pred, page, labels))
        elif kind == "article":
            source = _rows(store, "SELECT ?file WHERE { ?r prov:wasDerivedFrom/dcterms:source ?file }", r=node)
            res.facts.append(("source file", [{"text": r["file"].value} for r in source]))
            res.sections.append(_related(store, iri, labels))
        elif kind == "scheme":
            res.tree = _tree(store, node, labels)
    finally:
        if summary is not None:
            summary.close()
    return res


def cbd(store, iri: str):
    """The Concise Bounded Description of ``iri`` (its statements, blank nodes followed), as a graph result."""
    from ..queries import QueryResult

    node = _iri_term(iri)
    triples, seen, todo = [], set(), [node]
    import pyoxigraph

    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for quad in store.ox.quads_for_pattern(subject, None, None):
            triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
            triples.append(triple)
            if isinstance(quad.object, pyoxigraph.BlankNode):
                todo.append(quad.object)
    return QueryResult("CONSTRUCT", triples=list(dict.fromkeys(triples)))


def named_values(store) -> dict[str, list[dict]]:
    """Values to offer in the query page's parameter fields: the most used topics, the vendors, some articles."""
    topics = run_named(store, "topics-by-vendor").rows
    ranked = sorted({(r["topic"].value, r.get("label").value if r.get("label") is not None else r["topic"].value,
                      int(r["articles"].value)) for r in topics}, key=lambda x: (-x[2], x[0]))[:200]
    vendors = sorted({(r["vendor"].value, r["vendorLabel"].value if r.get("vendorLabel") is not None else "")
                      for r in topics})
    ids = _rows(store, """SELECT ?value ?label WHERE { ?a schema:identifier ?value ; schema:about ?t .
        OPTIONAL { ?a schema:headline ?label } } LIMIT 50""")
    seen: dict[str, str] = {}
    for row in ids:
        seen.setdefault(row["value"].value, row["label"].value if "label" in row else "")
    return {"topic": [{"value": t, "label": f"{label} ({n})"} for t, label, n in ranked],
            "vendor": [{"value": v, "label": label} for v, label in vendors],
            "identifier": [{"value": v, "label": label} for v, label in list(seen.items())[:20]]}
