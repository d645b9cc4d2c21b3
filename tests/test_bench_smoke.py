"""A small run of the benchmark harness: every stage runs (or says why not) and the report is written."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
    for stage in ("build (naive: read + graph + Turtle)", "validate (cold)", "validate (nothing changed)",
                  "validate (one file changed)", "query related-articles", "query topics-by-vendor",
                  "related --all", "clusters", "export (topics, graphml)", "topicgraph --help"):
        assert stage in rows, stage
        assert "not run" not in rows[stage], rows[stage]
    # the naive side ran too, and a ratio was computed for the shared stages
    assert "×" in rows["query related-articles"]
