"""A small run of the benchmark harness: every stage runs (or says why not) and the report is written."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from topicgraph.cli import COMMANDS

from .conftest import ROOT


@pytest.mark.slow
def test_bench_harness_smoke(tmp_path):
    out = tmp_path / "bench.md"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "150", "--repeat", "1", "--work",
         str(tmp_path / "work"), "--corpus-cache", str(tmp_path / "corpus"), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = out.read_text()
    assert "### 150 records" in text
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    for stage, command in (("build (naive: read + graph + N-Triples)", "build"), ("validate (cold)", "validate"),
                           ("validate (nothing changed)", "validate"), ("validate (one file changed)", "validate"),
                           ("query related-articles", "build"), ("query topics-by-vendor", "build"),
                           ("related --all", "related"), ("clusters", "clusters"),
                           ("export (topics, graphml)", "export"), ("related (one article)", "related"),
                           ("topicgraph --help", "build")):
        assert stage in rows, stage
        if importlib.util.find_spec(COMMANDS[command].split(":")[0]) is not None:
            assert "not run" not in rows[stage], rows[stage]
    # the naive side ran too, and a ratio was computed for the shared stages
    assert "×" in rows["query related-articles"]
