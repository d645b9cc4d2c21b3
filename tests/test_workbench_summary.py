"""The build's summary against the plain SPARQL: the five summarised named queries give the same rows, in the
same order, on generated corpora and on a corpus made to trip the joins, before and after ``build --update``."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from topicgraph import build
from topicgraph.builder import update
from topicgraph.queries import run_named
from topicgraph.queries.runner import SUMMARISED, from_summary
from topicgraph.store import CACHE_DIR, GraphStore, ensure_summary, open_summary
from topicgraph.store.summary import SUMMARY_FILE
from topicgraph.synth import SynthConfig, generate

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _rows(result):
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


def _params(store: GraphStore) -> list[tuple[str, dict]]:
    """Every summarised query over the corpus, and for a few topics and vendors (one unknown)."""
    topics = [r["topic"].value for r in run_named(store, "topics-by-vendor", summary=False).rows[:6]]
    vendors = sorted({r["vendor"].value for r in run_named(store, "topics-by-vendor", summary=False).rows})
    cases: list[tuple[str, dict]] = [(name, {}) for name in SUMMARISED if name != "topic-timeline"]
    for topic in topics + ["https://example.org/no-such-topic"]:
        cases += [("authors-by-topic", {"topic": topic}), ("brands-by-topic", {"topic": topic}),
                  ("topic-timeline", {"topic": topic})]
    cases += [("topics-by-vendor", {"vendor": v}) for v in vendors + ["https://example.org/no-vendor"]]
    return cases


def assert_same_answers(out: Path) -> int:
    """Summary and SPARQL agree row by row on every case; returns how many rows were compared."""
    ensure_summary(out).close()
    store = GraphStore.open(out)
    compared = 0
    try:
        for name, params in _params(store):
            fast = from_summary(store, name, {k: _term(v) for k, v in params.items()})
            assert fast is not None, f"{name} was not answered from the summary"
            fast = run_named(store, name, params)
            plain = run_named(store, name, params, summary=False)
            assert fast.variables == plain.variables, name
            assert _rows(fast) == _rows(plain), f"{name} {params}"
            compared += len(plain.rows)
    finally:
        store.close()
    return compared


def _term(value: str):
    import pyoxigraph

    return pyoxigraph.NamedNode(value)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 11, 42])
def test_summary_matches_sparql_on_generated_corpora_and_after_update(tmp_path, seed):
    corpus = tmp_path / "corpus"
    generate(corpus, SynthConfig(n=400, seed=seed, groups=6, authors=40, brands=12))
    out = tmp_path / "graph"
    build([corpus], out=out, jobs=1)
    assert assert_same_answers(out) > 500

    files = sorted(p for p in corpus.rglob("*.md"))
    edited, removed = files[:5], files[5:8]
    for path in edited:  # drop a topic line, add another topic, rename an author
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(communityTopics:\n)- '[^']*'\n", r"\1- 'Medigy: Patient Acquisition'\n", text, count=1)
        text = re.sub(r"(author:\n)- '[^']*'", r"\1- 'Renamed Author'", text, count=1)
        path.write_text(text, encoding="utf-8")
    for path in removed:
        path.unlink()
    update(edited + removed, out=out)
    assert open_summary(out) is None  # the update made it stale; the next corpus-wide question rewrites it
    assert assert_same_answers(out) > 500
    assert open_summary(out) is not None


_TRICKY = """---
id: '{ident}'
title: '{title}'
{date}author:
{authors}
link:
  brand: '{brand}'
communityTopics:
{topics}
---
Body text.
"""


def test_summary_matches_sparql_on_tricky_records(tmp_path):
    """Dates with far time zones or none, shared and hostile names, unknown topics, untagged articles."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    cases = [
        ("<script>alert(1)</script>", "2021-02-03", ["A. Writer", "\"><img src=x onerror=alert(1)>"], "brand.example",
         ["Medigy: Patient Acquisition", "Gartner: Customer Experience", "Nowhere: Unknown Topic"]),
        ("Second", "2021-11-30T23:30:00-11:00", ["A. Writer"], "brand.example", ["Medigy: Patient Acquisition"]),
        ("Third", None, ["Zoë Ünicode"], "other.example", ["Gartner: Customer Experience", "Medigy: Telehealth"]),
        ("Fourth", "1999-12-31T23:59:59+14:00", ["zoë ünicode"], "Other.Example", ["Medigy: Telehealth"]),
        ("Fifth", "2021-02-28", ["Someone"], "brand.example", []),
    ]
    for i, (title, date, authors, brand, topics) in enumerate(cases):
        (corpus / f"r{i}.md").write_text(_TRICKY.format(
            ident=f"tricky-{i}", title=title.replace("'", "''"), date=f"date: '{date}'\n" if date else "", brand=brand,
            authors="\n".join(f"- '{a}'" for a in authors),
            topics="\n".join(f"- '{t}'" for t in topics) or "  []"), encoding="utf-8")
    out = tmp_path / "graph"
    report = build([corpus], out=out, jobs=1).report
    assert report.counts["mapped"] == 5, [o.reason for o in report.files if o.status != "mapped"]
    assert assert_same_answers(out) > 10


def test_stale_or_damaged_summary_is_never_used(tmp_path):
    out = tmp_path / "graph"
    build([SEEDS], out=out, jobs=1)
    assert open_summary(out) is None  # the build leaves it to the first question that needs it
    store = GraphStore.open(out)
    # a quick query never pays for the summary; a corpus-wide one writes it, and then the quick one reads it
    assert from_summary(store, "topics-by-vendor", {}) is None and open_summary(out) is None
    assert from_summary(store, "authors-by-topic", {}) is not None
    assert from_summary(store, "topics-by-vendor", {}) is not None
    written = (out / CACHE_DIR / SUMMARY_FILE).stat().st_mtime_ns
    manifest = json.loads((out / "topicgraph-store.json").read_text())
    # another revision (as a build elsewhere would leave): the summary no longer describes the store
    (out / "topicgraph-store.json").write_text(json.dumps({**manifest, "revision": "0" * 32}))
    stale = GraphStore.open(out)
    assert open_summary(out) is None and from_summary(stale, "topics-by-vendor", {}) is None
    for name in ("topics-by-vendor", "authors-by-topic"):
        assert _rows(run_named(stale, name)) == _rows(run_named(stale, name, summary=False))
    assert (out / CACHE_DIR / SUMMARY_FILE).stat().st_mtime_ns != written  # written anew for that revision
    assert open_summary(out) is not None
    (out / "topicgraph-store.json").write_text(json.dumps(manifest))
    (out / CACHE_DIR / SUMMARY_FILE).write_bytes(b"not a database")
    assert open_summary(out) is None
    assert from_summary(GraphStore.open(out), "brands-by-topic", {}) is not None  # rewritten, not read
    shutil.rmtree(out / CACHE_DIR)
    assert open_summary(out) is None
    assert _rows(run_named(GraphStore.open(out), "topic-cooccurrence")) == \
        _rows(run_named(GraphStore.open(out), "topic-cooccurrence", summary=False))
    assert open_summary(out) is not None


def test_a_summary_that_cannot_be_written_falls_back_to_the_plain_sparql(tmp_path):
    out = tmp_path / "graph"
    build([SEEDS], out=out, jobs=1)
    (out / CACHE_DIR).mkdir(exist_ok=True)
    (out / CACHE_DIR / SUMMARY_FILE).mkdir()  # a folder where the file goes: it can be neither read nor replaced
    store = GraphStore.open(out)
    assert from_summary(store, "authors-by-topic", {}) is None
    assert _rows(run_named(store, "authors-by-topic")) == _rows(run_named(store, "authors-by-topic", summary=False))


def test_summary_stays_out_of_the_store_and_has_void_statistics(tmp_path):
    out = tmp_path / "graph"
    build([SEEDS], out=out, jobs=1)
    store = GraphStore.open(out)
    assert len(store) == store.manifest["counts"]["triples"]  # nothing of the summary went into the store
    assert not bool(store.raw_query("ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?p), 'http://rdfs.org/ns/void#')) }"))
    graphs = set(store.named_graphs())
    summary = ensure_summary(out)
    void = summary.void()
    assert void["triples"] == len(store)
    assert void["graphs"] == len(graphs)
    assert void["classes"]["http://schema.org/Article"] == 5
    assert void["properties"]["http://schema.org/about"] == int(
        store.rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a schema:about ?t } }")[0][0])
    with sqlite3.connect(out / CACHE_DIR / SUMMARY_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM counts WHERE kind = 'topic'").fetchone()[0] == 4
