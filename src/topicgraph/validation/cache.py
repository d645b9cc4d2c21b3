"""The validation cache: each file's summary, keyed by its bytes, its path and everything the checks depend on.

One SQLite file (``validate.sqlite``) in the cache folder, one row per path: the key it was checked under
(sha256 of the configuration key, the display path and the file's sha256) and the summary as JSON. The
configuration key hashes the topicgraph version, the shapes, the taxonomy, the profile, the base IRI and the size
limit, so changing any of them re-checks everything, and changing one file re-checks only that file. Rows are
replaced in place, so the cache never holds more than one row per path. SQLite handles concurrent runs.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from ..errors import TopicgraphError

__all__ = ["ResultCache", "DEFAULT_CACHE_DIR", "entry_key"]

DEFAULT_CACHE_DIR = ".topicgraph-cache"
_SCHEMA = 1


def entry_key(config_key: str, display: str, sha256: str) -> str:
    return hashlib.sha256(f"{config_key}\0{display}\0{sha256}".encode()).hexdigest()


class ResultCache:
    """Summaries by path; a no-op when ``folder`` is None.

    >>> import tempfile
    >>> c = ResultCache(tempfile.mkdtemp())
    >>> c.put([("a.md", "k1", {"kind": "record", "findings": []})]); c.get("a.md", "k1"), c.get("a.md", "k2")
    ({'kind': 'record', 'findings': []}, None)
    """

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.db = None
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
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = self.db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is None or row[0] != str(_SCHEMA):
                self.db.execute("DROP TABLE IF EXISTS results")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(_SCHEMA),))
            self.db.execute("CREATE TABLE IF NOT EXISTS results (path TEXT PRIMARY KEY, key TEXT NOT NULL, "
                            "summary TEXT NOT NULL)")
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise TopicgraphError(f"cannot use the cache folder {self.folder}: {exc} (give another with --cache, "
                                  "or --no-cache)") from None

    def get(self, path: str, key: str) -> dict | None:
        if self.db is None:
            return None
        row = self.db.execute("SELECT key, summary FROM results WHERE path = ?", (path,)).fetchone()
        if row is None or row[0] != key:
            return None
        try:
            return json.loads(row[1])
        except ValueError:
            return None

    def put(self, entries) -> None:
        """Store ``(path, key, summary)`` entries in one transaction."""
        if self.db is None:
            return
        rows = [(p, k, json.dumps(s, ensure_ascii=False, separators=(",", ":"))) for p, k, s in entries]
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise TopicgraphError(f"cannot write the cache in {self.folder}: {exc}") from None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
