"""The build: files → records → triples → on-disk store (+ exports and a report), atomically replacing the last one."""

from __future__ import annotations

import io
import json
import os
import queue
import re
import shutil
import signal
import stat
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Finding, RecordError, Severity, TopicgraphError
from .iris import IriMinter
from .mapping import Mapper, count_mentions, entity_nquads
from .namespaces import DEFAULT_BASE_IRI, TG_IRI
from .records import DEFAULT_PROFILE, MAX_BYTES, NotARecord, Profile, read_record
from .store import EXPORT_FORMATS, MANIFEST, BuildLock, GraphStore, atomic_write, export_graph, write_manifest

__all__ = ["build", "update", "BuildResult", "BuildReport", "FileOutcome", "UpdateOutcomes", "discover", "map_file"]

REPORT = "build-report.json"
#: quads per segment file, and segments per bulk-load call at most (see :class:`_StreamingLoad`). Three segments
#: a call (1.5 million quads, two parallel batches) took the build's main process from 0.74 GB to 1.2-1.6 GB at
#: 100,000 records with no wall-time gain that the shared machine could show, so one it is.
SEGMENT_QUADS = 500_000
SEGMENTS_PER_CALL = 1
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox"}


@dataclass
class FileOutcome:
    """What happened to one input file."""

    file: str
    status: str  # "mapped" | "skipped"
    reason: str = ""
    record_id: str | None = None
    article: str | None = None
    triples: int = 0
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = {"file": self.file, "status": self.status}
        if self.reason:
            d["reason"] = self.reason
        if self.record_id is not None:
            d.update(record_id=self.record_id, article=self.article, triples=self.triples)
        if self.findings:
            d["findings"] = [f.to_dict() for f in self.findings]
        return d


@dataclass
class BuildReport:
    """Every input file accounted for: mapped, or skipped with the reason."""

    files: list[FileOutcome]
    counts: dict[str, int]
    seconds: float
    out: str
    unknown_topics: dict[str, int] = field(default_factory=dict)  # "Vendor: Label" -> records using it
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    #: entries discovery passed over without a word, as documented, by kind ("hidden files", "build folders", ...)
    ignored: dict[str, int] = field(default_factory=dict)

    @property
    def mapped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "mapped"]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "skipped"]

    def to_dict(self) -> dict:
        return {"counts": self.counts, "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}, "unknown_topics": self.unknown_topics,
                "ignored": self.ignored, "files": [f.to_dict() for f in self.files]}


@dataclass
class BuildResult:
    """The outcome of :func:`build`: the report, and the store to query (rdflib users: ``.graph``/``.dataset``)."""

    out: Path
    report: BuildReport
    exports: dict[str, Path]
    _store: GraphStore | None = None

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = GraphStore.open(self.out)
        return self._store

    def query(self, sparql: str, **kwargs) -> list[dict]:
        return self.store.query(sparql, **kwargs)

    @property
    def graph(self):
        """The union graph as an ``rdflib.Graph`` (loaded on first use)."""
        return self.store.to_rdflib_graph()

    @property
    def dataset(self):
        """Every named graph as an ``rdflib.Dataset``."""
        return self.store.to_rdflib()

    def __len__(self) -> int:
        return self.report.counts["triples"]


def _display(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to the working folder where it lies under it (``cwd``: the resolved working folder, when
    the caller names many files), else as given."""
    # abspath, not resolve(): no system call per path component, and a symlinked folder keeps its name
    here = str(cwd) if cwd is not None else os.getcwd()
    full = os.path.abspath(path)
    if os.sep == "/":  # plain string work: a build names every file once, and pathlib's parsing cost 8 us a path
        if full == here:
            return "."
        prefix = here if here.endswith("/") else here + "/"
        return full[len(prefix):] if full.startswith(prefix) else Path(path).as_posix()
    try:
        return Path(full).relative_to(here).as_posix()
    except ValueError:
        return Path(path).as_posix()


def discover(sources: Iterable[str | Path], *, exclude: Sequence[Path] = ()) -> list[Path]:
    """Every regular file under ``sources`` (files as given; folders walked), hidden files and build folders left
    out.

    Symlinked files are followed (a file reached twice is listed once: the file itself rather than a link to it);
    symlinked folders are not walked into. :func:`build` also reports what this leaves out (:func:`_discover`).
    """
    return [Path(p) for p, skip in _discover(sources, exclude=exclude)[0] if skip is None]


def _discover(sources: Iterable[str | Path], *, exclude: Sequence[Path] = ()) \
        -> tuple[list[tuple[str, tuple[str, str] | None]], Counter]:
    """Every entry discovery meets that a build must account for, in order: ``(path, None)`` for a file to read,
    ``(path, (kind, detail))`` for one it must not: ``("special", "a FIFO")`` (a FIFO, socket or device: opening
    it could block for ever), ``("same", path of the file read instead)`` (a symlink to a file found under its own
    name), ``("folder", OS error)`` (a folder that cannot be listed). And how many entries were ignored without a
    word, as documented (hidden files, hidden and tool folders, build folders, symlinked folders).

    Raises :class:`TopicgraphError` for a source that is missing, cannot be listed, or is a build folder.
    """
    w = walk_sources(sources, exclude=exclude)
    as_posix = (lambda p: p) if os.sep == "/" else (lambda p: p.replace(os.sep, "/"))
    entries: list[tuple[str, tuple[str, str] | None]] = [(p, None) for p in w.found.values()]
    entries += [(p, (kind, w.found[detail] if kind == "same" else detail)) for p, _, kind, detail in w.skipped]
    entries.sort(key=lambda item: as_posix(item[0]))
    return entries, w.ignored


@dataclass
class Walked:
    """What :func:`walk_sources` met: ``found`` (real path -> the path it was found by; the file itself rather
    than a link to it), ``entries`` (with ``keep_entries``: real path -> its folder entry, None for a file
    named as a source), ``links`` (real path -> where the link is, for a file found only through a symlink),
    ``skipped`` (``(path, where, kind, detail)``: ``where`` the entry's real location; ``kind`` ``special``,
    ``same`` (detail: the real path of the file read instead) or ``folder`` (detail: the OS error)) and
    ``ignored`` (counts by kind)."""

    found: dict[str, str] = field(default_factory=dict)
    entries: dict[str, os.DirEntry | None] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[str, str, str, str]] = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)


def walk_sources(sources: Iterable[str | Path], *, exclude: Sequence[Path] = (), keep_entries: bool = False) \
        -> Walked:
    """The one walk under ``sources`` that ``build`` (:func:`_discover`) and ``validate``
    (:func:`topicgraph.validation.core.discover_files`) share, so they find the same files and turn away the same
    entries: folders in name order, hidden files, hidden and tool folders, symlinked folders and build folders
    passed over; one system call per file at most (the folder listing knows the others' types). Each file's
    folder entry is kept only with ``keep_entries`` (validate stats it; a million of them is memory a build
    does not need)."""
    w = Walked()
    found, links, skipped, ignored = w.found, w.links, w.skipped, w.ignored
    entries = w.entries if keep_entries else {}
    excluded = {str(Path(p).resolve()) for p in exclude}

    def again(real: str, path: str, own: str | None, entry: os.DirEntry | None) -> None:
        """``path`` leads to the file ``real`` (``own``: where the link is, for a link); the first time, or again."""
        kept = found.get(real)
        if kept is None:
            found[real] = path
            if keep_entries:
                entries[real] = entry
            if own is not None:
                links[real] = own
        elif (own or real) == links.get(real, real):
            pass  # the same entry reached twice, through sources that overlap
        elif own is None and real in links:  # the file itself after a link to it: read the file, report the link
            skipped.append((kept, links.pop(real), "same", real))
            found[real] = path
            if keep_entries:
                entries[real] = entry
        else:
            skipped.append((path, own or real, "same", real))

    def walk(folder: str, real: str, top: bool = False) -> None:
        try:
            listing = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            if top:
                raise TopicgraphError(f"{folder}: cannot read this folder ({exc.strerror or exc}): check its "
                                      "permissions") from None
            skipped.append((folder, real, "folder", exc.strerror or str(exc)))
            return
        if real in excluded or any(e.name == MANIFEST for e in listing):
            if top:
                raise TopicgraphError(_BUILD_FOLDER.format(src=folder))
            ignored["build folders"] += 1
            return  # a build folder: never read our own output back in
        folders = []
        for e in listing:
            name = e.name
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if e.is_symlink():
                    ignored["symlinked folders"] += 1
                elif name.startswith(".") or name in _SKIP_DIRS:
                    ignored["hidden or tool folders"] += 1
                else:
                    folders.append(e)
                continue
            if name.startswith("."):
                ignored["hidden files"] += 1
                continue
            try:
                regular = e.is_file()  # from the folder's listing: no system call, except for a symlink
            except OSError:
                regular = True
            mine = os.path.join(real, name)  # the folder is resolved once; only a symlinked file needs it alone
            if not regular:
                kind = _special(e.path)  # None: a broken link, which the reader reports
                if kind is not None:
                    skipped.append((e.path, mine, "special", kind))
                    continue
            if e.is_symlink():
                again(os.path.realpath(e.path), e.path, mine, e)
            elif mine in found:
                again(mine, e.path, None, e)
            else:
                found[mine] = e.path
                if keep_entries:
                    entries[mine] = e
        for e in folders:
            walk(e.path, os.path.join(real, e.name))

    for src in sources:
        path = str(Path(src))
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise TopicgraphError(f"{src}: no such file or folder") from None
        except OSError as exc:
            raise TopicgraphError(f"{src}: cannot read it ({exc.strerror or exc}): check its permissions") from None
        if stat.S_ISDIR(st.st_mode):
            walk(path, os.path.realpath(path), top=True)
        elif not stat.S_ISREG(st.st_mode):
            skipped.append((path, os.path.abspath(path), "special",
                            _KINDS.get(stat.S_IFMT(st.st_mode), "not a file or folder")))
        elif os.path.islink(path):
            head, name = os.path.split(os.path.abspath(path))
            again(os.path.realpath(path), path, os.path.join(os.path.realpath(head), name), None)
        else:
            again(os.path.realpath(path), path, None, None)
    return w


_BUILD_FOLDER = ("{src} is a build folder (it holds " + MANIFEST + "), not a folder of records: name the folder "
                 "of records instead, and keep records and build folders apart (a build folder inside a folder of "
                 "records is passed over)")
_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device"}


def _special(path: str) -> str | None:
    """What ``path`` is when it is neither a regular file nor a folder (a FIFO, socket, device); None otherwise,
    or when it cannot be stat'ed (a broken link)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a file or folder")


def _skip_reason(display: str, skip: tuple[str, str], cwd: Path | None = None) -> str:
    """The report's reason for an entry :func:`_discover` turned away."""
    kind, detail = skip
    if kind == "special":
        return (f"{display}: not a regular file ({detail}): not read (a record is a regular file: leave it out of "
                "the sources)")
    if kind == "same":
        return (f"{display}: same file as {_display(Path(detail), cwd)} (a symbolic link to it): mapped once, "
                "under the file's own name")
    return (f"{display}: cannot read this folder ({detail}): nothing under it was mapped (give it read and "
            "execute permission, or move it out of the sources)")


# ------------------------------------------------------------------------------------------------- per-file work
_WORKER: dict = {}


def worker_context():
    """The multiprocessing context of the build's and validate's worker pools: forkserver on POSIX."""
    import multiprocessing

    return multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")


def quiet_worker(init: Callable, *args) -> None:
    """A pool worker's initializer: Ctrl-C is ignored, then ``init(*args)``. The terminal sends Ctrl-C to the
    whole process group; the main process unwinds and its pool stops the workers once their chunk is done, so a
    worker taking it too would only print a KeyboardInterrupt traceback of its own (in the middle of loading the
    taxonomy, say). A signal mask would not do: multiprocessing starts the fork server with an empty one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init(*args)


def _init_worker(profile: Profile, base_iri: str, taxonomy_dir: str | None, max_bytes: int,
                 nt: bool = False) -> None:
    from .taxonomy import load_taxonomy

    _WORKER["mapper"] = Mapper(IriMinter(base_iri), load_taxonomy(taxonomy_dir))
    _WORKER["profile"] = profile
    _WORKER["max_bytes"] = max_bytes
    _WORKER["nt"] = nt


def map_file(path: str | Path, display: str, mapper: Mapper, profile: Profile = DEFAULT_PROFILE,
             max_bytes: int = MAX_BYTES):
    """Read and map one file: ``(outcome, mapped record or None, sha256 or None)``. Never raises for bad input."""
    try:
        rec = read_record(path, profile=profile, max_bytes=max_bytes, display=display)
    except NotARecord as exc:
        return FileOutcome(display, "skipped", reason=f"{display}: not a record: {exc}"), None, None
    except RecordError as exc:
        first = next((f for f in exc.findings if f.severity >= Severity.ERROR), exc.findings[0])
        return FileOutcome(display, "skipped", reason=str(first), findings=exc.findings), None, None
    try:
        mapped = mapper.map(rec)
    except ValueError as exc:  # an IRI that slipped past the reader's checks: skip, never corrupt the graph
        return FileOutcome(display, "skipped", reason=f"{display}: cannot be mapped: {exc}"), None, rec.sha256
    # topics the taxonomy lacks are counted for the whole build (report "unknown_topics"); `validate` names them
    # per file with a did-you-mean, so the build report stays small on large corpora
    outcome = FileOutcome(display, "mapped", record_id=rec.id, article=mapped.article, triples=mapped.triples,
                          findings=list(rec.findings))
    return outcome, mapped, rec.sha256


def _work_chunk(items: list[tuple[str, str]]):
    """Map a chunk of files: ``(results, N-Quads, N-Triples or None, ends)``.

    The records' N-Quads (and, with ``--format nt``, N-Triples) come back as one UTF-8 block each, with where
    each record's lines end (``ends``: a pair of offsets per result); their text is taken out of the results.
    Bytes cross between processes as a copy, where a string would be encoded and decoded again, and the main
    process (the build's busiest) writes them as they are.
    """
    mapper, profile, max_bytes, nt = _WORKER["mapper"], _WORKER["profile"], _WORKER["max_bytes"], _WORKER["nt"]
    results = [map_file(p, d, mapper, profile, max_bytes) for p, d in items]
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
                data = _record_ntriples(text, mapped.triples, mapped.graph).encode("utf-8")
                nt_parts.append(data)
                nt_end += len(data)
        ends.append((nq_end, nt_end))
    return results, b"".join(nq_parts), b"".join(nt_parts) if nt else None, ends


def _record_ntriples(text: str, lines: int, graph: str) -> str:
    """A record's N-Quads (``lines`` of them, all in ``graph``) as N-Triples: each line ends with its graph term
    (a literal never holds a raw line break, so the term can only stand at a line's end)."""
    end = f" <{graph}> .\n"
    if text.count(end) == lines:
        return text.replace(end, " .\n")
    return "".join(line[: line.rindex(" <")] + " .\n" for line in text.split("\n") if line)


def _results(paths: list[str], *, jobs: int, profile: Profile, base_iri: str, taxonomy_dir: str | None,
             max_bytes: int, nt: bool = False, cwd: Path | None = None):
    """``(outcome, mapped or None, sha256 or None, N-Quads, N-Triples or None)`` of each file, in order; the two
    texts are UTF-8 views (empty for a file not mapped). Display paths are relative to ``cwd`` (default: the
    working folder)."""
    cwd = cwd if cwd is not None else Path(os.getcwd())
    items = [(p, _display(p, cwd)) for p in paths]
    if jobs <= 1 or len(items) < 400:
        _init_worker(profile, base_iri, taxonomy_dir, max_bytes, nt)
        for i in range(0, len(items), 50):
            yield from _unpack(_work_chunk(items[i:i + 50]))
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    size = max(50, min(500, len(items) // (jobs * 8) or 50))
    chunks = (items[i:i + size] for i in range(0, len(items), size))
    with ProcessPoolExecutor(jobs, mp_context=worker_context(), initializer=quiet_worker,
                             initargs=(_init_worker, profile, base_iri, taxonomy_dir, max_bytes, nt)) as pool:
        # a bounded window of chunks in flight, consumed in order: memory stays flat on a million records
        window: deque = deque(pool.submit(_work_chunk, c) for _, c in zip(range(jobs * 3), chunks))
        while window:
            done = window.popleft().result()
            nxt = next(chunks, None)
            if nxt is not None:
                window.append(pool.submit(_work_chunk, nxt))
            yield from _unpack(done)


def _unpack(chunk):
    results, nq, nt, ends = chunk
    nq, nt = memoryview(nq), memoryview(nt if nt is not None else b"")
    nq_start = nt_start = 0
    for (outcome, mapped, sha), (nq_end, nt_end) in zip(results, ends):
        yield outcome, mapped, sha, nq[nq_start:nq_end], nt[nt_start:nt_end]
        nq_start, nt_start = nq_end, nt_end


# ------------------------------------------------------------------------------------------------------- build
def build(sources: Iterable[str | Path], *, out: str | Path = "graph", formats: Sequence[str] = (),
          profile: Profile = DEFAULT_PROFILE, base_iri: str = DEFAULT_BASE_IRI, taxonomy: str | Path | None = None,
          jobs: int | None = None, max_bytes: int = MAX_BYTES,
          progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Build the knowledge graph of every record under ``sources`` into the folder ``out``.

    Returns a :class:`BuildResult` whose ``report`` accounts for every file and whose ``store``/``graph`` can be
    queried. The previous build in ``out`` stays readable until the new one is complete.

    >>> import tempfile
    >>> result = build(["seeds"], out=tempfile.mkdtemp(), jobs=1)
    >>> result.report.counts["articles"], result.report.counts["skipped"]
    (5, 0)
    """
    import pyoxigraph

    from .taxonomy import taxonomy_files

    started = time.perf_counter()
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
    entries, ignored = _discover(sources, exclude=[out])
    out.mkdir(parents=True, exist_ok=True)
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)

    with BuildLock(out):
        _clean_leftovers(out)
        work = out / f".tmp-build-{uuid.uuid4().hex[:12]}"
        work.mkdir()
        try:
            timings: dict[str, float] = {}
            mark = time.perf_counter()
            store_name = f"store-{uuid.uuid4().hex[:12]}"
            ox = pyoxigraph.Store(str(work / store_name))
            # the records' N-Quads stream into the store in segments, loaded while later records are mapped
            # with --format nt, the N-Triples are written beside the segments as they go, not in a pass at the end
            sink = _StreamingLoad(ox, work, SEGMENT_QUADS, SEGMENTS_PER_CALL,
                                  nt=work / f"graph.{EXPORT_FORMATS['nt'][0]}" if "nt" in formats else None)
            try:
                outcomes, mentions, counts, unknown_topics = _map_all(
                    entries, sink, cwd=cwd, jobs=jobs, profile=profile, base_iri=minter.base,
                    taxonomy_dir=str(taxonomy) if taxonomy else None, max_bytes=max_bytes, progress=progress)
                timings["read and map"], mark = time.perf_counter() - mark, time.perf_counter()
                entity_data = entity_nquads(mentions, minter.entities_graph)
                counts["entity_triples"] = entity_data.count("\n")
                sink.write(entity_data, counts["entity_triples"], minter.entities_graph)
                taxonomy_data = _taxonomy_nquads(tax_files, minter.taxonomy_graph)
                sink.write(taxonomy_data, taxonomy_data.count("\n"), minter.taxonomy_graph)
                segments = sink.close()
            finally:
                sink.abort()
            ox.flush()
            counts["triples"] = len(ox)
            # a RocksDB checkpoint of the store as built (hard links: no copy): replacing a large derived graph
            # later starts from it instead of dumping and reloading the whole store (analysis/_write.py)
            base_name = "base-" + store_name.removeprefix("store-")
            ox.backup(str(work / base_name))
            timings["store (after mapping)"], mark = time.perf_counter() - mark, time.perf_counter()
            timings["loading (overlaps mapping)"] = round(sink.loaded_seconds, 3)
            exports: dict[str, Path] = {}
            for fmt in dict.fromkeys(formats):
                # written beside the new store and moved into place only after the manifest names that store
                target = work / f"graph.{EXPORT_FORMATS[fmt][0]}"
                if fmt == "nt" and sink.nt is not None:
                    exports[fmt] = sink.nt
                elif fmt in ("nt", "nq"):  # the lines we loaded are already N-Quads: no need to read the store back
                    exports[fmt] = _export_lines(segments, target, quads=fmt == "nq")
                else:
                    exports[fmt] = export_graph(ox, target, fmt)
                timings[f"export {fmt}"], mark = time.perf_counter() - mark, time.perf_counter()
            del ox
            os.replace(work / store_name, out / store_name)
            os.replace(work / base_name, out / base_name)
            report = BuildReport(outcomes, counts, time.perf_counter() - started, str(out), unknown_topics, timings,
                                 dict(sorted(ignored.items())))
            manifest = {"store": store_name, "base": base_name, "revision": uuid.uuid4().hex,
                        "base_iri": minter.base, "format_version": 1,
                        "taxonomy": [tf.name for tf in tax_files], "profile": profile.name, "counts": counts,
                        "sources": [str(s) for s in sources], "cwd": str(cwd),
                        "exports": sorted(path.name for path in exports.values())}
            write_manifest(out, manifest)
            for fmt, path in list(exports.items()):
                exports[fmt] = out / path.name
                os.replace(path, exports[fmt])
            atomic_write(out / REPORT, lambda tmp: Path(tmp).write_text(
                json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        _clean_leftovers(out)
        clear_cache(out)
    return BuildResult(out, report, exports)


def _export_lines(segments: Sequence[Path], target: Path, *, quads: bool) -> Path:
    """The N-Quads ``segments`` as loaded (``quads``) or as N-Triples (each line's graph term dropped), written
    atomically.

    Every line ends with `` <graph> .``: graph IRIs hold no space or ``<``, so the last `` <`` starts it. Our
    graphs never share a triple, so the N-Triples has no duplicates.
    """
    def write(tmp: str) -> None:
        with open(tmp, "wb") as dst:
            for segment in segments:
                with open(segment, "rb") as src:
                    if quads:
                        shutil.copyfileobj(src, dst, 1 << 22)
                        continue
                    while True:
                        lines = src.readlines(1 << 22)
                        if not lines:
                            break
                        dst.writelines(line[: line.rindex(b" <")] + b" .\n" for line in lines if line.strip())

    atomic_write(target, write)
    return target


class _StreamingLoad:
    """N-Quads written in segments of about ``segment_quads`` lines, bulk-loaded into the store by a background
    thread while the records after them are still being mapped.

    pyoxigraph releases the GIL while it loads, so loading overlaps mapping. Mapping never waits for the loader:
    closed segments queue up on disk (they stay there for the N-Quads export anyway), and the worker processes
    are gone, with their memory, by the time the loader drains the queue. A load may take several waiting segments
    in one call (``per_call``): pyoxigraph splits a call into batches of a million quads loaded on parallel
    threads, but the loader's memory grows with what one call is given (one call for 3.6 million quads peaked at
    1.8 GB, segments of 500,000 at 0.66 GB), so ``per_call`` keeps a build of any size in bounded memory.
    """

    def __init__(self, ox, folder: Path, segment_quads: int = SEGMENT_QUADS, per_call: int = SEGMENTS_PER_CALL, *,
                 nt: Path | None = None) -> None:
        self.ox, self.folder, self.limit, self.per_call = ox, folder, segment_quads, per_call
        self.nt = nt
        self._nt_fh = open(nt, "wb") if nt is not None else None
        self.segments: list[Path] = []
        self.loaded_seconds = 0.0
        self.calls = 0
        self._waiting: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="topicgraph-bulk-load", daemon=True)
        self._thread.start()
        self._fh = None
        self._lines = 0
        self._open()

    def _open(self) -> None:
        path = self.folder / f"records-{len(self.segments):05d}.nq"
        self.segments.append(path)
        self._fh = open(path, "wb")
        self._lines = 0

    def _load(self) -> None:
        import pyoxigraph

        done = False
        while not done:
            batch = [self._waiting.get()]
            while batch[-1] is not None and len(batch) < self.per_call:
                try:
                    batch.append(self._waiting.get_nowait())
                except queue.Empty:
                    break
            done = batch[-1] is None
            segments = [b for b in batch if b is not None]
            if not segments or self._error is not None:
                continue
            try:
                mark = time.perf_counter()
                if len(segments) == 1:  # pyoxigraph reads the file itself, never taking the GIL to read
                    self.ox.bulk_load(path=str(segments[0]), format=pyoxigraph.RdfFormat.N_QUADS)
                else:
                    with _Concatenated(segments) as data:
                        self.ox.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)
                self.loaded_seconds += time.perf_counter() - mark
                self.calls += 1
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread by close()
                self._error = exc

    def _hand_over(self) -> None:
        self._fh.close()
        if self._lines:
            self._waiting.put(self.segments[-1])
        if self._error is not None:
            self._stop()

    def write(self, nquads, lines: int, graph: str, ntriples=None) -> None:
        """``lines`` N-Quads, all in ``graph`` (UTF-8 bytes or text), and the same as N-Triples when they were
        made already (by the worker that mapped them)."""
        if isinstance(nquads, str):
            text, nquads = nquads, nquads.encode("utf-8")
            if self._nt_fh is not None and ntriples is None:
                ntriples = _record_ntriples(text, lines, graph).encode("utf-8")
        self._fh.write(nquads)
        if self._nt_fh is not None:
            self._nt_fh.write(ntriples)
        self._lines += lines
        if self._lines >= self.limit:
            self._hand_over()
            self._open()

    def close(self) -> list[Path]:
        """Load what is left, wait for the loader, and return the segment files in order."""
        if self._nt_fh is not None:
            self._nt_fh.close()
        self._hand_over()
        self._stop()
        return self.segments

    def abort(self) -> None:
        """Stop without loading more (after an error elsewhere); the caller throws the work folder away."""
        if not self._thread.is_alive():
            return
        if not self._fh.closed:
            self._fh.close()
        if self._nt_fh is not None:
            self._nt_fh.close()
        self._error = self._error or RuntimeError("build aborted")
        self._waiting.put(None)
        self._thread.join()

    def _stop(self) -> None:
        self._waiting.put(None)
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error


class _Concatenated(io.RawIOBase):
    """Several files read as one stream (handed to pyoxigraph, which reads it in large chunks)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self._paths = list(paths)
        self._fh = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self._fh is None:
                if not self._paths:
                    return 0
                self._fh = open(self._paths.pop(0), "rb", buffering=0)
            n = self._fh.readinto(buffer)
            if n:
                return n
            self._fh.close()
            self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        super().close()


def _taxonomy_nquads(files: list[Path], graph: str) -> str:
    """The taxonomy's Turtle as N-Quads in ``graph`` (parsed by pyoxigraph, which never follows owl:imports)."""
    import pyoxigraph

    g = pyoxigraph.NamedNode(graph)
    quads = []
    for tf in files:
        try:
            with open(tf, "rb") as fh:
                quads.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, g) for t in
                             pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE, base_iri=tf.resolve().as_uri()))
        except SyntaxError as exc:
            raise TopicgraphError(f"{tf}: not valid Turtle: {exc}") from None
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")


def _map_all(entries, sink: _StreamingLoad, *, cwd: Path, jobs, profile, base_iri, taxonomy_dir, max_bytes,
             progress):
    outcomes: list[FileOutcome] = []
    mentions: dict[str, Counter] = {}
    unknown: Counter = Counter()
    articles: dict[str, FileOutcome] = {}  # article IRI -> the outcome of the file that has it
    shas: dict[str, str] = {}
    kinds: Counter = Counter()
    topics_used: set[str] = set()
    total = len(entries)
    results = _results([p for p, skip in entries if skip is None], jobs=jobs, profile=profile, base_iri=base_iri,
                       taxonomy_dir=taxonomy_dir, max_bytes=max_bytes, nt=sink.nt is not None, cwd=cwd)
    try:
        for done, (path, skip) in enumerate(entries, 1):
            if skip is not None:  # turned away by discovery (never opened), in its place in the report
                display = _display(path, cwd)
                outcomes.append(FileOutcome(display, "skipped", reason=_skip_reason(display, skip, cwd)))
            else:
                outcomes.append(_take(next(results), sink, articles, shas, mentions, topics_used, unknown))
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
    counts_unknown = dict(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])))
    return outcomes, mentions, counts, counts_unknown


def _take(result, sink: _StreamingLoad, articles: dict, shas: dict, mentions: dict, topics_used: set,
          unknown: Counter) -> FileOutcome:
    """One mapped file into the build, unless it repeats the bytes or the article IRI of a file taken before."""
    outcome, mapped, sha, nq, nt = result
    if mapped is not None:
        if sha in shas:
            outcome = FileOutcome(outcome.file, "skipped", reason=f"{outcome.file}: duplicate file: the same "
                                  f"bytes as {shas[sha]} (delete one copy)", findings=outcome.findings)
            mapped = None
        elif mapped.article in articles:
            outcome = FileOutcome(outcome.file, "skipped", reason=_same_article(
                outcome.file, mapped.record_id, mapped.article, articles[mapped.article]), findings=outcome.findings)
            mapped = None
    if mapped is not None:
        articles[mapped.article] = outcome
        shas[sha] = outcome.file
        sink.write(nq, mapped.triples, mapped.graph, nt if sink.nt is not None else None)
        count_mentions(mentions, mapped.entities)
        topics_used.update(mapped.about)
        unknown.update(mapped.unknown_topics)
    return outcome


def _file_with_bytes(ox, sha: str) -> str | None:
    """The source path of a file already in the store whose bytes have this SHA-256, or None."""
    import pyoxigraph

    for q in ox.quads_for_pattern(None, pyoxigraph.NamedNode(TG_IRI + "sha256"), pyoxigraph.Literal(sha)):
        for src in ox.quads_for_pattern(q.subject, pyoxigraph.NamedNode("http://purl.org/dc/terms/source"), None,
                                        q.graph_name):
            return src.object.value
    return None


def _same_article(display: str, record_id: str, article: str, first: FileOutcome) -> str:
    """Why a record whose article IRI another file's record has already is skipped (the same id, or ids that mint
    the same IRI)."""
    if record_id == first.record_id:
        return f"{display}: duplicate id {record_id!r}: {first.file} has it too (give each record its own id)"
    return (f"{display}: id {record_id!r} gives the same article IRI <{article}> as id {first.record_id!r} in "
            f"{first.file}: {_IDS_FOLD} (give each record an id that differs in more than that)")


#: what two ids that mint one IRI have in common (:func:`topicgraph.iris.key`)
_IDS_FOLD = ("ids must differ after IRI minting (case, white space, '_' and Unicode normalisation are folded, "
             "leading and trailing '-' dropped)")


def clear_cache(out: Path) -> None:
    """Forget the analyses' cached inputs (``analysis.graphs.CACHE_DIR``; not imported here: numpy is slow to load)."""
    shutil.rmtree(out / ".cache", ignore_errors=True)


#: the folders a build (or a derived-graph write, analysis/_write.py) makes in the build folder: ``uuid4().hex``
#: cut to 12 (or 8) digits; a user's own ``store-notes/`` is none of them
_OUR_FOLDER = re.compile(r"(?:store|base)-[0-9a-f]{12}|\.tmp-build-(?:[0-9a-f]{12}|derived-[0-9a-f]{8})")
#: the temporary files :func:`topicgraph.store.atomic_write` makes (``mkstemp``: 8 characters of [a-z0-9_])
#: while writing the manifest, the report or an export of a build
_OUR_TMP_FILE = re.compile(r"\.(?:%s)\.[a-z0-9_]{8}\.tmp" % "|".join(
    re.escape(name) for name in [MANIFEST, REPORT] + [f"graph.{ext}" for ext, _, _ in EXPORT_FORMATS.values()]))


def _clean_leftovers(out: Path) -> None:
    """Remove what a killed build left behind: its temp folders and files, and the store folders it made that the
    manifest does not name. Only names a build makes are touched: anything else in the folder is the user's."""
    live: set = set()
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        live = {manifest["store"], manifest.get("base")}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with os.scandir(out) as it:
        for child in it:
            if _OUR_FOLDER.fullmatch(child.name):
                if child.name not in live and child.is_dir(follow_symlinks=False):
                    shutil.rmtree(child.path, ignore_errors=True)
            elif _OUR_TMP_FILE.fullmatch(child.name) and child.is_file(follow_symlinks=False):
                Path(child.path).unlink(missing_ok=True)


# ------------------------------------------------------------------------------------------------------- update
class UpdateOutcomes(list):
    """What :func:`update` did: one :class:`FileOutcome` per file named (it is a list of them), the build's
    ``counts`` after it, and the exports of the last full build it left ``stale_exports`` (file names in ``out``)."""

    def __init__(self, outcomes: Iterable[FileOutcome] = (), *, out: Path | None = None, counts: dict | None = None,
                 stale_exports: Sequence[str] = (), sources: Sequence[str] = ()) -> None:
        super().__init__(outcomes)
        self.out = out
        self.counts = dict(counts or {})
        self.stale_exports = list(stale_exports)
        self.sources = list(sources)

    @property
    def warning(self) -> str | None:
        """What to tell the user about the exports an update does not rewrite, or None."""
        if not self.stale_exports:
            return None
        out = self.out if self.out is not None else Path("graph")
        names = ", ".join(str(out / name) for name in self.stale_exports)
        formats = " ".join(f"--format {name.rsplit('.', 1)[-1]}" for name in self.stale_exports)
        sources = " ".join(self.sources) or "SOURCES"
        one = len(self.stale_exports) == 1
        return (f"{names} no longer {'matches' if one else 'match'} the graph: an update rewrites no export (the "
                f"build's manifest lists {'it' if one else 'them'} under stale_exports); to refresh "
                f"{'it' if one else 'them'}, rebuild: topicgraph build {sources} --out {out} {formats}")


def update(files: Iterable[str | Path], *, out: str | Path = "graph", profile: Profile = DEFAULT_PROFILE,
           taxonomy: str | Path | None = None, max_bytes: int = MAX_BYTES) -> UpdateOutcomes:
    """Re-map a few changed (or deleted) files into an existing build, in place: only their record graphs change.

    Each file's old record graph (found through its ``dcterms:source`` path, which is relative to the folder the
    build ran in, wherever ``update`` runs) is dropped and its new triples are loaded in a graph of their own;
    people, brands and topics it names that the graph lacks are added. The build report's entries for these files
    and the counts (report and manifest) follow; the exports of the build are not rewritten: the manifest lists
    them as ``stale_exports`` and :attr:`UpdateOutcomes.warning` says so. Use :func:`build` for a full, atomic
    rebuild; ``update`` writes into the live store, so run it while nothing reads.
    """
    import pyoxigraph

    from .mapping.mapper import entity_nquads
    from .taxonomy import load_taxonomy

    out = Path(out)
    with BuildLock(out):
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        clear_cache(out)  # before the store changes: a killed update must not leave a cache that looks current
        manifest["revision"] = uuid.uuid4().hex
        base = manifest.pop("base", None)  # the store is about to differ from its base: forget the base first
        write_manifest(out, manifest)
        if base:
            shutil.rmtree(out / base, ignore_errors=True)
        # the build's display paths are relative to the folder it ran in (manifests before it was kept: the
        # working folder, as before)
        here = Path(manifest.get("cwd") or os.getcwd())
        report = _read_report(out)
        counts = dict(manifest.get("counts") or {})
        unknown: Counter | None = Counter(report.get("unknown_topics") or {}) if report is not None else None
        ox = pyoxigraph.Store(str(out / manifest["store"]))
        minter = IriMinter(manifest["base_iri"])
        mapper = Mapper(minter, load_taxonomy(taxonomy))
        entities = pyoxigraph.NamedNode(minter.entities_graph)
        source_p, about_p, a_concept = (pyoxigraph.NamedNode(_SOURCE), pyoxigraph.NamedNode(_ABOUT),
                                        (pyoxigraph.NamedNode(_TYPE), pyoxigraph.NamedNode(_CONCEPT)))
        unknown_keys: dict[str, str] | None = None  # concept IRI -> its "Vendor: Label" in the report
        outcomes: list[FileOutcome] = []
        changes: list[tuple[FileOutcome, bool]] = []  # (outcome, file deleted) for the report
        mentioned: set = set()  # people, brands, communities and topics the replaced graphs named
        articles = 0  # record graphs added less those removed
        store_changed = False
        for raw in files:
            path = Path(raw)
            display, sources = _find_source(ox, source_p, path, here)
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
                reason = (f"{display}: deleted; its graph was removed" if sources else
                          f"{display}: no such file, and no record of this build came from it: check the path "
                          f"(paths are as the build report shows them, relative to the folder the build ran in, "
                          f"{here})")
                outcomes.append(FileOutcome(display, "skipped", reason=reason))
                if sources:
                    changes.append((outcomes[-1], True))
                continue
            kind = _special(str(path))  # a FIFO would block the reader for ever
            if kind is not None:
                outcomes.append(FileOutcome(display, "skipped", reason=_skip_reason(display, ("special", kind))))
                changes.append((outcomes[-1], False))
                continue
            outcome, mapped, sha = map_file(path, display, mapper, profile, max_bytes)
            copy_of = _file_with_bytes(ox, sha) if mapped is not None and sha else None
            if copy_of is not None:  # as a full build does: one copy is mapped, the other reported
                outcome = FileOutcome(display, "skipped", reason=f"{display}: duplicate file: the same bytes as "
                                      f"{copy_of} (delete one copy)", findings=outcome.findings)
            elif mapped is not None:
                graph = pyoxigraph.NamedNode(mapped.graph)
                if ox.contains_named_graph(graph):
                    outcome = FileOutcome(display, "skipped", findings=outcome.findings, reason=_same_article(
                        display, mapped.record_id, mapped.article, _graph_owner(ox, graph)))
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
            counts.update(_merge_report(report, changes))
            report["counts"] = counts
            report["unknown_topics"] = dict(sorted(((k, n) for k, n in unknown.items() if n > 0),
                                                   key=lambda kv: (-kv[1], kv[0])))
            atomic_write(out / REPORT, lambda tmp: Path(tmp).write_text(
                json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"))
        else:  # no report to count from (deleted by hand): the articles by difference
            counts["articles"] = counts.get("articles", 0) + articles
        del ox
        manifest["counts"] = counts
        stale = list(manifest.get("stale_exports", []))
        if store_changed:  # every export of the last full build is out of date
            written = manifest.get("exports")
            if written is None:  # a manifest from before builds listed their exports
                written = [f"graph.{ext}" for ext, _, _ in EXPORT_FORMATS.values()]
            stale = sorted(set(stale) | {name for name in written if (out / name).is_file()})
        if stale:
            manifest["stale_exports"] = stale
        write_manifest(out, manifest)
    return UpdateOutcomes(outcomes, out=out, counts=counts, stale_exports=stale,
                          sources=manifest.get("sources", []))


_SOURCE = "http://purl.org/dc/terms/source"
_ABOUT = "http://schema.org/about"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
#: the types of the entities graph's nodes -> the build's count of them (``_map_all``)
_ENTITY_COUNTS = {"http://schema.org/Person": "people", "http://schema.org/Organization": "brands",
                  "https://w3id.org/topicgraph/ns#Community": "communities", _CONCEPT: "unknown_topics",
                  "http://www.w3.org/2004/02/skos/core#ConceptScheme": "new_vendors"}


def _find_source(ox, source_p, path: Path, here: Path) -> tuple[str, list]:
    """``path`` as the build in ``here`` showed it, and the ``dcterms:source`` quads that name it so. A file under
    ``here`` is shown relative to it; one elsewhere as the build was given it: absolute, or relative to ``here``."""
    import pyoxigraph

    display = _display(path, here)
    spellings = [display]
    full = os.path.abspath(path)
    if not full.startswith(str(here).rstrip(os.sep) + os.sep):
        spellings += [Path(full).as_posix(), Path(os.path.relpath(full, here)).as_posix()]
        if os.path.abspath(os.getcwd()) != os.path.abspath(here):
            display = spellings[1]  # for a file new to the build: its path as given means nothing in ``here``
    for spelling in dict.fromkeys(spellings):
        sources = list(ox.quads_for_pattern(None, source_p, pyoxigraph.Literal(spelling)))
        if sources:
            return spelling, sources
    return display, []


def _read_report(out: Path) -> dict | None:
    """The build report in ``out``, or None when there is none to update (or it cannot be read as one)."""
    try:
        report = json.loads((out / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) and isinstance(report.get("files"), list) else None


def _merge_report(report: dict, changes: list[tuple[FileOutcome, bool]]) -> dict[str, int]:
    """Put ``changes`` into the report's list of files (a deleted file leaves it; a file it did not list joins at
    the end) and return the counts that follow from the list."""
    files = report["files"]
    where = {entry.get("file"): n for n, entry in enumerate(files)}
    for outcome, deleted in changes:
        n = where.get(outcome.file)
        entry = None if deleted else outcome.to_dict()
        if n is not None:
            files[n] = entry
        elif entry is not None:
            where[outcome.file] = len(files)
            files.append(entry)
    files[:] = [entry for entry in files if entry is not None]
    mapped = sum(1 for entry in files if entry.get("status") == "mapped")
    return {"files": len(files), "mapped": mapped, "skipped": len(files) - mapped, "articles": mapped,
            "warnings": sum(1 for entry in files for f in entry.get("findings", ()) if f.get("severity") == "warning")}


def _named(ox, topic) -> bool:
    """Whether a record graph is about ``topic`` (only record graphs hold ``schema:about``)."""
    import pyoxigraph

    return next(iter(ox.quads_for_pattern(None, pyoxigraph.NamedNode(_ABOUT), topic)), None) is not None


def _unknown_keys(unknown: Counter, mapper: Mapper) -> dict[str, str]:
    """The concept IRI of each ``Vendor: Label`` the report counts as not in the taxonomy."""
    keys: dict[str, str] = {}
    for spelling in unknown:
        vendor, _, label = spelling.partition(": ")
        keys.setdefault(mapper.taxonomy.resolve(vendor, label)[0], spelling)
    return keys


def _graph_owner(ox, graph) -> FileOutcome:
    """The file and record id a record graph of the store came from (for the message naming it)."""
    import pyoxigraph

    source = next(iter(ox.quads_for_pattern(None, pyoxigraph.NamedNode(_SOURCE), None, graph)), None)
    ident = next(iter(ox.quads_for_pattern(None, pyoxigraph.NamedNode("http://schema.org/identifier"), None,
                                           graph)), None)
    return FileOutcome(source.object.value if source is not None else "another file of this build", "mapped",
                       record_id=ident.object.value if ident is not None else None)


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
_MENTIONS = frozenset({"http://schema.org/author", "http://schema.org/publisher", "http://schema.org/about",
                       "https://w3id.org/topicgraph/ns#community"})


def _drop_unmentioned(ox, candidates: set, entities_graph) -> None:
    """Remove from the entities graph the descriptions of ``candidates`` that no record graph names any more (and
    then the vendor schemes that only those topics were in), as a full build would not write them."""
    import pyoxigraph

    in_scheme = pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")
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
