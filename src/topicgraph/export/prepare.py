"""The graph to export: the store's topic, article, bipartite or cluster graph with clusters, centrality and the
articles behind each node, cut down by vendor, cluster, edge weight and the top N nodes.

>>> import tempfile, topicgraph
>>> out = tempfile.mkdtemp()
>>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
>>> G = build_export_graph(topicgraph.GraphStore.open(out))
>>> sorted(G.nodes[n]["label"] for n in G)
['Gartner: Customer Experience', 'Medigy: Healthcare Consumer Engagement', 'Medigy: Patient Acquisition', 'Symplur: Patient Experience']
>>> G.nodes["https://w3id.org/topicgraph/taxonomy/medigy/patient-acquisition"]["articles"]
2
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError
from ._common import ARTICLES_KEY, layout_weight

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..analysis.graphs import Incidence
    from ..store import GraphStore

__all__ = ["build_export_graph", "GRAPHS", "topic_clusters", "add_centrality", "filter_graph"]

#: ``--graph`` choices.
GRAPHS = ("topics", "articles", "bipartite", "clusters")

_Q_CLUSTERS = """SELECT ?c ?label ?m WHERE {{ GRAPH <{graph}> {{
  ?c a tg:TopicCluster ; skos:member ?m . OPTIONAL {{ ?c skos:prefLabel ?label }} }} }}"""
_Q_URLS = "SELECT ?a ?u WHERE { ?a a schema:Article ; schema:url ?u }"


def build_export_graph(store: "GraphStore | str | Path", graph: str = "topics", vendor: str | Iterable[str] | None = None,
                       min_weight: float | None = None, top: int | None = None, cluster: str | int | None = None,
                       *, weight: str = "count", seed: int = 0, authors: bool = False, brands: bool = False,
                       max_articles: int = 100, articles: bool = True) -> "nx.Graph":
    """The ``graph`` (``topics``, ``articles``, ``bipartite`` or ``clusters``) of ``store``, ready to export.

    Nodes carry ``label``, ``kind`` (topic, article, author, brand or cluster), ``vendor`` (topics), ``cluster``
    and ``cluster_label`` (topics, and articles by their topics' commonest cluster), ``articles`` (how many
    articles a topic, cluster, author or brand has), ``degree`` and ``pagerank``; edges carry ``weight`` and
    ``kind``. Clusters are read from the store's ``clusters`` graph (written by ``topicgraph clusters``) when it
    has one, else found here with Louvain (``seed``) on the topic graph weighted by co-occurrence counts.
    Centrality and clusters are computed on the whole graph, before the filters:

    - ``vendor``: keep topics of these vendors (case-insensitive) and the articles about them;
    - ``cluster``: keep topics of this cluster (its number or label) and the articles about them;
    - ``min_weight``: drop edges lighter than this (nodes stay);
    - ``top``: keep the ``top`` nodes with the most ``articles`` (weighted degree where a node has no count).

    ``authors``/``brands`` add each article's authors and publisher as nodes (``articles`` and ``bipartite``).
    ``G.graph["topicgraph_articles"]`` lists up to ``max_articles`` articles per node for the HTML page, with
    each node's articles by month (left out with ``articles=False``: only the page reads them).
    """
    from ..analysis.clusters import find_clusters
    from ..analysis.graphs import article_graph, bipartite_graph, load_incidence, topic_graph
    from ..store import GraphStore

    if graph not in GRAPHS:
        raise TopicgraphError(f"unknown graph {graph!r}: choose from {', '.join(GRAPHS)}")
    if (authors or brands) and graph not in ("articles", "bipartite"):
        raise TopicgraphError("authors and brands can be added to the articles and bipartite graphs only")
    if top is not None and top < 1:
        raise TopicgraphError("--top must be at least 1")
    if not isinstance(store, GraphStore):
        store = GraphStore.open(store)
    inc = load_incidence(store)
    topics_g = topic_graph(inc, weight=weight)
    clusters, source = _stored_clusters(store)
    if clusters is None:  # what `topicgraph clusters --seed SEED` would store, so colours match its answers
        clusters, source = find_clusters(inc, seed=seed).membership(), f"louvain (seed {seed})"

    if graph == "topics":
        G = topics_g
    elif graph == "bipartite":
        G = bipartite_graph(inc)
    elif graph == "articles":
        G = article_graph(inc)
    else:
        G = _cluster_graph(topics_g, clusters, inc, store.base_iri)
    xr = inc.matrix.tocsr()
    ptr, idx = xr.indptr, xr.indices  # row slices of the raw arrays: indexing the matrix row by row costs 100x
    art_topics = {a: [inc.topics[j] for j in idx[ptr[i]:ptr[i + 1]]] for i, a in enumerate(inc.articles)}
    _assign_clusters(topics_g, clusters, art_topics)
    if graph != "clusters":
        _assign_clusters(G, clusters, art_topics)
    if authors or brands:
        _add_people_and_brands(G, inc, authors=authors, brands=brands)
    add_centrality(G)
    G.graph.update(name=f"topicgraph {graph}", graph=graph, clusters=source)
    if graph == "topics":
        G.graph["weight"] = weight
    if articles:
        G.graph[ARTICLES_KEY] = _articles_by_node(G, inc, store, clusters, max_articles=max_articles)
    else:
        G.graph.pop("_members", None)
    topics_of = None
    if graph == "articles":  # no topic nodes to filter articles by: give the filter each article's topics
        topics_of = {a: [topics_g.nodes[t] for t in ts] for a, ts in art_topics.items()}
    return filter_graph(G, vendor=vendor, cluster=cluster, min_weight=min_weight, top=top, topics_of=topics_of)


def topic_clusters(G: "nx.Graph", *, seed: int = 0) -> dict[str, tuple[int, str]]:
    """Topic -> (cluster number, cluster label) of a topic graph of your own, by
    :func:`topicgraph.analysis.clusters.find_clusters` on its edge ``weight`` (edges of negative weight, such as
    PMI's, left out): numbered from 1, largest first; a topic alone in its community is in no cluster; the label
    names the three members with the most weight inside the cluster.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 2}), ("x", "y", {"weight": 1})])
    >>> G.add_node("z")
    >>> topic_clusters(G)
    {'b': (1, 'b, a, c'), 'a': (1, 'b, a, c'), 'c': (1, 'b, a, c'), 'x': (2, 'x, y'), 'y': (2, 'x, y')}
    """
    from ..analysis.clusters import find_clusters

    negative = any((w or 0) < 0 for _, _, w in G.edges(data="weight"))
    return find_clusters(G, seed=seed, weight="pmi" if negative else "jaccard").membership()


def _stored_clusters(store: "GraphStore") -> tuple[dict[str, tuple[int, str]] | None, str]:
    """Cluster membership from the store's ``clusters`` graph, or None when ``topicgraph clusters`` never ran."""
    from ..iris import IriMinter

    graph = IriMinter(store.base_iri).graph("clusters")
    rows = store.query(_Q_CLUSTERS.format(graph=graph))
    if not rows:
        return None, ""
    members: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for r in rows:
        members.setdefault(r["c"], set()).add(r["m"])
        if r.get("label"):
            labels[r["c"]] = min(str(r["label"]), labels.get(r["c"], str(r["label"])))
    order = sorted(members, key=lambda c: (-len(members[c]), c))
    numbers: dict[str, int] = {}
    for rank, c in enumerate(order, start=1):
        m = re.search(r"(\d+)$", c)
        numbers[c] = int(m.group(1)) if m else rank
    if len(set(numbers.values())) != len(numbers):  # not numbered as `topicgraph clusters` does: use our ranks
        numbers = {c: rank for rank, c in enumerate(order, start=1)}
    out = {}
    for c in order:
        for t in members[c]:
            out.setdefault(t, (numbers[c], labels.get(c, f"Cluster {numbers[c]}")))
    return out, f"store ({graph})"


def _assign_clusters(G: "nx.Graph", clusters: dict[str, tuple[int, str]], art_topics: dict[str, list[str]]) -> None:
    """Topics get their cluster; an article gets the commonest cluster among its topics (ties: lowest number)."""
    labels = dict(clusters.values())
    for n, d in G.nodes(data=True):
        if d.get("kind") == "topic" and n in clusters:
            d["cluster"], d["cluster_label"] = clusters[n]
        elif d.get("kind") == "article":
            votes = Counter(clusters[t][0] for t in art_topics.get(n, []) if t in clusters)
            if votes:
                number = min(votes, key=lambda c: (-votes[c], c))
                d["cluster"], d["cluster_label"] = number, labels[number]


def _cluster_graph(topics_g: "nx.Graph", clusters: dict[str, tuple[int, str]], inc: "Incidence",
                   base_iri: str) -> "nx.Graph":
    """One node per cluster (``articles``: articles about any member; ``topics``: members; ``vendors``), linked by
    the co-occurrences between their members (``weight``: articles shared across the two clusters' topics)."""
    import networkx as nx

    from ..iris import IriMinter

    base = IriMinter(base_iri).base
    node = {n: f"{base}cluster/{n}" for n, _ in set(clusters.values())}
    G = nx.Graph()
    members: dict[int, list[str]] = {}
    for t, (n, _label) in clusters.items():
        if t in topics_g:
            members.setdefault(n, []).append(t)
    x = inc.matrix.tocsc()
    for n in sorted(members):
        ts = sorted(members[n])
        cols = [inc.topic_index[t] for t in ts if t in inc.topic_index]
        articles = int((x[:, cols].sum(axis=1) > 0).sum()) if cols else 0
        vendors = sorted({topics_g.nodes[t].get("vendor", "") for t in ts} - {""})
        G.add_node(node[n], label=clusters[ts[0]][1], kind="cluster", cluster=n, cluster_label=clusters[ts[0]][1],
                   topics=len(ts), articles=articles, vendors="; ".join(vendors))
    for a, b, d in topics_g.edges(data=True):
        if a in clusters and b in clusters and clusters[a][0] != clusters[b][0]:
            u, v = node[clusters[a][0]], node[clusters[b][0]]
            w = float(d.get("count", d.get("weight", 1)))
            if G.has_edge(u, v):
                G[u][v]["weight"] += w
            else:
                G.add_edge(u, v, weight=w, kind="cluster-link")
    G.graph["_members"] = {node[n]: ts for n, ts in members.items()}
    return G


def _add_people_and_brands(G: "nx.Graph", inc: "Incidence", *, authors: bool, brands: bool) -> None:
    """Each article's authors (``kind="author"``, edge ``kind="author"``) and publisher (``kind="brand"``, edge
    ``kind="publisher"``) as nodes, with how many of the graph's articles they have."""
    for a in [n for n, d in G.nodes(data=True) if d.get("kind") == "article"]:
        linked = []
        if authors:
            linked += [(p, "author", "author") for p in inc.article_authors.get(a, [])]
        if brands and inc.article_brand.get(a):
            linked.append((inc.article_brand[a], "brand", "publisher"))
        for x, kind, edge_kind in linked:
            if x not in G:
                G.add_node(x, label=inc.names.get(x, x.rstrip("/").rsplit("/", 1)[-1]), kind=kind, articles=0)
            G.nodes[x]["articles"] += 1
            G.add_edge(a, x, weight=1, kind=edge_kind)


def add_centrality(G: "nx.Graph") -> "nx.Graph":
    """Add ``degree`` (neighbours) and ``pagerank`` (edges weighted by their co-occurrence ``count``, else a
    non-negative ``weight``; PMI can be negative, and PageRank needs weights >= 0) to every node.

    >>> import networkx as nx
    >>> G = add_centrality(nx.Graph([("a", "b"), ("b", "c")]))
    >>> G.nodes["b"]["degree"], G.nodes["b"]["pagerank"] > G.nodes["a"]["pagerank"]
    (2, True)
    """
    import networkx as nx

    weight = layout_weight(G)
    pr = nx.pagerank(G, weight=weight) if G.number_of_nodes() else {}
    for n, d in G.nodes(data=True):
        d["degree"] = int(G.degree(n))
        d["pagerank"] = round(float(pr.get(n, 0.0)), 6)
    return G


def _articles_by_node(G: "nx.Graph", inc: "Incidence", store: "GraphStore", clusters: dict[str, tuple[int, str]],
                      *, max_articles: int) -> dict[str, Any]:
    """For the HTML page: the articles of each topic, cluster, author and brand node (newest first, at most
    ``max_articles`` each, with the full count), as rows of one shared table."""
    urls: dict[str, str] = {}
    for r in store.query(_Q_URLS):
        urls[r["a"]] = min(str(r["u"]), urls.get(r["a"], str(r["u"])))
    x = inc.matrix.tocsc()
    members = G.graph.pop("_members", {})
    people = {n: [a for a in G.neighbors(n) if G.nodes[a].get("kind") == "article"]
              for n, d in G.nodes(data=True) if d.get("kind") in ("author", "brand")}
    table: list[list[str]] = []
    row_of: dict[str, int] = {}
    by_node: dict[str, list[int]] = {}
    total: dict[str, int] = {}

    def order(arts: Iterable[str]) -> list[str]:
        return sorted(set(arts), key=lambda a: (inc.article_date.get(a) or "", inc.article_label(a)), reverse=True)

    month = {a: str(inc.article_date.get(a) or "")[:7] for a in inc.articles}
    months: dict[str, dict[str, int]] = {}
    for n, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind == "topic" and n in inc.topic_index:
            arts = [inc.articles[i] for i in x[:, inc.topic_index[n]].nonzero()[0]]
        elif kind == "cluster":
            arts = [inc.articles[i] for t in members.get(n, []) if t in inc.topic_index
                    for i in x[:, inc.topic_index[t]].nonzero()[0]]
        elif kind in ("author", "brand"):
            arts = people.get(n, [])
        else:
            continue
        arts = order(arts)
        total[n] = len(arts)
        by_month = Counter(month[a] for a in arts if len(month.get(a, "")) == 7)
        if by_month:
            months[n] = dict(sorted(by_month.items()))
        rows = []
        for a in arts[:max_articles]:
            if a not in row_of:
                row_of[a] = len(table)
                table.append([a, inc.article_label(a), urls.get(a, ""), inc.article_date.get(a) or ""])
            rows.append(row_of[a])
        by_node[n] = rows
    cluster_cols: dict[int, list[int]] = {}
    for t, (number, _label) in clusters.items():
        if t in inc.topic_index:
            cluster_cols.setdefault(number, []).append(inc.topic_index[t])
    cluster_articles = {str(c): int((x[:, cols].sum(axis=1) > 0).sum()) for c, cols in sorted(cluster_cols.items())}
    return {"table": table, "by_node": by_node, "total": total, "months": months, "clusters": cluster_articles}


def filter_graph(G: "nx.Graph", *, vendor: str | Iterable[str] | None = None, cluster: str | int | None = None,
                 min_weight: float | None = None, top: int | None = None,
                 topics_of: dict[str, list[dict]] | None = None) -> "nx.Graph":
    """``G`` cut down as :func:`build_export_graph` describes (a new graph; ``G`` is left as it is).

    A topic passes when its ``vendor`` and ``cluster`` match; an article when one of its topics passes (its
    topics are its topic neighbours, or the attribute dicts in ``topics_of[article]`` for graphs without topic
    nodes); an author or brand when one of its articles passes; a cluster node by its number or ``vendors``.

    >>> import networkx as nx
    >>> G = nx.Graph([("t1", "a1"), ("t2", "a1"), ("t2", "a2")])
    >>> G.add_nodes_from([("t1", {"kind": "topic", "vendor": "Medigy"}), ("t2", {"kind": "topic", "vendor": "Gartner"}),
    ...                   ("a1", {"kind": "article"}), ("a2", {"kind": "article"})])
    >>> sorted(filter_graph(G, vendor="medigy"))
    ['a1', 't1']
    """
    vendors = [vendor] if isinstance(vendor, str) else list(vendor or [])
    wanted = {v.casefold() for v in vendors if v.strip()}
    number = None
    if cluster is not None and str(cluster).strip() != "":
        number = _cluster_number(G, cluster, topics_of)
    H = G
    if wanted or number is not None:
        if wanted:
            known = _vendors(G, topics_of)
            missing = wanted - {k.casefold() for k in known}
            if missing:
                raise TopicgraphError(f"no topic of vendor {', '.join(sorted(missing))} in this graph; "
                                      f"vendors: {', '.join(known) or 'none'}")

        def passes(d: dict) -> bool:
            if wanted:
                if d.get("kind") == "cluster":
                    if not any(v.casefold() in wanted for v in str(d.get("vendors", "")).split("; ")):
                        return False
                elif str(d.get("vendor", "")).casefold() not in wanted:
                    return False
            return number is None or d.get("cluster") == number

        keep = set()
        for n, d in G.nodes(data=True):
            kind = d.get("kind")
            if kind in ("topic", "cluster"):
                ok = passes(d)
            elif kind == "article":
                topics = (topics_of.get(n, []) if topics_of is not None else
                          [G.nodes[m] for m in G.neighbors(n) if G.nodes[m].get("kind") == "topic"])
                ok = any(passes(t) for t in topics)
            else:
                continue
            if ok:
                keep.add(n)
        keep |= {m for a in keep if G.nodes[a].get("kind") == "article" for m in G.neighbors(a)
                 if G.nodes[m].get("kind") in ("author", "brand")}
        H = G.subgraph(keep)
    H = H.copy()
    if min_weight is not None:
        H.remove_edges_from([(u, v) for u, v, w in H.edges(data="weight") if w is None or w < min_weight])
    if top is not None and top < H.number_of_nodes():
        strength = dict(H.degree(weight="weight"))

        def rank(n: str) -> tuple:
            d = H.nodes[n]
            score = d["articles"] if isinstance(d.get("articles"), (int, float)) else strength[n]
            return (-score, -d.get("pagerank", 0.0), str(n))

        H = H.subgraph(sorted(H, key=rank)[:top]).copy()
    articles = H.graph.get(ARTICLES_KEY)
    if isinstance(articles, dict) and "by_node" in articles:
        H.graph[ARTICLES_KEY] = {**articles, "by_node": {n: r for n, r in articles["by_node"].items() if n in H},
                                 "total": {n: c for n, c in articles.get("total", {}).items() if n in H}}
    return H


def _vendors(G: "nx.Graph", topics_of: dict[str, list[dict]] | None) -> list[str]:
    found = {d["vendor"] for _, d in G.nodes(data=True) if d.get("vendor")}
    found |= {v for _, d in G.nodes(data=True) for v in str(d.get("vendors", "")).split("; ") if v}
    found |= {t["vendor"] for ts in (topics_of or {}).values() for t in ts if t.get("vendor")}
    return sorted(found)


def _cluster_number(G: "nx.Graph", cluster: str | int, topics_of: dict[str, list[dict]] | None) -> int:
    found = {(d["cluster"], d.get("cluster_label", "")) for _, d in G.nodes(data=True) if "cluster" in d}
    found |= {(t["cluster"], t.get("cluster_label", "")) for ts in (topics_of or {}).values() for t in ts
              if "cluster" in t}
    text = str(cluster).strip()
    if text.isdigit() and any(n == int(text) for n, _ in found):
        return int(text)
    for n, label in sorted(found):
        if label.casefold() == text.casefold():
            return n
    listing = "; ".join(f"{n} ({label})" for n, label in sorted(found)) or "none"
    raise TopicgraphError(f"no cluster {text!r} in this graph; clusters: {listing}")
