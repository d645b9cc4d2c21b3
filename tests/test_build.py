"""The build: report, named graphs, determinism, IRI safety, round trips, atomic rebuilds."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

import topicgraph
from topicgraph.errors import TopicgraphError
from topicgraph.builder import update
from topicgraph.store import GraphStore

from .conftest import ROOT, SEEDS

ID = "https://w3id.org/topicgraph/id/"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def record(rid: str, title: str = "A title", *, authors=("Kyra Hagan",), topics=("Medigy: Telehealth",),
           brand: str = "example.com", extra: str = "", href: str | None = None) -> str:
    authors_yaml = "".join(f"\n- {json.dumps(a, ensure_ascii=False)}" for a in authors)
    topics_yaml = "".join(f"\n- {json.dumps(t, ensure_ascii=False)}" for t in topics)
    return (f"---\nid: {json.dumps(rid, ensure_ascii=False)}\ntitle: {json.dumps(title, ensure_ascii=False)}\nauthor:{authors_yaml or ' []'}\n"
            f"communityTopics:{topics_yaml or ' []'}\nlink:\n  brand: {json.dumps(brand)}\n"
            f"  href: {href or f'https://{brand}/a/{rid}'}\ndate: '2021-02-03'\n{extra}---\n<p>Body of {rid}.</p>\n")


def test_seed_build_accounts_for_every_file(seed_build):
    report = json.loads((seed_build.out / "build-report.json").read_text())
    files = sorted(f["file"] for f in report["files"])
    assert files == sorted(f"seeds/{p.name}" for p in SEEDS.iterdir())
    assert report["counts"]["files"] == 5 == report["counts"]["mapped"] + report["counts"]["skipped"]
    assert {f["status"] for f in report["files"]} == {"mapped"}
    c = seed_build.report.counts
    assert (c["articles"], c["people"], c["brands"], c["topics"]) == (5, 3, 2, 4)


def test_seed_build_named_graphs(seed_build):
    graphs = seed_build.store.named_graphs()
    assert graphs == sorted([f"{ID}graph/entities", f"{ID}graph/taxonomy"] + [
        f"{ID}graph/record/{k}" for k in ("3896", "4463", "002-e2043c317a839aa3", "003-93b4219c4437b57c",
                                          "004-7f7bd89bfa8fa00f")])
    rows = seed_build.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), "
                            "'/record/')) } GROUP BY ?g")
    assert all(row["n"] >= 10 for row in rows) and len(rows) == 5
    # a record graph holds only that record's article, image and source file
    subjects = seed_build.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{ID}graph/record/4463> {{ ?s ?p ?o }} }}")
    assert sorted(r["s"] for r in subjects) == sorted([
        f"{ID}article/4463", f"{ID}article/4463#image",
        f"{ID}file/3b21835bb9a14a424b7c87f978ceac23ae2be6ec2c097f8988557e49efef0099"])


def test_no_triple_is_in_two_graphs(seed_build):
    rows = seed_build.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?s ?p ?o } GRAPH ?g2 { ?s ?p ?o } "
                            "FILTER(STR(?g1) < STR(?g2)) }")
    assert rows == [{"n": 0}]


def test_python_api_gives_rdflib_graph(seed_build):
    g = seed_build.graph
    assert isinstance(g, rdflib.Graph)
    assert len(g) == seed_build.report.counts["triples"]
    people = set(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://schema.org/Person")))
    assert len(people) == 3
    ds = seed_build.dataset
    assert len(list(ds.graphs())) >= 7


@pytest.mark.parametrize("fmt, rdflib_format, ox_format", [
    ("ttl", "turtle", "TURTLE"), ("nt", "nt", "N_TRIPLES"), ("nq", "nquads", "N_QUADS"),
    ("trig", "trig", "TRIG"), ("jsonld", "json-ld", "JSON_LD")])
def test_every_export_parses_in_two_parsers(seed_build, fmt, rdflib_format, ox_format):
    path = seed_build.exports[fmt]
    triples = seed_build.report.counts["triples"]
    ox = list(pyoxigraph.parse(path=str(path), format=getattr(pyoxigraph.RdfFormat, ox_format)))
    assert len(ox) == triples
    if fmt in ("nq", "trig", "jsonld"):
        ds = rdflib.Dataset()
        ds.parse(path, format=rdflib_format)
        assert len(list(ds.quads((None, None, None, None)))) == triples
    else:
        g = rdflib.Graph().parse(path, format=rdflib_format)
        assert len(g) == triples
        if fmt == "ttl":
            nt = rdflib.Graph().parse(seed_build.exports["nt"], format="nt")
            assert isomorphic(g, nt)


def test_build_is_deterministic(tmp_path):
    a = topicgraph.build(["seeds"], out=tmp_path / "a", formats=["nq"], jobs=1)
    b = topicgraph.build(["seeds"], out=tmp_path / "b", formats=["nq"], jobs=1)
    lines_a = sorted(Path(a.exports["nq"]).read_text().splitlines())
    lines_b = sorted(Path(b.exports["nq"]).read_text().splitlines())
    assert lines_a == lines_b
    ga = rdflib.Dataset().parse(a.exports["nq"], format="nquads")
    gb = rdflib.Dataset().parse(b.exports["nq"], format="nquads")
    assert set(ga.quads()) == set(gb.quads())  # no blank nodes anywhere, so equal sets of quads = isomorphic
    union_a = rdflib.Graph().parse(a.exports["nq"], format="nquads")
    union_b = rdflib.Graph().parse(b.exports["nq"], format="nquads")
    assert isomorphic(union_a, union_b)


def test_parallel_build_equals_serial_build(tmp_path):
    src = tmp_path / "src"
    for i in range(450):  # above the threshold where workers start
        # non-ASCII titles: workers hand over UTF-8 blocks cut at byte offsets
        write(src, f"r{i:04d}.md", record(str(i), f"Title {i}" + (" Ünïcödé 漢字 🩺" if i % 3 else ""),
                                          authors=(f"Author {i % 7}",), topics=(f"Medigy: Topic {i % 11}",)))
    # files the main process turns away after a worker mapped them, and one no worker can map, among the rest
    (src / "r0100-copy.md").write_bytes((src / "r0100.md").read_bytes())
    write(src, "r0200-dup-id.md", record("200", "Another title"))
    write(src, "r0300-bad.md", "---\ntitle: [unclosed\n---\n")
    serial = topicgraph.build([src], out=tmp_path / "s", formats=["nq", "nt"], jobs=1)
    parallel = topicgraph.build([src], out=tmp_path / "p", formats=["nq", "nt"], jobs=2)
    for fmt in ("nq", "nt"):
        assert Path(serial.exports[fmt]).read_bytes() == Path(parallel.exports[fmt]).read_bytes()
    assert serial.report.counts == {**parallel.report.counts}
    assert serial.report.counts["skipped"] == 3
    assert [o.to_dict() for o in serial.report.files] == [o.to_dict() for o in parallel.report.files]
    nq_lines = Path(parallel.exports["nq"]).read_text(encoding="utf-8").split("\n")
    assert Path(parallel.exports["nt"]).read_text(encoding="utf-8").split("\n") == \
        [line[: line.rindex(" <")] + " ." if line else line for line in nq_lines]


def test_segmented_streaming_load_equals_one_load(tmp_path, monkeypatch):
    """Tiny segments, several per bulk-load call, loaded while mapping goes on: the same store and export as one
    segment loaded at the end."""
    from topicgraph import builder

    src = tmp_path / "src"
    for i in range(60):
        write(src, f"r{i:04d}.md", record(str(i), f"Title {i}", authors=(f"Author {i % 7}",),
                                          topics=(f"Medigy: Topic {i % 11}",)))
    whole = topicgraph.build([src], out=tmp_path / "whole", formats=["nq", "nt"], jobs=1)
    calls = []

    class Counting(builder.StreamingLoad):
        def close(self):
            segments = super().close()
            calls.append((len(segments), self.calls))
            return segments

    monkeypatch.setattr(builder.loader, "SEGMENT_QUADS", 97)
    monkeypatch.setattr(builder.loader, "SEGMENTS_PER_CALL", 4)
    monkeypatch.setattr(builder, "StreamingLoad", Counting)
    pieces = topicgraph.build([src], out=tmp_path / "pieces", formats=["nq", "nt"], jobs=1)
    monkeypatch.undo()
    (segments, loads), = calls  # 60 records of ~20 quads in segments of 97: many segments, at most 4 a call
    assert segments >= 10 and segments / 4 <= loads <= segments
    for fmt in ("nq", "nt"):
        assert sorted(Path(whole.exports[fmt]).read_text().splitlines()) == \
            sorted(Path(pieces.exports[fmt]).read_text().splitlines())
    # the N-Triples written while mapping are the N-Quads without their graph terms, line for line
    nq_lines = Path(pieces.exports["nq"]).read_text(encoding="utf-8").split("\n")
    assert Path(pieces.exports["nt"]).read_text(encoding="utf-8").split("\n") == \
        [line[: line.rindex(" <")] + " ." if line else line for line in nq_lines]
    quads = [set(map(str, pyoxigraph.Store.read_only(str(b.out / json.loads(
        (b.out / "topicgraph-store.json").read_text())["store"])))) for b in (whole, pieces)]
    assert quads[0] == quads[1] and len(quads[0]) == whole.report.counts["triples"]


HOSTILE = [
    "spaces and \"quotes\" and <angle> {braces} | ^ ` \\ backslash",
    "new\nline and\ttab and \r return",
    "right-to-left \u202e mark and zero\u200bwidth",
    "non-ASCII: Ünïcödé 漢字 emoji 🩺",
    "../../etc/passwd",
    ".",
    "javascript:alert(1)",
]


def test_hostile_text_never_breaks_iris_or_ntriples(tmp_path):
    src = tmp_path / "src"
    for i, text in enumerate(HOSTILE):
        # an id may not hold invisible marks (the reader refuses it: record.id.characters); everything else may
        rid = "id " + text.replace("\u202e", "").replace("\u200b", "")
        write(src, f"h{i}.md", record(rid, text, authors=(text,), topics=(f"Vendor {text}: {text}",),
                                      brand="example.org", href=f"https://example.org/{i}"))
    result = topicgraph.build([src], out=tmp_path / "out", formats=["nt", "nq", "ttl"], jobs=1)
    assert result.report.counts["mapped"] == len(HOSTILE), [f.reason for f in result.report.skipped]
    nt = result.exports["nt"]
    triples = list(pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES))
    g = rdflib.Graph().parse(nt, format="nt")
    assert len(g) == len(triples) == result.report.counts["triples"]
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, pyoxigraph.NamedNode):
                assert not any(c in term.value for c in ' <>"{}|^`\\\n\t\r'), term.value
    titles = {str(o) for o in g.objects(None, rdflib.URIRef("http://schema.org/headline"))}
    assert titles == {" ".join(t.split()) for t in HOSTILE}  # text survives, white space folded


def test_same_person_brand_topic_is_one_node(tmp_path):
    src = tmp_path / "src"
    write(src, "a.md", record("a", authors=("Kyra Hagan",), topics=("Medigy: Telehealth",), brand="Example.com"))
    write(src, "b.md", record("b", authors=("kyra  hagan",), topics=("medigy: TELEHEALTH",), brand="example.com"))
    write(src, "c.md", record("c", authors=("Kyra Hagan",), topics=("Medigy: Telehealth",), brand="example.com"))
    result = topicgraph.build([src], out=tmp_path / "out", jobs=1)
    people = result.query("SELECT ?p ?name WHERE { ?p a schema:Person ; schema:name ?name }")
    assert people == [{"p": f"{ID}person/kyra-hagan", "name": "Kyra Hagan"}]  # the most common spelling
    brands = result.query("SELECT ?b ?name WHERE { ?b a schema:Organization ; schema:name ?name }")
    assert brands == [{"b": f"{ID}brand/example.com", "name": "example.com"}]
    topics = result.query("SELECT DISTINCT ?t WHERE { ?a schema:about ?t }")
    assert topics == [{"t": "https://w3id.org/topicgraph/taxonomy/medigy/telehealth"}]
    labels = result.query("SELECT ?l WHERE { <https://w3id.org/topicgraph/taxonomy/medigy/telehealth> "
                          "skos:prefLabel ?l }")
    assert len(labels) == 1


def test_duplicates_and_non_records_are_skipped_with_reasons(tmp_path):
    src = tmp_path / "src"
    write(src, "a.md", record("1"))
    write(src, "b.md", record("1", "Other title"))
    write(src, "copy/a.md", record("1"))
    write(src, "data.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n")
    (src / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    write(src, "bad.md", "---\nid: 2\ntitle: [\n---\n")
    result = topicgraph.build([src], out=tmp_path / "out", jobs=1)
    report = {Path(f.file).relative_to(src).as_posix() if Path(f.file).is_absolute() else Path(f.file).name: f
              for f in result.report.files}
    assert len(result.report.files) == 6
    statuses = {Path(f.file).as_posix().split("src/")[-1]: (f.status, f.reason) for f in result.report.files}
    assert statuses["a.md"][0] == "mapped"
    assert "duplicate id '1'" in statuses["b.md"][1]
    assert "duplicate file" in statuses["copy/a.md"][1]
    assert statuses["data.ttl"][0] == "skipped" and statuses["data.ttl"][1].endswith("data.ttl: not a record: RDF data, not a record")
    assert "binary" in statuses["pic.png"][1]
    assert "bad.md:4" in statuses["bad.md"][1] and "YAML syntax error" in statuses["bad.md"][1]
    c = result.report.counts
    assert c["files"] == c["mapped"] + c["skipped"] == 6 and c["mapped"] == 1
    assert report


def test_base_iri_option(tmp_path):
    result = topicgraph.build(["seeds"], out=tmp_path / "o", base_iri="https://kg.example.com/x", jobs=1)
    arts = result.query("SELECT ?a WHERE { ?a schema:identifier '4463' }")
    assert arts == [{"a": "https://kg.example.com/x/article/4463"}]
    with pytest.raises(TopicgraphError, match="base IRI"):
        topicgraph.build(["seeds"], out=tmp_path / "p", base_iri="not an iri", jobs=1)


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(TopicgraphError, match="no-such-folder: no such file or folder"):
        topicgraph.build(["no-such-folder"], out=tmp_path / "o")


def test_a_failed_rebuild_leaves_the_previous_graph(tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = topicgraph.build(["seeds"], out=out, formats=["ttl"], jobs=1)
    before = (out / "graph.ttl").read_bytes()
    import topicgraph.builder as build_module

    def boom(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(build_module, "export_graph", boom)
    with pytest.raises(OSError, match="simulated"):
        topicgraph.build([SEEDS / "000_e196614bccfeda88.txt"], out=out, formats=["ttl"], jobs=1)
    store = GraphStore.open(out)
    assert len(store) == first.report.counts["triples"]
    assert (out / "graph.ttl").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(("store-", ".tmp"))) == [store.manifest["store"]]


@pytest.mark.slow
def test_killed_build_leaves_previous_graph_usable(tmp_path):
    """SIGKILL a build at several moments; each time the previous graph opens intact and the next build works."""
    src = tmp_path / "src"
    for i in range(3000):
        write(src, f"{i // 500}/r{i:05d}.md", record(str(i), f"Title {i}", authors=(f"Author {i % 97}",),
                                                     topics=(f"Medigy: Topic {i % 31}", f"Gartner: T{i % 13}")))
    out = tmp_path / "out"
    first = topicgraph.build(["seeds"], out=out, formats=["nt"], jobs=1)
    expected = first.report.counts["triples"]
    script = ("import sys, topicgraph; topicgraph.build([sys.argv[1]], out=sys.argv[2], formats=['nt','ttl'], "
              "jobs=1)")
    for delay in (0.3, 0.8, 1.5, 2.5):
        proc = subprocess.Popen([sys.executable, "-c", script, str(src), str(out)], cwd=ROOT)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = GraphStore.open(out)
        n = len(store)
        assert n in (expected, None) or n > expected  # the old graph, or a complete new one
        nt = list(pyoxigraph.parse(path=str(out / "graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES))
        assert len(nt) in (expected, n)
        if n != expected:
            expected = n
        del store
    final = topicgraph.build([src], out=out, formats=["nt"], jobs=1)
    assert final.report.counts["mapped"] == 3000
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-build-")]
    assert os.path.exists(out / "build-report.json")


def test_update_replaces_only_the_changed_records_graph(tmp_path):
    src = tmp_path / "src"
    a = write(src, "a.md", record("a", "Old title", authors=("Ann",), topics=("Medigy: Telehealth",)))
    write(src, "b.md", record("b", "B title", authors=("Bob",)))
    out = tmp_path / "out"
    topicgraph.build([src], out=out, jobs=1)
    before = GraphStore.open(out)
    b_graph = sorted(str(q) for q in before.ox.quads_for_pattern(
        None, None, None, pyoxigraph.NamedNode(f"{ID}graph/record/b")))
    del before
    a.write_text(record("a", "New title", authors=("Cleo",), topics=("Acme: Brand New",)), encoding="utf-8")
    (outcome,) = update([a], out=out)
    assert outcome.status == "mapped"
    after = GraphStore.open(out)
    assert after.query("SELECT ?t WHERE { ?a schema:identifier 'a' ; schema:headline ?t }") == [{"t": "New title"}]
    assert after.query("SELECT ?n WHERE { ?a schema:identifier 'a' ; schema:author/schema:name ?n }") == [{"n": "Cleo"}]
    assert after.query("SELECT ?l WHERE { <https://w3id.org/topicgraph/taxonomy/acme/brand-new> skos:prefLabel ?l }") \
        == [{"l": "Brand New"}]
    assert sorted(str(q) for q in after.ox.quads_for_pattern(
        None, None, None, pyoxigraph.NamedNode(f"{ID}graph/record/b"))) == b_graph
    # nobody names Ann any more: her description went with the old graph, as a full build would not write it
    names = "SELECT ?n WHERE { ?p a schema:Person ; schema:name ?n } ORDER BY ?n"
    assert after.query(names) == [{"n": "Bob"}, {"n": "Cleo"}]
    del after
    a.write_text(record("a", "New title", authors=("Cleo",), topics=("Medigy: Telehealth",)), encoding="utf-8")
    update([a], out=out)
    tidy = GraphStore.open(out)
    # the unknown topic and the vendor scheme only it was in are gone too; the graph equals a fresh build's
    assert tidy.query("SELECT ?x WHERE { ?x skos:prefLabel ?l FILTER(CONTAINS(STR(?x), 'acme')) }") == []
    fresh = topicgraph.build([src], out=tmp_path / "fresh", jobs=1)
    entities = pyoxigraph.NamedNode(f"{ID}graph/entities")
    kept = sorted(map(str, tidy.ox.quads_for_pattern(None, None, None, entities)))
    assert len(kept) >= 6 and kept == \
        sorted(map(str, fresh.store.ox.quads_for_pattern(None, None, None, entities)))
    del tidy, fresh
    a.unlink()
    (gone,) = update([a], out=out)
    assert gone.status == "removed" and "deleted" in gone.reason
    assert GraphStore.open(out).query("SELECT ?a WHERE { ?a schema:identifier 'a' }") == []


def test_ids_that_mint_one_article_iri_are_duplicates(tmp_path):
    """'ABC' and 'abc', 'x y' and 'x_y', NFC and NFD spellings: one IRI each pair, so the later file is skipped
    (as for the same id), never merged into one article with two identifiers."""
    src = tmp_path / "src"
    ids = ["ABC", "abc", "x y", "x_y", "caf\u00e9", "cafe\u0301", "7", "7"]
    for n, rid in enumerate(ids):
        write(src, f"r{n}.md", record(rid, f"Title {n}", href=f"https://example.com/u{n}"))
    result = topicgraph.build([src], out=tmp_path / "out", jobs=1)
    reasons = {Path(f.file).name: f.reason for f in result.report.skipped}
    assert reasons == {
        "r1.md": f"{src}/r1.md: id 'abc' gives the same article IRI <{ID}article/abc> as id 'ABC' in {src}/r0.md: "
                 "ids must differ after IRI minting (case, white space, '_' and Unicode normalisation are folded, "
                 "leading and trailing '-' dropped) (give each record an id that differs in more than that)",
        "r3.md": f"{src}/r3.md: id 'x_y' gives the same article IRI <{ID}article/x-y> as id 'x y' in {src}/r2.md: "
                 "ids must differ after IRI minting (case, white space, '_' and Unicode normalisation are folded, "
                 "leading and trailing '-' dropped) (give each record an id that differs in more than that)",
        "r5.md": f"{src}/r5.md: id 'cafe\u0301' gives the same article IRI <{ID}article/caf%C3%A9> as id "
                 f"'caf\u00e9' in {src}/r4.md: ids must differ after IRI minting (case, white space, '_' and Unicode normalisation "
                 "are folded, leading and trailing '-' dropped) (give each record an id that differs in more than "
                 "that)",
        "r7.md": f"{src}/r7.md: duplicate id '7': {src}/r6.md has it too (give each record its own id)"}
    c = result.report.counts
    assert (c["files"], c["mapped"], c["skipped"], c["articles"]) == (8, 4, 4, 4)
    rows = result.query("SELECT ?a (COUNT(DISTINCT ?id) AS ?ids) (COUNT(DISTINCT ?url) AS ?urls) "
                        "(COUNT(DISTINCT ?f) AS ?sources) WHERE { ?a a schema:Article ; schema:identifier ?id ; "
                        "schema:url ?url ; prov:wasDerivedFrom ?f } GROUP BY ?a ORDER BY ?a")
    assert rows == [{"a": f"{ID}article/{k}", "ids": 1, "urls": 1, "sources": 1}
                    for k in ("7", "abc", "caf%C3%A9", "x-y")]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("inside", [True, False], ids=["sources-under-the-build-folder", "absolute-sources"])
def test_update_from_another_folder_finds_the_files_graph(tmp_path, monkeypatch, inside):
    """The build's display paths are relative to the folder it ran in; `update` run from elsewhere (here, the
    records' folder) finds each file's graph all the same: a new id replaces the old article, an edited title
    is no "duplicate id"."""
    shutil.copytree(SEEDS, tmp_path / "u")
    if inside:
        monkeypatch.chdir(tmp_path)
        topicgraph.build(["u"], out="gu", jobs=1)
    else:
        topicgraph.build([tmp_path / "u"], out=tmp_path / "gu", jobs=1)
    monkeypatch.chdir(tmp_path / "u")
    name = "001_46930356a44fedc4.txt"
    _edit(Path(name), "\nid: 3896\n", "\nid: 77777\n")
    (outcome,) = update([name], out=tmp_path / "gu")
    assert outcome.status == "mapped", outcome.reason
    ids = "SELECT ?id WHERE { ?a a schema:Article ; schema:identifier ?id } ORDER BY ?id"
    store = GraphStore.open(tmp_path / "gu")
    assert [r["id"] for r in store.query(ids)] == sorted(
        ["002_e2043c317a839aa3", "003_93b4219c4437b57c", "004_7f7bd89bfa8fa00f", "4463", "77777"])
    del store
    _edit(Path(name), "\ntitle: ", "\ntitle: New - ")
    (outcome,) = update([name], out=tmp_path / "gu")
    assert outcome.status == "mapped", outcome.reason
    store = GraphStore.open(tmp_path / "gu")
    assert len(store.query(ids)) == 5
    (row,) = store.query("SELECT ?t ?src WHERE { ?a schema:identifier '77777' ; schema:headline ?t ; "
                         "prov:wasDerivedFrom/dcterms:source ?src }")
    assert row["t"].startswith("New - ")
    # relative to the source root however the build named it (two checkouts build one graph), as the build wrote it
    assert row["src"] == f"u/{name}"


def test_update_of_a_manifest_without_its_folder_uses_the_working_folder(tmp_path, monkeypatch):
    """Builds before the manifest kept the folder they ran in: an update from that folder works as it did."""
    shutil.copytree(SEEDS, tmp_path / "u")
    monkeypatch.chdir(tmp_path)
    topicgraph.build(["u"], out="gu", jobs=1)
    manifest = json.loads(Path("gu/topicgraph-store.json").read_text())
    del manifest["cwd"]
    Path("gu/topicgraph-store.json").write_text(json.dumps(manifest))
    path = Path("u/001_46930356a44fedc4.txt")
    _edit(path, "\nid: 3896\n", "\nid: 77777\n")
    (outcome,) = update([path], out="gu")
    assert outcome.status == "mapped" and outcome.file == f"u/{path.name}"
    store = GraphStore.open("gu")
    assert store.query("SELECT ?a WHERE { ?a schema:identifier '3896' }") == []
    assert len(store.query("SELECT ?a WHERE { ?a a schema:Article }")) == 5


def _counts_and_report(out: Path) -> tuple[dict, dict]:
    report = json.loads((out / "build-report.json").read_text())
    manifest = json.loads((out / "topicgraph-store.json").read_text())
    return manifest, report


def test_update_keeps_the_report_counts_and_exports_honest(tmp_path):
    """After an update the report's entries and counts, and the manifest's counts, are those of a fresh build of
    the same files; the exports it does not rewrite are listed as stale, and the outcome says so."""
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    write(src, "extra.md", record("extra", authors=("Zed Only",), topics=("Acme: Brand New", "Medigy: Telehealth")))
    out = tmp_path / "out"
    topicgraph.build([src], out=out, formats=["ttl", "nt"], jobs=1)
    gone = src / "000_e196614bccfeda88.txt"
    gone.unlink()
    _edit(src / "extra.md", "- \"Acme: Brand New\"", "- \"Acme: Other Thing\"")
    outcomes = update([gone, src / "extra.md"], out=out)
    assert [o.status for o in outcomes] == ["removed", "mapped"]
    fresh = topicgraph.build([src], out=tmp_path / "fresh", jobs=1)
    manifest, report = _counts_and_report(out)
    want = dict(fresh.report.counts)
    assert manifest["counts"] == report["counts"] == outcomes.counts == want
    assert GraphStore.open(out).query("SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:Article }") == \
        [{"n": want["articles"]}]
    assert report["files"] == json.loads((tmp_path / "fresh" / "build-report.json").read_text())["files"]
    assert report["unknown_topics"] == fresh.report.unknown_topics == {"Acme: Other Thing": 1}
    assert manifest["stale_exports"] == outcomes.stale_exports == ["graph.nt", "graph.ttl"]
    assert outcomes.warning == (
        f"{out}/graph.nt, {out}/graph.ttl no longer match the graph: an update rewrites no export (the build's "
        f"manifest lists them under stale_exports); to refresh them, rebuild: topicgraph build {src} --out {out} "
        "--format nt --format ttl")
    # a full build writes them again, and they are current
    topicgraph.build([src], out=out, formats=["ttl"], jobs=1)
    assert "stale_exports" not in json.loads((out / "topicgraph-store.json").read_text())


def test_build_and_validate_apply_the_same_duplicate_rules(tmp_path, monkeypatch):
    """The build's skip reasons and validate's findings come from one rule set (records.identity): each later
    duplicate is told against the same first record, by bytes first, then by the article IRI its id mints."""
    from topicgraph.validation import validate

    monkeypatch.chdir(tmp_path)
    src = Path("src")
    write(src, "a.md", record("1", "First"))
    write(src, "b.md", record("1", "Second"))  # the same id, other bytes
    write(src, "c.md", record("1", "Second"))  # the bytes of b.md, which the build did not take
    write(src, "d.md", record("X y", "Third", href="https://example.com/a/d"))
    write(src, "e.md", record("x_Y", "Fourth", href="https://example.com/a/e"))  # an id that folds to d.md's
    report = topicgraph.build([src], out="g", jobs=1).report
    skipped = {f.file: f.reason for f in report.skipped}
    findings = {f.file: f for f in validate([src], jobs=1, check_taxonomy=False).findings
                if f.rule in ("record.duplicate-file", "record.duplicate-id")}
    assert sorted(skipped) == sorted(findings) == ["src/b.md", "src/c.md", "src/e.md"]
    for file, finding in findings.items():
        assert skipped[file].startswith(f"{file}: {finding.message}")
    assert "src/a.md has it too" in skipped["src/c.md"]
    assert "as id 'X y' in src/d.md" in findings["src/e.md"].message
