"""update_incidence: BASE's incidence with the touched articles read again from HEAD's store equals a fresh read
of HEAD's store, field by field, for each kind of edit `build --update` applies (the fast path of `diff`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

import topicgraph
from topicgraph.analysis import Incidence, load_incidence, update_incidence
from topicgraph.builder import update

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inc")
    subprocess.run([sys.executable, "-m", "topicgraph", "generate", "corpus", "-n", "120", "--seed", "17",
                    "--taxonomy", "tax"], cwd=folder, check=True, capture_output=True)
    (folder / "corpus" / ".manifest.json").unlink(missing_ok=True)
    shutil.copytree(ROOT / "seeds", folder / "corpus" / "seeds")
    files = sorted((folder / "corpus").glob("0000/*.md"))
    # an author and a topic that only one record names, so that an edit can make them disappear
    _sub(files[11], r"^author:\n(?:- .*\n)+", "author:\n- 'Only Once'\n")
    _sub(files[12], r"^communityTopics:\n", "communityTopics:\n- 'Medigy: Only Here'\n")
    return folder


def _sub(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, n = re.subn(pattern, new, text, count=1, flags=re.M)
    assert n == 1, (pattern, path)
    path.write_text(changed, encoding="utf-8")


def _edits(files: list[Path]) -> dict:
    """Each kind of edit, on its own file (by position in sorted order)."""
    return {
        "topic added, unknown to the taxonomy (a new column)":
            lambda: _sub(files[0], r"^communityTopics:\n", "communityTopics:\n- 'Medigy: Brand New Topic'\n"),
        "every topic removed": lambda: _sub(files[1], r"^communityTopics:\n(?:- .*\n)+", "communityTopics: []\n"),
        "author renamed": lambda: _sub(files[2], r"^author:\n- '", "author:\n- 'Renamed "),
        "brand changed": lambda: _sub(files[3], r"^  brand: '.*'$", "  brand: 'brand-new.example.org'"),
        "date changed": lambda: _sub(files[4], r"^date: '\d{4}", "date: '2001"),
        "record deleted": lambda: files[5].unlink(),
        "record added": lambda: files[6].with_name("added.md").write_text(
            re.sub(r"^id: \d+$", "id: 9999991", files[7].read_text(encoding="utf-8"), count=1, flags=re.M),
            encoding="utf-8"),
        "second author": lambda: _sub(files[8], r"^author:\n", "author:\n- 'Second Writer'\n"),
        "title removed": lambda: _sub(files[9], r"^title: .*\n", ""),
        "one topic swapped": lambda: _sub(files[10], r"^communityTopics:\n- .*\n",
                                          "communityTopics:\n- 'Gartner: Customer Experience'\n"),
        "the only author of a name renamed": lambda: _sub(files[11], r"^- 'Only Once'$", "- 'Now Someone Else'"),
        "the only use of a topic removed": lambda: _sub(files[12], r"^- 'Medigy: Only Here'\n", ""),
    }


def _row(inc: Incidence, a: str) -> tuple:
    i = inc.article_index.get(a)
    topics = () if i is None else tuple(inc.topics[j] for j in inc.matrix[i].indices)
    return (i is None, topics, inc.article_title.get(a), inc.article_identifier.get(a),
            tuple(inc.article_authors.get(a, ())), inc.article_brand.get(a), inc.article_date.get(a))


def _assert_equal(got: Incidence, want: Incidence) -> None:
    for f in fields(Incidence):
        if f.name == "matrix":
            assert got.matrix.shape == want.matrix.shape
            for part in ("indptr", "indices", "data"):
                assert np.array_equal(getattr(got.matrix, part), getattr(want.matrix, part)), part
        else:
            assert getattr(got, f.name) == getattr(want, f.name), f.name


@pytest.mark.parametrize("which", ["all", "none", "record deleted", "author renamed", "record added",
                                   "every topic removed", "topic added, unknown to the taxonomy (a new column)",
                                   "the only author of a name renamed", "the only use of a topic removed"])
def test_updated_incidence_equals_a_fresh_read(corpus, tmp_path, which):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    base = tmp_path / "base"
    topicgraph.build([src / "corpus"], out=base, taxonomy=src / "tax", jobs=1, root=src)
    head = tmp_path / "head"
    shutil.copytree(base, head)
    files = sorted((src / "corpus").glob("0000/*.md"))
    edits = _edits(files)
    chosen = edits if which == "all" else {} if which == "none" else {which: edits[which]}
    before = {p: p.read_bytes() for p in files}
    for edit in chosen.values():
        edit()
    touched_files = [p for p in files if not p.exists() or p.read_bytes() != before[p]]
    touched_files += [p for p in (src / "corpus" / "0000").glob("*.md") if p not in before]
    assert len(touched_files) >= len(chosen)
    update(touched_files, out=head, taxonomy=src / "tax", root=src)

    base_store, head_store = topicgraph.GraphStore.open(base), topicgraph.GraphStore.open(head)
    try:
        old, fresh = load_incidence(base_store, cache=False), load_incidence(head_store, cache=False)
        changed = sorted(a for a in set(old.articles) | set(fresh.articles) if _row(old, a) != _row(fresh, a))
        assert (len(changed) > 0) == bool(chosen)
        _assert_equal(update_incidence(old, head_store, changed), fresh)
        # any superset of the changed articles gives the same: the caller passes every article a diff touched
        extra = old.articles[::7]
        _assert_equal(update_incidence(old, head_store, changed + extra), fresh)
    finally:
        base_store.close()
        head_store.close()
