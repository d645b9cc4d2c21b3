"""The fast YAML path gives exactly what the strict loader gives: record by record, on every kind of input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topicgraph.cli import cli
from topicgraph.errors import RecordError
from topicgraph.records import NotARecord, parse_record
from topicgraph.records import yaml_fast
from topicgraph.records.limits import Limits
from topicgraph.records.profile import DEFAULT_PROFILE
from topicgraph.records.yaml_strict import YamlProblem, load_front_matter_yaml

pytestmark = pytest.mark.skipif(yaml_fast.yaml_rs is None, reason="the yaml-rs wheel is not installed")


def outcome(data: bytes, name: str = "r.md", profile=DEFAULT_PROFILE, *, fast: bool) -> tuple:
    """What reading ``data`` gives, with the fast path on or off: the record, or the findings (and the partial
    record) of its error, or the reason it is not a record."""
    saved = yaml_fast.ENABLED
    yaml_fast.ENABLED = fast
    try:
        return ("record", parse_record(data, name, profile=profile))
    except RecordError as exc:
        return ("error", exc.findings, exc.record)
    except NotARecord as exc:
        return ("not a record", str(exc))
    finally:
        yaml_fast.ENABLED = saved


def assert_same(data: bytes, name: str = "r.md", profile=DEFAULT_PROFILE) -> None:
    assert outcome(data, name, profile, fast=True) == outcome(data, name, profile, fast=False), data[:300]


def loaded(text: str, *, fast: bool, limits: Limits = Limits()) -> tuple:
    saved = yaml_fast.ENABLED
    yaml_fast.ENABLED = fast
    try:
        y = yaml_fast.load_front_matter(text, line_offset=2, limits=limits)
        return ("ok", y.data, y.lines, y.keys, y.longest[0])
    except YamlProblem as p:
        return ("problem", p.message, p.line, p.field, p.fix)
    finally:
        yaml_fast.ENABLED = saved


def vouched(text: str) -> bool:
    return yaml_fast.load_fast(text, line_offset=2) is not None


# ---- the fixtures, the seeds and the hostile inputs, whole records

def _files(*roots: str) -> list[Path]:
    return sorted(p for root in roots for p in Path(root).rglob("*") if p.is_file())


@pytest.mark.parametrize("path", _files("seeds", "tests/data"), ids=str)
def test_every_fixture_reads_the_same(path):
    assert_same(path.read_bytes(), path.as_posix())


HOSTILE = {
    "yaml 1.1 scalars": "id: 0777\ntitle: no\nslug: on\nmdName: 1:20\ndate: 2021-02-03\ntags: [yes, off, Y, n]\n",
    "yaml 1.1 words": "id: 12\ntitle: no\nslug: on\nmdName: 1:20\ndate: 2021-02-03\ntags: [yes, off, Y, n]\n",
    "numbers": "id: +5\ntitle: 0x1F\nslug: 1_000\nmdName: -0\nx: [0o7, 0b101, 1e3, .5, .inf, -.NaN, 1.50, 007]\n",
    "numbers that print back": "id: 4463\ntitle: t\nx: [-5, 12345678901234567890123, 800]\n",
    "booleans": "id: 1\ntitle: True\nx: [true, FALSE, false, TRUE]\n",
    "nulls": "id: 1\ntitle: t\nx: [~, null, Null, NULL, '', 'null', \"~\"]\ny:\n",
    "anchors": "id: &a 1\ntitle: *a\n",
    "anchor only": "id: &a 1\ntitle: t\n",
    "billion laughs": "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nid: 1\ntitle: t\n",
    "tags": "id: !!str 1\ntitle: !!binary aGk=\nx: !custom y\n",
    "allowed tag": "id: !!str 0755\ntitle: t\n",
    "duplicate keys": "id: 1\ntitle: a\ntitle: b\n",
    "nested duplicate": "id: 1\ntitle: t\nlink:\n  href: https://a.com/\n  href: https://b.com/\n",
    "int and text keys alike": "id: 1\ntitle: t\nx:\n  1: a\n  '1': b\n",
    "non-text keys": "id: 1\ntitle: t\n1: a\ntrue: b\n~: c\n",
    "complex key": "id: 1\ntitle: t\n? [a, b]\n: c\n",
    "flow mapping at the top": "{id: 1, title: t}\n",
    "list at the top": "- id\n- title\n",
    "scalar at the top": "just text\n",
    "block scalars": "id: 1\ntitle: |\n  line one\n  line two\n\ndescription: >-\n  folded\n  text\n",
    "quoted keys": "'id': 1\n\"title\": t\n",
    "quoted key, value at the colon": "id: 1\ntitle: t\nx: {\"a\":007}\n",
    "escapes": "id: 1\ntitle: \"tab\\there \\u00e9 \\x41 \\N \\_ \\/\"\n",
    "tabs": "id: 1\ntitle:\tt\n",
    "tab in a value": "id: 1\ntitle: a\tb\n",
    "carriage returns": "id: 1\r\ntitle: t\r\n",
    "unicode line breaks": "id: 1\ntitle: a\u2028b\u0085c\n",
    "byte-order mark inside": "id: 1\ntitle: \ufefft\n",
    "control characters": "id: 1\ntitle: a\x07b\n",
    "document markers": "id: 1\n---\ntitle: t\n",
    "document end": "id: 1\n...\ntitle: t\n",
    "directive": "%YAML 1.2\nid: 1\ntitle: t\n",
    "reserved indicators": "id: 1\ntitle: @t\nslug: `x`\n",
    "percent value": "id: 1\ntitle: '%d'\nslug: %x\n",
    "syntax error": "id: 1\ntitle: [unclosed\n",
    "bad indentation": "id: 1\ntitle: t\n  slug: s\n",
    "mapping values not allowed": "id: 1\ntitle: a: b\n",
    "deep nesting": "id: 1\ntitle: t\nx: " + "[" * 60 + "]" * 60 + "\n",
    "nesting near the limit": "id: 1\ntitle: t\nx: " + "[" * 47 + "]" * 47 + "\n",
    "long key": "id: 1\ntitle: t\n" + "k" * 1100 + ": v\n",
    "key of 600 characters": "id: 1\ntitle: t\n" + "k" * 600 + ": v\n",
    "multi-line quoted at column 0": "id: 1\ntitle: \"a\nslug: b\"\n",
    "multi-line plain": "id: 1\ntitle: a\n  b\n   c\ndescription: x\n\n  y\n",
    "comments": "# c\nid: 1 # one\ntitle: t#not a comment\n#slug: s\n",
    "indentless list": "id: 1\ntitle: t\ncommunityTopics:\n- 'Medigy: AI'\n- Gartner: Cloud\n",
    "indentless list with a bad item": "id: 1\ntitle: t\ncommunityTopics:\n-'Medigy: AI'\n",
    "flow collections": "id: 1\ntitle: t\nx: [a, [b, {c: d}], {e: [f]}]\ny: {a: b, c: [1, 2]}\n",
    "flow mapping key over two lines": "id: 1\ntitle: t\nx: {b\n  c: d}\n",
    "quoted flow key over two lines": "id: 1\ntitle: t\nx: {\"b\n  c\": d}\n",
    "flow list over two lines": "id: 1\ntitle: t\nx: [b,\n  c: d]\n",
    "flow list closed on the next line": "id: 1\ntitle: t\nx: [b, c\n  ]\n",
    "flow lists": "id: 1\ntitle: t\nx: [a, [b, c], []]\ny: [1, 2]\n",
    "flow with colons": "id: 1\ntitle: t\nx: [http://a.com/x, a:b, 'c: d']\n",
    "question marks and ampersands": "id: 1\ntitle: Q&A? Is it | A > B & C\nlink:\n  href: https://a.com/?a=1&b=2\n",
    "empty": "",
    "only a comment": "# nothing\n",
    "wrong types": "id: [1, 2]\ntitle: {a: b}\nauthor: {x: y}\ndate: [2021]\ncommunityTopics: 7\n",
    "dates that are not": "id: 1\ntitle: t\ndate: 2021-02-30\nlastMod: '2021-13-01T00:00:00Z'\n",
    "hash-like values": "id: 4463\ntitle: t\nmdName: ab04463cd\n",
    "underscores by digits": "id: 12\ntitle: t\nfile: a_1.jpg\n",
    "radix-like words": "id: 12\ntitle: t\nx: [0xdead, 0b, 0o]\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_front_matter_reads_the_same(name):
    text = HOSTILE[name]
    for body in (f"---\n{text}---\nBody\n", f"\n\n---\n{text}---\n"):
        assert_same(body.encode("utf-8"))
    assert loaded("\n" + text, fast=True) == loaded("\n" + text, fast=False)


def test_the_fast_path_vouches_for_the_usual_and_refuses_the_rest():
    """The cases above the fast path must leave to the strict loader are left to it, and the usual ones are not."""
    for name in ("yaml 1.1 scalars", "anchors", "anchor only", "billion laughs", "tags", "allowed tag", "duplicate keys", "numbers",
                 "booleans", "escapes", "tabs", "carriage returns",
                 "unicode line breaks", "control characters", "document markers", "document end", "directive",
                 "complex key", "block scalars", "quoted keys", "syntax error", "deep nesting", "long key",
                 "multi-line quoted at column 0", "hash-like values", "underscores by digits", "radix-like words",
                 "quoted key, value at the colon", "flow mapping key over two lines", "quoted flow key over two lines",
                 "flow list over two lines"):
        assert not vouched("\n" + HOSTILE[name]), name
    for name in ("numbers that print back", "nulls", "comments", "indentless list", "flow lists",
                 "yaml 1.1 words", "question marks and ampersands", "multi-line plain", "nesting near the limit"):
        assert vouched("\n" + HOSTILE[name]), name


def test_caps_are_left_to_the_strict_loader_for_their_lines():
    text = "\nid: 1\ntitle: t\ntags: [a, b, c, d]\nx:\n  y: 1\n  z: 2\n"
    small = Limits(items=3, keys=4)
    assert yaml_fast.load_fast(text, limits=small) is None
    assert yaml_fast.load_fast(text) is not None
    profile = dataclasses.replace(DEFAULT_PROFILE, limits=small)
    assert_same(f"---{text}---\n".encode(), profile=profile)
    fast, strict = (outcome(f"---{text}---\n".encode(), profile=profile, fast=f) for f in (True, False))
    assert fast == strict and fast[0] == "error" and {f.rule for f in fast[1]} >= {"record.limit.items"}


# ---- generated corpora, record by record

def test_a_generated_corpus_reads_the_same_and_mostly_by_the_fast_path(tmp_path):
    out = tmp_path / "corpus"
    result = CliRunner().invoke(cli, ["generate", str(out), "-n", "400", "--seed", "11"])
    assert result.exit_code == 0, result.output
    files = [p for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    calls = []
    real = yaml_fast.load_fast

    def counting(text, **kw):
        answer = real(text, **kw)
        calls.append(answer is not None)
        return answer

    yaml_fast.load_fast = counting
    try:
        for path in files:
            assert_same(path.read_bytes(), path.relative_to(out).as_posix())
    finally:
        yaml_fast.load_fast = real
    taken = sum(calls)
    assert len(files) >= 400 and len(calls) >= 0.9 * len(files)
    assert taken >= 0.95 * len(calls), f"the fast path read {taken} of {len(calls)} front matters"


# ---- hypothesis: dumped documents and hand-assembled text

scalar_text = st.sampled_from([
    "0", "00", "007", "-0", "+1", "1_0", "0x1F", "0o17", "0b11", "1e3", ".5", "1.50", ".inf", "-.inf", ".NaN",
    "12345678901234567890", "4463", "-17", "true", "True", "TRUE", "false", "FALSE", "yes", "No", "on", "OFF", "y",
    "~", "null", "Null", "NULL", "nULL", "", "2021-02-03", "2021-02-03T09:39:46Z", "1:20", "12:30:00", "a: b", "a:b",
    "#", "a #b", "a#b", "&a", "*a", "!t", "!!str", "? x", "| x", "> x", "@x", "`x`", "%x", "-", "- x", "--- x", "...",
    "[a]", "{a: b}", "a, b", "'q'", "\"q\"", "it's", "\\", "\t", "\u2028", "\x85", "\ufeff", "\x07", "é", "日本",
    "https://a.com/?a=1&b=2", "Medigy: AI", "a | b", "a > b", "C++", "50%", "x_1", "1_x", "1.0.0", "v0755",
])
words = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r"), max_size=12)
plain_key = st.from_regex(r"[a-zA-Z][a-zA-Z0-9_]{0,8}", fullmatch=True)


def _quoted(value: str, style: str) -> str:
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


atom = st.builds(_quoted, scalar_text | words, st.sampled_from(["", "", "'", '"']))
flow = st.lists(atom, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
value_text = atom | flow | st.lists(atom, min_size=1, max_size=3).map(" ".join)


@st.composite
def front_matter_text(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 7))):
        key = draw(plain_key | atom)
        shape = draw(st.sampled_from(["scalar", "scalar", "list", "indentless", "mapping", "raw"]))
        if shape == "scalar":
            lines.append(f"{key}: {draw(value_text)}")
        elif shape in ("list", "indentless"):
            pad = "  " if shape == "list" else ""
            lines.append(f"{key}:")
            lines += [f"{pad}- {draw(value_text)}" for _ in range(draw(st.integers(0, 3)))]
        elif shape == "mapping":
            lines.append(f"{key}:")
            lines += [f"  {draw(plain_key)}: {draw(value_text)}" for _ in range(draw(st.integers(1, 3)))]
        else:
            lines.append(draw(words | scalar_text))
    return "\n" + "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\n# end\n"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_text())
def test_hand_assembled_yaml_loads_the_same(text):
    assert loaded(text, fast=True) == loaded(text, fast=False)


yaml_keys = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12)
yaml_scalars = st.one_of(words, st.integers(), st.booleans(), st.none(), st.floats(), scalar_text)
yaml_values = st.recursive(yaml_scalars, lambda kids: st.lists(kids, max_size=4)
                           | st.dictionaries(yaml_keys, kids, max_size=4), max_leaves=16)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(yaml_keys | plain_key, yaml_values, min_size=1, max_size=8), st.booleans(), st.booleans())
def test_dumped_yaml_loads_the_same(doc, flow_style, allow_unicode):
    text = "\n" + yaml.safe_dump(doc, allow_unicode=allow_unicode, default_flow_style=flow_style, sort_keys=False)
    assert loaded(text, fast=True) == loaded(text, fast=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_text())
def test_hand_assembled_records_read_the_same(text):
    data = ("---" + text.rstrip("\n") + "\nid: 7\ntitle: t\n---\nBody\n").encode("utf-8")
    assert_same(data)


def test_without_the_wheel_every_front_matter_goes_the_strict_way(monkeypatch):
    monkeypatch.setattr(yaml_fast, "yaml_rs", None)
    assert yaml_fast.load_fast("\nid: 1\ntitle: t\n") is None
    text = "\nid: 1\ntitle: t\n"
    assert yaml_fast.load_front_matter(text).data == load_front_matter_yaml(text).data == {"id": "1", "title": "t"}


def test_the_strict_path_alone_when_switched_off(monkeypatch):
    calls = []
    monkeypatch.setattr(yaml_fast, "ENABLED", False)
    monkeypatch.setattr(yaml_fast, "load_fast", lambda *a, **k: calls.append(1))
    assert parse_record(b"---\nid: 1\ntitle: t\n---\n", "a.md").id == "1"
    assert calls == []


# ---- a seeded stream of record-like front matter: most of it vouched for, all of it the same both ways

_TAME = "abcdefghijklmnop qrstuvwxyz ABC 0123456789 éü日 .,:;-_/'\"#?&!|>[]{}()%@*+~"


def _tame_text(rng) -> str:
    n = rng.choice((1, 3, 8, 20))
    return "".join(rng.choice(_TAME[:50]) if rng.random() < 0.9 else rng.choice(_TAME) for _ in range(n))


def _tame_value(rng, depth: int = 0) -> str:
    roll = rng.random()
    if roll < 0.15:
        return str(rng.choice((0, 7, 42, 800, 4463, -3, 10**20, rng.randrange(10**6))))
    if roll < 0.2:
        return rng.choice(("true", "false", "~", "null", "", "yes", "no", "1.5", "0755", "2021-02-03", "1:20"))
    if roll < 0.3 and depth < 2:
        return "[" + ", ".join(_tame_value(rng, depth + 1) for _ in range(rng.randrange(4))) + "]"
    if roll < 0.33 and depth < 2:  # a flow over two lines, with a key in it at times
        sep = rng.choice((",\n  ", "\n  ", ": ", ",\n  k: "))
        opener, closer = rng.choice((("[", "]"), ("{", "}")))
        return opener + _tame_value(rng, depth + 1) + sep + _tame_value(rng, depth + 1) + closer
    text = _tame_text(rng)
    quote = rng.choice(("", "'", '"'))
    return _quoted(text, quote) if quote else text


def _tame_front_matter(rng) -> str:
    lines = []
    for k in range(rng.randrange(1, 10)):
        key = rng.choice(("id", "title", "tags", "link", "x", "y", "date", "description")) + str(k)
        shape = rng.random()
        if shape < 0.6:
            lines.append(f"{key}: {_tame_value(rng)}")
        elif shape < 0.8:
            pad = rng.choice(("", "  "))
            lines.append(f"{key}:")
            lines += [f"{pad}- {_tame_value(rng)}" for _ in range(rng.randrange(4))]
        else:
            lines.append(f"{key}:")
            lines += [f"  k{j}: {_tame_value(rng)}" for j in range(rng.randrange(1, 4))]
    return "\n" + "\n".join(lines) + "\n"


def test_a_stream_of_record_like_front_matter_loads_the_same():
    import random

    rng = random.Random(21)
    same = vouched_count = parsed = 0
    for _ in range(3000):
        text = _tame_front_matter(rng)
        fast, strict = loaded(text, fast=True), loaded(text, fast=False)
        assert fast == strict, text
        same += 1
        parsed += strict[0] == "ok"
        vouched_count += vouched(text)
    # the comparison is worth something only if the fast path read a good share of them
    assert parsed > 1500 and vouched_count > 600, (parsed, vouched_count)
