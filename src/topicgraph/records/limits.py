"""Per-record caps: what one record may hold before it is refused with a finding, rather than crash or stall a build.

Every cap is far above what a curated record holds (a few dozen topics and keys, kilobytes of text) and below what
breaks a dependency or makes a build crawl:

- one RDF term written for a record (its ``schema:articleBody``, its ``tg:frontMatter`` JSON, its breadcrumb) as
  N-Quads bytes, escapes included: pyoxigraph's N-Quads and Turtle readers hold a term in a buffer of 16 MiB
  (16,777,216 bytes) and abort the whole load with "Reached the buffer maximal size" when a term is longer, which
  would end the build with no file named. The cap is half of that, so every export of the term (Turtle escapes
  as N-Quads does) reads back too;
- the number of topics and of authors, of keys in the front matter (at every level), of items in any one list.

The reader checks them (:func:`count_findings`, :func:`term_findings`) for the build and ``validate`` alike; a
record over a cap is skipped with a finding that names the cap and the fix. A ``--profile`` may raise them
(``[limits]``, see :class:`Limits`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from json.encoder import encode_basestring  # type: ignore[attr-defined]

from ..errors import Finding, Severity

__all__ = ["Limits", "DEFAULT_LIMITS", "MAX_TOPICS", "MAX_AUTHORS", "MAX_KEYS", "MAX_ITEMS", "MAX_TERM_BYTES",
           "count_findings", "term_findings", "term_bytes", "front_matter_json", "breadcrumb_text"]

#: topics (``communityTopics`` items) in one record
MAX_TOPICS = 1_000
#: authors in one record
MAX_AUTHORS = 1_000
#: keys in one record's front matter, counted at every level of nesting
MAX_KEYS = 10_000
#: items in any one list of the front matter
MAX_ITEMS = 10_000
#: bytes of one RDF term as written in N-Quads (escapes included): half of pyoxigraph's 16 MiB parse buffer
MAX_TERM_BYTES = 8 * 1024 * 1024

#: the most bytes one character takes in an N-Quads literal (a control character as ``\\u0001``)
_WIDEST = 6


@dataclass(frozen=True)
class Limits:
    """The caps one record is held to (see the module's docstring); a profile's ``[limits]`` table sets them.

    >>> Limits().topics, Limits(topics=5).topics
    (1000, 5)
    """

    topics: int = MAX_TOPICS
    authors: int = MAX_AUTHORS
    keys: int = MAX_KEYS
    items: int = MAX_ITEMS
    term_bytes: int = MAX_TERM_BYTES

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


DEFAULT_LIMITS = Limits()

_WHAT = {"topics": ("topics", "split the record, or keep its main topics"),
         "authors": ("authors", "keep the article's own authors"),
         "keys": ("keys in its front matter (at every level)", "move the data out of the front matter"),
         "items": ("items in one list", "move the data out of the front matter")}


def count_findings(name: str, counts: dict[str, tuple[int, str | None, int | None]],
                   limits: Limits = DEFAULT_LIMITS) -> list[Finding]:
    """Findings for each count over its cap; ``counts`` maps a cap's name (``topics``, ``authors``, ``keys``,
    ``items``) to ``(count, field, line)``.

    >>> [f.rule for f in count_findings("a.md", {"topics": (1001, "communityTopics", 4), "keys": (3, None, None)})]
    ['record.limit.topics']
    """
    out = []
    for cap, (count, field, line) in counts.items():
        limit = getattr(limits, cap)
        if count <= limit:
            continue
        what, fix = _WHAT[cap]
        out.append(Finding(name, f"the record holds {count:,} {what}, over the cap of {limit:,} for one record",
                           severity=Severity.ERROR, line=line, field=field, rule=f"record.limit.{cap}",
                           fix=f"{fix}, or raise the cap with `{cap} = N` in the [limits] table of a --profile"))
    return out


def term_bytes(text: str) -> int:
    """The bytes of ``text`` written as an N-Quads literal (quotes and escapes included), as the mapper writes it.

    >>> term_bytes('say "hi"'), term_bytes("\\x01")
    (12, 8)
    """
    return len(encode_basestring(text).encode("utf-8"))


def term_findings(name: str, terms: dict[str, tuple[str, str | None, int | None]],
                  limits: Limits = DEFAULT_LIMITS) -> list[Finding]:
    """Findings for each RDF term longer than the cap once written; ``terms`` maps what the term is (for the
    message) to ``(text, field, line)``. Text short enough that it cannot reach the cap is not measured.

    >>> [f.rule for f in term_findings("a.md", {"body": ('"' * 100, None, None)}, Limits(term_bytes=64))]
    ['record.limit.term']
    """
    out = []
    for what, (text, field, line) in terms.items():
        if len(text) * _WIDEST + 2 <= limits.term_bytes:
            continue
        size = term_bytes(text)
        if size <= limits.term_bytes:
            continue
        out.append(Finding(name, f"{what} is {size:,} bytes once written as RDF (escapes included), over the "
                                 f"cap of {limits.term_bytes:,} bytes for one value",
                           severity=Severity.ERROR, line=line, field=field, rule="record.limit.term",
                           fix="split the record or shorten the value; quotes, backslashes and control characters "
                               "grow when escaped"))
    return out


def front_matter_json(extra: dict) -> str:
    """The ``tg:frontMatter`` JSON text of a record's unmapped front matter (one writer, so that the cap measures
    what the mapper writes).

    >>> front_matter_json({"b": "1", "a": ["é"]})
    '{"a": ["é"], "b": "1"}'
    """
    return json.dumps(extra, sort_keys=True, ensure_ascii=False)


def breadcrumb_text(crumbs: list[str]) -> str:
    """The ``schema:breadcrumb`` text of a record's breadcrumbs.

    >>> breadcrumb_text(["Home", "News"])
    'Home > News'
    """
    return " > ".join(crumbs)
