"""topicgraph diff: a mutation suite on a git repository made here (the seeds, a small generated corpus and the
taxonomy and shapes as folders of the repository): formatting shows as nothing, each real edit exactly."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import topicgraph
from topicgraph.diff import diff, render

ROOT = Path(__file__).resolve().parents[1]
SEED = "seeds/001_46930356a44fedc4.txt"  # id 3896, by Sonalika Ghosh, about Medigy: Patient Acquisition
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=GIT_ENV).stdout.strip()


@pytest.fixture(scope="module")
def origin(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("origin")
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "seeds", repo / "seeds")
    shutil.copytree(ROOT / "ontology" / "shapes", repo / "shapes")
    subprocess.run([sys.executable, "-m", "topicgraph", "generate", "corpus", "-n", "40", "--seed", "5",
                    "--taxonomy", "tax"], cwd=repo, check=True, capture_output=True)
    (repo / "corpus" / ".manifest.json").unlink(missing_ok=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


@pytest.fixture
def repo(origin, tmp_path) -> Path:
    """A fresh clone per test, so each mutation starts from the base commit."""
    clone = tmp_path / "repo"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    return clone


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message, "--allow-empty")


def run(repo: Path, *args: str, **kwargs):
    return diff(["HEAD~1", "HEAD", *args] if not args or args[0] != "--" else list(args[1:]), cwd=repo,
                taxonomy="tax", shapes="shapes", **kwargs)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def fields(report, rid: str) -> dict:
    (entry,) = [c for c in report.data["records"]["changed"] if c["id"] == rid]
    return {f["field"]: (f["old"], f["new"]) for f in entry["fields"]}


REFORMATS = {
    "key order": lambda t: _swap_keys(t),
    "quoting": lambda t: t.replace("- 'Medigy: Patient Acquisition'", '- "Medigy: Patient Acquisition"'),
    "flow list": lambda t: t.replace("author:\n- Sonalika Ghosh\n", "author: [Sonalika Ghosh]\n"),
    "trailing spaces": lambda t: t.replace("archetype: curate-content\n", "archetype: curate-content   \n"),
    "CRLF": lambda t: t.replace("\n", "\r\n"),
}


def _swap_keys(text: str) -> str:
    front, rest = text.split("\n---", 1) if not text.startswith("---") else text[3:].split("\n---", 1)
    first = front.index("\naliases:")
    moved = front[first:front.index("\n", first + 1)]
    return "---" + front.replace(moved, "", 1) + moved + "\n---" + rest


@pytest.mark.parametrize("kind", sorted(REFORMATS))
def test_a_reformat_reports_nothing(repo, kind):
    path = repo / SEED
    before = path.read_text(encoding="utf-8")
    after = REFORMATS[kind](before)
    assert after != before
    path.write_bytes(after.encode("utf-8"))
    commit(repo)
    report = run(repo)
    assert report.empty, report.data["summary"]
    assert report.data["triples"]["graphs"] == []
    assert len(report.data["triples"]["provenance"]) == 1  # the file's bytes (digest, size) did change
    assert report.exit_code == 0
    assert "no change to the graph" in render(report, "markdown")


def test_a_commit_diffed_with_itself_is_empty(repo):
    report = diff(["HEAD", "HEAD"], cwd=repo, taxonomy="tax")
    assert report.empty and report.data["triples"]["provenance"] == [] and report.exit_code == 0


def test_topic_added_removed_and_renamed(repo):
    edit(repo / SEED, "- 'Medigy: Patient Acquisition'\n", "")
    edit(repo / "seeds/000_e196614bccfeda88.txt", "communityTopics:\n",
         "communityTopics:\n- 'Gartner: Digital Transformation'\n")
    edit(repo / SEED, "- 'Symplur: Patient Experience'", "- 'Medigy: Patient Experience'")
    commit(repo)
    report = run(repo)
    s = report.data["summary"]
    assert (s["records_added"], s["records_removed"], s["records_changed"]) == (0, 0, 2)
    old, new = fields(report, "3896")["about"]
    assert "Medigy: Patient Acquisition" in old and "Medigy: Patient Acquisition" not in new
    assert "Symplur: Patient Experience" in old and "Medigy: Patient Experience" in new
    rid0 = [c["id"] for c in report.data["records"]["changed"] if c["id"] != "3896"][0]
    assert fields(report, rid0) == {"about": (sorted(fields(report, rid0)["about"][0]), sorted(
        fields(report, rid0)["about"][0] + ["Gartner: Digital Transformation"]))}
    counts = {r["name"]: (r["base"], r["head"]) for r in report.data["impact"]["counts"]["topics"]}
    assert counts["Symplur: Patient Experience"][1] == counts["Symplur: Patient Experience"][0] - 1
    assert report.exit_code == 0


def test_record_added_removed_and_moved(repo):
    text = (repo / SEED).read_text(encoding="utf-8")
    (repo / "seeds/new.txt").write_text(text.replace("\nid: 3896\n", "\nid: 99999\n"), encoding="utf-8")
    git(repo, "rm", "-q", "seeds/002_e2043c317a839aa3.txt")
    (repo / "seeds/moved").mkdir()
    git(repo, "mv", "seeds/004_7f7bd89bfa8fa00f.txt", "seeds/moved/")  # a plain file: its name is its id
    commit(repo)
    report = run(repo)
    r = report.data["records"]
    assert [x["id"] for x in r["added"]] == ["99999"] and r["added"][0]["file"] == "seeds/new.txt"
    assert [x["id"] for x in r["removed"]] == ["002_e2043c317a839aa3"]
    (moved,) = r["changed"]
    assert moved["moved"] and moved["file"] == "seeds/moved/004_7f7bd89bfa8fa00f.txt"
    assert fields(report, moved["id"]) == {"source": (["seeds/004_7f7bd89bfa8fa00f.txt"],
                                                      ["seeds/moved/004_7f7bd89bfa8fa00f.txt"])}
    # the moved file keeps its findings (a plain article's warnings): neither introduced nor resolved
    assert {f["file"] for f in report.data["findings"]["introduced"]} <= {"seeds/new.txt"}
    assert {f["file"] for f in report.data["findings"]["resolved"]} <= {"seeds/002_e2043c317a839aa3.txt"}


def test_author_renamed_and_date_changed(repo):
    edit(repo / SEED, "- Sonalika Ghosh\n", "- Sonalika G. Ghosh\n")
    edit(repo / SEED, "date: '2020-12-05T06:30:54.340490Z'", "date: '2021-01-02T06:30:54.340490Z'")
    commit(repo)
    report = run(repo)
    f = fields(report, "3896")
    assert f["author"][1] == ["Sonalika G. Ghosh"] and f["author"][0] == ["Sonalika Ghosh"]
    assert f["datePublished"] == (["2020-12-05T06:30:54.34049Z"], ["2021-01-02T06:30:54.34049Z"])  # canonical
    authors = {r["name"]: (r["base"], r["head"]) for r in report.data["impact"]["counts"]["authors"]}
    assert authors["Sonalika G. Ghosh"] == (0, 1) and authors["Sonalika Ghosh"][1] == authors["Sonalika Ghosh"][0] - 1
    assert report.exit_code == 0


def test_a_concept_relabelled_while_in_use_is_breaking(repo):
    edit(repo / "tax/medigy.ttl", 'skos:prefLabel "Patient Acquisition"@en', 'skos:prefLabel "Patient Onboarding"@en')
    commit(repo)
    report = run(repo)
    t = report.data["taxonomy"]
    assert [(c["old"], c["new"]) for c in t["concepts"]["relabelled"]] == [("Patient Acquisition", "Patient Onboarding")]
    (breaking,) = t["breaking"]
    assert "3896" in breaking["records"]
    assert report.exit_code == 1
    assert "breaking" in render(report, "markdown")


def test_a_concept_removed_while_in_use_is_breaking(repo):
    path = repo / "tax/medigy.ttl"
    text = path.read_text(encoding="utf-8")
    start = text.index("medigy:patient-acquisition\n    a skos:Concept")
    end = text.index("\n\n", start)
    path.write_text(text[:start] + text[end + 2:], encoding="utf-8")
    commit(repo)
    report = run(repo)
    t = report.data["taxonomy"]
    assert [c["label"] for c in t["concepts"]["removed"]] == ["Patient Acquisition"]
    assert [b["concept"] for b in t["breaking"]] == ["https://w3id.org/topicgraph/taxonomy/medigy/patient-acquisition"]
    assert report.exit_code == 1


def test_a_shape_change_introduces_findings(repo):
    edit(repo / "shapes/article.ttl", "    sh:path schema:headline ;\n",
         "    sh:path schema:headline ;\n    sh:maxLength 20 ;\n")
    commit(repo)
    report = run(repo)
    introduced = report.data["findings"]["introduced"]
    assert introduced and all(f["severity"] == "error" for f in introduced)
    assert SEED in {f["file"] for f in introduced}
    assert report.data["records"] == {"added": [], "removed": [], "changed": []}
    assert report.exit_code == 1
    sarif = json.loads(render(report, "sarif"))
    assert len(sarif["runs"][0]["results"]) == len(introduced)


def _nquads(repo: Path, rev: str, out: Path) -> set[str]:
    tree = out / "tree"
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=repo, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    topicgraph.build([tree / "seeds", tree / "corpus"], out=out / "g", formats=["nq"], taxonomy=tree / "tax", jobs=1)
    return set((out / "g" / "graph.nq").read_text(encoding="utf-8").splitlines())


def test_the_triple_layer_applied_to_base_gives_head(repo, tmp_path):
    edit(repo / SEED, "- Sonalika Ghosh\n", "- Someone Else\n")
    edit(repo / "seeds/000_e196614bccfeda88.txt", "\n", "\n", 1)
    git(repo, "rm", "-q", "seeds/002_e2043c317a839aa3.txt")
    (repo / "seeds/x").mkdir()
    git(repo, "mv", "seeds/003_93b4219c4437b57c.txt", "seeds/x/003.txt")
    (repo / REFORMATS_TARGET).write_bytes((repo / REFORMATS_TARGET).read_bytes().replace(b"\n", b"\r\n"))
    edit(repo / "tax/medigy.ttl", 'skos:prefLabel "Patient Acquisition"@en', 'skos:prefLabel "Patient Onboarding"@en')
    commit(repo)
    report = diff(["HEAD~1", "HEAD", "seeds", "corpus"], cwd=repo, taxonomy="tax")
    base = _nquads(repo, "HEAD~1", tmp_path / "b")
    head = _nquads(repo, "HEAD", tmp_path / "h")
    assert base != head
    t = report.data["triples"]
    for entry in t["graphs"] + t["provenance"]:
        base -= set(entry["removed"])
        base |= set(entry["added"])
    assert base == head


REFORMATS_TARGET = "seeds/004_7f7bd89bfa8fa00f.txt"


def test_reading_only_the_changed_files_graphs_gives_the_whole_comparison(repo):
    """The fast path (graphs of the changed files only) against the plain one (every graph of both stores)."""
    edit(repo / SEED, "- Sonalika Ghosh\n", "- Someone Else\n")
    git(repo, "rm", "-q", "seeds/002_e2043c317a839aa3.txt")
    (repo / "seeds/x").mkdir()
    git(repo, "mv", "seeds/003_93b4219c4437b57c.txt", "seeds/x/")
    text = (repo / SEED).read_text(encoding="utf-8")
    (repo / "corpus/dup.md").write_text(text.replace("\nid: 3896\n", "\nid: 5150\n"), encoding="utf-8")
    (repo / REFORMATS_TARGET).write_bytes((repo / REFORMATS_TARGET).read_bytes().replace(b"\n", b"\r\n"))
    commit(repo)
    fast = diff(["HEAD~1", "HEAD", "seeds", "corpus"], cwd=repo, taxonomy="tax")
    whole = diff(["HEAD~1", "HEAD", "seeds", "corpus"], cwd=repo, taxonomy="tax", whole=True)
    for layer in ("records", "triples", "taxonomy", "findings", "impact", "summary"):
        assert fast.data[layer] == whole.data[layer], layer
    assert fast.data["summary"]["records_added"] == 1 and fast.data["summary"]["records_moved"] == 1


def test_a_cached_base_build_gives_the_same_diff(repo, tmp_path):
    cache = tmp_path / "cache"
    topicgraph.build([repo / "seeds", repo / "corpus"], out=cache, taxonomy=repo / "tax", jobs=1)
    edit(repo / SEED, "- Sonalika Ghosh\n", "- Someone Else\n")
    git(repo, "rm", "-q", "seeds/002_e2043c317a839aa3.txt")
    text = (repo / SEED).read_text(encoding="utf-8")
    (repo / "corpus/new.md").write_text(text.replace("\nid: 3896\n", "\nid: 424242\n"), encoding="utf-8")
    commit(repo)
    plain = diff(["HEAD~1", "HEAD", "seeds", "corpus"], cwd=repo, taxonomy="tax")
    cached = diff(["HEAD~1", "HEAD", "seeds", "corpus"], cwd=repo, taxonomy="tax", base_build=cache)
    for layer in ("records", "triples", "taxonomy", "impact", "summary"):
        assert cached.data[layer] == plain.data[layer], layer
    assert plain.data["impact"]["counts"]["authors"], "the renamed author shows in the impact layer"
    assert plain.data["summary"]["records_added"] == 1 and plain.data["summary"]["records_removed"] == 1
    # the working tree as HEAD, from the cache: the same again
    worktree = diff(["HEAD~1", "seeds", "corpus"], cwd=repo, taxonomy="tax", base_build=cache)
    assert worktree.data["records"] == plain.data["records"]
    assert json.loads(json.dumps(cache.joinpath("topicgraph-store.json").read_text()))  # the cache untouched
    assert topicgraph.GraphStore.open(cache).query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a schema:identifier '002_e2043c317a839aa3' }")[0]["n"] == 1


def test_markdown_of_a_500_record_change_fits_a_comment(tmp_path):
    subprocess.run([sys.executable, "-m", "topicgraph", "generate", "corpus", "-n", "500", "--seed", "9",
                    "--taxonomy", "tax"], cwd=tmp_path, check=True, capture_output=True)
    (tmp_path / "empty" / "corpus").mkdir(parents=True)
    report = diff([str(tmp_path / "empty"), str(tmp_path), "corpus"], cwd=tmp_path, taxonomy="tax")
    assert report.data["summary"]["records_added"] == 500
    text = render(report, "markdown")
    assert len(text) < 60_000
    assert text.index("| Records | 500 |") < text.index("<details>")
    added = re.findall(r"^- `[^`]+` \(corpus/", text, flags=re.M)
    assert 0 < len(added) <= 500
    if len(added) < 500:
        assert "The full report is in the JSON artifact" in text


def test_removing_an_article_changes_its_neighbours_related_lists(repo):
    victim = sorted((repo / "corpus").rglob("*.md"))[9]
    git(repo, "rm", "-q", str(victim.relative_to(repo)))
    commit(repo)
    report = run(repo)
    (removed,) = report.data["records"]["removed"]
    related = report.data["impact"]["related"]
    assert related, "the removed article was in some neighbour's top 10"
    for row in related:
        assert not row["touched"] and row["churn"] >= 1 and 0 <= row["rbo"] < 1
        assert removed["article"] in row["left"]
    assert report.data["summary"]["related_changed"] == len(related)


def test_a_concept_renamed_with_its_old_label_kept_is_not_breaking(repo):
    """The taxonomy's own advice for a rename: a new IRI, the old label kept as an altLabel, so records that
    still write it resolve to the new concept."""
    path = repo / "tax/medigy.ttl"
    edit(path, 'medigy:patient-acquisition\n    a skos:Concept ;\n    skos:prefLabel "Patient Acquisition"@en ;\n'
               '    skos:altLabel ',
         'medigy:patient-onboarding\n    a skos:Concept ;\n    skos:prefLabel "Patient Onboarding"@en ;\n'
         '    skos:altLabel "Patient Acquisition"@en , ')
    for ttl in (repo / "tax").glob("*.ttl"):  # every reference to the old IRI follows
        text = ttl.read_text(encoding="utf-8")
        ttl.write_text(text.replace("medigy:patient-acquisition", "medigy:patient-onboarding")
                       .replace("medigy/patient-acquisition>", "medigy/patient-onboarding>"), encoding="utf-8")
    commit(repo)
    report = run(repo)
    t = report.data["taxonomy"]
    (renamed,) = t["concepts"]["relabelled"]
    assert (renamed["old"], renamed["new"]) == ("Patient Acquisition", "Patient Onboarding")
    assert renamed["old_concept"].endswith("/patient-acquisition") and renamed["concept"].endswith("/patient-onboarding")
    assert t["concepts"]["added"] == [] and t["concepts"]["removed"] == [] and t["breaking"] == []
    old, new = fields(report, "3896")["about"]
    assert "Medigy: Patient Onboarding" in new
    assert report.exit_code == 0, report.data["findings"]["introduced"]
