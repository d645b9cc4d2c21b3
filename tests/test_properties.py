"""Property-based: arbitrary front matter either maps to RDF that independent parsers accept, or is reported."""

from __future__ import annotations

import re

import pyoxigraph
import rdflib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topicgraph.errors import RecordError, Severity
from topicgraph.iris import IriMinter, key
from topicgraph.mapping import Mapper, count_mentions, entity_nquads
from topicgraph.records import NotARecord, parse_record
from topicgraph.taxonomy import load_taxonomy

MAPPER = Mapper(IriMinter(), load_taxonomy())
STATS = {"mapped": 0, "entities": 0}
FIELDS = ["id", "title", "description", "author", "authors", "date", "lastMod", "link", "communityTopics", "tags",
          "categories", "slug", "aliases", "mdName", "featuredImage", "identifier", "mastHead", "type", "source",
          "breadcrumbs", "extra"]

text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
scalars = st.one_of(text, st.integers(), st.booleans(), st.none(), st.dates().map(str),
                    st.sampled_from(["no", "yes", "0755", "~", "2021-02-30", "javascript:x", "https://e.com/a b",
                                     "Medigy: Telehealth", ": x", "Vendor:", "<script>", "a\nb"]))
values = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(text, kids, max_size=4),
                      max_leaves=12)
link = st.fixed_dictionaries({}, optional={"brand": values, "href": values, "original": values})
nonempty = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(
    lambda t: t.strip())
topic = st.one_of(st.builds(lambda v, l: f"{v}: {l}", nonempty, nonempty), values)
# mostly plausible records (so the mapper sees many), with any field at times replaced by anything at all
def mostly(good, bad=values):
    """``good`` nine times in ten, anything at all otherwise (one_of's branches are not drawn evenly)."""
    return st.integers(0, 9).flatmap(lambda i: good if i else bad)


good_link = st.fixed_dictionaries({"brand": st.from_regex(r"[a-z]{1,10}\.(com|org)", fullmatch=True),
                                   "href": st.builds(lambda p: f"https://example.com/{p}",
                                                     st.from_regex(r"[a-z0-9/_-]{0,20}", fullmatch=True))})
plausible = st.fixed_dictionaries(
    {"id": mostly(nonempty), "title": mostly(nonempty)},
    optional={"author": st.lists(mostly(nonempty), max_size=3), "communityTopics": st.lists(mostly(topic), max_size=4),
              "tags": st.lists(nonempty, max_size=3), "date": mostly(st.dates().map(str)),
              "link": mostly(good_link, link), "description": values, "featuredImage": values,
              "identifier": mostly(nonempty)})
front_matter = st.one_of(plausible, plausible, plausible,
                         st.dictionaries(st.sampled_from(FIELDS), values, max_size=10))


def check_maps_or_reports(data: bytes) -> None:
    try:
        rec = parse_record(data, "prop.md")
    except RecordError as exc:
        assert exc.findings and any(f.severity >= Severity.ERROR for f in exc.findings)
        assert all(f.file == "prop.md" and f.message and f.rule for f in exc.findings)
        return
    except NotARecord:
        return
    mapped = MAPPER.map(rec)
    entities: dict = {}
    count_mentions(entities, mapped.entities)
    nquads = mapped.nquads + entity_nquads(entities, IriMinter().entities_graph)
    STATS["mapped"] += 1
    STATS["entities"] += len(entities)
    quads = list(pyoxigraph.parse(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
    ds = rdflib.Dataset()
    ds.parse(data=nquads, format="nquads")
    assert len(quads) == len(list(ds.quads((None, None, None, None))))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter)
def test_arbitrary_front_matter(fm):
    dumped = yaml.safe_dump(fm, allow_unicode=True, sort_keys=False)
    check_maps_or_reports(f"---\n{dumped}---\nbody <b>text</b>\n".encode("utf-8"))


def test_generated_records_do_reach_the_mapper():
    """Runs after the property tests above (file order): they must not all have been rejected."""
    assert STATS["mapped"] > 20 and STATS["entities"] > 20, STATS


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data):
    check_maps_or_reports(data)
    check_maps_or_reports(b"---\n" + data + b"\n---\n")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_key_is_always_a_valid_iri_segment(s):
    segment = key(s)
    pyoxigraph.NamedNode("https://example.org/" + segment)
    assert re.fullmatch(r"(?:[a-z0-9.~-]|%[0-9A-F]{2})+", segment), segment
    assert segment.strip(".")  # never "." or "..", which would navigate the path


# ---- the fast paths of the reader give exactly what the careful paths give
html_piece = st.sampled_from(["<p>", "</p>", "<br/>", "<br>", "<B>", "</i>", "<div >", "</DIV>", "<li>", "<span>",
                              "<script>", "</script>", "<style>", "<p class='x'>", "<!-- c -->", "&amp;", "&nbsp;",
                              "<", ">", "a < b", " ", "\n", "\n\n", "\xa0", "\t", "word", "Second line.", "é"])


@settings(max_examples=500, deadline=None)
@given(st.lists(html_piece | text, max_size=25).map("".join))
def test_html_fast_path_matches_the_parser(html):
    from topicgraph.records.text import _parsed_html_to_text, html_to_text

    assert html_to_text(html) == _parsed_html_to_text(html)


yaml_keys = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12)
yaml_values = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(yaml_keys, kids,
                                                                                            max_size=4),
                           max_leaves=16)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(yaml_keys, yaml_values, min_size=1, max_size=8), st.booleans())
def test_plain_yaml_walk_matches_the_careful_walk(doc, flow):
    """The lean walk (no anchors, no tags in the text) and the careful one agree on data, lines and problems."""
    from topicgraph.records.yaml_strict import StrictLoader, YamlProblem, _Walker

    dumped = yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow)
    if "&" in dumped or "!" in dumped:
        return
    answers = []
    for walk in ("plain", "value"):
        loader = StrictLoader(dumped)
        try:
            node = loader.get_single_node()
            try:
                answers.append(("ok", getattr(_Walker(3), walk)(node)))
            except YamlProblem as p:
                answers.append(("problem", p.message, p.line, p.field))
        finally:
            loader.dispose()
    assert answers[0] == answers[1]


def test_plain_yaml_walk_keeps_the_nesting_limit_and_duplicate_lines():
    from topicgraph.records.yaml_strict import YamlProblem, load_front_matter_yaml

    deep = "a: " + "[" * 60 + "]" * 60 + "\n"
    try:
        load_front_matter_yaml(deep)
    except YamlProblem as p:
        assert "nested too deeply" in p.message
    else:
        raise AssertionError("60 levels of nesting were accepted")
    try:
        load_front_matter_yaml("a: 1\nb:\n  c: 2\n  c: 3\n", line_offset=1)
    except YamlProblem as p:
        assert (p.message, p.line, p.field) == ("duplicate key 'c' (first on line 4)", 5, "c")
    else:
        raise AssertionError("a duplicate key was accepted")
