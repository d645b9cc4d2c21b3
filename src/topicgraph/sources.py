"""Walking the inputs: which files a build or a validation reads, what it turns away, and how a path is shown.

One walk (:func:`walk_sources`) for ``build``, ``validate`` and ``taxonomy tag``, so they find the same files and
turn away the same entries, and one display path (:func:`display_path`) for every file a report names.

The symlink policy: inputs stay inside their roots. The paths given (files or folders, links among them) are
the roots, trusted as named; a symbolic link met while walking a folder is followed only when its target lies
inside a root and outside any version-control folder (``.git``, ``.hg``, ``.svn``, which hold credentials): else
it is turned away unread and reported with its target, as is a link whose target does not exist. A symlinked
file inside the roots is followed (a file reached twice is read once: the file itself rather than a link to it,
the link reported); a symlinked folder is not walked into; a path is shown as it was reached, never resolved, so
a file under a symlinked source folder keeps that folder's name.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import TopicgraphError

__all__ = ["BUILD_MANIFEST", "display_path", "repo_root", "report_root", "root_relative", "discover", "discover_entries", "walk_sources", "Walked", "special_kind",
           "skip_reason", "link_problem", "link_leaves", "SKIP_DIRS", "VCS_DIRS", "LINK_FIX"]

#: the file that makes a folder a build folder, never walked into (its manifest: ``store.layout.MANIFEST``)
BUILD_MANIFEST = "topicgraph-store.json"
#: tool and version-control folders never walked into (hidden folders neither)
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox"})
#: version-control folders: what a link leads into under one of them is never read (a checkout's token lives there)
VCS_DIRS = frozenset({".git", ".hg", ".svn"})
#: what to do about a symbolic link turned away (its target outside the roots, or missing)
LINK_FIX = "copy the file into the repository or remove the link"


@lru_cache(maxsize=64)
def repo_root(folder: str) -> str | None:
    """The top level of the git repository holding ``folder`` (the nearest folder up with a ``.git`` entry, a
    folder or a worktree's file), or None; found without running git.

    >>> repo_root("/") is None or isinstance(repo_root("/"), str)
    True
    """
    here = os.path.abspath(folder)
    while True:
        if os.path.lexists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _under(full: str, root: str) -> str | None:
    """``full`` relative to ``root`` (``/``-separated) when it lies under it, else None."""
    if full == root:
        return "."
    if os.sep == "/":  # plain string work: a build names every file once, and pathlib's parsing cost 8 us a path
        prefix = root if root.endswith("/") else root + "/"
        return full[len(prefix):] if full.startswith(prefix) else None
    try:
        return Path(full).relative_to(root).as_posix()
    except ValueError:
        return None


def display_path(path: str | Path, cwd: str | Path | None = None) -> str:
    """``path`` as every report shows it (text, JSON, JUnit, SARIF, GitHub, the build report): relative to the
    working folder (``cwd``, default the current one) when it lies under it; else relative to the top level of the
    git repository the working folder is in, when it lies under that; else absolute. ``/``-separated, symlinks not
    resolved. A report never says ``../``: a path is one a reviewer finds from where they stand or from the
    repository's root (GitHub's annotations and code scanning read paths from the root).

    >>> display_path("seeds/a.md"), display_path(os.path.join(os.getcwd(), "seeds", "a.md"))
    ('seeds/a.md', 'seeds/a.md')
    >>> display_path("/elsewhere/b.md", "/work")
    '/elsewhere/b.md'
    """
    # abspath, not resolve(): no system call per path component, and a symlinked folder keeps its name
    here = str(cwd) if cwd is not None else os.getcwd()
    full = os.path.abspath(path)
    shown = _under(full, here)
    if shown is not None:
        return shown
    root = repo_root(here)
    if root is not None and root != here:
        shown = _under(full, root)
        if shown is not None:
            return shown
    return Path(full).as_posix()


def report_root(cwd: str | Path | None = None) -> str:
    """The folder a report's relative paths are read from for code scanning: the git top level of ``cwd`` (default
    the current folder), or ``cwd`` itself outside a repository."""
    here = str(cwd) if cwd is not None else os.getcwd()
    return repo_root(here) or os.path.abspath(here)


def root_relative(shown: str, cwd: str | Path | None = None) -> str:
    """A path as :func:`display_path` showed it, made relative to :func:`report_root` where it lies under it
    (absolute otherwise): what SARIF and GitHub annotations need, whatever folder the command ran in.

    >>> root_relative("/elsewhere/b.md", "/work")
    '/elsewhere/b.md'
    """
    here = os.path.abspath(str(cwd) if cwd is not None else os.getcwd())
    if os.path.isabs(shown):
        full = shown
    else:
        full = os.path.join(here, shown)
        root = repo_root(here)
        # shown relative to the repository's root (it lies outside the working folder): read it from there
        if not os.path.lexists(full) and root is not None and os.path.lexists(os.path.join(root, shown)):
            full = os.path.join(root, shown)
    full = os.path.normpath(full)
    rel = _under(full, report_root(here))
    return rel if rel is not None else Path(full).as_posix()


def discover(sources: Iterable[str | Path], *, exclude: Sequence[Path] = ()) -> list[Path]:
    """Every regular file under ``sources`` (files as given; folders walked), hidden files and build folders left
    out.

    Symlinked files are followed (a file reached twice is listed once: the file itself rather than a link to it);
    symlinked folders are not walked into. A build also reports what this leaves out (:func:`discover_entries`).
    """
    return [Path(p) for p, skip in discover_entries(sources, exclude=exclude)[0] if skip is None]


def discover_entries(sources: Iterable[str | Path], *, exclude: Sequence[Path] = ()) \
        -> tuple[list[tuple[str, tuple[str, str] | None]], Counter]:
    """Every entry discovery meets that a build must account for, in order: ``(path, None)`` for a file to read,
    ``(path, (kind, detail))`` for one it must not: ``("special", "a FIFO")`` (a FIFO, socket or device: opening
    it could block for ever), ``("same", path of the file read instead)`` (a symlink to a file found under its own
    name), ``("folder", OS error)`` (a folder that cannot be listed), ``("outside", target)`` (a symlink whose
    target is outside the roots or in a version-control folder), ``("broken", target)`` (a symlink whose target
    does not exist). And how many entries were ignored without a word, as documented (hidden files, hidden and
    tool folders, build folders, symlinked folders inside the roots).

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
    ``same`` (detail: the real path of the file read instead), ``folder`` (detail: the OS error), ``outside`` or
    ``broken`` (a symlink, never followed; detail: its resolved target)) and ``ignored`` (counts by kind)."""

    found: dict[str, str] = field(default_factory=dict)
    entries: dict[str, os.DirEntry | None] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[str, str, str, str]] = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)


def walk_sources(sources: Iterable[str | Path], *, exclude: Sequence[Path] = (), keep_entries: bool = False) \
        -> Walked:
    """The one walk under ``sources`` that ``build`` (:func:`discover_entries`) and ``validate``
    (:func:`topicgraph.validation.core.discover_files`) share, so they find the same files and turn away the same
    entries: folders in name order, hidden files, hidden and tool folders, symlinked folders and build folders
    passed over (a build folder: one holding :data:`BUILD_MANIFEST`); a symlink whose target is outside every
    source (or in a version-control folder, or missing) turned away unread; one system call per file at most (the
    folder listing knows the others' types, a symlink needs its target resolved). Each file's folder entry is kept
    only with ``keep_entries`` (validate stats it; a million of them is memory a build does not need)."""
    given = list(sources)
    inside = _Roots([str(Path(src)) for src in given])
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
        if real in excluded or any(e.name == BUILD_MANIFEST for e in listing):
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
                    target = os.path.realpath(e.path)
                    if inside(target):
                        ignored["symlinked folders"] += 1
                    else:
                        skipped.append((e.path, os.path.join(real, name), "outside", target))
                elif name.startswith(".") or name in SKIP_DIRS:
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
            target = None
            if e.is_symlink():  # judged before it is stat'ed as a FIFO or a device: nothing outside is touched
                target = os.path.realpath(e.path)
                if not os.path.lexists(target):
                    skipped.append((e.path, mine, "broken", target))
                    continue
                if not inside(target):
                    skipped.append((e.path, mine, "outside", target))
                    continue
            if not regular:
                kind = special_kind(e.path)  # None: gone since the listing, which the reader reports
                if kind is not None:
                    skipped.append((e.path, mine, "special", kind))
                    continue
            if target is not None:
                again(target, e.path, mine, e)
            elif mine in found:
                again(mine, e.path, None, e)
            else:
                found[mine] = e.path
                if keep_entries:
                    entries[mine] = e
        for e in folders:
            walk(e.path, os.path.join(real, e.name))

    for src in given:
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


class _Roots:
    """Whether a resolved path lies inside the roots: the sources as given, resolved (a folder and what is under
    it, a file itself), and not inside a version-control folder below a root."""

    def __init__(self, sources: list[str]) -> None:
        self.files: set[str] = set()
        self.folders: list[str] = []
        for src in sources:
            real = os.path.realpath(src)
            if os.path.isdir(real):
                self.folders.append(real.rstrip(os.sep) + os.sep)
            else:
                self.files.add(real)

    def __call__(self, real: str) -> bool:
        if real in self.files:
            return True
        return any((real.startswith(folder) or real + os.sep == folder)
                   and VCS_DIRS.isdisjoint(real[len(folder):].split(os.sep)) for folder in self.folders)


def link_leaves(path: str | Path, roots: Sequence[str | Path]) -> tuple[str, str] | None:
    """``("outside", target)`` or ``("broken", target)`` when ``path`` is reached through a symbolic link (itself
    or a folder above it) whose target lies outside ``roots`` (or in a version-control folder) or does not exist,
    as :func:`walk_sources` judges a link it meets; None otherwise. For files named one by one against the roots
    of an earlier walk (``build --update``)."""
    full = os.path.abspath(path)
    real = os.path.realpath(full)
    if real == full:
        return None
    if not os.path.lexists(real):
        return "broken", real
    return None if _Roots([str(r) for r in roots])(real) else ("outside", real)


_BUILD_FOLDER = ("{src} is a build folder (it holds " + BUILD_MANIFEST + "), not a folder of records: name "
                 "the folder of records instead, and keep records and build folders apart (a build folder inside a "
                 "folder of records is passed over)")
_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device"}


def special_kind(path: str) -> str | None:
    """What ``path`` is when it is neither a regular file nor a folder (a FIFO, socket, device); None otherwise,
    or when it cannot be stat'ed (a broken link)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a file or folder")


def skip_reason(display: str, skip: tuple[str, str], cwd: Path | None = None) -> str:
    """The build report's reason for an entry :func:`discover_entries` turned away."""
    kind, detail = skip
    if kind == "special":
        return (f"{display}: not a regular file ({detail}): not read (a record is a regular file: leave it out of "
                "the sources)")
    if kind == "same":
        return (f"{display}: same file as {display_path(Path(detail), cwd)} (a symbolic link to it): mapped once, "
                "under the file's own name")
    if kind in ("outside", "broken"):
        return f"{display}: {link_problem(kind, display_path(Path(detail), cwd))}: not read ({LINK_FIX})"
    return (f"{display}: cannot read this folder ({detail}): nothing under it was mapped (give it read and "
            "execute permission, or move it out of the sources)")


def link_problem(kind: str, target: str) -> str:
    """What is wrong with a symbolic link turned away (``kind`` ``outside`` or ``broken``), naming its target.

    >>> link_problem("outside", "/etc/passwd")
    'a symbolic link to /etc/passwd, outside the paths given'
    >>> link_problem("outside", "records/.git/config")
    'a symbolic link to records/.git/config, inside a version-control folder'
    """
    if kind == "broken":
        return f"a symbolic link to {target}, which does not exist"
    if not VCS_DIRS.isdisjoint(Path(target).parts):
        return f"a symbolic link to {target}, inside a version-control folder"
    return f"a symbolic link to {target}, outside the paths given"
