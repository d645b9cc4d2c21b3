"""Every output format of `topicgraph validate` carries every expected finding of the broken corpus; JUnit and SARIF
are validated against their schemas (tests/data/schemas/, see tests/data/README.md)."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli
from topicgraph.errors import Finding, Severity
from topicgraph.validation import ValidationReport
from topicgraph.validation.formats import render

from .conftest import DATA
from .test_validate import BROKEN_EXPECTED, BROKEN_REL

SCHEMAS = DATA / "schemas"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

EXPECTED = sorted((f"{BROKEN_REL}/{name}", rule, sev, line, field)
                  for name, findings in BROKEN_EXPECTED.items() for rule, sev, line, field in findings)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    runner = CliRunner()
    out = {}
    for fmt in ("text", "json", "junit", "sarif", "github"):
        result = runner.invoke(cli, ["validate", BROKEN_REL, "--format", fmt, "--cache", str(cache), "-j", "1"])
        assert result.exit_code == 1, result.output
        out[fmt] = result.stdout
    return out


def test_text_groups_by_file_and_ends_with_a_summary(outputs):
    lines = outputs["text"].rstrip("\n").split("\n")
    assert re.fullmatch(r"FAILED: 21 files checked( \(21 from cache\))? in \d+\.\d\ds: 17 errors, 4 warnings, "
                        r"0 infos", lines[-1]), lines[-1]
    groups: dict[str, list[str]] = {}
    current = None
    for line in lines[:-1]:
        if not line.startswith(" "):
            current = line
            assert current not in groups, f"{current} appears twice"
            groups[current] = []
        elif not line.startswith("    fix: "):
            groups[current].append(line)
    got = []
    for file, entries in groups.items():
        for entry in entries:
            m = re.fullmatch(r"  (?:line (\d+))? ?(\S+)?: (error|warning|info): .* \[(\S+)\]", entry)
            assert m, entry
            field = None if m.group(2) == "file" else m.group(2)
            got.append((file, m.group(4), Severity[m.group(3).upper()], int(m.group(1)) if m.group(1) else None,
                        field))
    assert sorted(got) == EXPECTED
    # every finding is followed by its fix
    assert sum(1 for line in lines if line.startswith("    fix: ")) == len(EXPECTED)


def test_json(outputs):
    data = json.loads(outputs["json"])
    assert data["ok"] is False and data["counts"]["errors"] == 17
    got = sorted((f["file"], f["rule"], Severity[f["severity"].upper()], f["line"], f["field"])
                 for f in data["findings"])
    assert got == EXPECTED
    assert all(f["fix"] for f in data["findings"])


def test_junit_is_valid_and_complete(outputs):
    import xml.etree.ElementTree as ET

    import xmlschema

    schema = xmlschema.XMLSchema(str(SCHEMAS / "JUnit.xsd"))
    schema.validate(outputs["junit"])  # raises with the reason when invalid
    root = ET.fromstring(outputs["junit"])
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {f"{BROKEN_REL}/{name}" for name in BROKEN_EXPECTED}
    got = []
    for name, suite in suites.items():
        failures = [(case, case.find("failure")) for case in suite.iter("testcase") if case.find("failure") is not None]
        assert int(suite.get("failures")) == len(failures)
        for case, failure in failures:
            m = re.fullmatch(r"(?:line (\d+))? ?(\S+)? \[(\S+)\]", case.get("name"))
            assert m and m.group(3) == failure.get("type"), case.get("name")
            field = None if m.group(2) == "file" else m.group(2)
            got.append((name, failure.get("type"), Severity.ERROR, int(m.group(1)) if m.group(1) else None, field))
            assert failure.text and "fix: " in failure.text
        if not failures:
            assert [c.get("name") for c in suite.iter("testcase")] == ["valid"]
        # findings below the failing severity are in the suite's output, one per line
        for line in (suite.find("system-out").text or "").splitlines():
            m = re.fullmatch(r"(\S+?)(?::(\d+))?(?: (\S+))?: (warning|info): .* \[(\S+)\]", line)
            assert m and m.group(1) == name, line
            got.append((name, m.group(5), Severity[m.group(4).upper()], int(m.group(2)) if m.group(2) else None,
                        m.group(3)))
    assert sorted(got) == EXPECTED


def test_junit_strict_makes_warnings_failures(tmp_path):
    result = CliRunner().invoke(cli, ["validate", f"{BROKEN_REL}/unknown-topic.md", "--format", "junit", "--strict",
                                      "--no-cache"])
    assert result.exit_code == 1
    import xml.etree.ElementTree as ET

    import xmlschema

    xmlschema.XMLSchema(str(SCHEMAS / "JUnit.xsd")).validate(result.stdout)
    failures = list(ET.fromstring(result.stdout).iter("failure"))
    assert [f.get("type") for f in failures] == ["record.topics.unknown-topic"]


def test_sarif_is_valid_and_complete(outputs):
    import jsonschema

    log = json.loads(outputs["sarif"])
    schema = json.loads((SCHEMAS / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    got = []
    for r in run["results"]:
        assert rules[r["ruleIndex"]] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "SRCROOT"
        line = loc.get("region", {}).get("startLine")
        level = {v: k for k, v in LEVEL.items()}[r["level"]]
        got.append((unquote(loc["artifactLocation"]["uri"]), r["ruleId"], level, line, r["properties"].get("field")))
        assert "Fix: " in r["message"]["text"]
    assert sorted(got) == EXPECTED
    assert run["invocations"][0]["exitCode"] == 1


def test_sarif_of_a_clean_run_is_valid(tmp_path):
    import jsonschema

    result = CliRunner().invoke(cli, ["validate", f"{BROKEN_REL}/good.md", "--format", "sarif", "--no-cache",
                                      "--output", str(tmp_path / "out.sarif")])
    assert result.exit_code == 0
    assert result.stderr.startswith("passed: 1 file checked")
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads((SCHEMAS / "sarif-2.1.0-rtm.5.json").read_text())).validate(log)
    assert log["runs"][0]["results"] == []


def unescape(s: str) -> str:
    return s.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%25", "%")


def test_github_workflow_commands(outputs):
    lines = outputs["github"].rstrip("\n").split("\n")
    assert lines[-1].startswith("FAILED: 21 files checked")
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    got = []
    for line in lines[:-1]:
        m = re.fullmatch(r"::(error|warning|notice) ([^:]+)::(.+)", line)
        assert m, line
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        text = unescape(m.group(3))
        field = text.split(": ", 1)[0] if not text.startswith(("file ", "not ", "duplicate ")) and \
            re.match(r"^[\w.\[\]:-]+: ", text) else None
        sev = {v: k for k, v in command.items()}[m.group(1)]
        got.append((unescape(props["file"]), unescape(props["title"]), sev,
                    int(props["line"]) if "line" in props else None, field))
    assert sorted(got) == EXPECTED


def test_github_escaping():
    r = ValidationReport([Finding("a,b:c.md", "50% done\nnext line", line=3, rule="x:y", fix="")], ["a,b:c.md"])
    assert render(r, "github").split("\n")[0] == "::error file=a%2Cb%3Ac.md,line=3,title=x%3Ay::50%25 done%0Anext line"


def test_junit_drops_characters_xml_cannot_hold():
    import xml.etree.ElementTree as ET

    r = ValidationReport([Finding("a.md", "bell \x07 here", rule="record.text")], ["a.md"])
    root = ET.fromstring(render(r, "junit"))
    assert "\x07" not in root.find(".//failure").text


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        render(ValidationReport([], []), "yaml")


def test_text_never_prints_control_characters_of_file_names(tmp_path):
    """A file name holding an ESC (or a newline) is printed escaped, so it cannot recolour the terminal and can be
    found; json keeps the name exactly."""
    name = "a\x1b[31mb.md"
    (tmp_path / name).write_text("---\nid: 1\n---\nb\n", encoding="utf-8")
    text = CliRunner().invoke(cli, ["validate", str(tmp_path), "--no-cache"]).output
    assert "\x1b" not in text and "a\\x1b[31mb.md" in text
    data = json.loads(CliRunner().invoke(cli, ["validate", str(tmp_path), "--no-cache", "-f", "json"]).output)
    assert [f["file"].rsplit("/", 1)[-1] for f in data["findings"]] == [name]
    build = CliRunner().invoke(cli, ["build", str(tmp_path), "--out", str(tmp_path / "g")])
    assert "\x1b" not in build.output and "a\\x1b[31mb.md title: error" in build.output


def test_output_into_a_missing_folder_is_refused_before_the_work(tmp_path):
    r = CliRunner().invoke(cli, ["validate", "seeds", "--no-cache", "-o", str(tmp_path / "nope" / "r.json")])
    assert r.exit_code == 2 and f"the folder {tmp_path / 'nope'} does not exist" in r.output
    assert ".tmp" not in r.output and not (tmp_path / "nope").exists()
