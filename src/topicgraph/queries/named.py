"""Named queries: the shipped ``library/*.rq`` files, their header comments, and typed parameters.

Each file starts with a comment block::

    # title: Articles by topic
    # description: Every article tagged with a topic, newest first.
    # param: topic (iri, required): the topic, as an IRI or prefixed name

A parameter is a variable of the query. Given a value, the variable is bound to that RDF term before the query
runs (never pasted into the text); left out, it takes its default, or, with none, stays free and the query
covers every value. A ``required`` parameter has no value that fits every corpus (a topic, an article): left
out, it is an error (:class:`MissingParameter`) that :mod:`.choices` fills with values from the store.

>>> q = get_query("articles-by-topic")
>>> q.title, [p.name for p in q.parameters]
('Articles by topic', ['topic'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TopicgraphError
from .terms import PARAM_TYPES, to_term

__all__ = ["NamedQuery", "Parameter", "MissingParameter", "list_queries", "get_query", "to_term", "PARAM_TYPES"]

_PARAM_RE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>\w+)"
                       r"(?:\s*,\s*(?:default\s+(?P<default>.+?)|(?P<required>required)))?\)\s*:\s*(?P<doc>.*)$")


class MissingParameter(TopicgraphError):
    """A named query run without a value for a required parameter; ``choices`` are lines of values to pick."""

    def __init__(self, query: "NamedQuery", parameter: "Parameter", choices: list[str] | None = None,
                 heading: str = "") -> None:
        self.query, self.parameter, self.choices = query, parameter, list(choices or [])
        message = (f"the named query {query.name!r} needs --param {parameter.name}=VALUE: {parameter.description}")
        if self.choices:
            message += f"\n{heading or 'Values in the store'}:\n" + "\n".join(f"  {c}" for c in self.choices)
            first = self.choices[0].split()[0]
            message += f"\nFor example: topicgraph query --name {query.name} --param {parameter.name}={first}"
        super().__init__(message)


@dataclass(frozen=True)
class Parameter:
    """A query variable that can be bound from outside: its name, type, default (text) and help."""

    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""
    #: no default fits every corpus, and leaving it free makes no sense: a value must be given
    required: bool = False

    def term(self, value: Any, *, base_iri: str | None = None):
        """``value`` (text, number or pyoxigraph term) as the RDF term of this parameter's type."""
        return to_term(value, self.type, name=self.name, base_iri=base_iri)


@dataclass(frozen=True)
class NamedQuery:
    """One shipped query: ``name`` is the file name without ``.rq``."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    sparql: str
    path: Path | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise TopicgraphError(f"query {self.name!r} has no parameter {name!r} (its parameters: {known})")

    def bindings(self, values: dict[str, Any] | None = None, *, base_iri: str | None = None) -> dict[str, Any]:
        """Parameter name -> RDF term: the given values (checked and typed) over the defaults.

        Raises :class:`MissingParameter` when a required parameter has no value."""
        values = dict(values or {})
        for name in values:
            self.parameter(name)
        out = {}
        for p in self.parameters:
            if values.get(p.name) is not None:
                out[p.name] = p.term(values[p.name], base_iri=base_iri)
            elif p.default is not None:
                out[p.name] = p.term(p.default, base_iri=base_iri)
            elif p.required:
                raise MissingParameter(self, p)
        return out

    @classmethod
    def from_text(cls, name: str, text: str, path: Path | None = None) -> "NamedQuery":
        fields: dict[str, str] = {}
        params: list[str] = []
        last: str | None = None
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            if not stripped.startswith("#"):
                break
            body = stripped[1:]
            m = re.match(r"^\s?([A-Za-z]+):\s*(.*)$", body)
            if m and not body.startswith("   "):
                key, value = m.group(1).lower(), m.group(2).strip()
                if key == "param":
                    params.append(value)
                    last = "param"
                else:
                    fields[key] = value
                    last = key
            elif last and body.strip():  # an indented continuation line
                if last == "param":
                    params[-1] += " " + body.strip()
                else:
                    fields[last] += " " + body.strip()
        parameters = []
        for spec in params:
            m = _PARAM_RE.match(spec)
            if not m or m.group("type") not in PARAM_TYPES:
                raise TopicgraphError(f"{path or name}: cannot read the parameter line {spec!r}: write "
                                      "`# param: NAME (TYPE[, default VALUE | , required]): description` with TYPE "
                                      "one of "
                                      + ", ".join(PARAM_TYPES))
            parameters.append(Parameter(m.group("name"), m.group("type"), m.group("default"), m.group("doc"),
                                        m.group("required") is not None))
        if "title" not in fields:
            raise TopicgraphError(f"{path or name}: a named query needs a `# title:` line in its header comment")
        return cls(name, fields.pop("title"), fields.pop("description", ""), tuple(parameters), text, path, fields)


def list_queries(folder: str | Path | None = None) -> list[NamedQuery]:
    """Every named query in ``folder`` (default: the shipped library), sorted by name."""
    from ..resources import queries_dir

    folder = Path(folder) if folder is not None else queries_dir()
    return [NamedQuery.from_text(p.stem, p.read_text(encoding="utf-8"), p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, folder: str | Path | None = None) -> NamedQuery:
    """The named query ``name``; the error lists the names there are."""
    queries = {q.name: q for q in list_queries(folder)}
    if name not in queries:
        import difflib

        close = difflib.get_close_matches(name, queries, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise TopicgraphError(f"no named query {name!r}{hint}; `topicgraph query --list` shows them all: "
                              + ", ".join(queries))
    return queries[name]
