"""Crosswalks and hierarchy learned from co-tagging, as SSSOM mapping sets that curators review.

:func:`suggest_crosswalks` scores every pair of concepts from different vendors by how curators co-tag them and
suggests ``skos:exactMatch``/``closeMatch``/``broadMatch``/``narrowMatch``/``relatedMatch``;
:func:`suggest_broader` suggests ``skos:broader`` links inside one scheme (Sanderson & Croft subsumption);
:func:`write_sssom` writes either as an SSSOM TSV; :func:`accept` and :func:`reject` close the review loop;
:mod:`.evaluate` measures the suggestions; :func:`stored_taxonomy` reads the taxonomy a build used from its store. The input is the article × topic incidence of a build
(:func:`topicgraph.analysis.load_incidence`), passed in by the caller. docs/crosswalks.md explains the measures.
"""

from __future__ import annotations

from .curation import (INVERSE, NEGATIVES_NAME, Outcome, accept, examples, load_negatives, negatives_path, reject,
                       review_order)
from .evaluate import AtK, leave_one_out, planted_truth, precision_recall
from .links import TaxonomyLinks, links_from_triples, taxonomy_links
from .sssom import EVIDENCE_COLUMNS, MappingTable, read_sssom, write_sssom
from .stored import build_taxonomy_folder, recorded_taxonomy_folder, stored_taxonomy
from .suggest import CoTagging, Settings, Suggestion, record_id, suggest_broader, suggest_crosswalks

__all__ = ["suggest_crosswalks", "suggest_broader", "Settings", "Suggestion", "CoTagging", "record_id",
           "write_sssom", "read_sssom", "MappingTable", "EVIDENCE_COLUMNS", "accept", "reject", "review_order",
           "examples", "load_negatives", "negatives_path", "NEGATIVES_NAME", "INVERSE", "Outcome",
           "TaxonomyLinks", "taxonomy_links", "links_from_triples", "stored_taxonomy", "build_taxonomy_folder",
           "recorded_taxonomy_folder", "AtK", "planted_truth", "precision_recall", "leave_one_out"]
