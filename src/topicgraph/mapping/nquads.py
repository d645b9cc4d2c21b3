"""Writing N-Quads terms by hand, safely: the fast path from records to the store, checked by pyoxigraph on load."""

from __future__ import annotations

import re

__all__ = ["iri", "literal", "quad", "XSD_NS", "RDF_JSON"]

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f\ufffe\uffff]')
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def iri(value: str) -> str:
    """An IRI term. Our IRIs are safe by construction; this refuses anything that would break the line.

    >>> iri("http://schema.org/Article")
    '<http://schema.org/Article>'
    """
    if _BAD_IRI.search(value):
        raise ValueError(f"unsafe IRI {value!r}")
    return f"<{value}>"


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal term, every character that N-Quads forbids (or a reader may choke on) escaped.

    >>> literal('say "hi"\\n', lang="en")
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> literal("2021-02-03", XSD_NS + "date")
    '"2021-02-03"^^<http://www.w3.org/2001/XMLSchema#date>'
    """
    text = _NEEDS_ESCAPE.sub(_escape, value)
    if lang:
        return f'"{text}"@{lang}'
    if datatype and datatype != XSD_NS + "string":
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def quad(s: str, p: str, o: str, g: str) -> str:
    return f"{s} {p} {o} {g} .\n"
