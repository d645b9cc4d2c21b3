"""Crosswalk suggestions on small hand-made co-tagging and on the seeds: measures, SSSOM, negatives, cycles, CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from click.testing import CliRunner

from topicgraph.cli import cli
from topicgraph.crosswalk import (Settings, TaxonomyLinks, accept, load_negatives, read_sssom, reject,
                                  review_order, suggest_broader, suggest_crosswalks, write_sssom)
from topicgraph.crosswalk.measures import benjamini_hochberg, npmi, wilson_interval

ROOT = Path(__file__).resolve().parents[1]
T = "https://w3id.org/topicgraph/taxonomy/"


class Inc:
    """A tiny stand-in for analysis.Incidence: topics and who tags what."""

    def __init__(self, topics: dict[str, str], rows: list[list[str]]):
        self.topics = list(topics)
        self.topic_vendor = {t: v for t, v in topics.items()}
        self.topic_label = {t: t.rsplit("/", 1)[-1] for t in topics}
        self.articles = [f"https://a/{i}" for i in range(len(rows))]
        self.article_identifier = {a: str(i) for i, a in enumerate(self.articles)}
        self.article_title = {a: f"Article {i}" for i, a in enumerate(self.articles)}
        idx = {t: j for j, t in enumerate(self.topics)}
        r = [i for i, ts in enumerate(rows) for _ in ts]
        c = [idx[t] for ts in rows for t in ts]
        self.matrix = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), len(self.topics)))

    def topic_name(self, t: str) -> str:
        return f"{self.topic_vendor[t]}: {self.topic_label[t]}"


A, B, C, D, E = (f"{T}medigy/a", f"{T}gartner/b", f"{T}symplur/c", f"{T}gartner/d", f"{T}medigy/e")


def _inc() -> Inc:
    # A and B always together (30); D under A (every D article is about A, 10 of them); C, E background noise
    rows = [[A, B]] * 30 + [[A, B, D]] * 10 + [[C]] * 40 + [[E, C]] * 20 + [[E]] * 20 + [[D, E]] * 0
    return Inc({A: "Medigy", B: "Gartner", C: "Symplur", D: "Gartner", E: "Medigy"}, rows)


def test_measures_against_hand_computed_values():
    lo, hi = wilson_interval(np.array([0, 10]), np.array([10, 10]))
    assert lo[0] == 0 and 0.27 < hi[0] < 0.28 and 0.72 < lo[1] < 0.73 and hi[1] == pytest.approx(1)
    assert npmi(np.array([5]), np.array([5]), np.array([5]), 5)[0] == pytest.approx(1.0)
    assert npmi(np.array([0]), np.array([5]), np.array([5]), 10)[0] == -1
    # BH against statsmodels' textbook example values
    q = benjamini_hochberg(np.array([0.01, 0.02, 0.03, 0.04, 0.05]))
    assert q.tolist() == pytest.approx([0.05] * 5)
    assert benjamini_hochberg(np.array([0.01]), tested=10).tolist() == pytest.approx([0.1])


def test_predicates_follow_the_rule():
    found = {(s.subject, s.object): s for s in suggest_crosswalks(_inc(), settings=Settings(min_support=3))}
    assert found[(B, A) if B < A else (A, B)].predicate in ("skos:exactMatch", "skos:closeMatch")
    ad = found[(A, D) if A < D else (D, A)]
    # every D article is about A, a quarter of A's are about D: A is the broader one
    assert (ad.subject, ad.predicate) in ((D, "skos:broadMatch"), (A, "skos:narrowMatch"))
    assert all(s.q_value <= 0.05 for s in found.values())
    confidences = [s.confidence for s in suggest_crosswalks(_inc())]
    assert confidences == sorted(confidences, reverse=True)


def test_sssom_output_parses_with_sssom_py(tmp_path):
    sssom = pytest.importorskip("sssom")
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    path = write_sssom(tmp_path / "s.sssom.tsv", suggest_crosswalks(_inc()),
                       mapping_set_id="https://w3id.org/topicgraph/crosswalk/test")
    msdf = parse_sssom_table(path)
    assert len(msdf.df) == len(suggest_crosswalks(_inc())) > 0
    assert {"subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
            "confidence"} <= set(msdf.df.columns)
    assert set(msdf.df["mapping_justification"]) <= {"semapv:InstanceBasedMatching", "semapv:CompositeMatching"}
    for kind in (SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness):
        report = validate(msdf, [kind], fail_on_error=False)[kind]
        assert report.results == [], (sssom.__name__, report)
    assert msdf.metadata["license"] and msdf.metadata["mapping_set_id"]
    table = read_sssom(path)
    assert {r["subject"] for r in table.rows} <= {A, B, C, D, E}


def _taxonomy(tmp_path) -> Path:
    folder = tmp_path / "taxonomy"
    shutil.copytree(ROOT / "taxonomy", folder)
    return folder


def test_rejected_pairs_never_come_back(tmp_path):
    folder = _taxonomy(tmp_path)
    path = write_sssom(tmp_path / "s.sssom.tsv", suggest_crosswalks(_inc()), mapping_set_id="https://x/s")
    table = read_sssom(path)
    first = table.rows[0]
    out = reject(table, [first["record_id"]], taxonomy_dir=folder, author="tester", date="2026-01-02")
    assert out.written == [first["record_id"]]
    negatives = load_negatives(folder / "negatives.sssom.tsv")
    assert frozenset((first["subject"], first["object"])) in negatives
    again = suggest_crosswalks(_inc(), negatives=negatives)
    assert all(frozenset((s.subject, s.object)) not in negatives for s in again)
    assert len(again) == len(table.rows) - 1
    # a second rejection of the same pair adds nothing; the file stays valid SSSOM with predicate_modifier Not
    reject(table, [first["record_id"]], taxonomy_dir=folder, author="tester", date="2026-01-02")
    rows = read_sssom(folder / "negatives.sssom.tsv").rows
    assert len(rows) == 1 and rows[0]["predicate_modifier"] == "Not" and rows[0]["author_label"] == "tester"


def test_broader_suggestions_skip_existing_links_and_never_make_cycles():
    # X and Y: every Y article is about X and most X articles about Y... with a scheme that says X broader Y
    X, Y, Z = f"{T}medigy/x", f"{T}medigy/y", f"{T}medigy/z"
    rows = [[X, Y]] * 20 + [[X]] * 10 + [[Z, X, Y]] * 15 + [[Y]] * 0 + [[Z]] * 3
    inc = Inc({X: "Medigy", Y: "Medigy", Z: "Medigy"}, rows)
    plain = suggest_broader(inc)
    assert (Y, X) in {(s.subject, s.object) for s in plain}
    # the scheme already has Y broader X: suggesting X under Y... or Y under X again would be a cycle or a repeat
    links = TaxonomyLinks(broader={X: {Y}})
    found = {(s.subject, s.object) for s in suggest_broader(inc, links=links)}
    assert (Y, X) not in found and (X, Y) not in found
    # whatever is suggested, adding it all to the scheme leaves no cycle
    graph = {X: {Y}}
    for n, b in found:
        graph.setdefault(n, set()).add(b)
    from topicgraph.crosswalk.links import ancestors
    assert all(c not in ancestors(c, graph) for c in graph)


def test_accept_writes_both_directions_with_provenance(tmp_path):
    folder = _taxonomy(tmp_path)
    m, g = f"{T}medigy/patient-acquisition", f"{T}gartner/digital-front-door"
    inc = Inc({m: "Medigy", g: "Gartner", C: "Symplur"}, [[m, g]] * 12 + [[m]] + [[g]] + [[C]] * 40)
    path = write_sssom(tmp_path / "s.sssom.tsv", suggest_crosswalks(inc), mapping_set_id="https://x/s")
    table = read_sssom(path)
    rid = table.rows[0]["record_id"]
    out = accept(table, [rid], taxonomy_dir=folder, author="tester", date="2026-01-02")
    assert out.written == [rid]
    text = (folder / "mappings.ttl").read_text()
    assert f"# ---- {rid}" in text and "# author_label: tester" in text and "# mapping_date: 2026-01-02" in text
    assert "shared_articles=12" in text
    from topicgraph.crosswalk import taxonomy_links
    from topicgraph.taxonomy import load_taxonomy
    assert frozenset((m, g)) in taxonomy_links(load_taxonomy(folder)).mapped
    # accepting it again changes nothing
    assert accept(table, [rid], taxonomy_dir=folder, author="tester").written == []
    # the shipped checks still pass on the changed taxonomy
    result = CliRunner().invoke(cli, ["taxonomy", "check", "--taxonomy", str(folder), "--no-shacl"])
    assert result.exit_code == 0, result.output


def test_review_orders_by_uncertainty(tmp_path):
    path = write_sssom(tmp_path / "s.sssom.tsv", suggest_crosswalks(_inc()), mapping_set_id="https://x/s")
    rows = review_order(read_sssom(path))
    gaps = [abs(float(r["confidence"]) - 0.5) for r in rows]
    assert gaps == sorted(gaps)


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds-build")
    result = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_cli_on_the_seeds_suggests_nothing(seeds_build, tmp_path):
    # five records, four topics, each pair shares at most one article: nothing is beyond chance (docs/crosswalks.md)
    runner = CliRunner()
    out = tmp_path / "s.sssom.tsv"
    result = runner.invoke(cli, ["crosswalk", "suggest", "--store", str(seeds_build), "-o", str(out),
                                 "--min-support", "1"])
    assert result.exit_code == 0, result.output
    assert "wrote 0 suggestions" in result.output and read_sssom(out).rows == []
    result = runner.invoke(cli, ["taxonomy", "suggest-broader", "--store", str(seeds_build), "-o",
                                 str(tmp_path / "b.sssom.tsv"), "--vendor", "Medigy"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["crosswalk", "review", str(out), "--store", str(seeds_build)])
    assert result.exit_code == 0 and result.output == ""
    result = runner.invoke(cli, ["crosswalk", "evaluate", "--store", str(seeds_build)])
    assert result.exit_code == 0 and "Hit@1 n/a" in result.output
    result = runner.invoke(cli, ["crosswalk", "accept", str(out), "cw-00000000", "--taxonomy",
                                 str(_taxonomy(tmp_path))])
    assert result.exit_code == 2 and "no row 'cw-00000000'" in result.output
