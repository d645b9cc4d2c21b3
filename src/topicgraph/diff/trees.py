"""The two sides of a diff as folders on disk: git revisions checked out into temporary folders, the working tree,
plain folders or build folders; and the files that differ between them.

Every git call is an argument list (never a shell), revisions are checked with ``git rev-parse --verify`` before
use and passed as commit ids; git writes only regular files, into an index and a folder of our own, and each
symbolic link is judged by tarfile's ``data`` filter (no absolute targets, none that leave the tree): a revision
name is never an option and a tree never writes outside its temporary folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TopicgraphError
from ..sources import BUILD_MANIFEST, SKIP_DIRS

__all__ = ["Side", "Workspace", "changed_files", "is_build_folder"]

#: the git subcommands may take this long on a large repository before we give up
GIT_TIMEOUT = 600


def _env() -> dict[str, str]:
    # paths are paths, never pathspec magic (`:(glob)`, `:!`); no prompt for credentials; messages in English
    return {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


@dataclass
class Side:
    """One side of a diff: ``root`` is the tree ``dcterms:source`` paths start from, ``paths`` the sources
    inside it (relative, ``/``-separated); ``build`` a build folder when the side is one (nothing to read)."""

    label: str
    root: Path | None
    paths: list[str]
    revision: str | None = None
    build: Path | None = None
    notes: list[str] = field(default_factory=list)

    def sources(self) -> list[Path]:
        """The sources to read, as absolute paths (those that exist on this side)."""
        assert self.root is not None
        return [self.root / p for p in self.paths if (self.root / p).exists() or (self.root / p).is_symlink()]


def is_build_folder(path: str | Path) -> bool:
    return (Path(path) / BUILD_MANIFEST).is_file()


class Workspace:
    """Temporary folders for extracted trees and builds, removed on exit (``with Workspace() as ws``)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="topicgraph-diff-"))
        self.repo: Path | None = None

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def new(self, name: str) -> Path:
        path = self.folder / name
        path.mkdir(parents=True, exist_ok=False)
        return path

    # -- git ---------------------------------------------------------------------------------------------------

    def git(self, *args: str, cwd: Path | None = None, binary: bool = False, env: dict[str, str] | None = None,
            stdin: bytes | None = None) -> str | bytes:
        """Run ``git args`` (no shell) in the repository; a failure is a :class:`TopicgraphError` (exit 2)."""
        if shutil.which("git") is None:
            raise TopicgraphError("git is not installed: install it, or diff two folders (`topicgraph diff A B`)")
        command = next(a for a in args if a[0].isalpha() and "=" not in a)  # past any `-c name=value`
        try:
            done = subprocess.run(["git", *args], cwd=cwd or self.repo, input=stdin, capture_output=True,
                                  timeout=GIT_TIMEOUT, env=env or _env())
        except subprocess.TimeoutExpired:
            raise TopicgraphError(f"git {command} took more than {GIT_TIMEOUT} s: giving up") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise TopicgraphError(f"git {command} failed: {message[-1] if message else 'no message'}")
        return done.stdout if binary else done.stdout.decode("utf-8", "replace")

    def find_repo(self, where: Path) -> Path:
        """The top folder of the git repository holding ``where`` (exit 2 when there is none)."""
        if shutil.which("git") is None:
            raise TopicgraphError("git is not installed: install it, or diff two folders (`topicgraph diff A B`)")
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=where, capture_output=True,
                              timeout=GIT_TIMEOUT, env=_env())
        if done.returncode != 0:
            raise TopicgraphError(f"{where} is not in a git repository: run `topicgraph diff` inside a clone "
                                  "(in CI, check out with fetch-depth: 0), or compare two folders "
                                  "(`topicgraph diff OLD_FOLDER NEW_FOLDER`)")
        self.repo = Path(done.stdout.decode().strip())
        return self.repo

    def commit(self, revision: str) -> str | None:
        """The commit id ``revision`` names, or None when it names none (never read as an option)."""
        if not revision or revision.startswith("-") or "\0" in revision or "\n" in revision:
            return None
        done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                               f"{revision}^{{commit}}"], cwd=self.repo, capture_output=True, timeout=GIT_TIMEOUT,
                              env=_env())
        sha = done.stdout.decode().strip()
        return sha if done.returncode == 0 and sha else None

    def resolve(self, revision: str) -> str:
        sha = self.commit(revision)
        if sha is None:
            hint = (" (a revision never starts with '-')" if revision.startswith("-") else
                    "; in CI, fetch the history (actions/checkout with fetch-depth: 0)")
            raise TopicgraphError(f"{revision!r} is not a revision of the repository {self.repo}{hint}")
        return sha

    def present(self, sha: str, paths: list[str]) -> list[str]:
        """Those of ``paths`` (repository-relative) that exist at commit ``sha``."""
        out = []
        for p in paths:
            spec = "" if p in ("", ".") else p
            done = subprocess.run(["git", "cat-file", "-e", f"{sha}:{spec}"], cwd=self.repo, capture_output=True,
                                  timeout=GIT_TIMEOUT, env=_env())
            if done.returncode == 0:
                out.append(p)
        return out

    def extract(self, sha: str, paths: list[str], name: str) -> tuple[Path, list[str]]:
        """The files of ``paths`` at commit ``sha`` in a new folder: ``(folder, what was left out and why)``.

        git writes the regular files itself (``read-tree`` into an index of our own, then ``checkout-index`` with
        parallel workers: 100,000 files in 8-12 s here, where unpacking ``git archive`` with tarfile took 37-60 s).
        Symbolic links are never written by git (``core.symlinks=false``, and they are left out of the checkout):
        each is judged by tarfile's ``data`` filter, as an archive member would be, and made only when it stays
        inside the folder."""
        target = self.new(name)
        present = self.present(sha, paths)
        if not present:
            return target, []
        env = {**_env(), "GIT_INDEX_FILE": str(self.folder / f"{name}.index")}
        self.git("read-tree", sha, env=env)
        listing = self.git("ls-files", "--stage", "-z", "--", *present, env=env, binary=True)
        files: list[bytes] = []
        links: list[tuple[str, str]] = []
        left_out: list[str] = []
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, path = entry.split(b"\t", 1)
            mode, blob = meta.split()[:2]
            if mode == b"120000":
                links.append((path.decode("utf-8", "surrogateescape"), blob.decode()))
            elif mode in (b"100644", b"100755"):
                files.append(path)
            else:  # a submodule: its commit is not in this repository
                left_out.append(f"{path.decode('utf-8', 'replace')}: a submodule, not read")
        workers = str(max(1, min(os.cpu_count() or 1, 8)))
        self.git("-c", "core.symlinks=false", "-c", f"checkout.workers={workers}",
                 "-c", "checkout.thresholdForParallelism=100", "checkout-index", "--stdin", "-z",
                 f"--prefix={target}{os.sep}", env=env, stdin=b"\0".join(files) + b"\0")
        for path, text in zip((p for p, _ in links), self._blobs([b for _, b in links])):
            member = tarfile.TarInfo(path)
            member.type, member.linkname, member.mode = tarfile.SYMTYPE, text, 0o777
            try:
                tarfile.data_filter(member, str(target))
            except tarfile.FilterError as exc:  # a link leaving the tree, an absolute one: not made
                left_out.append(f"{path}: {exc}")
                continue
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(text, target / path)
        return target, left_out

    def _blobs(self, shas: list[str]) -> list[str]:
        """The text of each blob (a link's target), in order, from one ``git cat-file --batch``."""
        if not shas:
            return []
        out = self.git("cat-file", "--batch", binary=True, stdin="".join(f"{s}\n" for s in shas).encode())
        texts, at = [], 0
        for _ in shas:
            header_end = out.index(b"\n", at)
            size = int(out[at:header_end].split()[2])
            texts.append(out[header_end + 1:header_end + 1 + size].decode("utf-8", "surrogateescape"))
            at = header_end + 1 + size + 1
        return texts


def _digests(root: Path, paths: list[str]) -> dict[str, str]:
    """``relative path -> sha256`` of the regular files under ``paths`` (hidden and tool folders skipped)."""
    out: dict[str, str] = {}
    for p in paths:
        start = root / p
        if start.is_file():
            out[Path(p).as_posix()] = hashlib.sha256(start.read_bytes()).hexdigest()
            continue
        for folder, dirs, files in os.walk(start):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")
                       and not (Path(folder) / d / BUILD_MANIFEST).is_file()]
            for name in files:
                full = Path(folder) / name
                if name.startswith(".") or full.is_symlink() or not full.is_file():
                    continue
                out[full.relative_to(root).as_posix()] = hashlib.sha256(full.read_bytes()).hexdigest()
    return out


def changed_files(base: Side, head: Side, ws: Workspace | None = None) -> list[str]:
    """The files (relative to the roots) added, removed or changed between the two sides' sources."""
    if ws is not None and ws.repo is not None and base.revision:
        args = ["diff", "--name-only", "--no-renames", "-z", base.revision]
        if head.revision:
            args.append(head.revision)
        names = [n for n in str(ws.git(*args, "--", *(head.paths or ["."]))).split("\0") if n]
        if not head.revision:  # the working tree: new files git does not track yet count too
            names += [n for n in str(ws.git("ls-files", "--others", "--exclude-standard", "-z", "--",
                                            *(head.paths or ["."]))).split("\0") if n]
        return sorted(set(names))
    old = _digests(base.root, base.paths) if base.root else {}
    new = _digests(head.root, head.paths) if head.root else {}
    return sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))
