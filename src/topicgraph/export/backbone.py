"""The backbone of a weighted graph: the disparity filter of Serrano, Boguñá and Vespignani (PNAS 2009), which keeps
the links that carry a significant share of either end's weight, so a dense co-tag graph reads as a few links per node.

For an edge ``(i, j)`` of weight ``w`` at a node ``i`` of degree ``k > 1`` and strength ``s`` (the sum of its edge
weights), the null model spreads ``s`` uniformly at random over ``k`` edges; the chance of a share at least
``p = w / s`` is ``alpha_ij = (1 - p) ** (k - 1)``. The edge stays when ``alpha_ij < alpha`` or ``alpha_ji < alpha``.
A node with one link keeps it (no null model to test against), and with ``keep_strongest`` every node that had a
link keeps its heaviest one, so the filter never turns a linked topic into an isolated one.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_weighted_edges_from([("hub", x, 1) for x in "abcd"] + [("hub", "z", 40), ("a", "b", 1), ("b", "c", 1),
...                            ("c", "a", 1)])
>>> sorted(tuple(sorted(e)) for e in backbone(G, alpha=0.05, keep_strongest=False).edges)
[('d', 'hub'), ('hub', 'z')]
>>> len(backbone(G, alpha=0.05).edges)  # and a, b, c each keep their heaviest link
5
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["disparity", "backbone", "DEFAULT_ALPHA", "backbone_edges"]

#: The significance that leaves a 10,000-record generated corpus (239 topics, 13,943 links) with about three links
#: per topic on average: see docs/export.md.
DEFAULT_ALPHA = 0.001


def _weight(d: dict, key: str) -> float:
    w = d.get(key, 1)
    if isinstance(w, bool) or not isinstance(w, (int, float)):
        return 1.0
    return max(float(w), 0.0)


def disparity(G: "nx.Graph", *, weight: str = "weight") -> dict[tuple[Any, Any], float]:
    """Each edge's disparity-filter significance: the smaller of its two ends' ``alpha_ij`` (lower is stronger)."""
    strength: dict[Any, float] = {}
    degree: dict[Any, int] = {}
    for u, v, d in G.edges(data=True):
        w = _weight(d, weight)
        for n in (u, v):
            strength[n] = strength.get(n, 0.0) + w
            degree[n] = degree.get(n, 0) + 1

    def alpha_at(n: Any, w: float) -> float:
        k, s = degree[n], strength[n]
        if k <= 1:
            return 0.0
        if s <= 0:
            return 1.0
        return (1.0 - w / s) ** (k - 1)

    out = {}
    for u, v, d in G.edges(data=True):
        w = _weight(d, weight)
        out[(u, v)] = min(alpha_at(u, w), alpha_at(v, w))
    return out


def backbone_edges(G: "nx.Graph", *, alpha: float = DEFAULT_ALPHA, weight: str = "weight",
                   keep_strongest: bool = True) -> set[tuple[Any, Any]]:
    """The ``(u, v)`` edges of ``G`` (as ``G.edges`` yields them) that :func:`backbone` keeps."""
    if not 0 < alpha:
        raise TopicgraphError(f"the backbone's significance (alpha) must be above 0, not {alpha:g}")
    if alpha >= 1:
        return set(G.edges())
    sig = disparity(G, weight=weight)
    keep = {e for e, a in sig.items() if a < alpha}
    if keep_strongest:
        best: dict[Any, tuple[float, float, Any]] = {}
        for (u, v), a in sig.items():
            w = _weight(G.edges[u, v], weight)
            for n in (u, v):
                key = (w, -a)
                if n not in best or key > best[n][:2]:
                    best[n] = (w, -a, (u, v))
        keep |= {e for _, _, e in best.values()}
    return keep


def backbone(G: "nx.Graph", *, alpha: float = DEFAULT_ALPHA, weight: str = "weight",
             keep_strongest: bool = True) -> "nx.Graph":
    """A copy of ``G`` with every node and only the backbone's edges (``alpha`` >= 1 keeps them all)."""
    keep = backbone_edges(G, alpha=alpha, weight=weight, keep_strongest=keep_strongest)
    H = G.copy()
    H.remove_edges_from([e for e in G.edges() if e not in keep])
    return H
