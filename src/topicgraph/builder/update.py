"""``build --update``: a few changed or deleted files re-mapped into an existing build, in place."""

from __future__ import annotations

import os
import shutil
import uuid
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..iris import IriMinter
from ..mapping import Mapper, count_mentions, entity_nquads
from ..records import DEFAULT_PROFILE, MAX_BYTES, Profile
from ..records.identity import Duplicate
from ..sources import display_path, link_leaves, skip_reason, special_kind
from ..store import EXPORT_FORMATS, BuildLock, clear_cache, export_name, read_manifest, write_manifest
from ..taxonomy import load_taxonomy
from ..vocab import (DCTERMS_SOURCE, RDF_TYPE, SCHEMA_ABOUT, SCHEMA_AUTHOR, SCHEMA_IDENTIFIER, SCHEMA_ORGANIZATION,
                     SCHEMA_PERSON, SCHEMA_PUBLISHER, SKOS_CONCEPT, SKOS_CONCEPT_SCHEME, SKOS_IN_SCHEME, TG,
                     TG_COMMUNITY, TG_COMMUNITY_CLASS)
from .provenance import source_path
from .report import (FileOutcome, UpdateOutcomes, fold_unknown, merge_report, read_report, unknown_entries,
                     write_report)
from .worker import map_file

__all__ = ["update"]


def update(files: Iterable[str | Path], *, out: str | Path = "graph", profile: Profile = DEFAULT_PROFILE,
           taxonomy: str | Path | None = None, max_bytes: int = MAX_BYTES,
           root: str | Path | None = None) -> UpdateOutcomes:
    """Re-map a few changed (or deleted) files into an existing build, in place: only their record graphs change.

    Each file's old record graph (found through its ``dcterms:source`` path, which is relative to the build's
    repository or source root, wherever ``update`` runs) is dropped and its new triples are loaded in a graph of
    their own; people, brands and topics it names that the graph lacks are added. The build report's entries for these files
    and the counts (report and manifest) follow; the exports of the build are not rewritten: the manifest lists
    them as ``stale_exports`` and :attr:`UpdateOutcomes.warning` says so. ``root`` is where the ``dcterms:source``
    paths start (default: the build's, from its manifest; ``topicgraph diff`` names the revision's tree). Use
    :func:`build` for a full, atomic rebuild; ``update`` writes into the live store, so run it while nothing reads.
    """
    import pyoxigraph

    out = Path(out)
    with BuildLock(out):
        manifest = read_manifest(out)
        clear_cache(out)  # before the store changes: a killed update must not leave a cache that looks current
        manifest["revision"] = uuid.uuid4().hex
        base = manifest.pop("base", None)  # the store is about to differ from its base: forget the base first
        write_manifest(out, manifest)
        if base:
            shutil.rmtree(out / base, ignore_errors=True)
        # the build's display paths are relative to the folder it ran in (a manifest without it: the working one)
        here = Path(manifest.get("cwd") or os.getcwd())
        roots = [here / src for src in manifest.get("sources", [])]
        # dcterms:source paths start at the repository or source root (a build without one in its manifest: cwd)
        top = Path(os.path.abspath(root if root is not None else manifest.get("root") or here))
        report = read_report(out)
        counts = dict(manifest.get("counts") or {})
        unknown: Counter | None = Counter(report.get("unknown_topics") or {}) if report is not None else None
        ox = pyoxigraph.Store(str(out / manifest["store"]))
        minter = IriMinter(manifest["base_iri"])
        mapper = Mapper(minter, load_taxonomy(taxonomy))
        entities = pyoxigraph.NamedNode(minter.entities_graph)
        source_p, about_p, a_concept = (pyoxigraph.NamedNode(DCTERMS_SOURCE), pyoxigraph.NamedNode(SCHEMA_ABOUT),
                                        (pyoxigraph.NamedNode(RDF_TYPE), pyoxigraph.NamedNode(SKOS_CONCEPT)))
        unknown_keys: dict[str, str] | None = None  # concept IRI -> its "Vendor: Label" in the report
        outcomes: list[FileOutcome] = []
        changes: list[tuple[FileOutcome, bool]] = []  # (outcome, file deleted) for the report
        mentioned: set = set()  # people, brands, communities and topics the replaced graphs named
        articles = 0  # record graphs added less those removed
        store_changed = False
        for raw in files:
            path = Path(raw)
            source = source_path(path, top)
            display, sources = _find_source(ox, source_p, path, here, source)
            for graph in {q.graph_name for q in sources}:
                quads = list(ox.quads_for_pattern(None, None, None, graph))
                mentioned.update(q.object for q in quads
                                 if q.predicate.value in _MENTIONS and isinstance(q.object, pyoxigraph.NamedNode))
                about = {q.object for q in quads if q.predicate == about_p}
                if unknown is not None:
                    for topic in about:
                        if pyoxigraph.Quad(topic, *a_concept, entities) in ox:  # not in the taxonomy
                            if unknown_keys is None:
                                unknown_keys = _unknown_keys(unknown, mapper)
                            spelling = unknown_keys.get(topic.value)
                            if spelling is not None and unknown[spelling] > 0:
                                unknown[spelling] -= 1
                ox.remove_graph(graph)
                articles -= 1
                store_changed = True
                counts["topics"] = counts.get("topics", 0) - sum(1 for t in about if not _named(ox, t))
            if not path.exists():
                if sources:  # a record's file deleted: its graph goes, which is what the update was for
                    outcomes.append(FileOutcome(display, "removed", reason="deleted; its graph was removed"))
                else:
                    outcomes.append(FileOutcome(display, "skipped", reason=(
                        f"{display}: no such file, and no record of this build came from it: check the path "
                        f"(paths are as the build report shows them, relative to the folder the build ran in, "
                        f"{here})")))
                if sources:
                    changes.append((outcomes[-1], True))
                continue
            # the files named are changes to the build's sources: a link among them stays inside those, as in a
            # full build (a CI job passes `git diff --name-only`, names a pull request chose)
            leaves = link_leaves(path, roots) if roots else None
            if leaves is not None:
                outcomes.append(FileOutcome(display, "skipped", reason=skip_reason(display, leaves, here)))
                changes.append((outcomes[-1], False))
                continue
            kind = special_kind(str(path))  # a FIFO would block the reader for ever
            if kind is not None:
                outcomes.append(FileOutcome(display, "skipped", reason=skip_reason(display, ("special", kind))))
                changes.append((outcomes[-1], False))
                continue
            outcome, mapped, sha = map_file(path, display, mapper, profile, max_bytes, source)
            copy_of = _file_with_bytes(ox, sha) if mapped is not None and sha else None
            copy_of = display_path(top / copy_of, here) if copy_of is not None else None  # as a report shows it
            if copy_of is not None:  # as a full build does: one copy is mapped, the other reported
                outcome = FileOutcome(display, "skipped", findings=outcome.findings,
                                      reason=Duplicate("file", display, mapped.record_id, copy_of).reason)
            elif mapped is not None:
                graph = pyoxigraph.NamedNode(mapped.graph)
                if ox.contains_named_graph(graph):
                    owner, owner_id = _graph_owner(ox, graph, top, here)
                    outcome = FileOutcome(display, "skipped", findings=outcome.findings, reason=Duplicate.of_ids(
                        display, mapped.record_id, owner, owner_id, mapped.article).reason)
                else:
                    counts["topics"] = counts.get("topics", 0) + sum(
                        1 for t in dict.fromkeys(mapped.about) if not _named(ox, pyoxigraph.NamedNode(t)))
                    ox.load(input=mapped.nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
                    articles += 1
                    store_changed = True
                    if unknown is not None:
                        unknown.update(mapped.unknown_topics)
                    new: dict[str, Counter] = {}
                    count_mentions(new, (m for m in mapped.entities if not any(
                        True for _ in ox.quads_for_pattern(pyoxigraph.NamedNode(m.iri), None, None))))
                    if new:
                        ox.load(input=entity_nquads(new, minter.entities_graph).encode("utf-8"),
                                format=pyoxigraph.RdfFormat.N_QUADS)
            outcomes.append(outcome)
            changes.append((outcome, False))
        _drop_unmentioned(ox, mentioned, entities)
        ox.flush()
        counts.update(_entity_counts(ox, entities))
        counts["triples"] = len(ox)
        if report is not None:
            counts.update(merge_report(report, changes))
            report["counts"] = counts
            earlier = report.pop("unknown_topic_spellings", None)
            report.update(unknown_entries(*fold_unknown({k: n for k, n in unknown.items() if n > 0}, earlier)))
            write_report(out, report)
        else:  # no report to count from (deleted by hand): the articles by difference
            counts["articles"] = counts.get("articles", 0) + articles
        del ox
        manifest["counts"] = counts
        stale = list(manifest.get("stale_exports", []))
        if store_changed:  # every export of the last full build is out of date
            written = manifest.get("exports")
            if written is None:  # a manifest that does not list the exports: any of them may be there
                written = [export_name(fmt) for fmt in EXPORT_FORMATS]
            stale = sorted(set(stale) | {name for name in written if (out / name).is_file()})
        if stale:
            manifest["stale_exports"] = stale
        write_manifest(out, manifest)
    return UpdateOutcomes(outcomes, out=out, counts=counts, stale_exports=stale,
                          sources=manifest.get("sources", []))


#: the types of the entities graph's nodes -> the build's count of them (``_map_all``)
_ENTITY_COUNTS = {SCHEMA_PERSON: "people", SCHEMA_ORGANIZATION: "brands", TG_COMMUNITY_CLASS: "communities",
                  SKOS_CONCEPT: "unknown_topics", SKOS_CONCEPT_SCHEME: "new_vendors"}


def _find_source(ox, source_p, path: Path, here: Path, source: str) -> tuple[str, list]:
    """``path`` as the build in ``here`` showed it, and the ``dcterms:source`` quads that name it (as ``source``,
    relative to the build's root, or as builds before roots wrote it: relative to ``here``, or as given)."""
    import pyoxigraph

    display = display_path(path, here)
    spellings = [source, display]
    full = os.path.abspath(path)
    if not full.startswith(str(here).rstrip(os.sep) + os.sep):
        spellings += [Path(full).as_posix(), Path(os.path.relpath(full, here)).as_posix()]
        if os.path.abspath(os.getcwd()) != os.path.abspath(here):
            display = spellings[1]  # for a file new to the build: its path as given means nothing in ``here``
    for spelling in dict.fromkeys(spellings):
        sources = list(ox.quads_for_pattern(None, source_p, pyoxigraph.Literal(spelling)))
        if sources:
            return display if spelling == source else spelling, sources
    return display, []


def _named(ox, topic) -> bool:
    """Whether a record graph is about ``topic`` (only record graphs hold ``schema:about``)."""
    import pyoxigraph

    return next(iter(ox.quads_for_pattern(None, pyoxigraph.NamedNode(SCHEMA_ABOUT), topic)), None) is not None


def _unknown_keys(unknown: Counter, mapper: Mapper) -> dict[str, str]:
    """The concept IRI of each ``Vendor: Label`` the report counts as not in the taxonomy."""
    keys: dict[str, str] = {}
    for spelling in unknown:
        vendor, _, label = spelling.partition(": ")
        keys.setdefault(mapper.taxonomy.resolve(vendor, label)[0], spelling)
    return keys


def _graph_owner(ox, graph, top: Path, here: Path) -> tuple[str, str | None]:
    """The file (as a report shows it) and record id a record graph of the store came from (for the message)."""
    import pyoxigraph

    source = next(iter(ox.quads_for_pattern(None, pyoxigraph.NamedNode(DCTERMS_SOURCE), None, graph)), None)
    ident = next(iter(ox.quads_for_pattern(None, pyoxigraph.NamedNode(SCHEMA_IDENTIFIER), None, graph)), None)
    return (display_path(top / source.object.value, here) if source is not None else "another file of this build",
            ident.object.value if ident is not None else None)


def _entity_counts(ox, entities) -> dict[str, int]:
    """The counts of the entities graph a build reports: people, brands, ..., and its triples."""
    found = dict.fromkeys(_ENTITY_COUNTS.values(), 0)
    rows = ox.query(f"SELECT ?t (COUNT(?s) AS ?n) WHERE {{ GRAPH <{entities.value}> {{ ?s a ?t }} }} GROUP BY ?t")
    for row in rows:
        name = _ENTITY_COUNTS.get(row["t"].value)
        if name is not None:
            found[name] = int(row["n"].value)
    (row,) = ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{entities.value}> {{ ?s ?p ?o }} }}")
    found["entity_triples"] = int(row["n"].value)
    return found


#: the record-graph properties whose objects are described in the entities graph
_MENTIONS = frozenset({SCHEMA_AUTHOR, SCHEMA_PUBLISHER, SCHEMA_ABOUT, TG_COMMUNITY})


def _drop_unmentioned(ox, candidates: set, entities_graph) -> None:
    """Remove from the entities graph the descriptions of ``candidates`` that no record graph names any more (and
    then the vendor schemes that only those topics were in), as a full build would not write them."""
    import pyoxigraph

    in_scheme = pyoxigraph.NamedNode(SKOS_IN_SCHEME)
    schemes: set = set()
    for node in candidates:
        if any(q.graph_name != entities_graph for q in ox.quads_for_pattern(None, None, node)):
            continue  # still named by a record (or a concept of the taxonomy's own graph)
        described = list(ox.quads_for_pattern(node, None, None, entities_graph))
        schemes.update(q.object for q in described if q.predicate == in_scheme)
        for q in described:
            ox.remove(q)
    for scheme in schemes:
        if next(iter(ox.quads_for_pattern(None, in_scheme, scheme, entities_graph)), None) is None:
            for q in list(ox.quads_for_pattern(scheme, None, None, entities_graph)):
                ox.remove(q)


def _file_with_bytes(ox, sha: str) -> str | None:
    """The source path of a file already in the store whose bytes have this SHA-256, or None."""
    import pyoxigraph

    for q in ox.quads_for_pattern(None, pyoxigraph.NamedNode(TG + "sha256"), pyoxigraph.Literal(sha)):
        for src in ox.quads_for_pattern(q.subject, pyoxigraph.NamedNode(DCTERMS_SOURCE), None,
                                        q.graph_name):
            return src.object.value
    return None
