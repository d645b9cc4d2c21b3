"""Red-team attacks on the RDF a build writes (issue 15): a topic such as ``Acme Inc.: Widgets`` became the
prefixed name ``tax:acme-inc\\.`` in Turtle and TriG, which rdflib cannot read; slashes were escaped, triples came
in no order, and ``graph.jsonld`` was expanded JSON-LD with no ``@context``. Every format must now be read back
by rdflib, pyoxigraph and rapper as the same graph, and read by a person. Each failed on the code before the fix."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

import topicgraph
from topicgraph.queries import run_query, serialize

from .conftest import require_debian_package

pytestmark = pytest.mark.redteam

RECORD = """---
id: 7001
title: 'Acme "quoted" <widgets> & more'
communityTopics:
- 'Acme Inc.: Widgets'
- 'Medigy: Patient/Acquisition'
- 'Weird: 1.5% / 50\\\\ #tag.'
---
A body with a backslash \\ and ünïcode.
"""
FORMATS = {"ttl": ("turtle", "TURTLE"), "nt": ("nt", "N_TRIPLES"), "nq": ("nquads", "N_QUADS"),
           "trig": ("trig", "TRIG"), "jsonld": ("json-ld", "JSON_LD")}
RAPPER = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig"}


@pytest.fixture(scope="module")
def acme(tmp_path_factory):
    src = tmp_path_factory.mktemp("acme-src")
    (src / "acme.md").write_text(RECORD, encoding="utf-8")
    out = tmp_path_factory.mktemp("acme-graph")
    topicgraph.build([src], out=out, formats=list(FORMATS), jobs=1)
    return out


def _reference(out: Path) -> tuple[rdflib.Dataset, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(out / "graph.nq", format="nquads")
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return ds, union


def _quads(ds: rdflib.Dataset) -> set:
    return {(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None))}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_acme_topic_reads_back_in_rdflib_and_pyoxigraph(acme, fmt):
    path = acme / f"graph.{fmt}"
    rdflib_format, ox_format = FORMATS[fmt]
    ref_ds, ref_union = _reference(acme)
    assert any("acme-inc." in str(s) for s in ref_union.subjects())
    if fmt in ("ttl", "nt"):
        assert isomorphic(rdflib.Graph().parse(path, format=rdflib_format), ref_union)  # before: BadSyntax
    else:
        ds = rdflib.Dataset()
        ds.parse(path, format=rdflib_format)
        assert _quads(ds) == _quads(ref_ds)
    ox = pyoxigraph.Store()
    ox.load(path=str(path), format=getattr(pyoxigraph.RdfFormat, ox_format))
    expected = pyoxigraph.Store()
    expected.load(path=str(acme / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    if fmt in ("ttl", "nt"):
        assert {str(pyoxigraph.Triple(q.subject, q.predicate, q.object)) for q in ox} == \
            {str(pyoxigraph.Triple(q.subject, q.predicate, q.object)) for q in expected}
    else:
        assert {str(q) for q in ox} == {str(q) for q in expected}


@pytest.mark.parametrize("fmt", list(RAPPER))
def test_the_acme_topic_reads_back_in_rapper(acme, fmt):
    rapper = shutil.which("rapper")
    require_debian_package("raptor2-utils", rapper is not None)
    proc = subprocess.run([rapper, "-q", "-i", RAPPER[fmt], "-c", str(acme / f"graph.{fmt}")], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "error" not in proc.stderr.lower(), proc.stderr[-500:]


def test_turtle_is_readable_sorted_and_stable(acme, tmp_path):
    text = (acme / "graph.ttl").read_text(encoding="utf-8")
    assert not re.search(r"[A-Za-z]+:[^\s<>\"]*\\[./]", text)  # before: tax:acme-inc\. and tax:medigy\/...
    subjects = [line for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("@")]
    keys = [line.split(" ", 1)[0] for line in subjects]
    assert len(keys) == len(set(keys))  # one block per subject
    from topicgraph.store import GraphStore

    store = GraphStore.open(acme)
    store.export(tmp_path / "again.ttl", "ttl")
    store.export(tmp_path / "again.trig", "trig")
    store.export(tmp_path / "again.jsonld", "jsonld")
    assert (tmp_path / "again.ttl").read_bytes() == (acme / "graph.ttl").read_bytes()
    assert (tmp_path / "again.trig").read_bytes() == (acme / "graph.trig").read_bytes()
    assert (tmp_path / "again.jsonld").read_bytes() == (acme / "graph.jsonld").read_bytes()
    full = sorted({f"<{s}>" for s in _reference(acme)[1].subjects() if isinstance(s, rdflib.URIRef)})
    written = [k for k in keys if k.startswith("<")]
    assert written == [k for k in full if k in written]  # in order (of the subjects as N-Triples writes them)


def test_jsonld_is_compacted_with_a_context(acme):
    doc = json.loads((acme / "graph.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and "@context" in doc  # before: an expanded array, no @context
    ctx = doc["@context"]
    assert ctx["schema"] == "http://schema.org/" and ctx["headline"] == "schema:headline"
    text = json.dumps(doc)
    assert '"headline"' in text and "http://schema.org/headline" not in text


def test_construct_results_read_back_everywhere(acme):
    result = run_query(acme, "CONSTRUCT { ?a schema:about ?t . ?t ?p ?o } WHERE { ?a schema:about ?t . ?t ?p ?o }")
    expected = rdflib.Graph().parse(data=serialize(result, "nt").decode(), format="nt")
    assert len(expected) > 0
    for fmt, rdflib_format in (("ttl", "turtle"), ("jsonld", "json-ld")):
        data = serialize(result, fmt)
        assert isomorphic(rdflib.Graph().parse(data=data.decode(), format=rdflib_format), expected), fmt
        ox_format = pyoxigraph.RdfFormat.TURTLE if fmt == "ttl" else pyoxigraph.RdfFormat.JSON_LD
        assert len(list(pyoxigraph.parse(data, format=ox_format))) == len(expected), fmt
