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
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TopicgraphError
from ..remote import EndpointError, HttpClient, graph_store_url

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

    def to_dict(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "graphs": self.graphs, "triples": self.triples,
                "requests": self.requests, "seconds": round(self.seconds, 3), "union_graph": self.union_graph}


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


def push(store, endpoint: str, *, graph: str | None = None, user: str | None = None, password: str | None = None,
         auth: str = "auto", chunk_size: int = 50_000, jobs: int = 4, timeout: float = 120.0,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """Replace, on the Graph Store endpoint ``endpoint``, every named graph of ``store`` (a build folder or
    ``GraphStore``); with ``graph``, also replace that graph with the union of them all.

    The endpoint is the server's Graph Store URL, e.g. ``http://127.0.0.1:7878/store`` (Oxigraph),
    ``http://127.0.0.1:3030/ds/data`` (Fuseki), ``http://127.0.0.1:8890/sparql-graph-crud-auth`` (Virtuoso,
    with ``user``/``password``), ``http://127.0.0.1:7200/repositories/REPO/rdf-graphs/service`` (GraphDB).
    """
    import pyoxigraph

    from ..store import GraphStore

    if chunk_size < 1:
        raise TopicgraphError("chunk_size must be at least 1")
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
    client = HttpClient(user, password, auth=auth, timeout=timeout)

    def triples_of(g: str | None) -> Iterator:
        gn = pyoxigraph.DefaultGraph() if g is None else pyoxigraph.NamedNode(g)
        for q in ox.quads_for_pattern(None, None, None, gn):
            yield pyoxigraph.Triple(q.subject, q.predicate, q.object)

    def union() -> Iterator:
        for q in ox.quads_for_pattern(None, None, None, None):
            yield pyoxigraph.Triple(q.subject, q.predicate, q.object)

    tasks: list[tuple[str | None, Callable[[], Iterator]]] = [(g, (lambda g=g: triples_of(g))) for g in names]
    if next(iter(ox.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None) is not None:
        tasks.append((None, lambda: triples_of(None)))
    if graph is not None:
        tasks.append((graph, union))
    total_triples = total_requests = 0
    done = 0

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

    try:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            futures = [pool.submit(send, g, make) for g, make in tasks]
            for fut in as_completed(futures):
                n, r = fut.result()
                total_triples += n
                total_requests += r
                done += 1
                if progress is not None:
                    progress(done, len(tasks))
    finally:
        client.close()
    return PushReport(endpoint, len(tasks), total_triples, total_requests, time.perf_counter() - started, graph)
