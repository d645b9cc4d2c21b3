"""Analysts' SPARQL: named queries, a read-only runner for the store or any endpoint, and result writers.

>>> import tempfile, topicgraph
>>> from topicgraph.queries import run_named, serialize
>>> store = topicgraph.build(["seeds"], out=tempfile.mkdtemp(), jobs=1).store
>>> result = run_named(store, "topics-by-vendor")
>>> [(row["vendorLabel"], row["label"], row["articles"]) for row in result.values()][:2]
[('Gartner', 'Customer Experience', 1), ('Medigy', 'Patient Acquisition', 2)]
"""

from __future__ import annotations

from .formats import (BINDINGS_FORMATS, GRAPH_FORMATS, OUTPUT_FORMATS, media_type, negotiate, render_table,
                      serialize)
from .checks import (CheckedQuery, QueryRefused, QuerySyntaxError, QueryTooComplex, ResultTooLarge, check_nesting,
                     check_query)
from .endpoint import Endpoint
from .named import MissingParameter, NamedQuery, Parameter, get_query, list_queries
from .result import QueryResult
from .runner import example_params, run_named, run_query, with_choices
from .terms import to_term

__all__ = ["NamedQuery", "Parameter", "MissingParameter", "with_choices", "example_params", "list_queries", "get_query", "to_term", "QueryResult", "Endpoint",
           "run_query", "run_named", "check_query", "check_nesting", "CheckedQuery", "QueryRefused", "QuerySyntaxError",
           "QueryTooComplex",
           "ResultTooLarge", "serialize", "render_table", "media_type", "negotiate", "BINDINGS_FORMATS",
           "GRAPH_FORMATS", "OUTPUT_FORMATS"]
