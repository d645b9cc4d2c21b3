"""Push a build into any SPARQL 1.1 Graph Store HTTP Protocol server (Oxigraph, Fuseki, GraphDB, Virtuoso…).

Every named graph of the build (one per record, plus the entities and the taxonomy) is replaced on the server
with an HTTP ``PUT`` of its triples, so pushing twice changes nothing and a rebuilt record replaces its old
version. A graph larger than ``chunk_size`` triples goes as a ``PUT`` of the first chunk followed by ``POST``s
of the rest; triples with blank nodes all travel in one request so that the nodes keep their identity. A graph
whose sending the server gave up on for a transient reason (Virtuoso's "SR172: Transaction deadlocked" or
"SR197: Non unique primary key on DB.DBA.RDF_LANGUAGE" when graphs are written side by side, a ``503``) is sent
again from its ``PUT``, which makes the retry harmless.

Our data lives in named graphs and queries expect their union as the default graph. Either run the server with
its union-default-graph switch (Oxigraph: ``--union-default-graph``; GraphDB, Neptune and Virtuoso already do
so, Virtuoso with its own system graphs added), or give ``graph``: the union is then also written into that
one graph, and ``topicgraph query --endpoint URL --graph IRI`` queries it as the default graph.

Every push notes in the build folder what it sent (:mod:`.pushstate`). Any push then drops from the server the
graphs an earlier push from the same folder sent and the build no longer has (the record of a deleted file), so
answers on the server never keep a record the build has lost; with ``sync`` it also sends only the graphs whose
content changed. A CI machine without that record can name the server's SPARQL endpoint (``query_endpoint``): the
record graphs the server holds and the build lacks are then found by a query and dropped.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TopicgraphError
from ..remote import EndpointError, HttpClient, graph_store_url, sparql_query
from .pushstate import DEFAULT_GRAPH, PushState, graph_digests

__all__ = ["push", "PushReport"]

#: the media type the triples are sent as: N-Triples is a subset of Turtle, which every GSP server accepts
CONTENT_TYPE = "text/turtle; charset=utf-8"
#: how many times a graph is sent again after a transient refusal, and the first pause (doubled each time)
RETRIES, BACKOFF = 5, 0.2
#: Virtuoso's refusals that a second try gets past: a deadlock between graphs written side by side, and two
#: writes racing to add the same language tag or datatype to its own dictionary tables
_TRANSIENT = re.compile(r"(?i)deadlock|SR172|\b40001\b|SR197: Non unique primary key on DB\.DBA\.RDF_")


def _transient(exc: EndpointError) -> bool:
    return exc.status in (503, 429) or (exc.status == 500 and bool(_TRANSIENT.search(exc.body or str(exc))))


@dataclass
class PushReport:
    """What a push sent: graphs replaced, triples sent (the union graph's count again), HTTP requests, time."""

    endpoint: str
    graphs: int
    triples: int
    requests: int
    seconds: float
    union_graph: str | None = None
    #: graphs left alone because the server already holds their content (``sync``)
    unchanged: int = 0
    #: graphs dropped from the server because the build no longer has them
    dropped: list[str] = field(default_factory=list)
    #: what the user should know: an unreadable push record, a first sync with nothing on record
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "graphs": self.graphs, "triples": self.triples,
                "requests": self.requests, "seconds": round(self.seconds, 3), "union_graph": self.union_graph,
                "unchanged": self.unchanged, "dropped": self.dropped, "notes": self.notes}


def _chunks(triples: Iterable, size: int) -> Iterator[list]:
    """Triples in lists of at most ``size``; those with a blank node all in the last list, whatever its size."""
    import pyoxigraph

    plain: list = []
    blank: list = []
    for t in triples:
        if isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode):
            blank.append(t)
            continue
        plain.append(t)
        if len(plain) >= size:
            yield plain
            plain = []
    if plain or blank:
        yield plain + blank


def _send_graph(client: HttpClient, endpoint: str, graph: str | None, triples: Iterable, size: int) -> tuple[int, int]:
    import pyoxigraph

    url = graph_store_url(endpoint, graph)
    count = requests = 0
    for i, chunk in enumerate(_chunks(triples, size)):
        data = pyoxigraph.serialize(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        method = "PUT" if i == 0 else "POST"
        resp = client.request(method, url, data, {"Content-Type": CONTENT_TYPE})
        requests += 1
        if not 200 <= resp.status < 300:
            raise EndpointError(f"{method} {url} answered {resp.status} {resp.reason}: {resp.text(500)}",
                                resp.status, resp.text())
        count += len(chunk)
    if requests == 0:  # an empty graph: replace whatever the server holds with nothing
        resp = client.request("PUT", url, b"", {"Content-Type": CONTENT_TYPE})
        requests += 1
        if not 200 <= resp.status < 300:
            raise EndpointError(f"PUT {url} answered {resp.status} {resp.reason}: {resp.text(500)}", resp.status,
                                resp.text())
    return count, requests


def _drop_graph(client: HttpClient, endpoint: str, graph: str) -> int:
    """``DELETE`` one graph; a server that does not hold it (404) is already in line."""
    url = graph_store_url(endpoint, graph)
    resp = client.request("DELETE", url)
    if not (200 <= resp.status < 300 or resp.status == 404):
        raise EndpointError(f"DELETE {url} answered {resp.status} {resp.reason}: {resp.text(500)}", resp.status,
                            resp.text())
    return 1


def server_record_graphs(client: HttpClient, query_endpoint: str, base_iri: str) -> set[str]:
    """The record graphs (``{base}graph/record/…``) that the server behind ``query_endpoint`` holds."""
    prefix = f"{base_iri}graph/record/"
    query = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
             + json.dumps(prefix) + ")) }")
    resp = sparql_query(client, query_endpoint, query, accept="application/sparql-results+json")
    if resp.status != 200:
        raise EndpointError(f"--query-endpoint {query_endpoint} answered {resp.status} {resp.reason}: "
                            f"{resp.text(500)}", resp.status, resp.text())
    try:
        rows = json.loads(resp.body)["results"]["bindings"]
        return {row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"}
    except (ValueError, KeyError, TypeError) as exc:
        raise EndpointError(f"--query-endpoint {query_endpoint} did not answer with SPARQL JSON results "
                            f"({type(exc).__name__}: {exc}): is it the server's query URL?") from None


def push(store, endpoint: str, *, graph: str | None = None, user: str | None = None, password: str | None = None,
         auth: str = "auto", chunk_size: int = 50_000, jobs: int = 4, timeout: float = 120.0,
         sync: bool = False, query_endpoint: str | None = None,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """Replace, on the Graph Store endpoint ``endpoint``, every named graph of ``store`` (a build folder or
    ``GraphStore``); with ``graph``, also replace that graph with the union of them all.

    Graphs that an earlier push from this build folder sent and the build no longer has are dropped. With
    ``sync``, only graphs whose content differs from what the last push from this folder sent are replaced (all of
    them when nothing is on record); with ``query_endpoint`` (the server's SPARQL query URL) the server is also
    asked which record graphs it holds, and those the build lacks are dropped.

    The endpoint is the server's Graph Store URL, e.g. ``http://127.0.0.1:7878/store`` (Oxigraph),
    ``http://127.0.0.1:3030/ds/data`` (Fuseki), ``http://127.0.0.1:8890/sparql-graph-crud-auth`` (Virtuoso,
    with ``user``/``password``), ``http://127.0.0.1:7200/repositories/REPO/rdf-graphs/service`` (GraphDB).
    """
    import pyoxigraph

    from ..store import GraphStore

    if chunk_size < 1:
        raise TopicgraphError("--chunk-size must be at least 1")
    gs = store if isinstance(store, GraphStore) else GraphStore.open(Path(store))
    ox = gs.ox
    started = time.perf_counter()
    names = gs.named_graphs()
    if graph is not None:
        try:
            pyoxigraph.NamedNode(graph)
        except ValueError as exc:
            raise TopicgraphError(f"--graph {graph!r} is not an IRI: {exc}") from None
        if graph in names:
            raise TopicgraphError(f"--graph {graph} is one of the build's own named graphs: choose another IRI "
                                  "for the union, e.g. https://w3id.org/topicgraph/id/graph/union")
    state = PushState.load(gs.folder)
    notes = [state.problem] if state.problem else []
    before = state.graphs(endpoint)
    digests = graph_digests(ox)
    empty = "0" * 32 + "-0"
    current = {g: digests.get(g, empty) for g in names}
    if DEFAULT_GRAPH in digests:
        current[DEFAULT_GRAPH] = digests[DEFAULT_GRAPH]
    if sync and before is not None:
        changed = [g for g in current if before.get(g) != current[g]]
    else:
        changed = list(current)
        if sync:
            notes.append(f"no earlier push from {gs.folder} to this endpoint is on record: every graph is sent")
    drop = set(before or ()) - set(current) - {graph, DEFAULT_GRAPH}
    client = HttpClient(user, password, auth=auth, timeout=timeout)
    try:
        if query_endpoint is not None:
            drop |= server_record_graphs(client, query_endpoint, gs.base_iri) - set(current)
        send_union = graph is not None and (not sync or bool(changed) or bool(drop) or before is None
                                            or state.union_graph(endpoint) != graph)

        def triples_of(g: str | None) -> Iterator:
            gn = pyoxigraph.DefaultGraph() if g is None else pyoxigraph.NamedNode(g)
            for q in ox.quads_for_pattern(None, None, None, gn):
                yield pyoxigraph.Triple(q.subject, q.predicate, q.object)

        def union() -> Iterator:
            for q in ox.quads_for_pattern(None, None, None, None):
                yield pyoxigraph.Triple(q.subject, q.predicate, q.object)

        tasks: list[tuple[str | None, Callable[[], Iterator]]] = [
            (g or None, (lambda g=g: triples_of(g or None))) for g in sorted(changed)]
        if send_union:
            tasks.append((graph, union))
        total = len(tasks) + len(drop)
        total_triples = total_requests = done = 0

        def send(g: str | None, make: Callable[[], Iterator]) -> tuple[int, int]:
            sent = 0
            for attempt in range(RETRIES + 1):
                try:  # iterate the store in the sending thread
                    n, r = _send_graph(client, endpoint, g, make(), chunk_size)
                    return n, sent + r
                except EndpointError as exc:
                    if attempt == RETRIES or not _transient(exc):
                        raise
                    sent += 1
                    time.sleep(BACKOFF * 2 ** attempt)
            raise AssertionError("unreachable")  # pragma: no cover

        with ThreadPoolExecutor(max(1, jobs)) as pool:
            futures = [pool.submit(send, g, make) for g, make in tasks]
            futures += [pool.submit(lambda g=g: (0, _drop_graph(client, endpoint, g))) for g in sorted(drop)]
            for fut in as_completed(futures):
                n, r = fut.result()
                total_triples += n
                total_requests += r
                done += 1
                if progress is not None:
                    progress(done, total)
    finally:
        client.close()
    state.record(endpoint, current, graph, gs.manifest.get("revision"))
    if state.problem and state.problem not in notes:
        notes.append(state.problem)
    return PushReport(endpoint, len(tasks), total_triples, total_requests, time.perf_counter() - started, graph,
                      unchanged=len(current) - len(changed), dropped=sorted(drop), notes=notes)
