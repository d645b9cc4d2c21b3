"""Running SPARQL read-only, on the embedded store or on any SPARQL 1.1 endpoint, with parameters bound safely.

Every query is checked first (see :mod:`.checks`); parameters are bound as terms (see :mod:`.terms`); an
endpoint is asked through :mod:`.endpoint`.

>>> import tempfile, topicgraph
>>> store = topicgraph.build(["seeds"], out=tempfile.mkdtemp(), jobs=1).store
>>> result = run_query(store, "SELECT ?name WHERE { ?a schema:about ?topic ; schema:author/schema:name ?name }",
...                    params={"topic": "tax:symplur/patient-experience"})
>>> [row["name"].value for row in result.rows]
['Sonalika Ghosh']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import TopicgraphError
from . import syntax
from .checks import (MAX_NESTING, CheckedQuery, QueryRefused, QuerySyntaxError, QueryTooComplex, ResultTooLarge,
                     check_query, syntax_error)
from .choices import find_choices
from .named import MissingParameter, get_query
from .endpoint import Endpoint, run_endpoint
from .result import QueryResult, collect
from .terms import predeclared, to_term

__all__ = ["QueryResult", "Endpoint", "run_query", "run_named", "from_summary", "SUMMARISED", "with_choices", "example_params", "MissingParameter", "check_query", "CheckedQuery", "QueryRefused",
           "QuerySyntaxError", "QueryTooComplex", "ResultTooLarge", "MAX_NESTING"]


def _open_target(target):
    """GraphStore, pyoxigraph.Store, Endpoint, an http(s) URL or a build folder."""
    import pyoxigraph

    from ..store import GraphStore

    if isinstance(target, (GraphStore, pyoxigraph.Store, Endpoint)):
        return target
    if isinstance(target, str) and re.match(r"^https?://", target):
        return Endpoint(target)
    if isinstance(target, (str, Path)):
        return GraphStore.open(target)
    raise TypeError(f"cannot query {target!r}: give a GraphStore, a build folder or an endpoint URL")


def run_query(target, sparql: str, *, params: dict[str, Any] | None = None, max_rows: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None, max_depth: int | None = MAX_NESTING) -> QueryResult:
    """Run one read-only query on a store (a ``GraphStore``, a build folder) or an endpoint (URL or ``Endpoint``).

    ``params`` binds variables to RDF terms (a pyoxigraph term, or a value read by
    :func:`~topicgraph.queries.named.to_term`) by a ``VALUES`` block that opens the WHERE clause: the same on
    every store and server, and never text pasted into the query. ``max_rows`` raises :class:`ResultTooLarge` beyond that many
    rows or triples. On the embedded store the default graph is the union of all named graphs, unless
    ``default_graphs`` names the graphs to use instead, or the query has ``FROM`` / ``FROM NAMED`` clauses: then
    its dataset is the graphs they name that exist (SPARQL's rules; none that exists gives an empty dataset). ``max_depth`` bounds how deep brackets may nest.
    """
    target = _open_target(target)
    if base_iri is None and hasattr(target, "base_iri"):
        base_iri = target.base_iri
    bindings = {k: to_term(v, name=k, base_iri=base_iri) for k, v in (params or {}).items() if v is not None}
    for name in bindings:
        if not re.match(r"^[A-Za-z0-9_]+$", name):
            raise TopicgraphError(f"{name!r} is not a variable name")
    if isinstance(target, Endpoint):
        return run_endpoint(target, sparql, bindings, max_rows, default_graphs, named_graphs, max_depth,
                             base_iri)
    ox = target.ox if hasattr(target, "ox") else target
    return _run_store(ox, sparql, bindings, max_rows, default_graphs, named_graphs, max_depth, base_iri)


def run_named(target, name: str, params: dict[str, Any] | None = None, **kwargs) -> QueryResult:
    """Run the named query ``name`` with its parameters (given values over the defaults).

    >>> import tempfile, topicgraph
    >>> store = topicgraph.build(["seeds"], out=tempfile.mkdtemp(), jobs=1).store
    >>> run_named(store, "untagged-articles").column("identifier")
    ['002_e2043c317a839aa3', '003_93b4219c4437b57c', '004_7f7bd89bfa8fa00f']
    """
    folder = kwargs.pop("folder", None)
    use_summary = kwargs.pop("summary", True)
    query = get_query(name, folder)
    target = _open_target(target)
    base_iri = kwargs.get("base_iri") or getattr(target, "base_iri", None)
    try:
        bindings = query.bindings(params, base_iri=base_iri)
    except MissingParameter as exc:
        raise with_choices(exc, target, base_iri=base_iri) from None
    if use_summary and folder is None and not kwargs.get("default_graphs") and not kwargs.get("named_graphs"):
        answered = from_summary(target, name, bindings, kwargs.get("max_rows"))
        if answered is not None:
            return answered
    return run_query(target, query.sparql, params=bindings, **kwargs)


#: named query -> (the summary's method, the parameter it filters on, the query's variables)
SUMMARISED = {
    "authors-by-topic": ("authors_by_topic", "topic", ["topic", "label", "author", "name", "articles"]),
    "brands-by-topic": ("brands_by_topic", "topic", ["topic", "label", "brand", "name", "articles"]),
    "topic-cooccurrence": ("cooccurrence", None, ["topicA", "labelA", "topicB", "labelB", "articles"]),
    "topics-by-vendor": ("topics_by_vendor", "vendor", ["vendor", "vendorLabel", "topic", "label", "articles"]),
    "topic-timeline": ("timeline", "topic", ["month", "articles"]),
}


#: the summarised queries that read the whole corpus: the first of them after a build writes the summary
WORTH_A_SUMMARY = frozenset({"authors-by-topic", "brands-by-topic", "topic-cooccurrence"})


def from_summary(target, name: str, bindings: dict[str, Any], max_rows: int | None = None) -> QueryResult | None:
    """The shipped named query ``name``'s answer read from the build's summary (``store.summary``), the same
    rows in the same order as its SPARQL gives. A missing or stale summary (the build changed since) is written
    first for the queries in :data:`WORTH_A_SUMMARY`; ``None`` when the target is no build folder, there is no
    up-to-date summary (and the query is a quick one) or it cannot be written, or the query is not one the summary
    holds."""
    from ..store import GraphStore, ensure_summary, open_summary

    if name not in SUMMARISED or not isinstance(target, GraphStore):
        return None
    method, param, variables = SUMMARISED[name]
    if set(bindings) - {param}:
        return None
    # the summary costs about one corpus-wide query to write: worth it for those, not for a quick one
    opener = ensure_summary if name in WORTH_A_SUMMARY else open_summary
    summary = opener(target.folder, target.manifest)
    if summary is None:
        return None
    try:
        value = bindings.get(param) if param else None
        rows = getattr(summary, method)(value) if value is not None or method != "timeline" else []
    finally:
        summary.close()
    if max_rows is not None and len(rows) > max_rows:
        raise ResultTooLarge(f"the result has more than {max_rows} rows: add LIMIT (and OFFSET to page), "
                             "or narrow the query")
    return QueryResult("SELECT", list(variables), rows)


def example_params(target, name: str) -> dict[str, str]:
    """A value for each required parameter of the named query ``name``, the first the store offers (its most
    used topic, an article with many topics): for running every named query on any corpus, as tests and
    benchmarks do.

    >>> import tempfile, topicgraph
    >>> store = topicgraph.build(["seeds"], out=tempfile.mkdtemp(), jobs=1).store
    >>> example_params(store, "articles-by-topic"), example_params(store, "topics-by-vendor")
    ({'topic': 'tax:medigy/patient-acquisition'}, {})
    """
    query = get_query(name)
    target = _open_target(target)
    base_iri = getattr(target, "base_iri", None)
    out = {}
    for p in query.parameters:
        if p.required:
            found = find_choices(p.name, lambda q: run_query(target, q, base_iri=base_iri), predeclared(base_iri))
            if found is None:
                raise with_choices(MissingParameter(query, p), target, base_iri=base_iri)
            out[p.name] = found[1][0].split()[0]
    return out


def with_choices(exc: MissingParameter, target, *, base_iri: str | None = None) -> MissingParameter:
    """``exc`` again, listing values of its parameter that ``target`` holds (the most used topics, a few
    identifiers); as it was when the target cannot say (no query for that parameter, an endpoint down)."""
    target = _open_target(target)
    prefixes = predeclared(base_iri or getattr(target, "base_iri", None))
    try:
        found = find_choices(exc.parameter.name, lambda q: run_query(target, q, base_iri=base_iri), prefixes)
    except TopicgraphError:
        found = None
    if found is None:
        return exc
    heading, lines = found
    return MissingParameter(exc.query, exc.parameter, lines, heading)


# ------------------------------------------------------------------------------------------ the embedded store
def _graph_iris(iris: list[str], what: str) -> list:
    import pyoxigraph

    out = []
    for iri in iris:
        try:
            out.append(pyoxigraph.NamedNode(iri))
        except ValueError as exc:
            raise TopicgraphError(f"{what} {iri[:200]!r} is not an absolute IRI: {exc}") from None
    return out


def _run_store(ox, sparql, bindings, max_rows, default_graphs, named_graphs, max_depth=MAX_NESTING,
               base_iri: str | None = None) -> QueryResult:
    checked = check_query(sparql, max_depth=max_depth)
    prefixes = predeclared(base_iri)
    # a query's own FROM / FROM NAMED make its dataset (a graph that does not exist adds nothing), as SPARQL says;
    # pyoxigraph would ignore them under the union default graph, so the union applies only to queries without
    kwargs: dict[str, Any] = {"prefixes": prefixes,
                              "use_default_graph_as_union": not default_graphs and not checked.has_dataset}
    if default_graphs:
        kwargs["default_graph"] = _graph_iris(default_graphs, "default-graph-uri")
    if named_graphs:
        kwargs["named_graphs"] = _graph_iris(named_graphs, "named-graph-uri")
    text = syntax.insert_values(sparql, {k: str(v) for k, v in bindings.items()}) if bindings else sparql
    try:
        raw = ox.query(text, **kwargs)
        return collect(raw, checked.form, max_rows)
    except SyntaxError as exc:
        raise syntax_error(sparql, exc, prefixes) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise TopicgraphError(f"the query failed: {exc}") from None
