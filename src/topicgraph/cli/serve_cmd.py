"""`topicgraph serve`: a read-only SPARQL 1.1 Protocol endpoint over the store."""

from __future__ import annotations

import click

from .common import Number, console, handle_errors, store_option

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@click.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback lets other machines query the graph.")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True, help="Port (0: any free).")
@click.option("--timeout", type=Number(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Most rows (or triples) in one result; more is refused (413).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=100_000_000, show_default=True,
              help="Most bytes in one response; more is refused (413).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries that can run at the same time (one process each).")
@click.option("--max-query-bytes", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Most bytes of query text (or POST body); more is refused (413).")
@click.option("--max-depth", type=click.IntRange(min=1), default=128, show_default=True,
              help="How deep {}, () and [] may nest in a query; deeper is refused (400).")
@click.option("--request-timeout", type=Number(min=0.1), default=10.0, show_default=True,
              help="Seconds a client has to send a whole request (408), and to keep an idle connection.")
@click.option("--max-connections", type=click.IntRange(min=1), default=256, show_default=True,
              help="Connections served at once; more get 503.")
@click.option("--worker-memory", type=click.IntRange(min=0), default=2048, show_default=True, metavar="MB",
              help="Memory cap per query process (0: none); a query over it gets 503 and its worker is replaced.")
@click.option("--cache-mb", type=click.IntRange(min=0), default=128, show_default=True,
              help="Memory for answers to repeated identical requests, kept until the build changes (0: off).")
@click.option("--quiet", "-q", is_flag=True, help="Do not log each request.")
@handle_errors
def serve_command(store, host, port, timeout, max_rows, max_bytes, workers, max_query_bytes, max_depth,
                  request_timeout, max_connections, worker_memory, cache_mb, quiet):
    """Serve the graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql, with a query page at
    http://HOST:PORT/ and a page for every topic, article, author and brand at /resource?iri=IRI.

    GET and POST (form or application/sparql-query), results as JSON, XML, CSV or TSV (RDF as Turtle,
    N-Triples, JSON-LD or RDF/XML) by the Accept header. Updates, LOAD and SERVICE are refused. The default
    graph is the union of all named graphs. Stop with Ctrl-C.
    """
    import logging

    from ..errors import TopicgraphError
    from ..server import ServerSettings, SparqlServer

    if not quiet:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = ServerSettings(timeout=timeout, max_rows=max_rows, max_bytes=max_bytes, workers=workers,
                              max_query_bytes=max_query_bytes, max_depth=max_depth, request_timeout=request_timeout,
                              max_connections=max_connections, worker_memory_mb=worker_memory or None,
                              cache_mb=cache_mb)
    from pathlib import Path

    from ..store import MANIFEST, open_summary

    summary = open_summary(store)
    if summary is None and not quiet and (Path(store) / MANIFEST).is_file():  # the server writes it before it answers: say why start-up takes a while
        console().print("Summarising the build for corpus-wide answers (once per build or update)...", markup=False)
    elif summary is not None:
        summary.close()
    try:
        server = SparqlServer(store, host=host, port=port, settings=settings)
    except OSError as exc:
        raise TopicgraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{_listen_hint(exc)}") from None
    con = console()
    if host not in _LOOPBACK:
        con.print(f"[yellow]Warning:[/] listening on {host}: other machines can query this graph "
                  "(read-only).", markup=True)
    con.print(f"SPARQL endpoint (read-only) at {server.url}  -  time limit {timeout:g} s, at most "
              f"{max_rows} rows; Ctrl-C to stop", markup=False)
    con.print(f"Query page at {server.url.removesuffix('/sparql')}/", markup=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        con.print("Stopped.", markup=False)
    finally:
        server.shutdown()


def _listen_hint(exc: OSError) -> str:
    import errno
    import socket

    if isinstance(exc, socket.gaierror):
        return ": give --host an address (127.0.0.1, ::1, 0.0.0.0) or a name this machine resolves"
    return {errno.EADDRINUSE: ": something else listens there; pick another --port (0: any free one)",
            errno.EADDRNOTAVAIL: ": it is not an address of this machine; give --host one of its own, or 0.0.0.0",
            errno.EACCES: ": ports below 1024 need privileges; pick --port 1024 or above"}.get(exc.errno, "")
