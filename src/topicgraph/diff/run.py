"""``topicgraph diff``: resolve the two sides, build (or update a cached build), and compute every layer."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TopicgraphError
from ..records import DEFAULT_PROFILE, Profile
from ..store import GraphStore
from .impact import impact_layer
from .layers import finding_layer, names_of, record_layer, taxonomy_layer, triple_layer
from .snapshot import base_build_manifest, build_side, graphs_of, side_findings, update_side
from .trees import Side, Workspace, changed_files, is_build_folder

__all__ = ["DiffReport", "diff"]


@dataclass
class DiffReport:
    """Every layer of a diff as plain data (``data``, the JSON document) and its exit code: 1 when the change is
    breaking (a removed or relabelled concept still used) or introduces an error (a warning too with strict)."""

    data: dict = field(default_factory=dict)
    strict: bool = False

    @property
    def breaking(self) -> bool:
        return bool(self.data["taxonomy"]["breaking"])

    @property
    def exit_code(self) -> int:
        failing = ("error", "warning") if self.strict else ("error",)
        introduced = any(f["severity"] in failing for f in self.data["findings"]["introduced"])
        return 1 if self.breaking or introduced else 0

    @property
    def empty(self) -> bool:
        s = self.data["summary"]
        return not any(v for k, v in s.items())


def _repo_path(path: str, cwd: Path, top: Path) -> str:
    full = Path(os.path.abspath(cwd / path))
    try:
        rel = full.relative_to(top).as_posix()
    except ValueError:
        raise TopicgraphError(f"{path} is outside the repository ({top}): name paths inside it") from None
    return rel or "."


def _split(args: Sequence[str], ws: Workspace, cwd: Path) -> tuple[str, str | None, list[str]]:
    """BASE, HEAD (None: the working tree) and the paths, as ``git diff`` reads them: the second word is HEAD
    when it names a revision and no file."""
    if not args:
        raise TopicgraphError("name the base revision (e.g. `topicgraph diff origin/main`)")
    base, rest = args[0], list(args[1:])
    head = None
    if rest and not os.path.lexists(cwd / rest[0]) and ws.commit(rest[0]) is not None:
        head, rest = rest[0], rest[1:]
    return base, head, rest


def _digest_folder(folder: Path | None) -> str:
    if folder is None or not folder.is_dir():
        return ""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _sides(args: Sequence[str], ws: Workspace, cwd: Path, base_build: Path | None,
           extra: list[str]) -> tuple[Side, Side, str]:
    """The two sides and the mode (``git``, ``folders`` or ``builds``)."""
    if len(args) >= 1 and os.path.isdir(cwd / args[0]) and not (len(args) == 1 and base_build):
        if len(args) < 2 or not os.path.isdir(cwd / args[1]):
            raise TopicgraphError(f"{args[0]} is a folder: name a second folder to compare it with "
                                  f"(`topicgraph diff {args[0]} OTHER`), or give a revision")
        a, b = Path(os.path.abspath(cwd / args[0])), Path(os.path.abspath(cwd / args[1]))
        if is_build_folder(a) and is_build_folder(b):
            return Side("base", None, [], build=a), Side("head", None, [], build=b), "builds"
        paths = [str(p) for p in args[2:]] or ["."]
        for p in paths:
            if os.path.isabs(p) or ".." in Path(p).parts:
                raise TopicgraphError(f"{p}: with two folders, paths are relative to each folder, inside it")
        return Side(f"{args[0]}", a, paths), Side(f"{args[1]}", b, paths), "folders"
    top = ws.find_repo(cwd)
    base, head, paths = _split(args, ws, cwd)
    sha = ws.resolve(base)
    paths = [_repo_path(p, cwd, top) for p in paths] or [_repo_path(".", cwd, top)]
    wanted = sorted(set(paths) | set(extra))
    head_sha = ws.resolve(head) if head is not None else None
    base_side = Side(base, None, paths, revision=sha)
    if base_build is None:
        base_side.root, left = ws.extract(sha, wanted, "base")
        base_side.notes += [f"base: not read: {n}" for n in left]
    if head_sha is None:
        head_side = Side("working tree", top, paths)
    else:
        head_side = Side(head, None, paths, revision=head_sha)
        if base_build is None:
            head_side.root, left = ws.extract(head_sha, wanted, "head")
            head_side.notes += [f"head: not read: {n}" for n in left]
    return base_side, head_side, "git"


def _inside(folder: str | None, cwd: Path, ws: Workspace) -> str | None:
    """A --taxonomy/--shapes folder as a repository path (read at each revision), or None when it lies outside."""
    if folder is None or ws.repo is None:
        return None
    full = Path(os.path.abspath(cwd / folder))
    try:
        return full.relative_to(ws.repo).as_posix()
    except ValueError:
        return None


def diff(args: Sequence[str], *, cwd: str | Path | None = None, profile: Profile = DEFAULT_PROFILE,
         taxonomy: str | None = None, shapes: str | None = None, queries: Sequence[str] = (),
         base_build: str | Path | None = None, jobs: int | None = None, strict: bool = False,
         findings: bool = True, whole: bool = False) -> DiffReport:
    """Diff ``args`` = ``BASE [HEAD] [PATH...]`` (git revisions of the repository holding ``cwd``; HEAD default
    the working tree), or two folders, or two build folders. Raises :class:`TopicgraphError` (exit 2) when it
    cannot run. ``whole`` compares every graph even when only some files changed (the fast path's reference)."""
    from ..queries import get_query

    started = time.perf_counter()
    for name in queries:  # before any work: a misspelt --query is exit 2 at once
        get_query(name)
    cwd = Path(os.path.abspath(cwd or os.getcwd()))
    base_build = Path(os.path.abspath(cwd / base_build)) if base_build else None
    cached = base_build_manifest(base_build) if base_build is not None else {}
    with Workspace() as ws:
        if not (args and os.path.isdir(cwd / args[0])):
            ws.find_repo(cwd)  # revisions: the repository must be there (exit 2 otherwise)
        tax_rel, shapes_rel = _inside(taxonomy, cwd, ws), _inside(shapes, cwd, ws)
        extra = [p for p in (tax_rel, shapes_rel) if p]
        base, head, mode = _sides(list(args), ws, cwd, base_build, extra)

        def per_side(side: Side, rel: str | None, given: str | None) -> Path | None:
            if given is None:
                return None
            if rel is not None and side.root is not None:
                path = side.root / rel
                if not path.is_dir():
                    raise TopicgraphError(f"{given} does not exist at {side.label}: the option names a folder of "
                                          "the repository, read at each revision")
                return path
            return Path(os.path.abspath(cwd / given))

        notes = base.notes + head.notes
        if base_build is not None and mode != "git":
            notes.append("--base-build is for git revisions: both folders were built")
        if cached.get("profile") not in (None, profile.name):
            notes.append(f"--base-build {base_build} was built with the profile {cached['profile']!r}, this diff "
                         f"maps HEAD with {profile.name!r}: rebuild the cache with the same --profile")
        timings: dict[str, float] = {}
        mark = time.perf_counter()
        changed: list[str] | None = None
        if mode == "git" and base_build is not None:
            changed = changed_files(base, head, ws)
            if head.root is None:  # HEAD a revision: only the changed files are extracted
                head.root, left = ws.extract(head.revision, [f for f in changed] + extra, "head")
                notes += [f"head: not read: {n}" for n in left]
            base_tax = ws.extract(base.revision, [tax_rel], "base-taxonomy")[0] / tax_rel if tax_rel else None
            head_tax = per_side(head, tax_rel, taxonomy)
            if _digest_folder(base_tax) != _digest_folder(head_tax):
                notes.append("the taxonomy changed: HEAD is built in full, not updated from --base-build")
                head.root, _ = (head.root, None) if head.revision is None else ws.extract(
                    head.revision, sorted(set(head.paths) | set(extra)), "head-full")
                new = build_side(head, ws, "head", profile=profile, taxonomy=head_tax, jobs=jobs)
            else:
                new = update_side(base_build, head, [f for f in changed if _under(f, head.paths)], ws,
                                  profile=profile, taxonomy=head_tax)
            base.build = base_build
            old = build_side(base, ws, "base", profile=profile, jobs=jobs)
            base_tax_dir = base_tax
        else:
            missing = [p for p in head.paths if base.root and head.root and not any(
                os.path.lexists(side.root / p) for side in (base, head))]
            if missing:
                raise TopicgraphError(f"{', '.join(missing)}: no such path at {base.label} or at {head.label}: "
                                      "name the folders that hold the records")
            base_tax_dir, head_tax = per_side(base, tax_rel, taxonomy), per_side(head, tax_rel, taxonomy)
            old = build_side(base, ws, "base", profile=profile, taxonomy=base_tax_dir, jobs=jobs)
            new = build_side(head, ws, "head", profile=profile, taxonomy=head_tax, jobs=jobs)
        timings["build"], mark = round(time.perf_counter() - mark, 3), time.perf_counter()
        tax_changed = mode != "builds" and _digest_folder(base_tax_dir) != _digest_folder(head_tax)
        if changed is None and mode != "builds" and not tax_changed:
            changed = changed_files(base, head, ws if mode == "git" else None)
        # the same taxonomy and profile: only the changed files' graphs can differ (the mapping is a function of a
        # file's bytes and path), so only those are read, not the whole store; and only the rows of the articles
        # they touch are read again for HEAD's analysis input
        updated = changed is not None and not tax_changed and not whole
        if updated:
            wanted = graphs_of(old.folder, changed) | graphs_of(new.folder, changed)
            old.load(wanted)
            new.load(wanted)
        else:
            old.load()
            new.load()
        timings["read"], mark = round(time.perf_counter() - mark, 3), time.perf_counter()
        if old.base_iri != new.base_iri:
            raise TopicgraphError(f"the two sides use different base IRIs ({old.base_iri}, {new.base_iri}): "
                                  "rebuild one with the other's --base-iri")
        names = {**names_of(old.graphs, old.base_iri), **names_of(new.graphs, new.base_iri)}
        records = record_layer(old.graphs, new.graphs, new.base_iri, names)
        triples = triple_layer(old.graphs, new.graphs, new.base_iri)
        tax = taxonomy_layer(old.graphs, new.graphs, new.base_iri)
        timings["layers"], mark = round(time.perf_counter() - mark, 3), time.perf_counter()
        moved = {r["old_file"]: r["file"] for r in records["changed"] if r.get("moved")}
        found = {"introduced": [], "resolved": [], "introduced_errors": 0}
        if findings and mode != "builds":
            shapes_changed = shapes_rel is not None and _digest_folder(per_side(base, shapes_rel, shapes)
                                                                         if base.root else None) != \
                _digest_folder(per_side(head, shapes_rel, shapes))
            whole = tax_changed or shapes_changed
            if changed is None and not whole:
                changed = changed_files(base, head, ws if mode == "git" else None)
            files = None if whole else [f for f in changed or [] if _under(f, head.paths)]
            base_files = None if whole else sorted(set(files) | set(moved))
            if base.root is None and base_build is not None:  # only the changed files of BASE are needed
                base.root, _ = ws.extract(base.revision, base_files or [], "base-files")
            found = finding_layer(
                side_findings(base, base_files, profile=profile, taxonomy=base_tax_dir,
                              shapes=per_side(base, shapes_rel, shapes), check_taxonomy=whole, jobs=jobs),
                side_findings(head, files, profile=profile, taxonomy=head_tax,
                              shapes=per_side(head, shapes_rel, shapes), check_taxonomy=whole, jobs=jobs),
                moved)
        elif mode == "builds":
            notes.append("two build folders: no files to validate, so no findings layer")
        timings["findings"], mark = round(time.perf_counter() - mark, 3), time.perf_counter()
        touched = sorted({r["article"] for part in ("added", "removed", "changed") for r in records[part]
                          if r["article"]})
        if triples["graphs"]:
            old_store, new_store = GraphStore.open(old.folder), GraphStore.open(new.folder)
            try:
                impact = impact_layer(old_store, new_store, touched, names, queries,
                                      cache_base=base_build is not None and old.folder == base_build,
                                      updated=updated)
            finally:
                old_store.close()
                new_store.close()
        else:  # not one statement changed: nothing the analyses or queries read can differ
            impact = {"counts": {"topics": [], "authors": [], "brands": []}, "related": [],
                      "related_not_compared": 0, "clusters": [],
                      "queries": [{"query": q, "added": [], "removed": []} for q in queries]}
        timings["impact"] = round(time.perf_counter() - mark, 3)
    data = {
        "base": {"label": base.label, "revision": base.revision, "build": str(base_build) if base_build else None},
        "head": {"label": head.label, "revision": head.revision},
        "mode": mode, "paths": head.paths,
        "summary": {},
        "records": records, "triples": triples, "taxonomy": tax, "findings": found, "impact": impact,
        "notes": notes, "seconds": round(time.perf_counter() - started, 3), "timings": timings,
    }
    data["summary"] = summary(data)
    return DiffReport(data, strict)


def _under(path: str, roots: list[str]) -> bool:
    return any(r in (".", "") or path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def summary(data: dict) -> dict[str, int]:
    """The counts the summary table shows."""
    r, t, f, i = data["records"], data["taxonomy"], data["findings"], data["impact"]
    moved = sum(1 for c in r["changed"] if c.get("moved"))
    return {
        "records_added": len(r["added"]), "records_removed": len(r["removed"]),
        "records_changed": len(r["changed"]) - moved, "records_moved": moved,
        "triples_added": data["triples"]["added"], "triples_removed": data["triples"]["removed"],
        "concepts_added": len(t["concepts"]["added"]), "concepts_removed": len(t["concepts"]["removed"]),
        "concepts_relabelled": len(t["concepts"]["relabelled"]), "concepts_moved": len(t["concepts"]["moved"]),
        "mappings_changed": len(t["mappings"]["added"]) + len(t["mappings"]["removed"]),
        "breaking": len(t["breaking"]),
        "findings_introduced": len(f["introduced"]), "findings_resolved": len(f["resolved"]),
        "counts_changed": sum(len(v) for v in i["counts"].values()),
        "related_changed": len(i["related"]), "clusters_moved": len(i["clusters"]),
        "query_rows_changed": sum(len(q["added"]) + len(q["removed"]) for q in i["queries"]),
    }
