"""``validate``: every check over records, RDF files and the taxonomy, cached per file, in parallel when it pays."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from ..errors import Finding, Severity, TopicgraphError
from ..iris import IriMinter
from ..parallel import WorkerDied, WorkerPool, default_jobs
from ..records import DEFAULT_PROFILE, MAX_BYTES, Profile
from ..records.identity import DuplicateRecords
from ..sources import LINK_FIX, display_path, link_problem, walk_sources
from ..vocab import DEFAULT_BASE_IRI
from .concepts import fold_unknown_topics
from .cache import ResultCache, cache_files_found, cache_outside
from .report import ValidationReport

__all__ = ["validate", "config_key", "discover_files", "no_gc"]

#: Below this many files to check, worker processes cost more than they save.
PARALLEL_MIN = 200
#: Files per unit of work: their records' SHACL is screened, and the doubtful ones go to pyshacl together.
CHUNK = 500
_TAXONOMY_ENTRY = "\0taxonomy"
#: bumped when the checks change what they find, so a cache filled by an earlier build of the same version is
#: not trusted (2: a record rejected for a field error also has its topics checked; 3: ids that mint the same
#: article IRI are duplicates; 4: duplicates are told by the build's rules, records.identity; 5: a topic under the
#: profile's default vendor without a scheme is a new-vendor warning, record caps, addresses checked alike)
CHECKS_REVISION = "5"


def config_key(*, shapes_digest: str, taxonomy_files: Iterable[Path], profile: Profile, base_iri: str,
               max_bytes: int) -> str:
    """What every cached result depends on besides the file itself."""
    from ..version import __version__

    h = hashlib.sha256()
    for part in (__version__, CHECKS_REVISION, shapes_digest, repr(profile), base_iri, str(max_bytes)):
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
    profile and topicgraph version, so an unchanged file is not checked again (nor read: its size and
    modification time are compared first). A cache folder inside the paths validated is not used, nor is any
    cache found among them (a tree could carry one that says its files passed): each is noted (``cache.in-tree``,
    an info), as is a cache that cannot be written (``cache.unavailable``: the run goes on without it). Nothing
    is written under the paths validated. Raises :class:`~topicgraph.errors.TopicgraphError` when it cannot
    run (a missing path, unreadable shapes or taxonomy, a crash in pyshacl).

    >>> report = validate(["seeds"])
    >>> report.ok, report.counts["errors"], report.counts["warnings"]
    (True, 0, 5)
    """
    with no_gc():
        return _validate(paths, strict=strict, cache_dir=cache_dir, taxonomy=taxonomy, shapes=shapes,
                         profile=profile, base_iri=base_iri, max_bytes=max_bytes, jobs=jobs,
                         check_taxonomy=check_taxonomy, progress=progress)


@contextmanager
def no_gc():
    """The cyclic garbage collector paused: a report of 100k files makes millions of small objects and no
    cycles, and the collector's passes over them cost more than the rest of a cached run (measured: decoding the
    cached summaries of 100k files took 1.3 s with it, 0.3 s without)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _validate(paths, *, strict, cache_dir, taxonomy, shapes, profile, base_iri, max_bytes, jobs, check_taxonomy,
              progress) -> ValidationReport:
    from ..taxonomy import taxonomy_files
    from ..shacl import shapes_files

    started = time.perf_counter()
    paths = list(paths)
    if not paths:
        raise TopicgraphError("nothing to validate: give record files, folders or RDF files")
    shapes_digest = _shapes_digest(shapes_files(shapes))
    tax_files = taxonomy_files(taxonomy)
    ckey = config_key(shapes_digest=shapes_digest, taxonomy_files=tax_files, profile=profile,
                      base_iri=base_iri, max_bytes=max_bytes)
    settings = dict(taxonomy=str(taxonomy) if taxonomy is not None else None,
                    shapes=str(shapes) if shapes is not None else None, profile=profile, base_iri=base_iri,
                    max_bytes=max_bytes)
    cwd = os.getcwd()
    cache_dir, notes = cache_outside(paths, cache_dir, cwd)
    cache = ResultCache(cache_dir)
    pool = None
    try:
        # Nothing checked yet under this configuration, and files enough for worker processes: start them now, so
        # that they import and load the shapes and taxonomy while this process finds and stats the files.
        if default_jobs(jobs) > 1 and not cache.has_any(ckey) and _at_least(paths, PARALLEL_MIN):
            pool = _Pool(settings, default_jobs(jobs))
        files, passed = _discover_files(paths)
    except BaseException:
        if pool is not None:
            pool.close()
        cache.close()
        raise
    displays = [f.display for f in files]
    notes += cache_files_found([(f.path, f.display) for f in files], notes)
    # never cached: they cost nothing to find again
    turned_away = _passed_findings(passed)
    scope, listing = _run_keys(ckey, paths, check_taxonomy, files) if cache.db is not None else ("", None)
    if listing is not None:
        found = cache.run_get(scope, listing)
        if found is not None:  # nothing changed since a run that kept its findings: they are the answer
            if pool is not None:
                pool.close()
            cache.close()
            if progress is not None and files:
                progress(len(files), len(files))
            return ValidationReport(found + turned_away + notes, displays, strict=strict,
                                    seconds=time.perf_counter() - started, cached=len(files), stats={"checked": 0})
    summaries: dict[str, dict] = {}
    todo: list[tuple[str, str, int | None, int | None, str]] = []  # (path, display, size, mtime_ns, sha256)
    try:
        known = cache.load(ckey)
        hits: list[str] = []
        touched = []
        for f in files:
            row = known.get(f.display)
            if row is not None and f.size is not None and row[0] == f.size and row[1] == f.mtime_ns \
                    and f.mtime_ns != -1:
                hits.append(f.display)
                continue
            if row is None:  # nothing to compare with: the worker hashes it (in parallel), if it is to be kept
                todo.append((f.path, f.display, f.size, f.mtime_ns, None if cache.db is not None else ""))
                continue
            digest = _digest(f, max_bytes)
            if row[2] == digest and not digest.startswith("unreadable:"):
                hits.append(f.display)
                if f.size is not None:
                    touched.append((f.display, f.size, f.mtime_ns))
            else:
                todo.append((f.path, f.display, f.size, f.mtime_ns, digest))
        for display, summary in zip(hits, cache.summaries(hits)):
            if summary is None:  # an unreadable row: check the file again
                f = next(x for x in files if x.display == display)
                todo.append((f.path, display, f.size, f.mtime_ns, _digest(f, max_bytes)))
            else:
                summaries[display] = summary
        cache.touch(touched)
        cached = len(summaries)
        if progress is not None and cached:
            progress(cached, len(files))
        fresh: list[tuple] = []

        def flush() -> None:  # summaries come back as JSON text: stored as they are, decoded in one call
            for entry, summary in zip(fresh, json.loads("[" + ",".join(e[4] for e in fresh) + "]")):
                summaries[entry[0]] = summary
            cache.put(ckey, fresh)
            fresh.clear()

        # The taxonomy's own checks (pyshacl on the whole taxonomy, seconds at scale) run in a thread of this
        # process while worker processes check the files, rather than after them; alone, in order.
        tax_job = None
        if check_taxonomy and cache.get(ckey, _TAXONOMY_ENTRY) is None and _parallel(todo, jobs):
            tax_job = _Background(_check_taxonomy, taxonomy, shapes)
        checking, pool = _check_all(todo, settings, jobs, ckey, pool), None  # _check_all closes the pool
        for n, (item, (digest, text)) in enumerate(checking, 1):
            fresh.append((item[1], item[2], item[3], digest, text))
            if progress is not None:
                progress(cached + n, len(files))
            if len(fresh) >= 2000:
                flush()
        flush()

        # each file's findings, then the taxonomy's and the cross-record ones about it (the stage order), then those
        # about files not checked here (the taxonomy's own files)
        later: dict[str, list[Finding]] = {}
        rest: list[Finding] = []
        extra = _taxonomy_findings(cache, ckey, taxonomy, shapes, tax_job) if check_taxonomy else []
        for f in extra + cross_record_findings([(d, summaries[d]) for d in displays], base_iri=base_iri):
            (later.setdefault(f.file, []) if f.file in summaries else rest).append(f)
        findings: list[Finding] = []
        for display in displays:
            if summaries[display].get("findings"):  # most files have none
                findings.extend(_findings(display, summaries[display]))
            if display in later:
                findings.extend(later[display])
        findings.extend(rest)
        findings = fold_unknown_topics(findings)  # one warning per missing concept, as the build report counts
        if listing is not None:
            cache.run_put(scope, listing, findings)
        findings.extend(turned_away)
    finally:
        if pool is not None:
            pool.close()
        cache.close()
    findings.extend(notes + cache.notes(cwd))
    return ValidationReport(findings, displays, strict=strict, seconds=time.perf_counter() - started,
                            cached=cached, stats={"checked": len(todo)})


def _run_keys(ckey: str, paths: list, check_taxonomy: bool, files: list["Found"]) -> tuple[str, str | None]:
    """The key of this kind of run (configuration, arguments) and of the files as found (each one's path, size and
    modification time): a run whose files all have the size and time they had in the last run of its kind, none
    of them modified within :data:`~.cache.RACY_NS` of that run, has that run's findings. None for the second
    when some file cannot be trusted so (cannot stat it, or it was modified too recently)."""
    from .cache import RACY_NS

    scope = hashlib.sha256(json.dumps([ckey, [str(p) for p in paths], check_taxonomy]).encode()).hexdigest()
    racy = time.time_ns() - RACY_NS
    h = hashlib.sha256()
    parts = []
    for f in files:
        if f.size is None or f.mtime_ns is None or f.mtime_ns >= racy:
            return scope, None
        parts.append(f"{f.path}\0{f.display}\0{f.size}\0{f.mtime_ns}\n")
    h.update("".join(parts).encode("utf-8", "surrogateescape"))
    return scope, h.hexdigest()


class _Background:
    """A call run in a thread; :meth:`result` waits for it and returns its value or raises its exception."""

    def __init__(self, fn, *args) -> None:
        import threading

        self._out: tuple | None = None

        def run() -> None:
            try:
                self._out = (True, fn(*args))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                self._out = (False, exc)

        self._thread = threading.Thread(target=run, name="topicgraph-taxonomy-check", daemon=True)
        self._thread.start()

    def result(self):
        self._thread.join()
        ok, value = self._out  # type: ignore[misc]
        if not ok:
            raise value
        return value


def _shapes_digest(files: list[Path]) -> str:
    """The digest :class:`~.shacl.Shapes` computes, without parsing the shapes (a fully cached run never does)."""
    h = hashlib.sha256()
    for path in files:
        try:
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError as exc:
            raise TopicgraphError(f"cannot read the SHACL shapes in {path}: {exc}") from None
    return h.hexdigest()


class Found(NamedTuple):
    """A file to check: its path as found (a string, as ``Path.as_posix()`` gives it), its display path, and its
    size and mtime (None: cannot stat)."""

    path: str
    display: str
    size: int | None
    mtime_ns: int | None


def discover_files(sources: Iterable[str | Path]) -> list[Found]:
    """The files :func:`topicgraph.sources.discover` finds (same files, same order, same display paths), each
    with its size and modification time, for one ``stat`` per file and no per-file path resolution.

    >>> [f.display for f in discover_files(["seeds"])][:2]
    ['seeds/000_e196614bccfeda88.txt', 'seeds/001_46930356a44fedc4.txt']
    """
    return _discover_files(sources)[0]


class Passed(NamedTuple):
    """An entry discovery turns away, as the build reports it (:func:`topicgraph.sources.discover_entries`): its path
    and display path, ``kind`` (``special``: a FIFO, socket or device; ``same``: a symlink to a file found under
    its own name; ``folder``: a folder that cannot be listed; ``outside`` and ``broken``: a symlink whose target is
    outside the paths given or in a version-control folder, or does not exist) and ``detail`` (what it is; the
    display path of the file checked instead; the OS error; the link's target)."""

    path: str
    display: str
    kind: str
    detail: str


def _discover_files(sources: Iterable[str | Path]) -> tuple[list[Found], list[Passed]]:
    """:func:`discover_files`, and the entries it turns away (as the build does: in the order of their paths).
    The walk and the display paths are the build's own (:func:`topicgraph.sources.walk_sources`,
    :func:`topicgraph.sources.display_path`); each file gets one ``stat``, by its folder entry."""
    w = walk_sources(sources, keep_entries=True)
    cwd = os.getcwd()

    def sized(path: str, entry: os.DirEntry | None) -> tuple[int | None, int | None]:
        if entry is not None:
            return _entry_stat(entry)
        try:
            st = os.stat(path)
        except OSError:
            return None, None
        return st.st_size, st.st_mtime_ns

    # a file found through a link is shown where the link is, as the build shows it
    out = [Found(path, display_path(path, cwd), *sized(path, w.entries[real])) for real, path in w.found.items()]
    out.sort(key=itemgetter(0))
    turned = [Passed(path, display_path(path, cwd), kind, display_path(w.found[detail], cwd) if kind == "same"
                     else display_path(detail, cwd) if kind in ("outside", "broken") else detail)
              for path, _, kind, detail in w.skipped]
    turned.sort(key=itemgetter(0))
    return out, turned


def _entry_stat(e: os.DirEntry) -> tuple[int | None, int | None]:
    try:
        st = e.stat()  # follows a link, as os.stat(path) does; one stat, by the folder's entry
    except OSError:
        return None, None
    return st.st_size, st.st_mtime_ns


def _passed_findings(passed: list[Passed]) -> list[Finding]:
    """A finding for each entry discovery turned away: as for a file that cannot be read (an error), except a
    second name for a file checked under its own (an info). A symlink leading out of the paths given is an error:
    what it points at is not read, and a pull request must not smuggle in a file from outside the checkout."""
    out = []
    for p in passed:
        if p.kind in ("outside", "broken"):
            out.append(Finding(p.display, f"{link_problem(p.kind, p.detail)}: not read",
                               rule=f"source.symlink-{p.kind}", fix=LINK_FIX))
        elif p.kind == "special":
            out.append(Finding(p.display, f"not a regular file ({p.detail}): not read", rule="record.io",
                               fix="a record is a regular file: leave it out of the paths to validate"))
        elif p.kind == "same":
            out.append(Finding(p.display, f"same file as {p.detail} (a symbolic link to it): checked once, as "
                               f"{p.detail}", severity=Severity.INFO, rule="record.same-file",
                               fix="nothing to do; delete the link if it is not meant to be there"))
        else:
            out.append(Finding(p.display, f"cannot read this folder ({p.detail}): nothing under it was checked",
                               rule="record.io", fix="give it read and execute permission, or leave it out"))
    return out


def _digest(f: Found, max_bytes: int) -> str:
    try:
        if f.size is not None and f.size > max_bytes:
            return f"size:{f.size}:{f.mtime_ns}"
        with open(f.path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"


_SEVERITIES = {str(s): s for s in Severity}


def _findings(display: str, summary: dict) -> list[Finding]:
    sev = _SEVERITIES
    return [Finding(display, m, sev[s], line, fld, rule, fix, node)
            for m, s, line, fld, rule, fix, node in summary.get("findings", ())]


# ------------------------------------------------------------------------------------------------ file checks
_WORKER: dict = {}


def _init_worker(settings: dict) -> None:
    from .context import Context

    _WORKER["ctx"] = Context.create(**settings)


def _check_chunk(items: list[tuple]) -> list[tuple[str, str]]:
    """``(sha256, summary as JSON text)`` of each item (JSON: cheaper to send between processes than dictionaries,
    and what the cache stores). A file is hashed here when the caller has not: the very bytes that are checked,
    as they are read (should it change afterwards, the next run sees a new digest and checks it again)."""
    from .files import check_files

    ctx = _WORKER["ctx"]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    try:
        with no_gc():
            # the bytes checked are hashed as they are read (a file over the size limit, or one that cannot be
            # read, gets its digest here, as the main process gives it)
            digests = [item[4] if item[4] is not None or (item[2] is not None and item[2] <= ctx.max_bytes)
                       else _digest(Found(item[0], item[1], item[2], item[3]), ctx.max_bytes) for item in items]
            summaries = check_files([(item[0], item[1]) for item in items], ctx, digests)
            digests = [d if d is not None else _digest(Found(item[0], item[1], item[2], item[3]), ctx.max_bytes)
                       for d, item in zip(digests, items)]
            return [(d, dumps(s)) for d, s in zip(digests, summaries)]
    except TopicgraphError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in a check must read as "could not run" (exit 2)
        names = ", ".join(item[1] for item in items[:3]) + (" ..." if len(items) > 3 else "")
        raise TopicgraphError(f"{names}: the checks crashed ({type(exc).__name__}: {exc}); "
                              "set TOPICGRAPH_DEBUG=1 and report it") from exc


def _parallel(todo: list, jobs: int | None) -> bool:
    """Whether these files are checked by worker processes."""
    return default_jobs(jobs) > 1 and len(todo) >= PARALLEL_MIN


def _at_least(paths: list, n: int) -> bool:
    """Whether ``paths`` hold at least ``n`` files, by a walk that stops there (a guess at what discovery will
    find: it does not skip what discovery skips)."""
    count = 0
    stack = [str(p) for p in paths]
    while stack:
        top = stack.pop()
        if not os.path.isdir(top):
            count += os.path.exists(top)
        else:
            try:
                with os.scandir(top) as entries:
                    for e in entries:
                        if e.is_dir(follow_symlinks=False):
                            stack.append(e.path)
                        else:
                            count += 1
                            if count >= n:
                                return True
            except OSError:
                pass
        if count >= n:
            return True
    return False


class _Pool(WorkerPool):
    """Worker processes, each with the checking context of ``settings`` loaded, started ahead of use."""

    def __init__(self, settings: dict, jobs: int) -> None:
        super().__init__(jobs, _init_worker, settings, start=True)
        self.settings = settings

    def close(self, wait: bool = False) -> None:
        """Stop the workers (not waiting for them, unless ``wait``: they may still be starting)."""
        super().close(wait)


def _check_all(todo, settings: dict, jobs: int | None, ckey: str = "", pool: "_Pool | None" = None):
    """Yield ``(item, summary)`` for every file to check, in order: in this process for a few files, else in a
    pool of worker processes (``pool``, if started already), a bounded window of chunks in flight (each chunk's
    records share their SHACL). Closes ``pool`` when done."""
    jobs = default_jobs(jobs)
    if pool is not None and (not _parallel(todo, jobs) or pool.settings != settings or pool.jobs != jobs):
        pool.close()
        pool = None
    if not todo:
        return
    if not _parallel(todo, jobs):
        if "ctx" not in _WORKER or _WORKER.get("settings") != (settings, ckey):
            _init_worker(settings)  # the configuration key changes with the taxonomy's and the shapes' contents
            _WORKER["settings"] = (settings, ckey)
        size = CHUNK
        for i in range(0, len(todo), size):
            chunk = todo[i:i + size]
            yield from zip(chunk, _check_chunk(chunk))
        return
    size = max(20, min(CHUNK, len(todo) // (jobs * 4) or 20))
    chunks = (todo[i:i + size] for i in range(0, len(todo), size))
    try:
        with pool or _Pool(settings, jobs) as running:
            for chunk, done in running.ordered(_check_chunk, chunks):
                yield from zip(chunk, done)
    except WorkerDied as exc:
        raise TopicgraphError(f"a worker process died ({exc}); run again with --jobs 1 to see which file") from None


# ------------------------------------------------------------------------------------------------ taxonomy
def _check_taxonomy(taxonomy, shapes) -> list[Finding]:
    from ..taxonomy.checks import check_taxonomy

    return check_taxonomy(taxonomy, shapes=shapes)


def _taxonomy_findings(cache: ResultCache, ckey: str, taxonomy, shapes, job: "_Background | None" = None) \
        -> list[Finding]:
    hit = cache.get(ckey, _TAXONOMY_ENTRY)
    if hit is None:
        found = job.result() if job is not None else _check_taxonomy(taxonomy, shapes)
        hit = {"findings": [f.to_dict() for f in found]}
        cache.put(ckey, [(_TAXONOMY_ENTRY, None, None, "", hit)])
    return [Finding(d["file"], d["message"], severity=Severity[d["severity"].upper()], line=d["line"],
                    field=d["field"], rule=d["rule"], fix=d["fix"], node=d["node"]) for d in hit["findings"]]


# ------------------------------------------------------------------------------------------------ cross-record
def cross_record_findings(summaries: list[tuple[str, dict]], *, base_iri: str = DEFAULT_BASE_IRI) \
        -> list[Finding]:
    """Duplicate files (same bytes), ids and URLs across records, each reported on every record after the first.
    Ids are duplicates when they mint the same article IRI (under ``base_iri``), as the build would merge them
    (the rules of :class:`topicgraph.records.identity.DuplicateRecords`).

    >>> a = {"kind": "record", "id": "1", "sha256": "x", "urls": [], "id_line": 2, "id_field": "id"}
    >>> [str(f) for f in cross_record_findings([("a.md", a), ("b.md", dict(a, sha256="y"))])]
    ["b.md:2 id: error: duplicate id '1': a.md has it too (give each record its own id) [record.duplicate-id]"]
    >>> b = dict(a, id="x_Y", sha256="y")
    >>> [f.message for f in cross_record_findings([("a.md", dict(a, id="X y")), ("b.md", b)])]
    ["id 'x_Y' gives the same article IRI <https://w3id.org/topicgraph/id/article/x-y> as id 'X y' in a.md"]
    """
    out: list[Finding] = []
    duplicates = DuplicateRecords(IriMinter(base_iri).article)
    urls: dict[str, str] = {}
    for display, s in summaries:
        if s.get("kind") != "record":
            continue
        rid = s.get("id")
        if rid is None and "id" not in s:
            continue
        dup = duplicates.check(display, s["sha256"], rid)
        if dup is not None and dup.kind == "file":
            out.append(Finding(display, dup.message, rule=dup.rule, fix=dup.fix))
            continue
        if dup is not None:
            out.append(Finding(display, dup.message, line=s.get("id_line"), field=s.get("id_field"), rule=dup.rule,
                               fix=dup.fix))
        for url, line, fld in s.get("urls", ()):
            first = urls.get(url)
            if first is not None:
                out.append(Finding(display, f"duplicate URL {url}: {first} links to the same article",
                                   severity=Severity.WARNING, line=line, field=fld, rule="record.duplicate-url",
                                   fix="merge the two records, or delete one"))
            else:
                urls[url] = display
    return out
