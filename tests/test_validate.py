"""`topicgraph validate` and topicgraph.validation.validate: findings, locations, exit codes, cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli
from topicgraph.errors import Severity, TopicgraphError
from topicgraph.validation import validate

from .conftest import DATA, ROOT
from .test_bad_input import EXPECTED as BAD_EXPECTED

BROKEN = DATA / "broken" / "records"
BROKEN_REL = BROKEN.relative_to(ROOT).as_posix()
E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

#: every finding each file of tests/data/broken/records must give, and nothing else: (rule, severity, line, field)
BROKEN_EXPECTED: dict[str, list[tuple]] = {
    # 1. can the record be read at all
    "yaml-error.md": [("record.yaml", E, 5, None)],
    "latin1.md": [("record.encoding", E, 3, None)],
    "empty.md": [("record.empty", E, None, None)],
    # 2. do its fields make sense
    "missing-title.md": [("record.title.missing", E, None, "title")],
    "date-not-a-date.md": [("record.date.date", E, 5, "date")],
    "author-mapping.md": [("record.authors.type", E, 4, "author")],
    "topic-no-vendor.md": [("record.topics.vendor", E, 8, "communityTopics[1]")],
    "unknown-vendor.md": [("record.topics.unknown-vendor", E, 11, "communityTopics[1]")],
    "unknown-topic.md": [("record.topics.unknown-topic", W, 12, "communityTopics[2]")],
    "plain-article.txt": [("record.plain.author", W, None, "author"), ("record.plain.date", W, None, "date")],
    # 3. RDF against the SHACL shapes
    "rdf/articles.ttl": [("tgsh:Article-identifier", E, 12, "schema:identifier"),
                         ("tgsh:Article-url", E, 16, "schema:url"),
                         ("tgsh:Article-datePublished", E, 26, "schema:datePublished"),
                         ("tgsh:Person-name", E, 29, "schema:name")],
    "rdf/articles.nt": [("tgsh:Article-about", E, 5, "schema:about")],
    "rdf/articles.jsonld": [("tgsh:FrontMatterArticleHeadlineShape", E, 6, "schema:headline")],
    "rdf/syntax-error.ttl": [("rdf.syntax", E, 5, None)],
    # 5. across records
    "dup-id-a.md": [],
    "dup-id-b.md": [("record.duplicate-id", E, 2, "id")],
    "dup-url-a.md": [],
    "dup-url-b.md": [("record.duplicate-url", W, 6, "link.href")],
    "copy-a.md": [],
    "copy-b.md": [("record.duplicate-file", E, None, None)],
    "good.md": [],
}


def _key(f):
    return (f.rule, f.severity, f.line, f.field)


@pytest.fixture(scope="module")
def broken_report():
    return validate([BROKEN_REL], jobs=1)


def test_seeds_validate_clean():
    report = validate(["seeds"], jobs=1)
    assert report.ok and report.exit_code == 0
    assert len(report.files) == 5
    # the plain seeds' missing title/author/date are warnings, and nothing else is found
    got = sorted((f.file.rsplit("/", 1)[-1][:3], f.rule, f.severity, f.field) for f in report.findings)
    assert got == [("002", "record.plain.author", W, "author"), ("002", "record.plain.date", W, "date"),
                   ("002", "record.plain.title", W, "title"),
                   ("004", "record.plain.author", W, "author"), ("004", "record.plain.date", W, "date")]
    assert all(f.fix for f in report.findings)


def test_cli_seeds_exit_0_and_strict_exit_1(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", "seeds", "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("passed: 5 files checked")
    result = runner.invoke(cli, ["validate", "seeds", "--strict", "--no-cache"])
    assert result.exit_code == 1, result.output
    assert "FAILED" in result.output.splitlines()[-1] and "--strict" in result.output.splitlines()[-1]


def test_broken_corpus_gives_each_expected_finding(broken_report):
    assert sorted(broken_report.files) == sorted(f"{BROKEN_REL}/{name}" for name in BROKEN_EXPECTED)
    got = {}
    for f in broken_report.findings:
        got.setdefault(f.file.removeprefix(BROKEN_REL + "/"), []).append(_key(f))
    for name, expected in BROKEN_EXPECTED.items():
        assert sorted(got.get(name, []), key=str) == sorted(expected, key=str), name
    assert not broken_report.ok and broken_report.exit_code == 1
    for f in broken_report.findings:
        assert f.fix and f.rule and f.message, str(f)


def test_each_broken_file_alone_gives_its_exit_code():
    for name, expected in BROKEN_EXPECTED.items():
        if name.startswith(("dup-", "copy-")):
            continue  # these need their twin
        report = validate([f"{BROKEN_REL}/{name}"], jobs=1, check_taxonomy=False)
        want = 1 if any(sev == E for _, sev, _, _ in expected) else 0
        assert report.exit_code == want, (name, [str(f) for f in report.findings])


def test_did_you_mean(broken_report):
    by_rule = {f.rule: f for f in broken_report.findings}
    assert by_rule["record.topics.unknown-topic"].fix.startswith("did you mean 'Medigy: Patient Acquisition'?")
    # an unknown vendor looks at every vendor, and at the topic's label under the nearest vendor
    assert by_rule["record.topics.unknown-vendor"].fix.startswith("did you mean 'Gartner: Customer Experience'?")
    assert "Gartner, Medigy, Symplur" in by_rule["record.topics.unknown-vendor"].fix


def test_bad_input_corpus(tmp_path):
    """tests/data/bad: each broken record is reported with the rule of tests/test_bad_input.py; exit 1."""
    for path in (DATA / "bad").iterdir():
        if path.name != "README.md":
            shutil.copy(path, tmp_path / path.name)
    (tmp_path / "huge.md").write_bytes(b"---\nid: huge\ntitle: T\n---\n" + b"x" * 400_000)
    report = validate([tmp_path], jobs=1, max_bytes=300_000, check_taxonomy=False)
    assert report.exit_code == 1
    by_file: dict[str, list] = {}
    for f in report.findings:
        by_file.setdefault(Path(f.file).name, []).append(f)
    for name, (status, rule, line, field) in BAD_EXPECTED.items():
        errors = [f for f in by_file.get(name, []) if f.severity == E]
        if status == "mapped":
            assert not errors, (name, [str(f) for f in errors])
            continue
        if rule.startswith("record."):
            assert errors and errors[0].rule == rule and errors[0].line == line, (name, [str(f) for f in errors])
        elif name == "binary.png":
            assert [f.rule for f in by_file[name]] == ["record.not-a-record"] and by_file[name][0].severity == I
        elif "duplicate id" in rule:
            assert [f.rule for f in errors] == ["record.duplicate-id"]
        elif "duplicate file" in rule:
            assert [f.rule for f in errors] == ["record.duplicate-file"]
        else:
            assert errors, name


# ---------------------------------------------------------------------------------------------- SHACL locations
def test_shacl_result_on_a_record_names_file_line_and_field(tmp_path):
    """A shape violation on a node a record made is reported at the record's field, not at an IRI: with an extra
    shape requiring every concept to have a definition, the unknown topic's concept fails at its list item."""
    shapes = tmp_path / "shapes"
    shutil.copytree(ROOT / "ontology" / "shapes", shapes)
    shutil.copy(DATA / "broken" / "shapes" / "concept-definition.ttl", shapes)
    report = validate([f"{BROKEN_REL}/unknown-topic.md"], shapes=shapes, check_taxonomy=False, jobs=1)
    shacl = [f for f in report.findings if f.rule.startswith("tgsh:")]
    assert [(f.rule, f.line, f.field, f.node) for f in shacl] == [
        ("tgsh:Concept-definitionRequired", 12, "communityTopics[2]",
         "https://w3id.org/topicgraph/taxonomy/medigy/patient-aquisition")]
    assert str(shacl[0]).startswith(f"{BROKEN_REL}/unknown-topic.md:12 communityTopics[2]: error: ")
    assert report.exit_code == 1


def test_plain_headline_shape_is_folded_into_the_readers_warning():
    """Seed 002 has no title line: SHACL's PlainArticleHeadlineShape warns at field `title`, which repeats the
    reader's warning, so validate reports it once."""
    from topicgraph.records import read_record
    from topicgraph.validation.context import Context
    from topicgraph.validation.record_checks import record_shacl as _record_shacl
    from topicgraph.validation.locate import RecordIndex

    ctx = Context.create()
    path = "seeds/002_e2043c317a839aa3.txt"
    rec = read_record(path)
    index = RecordIndex(rec, ctx.mapper, ctx.profile)
    found = _record_shacl(ctx.mapper.map(rec), rec, index, ctx)
    assert [(f.rule, f.severity, f.field, f.file) for f in found] == [
        ("tgsh:PlainArticleHeadlineShape", W, "title", path)]
    report = validate([path], check_taxonomy=False, jobs=1)
    assert [f.rule for f in report.findings if f.field == "title"] == ["record.plain.title"]


def test_taxonomy_findings_are_part_of_validate():
    report = validate([f"{BROKEN_REL}/good.md"], taxonomy=DATA / "broken" / "taxonomy", jobs=1)
    rules = {f.rule for f in report.findings}
    assert {"skos.broader-cycle", "skos.orphan", "skos.dangling-concept"} <= rules
    assert {f.file for f in report.findings if f.rule.startswith("skos.")} == {
        "tests/data/broken/taxonomy/demo.ttl", "tests/data/broken/taxonomy/mappings.ttl"}
    # the record's vendors are not in that taxonomy, and neither is close to its one vendor (Demo): new vendors,
    # warnings, as the build says (a vendor close to a known one is an error: test_did_you_mean)
    assert {(f.file, f.rule, f.severity) for f in report.findings if not f.file.endswith(".ttl")} == {
        (f"{BROKEN_REL}/good.md", "record.topics.new-vendor", W)}
    assert report.exit_code == 1


# ---------------------------------------------------------------------------------------------- exit code 2
def test_missing_path_exits_2():
    result = CliRunner().invoke(cli, ["validate", "no/such/folder", "--no-cache"])
    assert result.exit_code == 2
    assert "no/such/folder: no such file or folder" in result.output
    with pytest.raises(TopicgraphError):
        validate(["no/such/folder"])


def test_bad_option_exits_2():
    result = CliRunner().invoke(cli, ["validate", "seeds", "--format", "yaml"])
    assert result.exit_code == 2 and "yaml" in result.output


def test_unreadable_shapes_exit_2(tmp_path):
    (tmp_path / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nthis is not turtle\n")
    result = CliRunner().invoke(cli, ["validate", "seeds", "--shapes", str(tmp_path), "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "cannot read the SHACL shapes" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["validate", "seeds", "--shapes", str(empty), "--no-cache"])
    assert result.exit_code == 2 and "has no .ttl files" in result.output


def test_a_pyshacl_crash_is_exit_2_never_1(monkeypatch):
    import pyshacl

    def explode(self, *args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pyshacl.Validator, "run", explode)
    result = CliRunner().invoke(cli, ["validate", "seeds", "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "SHACL validation crashed (RecursionError" in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------- cache
def test_cache_reuses_unchanged_files_and_rechecks_a_changed_one(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    cache = tmp_path / "cache"
    first = validate([corpus], cache_dir=cache, jobs=1)
    assert (first.cached, first.stats["checked"]) == (0, 5)
    assert (cache / "CACHEDIR.TAG").exists() and (cache / ".gitignore").read_text() == "*\n"
    second = validate([corpus], cache_dir=cache, jobs=1)
    assert (second.cached, second.stats["checked"]) == (5, 0)
    assert [f.to_dict() for f in second.findings] == [f.to_dict() for f in first.findings]
    # one file changes: only it is checked again, and its new finding shows
    target = next(corpus.glob("000_*"))
    target.write_text(target.read_text(encoding="utf-8").replace("'Gartner: Customer Experience'",
                                                                 "'Gartner: Custmer Experience'"), encoding="utf-8")
    third = validate([corpus], cache_dir=cache, jobs=1)
    assert (third.cached, third.stats["checked"]) == (4, 1)
    assert [f.rule for f in third.findings if f.file.endswith(target.name)] == ["record.topics.unknown-topic"]
    # the shapes are part of the key: other shapes, everything is checked again
    shapes = tmp_path / "shapes"
    shutil.copytree(ROOT / "ontology" / "shapes", shapes)
    (shapes / "article.ttl").write_text((shapes / "article.ttl").read_text() + "\n# changed\n")
    fourth = validate([corpus], cache_dir=cache, shapes=shapes, jobs=1)
    assert (fourth.cached, fourth.stats["checked"]) == (0, 5)


def test_duplicates_are_found_across_cached_and_fresh_files(tmp_path):
    cache = tmp_path / "cache"
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(BROKEN / "dup-id-a.md", corpus / "a.md")
    validate([corpus], cache_dir=cache, jobs=1, check_taxonomy=False)
    shutil.copy(BROKEN / "dup-id-b.md", corpus / "b.md")
    report = validate([corpus], cache_dir=cache, jobs=1, check_taxonomy=False)
    assert report.cached == 1
    assert [(Path(f.file).name, f.rule) for f in report.findings] == [("b.md", "record.duplicate-id")]


def test_parallel_run_gives_the_same_report(monkeypatch):
    from topicgraph.validation import core

    one = validate([BROKEN_REL], jobs=1)
    monkeypatch.setattr(core, "PARALLEL_MIN", 2)
    two = validate([BROKEN_REL], jobs=2)
    assert [f.to_dict() for f in two.findings] == [f.to_dict() for f in one.findings]


def test_pre_commit_hooks_run_validate():
    import shlex

    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"topicgraph-validate", "topicgraph-validate-corpus", "topicgraph-diff"}
    hooks = [h for h in hooks if h["id"] != "topicgraph-diff"]  # run by the next test
    for hook in hooks:
        assert hook["language"] == "python" and hook["entry"].startswith("topicgraph validate")
        args = shlex.split(hook["entry"])[1:] + ["--no-cache", "seeds"]  # the corpus hook: args ["."] replaced
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, (hook["id"], result.output)


def test_pre_push_hook_runs_diff_against_origin_main(tmp_path, monkeypatch):
    import shlex
    import subprocess

    import yaml

    hook = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
                if h["id"] == "topicgraph-diff")
    assert hook["language"] == "python" and hook["stages"] == ["pre-push"] and hook["pass_filenames"] is False
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "seeds", repo / "records")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": os.environ["PATH"], "HOME": str(tmp_path)}

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "records")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    monkeypatch.chdir(repo)
    args = shlex.split(hook["entry"])[1:] + ["--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    first = repo / "records" / sorted(p.name for p in (repo / "records").iterdir())[0]
    first.unlink()
    git("commit", "-qam", "a record goes")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output  # a removed record is no breaking change
    assert len(json.loads(result.stdout)["records"]["removed"]) == 1


def test_jsonld_remote_context_is_never_fetched(tmp_path, no_network):
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "https://schema.org/", "@id": "https://e.org/a", "@type": "Article"}')
    report = validate([path], check_taxonomy=False, jobs=1)
    assert [(f.rule, f.severity) for f in report.findings] == [("rdf.syntax", E)]
    assert "remote @context documents are never fetched" in report.findings[0].fix
    assert no_network == []


def test_a_changed_taxonomy_is_used_at_once(tmp_path):
    """Same folder, new contents: the next run sees the new taxonomy (nothing stale in this process)."""
    tax = tmp_path / "taxonomy"
    shutil.copytree(ROOT / "taxonomy", tax)
    record = f"{BROKEN_REL}/unknown-topic.md"
    before = validate([record], taxonomy=tax, check_taxonomy=False, jobs=1)
    assert [f.rule for f in before.findings] == ["record.topics.unknown-topic"]
    medigy = tax / "medigy.ttl"
    medigy.write_text(medigy.read_text(encoding="utf-8").replace(
        '"Patient Acquisition"@en ;', '"Patient Acquisition"@en ;\n    skos:altLabel "Patient Aquisition"@en ;', 1),
        encoding="utf-8")
    after = validate([record], taxonomy=tax, check_taxonomy=False, jobs=1)
    assert after.findings == []


def test_a_record_rejected_for_one_field_still_has_its_topics_checked(tmp_path):
    """One run reports everything wrong with a record: a bad date does not hide an unknown topic or vendor."""
    # a vendor close to a known one is an error (a vendor close to none is a new vendor, a warning); two records
    # naming one missing topic get one warning between them (test_one_warning_per_missing_concept), so these differ
    (tmp_path / "r.md").write_text("---\nid: 9\ntitle: T\ndate: 'not a date'\ncommunityTopics:\n"
                                   "  - 'Medigy: Patient Aquisition'\n  - 'Gartnr: Bar'\n---\nbody\n", encoding="utf-8")
    (tmp_path / "no-title.md").write_text("---\nid: 10\ncommunityTopics: ['Medigy: Patient Acquisitions Desk']\n"
                                          "---\nb\n", encoding="utf-8")
    report = validate([tmp_path], jobs=1, check_taxonomy=False)
    got = sorted((Path(f.file).name, f.rule, f.severity, f.line, f.field) for f in report.findings)
    assert got == [
        ("no-title.md", "record.title.missing", E, None, "title"),
        ("no-title.md", "record.topics.unknown-topic", W, 3, "communityTopics[0]"),
        ("r.md", "record.date.date", E, 4, "date"),
        ("r.md", "record.topics.unknown-topic", W, 6, "communityTopics[0]"),
        ("r.md", "record.topics.unknown-vendor", E, 7, "communityTopics[1]"),
    ]
    unknown = next(f for f in report.findings if f.rule == "record.topics.unknown-topic" and f.line == 6)
    assert unknown.fix.startswith("did you mean 'Medigy: Patient Acquisition'?")


def _record(rid: str, n: int) -> str:
    return (f"---\nid: {rid!r}\ntitle: Title {n}\nauthor: []\ncommunityTopics: []\nlink:\n  brand: example.com\n"
            f"  href: https://example.com/u{n}\ndate: '2021-02-03'\n---\n<p>Body {n}.</p>\n")


def test_ids_that_mint_one_article_iri_are_duplicate_ids(tmp_path, tmp_path_factory):
    """The build would give 'ABC' and 'abc' (or 'x y' and 'x_y', or NFC and NFD spellings) one article node:
    validate says so on the later file, naming the earlier one; run from the cache, the same."""
    ids = ["ABC", "abc", "x y", "x_y", "caf\u00e9", "cafe\u0301"]
    for n, rid in enumerate(ids):
        (tmp_path / f"r{n}.md").write_text(_record(rid, n), encoding="utf-8")
    cache = tmp_path_factory.mktemp("cache")  # outside the folder validated: a cache inside it is not used
    for _ in range(2):
        report = validate([tmp_path], jobs=1, check_taxonomy=False, cache_dir=cache)
        found = [(Path(f.file).name, f.rule, f.severity, f.line, f.field, f.message) for f in report.findings]
        base = "https://w3id.org/topicgraph/id/article/"
        assert found == [
            ("r1.md", "record.duplicate-id", E, 2, "id",
             f"id 'abc' gives the same article IRI <{base}abc> as id 'ABC' in {tmp_path}/r0.md"),
            ("r3.md", "record.duplicate-id", E, 2, "id",
             f"id 'x_y' gives the same article IRI <{base}x-y> as id 'x y' in {tmp_path}/r2.md"),
            ("r5.md", "record.duplicate-id", E, 2, "id",
             f"id 'cafe\u0301' gives the same article IRI <{base}caf%C3%A9> as id 'caf\u00e9' in {tmp_path}/r4.md")]
        assert report.findings[0].fix == ("give each record its own id: ids must differ after IRI minting (case, "
                                          "white space, '_' and Unicode normalisation are folded, leading and "
                                          "trailing '-' dropped)")
        assert report.exit_code == 1


def test_entries_discovery_turns_away_are_findings_never_opened(tmp_path, monkeypatch):
    """A FIFO (which would block the reader for ever) and an unreadable folder are errors, as an unreadable file
    is; a symlink to a file checked under its own name is an info; the CLI's exit code follows."""
    import errno
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    shutil.copy(ROOT / "seeds" / "000_e196614bccfeda88.txt", src / "a.md")
    os.symlink("a.md", src / "b.md")
    os.mkfifo(src / "p.md")
    (src / "sub" / "c.md").write_text("c")
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.path.abspath(path) == str(src / "sub"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    # a writer, should anything open the FIFO to read it: the test then fails instead of hanging
    import threading

    done = threading.Event()

    def unblock() -> None:
        while not done.wait(10):
            try:
                os.close(os.open(src / "p.md", os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass

    threading.Thread(target=unblock, daemon=True).start()
    try:
        report = validate([src], jobs=1, check_taxonomy=False)
        got = sorted((Path(f.file).name, f.rule, f.severity, f.message) for f in report.findings)
        assert got == [
            ("b.md", "record.same-file", I, f"same file as {src}/a.md (a symbolic link to it): checked once, as "
                                            f"{src}/a.md"),
            ("p.md", "record.io", E, "not a regular file (a FIFO): not read"),
            ("sub", "record.io", E, "cannot read this folder (Permission denied): nothing under it was checked")]
        assert all(f.fix for f in report.findings)
        assert report.files == [f"{src}/a.md"] and report.exit_code == 1
        result = CliRunner().invoke(cli, ["validate", str(src / "p.md"), "--no-cache"])
        assert result.exit_code == 1, result.output
        assert "not a regular file (a FIFO): not read [record.io]" in result.output
    finally:
        done.set()
