"""The SHACL screen's compiled shapes and their constraints, evaluated in three-valued logic.

A :class:`Shape` is one shape of the shapes graph, compiled by :mod:`.compile`: its path (None for a node shape)
and its checks, each ``check(values, focus, g)`` over a graph in :func:`~.ntriples.parse_nt`'s form, answering
True (surely no result), False (surely a result) or None (cannot tell: pyshacl decides).

>>> Shape("<https://e.org/s>").conforms("<https://e.org/a>", {})
True
"""

from __future__ import annotations

from ..vocab import RDF_LANGSTRING, RDF_TYPE, RDFS, XSD_STRING
from .ntriples import typed_ok

__all__ = ["Shape", "KINDS", "kind", "text", "all_of", "negate", "any_of", "one_of", "datatype_check",
           "class_check", "lang_in", "unique_lang", "disjoint_check", "qualified_check"]

_TYPE = f"<{RDF_TYPE}>"
_LITERAL = RDFS + "Literal"
_DATATYPE = RDFS + "Datatype"
#: sh:nodeKind -> the kinds of node it admits
KINDS = {
    "IRI": {"iri"}, "BlankNode": {"bnode"}, "Literal": {"literal"}, "BlankNodeOrIRI": {"bnode", "iri"},
    "BlankNodeOrLiteral": {"bnode", "literal"}, "IRIOrLiteral": {"iri", "literal"}}
_NOTHING: dict = {}


def kind(v) -> str:
    """``iri``, ``bnode`` or ``literal``: what sh:nodeKind reads."""
    if isinstance(v, tuple):
        return "literal"
    return "iri" if v.startswith("<") else "bnode"


def text(v) -> str | None:
    """What sh:pattern and the length constraints read: the IRI or the lexical form; None for blank nodes."""
    if isinstance(v, tuple):
        return v[0]
    return v[1:-1] if v.startswith("<") else None


def all_of(results) -> bool | None:
    """Three-valued "and": False if any is False, else None if any is None, else True."""
    out: bool | None = True
    for r in results:
        if r is False:
            return False
        if r is None:
            out = None
    return out


class Shape:
    """One compiled shape: its path (None for a node shape) and its checks, each ``check(values, focus, g)``."""

    __slots__ = ("node", "path", "checks", "props", "deactivated", "empty", "local", "others", "inner")

    def __init__(self, node: str) -> None:
        self.node = node
        self.path: str | None = None
        self.checks: list = []
        self.props: list[Shape] = []
        self.deactivated = False
        self.empty: bool | None = None  # the verdict for a focus node without values (property shapes)
        # local: the verdict on a focus node depends on nothing but the node and its own description g[focus]
        # (set after compiling, from: others, a check reads another node's description; inner, the shapes
        # evaluated at the same focus node)
        self.local: bool | None = None
        self.others = False
        self.inner: list[Shape] = []

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


def negate(r: bool | None) -> bool | None:
    """Three-valued "not"."""
    return None if r is None else not r


def any_of(rs: list) -> bool | None:
    """Three-valued "or" (sh:or)."""
    if any(r is True for r in rs):
        return True
    return False if all(r is False for r in rs) else None


def one_of(rs: list) -> bool | None:
    """Exactly one True (sh:xone); None when any cannot be told."""
    if any(r is None for r in rs):
        return None
    return sum(1 for r in rs if r) == 1


def datatype_check(dt: str):
    def check(vs, f, g) -> bool:
        for v in vs:
            if not isinstance(v, tuple):
                return False
            lex, lang, vdt = v
            if lang is not None:
                ok = dt == RDF_LANGSTRING or dt == _LITERAL
            elif vdt is None:
                ok = dt == XSD_STRING or dt == _LITERAL
            elif vdt == dt:
                ok = typed_ok(lex, dt)
            else:
                ok = dt in (_LITERAL, _DATATYPE)
            if not ok:
                return False
        return True
    return check


def class_check(cls_node: str):
    def check(vs, f, g) -> bool:
        for v in vs:
            if isinstance(v, tuple) or cls_node not in g.get(v, {}).get(_TYPE, ()):
                return False  # no rdfs:subClassOf in the data (Screen.conforms makes sure), so this is final
        return True
    return check


def lang_in(v, wanted: set[str]) -> bool:
    if not isinstance(v, tuple) or v[1] is None:
        return False
    return "*" in wanted or v[1] in wanted or v[1].split("-")[0] in wanted


def unique_lang(vs, f, g) -> bool | None:
    seen = set()
    for v in vs:
        if isinstance(v, tuple) and v[1] is not None:
            if v[1] in seen:
                return None  # a repeated language: pyshacl says which; never claim anything here
            seen.add(v[1])
    return True


def disjoint_check(other: str):
    def check(vs, f, g) -> bool:
        theirs = g.get(f, {}).get(other, ()) if not isinstance(f, tuple) else ()
        return not any(v in theirs for v in vs)
    return check


def qualified_check(inner: Shape, lo: int | None, hi: int | None):
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
