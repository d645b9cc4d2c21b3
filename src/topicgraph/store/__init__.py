"""The build folder and its embedded, on-disk graph store (pyoxigraph): layout, open and query, export, swap.

A rebuild writes a new store folder and then replaces the manifest in one atomic rename, so a reader never sees
a half-built graph (:mod:`.layout` names what a build folder holds, :mod:`.swap` replaces it).
"""

from __future__ import annotations

from .export import export_graph, rdf_format
from .graphstore import GraphStore, read_rows
from .layout import (CACHE_DIR, EXPORT_FORMATS, MANIFEST, REPORT, BuildLock, atomic_write, base_name,
                     clean_leftovers, clear_cache, export_name, new_store_name, read_cached_result, read_manifest,
                     work_folder, write_cached_result, write_manifest)
from .swap import COPY_ABOVE, derived_graph, replace_graph, swap_in
from .summary import Summary, ensure_summary, open_summary, write_summary

__all__ = ["GraphStore", "read_rows", "MANIFEST", "REPORT", "CACHE_DIR", "EXPORT_FORMATS", "BuildLock",
           "atomic_write", "export_graph", "export_name", "rdf_format", "read_manifest", "write_manifest",
           "clean_leftovers", "clear_cache", "new_store_name", "base_name", "work_folder", "swap_in", "replace_graph",
           "derived_graph", "COPY_ABOVE"]
__all__ += ["read_cached_result", "write_cached_result"]
__all__ += ["Summary", "ensure_summary", "open_summary", "write_summary"]
