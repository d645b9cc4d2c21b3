"""What a change does beyond the records it touches: article counts per topic, author and brand; related-items
lists of the touched articles and their neighbours (top-k churn, rank-biased overlap); topic clusters whose
membership moved; rows of named queries that changed. Computed with the analysis and queries packages."""

from __future__ import annotations

from collections import Counter

from ..errors import TopicgraphError

__all__ = ["impact_layer", "rbo"]

#: related items compared per article
TOP_K = 10
#: rank-biased overlap's persistence: the weight of rank d is p**(d-1)
RBO_P = 0.9
#: at most this many touched articles get their related lists compared (the rest are counted)
MAX_TOUCHED = 2000


def rbo(a: list[str], b: list[str], p: float = RBO_P) -> float:
    """Rank-biased overlap of two top-k lists (Webber et al. 2010, the extrapolated form for equal depths):
    1.0 for the same list, 0.0 for lists with nothing in common.

    >>> rbo(["a", "b", "c"], ["a", "b", "c"]), rbo(["a"], ["b"]), round(rbo(["a", "b"], ["b", "a"]), 3)
    (1.0, 0.0, 0.9)
    """
    k = max(len(a), len(b))
    if k == 0:
        return 1.0
    seen_a: set[str] = set()
    seen_b: set[str] = set()
    overlap = 0
    total = 0.0
    for d in range(1, k + 1):
        x = a[d - 1] if d <= len(a) else None
        y = b[d - 1] if d <= len(b) else None
        if x is not None:
            overlap += x in seen_b or x == y
            seen_a.add(x)
        if y is not None and y != x:
            overlap += y in seen_a
            seen_b.add(y)
        total += (overlap / d) * p ** d
    return round(min(1.0, (overlap / k) * p ** k + (1 - p) / p * total), 6)


def _counts(inc) -> dict[str, Counter]:
    topics = Counter(dict(zip(inc.topics, (int(n) for n in inc.topic_counts))))
    authors: Counter = Counter(p for ps in inc.article_authors.values() for p in ps)
    brands: Counter = Counter(b for b in inc.article_brand.values() if b)
    return {"topics": topics, "authors": authors, "brands": brands}


def _count_changes(old, new, names: dict[str, str]) -> dict:
    a, b = _counts(old), _counts(new)
    out = {}
    for kind in a:
        rows = [{"iri": k, "name": names.get(k, k), "base": a[kind].get(k, 0), "head": b[kind].get(k, 0)}
                for k in sorted(a[kind].keys() | b[kind].keys()) if a[kind].get(k, 0) != b[kind].get(k, 0)]
        out[kind] = sorted(rows, key=lambda r: (-abs(r["head"] - r["base"]), r["name"]))
    return out


def _related(old_index, new_index, touched: list[str]) -> tuple[list[dict], int]:
    """Related lists of the touched articles and their neighbours (what either side ranks in their top-k)."""
    def top(index, article):
        if article not in index.incidence.article_index:
            return None
        return [item.article for item in index.related(article, TOP_K)]

    focus = [a for a in touched if a in old_index.incidence.article_index or a in new_index.incidence.article_index]
    skipped = max(0, len(focus) - MAX_TOUCHED)
    focus = focus[:MAX_TOUCHED]
    lists: dict[str, tuple] = {}
    for a in focus:
        lists[a] = (top(old_index, a), top(new_index, a))
    neighbours = {n for pair in lists.values() for side in pair if side for n in side} - lists.keys()
    for a in sorted(neighbours):
        lists[a] = (top(old_index, a), top(new_index, a))
    rows = []
    for a, (before, after) in sorted(lists.items()):
        if before is None or after is None or before == after:
            continue
        rows.append({"article": a, "name": new_index.incidence.article_label(a),
                     "touched": a in touched, "left": [x for x in before if x not in after],
                     "joined": [x for x in after if x not in before],
                     "churn": len([x for x in before if x not in after]), "rbo": rbo(before, after)})
    rows.sort(key=lambda r: (r["rbo"], r["article"]))
    return rows, skipped


def _clusters(old_inc, new_inc, names: dict[str, str]) -> list[dict]:
    """Clusters of BASE whose topics are no longer together at HEAD, each beside the HEAD cluster that took most
    of them: topics that left and joined."""
    from ..analysis import find_clusters

    def groups(inc):
        if len(inc.topics) < 2:
            return []
        return [frozenset(c.topics) for c in find_clusters(inc, seed=0).clusters]

    old, new = groups(old_inc), groups(new_inc)
    new_set = set(new)
    moved = []
    for cluster in old:
        if cluster in new_set:
            continue
        best = max(new, key=lambda c: (len(c & cluster), -len(c ^ cluster)), default=frozenset())
        moved.append({"base": sorted(names.get(t, t) for t in cluster),
                      "head": sorted(names.get(t, t) for t in best),
                      "left": sorted(names.get(t, t) for t in cluster - best),
                      "joined": sorted(names.get(t, t) for t in best - cluster)})
    return sorted(moved, key=lambda m: m["base"])


def _query_rows(old_store, new_store, queries: list[str]) -> list[dict]:
    from ..queries.runner import run_named

    out = []
    for name in queries:
        try:
            a, b = run_named(old_store, name), run_named(new_store, name)
        except TopicgraphError as exc:
            raise TopicgraphError(f"--query {name}: {exc}") from None

        def rows(result):
            return Counter(tuple(sorted((k, str(v)) for k, v in row.items())) for row in result.values())

        ra, rb = rows(a), rows(b)
        added = [dict(r) for r in sorted((rb - ra).elements())]
        removed = [dict(r) for r in sorted((ra - rb).elements())]
        out.append({"query": name, "added": added, "removed": removed})
    return out


def impact_layer(old_store, new_store, touched: list[str], names: dict[str, str],
                 queries: list[str] = (), *, cache_base: bool = False, updated: bool = False) -> dict:
    """The impact layer of two opened stores; ``touched`` are the article IRIs of records added, removed or
    changed. ``cache_base``: BASE is a kept build (``--base-build``), whose analysis cache is used and filled.
    ``updated``: the stores differ only in the changed files' graphs (the same taxonomy and profile, so every
    other file maps the same), so HEAD's incidence is BASE's with the touched rows read again
    (:func:`~topicgraph.analysis.update_incidence`) instead of a second read of a whole store."""
    from ..analysis import UPDATE_AT_MOST, RelatedIndex, load_incidence, update_incidence

    old_inc = load_incidence(old_store, cache=cache_base)
    if updated and len(touched) <= min(UPDATE_AT_MOST, max(len(old_inc.articles) // 10, 100)):
        new_inc = update_incidence(old_inc, new_store, touched)
    else:
        new_inc = load_incidence(new_store, cache=False)
    counts = _count_changes(old_inc, new_inc, names)
    related: list[dict] = []
    skipped = 0
    if touched and old_inc.articles and new_inc.articles and (old_inc.topics or new_inc.topics):
        related, skipped = _related(RelatedIndex(old_inc), RelatedIndex(new_inc), touched)
    return {"counts": counts, "related": related, "related_not_compared": skipped,
            "clusters": _clusters(old_inc, new_inc, names) if touched else [],
            "queries": _query_rows(old_store, new_store, list(queries))}
