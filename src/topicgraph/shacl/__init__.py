"""SHACL for small graphs: pyshacl with the shapes parsed once, a fast screen in front of it, N-Triples parsing,
and the lines of RDF text that results point at. Used by validation and by the taxonomy's checks.

- :mod:`.engine`: :class:`Shapes` (load once, validate many graphs, batched) and :class:`ShaclResult`;
- :mod:`.screen`, :mod:`.compile`, :mod:`.constraints`: the SHACL Core screen that proves "no result" without
  pyshacl;
- :mod:`.ntriples`: small N-Triples graphs and typed literals, as rdflib and pyshacl read them;
- :mod:`.lines`: where a node is written in an RDF file;
- :mod:`._compat`: the private parts of rdflib and pyshacl this relies on, fenced in one place.
"""

from __future__ import annotations

from .engine import ShaclCrash, ShaclResult, Shapes, nt_graph, shapes_files
from .lines import RdfLines, TurtleLines
from .ntriples import Graph, Shared, parse_nt, parse_triple, typed_literal
from .screen import Screen

__all__ = ["Shapes", "ShaclResult", "ShaclCrash", "shapes_files", "nt_graph", "Screen", "Graph", "Shared",
           "parse_nt", "parse_triple", "typed_literal", "RdfLines", "TurtleLines"]
