"""A fast SHACL Core *screen*: proves that a small graph gives no SHACL result at all, or says it cannot.

pyshacl costs milliseconds per record graph even when nothing is wrong, and nearly every record of a real corpus
is fine. :class:`Screen` compiles the shapes graph once into plain Python and evaluates each record's graph in
three-valued logic (surely conforms / surely does not / cannot tell). Only "surely conforms" is acted on: such a
graph gets no results, exactly as pyshacl would report; anything else (a violation, a warning, a construct the
screen does not model) goes to pyshacl, which writes the real results. So the findings always come from pyshacl
and the screen only decides when pyshacl can be skipped; it must never say "conforms" where pyshacl would report
something, and tests/test_validate_speed.py checks that against pyshacl on random graphs.

Shapes using anything outside the SHACL Core subset that :mod:`.compile` models (SPARQL constraints,
non-predicate paths, value ranges, ``sh:equals``, ...) compile to ``None``: every graph then goes to pyshacl.

>>> from topicgraph.shacl import Shapes, parse_nt
>>> screen = Screen.compile(Shapes.load().graph)
>>> person = '<https://e.org/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Person> .\\n'
>>> screen.conforms(parse_nt(person + '<https://e.org/p> <http://schema.org/name> "Ann" .\\n'))
True
>>> screen.conforms(parse_nt(person))  # no schema:name: pyshacl must say what is wrong
False
"""

from __future__ import annotations

from ..vocab import RDF_TYPE, RDFS_SUBCLASS_OF
from .compile import Unsupported, compile_shapes
from .ntriples import Shared

__all__ = ["Screen"]

_TYPE = f"<{RDF_TYPE}>"
_SUBCLASS = f"<{RDFS_SUBCLASS_OF}>"
_UNSEEN = object()


class Screen:
    """The shapes, compiled; :meth:`conforms` says whether a graph surely gives no SHACL result."""

    def __init__(self, graph) -> None:
        compiled = compile_shapes(graph)
        self.shapes = compiled.shapes
        self.class_targets = compiled.class_targets
        self.node_targets = compiled.node_targets
        self.subjects_of = compiled.subjects_of
        self.objects_of = compiled.objects_of

    @classmethod
    def compile(cls, graph) -> "Screen | None":
        """The screen for an rdflib shapes graph, or None when the shapes use what the screen does not model."""
        try:
            return cls(graph)
        except Unsupported:
            return None

    def conforms(self, g: dict | None, ignore=frozenset()) -> bool:
        """True when validating ``g`` (from :func:`~.ntriples.parse_nt`) surely gives no result whose focus node is
        not in ``ignore`` (IRIs without brackets); False when it might give one (or ``g`` is None)."""
        if g is None:
            return False
        if any(_SUBCLASS in preds for preds in g.values()):
            return False  # rdfs:subClassOf in the data widens sh:targetClass and sh:class: leave it to pyshacl
        todo: list = []
        for s, preds in g.items():
            for c in preds.get(_TYPE, ()):
                for shape in self.class_targets.get(c, ()):
                    todo.append((s, shape))
        todo += self.node_targets
        for p, shape in self.subjects_of:
            todo += [(s, shape) for s, preds in g.items() if p in preds]
        for p, shape in self.objects_of:
            todo += [(o, shape) for preds in g.values() for o in preds.get(p, ())]
        for focus, shape in todo:
            if not isinstance(focus, tuple) and focus[1:-1] in ignore:
                continue
            if shape.local:
                preds = g.get(focus)
                if preds.__class__ is Shared:  # a shared, unchanging description: its verdict kept on it
                    verdict = preds.verdicts.get((shape, focus), _UNSEEN)
                    if verdict is _UNSEEN:
                        verdict = preds.verdicts[(shape, focus)] = shape.conforms(focus, g)
                    if verdict is not True:
                        return False
                    continue
            if shape.conforms(focus, g) is not True:
                return False
        return True
