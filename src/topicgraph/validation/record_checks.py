"""Checking one record: can it be read, do its fields make sense (topics against the taxonomy), does its mapped
graph conform to the SHACL shapes; the findings located at the record's fields and lines.

SHACL is left to the caller, so that many records' graphs can be validated together
(:meth:`topicgraph.shacl.Shapes.results_for`): :func:`check_record` returns a :class:`Pending` record, whose
:meth:`~Pending.finish` takes its results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..errors import Finding, RecordError, Severity
from ..records import NotARecord, parse_record
from ..shacl import Graph
from .context import Context
from .locate import RecordIndex, item_lines
from .record_graph import record_graph
from .summary import short_iri, summary
from .topics import topic_findings

__all__ = ["check_record", "Pending", "record_shacl"]


@dataclass
class Pending:
    """A record checked up to SHACL: its findings so far, and its graph waiting for its SHACL results."""

    rec: object
    index: RecordIndex
    findings: list[Finding]
    nt: Graph

    def finish(self, results, ctx: Context) -> dict:
        """The record's summary, with its SHACL ``results`` located at its fields."""
        findings = self.findings
        findings.extend(_dedupe(findings, _locate(results, self.rec, self.index, ctx)))
        return _record_summary(self.rec, self.index, findings)


def check_record(data: bytes, display: str, ctx: Context) -> dict | Pending:
    """Stages 1-2 for one record and its graph for stage 3: can it be read, do its fields make sense; the
    record's summary when that is all, else a :class:`Pending` waiting for its SHACL results."""
    try:
        rec = parse_record(data, display, profile=ctx.profile)
    except NotARecord as exc:
        return summary("other", [Finding(display, f"not a record ({exc}): not checked", severity=Severity.INFO,
                                         rule="record.not-a-record",
                                         fix="nothing to do if it is not meant to be a record")])
    except RecordError as exc:
        findings = _item_lines(exc.findings, _text(data))
        if exc.record is not None:  # its other fields were read: check its topics too, so one run says it all
            index = RecordIndex(exc.record, ctx.mapper, ctx.profile, lambda: _text(data))
            findings += topic_findings(exc.record, ctx.taxonomy, index, ctx.profile)
        return summary("record", findings)
    index = RecordIndex(rec, ctx.mapper, ctx.profile, lambda: _text(data))  # the text only if something is located
    findings = list(rec.findings) + topic_findings(rec, ctx.taxonomy, index, ctx.profile)
    try:
        mapped = ctx.mapper.map(rec)
    except ValueError as exc:
        findings.append(Finding(display, f"cannot be mapped to RDF: {exc}", rule="record.mapping",
                                fix="remove the characters that make the IRI unsafe"))
        return _record_summary(rec, index, findings)
    return Pending(rec, index, findings, record_graph(mapped, ctx))


def _record_summary(rec, index: RecordIndex, findings: list[Finding]) -> dict:
    id_where = index.role("id")
    urls = []
    for role in ("link_original", "link_href"):
        value = getattr(rec.link, role.removeprefix("link_"))
        if value and value not in [u[0] for u in urls]:
            where = index.role(role)
            urls.append([value, where.line, where.field])
    return summary("record", findings, id=rec.id, id_line=id_where.line, id_field=id_where.field,
                   sha256=rec.sha256, urls=urls[:1] if urls else [])


def _text(data: bytes) -> str:
    """The record's text as the reader saw it (for locating lines; undecodable bytes replaced)."""
    return data.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _item_lines(findings: list[Finding], text: str) -> list[Finding]:
    """Point a finding about ``field[i]`` at the line of item i of a block list (the reader gives the key's line)."""
    out = []
    lists: dict[int, list[int]] = {}  # one list's item lines found once, however many of its items have findings
    for f in findings:
        m = re.fullmatch(r".+\[(\d+)\]", f.field or "")
        if m and f.line is not None:
            lines = lists.get(f.line)
            if lines is None:
                lines = lists[f.line] = item_lines(text, f.line, None)
            if int(m.group(1)) < len(lines):
                f = replace(f, line=lines[int(m.group(1))])
        out.append(f)
    return out


def record_shacl(mapped, rec, index: RecordIndex, ctx: Context) -> list[Finding]:
    """The SHACL findings of one mapped record, located at its fields."""
    graph = record_graph(mapped, ctx)
    return _locate(ctx.shapes.results_for([graph], ignore=ctx.taxonomy_types.keys())[0], rec, index, ctx)


def _locate(results, rec, index: RecordIndex, ctx: Context) -> list[Finding]:
    """SHACL results as findings at the record's fields (the taxonomy's own nodes left out)."""
    out = []
    for r in results:
        if r.focus in ctx.taxonomy_types:
            continue  # the taxonomy's own nodes are checked once, in the taxonomy stage
        path = r.path or ctx.shapes.implied_path(r.shape)
        value = r.value[1:-1] if r.value and r.value.startswith("<") else None
        where = index.locate(r.focus, path, value)
        out.append(r.finding(rec.path, line=where.line, field=where.field, short=short_iri))
    return out


def _dedupe(earlier: list[Finding], new: list[Finding]) -> list[Finding]:
    """Drop SHACL findings that repeat a record finding on the same field at the same severity (a plain article
    without a title gets the reader's warning, not that and the shape's)."""
    seen = {(f.field, f.severity) for f in earlier}
    return [f for f in new if (f.field, f.severity) not in seen]
