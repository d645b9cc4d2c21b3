"""`topicgraph export`: the topic, article, bipartite or cluster graph for Gephi, Cytoscape, D3, Graphviz or a browser."""

from __future__ import annotations

from pathlib import Path

import click

from .common import Number, console, handle_errors, store_option

# kept here, not imported from topicgraph.export, so `topicgraph --help` stays instant
_FORMATS = ["graphml", "gexf", "cytoscape", "d3", "dot", "csv", "html", "svg", "png"]
_GRAPHS = ["topics", "articles", "bipartite", "clusters"]
_BY_SUFFIX = {".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cytoscape", ".json": "d3", ".dot": "dot", ".gv": "dot",
              ".csv": "csv", ".html": "html", ".htm": "html", ".svg": "svg", ".png": "png"}
_JSON_FORMATS = {"d3", "cytoscape"}  # both JSON: .json suits either
#: options that only some formats read -> those formats
_APPLIES = {"csv_dialect": ("--csv-dialect", ("csv",)), "engine": ("--engine", ("svg", "png"))}


@click.command("export")
@store_option
@click.option("--graph", "graph", type=click.Choice(_GRAPHS), default="topics", show_default=True,
              help="topics: co-occurrence of topics; articles: articles sharing topics; bipartite: articles and "
                   "their topics; clusters: one node per topic cluster.")
@click.option("--format", "-f", "fmt", type=click.Choice(_FORMATS), default=None,
              help="Output format (default: from the -o extension, else html).")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=True), default=None, metavar="FILE",
              help="File to write (default: STORE/GRAPH.EXT). csv writes FILE-nodes.csv and FILE-edges.csv.")
@click.option("--vendor", "vendors", multiple=True, metavar="NAME",
              help="Keep topics of this vendor (and their articles); repeatable.")
@click.option("--cluster", default=None, metavar="N|LABEL", help="Keep topics of this cluster (and their articles).")
@click.option("--min-weight", type=Number(), default=None, metavar="W",
              help="Drop edges lighter than W (below 0 only with --weight pmi, whose weights can be negative).")
@click.option("--top", type=click.IntRange(1), default=None, metavar="N",
              help="Keep the N nodes with the most articles (weighted degree for article nodes).")
@click.option("--weight", type=click.Choice(["count", "jaccard", "pmi"]), default="count", show_default=True,
              help="Edge weight of the topic graph.")
@click.option("--authors", is_flag=True, help="Add article authors as nodes (articles and bipartite graphs).")
@click.option("--brands", is_flag=True, help="Add article publishers as nodes (articles and bipartite graphs).")
@click.option("--color-by", type=click.Choice(["cluster", "vendor", "kind"]), default=None,
              help="Node colours in gexf, dot, svg, png and the page's first view (default: cluster).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of Louvain (when the store has no clusters) and of the layout.")
@click.option("--title", default=None, help="Title of the HTML page.")
@click.option("--csv-dialect", type=click.Choice(["gephi", "neo4j"]), default="gephi", show_default=True,
              help="CSV headers for Gephi's importer or for neo4j-admin import.")
@click.option("--engine", type=click.Choice(["sfdp", "neato", "fdp", "circo", "twopi", "dot"]), default=None,
              help="Graphviz layout for svg/png (default: neato below 200 nodes, else sfdp).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the paths written.")
@click.pass_context
@handle_errors
def export_command(ctx, store, graph, fmt, output, vendors, cluster, min_weight, top, weight, authors, brands,
                   color_by, seed, title, csv_dialect, engine, quiet):
    """Export a graph of the build in --store for visualisation tools, or as an interactive HTML page.

    Nodes carry label, kind, vendor, cluster, articles, degree and pagerank; edges weight and kind. Prints the
    paths written, one per line.

    \b
    topicgraph export --format html -o topics.html        # open it in a browser, works offline
    topicgraph export --format gexf -o topics.gexf        # Gephi
    topicgraph export --graph bipartite --vendor Medigy --format cytoscape -o medigy.cyjs
    topicgraph export --top 50 --min-weight 2 --format png -o top50.png
    """
    from ..errors import TopicgraphError
    from ..export import EXTENSIONS, build_export_graph, export_graph
    from ..store import GraphStore

    suffix_fmt = _BY_SUFFIX.get(Path(output).suffix.lower()) if output else None
    if fmt is None:
        fmt = suffix_fmt if output else "html"
        if fmt is None:
            raise TopicgraphError(f"cannot tell the format from {output!r}: give --format "
                                  f"({', '.join(_FORMATS)})")
    elif suffix_fmt is not None and suffix_fmt != fmt and not {fmt, suffix_fmt} <= _JSON_FORMATS:
        # a warning, not a refusal: --format is explicit, and a name can be deliberate (a .html file for an
        # upload form, say); but mostly it is a slip that makes a browser or Gephi choke on the file
        click.echo(f"Warning: writing {fmt} into {output}, whose extension says {suffix_fmt}: give -o a name "
                   f"ending in .{_suffix(fmt)}, or --format {suffix_fmt}", err=True)
    _check_applies(ctx, fmt)
    if min_weight is not None and min_weight < 0 and not (graph == "topics" and weight == "pmi"):
        raise click.BadParameter(f"{min_weight:g} drops nothing: only --weight pmi of the topics graph has negative "
                                 "weights; give a weight of 0 or more", param_hint="'--min-weight'")
    path = Path(output) if output else Path(store) / f"{graph}.{EXTENSIONS[fmt]}"
    G = build_export_graph(GraphStore.open(store), graph, vendor=list(vendors) or None, min_weight=min_weight,
                           top=top, cluster=cluster, weight=weight, seed=seed, authors=authors, brands=brands)
    if not (fmt == "csv" and path.is_dir()):
        path.parent.mkdir(parents=True, exist_ok=True)
    written = export_graph(G, path, fmt, color_by=color_by, seed=seed, title=title, csv_dialect=csv_dialect,
                           engine=engine)
    if not quiet:
        err = console(err=True)
        err.print(f"Exported the {graph} graph as {fmt}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges"
                  f" (clusters: {G.graph.get('clusters') or 'none'}).", markup=False)
        if G.number_of_nodes() == 0:
            err.print("The graph is empty: loosen --vendor, --cluster or --top.", markup=False)
    for p in written:
        click.echo(str(p))


def _suffix(fmt: str) -> str:
    return next(s for s, f in _BY_SUFFIX.items() if f == fmt)[1:]


def _check_applies(ctx: click.Context, fmt: str) -> None:
    """Refuse an option given on the command line that the format ignores (a usage error, exit 2)."""
    from click.core import ParameterSource

    for name, (option, formats) in _APPLIES.items():
        if fmt not in formats and ctx.get_parameter_source(name) in (ParameterSource.COMMANDLINE,
                                                                     ParameterSource.ENVIRONMENT):
            raise click.UsageError(f"{option} only applies to --format {' or '.join(formats)}, not {fmt}: "
                                   f"leave it out", ctx)
