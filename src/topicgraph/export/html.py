"""One self-contained HTML page with an interactive graph that reads at any size: the backbone first, clusters
together, labels that never overlap, an overview of clusters that opens into their topics, the local graph of one
topic, a minimum link weight and a time filter; search, hover for details, click to list a node's articles. It works offline: Cytoscape.js (MIT, shipped in
``assets/``) and the data are inlined, and its Content-Security-Policy lets nothing load from anywhere.

Record text is never markup: the data is embedded as JSON with ``<``, ``>``, ``&`` and U+2028/9 escaped, the page
script inserts every text with ``textContent``, and the policy allows only the page's own scripts (by hash), so
even a title such as ``<script>...</script>`` that slipped through could not run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import (COLOR_BY, default_color_by, json_for_script, node_colors, node_sizes, short_label, vendor_index,
                      write_atomically)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["write_html", "page_html", "LIBRARY", "MAX_EDGES", "SHAPES"]

#: The inlined drawing library (file in ``topicgraph/export/assets/``); see ``assets/README.md``.
LIBRARY = "cytoscape.min.js"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


#: Most links embedded in a page: past this, the backbone and then the heaviest other links (a browser draws a few
#: tens of thousands of links smoothly, not millions).
MAX_EDGES = 30000

#: Cytoscape node shapes that tell vendors apart, in the order of :data:`topicgraph.export.picture.SHAPES`.
SHAPES = ("ellipse", "round-rectangle", "diamond", "triangle", "hexagon", "pentagon", "octagon", "vee")


def page_html(G: "nx.Graph", *, articles: dict | None = None, title: str | None = None,
              color_by: str | None = None, seed: int = 42, alpha: float | None = None) -> str:
    """The page for ``G`` (already cleaned) as a string. Its first view draws the backbone of ``G`` (see
    :func:`topicgraph.export.picture.thin`; ``alpha`` its significance), the other links come with the slider."""
    from ..version import __version__
    from .backbone import DEFAULT_ALPHA
    from .picture import thin
    from .writers import cytoscape_elements

    alpha = DEFAULT_ALPHA if alpha is None else alpha
    H = thin(G, alpha=alpha)
    backbone = {frozenset(e) for e in H.edges()}
    elements = cytoscape_elements(G, seed=seed)
    if len(elements["edges"]) > MAX_EDGES:
        def heavy(e: dict) -> tuple:
            w = e["data"].get("weight")
            w = abs(w) if isinstance(w, (int, float)) and not isinstance(w, bool) else 0
            return (frozenset((e["data"]["source"], e["data"]["target"])) not in backbone, -w)
        elements["edges"] = sorted(elements["edges"], key=heavy)[:MAX_EDGES]
    sizes = node_sizes(G, smallest=12, largest=60)
    shapes = vendor_index(G)
    for node in elements["nodes"]:
        d = node["data"]
        d["_size"] = sizes[d["id"]]
        d["_label"] = short_label(d)
        d["_shape"] = SHAPES[shapes[str(d["vendor"])] % len(SHAPES)] if str(d.get("vendor", "")) in shapes \
            else "ellipse"
        d["_iso"] = 1 if G.degree(d["id"]) == 0 else 0
    weights = [abs(e["data"]["weight"]) for e in elements["edges"]
               if isinstance(e["data"].get("weight"), (int, float)) and not isinstance(e["data"].get("weight"), bool)]
    wmax = max(weights, default=0) or 1
    for edge in elements["edges"]:
        w = edge["data"].get("weight")
        ok = isinstance(w, (int, float)) and not isinstance(w, bool)
        edge["data"]["_width"] = round(1 + 5 * abs(w) / wmax, 2) if ok else 1
        edge["data"]["_bb"] = 1 if frozenset((edge["data"]["source"], edge["data"]["target"])) in backbone else 0
    colors = {}
    for scheme in COLOR_BY:
        if scheme == "kind" or any(d.get(scheme) not in (None, "") for _, d in G.nodes(data=True)):
            colors[scheme] = node_colors(G, scheme)[1]
    chosen = color_by if color_by in colors else default_color_by(G)
    name = str(G.graph.get("name") or "graph")
    title = title or (name if name.startswith("topicgraph") else f"topicgraph: {name}")
    meta = {"title": title, "colorBy": chosen, "clusters": G.graph.get("clusters", ""),
            "graph": G.graph.get("graph", ""), "weight": G.graph.get("weight", ""),
            "alpha": alpha if H is not G else None, "edgesTotal": G.number_of_edges(),
            "shapes": {v: SHAPES[i % len(SHAPES)] for v, i in shapes.items()}}
    if not isinstance(articles, dict) or not isinstance(articles.get("by_node"), dict):
        articles = None
    data = {"meta": meta, "elements": elements, "colors": colors, "articles": _compact(articles, G)}

    library, script = _asset(LIBRARY), _asset("page.js")
    for code in (library, script):  # an inlined script must not be able to close its own element
        if re.search(r"</script|<!--", code, re.IGNORECASE):
            raise RuntimeError("an inlined script contains </script or <!--")
    csp = ("default-src 'none'; " f"script-src {_quote(_sha256(library))} {_quote(_sha256(script))}; "
           "style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'")
    parts = {"CSP": csp, "VERSION": html.escape(__version__), "TITLE": html.escape(title), "CSS": _asset("page.css"),
             "DATA": json_for_script(data), "LIBRARY": library, "SCRIPT": script}
    # one pass over the template: a marker inside the inserted data or code is never expanded
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))


def _quote(source: str) -> str:
    return f"'{source}'"


def _compact(articles: dict | None, G: "nx.Graph") -> dict | None:
    """Only the article rows that the graph's nodes list, renumbered."""
    if articles is None:
        return None
    table = articles.get("table", [])
    by_node = {n: rows for n, rows in articles["by_node"].items() if str(n) in G}
    used = sorted({i for rows in by_node.values() for i in rows if 0 <= i < len(table)})
    new = {old: i for i, old in enumerate(used)}
    return {"table": [[str(x) for x in table[i]] for i in used],
            "by_node": {str(n): [new[i] for i in rows if i in new] for n, rows in by_node.items()},
            "total": {str(n): int(c) for n, c in articles.get("total", {}).items() if str(n) in G},
            "months": {str(n): m for n, m in articles.get("months", {}).items() if str(n) in G},
            "clusters": dict(articles.get("clusters", {}))}


def write_html(G: "nx.Graph", path: Path, *, articles: dict | None = None, title: str | None = None,
               color_by: str | None = None, seed: int = 42, alpha: float | None = None, **_: Any) -> list[Path]:
    """Write :func:`page_html` to ``path``."""
    text = page_html(G, articles=articles, title=title, color_by=color_by, seed=seed, alpha=alpha)
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return [Path(path)]
