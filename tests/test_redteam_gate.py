"""Red team: `validate` as a CI gate on hostile pull requests, and `build` on the same trees (issue 15, points 1-2).

A pull request can add any file, symlinks included, and can commit a forged validation cache; the gate must
still judge the files themselves and read nothing from outside the paths it was given. Each test here passed
the attack on the code before these promises were kept (the poisoned cache gave exit 0; the links were read).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli

from .conftest import SEEDS

pytestmark = pytest.mark.redteam

SEED = SEEDS / "000_e196614bccfeda88.txt"
SECRET = "AUTHORIZATION: basic c2VjcmV0"
TOKEN = "ghs_0123456789abcdefSECRETTOKEN"
BAD = {
    "link.md": "---\nid: bad-link\ntitle: Bad link\nauthor: []\ncommunityTopics: []\nlink:\n  brand: example.com\n"
               "  href: \"javascript:alert(1)\"\ndate: '2021-02-03'\n---\n<p>Body.</p>\n",
    "tag.md": "---\nid: bad-tag\ntitle: !!python/object/apply:os.system [\"true\"]\nauthor: []\n"
              "communityTopics: []\nlink:\n  brand: example.com\n  href: https://example.com/t\n"
              "date: '2021-02-03'\n---\n<p>Body.</p>\n",
}


@pytest.fixture
def user_cache(tmp_path, monkeypatch) -> Path:
    """The user's cache folder, away from the real one and from every tree a test validates."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _bad_tree(root: Path) -> None:
    root.mkdir(parents=True)
    shutil.copy(SEED, root / "good.md")
    for name, text in BAD.items():
        (root / name).write_text(text, encoding="utf-8")


def _validate(*args: str):
    return CliRunner().invoke(cli, ["validate", *args, "-j", "1"])


def _findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def _forge(cache_db: Path, tree: Path) -> None:
    """What an attacker does to a real cache: every bad file's row says it passed, under the sha256 of its bytes
    (to be hashed, not trusted by its time: a fresh clone has new times); the runs kept are dropped."""
    con = sqlite3.connect(cache_db)
    for path, summary in con.execute("SELECT path, summary FROM files").fetchall():
        if path in BAD:
            forged = dict(json.loads(summary), findings=[])
            sha = hashlib.sha256((tree / path).read_bytes()).hexdigest()
            con.execute("UPDATE files SET summary = ?, sha256 = ?, mtime_ns = -1 WHERE path = ?",
                        (json.dumps(forged), sha, path))
    con.execute("DELETE FROM runs")
    con.commit()
    con.close()


def test_a_poisoned_cache_committed_in_the_tree_decides_nothing(tmp_path, monkeypatch, user_cache):
    tree = tmp_path / "pr"
    _bad_tree(tree)
    # the attacker runs validate on a copy of the same files to get a real cache, then edits it
    copy = tmp_path / "attacker" / "pr"
    shutil.copytree(tree, copy)
    monkeypatch.chdir(copy)
    made = _validate(".", "--cache", str(tmp_path / "attacker" / "cache"))
    assert made.exit_code == 1, made.output
    real_cache = tmp_path / "attacker" / "cache" / "validate.sqlite"
    _forge(real_cache, tree)
    (tree / ".topicgraph-cache").mkdir()
    shutil.copy(real_cache, tree / ".topicgraph-cache" / "validate.sqlite")
    shutil.copy(real_cache, tree / "validate.sqlite")  # and a file of that name elsewhere in the tree

    monkeypatch.chdir(tree)
    for extra in ([], ["--cache", ".topicgraph-cache"]):  # the default, and a cache folder named in the tree
        result = _validate(".", "--format", "json", *extra)
        assert result.exit_code == 1, result.output
        found = {(f["file"], f["rule"], f["severity"]) for f in _findings(result)}
        assert {("link.md", "record.link.url", "error"), ("tag.md", "record.yaml", "error")} <= found
        assert (".topicgraph-cache", "cache.in-tree", "info") in found
        assert ("validate.sqlite", "cache.in-tree", "info") in found
    text = _validate(".")
    assert text.exit_code == 1
    assert "a validation cache inside the paths validated: not used [cache.in-tree]" in text.stdout
    assert "record.link.url" in text.stdout and "record.yaml" in text.stdout
    # the attacker's cache folder was not written to either
    assert sorted(p.name for p in (tree / ".topicgraph-cache").iterdir()) == ["validate.sqlite"]


def _secret_tree(tmp_path: Path) -> tuple[Path, Path]:
    """A tree whose links lead to /etc/passwd, to a secret outside the tree, to a folder outside it, and nowhere."""
    outside = tmp_path / "home"
    (outside / "private").mkdir(parents=True)
    (outside / "gitconfig").write_text(f"[http]\n\textraheader = {SECRET}\n", encoding="utf-8")
    (outside / "private" / "notes.md").write_text(f"{SECRET}\n", encoding="utf-8")
    tree = tmp_path / "pr" / "records"
    tree.mkdir(parents=True)
    shutil.copy(SEED, tree / "good.md")
    os.symlink("/etc/passwd", tree / "a.md")
    os.symlink(outside / "gitconfig", tree / "b.txt")
    os.symlink(outside / "private", tree / "notes")
    os.symlink("missing.md", tree / "gone.md")
    return tree, outside


def _every_byte(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink())


@pytest.mark.skipif(not os.path.isfile("/etc/passwd"), reason="no /etc/passwd here")
def test_symlinks_out_of_the_sources_are_never_read(tmp_path, monkeypatch, user_cache):
    tree, outside = _secret_tree(tmp_path)
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()[0].encode()
    monkeypatch.chdir(tmp_path / "pr")
    out = tmp_path / "pr" / "graph"
    built = CliRunner().invoke(cli, ["build", "records", "--out", str(out), "-j", "1", "--format", "nt",
                                     "--format", "ttl", "--format", "jsonld"])
    assert built.exit_code == 0, built.output
    data = _every_byte(out)
    assert b"c2VjcmV0" not in data and passwd not in data
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    files = {f["file"]: (f["status"], f.get("reason", "")) for f in report["files"]}
    fix = "(copy the file into the repository or remove the link)"
    assert files == {
        "records/good.md": ("mapped", ""),
        "records/a.md": ("skipped", f"records/a.md: a symbolic link to /etc/passwd, outside the paths given: not "
                                    f"read {fix}"),
        "records/b.txt": ("skipped", f"records/b.txt: a symbolic link to {outside}/gitconfig, outside the paths "
                                     f"given: not read {fix}"),
        "records/notes": ("skipped", f"records/notes: a symbolic link to {outside}/private, outside the paths given: "
                                     f"not read {fix}"),
        "records/gone.md": ("skipped", f"records/gone.md: a symbolic link to records/missing.md, which does not "
                                       f"exist: not read {fix}")}
    assert report["counts"]["files"] == 5 and report["counts"]["skipped"] == 4
    assert "symlinked folders" not in report["ignored"]
    assert "records/a.md: a symbolic link to /etc/passwd" in built.output  # said on the terminal too

    result = _validate("records", "--format", "json")
    assert result.exit_code == 1, result.output
    assert "c2VjcmV0" not in result.stdout and passwd.decode() not in result.stdout
    found = {(f["file"], f["rule"], f["severity"], f["message"], f["fix"]) for f in _findings(result)}
    fix = "copy the file into the repository or remove the link"
    assert found == {
        ("records/a.md", "source.symlink-outside", "error",
         "a symbolic link to /etc/passwd, outside the paths given: not read", fix),
        ("records/b.txt", "source.symlink-outside", "error",
         f"a symbolic link to {outside}/gitconfig, outside the paths given: not read", fix),
        ("records/notes", "source.symlink-outside", "error",
         f"a symbolic link to {outside}/private, outside the paths given: not read", fix),
        ("records/gone.md", "source.symlink-broken", "error",
         "a symbolic link to records/missing.md, which does not exist: not read", fix)}
    assert json.loads(result.stdout)["files"] == ["records/good.md"]
    # the tagger walks the same way
    tagged = CliRunner().invoke(cli, ["taxonomy", "tag", "records"])
    assert "c2VjcmV0" not in tagged.output
    assert "records/b.txt: not tagged: a symbolic link to" in tagged.output


def test_links_inside_the_sources_still_work_but_never_into_git(tmp_path, monkeypatch, user_cache):
    root = tmp_path / "repo"
    (root / ".drafts").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(f"[remote \"origin\"]\n\turl = https://x-access-token:{TOKEN}@github.com"
                                          "/a/b\n", encoding="utf-8")
    shutil.copy(SEED, root / "a.md")
    shutil.copy(SEEDS / "001_46930356a44fedc4.txt", root / ".drafts" / "c.md")
    os.symlink(".drafts/c.md", root / "c.md")  # inside the root: read through the link, as before
    os.symlink("a.md", root / "b.md")  # a second name for a file found: mapped once, as before
    os.symlink(".drafts", root / "drafts")  # a folder link inside the root: passed over, as before
    os.symlink(".git/config", root / "cfg.txt")  # inside the root, but in .git: never read
    outside = tmp_path / "chosen.md"
    shutil.copy(SEEDS / "002_e2043c317a839aa3.txt", outside)
    os.symlink(outside, tmp_path / "named-link.md")  # a link named as a source is a root: the CI author chose it
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "graph"
    built = CliRunner().invoke(cli, ["build", "repo", "named-link.md", "--out", str(out), "-j", "1",
                                     "--format", "nt"])
    assert built.exit_code == 0, built.output
    assert TOKEN.encode() not in _every_byte(out)
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    files = {f["file"]: f["status"] for f in report["files"]}
    assert files == {"repo/a.md": "mapped", "repo/b.md": "skipped", "repo/c.md": "mapped",
                     "repo/cfg.txt": "skipped", "named-link.md": "mapped"}
    reasons = {f["file"]: f.get("reason") for f in report["files"]}
    assert reasons["repo/cfg.txt"] == ("repo/cfg.txt: a symbolic link to repo/.git/config, inside a version-control "
                                       "folder: not read (copy the file into the repository or remove the link)")
    assert report["ignored"]["symlinked folders"] == 1

    result = _validate("repo", "named-link.md", "--format", "json")
    assert result.exit_code == 1 and TOKEN not in result.stdout
    errors = [(f["file"], f["rule"]) for f in _findings(result) if f["severity"] == "error"]
    assert errors == [("repo/cfg.txt", "source.symlink-outside")]
    assert json.loads(result.stdout)["files"] == ["named-link.md", "repo/a.md", "repo/c.md"]


def _snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (folders too) with its type, size and modification time, links not followed."""
    out = {".": (os.lstat(root).st_mtime_ns,)}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            out[os.path.relpath(path, root)] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns)
    return out


def test_validate_writes_nothing_into_the_tree_it_checks(tmp_path, monkeypatch, user_cache):
    tree = tmp_path / "pr"
    _bad_tree(tree)
    shutil.copytree(SEEDS, tree / "seeds")
    (tree / "data.ttl").write_text("@prefix ex: <http://example.com/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    before = _snapshot(tree)
    monkeypatch.chdir(tree)
    for args in ([".", "--format", "json"], [".", "--format", "sarif"], ["seeds", "link.md"], ["."]):
        assert _validate(*args).exit_code == 1 or args[0] == "seeds"
    assert _snapshot(tree) == before
    # the cache went to the user's cache folder, one folder for the tree, readable by its owner only
    folders = sorted((user_cache / "topicgraph").iterdir())
    assert len(folders) == 1 and all((f / "validate.sqlite").is_file() for f in folders)
    for made in (user_cache, user_cache / "topicgraph", *folders):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700
    # and a second run over the same paths is served from it
    counts = json.loads(_validate(".", "--format", "json").stdout)["counts"]
    assert counts["cached"] == counts["files"] == 9


def test_a_cache_that_cannot_be_written_is_a_note_not_a_failure(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the default cache folder would be under a file
    monkeypatch.chdir(SEEDS.parent)
    for extra in ([], ["--cache", str(blocker / "cache")]):
        result = _validate("seeds", "--format", "json", *extra)
        assert result.exit_code == 0, result.output
        notes = [f for f in _findings(result) if f["rule"] == "cache.unavailable"]
        assert len(notes) == 1 and notes[0]["severity"] == "info", result.stdout
        assert "checked without a cache" in notes[0]["message"]


def test_an_update_reads_no_link_out_of_the_builds_sources(tmp_path, monkeypatch):
    """`build --update` takes the files a pull request changed (`git diff --name-only`): a link among them is
    judged against the sources of the build it updates, as the full build would judge it."""
    (tmp_path / "records").mkdir()
    shutil.copy(SEED, tmp_path / "records" / "good.md")
    (tmp_path / "gitconfig").write_text(f"{SECRET}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["build", "records", "--out", "graph", "-j", "1"]).exit_code == 0
    os.symlink(tmp_path / "gitconfig", tmp_path / "records" / "b.txt")
    result = CliRunner().invoke(cli, ["build", "--update", "records/b.txt", "--out", "graph", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{
        "file": "records/b.txt", "status": "skipped",
        "reason": "records/b.txt: a symbolic link to gitconfig, outside the paths given: not read "
                  "(copy the file into the repository or remove the link)"}]
    assert b"c2VjcmV0" not in _every_byte(tmp_path / "graph")
