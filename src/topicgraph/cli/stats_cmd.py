"""`topicgraph stats`: counts and the most central topics, authors and brands."""

from __future__ import annotations

import json

import click

from .common import console, handle_errors, store_option

#: the format of the kept answers (``BUILD/.cache/stats-*.json``): raise it when the statistics change
_CACHE_FORMAT = 1


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
    brands and topics through their articles. The answer is kept in the build folder's .cache for the build as
    it is (any build or update changes it) and these options, so asking again answers at once.
    """
    from ..store import GraphStore, read_cached_result, write_cached_result

    # the answer is a function of the build and the options: kept per build revision, so that asking again (a
    # dashboard, a script) neither reads the store nor imports networkx, numpy and scipy
    key = f"stats-v{_CACHE_FORMAT}-seed{seed}-sample{betweenness_sample}"
    data = read_cached_result(store, key)
    if data is None:
        from ..analysis.stats import graph_stats

        data = graph_stats(GraphStore.open(store), seed=seed,
                           betweenness_sample=betweenness_sample or None).to_dict()
        write_cached_result(store, key, data)
    for kind in ("topics", "authors", "brands"):
        data[kind] = data[kind][:top]
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    con = console(err=False)
    c = data["counts"]
    con.print(f"{c['articles']} articles ({c['articles_without_topics']} without topics), {c['topics']} topics, "
              f"{c['authors']} authors, {c['brands']} brands, {c['about_links']} article-topic links; topic graph: "
              f"{c['topic_edges']} edges, density {c['topic_density']:.4f}, {c['topic_components']} components; "
              f"{c['mappings']} cross-vendor mappings.", markup=False)
    for title, kind in (("Topics", "topics"), ("Authors", "authors"), ("Brands", "brands")):
        if not data[kind]:
            continue
        con.print(f"\n{title} by PageRank:", markup=False)
        con.print(f"  {'pagerank':>9} {'between':>8} {'degree':>6} {'articles':>8}  name", markup=False)
        for r in data[kind]:
            con.print(f"  {r['pagerank']:9.4f} {r['betweenness']:8.4f} {r['degree']:6d} {r['articles']:8d}  "
                      f"{r['label']}", markup=False)
