"""Mapping files in worker processes: each file read, mapped and turned into N-Quads (and N-Triples) bytes."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import RecordError, Severity
from ..iris import IriMinter
from ..mapping import Mapper
from ..parallel import WorkerPool
from ..records import DEFAULT_PROFILE, MAX_BYTES, NotARecord, Profile, Topic, read_record
from ..sources import display_path
from ..taxonomy import load_taxonomy
from ..taxonomy.extract import is_new_vendor, new_vendor_finding, vendor_typo, vendor_typo_finding
from .provenance import provenance_root, source_path
from .report import FileOutcome

__all__ = ["map_file", "mapped_files", "record_ntriples"]

#: the mapper and settings of this process (a worker's, or the main process's when it maps alone)
_WORKER: dict = {}
#: below this many files, worker processes cost more than they save
PARALLEL_MIN = 400


def _init_worker(profile: Profile, base_iri: str, taxonomy_dir: str | None, max_bytes: int,
                 nt: bool = False) -> None:
    _WORKER["mapper"] = Mapper(IriMinter(base_iri), load_taxonomy(taxonomy_dir))
    _WORKER["profile"] = profile
    _WORKER["max_bytes"] = max_bytes
    _WORKER["nt"] = nt


def map_file(path: str | Path, display: str, mapper: Mapper, profile: Profile = DEFAULT_PROFILE,
             max_bytes: int = MAX_BYTES, source: str | None = None):
    """Read and map one file: ``(outcome, mapped record or None, sha256 or None)``. Never raises for bad input.

    Findings name the file as ``display`` (for the person who ran the command); the graph's ``dcterms:source``
    is ``source`` (relative to the repository or source root, :mod:`.provenance`), ``display`` when not given."""
    try:
        rec = read_record(path, profile=profile, max_bytes=max_bytes, display=display)
        if source is not None:
            rec.path = source
    except NotARecord as exc:
        return FileOutcome(display, "skipped", reason=f"{display}: not a record: {exc}"), None, None
    except RecordError as exc:
        first = next((f for f in exc.findings if f.severity >= Severity.ERROR), exc.findings[0])
        return FileOutcome(display, "skipped", reason=str(first), findings=exc.findings), None, None
    # a vendor without a scheme that nearly spells a known one is a slip, not a new vendor: the record is skipped
    # with the fix, the decision validate makes too (taxonomy/extract.py)
    slips = [vendor_typo_finding(display, topic, known, mapper.taxonomy, line=rec.line_of("topics"),
                                 field=f"{(profile.paths('topics') or ('topics',))[0]}[{i}]")
             for i, topic in enumerate(rec.topics) if mapper.taxonomy.scheme_for(topic.vendor) is None
             and (known := vendor_typo(topic.vendor, mapper.taxonomy, profile)) is not None]
    if slips:
        return (FileOutcome(display, "skipped", reason=str(slips[0]), findings=list(rec.findings) + slips),
                None, rec.sha256)
    try:
        mapped = mapper.map(rec)
    except ValueError as exc:  # an IRI that slipped past the reader's checks: skip, never corrupt the graph
        return FileOutcome(display, "skipped", reason=f"{display}: cannot be mapped: {exc}"), None, rec.sha256
    # topics the taxonomy lacks are counted for the whole build (report "unknown_topics"); `validate` names them
    # per file with a did-you-mean, so the build report stays small on large corpora
    # a topic under a new vendor is a warning, the decision validate makes too (taxonomy/extract.py)
    new_vendors = [new_vendor_finding(display, Topic(vendor, text[len(vendor) + 2:]))
                   for vendor in mapped.unknown_vendors if is_new_vendor(vendor, None, profile, mapper.taxonomy)
                   for text in mapped.unknown_topics if text.startswith(f"{vendor}: ")]
    outcome = FileOutcome(display, "mapped", record_id=rec.id, article=mapped.article, triples=mapped.triples,
                          findings=list(rec.findings) + new_vendors)
    return outcome, mapped, rec.sha256


def _work_chunk(items: list[tuple[str, str, str]]):
    """Map a chunk of files: ``(results, N-Quads, N-Triples or None, ends)``.

    The records' N-Quads (and, with ``--format nt``, N-Triples) come back as one UTF-8 block each, with where
    each record's lines end (``ends``: a pair of offsets per result); their text is taken out of the results.
    Bytes cross between processes as a copy, where a string would be encoded and decoded again, and the main
    process (the build's busiest) writes them as they are.
    """
    mapper, profile, max_bytes, nt = _WORKER["mapper"], _WORKER["profile"], _WORKER["max_bytes"], _WORKER["nt"]
    results = [map_file(p, d, mapper, profile, max_bytes, s) for p, d, s in items]
    nq_parts: list[bytes] = []
    nt_parts: list[bytes] = []
    ends: list[tuple[int, int]] = []
    nq_end = nt_end = 0
    for _, mapped, _ in results:
        if mapped is not None:
            text, mapped.nquads = mapped.nquads, ""
            data = text.encode("utf-8")
            nq_parts.append(data)
            nq_end += len(data)
            if nt:
                data = record_ntriples(text, mapped.triples, mapped.graph).encode("utf-8")
                nt_parts.append(data)
                nt_end += len(data)
        ends.append((nq_end, nt_end))
    return results, b"".join(nq_parts), b"".join(nt_parts) if nt else None, ends


def record_ntriples(text: str, lines: int, graph: str) -> str:
    """A record's N-Quads (``lines`` of them, all in ``graph``) as N-Triples: each line ends with its graph term
    (a literal never holds a raw line break, so the term can only stand at a line's end)."""
    end = f" <{graph}> .\n"
    if text.count(end) == lines:
        return text.replace(end, " .\n")
    return "".join(line[: line.rindex(" <")] + " .\n" for line in text.split("\n") if line)


def mapped_files(paths: list[str], *, jobs: int, profile: Profile, base_iri: str, taxonomy_dir: str | None,
                 max_bytes: int, nt: bool = False, cwd: Path | None = None, root: Path | None = None):
    """``(outcome, mapped or None, sha256 or None, N-Quads, N-Triples or None)`` of each file, in order; the two
    texts are UTF-8 views (empty for a file not mapped). Display paths are relative to ``cwd`` (default: the
    working folder), ``dcterms:source`` paths to ``root`` (default: :func:`.provenance.provenance_root`)."""
    cwd = cwd if cwd is not None else Path(os.getcwd())
    root = root if root is not None else provenance_root(paths)
    items = [(p, display_path(p, cwd), source_path(p, root)) for p in paths]
    if jobs <= 1 or len(items) < PARALLEL_MIN:
        _init_worker(profile, base_iri, taxonomy_dir, max_bytes, nt)
        for i in range(0, len(items), 50):
            yield from _unpack(_work_chunk(items[i:i + 50]))
        return
    size = max(50, min(500, len(items) // (jobs * 8) or 50))
    chunks = (items[i:i + size] for i in range(0, len(items), size))
    with WorkerPool(jobs, _init_worker, profile, base_iri, taxonomy_dir, max_bytes, nt) as pool:
        for _, done in pool.ordered(_work_chunk, chunks):
            yield from _unpack(done)


def _unpack(chunk):
    results, nq, nt, ends = chunk
    nq, nt = memoryview(nq), memoryview(nt if nt is not None else b"")
    nq_start = nt_start = 0
    for (outcome, mapped, sha), (nq_end, nt_end) in zip(results, ends):
        yield outcome, mapped, sha, nq[nq_start:nq_end], nt[nt_start:nt_end]
        nq_start, nt_start = nq_end, nt_end
