"""Running a query on a remote SPARQL 1.1 Protocol endpoint: prefixes declared, answers parsed, capped rows paged."""

from __future__ import annotations

from dataclasses import dataclass

from . import syntax
from .checks import MAX_NESTING, ResultTooLarge, check_query, syntax_error
from .result import QueryResult, collect
from .terms import predeclared

__all__ = ["Endpoint", "run_endpoint"]

_SELECT_ACCEPT = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"

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
    result = collect(raw, form, None)
    if form == "ASK" and result.form == "SELECT" and result.variables == ["__ASK_RETVAL"]:
        # Virtuoso answers an ASK with a dataset (default-graph-uri) as a table: no row, or one row of 1 or 0
        return QueryResult("ASK", boolean=any(str(getattr(v, "value", v)) in ("1", "true")
                                              for row in result.rows for v in row.values()))
    return result


def run_endpoint(ep: Endpoint, sparql, bindings, max_rows, default_graphs, named_graphs,
                  max_depth=MAX_NESTING, base_iri: str | None = None) -> QueryResult:
    import pyoxigraph

    from ..remote import EndpointError, sparql_query

    prefixes = predeclared(base_iri)

    checked = check_query(sparql, allow_service=True, max_depth=max_depth)
    if not checked.has_service:  # find syntax errors here, with line and column, on an empty in-memory store
        try:
            pyoxigraph.Store().query(sparql, prefixes=prefixes)
        except SyntaxError as exc:
            raise syntax_error(sparql, exc, prefixes) from None
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
