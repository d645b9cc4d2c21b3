"""Where a node is written in an RDF file's text: the line that a finding about it (a SHACL result, a broken
taxonomy rule) points at.

:class:`TurtleLines` reads Turtle and TriG as they are usually hand-written; :class:`RdfLines` does every RDF
format a check reads (N-Triples and N-Quads exactly, JSON-LD by its ``"@id"`` lines).
"""

from __future__ import annotations

import re

from ..vocab import RDF_TYPE

__all__ = ["TurtleLines", "RdfLines"]


class TurtleLines:
    """Where each subject (and each of its properties) is written in a Turtle file, for findings with lines.

    Turtle is read as it is usually hand-written: a subject starts a line at column 0, its properties follow on
    indented lines. Prefixed names are expanded with the file's ``@prefix`` lines. This is an index for error
    messages, not a parser: anything it cannot place gets no line.

    >>> t = TurtleLines("@prefix ex: <https://e.org/> .\\n\\nex:a\\n    ex:p ex:b ;\\n    ex:q 1 .\\n")
    >>> t.line("https://e.org/a"), t.line("https://e.org/a", "https://e.org/q"), t.line("https://e.org/z")
    (3, 5, None)
    """

    _PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.I)
    _TERM = re.compile(r"<([^>]*)>|([\w.-]*):((?:[\w.~-]|%[0-9A-Fa-f]{2}|\\.)*)")

    def __init__(self, text: str) -> None:
        self.prefixes: dict[str, str] = {}
        self.subjects: dict[str, int] = {}
        self.props: dict[tuple[str, str], int] = {}
        current: str | None = None
        for no, line in enumerate(text.splitlines(), 1):
            m = self._PREFIX.match(line)
            if m:
                self.prefixes[m.group(1)] = m.group(2)
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if not line[0].isspace():
                term = self._term(stripped)
                current = term
                if term is not None:
                    self.subjects.setdefault(term, no)
                    rest = stripped[self._TERM.match(stripped).end():].strip() if self._TERM.match(stripped) else ""
                    self._prop(current, rest, no)
                continue
            if current is not None:
                self._prop(current, stripped, no)

    def _term(self, text: str) -> str | None:
        m = self._TERM.match(text)
        if not m:
            return None
        if m.group(1) is not None:
            return m.group(1)
        base = self.prefixes.get(m.group(2))
        return None if base is None else base + m.group(3).replace("\\", "")

    def _prop(self, subject: str, text: str, no: int) -> None:
        if text == "a" or text.startswith("a "):
            self.props.setdefault((subject, RDF_TYPE), no)
            return
        prop = self._term(text)
        if prop is not None:
            self.props.setdefault((subject, prop), no)

    def line(self, subject: str, prop: str | None = None) -> int | None:
        if prop is not None and (subject, prop) in self.props:
            return self.props[(subject, prop)]
        return self.subjects.get(subject)

    def shorten(self, iri: str) -> str:
        for prefix, base in self.prefixes.items():
            if iri.startswith(base) and re.fullmatch(r"[\w.~%-]+", iri[len(base):]):
                return f"{prefix}:{iri[len(base):]}"
        return f"<{iri}>"


class RdfLines:
    """The line of each subject, and of each (subject, property), in an RDF file's text.

    N-Triples and N-Quads are exact (one statement per line); Turtle and TriG are read as usually hand-written
    (see :class:`TurtleLines`); JSON-LD gives the line of the node's ``"@id"``.

    >>> RdfLines("<https://e.org/a> <https://e.org/p> 1 .\\n<https://e.org/b> <https://e.org/p> 2 .\\n", "nt") \\
    ...     .line("https://e.org/b", "https://e.org/p")
    2
    """

    _NT = re.compile(r"^\s*(<[^>]*>|_:\S+)\s+<([^>]*)>")

    def __init__(self, text: str, kind: str) -> None:
        self.kind = kind
        self.subjects: dict[str, int] = {}
        self.props: dict[tuple[str, str], int] = {}
        self.shorten = lambda iri: f"<{iri}>"
        if kind in ("nt", "nq"):
            for no, line in enumerate(text.splitlines(), 1):
                m = self._NT.match(line)
                if m:
                    s = m.group(1)[1:-1] if m.group(1).startswith("<") else m.group(1)
                    self.subjects.setdefault(s, no)
                    self.props.setdefault((s, m.group(2)), no)
        elif kind in ("ttl", "trig"):
            t = TurtleLines(text)
            self.subjects, self.props, self.shorten = t.subjects, t.props, t.shorten
        else:
            self._text = text
            for no, line in enumerate(text.splitlines(), 1):
                for m in re.finditer(r'"@id"\s*:\s*"([^"]+)"', line):
                    self.subjects.setdefault(m.group(1), no)

    def line(self, subject: str, prop: str | None = None) -> int | None:
        if prop is not None and (subject, prop) in self.props:
            return self.props[(subject, prop)]
        return self.subjects.get(subject)
