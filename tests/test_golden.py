"""Behaviour pinned across refactors: build and validate outputs compared with digests taken before the restructure.

Each corpus (the seeds, the bad-input fixtures, the broken fixtures with their own taxonomy and shapes, and a
10,000-record generated corpus with its taxonomy) is built with ``--format nq`` and validated with
``--format json``; what a run cannot reproduce (durations, timings, temporary folders) is dropped, the rest is
hashed.  The expected digests live in ``tests/data/expected/golden.json``; they were written by the code at the
commit before the restructure (``TOPICGRAPH_WRITE_GOLDEN=1 pytest tests/test_golden.py`` rewrites them, which a
change that means to alter outputs must do, and say so in its commit).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parents[1]
GOLDEN = DATA / "expected" / "golden.json"
WRITE = os.environ.get("TOPICGRAPH_WRITE_GOLDEN") == "1"

# name -> (folders copied into the run's folder, options for build and validate, validate's own, generated records)
CORPORA = {
    "seeds": (["seeds"], [], [], 0),
    "bad": (["tests/data/bad"], [], [], 0),
    "broken": (["tests/data/broken"], [], ["--taxonomy", "broken/taxonomy", "--shapes", "broken/shapes"], 0),
    "generated-10k": ([], ["--taxonomy", "corpus-taxonomy"], [], 10_000),
}
VOLATILE = {"seconds", "timings"}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "topicgraph", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=1200)


def _stable(obj):
    """The JSON without what differs from run to run (durations); lists keep their order."""
    if isinstance(obj, dict):
        return {k: _stable(v) for k, v in obj.items() if k not in VOLATILE}
    if isinstance(obj, list):
        return [_stable(v) for v in obj]
    return obj


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _outputs(name: str, work: Path) -> dict:
    folders, options, validate_options, generated = CORPORA[name]
    sources = []
    for folder in folders:
        target = work / Path(folder).name
        shutil.copytree(ROOT / folder, target, symlinks=True)
        sources.append(target.name)
    if generated:
        gen = _run(["generate", "corpus", "-n", str(generated), "--seed", "11", "--taxonomy", "corpus-taxonomy"],
                   work)
        assert gen.returncode == 0, gen.stderr
        sources.append("corpus")
    if name == "broken":
        sources = ["broken/records"]
    build = _run(["build", *sources, "--out", "out", "--format", "nq", "-q", *options], work)
    assert build.returncode in (0, 1), build.stderr
    validate = _run(["validate", *sources, "--format", "json", "--no-cache", *options, *validate_options], work)
    assert validate.returncode in (0, 1), validate.stderr
    quads = (work / "out" / "graph.nq").read_bytes().splitlines()
    report = json.loads((work / "out" / "build-report.json").read_text(encoding="utf-8"))
    result = {
        "build_exit": build.returncode,
        "nquads_lines": len(quads),
        "nquads_sorted_sha256": _digest(b"\n".join(sorted(quads))),
        "build_report_sha256": _digest(json.dumps(_stable(report), sort_keys=True).encode()),
        "build_counts": report["counts"],
        "validate_exit": validate.returncode,
        "validate_sha256": _digest(json.dumps(_stable(json.loads(validate.stdout)), sort_keys=True).encode()),
        "validate_counts": json.loads(validate.stdout)["counts"],
    }
    if generated:
        corpus = sorted((work / "corpus").rglob("*"))
        result["corpus_sha256"] = _digest(b"".join(p.relative_to(work).as_posix().encode() + b"\0" + p.read_bytes()
                                                   for p in corpus if p.is_file()))
    return result


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if CORPORA[n][3] else n for n in CORPORA])
def test_outputs_match_the_pinned_digests(name, tmp_path):
    got = _outputs(name, tmp_path)
    if WRITE:
        golden = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
        golden[name] = got
        GOLDEN.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n")
    expected = json.loads(GOLDEN.read_text())[name]
    assert got == expected
