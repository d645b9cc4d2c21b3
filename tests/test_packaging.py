"""The wheel ships the Turtle sources of truth and the named queries, and works outside the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_ships_data_and_runs_outside_the_repository(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    if proc.returncode != 0 and "hatchling" in proc.stderr:
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                               str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("topicgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "taxonomy").glob("*.ttl"):
        assert f"topicgraph/_data/taxonomy/{path.name}" in names
    for path in (ROOT / "ontology").rglob("*.ttl"):
        assert f"topicgraph/_data/ontology/{path.relative_to(ROOT / 'ontology').as_posix()}" in names
    for path in (ROOT / "src" / "topicgraph" / "queries" / "library").glob("*.rq"):
        assert f"topicgraph/queries/library/{path.name}" in names
    assert "topicgraph/py.typed" in names
    # what diff, serve's pages and the export page read at run time
    package = ROOT / "src" / "topicgraph"
    for folder, pattern in (("diff", "*.json"), ("server/templates", "*.html"), ("server/assets", "*"),
                            ("export/assets", "*")):
        files = [p for p in (package / folder).rglob(pattern) if p.is_file() and "__pycache__" not in p.parts]
        assert files, folder
        for path in files:
            assert f"topicgraph/{path.relative_to(package).as_posix()}" in names, path
    # unpacked on its own, outside the checkout, it still finds its taxonomy and shapes
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "r.md").write_text("---\nid: 1\ntitle: T\ncommunityTopics: ['Medigy: Patient Acquisition']\n---\nx\n")
    script = ("import topicgraph, topicgraph.resources as r; "
              "assert 'site' in str(r.taxonomy_dir()), r.taxonomy_dir(); "
              "res = topicgraph.build(['r.md'], out='g', jobs=1); "
              "print(res.report.counts['unknown_topics'])")
    run = subprocess.run([sys.executable, "-c", script], cwd=work, capture_output=True, text=True,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "0"  # the shipped taxonomy knows the seed topic
