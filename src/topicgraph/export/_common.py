"""What every writer shares: scalar-only copies of a graph, colours, sizes, a seeded layout and atomic writes."""

from __future__ import annotations

import colorsys
import json
import math
import numbers
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import TopicgraphError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["clean_graph", "palette", "node_colors", "node_sizes", "layout", "layout_weight", "write_atomically",
           "ARTICLES_KEY", "COLOR_BY", "default_color_by", "json_for_script", "short_label", "vendor_index"]

#: ``G.graph[ARTICLES_KEY]``: the articles behind each node, for the HTML page (never written to the data formats,
#: which keep only scalar graph attributes): ``{"table": [[id, title, url, date], ...], "by_node": {node: [row, ...]},
#: "total": {node: n}, "months": {node: {"YYYY-MM": n}}}``.
ARTICLES_KEY = "topicgraph_articles"

#: How nodes can be coloured.
COLOR_BY = ("cluster", "vendor", "kind")

#: Tableau 10 (as in d3.schemeTableau10): distinct, colour-blind-friendlier than most, readable on white.
_BASE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
         "#bab0ac"]
_KIND_COLORS = {"topic": "#4e79a7", "article": "#bab0ac", "author": "#59a14f", "brand": "#f28e2b",
                "cluster": "#b07aa1"}
_NONE = "#cccccc"

_RESERVED = {"id": "id_"}  # an attribute named like a format's own field would shadow it


def palette(n: int) -> list[str]:
    """``n`` distinct colours: Tableau 10, then hues spaced by the golden angle.

    >>> palette(2)
    ['#4e79a7', '#f28e2b']
    >>> len(set(palette(40)))
    40
    """
    colors = _BASE[:n]
    i = 0
    while len(colors) < n:
        h = (0.11 + i * 0.618033988749895) % 1.0
        r, g, b = colorsys.hls_to_rgb(h, 0.45 + 0.15 * (i % 2), 0.55)
        c = "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))
        if c not in colors:
            colors.append(c)
        i += 1
    return colors


def _scalar(value: Any) -> Any:
    """A value every format can hold: str, int, float or bool; lists flattened to "a; b"; None and NaN dropped."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "; ".join(str(v) for v in items if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return str(value)


def _unify(records: list[dict]) -> None:
    """Give each attribute one type across all nodes (or edges), so GraphML and GEXF can declare it once."""
    types: dict[str, set[type]] = {}
    for rec in records:
        for k, v in rec.items():
            types.setdefault(k, set()).add(type(v))
    for k, ts in types.items():
        if len(ts) == 1:
            continue
        if ts <= {int, float}:
            conv: Callable[[Any], Any] = float
        else:
            conv = lambda v: str(v).lower() if isinstance(v, bool) else str(v)  # noqa: E731
        for rec in records:
            if k in rec:
                rec[k] = conv(rec[k])


def clean_graph(G: "nx.Graph") -> "nx.Graph":
    """A copy of ``G`` that every writer accepts: string node ids, scalar attributes of one type each, ``label``
    on every node, only scalar graph attributes.

    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_node(1, tags=["a", "b"], score=float("nan")); G.add_node("x", n=2); G.add_node(3, n=2.5)
    >>> H = clean_graph(G)
    >>> sorted(H.nodes(data=True))
    [('1', {'tags': 'a; b', 'label': '1'}), ('3', {'n': 2.5, 'label': '3'}), ('x', {'n': 2.0, 'label': 'x'})]
    """
    import networkx as nx

    if G.is_multigraph():
        raise TopicgraphError("multigraphs cannot be exported: merge parallel edges first (nx.Graph(G))")
    H = nx.DiGraph() if G.is_directed() else nx.Graph()
    ids: dict[Any, str] = {}
    seen: dict[str, Any] = {}
    for n in G.nodes:
        s = str(n)
        if s in seen and seen[s] != n:
            raise TopicgraphError(f"two nodes have the same id once written as text: {seen[s]!r} and {n!r}")
        seen[s] = n
        ids[n] = s

    def attrs(data: dict) -> dict:
        out = {}
        for k, v in data.items():
            v = _scalar(v)
            if v is not None:
                out[_RESERVED.get(str(k), str(k))] = v
        return out

    nodes = [(ids[n], attrs(d)) for n, d in G.nodes(data=True)]
    edges = [(ids[u], ids[v], attrs(d)) for u, v, d in G.edges(data=True)]
    _unify([d for _, d in nodes])
    _unify([d for _, _, d in edges])
    for n, d in nodes:
        d.setdefault("label", n)
        if not isinstance(d["label"], str):
            d["label"] = str(d["label"])
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    for k, v in G.graph.items():
        if isinstance(v, (str, bool, numbers.Real)) and not isinstance(v, complex):
            v = _scalar(v)
            if v is not None:
                H.graph[str(k)] = v
    return H


def default_color_by(G: "nx.Graph") -> str:
    """``cluster`` when nodes carry clusters, else ``vendor`` when any does, else ``kind``."""
    for key in ("cluster", "vendor"):
        if any(d.get(key) not in (None, "") for _, d in G.nodes(data=True)):
            return key
    return "kind"


def node_colors(G: "nx.Graph", by: str | None = None) -> tuple[dict[Any, str], dict[str, str]]:
    """Colour of each node and the legend (value -> colour), colouring by ``cluster``, ``vendor`` or ``kind``.
    Values are sorted (clusters numerically), so the same value gets the same colour in every export."""
    by = by or default_color_by(G)
    if by not in COLOR_BY:
        raise TopicgraphError(f"cannot colour by {by!r}: choose from {', '.join(COLOR_BY)}")
    values = {n: d.get(by) for n, d in G.nodes(data=True)}
    distinct = sorted({v for v in values.values() if v not in (None, "")},
                      key=lambda v: (0, v, "") if isinstance(v, (int, float)) else (1, 0, str(v)))
    if by == "kind":
        extra = [v for v in distinct if v not in _KIND_COLORS]
        legend = {str(v): _KIND_COLORS.get(v, "") for v in distinct}
        for v, c in zip(extra, palette(len(_BASE) + len(extra))[len(_BASE):]):
            legend[str(v)] = c
    else:
        legend = {str(v): c for v, c in zip(distinct, palette(len(distinct)))}
    colors = {n: legend.get(str(v), _NONE) if v not in (None, "") else _NONE for n, v in values.items()}
    return colors, legend


def node_sizes(G: "nx.Graph", *, smallest: float = 10.0, largest: float = 50.0) -> dict[Any, float]:
    """Node sizes growing with the square root of ``articles`` (1 for an article, else the degree), so areas
    track counts."""
    raw = {}
    for n, d in G.nodes(data=True):
        v = d.get("articles")
        if d.get("kind") == "article":
            v = 1  # an article is one article: sized with the topics that count theirs, not by its degree
        raw[n] = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else float(G.degree(n))
    top = max(raw.values(), default=0.0)
    if top <= 0:
        return {n: smallest for n in raw}
    return {n: round(smallest + (largest - smallest) * math.sqrt(max(v, 0.0) / top), 2) for n, v in raw.items()}


def short_label(d: dict) -> str:
    """A node's label without its vendor prefix (``Medigy: Telehealth`` -> ``Telehealth``): the vendor is shown
    by the node's shape instead of repeated in every label.

    >>> short_label({"label": "Medigy: Telehealth", "vendor": "Medigy"}), short_label({"label": "x: y"})
    ('Telehealth', 'x: y')
    """
    label = str(d.get("label", ""))
    vendor = str(d.get("vendor") or "")
    if vendor and label.startswith(vendor + ": ") and len(label) > len(vendor) + 2:
        return label[len(vendor) + 2:]
    return label


def vendor_index(G: "nx.Graph") -> dict[str, int]:
    """Vendor -> its number (vendors sorted by name), which picks its shape in the pictures and the page."""
    vendors = sorted({str(d["vendor"]) for _, d in G.nodes(data=True) if d.get("vendor") not in (None, "")})
    return {v: i for i, v in enumerate(vendors)}


def layout(G: "nx.Graph", *, seed: int = 42) -> dict[Any, tuple[float, float]]:
    """Seeded positions (pixels): the same graph gets the same picture every time. When nodes carry clusters,
    :func:`topicgraph.export.layout.clustered_layout` keeps each cluster together. Otherwise force-directed:
    edges pull by their co-occurrence ``count`` (or a non-negative ``weight``); PMI can be negative, so it never
    drives the layout. From 500 nodes on, Graphviz's ``sfdp`` lays the graph out when it is installed (seconds
    where networkx takes minutes), else networkx's spring layout."""
    import networkx as nx

    if G.number_of_nodes() == 0:
        return {}
    if any(d.get("cluster") not in (None, "") for _, d in G.nodes(data=True)) and len(G) < 5000:
        from .layout import clustered_layout

        return clustered_layout(G, seed=seed, weight=layout_weight(G))
    pos = _sfdp_layout(G, seed=seed) if len(G) >= 500 else None
    if pos is None:
        weight = layout_weight(G)
        k = None if G.number_of_nodes() > 2 else 1.0
        pos = nx.spring_layout(G, seed=seed, weight=weight, k=k, iterations=100 if len(G) < 500 else 50,
                               method="force")
    scale = 150 + 60 * math.sqrt(len(G))  # room for ~60 px nodes and their labels, whatever the node count
    return {n: (round(float(x) * scale, 2), round(float(y) * scale, 2)) for n, (x, y) in pos.items()}


def _sfdp_layout(G: "nx.Graph", *, seed: int) -> dict[Any, tuple[float, float]] | None:
    """Positions from Graphviz ``sfdp`` scaled into [-1, 1], or None when it is missing or fails."""
    import shutil
    import subprocess

    exe = shutil.which("sfdp")
    if exe is None:
        return None
    index = {n: i for i, n in enumerate(G)}  # plain ids: no quoting question between us and Graphviz
    lines = [f"graph {{ graph [start={int(seed)}, overlap=prism]; node [shape=point, width=0.1];"]
    lines += [f"n{i};" for i in range(len(index))]
    lines += [f"n{index[a]} -- n{index[b]};" for a, b in G.edges()]
    lines.append("}")
    try:
        proc = subprocess.run([exe, "-Tjson0"], input="\n".join(lines).encode("ascii"), capture_output=True,
                              timeout=600, check=True)
        objects = json.loads(proc.stdout)["objects"]
        xy = {int(o["name"][1:]): tuple(float(v) for v in o["pos"].split(",")[:2]) for o in objects}
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        return None
    if len(xy) != len(index):
        return None
    xs, ys = [p[0] for p in xy.values()], [p[1] for p in xy.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    nodes = list(index)
    return {nodes[i]: ((x - cx) / half, (y - cy) / half) for i, (x, y) in xy.items()}


def layout_weight(G: "nx.Graph") -> str | None:
    """The edge attribute that may pull nodes together (layout, PageRank): ``count`` when every edge has a
    non-negative one, else ``weight`` on the same terms, else None (unweighted)."""
    edges = list(G.edges(data=True))
    for key in ("count", "weight"):
        vals = [d.get(key) for _, _, d in edges]
        if vals and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in vals):
            return key
    return None


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file beside ``path`` and rename it over: a failed writer (networkx leaves a
    half-written file on a bad attribute) never leaves a broken or empty file behind."""
    from ..store import atomic_write

    path = Path(path)
    if path.parent and not path.parent.exists():
        raise TopicgraphError(f"cannot write {path}: folder {path.parent}/ does not exist")
    atomic_write(path, lambda tmp: write(Path(tmp)))
    return path


_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(data: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element: no ``<``, ``>``, ``&`` or U+2028/9 survives, so
    a record's ``</script><script>...`` stays text.

    >>> json_for_script({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in _JS_ESCAPES.items():
        text = text.replace(ch, esc)
    return text


def run_graphviz(text: str, path: Path, args: list[str], *, name: str, timeout: float, hint: str) -> list[Path]:
    """Draw the DOT ``text`` into ``path`` with the Graphviz command ``args`` (``-o`` and the input are added),
    atomically; past ``timeout`` seconds, or when Graphviz fails, a :class:`TopicgraphError` naming ``name``
    (``hint`` says what to do about a timeout)."""
    with tempfile.TemporaryDirectory(prefix="topicgraph-graphviz-") as tmp:
        src = Path(tmp) / "graph.dot"
        src.write_text(text, encoding="utf-8")

        def write(out: Path) -> None:
            try:
                proc = subprocess.run([*args, "-o", str(out), str(src)], capture_output=True, timeout=timeout,
                                      check=False)
            except subprocess.TimeoutExpired:
                raise TopicgraphError(f"Graphviz `{name}` took more than {timeout:g}s: {hint}") from None
            if proc.returncode != 0 or out.stat().st_size == 0:
                msg = proc.stderr.decode("utf-8", "replace").strip()
                raise TopicgraphError(f"Graphviz `{name}` failed (exit {proc.returncode}): {msg[:500]}")

        write_atomically(path, write)
    return [Path(path)]
