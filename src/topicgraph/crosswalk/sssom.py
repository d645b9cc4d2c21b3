"""SSSOM mapping-set TSV: write suggestions (with their evidence as declared extension columns) and read them back.

The file is a YAML metadata block in ``#`` comment lines (``curie_map``, ``mapping_set_id``, ``license``,
``mapping_tool``, ``extension_definitions``) followed by a tab-separated table whose first columns are the SSSOM
core: ``record_id subject_id subject_label predicate_id object_id object_label mapping_justification confidence``.
Written by hand (PyYAML and ``csv``) so that topicgraph needs no SSSOM library at run time; tests check the files
with sssom-py.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from ..vocab import SKOS, TAX
from .suggest import Suggestion, record_id

__all__ = ["CORE_COLUMNS", "EVIDENCE_COLUMNS", "SEMAPV", "TGCW", "MappingTable", "write_sssom", "write_table",
           "read_sssom", "CurieMap"]

SEMAPV = "https://w3id.org/semapv/vocab/"
TGCW = "https://w3id.org/topicgraph/crosswalk/"
CORE_COLUMNS = ("record_id", "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                "mapping_justification", "confidence")
#: extension column -> (Suggestion attribute, what it holds); the order is the file's
EVIDENCE_COLUMNS: dict[str, tuple[str, str]] = {
    "shared_articles": ("shared_articles", "articles about both topics"),
    "subject_articles": ("subject_articles", "articles about the subject"),
    "object_articles": ("object_articles", "articles about the object"),
    "articles_total": ("articles_total", "articles in the build"),
    "p_object_given_subject": ("p_os", "P(object | subject) = shared / subject_articles"),
    "p_object_given_subject_low": ("p_os_low", "its 95% Wilson lower bound"),
    "p_object_given_subject_high": ("p_os_high", "its 95% Wilson upper bound"),
    "p_subject_given_object": ("p_so", "P(subject | object) = shared / object_articles"),
    "p_subject_given_object_low": ("p_so_low", "its 95% Wilson lower bound"),
    "p_subject_given_object_high": ("p_so_high", "its 95% Wilson upper bound"),
    "jaccard": ("jaccard", "shared / articles about either"),
    "npmi": ("npmi", "normalised pointwise mutual information, -1..1"),
    "p_value": ("p_value", "hypergeometric upper tail (Fisher's exact test, one-sided)"),
    "q_value": ("q_value", "Benjamini-Hochberg adjusted p-value over every pair tested"),
    "label_similarity": ("label_similarity", "best token Jaccard between the two topics' prefLabels and altLabels"),
    "context_articles": ("context_articles", "skos:broader rows: articles about the subject's associates, not it"),
    "p_object_given_context": ("p_context", "skos:broader rows: P(object | those articles)"),
    "p_object_given_context_high": ("p_context_high", "its 95% Wilson upper bound"),
}
_FLOAT_DIGITS = 4
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


class CurieMap:
    """Prefixes for the IRIs of a mapping set: one per vendor scheme under ``tax:`` (``medigy:``), plus SSSOM's."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {"skos": SKOS, "semapv": SEMAPV, "tgcw": TGCW}

    def curie(self, iri: str) -> str:
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and _NCNAME.match(iri[len(ns):].replace("%", "_")):
                return f"{prefix}:{iri[len(ns):]}"
        if iri.startswith(TAX):
            vendor, _, local = iri[len(TAX):].partition("/")
            prefix = vendor if _NCNAME.match(vendor) and vendor not in self.prefixes else None
            if prefix and local and _NCNAME.match(local.replace("%", "_")):
                self.prefixes[prefix] = f"{TAX}{vendor}/"
                return f"{prefix}:{local}"
        return iri

    def expand(self, curie: str) -> str:
        prefix, sep, local = curie.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return curie


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{_FLOAT_DIGITS}g}" if abs(value) < 1e-3 and value else f"{round(value, _FLOAT_DIGITS):g}"
    return str(value)


def write_sssom(path: str | Path, suggestions: Iterable[Suggestion], *, mapping_set_id: str,
                mapping_tool: str = "topicgraph crosswalk suggest", comment: str | None = None,
                extra_metadata: dict | None = None) -> Path:
    """Write the suggestions, in the order given, as an SSSOM TSV."""
    from ..version import __version__

    rows = list(suggestions)
    curies = CurieMap()
    table = []
    for s in rows:
        row = {"record_id": f"tgcw:{s.record_id}", "subject_id": curies.curie(s.subject),
               "subject_label": s.subject_label, "predicate_id": s.predicate, "object_id": curies.curie(s.object),
               "object_label": s.object_label, "mapping_justification": s.justification,
               "confidence": _fmt(s.confidence)}
        row.update({col: _fmt(getattr(s, attr)) for col, (attr, _) in EVIDENCE_COLUMNS.items()})
        row.update(s.extra)
        table.append(row)
    meta = {"curie_map": dict(sorted(curies.prefixes.items())), "mapping_set_id": mapping_set_id,
            "license": "https://creativecommons.org/publicdomain/zero/1.0/", "mapping_tool": mapping_tool,
            "mapping_tool_version": __version__}
    if comment:
        meta["comment"] = comment
    meta.update(extra_metadata or {})
    meta["extension_definitions"] = [
        {"slot_name": col, "property": f"{TGCW}{col}",
         "type_hint": "http://www.w3.org/2001/XMLSchema#" + ("integer" if col.endswith("articles") or
                                                               col == "articles_total" else "double")}
        for col in EVIDENCE_COLUMNS]
    return write_table(path, meta, table, list(CORE_COLUMNS) + list(EVIDENCE_COLUMNS))


def write_table(path: str | Path, metadata: dict, rows: list[dict[str, str]], columns: list[str]) -> Path:
    """Write an SSSOM TSV: ``metadata`` as the commented YAML block, then ``rows`` under ``columns`` (plus any
    other key a row has)."""
    columns = list(columns)
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    for line in yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=1000).splitlines():
        out.write(f"#{line}\n")
    writer = csv.DictWriter(out, columns, delimiter="\t", lineterminator="\n", extrasaction="ignore", restval="")
    writer.writeheader()
    writer.writerows(rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@dataclass
class MappingTable:
    """An SSSOM TSV read back: its metadata and its rows (column -> text), IRIs expanded in ``subject``/``object``."""

    metadata: dict
    rows: list[dict[str, str]]
    curies: CurieMap

    def find(self, ids: Iterable[str]) -> list[dict[str, str]]:
        """The rows with these record ids (``cw-…`` or ``tgcw:cw-…``); an unknown id is a KeyError naming it."""
        by_id = {r["record_id"].split(":", 1)[-1]: r for r in self.rows}
        out = []
        for rid in ids:
            key = rid.split(":", 1)[-1]
            if key not in by_id:
                raise KeyError(rid)
            out.append(by_id[key])
        return out


def read_sssom(path: str | Path) -> MappingTable:
    text = Path(path).read_text(encoding="utf-8")
    meta_lines, body = [], []
    for line in text.splitlines():
        (meta_lines if line.startswith("#") else body).append(line)
    metadata = yaml.safe_load("\n".join(line[1:] for line in meta_lines)) or {}
    curies = CurieMap()
    curies.prefixes.update(metadata.get("curie_map") or {})
    rows = list(csv.DictReader(io.StringIO("\n".join(body) + "\n"), delimiter="\t"))
    for r in rows:
        r["subject"] = curies.expand(r.get("subject_id") or "")
        r["object"] = curies.expand(r.get("object_id") or "")
        if not r.get("record_id"):
            r["record_id"] = "tgcw:" + record_id(r["subject"], r.get("predicate_id") or "", r["object"])
    return MappingTable(metadata, rows, curies)
