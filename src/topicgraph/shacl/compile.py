"""Compiling a SHACL shapes graph (rdflib) into the screen's plain-Python :class:`~.constraints.Shape` objects.

Only the SHACL Core subset the screen models is compiled: anything else (SPARQL constraints, non-predicate paths,
value ranges, ``sh:equals``, SHACL-AF, ...) raises :class:`Unsupported`, and the screen is then not used at all.

>>> import rdflib
>>> g = rdflib.Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <https://e.org/S> a sh:NodeShape ; sh:targetClass <https://e.org/C> ;
...     sh:property [ sh:path <https://e.org/p> ; sh:minCount 1 ] .''', format="turtle")
>>> sorted(compile_shapes(g).class_targets)
['<https://e.org/C>']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vocab import OWL_IMPORTS, RDF, RDF_TYPE, RDFS, SH
from .constraints import (KINDS, Shape, all_of, any_of, class_check, datatype_check, disjoint_check, lang_in, negate,
                          one_of, qualified_check, text, unique_lang)
from .constraints import kind as node_kind

__all__ = ["compile_shapes", "Compiled", "Unsupported", "as_node"]


class Unsupported(Exception):
    """The shapes use something the screen does not model."""


def as_node(term) -> object:
    """An rdflib term of the shapes graph in :func:`~.ntriples.parse_nt`'s form."""
    from rdflib import BNode, Literal as RdfLiteral, URIRef

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, RdfLiteral):
        dt = str(term.datatype) if term.datatype is not None else None
        return (str(term), term.language.lower() if term.language else None, dt)
    raise Unsupported(repr(term))


_IGNORED = {RDF_TYPE, RDFS + "label", RDFS + "comment", RDFS + "seeAlso", RDFS + "isDefinedBy",
            SH + "message", SH + "severity", SH + "name", SH + "description", SH + "order", SH + "group",
            SH + "defaultValue", OWL_IMPORTS}
_HANDLED = {SH + name for name in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "path", "property", "deactivated",
    "minCount", "maxCount", "datatype", "nodeKind", "class", "pattern", "flags", "in", "hasValue", "languageIn",
    "uniqueLang", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
    "disjoint", "closed", "ignoredProperties", "not", "and", "or", "xone", "node", "minLength", "maxLength")}
_SHAPE_TYPES = {SH + "NodeShape", SH + "PropertyShape", SH + "Shape"}
#: SHACL-AF and friends: pyshacl does it all
_ADVANCED = {SH + "target", SH + "sparql", SH + "rule", SH + "shapesGraph", SH + "entailment"}


@dataclass
class Compiled:
    """Every shape by node, and the shapes each kind of target selects."""

    shapes: dict[str, Shape] = field(default_factory=dict)
    class_targets: dict[str, list[Shape]] = field(default_factory=dict)
    node_targets: list[tuple[object, Shape]] = field(default_factory=list)
    subjects_of: list[tuple[str, Shape]] = field(default_factory=list)
    objects_of: list[tuple[str, Shape]] = field(default_factory=list)


def compile_shapes(graph) -> Compiled:
    """The shapes of an rdflib shapes graph, compiled; :class:`Unsupported` when they use what is not modelled."""
    from rdflib import RDF as RDF_NS, URIRef

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    out = Compiled()
    roots = set(graph.subjects(RDF_NS.type, sh("NodeShape"))) | set(graph.subjects(RDF_NS.type, sh("PropertyShape")))
    for target in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
        roots |= set(graph.subjects(sh(target), None))
    for p in graph.predicates(None, None):
        if str(p) in _ADVANCED:
            raise Unsupported(str(p))
    for root in sorted(roots, key=str):
        shape = _shape(out.shapes, graph, root)
        for c in graph.objects(root, sh("targetClass")):
            out.class_targets.setdefault(as_node(c), []).append(shape)
        for n in graph.objects(root, sh("targetNode")):
            out.node_targets.append((as_node(n), shape))
        for p in graph.objects(root, sh("targetSubjectsOf")):
            out.subjects_of.append((as_node(p), shape))
        for p in graph.objects(root, sh("targetObjectsOf")):
            out.objects_of.append((as_node(p), shape))
    for shape in out.shapes.values():
        _local(shape, set())
    return out


def _shape(shapes: dict[str, Shape], graph, node) -> Shape:
    from rdflib import BNode, Literal as RdfLiteral, URIRef
    from rdflib.collection import Collection

    key = as_node(node)
    if key in shapes:
        return shapes[key]
    shape = shapes[key] = Shape(key)
    sh = lambda name: URIRef(SH + name)  # noqa: E731

    def one(name: str):
        values = list(graph.objects(node, sh(name)))
        if len(values) > 1:
            raise Unsupported(f"several sh:{name}")
        return values[0] if values else None

    def items(term) -> list:
        if not isinstance(term, BNode) and term != URIRef(RDF + "nil"):
            raise Unsupported("not a list")
        return list(Collection(graph, term))

    def integer(name: str) -> int | None:
        v = one(name)
        if v is None:
            return None
        if not isinstance(v, RdfLiteral) or not isinstance(v.toPython(), int) or isinstance(v.toPython(), bool):
            raise Unsupported(name)
        return v.toPython()

    for p, o in graph.predicate_objects(node):
        p = str(p)
        if p == RDF_TYPE:
            if str(o) not in _SHAPE_TYPES:
                raise Unsupported("a shape that is also a class (implicit class target)")
        elif p not in _IGNORED and p not in _HANDLED:
            raise Unsupported(p)
    deactivated = one("deactivated")
    shape.deactivated = deactivated is not None and bool(getattr(deactivated, "toPython", lambda: False)())
    path = one("path")
    if path is not None:
        if not isinstance(path, URIRef):
            raise Unsupported("a path other than one predicate")
        shape.path = as_node(path)
    checks = shape.checks
    is_prop = shape.path is not None

    lo, hi = integer("minCount"), integer("maxCount")
    if (lo is not None or hi is not None) and not is_prop:
        raise Unsupported("sh:minCount on a node shape")
    if lo is not None:
        checks.append(lambda vs, f, g, n=lo: len(vs) >= n)
    if hi is not None:
        checks.append(lambda vs, f, g, n=hi: len(vs) <= n)

    dt = one("datatype")
    if dt is not None:
        checks.append(datatype_check(as_node(dt)[1:-1]))
    kind = one("nodeKind")
    if kind is not None:
        name = str(kind).removeprefix(SH)
        if name not in KINDS:
            raise Unsupported(f"sh:nodeKind {kind}")
        admitted = KINDS[name]
        checks.append(lambda vs, f, g, a=admitted: all(node_kind(v) in a for v in vs))
    for cls_term in graph.objects(node, sh("class")):
        checks.append(class_check(as_node(cls_term)))
        shape.others |= is_prop  # the values' types: other nodes' descriptions
    pattern = one("pattern")
    if pattern is not None:
        flags = str(one("flags") or "")
        if set(flags) - set("imsx"):
            raise Unsupported("sh:flags")
        rx = re.compile(str(pattern), sum(getattr(re, c.upper()) for c in flags))
        checks.append(lambda vs, f, g, rx=rx: all(text(v) is not None and rx.search(text(v)) is not None
                                                  for v in vs))
    for name, op in (("minLength", lambda n, k: n >= k), ("maxLength", lambda n, k: n <= k)):
        k = integer(name)
        if k is not None:
            checks.append(lambda vs, f, g, k=k, op=op: all(text(v) is not None and op(len(text(v)), k)
                                                           for v in vs))
    in_list = one("in")
    if in_list is not None:
        allowed = {as_node(t) for t in items(in_list)}
        checks.append(lambda vs, f, g, a=allowed: all(v in a for v in vs))
    for value in graph.objects(node, sh("hasValue")):
        want = as_node(value)
        checks.append(lambda vs, f, g, w=want: w in vs)
    langs = one("languageIn")
    if langs is not None:
        wanted = {str(t).lower() for t in items(langs)}
        checks.append(lambda vs, f, g, w=wanted: all(lang_in(v, w) for v in vs))
    unique = one("uniqueLang")
    if unique is not None and getattr(unique, "toPython", lambda: None)() is True:
        if not is_prop:
            raise Unsupported("sh:uniqueLang on a node shape")
        checks.append(unique_lang)
    for other in graph.objects(node, sh("disjoint")):
        checks.append(disjoint_check(as_node(other)))
    closed = one("closed")
    if closed is not None and getattr(closed, "toPython", lambda: None)() is True:
        if is_prop:
            raise Unsupported("sh:closed on a property shape")
        allowed = {as_node(t) for t in items(one("ignoredProperties"))} if one("ignoredProperties") else set()
        for prop in graph.objects(node, sh("property")):
            p_path = _one_of(graph, prop, sh("path"))
            if not isinstance(p_path, URIRef):
                raise Unsupported("sh:closed with a complex property path")
            allowed.add(as_node(p_path))
        checks.append(lambda vs, f, g, a=allowed: all(set(g.get(v, ())) <= a for v in vs
                                                      if not isinstance(v, tuple)))
    for ref in graph.objects(node, sh("not")):
        inner = _shape(shapes, graph, ref)
        checks.append(lambda vs, f, g, s=inner: all_of(negate(s.conforms(v, g)) for v in vs))
        shape.inner.append(inner)
    for ref in graph.objects(node, sh("node")):
        inner = _shape(shapes, graph, ref)
        checks.append(lambda vs, f, g, s=inner: all_of(s.conforms(v, g) for v in vs))
        shape.inner.append(inner)
    for name, combine in (("and", all_of), ("or", any_of), ("xone", one_of)):
        for lst in graph.objects(node, sh(name)):
            members = [_shape(shapes, graph, t) for t in items(lst)]
            shape.inner += members
            checks.append(lambda vs, f, g, ms=members, c=combine: all_of(c([m.conforms(v, g) for m in ms])
                                                                       for v in vs))
    q = one("qualifiedValueShape")
    if q is not None:
        if not is_prop:
            raise Unsupported("sh:qualifiedValueShape on a node shape")
        disjoint = one("qualifiedValueShapesDisjoint")
        if disjoint is not None and getattr(disjoint, "toPython", lambda: None)() is True:
            raise Unsupported("sh:qualifiedValueShapesDisjoint")
        inner = _shape(shapes, graph, q)
        checks.append(qualified_check(inner, integer("qualifiedMinCount"), integer("qualifiedMaxCount")))
        shape.inner.append(inner)
    elif one("qualifiedMinCount") is not None or one("qualifiedMaxCount") is not None:
        raise Unsupported("sh:qualifiedMinCount without a shape")
    for prop in graph.objects(node, sh("property")):
        sub = _shape(shapes, graph, prop)
        if sub.path is None:
            raise Unsupported("sh:property without sh:path")
        shape.props.append(sub)
        shape.inner.append(sub)
    if is_prop and shape.inner:
        shape.others = True  # inner shapes and property shapes of a property shape read its values' nodes
    if is_prop:  # no values: the value checks hold vacuously, the counting ones decide
        shape.empty = all_of(check((), None, {}) for check in checks) if not shape.deactivated else True
    return shape


def _local(shape: Shape, visiting: set) -> bool:
    """Whether evaluating ``shape`` at a focus node reads nothing but that node's own description: no check of
    it reads another node's (``sh:class`` on a property's values, shapes applied to a property's values), and
    every shape evaluated at the same node is local too. A cycle counts as not local."""
    if shape.local is not None:
        return shape.local
    if shape in visiting:
        return False
    visiting.add(shape)
    ok = not shape.others and all(_local(inner, visiting) for inner in shape.inner)
    visiting.discard(shape)
    shape.local = ok
    return ok


def _one_of(graph, node, pred):
    values = list(graph.objects(node, pred))
    if len(values) != 1:
        raise Unsupported("one value expected")
    return values[0]
