"""One file's result as the cache keeps it: a JSON-ready summary of its findings, without the file's name; and
how findings name IRIs.

The file's name is left out so that a cached summary stays valid when only the display path is re-derived; the
findings are lists rather than objects (decoded several times faster from the cache).

>>> from topicgraph.errors import Finding
>>> summary("record", [Finding("a.md", "no title", rule="record.title.missing")], id="7")
{'kind': 'record', 'findings': [['no title', 'error', None, None, 'record.title.missing', '', None]], 'id': '7'}
"""

from __future__ import annotations

from ..errors import Finding
from ..vocab import PREFIXES, SH, TGSH

__all__ = ["summary", "strip", "short_iri"]


def summary(kind: str, findings: list[Finding], **extra) -> dict:
    """The summary of one file of ``kind`` (``record``, ``rdf``, ``other``): its findings and ``extra`` facts."""
    out = {"kind": kind, "findings": [strip(f) for f in findings]}
    out.update(extra)
    return out


def strip(f: Finding) -> list:
    """A finding without its file, as a list: message, severity, line, field, rule, fix, node."""
    return [f.message, str(f.severity), f.line, f.field, f.rule, f.fix, f.node]


_SHORT = dict(PREFIXES, tgsh=TGSH, sh=SH)


def short_iri(iri: str) -> str:
    """``prefix:name`` for an IRI under one of our prefixes (or SHACL's), else ``<iri>``: how findings name rules
    and properties.

    >>> short_iri("https://w3id.org/topicgraph/shapes#Person-name"), short_iri("https://e.org/x")
    ('tgsh:Person-name', '<https://e.org/x>')
    """
    for prefix, base in _SHORT.items():
        if iri.startswith(base) and iri[len(base):] and "/" not in iri[len(base):]:
            return f"{prefix}:{iri[len(base):]}"
    return f"<{iri}>"
