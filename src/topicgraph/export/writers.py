"""Data formats for graph tools: GraphML, GEXF 1.3 (Gephi), Cytoscape.js JSON, D3 node-link JSON, Graphviz DOT and
CSV node/edge tables (Gephi's and Neo4j's importers).

Every writer takes a graph already passed through :func:`clean_graph` (string ids, scalar attributes) and a path,
and writes through a temporary file, so a failure never leaves an empty or half-written file.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError
from ..vocab import XSI
from ._common import layout, node_colors, node_sizes, write_atomically

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["write_graphml", "write_gexf", "write_cytoscape", "write_d3", "write_dot", "write_csv",
           "cytoscape_elements", "GEXF_NS", "GEXF_VIZ_NS", "CSV_DIALECTS"]

GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ_NS = "http://gexf.net/1.3/viz"

CSV_DIALECTS = ("gephi", "neo4j")


_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _graphml_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def write_graphml(G: "nx.Graph", path: Path, **_: Any) -> list[Path]:
    """GraphML with one declared ``<key>`` per attribute and domain (ids ``g0``, ``n0``, ``e0``...; names in
    ``attr.name``), types ``boolean``/``long``/``double``/``string``, and booleans written ``true``/``false`` as
    XML Schema wants (networkx writes ``True``, and with ``named_key_ids`` gives a node and an edge attribute
    of the same name one duplicate key id)."""
    from xml.etree import ElementTree as ET

    ET.register_namespace("", _GRAPHML_NS)
    ET.register_namespace("xsi", XSI)
    q = lambda tag: f"{{{_GRAPHML_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("graphml"), {f"{{{XSI}}}schemaLocation":
                                     f"{_GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"})
    domains = {"graph": [G.graph], "node": [d for _, d in G.nodes(data=True)],
               "edge": [d for _, _, d in G.edges(data=True)]}
    keys: dict[str, dict[str, str]] = {}
    for domain, records in domains.items():
        keys[domain] = {}
        for i, name in enumerate(sorted({k for d in records for k in d})):
            kid = f"{domain[0]}{i}"
            keys[domain][name] = kid
            ET.SubElement(root, q("key"), {"id": kid, "for": domain, "attr.name": name,
                                           "attr.type": _graphml_type([d[name] for d in records if name in d])})

    def data(parent, domain: str, d: dict) -> None:
        for name, kid in keys[domain].items():
            if name in d:
                ET.SubElement(parent, q("data"), {"key": kid}).text = _gexf_value(d[name])

    graph = ET.SubElement(root, q("graph"), {"id": "G", "edgedefault": "directed" if G.is_directed() else "undirected"})
    data(graph, "graph", G.graph)
    for n, d in G.nodes(data=True):
        data(ET.SubElement(graph, q("node"), {"id": n}), "node", d)
    for i, (a, b, d) in enumerate(G.edges(data=True)):
        data(ET.SubElement(graph, q("edge"), {"id": f"e{i}", "source": a, "target": b}), "edge", d)
    ET.indent(root)
    tree = ET.ElementTree(root)
    write_atomically(path, lambda tmp: tree.write(tmp, encoding="UTF-8", xml_declaration=True))
    return [Path(path)]


def _gexf_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _gexf_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def write_gexf(G: "nx.Graph", path: Path, *, color_by: str | None = None, seed: int = 42, **_: Any) -> list[Path]:
    """GEXF 1.3 for Gephi: declared node and edge attributes, and ``viz`` colour, size and position per node.

    networkx's own writer is not used: it puts ``xsi:schemaLocation`` in a wrong namespace for 1.3 and, on a
    list-valued attribute, fails half-way leaving an empty file.
    """
    from xml.etree import ElementTree as ET

    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", GEXF_VIZ_NS)
    ET.register_namespace("xsi", XSI)
    q = lambda tag: f"{{{GEXF_NS}}}{tag}"  # noqa: E731
    v = lambda tag: f"{{{GEXF_VIZ_NS}}}{tag}"  # noqa: E731

    root = ET.Element(q("gexf"), {"version": "1.3", f"{{{XSI}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = ET.SubElement(root, q("meta"))
    ET.SubElement(meta, q("creator")).text = "topicgraph"
    desc = G.graph.get("description") or G.graph.get("name")
    if desc:
        ET.SubElement(meta, q("description")).text = str(desc)
    graph = ET.SubElement(root, q("graph"), {"defaultedgetype": "directed" if G.is_directed() else "undirected",
                                              "mode": "static"})

    def declare(cls: str, records: list[dict], skip: set[str]) -> dict[str, str]:
        names = sorted({k for d in records for k in d} - skip)
        ids = {}
        if names:
            attrs = ET.SubElement(graph, q("attributes"), {"class": cls, "mode": "static"})
            for i, name in enumerate(names):
                ids[name] = str(i)
                ET.SubElement(attrs, q("attribute"), {"id": str(i), "title": name,
                                                     "type": _gexf_type([d[name] for d in records if name in d])})
        return ids

    node_ids = declare("node", [d for _, d in G.nodes(data=True)], {"label"})
    edge_ids = declare("edge", [d for _, _, d in G.edges(data=True)], {"weight"})

    colors, _legend = node_colors(G, color_by)
    sizes = node_sizes(G)
    pos = layout(G, seed=seed)
    nodes = ET.SubElement(graph, q("nodes"))
    for n, d in G.nodes(data=True):
        el = ET.SubElement(nodes, q("node"), {"id": n, "label": d.get("label", n)})
        if node_ids:
            vals = ET.SubElement(el, q("attvalues"))
            for name, i in node_ids.items():
                if name in d:
                    ET.SubElement(vals, q("attvalue"), {"for": i, "value": _gexf_value(d[name])})
        c = colors[n]
        ET.SubElement(el, v("color"), {"r": str(int(c[1:3], 16)), "g": str(int(c[3:5], 16)),
                                       "b": str(int(c[5:7], 16)), "a": "1.0"})
        ET.SubElement(el, v("size"), {"value": str(sizes[n])})
        x, y = pos[n]
        ET.SubElement(el, v("position"), {"x": str(x), "y": str(y), "z": "0.0"})
    edges = ET.SubElement(graph, q("edges"))
    for i, (a, b, d) in enumerate(G.edges(data=True)):
        attrs = {"id": str(i), "source": a, "target": b}
        if isinstance(d.get("weight"), (int, float)) and not isinstance(d.get("weight"), bool):
            attrs["weight"] = str(float(d["weight"]))
        el = ET.SubElement(edges, q("edge"), attrs)
        if edge_ids:
            vals = ET.SubElement(el, q("attvalues"))
            for name, j in edge_ids.items():
                if name in d:
                    ET.SubElement(vals, q("attvalue"), {"for": j, "value": _gexf_value(d[name])})
    ET.indent(root)
    tree = ET.ElementTree(root)
    write_atomically(path, lambda tmp: tree.write(tmp, encoding="UTF-8", xml_declaration=True))
    return [Path(path)]


def cytoscape_elements(G: "nx.Graph", *, seed: int = 42, positions: bool = True) -> dict[str, list[dict]]:
    """Cytoscape.js elements: ``{"nodes": [{"data": {"id", "name", ...}, "position"}], "edges": [...]}``.
    ``name`` (the label) and ``interaction`` (the edge kind) are what Cytoscape desktop shows by default."""
    pos = layout(G, seed=seed) if positions else {}
    nodes = []
    for n, d in G.nodes(data=True):
        data = {k: val for k, val in d.items() if k not in ("id", "source", "target")}
        data.update(id=n, name=d.get("label", n))
        el: dict[str, Any] = {"data": data}
        if n in pos:
            el["position"] = {"x": pos[n][0], "y": -pos[n][1]}  # screen y grows downwards
        nodes.append(el)
    edges = []
    for i, (a, b, d) in enumerate(G.edges(data=True)):
        data = {k: val for k, val in d.items() if k not in ("id", "source", "target")}
        data.update(id=f"e{i}", source=a, target=b)
        if "kind" in d:
            data["interaction"] = d["kind"]
        edges.append({"data": data})
    return {"nodes": nodes, "edges": edges}


def write_cytoscape(G: "nx.Graph", path: Path, *, seed: int = 42, **_: Any) -> list[Path]:
    """Cytoscape.js JSON (``cytoscape({elements: doc.elements})``), also what Cytoscape desktop imports as
    ``.cyjs``: graph attributes in ``data``, node positions from the seeded layout."""
    doc = {"format_version": "1.0", "generated_by": "topicgraph", "target_cytoscapejs_version": "~3.34",
           "data": dict(G.graph), "directed": G.is_directed(), "elements": cytoscape_elements(G, seed=seed)}
    _write_json(path, doc)
    return [Path(path)]


def write_d3(G: "nx.Graph", path: Path, **_: Any) -> list[Path]:
    """D3 node-link JSON: ``{"nodes": [{"id", ...}], "links": [{"source", "target", ...}]}`` (``links``, as
    d3-force expects, not networkx's default ``edges``)."""
    import networkx as nx

    _write_json(path, nx.node_link_data(G, edges="links"))
    return [Path(path)]


def _write_json(path: Path, doc: Any) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1, allow_nan=False)
            fh.write("\n")

    write_atomically(path, write)


def dot_quote(s: str) -> str:
    r"""A DOT quoted string. Graphviz's scanner reads ``\\`` as one unit and ``\"`` as a quote, so doubling every
    backslash before escaping quotes keeps any text inside its quotes (ids with ``:``, quotes, trailing ``\``).

    >>> print(dot_quote('Medigy:Telehealth'), dot_quote('say "hi"'), dot_quote('a\\'))
    "Medigy:Telehealth" "say \"hi\"" "a\\"
    """
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\r", "\n") + '"'


def _dot_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return dot_quote(repr(v))  # DOT numerals have no exponent: 1e-07 would not parse unquoted
    return dot_quote(str(v))


def _dot_label(s: str) -> str:
    # labels are escString: \\ shows one backslash, \n a line break; \N, \G etc. must not be interpreted
    return dot_quote(s.replace("\n", " "))


def write_dot(G: "nx.Graph", path: Path, *, color_by: str | None = None, render: bool = False,
              **_: Any) -> list[Path]:
    """Graphviz DOT written by hand: every id quoted (``Medigy:Telehealth`` stays one node, where pydot would read
    ``Medigy`` port ``Telehealth``), every attribute kept, nodes filled with their colour and sized by articles.

    With ``render=True`` the data ``weight`` is left out (a PMI weight can be negative, which layouts refuse) and
    edge widths show it instead.
    """
    path = Path(path)
    text = dot_text(G, color_by=color_by, render=render)
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return [path]


def dot_text(G: "nx.Graph", *, color_by: str | None = None, render: bool = False) -> str:
    colors, _legend = node_colors(G, color_by)
    sizes = node_sizes(G, smallest=0.25, largest=1.2)
    directed = G.is_directed()
    name = str(G.graph.get("name") or "topicgraph")
    lines = [f"{'digraph' if directed else 'graph'} {dot_quote(name)} {{"]
    lines.append('  graph [overlap=false, splines=true, outputorder=edgesfirst, fontname="Helvetica"];')
    lines.append('  node [shape=circle, style=filled, fixedsize=false, color="#555555", fontname="Helvetica", '
                 'fontsize=10, margin=0.02];')
    lines.append('  edge [color="#99999988"];')
    for key, val in sorted(G.graph.items()):
        if key != "name" and not render:
            lines.append(f"  // {key}: {str(val).replace(chr(10), ' ')}")
    if render:  # small fixed discs with the label beside them, so a long title does not blow a node up
        lines.append('  graph [forcelabels=true];')
        lines.append('  node [fixedsize=true, label=""];')
    for n, d in G.nodes(data=True):
        label = str(d.get("label", n))
        parts = [f"fillcolor={dot_quote(colors[n])}", f"width={sizes[n]}"]
        if render:
            short = label if len(label) <= 40 else label[:39].rstrip() + "\u2026"
            parts += [f"xlabel={_dot_label(short)}", f"tooltip={_dot_label(label)}"]
        else:
            parts.insert(0, f"label={_dot_label(label)}")
            parts += [f"{dot_quote(k)}={_dot_value(val)}" for k, val in d.items() if k != "label"]
        lines.append(f"  {dot_quote(n)} [{', '.join(parts)}];")
    weights = [d["weight"] for _, _, d in G.edges(data=True)
               if isinstance(d.get("weight"), (int, float)) and not isinstance(d.get("weight"), bool)]
    wmax = max((abs(w) for w in weights), default=0) or 1
    arrow = "->" if directed else "--"
    for a, b, d in G.edges(data=True):
        parts = []
        w = d.get("weight")
        if isinstance(w, (int, float)) and not isinstance(w, bool):
            parts.append(f"penwidth={round(0.5 + 3.5 * abs(w) / wmax, 2)}")
        for k, val in d.items():
            if render and k == "weight":
                continue
            parts.append(f"{dot_quote(k)}={_dot_value(val)}")
        suffix = f" [{', '.join(parts)}]" if parts else ""
        lines.append(f"  {dot_quote(a)} {arrow} {dot_quote(b)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _csv_paths(path: Path) -> tuple[Path, Path]:
    path = Path(path)
    if path.is_dir():
        return path / "nodes.csv", path / "edges.csv"
    stem = path.name[:-4] if path.name.lower().endswith(".csv") else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


_NEO4J_TYPES = {bool: "boolean", int: "long", float: "double"}


def _neo4j_type(values: list[Any]) -> str:
    kinds = {type(v) for v in values}
    if len(kinds) == 1 and next(iter(kinds)) in _NEO4J_TYPES:
        return ":" + _NEO4J_TYPES[next(iter(kinds))]
    return ""


def _csv_cell(v: Any) -> Any:
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def write_csv(G: "nx.Graph", path: Path, *, csv_dialect: str = "gephi", **_: Any) -> list[Path]:
    """Two files beside ``path``: ``NAME-nodes.csv`` and ``NAME-edges.csv`` (or ``nodes.csv`` and ``edges.csv``
    when ``path`` is a folder).

    ``gephi`` (default): ``Id,Label,...`` and ``Source,Target,Type,Weight,...``, what Gephi's spreadsheet importer
    recognises (and Neo4j's ``LOAD CSV WITH HEADERS`` reads as is). ``neo4j``: the headers of ``neo4j-admin
    database import``: ``id:ID,label,...,:LABEL`` and ``:START_ID,:END_ID,:TYPE,weight:double,...``.
    """
    if csv_dialect not in CSV_DIALECTS:
        raise TopicgraphError(f"unknown CSV dialect {csv_dialect!r}: choose from {', '.join(CSV_DIALECTS)}")
    nodes_path, edges_path = _csv_paths(path)
    node_keys = sorted({k for _, d in G.nodes(data=True) for k in d} - {"label"})
    edge_keys = sorted({k for _, _, d in G.edges(data=True) for k in d} - {"weight"})
    has_weight = any("weight" in d for _, _, d in G.edges(data=True))
    edge_type = "Directed" if G.is_directed() else "Undirected"

    if csv_dialect == "gephi":
        node_header = ["Id", "Label", *node_keys]
        node_rows = [[n, d.get("label", n), *(_csv_cell(d.get(k, "")) for k in node_keys)]
                     for n, d in G.nodes(data=True)]
        edge_header = ["Source", "Target", "Type", *(["Weight"] if has_weight else []), *edge_keys]
        edge_rows = [[a, b, edge_type, *([_csv_cell(d.get("weight", ""))] if has_weight else []),
                      *(_csv_cell(d.get(k, "")) for k in edge_keys)] for a, b, d in G.edges(data=True)]
    else:
        def typed(keys, records):
            return [k + _neo4j_type([d[k] for d in records if k in d]) for k in keys]

        nrec = [d for _, d in G.nodes(data=True)]
        erec = [d for _, _, d in G.edges(data=True)]
        node_header = ["id:ID", "label", *typed(node_keys, nrec), ":LABEL"]
        node_rows = [[n, d.get("label", n), *(_csv_cell(d.get(k, "")) for k in node_keys),
                      _neo4j_label(d.get("kind"))] for n, d in G.nodes(data=True)]
        edge_header = [":START_ID", ":END_ID", ":TYPE", *(typed(["weight"], erec) if has_weight else []),
                       *typed(edge_keys, erec)]
        edge_rows = [[a, b, _neo4j_rel(d.get("kind")), *([_csv_cell(d.get("weight", ""))] if has_weight else []),
                      *(_csv_cell(d.get(k, "")) for k in edge_keys)] for a, b, d in G.edges(data=True)]

    def table(header, rows):
        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(header)
                w.writerows(rows)
        return write

    write_atomically(nodes_path, table(node_header, node_rows))
    write_atomically(edges_path, table(edge_header, edge_rows))
    return [nodes_path, edges_path]


def _neo4j_label(kind: Any) -> str:
    """``topic`` -> ``Topic`` (Neo4j labels are CamelCase by convention)."""
    text = "".join(part.capitalize() for part in str(kind or "node").replace("_", "-").split("-"))
    return text or "Node"


def _neo4j_rel(kind: Any) -> str:
    """``co-occurrence`` -> ``CO_OCCURRENCE`` (relationship types are UPPER_SNAKE by convention)."""
    return str(kind or "related").replace("-", "_").replace(" ", "_").upper()
