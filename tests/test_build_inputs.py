"""What a build is given and what it touches: every name under the sources accounted for in the report (FIFOs,
devices, symlinks, unreadable folders), sources that are build folders refused, and a build folder's own
contents (the user's files) left alone."""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import topicgraph
from topicgraph.cli import cli
from topicgraph.errors import TopicgraphError
from topicgraph.sources import discover_entries as _discover, display_path as _display
from topicgraph.validation import validate
from topicgraph.validation.core import _discover_files

from .conftest import SEEDS

SEED = SEEDS / "000_e196614bccfeda88.txt"


def _report(out: Path) -> dict:
    return json.loads((out / "build-report.json").read_text(encoding="utf-8"))


def _statuses(out: Path) -> dict[str, tuple[str, str]]:
    return {Path(f["file"]).name: (f["status"], f.get("reason", "")) for f in _report(out)["files"]}


@pytest.fixture
def fifo(tmp_path):
    """A folder holding one record and a FIFO. Should anything open the FIFO, a writer opens it after 10 s, so
    that the test fails on its assertions instead of hanging for ever."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    src = tmp_path / "f"
    src.mkdir()
    shutil.copy(SEED, src / "a.md")
    os.mkfifo(src / "p.md")
    done = threading.Event()

    def unblock() -> None:
        while not done.wait(10):
            try:  # without blocking: there may be no reader
                os.close(os.open(src / "p.md", os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    yield src
    done.set()
    thread.join()


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


def test_a_fifo_among_the_sources_is_reported_never_opened(fifo, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(fifo), "--out", str(tmp_path / "g"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "Mapped 1 of 2 files (1 skipped)" in result.output
    statuses = _statuses(tmp_path / "g")
    assert statuses["a.md"][0] == "mapped"
    assert statuses["p.md"] == ("skipped", f"{fifo}/p.md: not a regular file (a FIFO): not read (a record is a "
                                           "regular file: leave it out of the sources)")
    assert CliRunner().invoke(cli, ["build", str(fifo), "--out", str(tmp_path / "g"), "--strict"]).exit_code == 1


def test_a_device_named_as_a_source_is_accounted_for(tmp_path):
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    result = CliRunner().invoke(cli, ["build", "/dev/null", str(SEED), "--out", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert "Mapped 1 of 2 files (1 skipped)" in result.output
    (entry,) = [f for f in _report(tmp_path / "g")["files"] if f["file"] == "/dev/null"]
    assert entry["status"] == "skipped" and "not a regular file (a character device): not read" in entry["reason"]


def test_out_equal_to_a_source_folder_is_refused(tmp_path):
    src = tmp_path / "s2"
    shutil.copytree(SEEDS, src)
    for _ in range(2):  # the first time (no build there yet) and the second
        result = CliRunner().invoke(cli, ["build", str(src), "--out", str(src) + "/"])
        assert result.exit_code == 2, result.output
        assert f"--out {src}" in result.output and "is also a source folder" in result.output
        assert "keep records and the build folder apart" in result.output and "Traceback" not in result.output
    assert not (src / "topicgraph-store.json").exists()


def test_a_build_folder_given_as_a_source_is_refused(tmp_path):
    topicgraph.build([SEEDS], out=tmp_path / "graph", jobs=1)
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "graph"), "--out", str(tmp_path / "other")])
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'graph'} is a build folder (it holds topicgraph-store.json), not a folder of records" \
        in result.output
    with pytest.raises(TopicgraphError, match="is a build folder"):
        validate([tmp_path / "graph"], jobs=1)


def test_a_build_folder_inside_a_source_stays_passed_over(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    for _ in range(2):  # `build . --out graph`: the second build must not read the first one's output
        result = topicgraph.build([src], out=src / "graph", jobs=1)
        assert result.report.counts["files"] == result.report.counts["mapped"] == 5
    assert _report(src / "graph")["ignored"] == {"build folders": 1}


def test_a_symlink_to_a_file_found_is_reported_as_the_same_file(tmp_path):
    h = tmp_path / "h"
    h.mkdir()
    shutil.copy(SEED, h / "a.md")
    os.symlink("a.md", h / "b.md")
    os.symlink("a.md", h / "0.md")  # sorts before the file itself: the file is still the one mapped
    out = tmp_path / "g"
    topicgraph.build([h, h / "a.md"], out=out, jobs=1)  # a.md twice under its own name: listed once
    assert _statuses(out) == {
        "0.md": ("skipped", f"{h}/0.md: same file as {h}/a.md (a symbolic link to it): mapped once, under the "
                            "file's own name"),
        "a.md": ("mapped", ""),
        "b.md": ("skipped", f"{h}/b.md: same file as {h}/a.md (a symbolic link to it): mapped once, under the "
                            "file's own name")}
    assert _report(out)["counts"]["files"] == 3


def _unreadable(monkeypatch, folder: Path) -> None:
    """``os.scandir`` of ``folder`` fails as a folder without read permission does (tests may run as root)."""
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.path.abspath(path) == str(folder):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    src = tmp_path / "k"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SEED, src / "a.md")
    shutil.copy(SEEDS / "001_46930356a44fedc4.txt", src / "sub" / "b.md")
    _unreadable(monkeypatch, src / "sub")
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "g"), "--strict"])
    assert result.exit_code == 1, result.output
    assert "Mapped 1 of 2 files (1 skipped)" in result.output
    assert _statuses(tmp_path / "g")["sub"] == (
        "skipped", f"{src}/sub: cannot read this folder (Permission denied): nothing under it was mapped (give it "
                   "read and execute permission, or move it out of the sources)")
    # a source that cannot be listed at all is an error, as a missing one is
    _unreadable(monkeypatch, src)
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "g")])
    assert result.exit_code == 2 and f"{src}: cannot read this folder (Permission denied)" in result.output


def test_the_report_counts_what_discovery_ignores_as_documented(tmp_path):
    src = tmp_path / "src"
    (src / ".git").mkdir(parents=True)
    (src / ".git" / "x.md").write_text("x")
    (src / "node_modules").mkdir()
    (src / ".hidden.md").write_text("---\nid: h\n---\n")
    shutil.copy(SEED, src / "a.md")
    # a folder link inside the sources is passed over; one leading outside is reported (tests/test_redteam_gate.py)
    os.symlink(src / "node_modules", src / "linked")
    result = topicgraph.build([src], out=tmp_path / "g", jobs=1)
    assert result.report.counts["files"] == 1
    assert _report(tmp_path / "g")["ignored"] == {"hidden files": 1, "hidden or tool folders": 2,
                                                  "symlinked folders": 1}


def test_validate_discovers_what_the_build_discovers_and_turns_away_the_same(fifo, tmp_path, monkeypatch):
    root = fifo
    os.symlink("a.md", root / "b.md")
    (root / "sub").mkdir()
    (root / "sub" / "c.md").write_text("c")
    (root / "z").mkdir()
    os.symlink(root / "z" / "real.md", root / "z" / "0.md")
    shutil.copy(SEED, root / "z" / "real.md")
    _unreadable(monkeypatch, root / "sub")
    for sources in ([root], [root / "z", root / "a.md", root / "b.md"]):
        entries, _ = _discover(sources)
        files, passed = _discover_files(sources)
        assert [(f.path, f.display) for f in files] == [(p, _display(p)) for p, skip in entries if skip is None]
        build_side = [(p, _display(p), skip[0], _display(skip[1]) if skip[0] == "same" else skip[1])
                      for p, skip in entries if skip is not None]
        assert [tuple(p) for p in passed] == build_side
    assert {(Path(p).name, skip[0]) for p, skip in _discover([root])[0] if skip} == {
        ("p.md", "special"), ("b.md", "same"), ("0.md", "same"), ("sub", "folder")}



def test_update_from_the_cli_warns_that_an_export_is_stale(tmp_path):
    src = tmp_path / "s"
    shutil.copytree(SEEDS, src)
    out = tmp_path / "g"
    assert CliRunner().invoke(cli, ["build", str(src), "--out", str(out), "--format", "ttl", "-q"]).exit_code == 0
    victim = next(src.glob("002_*"))
    victim.unlink()
    r = CliRunner().invoke(cli, ["build", "--update", str(victim), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert f"warning: {out}/graph.ttl no longer matches the graph" in r.stderr
    assert f"--out {out} --format ttl" in r.stderr
    assert json.loads((out / "topicgraph-store.json").read_text())["counts"]["articles"] == 4


def test_update_reports_a_copy_of_another_file_as_a_full_build_does(tmp_path):
    """An updated file whose bytes are now those of another record is skipped as a duplicate file, naming it; the
    store keeps one article for the two."""
    src = tmp_path / "s"
    shutil.copytree(SEEDS, src)
    out = tmp_path / "g"
    assert CliRunner().invoke(cli, ["build", str(src), "--out", str(out), "-q"]).exit_code == 0
    first, second = sorted(src.glob("00[01]_*"))
    second.write_bytes(first.read_bytes())
    r = CliRunner().invoke(cli, ["build", "--update", str(second), "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    (outcome,) = json.loads(r.output)
    assert outcome["status"] == "skipped"
    assert outcome["reason"] == (f"{_display(second)}: duplicate file: the same bytes as {_display(first)} "
                                 "(delete one copy)")
    full = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "g2"), "--json"])
    assert [s["reason"] for s in json.loads(full.output)["skipped"]] == [outcome["reason"]]
    assert json.loads((out / "topicgraph-store.json").read_text())["counts"]["articles"] == 4
