"""`topicgraph stats`: counts and the most central topics, authors and brands."""

from __future__ import annotations

import json

import click

from .common import console, handle_errors, store_option


@click.command("stats")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="How many of each kind to list.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for sampled betweenness.")
@click.option("--betweenness-sample", type=click.IntRange(0), default=100, show_default=True,
              help="Estimate betweenness from this many pivot nodes on larger graphs (0: exact, slow on big graphs).")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON on stdout.")
@store_option
@handle_errors
def stats_command(top, seed, betweenness_sample, as_json, store):
    """Graph statistics, and the centrality (degree, PageRank, betweenness) of topics, authors and brands.

    Topics are ranked in the topic co-occurrence graph; authors and brands in the graph that links authors,
    brands and topics through their articles.
    """
    from ..analysis.stats import graph_stats
    from ..store import GraphStore

    stats = graph_stats(GraphStore.open(store), seed=seed, betweenness_sample=betweenness_sample or None)
    if as_json:
        click.echo(json.dumps(stats.to_dict(top), indent=2, ensure_ascii=False))
        return
    con = console(err=False)
    c = stats.counts
    con.print(f"{c['articles']} articles ({c['articles_without_topics']} without topics), {c['topics']} topics, "
              f"{c['authors']} authors, {c['brands']} brands, {c['about_links']} article-topic links; topic graph: "
              f"{c['topic_edges']} edges, density {c['topic_density']:.4f}, {c['topic_components']} components; "
              f"{c['mappings']} cross-vendor mappings.", markup=False)
    for title, rows in (("Topics", stats.topics), ("Authors", stats.authors), ("Brands", stats.brands)):
        if not rows:
            continue
        con.print(f"\n{title} by PageRank:", markup=False)
        con.print(f"  {'pagerank':>9} {'between':>8} {'degree':>6} {'articles':>8}  name", markup=False)
        for r in rows[:top]:
            con.print(f"  {r.pagerank:9.4f} {r.betweenness:8.4f} {r.degree:6d} {r.articles:8d}  {r.label}", markup=False)
