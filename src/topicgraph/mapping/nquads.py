"""Writing N-Quads (and N-Triples) terms by hand, safely: the fast path from records to the store, and the one
term writer of every line topicgraph writes itself; checked by pyoxigraph on load."""

from __future__ import annotations

import json
import re
from functools import partial
from json.encoder import encode_basestring  # type: ignore[attr-defined]

from ..vocab import RDF_JSON, XSD_STRING
from ..vocab import XSD as XSD_NS

__all__ = ["iri", "literal", "decimal", "quad", "XSD_NS", "RDF_JSON"]

_dumps = partial(json.dumps, ensure_ascii=False)
_quote = encode_basestring
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


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
    # JSON's string encoder (C code, what json.dumps runs for a str, minus building an encoder per call) escapes
    # exactly what N-Quads needs: " \\ and control characters (as \\n, \\uXXXX…)
    text = _quote(value) if value.__class__ is str else _dumps(value)
    if lang:
        return f"{text}@{lang}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^<{datatype}>"
    return text


def decimal(x: float) -> str:
    """The canonical ``xsd:decimal`` lexical form (as pyoxigraph stores it) of ``x`` rounded to 9 places.

    >>> decimal(4.1474009840), decimal(-0.0), decimal(2.0)
    ('4.147400984', '0', '2')
    """
    text = f"{round(x, 9) + 0.0:.9f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "0", "") else text


def quad(s: str, p: str, o: str, g: str) -> str:
    return f"{s} {p} {o} {g} .\n"
