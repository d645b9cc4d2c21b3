"""Running SPARQL read-only, on the embedded store or on any SPARQL 1.1 endpoint, with parameters bound safely.

Against the embedded store every query is checked first: updates, ``LOAD`` and ``SERVICE`` are refused, because
pyoxigraph would carry out ``SERVICE`` with real HTTP requests. The check parses the query with rdflib's SPARQL
parser (so a keyword in a comment, string or IRI is not a ``SERVICE``); a query rdflib cannot parse is refused
when the word ``SERVICE`` appears anywhere in it (and a query without the word anywhere needs no parse at all:
pyoxigraph's query parser never runs an update). Brackets nested deeper than ``MAX_NESTING`` are refused before
any parser sees them: pyoxigraph's recursive parser would overflow its stack and take the process down.

>>> import tempfile, topicgraph
>>> store = topicgraph.build(["seeds"], out=tempfile.mkdtemp(), jobs=1).store
>>> result = run_query(store, "SELECT ?name WHERE { ?a schema:about ?topic ; schema:author/schema:name ?name }",
...                    params={"topic": "tax:symplur/patient-experience"})
>>> [row["name"].value for row in result.rows]
['Sonalika Ghosh']
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError
from . import syntax

if TYPE_CHECKING:  # pragma: no cover
    from ..store import GraphStore

__all__ = ["QueryResult", "Endpoint", "run_query", "run_named", "check_query", "CheckedQuery", "QueryRefused",
           "QuerySyntaxError", "QueryTooComplex", "ResultTooLarge", "MAX_NESTING"]

#: the deepest nesting of ``{}``, ``()`` and ``[]`` a query may have (pyoxigraph overflows its stack at a few
#: thousand; real queries stay under twenty)
MAX_NESTING = 128

_SELECT_ACCEPT = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class QueryRefused(TopicgraphError):
    """A query that would change data or reach out to the network: refused before it runs."""


class ResultTooLarge(TopicgraphError):
    """More result rows (or triples) than the limit allows."""


class QuerySyntaxError(TopicgraphError):
    """A syntax error located by line and column, shown with the query text around it."""

    def __init__(self, message: str, sparql: str, line: int, col: int) -> None:
        self.reason, self.line, self.col, self.sparql = message, line, col, sparql
        super().__init__(f"SPARQL syntax error at line {line}, column {col}: {message}\n"
                         f"{syntax.excerpt(sparql, line, col)}")


class QueryTooComplex(QuerySyntaxError):
    """A query nested deeper than the limit: refused before a recursive parser could overflow its stack."""


@dataclass
class QueryResult:
    """What a query returned: SELECT rows, an ASK answer, or CONSTRUCT/DESCRIBE triples (pyoxigraph terms)."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``bindings``, ``boolean`` or ``graph``: which result formats apply."""
        if self.form == "ASK":
            return "boolean"
        return "graph" if self.form in ("CONSTRUCT", "DESCRIBE") else "bindings"

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)

    def values(self) -> list[dict[str, Any]]:
        """The rows as plain Python values (IRIs and strings as ``str``, numbers as numbers)."""
        from ..terms import to_python

        return [{k: to_python(v) for k, v in row.items()} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """One column's plain values, ``None`` where unbound."""
        from ..terms import to_python

        return [to_python(row.get(name)) for row in self.rows]


@dataclass
class Endpoint:
    """A remote SPARQL 1.1 Protocol endpoint.

    ``graph``, when set, is sent as ``default-graph-uri``: the graph that ``topicgraph push --graph`` filled with
    the union of all the named graphs, so that queries see what they see on the embedded store.
    """

    url: str
    graph: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0
    page_size: int = 10_000

    def client(self):
        from ..remote import HttpClient

        return HttpClient(self.user, self.password, timeout=self.timeout)


@dataclass(frozen=True)
class CheckedQuery:
    form: str | None
    has_service: bool


def _node_names(node) -> list[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    out: list[str] = []
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            out.append(x.name)
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)) or type(x).__name__ == "ParseResults":
            stack.extend(x)
    return out


_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}
_UPDATE_MSG = ("updates are refused: topicgraph runs read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE); "
               "INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE and COPY never run here")
_SERVICE_MSG = ("SERVICE is refused: a federated query would make this machine fetch data from other servers; "
                "query the other endpoint directly with `topicgraph query --endpoint URL`")


def check_nesting(sparql: str, max_depth: int | None = MAX_NESTING) -> None:
    """Raise :class:`QueryTooComplex` when brackets nest deeper than ``max_depth`` (None: no limit).

    >>> check_nesting("SELECT * WHERE " + "{" * 200 + "}" * 200)
    Traceback (most recent call last):
    ...
    topicgraph.queries.runner.QueryTooComplex: SPARQL syntax error at line 1, column 144: brackets ...
    """
    if max_depth is None or sum(sparql.count(c) for c in "{([") <= max_depth:  # cannot be deeper: skip the scan
        return
    depth, offset = syntax.nesting_depth(sparql, stop_above=max_depth)
    if depth > max_depth:
        line, col = syntax.line_col(sparql, offset)
        raise QueryTooComplex(f"brackets ({{ }}, ( ) and [ ]) nest more than {max_depth} levels deep here, "
                              "this endpoint's limit: flatten the groups and expressions", sparql, line, col)


def check_query(sparql: str, *, allow_service: bool = False, max_depth: int | None = MAX_NESTING) -> CheckedQuery:
    """Refuse an update, ``LOAD`` or (unless allowed) ``SERVICE`` before anything runs; return the query form.

    >>> check_query("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE <http://x/> {}").form
    'SELECT'
    >>> check_query("SELECT * WHERE { service <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    topicgraph.queries.runner.QueryRefused: SERVICE is refused: ...
    """
    # rdflib's parser takes 10-50 ms a query, pyoxigraph often 1 ms: remember the verdict on recent texts (the
    # named queries, a dashboard's queries), so that the check does not cost more than the query
    key = (sparql, allow_service, max_depth)
    with _CHECKED_LOCK:
        verdict = _CHECKED.get(key)
        if verdict is not None:
            _CHECKED.move_to_end(key)
    if verdict is None:
        try:
            verdict = _check(sparql, allow_service, max_depth)
        except TopicgraphError as exc:
            verdict = exc
        if len(sparql) <= _CHECKED_MAX_CHARS:
            with _CHECKED_LOCK:
                _CHECKED[key] = verdict
                while len(_CHECKED) > _CHECKED_SIZE:
                    _CHECKED.popitem(last=False)
    if isinstance(verdict, BaseException):
        raise verdict.with_traceback(None)
    return verdict


_CHECKED: OrderedDict = OrderedDict()
_CHECKED_LOCK = threading.Lock()
_CHECKED_SIZE, _CHECKED_MAX_CHARS = 512, 20_000


def _check(sparql: str, allow_service: bool, max_depth: int | None) -> CheckedQuery:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    tokens = list(syntax.tokenize(sparql))
    if not "".join(t.text for t in tokens).strip():
        raise QuerySyntaxError("the query is empty", sparql or " ", 1, 1)
    check_nesting(sparql, max_depth)
    form = syntax.query_form(sparql)
    if form in syntax.QUERY_FORMS and "service" not in sparql.lower() \
            and "service" not in syntax.expand_escapes(sparql).lower():
        # without the word anywhere, no parser can find a SERVICE; and pyoxigraph's query parser never runs an
        # update. Only a text that has the word pays for rdflib's parse (10-50 ms) to tell where it is.
        return CheckedQuery(form, False)
    try:
        tree = parseQuery(sparql)
    except Exception:  # noqa: BLE001 - any parse failure: fall back to the conservative checks below
        tree = None
    if tree is None:
        try:
            update = parseUpdate(sparql)
            is_update = bool(update.get("request"))
        except Exception:  # noqa: BLE001
            is_update = False
        expanded = syntax.expand_escapes(sparql)
        if is_update or form == "UPDATE" or re.search(r"(?i)\bLOAD\b", expanded) and form is None:
            raise QueryRefused(_UPDATE_MSG)
        has_service = re.search(r"(?i)\bSERVICE\b", expanded) is not None
    else:
        names = _node_names(tree)
        # SERVICE as a bare word (never a variable, prefixed name, string or IRI) is the keyword in any parser
        has_service = "ServiceGraphPattern" in names or any(
            t.kind == "WORD" and t.text.upper() == "SERVICE" for t in tokens)
        form = next((_FORMS[n] for n in names if n in _FORMS), None)
    if has_service and not allow_service:
        raise QueryRefused(_SERVICE_MSG)
    return CheckedQuery(form, has_service)


def predeclared(base_iri: str | None = None) -> dict[str, str]:
    """The prefixes a query may use without declaring them: ours, and ``id:`` for the build's base IRI.

    >>> predeclared("https://example.org/id/")["id"], "id" in predeclared()
    ('https://example.org/id/', False)
    """
    from ..namespaces import PREFIXES

    return {**PREFIXES, "id": base_iri} if base_iri else dict(PREFIXES)


def _syntax_error(sparql: str, exc: SyntaxError, prefixes: dict[str, str] | None = None) -> TopicgraphError:
    prefixes = predeclared() if prefixes is None else prefixes
    message = str(exc)
    unknown = syntax.undeclared_prefix(sparql, prefixes)
    if unknown is not None:
        prefix, offset = unknown
        line, col = syntax.line_col(sparql, offset)
        known = ", ".join(f"{p}:" for p in prefixes)
        return QuerySyntaxError(f"unknown prefix '{prefix}:' (declare it with PREFIX {prefix}: <...>, or use one "
                                f"of the predeclared prefixes {known})", sparql, line, col)
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if m:
        reason = re.sub(r"\s+", " ", m.group(3)).strip()
        reason = re.sub(r"\[[^\[\]]*\]", "", reason)  # drop the character classes pyoxigraph lists
        reason = re.sub(r"(,\s*)+(?=,|$)", "", re.sub(r"one of\s*,\s*", "one of ", reason)).strip(" ,")
        if len(reason) > 240:
            reason = reason[:240] + "…"
        line, col = int(m.group(1)), int(m.group(2))
        # pyoxigraph reports where its parser finally gave up, often past the mistake; rdflib's parser stops at
        # the start of the clause it could not read. Point at the earlier place and say what pyoxigraph wanted.
        start = _rdflib_error_position(sparql)
        if start is not None and start < (line, col):
            return QuerySyntaxError(f"cannot read the query from here (at line {line}, column {col}: {reason})",
                                    sparql, *start)
        return QuerySyntaxError(reason, sparql, line, col)
    return TopicgraphError(f"SPARQL syntax error: {message}")


def _rdflib_error_position(sparql: str) -> tuple[int, int] | None:
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(sparql)
    except Exception as exc:  # noqa: BLE001 - pyparsing's ParseException and friends
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        if isinstance(line, int) and isinstance(col, int):
            return line, col
    return None


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
    ``default_graphs`` names the graphs to use instead. ``max_depth`` bounds how deep brackets may nest.
    """
    from .named import to_term

    target = _open_target(target)
    if base_iri is None and hasattr(target, "base_iri"):
        base_iri = target.base_iri
    bindings = {k: to_term(v, name=k, base_iri=base_iri) for k, v in (params or {}).items() if v is not None}
    for name in bindings:
        if not re.match(r"^[A-Za-z0-9_]+$", name):
            raise TopicgraphError(f"{name!r} is not a variable name")
    if isinstance(target, Endpoint):
        return _run_endpoint(target, sparql, bindings, max_rows, default_graphs, named_graphs, max_depth,
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
    from .named import get_query

    query = get_query(name, kwargs.pop("folder", None))
    target = _open_target(target)
    bindings = query.bindings(params, base_iri=getattr(target, "base_iri", None))
    return run_query(target, query.sparql, params=bindings, **kwargs)


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
    kwargs: dict[str, Any] = {"prefixes": prefixes, "use_default_graph_as_union": not default_graphs}
    if default_graphs:
        kwargs["default_graph"] = _graph_iris(default_graphs, "default-graph-uri")
    if named_graphs:
        kwargs["named_graphs"] = _graph_iris(named_graphs, "named-graph-uri")
    text = syntax.insert_values(sparql, {k: str(v) for k, v in bindings.items()}) if bindings else sparql
    try:
        raw = ox.query(text, **kwargs)
        return _collect(raw, checked.form, max_rows)
    except SyntaxError as exc:
        raise _syntax_error(sparql, exc, prefixes) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise TopicgraphError(f"the query failed: {exc}") from None


def _collect(raw, form: str | None, max_rows: int | None) -> QueryResult:
    import pyoxigraph

    if isinstance(raw, pyoxigraph.QueryBoolean):
        return QueryResult("ASK", boolean=bool(raw))
    if isinstance(raw, pyoxigraph.QuerySolutions):
        names = [v.value for v in raw.variables]
        rows = []
        for solution in raw:
            if max_rows is not None and len(rows) >= max_rows:
                raise ResultTooLarge(f"the result has more than {max_rows} rows: add LIMIT (and OFFSET to page), "
                                     "or narrow the query")
            rows.append({n: solution[n] for n in names if solution[n] is not None})
        return QueryResult("SELECT", names, rows)
    triples = []
    for t in raw:
        if max_rows is not None and len(triples) >= max_rows:
            raise ResultTooLarge(f"the result has more than {max_rows} triples: add LIMIT to the WHERE clause, "
                                 "or narrow the query")
        triples.append(t)
    return QueryResult(form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", triples=triples)


# ----------------------------------------------------------------------------------------------- endpoints
def _with_prefixes(sparql: str, prefixes: dict[str, str] | None = None) -> str:
    """Declare our predeclared prefixes for a server that does not know them (the query's own win)."""
    prefixes = predeclared() if prefixes is None else prefixes
    declared = syntax.declared_prefixes(sparql)
    used = {t.text.split(":", 1)[0] for t in syntax.tokenize(sparql) if t.kind == "PNAME"}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items() if p in used and p not in declared]
    return "\n".join(lines + [sparql]) if lines else sparql


def _parse_response(resp, form: str | None) -> QueryResult:
    import pyoxigraph

    from ..remote import EndpointError

    mt = resp.media_type
    results_formats = {"application/sparql-results+json": "JSON", "application/json": "JSON",
                       "application/sparql-results+xml": "XML", "application/xml": "XML", "text/xml": "XML",
                       "text/tab-separated-values": "TSV"}
    rdf_formats = {"application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES", "text/turtle": "TURTLE",
                   "application/rdf+xml": "RDF_XML", "application/ld+json": "JSON_LD",
                   "application/n-quads": "N_QUADS", "application/trig": "TRIG"}
    try:
        if form in ("CONSTRUCT", "DESCRIBE") or mt in rdf_formats and mt not in results_formats:
            if mt not in rdf_formats:
                raise EndpointError(f"the server answered {mt or 'no content type'} for a {form}: expected RDF")
            # pyoxigraph's JSON-LD parser never fetches a remote @context: it refuses one instead
            quads = pyoxigraph.parse(resp.body, format=getattr(pyoxigraph.RdfFormat, rdf_formats[mt]))
            triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
            return QueryResult(form or "CONSTRUCT", triples=triples)
        if mt not in results_formats:
            raise EndpointError(f"the server answered {mt or 'no content type'}: expected SPARQL results")
        raw = pyoxigraph.parse_query_results(resp.body, format=getattr(pyoxigraph.QueryResultsFormat,
                                                                          results_formats[mt]))
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"cannot read the server's answer ({mt}): {exc}") from None
    return _collect(raw, form, None)


def _run_endpoint(ep: Endpoint, sparql, bindings, max_rows, default_graphs, named_graphs,
                  max_depth=MAX_NESTING, base_iri: str | None = None) -> QueryResult:
    import pyoxigraph

    from ..remote import EndpointError, sparql_query

    prefixes = predeclared(base_iri)

    checked = check_query(sparql, allow_service=True, max_depth=max_depth)
    if not checked.has_service:  # find syntax errors here, with line and column, on an empty in-memory store
        try:
            pyoxigraph.Store().query(sparql, prefixes=prefixes)
        except SyntaxError as exc:
            raise _syntax_error(sparql, exc, prefixes) from None
        except (OSError, RuntimeError, ValueError):
            pass
    text = _with_prefixes(sparql, prefixes)
    if bindings:
        text = syntax.insert_values(text, {k: str(v) for k, v in bindings.items()})
    form = checked.form or syntax.query_form(sparql)
    accept = _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _SELECT_ACCEPT
    graphs = list(default_graphs or ([ep.graph] if ep.graph else []))
    client = ep.client()

    def fetch(q: str):
        resp = sparql_query(client, ep.url, q, accept=accept, default_graphs=graphs,
                            named_graphs=named_graphs or ())
        if resp.status >= 400:
            raise EndpointError(f"{ep.url} answered {resp.status} {resp.reason}: {resp.text(600)}", resp.status,
                                resp.text())
        return resp

    try:
        resp = fetch(text)
        result = _parse_response(resp, form)
        cap = resp.headers.get("x-sparql-maxrows")
        if cap and cap.isdigit() and len(result) >= int(cap):
            # Virtuoso cuts results at ResultSetMaxRows and says so in this header: page through them
            if form == "SELECT" and syntax.limit_offset_editable(text):
                size = min(int(cap), ep.page_size)
                rows: list[dict] = []
                offset = 0
                while True:
                    page = _parse_response(fetch(syntax.with_limit_offset(text, size, offset, result.variables)),
                                           form)
                    rows.extend(page.rows)
                    if max_rows is not None and len(rows) > max_rows:
                        break
                    if len(page.rows) < size:
                        break
                    offset += size
                result = QueryResult("SELECT", result.variables, rows)
            else:
                result.warnings.append(f"the server cut the result at {cap} rows (X-SPARQL-MaxRows): add "
                                       "LIMIT and OFFSET to page through the rest")
    finally:
        client.close()
    if max_rows is not None and len(result) > max_rows:
        raise ResultTooLarge(f"the result has more than {max_rows} rows: add LIMIT, or narrow the query")
    return result
