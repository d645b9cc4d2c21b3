"""topicgraph diff through the CLI: formats, the JSON schema, exit codes, and hostile input (revision names that
look like options or shell, paths outside the repository, links out of the tree); and provenance that does not
depend on where a checkout lives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import topicgraph
from topicgraph.cli import cli
from topicgraph.diff import schema

ROOT = Path(__file__).resolve().parents[1]
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=GIT_ENV).stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "seeds", repo / "seeds")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    path = repo / "seeds/001_46930356a44fedc4.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("- Sonalika Ghosh\n", "- Other Person\n"),
                    encoding="utf-8")
    git(repo, "commit", "-qam", "author")
    monkeypatch.chdir(repo)
    return repo


def invoke(*args: str):
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def test_json_output_follows_the_shipped_schema(repo):
    r = invoke("HEAD~1", "HEAD", "seeds", "--format", "json", "--query", "authors-by-topic")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    jsonschema.validate(data, schema())
    (changed,) = data["records"]["changed"]
    assert changed["id"] == "3896"
    assert {"field": "author", "old": ["Sonalika Ghosh"], "new": ["Other Person"]} in changed["fields"]
    assert data["impact"]["queries"][0]["query"] == "authors-by-topic"
    assert data["impact"]["queries"][0]["added"] and data["impact"]["queries"][0]["removed"]


def test_markdown_text_sarif_and_output_file(repo, tmp_path):
    md = invoke("HEAD~1", "HEAD", "--format", "markdown")
    assert md.exit_code == 0
    assert md.output.startswith("<!-- topicgraph diff -->") and "<details>" in md.output
    assert md.output.index("| Records |") < md.output.index("<details>")
    text = invoke("HEAD~1", "HEAD")
    assert "records changed: 1" in text.output
    sarif = invoke("HEAD~1", "HEAD", "--format", "sarif")
    assert json.loads(sarif.output)["runs"][0]["results"] == []
    out, md_file = tmp_path / "report.json", tmp_path / "comment.md"
    r = invoke("HEAD~1", "--format", "markdown", "-o", str(md_file), "--json-output", str(out))  # the working tree
    assert r.exit_code == 0 and json.loads(out.read_text())["head"]["label"] == "working tree"
    assert md_file.read_text().startswith("<!-- topicgraph diff -->")


@pytest.mark.parametrize("args, message", [
    (["--output=/etc/x"], "Missing argument"),  # click reads it as -o; git never sees it
    (["--", "--output=/etc/x"], "is not a revision"),
    (["; rm -rf seeds"], "is not a revision"),
    (["$(touch pwned)"], "is not a revision"),
    (["HEAD~1", "HEAD", "../outside"], "outside the repository"),
    (["HEAD~1", "HEAD", "/etc"], "outside the repository"),
    (["no-such-branch"], "is not a revision"),
    (["HEAD~1", "--base-build", "nowhere"], "not a build folder"),
    (["seeds"], "name a second folder"),
    (["HEAD~1", "HEAD", "no-such-folder"], "no such path"),
    (["HEAD~1", "HEAD", ":(glob)**"], "no such path"),  # a path, never git's pathspec magic
    (["HEAD~1", "--query", "no-such-query"], "no named query"),
])
def test_what_cannot_run_exits_2_with_a_message(repo, args, message):
    r = invoke(*args)
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output
    assert (repo / "seeds").is_dir() and not (repo / "pwned").exists()


def test_outside_a_git_repository_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("HEAD~1")
    assert r.exit_code == 2 and "not in a git repository" in r.output


def test_a_link_out_of_the_tree_is_never_read(repo, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("---\nid: secret\ntitle: Secret\n---\nbody\n", encoding="utf-8")
    os.symlink(secret, repo / "seeds" / "link.txt")
    os.symlink("../../../../../../etc/passwd", repo / "seeds" / "up.txt")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "links")
    r = invoke("HEAD~1", "HEAD", "--format", "json")
    assert r.exit_code in (0, 1), r.output
    data = json.loads(r.output)
    assert data["records"]["added"] == []
    assert "secret" not in r.output.replace("secret.txt", "")


def test_two_folders_and_two_builds(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(ROOT / "seeds", a / "seeds")
    shutil.copytree(ROOT / "seeds", b / "seeds")
    (b / "seeds/002_e2043c317a839aa3.txt").unlink()
    r = invoke(str(a), str(b), "seeds", "--format", "json")
    assert r.exit_code == 0, r.output
    assert [x["id"] for x in json.loads(r.output)["records"]["removed"]] == ["002_e2043c317a839aa3"]
    topicgraph.build([a / "seeds"], out=tmp_path / "ga", jobs=1)
    topicgraph.build([b / "seeds"], out=tmp_path / "gb", jobs=1)
    r = invoke(str(tmp_path / "ga"), str(tmp_path / "gb"), "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["mode"] == "builds" and [x["id"] for x in data["records"]["removed"]] == ["002_e2043c317a839aa3"]


def test_two_checkouts_in_different_folders_build_the_same_quads(tmp_path, monkeypatch):
    """dcterms:source is relative to the repository (or the folder holding the sources), wherever the checkout
    lives and wherever the build runs."""
    outs = []
    for i, (where, given) in enumerate([("one/deep/copy", "rel"), ("two", "abs"), ("three", "rel")]):
        top = tmp_path / where
        shutil.copytree(ROOT / "seeds", top / "seeds")
        if i == 2:
            git(top, "init", "-q")
        monkeypatch.chdir(top if given == "rel" else tmp_path)
        source = "seeds" if given == "rel" else str(top / "seeds")
        topicgraph.build([source], out=tmp_path / f"g{i}", formats=["nq"], jobs=1)
        outs.append(sorted((tmp_path / f"g{i}" / "graph.nq").read_text(encoding="utf-8").splitlines()))
    assert outs[0] == outs[1] == outs[2]
    assert any('<http://purl.org/dc/terms/source> "seeds/001_46930356a44fedc4.txt"' in line for line in outs[0])


def test_build_update_of_a_moved_checkout_uses_the_manifest_root(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "seeds", tmp_path / "c" / "seeds")
    monkeypatch.chdir(tmp_path)
    topicgraph.build(["c/seeds"], out="g", jobs=1)
    path = tmp_path / "c/seeds/001_46930356a44fedc4.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: New "), encoding="utf-8")
    r = CliRunner().invoke(cli, ["build", "--update", str(path), "--out", "g", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["status"] == "mapped"
    store = topicgraph.GraphStore.open(tmp_path / "g")
    rows = store.query("SELECT ?src WHERE { ?a schema:identifier '3896' ; prov:wasDerivedFrom/dcterms:source ?src }")
    assert [r["src"] for r in rows] == ["seeds/001_46930356a44fedc4.txt"]


def test_a_huge_change_is_shortened_under_the_limit_with_counts(repo):
    """5,000 changed records with long values, 3,000 findings: the comment stays under 60,000 characters, keeps
    its summary table and says how much it left out."""
    from topicgraph.diff import diff, render

    report = diff(["HEAD~1", "HEAD", "seeds"], cwd=repo)
    (entry,) = report.data["records"]["changed"]
    report.data["records"]["changed"] = [
        {**entry, "id": f"r{i}", "fields": [{"field": "headline", "old": ["x" * 500], "new": ["y" * 500]}]}
        for i in range(5000)]
    report.data["findings"]["introduced"] = [
        {"file": f"f{i}.md", "rule": "record.date.date", "field": "date", "severity": "error", "line": 3,
         "message": "date 'x' is not a date " + "z" * 100, "fix": ""} for i in range(3000)]
    report.data["summary"]["records_changed"] = 5000
    text = render(report, "markdown")
    assert len(text) < 60_000
    assert "| Records |" in text and "Findings introduced (3000)" in text
    shown = text.count("\n- `r")
    assert 0 < shown < 5000
    left = int(text.split("This comment is shortened: ")[1].split(" ")[0])
    assert left >= (5000 - shown)
    assert "The full report is in the JSON artifact" in text


def test_extract_writes_the_files_and_only_the_links_that_stay_inside(tmp_path):
    from topicgraph.diff.trees import Workspace

    repo = tmp_path / "r"
    (repo / "recs" / "sub").mkdir(parents=True)
    (repo / "recs" / "a.md").write_text("---\nid: a\n---\n", encoding="utf-8")
    (repo / "recs" / "sub" / "ünï code\nname.md").write_text("x\n", encoding="utf-8")
    (repo / "other.md").write_text("not asked for\n", encoding="utf-8")
    os.symlink("../a.md", repo / "recs" / "sub" / "inside.md")
    os.symlink("../../../secret", repo / "recs" / "outside.md")
    os.symlink("/etc/passwd", repo / "recs" / "absolute.md")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"], cwd=repo,
                   check=True)
    with Workspace() as ws:
        ws.find_repo(repo)
        folder, left = ws.extract(ws.resolve("HEAD"), ["recs", "missing"], "side")
        got = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())
        assert got == ["recs/a.md", "recs/sub/inside.md", "recs/sub/ünï code\nname.md"]
        assert (folder / "recs/sub/inside.md").is_symlink()
        assert (folder / "recs/sub/inside.md").read_text(encoding="utf-8") == "---\nid: a\n---\n"
        assert not (folder / "recs/a.md").is_symlink()
        assert sorted(n.split(":")[0] for n in left) == ["recs/absolute.md", "recs/outside.md"]
    assert not folder.exists()


def test_extract_refuses_a_tree_that_writes_into_git_and_notes_a_submodule(tmp_path):
    from topicgraph.diff.trees import Workspace
    from topicgraph.errors import TopicgraphError

    repo = tmp_path / "r"
    repo.mkdir()

    def g(*args, stdin=None):
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                              input=stdin, check=True, capture_output=True, text=True).stdout.strip()

    g("init", "-q", "-b", "main")
    (repo / "a.md").write_text("---\nid: a\n---\n", encoding="utf-8")
    blob = g("hash-object", "-w", "a.md")
    inner = g("mktree", stdin=f"100644 blob {blob}\tconfig\n")
    evil = g("commit-tree", g("mktree", stdin=f"040000 tree {inner}\t.git\n100644 blob {blob}\ta.md\n"), "-m", "x")
    g("add", "a.md")
    g("update-index", "--add", "--cacheinfo", f"160000,{evil},sub")  # a submodule (gitlink)
    g("commit", "-qm", "with a submodule")
    with Workspace() as ws:
        ws.find_repo(repo)
        with pytest.raises(TopicgraphError, match="invalid path '.git/config'"):
            ws.extract(evil, ["."], "evil")
        assert list((ws.folder / "evil").iterdir()) == []  # nothing written, not even a.md
        folder, left = ws.extract(ws.resolve("HEAD"), ["."], "head")
        assert sorted(p.name for p in folder.iterdir()) == ["a.md"]
        assert left == ["sub: a submodule, not read"]
