"""SKOS taxonomies: one concept scheme per vendor, loaded for look-ups, checks and tagging."""

from __future__ import annotations

from .index import ConceptInfo, Taxonomy, load_taxonomy, taxonomy_files, taxonomy_from_triples

__all__ = ["Taxonomy", "ConceptInfo", "load_taxonomy", "taxonomy_files", "taxonomy_from_triples"]
