"""Findings and errors: what went wrong, where, and how to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Severity", "Finding", "TopicgraphError", "RecordError", "visible"]


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so ``>=`` compares with a failing threshold."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth knowing) about one input, located as precisely as we can.

    >>> str(Finding("seeds/a.md", "missing title", severity=Severity.ERROR, line=3, field="title",
    ...             rule="record.title", fix="add a `title:` line"))
    'seeds/a.md:3 title: error: missing title (add a `title:` line) [record.title]'
    """

    file: str
    message: str
    severity: Severity = Severity.ERROR
    line: int | None = None
    field: str | None = None
    rule: str = ""
    fix: str = ""
    node: str | None = None

    @property
    def location(self) -> str:
        loc = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{loc} {self.field}" if self.field else loc

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.fix:
            text += f" ({self.fix})"
        if self.rule:
            text += f" [{self.rule}]"
        return text

    def to_dict(self) -> dict:
        # by hand: dataclasses.asdict deep-copies and was a visible share of writing a 100k-file report
        return {"file": self.file, "message": self.message, "severity": str(self.severity), "line": self.line,
                "field": self.field, "rule": self.rule, "fix": self.fix, "node": self.node}


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (an ESC that would recolour the screen, a
    newline inside a file name) written as ``\\xNN`` escapes, so a file named with them can be found.

    >>> visible("ok.md"), visible("a\\x1b[31mb.md"), visible("two\\nlines")
    ('ok.md', 'a\\\\x1b[31mb.md', 'two\\\\nlines')
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 256 else
                                                                 f"\\u{ord(c):04x}") for c in text)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class TopicgraphError(Exception):
    """An error the user can act on; the CLI shows its message, never a traceback."""


@dataclass
class RecordError(TopicgraphError):
    """A record that cannot be mapped; carries the findings that say why."""

    findings: list[Finding] = field(default_factory=list)
    #: what could be read of the record despite the errors (a ``Record``, or None when nothing could be), so that
    #: checks needing only some fields (its topics against the taxonomy) still report in the same run
    record: Any = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        return "; ".join(str(f) for f in self.findings)
