"""What makes `topicgraph validate` fast must not change what it finds.

- The SHACL screen (topicgraph/shacl/screen.py) only ever lets a graph skip pyshacl when pyshacl finds nothing in it.
- Batched pyshacl gives each record exactly the results validating it alone gives, even when records of one batch
  share nodes, describe them differently (an author spelled two ways, a duplicate id) or break custom shapes.
- The cache's stat check, the one-database cache and the file discovery agree with the slow, careful way.
No timings are asserted here: docs and the lead's benchmark table carry the numbers.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topicgraph.validation import validate
from topicgraph.shacl import Graph, Screen, Shapes, parse_nt
from topicgraph.shacl import nt_graph as _graph

from .conftest import DATA, ROOT

BROKEN = (DATA / "broken" / "records").relative_to(ROOT).as_posix()
_ORIGINAL = Shapes.results_for

# Stricter shapes than the shipped ones, so that many records of a synthetic corpus get SHACL results of every
# severity, on their own article and on nodes they share with other records (people, brands, concepts).
STRICT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix t: <https://example.org/test-shapes#> .
@prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

t:ArticleExtra a sh:NodeShape ;
    sh:targetClass schema:Article ;
    sh:property t:needsDescription , t:fewTopics , t:shortHeadline .
t:needsDescription a sh:PropertyShape ; sh:path schema:description ; sh:minCount 1 ; sh:severity sh:Warning ;
    sh:message "An article should have a description: add one."@en .
t:fewTopics a sh:PropertyShape ; sh:path schema:about ; sh:maxCount 3 ;
    sh:message "At most three topics: drop the rest."@en .
t:shortHeadline a sh:PropertyShape ; sh:path schema:headline ; sh:maxLength 48 ; sh:severity sh:Info ;
    sh:message "A headline of at most 48 characters reads best: shorten it."@en .
t:PersonExtra a sh:NodeShape ;
    sh:targetClass schema:Person ;
    sh:property [ sh:path schema:name ; sh:pattern "^[A-Z][a-z]+ [A-Z]" ;
                  sh:message "A person's name starts 'Given Family': write it so."@en ] .
t:ConceptDefinition a sh:NodeShape ;
    sh:targetClass skos:Concept ;
    sh:property [ sh:path skos:definition ; sh:minCount 1 ;
                  sh:message "A concept needs a definition: add one to the taxonomy."@en ] .
"""


def _per_record(self, graphs, *, ignore=frozenset(), batch=2000):
    """The reference: pyshacl on each record's graph alone, no screen, no batches."""
    return [self.validate(_graph(g.text if isinstance(g, Graph) else g)) for g in graphs]


def _batched_only(batch_size: int):
    """The fast path with the screen switched off (every graph goes to pyshacl) and small batches."""
    def run(self, graphs, *, ignore=frozenset(), batch=2000):
        saved, self.screen = self.screen, None
        try:
            return _ORIGINAL(self, graphs, ignore=ignore, batch=batch_size)
        finally:
            self.screen = saved
    return run


def _report(monkeypatch, impl, paths, **kwargs):
    monkeypatch.setattr(Shapes, "results_for", impl)
    try:
        return [f.to_dict() for f in validate(paths, jobs=1, **kwargs).findings]
    finally:
        monkeypatch.setattr(Shapes, "results_for", _ORIGINAL)


@pytest.fixture(scope="module")
def strict_shapes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shapes")
    for path in (ROOT / "ontology" / "shapes").glob("*.ttl"):
        shutil.copy(path, folder / path.name)
    (folder / "strict.ttl").write_text(STRICT_SHAPES, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def injected_corpus(tmp_path_factory):
    """60 synthetic records plus records made to collide inside a batch: a second record with an existing id
    (the same article node, other triples), an author spelled another way (the same person node, another name),
    and a topic the taxonomy lacks (a minted concept)."""
    from topicgraph.synth import SynthConfig, generate

    root = tmp_path_factory.mktemp("injected")
    generate(root / "corpus", SynthConfig(n=60, seed=7, plain_fraction=0.1, shard_size=1000))
    corpus = root / "corpus"
    (corpus / ".manifest.json").unlink()
    records = sorted(corpus.rglob("*.md"))
    first = records[0].read_text(encoding="utf-8")
    (corpus / "0000" / "zz-duplicate-id.md").write_text(
        first.replace("title: '", "title: 'Another title for the same id: ", 1), encoding="utf-8")
    text = records[1].read_text(encoding="utf-8")
    author_line = text.split("author:\n", 1)[1].split("\n", 1)[0]
    assert author_line.startswith("- '"), author_line
    (corpus / "0000" / "zz-author-case.md").write_text(
        re.sub(r"^id: (.*)$", r"id: zz-\1", text, count=1, flags=re.M).replace(author_line, author_line.upper(), 1),
        encoding="utf-8")
    (corpus / "0000" / "zz-unknown-topic.md").write_text(
        re.sub(r"^id: (.*)$", r"id: zy-\1", records[2].read_text(encoding="utf-8"), count=1, flags=re.M).replace(
            "communityTopics:\n", "communityTopics:\n- 'Medigy: Topic Nobody Defined'\n", 1), encoding="utf-8")
    return corpus


def test_the_screen_sends_the_broken_corpus_findings_through_unchanged(monkeypatch):
    slow = _report(monkeypatch, _per_record, [BROKEN])
    assert _report(monkeypatch, _ORIGINAL, [BROKEN]) == slow
    assert _report(monkeypatch, _batched_only(3), [BROKEN]) == slow
    assert any(f["rule"].startswith("tgsh:") for f in slow)  # the RDF files' SHACL results are in it


def test_batched_shacl_equals_per_record_shacl_with_injected_violations(monkeypatch, strict_shapes,
                                                                        injected_corpus):
    calls = []
    real_validate = Shapes.validate

    def counting(self, data):
        calls.append(len(data))
        return real_validate(self, data)

    kwargs = dict(shapes=strict_shapes, check_taxonomy=False)
    slow = _report(monkeypatch, _per_record, [injected_corpus], **kwargs)
    rules = {f["rule"] for f in slow}
    assert {"<https://example.org/test-shapes#needsDescription>", "<https://example.org/test-shapes#fewTopics>",
            "<https://example.org/test-shapes#shortHeadline>"} <= rules, rules
    assert any(f["rule"] == "sh:PatternConstraintComponent" for f in slow)  # a shared person node, every record
    assert any(f["rule"] == "sh:MinCountConstraintComponent" and "nobody" in (f["node"] or "") for f in slow)
    monkeypatch.setattr(Shapes, "validate", counting)
    batched = _report(monkeypatch, _batched_only(16), [injected_corpus], **kwargs)
    assert batched == slow
    records = len(list(injected_corpus.rglob("*.*")))
    assert len(calls) < records / 4, "records were not validated in batches"
    calls.clear()
    fast = _report(monkeypatch, _ORIGINAL, [injected_corpus], **kwargs)
    assert fast == slow


def test_batches_never_mix_records_that_describe_a_node_differently():
    from topicgraph.shacl.engine import _batches

    a = parse_nt('<https://e.org/a> <http://schema.org/author> <https://e.org/p> .\n'
                 '<https://e.org/p> <http://schema.org/name> "Ann" .\n')
    b = parse_nt('<https://e.org/b> <http://schema.org/author> <https://e.org/p> .\n'
                 '<https://e.org/p> <http://schema.org/name> "ANN" .\n')
    c = parse_nt('<https://e.org/c> <http://schema.org/author> <https://e.org/p> .\n'
                 '<https://e.org/p> <http://schema.org/name> "Ann" .\n')
    d = parse_nt('<https://e.org/d> <http://schema.org/about> <https://e.org/a> .\n')  # names a only as an object
    groups = [sorted(g) for g, _ in _batches([0, 1, 2, 3], [a, b, c, d], 100)]
    assert sorted(groups) == [[0, 2], [1, 3]]


# ------------------------------------------------------------------------------------------------- the screen
_S, _SCHEMA, _SKOS, _TG = "https://e.org/", "http://schema.org/", "http://www.w3.org/2004/02/skos/core#", \
    "https://w3id.org/topicgraph/ns#"
_XSD, _RDF = "http://www.w3.org/2001/XMLSchema#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_NODES = [f"<{_S}{n}>" for n in ("a", "b", "p", "c", "s")]
_CLASSES = [f"<{_SCHEMA}{c}>" for c in ("Article", "Person", "Organization", "ImageObject")] + \
    [f"<{_SKOS}{c}>" for c in ("Concept", "ConceptScheme")] + \
    [f"<{_TG}Community>", "<http://www.w3.org/ns/prov#Entity>"]
_PREDICATES = [f"<{_SCHEMA}{p}>" for p in ("identifier", "headline", "name", "url", "author", "publisher", "about",
                                           "keywords", "datePublished", "alternateName")] + \
    [f"<{_SKOS}{p}>" for p in ("prefLabel", "altLabel", "inScheme", "broader", "narrower", "definition")] + \
    [f"<{_TG}{p}>" for p in ("recordFormat", "missing", "frontMatter")] + ["<http://www.w3.org/ns/prov#wasDerivedFrom>"]
_LITERALS = ['"x"', '"Ann Lee"', '" "', '"plain"', '"front-matter"', '"title"', '"x"@en', '"x"@EN', '"y"@en-GB',
             '"z"@fr', '"2021-02-03"^^<%sdate>' % _XSD, '"2021-02-03T09:39:46Z"^^<%sdateTime>' % _XSD,
             '"not a date"^^<%sdate>' % _XSD, '"{}"^^<%sJSON>' % _RDF, '"x"^^<%sstring>' % _XSD,
             '"https://e.org/"', '"say \\"hi\\""']
_statement = st.one_of(
    st.tuples(st.sampled_from(_NODES), st.just(f"<{_RDF}type>"), st.sampled_from(_CLASSES)),
    st.tuples(st.sampled_from(_NODES), st.sampled_from(_PREDICATES),
              st.one_of(st.sampled_from(_NODES), st.sampled_from(_LITERALS), st.just("<https://e.org/>"))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_statement, min_size=1, max_size=14))
def test_the_screen_never_passes_a_graph_pyshacl_finds_something_in(statements):
    shapes = Shapes.load()
    nt = "".join(f"{s} {p} {o} .\n" for s, p, o in statements)
    if shapes.screen.conforms(parse_nt(nt)):
        assert shapes.validate(_graph(nt)) == []


def test_the_screen_passes_clean_records_and_the_shipped_shapes_compile():
    shapes = Shapes.load()
    assert shapes.screen is not None and shapes.batchable
    from topicgraph.validation.context import Context
    from topicgraph.validation.record_graph import record_graph as _record_graph
    from topicgraph.records import read_record

    ctx = Context.create()
    for path in sorted((ROOT / "seeds").iterdir()):
        graph = _record_graph(ctx.mapper.map(read_record(path)), ctx)
        assert graph.triples == parse_nt(graph.text)
        # seed 002 has no title: its warning must come from pyshacl, so the screen may not pass it
        found = [r for r in shapes.validate(_graph(graph.text)) if r.focus not in ctx.taxonomy_types]
        assert shapes.screen.conforms(graph.triples, ctx.taxonomy_types.keys()) == (not found), path.name


_DIGITS = st.text("0123456789", min_size=1, max_size=2)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.tuples(st.just("integer"), st.one_of(st.integers(-10, 10**19).map(str), st.text("0123456789", max_size=20),
                                            st.sampled_from(["+1", "00", "1_000", "١٢", " 1"]))),
    st.tuples(st.just("date"), st.builds(lambda y, m, d: f"{y}-{m}-{d}", st.sampled_from(["0999", "1000", "2020",
                                                                                       "2021", "9999", "20211"]),
                                         _DIGITS, _DIGITS)),
    st.tuples(st.just("dateTime"), st.builds(
        lambda d, h, mi, se, frac, zone: f"{d}T{h}:{mi}:{se}{frac}{zone}",
        st.sampled_from(["2020-02-29", "2021-02-29", "2017-01-31", "1000-12-31", "9999-12-31", "2021-13-01"]),
        _DIGITS, _DIGITS, _DIGITS,
        st.sampled_from(["", ".000000", ".775836", ".1", ".100000", ".0000001", ".999999"]),
        st.sampled_from(["", "Z", "+00:00", "+02:00", "-00:00", "z"]))),
    st.tuples(st.sampled_from([_RDF + "JSON", "https://e.org/my-type", "token", "normalizedString",
                               "decimal"]),
              st.sampled_from(['{"a": [1, 2]}', "{", " x  y ", "", "true", "1.50", "\u00e9"]))))
def test_the_screens_quick_typed_literals_agree_with_rdflib(case):
    """The dates, integers and JSON every record has are read without rdflib; that must give what rdflib gives."""
    from topicgraph.shacl import ntriples

    name, lex = case
    dt = name if ":" in name else _XSD + name
    quick = ntriples._typed_quick(lex, dt)
    saved, ntriples._typed_quick = ntriples._typed_quick, lambda lex, dt: None
    try:
        slow = ntriples._typed_known.__wrapped__(lex, dt)  # rdflib's and pyshacl's answer, not remembered
    finally:
        ntriples._typed_quick = saved
    assert quick is None or quick == slow, (lex, dt)
    if dt == _RDF + "JSON":
        assert quick is not None  # the front matter kept as rdf:JSON, in every record
    if name in ("token", "normalizedString", "decimal"):
        assert quick is None
    if name != "integer" and re.fullmatch(r"[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])(T(0\d|1\d|2[0-3]):[0-5]\d:"
                                         r"[0-5]\d(\.\d{5}[1-9])?Z?)?", lex):
        assert quick is not None, lex  # the forms records use do take the quick way


def test_the_screen_remembers_verdicts_only_for_the_same_shared_description():
    from topicgraph.shacl import Shared

    screen = Screen.compile(Shapes.load().graph)
    local = {k.rsplit("#", 1)[-1][:-1]: v.local for k, v in screen.shapes.items() if k.startswith("<")}
    assert local["PersonShape"] and local["OrganizationShape"] and local["CommunityShape"]
    assert not local["ArticleShape"] and not local["ConceptShape"]  # sh:class reads other nodes
    person, name = "<https://e.org/p>", "<http://schema.org/name>"
    typed = {f"<{_RDF}type>": ["<http://schema.org/Person>"]}
    good, bad = Shared(typed, **{name: [("Ann", None, None)]}), Shared(typed, **{name: [(" ", None, None)]})
    for _ in range(2):  # the same node described two ways (two spellings of one author in two records)
        assert screen.conforms({person: good}) is True
        assert screen.conforms({person: bad}) is False
        assert screen.conforms({person: dict(good, **{"<http://schema.org/url>": ["<https://e.org/>"]})}) is False
    assert {k[1] for k in good.verdicts} | {k[1] for k in bad.verdicts} == {person}


def test_shapes_the_screen_cannot_model_fall_back_to_pyshacl(tmp_path):
    import rdflib

    ttl = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix s: <http://schema.org/> .
    <https://e.org/S> a sh:NodeShape ; sh:targetClass s:Person ;
        sh:property [ sh:path [ sh:inversePath s:author ] ; sh:minCount 1 ] ."""
    graph = rdflib.Graph().parse(data=ttl, format="turtle")
    assert Screen.compile(graph) is None
    (tmp_path / "inverse.ttl").write_text(ttl)
    shapes = Shapes.load(tmp_path)
    assert shapes.screen is None and not shapes.batchable
    lonely = '<https://e.org/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Person> .\n'
    written = lonely + '<https://e.org/a> <http://schema.org/author> <https://e.org/p> .\n'
    got = shapes.results_for([lonely, written])
    assert [len(r) for r in got] == [1, 0]  # each graph alone: only the person nobody wrote with has a result


# ------------------------------------------------------------------------------------------------- cache, files
def _aged_seeds(tmp_path, *extra: str):
    """A copy of the seeds (and ``extra`` files) last modified an hour ago: (folder, that time)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    for i, path in enumerate(extra):
        shutil.copy(path, corpus / f"{chr(ord('a') + i)}.md")
    old = time.time() - 3600
    for path in corpus.iterdir():
        os.utime(path, (old, old))
    return corpus, old


def test_stat_check_skips_unchanged_files_and_rehashes_touched_ones(tmp_path, monkeypatch):
    corpus, old = _aged_seeds(tmp_path)
    cache = tmp_path / "cache"
    first = validate([corpus], cache_dir=cache, jobs=1)
    reads = []
    real_open, real_read = open, Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or real_read(self))
    monkeypatch.setattr("builtins.open", lambda f, *a, **k: reads.append(Path(str(f)).name) or real_open(f, *a, **k))
    second = validate([corpus], cache_dir=cache, jobs=1)
    assert (second.cached, second.stats["checked"]) == (5, 0)
    assert not [r for r in reads if r in {p.name for p in corpus.iterdir()}], "unchanged files were read"
    assert [f.to_dict() for f in second.findings] == [f.to_dict() for f in first.findings]
    # touched, same bytes: hashed, not checked again; then trusted by its new time
    target = sorted(corpus.iterdir())[0]
    os.utime(target, (old + 10, old + 10))
    reads.clear()
    third = validate([corpus], cache_dir=cache, jobs=1)
    assert (third.cached, third.stats["checked"]) == (5, 0) and reads.count(target.name) == 1
    reads.clear()
    validate([corpus], cache_dir=cache, jobs=1)
    assert reads.count(target.name) == 0
    # same size, same time, other bytes, written just now: recorded as racy, so the next run hashes it
    target.write_text(target.read_text(encoding="utf-8").replace("a", "b", 1), encoding="utf-8")
    fourth = validate([corpus], cache_dir=cache, jobs=1)
    assert fourth.stats["checked"] == 1
    reads.clear()
    validate([corpus], cache_dir=cache, jobs=1)
    assert reads.count(target.name) == 1


def test_an_unchanged_rerun_reuses_the_last_runs_findings_and_any_change_does_not(tmp_path, monkeypatch):
    from topicgraph.validation import cache as cache_mod

    corpus, old = _aged_seeds(tmp_path, BROKEN + "/dup-id-a.md")
    cache = tmp_path / "cache"
    first = validate([corpus], cache_dir=cache, jobs=1)
    per_file = []
    real = cache_mod.ResultCache.summaries
    monkeypatch.setattr(cache_mod.ResultCache, "summaries", lambda self, paths: per_file.append(1) or real(self, paths))
    second = validate([corpus], cache_dir=cache, jobs=1)
    assert not per_file, "an unchanged rerun read the per-file summaries"
    assert (second.cached, second.stats["checked"], second.files) == (6, 0, first.files)
    assert [f.to_dict() for f in second.findings] == [f.to_dict() for f in first.findings]
    assert validate([corpus], cache_dir=cache, jobs=1, strict=True).exit_code == 1  # strict is applied afresh
    # another kind of run (no taxonomy stage) has findings of its own
    no_tax = validate([corpus], cache_dir=cache, jobs=1, check_taxonomy=False)
    assert per_file and [f.to_dict() for f in no_tax.findings] == [f.to_dict() for f in first.findings
                                                                   if f.file in first.files]
    # a new file, however old, is a change: its duplicate id is found
    shutil.copy(BROKEN + "/dup-id-b.md", corpus / "b.md")
    os.utime(corpus / "b.md", (old, old))
    per_file.clear()
    third = validate([corpus], cache_dir=cache, jobs=1)
    assert per_file and third.stats["checked"] == 1
    assert [(Path(f.file).name, f.rule) for f in third.findings if f.rule == "record.duplicate-id"] == \
        [("b.md", "record.duplicate-id")]
    # a file modified moments ago: its run keeps no findings for the next (an edit in the same tick would hide)
    (corpus / "b.md").unlink()
    target = sorted(corpus.glob("0*"))[0]
    target.write_text(target.read_text(encoding="utf-8").replace("'Gartner: Customer Experience'",
                                                                 "'Gartner: Custmer Experience'"), encoding="utf-8")
    fourth = validate([corpus], cache_dir=cache, jobs=1)
    per_file.clear()
    fifth = validate([corpus], cache_dir=cache, jobs=1)
    assert per_file, "a run with a file modified moments ago was trusted"
    assert [f.to_dict() for f in fifth.findings] == [f.to_dict() for f in fourth.findings]
    assert [f.rule for f in fifth.findings if f.file.endswith(target.name)] == ["record.topics.unknown-topic"]


def test_workers_started_ahead_are_used_or_stopped(tmp_path, monkeypatch):
    from topicgraph.validation import core

    started = []
    real = core._Pool.__init__
    monkeypatch.setattr(core._Pool, "__init__", lambda self, *a: started.append(1) or real(self, *a))
    monkeypatch.setattr(core, "PARALLEL_MIN", 3)
    corpus = tmp_path / "c"
    shutil.copytree(ROOT / "seeds", corpus)
    alone = [f.to_dict() for f in validate([corpus], jobs=1).findings]
    assert not started
    assert [f.to_dict() for f in validate([corpus], jobs=2, cache_dir=tmp_path / "cache").findings] == alone
    assert started == [1]  # started before discovery, then used
    # a second run under the same configuration has results to reuse: no workers ahead of time
    validate([corpus], jobs=2, cache_dir=tmp_path / "cache")
    assert started == [1]
    # the quick count saw three files, discovery only one (dot files are skipped): started, then stopped
    few = tmp_path / "few"
    few.mkdir()
    shutil.copy(next(corpus.glob("000_*")), few / "a.txt")
    for name in (".b.txt", ".c.txt"):
        shutil.copy(few / "a.txt", few / name)
    assert [f.to_dict() for f in validate([few], jobs=2).findings] == \
        [f.to_dict() for f in validate([few], jobs=1).findings]
    assert started == [1, 1]
    with pytest.raises(core.TopicgraphError):  # a missing path: the error, and no workers left behind
        validate([corpus, tmp_path / "missing"], jobs=2)


def test_discover_files_finds_what_the_build_finds(tmp_path):
    from topicgraph.sources import discover, display_path as _display
    from topicgraph.validation.core import discover_files

    root = tmp_path / "tree"
    shutil.copytree(ROOT / "seeds", root / "a")
    (root / "a" / ".hidden.md").write_text("---\nid: h\n---\n")
    (root / "b" / "node_modules").mkdir(parents=True)
    (root / "b" / "node_modules" / "x.md").write_text("x")
    (root / "build").mkdir()
    (root / "build" / "topicgraph-store.json").write_text("{}")
    (root / "build" / "y.md").write_text("y")
    os.symlink(root / "a" / "000_e196614bccfeda88.txt", root / "b" / "link.txt")  # the same file twice
    os.symlink(root / "a", root / "linked-folder")  # not walked, like os.walk
    for sources in ([root], [root / "b", root / "a"], [ROOT / "seeds", "seeds", DATA / "bad"]):
        assert [(f.path, f.display) for f in discover_files(sources)] == \
            [(p.as_posix(), _display(p)) for p in discover(sources)]
