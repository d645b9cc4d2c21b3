"""Named queries: the shipped ``library/*.rq`` files, their header comments, and typed parameters.

Each file starts with a comment block::

    # title: Articles by topic
    # description: Every article tagged with a topic, newest first.
    # param: topic (iri, default tax:medigy/patient-acquisition): the topic, as an IRI or prefixed name

A parameter is a variable of the query. Given a value, the variable is bound to that RDF term before the query
runs (never pasted into the text); left out, with no default, the variable stays free and the query covers
every value.

>>> q = get_query("articles-by-topic")
>>> q.title, [p.name for p in q.parameters]
('Articles by topic', ['topic'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import TopicgraphError

__all__ = ["NamedQuery", "Parameter", "list_queries", "get_query", "to_term", "PARAM_TYPES"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
#: parameter type -> XSD datatype of the literal (``iri`` makes a NamedNode, ``string`` a plain literal)
PARAM_TYPES = {"iri": None, "string": None, "integer": _XSD + "integer", "decimal": _XSD + "decimal",
               "boolean": _XSD + "boolean", "date": _XSD + "date", "dateTime": _XSD + "dateTime"}
#: IRI schemes a parameter may use as they are (anything else before a colon must be one of our prefixes)
_SCHEMES = {"http", "https", "urn", "mailto", "file", "tag", "ftp", "data", "did", "doi"}
_PARAM_RE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>\w+)(?:\s*,\s*default\s+(?P<default>.+?))?\)"
                       r"\s*:\s*(?P<doc>.*)$")


@dataclass(frozen=True)
class Parameter:
    """A query variable that can be bound from outside: its name, type, default (text) and help."""

    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""

    def term(self, value: Any, *, base_iri: str | None = None):
        """``value`` (text, number or pyoxigraph term) as the RDF term of this parameter's type."""
        return to_term(value, self.type, name=self.name, base_iri=base_iri)


@dataclass(frozen=True)
class NamedQuery:
    """One shipped query: ``name`` is the file name without ``.rq``."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    sparql: str
    path: Path | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise TopicgraphError(f"query {self.name!r} has no parameter {name!r} (its parameters: {known})")

    def bindings(self, values: dict[str, Any] | None = None, *, base_iri: str | None = None) -> dict[str, Any]:
        """Parameter name -> RDF term: the given values (checked and typed) over the defaults."""
        values = dict(values or {})
        for name in values:
            self.parameter(name)
        out = {}
        for p in self.parameters:
            if values.get(p.name) is not None:
                out[p.name] = p.term(values[p.name], base_iri=base_iri)
            elif p.default is not None:
                out[p.name] = p.term(p.default, base_iri=base_iri)
        return out

    @classmethod
    def from_text(cls, name: str, text: str, path: Path | None = None) -> "NamedQuery":
        fields: dict[str, str] = {}
        params: list[str] = []
        last: str | None = None
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            if not stripped.startswith("#"):
                break
            body = stripped[1:]
            m = re.match(r"^\s?([A-Za-z]+):\s*(.*)$", body)
            if m and not body.startswith("   "):
                key, value = m.group(1).lower(), m.group(2).strip()
                if key == "param":
                    params.append(value)
                    last = "param"
                else:
                    fields[key] = value
                    last = key
            elif last and body.strip():  # an indented continuation line
                if last == "param":
                    params[-1] += " " + body.strip()
                else:
                    fields[last] += " " + body.strip()
        parameters = []
        for spec in params:
            m = _PARAM_RE.match(spec)
            if not m or m.group("type") not in PARAM_TYPES:
                raise TopicgraphError(f"{path or name}: cannot read the parameter line {spec!r}: write "
                                      "`# param: NAME (TYPE[, default VALUE]): description` with TYPE one of "
                                      + ", ".join(PARAM_TYPES))
            parameters.append(Parameter(m.group("name"), m.group("type"), m.group("default"), m.group("doc")))
        if "title" not in fields:
            raise TopicgraphError(f"{path or name}: a named query needs a `# title:` line in its header comment")
        return cls(name, fields.pop("title"), fields.pop("description", ""), tuple(parameters), text, path, fields)


def list_queries(folder: str | Path | None = None) -> list[NamedQuery]:
    """Every named query in ``folder`` (default: the shipped library), sorted by name."""
    from ..resources import queries_dir

    folder = Path(folder) if folder is not None else queries_dir()
    return [NamedQuery.from_text(p.stem, p.read_text(encoding="utf-8"), p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, folder: str | Path | None = None) -> NamedQuery:
    """The named query ``name``; the error lists the names there are."""
    queries = {q.name: q for q in list_queries(folder)}
    if name not in queries:
        import difflib

        close = difflib.get_close_matches(name, queries, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise TopicgraphError(f"no named query {name!r}{hint}; `topicgraph query --list` shows them all: "
                              + ", ".join(queries))
    return queries[name]


def _expand_iri(text: str, base_iri: str | None) -> str:
    from ..namespaces import PREFIXES

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
            from ..namespaces import PREFIXES

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

    from .runner import predeclared

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
