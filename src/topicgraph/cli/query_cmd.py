"""`topicgraph query`: run SPARQL (text, a file or a named query) on the store or on any SPARQL endpoint."""

from __future__ import annotations

import os
import sys

import click

from .common import Number, handle_errors, store_option

FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld")
ENDPOINT_TIMEOUT = 60.0
#: the stack of the thread that runs a query on the store (address space, taken only as used)
QUERY_STACK = 256 * 2**20


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: write --param NAME=VALUE", param_hint="--param")
        out[name.strip()] = value
    return out


@click.command("query")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", type=click.File("r", encoding="utf-8"), help="Read the query from a file "
              "(- for stdin).")
@click.option("-n", "--name", metavar="NAME", help="Run a named query (see --list).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a variable, e.g. --param topic=tax:medigy/telehealth (repeatable). Values are RDF terms, "
                   "never pasted into the query text: an IRI or prefixed name, a Turtle literal such as "
                   "'w=\"800\"^^xsd:integer' or 'l=\"Telehealth\"@en', else a plain string.")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and their parameters (with example "
              "values from the store, when there is one).")
@click.option("--show", is_flag=True, help="Print the named query's SPARQL instead of running it.")
@store_option
@click.option("--endpoint", metavar="URL", help="Query a SPARQL 1.1 endpoint instead of the store.")
@click.option("--graph", "graph", metavar="IRI", help="With --endpoint: use this graph as the default graph "
              "(the union graph written by `topicgraph push --graph IRI`).")
@click.option("--user", envvar="TOPICGRAPH_USER", help="With --endpoint: user name, if the server wants one.")
@click.option("--password", envvar="TOPICGRAPH_PASSWORD", help="With --endpoint: password (or TOPICGRAPH_PASSWORD).")
@click.option("--timeout", type=Number(min=0.1), default=None, metavar="SECONDS",
              help="Stop the query after this many seconds (exit 2). On the store: no limit unless given (Ctrl-C "
                   "stops a query too). With --endpoint: seconds to wait for the server's answer, default "
                   f"{ENDPOINT_TIMEOUT:g}.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table for people; csv, tsv, json, xml are the SPARQL 1.1 results formats; CONSTRUCT and "
                   "DESCRIBE give RDF (ttl, nt, jsonld, or xml for RDF/XML; table means ttl).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here, not to stdout.")
@click.option("--max-rows", type=click.IntRange(min=1), default=None, help="Fail when the result has more rows.")
@handle_errors
def query_command(sparql, file, name, params, list_only, show, store, endpoint, graph, user, password, timeout,
                  fmt, output, max_rows):
    """Run a SPARQL query: SPARQL text, -f FILE, or --name NAME for a named query.

    The store's default graph is the union of all named graphs, and the prefixes schema:, skos:, dcterms:,
    prov:, xsd:, rdf:, rdfs:, tg:, tax: and id: (the build's base IRI) are declared for
    you. Updates, LOAD and SERVICE are refused. A named query's required parameter, left out, is an error that
    lists values from the store to choose from; --list shows them too.

    \b
    Examples:
      topicgraph query --list
      topicgraph query --name articles-by-topic --param topic=tax:gartner/customer-experience
      topicgraph query 'SELECT ?t (COUNT(*) AS ?n) WHERE { ?a schema:about ?t } GROUP BY ?t' --format csv
      topicgraph query -f my.rq --endpoint http://127.0.0.1:7878/query
    """
    from ..errors import TopicgraphError
    from ..queries import Endpoint, MissingParameter, get_query, list_queries, run_query, serialize, with_choices

    if list_only:
        _print_list(list_queries(), fmt, _examples_from(store, endpoint, graph, user, password, timeout))
        return
    sources = [s for s in (sparql is not None, file is not None, name is not None) if s]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of: SPARQL text, -f FILE, --name NAME (or --list)")
    if graph and not endpoint:
        raise click.UsageError("--graph only applies with --endpoint (the store always queries the union)")
    values = _params(params)
    if name is not None:
        named = get_query(name)
        text = named.sparql
    else:
        named = None
        text = sparql if sparql is not None else _read(file)
    if show:
        if named is None:
            raise click.UsageError("--show prints a named query: use it with --name")
        click.echo(text, nl=not text.endswith("\n"))
        return
    if endpoint:
        from ..vocab import DEFAULT_BASE_IRI

        target = Endpoint(endpoint, graph=graph, user=user, password=password, timeout=timeout or ENDPOINT_TIMEOUT)
        base = DEFAULT_BASE_IRI  # what id: means for a server (its data came from a default build)
    else:
        from ..store import GraphStore

        target = GraphStore.open(store)
        base = target.base_iri
    if named is not None:
        try:
            bindings = named.bindings(values, base_iri=base)
        except MissingParameter as exc:
            raise with_choices(exc, target, base_iri=base) from None
    else:
        bindings = values
    if endpoint:
        result = run_query(target, text, params=bindings, max_rows=max_rows, base_iri=base)
    else:
        result = _run_local(lambda: run_query(target, text, params=bindings, max_rows=max_rows, base_iri=base),
                            timeout)
    from ..queries.terms import predeclared

    prefixes = predeclared(base)
    if result.kind == "graph" and fmt in ("csv", "tsv", "json"):
        raise TopicgraphError(f"{result.form} returns RDF: use --format ttl, nt, jsonld or xml (not {fmt})")
    if result.kind != "graph" and fmt in ("ttl", "nt", "jsonld"):
        raise TopicgraphError(f"{result.form} returns results, not RDF: use --format table, csv, tsv, json or xml")
    data = serialize(result, fmt, prefixes=prefixes)
    if fmt == "json" and not data.endswith(b"\n"):  # a file or terminal line ends with one
        data += b"\n"
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if output:
        with open(output, "wb") as fh:
            fh.write(data)
    else:
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text-only stdout (some embedders): results are UTF-8 text anyway
            click.echo(data.decode("utf-8"), nl=False)
        else:
            from ..streams import write_all

            write_all(out, data)


def _run_local(run, timeout: float | None):
    """``run()``, a query on the embedded store, with a time limit and Ctrl-C. pyoxigraph evaluates in Rust and
    cannot be stopped, nor does Python see a signal meanwhile; it releases the GIL, though, so the query runs in a
    thread while this one waits. On timeout or Ctrl-C the process ends at once (``os._exit``): the thread cannot
    be stopped, and exiting normally under it would wait for it or tear the store down under its feet. The store
    is open read-only, so nothing is lost."""
    import threading

    done: dict = {}

    def work() -> None:
        try:
            done["result"] = run()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            done["error"] = exc

    previous = threading.stack_size(QUERY_STACK)  # pyoxigraph recurses: give it a main thread's room and more
    try:
        thread = threading.Thread(target=work, name="topicgraph-query", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    try:
        thread.join(timeout)
    except KeyboardInterrupt:
        _end_now("Interrupted.", 130)
    if thread.is_alive():
        _end_now(f"Error: the query ran for more than {timeout:g} s (--timeout) and was stopped: narrow it, add "
                 "LIMIT, or raise --timeout", 2)
    if "error" in done:
        raise done["error"]
    return done["result"]


def _end_now(message: str, code: int) -> None:
    click.echo(message, err=True)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _read(file) -> str:
    """The query text of -f FILE, which must be UTF-8 (SPARQL's own encoding); a byte-order mark is dropped."""
    from ..errors import TopicgraphError

    try:
        return file.read().removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        where = f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
        if file.name in ("-", "<stdin>"):
            raise TopicgraphError(f"the query on standard input is not UTF-8 text ({where}): convert it, e.g. "
                                  "through `iconv -f latin1 -t utf-8` for Latin-1") from None
        raise TopicgraphError(f"{file.name} is not UTF-8 text ({where}): save it as UTF-8, e.g. "
                              f"`iconv -f latin1 -t utf-8 {file.name} > query.rq` for Latin-1") from None


def _examples_from(store, endpoint, graph, user, password, timeout):
    """``find(name) -> (heading, lines) | None``: values of a parameter from the store (or the endpoint), for
    --list; None when there is neither (a listing needs no store)."""
    from ..errors import TopicgraphError
    from ..queries import Endpoint, run_query
    from ..queries.choices import find_choices
    from ..queries.terms import predeclared

    try:
        if endpoint:
            from ..vocab import DEFAULT_BASE_IRI

            target = Endpoint(endpoint, graph=graph, user=user, password=password,
                              timeout=timeout or ENDPOINT_TIMEOUT)
            base = DEFAULT_BASE_IRI
        else:
            from ..store import GraphStore

            if not os.path.isdir(store):
                return None
            target = GraphStore.open(store)
            base = target.base_iri
    except TopicgraphError:
        return None
    prefixes = predeclared(base)
    found: dict = {}

    def find(name: str):
        if name not in found:
            try:
                found[name] = find_choices(name, lambda q: run_query(target, q, base_iri=base), prefixes)
            except TopicgraphError:
                found[name] = None
        return found[name]

    return find


def _print_list(queries, fmt: str, find=None) -> None:
    import json

    def examples(p) -> list[str]:
        got = find(p.name) if find is not None else None
        return got[1] if got else []

    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                "parameters": [{"name": p.name, "type": p.type, "default": p.default,
                                                "required": p.required, "description": p.description,
                                                **({"examples": [e.split()[0] for e in examples(p)]}
                                                   if find is not None else {})}
                                               for p in q.parameters]}
                               for q in queries], indent=2))
        return
    for q in queries:
        click.echo(f"{q.name}\n    {q.title}: {q.description}")
        for p in q.parameters:
            if p.required:
                how = ", required"
            else:
                how = f", default {p.default}" if p.default is not None else ", optional"
            click.echo(f"    --param {p.name}=... ({p.type}{how}): {p.description}")
            shown = examples(p) if p.required else []
            if shown:
                click.echo("        e.g. " + "\n             ".join(shown[:5]))
