"""Record identity: which records are the same article, and how a duplicate is told (build report, validate).

Two records are duplicates when their files hold the same bytes, or when their ids mint the same article IRI
(:func:`topicgraph.iris.key` folds case, white space, ``_`` and Unicode normalisation). ``build`` maps the first
and skips the others with a :meth:`Duplicate.reason`; ``validate`` reports the others as findings built from the
same :class:`Duplicate` (:attr:`Duplicate.message`, :attr:`Duplicate.rule`, :attr:`Duplicate.fix`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..iris import key

__all__ = ["IDS_FOLD", "Duplicate", "DuplicateRecords", "id_key"]

#: what two ids that mint one IRI have in common (:func:`topicgraph.iris.key`)
IDS_FOLD = ("ids must differ after IRI minting (case, white space, '_' and Unicode normalisation are folded, "
            "leading and trailing '-' dropped)")

#: an id that :func:`topicgraph.iris.key` leaves as it is (lower-case ASCII letters, digits and ``.~-``, starting
#: with a letter, digit or ``~``, not ending with ``-``)
_PLAIN_ID = re.compile(r"[0-9a-z~](?:[0-9a-z.~-]*[0-9a-z.~])?").fullmatch


def id_key(record_id: Any) -> Any:
    """What a record id is as an article IRI's last segment: two ids are the same article when their keys are
    equal. Most ids (numbers, slugs) are their own key, so :func:`~topicgraph.iris.key` runs only for the others.

    >>> id_key("4463"), id_key("X y"), id_key("x_Y")
    ('4463', 'x-y', 'x-y')
    """
    return record_id if not isinstance(record_id, str) or _PLAIN_ID(record_id) else key(record_id)


@dataclass(frozen=True)
class Duplicate:
    """A record that repeats one taken before: ``kind`` ``"file"`` (the same bytes as ``first_file``), ``"id"``
    (the same id) or ``"folded-id"`` (an id that mints the same article IRI, ``article``).

    >>> d = Duplicate("folded-id", "b.md", "x_Y", "a.md", "X y", "https://w3id.org/topicgraph/id/article/x-y")
    >>> d.message
    "id 'x_Y' gives the same article IRI <https://w3id.org/topicgraph/id/article/x-y> as id 'X y' in a.md"
    >>> Duplicate("id", "b.md", "1", "a.md", "1").reason
    "b.md: duplicate id '1': a.md has it too (give each record its own id)"
    """

    kind: str
    file: str
    record_id: Any
    first_file: str
    first_id: Any = None
    article: str | None = None

    @classmethod
    def of_ids(cls, file: str, record_id: Any, first_file: str, first_id: Any, article: str) -> "Duplicate":
        """The duplicate of two records known to mint the same article IRI: the same id, or a folded one."""
        return cls("id" if record_id == first_id else "folded-id", file, record_id, first_file, first_id, article)

    @property
    def rule(self) -> str:
        return "record.duplicate-file" if self.kind == "file" else "record.duplicate-id"

    @property
    def message(self) -> str:
        """What ``validate`` says on the record (its finding's message)."""
        if self.kind == "file":
            return f"duplicate file: the same bytes as {self.first_file}"
        if self.kind == "id":
            return f"duplicate id {self.record_id!r}: {self.first_file} has it too"
        return (f"id {self.record_id!r} gives the same article IRI <{self.article}> as id {self.first_id!r} in "
                f"{self.first_file}")

    @property
    def fix(self) -> str:
        """What ``validate`` suggests (its finding's fix)."""
        if self.kind == "file":
            return "delete one of the two copies"
        if self.kind == "id":
            return "give each record its own id"
        return f"give each record its own id: {IDS_FOLD}"

    @property
    def reason(self) -> str:
        """Why the build skipped the record (its report's reason)."""
        if self.kind == "file":
            return f"{self.file}: {self.message} (delete one copy)"
        if self.kind == "id":
            return f"{self.file}: {self.message} (give each record its own id)"
        return f"{self.file}: {self.message}: {IDS_FOLD} (give each record an id that differs in more than that)"


class DuplicateRecords:
    """The duplicate rules over records met one after another: the first of each set of duplicates is taken,
    every later one is a :class:`Duplicate` of it. ``article`` mints the article IRI of an id (for the message).

    >>> seen = DuplicateRecords(lambda rid: "https://example.org/article/" + key(rid))
    >>> seen.check("a.md", "sha-1", "X y") is None, seen.check("b.md", "sha-1", "2").kind
    (True, 'file')
    >>> seen.check("c.md", "sha-2", "x_Y").message
    "id 'x_Y' gives the same article IRI <https://example.org/article/x-y> as id 'X y' in a.md"
    """

    def __init__(self, article) -> None:
        self._article = article
        self._shas: dict[str, str] = {}
        self._ids: dict[Any, tuple[str, Any]] = {}  # id_key -> (file, id)

    def check(self, file: str, sha256: str, record_id: Any) -> Duplicate | None:
        """None when the record is new (and now taken), else what it duplicates: the same bytes first, then the
        same article."""
        first = self._shas.get(sha256)
        if first is not None:
            return Duplicate("file", file, record_id, first)
        ident = id_key(record_id)
        seen = self._ids.get(ident)
        if seen is not None:
            return Duplicate.of_ids(file, record_id, seen[0], seen[1], self._article(record_id))
        self._shas[sha256] = file
        self._ids[ident] = (file, record_id)
        return None
