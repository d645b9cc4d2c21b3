"""From RDF nodes back to records: which record field, at which line, a SHACL result is about.

SHACL results name IRIs (a focus node, a property, a value). A :class:`RecordIndex` is built beside each mapped
record and says where every node of its graph came from: the article is the file, its ``schema:about`` values are
``communityTopics[i]`` at the line of that list item, its authors are ``author[i]``, and so on. (For RDF files,
:class:`topicgraph.shacl.RdfLines` finds the line of a subject in the text.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..vocab import SCHEMA, SCHEMA_ABOUT, SCHEMA_AUTHOR, TG

__all__ = ["Where", "RecordIndex", "front_matter_keys", "item_lines"]

#: article property -> the record role it is made from (records/profile.py ROLES)
PROPERTY_ROLES: dict[str, str] = {
    SCHEMA + "identifier": "id", SCHEMA + "headline": "title", SCHEMA + "description": "description",
    SCHEMA + "datePublished": "date", SCHEMA + "dateModified": "last_mod", SCHEMA + "url": "link_original",
    TG + "linkHref": "link_href", SCHEMA + "author": "authors", SCHEMA + "publisher": "link_brand",
    SCHEMA + "about": "topics", SCHEMA + "keywords": "tags", SCHEMA + "articleSection": "categories",
    SCHEMA + "breadcrumb": "breadcrumbs", SCHEMA + "image": "featured_image", TG + "community": "community",
    TG + "slug": "slug", TG + "alias": "aliases", TG + "mdName": "md_name", TG + "recordType": "type",
    TG + "curationSource": "source",
}
#: how a plain article names the roles it has
_PLAIN_FIELDS = {"title": "title", "authors": "author", "date": "date"}


@dataclass(frozen=True)
class Where:
    field: str | None = None
    line: int | None = None


_BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)*")
_FENCE = re.compile(r"-{3,}[^\S\n]*(?:\n|$)")
_CLOSING = re.compile(r"^-{3,}[^\S\n]*$", re.M)
_KEY = re.compile(r"""^(?:"([^"\n]+)"|'([^'\n]+)'|([^\s#\-'"][^:\n]*?))[^\S\n]*:(?:[^\S\n]|$)""", re.M)


def front_matter_keys(text: str) -> dict[str, int]:
    """Top-level front-matter keys and their 1-based lines.

    >>> front_matter_keys("---\\nid: 1\\nlink:\\n  brand: x\\n---\\nbody: no\\n")
    {'id': 2, 'link': 3}
    """
    pos = _BLANK_LINES.match(text).end()
    if pos >= len(text) and not text[pos:].strip():
        return {}
    opening = _FENCE.match(text, pos)
    if opening is None:
        return {}
    body = opening.end()
    if not text[opening.start():body].endswith("\n"):
        return {}
    closing = _CLOSING.search(text, body)
    end = closing.start() if closing is not None else len(text)
    keys: dict[str, int] = {}
    line, last = text.count("\n", 0, body) + 1, body
    for m in _KEY.finditer(text, body, end):
        line += text.count("\n", last, m.start())
        last = m.start()
        keys.setdefault(m.group(1) or m.group(2) or m.group(3), line)
    return keys


def item_lines(text: str, key_line: int | None, count: int | None) -> list[int | None]:
    """The line of each of the ``count`` items of the YAML list whose key is on ``key_line``.

    A block list (``- item`` lines) gives each item its own line; a flow list (``[a, b]``) or anything this
    cannot follow gives every item the key's line. With ``count=None``, whatever block items follow the key.

    >>> item_lines("---\\ntopics:\\n- a\\n- b\\nid: 1\\n---\\n", 2, 2)
    [3, 4]
    >>> item_lines("---\\ntopics: [a, b]\\n---\\n", 2, 2)
    [2, 2]
    """
    if key_line is None:
        return [None] * (count or 0)
    lines = text.split("\n")
    found = []
    for i in range(key_line, len(lines)):
        line = lines[i]
        if re.match(r"^\s*-\s", line) or line.strip() == "-":
            if not re.fullmatch(r"-{3,}\s*", line):
                found.append(i + 1)
                continue
        if line.strip() == "" or line.lstrip().startswith("#") or (line[:1].isspace() and found):
            continue  # blank lines, comments, continuation lines of an item
        break
    if count is None:
        return found
    return found if len(found) == count else [key_line] * count


class RecordIndex:
    """Where each node of one mapped record's graph came from in the record's file.

    ``locate(focus, path, value)`` gives the field (``communityTopics[2]``, ``author[0]``, ``link.brand``) and line.
    """

    def __init__(self, rec, mapper, profile, text: str | Callable[[], str] = "") -> None:
        self.article = mapper.minter.article(rec.id)
        self.rec, self.profile = rec, profile
        self._mapper, self._text_or_maker = mapper, text
        self._keys: dict[str, int] | None = None
        self._nodes: dict[str, Where] | None = None
        self._values: dict[tuple[str, str], Where] | None = None
        self._topics: dict[str, Where] | None = None  # concept -> the first topic naming it

    # Built on first use: most records have nothing to locate, and need only a role or two (see field_name).
    @property
    def _text(self) -> str:
        """The record's text (given, or made when first needed)."""
        if not isinstance(self._text_or_maker, str):
            self._text_or_maker = self._text_or_maker()
        return self._text_or_maker

    @property
    def keys(self) -> dict[str, int]:
        """Top-level front-matter keys and their lines."""
        if self._keys is None:
            self._keys = front_matter_keys(self._text) if self.rec.format == "front-matter" else {}
        return self._keys

    @property
    def nodes(self) -> dict[str, Where]:
        """Node IRI -> where it came from."""
        if self._nodes is None:
            self._build()
        return self._nodes  # type: ignore[return-value]

    @property
    def values(self) -> dict[tuple[str, str], Where]:
        """(property, value IRI) -> the list item it came from."""
        if self._values is None:
            self._build()
        return self._values  # type: ignore[return-value]

    def topic(self, concept: str) -> Where | None:
        """Where the topic that names ``concept`` is: ``values[(schema:about, concept)]``, without the rest."""
        if self._values is not None:
            return self._values.get((SCHEMA_ABOUT, concept))
        if self._topics is None:
            self._topics = {}
            for concept_iri, where, _ in self._topic_items():
                self._topics.setdefault(concept_iri, where)
        return self._topics.get(concept)

    def _topic_items(self):
        rec, mapper = self.rec, self._mapper
        topics_field = self.field_name("topics")
        topic_lines = item_lines(self._text, rec.line_of("topics"), len(rec.topics))
        for i, topic in enumerate(rec.topics):
            concept, _ = mapper.taxonomy.resolve(topic.vendor, topic.label)
            yield concept, Where(f"{topics_field}[{i}]", topic_lines[i]), topic

    def _build(self) -> None:
        from ..iris import IriMinter

        rec, mapper, text = self.rec, self._mapper, self._text
        m: IriMinter = mapper.minter
        self._nodes = nodes = {}
        self._values = values = {}
        for concept, where, topic in self._topic_items():
            nodes.setdefault(concept, where)
            values.setdefault((SCHEMA_ABOUT, concept), where)
            scheme = mapper.taxonomy.scheme_for(topic.vendor) or m.scheme(topic.vendor)
            nodes.setdefault(scheme, where)
        authors_field = self.field_name("authors")
        author_lines = item_lines(text, rec.line_of("authors"), len(rec.authors))
        for i, name in enumerate(rec.authors):
            person = m.person(name)
            where = Where(f"{authors_field}[{i}]" if rec.format == "front-matter" else authors_field, author_lines[i])
            nodes.setdefault(person, where)
            values.setdefault((SCHEMA_AUTHOR, person), where)
        if rec.link.brand:
            nodes[m.brand(rec.link.brand.strip().lower().rstrip("."))] = self.role("link_brand")
        if rec.community:
            nodes[m.community(rec.community)] = self.role("community")
        nodes[self.article + "#image"] = self.role("featured_image")
        nodes[m.source_file(rec.sha256)] = Where()
        nodes[self.article] = Where()

    def field_name(self, role: str) -> str:
        """The front-matter field this record used for ``role`` (the first of the profile's paths it has)."""
        if self.rec.format != "front-matter":
            return _PLAIN_FIELDS.get(role, role)
        paths = self.profile.paths(role) or (role,)
        if len(paths) == 1:
            return paths[0]  # what the loop below gives either way, without reading the keys
        for path in paths:
            if path.split(".")[0] in self.keys:
                return path
        return paths[0]

    def role(self, role: str) -> Where:
        name = self.field_name(role)
        line = self.rec.line_of(role)
        return Where(name, line if line is not None else self.keys.get(name.split(".")[0]))

    def locate(self, focus: str, path: str | None = None, value: str | None = None) -> Where:
        if focus == self.article and path is not None:
            if value is not None and (path, value) in self.values:
                return self.values[(path, value)]
            role = PROPERTY_ROLES.get(path)
            if role == "link_original" and not self.rec.link.original:
                role = "link_href"
            if role is not None:
                return self.role(role)
            return Where()
        return self.nodes.get(focus, Where())
