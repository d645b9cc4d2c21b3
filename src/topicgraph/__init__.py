"""topicgraph: curated-content records in, a validated knowledge graph of articles, authors, brands and topics out.

>>> import tempfile, topicgraph
>>> result = topicgraph.build(["seeds"], out=tempfile.mkdtemp(), jobs=1)
>>> sorted(row["title"] for row in result.query(
...     "SELECT ?title WHERE { ?a schema:about/skos:prefLabel 'Patient Acquisition'@en ; schema:headline ?title }"))
['Customer Experience Automation - The Next Big Thing in Healthcare?', 'Elevating the Consumer Experience in Healthcare']
"""

from __future__ import annotations

from .pipeline import BuildReport, BuildResult, FileOutcome, build
from .errors import Finding, RecordError, Severity, TopicgraphError
from .iris import IriMinter, key
from .records import Profile, Record, load_profile, read_record
from .store import GraphStore

__version__ = "0.1.0"

__all__ = ["build", "BuildResult", "BuildReport", "FileOutcome", "GraphStore", "Finding", "Severity",
           "TopicgraphError", "RecordError", "IriMinter", "key", "Profile", "Record", "load_profile", "read_record",
           "__version__"]
