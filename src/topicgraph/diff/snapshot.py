"""One side of a diff as data: its build (made with the builder, or a build folder given, or a cached build of
BASE brought up to HEAD with ``build --update``), its canonical N-Quads by graph, and its validation findings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..builder import build, update
from ..errors import Finding, TopicgraphError
from ..records import DEFAULT_PROFILE, Profile
from ..store import read_manifest, write_manifest
from ..validation import validate
from ..vocab import DCTERMS_SOURCE
from .trees import Side, Workspace

__all__ = ["Snapshot", "build_side", "update_side", "quads_by_graph", "side_findings"]


@dataclass
class Snapshot:
    """A side's build folder, its N-Quads lines (without the final `` .``) by graph IRI, and the base IRI."""

    side: Side
    folder: Path
    graphs: dict[str, set[str]] = field(default_factory=dict)
    base_iri: str = ""
    findings: list[Finding] | None = None

    def load(self, graphs: set[str] | None = None) -> None:
        self.graphs, self.base_iri = quads_by_graph(self.folder, graphs)


def _open(folder: Path):
    import pyoxigraph

    manifest = read_manifest(folder)
    try:
        return pyoxigraph.Store.read_only(str(folder / manifest["store"])), manifest
    except (OSError, RuntimeError) as exc:
        raise TopicgraphError(f"cannot open the store in {folder}: {exc}: rebuild it with `topicgraph build`") \
            from None


def graphs_of(folder: Path, files: list[str]) -> set[str]:
    """The record graphs whose ``dcterms:source`` is one of ``files``, with the entities and taxonomy graphs."""
    import pyoxigraph

    ox, manifest = _open(folder)
    base = manifest.get("base_iri", "")
    found = {base + "graph/entities", base + "graph/taxonomy"}
    source = pyoxigraph.NamedNode(DCTERMS_SOURCE)
    for f in files:
        found.update(q.graph_name.value for q in ox.quads_for_pattern(None, source, pyoxigraph.Literal(f)))
    return found


def quads_by_graph(folder: Path, graphs: set[str] | None = None) -> tuple[dict[str, set[str]], str]:
    """The quads of the build in ``folder`` (of ``graphs`` only, when given) as canonical N-Quads lines, grouped
    by graph IRI, and the base IRI.

    pyoxigraph writes one canonical form per term (no blank nodes are minted by the mapper, so the lines compare
    as they are)."""
    import pyoxigraph

    ox, manifest = _open(folder)
    out: dict[str, set[str]] = {}
    if graphs is not None:  # a few graphs: read them by pattern, not the whole store
        for g in graphs:
            lines = {str(q) for q in ox.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(g))}
            if lines:
                out[g] = lines
        return out, manifest.get("base_iri", "")
    data = ox.dump(format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")
    del ox
    for line in data.split("\n"):
        if not line:
            continue
        body = line[:-2]  # " ."
        cut = body.rfind(" <")
        graph = body[cut + 2:-1] if cut >= 0 else ""
        out.setdefault(graph, set()).add(body)
    return out, manifest.get("base_iri", "")


def _empty_source(ws: Workspace, name: str) -> Path:
    return ws.new(f"{name}-empty")


def build_side(side: Side, ws: Workspace, name: str, *, profile: Profile = DEFAULT_PROFILE,
               taxonomy: Path | None = None, jobs: int | None = None) -> Snapshot:
    """Build ``side`` into the workspace (or read its build folder) and load its quads."""
    if side.build is not None:
        folder = side.build
    else:
        folder = ws.folder / f"{name}-build"
        sources = side.sources() or [_empty_source(ws, name)]
        build(sources, out=folder, profile=profile, taxonomy=taxonomy, jobs=jobs, root=side.root)
    return Snapshot(side, folder)


def update_side(base_build: Path, head: Side, files: list[str], ws: Workspace, *, profile: Profile,
                taxonomy: Path | None) -> Snapshot:
    """HEAD from a cached build of BASE: a checkpoint of its store (hard links, the cache is never written) in
    the workspace, with ``files`` (relative to ``head.root``; deleted ones too) re-mapped by ``build --update``."""
    import pyoxigraph

    manifest = read_manifest(base_build)
    folder = ws.new("head-build")
    try:
        src = pyoxigraph.Store.read_only(str(base_build / manifest["store"]))
        src.backup(str(folder / manifest["store"]))
        del src
    except (OSError, RuntimeError) as exc:
        raise TopicgraphError(f"--base-build {base_build}: cannot read its store ({exc}): rebuild it with "
                              "`topicgraph build`") from None
    manifest.pop("base", None)
    write_manifest(folder, manifest)
    # no build report: a diff never reads HEAD's, and rewriting one of 100,000 files costs seconds (the update
    # then counts the articles by difference, as it does for a report deleted by hand)
    assert head.root is not None
    update([head.root / f for f in files], out=folder, profile=profile, taxonomy=taxonomy, root=head.root)
    return Snapshot(head, folder)


def base_build_manifest(folder: Path) -> dict:
    """The manifest of a ``--base-build`` folder, or a clear error."""
    try:
        return read_manifest(folder)
    except (OSError, ValueError, TopicgraphError) as exc:
        raise TopicgraphError(f"--base-build {folder} is not a build folder ({exc}): make one with "
                              "`topicgraph build SRC --out DIR` at the base revision") from None


def side_findings(side: Side, files: list[str] | None, *, profile: Profile, taxonomy: Path | None,
                  shapes: Path | None, check_taxonomy: bool, jobs: int | None) -> list[Finding]:
    """validate's findings for ``files`` of ``side`` (relative to its root; None: all its sources), with every
    file named relative to the side's root so both sides compare."""
    if side.root is None:
        return []
    if files is None:
        targets = side.sources()
    else:
        targets = [side.root / f for f in files if (side.root / f).is_file()]
    if not targets and not check_taxonomy:
        return []
    report = validate(targets, profile=profile, taxonomy=taxonomy, shapes=shapes, check_taxonomy=check_taxonomy,
                      jobs=jobs)
    root = str(side.root)
    out = []
    for f in report.findings:
        full = os.path.abspath(f.file)
        rel = os.path.relpath(full, root) if full.startswith(root + os.sep) else f.file
        # a temporary tree's folder never shows: messages name files relative to the root, as the key does
        out.append(Finding(Path(rel).as_posix(), f.message.replace(root + os.sep, ""), severity=f.severity,
                           line=f.line, field=f.field, rule=f.rule, fix=f.fix.replace(root + os.sep, ""),
                           node=f.node))
    return out

