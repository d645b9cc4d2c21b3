"""The review loop: order suggestions by uncertainty, show example articles, accept rows into the taxonomy's Turtle
with their provenance, and reject rows into a negatives file that suggestions never repeat.

Accepted cross-vendor mappings go to ``mappings.ttl`` of the taxonomy folder, stated in both directions as that
file requires; accepted ``skos:broader`` links go to the file that defines the narrower concept, with the inverse
``skos:narrower``. Each accepted pair is preceded by a comment block holding SSSOM metadata (record id, author,
date, justification, confidence, evidence): Turtle comments, so the taxonomy's checks and the graph see only
plain SKOS. Rejected rows go to ``negatives.sssom.tsv`` beside the Turtle, an SSSOM table whose rows carry
``predicate_modifier: Not``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import TopicgraphError
from ..vocab import SKOS
from .links import ancestors, taxonomy_links
from .sssom import EVIDENCE_COLUMNS, MappingTable, read_sssom, write_table
from .suggest import CoTagging

__all__ = ["NEGATIVES_NAME", "MAPPINGS_NAME", "Outcome", "negatives_path", "load_negatives", "accept", "reject",
           "review_order", "examples", "INVERSE"]

NEGATIVES_NAME = "negatives.sssom.tsv"
MAPPINGS_NAME = "mappings.ttl"
#: each predicate and the one stated the other way round
INVERSE = {"skos:exactMatch": "skos:exactMatch", "skos:closeMatch": "skos:closeMatch",
           "skos:relatedMatch": "skos:relatedMatch", "skos:broadMatch": "skos:narrowMatch",
           "skos:narrowMatch": "skos:broadMatch", "skos:broader": "skos:narrower", "skos:narrower": "skos:broader"}
_NEGATIVE_COLUMNS = ["record_id", "subject_id", "subject_label", "predicate_modifier", "predicate_id", "object_id",
                     "object_label", "mapping_justification", "author_label", "mapping_date", "confidence", "comment"]


@dataclass
class Outcome:
    """What accept or reject did: the record ids written, those skipped and why, and the files changed."""

    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _taxonomy_folder(taxonomy_dir: str | Path | None) -> Path:
    from ..resources import taxonomy_dir as shipped

    return Path(taxonomy_dir) if taxonomy_dir is not None else Path(shipped())


def negatives_path(taxonomy_dir: str | Path | None = None) -> Path:
    """Where rejected suggestions are kept: ``negatives.sssom.tsv`` in the taxonomy folder."""
    return _taxonomy_folder(taxonomy_dir) / NEGATIVES_NAME


def load_negatives(path: str | Path | None) -> set[frozenset[str]]:
    """The concept pairs rejected before (either way round, any predicate): an absent file holds none."""
    if path is None or not Path(path).exists():
        return set()
    return {frozenset((r["subject"], r["object"])) for r in read_sssom(path).rows}


def review_order(table: MappingTable) -> list[dict[str, str]]:
    """The rows most in need of a person first: confidence nearest 0.5, then the stronger evidence."""
    def key(r: dict[str, str]):
        conf = float(r.get("confidence") or 0)
        return abs(conf - 0.5), -int(float(r.get("shared_articles") or 0)), r["record_id"]

    return sorted(table.rows, key=key)


def examples(inc: CoTagging, subject: str, obj: str, k: int = 3) -> list[tuple[str, str]]:
    """Up to ``k`` articles about both topics, as (identifier, headline), in the build's article order."""
    index = {t: j for j, t in enumerate(inc.topics)}
    if subject not in index or obj not in index:
        return []
    m = inc.matrix.tocsc()
    both = sorted(set(m[:, index[subject]].indices.tolist()) & set(m[:, index[obj]].indices.tolist()))[:k]
    out = []
    for i in both:
        a = inc.articles[i]
        out.append((inc.article_identifier.get(a, a), inc.article_title.get(a, "")))
    return out


def _today() -> str:
    return _dt.date.today().isoformat()


def _evidence(row: dict[str, str]) -> str:
    return ", ".join(f"{col}={row[col]}" for col in EVIDENCE_COLUMNS if row.get(col))


def _term(iri_or_curie: str) -> str:
    if iri_or_curie.startswith("skos:"):
        return iri_or_curie
    return f"<{iri_or_curie}>"


def _statement_exists(path: Path, s: str, p: str, o: str) -> bool:
    from pyoxigraph import NamedNode, RdfFormat, parse

    if not path.exists():
        return False
    want = (s, SKOS + p.split(":", 1)[1], o)
    with open(path, "rb") as fh:
        return any((t.subject.value, t.predicate.value, t.object.value) == want
                   for t in parse(fh, format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
                   if isinstance(t.object, NamedNode))


def accept(table: MappingTable, ids: Sequence[str], *, taxonomy_dir: str | Path | None = None,
           author: str, date: str | None = None, negatives: str | Path | None = None) -> Outcome:
    """Write the rows ``ids`` of ``table`` into the taxonomy's Turtle with their provenance (see the module)."""
    from ..taxonomy import load_taxonomy

    folder = _taxonomy_folder(taxonomy_dir)
    tax = load_taxonomy(folder, strict=False)
    links = taxonomy_links(tax)
    rejected = load_negatives(negatives if negatives is not None else negatives_path(folder))
    rows = _find(table, ids)
    date = date or _today()
    out = Outcome()
    added: dict[str, set[str]] = {}
    for row in rows:
        rid, s, o, p = row["record_id"], row["subject"], row["object"], row.get("predicate_id", "")
        if p not in INVERSE:
            out.skipped.append((rid, f"predicate {p!r} is not one topicgraph writes"))
            continue
        for iri in (s, o):
            if iri not in tax.concepts:
                raise TopicgraphError(f"{rid}: <{iri}> is not a concept of the taxonomy in {folder}: accept it "
                                      "into the taxonomy the build used (--taxonomy DIR)")
        if frozenset((s, o)) in rejected:
            out.skipped.append((rid, "rejected before (in the negatives file): remove it there first"))
            continue
        if p == "skos:broader":
            if s in ancestors(o, links.broader, added):
                out.skipped.append((rid, "would make a skos:broader cycle"))
                continue
            target = links.defined_in.get(s)
            if target is None:
                out.skipped.append((rid, f"no file of {folder} defines <{s}>"))
                continue
            added.setdefault(s, set()).add(o)
        else:
            if tax.concepts[s].scheme == tax.concepts[o].scheme:
                out.skipped.append((rid, "both concepts are in one scheme: a mapping links two vendors"))
                continue
            target = folder / MAPPINGS_NAME
        if _statement_exists(target, s, p, o):
            out.skipped.append((rid, f"already stated in {target.name}"))
            continue
        _append(target, row, s, p, o, author=author, date=date)
        out.written.append(rid)
        if target not in out.files:
            out.files.append(target)
    return out


def _append(target: Path, row: dict[str, str], s: str, p: str, o: str, *, author: str, date: str) -> None:
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    lines = ["", f"# ---- {row['record_id']}: accepted with `topicgraph crosswalk accept` (SSSOM metadata) ----",
             f"# author_label: {author}", f"# mapping_date: {date}",
             f"# mapping_justification: {row.get('mapping_justification', '')}; "
             "reviewed: semapv:ManualMappingCuration",
             f"# subject: {row.get('subject_label', '')}", f"# object: {row.get('object_label', '')}",
             f"# confidence: {row.get('confidence', '')}", f"# evidence: {_evidence(row)}"]
    if f"@prefix skos: <{SKOS}>" not in text:
        lines.append(f"@prefix skos: <{SKOS}> .")
    lines += [f"{_term(s)} {p} {_term(o)} .", f"{_term(o)} {INVERSE[p]} {_term(s)} ."]
    with open(target, "a", encoding="utf-8", newline="\n") as fh:
        if text and not text.endswith("\n"):
            fh.write("\n")
        fh.write("\n".join(lines) + "\n")


def reject(table: MappingTable, ids: Sequence[str], *, taxonomy_dir: str | Path | None = None, author: str,
           date: str | None = None, negatives: str | Path | None = None) -> Outcome:
    """Add the rows ``ids`` to the negatives file (``predicate_modifier: Not``), which ``suggest`` reads."""
    path = Path(negatives) if negatives is not None else negatives_path(taxonomy_dir)
    existing = read_sssom(path) if path.exists() else None
    kept = [{c: r.get(c, "") for c in _NEGATIVE_COLUMNS} for r in (existing.rows if existing else [])]
    seen = {frozenset((r["subject"], r["object"])) for r in (existing.rows if existing else [])}
    curies = existing.curies if existing else table.curies
    curies.prefixes.update(table.curies.prefixes)
    out = Outcome()
    for row in _find(table, ids):
        pair = frozenset((row["subject"], row["object"]))
        if pair in seen:
            out.skipped.append((row["record_id"], "already rejected"))
            continue
        seen.add(pair)
        kept.append({"record_id": row["record_id"], "subject_id": curies.curie(row["subject"]),
                     "subject_label": row.get("subject_label", ""), "predicate_modifier": "Not",
                     "predicate_id": row.get("predicate_id", ""), "object_id": curies.curie(row["object"]),
                     "object_label": row.get("object_label", ""),
                     "mapping_justification": "semapv:ManualMappingCuration", "author_label": author,
                     "mapping_date": date or _today(), "confidence": row.get("confidence", ""),
                     "comment": _evidence(row)})
        out.written.append(row["record_id"])
    meta = {"curie_map": dict(sorted(curies.prefixes.items())),
            "mapping_set_id": "https://w3id.org/topicgraph/crosswalk/negatives",
            "license": "https://creativecommons.org/publicdomain/zero/1.0/",
            "mapping_tool": "topicgraph crosswalk reject",
            "comment": "Suggestions a curator rejected: `topicgraph crosswalk suggest` never proposes these pairs "
                       "again, under any predicate."}
    write_table(path, meta, kept, _NEGATIVE_COLUMNS)
    out.files.append(path)
    return out


def _find(table: MappingTable, ids: Iterable[str]) -> list[dict[str, str]]:
    try:
        return table.find(ids)
    except KeyError as exc:
        raise TopicgraphError(f"no row {exc.args[0]!r} in the mapping set (see `topicgraph crosswalk review`)") \
            from None


