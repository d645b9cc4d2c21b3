"""The private parts of rdflib and pyshacl that the SHACL engine relies on, each fenced here, in one place.

Each function says which private name it uses and what it falls back to without it; ``tests/test_shacl_compat.py``
fails loudly when an upgrade of rdflib or pyshacl removes or changes one of them (pyproject.toml pins both to the
versions tested).
"""

from __future__ import annotations

__all__ = ["converter_table", "datatype_accepts", "harvest_shapes", "run_prepared"]


def converter_table() -> dict | None:
    """rdflib's table of datatype IRI -> Python converter (``rdflib.term._toPythonMapping``), or None when rdflib
    no longer has it (the caller then takes the slow way, asking rdflib literal by literal).

    The same dictionary, not a copy: converters bound at run time (``rdflib.term.bind``) go into it.
    """
    try:
        from rdflib.term import _toPythonMapping
    except ImportError:
        return None
    return _toPythonMapping if isinstance(_toPythonMapping, dict) else None


def datatype_accepts(literal, datatype) -> bool:
    """Whether pyshacl's ``sh:datatype`` accepts the rdflib ``literal`` for ``datatype`` (an rdflib URIRef): its
    own test, ``DatatypeConstraintComponent._assert_actual_datatype(self, value, datatype)`` (a method that reads
    nothing of ``self``), so that the screen can never disagree with pyshacl about a literal's type."""
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    return bool(DatatypeConstraintComponent._assert_actual_datatype(None, literal, datatype))


def harvest_shapes(graph):
    """pyshacl's ``ShapesGraph`` of an rdflib shapes graph with its shapes harvested now (a broken shapes graph
    fails here, at load time); None when pyshacl moved ``pyshacl.shapes_graph`` (then every validation goes
    through ``pyshacl.validate``, which harvests again each time)."""
    try:
        from pyshacl.shapes_graph import ShapesGraph
    except ImportError:
        return None
    sg = ShapesGraph(graph)
    _ = sg.shapes
    return sg


def run_prepared(data, graph, harvested, options: dict):
    """pyshacl's report graph for the rdflib ``data`` graph, reusing the shapes harvested by :func:`harvest_shapes`:
    a ``pyshacl.Validator`` is made for ``graph`` and its ``shacl_graph`` attribute (not a constructor argument)
    is set to the harvested ``ShapesGraph``, which pyshacl would otherwise build again for every call. None when
    pyshacl moved ``Validator`` or ``DataGraph`` (the caller then calls ``pyshacl.validate``)."""
    try:
        from pyshacl import Validator
        from pyshacl.graph_abstraction import DataGraph
    except ImportError:
        return None
    v = Validator(DataGraph.from_rdflib(data), shacl_graph=graph, options=options)
    v.shacl_graph = harvested
    return v.run()[1]
