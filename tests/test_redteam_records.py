"""Red team, records: hostile files in a pull request must not sink, stall or poison a build (issue 15).

Each test is an attack that worked on the code before the per-record caps (``topicgraph.records.limits``):

- the 5-million-quote record, a 50 MB record and a million-key record (with ``--max-bytes 100000000``) made the
  build exit 2 with pyoxigraph's "Reached the buffer maximal size of 16777216", naming no file, and nothing was
  built; ``validate`` passed the first;
- a record with 100,000 topics took 268 s to build (a list membership test per topic in the mapper: quadratic);
- a NUL byte after the first 64 KiB was not seen, and went into ``schema:articleBody``;
- ``featuredImage.href: "javascript:..."`` was written as ``schema:contentUrl`` with no finding.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli

pytestmark = pytest.mark.redteam

SEEDS = Path("seeds")
GOOD = """---
id: good-{n}
title: A good record {n}
link:
  href: https://example.org/good-{n}
communityTopics: ['Medigy: AI']
---
Body of good record {n}.
"""


def _corpus(folder: Path, bad: dict[str, str | bytes]) -> Path:
    """Two good records and the seeds beside the ``bad`` ones."""
    folder.mkdir()
    for seed in sorted(SEEDS.iterdir())[:3]:
        shutil.copy(seed, folder / seed.name)
    for n in range(2):
        (folder / f"good-{n}.md").write_text(GOOD.format(n=n))
    for name, content in bad.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def _build(src: Path, out: Path, *extra: str):
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(out), "--jobs", "1", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output  # 2 was the whole build lost to one record
    report = json.loads((out / "build-report.json").read_text())
    assert report["counts"]["files"] == report["counts"]["mapped"] + report["counts"]["skipped"]
    return result, report


def _validate(src: Path, *extra: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["validate", str(src), "--no-cache", "--format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def _skipped_with(report: dict, name: str, *rules: str) -> dict:
    """The report's entry for ``name``: skipped, its reason naming the file and one of ``rules``, with a fix."""
    entry = next(f for f in report["files"] if f["file"].endswith("/" + name))
    assert entry["status"] == "skipped", entry
    assert name in entry["reason"] and any(f"[{rule}]" in entry["reason"] for rule in rules), entry["reason"]
    assert any(f["rule"] in rules and f["fix"] for f in entry.get("findings", [])), entry
    return entry


def _good_all_mapped(report: dict, bad: set[str]) -> None:
    for entry in report["files"]:
        if entry["file"].rsplit("/", 1)[-1] not in bad:
            assert entry["status"] == "mapped", entry


def test_five_million_quotes_skip_one_record_not_the_build(tmp_path):
    quotes = "---\nid: quotes\ntitle: Quotes\nnote: '" + '"' * 5_000_000 + "'\n---\nbody\n"
    src = _corpus(tmp_path / "src", {"quotes.md": quotes})
    result, report = _build(src, tmp_path / "out")
    _skipped_with(report, "quotes.md", "record.limit.term")
    _good_all_mapped(report, {"quotes.md"})
    assert "quotes.md" in result.output and "Reached the buffer" not in result.output
    code, findings = _validate(src)
    assert code == 1
    assert [f["rule"] for f in findings if f["file"].endswith("quotes.md") and f["severity"] == "error"] == \
        ["record.limit.term"]


@pytest.mark.slow
def test_fifty_megabytes_and_a_million_keys_with_max_bytes_raised(tmp_path):
    keys = "".join(f"k{i}: v\n" for i in range(1_000_000))
    src = _corpus(tmp_path / "src", {
        "fifty.md": "---\nid: fifty\ntitle: Fifty\n---\n" + "word " * 10_000_000,
        "keys.md": f"---\nid: keys\ntitle: Keys\n{keys}---\nbody\n",
    })
    _, report = _build(src, tmp_path / "out", "--max-bytes", "100000000")
    _skipped_with(report, "fifty.md", "record.limit.term")
    _skipped_with(report, "keys.md", "record.limit.keys")
    _good_all_mapped(report, {"fifty.md", "keys.md"})


@pytest.mark.parametrize("cap, front_matter", [
    ("authors", "author:\n" + "".join(f"- Author {i}\n" for i in range(1_001))),
    ("keys", "extra:\n" + "".join(f"  k{i}: v\n" for i in range(10_001))),
    ("items", "tags: [" + ", ".join(f"t{i}" for i in range(10_001)) + "]\n"),
    ("topics", "communityTopics:\n" + "".join(f"- 'Medigy: T{i}'\n" for i in range(1_001))),
])
def test_each_cap_is_a_finding_in_build_and_validate_alike(tmp_path, cap, front_matter):
    rule = f"record.limit.{cap}"
    src = _corpus(tmp_path / "src", {"over.md": f"---\nid: over\ntitle: Over\n{front_matter}---\nbody\n"})
    _, report = _build(src, tmp_path / "out")
    entry = _skipped_with(report, "over.md", rule)
    _good_all_mapped(report, {"over.md"})
    code, findings = _validate(src)
    errors = [f for f in findings if f["file"].endswith("over.md") and f["severity"] == "error"]
    assert code == 1 and [f["rule"] for f in errors] == [rule]
    built = [f for f in entry["findings"] if f["rule"] == rule]
    assert [(f["message"], f["fix"]) for f in built] == [(f["message"], f["fix"]) for f in errors]


def _topics_record(n: int) -> str:
    return ("---\nid: many\ntitle: Many topics\ncommunityTopics:\n"
            + "".join(f"- 'Medigy: Topic {i}'\n" for i in range(n)) + "---\nbody\n")


def test_topics_cost_linear_in_the_build_and_capped(tmp_path):
    seconds = {}
    for n in (10_000, 100_000):
        src = _corpus(tmp_path / f"src-{n}", {"many.md": _topics_record(n)})
        start = time.perf_counter()
        _, report = _build(src, tmp_path / f"out-{n}")
        seconds[n] = time.perf_counter() - start
        # 100,000 topics are also over the cap of items in one list, which is checked first
        entry = _skipped_with(report, "many.md", "record.limit.topics", "record.limit.items")
        assert entry["findings"][0]["field"] == "communityTopics"
    # ten times the topics costs about ten times as much at most, never the square (the old list lookups)
    assert seconds[100_000] < 25 * seconds[10_000], seconds


def test_topics_cost_linear_in_the_mapper_below_the_cap():
    from topicgraph.iris import IriMinter
    from topicgraph.mapping import Mapper
    from topicgraph.records import DEFAULT_PROFILE, parse_record
    from topicgraph.records.limits import Limits
    from topicgraph.taxonomy import load_taxonomy

    profile = replace(DEFAULT_PROFILE, limits=Limits(topics=100_000))
    mapper = Mapper(IriMinter(), load_taxonomy(None))
    records = {n: parse_record(_topics_record(n).encode(), "many.md", profile=profile) for n in (1_000, 10_000)}
    assert [len(r.topics) for r in records.values()] == [1_000, 10_000]

    def best(rec) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            mapped = mapper.map(rec)
            times.append(time.perf_counter() - start)
        assert len(mapped.about) == len(rec.topics)
        return min(times)

    small, large = best(records[1_000]), best(records[10_000])
    assert large < 25 * small, (small, large)  # was ~50x: `concept in about` on a list


def test_a_nul_byte_past_64_kib_makes_the_file_binary(tmp_path):
    body = ("lorem ipsum " * 6_000).encode()  # 72,000 bytes
    data = b"---\nid: nul\ntitle: NUL\n---\n" + body[:68_000] + b"\x00" + body[68_000:]
    assert data.index(b"\x00") > 65_536
    src = _corpus(tmp_path / "src", {"nul.md": data})
    _, report = _build(src, tmp_path / "out", "--format", "nt")
    entry = next(f for f in report["files"] if f["file"].endswith("/nul.md"))
    assert entry["status"] == "skipped" and "binary" in entry["reason"], entry
    nt = (tmp_path / "out" / "graph.nt").read_bytes()
    assert b"\\u0000" not in nt and b"\x00" not in nt
    _good_all_mapped(report, {"nul.md"})
    code, findings = _validate(src)
    assert [f["rule"] for f in findings if f["file"].endswith("nul.md")] == ["record.not-a-record"]


@pytest.mark.parametrize("image", [
    "featuredImage:\n  href: \"javascript:alert(document.cookie)\"\n  alt: An image\n",
    "featuredImage: 'JavaScript:alert(1)'\n",
    "featuredImage:\n  href: 'data:image/svg+xml;base64,PHN2Zz4='\n",
])
def test_a_javascript_image_is_refused_as_a_javascript_link_is(tmp_path, image):
    link = "link:\n  href: \"javascript:alert(document.cookie)\"\n"
    src = _corpus(tmp_path / "src", {
        "image.md": f"---\nid: image\ntitle: Image\n{image}---\nbody\n",
        "link.md": f"---\nid: link\ntitle: Link\n{link}---\nbody\n",
    })
    _, report = _build(src, tmp_path / "out", "--format", "nt")
    image_entry = _skipped_with(report, "image.md", "record.featured_image.url")
    link_entry = _skipped_with(report, "link.md", "record.link.url")
    _good_all_mapped(report, {"image.md", "link.md"})
    assert b"javascript:" not in (tmp_path / "out" / "graph.nt").read_bytes().lower()
    for entry in (image_entry, link_entry):  # the rule of link.href, so the same words
        assert "is not allowed: use an http:// or https:// link" in entry["reason"], entry["reason"]
    code, findings = _validate(src)
    assert code == 1
    rules = {f["file"].rsplit("/", 1)[-1]: f["rule"] for f in findings if f["severity"] == "error"}
    assert rules == {"image.md": "record.featured_image.url", "link.md": "record.link.url"}


def test_aliases_are_addresses_too(tmp_path):
    src = _corpus(tmp_path / "src", {
        "alias.md": "---\nid: alias\ntitle: Alias\naliases: ['/news/fine', 'javascript:alert(1)']\n---\nbody\n"})
    _, report = _build(src, tmp_path / "out")
    entry = _skipped_with(report, "alias.md", "record.aliases.url")
    assert "aliases[1]" in entry["reason"]


def test_relative_images_and_aliases_still_map(tmp_path):
    src = _corpus(tmp_path / "src", {
        "fine.md": "---\nid: fine\ntitle: Fine\naliases: /news/fine\nfeaturedImage:\n  href: photos/a-b.jpeg\n"
                   "---\nbody\n"})
    _, report = _build(src, tmp_path / "out", "--format", "nt")
    _good_all_mapped(report, set())
    nt = (tmp_path / "out" / "graph.nt").read_text()
    assert '<http://schema.org/contentUrl> "photos/a-b.jpeg"' in nt and '"/news/fine"' in nt


def test_a_profile_raises_a_cap_and_refuses_a_bad_one(tmp_path):
    from topicgraph.errors import TopicgraphError
    from topicgraph.records import load_profile

    profile = tmp_path / "big.toml"
    profile.write_text("[limits]\ntopics = 2000\n")
    src = _corpus(tmp_path / "src", {"many.md": _topics_record(1_500)})
    _, report = _build(src, tmp_path / "out", "--profile", str(profile))
    _good_all_mapped(report, set())
    for bad in ("topics = 0", "topics = 'many'", "pages = 3"):
        profile.write_text(f"[limits]\n{bad}\n")
        with pytest.raises(TopicgraphError, match=r"\[limits\]"):
            load_profile(profile)
