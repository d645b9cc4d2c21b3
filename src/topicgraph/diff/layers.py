"""The layers of a diff computed on canonical N-Quads: records, triples, taxonomy, and validate's findings.

Formatting never shows: two files that map to the same statements are equal, whatever their key order, quoting,
list style or line endings. Statements about the source file's bytes (its digest, size and node) are provenance:
kept in the triple layer so that BASE plus the diff gives HEAD exactly, but not a change of the record.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import Finding, Severity
from ..iris import IriMinter
from ..vocab import (DCTERMS_SOURCE, PROV, RDF_TYPE, SCHEMA_ABOUT, SCHEMA_IDENTIFIER, SKOS, SKOS_CONCEPT,
                     SKOS_IN_SCHEME, SKOS_PREF_LABEL)

__all__ = ["Quad", "parse", "record_layer", "triple_layer", "taxonomy_layer", "finding_layer", "names_of",
           "finding_dict"]

_WAS_DERIVED_FROM = PROV + "wasDerivedFrom"
_PROVENANCE_FIELDS = {"sha256", "contentSize", "wasDerivedFrom"}
_MAPPINGS = tuple(SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"))
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "b": "\b", "f": "\f"}


@dataclass(frozen=True)
class Quad:
    s: str
    p: str
    o: str          # an IRI's text, or a literal's lexical form
    iri: bool       # whether ``o`` is an IRI
    g: str


def _unescape(text: str) -> str:
    return re.sub(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)',
                  lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" and len(m.group(1)) > 1
                  else _ESCAPES.get(m.group(1), m.group(1)), text)


def parse(line: str) -> Quad:
    """One canonical N-Quads line (without `` .``) whose subject, predicate and graph are IRIs.

    >>> parse('<http://a> <http://p> "x\\\\"y"@en <http://g>')
    Quad(s='http://a', p='http://p', o='x"y', iri=False, g='http://g')
    """
    s_end = line.index("> ")
    p_end = line.index("> ", s_end + 2)
    cut = line.rfind(" <")
    obj = line[p_end + 2:cut]
    if obj.startswith("<"):
        return Quad(line[1:s_end], line[s_end + 3:p_end], obj[1:-1], True, line[cut + 2:-1])
    close = obj.rindex('"')
    return Quad(line[1:s_end], line[s_end + 3:p_end], _unescape(obj[1:close]), False, line[cut + 2:-1])


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/"))[-1]


def names_of(graphs: dict[str, set[str]], base_iri: str) -> dict[str, str]:
    """IRI -> what a reader calls it: a concept's ``Scheme: Label``, a person's or brand's name."""
    names: dict[str, str] = {}
    scheme_of: dict[str, str] = {}
    for g in (base_iri + "graph/taxonomy", base_iri + "graph/entities"):
        for line in graphs.get(g, ()):
            q = parse(line)
            if q.p in (SKOS_PREF_LABEL, "http://schema.org/name") and not q.iri:
                names.setdefault(q.s, q.o)
            elif q.p == SKOS_IN_SCHEME:
                scheme_of.setdefault(q.s, q.o)
    return {iri: f"{names[scheme_of[iri]]}: {label}" if scheme_of.get(iri) in names else label
            for iri, label in names.items()}


def _record_view(lines: set[str], base_iri: str) -> dict:
    """A record graph as ``{"id", "article", "source", "fields": {name: sorted values}}``."""
    fields: dict[str, list[tuple[str, bool]]] = {}
    article = ident = source = None
    file_prefix = base_iri + "file/"
    for line in lines:
        q = parse(line)
        if q.s.startswith(file_prefix):
            if q.p == DCTERMS_SOURCE:
                source = q.o
            continue
        name = _local(q.p)
        if name in _PROVENANCE_FIELDS:
            continue
        if "#" in q.s and not q.s.startswith(("http://schema.org/",)):
            name = f"{_local(q.s.split('#', 1)[1]) or 'part'}.{name}"
        elif q.p == SCHEMA_IDENTIFIER:
            ident, article = q.o, q.s
        fields.setdefault(name, []).append((q.o, q.iri))
    return {"id": ident, "article": article, "source": source,
            "fields": {k: sorted(v) for k, v in sorted(fields.items())}}


def _show(values: list[tuple[str, bool]], names: dict[str, str]) -> list[str]:
    return [names.get(v, v) if iri else v for v, iri in values]


def record_layer(base: dict[str, set[str]], head: dict[str, set[str]], base_iri: str,
                 names: dict[str, str]) -> dict:
    """Records added, removed and changed (by record id); a changed one lists its fields old -> new."""
    prefix = base_iri + "graph/record/"
    old = {g for g in base if g.startswith(prefix)}
    new = {g for g in head if g.startswith(prefix)}

    def entry(view: dict) -> dict:
        return {"id": view["id"], "article": view["article"], "file": view["source"]}

    added = [entry(_record_view(head[g], base_iri)) for g in sorted(new - old)]
    removed = [entry(_record_view(base[g], base_iri)) for g in sorted(old - new)]
    changed = []
    for g in sorted(old & new):
        if base[g] == head[g]:
            continue
        a, b = _record_view(base[g], base_iri), _record_view(head[g], base_iri)
        fields = [{"field": k, "old": _show(a["fields"].get(k, []), names), "new": _show(b["fields"].get(k, []), names)}
                  for k in sorted(a["fields"].keys() | b["fields"].keys())
                  if a["fields"].get(k, []) != b["fields"].get(k, [])]
        if a["source"] != b["source"]:
            fields.append({"field": "source", "old": [a["source"]], "new": [b["source"]]})
        if fields:
            changed.append({**entry(b), "old_file": a["source"], "fields": fields,
                            "moved": a["source"] != b["source"]})
    return {"added": sorted(added, key=_by_id), "removed": sorted(removed, key=_by_id),
            "changed": sorted(changed, key=_by_id)}


def _by_id(e: dict) -> str:
    return e["id"] or ""


def _is_provenance(line: str, file_prefix: str) -> bool:
    return line.startswith("<" + file_prefix) or f"> <{_WAS_DERIVED_FROM}> " in line


def triple_layer(base: dict[str, set[str]], head: dict[str, set[str]], base_iri: str) -> dict:
    """Per graph, the N-Quads lines added and removed (sorted). ``graphs`` holds the graphs whose statements
    changed; ``provenance`` those where only the source file's bytes did (a reformatted file)."""
    prefix, file_prefix = base_iri + "graph/record/", base_iri + "file/"
    graphs, provenance = [], []
    for g in sorted(base.keys() | head.keys()):
        old, new = base.get(g, set()), head.get(g, set())
        if old == new:
            continue
        added, removed = sorted(new - old), sorted(old - new)
        entry = {"graph": g, "record": g[len(prefix):] if g.startswith(prefix) else None,
                 "added": [line + " ." for line in added], "removed": [line + " ." for line in removed]}
        content = any(not _is_provenance(line, file_prefix) for line in (*added, *removed))
        (graphs if content else provenance).append(entry)
    # the counts are of statements: a changed file's new digest and size are not counted
    return {"graphs": graphs, "provenance": provenance,
            "added": sum(1 for e in graphs for line in e["added"] if not _is_provenance(line, file_prefix)),
            "removed": sum(1 for e in graphs for line in e["removed"] if not _is_provenance(line, file_prefix))}


def _concepts(lines: set[str]) -> tuple[dict[str, dict], set[tuple[str, str, str]], dict[str, str]]:
    concepts: dict[str, dict] = {}
    mappings: set[tuple[str, str, str]] = set()
    schemes: dict[str, str] = {}
    quads = [parse(line) for line in lines]
    for q in quads:
        if q.p == RDF_TYPE and q.o == SKOS_CONCEPT:
            concepts.setdefault(q.s, {"label": None, "alt": set(), "broader": set(), "scheme": None})
    for q in quads:
        c = concepts.get(q.s)
        if q.p in _MAPPINGS:
            mappings.add((q.s, _local(q.p), q.o))
        elif c is None:
            if q.p == SKOS_PREF_LABEL:
                schemes[q.s] = q.o
        elif q.p == SKOS_PREF_LABEL:
            c["label"] = q.o if c["label"] is None else min(c["label"], q.o)
        elif q.p == SKOS + "altLabel":
            c["alt"].add(q.o.casefold())
        elif q.p == SKOS + "broader":
            c["broader"].add(q.o)
        elif q.p == SKOS_IN_SCHEME:
            c["scheme"] = q.o
    return concepts, mappings, schemes


def taxonomy_layer(base: dict[str, set[str]], head: dict[str, set[str]], base_iri: str) -> dict:
    """Concepts added, removed, relabelled and moved, mappings added and removed, and the breaking changes: a
    removed or relabelled concept that a record at HEAD still names (its topic no longer resolves)."""
    g = base_iri + "graph/taxonomy"
    old, old_maps, old_schemes = _concepts(base.get(g, set()))
    new, new_maps, new_schemes = _concepts(head.get(g, set()))
    gone, came = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
    relabelled, moved = [], []
    renamed: set[str] = set()
    for c in came:  # a new IRI keeping the old label as an altLabel: the concept was renamed
        for r in gone:
            if r not in renamed and old[r]["label"] and old[r]["label"].casefold() in new[c]["alt"] \
                    and old[r]["scheme"] == new[c]["scheme"]:
                relabelled.append({"concept": c, "old_concept": r, "old": old[r]["label"], "new": new[c]["label"]})
                renamed.update((r, c))
                break
    for c in sorted(old.keys() & new.keys()):
        if old[c]["label"] != new[c]["label"]:
            relabelled.append({"concept": c, "old_concept": c, "old": old[c]["label"], "new": new[c]["label"]})
        if old[c]["broader"] != new[c]["broader"]:
            moved.append({"concept": c, "label": new[c]["label"], "old": sorted(old[c]["broader"]),
                          "new": sorted(new[c]["broader"])})
    removed = [{"concept": c, "label": old[c]["label"]} for c in gone if c not in renamed]
    added = [{"concept": c, "label": new[c]["label"]} for c in came if c not in renamed]
    # what a record that still writes the old topic maps to now: the old IRI, or the IRI its label mints
    suspects: dict[str, str] = {}
    for r in removed:
        suspects[r["concept"]] = f"concept {r['label']!r} ({r['concept']}) was removed"
    for r in relabelled:
        scheme = old_schemes.get(old[r["old_concept"]]["scheme"] or "")
        why = f"concept {r['old']!r} was relabelled {r['new']!r}"
        if r["old_concept"] not in new:
            suspects[r["old_concept"]] = why
        if scheme and r["old"]:
            suspects[IriMinter.concept(scheme, r["old"])] = why
    unknown = {parse(line).s for line in head.get(base_iri + "graph/entities", ())
               if f"> <{RDF_TYPE}> <{SKOS_CONCEPT}> " in line}
    users: dict[str, list[str]] = {}
    prefix = base_iri + "graph/record/"
    about = f"> <{SCHEMA_ABOUT}> <"
    for graph, lines in head.items():
        if not graph.startswith(prefix):
            continue
        for line in lines:
            if about in line:
                topic = parse(line).o
                if topic in suspects and (topic not in new or topic in unknown):
                    users.setdefault(topic, []).append(graph[len(prefix):])
    breaking = [{"concept": t, "reason": suspects[t], "records": sorted(ids)} for t, ids in sorted(users.items())]
    return {"concepts": {"added": added, "removed": removed, "relabelled": relabelled, "moved": moved},
            "mappings": {"added": [dict(zip(("subject", "kind", "object"), m)) for m in sorted(new_maps - old_maps)],
                         "removed": [dict(zip(("subject", "kind", "object"), m))
                                     for m in sorted(old_maps - new_maps)]},
            "schemes": {"added": sorted(new_schemes.keys() - old_schemes.keys()),
                        "removed": sorted(old_schemes.keys() - new_schemes.keys())},
            "breaking": breaking}


def finding_dict(f: Finding) -> dict:
    return {"file": f.file, "rule": f.rule, "field": f.field, "severity": str(f.severity), "line": f.line,
            "message": f.message, "fix": f.fix}


def _key(f: Finding, rename: dict[str, str]) -> tuple:
    # line numbers move with every edit above a finding: never part of its identity
    message = re.sub(r"\blines? \d+(, \d+)*", "line", f.message)
    file = rename.get(f.file, f.file)
    return file, f.rule, f.field or "", int(f.severity), message.replace(f.file, file)


def finding_layer(base: list[Finding], head: list[Finding], moved: dict[str, str]) -> dict:
    """Findings introduced and resolved, keyed by file, rule, field and message (not line); a record moved to
    another file keeps its findings (``moved``: BASE file -> HEAD file)."""
    old = Counter(_key(f, moved) for f in base)
    new = Counter(_key(f, {}) for f in head)
    introduced, resolved = [], []
    seen: Counter = Counter()
    for f in head:
        k = _key(f, {})
        seen[k] += 1
        if seen[k] > old.get(k, 0):
            introduced.append(finding_dict(f))
    seen.clear()
    for f in base:
        k = _key(f, moved)
        seen[k] += 1
        if seen[k] > new.get(k, 0):
            resolved.append(finding_dict(f))
    errors = sum(1 for f in introduced if f["severity"] == str(Severity.ERROR))
    return {"introduced": introduced, "resolved": resolved, "introduced_errors": errors}
