"""A strict, safe YAML loader for front matter: no silent surprises.

PyYAML's ``SafeLoader`` follows YAML 1.1, which turns ``no`` into ``False``, ``0755`` into ``493`` and
``2021-02-03`` into a ``date``; it keeps the last of two duplicate keys without a word; and it expands aliases,
which a "billion laughs" document abuses. Here libyaml (through PyYAML) only *composes* the node tree; one walk
over it then keeps every plain scalar as the text that was written (fields are converted by the record reader,
which knows what each field should be), refuses duplicate keys, aliases and tags other than YAML's core ones, and
remembers the line of every top-level key. The walk also replaces PyYAML's Python constructor, which was most of
the time a record took to read.
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

__all__ = ["StrictLoader", "LoadedYaml", "load_front_matter_yaml", "YamlProblem"]

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: several times faster
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_CORE = "tag:yaml.org,2002:"
#: explicit tags that are harmless: the value is kept as written, as for an untagged scalar
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


class YamlProblem(Exception):
    """A front-matter problem with the 1-based line where it was found, and what would fix it."""

    def __init__(self, message: str, line: int | None, fix: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.fix = fix
        self.field = field


_NULL_VALUES = frozenset(["", "~", "null", "Null", "NULL"])
_STR, _SEQ, _MAP, _NULL_TAG = _CORE + "str", _CORE + "seq", _CORE + "map", _CORE + "null"


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """libyaml's composer with only ``null`` resolved implicitly; every other plain scalar stays a string."""

    yaml_implicit_resolvers: dict = {}

    def resolve(self, kind, value, implicit):  # type: ignore[override]
        # called for every node; PyYAML's general resolver walks regex tables we do not use
        if kind is ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULL_VALUES else _STR
        return _SEQ if kind is SequenceNode else _MAP


class LoadedYaml:
    """The mapping of a front matter block and the line of each top-level key; ``keys`` counts its keys at every
    level and ``longest`` is ``(items, line)`` of its longest list (for the per-record caps)."""

    def __init__(self, data: dict, lines: dict[str, int], keys: int = 0,
                 longest: tuple[int, int | None] = (0, None)) -> None:
        self.data = data
        self.lines = lines
        self.keys = keys
        self.longest = longest


class _Walker:
    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.seen: set[int] = set()
        self.keys = 0
        self.longest: tuple[int, int | None] = (0, None)

    def sized(self, node) -> None:
        """Count a mapping's keys, or remember a list if it is the longest yet."""
        n = len(node.value)
        if node.__class__ is MappingNode:
            self.keys += n
        elif n > self.longest[0]:
            self.longest = (n, self.line(node))

    def line(self, node) -> int:
        return node.start_mark.line + 1 + self.offset

    def value(self, node, depth: int = 0):
        if id(node) in self.seen:  # an alias makes two places share one node
            raise YamlProblem("YAML aliases (&anchor / *alias) are not allowed in front matter", self.line(node),
                              "write the value out in full instead of using &anchor / *alias")
        self.seen.add(id(node))
        if depth > 50:
            raise YamlProblem("front matter is nested too deeply", self.line(node), "flatten the structure")
        if node.tag not in _ALLOWED_TAGS:
            raise YamlProblem(f"YAML tag {node.tag.replace(_CORE, '!!')!r} is not allowed", self.line(node),
                              "remove the !!tag; front matter holds plain text, lists and mappings only")
        if isinstance(node, ScalarNode):
            return None if node.tag == _CORE + "null" else node.value
        self.sized(node)
        if isinstance(node, SequenceNode):
            return [self.value(item, depth + 1) for item in node.value]
        out: dict = {}
        first: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _CORE + "null":
                raise YamlProblem("a mapping key must be plain text", self.line(key_node),
                                  "use a simple word as the key")
            key = key_node.value
            if key in first:
                raise YamlProblem(f"duplicate key {key!r} (first on line {first[key]})", self.line(key_node),
                                  f"keep one {key!r} line and delete the other", field=key)
            first[key] = self.line(key_node)
            out[key] = self.value(value_node, depth + 1)
        return out


    def plain(self, node, depth: int = 0):
        """:meth:`value` for a document with no anchors and no explicit tags."""
        if depth >= 50:  # near the limit, the careful walk says exactly where the nesting goes too deep
            return self.value(node, depth)
        cls = node.__class__
        if cls is ScalarNode:
            return None if node.tag == _NULL_TAG else node.value
        self.sized(node)
        if cls is SequenceNode:
            return [(None if item.tag == _NULL_TAG else item.value) if item.__class__ is ScalarNode
                    else self.plain(item, depth + 1) for item in node.value]
        out: dict = {}
        first: dict = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode or key_node.tag == _NULL_TAG:
                raise YamlProblem("a mapping key must be plain text", self.line(key_node),
                                  "use a simple word as the key")
            key = key_node.value
            if key in first:
                raise YamlProblem(f"duplicate key {key!r} (first on line {self.line(first[key])})",
                                  self.line(key_node), f"keep one {key!r} line and delete the other", field=key)
            first[key] = key_node
            out[key] = ((None if value_node.tag == _NULL_TAG else value_node.value)
                        if value_node.__class__ is ScalarNode else self.plain(value_node, depth + 1))
        return out


def load_front_matter_yaml(text: str, *, line_offset: int = 0) -> LoadedYaml:
    """Parse front-matter YAML strictly; raise :class:`YamlProblem` with a line and a fix.

    Lines are 1-based within ``text``, plus ``line_offset`` (where ``text`` starts in its file).

    >>> y = load_front_matter_yaml("title: no\\nid: 0755\\ndate: 2021-02-03\\ntags: [a, ~]\\n")
    >>> y.data
    {'title': 'no', 'id': '0755', 'date': '2021-02-03', 'tags': ['a', None]}
    >>> y.lines["date"]
    3
    """
    loader = StrictLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            fix = "fix the YAML syntax on that line"
            if "\t" in text and ("tab" in str(problem) or "found character" in str(problem)):
                fix = "indent with spaces, not tabs"
            raise YamlProblem(f"YAML syntax error: {problem}", mark.line + 1 + line_offset if mark else None,
                              fix) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"YAML error: {exc}", None, "fix the YAML syntax") from None
        except RecursionError:
            raise YamlProblem("front matter is nested too deeply", None, "flatten the structure") from None
        if node is None:
            return LoadedYaml({}, {})
        walker = _Walker(line_offset)
        if not isinstance(node, MappingNode):
            raise YamlProblem(f"front matter must be a mapping of `key: value` lines, found a {node.id}",
                              walker.line(node), "write one `key: value` per line between the --- lines")
        # Without "&" there is no anchor, so no alias (an alias to an undefined anchor fails to compose); without
        # "!" every tag is the one resolve() gave. Most front matter has neither: a leaner walk then gives the
        # same answer with fewer checks per node.
        data = walker.plain(node) if "&" not in text and "!" not in text else walker.value(node)
        lines = {k.value: walker.line(k) for k, _ in node.value}
        return LoadedYaml(data, lines, walker.keys, walker.longest)
    finally:
        loader.dispose()
