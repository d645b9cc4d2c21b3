"""What a build folder last pushed to each server: one digest per named graph, so a push can skip what is unchanged.

``push`` writes ``push-state.json`` into the build folder after every push, keyed by the Graph Store URL (without
any user name or password in it). A later ``push --sync`` compares the digests of the store's graphs with the
recorded ones: it sends the graphs whose digest changed, drops from the server the graphs that it sent before and
the store no longer has (the record of a deleted file), and leaves the rest alone.

A graph's digest does not depend on the order the store lists its triples in: it is the sum, modulo 2**128, of a
BLAKE2b hash of each triple's N-Triples form, with the number of triples beside it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..store import atomic_write

__all__ = ["STATE_FILE", "DEFAULT_GRAPH", "PushState", "graph_digests", "endpoint_key"]

STATE_FILE = "push-state.json"
FORMAT = 1
#: the key the default graph's digest is kept under (named graphs are kept under their IRI)
DEFAULT_GRAPH = ""
_MASK = (1 << 128) - 1


def endpoint_key(endpoint: str) -> str:
    """The endpoint URL with any ``user:password@`` taken out, so that no secret is written to disk.

    >>> endpoint_key("http://dba:secret@127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql-graph-crud-auth'
    """
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def graph_digests(ox) -> dict[str, str]:
    """``{graph IRI (or "" for the default graph): digest}`` for every graph of the pyoxigraph store ``ox``."""
    import pyoxigraph

    sums: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    blake = hashlib.blake2b
    for q in ox.quads_for_pattern(None, None, None, None):
        g = DEFAULT_GRAPH if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else q.graph_name.value
        h = blake(f"{q.subject} {q.predicate} {q.object}".encode(), digest_size=16).digest()
        sums[g] = (sums[g] + int.from_bytes(h, "big")) & _MASK
        counts[g] += 1
    return {g: f"{sums[g]:032x}-{counts[g]}" for g in sums}


@dataclass
class PushState:
    """The build folder's record of its pushes; ``problem`` says why an unreadable record was set aside."""

    path: Path
    pushes: dict[str, dict[str, Any]] = field(default_factory=dict)
    problem: str | None = None

    @classmethod
    def load(cls, folder: str | Path) -> "PushState":
        path = Path(folder) / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            return cls(path, problem=f"{path} could not be read ({exc}): every graph is sent again")
        pushes = data.get("pushes") if isinstance(data, dict) and data.get("format") == FORMAT else None
        if not isinstance(pushes, dict) or not all(_valid(v) for v in pushes.values()):
            return cls(path, problem=f"{path} is not a push record this version writes: every graph is sent again")
        return cls(path, pushes)

    def graphs(self, endpoint: str) -> dict[str, str] | None:
        """The digests last pushed to ``endpoint``, or None when this folder has no push to it on record."""
        entry = self.pushes.get(endpoint_key(endpoint))
        return dict(entry["graphs"]) if entry else None

    def union_graph(self, endpoint: str) -> str | None:
        entry = self.pushes.get(endpoint_key(endpoint))
        return entry.get("union_graph") if entry else None

    def record(self, endpoint: str, graphs: dict[str, str], union_graph: str | None, revision: str | None) -> None:
        """Note what the server now holds, and write the record (a read-only build folder is left as it is)."""
        self.pushes[endpoint_key(endpoint)] = {"graphs": dict(sorted(graphs.items())), "union_graph": union_graph,
                                               "store_revision": revision}
        text = json.dumps({"format": FORMAT, "pushes": self.pushes}, indent=1, sort_keys=True) + "\n"
        try:
            atomic_write(self.path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
        except OSError as exc:
            self.problem = f"could not write {self.path} ({exc.strerror or exc}): the next --sync sends every graph"


def _valid(entry: Any) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("graphs"), dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["graphs"].items())
            and (entry.get("union_graph") is None or isinstance(entry.get("union_graph"), str)))
