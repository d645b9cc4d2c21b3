"""Reading records: the YAML traps, field typing, plain articles, profiles."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from topicgraph.errors import RecordError, Severity
from topicgraph.records import NotARecord, load_profile, parse_record, read_record
from topicgraph.records.model import DateValue, Topic

from .conftest import SEEDS


def fm(body: str, text: str = "Body text.") -> bytes:
    return f"---\n{body}\n---\n{text}\n".encode()


def errors_of(data: bytes, **kw) -> list:
    with pytest.raises(RecordError) as info:
        parse_record(data, "x.md", **kw)
    return [f for f in info.value.findings if f.severity >= Severity.ERROR]


# ------------------------------------------------------------------------------------------- seeds
def test_front_matter_seed_fields():
    rec = read_record(SEEDS / "000_e196614bccfeda88.txt", display="seeds/000.txt")
    assert rec.format == "front-matter"
    assert rec.id == "4463"
    assert rec.title == "Elevating the Consumer Experience in Healthcare"
    assert rec.authors == ["Vinit @maxinovip.com"]
    assert rec.date == DateValue("2021-02-03T09:39:46.808068Z", "dateTime")
    assert rec.last_mod == DateValue("2021-02-04T12:02:36.677000Z", "dateTime")
    assert rec.link.brand == "healthtechmagazines.com"
    assert rec.topics == [Topic("Medigy", "Patient Acquisition"), Topic("Gartner", "Customer Experience")]
    assert rec.tags == ["news"] and rec.categories == []
    assert rec.community == "Chronic Care Management (CCM)" and rec.mast_head == "Chronic Care Management (CCM) CoP"
    assert rec.featured_image.width == 800 and rec.featured_image.height == 445
    assert rec.lines["topics"] == 20 and rec.lines["title"] == 62
    assert "<p>" not in rec.body and rec.body.startswith("As it turned out")
    assert rec.findings == []


def test_plain_seed_with_title_byline_and_date():
    rec = read_record(SEEDS / "003_93b4219c4437b57c.txt")
    assert rec.format == "plain"
    assert rec.title.startswith("Establishing a Shared Vision and Roadmap for Patient Engagement")
    assert rec.authors == ["Kyra Hagan"]
    assert rec.date == DateValue("2016-07-08", "date")
    assert rec.missing == []
    assert rec.body.startswith("One of the most significant transformations")  # the glued caption "Kyra Hagan" is gone
    assert "only available to members" not in rec.body and "Log in" not in rec.body
    assert rec.body.endswith("siloed technology solutions.")


def test_plain_seed_without_author_or_date_says_so():
    rec = read_record(SEEDS / "004_7f7bd89bfa8fa00f.txt")
    assert rec.title == "Customer Experience versus Patient Experience"
    assert rec.authors == [] and rec.date is None
    assert rec.missing == ["author", "date"]
    assert {f.field for f in rec.findings} == {"author", "date"}
    assert all(f.severity == Severity.WARNING for f in rec.findings)
    assert "Responses to" not in rec.body and "Airlines" not in rec.body and "Leave a Reply" not in rec.body
    assert rec.body.endswith("the way your customer buys!")


def test_plain_seed_with_nothing_stated_keeps_clean_body():
    rec = read_record(SEEDS / "002_e2043c317a839aa3.txt")
    assert rec.title is None and rec.authors == [] and rec.date is None
    assert rec.missing == ["title", "author", "date"]
    assert rec.body.startswith("The focus on customer experience in healthcare is not a new concept")
    assert "headshot" not in rec.body
    assert "The Customer Experience graphic" not in rec.body
    assert "Drop Us A Line" not in rec.body and "Close Button" not in rec.body and "Purpose*" not in rec.body
    # the pull quotes that repeat earlier text appear once
    assert rec.body.count("The focus on customer experience in healthcare is not a new concept") == 1
    assert rec.body.count("ensure they have the right leadership support") == 1
    assert "Digital Transformation" in rec.body  # section headings are content


# ------------------------------------------------------------------------------------------- YAML traps
def test_byte_order_mark_is_not_lost_metadata():
    rec = parse_record(codecs.BOM_UTF8 + fm("id: 1\ntitle: T"), "x.md")
    assert rec.format == "front-matter" and rec.id == "1" and rec.title == "T"
    assert [f.rule for f in rec.findings] == ["record.bom"]


def test_duplicate_keys_are_an_error_with_both_lines():
    (err,) = errors_of(fm("id: 1\ntitle: A\ntitle: B"))
    assert err.line == 4 and err.field == "title" and "first on line 3" in err.message


def test_yaml_1_1_coercions_do_not_happen():
    rec = parse_record(fm("id: 0755\ntitle: no\ndescription: yes\ntags: [on, off, 1e3]"), "x.md")
    assert rec.id == "0755" and rec.title == "no" and rec.description == "yes"
    assert rec.tags == ["on", "off", "1e3"]


def test_alias_bomb_is_refused():
    bomb = "a: &a [lol, lol]\nb: &b [*a, *a]\nc: &c [*b, *b]\nid: 1\ntitle: T"
    (err,) = errors_of(fm(bomb))
    assert "alias" in err.message


def test_python_tags_are_refused():
    (err,) = errors_of(fm("id: 1\ntitle: !!python/object/apply:os.system ['true']"))
    assert err.rule == "record.yaml" and err.line == 3 and "tag" in err.message


def test_tabs_and_syntax_errors_have_lines():
    (err,) = errors_of(fm("id: 1\nlink:\n\tbrand: x.com\ntitle: T"))
    assert err.line == 4 and "tabs" in err.fix
    (err,) = errors_of(fm("id: 1\ntitle: [unclosed"))
    assert err.rule == "record.yaml" and err.line is not None


def test_unclosed_front_matter():
    (err,) = errors_of(b"---\nid: 1\ntitle: T\nno closing line\n")
    assert "never closed" in err.message and err.line == 1


@pytest.mark.parametrize("data, rule", [
    (b"", "record.empty"),
    (b"  \n\t\n", "record.empty"),
    ("---\nid: 1\n---\n".encode("utf-16"), "record.encoding"),
    (b"---\nid: 1\ntitle: caf\xe9\n---\n", "record.encoding"),
])
def test_unreadable_files(data, rule):
    (err,) = errors_of(data)
    assert err.rule == rule and err.fix


def test_binary_and_rdf_files_are_not_records():
    with pytest.raises(NotARecord):
        parse_record(b"\x89PNG\r\n\x1a\n\x00\x00", "x.png")
    with pytest.raises(NotARecord):
        parse_record(b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", "x.ttl")
    with pytest.raises(NotARecord):
        parse_record(b'{"counts": {}}', "x.json")


# ------------------------------------------------------------------------------------------- field typing
@pytest.mark.parametrize("body, field, words", [
    ("id: 1", "title", "no title"),
    ("id: 1\ntitle: [a, b]", "title", "should be text, found a list"),
    ("id: 1\ntitle: T\ndate: 20210203", "date", "is not a date"),
    ("id: 1\ntitle: T\ndate: 2021-02-30", "date", "not a real date"),
    ("id: 1\ntitle: T\ndate: [2021]", "date", "should be a date"),
    ("id: 1\ntitle: T\nauthor:\n- name: Kyra", "author", "found a mapping"),
    ("id: 1\ntitle: T\ncommunityTopics: {a: b}", "communityTopics", "should be a list"),
    ("id: 1\ntitle: T\ncommunityTopics: [Telehealth]", "communityTopics[0]", "no vendor prefix"),
    ("id: 1\ntitle: T\ncommunityTopics: [': Telehealth']", "communityTopics[0]", "empty vendor"),
    ("id: 1\ntitle: T\ncommunityTopics: ['']", "communityTopics", "is empty"),
    ("id: 1\ntitle: T\nlink:\n  href: 'javascript:alert(1)'", "link.href", "not allowed"),
    ("id: 1\ntitle: T\nlink:\n  href: not a url", "link.href", "white space"),
    ("title: T", "id", "no id"),
    ("id: 1\ntitle: T\nlink: https://x.com/a", "link", "should be a mapping with brand, href, original, found text"),
    ("id: 1\ntitle: T\nlink: [a, b]", "link", "should be a mapping with brand, href, original, found a list"),
    ("id: \"a\u200bb\"\ntitle: T", "id", "invisible characters"),
    ("id: 1\ntitle: T\ndate: 2021-02-03T10:00:00+25:00", "date", "UTC offset +25:00, out of range"),
    ("id: 1\ntitle: T\ndate: 2021-02-03T10:00:00+14:30", "date", "UTC offset +14:30, out of range"),
    ("id: 1\ntitle: T\ncommunityTopics: ['Gartner\uff1a CX']", "communityTopics[0]", "not a colon"),
    ("id: \"ab\u202e\"\ntitle: T", "id", "invisible characters"),
])
def test_field_errors_name_field_line_and_fix(body, field, words):
    errs = errors_of(fm(body))
    assert any(e.field == field and words in e.message and e.fix for e in errs), [str(e) for e in errs]
    assert all(e.line is not None for e in errs if e.field not in ("id", "title"))


def test_link_as_text_says_where_the_address_goes():
    (err,) = errors_of(fm("id: 1\ntitle: T\nlink: https://x.com/a"))
    assert (err.line, err.rule) == (4, "record.field.mapping")
    assert err.fix.endswith("e.g. `  href: https://x.com/a`")


def test_only_text_files_without_front_matter_are_plain_articles():
    """Source code, configuration and data files without front matter are not records; a plain article is a
    text, Markdown or HTML file."""
    for name in ("x.py", "pyproject.toml", "config.yaml", "run.sh", "table.csv", "Makefile"):
        with pytest.raises(NotARecord, match="without front matter; a plain article is a"):
            parse_record(b"print('hello')\n", name)
    for name in ("a.txt", "a.md", "a.MARKDOWN", "a.html"):
        assert parse_record(b"A Title\n\nBy Kyra Hagan\n\nSome body text.\n", name).format == "plain"
    rec = parse_record(fm("id: 1\ntitle: T"), "notes.yaml")  # front matter: a record whatever the extension
    assert rec.id == "1"


def test_toml_front_matter_is_named():
    (err,) = errors_of(b'+++\ntitle = "T"\n+++\nBody\n')
    assert (err.rule, err.line) == ("record.front-matter", 1) and "TOML" in err.message and "---" in err.fix


def test_plain_article_file_names_with_control_characters_are_refused():
    with pytest.raises(RecordError) as info:
        parse_record(b"A Title\n\nBody.\n", "bad\x1b[31mname.txt")
    (err,) = info.value.findings
    assert err.rule == "record.id.characters" and err.fix.startswith("rename the file")


def test_size_limit_message_in_bytes(tmp_path: Path):
    path = tmp_path / "big.md"
    path.write_bytes(fm("id: 1\ntitle: T"))
    with pytest.raises(RecordError) as info:
        read_record(path, max_bytes=10)
    (err,) = info.value.findings
    assert err.message == f"file is {path.stat().st_size:,} bytes, over the limit of 10 bytes for one record"


def test_unmapped_fields_are_kept():
    rec = parse_record(fm("id: 1\ntitle: T\nlink:\n  brand: a.com\n  extra: x\ncustom:\n  deep: [1, 2]"), "x.md")
    assert rec.extra == {"link": {"extra": "x"}, "custom": {"deep": ["1", "2"]}}


def test_link_brand_falls_back_to_host():
    rec = parse_record(fm("id: 1\ntitle: T\nlink:\n  href: https://www.example.com/a"), "x.md")
    assert rec.link.brand == "example.com"


# ------------------------------------------------------------------------------------------- profiles
PROFILE_FLAT = """
name = "flat"
[fields]
link_brand = "linkBrand"
link_href = "link"
link_original = []
last_mod = "lastmod"
authors = "author"
[topics]
fields = ["categories", "tags"]
default_vendor = "Blog"
label_case = "preserve"
"""


def test_profile_maps_another_sites_fields(tmp_path: Path):
    prof_path = tmp_path / "flat.toml"
    prof_path.write_text(PROFILE_FLAT)
    prof = load_profile(prof_path)
    data = fm("id: 9\ntitle: T\nauthor: Ann Lee\nlinkBrand: Example.com\nlink: https://example.com/x\n"
              "lastmod: 2024-01-02\ncategories: [ai, 'Gartner: AI']")
    rec = parse_record(data, "x.md", profile=prof)
    assert rec.authors == ["Ann Lee"] and rec.link.brand == "Example.com" and rec.link.href == "https://example.com/x"
    assert rec.last_mod == DateValue("2024-01-02", "date")
    assert rec.topics == [Topic("Blog", "ai"), Topic("Gartner", "AI")]


def test_profile_errors_are_clear(tmp_path: Path):
    from topicgraph.errors import TopicgraphError

    bad = tmp_path / "bad.toml"
    bad.write_text("[fields]\ntitel = 'title'\n")
    with pytest.raises(TopicgraphError, match="unknown role 'titel'"):
        load_profile(bad)
    bad.write_text("[topics]\nlabel_case = 'shout'\n")
    with pytest.raises(TopicgraphError, match="label_case"):
        load_profile(bad)
    with pytest.raises(TopicgraphError, match="no such file"):
        load_profile(tmp_path / "missing.toml")


@pytest.mark.parametrize("case", ["too big", "unreadable", "binary", "utf-16", "bom", "bad utf-8", "empty"])
def test_build_and_validate_read_a_file_with_the_same_findings(tmp_path, case):
    """One size, read and encoding check (records.read_limited, then parse_record) for both: the build's reader
    and `validate` give the same findings, word for word."""
    from topicgraph.validation.context import Context
    from topicgraph.validation.files import check_files

    path = tmp_path / "rec.md"
    front = b"---\nid: 1\ntitle: T\ncommunityTopics: ['Medigy: AI']\n---\nBody\n"
    content = {"too big": front * 10, "binary": b"\x00\x01" + front, "utf-16": front.decode().encode("utf-16"),
               "bom": codecs.BOM_UTF8 + front, "bad utf-8": front + b"\xff\n", "empty": b"",
               "unreadable": None}[case]
    if content is None:
        path.mkdir()  # a folder where a file is expected: open() fails with an OSError
    else:
        path.write_bytes(content)
    ctx = Context.create(max_bytes=200)
    summary = check_files([(path, "rec.md")], ctx)[0]
    by_validate = [tuple(f[:5]) for f in summary["findings"]]
    try:
        rec = read_record(path, display="rec.md", max_bytes=200)
    except RecordError as exc:
        by_reader = [(f.message, str(f.severity), f.line, f.field, f.rule) for f in exc.findings]
    except NotARecord as exc:
        by_reader = [(f"not a record ({exc}): not checked", "info", None, None, "record.not-a-record")]
    else:
        by_reader = [(f.message, str(f.severity), f.line, f.field, f.rule) for f in rec.findings]
    assert by_validate[:len(by_reader)] == by_reader and by_reader, summary
    if case in ("too big", "unreadable"):
        assert by_validate == by_reader and by_reader[0][4] == ("record.size" if case == "too big" else "record.io")
