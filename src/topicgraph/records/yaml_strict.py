"""A strict, safe YAML loader for front matter: no silent surprises.

PyYAML's ``SafeLoader`` follows YAML 1.1, which turns ``no`` into ``False``, ``0755`` into ``493`` and
``2021-02-03`` into a ``date``; it keeps the last of two duplicate keys without a word; and it expands aliases,
which a "billion laughs" document abuses. This loader keeps every plain scalar as the text that was written
(fields are converted by the record reader, which knows what each field should be), refuses duplicate keys and
aliases, and remembers the line of every top-level key.
"""

from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode

__all__ = ["StrictLoader", "LoadedYaml", "load_front_matter_yaml", "YamlProblem"]


class YamlProblem(Exception):
    """A front-matter problem with the 1-based line (within the YAML text) where it was found."""

    def __init__(self, message: str, line: int | None, fix: str, field: str | None = None) -> None:
        # lines are raised relative to the YAML text; load_front_matter_yaml adds the offset once
        super().__init__(message)
        self.message = message
        self.line = line
        self.fix = fix
        self.field = field


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: several times faster


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loading with only ``null`` resolved implicitly; every other plain scalar stays a string."""

    yaml_implicit_resolvers: dict = {}

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, f"expected a mapping, found {node.id}", node.start_mark)
        seen: dict = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem("a mapping key must be plain text", key_node.start_mark.line + 1,
                                  "use a simple word as the key")
            k = key_node.value
            if k in seen:
                raise YamlProblem(
                    f"duplicate key {k!r} (first on line {seen[k] + 1})",
                    key_node.start_mark.line + 1,
                    f"keep one {k!r} line and delete the other",
                    field=k,
                )
            seen[k] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


# null stays null: an empty value is "not given", which is what a curator means by it
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:null", __import__("re").compile(r"^(?:~|null|Null|NULL|)$"),
                                   ["~", "n", "N", ""])


def _refuse_aliases(root) -> None:
    """An alias makes two places share one node; refuse it, which also defuses "billion laughs" documents."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise YamlProblem(
                "YAML aliases (&anchor / *alias) are not allowed in front matter",
                node.start_mark.line + 1,
                "write the value out in full instead of using &anchor / *alias",
            )
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        elif not isinstance(node, ScalarNode):
            stack.extend(node.value)


class LoadedYaml:
    """The mapping of a front matter block and the line (1-based, in the YAML text) of each top-level key."""

    def __init__(self, data: dict, lines: dict[str, int]) -> None:
        self.data = data
        self.lines = lines


def load_front_matter_yaml(text: str, *, line_offset: int = 0) -> LoadedYaml:
    """Parse front-matter YAML strictly; raise :class:`YamlProblem` with a line and a fix.

    Lines are 1-based within ``text``, plus ``line_offset`` (where ``text`` starts in its file).

    >>> y = load_front_matter_yaml("title: no\\nid: 0755\\ndate: 2021-02-03\\n")
    >>> y.data
    {'title': 'no', 'id': '0755', 'date': '2021-02-03'}
    >>> y.lines["date"]
    3
    """
    loader = StrictLoader(text)
    loader.line_offset = line_offset
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            fix = "fix the YAML syntax on that line"
            if "\t" in text and ("tab" in str(problem) or "found character" in str(problem)):
                fix = "indent with spaces, not tabs"
            raise YamlProblem(f"YAML syntax error: {problem}", mark.line + 1 if mark else None, fix) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"YAML error: {exc}", None, "fix the YAML syntax") from None
        if node is None:
            return LoadedYaml({}, {})
        _refuse_aliases(node)
        if not isinstance(node, MappingNode):
            raise YamlProblem(
                f"front matter must be a mapping of `key: value` lines, found a {node.id}",
                node.start_mark.line + 1,
                "write one `key: value` per line between the --- lines",
            )
        try:
            data = loader.construct_document(node)
        except ConstructorError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise YamlProblem(
                f"YAML tag not allowed: {exc.problem}",
                mark.line + 1 if mark else None,
                "remove the !!tag; front matter holds plain text, lists and mappings only",
            ) from None
        except RecursionError:
            raise YamlProblem("front matter is nested too deeply", None, "flatten the structure") from None
        lines = {str(k.value): k.start_mark.line + 1 + line_offset for k, _ in node.value}
        return LoadedYaml(data, lines)
    except RecursionError:
        raise YamlProblem("front matter is nested too deeply", None, "flatten the structure") from None
    except YamlProblem as problem:
        if problem.line is not None:
            problem.line += line_offset
        problem.message = problem.message.replace("(first on line ", "(first on line +")
        if "(first on line +" in problem.message:
            first = int(problem.message.split("(first on line +")[1].split(")")[0])
            problem.message = problem.message.replace(f"(first on line +{first})", f"(first on line {first + line_offset})")
        raise
    finally:
        loader.dispose()
