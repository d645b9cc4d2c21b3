"""Turtle, TriG and JSON-LD exports sorted on disk (store.readable.sorted_unique, store.export): the bytes do not
depend on the chunk size (many sorted runs on disk or one sort in memory), equal those of the in-memory writer
they replaced, and read back in rdflib as the store's graph."""

from __future__ import annotations

import hashlib
import random

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

import topicgraph
from topicgraph import synth
from topicgraph.store import export, readable

from .conftest import ROOT, SEEDS

FORMATS = {"ttl": "turtle", "trig": "trig", "jsonld": "json-ld"}
#: sha256 of the seeds' exports as the in-memory writer wrote them (the last commit before sorting on disk)
SEED_SHA256 = {"ttl": "5ac76c67fd9fd7ff39fd978979b79937c6e55ee9ea61639d92af73e11510c3bb",
               "trig": "e6418459a2261b8f9a3267f6caef9f82459c71da6f4795aa213e5f6075bf1c31",
               "jsonld": "67fe8520735cc15ed9d4188dc2c145c98e4fb4a64df08bdd760b2f0dae72e0e1"}
HUGE = 10 ** 9


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    topicgraph.build([SEEDS.relative_to(ROOT)], out=out, formats=list(FORMATS), jobs=1)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    src = tmp_path_factory.mktemp("corpus")
    made = synth.generate(src / "records", synth.SynthConfig(n=300, seed=3))
    tax = synth.write_taxonomy(made, src / "tax")
    out = tmp_path_factory.mktemp("corpus-graph")
    topicgraph.build([src / "records"], out=out, taxonomy=tax, jobs=1)
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A store with default-graph triples beside named graphs, and literals made to look like graph names."""
    ex = "http://example.org/"
    n = pyoxigraph.NamedNode
    ox = pyoxigraph.Store()
    objects = [pyoxigraph.Literal("a <http://example.org/g> b"), pyoxigraph.Literal('"quoted" <x> .'),
               pyoxigraph.Literal("two words", language="en"), n(ex + "o"), pyoxigraph.BlankNode("b1"),
               pyoxigraph.Literal("x y", datatype=n(ex + "dt")), pyoxigraph.Literal("7", datatype=n(
                   "http://www.w3.org/2001/XMLSchema#integer")), pyoxigraph.Literal("line\nbreak \u2028 sep")]
    for i, obj in enumerate(objects):
        for graph in (pyoxigraph.DefaultGraph(), n(f"{ex}g{i % 3}"), pyoxigraph.BlankNode("gb")):
            ox.add(pyoxigraph.Quad(n(f"{ex}s{i % 4}"), n(f"{ex}p{i % 2}"), obj, graph))
        ox.add(pyoxigraph.Quad(n(f"{ex}s{i}"), n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                               n(f"{ex}C{i % 2}"), n(f"{ex}g{i % 3}")))
    return ox, tmp_path_factory.mktemp("hostile")


def _export(ox, folder, fmt, chunk_size):
    path = export.export_graph(ox, folder / f"c{chunk_size}.{fmt}", fmt, chunk_size=chunk_size)
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]  # temporary files are gone
    return path.read_bytes()


def _reference(ox) -> tuple[rdflib.Dataset, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(data=ox.dump(format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return ds, union


def _reads_back_as(data: bytes, fmt: str, ox) -> None:
    ref_ds, ref_union = _reference(ox)
    if fmt == "ttl":
        assert isomorphic(rdflib.Graph().parse(data=data, format="turtle"), ref_union)
        return
    ds = rdflib.Dataset()
    ds.parse(data=data, format=FORMATS[fmt])
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, ref_union)
    got = {c.identifier: c for c in ds.graphs() if len(c)}
    want = {c.identifier: c for c in ref_ds.graphs() if len(c)}
    assert len(got) == len(want)
    for name, graph in want.items():  # a blank graph name gets a new label when read: only the union checks it
        if not isinstance(name, rdflib.BNode):
            assert isomorphic(got[name], graph), name


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_seeds_export_the_bytes_of_the_in_memory_writer_whatever_the_chunk_size(seeds, fmt, tmp_path,
                                                                                    monkeypatch):
    monkeypatch.setattr(readable, "_MERGE_WIDTH", 3)  # runs merged in several rounds, too
    ox = topicgraph.GraphStore.open(seeds).ox
    built = (seeds / f"graph.{fmt}").read_bytes()
    assert hashlib.sha256(built).hexdigest() == SEED_SHA256[fmt]
    assert _export(ox, tmp_path, fmt, 7) == built
    assert _export(ox, tmp_path, fmt, HUGE) == built
    _reads_back_as(built, fmt, ox)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_generated_corpus_exports_the_same_bytes_in_runs_of_seven_lines(corpus, fmt, tmp_path):
    ox = topicgraph.GraphStore.open(corpus).ox
    small = _export(ox, tmp_path, fmt, 7)
    assert small == _export(ox, tmp_path, fmt, HUGE)
    _reads_back_as(small, fmt, ox)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_default_graph_triples_and_literals_that_look_like_graph_names_keep_their_graph(hostile, fmt):
    ox, folder = hostile
    small = _export(ox, folder, fmt, 7)
    assert small == _export(ox, folder, fmt, HUGE)
    _reads_back_as(small, fmt, ox)


def test_names_a_graph_tells_default_graph_lines_as_a_parser_does(hostile):
    ox, _ = hostile
    lines = ox.dump(format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8").split("\n")
    for line in filter(None, lines):
        (quad,) = pyoxigraph.parse(line.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
        assert export.names_a_graph(line) == (quad.graph_name != pyoxigraph.DefaultGraph()), line


@pytest.mark.parametrize("chunk_size", [1, 2, 7, 50, HUGE])
def test_sorted_unique_is_sorted_set_in_the_order_of_the_key(chunk_size, tmp_path, monkeypatch):
    monkeypatch.setattr(readable, "_MERGE_WIDTH", 2)
    rng = random.Random(5)
    words = ["".join(rng.choice("ab c") for _ in range(rng.randint(1, 6))) for _ in range(300)]
    key = lambda w: (len(w), w[::-1])  # noqa: E731
    with readable.sorted_unique(words + [""], key=key, chunk_size=chunk_size, tmpdir=tmp_path) as it:
        assert list(it) == sorted(set(words) - {""}, key=key)
    assert list(tmp_path.iterdir()) == []
