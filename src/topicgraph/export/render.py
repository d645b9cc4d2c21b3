"""Static pictures (SVG, PNG) of a graph for reports: by default :mod:`.picture` (a layout computed in Python, drawn
by ``neato -n2``), or a Graphviz layout engine laying out the whole graph."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError
from ._common import run_graphviz

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["render", "render_svg", "render_png", "ENGINES", "graphviz_binary", "engine_seconds"]

#: Graphviz layout programs that suit an undirected graph (``dot`` draws hierarchies, offered for completeness).
ENGINES = ("sfdp", "neato", "fdp", "circo", "twopi", "dot")


def graphviz_binary(engine: str = "sfdp") -> str:
    """The path of a Graphviz layout program, or a :class:`TopicgraphError` saying how to install it."""
    if engine not in ENGINES:
        raise TopicgraphError(f"unknown Graphviz engine {engine!r}: choose from {', '.join(ENGINES)}")
    exe = shutil.which(engine)
    if exe is None:
        raise TopicgraphError(f"Graphviz's `{engine}` is not installed: install Graphviz "
                              "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)")
    return exe


def render(G: "nx.Graph", path: Path, fmt: str, *, engine: str | None = None, color_by: str | None = None,
           timeout: float = 30, dpi: int = 96, seed: int = 42, alpha: float | None = None, title: str | None = None,
           **_: Any) -> list[Path]:
    """Draw ``G`` (already cleaned) to ``path`` as ``svg`` or ``png``. By default the backbone, laid out in
    Python with clusters together and drawn by ``neato -n2`` (:mod:`.picture`); with an ``engine``, Graphviz lays
    out the whole graph itself (slow beyond a few hundred links: refused up front when it would not finish
    within ``timeout``)."""
    from .writers import dot_text

    if fmt not in ("svg", "png"):
        raise TopicgraphError(f"cannot render {fmt!r}: svg or png")
    if engine is None:
        from .backbone import DEFAULT_ALPHA
        from .picture import draw

        return draw(G, Path(path), fmt, color_by=color_by, seed=seed, timeout=timeout, dpi=dpi, title=title,
                    alpha=DEFAULT_ALPHA if alpha is None else alpha)
    exe = graphviz_binary(engine)
    guess = engine_seconds(G.number_of_nodes(), G.number_of_edges())
    if guess > timeout:
        raise TopicgraphError(f"Graphviz `{engine}` would take about {guess:.0f}s on {G.number_of_nodes()} nodes "
                              f"and {G.number_of_edges()} links, more than the {timeout:g}s allowed: leave out "
                              "--engine (the backbone, laid out in Python, takes seconds), or keep fewer nodes "
                              "(--top N, --min-weight W)")
    text = dot_text(G, color_by=color_by, render=True)
    if fmt == "png":
        text = text.replace("  graph [", f"  graph [dpi={int(dpi)}, bgcolor=white, ", 1)
    return run_graphviz(text, Path(path), [exe, f"-T{fmt}"], name=engine, timeout=timeout,
                        hint="export fewer nodes (--top N, --min-weight) or another --engine")


def engine_seconds(nodes: int, edges: int) -> float:
    """A rough time for a Graphviz engine laying out and routing splines without overlaps, from the counts:
    measured 9 s for the top 50 topics of a 10,000-record corpus (about 1,000 links) and over 300 s for all of
    them (13,852 links); the cost grows faster than the links.

    >>> engine_seconds(50, 1000) < 10 < 300 < engine_seconds(239, 13852)
    True
    """
    return 0.5 + 0.002 * nodes + 8.5 * (edges / 1000) ** 1.5


def render_svg(G: "nx.Graph", path: Path, **options: Any) -> list[Path]:
    """:func:`render` as ``svg``."""
    return render(G, path, "svg", **options)


def render_png(G: "nx.Graph", path: Path, **options: Any) -> list[Path]:
    """:func:`render` as ``png``."""
    return render(G, path, "png", **options)
