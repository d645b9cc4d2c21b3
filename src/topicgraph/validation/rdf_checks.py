"""Checking one RDF file: does it parse, and does it conform to the SHACL shapes (with the taxonomy beside it)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import Finding
from ..shacl import RdfLines
from .context import Context
from .summary import short_iri, summary

__all__ = ["check_rdf", "RDF_EXTENSIONS"]

#: file extension -> (RdfLines kind, pyoxigraph format name)
RDF_EXTENSIONS: dict[str, tuple[str, str]] = {
    ".ttl": ("ttl", "TURTLE"), ".nt": ("nt", "N_TRIPLES"), ".nq": ("nq", "N_QUADS"), ".trig": ("trig", "TRIG"),
    ".jsonld": ("jsonld", "JSON_LD"), ".rdf": ("xml", "RDF_XML"), ".owl": ("xml", "RDF_XML"),
}
_FORMAT_NAMES = {"TURTLE": "Turtle", "N_TRIPLES": "N-Triples", "N_QUADS": "N-Quads", "TRIG": "TriG",
                 "JSON_LD": "JSON-LD", "RDF_XML": "RDF/XML"}


def check_rdf(data: bytes, display: str, kind: tuple[str, str], ctx: Context) -> dict:
    """Parse an RDF file (every statement, any named graph) and validate it against the shapes.

    The taxonomy is added to the data graph for the ``sh:class`` checks of topics, and results about the taxonomy's
    own nodes are left to the taxonomy stage.
    """
    import pyoxigraph
    import rdflib

    lines_kind, fmt = kind
    try:
        quads = list(pyoxigraph.parse(input=data, format=getattr(pyoxigraph.RdfFormat, fmt),
                                      base_iri=Path(display).resolve().as_uri()))
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", None) or str(exc)
        name = _FORMAT_NAMES.get(fmt, fmt)
        fix = "correct the syntax at that line" if line else "correct the file so that it parses"
        if fmt == "JSON_LD":
            fix += "; remote @context documents are never fetched: put the context in the file"
        return summary("rdf", [Finding(display, f"not valid {name}: {msg}", line=line, rule="rdf.syntax",
                                       fix=fix)])
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    described = {q.subject.value for q in quads if isinstance(q.subject, pyoxigraph.NamedNode)}
    graph = rdflib.Graph()
    graph.parse(data=nt + ctx.taxonomy_nt(), format="nt")
    text = data.decode("utf-8", errors="replace")
    lines = RdfLines(text, lines_kind)
    out = []
    for r in ctx.shapes.validate(graph):
        if r.focus in ctx.taxonomy_types and r.focus not in described:
            continue
        path = r.path or ctx.shapes.implied_path(r.shape)
        out.append(r.finding(display, line=lines.line(r.focus, path), field=short_iri(path) if path else None,
                             short=short_iri))
    digest = hashlib.sha256(data).hexdigest()
    return summary("rdf", out, sha256=digest, triples=len(quads))
