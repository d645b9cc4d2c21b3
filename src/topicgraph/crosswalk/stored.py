"""The taxonomy a build used, read back from its store's taxonomy graph, and the folder it came from.

A build loads every triple of its ``--taxonomy`` folder into the store's taxonomy named graph, so the commands
that read a store score concepts, labels, schemes, broader links and existing mappings from there: the same
taxonomy the build resolved topics with, whatever folder the command is run from. Writing (accept, reject) needs
the folder itself; :func:`build_taxonomy_folder` finds it when the build's manifest says where it was, or when
the build used the shipped taxonomy.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import TopicgraphError
from ..iris import IriMinter
from ..resources import taxonomy_dir as shipped_taxonomy_dir
from ..store import GraphStore
from ..taxonomy import Taxonomy, load_taxonomy, taxonomy_files, taxonomy_from_triples
from ..vocab import RDF_TYPE, SKOS_CONCEPT
from .links import TaxonomyLinks, links_from_triples

__all__ = ["stored_taxonomy", "build_taxonomy_folder", "recorded_taxonomy_folder"]

#: the manifest key naming the taxonomy folder a build used, when the build records it
TAXONOMY_DIR_KEY = "taxonomy_dir"


def _taxonomy_quads(store: GraphStore) -> list:
    from pyoxigraph import NamedNode

    graph = NamedNode(IriMinter(store.base_iri).taxonomy_graph)
    return list(store.ox.quads_for_pattern(None, None, None, graph))


def stored_taxonomy(store: GraphStore) -> tuple[Taxonomy, TaxonomyLinks]:
    """The taxonomy in ``store``'s taxonomy graph and its links. ``Taxonomy.files`` is empty: the concepts came
    from the store, not from files one could write to."""
    quads = _taxonomy_quads(store)
    if not quads:
        raise TopicgraphError(f"the build in {store.folder} holds no taxonomy graph: rebuild it, or pass the "
                              "--taxonomy DIR it was built with")
    tax = taxonomy_from_triples(quads, strict=False, where=f"in {store.folder}")
    return tax, links_from_triples(quads)


def recorded_taxonomy_folder(manifest: dict) -> Path | None:
    """The taxonomy folder the manifest records (relative paths against the build's working folder), if it
    still exists."""
    recorded = manifest.get(TAXONOMY_DIR_KEY)
    if not isinstance(recorded, str) or not recorded:
        return None
    folder = Path(manifest.get("cwd") or ".") / recorded
    return folder if folder.is_dir() else None


def build_taxonomy_folder(store_folder: str | Path) -> Path:
    """The taxonomy folder the build in ``store_folder`` used, for commands that write into it: the folder its
    manifest records, else the shipped ``taxonomy/`` when the build's taxonomy has exactly the shipped files and
    concepts. Otherwise a :class:`TopicgraphError` asking for ``--taxonomy`` and naming the build's files, so
    that nothing is written into a taxonomy the build did not use."""
    store = GraphStore.open(store_folder)
    recorded = recorded_taxonomy_folder(store.manifest)
    if recorded is not None:
        return recorded
    names = sorted(store.manifest.get("taxonomy") or [])
    shipped = Path(shipped_taxonomy_dir())
    if names == sorted(p.name for p in taxonomy_files(shipped)):
        from pyoxigraph import NamedNode

        concept = (NamedNode(RDF_TYPE), NamedNode(SKOS_CONCEPT))
        in_store = {q.subject.value for q in _taxonomy_quads(store) if (q.predicate, q.object) == concept}
        if in_store == set(load_taxonomy(shipped, strict=False).concepts):
            return shipped
    files = ", ".join(names) or "no files recorded"
    raise TopicgraphError(f"the build in {store.folder} used a taxonomy other than the shipped one ({files}) and "
                          "its manifest does not say which folder: pass that folder as --taxonomy DIR (the one "
                          "given to `topicgraph build --taxonomy`)")
