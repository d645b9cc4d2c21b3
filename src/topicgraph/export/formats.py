"""The export formats, in one table: each format's writer, file name endings, the options it honours and what it is.

Importing this module loads no writer (and no heavy library), so the command line can build its choices, its
extension checks and its refusals of ignored options from the table and still start instantly.

>>> EXPORT_FORMATS["cytoscape"].extension, sorted(formats_honouring("engine"))
('cyjs', ['png', 'svg'])
>>> format_for_suffix(".GV")
'dot'
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["ExportFormat", "EXPORT_FORMATS", "STRICT_OPTIONS", "format_for_suffix", "formats_honouring"]


@dataclass(frozen=True)
class ExportFormat:
    """One ``--format``: ``writer`` is ``"module:function"`` in this package, called as ``function(G, path,
    **options)`` on a cleaned graph; ``options`` are those it reads; ``suffixes`` are the file name endings
    that mean this format (the first is its usual one), ``accepts`` endings it may be written under without a
    warning (JSON formats share ``.json``)."""

    name: str
    description: str
    writer: str
    suffixes: tuple[str, ...]
    options: frozenset[str] = frozenset()
    accepts: tuple[str, ...] = ()

    @property
    def extension(self) -> str:
        """The usual file extension, without the dot."""
        return self.suffixes[0][1:]

    def load(self) -> Callable[..., list[Path]]:
        module, _, function = self.writer.partition(":")
        return getattr(import_module(module, __package__), function)

    def write(self, G: "nx.Graph", path: Path, **options: Any) -> list[Path]:
        """Write the cleaned graph ``G``; every writer takes any option and ignores those it does not read."""
        return self.load()(G, path, **options)


def _formats(*formats: ExportFormat) -> dict[str, ExportFormat]:
    return {f.name: f for f in formats}


EXPORT_FORMATS: dict[str, ExportFormat] = _formats(
    ExportFormat("graphml", "GraphML (yEd, Gephi, igraph, networkx)", ".writers:write_graphml", (".graphml",)),
    ExportFormat("gexf", "GEXF 1.3 with colours, sizes and positions (Gephi)", ".writers:write_gexf", (".gexf",),
                 frozenset({"color_by", "seed"})),
    ExportFormat("cytoscape", "Cytoscape.js JSON (also Cytoscape desktop, .cyjs)", ".writers:write_cytoscape",
                 (".cyjs",), frozenset({"seed"}), accepts=(".json",)),
    ExportFormat("d3", "D3 node-link JSON (nodes + links)", ".writers:write_d3", (".json",), accepts=(".cyjs",)),
    ExportFormat("dot", "Graphviz DOT", ".writers:write_dot", (".dot", ".gv"), frozenset({"color_by", "render"})),
    ExportFormat("csv", "CSV nodes and edges tables (Gephi, Neo4j)", ".writers:write_csv", (".csv",),
                 frozenset({"csv_dialect"})),
    ExportFormat("html", "one self-contained interactive page (Cytoscape.js inlined)", ".html:write_html",
                 (".html", ".htm"), frozenset({"color_by", "seed", "title", "articles", "alpha"})),
    ExportFormat("svg", "a picture rendered by Graphviz", ".render:render_svg", (".svg",),
                 frozenset({"color_by", "engine", "timeout", "dpi", "seed", "alpha", "title"})),
    ExportFormat("png", "a picture rendered by Graphviz", ".render:render_png", (".png",),
                 frozenset({"color_by", "engine", "timeout", "dpi", "seed", "alpha", "title"})),
)

#: Options that only some formats read, each with its command-line spelling: given with another format, the
#: command line refuses them rather than ignore them silently.
STRICT_OPTIONS: dict[str, str] = {"csv_dialect": "--csv-dialect", "engine": "--engine", "alpha": "--alpha",
                                   "timeout": "--timeout", "dpi": "--dpi"}


def formats_honouring(option: str) -> list[str]:
    """The formats that read ``option``, in table order."""
    return [f.name for f in EXPORT_FORMATS.values() if option in f.options]


def format_for_suffix(suffix: str) -> str | None:
    """The format a file name ending (``.gv``, ``.HTML``) stands for, or None."""
    suffix = suffix.lower()
    return next((f.name for f in EXPORT_FORMATS.values() if suffix in f.suffixes), None)
