"""The mapper's parsed statements (``Mapper(..., triples=typed_literal)``, what ``validate`` uses) are exactly what
``validation.record_graph.own_triples`` reads back from the N-Quads: on the seeds, every record fixture, the documented
examples and records with escapes, typed literals and odd characters (U+2028 and friends too: statements end at
``\n`` only); and a record the mapper cannot hand over that way (a literal that is not a ``str``) takes the slow
way."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from topicgraph.errors import RecordError
from topicgraph.iris import IriMinter
from topicgraph.mapping import Mapper
from topicgraph.records import DEFAULT_PROFILE, NotARecord, load_profile, parse_record
from topicgraph.records.model import DateValue
from topicgraph.taxonomy import load_taxonomy
from topicgraph.shacl import typed_literal
from topicgraph.validation.context import Context
from topicgraph.validation.files import check_files
from topicgraph.validation.record_graph import own_triples as _own_triples

from .conftest import DATA, ROOT, SEEDS

TAXONOMY = load_taxonomy()
PLAIN = Mapper(IriMinter(), TAXONOMY)
PARSED = Mapper(IriMinter(), TAXONOMY, triples=typed_literal)


def _record_files() -> list[tuple[object, object]]:
    """(path, profile) of every record file of the seeds, the test fixtures and the documented examples."""
    out = [(p, DEFAULT_PROFILE) for p in sorted(SEEDS.iterdir()) if p.is_file()]
    out += [(p, DEFAULT_PROFILE) for p in sorted(DATA.rglob("*"))
            if p.is_file() and p.suffix in (".md", ".txt", ".markdown")]
    examples = ROOT / "docs" / "examples"
    if examples.is_dir():
        for ex in sorted(examples.iterdir()):
            profile = load_profile(ex / "profile.toml") if (ex / "profile.toml").exists() else DEFAULT_PROFILE
            out += [(p, profile) for p in sorted(ex.rglob("*")) if p.is_file() and p.suffix in (".md", ".txt")]
    return out


def _records() -> list:
    recs = []
    for path, profile in _record_files():
        try:
            recs.append(parse_record(path.read_bytes(), str(path.relative_to(ROOT)), profile=profile))
        except (RecordError, NotARecord):
            pass
    return recs


def _same(rec) -> bool:
    """Assert both mappers agree on ``rec`` and the parsed statements are _own_triples' (in the same order);
    True when the mapper handed them over, False when it left them to the slow way."""
    plain, parsed = PLAIN.map(rec), PARSED.map(rec)
    assert plain.own is None
    assert parsed.nquads == plain.nquads
    assert parsed.triples == plain.triples and parsed.entities == plain.entities and parsed.about == plain.about
    want = _own_triples(parsed.nquads)
    if parsed.own is None:
        return False
    assert want[0] is not None
    assert parsed.own[0] == want[0]
    assert repr(parsed.own[0]) == repr(want[0])  # same order of subjects, predicates and objects
    assert parsed.own[1] == want[1]
    return True


def test_every_record_fixture_is_handed_over_parsed_and_equal():
    recs = _records()
    assert len(recs) >= 20
    assert all(_same(rec) for rec in recs)


def _seed():
    return parse_record((SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]).read_bytes(), "seed.md")


@pytest.mark.parametrize("changes", [
    {"title": 'say "hi" \\ back\\slash \t tab \n newline \r cr \x01 \x1c \x7f'},
    {"title": "émoji 😀 ünïcödé \u00a0 nbsp \ufeff bom \U0010ffff", "body": "中文 \u200b zero width"},
    {"tags": ["a", "a", "b \"q\"", "c\\d"], "categories": ["x", "x"], "aliases": ["/a/", "/a/"]},
    {"date": DateValue("2021-02-03T09:39:46.000000Z", "dateTime"),  # rdflib drops the zero fraction
     "last_mod": DateValue("2021-02-03", "date")},
    {"date": DateValue("2021-02-30", "date")},  # no such day: rdflib decides
    {"date": DateValue("2021-02-03T09:39:46.123Z", "dateTime"), "last_mod": DateValue("0999-01-01", "date")},
    {"extra": {"k": ["v", {"n": "1"}], "q": 'a "b" \\ c'}},  # rdf:JSON, a datatype rdflib does not interpret
    {"size": 10 ** 30},  # an xsd:integer past what the quick check takes
    {"title": "line\u2028separator"}, {"body": "next\x85line"}, {"description": "para\u2029graph \x0b \x0c \x1c"},
    {"extra": {"k": "v\u2028w\x85"}},  # json.dumps(ensure_ascii=False) keeps U+2028 as it is
])
def test_escapes_typed_literals_and_unusual_characters(changes):
    assert _same(dataclasses.replace(_seed(), **changes))


def test_what_the_reader_cannot_take_goes_the_slow_way():
    rec = dataclasses.replace(_seed(), title=7)  # not a str: literal() writes it bare, which no reader takes
    assert _same(rec) is False
    assert _own_triples(PARSED.map(rec).nquads)[0] is None  # and the reader gives up too: pyshacl decides


def test_a_line_separator_in_a_real_record_is_checked_not_a_crash(tmp_path):
    """U+2028 in the front matter stays in the rdf:JSON literal as it is: the record's statements are still read
    whole (they used to be cut at it, and pyshacl then failed to parse the graph), by the screen and by pyshacl."""
    data = b'---\nid: odd\ntitle: T\nextra: {"k": "v\\u2028w"}\n---\nbody\n'
    rec = parse_record(data, "odd.md")
    assert "\u2028" in PARSED.map(rec).nquads
    assert _same(rec) is True
    path = tmp_path / "odd.md"
    path.write_bytes(data)
    screened = Context.create()
    unscreened = Context.create()
    unscreened.shapes = copy.copy(unscreened.shapes)  # Shapes.load shares one per process: change a copy
    unscreened.shapes.screen = None  # every graph to pyshacl, as N-Triples text
    assert screened.shapes.screen is not None
    want = check_files([(str(path), "odd.md")], screened)
    assert want == check_files([(str(path), "odd.md")], unscreened)
    assert want[0]["kind"] == "record" and want[0]["findings"] == []


def test_validation_gives_the_same_summaries_either_way():
    """check_files with the mapper handing over its statements, and with the N-Quads read back (the slow way for
    every record): the same summaries, on every record fixture and a few odd records."""
    items = [(str(p), str(p.relative_to(ROOT))) for p, profile in _record_files() if profile is DEFAULT_PROFILE]
    fast = Context.create()
    slow = Context.create()
    slow.mapper = Mapper(IriMinter(), slow.taxonomy)
    assert fast.mapper.typed_node is typed_literal and slow.mapper.typed_node is None
    assert check_files(items, fast) == check_files(items, slow)
