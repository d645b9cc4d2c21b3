"""A validation report as text, JSON, JUnit XML, SARIF 2.1.0 or GitHub Actions workflow commands.

- ``text``: findings grouped by file, each with its fix, then one summary line.
- ``json``: :meth:`ValidationReport.to_dict`.
- ``junit``: one ``<testsuite>`` per file (Apache Ant JUnit schema, as CI test-report views read it); each finding
  at or above the failing severity is a failed ``<testcase>``, a file without one has a passing ``valid`` case, and
  the other findings go to the suite's ``<system-out>``.
- ``sarif``: one run of the ``topicgraph`` tool, one rule per rule or shape, results with file and line, for
  code-scanning views.
- ``github``: ``::error file=...,line=...,title=...::message`` lines, shown inline on pull requests.

>>> from topicgraph.errors import Finding
>>> from .report import ValidationReport
>>> r = ValidationReport([Finding("a.md", "no title", line=2, field="title", rule="record.title.missing",
...                               fix="add a title")], ["a.md"])
>>> print(render(r, "github"))
::error file=a.md,line=2,title=record.title.missing::title: no title (add a title)
FAILED: 1 file checked in 0.00s: 1 error, 0 warnings, 0 infos
"""

from __future__ import annotations

import json

from ..errors import Finding, Severity, visible
from ..sources import report_root, root_relative
from ..vocab import HOME
from .report import ValidationReport

__all__ = ["FORMATS", "render", "to_text", "to_json", "to_junit", "to_sarif", "to_github"]

FORMATS = ("text", "json", "junit", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: ValidationReport, fmt: str = "text") -> str:
    """The report in one of :data:`FORMATS`."""
    from .core import no_gc

    try:
        writer = {"text": to_text, "json": to_json, "junit": to_junit, "sarif": to_sarif, "github": to_github}[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}") from None
    with no_gc():
        return writer(report)


def _where(f: Finding) -> str:
    parts = []
    if f.line is not None:
        parts.append(f"line {f.line}")
    if f.field:
        parts.append(f.field)
    return " ".join(parts) or "file"


def to_text(report: ValidationReport) -> str:
    lines = []
    for file, findings in report.by_file().items():
        lines.append(visible(file))  # a file name with an ESC or a newline in it must not reach the terminal raw
        for f in findings:
            lines.append(visible(f"  {_where(f)}: {f.severity}: {f.message} [{f.rule}]"))
            if f.fix:
                lines.append(visible(f"    fix: {f.fix}"))
    lines.append(report.summary_line())
    return "\n".join(lines)


def to_json(report: ValidationReport) -> str:
    """:meth:`ValidationReport.to_dict` as JSON: one key per line, one file and one finding per line (readable
    and diffable, and written by the C encoder: ``indent=`` would use the pure-Python one, seconds on 100k files)."""
    return _lines_json(report.to_dict())


def _lines_json(data: dict) -> str:
    """A JSON object with each top-level value on its own line and each item of a top-level list on its own line.

    >>> print(_lines_json({"ok": True, "files": ["a.md", 'say "a", "b"'], "none": [], "f": [{"file": "}, {"}] * 2}))
    {
      "ok": true,
      "files": [
        "a.md",
        "say \\"a\\", \\"b\\""
      ],
      "none": [],
      "f": [
        {"file": "}, {"},
        {"file": "}, {"}
      ]
    }
    """
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            if all(isinstance(v, str) for v in value):
                # one encoder call for the list: '", "' only occurs between items (a quote inside a string is \")
                body = dumps(value)[1:-1].replace('", "', '",\n    "')
            elif all(isinstance(v, dict) and v and next(iter(v)) == "file" for v in value):
                body = dumps(value)[1:-1].replace('}, {"file": ', '},\n    {"file": ')
            else:
                body = ",\n    ".join(map(dumps, value))
            parts.append(f"  {dumps(key)}: [\n    {body}\n  ]")
        else:
            parts.append(f"  {dumps(key)}: {dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}"


# --------------------------------------------------------------------------------------------------------- JUnit
def to_junit(report: ValidationReport) -> str:
    import datetime as dt
    import socket
    import xml.etree.ElementTree as ET

    stamp = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0).isoformat()
    host = socket.gethostname() or "localhost"
    groups = report.by_file()
    files = list(report.files) + [f for f in groups if f not in set(report.files)]
    root = ET.Element("testsuites")
    for i, file in enumerate(files):
        findings = groups.get(file, [])
        failing = [f for f in findings if f.severity >= report.fail_at]
        other = [f for f in findings if f.severity < report.fail_at]
        suite = ET.SubElement(root, "testsuite", {
            "name": _clean(file), "package": "topicgraph.validate", "id": str(i), "timestamp": stamp, "hostname": host,
            "tests": str(max(1, len(failing))), "failures": str(len(failing)), "errors": "0", "skipped": "0",
            "time": "0"})
        ET.SubElement(suite, "properties")
        for f in failing:
            case = ET.SubElement(suite, "testcase", {"name": _clean(f"{_where(f)} [{f.rule}]"),
                                                      "classname": _clean(file), "time": "0"})
            fail = ET.SubElement(case, "failure", {"message": _clean(f.message),
                                                   "type": _clean(f.rule or str(f.severity))})
            fail.text = _clean(str(f) + (f"\nfix: {f.fix}" if f.fix else ""))
        if not failing:
            ET.SubElement(suite, "testcase", {"name": "valid", "classname": _clean(file), "time": "0"})
        out = ET.SubElement(suite, "system-out")
        out.text = _clean("\n".join(str(f) for f in other))
        ET.SubElement(suite, "system-err").text = ""
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _clean(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (a finding may quote a control character)."""
    return "".join(c if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                   or c >= "\U00010000" else "\ufffd" for c in text)


# --------------------------------------------------------------------------------------------------------- SARIF
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(file: str) -> tuple[str, bool]:
    """A SARIF artifact URI: a path under the repository's root (``sources.report_root``) as a percent-encoded
    reference relative to it (GitHub code scanning reads them so), others as file: URIs."""
    from pathlib import PurePosixPath
    from urllib.parse import quote

    file = root_relative(file)
    if PurePosixPath(file).is_absolute():
        return "file://" + quote(file), False
    return quote(file), True


def to_sarif(report: ValidationReport) -> str:
    from pathlib import Path

    from ..version import __version__

    rules: dict[str, int] = {}
    rule_objs = []
    results = []
    for f in report.findings:
        rule = f.rule or "topicgraph"
        if rule not in rules:
            rules[rule] = len(rule_objs)
            rule_objs.append({"id": rule, "shortDescription": {"text": rule},
                              "defaultConfiguration": {"level": _LEVEL[f.severity]}})
        uri, relative = _uri(f.file)
        loc: dict = {"artifactLocation": {"uri": uri}}
        if relative:
            loc["artifactLocation"]["uriBaseId"] = "SRCROOT"
        if f.line is not None and f.line >= 1:
            loc["region"] = {"startLine": f.line}
        text = (f"{f.field}: " if f.field else "") + f.message + (f". Fix: {f.fix}" if f.fix else "")
        result = {"ruleId": rule, "ruleIndex": rules[rule], "level": _LEVEL[f.severity], "message": {"text": text},
                  "locations": [{"physicalLocation": loc}],
                  "properties": {k: v for k, v in (("field", f.field), ("fix", f.fix), ("node", f.node),
                                                   ("severity", str(f.severity))) if v}}
        if f.node:
            result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": f.node, "kind": "resource"}]
        results.append(result)
    run = {"tool": {"driver": {"name": "topicgraph", "version": __version__,
                               "informationUri": HOME, "rules": rule_objs}},
           "originalUriBaseIds": {"SRCROOT": {"uri": Path(report_root()).resolve().as_uri() + "/"}},
           "results": results, "columnKind": "unicodeCodePoints",
           "invocations": [{"executionSuccessful": True, "exitCode": report.exit_code}],
           "properties": {"counts": report.counts, "strict": report.strict}}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False)


# --------------------------------------------------------------------------------------------------------- GitHub
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: ValidationReport) -> str:
    """GitHub Actions workflow commands (escaped as the runner's toolkit does), then the summary line."""
    lines = []
    for f in report.findings:
        props = [f"file={_escape_property(root_relative(f.file))}"]  # the runner reads it from the repository root
        if f.line is not None:
            props.append(f"line={f.line}")
        if f.rule:
            props.append(f"title={_escape_property(f.rule)}")
        text = (f"{f.field}: " if f.field else "") + f.message + (f" ({f.fix})" if f.fix else "")
        lines.append(f"::{_COMMAND[f.severity]} {','.join(props)}::{_escape_data(text)}")
    lines.append(report.summary_line())
    return "\n".join(lines)
