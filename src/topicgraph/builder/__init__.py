"""The build: files → records → triples → on-disk store (+ exports and a report), atomically replacing the last.

``build()`` walks the sources (:mod:`topicgraph.sources`), maps the files in worker processes (:mod:`.worker`),
streams their N-Quads into a new store (:mod:`.loader`), writes the report (:mod:`.report`) and swaps the new
store in (:mod:`topicgraph.store.swap`); ``update()`` (:mod:`.update`) re-maps a few files in place. The package is
``builder`` so that ``topicgraph.build`` stays the function.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..errors import Severity, TopicgraphError
from ..iris import IriMinter
from ..mapping import count_mentions, entity_nquads
from ..vocab import DEFAULT_BASE_IRI
from ..parallel import default_jobs
from ..records import DEFAULT_PROFILE, MAX_BYTES, Profile
from ..records.identity import DuplicateRecords
from ..sources import discover_entries, display_path, skip_reason
from ..store import (EXPORT_FORMATS, BuildLock, base_name, clean_leftovers, clear_cache, export_graph,
                     export_name, new_store_name, swap_in, work_folder)
from ..taxonomy import taxonomy_files
from .provenance import provenance_root
from .loader import StreamingLoad, export_lines, taxonomy_nquads
from .report import BuildReport, BuildResult, FileOutcome, UpdateOutcomes, fold_unknown, write_report
from .update import update
from .worker import map_file, mapped_files

#: the phases of a build, in order, as ``phase`` is told them (then one "exporting graph.<ext>" per --format)
PHASES = ("reading the sources", "reading and mapping records", "loading the store")

__all__ = ["PHASES", "build", "update", "BuildResult", "BuildReport", "FileOutcome", "UpdateOutcomes", "map_file"]


def build(sources: Iterable[str | Path], *, out: str | Path = "graph", formats: Sequence[str] = (),
          profile: Profile = DEFAULT_PROFILE, base_iri: str = DEFAULT_BASE_IRI, taxonomy: str | Path | None = None,
          jobs: int | None = None, max_bytes: int = MAX_BYTES,
          progress: Callable[[int, int], None] | None = None,
          phase: Callable[[str], None] | None = None, root: str | Path | None = None) -> BuildResult:
    """Build the knowledge graph of every record under ``sources`` into the folder ``out``.

    ``progress(done, total)`` follows the files through reading and mapping; ``phase(name)`` is told each phase as
    it starts (:data:`PHASES`; one ``exporting graph.<ext>`` per format), so that a progress display can say what
    the build is doing once every file is mapped.

    Returns a :class:`BuildResult` whose ``report`` accounts for every file and whose ``store``/``graph`` can be
    queried. The previous build in ``out`` stays readable until the new one is complete. ``dcterms:source`` paths
    are relative to ``root`` (default: the sources' git repository or folder, :func:`.provenance.provenance_root`).

    >>> import tempfile
    >>> result = build(["seeds"], out=tempfile.mkdtemp(), jobs=1)
    >>> result.report.counts["articles"], result.report.counts["skipped"]
    (5, 0)
    """
    import pyoxigraph


    started = time.perf_counter()
    tell = phase if phase is not None else (lambda name: None)
    out = Path(out)
    for fmt in formats:
        if fmt not in EXPORT_FORMATS:
            raise TopicgraphError(f"unknown --format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
    minter = IriMinter(base_iri)
    tax_files = taxonomy_files(taxonomy)
    sources = list(sources)
    real_out = os.path.realpath(out)
    for src in sources:
        if os.path.realpath(src) == real_out:
            raise TopicgraphError(f"--out {out} is also a source folder ({src}): the build would write its store "
                                  "among the records and read nothing back; keep records and the build folder "
                                  "apart (e.g. `topicgraph build records --out graph`)")
    cwd = Path(os.getcwd())  # display paths are relative to it; the manifest keeps it for `update`
    tell(PHASES[0])
    root = provenance_root(sources, root)  # dcterms:source paths start here, wherever the checkout lives
    entries, ignored = discover_entries(sources, exclude=[out])
    out.mkdir(parents=True, exist_ok=True)
    jobs = default_jobs(jobs)

    with BuildLock(out):
        clean_leftovers(out)
        work = work_folder(out)
        try:
            timings: dict[str, float] = {}
            mark = time.perf_counter()
            store_name = new_store_name()
            ox = pyoxigraph.Store(str(work / store_name))
            # the records' N-Quads stream into the store in segments, loaded while later records are mapped
            # with --format nt, the N-Triples are written beside the segments as they go, not in a pass at the end
            sink = StreamingLoad(ox, work, nt=work / export_name("nt") if "nt" in formats else None)
            try:
                tell(PHASES[1])
                outcomes, mentions, counts, unknown_topics = _map_all(
                    entries, sink, cwd=cwd, jobs=jobs, profile=profile, base_iri=minter.base,
                    taxonomy_dir=str(taxonomy) if taxonomy else None, max_bytes=max_bytes, progress=progress,
                    root=root)
                timings["read and map"], mark = time.perf_counter() - mark, time.perf_counter()
                tell(PHASES[2])  # the entities and the taxonomy, the segments still loading, the checkpoint
                entity_data = entity_nquads(mentions, minter.entities_graph)
                counts["entity_triples"] = entity_data.count("\n")
                sink.write(entity_data, counts["entity_triples"], minter.entities_graph)
                taxonomy_data = taxonomy_nquads(tax_files, minter.taxonomy_graph)
                sink.write(taxonomy_data, taxonomy_data.count("\n"), minter.taxonomy_graph)
                segments = sink.close()
            finally:
                sink.abort()
            ox.flush()
            counts["triples"] = len(ox)
            # a RocksDB checkpoint of the store as built (hard links: no copy): replacing a large derived graph
            # later starts from it instead of dumping and reloading the whole store (store/swap.py)
            base = base_name(store_name)
            ox.backup(str(work / base))
            timings["store (after mapping)"], mark = time.perf_counter() - mark, time.perf_counter()
            timings["loading (overlaps mapping)"] = round(sink.loaded_seconds, 3)
            exports: dict[str, Path] = {}
            for fmt in dict.fromkeys(formats):
                # written beside the new store and moved into place only after the manifest names that store
                target = work / export_name(fmt)
                tell(f"exporting {export_name(fmt)}")
                if fmt == "nt" and sink.nt is not None:
                    exports[fmt] = sink.nt
                elif fmt in ("nt", "nq"):  # the lines we loaded are already N-Quads: no need to read the store back
                    exports[fmt] = export_lines(segments, target, quads=fmt == "nq")
                else:
                    exports[fmt] = export_graph(ox, target, fmt)
                timings[f"export {fmt}"], mark = time.perf_counter() - mark, time.perf_counter()
            del ox
            report = BuildReport(outcomes, counts, time.perf_counter() - started, str(out), unknown_topics[0], timings,
                                 dict(sorted(ignored.items())), unknown_spellings=unknown_topics[1])
            manifest = {"store": store_name, "base": base, "revision": uuid.uuid4().hex,
                        "base_iri": minter.base, "format_version": 1,
                        "taxonomy": [tf.name for tf in tax_files],
                        "taxonomy_dir": str(taxonomy) if taxonomy else None, "profile": profile.name, "counts": counts,
                        "sources": [str(s) for s in sources], "cwd": str(cwd), "root": str(root),
                        "exports": sorted(path.name for path in exports.values())}
            swap_in(out, work, [store_name, base], manifest)
            for fmt, path in list(exports.items()):
                exports[fmt] = out / path.name
                os.replace(path, exports[fmt])
            # graph.<ext> files are the build's own: one this build did not write describes an earlier graph
            written = {path.name for path in exports.values()}
            removed = [out / export_name(fmt) for fmt in EXPORT_FORMATS
                       if export_name(fmt) not in written and (out / export_name(fmt)).is_file()]
            for path in removed:
                path.unlink()
            write_report(out, report.to_dict())
        finally:
            shutil.rmtree(work, ignore_errors=True)
        clean_leftovers(out)
        clear_cache(out)
    return BuildResult(out, report, exports, removed_exports=removed)


def _map_all(entries, sink: StreamingLoad, *, cwd: Path, jobs, profile, base_iri, taxonomy_dir, max_bytes,
             progress, root: Path):
    outcomes: list[FileOutcome] = []
    mentions: dict[str, Counter] = {}
    unknown: Counter = Counter()
    duplicates = DuplicateRecords(IriMinter(base_iri).article)
    kinds: Counter = Counter()
    topics_used: set[str] = set()
    total = len(entries)
    results = mapped_files([p for p, skip in entries if skip is None], jobs=jobs, profile=profile, base_iri=base_iri,
                       taxonomy_dir=taxonomy_dir, max_bytes=max_bytes, nt=sink.nt is not None, cwd=cwd, root=root)
    try:
        for done, (path, skip) in enumerate(entries, 1):
            if skip is not None:  # turned away by discovery (never opened), in its place in the report
                display = display_path(path, cwd)
                outcomes.append(FileOutcome(display, "skipped", reason=skip_reason(display, skip, cwd)))
            else:
                outcomes.append(_take(next(results), sink, duplicates, mentions, topics_used, unknown))
            if progress is not None:
                progress(done, total)
    finally:
        results.close()  # ends the worker pool, should mapping stop early
    for counted in mentions.values():
        kinds[next(iter(counted))[0]] += 1
    mapped_n = sum(1 for o in outcomes if o.status == "mapped")
    counts = {"files": total, "mapped": mapped_n, "skipped": total - mapped_n, "articles": mapped_n,
              "people": kinds["person"], "brands": kinds["brand"], "communities": kinds["community"],
              "topics": len(topics_used), "unknown_topics": kinds["concept"], "new_vendors": kinds["scheme"],
              "warnings": sum(1 for o in outcomes for f in o.findings if f.severity == Severity.WARNING)}
    counts_unknown = fold_unknown(unknown)  # by concept, as counts["unknown_topics"] counts them, with spellings
    return outcomes, mentions, counts, counts_unknown


def _take(result, sink: StreamingLoad, duplicates: DuplicateRecords, mentions: dict, topics_used: set,
          unknown: Counter) -> FileOutcome:
    """One mapped file into the build, unless it repeats the bytes or the article IRI of a file taken before."""
    outcome, mapped, sha, nq, nt = result
    if mapped is None:
        return outcome
    duplicate = duplicates.check(outcome.file, sha, mapped.record_id)
    if duplicate is not None:
        return FileOutcome(outcome.file, "skipped", reason=duplicate.reason, findings=outcome.findings)
    sink.write(nq, mapped.triples, mapped.graph, nt if sink.nt is not None else None)
    count_mentions(mentions, mapped.entities)
    topics_used.update(mapped.about)
    unknown.update(mapped.unknown_topics)
    return outcome
