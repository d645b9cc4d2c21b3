"""Front matter read by a compiled YAML parser where its answer is provably the strict loader's, else strictly.

The strict loader (:mod:`.yaml_strict`) composes libyaml's node tree and walks it in Python: most of the time a
record takes to read. ``yaml_rs`` (a Rust YAML 1.2 parser, from its PyPI wheel) parses a seed-format front matter
about seven times faster, but it reads YAML 1.2's core schema: ``4463`` comes back as an int, ``true`` as a bool,
``1.50`` as a float, aliases are expanded, and its errors carry no line we can report. So the fast path is taken
only for text it can vouch for, and every value it gives back is turned into the text the strict loader keeps:

- the text holds no tab, backslash, carriage return, control or Unicode line-break character (where libyaml and
  the YAML 1.2 parser read escapes and line breaks differently), and where a node may start, no anchor, alias or
  tag, no directive, no complex key, no block scalar, no reserved indicator, no colon; no colon right before
  ``]``, ``,`` or ``}``, no ``{``, no ``[`` left open at the end of its line (the two parsers read colons and
  keys over several lines differently inside a flow collection);
- the parse succeeds (a duplicate key, a syntax error: the strict loader says where), gives a mapping whose keys
  are all text, whose scalars are text, null, an int or a bool, never a float; it is nested less deeply and holds
  fewer keys and list items than the caps;
- an int's text is ``str(value)``: the text holds no spelling of it with a sign ``+`` or a leading zero
  (``0755``, ``-0``), no ``0x``/``0o``/``0b`` number where a node may start, no ``_`` beside a digit; a bool is
  written ``true``/``false``: the text holds no ``True``/``TRUE`` (``False``/``FALSE``);
- each top-level key starts a line of its own at column 0, in order, and every other line at column 0 is blank, a
  comment or a list item (``- x``): those lines give the keys' line numbers (a document marker fails this).

Anything else goes to the strict loader, which gives the same answer it always did (or the error, with its line).
Without the ``yaml_rs`` wheel every front matter goes there. ``tests/test_fast_yaml*.py`` compare the two paths
record by record on the fixtures, the hostile inputs, generated corpora and hypothesis-generated YAML.
"""

from __future__ import annotations

import re

from .limits import DEFAULT_LIMITS, Limits
from .yaml_strict import LoadedYaml, load_front_matter_yaml

try:  # a compiled wheel: optional, the strict path alone gives the same answers
    import yaml_rs
except ImportError:  # pragma: no cover - exercised by the tests with ENABLED switched off
    yaml_rs = None

__all__ = ["load_front_matter", "load_fast", "ENABLED"]

#: whether the fast path is tried at all (tests switch it off to compare the two paths)
ENABLED = yaml_rs is not None

#: characters where libyaml and the YAML 1.2 parser may read a text differently: tabs, carriage returns, control
#: characters, Unicode line breaks (``\x85``, U+2028, U+2029) and byte-order marks
_ODD_CHARS = re.compile(r"[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_ODD_ASCII = bytes(range(0x09)) + bytes(range(0x0b, 0x0d)) + bytes(range(0x0e, 0x20)) + b"\x7f\t\r\\"
#: indicators that change what a node is when they start it: an anchor, an alias, a tag, a complex key, a block
#: scalar, a directive or a reserved indicator
_NODE_INDICATORS = "&*!?|>%@`:"
#: a colon right before a flow indicator: libyaml refuses it inside a flow collection (``[CA:]``), the YAML 1.2
#: parser reads a mapping
_COLON_IN_FLOW = (":]", ":,", ":}")
#: what stands right before a node's first character: indentation, a separating space, a flow indicator, or the
#: colon right after a quoted key
_BEFORE_NODE = frozenset(" \n[{,:")
_RADIX_PREFIXES = ("0x", "0X", "0o", "0O", "0b", "0B")
_DIGITS = frozenset("0123456789")
#: what may not start a plain top-level key the fast path vouches for (a quoted key, a flow, an indicator)
_KEY_FIRST = frozenset("'\"[]{},&*!|>%@`?:-#. ")
#: nesting at which the strict loader's own limit (50) gets near: left to it, which says where
_DEPTH = 48
#: a key longer than this may be refused by libyaml (a simple key is at most 1024 characters): left to it
_KEY_CHARS = 512


class _Unsure(Exception):
    """The parsed value holds something whose strict reading the fast path cannot vouch for."""


def load_front_matter(text: str, *, line_offset: int = 0, limits: Limits = DEFAULT_LIMITS) -> LoadedYaml:
    """The strict loader's answer for ``text`` (:func:`~.yaml_strict.load_front_matter_yaml`), by the fast path
    when it vouches for the text, else by the strict loader itself (which raises its ``YamlProblem``).

    >>> y = load_front_matter("\\nid: 4463\\nvalid: true\\ntags: [a, ~]\\nsize: [800, 445]\\n")
    >>> y.data
    {'id': '4463', 'valid': 'true', 'tags': ['a', None], 'size': ['800', '445']}
    >>> y.lines
    {'id': 2, 'valid': 3, 'tags': 4, 'size': 5}
    """
    if ENABLED:
        loaded = load_fast(text, line_offset=line_offset, limits=limits)
        if loaded is not None:
            return loaded
    return load_front_matter_yaml(text, line_offset=line_offset)


def load_fast(text: str, *, line_offset: int = 0, limits: Limits = DEFAULT_LIMITS) -> LoadedYaml | None:
    """The strict loader's answer by the compiled parser, or None when the fast path does not vouch for it."""
    if yaml_rs is None or not _vouch_text(text):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 - any failure of the fast parser is the strict loader's to report
        return None
    if type(data) is not dict:  # empty, a list, a scalar: rare, and the strict loader words the error
        return None
    lines = _key_lines(text, line_offset)
    if lines is None or len(lines) != len(data) or list(lines) != list(data):
        return None  # a key written otherwise (quoted, continued, inside a quoted value at column 0)
    seen: set = set()  # the ints and bools the parse gave
    stats = [0, 0]  # keys at every level, items in the longest list
    try:
        _mapping(data, 0, stats, seen)
    except _Unsure:
        return None
    if seen and not _vouch_values(text, seen):
        return None
    if stats[0] > limits.keys or stats[1] > limits.items:
        return None  # the strict loader gives the lines the findings need
    return LoadedYaml(data, lines, stats[0], (stats[1], None))


def _key_lines(text: str, line_offset: int) -> dict[str, int] | None:
    """The line of each key written at column 0, or None when a line at column 0 is neither such a key nor
    blank, a comment or a list item."""
    lines: dict[str, int] = {}
    row = line_offset
    for line in text.split("\n"):
        row += 1
        first = line[:1]
        if not first or first == " " or first == "#" or (first == "-" and line[1:2] in ("", " ")):
            continue  # blank, indented, a comment, or an item of a list under the key above (`- x` at column 0)
        if first in _KEY_FIRST:
            return None
        end = line.find(": ")
        if end < 0:
            if line[-1] != ":":
                return None
            end = len(line) - 1
        key = line[:end].rstrip(" ")
        if " #" in key:
            return None
        lines[key] = row
    return lines


def _node_start(text: str, i: int) -> bool:
    """Whether a node may start at ``text[i]``: at a line's first character (after indentation), after
    ``: ``, ``- `` or ``? ``, after ``[``, ``{`` or ``,`` (and spaces), or right after a quoted key's colon."""
    j = i
    while j and text[j - 1] == " ":
        j -= 1
    if not j:
        return True
    before = text[j - 1]
    if before in "\n[{,":
        return True
    if before in ":?-":
        return j < i or (before == ":" and j >= 2 and text[j - 2] in "'\"]}")
    return False


def _vouch_text(text: str) -> bool:
    """Whether ``text`` holds none of the characters and node-starting indicators the fast path leaves to the
    strict loader (the module's docstring). Each test a scan at C speed; Python looks only at a rare indicator."""
    if text.isascii():
        raw = text.encode("ascii")
        if len(raw.translate(None, _ODD_ASCII)) != len(raw):
            return False
    elif "\\" in text or (not text.replace("\n", " ").isprintable() and _ODD_CHARS.search(text)):
        return False
    if any(pair in text for pair in _COLON_IN_FLOW):
        return False
    # a flow collection over several lines: libyaml refuses an implicit key that spans lines (``{b\n  c: d}``),
    # the YAML 1.2 parser joins it; flow mappings are rare in front matter, and a flow list stays on its line
    if "{" in text:
        return False
    i = text.find("[")
    while i >= 0:
        end = text.find("\n", i)
        line = text[i:] if end < 0 else text[i:end]
        if line.count("[") != line.count("]"):
            return False
        if end < 0:
            break
        i = text.find("[", end)
    for c in _NODE_INDICATORS:
        i = text.find(c)
        while i >= 0:
            # most indicators stand inside a word or a URL: the character before rules them out at once
            if (not i or text[i - 1] in _BEFORE_NODE) and _node_start(text, i):
                return False
            i = text.find(c, i + 1)
    return True


def _vouch_values(text: str, seen: set) -> bool:
    """Whether none of the ints and bools the parse gave can have been written otherwise than the strict loader's
    text for them: see the module's docstring. A string that merely contains such a spelling (a hash holding
    ``04463``) sends the record to the strict loader: time, never a difference."""
    ints = False
    for value in seen:
        if value is True:
            if "True" in text or "TRUE" in text:
                return False
            continue
        if value is False:
            if "False" in text or "FALSE" in text:
                return False
            continue
        ints = True
        digits = str(abs(value))
        if digits not in text or "0" + digits in text or "+" + digits in text or (value == 0 and "-0" in text):
            return False
    if not ints:
        return True
    for prefix in _RADIX_PREFIXES:
        i = text.find(prefix)
        while i >= 0:
            if _node_start(text, i - 1 if i and text[i - 1] in "+-" else i):
                return False
            i = text.find(prefix, i + 1)
    i = text.find("_")
    while i >= 0:
        if text[i - 1:i] in _DIGITS or text[i + 1:i + 2] in _DIGITS:
            return False
        i = text.find("_", i + 1)
    return True


def _scalar(value: object, seen: set) -> str:
    cls = value.__class__
    if cls is bool:
        seen.add(value)
        return "true" if value else "false"
    if cls is int:
        seen.add(value)
        try:
            return str(value)
        except ValueError:  # more digits than Python prints
            raise _Unsure from None
    raise _Unsure  # a float (its text is lost), or a type only tags give


def _mapping(node: dict, depth: int, stats: list[int], seen: set) -> None:
    """Turn ``node`` into the strict reading in place, counting its keys and lists."""
    if depth >= _DEPTH:
        raise _Unsure
    stats[0] += len(node)
    for key, value in node.items():
        if key.__class__ is not str or len(key) > _KEY_CHARS:
            raise _Unsure
        cls = value.__class__
        if cls is str or value is None:
            continue
        if cls is dict:
            _mapping(value, depth + 1, stats, seen)
        elif cls is list:
            _sequence(value, depth + 1, stats, seen)
        else:
            node[key] = _scalar(value, seen)


def _sequence(node: list, depth: int, stats: list[int], seen: set) -> None:
    if depth >= _DEPTH:
        raise _Unsure
    if len(node) > stats[1]:
        stats[1] = len(node)
    for i, value in enumerate(node):
        cls = value.__class__
        if cls is str or value is None:
            continue
        if cls is dict:
            _mapping(value, depth + 1, stats, seen)
        elif cls is list:
            _sequence(value, depth + 1, stats, seen)
        else:
            node[i] = _scalar(value, seen)
