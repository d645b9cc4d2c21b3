"""The validation cache: each file's summary, keyed by its bytes, its path and everything the checks depend on.

One SQLite file (``validate.sqlite``) in the cache folder, one row per path: the configuration key it was checked
under, the file's sha256, its size and modification time when checked, and the summary as JSON. The configuration
key hashes the topicgraph version, the shapes, the taxonomy, the profile, the base IRI and the size limit, so
changing any of them re-checks everything, and changing one file re-checks only that file.

A file whose size and modification time (nanoseconds) are those recorded is taken as unchanged without being
read; any other file is hashed, and only a new sha256 means checking it again. A file modified within
:data:`RACY_NS` of being checked is recorded without its time (an edit in the same clock tick could keep size
and time), so the next run hashes it. Rows are replaced in place, so the cache never holds more than one row per
path. SQLite handles concurrent runs.

Where it lives decides whether a verdict can be trusted: a cache in the tree being checked could be edited by
whoever proposes the tree (a row saying a bad file passed, under that file's sha256). So the cache lives in the
user's cache folder (:func:`user_cache_dir`), or in a folder the caller names (a CI cache), and never inside the
paths validated (:mod:`.core` turns such a folder down). Its folders are made readable by their owner only.
A cache that cannot be opened or written is no reason to fail: the run goes on without it and says why
(:attr:`ResultCache.problem`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from ..errors import Finding, Severity
from ..sources import display_path

__all__ = ["ResultCache", "user_cache_dir", "cache_outside", "cache_files_found", "IN_TREE_DIR", "CACHE_FILE",
           "RACY_NS"]

#: the folder, relative to the working folder, where earlier versions kept the cache; one in a checked tree is
#: never read (it is reported)
IN_TREE_DIR = ".topicgraph-cache"
#: the cache's file in its folder
CACHE_FILE = "validate.sqlite"
_SCHEMA = 3
#: files modified this recently (ns) before their check are hashed again next time, whatever their stat says
RACY_NS = 2_000_000_000
#: how many kinds of run (configuration and arguments) keep their findings for an unchanged rerun
RUNS_KEPT = 8


def user_cache_dir(roots: Iterable[str | Path]) -> Path | None:
    """The cache folder of a run over ``roots`` by default: a folder of the user's cache folder
    (``$XDG_CACHE_HOME/topicgraph``, else ``~/.cache/topicgraph``) named by a digest of the absolute path of the
    folder that holds every root (a file counting as its folder), so that each tree keeps its own, and a
    pre-commit hook, which names a different set of files each time, keeps one; None when the user has no home
    folder.

    >>> user_cache_dir(["seeds"]) == user_cache_dir([os.path.abspath("seeds"), "seeds/"])
    True
    >>> user_cache_dir(["seeds/000_e196614bccfeda88.txt"]) == user_cache_dir(["seeds/001_46930356a44fedc4.txt"])
    True
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    folders = [full if os.path.isdir(full) else os.path.dirname(full) for full in map(os.path.abspath, roots)]
    top = os.path.commonpath(folders) if folders else os.getcwd()
    key = hashlib.sha256(top.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return Path(base) / "topicgraph" / f"validate-{key}"


_IN_TREE_FIX = ("nothing to do: a cache is never read from the paths validated; delete it from the repository "
                "(the cache lives in the user's cache folder, or in --cache-dir)")


def cache_outside(paths: list, cache_dir: str | Path | None, cwd: str) -> tuple[str | Path | None, list[Finding]]:
    """``cache_dir``, or None when it lies inside a folder validated (the tree could carry it, filled to its
    liking), and a note for it and for each cache folder of earlier versions (:data:`~.cache.IN_TREE_DIR`) at the
    top of a folder validated."""
    folders = [(p, os.path.realpath(p).rstrip(os.sep) + os.sep) for p in paths if os.path.isdir(p)]
    notes = []
    if cache_dir is not None:
        real = os.path.realpath(cache_dir) + os.sep
        if any(real.startswith(top) for _, top in folders):
            notes.append(Finding(display_path(cache_dir, cwd), "the cache folder is inside the paths validated: "
                                 "not used, and nothing written there (checked without a cache)",
                                 severity=Severity.INFO, rule="cache.in-tree",
                                 fix="give a --cache-dir outside the paths validated, or leave the default (the "
                                     "user's cache folder)"))
            cache_dir = None
    for given, _ in folders:
        old = os.path.join(given, IN_TREE_DIR)
        if os.path.lexists(old):
            notes.append(Finding(display_path(old, cwd), "a validation cache inside the paths validated: not used",
                                 severity=Severity.INFO, rule="cache.in-tree", fix=_IN_TREE_FIX))
    return cache_dir, notes


def cache_files_found(files: Iterable[tuple[str, str]], notes: list[Finding]) -> list[Finding]:
    """A note for each file found among the paths validated that bears the cache's name (it is checked as any
    other file, and never read as a cache); ``files``: ``(path, display path)``, ``notes``: those given already."""
    named = {n.file for n in notes}
    return [Finding(display, "a validation cache inside the paths validated: not used", severity=Severity.INFO,
                    rule="cache.in-tree", fix=_IN_TREE_FIX)
            for path, display in files if os.path.basename(path) == CACHE_FILE and display not in named]


def _private_folder(folder: Path) -> None:
    """Make ``folder`` and any missing parent, each readable and writable by its owner only (0o700)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for made in reversed(missing):
        try:
            os.mkdir(made, 0o700)
        except FileExistsError:  # a concurrent run made it
            continue
        os.chmod(made, 0o700)  # whatever the umask


class ResultCache:
    """Summaries by path; a no-op when ``folder`` is None, or when it cannot be used (``problem`` then says why).

    >>> import tempfile
    >>> c = ResultCache(tempfile.mkdtemp())
    >>> c.put("cfg", [("a.md", 10, 1, "sha-a", {"kind": "record", "findings": []})])
    >>> rows = c.load("cfg"); rows["a.md"][:3], c.summaries(["a.md"])
    ((10, 1, 'sha-a'), [{'kind': 'record', 'findings': []}])
    >>> c.load("other config")
    {}
    """

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.db = None
        self._ckey: str | None = None
        self._texts: dict[str, str] | None = None  # path -> summary, as read by load()
        #: why the cache is not used, when it could not be opened or written (the run goes on without it)
        self.problem: str | None = None
        if self.folder is None:
            return
        try:
            _private_folder(self.folder)
            for name, text in (("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                "# This folder is a cache made by `topicgraph validate`; delete it at will.\n"),
                               (".gitignore", "*\n")):
                if not (self.folder / name).exists():
                    (self.folder / name).write_text(text, encoding="utf-8")
            self.db = sqlite3.connect(str(self.folder / CACHE_FILE), timeout=60)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = self.db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is None or row[0] != str(_SCHEMA):
                self.db.execute("DROP TABLE IF EXISTS results")
                self.db.execute("DROP TABLE IF EXISTS files")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(_SCHEMA),))
            self.db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, ckey TEXT NOT NULL, "
                            "size INTEGER, mtime_ns INTEGER, sha256 TEXT NOT NULL, summary TEXT NOT NULL)")
            self.db.execute("CREATE TABLE IF NOT EXISTS runs (scope TEXT PRIMARY KEY, listing TEXT NOT NULL, "
                            "at INTEGER NOT NULL, findings TEXT NOT NULL)")
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            self._give_up(f"cannot use the cache folder {self.folder}: {exc}")

    def notes(self, cwd: str | None = None) -> list[Finding]:
        """A note saying why the cache was not used, if it could not be."""
        if self.problem is None or self.folder is None:
            return []
        return [Finding(display_path(self.folder, cwd), f"{self.problem}: checked without a cache",
                        severity=Severity.INFO, rule="cache.unavailable",
                        fix="give a folder you can write with --cache-dir, or --no-cache")]

    def _give_up(self, problem: str) -> None:
        """Go on without the cache, keeping why."""
        self.problem = problem
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
        self.db = None
        self._texts = None

    def load(self, ckey: str) -> dict[str, tuple[int, int, str]]:
        """Every path checked under ``ckey``: ``(size, mtime_ns, sha256)`` (mtime_ns -1: hash it to be sure)."""
        if self.db is None:
            return {}
        try:  # the summaries come along, for summaries(): one pass over the table instead of two
            rows = self.db.execute("SELECT path, size, mtime_ns, sha256, summary FROM files WHERE ckey = ?",
                                   (ckey,)).fetchall()
            self._ckey = ckey
            self._texts = {row[0]: row[4] for row in rows}
            return {path: (size, mtime, sha) for path, size, mtime, sha, _ in rows}
        except sqlite3.Error:
            self._texts = None
            return {}

    def has_any(self, ckey: str) -> bool:
        """Whether any file was checked under ``ckey``."""
        if self.db is None:
            return False
        try:
            return self.db.execute("SELECT 1 FROM files WHERE ckey = ? LIMIT 1", (ckey,)).fetchone() is not None
        except sqlite3.Error:
            return False

    def summaries(self, paths: list[str]) -> list[dict | None]:
        """The summaries stored for ``paths`` (under the key last given to :meth:`load`), None where missing or
        unreadable; read and decoded in bulk."""
        if self.db is None or not paths:
            return [None] * len(paths)
        found = self._texts
        if found is None:
            wanted = set(paths)
            found = {}
            try:
                for path, summary in self.db.execute("SELECT path, summary FROM files WHERE ckey = ?",
                                                     (self._ckey,)):
                    if path in wanted:
                        found[path] = summary
            except sqlite3.Error:
                return [None] * len(paths)
        texts = [found.get(p) for p in paths]
        try:  # one decoder call for the lot is several times faster than one per row
            decoded = json.loads("[" + ",".join(t if t is not None else "null" for t in texts) + "]")
        except ValueError:
            decoded = []
            for t in texts:
                try:
                    decoded.append(json.loads(t) if t is not None else None)
                except ValueError:
                    decoded.append(None)
        return [d if isinstance(d, dict) else None for d in decoded]

    def get(self, ckey: str, path: str) -> dict | None:
        """One path's summary stored under ``ckey``, or None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT summary FROM files WHERE path = ? AND ckey = ?", (path, ckey)).fetchone()
            return json.loads(row[0]) if row is not None else None
        except (sqlite3.Error, ValueError):
            return None

    def put(self, ckey: str, entries) -> None:
        """Store ``(path, size, mtime_ns, sha256, summary)`` entries (the summary as a dictionary or as its JSON)
        in one transaction; a file modified within
        :data:`RACY_NS` of now is stored without its time."""
        if self.db is None or not entries:
            return
        racy = time.time_ns() - RACY_NS
        rows = [(p, ckey, size, mtime if mtime is not None and mtime < racy else -1, sha,
                 s if isinstance(s, str) else json.dumps(s, ensure_ascii=False, separators=(",", ":")))
                for p, size, mtime, sha, s in entries]
        if self._texts is not None:
            if ckey == self._ckey:
                self._texts.update((row[0], row[5]) for row in rows)
            else:
                self._texts = None
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._give_up(f"cannot write the cache in {self.folder}: {exc}")

    def run_get(self, scope: str, listing: str) -> list | None:
        """The findings of the last run of kind ``scope``, if its files were ``listing``; else None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT findings FROM runs WHERE scope = ? AND listing = ?",
                                  (scope, listing)).fetchone()
            if row is None:
                return None
            sev = {str(s): s for s in Severity}
            return [Finding(file, message, sev[severity], line, fld, rule, fix, node)
                    for file, message, severity, line, fld, rule, fix, node in json.loads(row[0])]
        except (sqlite3.Error, ValueError, TypeError, KeyError):
            return None

    def run_put(self, scope: str, listing: str, findings) -> None:
        """Keep the findings of a run of kind ``scope`` over the files ``listing`` (and those of the
        :data:`RUNS_KEPT` kinds run last)."""
        if self.db is None:
            return
        text = json.dumps([[f.file, f.message, str(f.severity), f.line, f.field, f.rule, f.fix, f.node]
                           for f in findings], ensure_ascii=False, separators=(",", ":"))
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?)",
                                (scope, listing, time.time_ns(), text))
                self.db.execute("DELETE FROM runs WHERE scope NOT IN (SELECT scope FROM runs ORDER BY at DESC "
                                "LIMIT ?)", (RUNS_KEPT,))
        except sqlite3.Error:
            pass  # only an optimisation

    def touch(self, entries) -> None:
        """Record new ``(path, size, mtime_ns)`` of files whose bytes are unchanged (so they are not hashed again)."""
        if self.db is None or not entries:
            return
        racy = time.time_ns() - RACY_NS
        try:
            with self.db:
                self.db.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                                    [(size, mtime if mtime < racy else -1, p) for p, size, mtime in entries])
        except sqlite3.Error:
            pass  # only an optimisation

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
