"""Validation: records, RDF files and the taxonomy checked against the data model, findings for people and CI.

``validate(paths)`` returns a :class:`ValidationReport` of :class:`~topicgraph.errors.Finding` objects (file, line,
field, severity, rule, fix); :mod:`topicgraph.validation.formats` turns it into text, JSON, JUnit XML, SARIF 2.1.0
or GitHub workflow commands.
"""

from __future__ import annotations

from ..errors import Finding, Severity
from .core import validate
from .report import ValidationReport

__all__ = ["validate", "ValidationReport", "Finding", "Severity"]
