"""Bad input: every broken record is skipped with a one-line reason, the good ones map, the RDF stays valid."""

from __future__ import annotations

import shutil

import pyoxigraph
import pytest
import rdflib
from click.testing import CliRunner

import topicgraph
from topicgraph.cli import cli

from .conftest import DATA

BAD = DATA / "bad"

# file -> (status, rule or reason fragment, line, field)
EXPECTED = {
    "yaml-syntax.md": ("skipped", "record.yaml", 4, None),
    "tabs.md": ("skipped", "record.yaml", 5, None),
    "unclosed.md": ("skipped", "record.front-matter", 1, None),
    "duplicate-keys.md": ("skipped", "record.yaml", 4, "title"),
    "alias-bomb.md": ("skipped", "record.yaml", 4, None),
    "python-tag.md": ("skipped", "record.yaml", 3, None),
    "latin1.md": ("skipped", "record.encoding", 3, None),
    "utf16.md": ("skipped", "record.encoding", 1, None),
    "bom.md": ("mapped", None, None, None),
    "binary.png": ("skipped", "not a record: binary file", None, None),
    "empty.md": ("skipped", "record.empty", None, None),
    "whitespace.md": ("skipped", "record.empty", None, None),
    "title-list.md": ("skipped", "record.title.type", 3, "title"),
    "topics-mapping.md": ("skipped", "record.topics.type", 9, "communityTopics"),
    "author-mapping.md": ("skipped", "record.authors.type", 4, "author"),
    "date-number.md": ("skipped", "record.date.date", 5, "date"),
    "date-impossible.md": ("skipped", "record.date.date", 5, "date"),
    "topic-no-vendor.md": ("skipped", "record.topics.vendor", 9, "communityTopics[0]"),
    "topic-empty.md": ("skipped", "record.topics.empty", 9, "communityTopics"),
    "href-not-url.md": ("skipped", "record.link.url", 6, "link.href"),
    "href-javascript.md": ("skipped", "record.link.url", 6, "link.href"),
    "control-characters.md": ("skipped", "record.text", 3, "title"),
    "long-title.md": ("skipped", "record.length", 3, "title"),
    "iri-unsafe.md": ("mapped", None, None, None),
    "dup-id-a.md": ("mapped", None, None, None),
    "dup-id-b.md": ("skipped", "duplicate id 'dup'", None, None),
    "dup-file-a.md": ("mapped", None, None, None),
    "dup-file-b.md": ("skipped", "duplicate file", None, None),
    "good.md": ("mapped", None, None, None),
    "huge.md": ("skipped", "record.size", None, None),
}


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    src = tmp_path_factory.mktemp("bad-src")
    for path in BAD.iterdir():
        if path.name != "README.md":
            shutil.copy(path, src / path.name)
    with open(src / "huge.md", "wb") as fh:  # 50 MB: refused before it is read into memory
        fh.write(b"---\nid: huge\ntitle: T\n---\n")
        fh.write(b"x" * (50 * 1024 * 1024))
    out = tmp_path_factory.mktemp("bad-out")
    return topicgraph.build([src], out=out, formats=["nt", "nq"], jobs=1)


def test_every_file_has_its_expected_outcome(bad_build):
    outcomes = {o.file.rsplit("/", 1)[-1]: o for o in bad_build.report.files}
    assert sorted(outcomes) == sorted(EXPECTED)
    for name, (status, rule, line, field) in EXPECTED.items():
        o = outcomes[name]
        assert o.status == status, (name, o.reason)
        if status == "mapped":
            continue
        assert "\n" not in o.reason and name in o.reason  # one line, naming the file
        if rule and rule.startswith("record."):
            errors = [f for f in o.findings if f.severity >= topicgraph.Severity.ERROR]
            assert errors and errors[0].rule == rule, (name, [str(f) for f in o.findings])
            assert errors[0].line == line, (name, str(errors[0]))
            assert errors[0].field == field, (name, str(errors[0]))
            assert errors[0].fix, name
        else:
            assert rule in o.reason, (name, o.reason)


def test_counts_add_up(bad_build):
    c = bad_build.report.counts
    assert c["files"] == len(EXPECTED) == c["mapped"] + c["skipped"]
    assert c["mapped"] == sum(1 for v in EXPECTED.values() if v[0] == "mapped")


def test_the_rdf_stays_valid(bad_build):
    nt = bad_build.exports["nt"]
    ox = list(pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES))
    g = rdflib.Graph().parse(nt, format="nt")
    assert len(ox) == len(g) == bad_build.report.counts["triples"]
    titles = {str(t) for t in g.objects(None, rdflib.URIRef("http://schema.org/headline"))}
    assert 'spaces <>"{}|\\^` and a newline \u202e rtl' in titles


def test_cli_build_of_bad_corpus_never_shows_a_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(BAD), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == sum(1 for v in EXPECTED.values() if v[0] == "skipped") - 1  # all but huge.md
    assert any("[topics] default_vendor" in line for line in skipped)  # markup-looking text printed as is
