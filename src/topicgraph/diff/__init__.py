"""``topicgraph diff``: what a change (two git revisions, two folders or two builds) does to the knowledge graph.

Each side is built with the builder (or brought up to date from a cached build of BASE with ``build --update``)
and compared on canonical N-Quads, layer by layer: records, statements per record graph, taxonomy, validate's
findings and the impact on counts, related items, clusters and named queries (:mod:`.layers`, :mod:`.impact`).
:mod:`.render` writes Markdown for a pull-request comment, JSON (``schema.json``), SARIF and text.
"""

from __future__ import annotations

from .render import FORMATS, MARKDOWN_LIMIT, render, schema
from .run import DiffReport, diff

__all__ = ["diff", "DiffReport", "render", "schema", "FORMATS", "MARKDOWN_LIMIT"]
