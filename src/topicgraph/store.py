"""The embedded, on-disk graph store (pyoxigraph): open, query, replace a record's graph, export.

A build folder holds ``topicgraph-store.json`` (the manifest: which ``store-*`` folder is live, the base IRI and
counts), the live store folder, ``build-report.json`` and any exports. A rebuild writes a new store folder and then
replaces the manifest in one atomic rename, so a reader never sees a half-built graph.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import TopicgraphError
from .namespaces import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph
    import rdflib

__all__ = ["GraphStore", "MANIFEST", "EXPORT_FORMATS", "BuildLock", "atomic_write", "export_graph"]

MANIFEST = "topicgraph-store.json"

#: ``--format`` name -> (file extension, pyoxigraph format name, holds named graphs)
EXPORT_FORMATS: dict[str, tuple[str, str, bool]] = {
    "ttl": ("ttl", "TURTLE", False),
    "nt": ("nt", "N_TRIPLES", False),
    "nq": ("nq", "N_QUADS", True),
    "trig": ("trig", "TRIG", True),
    "jsonld": ("jsonld", "JSON_LD", True),
}


def atomic_write(path: str | Path, writer) -> None:
    """Call ``writer(tmp_path)`` then rename the result over ``path``: readers see the old file or the new one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: what json.loads gives, other than an object
_JSON_KINDS = {list: "an array,", str: "a string,", int: "a number,", float: "a number,", bool: "true or false,",
               type(None): "null,"}


def write_manifest(folder: str | Path, manifest: dict) -> None:
    """Write the build folder's manifest in one atomic rename (readers see the old one or the new one)."""
    atomic_write(Path(folder) / MANIFEST, lambda tmp: Path(tmp).write_text(json.dumps(manifest, indent=2) + "\n"))


@dataclass
class GraphStore:
    """An opened build folder. Queries see the union of all named graphs as their default graph.

    >>> import tempfile, topicgraph
    >>> out = tempfile.mkdtemp()
    >>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
    >>> store = GraphStore.open(out)
    >>> store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:Article }")[0]["n"]
    5
    """

    folder: Path
    ox: "pyoxigraph.Store"
    manifest: dict

    @classmethod
    def open(cls, folder: str | Path = "graph", *, read_only: bool = True) -> "GraphStore":
        import pyoxigraph

        folder = Path(folder)
        manifest_path = folder / MANIFEST
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError(f"{_JSON_KINDS[type(manifest)]} not an object")
            if not isinstance(manifest.get("store"), str) or not isinstance(manifest.get("base_iri"), str):
                raise ValueError("no \"store\" and \"base_iri\" names")
            store_dir = folder / manifest["store"]
        except FileNotFoundError:
            raise TopicgraphError(f"no graph in {folder}/: run `topicgraph build SRC --out {folder}` first, "
                                  "or point --store at a build folder") from None
        except ValueError as exc:  # UnicodeDecodeError and json's errors too
            raise TopicgraphError(f"{manifest_path}, the build folder's manifest, is damaged ({exc}): rebuild "
                                  f"with `topicgraph build SRC --out {folder}`") from None
        try:
            ox = pyoxigraph.Store.read_only(str(store_dir)) if read_only else pyoxigraph.Store(str(store_dir))
        except OSError as exc:
            raise TopicgraphError(f"cannot open the store in {store_dir}: {exc}") from None
        except RuntimeError as exc:  # RocksDB's "Corruption: ..." (a truncated or missing .sst file)
            raise TopicgraphError(f"the store in {store_dir} is damaged ({exc}): rebuild it with "
                                  f"`topicgraph build SRC --out {folder}`") from None
        return cls(folder, ox, manifest)

    @property
    def base_iri(self) -> str:
        return self.manifest["base_iri"]

    def raw_query(self, sparql: str, **kwargs: Any):
        """Run SPARQL on pyoxigraph with our prefixes and the union default graph; returns pyoxigraph results."""
        kwargs.setdefault("use_default_graph_as_union", True)
        kwargs.setdefault("prefixes", PREFIXES)
        return self.ox.query(sparql, **kwargs)

    def query(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """SELECT rows as dicts of Python values (str for IRIs and strings, int/float/bool where typed)."""
        from .terms import to_python

        result = self.raw_query(sparql, **kwargs)
        names = [v.value for v in result.variables]
        return [{n: to_python(row[n]) for n in names if row[n] is not None} for row in result]

    def __len__(self) -> int:
        return len(self.ox)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs())

    def triples(self):
        """Every triple of the union graph (our graphs never repeat a triple, so this is a set)."""
        import pyoxigraph

        for q in self.ox.quads_for_pattern(None, None, None, None):
            yield pyoxigraph.Triple(q.subject, q.predicate, q.object)

    def export(self, path: str | Path, fmt: str) -> Path:
        return export_graph(self.ox, path, fmt)

    def to_rdflib(self) -> "rdflib.Dataset":
        """The whole store as an rdflib ``Dataset`` (named graphs kept; ``default_union`` on) for rdflib users."""
        import rdflib

        ds = rdflib.Dataset(default_union=True)
        ds.parse(data=self.ox.dump(format=_fmt("N_QUADS")), format="nquads")
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, replace=True)
        return ds

    def to_rdflib_graph(self) -> "rdflib.Graph":
        """The union of all graphs as one rdflib ``Graph``."""
        import pyoxigraph
        import rdflib

        g = rdflib.Graph()
        g.parse(data=pyoxigraph.serialize(self.triples(), format=_fmt("N_TRIPLES")), format="nt")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, replace=True)
        return g

    def close(self) -> None:
        del self.ox


def _fmt(name: str):
    import pyoxigraph

    return getattr(pyoxigraph.RdfFormat, name)


def export_graph(ox: "pyoxigraph.Store", path: str | Path, fmt: str) -> Path:
    """Write the store as ``fmt`` to ``path`` atomically. Triple formats get the union of the named graphs."""
    import pyoxigraph

    if fmt not in EXPORT_FORMATS:
        raise TopicgraphError(f"unknown format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
    _, name, quads = EXPORT_FORMATS[fmt]
    rdf_format = _fmt(name)

    def write(tmp: str) -> None:
        if quads:
            ox.dump(tmp, rdf_format, prefixes=None if fmt == "nq" else PREFIXES)
        else:
            triples = (pyoxigraph.Triple(q.subject, q.predicate, q.object)
                       for q in ox.quads_for_pattern(None, None, None, None))
            pyoxigraph.serialize(triples, tmp, rdf_format, prefixes=None if fmt == "nt" else PREFIXES)

    atomic_write(path, write)
    return Path(path)


class BuildLock:
    """The build folder's ``.build.lock``: one writer (build, update, derived graphs) at a time; a second one waits
    up to a minute, then says so."""

    def __init__(self, out: Path) -> None:
        self.path = out / ".build.lock"

    def __enter__(self):
        import fcntl

        self.fh = open(self.path, "w")
        deadline = time.monotonic() + 60
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.fh.close()
                    raise TopicgraphError(f"another build is writing {self.path.parent}/: wait for it to finish")
                time.sleep(0.2)

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()
