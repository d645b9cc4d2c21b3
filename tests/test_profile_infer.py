"""`profile infer` (records/infer.py, cli/profile_cmd.py): roles by synonym and by shape, the drift report, and the
two generated example sites taken from nothing to `validate` exit 0 with no hand edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli
from topicgraph.records import load_profile, parse_record
from topicgraph.records.infer import Survey, infer_profile, survey
from topicgraph.sources import discover

from .conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"
SITES = {"hugo-bookmarks": EXAMPLES / "hugo-bookmarks" / "content", "jekyll-site": EXAMPLES / "jekyll-site" / "_posts"}


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _infer(records, site="my-site"):
    return infer_profile(Survey.of(records, site=site))


# ---- inference on small corpora ---------------------------------------------------------------------------------

def test_roles_by_synonym():
    inf = _infer([{"uid": f"u{i}", "headline": "H", "pubDate": "2021-02-03", "byline": "Ann", "updated": "2021-03-01",
                   "url": "https://a.example/x", "publisher": "a.example", "summary": "S"} for i in range(5)])
    f = inf.fields
    assert (f["id"], f["title"], f["date"], f["authors"], f["last_mod"]) == (
        ("uid",), ("headline",), ("pubDate",), ("byline",), ("updated",))
    assert (f["link_href"], f["link_brand"], f["description"]) == (("url",), ("publisher",), ("summary",))
    assert any(r.startswith("title: headline (by name, in 5/5 records") for r in inf.reasons)


def test_a_role_whose_field_has_the_wrong_shape_is_not_taken():
    # `url` is a site path here, not an address: no link role; `date` in words still reads as a date
    inf = _infer([{"id": str(i), "title": "T", "url": f"/posts/{i}/", "date": "Feb 3, 2021"} for i in range(4)])
    assert "url" not in inf.fields["link_href"] and inf.fields["date"] == ("date",)


def test_a_string_link_switches_link_original_off_and_flat_brand_is_found():
    inf = _infer([{"id": "1", "title": "T", "link": "https://a.example/x", "linkBrand": "a.example"}])
    assert inf.fields["link_href"] == ("link",) and inf.fields["link_original"] == ()
    assert inf.fields["link_brand"] == ("linkBrand",)
    assert "link_original = []" in inf.toml()


def test_a_link_mapping_keeps_the_default_layout():
    inf = _infer([{"id": "1", "title": "T", "link": {"brand": "a.example", "href": "https://a.example/x",
                                                     "original": "https://a.example/x"},
                   "communityTopics": ["Medigy: AI"]}])
    assert inf.changed() == {} and inf.default_vendor is None


def test_aliases_never_together_are_one_role():
    records = [{"id": str(i), "title": "T", ("lastmod" if i % 3 else "lastMod"): "2021-02-03T09:39:46Z"}
               for i in range(9)]
    inf = _infer(records)
    assert inf.aliases == [("lastmod", "lastMod")]
    assert inf.fields["last_mod"] == ("lastmod", "lastMod")


def test_case_variants_and_default_vendor_from_the_site_name():
    inf = _infer([{"id": str(i), "title": "T", "categories": ["ai" if i % 2 else "AI", "HIMSS 19" if i else "himss  19"]}
                  for i in range(6)], site="health-bookmarks")
    assert inf.fields["topics"] == ("categories",)
    assert inf.default_vendor == "Health Bookmarks"
    groups = inf.case_variants["categories"]
    assert [("AI", 3), ("ai", 3)] in groups and [("HIMSS 19", 5), ("himss 19", 1)] in groups


def test_prefixed_topics_need_no_default_vendor_and_a_source_mapping_maps_its_name():
    inf = _infer([{"id": str(i), "title": "T", "topics": ["Medigy: AI"], "source": {"name": "Dropmark"}}
                  for i in range(3)])
    assert inf.default_vendor is None and inf.fields["topics"] == ("topics",)
    assert inf.fields["source"] == ("source.name",)


def test_mixed_date_formats_and_enum_like_fields():
    records = [{"id": str(i), "title": "T", "layout": "post",
                "date": ("2021-02-03", "Feb 3, 2021", "2021-02-03T09:39:46Z")[i % 3]} for i in range(30)]
    inf = _infer(records)
    assert inf.mixed_dates["date"] == {"date (YYYY-MM-DD)": 10, "date (Month D, YYYY)": 10,
                                       "date-time (ISO 8601)": 10}
    assert inf.enums["layout"] == [("post", 30)] and inf.rdf("layout") == "tg:frontMatter"
    assert inf.rdf("date") == "schema:datePublished"


def test_the_inferred_toml_is_a_profile_the_reader_accepts(tmp_path):
    inf = _infer([{"headline": "H", "permalink": "/a/", "link": "https://a.example/a", "tags": ["x"]}])
    path = tmp_path / "site.toml"
    path.write_text(inf.toml(), encoding="utf-8")
    profile = load_profile(path)
    record = parse_record(b"---\nheadline: H\npermalink: /a/\nlink: https://a.example/a\ntags: [x]\n---\n", "a.md",
                          profile=profile)
    assert (record.id, record.title, record.link.href, record.topics[0].vendor) == ("/a/", "H",
                                                                                     "https://a.example/a", "My Site")


def test_sampling_is_deterministic_and_capped(tmp_path):
    for i in range(10):
        (tmp_path / f"{i}.md").write_text(f"---\nid: {i}\ntitle: T\n---\n", encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    one, two = survey(discover([tmp_path]), sample=4), survey(discover([tmp_path]), sample=4)
    assert one.sampled == 4 and one.files == 11 and one.fields["id"].values == two.fields["id"].values
    everything = survey(discover([tmp_path]))
    assert everything.records == 10 and len(everything.unreadable) == 1


# ---- the command -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_the_report_formats(tmp_path, fmt):
    result = _run("profile", "infer", SITES["jekyll-site"], "--format", fmt, "-o", tmp_path / "p.toml")
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        assert data["records"] == 230 and data["profile"]["fields"]["topics"] == ["tags"]
        assert data["mixed_dates"]["date"]["date (Month D, YYYY)"] > 0
    else:
        assert "mixed date formats in date" in result.output and "taxonomy extract" in result.output
    assert load_profile(tmp_path / "p.toml").default_vendor == "Jekyll Site"


@pytest.mark.parametrize("name", sorted(SITES))
def test_the_committed_example_profiles_are_what_infer_writes(tmp_path, monkeypatch, name):
    monkeypatch.chdir(EXAMPLES)
    result = _run("profile", "infer", SITES[name].relative_to(EXAMPLES), "-o", tmp_path / "p.toml")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.toml").read_text() == (EXAMPLES / name / "profile.toml").read_text()


@pytest.mark.parametrize("name", sorted(SITES))
def test_an_example_site_goes_from_nothing_to_validate_exit_0(tmp_path, name):
    src = tmp_path / name / SITES[name].name
    shutil.copytree(SITES[name], src)  # only the posts: no profile, no taxonomy
    assert len(list(src.iterdir())) >= 200
    profile = tmp_path / "site.toml"
    result = _run("profile", "infer", src, "-o", profile)
    assert result.exit_code == 0, result.output
    result = _run("taxonomy", "extract", src, "--profile", profile, "-o", tmp_path / "new.ttl")
    assert result.exit_code == 0, result.output
    taxonomy = tmp_path / "taxonomy"
    taxonomy.mkdir()
    for ttl in [*sorted((ROOT / "taxonomy").glob("*.ttl")), tmp_path / "new.ttl"]:
        shutil.copy(ttl, taxonomy)
    out = tmp_path / "graph"
    result = _run("build", src, "--profile", profile, "--taxonomy", taxonomy, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["mapped"] == len(list(src.iterdir())) and report["counts"]["skipped"] == 0
    result = _run("validate", src, "--profile", profile, "--taxonomy", taxonomy, "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["counts"]["errors"] == 0


def test_hints_point_to_profile_infer():
    data = (b"---\nid: 1\ntitle: T\nlink: https://a.example/x\nlinkBrand: a.example\ncategories: [ai]\n"
            b"communityTopics: [ai]\nsource:\n  name: dropmark\n---\n")
    from topicgraph.errors import RecordError
    with pytest.raises(RecordError) as caught:
        parse_record(data, "a.md")
    fixes = {f.rule: f.fix for f in caught.value.findings}
    for rule in ("record.field.mapping", "record.topics.vendor", "record.source.type"):
        assert "topicgraph profile infer" in fixes[rule] and "--profile site.toml" in fixes[rule], (rule, fixes)


def test_another_sites_separator_between_vendor_and_label_is_found():
    inf = _infer([{"id": str(i), "title": "T", "topics": ["Medigy / Telehealth", "Symplur / Patient Experience"],
                   "keywords": ["telehealth"]} for i in range(3)])
    assert inf.separator == " / " and inf.default_vendor is None
    assert inf.fields["tags"] == ("keywords",)
    assert 'separator = " / "' in inf.toml()


def test_a_slash_inside_labels_is_not_a_separator():
    inf = _infer([{"id": str(i), "title": "T", "categories": ["24/7 care", "ai", "9/11 response"][: 1 + i % 3]}
                  for i in range(6)], site="care-news")
    assert inf.separator == ":" and inf.default_vendor == "Care News"


def test_the_newsroom_example_needs_no_hand_edits(tmp_path):
    """docs/examples/newsroom was written by hand for docs/profiles.md: its inferred profile maps every topic."""
    site = EXAMPLES / "newsroom"
    profile = tmp_path / "site.toml"
    assert _run("profile", "infer", site, "-o", profile).exit_code == 0
    result = _run("build", site, "--profile", profile, "--out", tmp_path / "g", "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)["counts"]
    assert counts["mapped"] == 1 and counts["unknown_topics"] == 0 and counts["new_vendors"] == 0


def test_windows_line_endings_are_front_matter_too(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.md").write_bytes(f"---\r\nid: r{i}\r\nheadline: H\r\n---\r\nbody\r\n".encode())
    s = survey(sorted(tmp_path.glob("*.md")), site="crlf")
    assert (s.records, s.plain) == (3, 0)
    assert infer_profile(s).fields["title"] == ("headline",)
