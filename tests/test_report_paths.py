"""Paths in every report (validate's text, JSON, JUnit, SARIF and GitHub formats; the build report): relative to the
current folder or to the git repository's root, whichever holds the file, never ``../``; absolute when neither does.
SARIF and GitHub annotations are always relative to the repository's root, as code scanning reads them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli

RECORD = ("---\nid: 1\ntitle: T\ndate: 'not a date'\nlink:\n  brand: e.com\n  href: https://e.com/1\n"
          "communityTopics: ['Medigy: Telehealth']\n---\nBody.\n")


@pytest.fixture()
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "corpus").mkdir(parents=True)
    (root / "tools").mkdir()
    (root / "corpus" / "a.md").write_text(RECORD, encoding="utf-8")
    (root / "corpus" / "b.md").write_text(RECORD.replace("id: 1", "id: 2").replace("'not a date'", "'2021-02-03'")
                                          .replace("e.com/1", "e.com/2"), encoding="utf-8")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    else:  # what marks a repository's top level is its .git entry; git itself is not needed to find it
        (root / ".git").mkdir()
    return root


def _validate(fmt: str, *paths: str) -> str:
    result = CliRunner().invoke(cli, ["validate", *paths, "--format", fmt, "--no-cache"])
    assert result.exit_code == 1, result.output
    return result.stdout


def test_validate_from_outside_the_corpus_inside_the_repository(repo, monkeypatch):
    monkeypatch.chdir(repo / "tools")
    outputs = {fmt: _validate(fmt, "../corpus") for fmt in ("text", "json", "junit", "sarif", "github")}
    for fmt, text in outputs.items():
        assert "../" not in text, fmt
        assert "corpus/a.md" in text, fmt
    assert {f["file"] for f in json.loads(outputs["json"])["findings"]} == {"corpus/a.md"}
    run = json.loads(outputs["sarif"])["runs"][0]
    (loc,) = {json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"]) for r in run["results"]}
    assert json.loads(loc) == {"uri": "corpus/a.md", "uriBaseId": "SRCROOT"}
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == repo.resolve().as_uri() + "/"
    assert "::error file=corpus/a.md,line=4" in outputs["github"]


def test_inside_the_corpus_text_is_relative_to_here_and_sarif_to_the_root(repo, monkeypatch):
    monkeypatch.chdir(repo / "corpus")
    assert json.loads(_validate("json", "."))["findings"][0]["file"] == "a.md"
    run = json.loads(_validate("sarif", "."))["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "corpus/a.md"
    assert "::error file=corpus/a.md," in _validate("github", ".")


def test_the_build_report_from_outside_the_corpus(repo, monkeypatch):
    monkeypatch.chdir(repo / "tools")
    result = CliRunner().invoke(cli, ["build", "../corpus", "--out", "g", "-q"])
    assert result.exit_code == 0, result.output
    assert "../" not in result.output
    report = json.loads((repo / "tools" / "g" / "build-report.json").read_text(encoding="utf-8"))
    assert sorted(e["file"] for e in report["files"]) == ["corpus/a.md", "corpus/b.md"]
    assert "../" not in json.dumps(report)
    # build --update finds the record by the path the report shows
    (repo / "corpus" / "b.md").unlink()
    update = CliRunner().invoke(cli, ["build", "--update", "../corpus/b.md", "--out", "g"])
    assert update.exit_code == 0, update.output
    assert "corpus/b.md" in update.output and "removed" in update.output and "../" not in update.output


def test_outside_any_repository_and_the_current_folder_paths_are_absolute(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "here").mkdir()
    (tmp_path / "corpus" / "a.md").write_text(RECORD, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "here")
    full = (tmp_path / "corpus" / "a.md").as_posix()
    if any((p / ".git").exists() for p in Path(full).parents):
        pytest.skip("the temporary folder lies inside a git repository")
    assert json.loads(_validate("json", "../corpus"))["findings"][0]["file"] == full
    run = json.loads(_validate("sarif", "../corpus"))["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:///")
