"""A user's mistake, a damaged build or Ctrl-C: a plain message and the documented exit code, never a traceback
nor "topicgraph crashed ... This is a bug"."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli, main

from .conftest import ROOT

#: a cross product of the seed build with itself three times: ~1.8e9 rows to count, minutes of work
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def no_crash(result) -> None:
    assert "Traceback" not in result.output and "This is a bug" not in result.output, result.output


def topicgraph(*args: str, **kwargs) -> subprocess.Popen:
    """``topicgraph ARGS`` in its own session (process group), as a terminal runs it: Ctrl-C reaches the group."""
    return subprocess.Popen([sys.executable, "-m", "topicgraph", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True, **kwargs)


def ctrl_c(proc: subprocess.Popen, after: float) -> tuple[int, str, float]:
    """Send SIGINT to the whole process group after ``after`` seconds, as Ctrl-C does; (exit code, stderr, seconds
    from the signal to the exit)."""
    time.sleep(after)
    assert proc.poll() is None, f"finished before the interrupt: {proc.communicate()}"
    os.killpg(proc.pid, signal.SIGINT)
    sent = time.monotonic()
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("still running 30 s after Ctrl-C")
    return proc.returncode, err, time.monotonic() - sent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """3,000 generated records: a validate or build with -j 2 runs for several seconds on them."""
    out = tmp_path_factory.mktemp("corpus") / "c"
    result = run("generate", out, "-n", "3000")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def damaged(seed_build, tmp_path):
    """A copy of the seed build, to damage."""
    out = tmp_path / "g"
    shutil.copytree(seed_build.out, out)
    return out


# ------------------------------------------------------------------------------------------------------ Ctrl-C
@pytest.mark.parametrize("command", ["validate", "build"])
def test_ctrl_c_exits_130_with_one_line_and_no_worker_tracebacks(corpus, tmp_path, command):
    args = ["validate", str(corpus), "--no-cache"] if command == "validate" else \
        ["build", str(corpus), "--out", str(tmp_path / "out")]
    code, err, seconds = ctrl_c(topicgraph(*args, "-j", "2"), after=1.5)
    assert code == 130, err
    assert err.strip() == "Interrupted.", err  # the workers say nothing: no KeyboardInterrupt tracebacks
    assert seconds < 15  # the workers finish the chunks they have (a second or two here)
    if command == "build":  # the half-built store was removed on the way out
        assert not [p.name for p in (tmp_path / "out").glob("*") if p.name.startswith(("store-", "base-", ".tmp"))]


def test_a_second_ctrl_c_ends_at_once(corpus):
    proc = topicgraph("validate", str(corpus), "--no-cache", "-j", "2")
    time.sleep(1.5)
    assert proc.poll() is None
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.2)
    sent = time.monotonic()
    try:
        os.killpg(proc.pid, signal.SIGINT)
    except ProcessLookupError:  # the first one was enough this time
        pass
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and err.strip() == "Interrupted.", err  # nor the resource tracker's warning
    assert time.monotonic() - sent < 5


def test_entry_point_keeps_clicks_exit_codes(capsys):
    for args, code in ((["--help"], 0), (["--version"], 0), (["query", "--help"], 0), (["query", "--bogus"], 2),
                       (["no-such-command"], 2), ([], 2)):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code == code, args
    err = capsys.readouterr().err
    assert "Usage: topicgraph query [OPTIONS]" in err and "No such option '--bogus'" in err
    assert "No such command 'no-such-command'" in err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # main() leaves the handler as it was


def test_a_keyboard_interrupt_in_a_command_is_130_not_aborted(monkeypatch, capsys):
    import topicgraph.queries as queries

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(queries, "list_queries", interrupted)
    with pytest.raises(SystemExit) as exc:
        main(["query", "--list"])
    assert exc.value.code == 130
    err = capsys.readouterr().err
    assert err.strip() == "Interrupted." and "Aborted" not in err


# ------------------------------------------------------------------------------------------- query on the store
def test_query_timeout_applies_to_the_store(seed_build):
    proc = topicgraph("query", "--store", str(seed_build.out), "--timeout", "1", CROSS)
    started = time.monotonic()
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("--timeout 1 did not stop the query on the store")
    assert proc.returncode == 2, err
    assert "the query ran for more than 1 s (--timeout) and was stopped" in err and out == ""
    assert time.monotonic() - started < 15


def test_ctrl_c_stops_a_query_on_the_store(seed_build):
    code, err, seconds = ctrl_c(topicgraph("query", "--store", str(seed_build.out), CROSS), after=1.5)
    assert code == 130 and err.strip() == "Interrupted.", err
    assert seconds < 5


def test_query_timeout_refuses_nan():
    result = run("query", "--timeout", "nan", "ASK {}")
    assert result.exit_code == 2 and "Invalid value for '--timeout': 'nan' is not a finite number" in result.output


# ---------------------------------------------------------------------------------------------- damaged builds
def test_a_damaged_store_says_so_and_to_rebuild(damaged):
    (store_dir,) = damaged.glob("store-*")
    for sst in store_dir.glob("*.sst"):
        with open(sst, "r+b") as fh:
            fh.truncate(10)
    for args in (["query", "--store", damaged, "ASK {}"], ["stats", "--store", damaged]):
        result = run(*args)
        no_crash(result)
        assert result.exit_code == 2, result.output
        assert f"the store in {store_dir} is damaged" in result.output
        assert f"rebuild it with `topicgraph build SRC --out {damaged}`" in result.output


@pytest.mark.parametrize("content, why", [("[]", "an array, not an object"), ('"x"', "a string, not an object"),
                                          ("null", "null, not an object"), ('{"store": 5}', 'no "store"'),
                                          ("{", "Expecting property name")])
def test_a_damaged_manifest_says_so_and_to_rebuild(damaged, content, why):
    (damaged / "topicgraph-store.json").write_text(content)
    result = run("query", "--store", damaged, "ASK {}")
    no_crash(result)
    assert result.exit_code == 2, result.output
    assert f"topicgraph-store.json, the build folder's manifest, is damaged ({why}" in result.output
    assert "rebuild with `topicgraph build SRC --out" in result.output


# ------------------------------------------------------------------------------------------------------- serve
def test_serve_on_an_unknown_host_exits_2(seed_build):
    result = run("serve", "--store", seed_build.out, "--host", "no-such-host.invalid", "--port", "0")
    no_crash(result)
    assert result.exit_code == 2, result.output
    assert "cannot listen on no-such-host.invalid:0" in result.output
    assert "give --host an address (127.0.0.1, ::1, 0.0.0.0)" in result.output


@pytest.mark.parametrize("option", ["--timeout", "--request-timeout"])
def test_serve_timeouts_refuse_nan(tmp_path, option):
    result = run("serve", "--store", tmp_path, option, "nan")  # (no store: a serve that took nan fails, not runs)
    assert result.exit_code == 2 and f"Invalid value for '{option}': 'nan' is not a finite number" in result.output


# ------------------------------------------------------------------------------------------- numbers and options
@pytest.mark.parametrize("args, option, value", [
    (["related", "4463", "--threshold"], "--threshold", "nan"),
    (["related", "4463", "--half-life"], "--half-life", "nan"),
    (["related", "4463", "--half-life"], "--half-life", "inf"),
    (["export", "--min-weight"], "--min-weight", "nan"),
    (["clusters", "--no-store", "--resolution"], "--resolution", "inf"),
])
def test_nan_and_inf_are_refused_naming_the_option(seed_build, args, option, value):
    result = run(*args, value, "--store", seed_build.out)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': '{value}' is not a finite number" in result.output


def test_a_negative_min_weight_only_with_pmi(seed_build, tmp_path):
    result = run("export", "--store", seed_build.out, "--min-weight", "-1", "-o", tmp_path / "t.gexf")
    assert result.exit_code == 2
    assert "Invalid value for '--min-weight': -1 drops nothing: only --weight pmi" in result.output
    pmi = run("export", "--store", seed_build.out, "--min-weight", "-1", "--weight", "pmi", "-o", tmp_path / "p.gexf")
    assert pmi.exit_code == 0, pmi.output


def test_export_warns_when_format_and_extension_disagree(seed_build, tmp_path):
    result = run("export", "--store", seed_build.out, "--format", "gexf", "-o", tmp_path / "x.html")
    assert result.exit_code == 0, result.output
    assert (f"Warning: writing gexf into {tmp_path / 'x.html'}, whose extension says html: give -o a name ending "
            "in .gexf, or --format html") in result.output
    assert (tmp_path / "x.html").read_text().startswith("<?xml")
    # both JSON: no warning
    cy = run("export", "--store", seed_build.out, "--format", "cytoscape", "-o", tmp_path / "x.json")
    assert cy.exit_code == 0 and "Warning" not in cy.output


@pytest.mark.parametrize("option, value, applies", [("--csv-dialect", "neo4j", "csv"),
                                                    ("--engine", "dot", "svg or png")])
def test_export_options_the_format_ignores_are_usage_errors(seed_build, tmp_path, option, value, applies):
    result = run("export", "--store", seed_build.out, "-o", tmp_path / "x.gexf", option, value)
    assert result.exit_code == 2, result.output
    assert f"Error: {option} only applies to --format {applies}, not gexf" in result.output
    assert "Usage: " in result.output and not (tmp_path / "x.gexf").exists()


def test_related_says_when_recency_or_threshold_leave_nothing(seed_build):
    tiny = run("related", "4463", "--half-life", "1e-300", "--store", seed_build.out)
    assert tiny.exit_code == 0, tiny.output
    assert "nothing shares a topic" not in tiny.output
    assert ("nothing is left with a half-life of 1e-300 days: the recency factor 2^(-days apart / half-life) "
            "rounds every score to 0, though 1 article shares a topic") in tiny.output
    high = run("related", "4463", "--threshold", "100", "--store", seed_build.out)
    assert "nothing scores 100 or more (the threshold), though 1 article shares" in high.output
    alone = run("related", "003_93b4219c4437b57c", "--half-life", "1", "--store", seed_build.out)
    assert "nothing shares a topic or a mapped topic with it." in alone.output


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_push_timeout_refuses_nan_and_inf(tmp_path, value):
    result = run("push", "--store", tmp_path, "--endpoint", "http://127.0.0.1:9/store", "--timeout", value)
    assert result.exit_code == 2 and f"'{value}' is not a finite number" in result.output
