"""Prefixes and RDF terms for queries: the predeclared prefixes, and values read as typed terms.

Shared by the named queries (their parameters) and the runner (bindings), below both.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from .. import vocab
from ..errors import TopicgraphError

__all__ = ["predeclared", "to_term", "PARAM_TYPES"]

_XSD = vocab.XSD
#: parameter type -> XSD datatype of the literal (``iri`` makes a NamedNode, ``string`` a plain literal)
PARAM_TYPES = {"iri": None, "string": None, "integer": _XSD + "integer", "decimal": _XSD + "decimal",
               "boolean": _XSD + "boolean", "date": _XSD + "date", "dateTime": _XSD + "dateTime"}
#: IRI schemes a parameter may use as they are (anything else before a colon must be one of our prefixes)
_SCHEMES = {"http", "https", "urn", "mailto", "file", "tag", "ftp", "data", "did", "doi"}


def predeclared(base_iri: str | None = None) -> dict[str, str]:
    """The prefixes a query may use without declaring them: ours, and ``id:`` for the build's base IRI.

    >>> predeclared("https://example.org/id/")["id"], "id" in predeclared()
    ('https://example.org/id/', False)
    """
    from ..vocab import PREFIXES

    return {**PREFIXES, "id": base_iri} if base_iri else dict(PREFIXES)


def _expand_iri(text: str, base_iri: str | None) -> str:
    from ..vocab import PREFIXES

    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep:
        if prefix in PREFIXES:
            return PREFIXES[prefix] + local
        if prefix == "id" and base_iri:
            return base_iri + local
    return text


def to_term(value: Any, type_: str | None = None, *, name: str = "value", base_iri: str | None = None):
    """A value given on the command line or from Python as an RDF term (pyoxigraph) of the given type.

    Without a type: a term is kept, ``<IRI>``, a prefixed name with one of our prefixes and an ``http(s):``/``urn:``
    IRI become IRIs, a literal written as in Turtle (``"800"^^xsd:integer``, ``"text"@en``, ``"text"``) that
    literal, ints and floats (from Python) numbers, and any other text (a whole number given as text included)
    a plain string.

    >>> to_term("tax:medigy/telehealth")
    <NamedNode value=https://w3id.org/topicgraph/taxonomy/medigy/telehealth>
    >>> to_term("2021-02", "string"), to_term("3", "integer").value
    (<Literal value=2021-02 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>, '3')
    """
    import pyoxigraph as ox

    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if type_ is None and isinstance(value, str) and value.strip().startswith('"'):
        return _literal(value.strip(), name, base_iri)
    if type_ is None:
        if isinstance(value, bool):
            type_ = "boolean"
        elif isinstance(value, int):
            type_ = "integer"
        elif isinstance(value, float):
            return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
        elif isinstance(value, datetime):
            type_ = "dateTime"
        elif isinstance(value, date):
            type_ = "date"
        else:
            text = str(value)
            expanded = _expand_iri(text, base_iri)
            looks_iri = (expanded != text or re.match(r"^(https?|urn|file|mailto):", text) is not None)
            type_ = "iri" if looks_iri else "string"
    if type_ not in PARAM_TYPES:
        raise TopicgraphError(f"unknown parameter type {type_!r}: choose from {', '.join(PARAM_TYPES)}")
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (date, datetime)):
        text = value.isoformat()
    else:
        text = str(value)
    if type_ == "iri":
        iri = _expand_iri(text.strip(), base_iri)
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", iri)
        if iri == text.strip() and scheme and scheme.group(1).lower() not in _SCHEMES:
            from ..vocab import PREFIXES

            raise TopicgraphError(f"parameter {name}: {text!r} starts with an unknown prefix {scheme.group(1)!r}: use "
                                  f"one of {', '.join(p + ':' for p in PREFIXES)}, id:, or a full <IRI>")
        try:
            if not scheme:
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(iri)
        except ValueError as exc:
            raise TopicgraphError(f"parameter {name}: {text!r} is not an IRI ({exc}); give <https://...> or a "
                                  "prefixed name such as tax:medigy/telehealth") from None
    if type_ == "string":
        return ox.Literal(text)
    if not re.match(_LEXICAL[type_], text.strip()):
        raise TopicgraphError(f"parameter {name}: {text!r} is not a valid {type_}")
    return ox.Literal(text.strip(), datatype=ox.NamedNode(PARAM_TYPES[type_]))


#: the lexical forms a typed parameter (or a literal written with one of these datatypes) must have
_LEXICAL = {"integer": r"^[+-]?\d+$", "decimal": r"^[+-]?(\d+(\.\d*)?|\.\d+)$", "boolean": r"^(true|false|1|0)$",
            "date": r"^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$",
            "dateTime": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"}


def _literal(text: str, name: str, base_iri: str | None):
    """A literal written as in Turtle: ``"text"``, ``"text"@en`` or ``"800"^^xsd:integer`` (or ``^^<IRI>``), read
    by pyoxigraph's Turtle parser with our prefixes; one literal and nothing else.

    >>> _literal('"800"^^xsd:integer', "w", None)
    <Literal value=800 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    >>> _literal('"Telehealth"@en', "label", None).language
    'en'
    """
    import pyoxigraph as ox

    prefixes = predeclared(base_iri)
    doc = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in prefixes.items()) + f"<urn:tg:s> <urn:tg:p> {text} .\n"
    try:
        parsed = list(ox.parse(doc.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError):
        parsed = []
    lit = parsed[0].object if len(parsed) == 1 else None
    if not isinstance(lit, ox.Literal):
        dt = re.search(r"\^\^([^\s<>\"]+)$", text)
        if dt and dt.group(1).partition(":")[0] not in prefixes:
            raise TopicgraphError(f"parameter {name}: the datatype {dt.group(1)!r} is not an IRI: write "
                                  "xsd:integer, xsd:date, ... or a full <IRI>")
        raise TopicgraphError(f"parameter {name}: {text!r} is not a literal: write \"text\", \"text\"@en or "
                              "\"800\"^^xsd:integer (in the shell, inside single quotes)")
    kind = lit.datatype.value.removeprefix(_XSD)
    if kind in _LEXICAL and lit.datatype.value.startswith(_XSD) and not re.match(_LEXICAL[kind], lit.value):
        raise TopicgraphError(f"parameter {name}: {lit.value!r} is not a valid xsd:{kind}")
    return lit
