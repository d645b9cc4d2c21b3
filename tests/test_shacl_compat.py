"""The private parts of rdflib and pyshacl that topicgraph.shacl relies on (all in topicgraph/shacl/_compat.py) are
still there and still mean what the code assumes: an upgrade that removes or changes one fails here, loudly,
instead of quietly taking a slow path (or giving pyshacl a shapes graph it does not use)."""

from __future__ import annotations

import inspect

import pyshacl
import rdflib
from rdflib import Literal, URIRef

from topicgraph.shacl import Shapes, _compat
from topicgraph.vocab import RDF_JSON, XSD_DATE, XSD_INTEGER


def test_rdflibs_converter_table_is_the_one_rdflib_reads():
    from rdflib.term import _toPythonMapping

    table = _compat.converter_table()
    assert table is _toPythonMapping, "rdflib.term._toPythonMapping is gone or no longer a dict"
    assert URIRef(XSD_INTEGER) in table and URIRef(XSD_DATE) in table
    assert URIRef(RDF_JSON) not in table  # the screen reads such literals without rdflib


def test_pyshacls_datatype_test_reads_nothing_of_self():
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    method = DatatypeConstraintComponent._assert_actual_datatype
    assert list(inspect.signature(method).parameters) == ["self", "value_node", "datatype_rule"]
    assert "self." not in inspect.getsource(method)  # called with self=None
    assert _compat.datatype_accepts(Literal("7", datatype=URIRef(XSD_INTEGER)), URIRef(XSD_INTEGER)) is True
    assert _compat.datatype_accepts(Literal("seven", datatype=URIRef(XSD_INTEGER)), URIRef(XSD_INTEGER)) is False
    assert _compat.datatype_accepts(Literal("7"), URIRef(XSD_INTEGER)) is False


def test_the_harvested_shapes_are_the_ones_pyshacl_runs(monkeypatch):
    shapes = Shapes.load()
    harvested = _compat.harvest_shapes(shapes.graph)
    assert harvested is not None, "pyshacl.shapes_graph.ShapesGraph is gone"
    assert shapes._sg is not None
    seen = []
    original = pyshacl.Validator.run

    def run(self):
        seen.append(self.shacl_graph)
        return original(self)

    monkeypatch.setattr(pyshacl.Validator, "run", run)
    data = rdflib.Graph().parse(data="<https://e.org/a> a <http://schema.org/Person> .", format="turtle")
    report = _compat.run_prepared(data, shapes.graph, harvested, {"inference": "none", "advanced": False,
                                                                   "allow_warnings": True, "allow_infos": True})
    assert report is not None, "pyshacl.Validator or pyshacl.graph_abstraction.DataGraph is gone"
    assert seen == [harvested], "Validator.run no longer reads the shacl_graph attribute"
    assert [r.shape for r in shapes.validate(data)] == ["https://w3id.org/topicgraph/shapes#Person-name"]
    assert len(seen) == 2 and seen[1] is shapes._sg  # Shapes.validate took the prepared way, not pyshacl.validate
