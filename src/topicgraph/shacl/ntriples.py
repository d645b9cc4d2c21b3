"""N-Triples for the SHACL screen: small graphs parsed to dictionaries, typed literals as rdflib and pyshacl read them.

A graph is ``{subject: {predicate: [objects]}}`` with IRIs as ``<iri>``, blank nodes as ``_:id`` and literals as
``(lexical form, language, datatype)`` tuples, the lexical form normalised as rdflib keeps it, so that the screen
(:mod:`.screen`) compares values exactly as pyshacl would.

>>> parse_nt('<https://e.org/a> <https://e.org/p> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .\\n')
{'<https://e.org/a>': {'<https://e.org/p>': [('7', None, 'http://www.w3.org/2001/XMLSchema#integer')]}}
"""

from __future__ import annotations

import datetime
import functools
import json
import re

from ..vocab import RDF_LANGSTRING, XSD, XSD_DATE, XSD_DATETIME, XSD_INTEGER, XSD_STRING
from . import _compat

__all__ = ["Graph", "Shared", "Literal", "parse_nt", "parse_triple", "typed_literal", "typed_ok"]

# one N-Triples statement as the mapper writes it (single spaces; an optional graph term is ignored)
_LINE = re.compile(r'(<[^<>"{}|^`\\\s]*>|_:\S+) (<[^<>"{}|^`\\\s]*>) '
                   r'(?:(<[^<>"{}|^`\\\s]*>)|(_:\S+)|"((?:[^"\\\n]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)'
                   r'|\^\^<([^<>"{}|^`\\\s]*)>)?)(?: (?:<[^>]*>|_:\S+))? \.\s*$')

#: a literal node: (lexical form as rdflib keeps it, lower-case language or None, datatype IRI or None)
Literal = tuple

_INTEGER = re.compile(r"0|[1-9][0-9]{0,17}")
_DATE = re.compile(r"([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(r"([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{6})?"
                       r"(Z|\+00:00)?")
#: the datatypes :func:`_typed_quick` reads itself
_QUICK_TYPES = frozenset((XSD_INTEGER, XSD_DATE, XSD_DATETIME))
# datatypes rdflib or pyshacl's sh:datatype treat specially even without a converter
_INTERPRETED = {XSD + name for name in ("string", "normalizedString", "token", "integer", "float", "decimal",
                                        "boolean", "date", "time", "dateTime")} | {RDF_LANGSTRING}


def _typed_quick(lex: str, dt: str) -> tuple[str, bool] | None:
    """:func:`_typed` without rdflib for the forms records use all the time, each date a new one: a plain
    ``xsd:integer``, an ``xsd:date``, an ``xsd:dateTime`` with six or no fractional digits and ``Z``, ``+00:00``
    or no zone. rdflib keeps those as they are, except ``Z``, written ``+00:00``, and a fraction of ``.000000``,
    dropped (left to rdflib here). Also any literal of a datatype rdflib does not interpret (rdf:JSON). None:
    anything else, or a date that does not exist (rdflib decides)."""
    if dt == XSD_INTEGER:
        return (lex, True) if _INTEGER.fullmatch(lex) else None
    if dt == XSD_DATE:
        m = _DATE.fullmatch(lex)
        if m is None:
            return None
        try:
            datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return lex, True
    if dt == XSD_DATETIME:
        m = _DATETIME.fullmatch(lex)
        if m is None or m[7] == ".000000":
            return None
        try:
            datetime.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]))
        except ValueError:
            return None
        return (lex[:-1] + "+00:00" if m[8] == "Z" else lex), True
    if dt not in _INTERPRETED and _uninterpreted(dt):
        return lex, True
    return None


@functools.cache
def _converters() -> tuple | None:
    """(rdflib's URIRef, rdflib's converter table), looked up once: importing them cost 2 µs a literal."""
    table = _compat.converter_table()
    if table is None:
        return None
    from rdflib import URIRef

    return URIRef, table


def _uninterpreted(dt: str) -> bool:
    """Whether rdflib has no converter for ``dt`` (rdf:JSON, say): then a literal of it keeps its lexical form, is
    never ill-typed, and pyshacl's sh:datatype accepts it for ``dt`` (asked every time: converters can be bound at
    run time, into the very table kept here)."""
    got = _converters()
    if got is None:
        return False  # rdflib's table moved: take the slow way
    uri_ref, table = got
    return uri_ref(dt) not in table


def _typed(lex: str, dt: str) -> tuple[str, bool]:
    """rdflib's normalised lexical form of a typed literal, and whether pyshacl's sh:datatype accepts it for its own
    datatype (well-typed and of the right Python type)."""
    if dt not in _QUICK_TYPES and dt not in _INTERPRETED and _uninterpreted(dt):
        return lex, True  # not remembered: a converter for dt can be bound at run time
    return _typed_known(lex, dt)


# a record's dates and numbers are read when it is mapped, then checked by the screen: remember the last ones
@functools.lru_cache(maxsize=100_000)
def _typed_known(lex: str, dt: str) -> tuple[str, bool]:
    """:func:`_typed` for a datatype rdflib interprets: quickly when :func:`_typed_quick` can, else asking rdflib
    and pyshacl."""
    got = _typed_quick(lex, dt)
    if got is not None:
        return got
    from rdflib import Literal as RdfLiteral, URIRef

    lit = RdfLiteral(lex, datatype=URIRef(dt))
    ok = getattr(lit, "ill_typed", None) is not True and _compat.datatype_accepts(lit, URIRef(dt))
    return str(lit), ok


def typed_ok(lex: str, dt: str) -> bool:
    """Whether pyshacl's ``sh:datatype`` accepts the literal ``"lex"^^<dt>`` for ``dt``."""
    return dt == XSD_STRING or _typed(lex, dt)[1]


def parse_nt(text: str) -> dict[str, dict[str, list]] | None:
    """A small N-Triples graph as ``{subject: {predicate: [objects]}}`` (IRIs as ``<iri>``, blank nodes as
    ``_:id``, literals as :data:`Literal` tuples, duplicates removed as a graph would); None when a line is not
    the plain N-Triples this reads (escapes in IRIs, odd spacing), so that the caller falls back to pyshacl.

    >>> parse_nt('<https://e.org/a> <https://e.org/p> "x"@EN .\\n<https://e.org/a> <https://e.org/p> "x"@en .\\n')
    {'<https://e.org/a>': {'<https://e.org/p>': [('x', 'en', None)]}}
    """
    g: dict[str, dict[str, list]] = {}
    match = _LINE.match
    for line in text.splitlines():
        if not line or line.isspace():
            continue
        m = match(line)
        if m is None:
            return None
        s, p, o_iri, o_bnode, lex, lang, dt = m.groups()
        if o_iri is not None:
            o = o_iri
        elif o_bnode is not None:
            o = o_bnode
        else:
            if "\\" in lex:
                try:
                    lex = json.loads(f'"{lex}"')
                except ValueError:
                    return None
            if lang:
                o = (lex, lang.lower(), None)
            elif dt is None:
                o = (lex, None, None)
            elif dt == XSD_STRING:
                o = (lex, None, dt)
            else:
                o = (_typed(lex, dt)[0], None, dt)
        objs = g.setdefault(s, {}).setdefault(p, [])
        if o not in objs:
            objs.append(o)
    return g


def parse_triple(t: str):
    """``(s, p, o)`` of one statement written by :mod:`topicgraph.mapping.nquads` (``<s> <p> O``, no final dot,
    no graph), in :func:`parse_nt`'s form; None for anything else (a blank node, an escape in an IRI).

    >>> parse_triple('<https://e.org/a> <https://e.org/p> "say \\"hi\\""@en')
    ('<https://e.org/a>', '<https://e.org/p>', ('say "hi"', 'en', None))
    """
    try:
        s, p, o = t.split(" ", 2)
    except ValueError:
        return None
    if s[:1] != "<" or s[-1:] != ">" or p[:1] != "<" or p[-1:] != ">" or "\\" in s or "\\" in p:
        return None
    first = o[:1]
    if first == "<":
        if o[-1] != ">" or "\\" in o or " " in o:
            return None
        return s, p, o
    if first != '"':
        return None
    k = o.rfind('"')
    if k < 1:
        return None
    lex, rest = o[1:k], o[k + 1:]
    if "\\" in lex:
        try:
            lex = json.loads(f'"{lex}"')
        except ValueError:
            return None
    if not rest:
        return s, p, (lex, None, None)
    if rest[0] == "@":
        return s, p, (lex, rest[1:].lower(), None)
    if rest[:3] == "^^<" and rest[-1] == ">":
        dt = rest[3:-1]
        if dt == XSD_STRING:
            return s, p, (lex, None, dt)
        return s, p, typed_literal(lex, dt)
    return None


def typed_literal(lex: str, dt: str) -> tuple:
    """The node :func:`parse_triple` gives for the literal ``"lex"^^<dt>`` (``lex`` unescaped, ``dt`` not
    ``xsd:string``): rdflib's lexical form of it. What :class:`topicgraph.mapping.Mapper` is given to hand over a
    record's own triples already parsed.

    >>> typed_literal("2021-02-03T09:39:46Z", "http://www.w3.org/2001/XMLSchema#dateTime")
    ('2021-02-03T09:39:46+00:00', None, 'http://www.w3.org/2001/XMLSchema#dateTime')
    """
    return _typed(lex, dt)[0], None, dt


class Shared(dict):
    """A node's description (predicate -> objects) that nothing changes once it is made, shared by many graphs
    (an author, a brand, a concept named by many records): :meth:`.screen.Screen.conforms` keeps its verdicts on
    it, in ``verdicts`` (shape, focus -> verdict), for the shapes that read nothing else; they live as long as
    the description does."""

    __slots__ = ("verdicts",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.verdicts: dict = {}


class Graph:
    """A small graph in two forms: :func:`parse_nt`'s dictionary for the screen, and N-Triples text for pyshacl
    (joined from ``lines``, or made by ``build``, only if pyshacl is needed)."""

    __slots__ = ("triples", "lines", "_text", "_build")

    def __init__(self, triples: dict | None, lines: list[str] | None = None, text: str | None = None,
                 build=None) -> None:
        self.triples, self.lines, self._text, self._build = triples, lines, text, build

    @classmethod
    def from_text(cls, text: str) -> "Graph":
        return cls(parse_nt(text), text=text)

    @property
    def text(self) -> str:
        """The graph as N-Triples: given, joined from ``lines``, or made by ``build()`` (only when asked for)."""
        if self._text is None:
            self._text = self._build() if self._build is not None else "".join(self.lines or ())
        return self._text
