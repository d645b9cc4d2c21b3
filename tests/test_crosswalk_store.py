"""Crosswalk commands read the taxonomy a build used from its store, and the broader-link targets hold on seeds
that were not used to choose the method (docs/crosswalks.md, "What the precision figures mean")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from topicgraph.cli import cli
from topicgraph.crosswalk import build_taxonomy_folder, read_sssom, stored_taxonomy
from topicgraph.resources import taxonomy_dir
from topicgraph.store import MANIFEST, GraphStore
from topicgraph.taxonomy import load_taxonomy

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
# the context test was designed on seed 5 (the corpus a review found the weakness on) and seeds 3 and 7;
# these two were run only after the method was fixed
HELD_OUT_SEEDS = (11, 23)
N = 2000


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def _corpus(root: Path, seed: int, crosswalk: int = 10, broader: int = 10) -> Path:
    runner = CliRunner()
    _ok(runner.invoke(cli, ["generate", str(root / "corpus"), "-n", str(N), "--seed", str(seed), "--crosswalk-pairs",
                            str(crosswalk), "--broader-pairs", str(broader), "--taxonomy", str(root / "tax")]))
    _ok(runner.invoke(cli, ["build", str(root / "corpus"), "--out", str(root / "build"), "--taxonomy",
                            str(root / "tax"), "-q"]))
    return root


@pytest.fixture(scope="module", params=HELD_OUT_SEEDS)
def held_out(request, tmp_path_factory):
    return _corpus(tmp_path_factory.mktemp(f"seed{request.param}"), request.param)


def test_targets_hold_on_held_out_seeds_without_naming_the_taxonomy(held_out):
    # no --taxonomy: the taxonomy in the store is the one the build used (it used to fall back to the shipped one
    # and find nothing planted)
    result = _ok(CliRunner().invoke(cli, ["crosswalk", "evaluate", "--store", str(held_out / "build"), "--truth",
                                          str(held_out / "corpus"), "--json"]))
    report = json.loads(result.output)
    for name, target in (("crosswalk", 0.9), ("broader", 0.8)):
        assert report[name]["planted"] == 10, report[name]
        at = [a for a in report[name]["at"] if a["k"] == 10][0]
        assert at["precision"] >= target, (name, at)


def test_store_taxonomy_is_the_build_taxonomy(held_out, tmp_path):
    store = GraphStore.open(held_out / "build")
    tax, links = stored_taxonomy(store)
    on_disk = load_taxonomy(held_out / "tax", strict=False)
    assert set(tax.concepts) == set(on_disk.concepts) and tax.schemes == on_disk.schemes
    assert links.broader and links.mapped
    runner = CliRunner()
    plain, named = tmp_path / "plain.sssom.tsv", tmp_path / "named.sssom.tsv"
    _ok(runner.invoke(cli, ["crosswalk", "suggest", "--store", str(held_out / "build"), "-o", str(plain)]))
    _ok(runner.invoke(cli, ["crosswalk", "suggest", "--store", str(held_out / "build"), "-o", str(named),
                            "--taxonomy", str(held_out / "tax")]))
    assert read_sssom(plain).rows == read_sssom(named).rows and len(read_sssom(plain).rows) > 100


def test_accept_asks_for_the_folder_it_cannot_know(held_out, tmp_path):
    rows = read_sssom(_ok_suggest(held_out, tmp_path)).rows
    # a build whose manifest does not say which folder its taxonomy came from (moved, or made by hand)
    build = tmp_path / "moved-build"
    shutil.copytree(held_out / "build", build)
    manifest = json.loads((build / MANIFEST).read_text())
    manifest.pop("taxonomy_dir", None)
    (build / MANIFEST).write_text(json.dumps(manifest))
    result = CliRunner().invoke(cli, ["crosswalk", "accept", str(tmp_path / "s.sssom.tsv"), rows[0]["record_id"],
                                      "--store", str(build)])
    assert result.exit_code == 2
    assert "--taxonomy" in result.output and "synthetic.ttl" in result.output
    # nothing was written into the shipped taxonomy
    assert not (Path(taxonomy_dir()) / "negatives.sssom.tsv").exists()


def test_accept_writes_into_the_folder_the_build_recorded(held_out, tmp_path):
    sssom = _ok_suggest(held_out, tmp_path)
    rows = read_sssom(sssom).rows
    tax = tmp_path / "tax"
    shutil.copytree(held_out / "tax", tax)
    build = tmp_path / "build"
    shutil.copytree(held_out / "build", build)
    manifest = json.loads((build / MANIFEST).read_text())
    manifest["taxonomy_dir"], manifest["cwd"] = str(tax), str(tmp_path)
    (build / MANIFEST).write_text(json.dumps(manifest))
    _ok(CliRunner().invoke(cli, ["crosswalk", "accept", str(sssom), rows[0]["record_id"], "--store", str(build)]))
    assert rows[0]["record_id"] in (tax / "mappings.ttl").read_text()
    # the accepted pair is not suggested again before the next build
    again = tmp_path / "again.sssom.tsv"
    _ok(CliRunner().invoke(cli, ["crosswalk", "suggest", "--store", str(build), "-o", str(again)]))
    pairs = {(r["subject_id"], r["object_id"]) for r in read_sssom(again).rows}
    assert (rows[0]["subject_id"], rows[0]["object_id"]) not in pairs and len(pairs) == len(rows) - 1


def _ok_suggest(held_out: Path, tmp_path: Path) -> Path:
    out = tmp_path / "s.sssom.tsv"
    _ok(CliRunner().invoke(cli, ["crosswalk", "suggest", "--store", str(held_out / "build"), "-o", str(out)]))
    return out


def test_a_build_of_the_shipped_taxonomy_accepts_into_it(tmp_path):
    out = tmp_path / "build"
    _ok(CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "--out", str(out), "-q"]))
    assert build_taxonomy_folder(out) == Path(taxonomy_dir())


def test_review_without_a_build_shows_the_rows(held_out, tmp_path, monkeypatch):
    sssom = _ok_suggest(held_out, tmp_path)
    monkeypatch.chdir(tmp_path)  # no graph/ here
    result = _ok(CliRunner().invoke(cli, ["crosswalk", "review", str(sssom), "--limit", "2"]))
    assert "example articles need --store" in result.output
    assert result.output.count("shared ") == 2 and "e.g." not in result.output
