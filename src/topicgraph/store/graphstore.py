"""The embedded, on-disk graph store (pyoxigraph) of a build folder: open, query, read back as rdflib.

>>> import tempfile, topicgraph
>>> out = tempfile.mkdtemp()
>>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
>>> GraphStore.open(out).rows("SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:Article }")
[['5']]
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TopicgraphError
from ..terms import to_python
from ..vocab import PREFIXES
from .export import export_graph, rdf_format
from .layout import read_manifest

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph
    import rdflib

__all__ = ["GraphStore", "read_rows"]


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
        manifest = read_manifest(folder)
        store_dir = folder / manifest["store"]
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

    def rows(self, sparql: str) -> list[list[str]]:
        """SELECT rows as lists of lexical strings ("" for unbound), through pyoxigraph's CSV serialiser: much
        faster than touching every term from Python."""
        from pyoxigraph import QueryResultsFormat

        data = self.raw_query(sparql).serialize(format=QueryResultsFormat.CSV)
        return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1:]

    def query(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """SELECT rows as dicts of Python values (str for IRIs and strings, int/float/bool where typed)."""
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
        ds.parse(data=self.ox.dump(format=rdf_format("N_QUADS")), format="nquads")
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, replace=True)
        return ds

    def to_rdflib_graph(self) -> "rdflib.Graph":
        """The union of all graphs as one rdflib ``Graph``."""
        import pyoxigraph
        import rdflib

        g = rdflib.Graph()
        g.parse(data=pyoxigraph.serialize(self.triples(), format=rdf_format("N_TRIPLES")), format="nt")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, replace=True)
        return g

    def close(self) -> None:
        del self.ox


def read_rows(store_dir: str, queries: list[tuple[str, str]]) -> dict[str, list[list[str]]]:
    """``{name: rows}`` of each ``(name, SELECT)`` in ``queries`` (:meth:`GraphStore.rows`) on the store folder
    ``store_dir``, opened read-only: what a worker process reads for the main one (``analysis.graphs``)."""
    import pyoxigraph

    store = GraphStore(Path(store_dir).parent, pyoxigraph.Store.read_only(store_dir), {})
    try:
        return {name: store.rows(sparql) for name, sparql in queries}
    finally:
        store.close()
