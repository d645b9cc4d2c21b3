"""Where a build's ``dcterms:source`` paths start: the repository or source root, never the checkout's location.

Two checkouts of one commit in different folders (or a tree checked out into a temporary folder) must build the same
graph, so a record's source path is written relative to a *root* that moves with the checkout: the top of the git
repository holding the sources, or, outside any repository, the folder that holds the sources (so
``build /tmp/a/seeds`` and ``cd /tmp/b && build seeds`` both write ``seeds/…``). A build that is told its root
(``topicgraph diff`` builds a revision extracted into a temporary folder) uses that instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

__all__ = ["git_top", "provenance_root", "source_path"]


def git_top(path: str | Path) -> Path | None:
    """The top folder of the git repository (or worktree) holding ``path``, or None outside any.

    >>> import tempfile
    >>> git_top(tempfile.mkdtemp()) is None
    True
    """
    here = Path(os.path.abspath(path))
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / ".git").exists():  # a folder in a clone, a file in a worktree or submodule
            return folder
    return None


def provenance_root(sources: Iterable[str | Path], root: str | Path | None = None) -> Path:
    """The folder a build's ``dcterms:source`` paths are relative to: ``root`` if given; else the git repository
    of the sources when they share one; else the deepest folder holding every source (a folder source's parent,
    so its own name stays in the paths).

    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> provenance_root([top / "seeds"]) == top, provenance_root([top / "a" / "x", top / "b" / "y"]) == top
    (True, True)
    """
    if root is not None:
        return Path(os.path.abspath(root))
    full = [Path(os.path.abspath(s)) for s in sources] or [Path(os.getcwd())]
    tops = {git_top(s) for s in full}
    if len(tops) == 1 and None not in tops:
        return tops.pop()
    holders = [s.parent for s in full]
    return Path(os.path.commonpath([str(h) for h in holders]))


def source_path(path: str | Path, root: Path) -> str:
    """``path`` as ``dcterms:source`` writes it: relative to ``root``, ``/``-separated (symlinks not resolved);
    a path outside ``root`` is written absolute.

    >>> source_path("/r/seeds/a.md", Path("/r")), source_path("/elsewhere/b.md", Path("/r"))
    ('seeds/a.md', '/elsewhere/b.md')
    """
    full = os.path.abspath(path)
    top = str(root)
    if os.sep == "/":
        prefix = top if top.endswith("/") else top + "/"
        return full[len(prefix):] if full.startswith(prefix) else full
    try:
        return PurePosixPath(Path(full).relative_to(top).as_posix()).as_posix()
    except ValueError:
        return Path(full).as_posix()
