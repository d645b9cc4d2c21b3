"""Replacing a large derived graph: from the build's base checkpoint, or (after an update) from a full dump.

Either way the new store holds exactly the old store's quads with the replaced graph's swapped for the new ones:
compared quad by quad (the seed graph has no blank nodes)."""

from __future__ import annotations

import json
import shutil

import pyoxigraph
import pytest

import topicgraph
from topicgraph.builder import update
from topicgraph.store import replace_graph

from .conftest import ROOT

EX = "https://example.org/"


def _quads(out) -> set[str]:
    manifest = json.loads((out / "topicgraph-store.json").read_text())
    ox = pyoxigraph.Store.read_only(str(out / manifest["store"]))
    text = pyoxigraph.serialize(ox, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")
    del ox
    assert "_:" not in text
    return set(text.splitlines())


def _lines(graph_name: str, n: int) -> list[str]:
    return [f"<{EX}{graph_name}/{i}> <{EX}p> \"{i}\" .\n" for i in range(n)]


@pytest.mark.parametrize("with_base", [True, False], ids=["from-base", "from-dump"])
def test_a_large_graph_is_swapped_and_nothing_else_changes(tmp_path, with_base):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "seeds", src)
    out = tmp_path / "g"
    topicgraph.build([src], out=out, jobs=1)
    manifest = json.loads((out / "topicgraph-store.json").read_text())
    assert manifest["base"] and (out / manifest["base"]).is_dir()
    if not with_base:  # an update changes the store in place and drops the base
        victim = sorted(src.iterdir())[-1]
        victim.write_bytes(victim.read_bytes() + b"\nOne more line.\n")
        update([victim], out=out)
        manifest = json.loads((out / "topicgraph-store.json").read_text())
        assert "base" not in manifest and not any(p.name.startswith("base-") for p in out.iterdir())

    clusters, _ = replace_graph(out, "clusters", _lines("c", 3))           # small: in place
    related, _ = replace_graph(out, "related", _lines("r", 50))            # absent: in place
    before = _quads(out)
    old_store = json.loads((out / "topicgraph-store.json").read_text())["store"]

    graph, lines = replace_graph(out, "related", _lines("s", 7), copy_above=0)   # copy and swap
    manifest = json.loads((out / "topicgraph-store.json").read_text())
    assert graph == related and lines == 7
    assert manifest["store"] != old_store and not (out / old_store).exists()
    assert manifest["derived"] == sorted([clusters, related])
    assert not any(p.name.startswith(".tmp-build-") for p in out.iterdir())
    after = _quads(out)
    kept = {q for q in before if not q.endswith(f"<{related}> .")}
    new = {f"<{EX}s/{i}> <{EX}p> \"{i}\" <{related}> ." for i in range(7)}
    assert after == kept | new
    assert sum(1 for q in after if q.endswith(f"<{clusters}> .")) == 3


def test_an_empty_replacement_leaves_an_empty_graph(tmp_path):
    out = tmp_path / "g"
    topicgraph.build([ROOT / "seeds"], out=out, jobs=1)
    related, _ = replace_graph(out, "related", _lines("r", 5))
    replace_graph(out, "related", [], copy_above=0)
    assert not any(q.endswith(f"<{related}> .") for q in _quads(out))
    store = topicgraph.GraphStore.open(out)
    assert related in store.named_graphs()


def test_the_lines_stream_into_the_store_and_errors_surface(tmp_path):
    """The new graph's lines go to the loader through a pipe while they are made: a bad line fails the write
    without leaving the line maker blocked on a full pipe, and an error of the line maker is raised."""
    import threading

    from topicgraph.errors import TopicgraphError

    out = tmp_path / "g"
    topicgraph.build([ROOT / "seeds"], out=out, jobs=1)
    graph, lines = replace_graph(out, "related", iter(_lines("r", 20_000)))       # several pipe buffers' worth
    assert lines == 20_000
    store = topicgraph.GraphStore.open(out)
    assert store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"] == 20_000
    store.close()
    del store

    def bad():
        yield "<not an iri> <p> <o> .\n"
        yield from _lines("b", 50_000)

    with pytest.raises(TopicgraphError, match="could not write"):
        replace_graph(out, "clusters", bad())
    assert not any(t.name == "topicgraph-ntriples" for t in threading.enumerate())

    def broken():
        yield from _lines("c", 10)
        raise RuntimeError("the line maker broke")

    with pytest.raises(RuntimeError, match="line maker broke"):
        replace_graph(out, "clusters", broken())
    assert not any(p.name.startswith(".tmp-build-") for p in out.iterdir())
