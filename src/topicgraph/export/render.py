"""Static pictures (SVG, PNG) of a graph for reports, laid out and drawn by Graphviz (``sfdp`` by default)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError
from ._common import write_atomically

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["render", "render_svg", "render_png", "ENGINES", "graphviz_binary"]

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
           timeout: float = 300, dpi: int = 96, **_: Any) -> list[Path]:
    """Draw ``G`` (already cleaned) to ``path`` as ``svg`` or ``png`` with Graphviz. ``engine`` defaults to
    ``neato`` for small graphs (tidier) and ``sfdp`` from 200 nodes on (scales)."""
    from .writers import dot_text

    if fmt not in ("svg", "png"):
        raise TopicgraphError(f"cannot render {fmt!r}: svg or png")
    engine = engine or ("neato" if G.number_of_nodes() < 200 else "sfdp")
    exe = graphviz_binary(engine)
    text = dot_text(G, color_by=color_by, render=True)
    if fmt == "png":
        text = text.replace("  graph [", f"  graph [dpi={int(dpi)}, bgcolor=white, ", 1)
    with tempfile.TemporaryDirectory(prefix="topicgraph-render-") as tmp:
        src = Path(tmp) / "graph.dot"
        src.write_text(text, encoding="utf-8")

        def write(out: Path) -> None:
            try:
                proc = subprocess.run([exe, f"-T{fmt}", "-o", str(out), str(src)], capture_output=True,
                                      timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                raise TopicgraphError(f"Graphviz `{engine}` took more than {timeout:.0f}s: export fewer nodes "
                                      "(--top N, --min-weight) or another --engine") from None
            if proc.returncode != 0 or out.stat().st_size == 0:
                msg = proc.stderr.decode("utf-8", "replace").strip()
                raise TopicgraphError(f"Graphviz `{engine}` failed (exit {proc.returncode}): {msg[:500]}")

        write_atomically(path, write)
    return [Path(path)]


def render_svg(G: "nx.Graph", path: Path, **options: Any) -> list[Path]:
    """:func:`render` as ``svg``."""
    return render(G, path, "svg", **options)


def render_png(G: "nx.Graph", path: Path, **options: Any) -> list[Path]:
    """:func:`render` as ``png``."""
    return render(G, path, "png", **options)
