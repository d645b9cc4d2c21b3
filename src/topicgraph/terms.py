"""Converting pyoxigraph terms to plain Python values and back."""

from __future__ import annotations

from typing import Any

from .vocab import XSD as _XSD

__all__ = ["to_python"]

_INTS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                            "unsignedInt", "unsignedLong", "negativeInteger", "nonPositiveInteger")}


def to_python(term: Any) -> Any:
    """IRIs and plain strings to ``str``, numbers to ``int``/``float``, booleans to ``bool``; others as text.

    >>> from pyoxigraph import Literal, NamedNode
    >>> to_python(Literal("5", datatype=NamedNode(_XSD + "integer"))), to_python(NamedNode("http://a/"))
    (5, 'http://a/')
    """
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTS:
                return int(term.value)
            if dt in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
                return float(term.value)
            if dt == _XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return term.value
