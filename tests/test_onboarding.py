"""Onboarding another site's corpus: build and validate agree, a build that maps nothing fails and says everything
it found, and `taxonomy extract` makes the schemes of the corpus's new vendors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli
from topicgraph.store import GraphStore
from topicgraph.records import load_profile
from topicgraph.taxonomy.extract import NEW_VENDOR_RULE, preferred

from .conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"
HUGO = EXAMPLES / "hugo-blog"
TAXONOMY = ROOT / "taxonomy"


def _run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _profile_args(folder: Path) -> list[str]:
    profile = folder / "profile.toml"
    return ["--profile", str(profile)] if profile.exists() else []


def _build(sources, out: Path, *options: str) -> tuple[int, dict]:
    result = _run("build", *sources, "--out", out, "-q", *options)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads((out / "build-report.json").read_text(encoding="utf-8"))


def _validate(sources, *options: str) -> tuple[int, dict]:
    result = _run("validate", *sources, "--format", "json", "--no-cache", *options)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


# ---- build and validate agree ---------------------------------------------------------------------------------

def test_a_default_vendor_without_scheme_is_a_new_vendor_warning_in_build_and_validate(tmp_path):
    code, report = _build([HUGO], tmp_path / "g", *_profile_args(HUGO))
    assert code == 0 and report["counts"]["mapped"] == 2
    built = [f for entry in report["files"] for f in entry.get("findings", []) if f["rule"] == NEW_VENDOR_RULE]
    assert len(built) == 4 and {f["severity"] for f in built} == {"warning"}
    code, checked = _validate([HUGO], *_profile_args(HUGO))
    assert code == 0, checked["findings"]
    assert checked["counts"]["errors"] == 0
    rules = [f["rule"] for f in checked["findings"] if f["severity"] != "info"]
    assert rules == [NEW_VENDOR_RULE] * 4
    assert all("taxonomy extract" in f["fix"] for f in checked["findings"] if f["rule"] == NEW_VENDOR_RULE)


def _drifted_corpus(folder: Path) -> Path:
    """A generated corpus with drift planted in some files: a vendor close to a known one (a slip), a vendor close to
    none (new), case and spacing variants of a missing topic, a date that is not one."""
    from topicgraph.synth import SynthConfig, generate

    corpus = generate(folder, SynthConfig(n=40, seed=7, plain_fraction=0.05))
    files = sorted(p for p in corpus.files if p.read_text(encoding="utf-8").startswith("---"))
    plants = [("communityTopics:\n", "communityTopics:\n- 'Gartnr: Customer Experience'\n"),
              ("communityTopics:\n", "communityTopics:\n- 'Acme Health: Remote Care'\n"),
              ("communityTopics:\n", "communityTopics:\n- 'Medigy: Remote  Care Teams'\n"),
              ("communityTopics:\n", "communityTopics:\n- 'Medigy: remote care teams'\n"),
              ("communityTopics:\n", "communityTopics:\n- 'Symplr: Telehealth'\n- 'Acme Health: remote care'\n")]
    for path, (old, new) in zip(files, plants):
        text = path.read_text(encoding="utf-8")
        assert old in text, path
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    text = files[5].read_text(encoding="utf-8")
    files[5].write_text(re.sub(r"\ndate: [^\n]*", "\ndate: 'the day after'", text, count=1), encoding="utf-8")
    return folder


CORPORA = [pytest.param([d], _profile_args(d), id=d.name) for d in sorted(EXAMPLES.iterdir()) if d.is_dir()] + [
    pytest.param([ROOT / "tests" / "data" / "bad"], [], id="bad"),
    pytest.param([ROOT / "tests" / "data" / "broken" / "records"], [], id="broken"),
    pytest.param("drifted", [], id="generated-with-drift")]


@pytest.mark.parametrize("sources, options", CORPORA)
def test_a_record_build_maps_gets_no_error_from_validate(tmp_path, monkeypatch, sources, options):
    """One decision for both: every file the build maps has no error from validate, every record it skips has
    one (same options), whatever the drift."""
    if sources == "drifted":
        sources = [_drifted_corpus(tmp_path / "drifted")]
        monkeypatch.chdir(tmp_path)
    else:
        monkeypatch.chdir(ROOT)
    sources = [Path(s).relative_to(Path.cwd()) for s in sources]
    _, report = _build(sources, tmp_path / "g", *options)
    _, checked = _validate(sources, *options)
    errors: dict[str, set[str]] = {}
    for f in checked["findings"]:
        if f["severity"] == "error":
            errors.setdefault(f["file"], set()).add(f["rule"])
    disagree = []
    for entry in report["files"]:
        if "not a record" in entry.get("reason", ""):
            continue
        found = errors.get(entry["file"], set())
        if entry["status"] == "mapped" and found:
            disagree.append((entry["file"], "mapped by build", sorted(found)))
        if entry["status"] == "skipped" and not found:
            disagree.append((entry["file"], "skipped by build, no error from validate", entry.get("reason")))
    assert disagree == []
    assert report["counts"]["skipped"] > 0 or sources[0].name.startswith(("hugo", "jekyll"))


def _one(folder: Path, name: str, topics: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        "---\nid: " + name.split(".")[0] + "\ntitle: T\ndate: '2021-02-03'\nlink:\n  brand: example.com\n"
        f"  href: https://example.com/{name}\ncommunityTopics:\n" + "".join(f"- {json.dumps(t)}\n" for t in topics)
        + "---\nBody.\n", encoding="utf-8")
    return folder


def test_a_vendor_close_to_none_is_a_new_vendor_warning_in_build_and_validate(tmp_path):
    src = _one(tmp_path / "src", "a.md", ["Acme: AI", "Medigy: Telehealth"])
    code, report = _build([src], tmp_path / "g")
    assert code == 0 and report["counts"]["mapped"] == 1 and report["counts"]["new_vendors"] == 1
    (built,) = [f for f in report["files"][0]["findings"]]
    assert (built["rule"], built["severity"]) == (NEW_VENDOR_RULE, "warning")
    code, checked = _validate([src])
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in checked["findings"]] == [(NEW_VENDOR_RULE, "warning")]
    assert "'Acme: AI'" in checked["findings"][0]["message"] and "'Acme: AI'" in built["message"]


def test_a_vendor_close_to_a_known_one_is_an_error_in_build_and_validate(tmp_path):
    src = _one(tmp_path / "src", "a.md", ["Gartnr: Customer Experience", "Medigy: Telehealth"])
    _one(src, "b.md", ["Medigy: Telehealth"])
    result = _run("build", src, "--out", tmp_path / "g")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "g" / "build-report.json").read_text(encoding="utf-8"))
    a = next(e for e in report["files"] if e["file"].endswith("a.md"))
    assert a["status"] == "skipped" and "Gartnr" in a["reason"] and "'Gartner'" in a["reason"]
    assert [(f["rule"], f["severity"], f["field"]) for f in a["findings"]] == [
        ("record.topics.unknown-vendor", "error", "communityTopics[0]")]
    assert "Write the vendor as 'Gartner'" in a["findings"][0]["fix"]
    assert "skipped" in result.output and "Gartnr" in result.output
    assert report["counts"]["new_vendors"] == 0
    code, checked = _validate([src])
    assert code == 1
    (f,) = checked["findings"]
    assert (f["rule"], f["severity"], f["line"]) == ("record.topics.unknown-vendor", "error", 9)
    assert f["fix"].startswith("did you mean 'Gartner: Customer Experience'?")


def test_spellings_of_one_missing_topic_are_one_concept_in_build_and_validate(tmp_path):
    src = _one(tmp_path / "src", "a.md", ["Medigy: Remote Care Teams"])
    _one(src, "b.md", ["Medigy: remote  care teams"])
    _one(src, "c.md", ["Medigy: remote care teams", "Medigy: Brand New Thing"])
    code, report = _build([src], tmp_path / "g")
    assert report["counts"]["unknown_topics"] == len(report["unknown_topics"]) == 2
    assert report["unknown_topics"] == {"Medigy: Remote Care Teams": 3, "Medigy: Brand New Thing": 1}
    # (the reader folds runs of spaces in a topic, so two spellings remain)
    assert report["unknown_topic_spellings"] == {"Medigy: Remote Care Teams": [
        "Medigy: Remote Care Teams", "Medigy: remote care teams"]}
    code, checked = _validate([src])
    unknown = [f for f in checked["findings"] if f["rule"] == "record.topics.unknown-topic"]
    assert len(unknown) == report["counts"]["unknown_topics"] == 2
    folded = next(f for f in unknown if "Remote" in f["message"])
    assert folded["file"].endswith("a.md")
    assert "3 records, spelled 'Medigy: remote care teams' in 2" in folded["message"]
    assert "'Medigy: Remote Care Teams' in 1" in folded["message"]
    assert "also in " in folded["message"] and "b.md" in folded["message"] and "c.md" in folded["message"]


# ---- a build that maps nothing ----------------------------------------------------------------------------------

def _three_errors(folder: Path, name: str = "a.md") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("---\nid: two\ntitle: T\ndate: next Tuesday\nlink:\n  href: javascript:alert(1)\n"
                               "communityTopics:\n  - no vendor here\n  - nor here\n---\nBody.\n", encoding="utf-8")


def test_a_build_that_maps_nothing_exits_1_and_counts_errors_and_warnings(tmp_path):
    _three_errors(tmp_path / "src")
    result = _run("build", tmp_path / "src", "--out", tmp_path / "g")
    assert result.exit_code == 1, result.output
    assert "Mapped 0 of 1 file (1 skipped)" in result.output
    assert "4 errors, 0 warnings" in result.output
    assert "--profile" in result.output
    # the report lists every error of the file, the text the first few and how many more
    report = json.loads((tmp_path / "g" / "build-report.json").read_text())
    (entry,) = report["files"]
    assert [f["rule"] for f in entry["findings"]] == ["record.date.date", "record.link.url", "record.topics.vendor",
                                                      "record.topics.vendor"]
    assert "also: " in result.output and "record.link.url" in result.output
    assert "and 1 more" in result.output


def test_a_build_that_maps_something_still_exits_0(tmp_path):
    _three_errors(tmp_path / "src")
    shutil.copy(sorted((ROOT / "seeds").glob("*.txt"))[0], tmp_path / "src" / "b.md")
    result = _run("build", tmp_path / "src", "--out", tmp_path / "g", "-q")
    assert result.exit_code == 0, result.output
    assert "Mapped 1 of 2 files (1 skipped)" in result.output and "4 errors, 0 warnings" in result.output
    assert _run("build", tmp_path / "src", "--out", tmp_path / "g", "-q", "--strict").exit_code == 1


# ---- taxonomy extract -------------------------------------------------------------------------------------------

def test_the_preferred_label_keeps_capitals_then_frequency_then_sort_order():
    from collections import Counter

    assert preferred(Counter({"ai": 40, "AI": 3})) == "AI"
    assert preferred(Counter({"fda": 5, "FDA": 1})) == "FDA"
    assert preferred(Counter({"himss 19": 7, "HIMSS 19": 2})) == "HIMSS 19"
    assert preferred(Counter({"mhealth app": 4, "mHealth app": 1})) == "mHealth app"
    assert preferred(Counter({"telehealth": 3, "Telehealth": 1, "TeleHealth": 1})) == "TeleHealth"
    assert preferred(Counter({"b": 1, "a": 1})) == "a"


def _case_variant_corpus(folder: Path, n: int = 60) -> Path:
    """Flat Hugo posts whose categories come in case and spacing variants, a lower-case majority among them."""
    folder.mkdir(parents=True)
    spellings = [["ai", "AI", "ai"], ["fda", "FDA", "fda", "fda"], ["himss 19", "HIMSS  19"],
                 ["mhealth app", "mHealth app", "mhealth app"], ["Telehealth", "telehealth"], ["WHO", "who", "who"]]
    for i in range(n):
        cats = [s[i % len(s)] for j, s in enumerate(spellings) if (i + j) % 3]
        (folder / f"post-{i:03d}.md").write_text(
            "---\n" f"id: post-{i}\n" f"title: Post {i}\n" f"date: 2024-01-{i % 28 + 1:02d}\n" f"link: https://example.org/p/{i}\n"
            "linkBrand: example.org\n" "author: Ann Lee\n"
            "categories:\n" + "".join(f"  - {json.dumps(c)}\n" for c in cats) + "---\n" f"Body {i}.\n",
            encoding="utf-8")
    return folder


@pytest.mark.parametrize("corpus", ["hugo-blog", "case-variants"])
def test_extract_then_check_build_and_validate_agree_with_no_unknown_topic(tmp_path, corpus):
    if corpus == "hugo-blog":
        src, profile = HUGO, HUGO / "profile.toml"
    else:
        src, profile = _case_variant_corpus(tmp_path / "posts"), HUGO / "profile.toml"
    out_ttl = tmp_path / "blog.ttl"
    result = _run("taxonomy", "extract", src, "--profile", profile, "-o", out_ttl)
    assert result.exit_code == 0, result.output
    assert "wrote 1 scheme" in result.output
    tax = tmp_path / "taxonomy"
    shutil.copytree(TAXONOMY, tax)
    shutil.copy(out_ttl, tax / "blog.ttl")
    check = _run("taxonomy", "check", "--taxonomy", tax, "--format", "json")
    assert check.exit_code == 0, check.output
    # a flat new scheme lacks only definitions (skos.undocumented, a warning)
    assert {f["rule"] for f in json.loads(check.output)["findings"]} <= {"skos.undocumented"}
    code, report = _build([src], tmp_path / "g", "--profile", str(profile), "--taxonomy", str(tax))
    assert code == 0
    assert report["counts"]["unknown_topics"] == 0 and report["unknown_topics"] == {}
    assert report["counts"]["new_vendors"] == 0
    code, checked = _validate([src], "--profile", str(profile), "--taxonomy", str(tax))
    assert code == 0 and checked["counts"]["errors"] == 0
    assert not [f for f in checked["findings"] if f["rule"].startswith("record.topics")]
    if corpus == "case-variants":
        from topicgraph.taxonomy import load_taxonomy

        loaded = load_taxonomy(tax)
        scheme = loaded.scheme_for("Blog")
        labels = sorted(c.label for c in loaded.concepts.values() if c.scheme == scheme)
        assert labels == ["AI", "FDA", "HIMSS 19", "Telehealth", "WHO", "mHealth app"]
        text = out_ttl.read_text(encoding="utf-8")
        assert 'skos:hiddenLabel "ai"@en' in text and 'skos:scopeNote "used by 40 records"@en' in text


def test_extract_leaves_out_vendors_the_taxonomy_has(tmp_path):
    result = _run("taxonomy", "extract", ROOT / "seeds", "-o", tmp_path / "x.ttl")
    assert result.exit_code == 0, result.output
    assert "wrote 0 schemes, 0 concepts" in result.output


# ---- a site of yet another shape, and an attacker's ------------------------------------------------------------

def _third_site(folder: Path, n: int = 40) -> Path:
    """Tags as one comma-separated string, dates in RFC 2822, the author, link and publisher one level down."""
    import email.utils
    from datetime import datetime, timedelta, timezone

    folder.mkdir(parents=True)
    tags = ["Telehealth", "telehealth", "AI", "ai", "Remote Monitoring", "FDA", "EHR", "ehr"]
    for i in range(n):
        when = datetime(2023, 1, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5))) + timedelta(days=3 * i)
        (folder / f"story-{i:03d}.md").write_text(
            f"---\ntitle: \"Story {i}\"\ndate: {email.utils.format_datetime(when)}\n"
            f"tags: {', '.join(tags[(i + k) % len(tags)] for k in (0, 3))}\nmeta:\n  author: {['Ann Lee', 'Bo Chen'][i % 2]}\n"
            f"  source_url: https://news{i % 4}.example.com/story/{i}\n  publisher: news{i % 4}.example.com\n"
            f"  summary: Summary {i}.\nslug: story-{i}\n---\nBody {i}.\n", encoding="utf-8")
    return folder


def _onboard(src: Path, work: Path) -> tuple[dict, dict, str]:
    """The documented path from nothing: profile infer, taxonomy extract, build and validate, no hand edits."""
    inferred = _run("profile", "infer", src, "-o", work / "site.toml")
    assert inferred.exit_code == 0, inferred.output
    extracted = _run("taxonomy", "extract", src, "--profile", work / "site.toml", "-o", work / "new.ttl",
                     "--taxonomy-out", work / "tax")
    assert extracted.exit_code == 0, extracted.output
    # the folder holds the shipped taxonomy and the new scheme: nothing to copy by hand from a checkout
    assert sorted(p.name for p in (work / "tax").iterdir()) == sorted([p.name for p in TAXONOMY.glob("*.ttl")]
                                                                       + ["new.ttl"])
    assert f"pass --taxonomy {work / 'tax'} to build and validate" in extracted.output
    code, report = _build([src], work / "g", "--profile", str(work / "site.toml"), "--taxonomy", str(work / "tax"))
    assert code == 0
    code, checked = _validate([src], "--profile", str(work / "site.toml"), "--taxonomy", str(work / "tax"))
    assert code == 0, [f for f in checked["findings"] if f["severity"] == "error"]
    return report, checked, inferred.output


def test_a_third_shape_of_site_goes_from_nothing_to_validate_exit_0(tmp_path):
    src = _third_site(tmp_path / "site")
    report, checked, said = _onboard(src, tmp_path)
    assert report["counts"]["mapped"] == 40 and report["counts"]["people"] == 2 and report["counts"]["brands"] == 4
    profile = load_profile(tmp_path / "site.toml")
    assert profile.paths("authors") == ("meta.author",) and profile.paths("link_href") == ("meta.source_url",)
    assert profile.paths("link_brand") == ("meta.publisher",) and profile.paths("description") == ("meta.summary",)
    # the RFC 2822 dates are read, and the comma-separated tags split into one topic each
    assert "date-time (RFC 2822)" in said and profile.paths("date") == ("date",)
    assert profile.lists == {"tags": ",", "topics": ","} and "split at ','" in said  # topics come from tags
    assert checked["counts"]["errors"] == 0
    store = GraphStore.open(tmp_path / "g")
    assert store.rows("SELECT (COUNT(?d) AS ?n) WHERE { ?a schema:datePublished ?d }") == [["40"]]
    first = store.rows("SELECT ?d WHERE { ?a schema:headline 'Story 0' ; schema:datePublished ?d }")
    assert first == [["2023-01-01T09:30:00-05:00"]]
    labels = {r[0] for r in store.rows("SELECT DISTINCT ?l WHERE { ?a schema:about/skos:prefLabel ?l }")}
    assert not any("," in label for label in labels) and {"AI", "FDA", "EHR", "Telehealth"} <= labels


def test_an_attackers_corpus_gives_findings_never_a_traceback(tmp_path):
    src = _third_site(tmp_path / "site", n=4)
    (src / "huge.md").write_text("---\nslug: huge\ntitle: " + "A" * 3_000_000 + "\ntags: AI\n---\nb\n", encoding="utf-8")
    (src / "huge-tag.md").write_text("---\nslug: ht\ntitle: t\ntags: [\"" + "B" * 200_000 + "\"]\n---\nb\n",
                                     encoding="utf-8")
    (src / "many.md").write_text("---\nslug: many\ntitle: t\ntags: [" + ", ".join(f"t{i}" for i in range(20_000))
                                 + "]\n---\nb\n", encoding="utf-8")
    (src / "hostile.md").write_text(
        '---\nslug: "h\\u202e1"\ntitle: "<script>alert(1)</script>"\ntags: ["Gartner: <b>x</b>", "\\u202eevil", '
        '"Medigy:", ": x", "\\"q\\" \\\\ b", "Acme\\u200b: AI", "x\\ny", "@prefix x: <y> ."]\nmeta:\n'
        '  author: ["\\u0007bell"]\n  source_url: "javascript:alert(1)"\n---\nb\n', encoding="utf-8")
    (src / "bomb.md").write_text("---\na: &a [x, x, x, x]\nb: [*a, *a, *a]\nslug: bomb\ntitle: t\n---\nb\n",
                                 encoding="utf-8")
    (src / "deep.md").write_text("---\nslug: deep\ntitle: t\nmeta: " + "{a: " * 200 + "1" + "}" * 200 + "\n---\nb\n",
                                 encoding="utf-8")
    (src / "keys.md").write_text("---\n? [a, b]\n: 1\n123: x\nslug: wk\ntitle: t\n---\nb\n", encoding="utf-8")
    (src / "bin.md").write_bytes(b"---\nslug: bin\ntitle: \xff\xfe\x00\n---\n")
    profile = tmp_path / "site.toml"
    runs = [_run("profile", "infer", src, "-o", profile),
            _run("taxonomy", "extract", src, "--profile", profile, "-o", tmp_path / "new.ttl"),
            _run("build", src, "--profile", profile, "--out", tmp_path / "g", "-q"),
            _run("taxonomy", "tag", src, "--profile", profile)]
    runs += [_run("validate", src, "--profile", profile, "--no-cache", "--format", fmt)
             for fmt in ("text", "json", "sarif", "junit", "github")]
    for result in runs:
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1), result.output[-2000:]
        assert "Traceback" not in result.output
    report = json.loads((tmp_path / "g" / "build-report.json").read_text(encoding="utf-8"))
    skipped = {Path(e["file"]).name for e in report["files"] if e["status"] == "skipped"}
    assert {"huge.md", "huge-tag.md", "many.md", "hostile.md", "bomb.md", "keys.md", "bin.md"} <= skipped
    assert report["counts"]["mapped"] >= 4


def test_a_slip_for_the_profiles_default_vendor_is_an_error_in_build_and_validate(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name, cats in (("a.md", "[AI, 'Blgo: Triage']"), ("b.md", "[AI]")):
        (src / name).write_text(f"---\nid: {name[0]}\ntitle: T\ndate: 2024-05-02\nlinkBrand: b.example\n"
                                f"link: https://b.example/{name[0]}\ncategories: {cats}\n---\nBody.\n",
                                encoding="utf-8")
    profile = HUGO / "profile.toml"  # default_vendor = "Blog"
    code, report = _build([src], tmp_path / "g", "--profile", str(profile))
    status = {Path(e["file"]).name: e for e in report["files"]}
    assert status["a.md"]["status"] == "skipped" and status["b.md"]["status"] == "mapped"
    (slip,) = status["a.md"]["findings"]
    assert slip["rule"] == "record.topics.unknown-vendor" and "Write the vendor as 'Blog'" in slip["fix"]
    code, checked = _validate([src], "--profile", str(profile))
    assert code == 1
    assert [(Path(f["file"]).name, f["rule"]) for f in checked["findings"] if f["severity"] == "error"] == [
        ("a.md", "record.topics.unknown-vendor")]
