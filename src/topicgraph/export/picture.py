"""Static pictures (SVG, PNG) that read at any size and come out in seconds: the backbone of the graph, laid out in
Python with clusters together (:mod:`.layout`), drawn by Graphviz with the positions fixed (``neato -n2``), straight
edges, labels placed beside their own nodes and never over one another, and a legend.

A request that cannot finish within ``timeout`` is refused before anything runs, with a hint: the time is estimated
from the node and edge counts (see :func:`estimate_seconds`).
"""

from __future__ import annotations

import html
import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError
from ._common import layout_weight, node_colors, node_sizes, run_graphviz, short_label, vendor_index
from .backbone import DEFAULT_ALPHA, backbone

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["picture_dot", "draw", "estimate_seconds", "thin", "label_boxes", "SHAPES", "READABLE_DEGREE"]

#: Graphviz node shapes that tell vendors apart (the page uses the same order of Cytoscape shapes).
SHAPES = ("circle", "box", "diamond", "triangle", "hexagon", "pentagon", "octagon", "invtriangle")

#: A graph with at most this many links per node on average is drawn whole; a denser one as its backbone.
READABLE_DEGREE = 4.0

_FONT = 11.0            # label size in points
_CHAR = 0.56 * _FONT    # average width of a character of Helvetica at that size
# Seconds per node and per edge of the whole pipeline (Python layout, then neato -n2 and the PNG/SVG writer),
# measured on generated corpora with a margin (docs/benchmarks.md, "Static pictures").
_PER_NODE, _PER_EDGE, _FIXED = 0.004, 0.0004, 1.0


def estimate_seconds(nodes: int, edges: int) -> float:
    """How long :func:`draw` should take for a graph of this size once thinned (an upper estimate).

    >>> round(estimate_seconds(239, 700), 1)
    2.2
    """
    return _FIXED + _PER_NODE * nodes + _PER_EDGE * edges


def thin(G: "nx.Graph", *, alpha: float = DEFAULT_ALPHA) -> "nx.Graph":
    """``G`` as drawn: whole when it averages at most :data:`READABLE_DEGREE` links per node, else its backbone
    (disparity filter at ``alpha``, every linked node keeping its heaviest link)."""
    n = G.number_of_nodes()
    if n == 0 or 2 * G.number_of_edges() / n <= READABLE_DEGREE or alpha >= 1:
        return G
    weight = layout_weight(G) or "weight"
    H = backbone(G, alpha=alpha, weight=weight)
    H.graph["backbone"] = alpha
    return H


def label_boxes(pos: dict[Any, tuple[float, float]], radius: dict[Any, float], labels: dict[Any, str],
                order: list[Any], *, char: float = _CHAR, height: float = _FONT * 1.25) -> dict[Any, tuple]:
    """Greedy label placement: in ``order`` (most central first), each label goes just below its node if its box
    overlaps neither a label already placed nor another node's disc; returns node -> (x0, y0, x1, y1) of the
    labels kept (y up). A grid of cells makes each test look only at its neighbours.

    >>> boxes = label_boxes({"a": (0, 0), "b": (5, 0)}, {"a": 5, "b": 5}, {"a": "Alpha", "b": "Beta"}, ["a", "b"])
    >>> sorted(boxes)
    ['a']
    """
    cell = 64.0
    grid: dict[tuple[int, int], list[tuple[float, float, float, float, Any]]] = {}

    def cells(b: tuple[float, float, float, float]):
        for i in range(int(math.floor(b[0] / cell)), int(math.floor(b[2] / cell)) + 1):
            for j in range(int(math.floor(b[1] / cell)), int(math.floor(b[3] / cell)) + 1):
                yield i, j

    def hits(b, owner) -> bool:
        for c in cells(b):
            for o in grid.get(c, ()):
                if o[4] != owner and b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3]:
                    return True
        return False

    def add(b, owner) -> None:
        for c in cells(b):
            grid.setdefault(c, []).append((*b, owner))

    for n, (x, y) in pos.items():
        r = radius[n]
        add((x - r, y - r, x + r, y + r), ("node", n))
    placed = {}
    for n in order:
        text = labels.get(n)
        if not text:
            continue
        x, y = pos[n]
        w = char * len(text) + 4
        top = y - radius[n] - 1
        b = (x - w / 2, top - height, x + w / 2, top)
        if hits(b, ("node", n)):
            continue
        add(b, ("label", n))
        placed[n] = b
    return placed


def _clip(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[:most - 1].rstrip() + "\u2026"


def picture_dot(G: "nx.Graph", *, color_by: str | None = None, seed: int = 42, alpha: float = DEFAULT_ALPHA,
                title: str | None = None, thinned: "nx.Graph | None" = None) -> tuple[str, dict[str, int]]:
    """The DOT text of the picture of ``G`` (already cleaned), for ``neato -n2``, and what it holds
    (``nodes``, ``edges``, ``labels``); ``thinned`` is :func:`thin` of ``G`` when the caller has it."""
    from .layout import clustered_layout
    from .writers import dot_quote

    H = thinned if thinned is not None else thin(G, alpha=alpha)
    weight = layout_weight(G)
    pos = clustered_layout(G, seed=seed, weight=weight) if len(G) else {}
    colors, legend = node_colors(G, color_by)
    sizes = node_sizes(G, smallest=7.0, largest=30.0)  # diameters in points
    radius = {n: sizes[n] / 2 for n in G}
    shapes = vendor_index(G)
    labels = {n: _clip(short_label(d)) for n, d in G.nodes(data=True)}
    order = sorted(G, key=lambda n: (-float(G.nodes[n].get("pagerank", 0) or 0),
                                     -float(G.nodes[n].get("articles", 0) or 0), str(n)))
    placed = label_boxes(pos, radius, labels, order)

    index = {n: i for i, n in enumerate(G)}
    name = title or str(G.graph.get("name") or "topicgraph")
    lines = [f"graph {dot_quote(name)} {{",
             '  graph [splines=false, outputorder=edgesfirst, bgcolor=white, pad=0.3, fontname="Helvetica", '
             f'label={dot_quote(name)}, labelloc=t, fontsize=18];',
             '  node [fixedsize=true, style=filled, color="#44444488", penwidth=0.6, label="", '
             'fontname="Helvetica"];',
             '  edge [color="#5f6b78aa"];']
    for n, d in G.nodes(data=True):
        x, y = pos[n]
        shape = SHAPES[shapes.get(str(d.get("vendor", "")), 0) % len(SHAPES)] if shapes else "circle"
        w = sizes[n] / 72
        lines.append(f'  n{index[n]} [pos="{x:.1f},{y:.1f}", width={w:.3f}, height={w:.3f}, shape={shape}, '
                     f'fillcolor={dot_quote(colors[n])}, tooltip={dot_quote(str(d.get("label", n)))}];')
    for n, b in placed.items():
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        lines.append(f'  l{index[n]} [class=tglabel, shape=plaintext, style="", fixedsize=false, width=0, height=0, '
                     f'margin=0, pos="{cx:.1f},{cy:.1f}", fontsize={_FONT:g}, fontcolor="#222222", '
                     f'label={dot_quote(labels[n])}];')
    wmax = max((abs(float(d.get("weight", 1) or 0)) for _, _, d in H.edges(data=True)), default=1.0) or 1.0
    for a, b, d in H.edges(data=True):
        w = d.get("weight", 1)
        w = float(w) if isinstance(w, (int, float)) and not isinstance(w, bool) else 1.0
        lines.append(f"  n{index[a]} -- n{index[b]} [penwidth={0.6 + 3.0 * abs(w) / wmax:.2f}];")
    if pos:
        lines.append(_legend(G, pos, legend, color_by, shapes))
    lines.append("}")
    return "\n".join(lines) + "\n", {"nodes": len(G), "edges": H.number_of_edges(), "labels": len(placed)}


def _legend(G: "nx.Graph", pos: dict, legend: dict[str, str], color_by: str | None, shapes: dict[str, int]) -> str:
    """A table to the right of the drawing: colours (clusters with their labels), then vendors and their shapes."""
    from ._common import default_color_by

    by = color_by or default_color_by(G)
    names = {}
    counts: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        v = d.get(by)
        if v not in (None, ""):
            counts[str(v)] = counts.get(str(v), 0) + 1
            if by == "cluster" and d.get("cluster_label"):
                names[str(v)] = str(d["cluster_label"])
    rows = [f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{html.escape(by.capitalize())}</B></TD></TR>']
    shown = [v for v in legend if counts.get(v)]
    for v in shown[:30]:
        text = f"{v}: {names[v]}" if v in names else v
        text = text if len(text) <= 60 else text[:59] + "\u2026"
        rows.append(f'<TR><TD BGCOLOR="{legend[v]}" WIDTH="12" HEIGHT="12" FIXEDSIZE="TRUE"></TD>'
                    f'<TD ALIGN="LEFT">{html.escape(text)} ({counts[v]})</TD></TR>')
    if len(shown) > 30:
        rows.append(f'<TR><TD></TD><TD ALIGN="LEFT">\u2026 and {len(shown) - 30} more</TD></TR>')
    if len(shapes) > 1:
        rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Vendor (shape)</B></TD></TR>')
        for vendor, i in sorted(shapes.items(), key=lambda kv: kv[1]):
            rows.append(f'<TR><TD ALIGN="LEFT">{html.escape(SHAPES[i % len(SHAPES)])}</TD>'
                        f'<TD ALIGN="LEFT">{html.escape(vendor)}</TD></TR>')
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x = max(xs) + 60 + 150
    y = max(ys) - 8 * len(rows)
    table = (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">{"".join(rows)}</TABLE>')
    return (f'  legend [class=tglegend, shape=plaintext, style="", fixedsize=false, width=0, height=0, '
            f'fontsize=12, pos="{x:.1f},{y:.1f}", label=<{table}>];')


def draw(G: "nx.Graph", path: Path, fmt: str, *, color_by: str | None = None, seed: int = 42,
         alpha: float = DEFAULT_ALPHA, timeout: float = 30, dpi: int = 96, title: str | None = None) -> list[Path]:
    """Write the picture of ``G`` (already cleaned) to ``path`` as ``svg`` or ``png``."""
    exe = shutil.which("neato")
    if exe is None:
        raise TopicgraphError("Graphviz's `neato` is not installed: install Graphviz "
                              "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)")
    H = thin(G, alpha=alpha)
    guess = estimate_seconds(H.number_of_nodes(), H.number_of_edges())
    if guess > timeout:
        raise TopicgraphError(
            f"a picture of {H.number_of_nodes()} nodes and {H.number_of_edges()} links would take about "
            f"{guess:.0f}s, more than the {timeout:g}s allowed: keep fewer nodes (--top N), fewer links "
            "(--alpha smaller, --min-weight W), or allow more time (--timeout)")
    text, _ = picture_dot(G, color_by=color_by, seed=seed, alpha=alpha, title=title, thinned=H)
    if fmt == "png":
        text = text.replace("  graph [", f"  graph [dpi={int(dpi)}, ", 1)
    return run_graphviz(text, Path(path), [exe, "-n2", f"-T{fmt}"], name="neato -n2", timeout=max(timeout, 5),
                        hint="keep fewer nodes (--top N) or links (--alpha, --min-weight)")
