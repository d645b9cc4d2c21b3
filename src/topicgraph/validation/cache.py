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
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from ..errors import TopicgraphError

__all__ = ["ResultCache", "DEFAULT_CACHE_DIR", "RACY_NS"]

DEFAULT_CACHE_DIR = ".topicgraph-cache"
_SCHEMA = 3
#: files modified this recently (ns) before their check are hashed again next time, whatever their stat says
RACY_NS = 2_000_000_000
#: how many kinds of run (configuration and arguments) keep their findings for an unchanged rerun
RUNS_KEPT = 8


class ResultCache:
    """Summaries by path; a no-op when ``folder`` is None.

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
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                "# This folder is a cache made by `topicgraph validate`; delete it at will.\n"),
                               (".gitignore", "*\n")):
                if not (self.folder / name).exists():
                    (self.folder / name).write_text(text, encoding="utf-8")
            self.db = sqlite3.connect(str(self.folder / "validate.sqlite"), timeout=60)
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
            raise TopicgraphError(f"cannot use the cache folder {self.folder}: {exc} (give another with --cache, "
                                  "or --no-cache)") from None

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
            raise TopicgraphError(f"cannot write the cache in {self.folder}: {exc}") from None

    def run_get(self, scope: str, listing: str) -> list | None:
        """The findings of the last run of kind ``scope``, if its files were ``listing``; else None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT findings FROM runs WHERE scope = ? AND listing = ?",
                                  (scope, listing)).fetchone()
            if row is None:
                return None
            from ..errors import Finding, Severity

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
