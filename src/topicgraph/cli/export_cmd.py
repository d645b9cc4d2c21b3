"""`topicgraph export`: the topic, article, bipartite or cluster graph for Gephi, Cytoscape, D3, Graphviz or a browser."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import COLOR_BY, GRAPHS
from ..export.formats import EXPORT_FORMATS, STRICT_OPTIONS, format_for_suffix, formats_honouring
from ..export.render import ENGINES
from ..export.writers import CSV_DIALECTS
from .common import Number, console, handle_errors, store_option


@click.command("export")
@store_option
@click.option("--graph", "graph", type=click.Choice(GRAPHS), default="topics", show_default=True,
              help="topics: co-occurrence of topics; articles: articles sharing topics; bipartite: articles and "
                   "their topics; clusters: one node per topic cluster.")
@click.option("--format", "-f", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default=None,
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
@click.option("--color-by", type=click.Choice(COLOR_BY), default=None,
              help="Node colours in gexf, dot, svg, png and the page's first view (default: cluster).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of Louvain (when the store has no clusters) and of the layout.")
@click.option("--title", default=None, help="Title of the HTML page.")
@click.option("--csv-dialect", type=click.Choice(CSV_DIALECTS), default="gephi", show_default=True,
              help="CSV headers for Gephi's importer or for neo4j-admin import.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="Graphviz layout for svg/png (default: neato below 200 nodes, else sfdp).")
@click.option("--alpha", type=Number(min=0, min_open=True), default=None, metavar="A",
              help="Significance of the backbone (disparity filter) drawn by svg, png and the page's first view: "
                   "smaller keeps fewer links; 1 keeps them all.  [default: 0.001]")
@click.option("--timeout", type=Number(min=0, min_open=True), default=30, show_default=True, metavar="SECONDS",
              help="Longest time an svg or png may take: a picture estimated to take longer is refused up front.")
@click.option("--dpi", type=click.IntRange(10, 600), default=96, show_default=True,
              help="Resolution of a png (a smaller one makes a smaller file).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the paths written.")
@click.pass_context
@handle_errors
def export_command(ctx, store, graph, fmt, output, vendors, cluster, min_weight, top, weight, authors, brands,
                   color_by, seed, title, csv_dialect, engine, alpha, timeout, dpi, quiet):
    """Export a graph of the build in --store for visualisation tools, or as an interactive HTML page.

    Nodes carry label, kind, vendor, cluster, articles, degree and pagerank; edges weight and kind. Prints the
    paths written, one per line.

    \b
    topicgraph export --format html -o topics.html        # open it in a browser, works offline
    topicgraph export --format gexf -o topics.gexf        # Gephi
    topicgraph export --graph bipartite --vendor Medigy --format cytoscape -o medigy.cyjs
    topicgraph export --format png -o topics.png          # the backbone, in seconds at any size
    topicgraph export --top 50 --min-weight 2 --format png -o top50.png
    """
    from ..errors import TopicgraphError
    from ..export import build_export_graph, export_graph
    from ..store import GraphStore

    suffix = Path(output).suffix.lower() if output else ""
    suffix_fmt = format_for_suffix(suffix) if output else None
    if fmt is None:
        fmt = suffix_fmt if output else "html"
        if fmt is None:
            raise TopicgraphError(f"cannot tell the format from {output!r}: give --format "
                                  f"({', '.join(EXPORT_FORMATS)})")
    elif suffix_fmt is not None and suffix_fmt != fmt and suffix not in EXPORT_FORMATS[fmt].accepts:
        # a warning, not a refusal: --format is explicit, and a name can be deliberate (a .html file for an
        # upload form, say); but mostly it is a slip that makes a browser or Gephi choke on the file
        click.echo(f"Warning: writing {fmt} into {output}, whose extension says {suffix_fmt}: give -o a name "
                   f"ending in .{EXPORT_FORMATS[fmt].extension}, or --format {suffix_fmt}", err=True)
    _check_applies(ctx, fmt)
    if min_weight is not None and min_weight < 0 and not (graph == "topics" and weight == "pmi"):
        raise click.BadParameter(f"{min_weight:g} drops nothing: only --weight pmi of the topics graph has negative "
                                 "weights; give a weight of 0 or more", param_hint="'--min-weight'")
    path = Path(output) if output else Path(store) / f"{graph}.{EXPORT_FORMATS[fmt].extension}"
    G = build_export_graph(GraphStore.open(store), graph, vendor=list(vendors) or None, min_weight=min_weight,
                           top=top, cluster=cluster, weight=weight, seed=seed, authors=authors, brands=brands,
                           articles=fmt == "html")
    if not (fmt == "csv" and path.is_dir()):
        path.parent.mkdir(parents=True, exist_ok=True)
    opts = {"alpha": alpha} if alpha is not None else {}
    written = export_graph(G, path, fmt, color_by=color_by, seed=seed, title=title, csv_dialect=csv_dialect,
                           engine=engine, timeout=timeout, dpi=dpi, **opts)
    if not quiet:
        err = console(err=True)
        err.print(f"Exported the {graph} graph as {fmt}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges"
                  f" (clusters: {G.graph.get('clusters') or 'none'}).", markup=False)
        if G.number_of_nodes() == 0:
            err.print("The graph is empty: loosen --vendor, --cluster or --top.", markup=False)
    for p in written:
        click.echo(str(p))


def _check_applies(ctx: click.Context, fmt: str) -> None:
    """Refuse an option given on the command line that the format ignores (a usage error, exit 2)."""
    from click.core import ParameterSource

    for name, option in STRICT_OPTIONS.items():
        if name not in EXPORT_FORMATS[fmt].options and ctx.get_parameter_source(name) in (
                ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
            raise click.UsageError(f"{option} only applies to --format {' or '.join(formats_honouring(name))}, "
                                   f"not {fmt}: leave it out", ctx)
