"""topicgraph: curated-content records in, a validated knowledge graph of articles, authors, brands and topics out.

>>> import tempfile, topicgraph
>>> result = topicgraph.build(["seeds"], out=tempfile.mkdtemp(), jobs=1)
>>> sorted(row["title"] for row in result.query(
...     "SELECT ?title WHERE { ?a schema:about/skos:prefLabel 'Patient Acquisition'@en ; schema:headline ?title }"))
['Customer Experience Automation - The Next Big Thing in Healthcare?', 'Elevating the Consumer Experience in Healthcare']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

# The public API, imported on first use so that `topicgraph --help` does not pay for rdflib and friends.
_EXPORTS: dict[str, str] = {
    "build": "builder", "BuildResult": "builder", "BuildReport": "builder", "FileOutcome": "builder",
    "GraphStore": "store", "Finding": "errors", "Severity": "errors", "TopicgraphError": "errors",
    "RecordError": "errors", "IriMinter": "iris", "key": "iris", "Profile": "records", "Record": "records",
    "load_profile": "records", "read_record": "records",
}

__all__ = [*_EXPORTS, "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .errors import Finding, RecordError, Severity, TopicgraphError
    from .iris import IriMinter, key
    from .builder import BuildReport, BuildResult, FileOutcome, build
    from .records import Profile, Record, load_profile, read_record
    from .store import GraphStore


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'topicgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
