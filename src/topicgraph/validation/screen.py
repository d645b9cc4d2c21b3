"""A fast SHACL Core *screen*: proves that a small graph gives no SHACL result at all, or says it cannot.

pyshacl costs milliseconds per record graph even when nothing is wrong, and nearly every record of a real corpus
is fine. :class:`Screen` compiles the shapes graph once into plain Python and evaluates each record's graph in
three-valued logic (surely conforms / surely does not / cannot tell). Only "surely conforms" is acted on: such a
graph gets no results, exactly as pyshacl would report; anything else (a violation, a warning, a construct the
screen does not model) goes to pyshacl, which writes the real results. So the findings always come from pyshacl
and the screen only decides when pyshacl can be skipped; it must never say "conforms" where pyshacl would report
something, and tests/test_validate_speed.py checks that against pyshacl on random graphs.

Shapes using anything outside the SHACL Core subset below (SPARQL constraints, non-predicate paths, value
ranges, ``sh:equals``, ...) compile to ``None``: every graph then goes to pyshacl.

>>> from topicgraph.validation.shacl import Shapes
>>> screen = Screen.compile(Shapes.load().graph)
>>> person = '<https://e.org/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Person> .\\n'
>>> screen.conforms(parse_nt(person + '<https://e.org/p> <http://schema.org/name> "Ann" .\\n'))
True
>>> screen.conforms(parse_nt(person))  # no schema:name: pyshacl must say what is wrong
False
"""

from __future__ import annotations

import json
import re

__all__ = ["Screen", "Graph", "Shared", "parse_nt", "parse_triple", "typed_literal"]

_SH = "http://www.w3.org/ns/shacl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = _RDF + "langString"
_TYPE = f"<{_RDF}type>"
_SUBCLASS = f"<{_RDFS}subClassOf>"

# one N-Triples statement as the mapper writes it (single spaces; an optional graph term is ignored)
_LINE = re.compile(r'(<[^<>"{}|^`\\\s]*>|_:\S+) (<[^<>"{}|^`\\\s]*>) '
                   r'(?:(<[^<>"{}|^`\\\s]*>)|(_:\S+)|"((?:[^"\\\n]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)'
                   r'|\^\^<([^<>"{}|^`\\\s]*)>)?)(?: (?:<[^>]*>|_:\S+))? \.\s*$')

#: a literal node: (lexical form as rdflib keeps it, lower-case language or None, datatype IRI or None)
Literal = tuple

_TYPED: dict[tuple[str, str], tuple[str, bool]] = {}  # (lex, datatype) -> (rdflib's lexical form, datatype ok)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_INTEGER, _XSD_DATE, _XSD_DATETIME = _XSD + "integer", _XSD + "date", _XSD + "dateTime"
_INTEGER = re.compile(r"0|[1-9][0-9]{0,17}")
_DATE = re.compile(r"([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(r"([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{6})?(Z?)")


def _typed_quick(lex: str, dt: str) -> tuple[str, bool] | None:
    """:func:`_typed` without rdflib for the forms records use all the time, each date a new one: a plain
    ``xsd:integer``, an ``xsd:date``, an ``xsd:dateTime`` with six or no fractional digits and ``Z`` or no
    zone. rdflib keeps those as they are, except ``Z``, written ``+00:00``, and a fraction of ``.000000``,
    dropped (left to rdflib here). Also any literal of a datatype rdflib does not interpret (rdf:JSON). None:
    anything else, or a date that does not exist (rdflib decides)."""
    import datetime

    if dt == _XSD_INTEGER:
        return (lex, True) if _INTEGER.fullmatch(lex) else None
    if dt == _XSD_DATE:
        m = _DATE.fullmatch(lex)
        if m is None:
            return None
        try:
            datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return lex, True
    if dt == _XSD_DATETIME:
        m = _DATETIME.fullmatch(lex)
        if m is None or m[7] == ".000000":
            return None
        try:
            datetime.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]))
        except ValueError:
            return None
        return (lex[:-1] + "+00:00" if m[8] else lex), True
    if dt not in _INTERPRETED and _uninterpreted(dt):
        return lex, True
    return None


# datatypes rdflib or pyshacl's sh:datatype treat specially even without a converter
_INTERPRETED = {_XSD + name for name in ("string", "normalizedString", "token", "integer", "float", "decimal",
                                         "boolean", "date", "time", "dateTime")} | {_LANG_STRING}


_RDFLIB: list = []  # (URIRef, rdflib's converter table), looked up once: importing them cost 2 µs a literal


def _uninterpreted(dt: str) -> bool:
    """Whether rdflib has no converter for ``dt`` (rdf:JSON, say): then a literal of it keeps its lexical form, is
    never ill-typed, and pyshacl's sh:datatype accepts it for ``dt`` (asked every time: converters can be bound at
    run time, into the very table kept here)."""
    try:
        if not _RDFLIB:
            from rdflib import URIRef
            from rdflib.term import _toPythonMapping

            _RDFLIB[:] = [URIRef, _toPythonMapping]
        uri_ref, table = _RDFLIB
        return uri_ref(dt) not in table
    except Exception:  # noqa: BLE001 - rdflib's internals moved: take the slow way
        return False


# the last few thousand answers of _typed_quick for the XSD types it reads itself (not those asked of rdflib's
# table, see _uninterpreted): a record's dates and numbers are read when it is mapped, then checked by the screen
_QUICK: dict[tuple[str, str], tuple[str, bool]] = {}
_QUICK_TYPES = frozenset((_XSD_INTEGER, _XSD_DATE, _XSD_DATETIME))


def _typed(lex: str, dt: str) -> tuple[str, bool]:
    """rdflib's normalised lexical form of a typed literal, and whether pyshacl's sh:datatype accepts it for its own
    datatype (well-typed and of the right Python type)."""
    k = (lex, dt)
    got = _TYPED.get(k)
    if got is None:
        got = _QUICK.get(k)
        if got is not None:
            return got
        got = _typed_quick(lex, dt)
        if got is not None and dt in _QUICK_TYPES:
            if len(_QUICK) > 20_000:
                _QUICK.clear()
            _QUICK[k] = got
    if got is None:
        from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
        from rdflib import Literal as RdfLiteral, URIRef

        lit = RdfLiteral(lex, datatype=URIRef(dt))
        ok = getattr(lit, "ill_typed", None) is not True and \
            bool(DatatypeConstraintComponent._assert_actual_datatype(None, lit, URIRef(dt)))
        got = (str(lit), ok)
        if len(_TYPED) > 100_000:
            _TYPED.clear()
        _TYPED[(lex, dt)] = got
    return got


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
            elif dt == _XSD_STRING:
                o = (lex, None, dt)
            else:
                got = _typed(lex, dt)
                o = (got[0], None, dt)
                if got[0] != lex:
                    _TYPED.setdefault((got[0], dt), got)
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
        if dt == _XSD_STRING:
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
    got = _typed(lex, dt)
    if got[0] != lex:
        _TYPED.setdefault((got[0], dt), got)
    return got[0], None, dt


class Shared(dict):
    """A node's description (predicate -> objects) that nothing changes once it is made, shared by many graphs
    (an author, a brand, a concept named by many records): :meth:`Screen.conforms` remembers its verdicts on it
    for the shapes that read nothing else (:attr:`_Shape.local`)."""

    __slots__ = ()


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


def _node(term) -> object:
    """An rdflib term of the shapes graph in :func:`parse_nt`'s form."""
    from rdflib import BNode, Literal as RdfLiteral, URIRef

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, RdfLiteral):
        dt = str(term.datatype) if term.datatype is not None else None
        return (str(term), term.language.lower() if term.language else None, dt)
    raise _Unsupported(repr(term))


class _Unsupported(Exception):
    pass


_IGNORED = {_RDF + "type", _RDFS + "label", _RDFS + "comment", _RDFS + "seeAlso", _RDFS + "isDefinedBy",
            _SH + "message", _SH + "severity", _SH + "name", _SH + "description", _SH + "order", _SH + "group",
            _SH + "defaultValue", "http://www.w3.org/2002/07/owl#imports"}
_HANDLED = {_SH + name for name in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "path", "property", "deactivated",
    "minCount", "maxCount", "datatype", "nodeKind", "class", "pattern", "flags", "in", "hasValue", "languageIn",
    "uniqueLang", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
    "disjoint", "closed", "ignoredProperties", "not", "and", "or", "xone", "node", "minLength", "maxLength")}
_SHAPE_TYPES = {_SH + "NodeShape", _SH + "PropertyShape", _SH + "Shape"}
_KINDS = {  # sh:nodeKind -> the kinds of node it admits
    "IRI": {"iri"}, "BlankNode": {"bnode"}, "Literal": {"literal"}, "BlankNodeOrIRI": {"bnode", "iri"},
    "BlankNodeOrLiteral": {"bnode", "literal"}, "IRIOrLiteral": {"iri", "literal"}}


def _kind(v) -> str:
    if isinstance(v, tuple):
        return "literal"
    return "iri" if v.startswith("<") else "bnode"


def _text(v) -> str | None:
    """What sh:pattern and the length constraints read: the IRI or the lexical form; None for blank nodes."""
    if isinstance(v, tuple):
        return v[0]
    return v[1:-1] if v.startswith("<") else None


def _and(results) -> bool | None:
    out: bool | None = True
    for r in results:
        if r is False:
            return False
        if r is None:
            out = None
    return out


_NOTHING: dict = {}


class _Shape:
    """One compiled shape: its path (None for a node shape) and its checks, each ``check(values, focus, g)``."""

    __slots__ = ("node", "path", "checks", "props", "deactivated", "empty", "local", "others", "inner")

    def __init__(self, node: str) -> None:
        self.node = node
        self.path: str | None = None
        self.checks: list = []
        self.props: list[_Shape] = []
        self.deactivated = False
        self.empty: bool | None = None  # the verdict for a focus node without values (property shapes)
        # local: the verdict on a focus node depends on nothing but the node and its own description g[focus]
        # (set after compiling, from: others, a check reads another node's description; inner, the shapes
        # evaluated at the same focus node)
        self.local: bool | None = None
        self.others = False
        self.inner: list[_Shape] = []

    def conforms(self, focus, g) -> bool | None:
        """Three-valued: True (no result for ``focus``), False (surely at least one), None (cannot tell)."""
        if self.deactivated:
            return True
        if self.path is not None:
            values = g.get(focus, _NOTHING).get(self.path, ()) if not isinstance(focus, tuple) else ()
            if not values:
                return self.empty
        else:
            values = (focus,)
        out: bool | None = True
        for check in self.checks:
            r = check(values, focus, g)
            if r is False:
                return False
            if r is None:
                out = None
        for prop in self.props:
            for v in values:
                r = prop.conforms(v, g)
                if r is False:
                    return False
                if r is None:
                    out = None
        return out


class Screen:
    """The shapes, compiled; :meth:`conforms` says whether a graph surely gives no SHACL result."""

    def __init__(self) -> None:
        self.shapes: dict[str, _Shape] = {}
        self._memo: dict[tuple, tuple] = {}  # (shape, focus) -> (the Shared description, verdict)
        self.class_targets: dict[str, list[_Shape]] = {}
        self.node_targets: list[tuple[object, _Shape]] = []
        self.subjects_of: list[tuple[str, _Shape]] = []
        self.objects_of: list[tuple[str, _Shape]] = []

    @classmethod
    def compile(cls, graph) -> "Screen | None":
        """The screen for an rdflib shapes graph, or None when the shapes use what the screen does not model."""
        try:
            return cls._compile(graph)
        except _Unsupported:
            return None

    @classmethod
    def _compile(cls, graph) -> "Screen":
        from rdflib import RDF, URIRef

        sh = lambda name: URIRef(_SH + name)  # noqa: E731
        self = cls()
        roots = set(graph.subjects(RDF.type, sh("NodeShape"))) | set(graph.subjects(RDF.type, sh("PropertyShape")))
        for target in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
            roots |= set(graph.subjects(sh(target), None))
        for p in graph.predicates(None, None):
            if str(p) in (_SH + "target", _SH + "sparql", _SH + "rule", _SH + "shapesGraph", _SH + "entailment"):
                raise _Unsupported(str(p))  # SHACL-AF and friends: pyshacl does it all
        for root in sorted(roots, key=str):
            shape = self._shape(graph, root)
            for c in graph.objects(root, sh("targetClass")):
                self.class_targets.setdefault(_node(c), []).append(shape)
            for n in graph.objects(root, sh("targetNode")):
                self.node_targets.append((_node(n), shape))
            for p in graph.objects(root, sh("targetSubjectsOf")):
                self.subjects_of.append((_node(p), shape))
            for p in graph.objects(root, sh("targetObjectsOf")):
                self.objects_of.append((_node(p), shape))
        for shape in self.shapes.values():
            _local(shape, set())
        return self

    def _shape(self, graph, node) -> _Shape:
        from rdflib import BNode, Literal as RdfLiteral, URIRef
        from rdflib.collection import Collection

        key = _node(node)
        if key in self.shapes:
            return self.shapes[key]
        shape = self.shapes[key] = _Shape(key)
        sh = lambda name: URIRef(_SH + name)  # noqa: E731

        def one(name: str):
            values = list(graph.objects(node, sh(name)))
            if len(values) > 1:
                raise _Unsupported(f"several sh:{name}")
            return values[0] if values else None

        def items(term) -> list:
            if not isinstance(term, BNode) and term != URIRef(_RDF + "nil"):
                raise _Unsupported("not a list")
            return list(Collection(graph, term))

        def integer(name: str) -> int | None:
            v = one(name)
            if v is None:
                return None
            if not isinstance(v, RdfLiteral) or not isinstance(v.toPython(), int) or isinstance(v.toPython(), bool):
                raise _Unsupported(name)
            return v.toPython()

        for p, o in graph.predicate_objects(node):
            p = str(p)
            if p == _RDF + "type":
                if str(o) not in _SHAPE_TYPES:
                    raise _Unsupported("a shape that is also a class (implicit class target)")
            elif p not in _IGNORED and p not in _HANDLED:
                raise _Unsupported(p)
        deactivated = one("deactivated")
        shape.deactivated = deactivated is not None and bool(getattr(deactivated, "toPython", lambda: False)())
        path = one("path")
        if path is not None:
            if not isinstance(path, URIRef):
                raise _Unsupported("a path other than one predicate")
            shape.path = _node(path)
        checks = shape.checks
        is_prop = shape.path is not None

        lo, hi = integer("minCount"), integer("maxCount")
        if (lo is not None or hi is not None) and not is_prop:
            raise _Unsupported("sh:minCount on a node shape")
        if lo is not None:
            checks.append(lambda vs, f, g, n=lo: len(vs) >= n)
        if hi is not None:
            checks.append(lambda vs, f, g, n=hi: len(vs) <= n)

        dt = one("datatype")
        if dt is not None:
            checks.append(_datatype_check(_node(dt)[1:-1]))
        kind = one("nodeKind")
        if kind is not None:
            name = str(kind).removeprefix(_SH)
            if name not in _KINDS:
                raise _Unsupported(f"sh:nodeKind {kind}")
            admitted = _KINDS[name]
            checks.append(lambda vs, f, g, a=admitted: all(_kind(v) in a for v in vs))
        for cls_term in graph.objects(node, sh("class")):
            checks.append(_class_check(_node(cls_term)))
            shape.others |= is_prop  # the values' types: other nodes' descriptions
        pattern = one("pattern")
        if pattern is not None:
            flags = str(one("flags") or "")
            if set(flags) - set("imsx"):
                raise _Unsupported("sh:flags")
            rx = re.compile(str(pattern), sum(getattr(re, c.upper()) for c in flags))
            checks.append(lambda vs, f, g, rx=rx: all(_text(v) is not None and rx.search(_text(v)) is not None
                                                      for v in vs))
        for name, op in (("minLength", lambda n, k: n >= k), ("maxLength", lambda n, k: n <= k)):
            k = integer(name)
            if k is not None:
                checks.append(lambda vs, f, g, k=k, op=op: all(_text(v) is not None and op(len(_text(v)), k)
                                                               for v in vs))
        in_list = one("in")
        if in_list is not None:
            allowed = {_node(t) for t in items(in_list)}
            checks.append(lambda vs, f, g, a=allowed: all(v in a for v in vs))
        for value in graph.objects(node, sh("hasValue")):
            want = _node(value)
            checks.append(lambda vs, f, g, w=want: w in vs)
        langs = one("languageIn")
        if langs is not None:
            wanted = {str(t).lower() for t in items(langs)}
            checks.append(lambda vs, f, g, w=wanted: all(_lang_in(v, w) for v in vs))
        unique = one("uniqueLang")
        if unique is not None and getattr(unique, "toPython", lambda: None)() is True:
            if not is_prop:
                raise _Unsupported("sh:uniqueLang on a node shape")
            checks.append(_unique_lang)
        for other in graph.objects(node, sh("disjoint")):
            checks.append(_disjoint_check(_node(other)))
        closed = one("closed")
        if closed is not None and getattr(closed, "toPython", lambda: None)() is True:
            if is_prop:
                raise _Unsupported("sh:closed on a property shape")
            allowed = {_node(t) for t in items(one("ignoredProperties"))} if one("ignoredProperties") else set()
            for prop in graph.objects(node, sh("property")):
                p_path = _one_of(graph, prop, sh("path"))
                if not isinstance(p_path, URIRef):
                    raise _Unsupported("sh:closed with a complex property path")
                allowed.add(_node(p_path))
            checks.append(lambda vs, f, g, a=allowed: all(set(g.get(v, ())) <= a for v in vs
                                                          if not isinstance(v, tuple)))
        for ref in graph.objects(node, sh("not")):
            inner = self._shape(graph, ref)
            checks.append(lambda vs, f, g, s=inner: _and(_negate(s.conforms(v, g)) for v in vs))
            shape.inner.append(inner)
        for ref in graph.objects(node, sh("node")):
            inner = self._shape(graph, ref)
            checks.append(lambda vs, f, g, s=inner: _and(s.conforms(v, g) for v in vs))
            shape.inner.append(inner)
        for name, combine in (("and", _all3), ("or", _any3), ("xone", _xone3)):
            for lst in graph.objects(node, sh(name)):
                members = [self._shape(graph, t) for t in items(lst)]
                shape.inner += members
                checks.append(lambda vs, f, g, ms=members, c=combine: _and(c([m.conforms(v, g) for m in ms])
                                                                           for v in vs))
        q = one("qualifiedValueShape")
        if q is not None:
            if not is_prop:
                raise _Unsupported("sh:qualifiedValueShape on a node shape")
            disjoint = one("qualifiedValueShapesDisjoint")
            if disjoint is not None and getattr(disjoint, "toPython", lambda: None)() is True:
                raise _Unsupported("sh:qualifiedValueShapesDisjoint")
            inner = self._shape(graph, q)
            checks.append(_qualified_check(inner, integer("qualifiedMinCount"), integer("qualifiedMaxCount")))
            shape.inner.append(inner)
        elif one("qualifiedMinCount") is not None or one("qualifiedMaxCount") is not None:
            raise _Unsupported("sh:qualifiedMinCount without a shape")
        for prop in graph.objects(node, sh("property")):
            sub = self._shape(graph, prop)
            if sub.path is None:
                raise _Unsupported("sh:property without sh:path")
            shape.props.append(sub)
            shape.inner.append(sub)
        if is_prop and shape.inner:
            shape.others = True  # inner shapes and property shapes of a property shape read its values' nodes
        if is_prop:  # no values: the value checks hold vacuously, the counting ones decide
            shape.empty = _and(check((), None, {}) for check in checks) if not shape.deactivated else True
        return shape

    def conforms(self, g: dict | None, ignore=frozenset()) -> bool:
        """True when validating ``g`` (from :func:`parse_nt`) surely gives no result whose focus node is not in
        ``ignore`` (IRIs without brackets); False when it might give one (or ``g`` is None)."""
        if g is None:
            return False
        if any(_SUBCLASS in preds for preds in g.values()):
            return False  # rdfs:subClassOf in the data widens sh:targetClass and sh:class: leave it to pyshacl
        todo: list[tuple[object, _Shape]] = []
        for s, preds in g.items():
            for c in preds.get(_TYPE, ()):
                for shape in self.class_targets.get(c, ()):
                    todo.append((s, shape))
        todo += self.node_targets
        for p, shape in self.subjects_of:
            todo += [(s, shape) for s, preds in g.items() if p in preds]
        for p, shape in self.objects_of:
            todo += [(o, shape) for preds in g.values() for o in preds.get(p, ())]
        memo = self._memo
        for focus, shape in todo:
            if not isinstance(focus, tuple) and focus[1:-1] in ignore:
                continue
            if shape.local:
                preds = g.get(focus)
                if preds.__class__ is Shared:  # a shared, unchanging description: its verdict once per process
                    hit = memo.get((shape, focus))
                    if hit is not None and hit[0] is preds:
                        verdict = hit[1]
                    else:
                        verdict = shape.conforms(focus, g)
                        if len(memo) > 100_000:
                            memo.clear()
                        memo[(shape, focus)] = (preds, verdict)  # holding preds: its id cannot be reused
                    if verdict is not True:
                        return False
                    continue
            if shape.conforms(focus, g) is not True:
                return False
        return True


def _local(shape: _Shape, visiting: set) -> bool:
    """Whether evaluating ``shape`` at a focus node reads nothing but that node's own description: no check of
    it reads another node's (``sh:class`` on a property's values, shapes applied to a property's values), and
    every shape evaluated at the same node is local too. A cycle counts as not local."""
    if shape.local is not None:
        return shape.local
    if id(shape) in visiting:
        return False
    visiting.add(id(shape))
    ok = not shape.others and all(_local(inner, visiting) for inner in shape.inner)
    visiting.discard(id(shape))
    shape.local = ok
    return ok


def _one_of(graph, node, pred):
    values = list(graph.objects(node, pred))
    if len(values) != 1:
        raise _Unsupported("one value expected")
    return values[0]


def _negate(r: bool | None) -> bool | None:
    return None if r is None else not r


def _all3(rs: list) -> bool | None:
    return _and(rs)


def _any3(rs: list) -> bool | None:
    if any(r is True for r in rs):
        return True
    return False if all(r is False for r in rs) else None


def _xone3(rs: list) -> bool | None:
    if any(r is None for r in rs):
        return None
    return sum(1 for r in rs if r) == 1


def _datatype_check(dt: str):
    def check(vs, f, g) -> bool:
        for v in vs:
            if not isinstance(v, tuple):
                return False
            lex, lang, vdt = v
            if lang is not None:
                ok = dt == _LANG_STRING or dt == _RDFS + "Literal"
            elif vdt is None:
                ok = dt == _XSD_STRING or dt == _RDFS + "Literal"
            elif vdt == dt:
                ok = dt == _XSD_STRING or _typed(lex, dt)[1]
            else:
                ok = dt in (_RDFS + "Literal", _RDFS + "Datatype")
            if not ok:
                return False
        return True
    return check


def _class_check(cls_node: str):
    def check(vs, f, g) -> bool:
        for v in vs:
            if isinstance(v, tuple) or cls_node not in g.get(v, {}).get(_TYPE, ()):
                return False  # no rdfs:subClassOf in the data (Screen.conforms makes sure), so this is final
        return True
    return check


def _lang_in(v, wanted: set[str]) -> bool:
    if not isinstance(v, tuple) or v[1] is None:
        return False
    return "*" in wanted or v[1] in wanted or v[1].split("-")[0] in wanted


def _unique_lang(vs, f, g) -> bool | None:
    seen = set()
    for v in vs:
        if isinstance(v, tuple) and v[1] is not None:
            if v[1] in seen:
                return None  # a repeated language: pyshacl says which; never claim anything here
            seen.add(v[1])
    return True


def _disjoint_check(other: str):
    def check(vs, f, g) -> bool:
        theirs = g.get(f, {}).get(other, ()) if not isinstance(f, tuple) else ()
        return not any(v in theirs for v in vs)
    return check


def _qualified_check(inner: _Shape, lo: int | None, hi: int | None):
    def check(vs, f, g) -> bool | None:
        rs = [inner.conforms(v, g) for v in vs]
        sure, maybe = rs.count(True), rs.count(None)
        out: bool | None = True
        if lo is not None:
            if sure < lo:
                out = False if sure + maybe < lo else None
        if hi is not None and out is not False:
            if sure > hi:
                return False
            if sure + maybe > hi:
                out = None
        return out
    return check
