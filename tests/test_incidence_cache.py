"""The analyses' cached inputs (BUILD/.cache/incidence-*.npz): the same answer as the store, and never stale."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import topicgraph
from topicgraph.builder import update
from topicgraph.analysis.graphs import CACHE_DIR, load_incidence
from topicgraph.store import GraphStore

from .conftest import ROOT


def _same(a, b) -> None:
    assert a.articles == b.articles and a.topics == b.topics
    assert (a.matrix != b.matrix).nnz == 0 and a.matrix.shape == b.matrix.shape
    for name in ("topic_label", "topic_vendor", "article_title", "article_authors", "article_brand", "article_date",
                 "mappings", "article_identifier", "names", "base_iri"):
        assert getattr(a, name) == getattr(b, name), name


def _cache_files(folder):
    return sorted((folder / CACHE_DIR).glob("incidence-*.npz"))


def test_the_cache_gives_what_the_store_gives(tmp_path):
    out = tmp_path / "g"
    topicgraph.build([ROOT / "seeds"], out=out, jobs=1)
    store = GraphStore.open(out)
    fresh = load_incidence(store, cache=False)
    assert _cache_files(out) == []
    first = load_incidence(store)            # reads the store and writes the cache
    assert len(_cache_files(out)) == 1
    cached = load_incidence(store)           # reads the cache
    _same(fresh, first)
    _same(fresh, cached)
    assert isinstance(cached.mappings[0], tuple) and np.array_equal(cached.topic_counts, fresh.topic_counts)


def test_a_damaged_cache_is_read_again_from_the_store(tmp_path):
    out = tmp_path / "g"
    topicgraph.build([ROOT / "seeds"], out=out, jobs=1)
    store = GraphStore.open(out)
    fresh = load_incidence(store)
    _cache_files(out)[0].write_bytes(b"not an npz file")
    _same(fresh, load_incidence(store))


def test_build_and_update_make_the_cache_stale(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "seeds", src)
    out = tmp_path / "g"
    topicgraph.build([src], out=out, jobs=1)
    before = load_incidence(GraphStore.open(out))
    assert len(_cache_files(out)) == 1

    # an update changes the store in place: the cache goes, and the next read sees the change
    victim = next(p for p in sorted(src.iterdir()) if b"communityTopics" in p.read_bytes())
    victim.unlink()
    update([victim], out=out)
    assert _cache_files(out) == []
    after = load_incidence(GraphStore.open(out))
    assert len(after.articles) == len(before.articles) - 1
    _same(after, load_incidence(GraphStore.open(out), cache=False))

    # a new build: a new store and revision, and no cache until an analysis runs
    topicgraph.build([src], out=out, jobs=1)
    assert _cache_files(out) == []
    rebuilt = load_incidence(GraphStore.open(out))
    assert rebuilt.articles == after.articles
    _same(rebuilt, load_incidence(GraphStore.open(out), cache=False))


def test_a_store_without_a_revision_is_never_cached(tmp_path):
    out = tmp_path / "g"
    topicgraph.build([ROOT / "seeds"], out=out, jobs=1)
    store = GraphStore.open(out)
    del store.manifest["revision"]  # a build folder written before revisions existed
    load_incidence(store)
    assert _cache_files(out) == []


def test_a_derived_graph_swap_keeps_the_cache(tmp_path):
    """Replacing a derived graph may move the build to a new store folder; what analyses read stays the same."""
    import json

    from topicgraph.store import replace_graph

    out = tmp_path / "g"
    topicgraph.build([ROOT / "seeds"], out=out, jobs=1)
    store = GraphStore.open(out)
    first = load_incidence(store)
    store.close()
    del store
    cached = _cache_files(out)
    old = json.loads((out / "topicgraph-store.json").read_text())["store"]
    replace_graph(out, "related", ["<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n"],
                  copy_above=-1)
    assert json.loads((out / "topicgraph-store.json").read_text())["store"] != old
    assert _cache_files(out) == cached
    _same(first, load_incidence(GraphStore.open(out)))
    _same(first, load_incidence(GraphStore.open(out), cache=False))


def test_topics_and_brands_read_one_value_at_a_time_give_every_pair(tmp_path):
    """schema:about and schema:publisher are read per distinct value (or all at once when a value is not an IRI):
    the same pairs as one SELECT over the property."""
    from topicgraph.store import replace_graph
    from topicgraph.analysis.graphs import _select_by_value

    out = tmp_path / "g"
    topicgraph.build([ROOT / "seeds"], out=out, jobs=1)

    def pairs(store, prop):
        return sorted(map(tuple, store.rows(f"SELECT ?a ?o WHERE {{ ?a {prop} ?o }}")))

    store = GraphStore.open(out)
    for prop in ("schema:about", "schema:publisher"):
        assert sorted(map(tuple, _select_by_value(store, prop))) == pairs(store, prop) != []
    store.close()
    del store
    art = "https://w3id.org/topicgraph/id/article/4463"
    replace_graph(out, "odd", [f'<{art}> <http://schema.org/about> "a, \\"literal\\" topic" .\n'])
    store = GraphStore.open(out)
    about = pairs(store, "schema:about")
    assert (art, 'a, "literal" topic') in about
    assert sorted(map(tuple, _select_by_value(store, "schema:about"))) == about
    inc = load_incidence(store, cache=False)
    assert 'a, "literal" topic' in inc.topics


def test_a_large_store_is_read_by_two_processes_with_the_same_answer(tmp_path, monkeypatch):
    """Above SPLIT_READ_ABOVE articles a child process reads some of the SELECTs; if it fails, this one does."""
    from topicgraph.analysis import graphs

    out = tmp_path / "g"
    topicgraph.build([ROOT / "seeds"], out=out, jobs=1)
    store = GraphStore.open(out)
    alone = load_incidence(store, cache=False)
    monkeypatch.setattr(graphs, "SPLIT_READ_ABOVE", 1)
    started = []
    real = graphs._Helper.__init__

    def spy(self, *args):
        real(self, *args)
        started.append(self.future)

    monkeypatch.setattr(graphs._Helper, "__init__", spy)
    _same(load_incidence(store, cache=False), alone)
    assert started and started[0] is not None and started[0].exception() is None
    # a worker that dies: its failure is said (not swallowed), and this process reads what it would have
    monkeypatch.setattr(graphs, "_read_rows", _exit_3)
    with pytest.warns(RuntimeWarning, match="second process failed"):
        _same(load_incidence(store, cache=False), alone)
    assert started[1].exception() is not None


def _exit_3(*args):
    """A worker process that ends with status 3 without answering."""
    import os

    os._exit(3)
