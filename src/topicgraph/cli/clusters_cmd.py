"""`topicgraph clusters`: communities of the topic co-occurrence graph."""

from __future__ import annotations

import json

import click

from .common import Number, console, handle_errors, store_option


@click.command("clusters")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same clusters.")
@click.option("--resolution", type=Number(min=0, min_open=True), default=1.0, show_default=True,
              help="Louvain resolution: above 1 gives more, smaller clusters; below 1 fewer, larger ones.")
@click.option("--min-size", type=click.IntRange(1), default=2, show_default=True,
              help="Report clusters of at least this many topics (smaller ones are counted as unclustered).")
@click.option("--weight", type=click.Choice(["count", "jaccard", "pmi"]), default="jaccard", show_default=True,
              help="Edge weight of the topic co-occurrence graph.")
@click.option("--top", type=click.IntRange(1), default=3, show_default=True,
              help="How many central topics name a cluster.")
@click.option("--no-store", "no_store", is_flag=True,
              help="Do not write the clusters into the store (graph .../graph/clusters).")
@click.option("--json", "as_json", is_flag=True, help="Print the clusters as JSON on stdout.")
@store_option
@handle_errors
def clusters_command(seed, resolution, min_size, weight, top, no_store, as_json, store):
    """Group topics that articles are about together (networkx Louvain over the topic co-occurrence graph).

    Each cluster is named by its most central topics; modularity and sizes are reported. Unless --no-store,
    the clusters are written into the store as skos:Collection / tg:TopicCluster with skos:member, so SPARQL
    can ask which cluster a topic is in.
    """
    from ..analysis.clusters import find_clusters
    from ..store import GraphStore

    graph_store = GraphStore.open(store)
    result = find_clusters(graph_store, seed=seed, resolution=resolution, min_size=min_size, weight=weight, top=top)
    graph_store.close()
    del graph_store
    graph_iri = None if no_store else result.write_store(store)[0]
    if as_json:
        click.echo(json.dumps({**result.to_dict(), "graph": graph_iri}, indent=2, ensure_ascii=False))
        return
    con = console(err=False)
    sizes = ", ".join(str(c.size) for c in result.clusters) or "none"
    con.print(f"{len(result.clusters)} clusters of {result.topics} topics ({result.edges} co-occurrence edges, "
              f"weight {weight}, seed {seed}, resolution {resolution:g}): modularity {result.modularity:.4f}; "
              f"sizes {sizes}; {len(result.unclustered)} topics in clusters smaller than {min_size}.", markup=False)
    for c in result.clusters:
        more = f" (+{c.size - 10} more)" if c.size > 10 else ""
        con.print(f"{c.number:>3}. {c.label}  [{c.size} topics, {c.articles} articles]", markup=False)
        con.print(f"     {'; '.join(c.names[:10])}{more}", markup=False)
    if graph_iri:
        con.print(f"Written into <{graph_iri}>.", markup=False)
