"""`topicgraph build` through click's CliRunner, and the entry point's promises (no tracebacks, fast --help)."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from topicgraph.cli import cli, main

from .conftest import ROOT


def test_build_seeds_prints_a_summary(tmp_path):
    result = CliRunner().invoke(cli, ["build", "seeds", "--out", str(tmp_path), "--format", "ttl"])
    assert result.exit_code == 0, result.output
    assert "Mapped 5 of 5 files (0 skipped)" in result.output
    assert "5 articles, 3 people, 2 brands, 4 topics (0 not in the taxonomy)" in result.output
    assert f"wrote {tmp_path}/graph.ttl" in result.output
    assert (tmp_path / "build-report.json").exists()


def test_build_json_summary_and_skips(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.md").write_text("---\nid: 1\ntitle: T\n---\nbody\n")
    (src / "bad.md").write_text("---\nid: 2\ntitle: T\ndate: 2021-02-30\n---\nbody\n")
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"]["mapped"] == 1 and summary["counts"]["skipped"] == 1
    (skip,) = summary["skipped"]
    assert skip["file"].endswith("bad.md")
    assert "bad.md:4 date: error: date '2021-02-30' is not a real date" in skip["reason"]
    strict = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "out"), "--strict"])
    assert strict.exit_code == 1
    assert "skipped" in strict.output and "bad.md:4" in strict.output


def test_build_usage_errors_exit_2_without_traceback(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["build", "no-such-dir", "--out", str(tmp_path)])
    assert missing.exit_code == 2 and "no-such-dir: no such file or folder" in missing.output
    assert "Traceback" not in missing.output
    bad_profile = tmp_path / "p.toml"
    bad_profile.write_text("[fields]\nnope = 'x'\n")
    prof = runner.invoke(cli, ["build", "seeds", "--out", str(tmp_path), "--profile", str(bad_profile)])
    assert prof.exit_code == 2 and "unknown role 'nope'" in prof.output
    base = runner.invoke(cli, ["build", "seeds", "--out", str(tmp_path), "--base-iri", "no spaces allowed"])
    assert base.exit_code == 2 and "base IRI" in base.output
    # ids are minted as paths under the base (.../article/ID#image): a fragment or a query there breaks them
    for iri, part in (("http://example.org/x#", "fragment (#)"), ("http://example.org/x?a=1", "query (?)")):
        base = runner.invoke(cli, ["build", "seeds", "--out", str(tmp_path / "b"), "--base-iri", iri])
        assert base.exit_code == 2, base.output
        assert f"Error: base IRI '{iri}' has a {part}, and IRIs are minted under it as paths" in base.output
        assert "use something like https://w3id.org/topicgraph/id/" in base.output


def test_unexpected_crash_is_a_message_and_exit_2(monkeypatch, capsys):
    import topicgraph.builder as builder

    def crash(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(builder, "build", crash)
    try:
        main(["build", "seeds"])
    except SystemExit as exc:
        assert exc.code == 2
    err = capsys.readouterr().err
    assert "topicgraph crashed: RuntimeError: boom" in err and "Traceback" not in err


def test_help_lists_commands_without_importing_heavy_libraries():
    # speed is measured in bench/, not here: this checks the cause of a slow --help, an eager heavy import
    proc = subprocess.run([sys.executable, "-m", "topicgraph", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "build" in proc.stdout
    heavy = subprocess.run([sys.executable, "-c", "import sys, topicgraph.cli; topicgraph.cli.cli.main(['--help'], "
                            "standalone_mode=False); "
                            "print(sorted(m for m in ('rdflib', 'pyshacl', 'networkx', 'pyoxigraph', 'scipy') "
                            "if m in sys.modules))"], capture_output=True, text=True, cwd=ROOT)
    assert heavy.stdout.strip().splitlines()[-1] == "[]"


def test_generate_command_writes_a_deterministic_corpus(tmp_path):
    runner = CliRunner()
    a = runner.invoke(cli, ["generate", str(tmp_path / "a"), "-n", "40", "--seed", "3"])
    b = runner.invoke(cli, ["generate", str(tmp_path / "b"), "-n", "40", "--seed", "3"])
    assert a.exit_code == 0 and b.exit_code == 0, a.output
    assert "wrote 40 records" in a.output
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    assert files_a and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    again = runner.invoke(cli, ["generate", str(tmp_path / "a"), "-n", "40"])
    assert again.exit_code == 2 and "Error:" in again.output


def test_quiet_prints_only_the_summary_line(tmp_path):
    result = CliRunner().invoke(cli, ["build", "seeds", "--out", str(tmp_path), "--format", "nt", "-q"])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert line.startswith("Mapped 5 of 5 files (0 skipped)")
    assert (tmp_path / "graph.nt").stat().st_size > 0


def test_update_from_the_cli_takes_files_and_refuses_what_it_cannot_do(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text("---\nid: 1\ntitle: First\n---\nbody\n")
    (src / "b.md").write_text("---\nid: 2\ntitle: Second\n---\nbody\n")
    out = str(tmp_path / "out")
    assert CliRunner().invoke(cli, ["build", str(src), "--out", out, "-q"]).exit_code == 0
    for extra, message in ((["--format", "ttl"], "--format cannot be used with --update"),
                           (["--base-iri", "https://e.org/"], "--base-iri cannot be used with --update"),
                           (["-j", "2"], "--jobs cannot be used with --update")):
        r = CliRunner().invoke(cli, ["build", "--update", str(src / "a.md"), "--out", out, *extra])
        assert r.exit_code == 2 and message in r.output, r.output
    r = CliRunner().invoke(cli, ["build", "--update", str(src), "--out", out])
    assert r.exit_code == 2 and "not folders" in r.output and str(src) in r.output
    (src / "a.md").write_text("---\nid: 1\ntitle: First, edited\n---\nbody\n")
    (src / "b.md").unlink()
    r = CliRunner().invoke(cli, ["build", "--update", str(src / "a.md"), str(src / "b.md"), "--out", out, "--json"])
    assert r.exit_code == 0, r.output
    outcomes = json.loads(r.output)
    assert [(o["file"].rsplit("/", 1)[-1], o["status"]) for o in outcomes] == [("a.md", "mapped"), ("b.md", "removed")]
    assert outcomes[1]["reason"] == "deleted; its graph was removed"  # the path once, in "file"
    q = CliRunner().invoke(cli, ["query", "--store", out, "--format", "csv",
                                 "SELECT ?h WHERE { ?a schema:headline ?h } ORDER BY ?h"])
    assert q.output.splitlines() == ["h", '"First, edited"']  # CSV quotes the comma
    strict = CliRunner().invoke(cli, ["build", "--update", str(src / "b.md"), "--out", out, "--strict"])
    assert strict.exit_code == 1 and "skipped:" in strict.output and "no such file, and no record" in strict.output



def test_the_summary_speaks_in_plurals_that_read_right(tmp_path):
    """One article, one person, one brand: the summary says so in the singular."""
    from click.testing import CliRunner

    from topicgraph.cli import cli

    out = tmp_path / "g"
    result = CliRunner().invoke(cli, ["build", "seeds/000_e196614bccfeda88.txt", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Mapped 1 of 1 file (0 skipped)" in result.output
    assert "1 article, " in result.output and "1 brand, " in result.output


def test_a_rebuild_removes_the_exports_of_the_earlier_build_it_does_not_write(tmp_path):
    from click.testing import CliRunner

    from topicgraph.cli import cli

    out = tmp_path / "g"
    first = CliRunner().invoke(cli, ["build", "seeds", "--out", str(out), "--format", "nt", "--format", "ttl"])
    assert first.exit_code == 0, first.output
    assert (out / "graph.nt").is_file() and (out / "graph.ttl").is_file()
    second = CliRunner().invoke(cli, ["build", "seeds", "--out", str(out), "--format", "ttl"])
    assert second.exit_code == 0, second.output
    assert not (out / "graph.nt").exists() and (out / "graph.ttl").is_file()
    assert f"removed {out / 'graph.nt'}" in second.output.replace("\n", "")
    notes = (out / "notes.txt")
    notes.write_text("mine")  # not a build's export: never touched
    third = CliRunner().invoke(cli, ["build", "seeds", "--out", str(out)])
    assert third.exit_code == 0 and notes.read_text() == "mine" and not (out / "graph.ttl").exists()


def test_the_build_tells_each_phase_by_name(tmp_path):
    """After the last file is mapped the build still loads the store and exports: the phase callback names each
    step in order, so the progress bar never sits at 100 % saying nothing."""
    import topicgraph
    from topicgraph.builder import PHASES

    told: list[str] = []
    counted: list[tuple[int, int]] = []
    topicgraph.build([ROOT / "seeds"], out=tmp_path / "g", formats=["ttl", "nt"], jobs=1,
                     progress=lambda done, total: counted.append((done, total)), phase=told.append)
    assert told == [*PHASES, "exporting graph.ttl", "exporting graph.nt"]
    assert counted[-1] == (5, 5)


def test_the_progress_bar_shows_the_phases(tmp_path, monkeypatch):
    import io

    from rich.console import Console

    from topicgraph.cli import common

    buffer = io.StringIO()
    monkeypatch.setattr(common, "console", lambda err=True: Console(file=buffer, force_terminal=True, width=120))
    assert CliRunner().invoke(cli, ["generate", str(tmp_path / "c"), "-n", "220"]).exit_code == 0
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "c"), "--out", str(tmp_path / "g"), "--format", "ttl",
                                      "-j", "1"])
    assert result.exit_code == 0, result.output
    shown = buffer.getvalue()
    positions = [shown.find(label) for label in ("Reading and mapping records", "Loading the store",
                                                 "Exporting graph.ttl")]
    assert -1 not in positions and positions == sorted(positions), shown[-2000:]


def test_generate_into_a_full_folder_names_the_cli_option(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["generate", str(tmp_path / "c"), "-n", "3"]).exit_code == 0
    again = runner.invoke(cli, ["generate", str(tmp_path / "c"), "-n", "3"])
    assert again.exit_code == 2
    assert "pass --force" in again.output and "overwrite" not in again.output and "=True" not in again.output


def test_plain_generate_says_how_to_get_a_taxonomy_that_holds_its_topics(tmp_path):
    runner = CliRunner()
    plain = runner.invoke(cli, ["generate", str(tmp_path / "c"), "-n", "60", "--seed", "3"])
    assert plain.exit_code == 0, plain.output
    m = __import__("re").search(r"note: (\d+) of the (\d+) topics the records use are not in the shipped taxonomy",
                                plain.stderr)
    assert m and "--force --taxonomy DIR" in plain.stderr and "pass --taxonomy DIR to build and validate" in plain.stderr
    checked = json.loads(runner.invoke(cli, ["validate", str(tmp_path / "c"), "--no-cache", "--format", "json"]).stdout)
    unknown = [f for f in checked["findings"] if f["rule"] == "record.topics.unknown-topic"]
    assert len(unknown) == int(m.group(1))  # the note counts what validate reports, one per topic
    before = {p.name: p.read_bytes() for p in (tmp_path / "c").rglob("*.md")}
    # what the note says to do: the same corpus, and a taxonomy that holds nearly every topic
    redo = runner.invoke(cli, ["generate", str(tmp_path / "c"), "-n", "60", "--seed", "3", "--force",
                               "--taxonomy", str(tmp_path / "tax")])
    assert redo.exit_code == 0 and "note:" not in redo.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "c").rglob("*.md")} == before
    result = runner.invoke(cli, ["validate", str(tmp_path / "c"), "--no-cache", "--format", "json", "--taxonomy",
                                 str(tmp_path / "tax")])
    checked = json.loads(result.stdout)
    assert checked["counts"]["errors"] == 0
    left = [f for f in checked["findings"] if f["rule"] == "record.topics.unknown-topic"]
    assert len(left) <= round(0.05 * int(m.group(1))) + 1  # the few write_taxonomy leaves out on purpose
