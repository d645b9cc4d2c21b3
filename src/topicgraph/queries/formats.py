r"""Writing query results: a text table for people, the SPARQL 1.1 results formats and RDF for other tools.

``json``, ``xml``, ``csv`` and ``tsv`` are exactly the W3C SPARQL 1.1 Query Results formats (JSON is written
here; XML, CSV and TSV by pyoxigraph's writers from it), so any SPARQL tool reads them. CONSTRUCT and DESCRIBE
results are RDF: ``ttl``, ``nt``, ``jsonld`` or ``xml`` (RDF/XML).

>>> from pyoxigraph import Literal, NamedNode
>>> r = QueryResult("SELECT", ["t", "n"], [{"t": NamedNode("https://w3id.org/topicgraph/taxonomy/medigy/x"),
...                                         "n": Literal("2", datatype=NamedNode(XSD_INTEGER))}])
>>> serialize(r, "csv")  # CSV ends its lines with CRLF, as the W3C format says
b't,n\r\nhttps://w3id.org/topicgraph/taxonomy/medigy/x,2\r\n'
>>> print(render_table(r))
t             n
------------  -
tax:medigy/x  2
<BLANKLINE>
1 row
"""

from __future__ import annotations

import json

from .. import vocab
from ..errors import TopicgraphError
from ..store import readable
from .result import QueryResult

__all__ = ["serialize", "compact_iri", "render_table", "media_type", "negotiate", "formats_for", "BINDINGS_FORMATS",
           "GRAPH_FORMATS", "OUTPUT_FORMATS", "XSD_INTEGER"]

XSD_INTEGER = vocab.XSD_INTEGER

#: results format -> (media type, other media types that mean the same)
BINDINGS_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": ("application/sparql-results+json", ("application/json",)),
    "xml": ("application/sparql-results+xml", ("application/xml", "text/xml")),
    "csv": ("text/csv", ()),
    "tsv": ("text/tab-separated-values", ()),
}
#: RDF format -> (media type, aliases, pyoxigraph RdfFormat name)
GRAPH_FORMATS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "ttl": ("text/turtle", ("application/x-turtle",), "TURTLE"),
    "nt": ("application/n-triples", ("text/plain",), "N_TRIPLES"),
    "jsonld": ("application/ld+json", (), "JSON_LD"),
    "xml": ("application/rdf+xml", (), "RDF_XML"),
}
OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld")


def formats_for(kind: str) -> list[str]:
    """The format names that apply to a result kind (``bindings``, ``boolean``, ``graph``), default first."""
    return list(GRAPH_FORMATS) if kind == "graph" else list(BINDINGS_FORMATS)


def media_type(kind: str, fmt: str) -> str:
    if fmt == "table":
        return "text/plain; charset=utf-8"
    if kind == "graph":
        return GRAPH_FORMATS[fmt][0]
    mt = BINDINGS_FORMATS[fmt][0]
    return f"{mt}; charset=utf-8" if fmt in ("csv", "tsv") else mt


def negotiate(accept: str | None, kind: str) -> str | None:
    """Pick a format for an HTTP ``Accept`` header (quality values honoured); None when none is acceptable.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "bindings")
    'xml'
    >>> negotiate("*/*", "graph"), negotiate("text/html", "bindings")
    ('ttl', None)
    """
    names = formats_for(kind)
    table = GRAPH_FORMATS if kind == "graph" else BINDINGS_FORMATS
    by_type: dict[str, str] = {}
    for name in names:
        by_type[table[name][0]] = name
        for alias in table[name][1]:
            by_type[alias] = name
    if not accept or not accept.strip():
        return names[0]
    choices = []
    for i, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        mt, q = pieces[0].lower(), 1.0
        for p in pieces[1:]:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > 0 and mt:
            choices.append((-q, i, mt))
    for _, _, mt in sorted(choices):
        if mt in by_type:
            return by_type[mt]
        if mt in ("*/*", "application/*") or (mt.endswith("/*") and any(t.startswith(mt[:-1]) for t in by_type)):
            if mt in ("*/*", "application/*"):
                return names[0]
            return next(by_type[t] for t in by_type if t.startswith(mt[:-1]))
    return None


# ------------------------------------------------------------------------------------------------ writers
def _json_term(term) -> dict:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (vocab.XSD_STRING, vocab.RDF_LANGSTRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, pyoxigraph.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def _json(result: QueryResult) -> bytes:
    if result.kind == "boolean":
        doc = {"head": {}, "boolean": bool(result.boolean)}
    else:
        doc = {"head": {"vars": list(result.variables)},
               "results": {"bindings": [{k: _json_term(v) for k, v in row.items()} for row in result.rows]}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def serialize(result: QueryResult, fmt: str, *, prefixes: dict[str, str] | None = None) -> bytes:
    """``result`` in the format ``fmt`` (see :data:`OUTPUT_FORMATS`); ``table`` gives :func:`render_table`."""
    import pyoxigraph

    from ..vocab import PREFIXES

    if fmt == "table":
        if result.kind == "graph":
            fmt = "ttl"
        else:
            return (render_table(result, prefixes=prefixes) + "\n").encode("utf-8")
    if result.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise TopicgraphError(f"{result.form} returns RDF: choose --format {', '.join(GRAPH_FORMATS)} "
                                  f"(not {fmt})")
        if fmt in ("ttl", "jsonld"):  # sorted, grouped, and readable by every parser (store.readable)
            lines = (pyoxigraph.serialize(result.triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b"").decode(
                "utf-8").splitlines()
            if fmt == "ttl":
                return readable.turtle(lines, dict(prefixes or PREFIXES))
            return readable.jsonld([], _used_prefixes(result.triples, prefixes or PREFIXES), lines)
        rdf_format = getattr(pyoxigraph.RdfFormat, GRAPH_FORMATS[fmt][2])
        used = None if fmt == "nt" else _used_prefixes(result.triples, prefixes or PREFIXES)
        data = pyoxigraph.serialize(result.triples, format=rdf_format, prefixes=used) or b""
        return data if data.endswith(b"\n") or not data else data + b"\n"
    if fmt not in BINDINGS_FORMATS:
        raise TopicgraphError(f"{result.form} returns results: choose --format table, "
                              f"{', '.join(BINDINGS_FORMATS)} (not {fmt})")
    data = _json(result)
    if fmt == "json":
        return data
    if result.kind == "boolean" and fmt in ("csv", "tsv"):
        return b"true" if result.boolean else b"false"
    parsed = pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)
    return parsed.serialize(format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper()))


def _used_prefixes(triples, prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes whose namespace some IRI of ``triples`` starts with (no unused declarations)."""
    import pyoxigraph

    iris = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, pyoxigraph.NamedNode):
                iris.add(term.value)
            elif isinstance(term, pyoxigraph.Literal):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


# ------------------------------------------------------------------------------------------------ the table
def compact_iri(iri: str, prefixes: dict[str, str]) -> str:
    """``iri`` as ``prefix:local`` with the longest namespace of ``prefixes`` that fits, else as it is."""
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")) and len(iri) > len(ns):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]):]}" if best else iri


def _cell(term, prefixes: dict[str, str]) -> str:
    import pyoxigraph

    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return compact_iri(term.value, prefixes)
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Literal):
        return " ".join(term.value.split())
    return str(term)


def _numeric(term) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.Literal) and term.datatype.value.startswith(
        vocab.XSD) and term.datatype.value.rsplit("#", 1)[1] in (
        "integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")


def render_table(result: QueryResult, *, max_width: int = 72, prefixes: dict[str, str] | None = None) -> str:
    """A plain-text table for a terminal: IRIs shortened with our prefixes, long cells cut with ``…``."""
    from ..vocab import PREFIXES

    prefixes = dict(PREFIXES if prefixes is None else prefixes)
    if result.kind == "boolean":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        raise TopicgraphError("CONSTRUCT and DESCRIBE results are RDF: use --format ttl, nt or jsonld")
    cols = list(result.variables)
    cells = [[_cell(row.get(c), prefixes) for c in cols] for row in result.rows]
    cells = [[c if len(c) <= max_width else c[:max_width - 1] + "…" for c in r] for r in cells]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    right = [bool(result.rows) and all(_numeric(row.get(c)) or row.get(c) is None for row in result.rows)
             for c in cols]

    def line(values):
        return "  ".join(v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right)).rstrip()

    out = [line(cols), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    n = len(result.rows)
    out += ["", f"{n} row" + ("" if n == 1 else "s")]
    return "\n".join(out)
