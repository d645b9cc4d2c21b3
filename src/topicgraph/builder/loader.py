"""Loading a build's N-Quads into the store while records are still being mapped, and the exports written from
the same lines."""

from __future__ import annotations

import io
import queue
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from ..errors import TopicgraphError
from ..store import atomic_write
from .worker import record_ntriples

__all__ = ["StreamingLoad", "export_lines", "taxonomy_nquads", "SEGMENT_QUADS", "SEGMENTS_PER_CALL"]

#: quads per segment file, and segments per bulk-load call at most (see :class:`StreamingLoad`). Three segments
#: a call (1.5 million quads, two parallel batches) took the build's main process from 0.74 GB to 1.2-1.6 GB at
#: 100,000 records with no wall-time gain that the shared machine could show, so one it is.
SEGMENT_QUADS = 500_000
SEGMENTS_PER_CALL = 1


def export_lines(segments: Sequence[Path], target: Path, *, quads: bool) -> Path:
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


class StreamingLoad:
    """N-Quads written in segments of about ``segment_quads`` lines, bulk-loaded into the store by a background
    thread while the records after them are still being mapped.

    pyoxigraph releases the GIL while it loads, so loading overlaps mapping. Mapping never waits for the loader:
    closed segments queue up on disk (they stay there for the N-Quads export anyway), and the worker processes
    are gone, with their memory, by the time the loader drains the queue. A load may take several waiting segments
    in one call (``per_call``): pyoxigraph splits a call into batches of a million quads loaded on parallel
    threads, but the loader's memory grows with what one call is given (one call for 3.6 million quads peaked at
    1.8 GB, segments of 500,000 at 0.66 GB), so ``per_call`` keeps a build of any size in bounded memory.
    """

    def __init__(self, ox, folder: Path, segment_quads: int | None = None, per_call: int | None = None, *,
                 nt: Path | None = None) -> None:
        self.ox, self.folder = ox, folder
        self.limit = segment_quads if segment_quads is not None else SEGMENT_QUADS
        self.per_call = per_call if per_call is not None else SEGMENTS_PER_CALL
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
                ntriples = record_ntriples(text, lines, graph).encode("utf-8")
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


def taxonomy_nquads(files: list[Path], graph: str) -> str:
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
