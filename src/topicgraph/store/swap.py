"""Replacing a build's store by a new folder then a rename: the swap that builds and derived graphs share.

:func:`swap_in` moves finished store folders into the build folder and names them in the manifest in one atomic
rename; ``build`` ends with it, and so does a derived graph written by copy (below).

Derived graphs (related items, topic clusters, tag suggestions) are written back into a build's store here.

A :class:`~topicgraph.store.GraphStore` opens the store read-only. Derived data goes into a named graph of its own
(``IriMinter(base).graph("related")``, ``.graph("clusters")``), which :func:`replace_graph` replaces whole. The
record, entity and taxonomy graphs are never changed, and a rebuild (which writes a new store folder) drops the
derived graphs, so run ``related --all`` / ``clusters`` again after ``build``.

Two ways, chosen by the size of the graph being replaced (RocksDB removes quads one by one, 25-50 µs each here,
so emptying a graph of millions of quads in place takes minutes):

* in place (the graph is absent or holds fewer than ``COPY_ABOVE`` quads): open the live store folder read-write
  with pyoxigraph, empty that one graph a slice of quads per transaction, bulk-load the new triples into it;
* copy and swap (larger): a new ``store-*`` folder with everything but that graph, plus the new triples; then
  the manifest switches to it in one atomic rename (:func:`swap_in`, as ``build`` does) and the old folder goes.
  Readers see the old graph or the new one, never a mix. ``build`` leaves a RocksDB checkpoint of the store as it
  built it (``base-*``: hard links, so no copy and next to no disk until the live store compacts); the new store starts
  as a checkpoint of that, and only the other derived graphs (listed in the manifest's ``derived``) are dumped
  from the live store and loaded. Without a base (an update changed the store in place), the whole store is
  dumped as N-Quads without that graph and loaded into the new folder: minutes on 100,000 records.

Either way RocksDB allows one writer and no reader beside it: close every :class:`GraphStore` on the folder first
(this process's included) and stop any ``topicgraph serve`` on it. Writers take the build folder's
``.build.lock``, so a build and a derived write never overlap. An in-place replacement that fails half way leaves
the graph partly written: run the command again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..errors import TopicgraphError
from ..iris import IriMinter
from .layout import BuildLock, new_store_name, read_manifest, work_folder, write_manifest

__all__ = ["swap_in", "replace_graph", "derived_graph", "COPY_ABOVE"]

#: replace a graph holding more quads than this by copying the store without it (see the module docstring)
COPY_ABOVE = 300_000


def swap_in(folder: Path, work: Path, names: Iterable[str], manifest: dict) -> None:
    """Move the finished folders ``names`` from the work folder ``work`` into the build folder, then write
    ``manifest`` (which names them) in one atomic rename: readers see the old build or the new one, and folders
    a killed writer moved but never named are leftovers (:func:`~.layout.clean_leftovers`)."""
    for name in names:
        os.replace(work / name, folder / name)
    write_manifest(folder, manifest)


def derived_graph(folder: str | Path, name: str) -> str:
    """The IRI of the derived graph ``name`` of the build in ``folder``."""
    return IriMinter(read_manifest(folder)["base_iri"]).graph(name)


#: quads removed per transaction: one transaction for a whole large graph is several times slower (and holds it
#: all in memory) than removing it a slice at a time
_DELETE_CHUNK = 50_000


def _clear(ox, graph) -> None:
    """Empty ``graph`` a slice at a time (``clear_graph`` in one transaction is slow on millions of quads)."""
    g = graph.value
    while ox.query(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"):
        ox.update(f"DELETE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} WHERE {{ "
                  f"{{ SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} LIMIT {_DELETE_CHUNK} }} }}")


def replace_graph(folder: str | Path, name: str, ntriples: Iterable[str], *,
                  copy_above: int | None = None) -> tuple[str, int]:
    """Replace the derived named graph ``name`` of the build in ``folder`` by ``ntriples`` (N-Triples lines).

    Returns the graph's IRI and how many lines were written.
    """
    folder = Path(folder)
    with BuildLock(folder):
        manifest = read_manifest(folder)
        graph_iri = IriMinter(manifest["base_iri"]).graph(name)
        source = _Source(ntriples)
        _replace(folder, manifest, graph_iri, source, copy_above)
    return graph_iri, source.lines


class _Source:
    """The new graph's N-Triples lines, written once: streamed into ``bulk_load`` through a pipe (the text is made
    while the store loads it, and millions of links never sit in memory or on disk) or to a file."""

    def __init__(self, ntriples: Iterable[str]):
        self.ntriples = ntriples
        self.lines = 0

    def write(self, fh) -> None:
        lines = 0
        for text in self.ntriples:
            if not text.endswith("\n"):
                text += "\n"
            fh.write(text)
            lines += text.count("\n")
        self.lines = lines

    def to_file(self, path: Path) -> Path:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            self.write(fh)
        return path

    def load_into(self, store, graph, work: Path) -> None:
        """``store.bulk_load`` of the lines into ``graph``: from a pipe that a thread fills while pyoxigraph (which
        releases the GIL) parses and stores, or from a file in ``work`` where there is no ``/dev/fd``."""
        import threading

        import pyoxigraph

        fmt = pyoxigraph.RdfFormat.N_TRIPLES
        if not os.path.isdir("/dev/fd"):
            store.bulk_load(path=str(self.to_file(work / "graph.nt")), format=fmt, to_graph=graph)
            return
        read_fd, write_fd = os.pipe()
        failed: list[BaseException] = []

        def produce() -> None:
            try:
                with open(write_fd, "w", encoding="utf-8", newline="\n") as fh:
                    self.write(fh)
            except BrokenPipeError:
                pass  # the loader stopped reading: its own error is raised
            except BaseException as exc:  # noqa: BLE001 - raised in the loading thread
                failed.append(exc)

        writer = threading.Thread(target=produce, name="topicgraph-ntriples", daemon=True)
        writer.start()
        try:
            store.bulk_load(path=f"/dev/fd/{read_fd}", format=fmt, to_graph=graph)
        finally:
            os.close(read_fd)  # a writer still blocked on a full pipe gets EPIPE and stops
            writer.join()
        if failed:
            raise failed[0]


def _replace(folder: Path, manifest: dict, graph_iri: str, source: _Source, copy_above: int | None) -> None:
    import pyoxigraph

    live = folder / manifest["store"]
    graph = pyoxigraph.NamedNode(graph_iri)
    try:
        # read-only first: a store opened for writing starts compacting what the last bulk load left (about 14 s
        # of CPU on 8 million quads), wasted work when the folder is about to be replaced by a copy
        reader = pyoxigraph.Store.read_only(str(live))
    except OSError as exc:
        raise TopicgraphError(f"cannot open {live} ({exc}): stop any `topicgraph serve` or other program that "
                              "has this graph open, then retry") from None
    replaced = None
    try:
        old = next(iter(reader.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")))
        if int(old[0].value) > (COPY_ABOVE if copy_above is None else copy_above):
            replaced = _copy_and_swap(folder, manifest, reader, graph, source)
            return
    except (OSError, SyntaxError) as exc:
        raise TopicgraphError(f"could not write the graph <{graph_iri}> ({exc}): run the command again") from None
    finally:
        del reader  # closed before its folder goes
        if replaced is not None:
            shutil.rmtree(replaced, ignore_errors=True)
    try:
        ox = pyoxigraph.Store(str(live))
    except OSError as exc:
        raise TopicgraphError(f"cannot open {live} for writing ({exc}): stop any `topicgraph serve` or other "
                              "program that has this graph open, then retry") from None
    try:
        _note_derived(folder, manifest, graph_iri)
        _clear(ox, graph)
        work = work_folder(folder, derived=True)
        try:
            source.load_into(ox, graph, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if not source.lines:
            ox.add_graph(graph)
        ox.flush()
    except (OSError, SyntaxError) as exc:
        raise TopicgraphError(f"could not write the graph <{graph_iri}> ({exc}): run the command again") from None
    finally:
        del ox


def _note_derived(folder: Path, manifest: dict, graph_iri: str) -> dict:
    """The manifest with ``graph_iri`` in its list of derived graphs (written first: a listed graph that turns out
    empty costs nothing, an unlisted one would be lost by the next copy from the base)."""
    derived = sorted(set(manifest.get("derived", [])) | {graph_iri})
    if derived != manifest.get("derived"):
        manifest["derived"] = derived
        write_manifest(folder, manifest)
    return manifest


def _copy_and_swap(folder: Path, manifest: dict, ox, graph, source: _Source) -> Path:
    """A new store folder holding every quad but those of ``graph``, plus ``data`` in ``graph``; then the
    manifest names it. Returns the old folder, for the caller to remove once ``ox`` is closed. Lines of an N-Quads
    dump end with `` <graph> .``."""
    import pyoxigraph

    work = work_folder(folder, derived=True)
    base = manifest.get("base")
    if base and (folder / base).is_dir():
        try:
            return _swap_from_base(folder, manifest, ox, graph, source, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    try:
        data = source.to_file(work / "graph.nt")
        lines = source.lines
        dump = work / "store.nq"
        ox.dump(str(dump), pyoxigraph.RdfFormat.N_QUADS)
        suffix = f" <{graph.value}> .\n".encode("utf-8")
        quads = work / "new.nq"
        with open(dump, "rb") as src, open(quads, "wb") as dst:
            while True:
                chunk = src.readlines(1 << 24)
                if not chunk:
                    break
                dst.writelines(line for line in chunk if not line.endswith(suffix))
            graph_term = f" <{graph.value}> .\n".encode("utf-8")
            with open(data, "rb") as triples:
                while True:
                    chunk = triples.readlines(1 << 24)
                    if not chunk:
                        break
                    dst.writelines(line[: line.rindex(b" .")] + graph_term for line in chunk if line.strip())
        dump.unlink()
        store_name = new_store_name()
        new = pyoxigraph.Store(str(work / store_name))
        new.bulk_load(path=str(quads), format=pyoxigraph.RdfFormat.N_QUADS)
        if not lines:
            new.add_graph(graph)
        new.flush()
        del new
        return _switch(folder, work, manifest, store_name, graph.value)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _swap_from_base(folder: Path, manifest: dict, ox, graph, source: _Source, work: Path) -> Path:
    """The new store: a checkpoint of the build's base, the other derived graphs copied from ``ox``, and ``data``."""
    import pyoxigraph

    store_name = new_store_name()
    base = pyoxigraph.Store.read_only(str(folder / manifest["base"]))
    base.backup(str(work / store_name))  # hard links to the base's files
    del base
    new = pyoxigraph.Store(str(work / store_name))
    for other in manifest.get("derived", []):
        if other == graph.value:
            continue
        term = pyoxigraph.NamedNode(other)
        if not ox.contains_named_graph(term):
            continue
        nt = work / "other.nt"
        ox.dump(str(nt), pyoxigraph.RdfFormat.N_TRIPLES, from_graph=term)
        new.add_graph(term)
        if nt.stat().st_size:
            new.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=term)
        nt.unlink()
    new.add_graph(graph)
    source.load_into(new, graph, work)
    new.flush()
    del new
    return _switch(folder, work, manifest, store_name, graph.value)


def _switch(folder: Path, work: Path, manifest: dict, store_name: str, graph_iri: str) -> Path:
    """Swap in ``store_name`` from ``work``, with ``graph_iri`` among the derived graphs; returns the old store
    folder, to be removed."""
    old_store = manifest["store"]
    derived = sorted(set(manifest.get("derived", [])) | {graph_iri})
    swap_in(folder, work, [store_name], {**manifest, "store": store_name, "derived": derived})
    return folder / old_store
