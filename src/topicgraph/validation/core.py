"""``validate``: every check over records, RDF files and the taxonomy, cached per file, in parallel when it pays."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import Finding, Severity, TopicgraphError
from ..namespaces import DEFAULT_BASE_IRI
from ..records import DEFAULT_PROFILE, MAX_BYTES, Profile
from .cache import ResultCache, entry_key
from .report import ValidationReport

__all__ = ["validate", "config_key"]

#: Below this many files to check, worker processes cost more than they save.
PARALLEL_MIN = 200
_TAXONOMY_ENTRY = "\0taxonomy"


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def config_key(*, shapes_digest: str, taxonomy_files: Iterable[Path], profile: Profile, base_iri: str,
               max_bytes: int) -> str:
    """What every cached result depends on besides the file itself."""
    from .. import __version__

    h = hashlib.sha256()
    for part in (__version__, shapes_digest, repr(profile), base_iri, str(max_bytes)):
        h.update(part.encode("utf-8") + b"\0")
    for path in taxonomy_files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def validate(paths: Iterable[str | Path], *, strict: bool = False, cache_dir: str | Path | None = None,
             taxonomy: str | Path | None = None, shapes: str | Path | None = None,
             profile: Profile = DEFAULT_PROFILE, base_iri: str = DEFAULT_BASE_IRI, max_bytes: int = MAX_BYTES,
             jobs: int | None = None, check_taxonomy: bool = True,
             progress: Callable[[int, int], None] | None = None) -> ValidationReport:
    """Check records, folders of records and RDF files; return every finding.

    In order: can each record be read; do its fields make sense (topics against the taxonomy, with a
    did-you-mean); does its mapped RDF conform to the SHACL shapes (each record's graph with the entities it
    names); is the taxonomy sound; are ids, file contents and URLs unique across records. RDF files (``.ttl``,
    ``.nt``, ``.nq``, ``.trig``, ``.jsonld``) are parsed and validated against the shapes.

    With ``cache_dir``, each file's result is kept keyed by its bytes and path and by the shapes, taxonomy,
    profile and topicgraph version, so an unchanged file is not checked again. Raises
    :class:`~topicgraph.errors.TopicgraphError` when it cannot run (a missing path, unreadable shapes or
    taxonomy, a crash in pyshacl).

    >>> report = validate(["seeds"])
    >>> report.ok, report.counts["errors"], report.counts["warnings"]
    (True, 0, 5)
    """
    from ..pipeline import discover
    from ..taxonomy import taxonomy_files
    from .shacl import Shapes

    started = time.perf_counter()
    paths = list(paths)
    if not paths:
        raise TopicgraphError("nothing to validate: give record files, folders or RDF files")
    shapes_obj = Shapes.load(shapes)
    tax_files = taxonomy_files(taxonomy)
    ckey = config_key(shapes_digest=shapes_obj.digest, taxonomy_files=tax_files, profile=profile,
                      base_iri=base_iri, max_bytes=max_bytes)
    files = discover(paths)
    displays = [_display(p) for p in files]
    cache = ResultCache(cache_dir)
    summaries: dict[str, dict] = {}
    todo: list[tuple[str, str, str]] = []  # (path, display, entry key)
    try:
        for path, display in zip(files, displays):
            digest = _digest(path, max_bytes)
            k = entry_key(ckey, display, digest)
            hit = cache.get(display, k)
            if hit is not None:
                summaries[display] = hit
            else:
                todo.append((str(path), display, k))
        cached = len(summaries)
        settings = dict(taxonomy=str(taxonomy) if taxonomy is not None else None,
                        shapes=str(shapes) if shapes is not None else None, profile=profile, base_iri=base_iri,
                        max_bytes=max_bytes)
        fresh = []
        for n, (item, summary) in enumerate(_check_all(todo, settings, jobs, ckey), 1):
            summaries[item[1]] = summary
            fresh.append((item[1], item[2], summary))
            if progress is not None:
                progress(cached + n, len(files))
            if len(fresh) >= 500:
                cache.put(fresh)
                fresh = []
        cache.put(fresh)

        findings: list[Finding] = []
        for display in displays:
            findings.extend(_findings(display, summaries[display]))
        if check_taxonomy:
            findings.extend(_taxonomy_findings(cache, ckey, taxonomy, shapes))
        findings.extend(cross_record_findings([(d, summaries[d]) for d in displays]))
    finally:
        cache.close()
    order = {d: i for i, d in enumerate(displays)}
    findings.sort(key=lambda f: order.get(f.file, len(order)))  # stable: stage order kept inside each file
    return ValidationReport(findings, displays, strict=strict, seconds=time.perf_counter() - started,
                            cached=cached, stats={"checked": len(todo)})


def _digest(path: Path, max_bytes: int) -> str:
    try:
        if path.stat().st_size > max_bytes:
            return f"size:{path.stat().st_size}:{path.stat().st_mtime_ns}"
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def _findings(display: str, summary: dict) -> list[Finding]:
    return [Finding(display, d["message"], severity=Severity[d["severity"].upper()], line=d["line"], field=d["field"],
                    rule=d["rule"], fix=d["fix"], node=d["node"]) for d in summary.get("findings", [])]


# ------------------------------------------------------------------------------------------------ file checks
_WORKER: dict = {}


def _init_worker(settings: dict) -> None:
    from .files import Context

    _WORKER["ctx"] = Context.create(**settings)


def _check_chunk(items: list[tuple[str, str, str]]) -> list[dict]:
    from .files import check_file

    ctx = _WORKER["ctx"]
    out = []
    for path, display, _ in items:
        try:
            out.append(check_file(Path(path), display, ctx))
        except TopicgraphError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug in a check must read as "could not run" (exit 2)
            raise TopicgraphError(f"{display}: the checks crashed ({type(exc).__name__}: {exc}); "
                                  "set TOPICGRAPH_DEBUG=1 and report it") from exc
    return out


def _check_all(todo, settings: dict, jobs: int | None, ckey: str = ""):
    if not todo:
        return
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if jobs <= 1 or len(todo) < PARALLEL_MIN:
        if "ctx" not in _WORKER or _WORKER.get("settings") != (settings, ckey):
            _init_worker(settings)  # the configuration key changes with the taxonomy's and the shapes' contents
            _WORKER["settings"] = (settings, ckey)
        for item in todo:
            yield item, _check_chunk([item])[0]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(20, min(200, len(todo) // (jobs * 8) or 20))
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    ctx = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(settings,)) as pool:
            for chunk, results in zip(chunks, pool.map(_check_chunk, chunks)):
                yield from zip(chunk, results)
    except BrokenProcessPool as exc:
        raise TopicgraphError(f"a worker process died ({exc}); run again with --jobs 1 to see which file") from None


# ------------------------------------------------------------------------------------------------ taxonomy
def _taxonomy_findings(cache: ResultCache, ckey: str, taxonomy, shapes) -> list[Finding]:
    from ..taxonomy.checks import check_taxonomy

    k = entry_key(ckey, _TAXONOMY_ENTRY, "")
    hit = cache.get(_TAXONOMY_ENTRY, k)
    if hit is None:
        found = check_taxonomy(taxonomy, shapes=shapes)
        hit = {"findings": [f.to_dict() for f in found]}
        cache.put([(_TAXONOMY_ENTRY, k, hit)])
    return [Finding(d["file"], d["message"], severity=Severity[d["severity"].upper()], line=d["line"],
                    field=d["field"], rule=d["rule"], fix=d["fix"], node=d["node"]) for d in hit["findings"]]


# ------------------------------------------------------------------------------------------------ cross-record
def cross_record_findings(summaries: list[tuple[str, dict]]) -> list[Finding]:
    """Duplicate files (same bytes), ids and URLs across records, each reported on every record after the first.

    >>> a = {"kind": "record", "id": "1", "sha256": "x", "urls": [], "id_line": 2, "id_field": "id"}
    >>> [str(f) for f in cross_record_findings([("a.md", a), ("b.md", dict(a, sha256="y"))])]
    ["b.md:2 id: error: duplicate id '1': a.md has it too (give each record its own id) [record.duplicate-id]"]
    """
    out: list[Finding] = []
    shas: dict[str, str] = {}
    ids: dict[str, str] = {}
    urls: dict[str, str] = {}
    for display, s in summaries:
        if s.get("kind") != "record" or "id" not in s:
            continue
        if s["sha256"] in shas:
            out.append(Finding(display, f"duplicate file: the same bytes as {shas[s['sha256']]}",
                               rule="record.duplicate-file", fix="delete one of the two copies"))
            continue
        shas[s["sha256"]] = display
        if s["id"] in ids:
            out.append(Finding(display, f"duplicate id {s['id']!r}: {ids[s['id']]} has it too",
                               line=s.get("id_line"), field=s.get("id_field"), rule="record.duplicate-id",
                               fix="give each record its own id"))
        else:
            ids[s["id"]] = display
        for url, line, fld in s.get("urls", []):
            if url in urls:
                out.append(Finding(display, f"duplicate URL {url}: {urls[url]} links to the same article",
                                   severity=Severity.WARNING, line=line, field=fld, rule="record.duplicate-url",
                                   fix="merge the two records, or delete one"))
            else:
                urls[url] = display
    return out
