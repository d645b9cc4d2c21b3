"""What a build is given and what it touches: every name under the sources accounted for in the report (FIFOs,
devices, symlinks, unreadable folders), sources that are build folders refused, and a build folder's own
contents (the user's files) left alone."""

from __future__ import annotations

import json

from click.testing import CliRunner

from topicgraph.cli import cli


def test_build_removes_only_what_a_build_makes(tmp_path):
    out = tmp_path / "proj"
    for name in ("store-notes", "base-camp", "store-0123456789ab", ".tmp-build-0123456789ab",
                 ".tmp-build-derived-01234567"):
        (out / name).mkdir(parents=True)
    (out / "store-notes" / "a.txt").write_text("mine")
    (out / ".mine.tmp").write_text("mine too")
    (out / ".notes.abcdefgh.tmp").write_text("and this")
    (out / ".graph.ttl.abcd_123.tmp").write_text("half an export")
    (out / ".build-report.json.zzzzzzzz.tmp").write_text("half a report")
    result = CliRunner().invoke(cli, ["build", "seeds", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in out.iterdir())
    manifest = json.loads((out / "topicgraph-store.json").read_text())
    assert left == sorted([".build.lock", ".mine.tmp", ".notes.abcdefgh.tmp", "base-camp", "build-report.json",
                           manifest["base"], manifest["store"], "store-notes", "topicgraph-store.json"])
    assert (out / "store-notes" / "a.txt").read_text() == "mine"
    # a second build replaces its own store and base, and still nothing of the user's
    CliRunner().invoke(cli, ["build", "seeds", "--out", str(out), "-q"])
    assert sorted(p.name for p in out.iterdir() if p.name not in left) == sorted(
        json.loads((out / "topicgraph-store.json").read_text())[k] for k in ("store", "base"))
    assert (out / "store-notes" / "a.txt").exists() and (out / "base-camp").is_dir()
