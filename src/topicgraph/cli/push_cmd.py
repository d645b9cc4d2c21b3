"""`topicgraph push`: load the built graph into a SPARQL 1.1 Graph Store server."""

from __future__ import annotations

import json

import click

from .common import Number, console, handle_errors, plural, progress_bar, store_option


@click.command("push")
@store_option
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                   "http://HOST:3030/DATASET/data (Fuseki), http://HOST:8890/sparql-graph-crud-auth (Virtuoso).")
@click.option("--graph", metavar="IRI", help="Also replace this graph with the union of all named graphs; query it "
              "with `topicgraph query --endpoint URL --graph IRI`.")
@click.option("--user", envvar="TOPICGRAPH_USER", help="User name for a server that wants one (Virtuoso: dba).")
@click.option("--password", envvar="TOPICGRAPH_PASSWORD", help="Password (or set TOPICGRAPH_PASSWORD).")
@click.option("--auth", type=click.Choice(["auto", "digest", "basic"]), default="auto", show_default=True,
              help="How to send the user name and password (auto follows the server's challenge).")
@click.option("--chunk-size", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Most triples per HTTP request.")
@click.option("--jobs", "-j", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Requests in flight at once.")
@click.option("--timeout", type=Number(min=0.1), default=120.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--sync", is_flag=True,
              help="Send only the graphs whose content changed since the last push from this build folder to this "
                   "endpoint (every push drops the graphs of records the build no longer has).")
@click.option("--query-endpoint", metavar="URL",
              help="The server's SPARQL query URL: ask it which record graphs it holds and drop those the build "
                   "lacks, for a machine with no earlier push on record (a CI runner).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@handle_errors
def push_command(store, endpoint, graph, user, password, auth, chunk_size, jobs, timeout, sync, query_endpoint,
                 as_json, quiet):
    """Load the graph in --store into a server, replacing each named graph (PUT): pushing twice changes nothing.

    Graphs an earlier push from this build folder sent, and the build no longer has (a deleted record), are
    dropped from the server. --sync sends only what changed since that push (see push-state.json in the folder).

    Queries expect the union of the named graphs as the default graph: start Oxigraph with
    --union-default-graph, or push with --graph IRI and query with --graph IRI (see docs/scaling.md).
    """
    from ..server.push import push

    with progress_bar("Pushing graphs", enabled=not quiet, min_total=50) as bar:
        report = push(store, endpoint, graph=graph, user=user, password=password, auth=auth,
                      chunk_size=chunk_size, jobs=jobs, timeout=timeout, sync=sync, query_endpoint=query_endpoint,
                      progress=bar)
    for note in report.notes:
        console().print(f"warning: {note}", markup=False)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    sent = report.graphs - (1 if report.union_graph and report.graphs else 0)
    parts = [f"Replaced {plural(sent, 'graph')}"]
    if report.union_graph and report.graphs > sent:
        parts.append(f"and their union into {report.union_graph}")
    summary = " ".join(parts) + f" at {endpoint}: {plural(report.triples, 'triple')} in " \
        f"{plural(report.requests, 'request')}, {report.seconds:.2f}s"
    if sync:
        summary += f"; {report.unchanged} unchanged"
    if report.dropped:
        summary += f"; dropped {plural(len(report.dropped), 'graph')} the build no longer has"
    console(err=False).print(summary, markup=False)
