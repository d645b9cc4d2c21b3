"""`topicgraph taxonomy list|show|tree`, answers checked against the Turtle in taxonomy/ read with rdflib."""

from __future__ import annotations

import json

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDF, SKOS

from topicgraph.cli import cli
from topicgraph.taxonomy import load_taxonomy
from topicgraph.taxonomy.checks import concept_tree, find_concept

from .conftest import ROOT

TAX = "https://w3id.org/topicgraph/taxonomy/"


@pytest.fixture(scope="module")
def turtle() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted((ROOT / "taxonomy").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _run(*args):
    result = CliRunner().invoke(cli, ["taxonomy", *args])
    return result


def test_list_schemes(turtle):
    data = json.loads(_run("list", "--json").stdout)
    expected = []
    for scheme in turtle.subjects(RDF.type, SKOS.ConceptScheme):
        label = str(turtle.value(scheme, SKOS.prefLabel))
        expected.append({"vendor": label, "scheme": str(scheme),
                         "concepts": len(set(turtle.subjects(SKOS.inScheme, scheme)))})
    assert data == sorted(expected, key=lambda r: r["vendor"].casefold())
    assert [r["vendor"] for r in data] == ["Gartner", "Medigy", "Symplur"]


def test_list_concepts_of_a_vendor(turtle):
    data = json.loads(_run("list", "symplur", "--json").stdout)
    scheme = rdflib.URIRef(TAX + "symplur")
    assert {r["concept"] for r in data} == {str(c) for c in turtle.subjects(SKOS.inScheme, scheme)}
    px = next(r for r in data if r["label"] == "Patient Experience")
    assert sorted(px["altLabels"]) == sorted(str(a) for a in turtle.objects(rdflib.URIRef(px["concept"]),
                                                                          SKOS.altLabel))
    result = _run("list", "Gartnr")
    assert result.exit_code == 2 and "the vendors are Gartner, Medigy, Symplur" in result.output


def test_show_by_label_alt_label_tax_name_and_iri(turtle):
    cx = TAX + "gartner/customer-experience"
    for name in ("Gartner: Customer Experience", "gartner: cx", "tax:gartner/customer-experience", cx):
        data = json.loads(_run("show", name, "--json").stdout)
        assert data["concept"] == cx, name
    node = rdflib.URIRef(cx)
    assert data["definition"] == str(turtle.value(node, SKOS.definition))
    for prop in ("broader", "narrower", "closeMatch", "relatedMatch"):
        assert sorted(d["concept"] for d in data.get(prop, [])) == sorted(
            str(o) for o in turtle.objects(node, SKOS[prop])), prop
    assert {"topic": "Symplur: Patient Experience", "concept": TAX + "symplur/patient-experience"} in data["closeMatch"]
    text = _run("show", "Gartner: CX").output.splitlines()
    assert text[0] == "Gartner: Customer Experience"
    assert text[1].split() == ["concept", cx]
    # every value starts in one column, whatever the longest name (relatedMatch) is
    starts = {len(line) - len(line[2:].split(None, 1)[1]) for line in text[1:]}
    assert len(starts) == 1, text


def test_show_unknown_topic_suggests():
    result = _run("show", "Gartner: Customr Experiense")
    assert result.exit_code == 2
    assert "did you mean 'Gartner: Customer Experience'" in result.output


def test_tree_is_the_broader_hierarchy(turtle):
    lines = _run("tree", "Gartner").output.splitlines()
    assert lines[0] == "Gartner"
    # every concept once; each is indented one level under its skos:broader parent
    tax = load_taxonomy()
    scheme = TAX + "gartner"
    order = concept_tree(tax, scheme)
    assert sorted(iri for _, iri in order) == sorted(str(c) for c in turtle.subjects(SKOS.inScheme,
                                                                                     rdflib.URIRef(scheme)))
    stack: list[str] = []
    for depth, iri in order:
        stack[depth:] = [iri]
        parents = {str(p) for p in turtle.objects(rdflib.URIRef(iri), SKOS.broader)}
        assert (depth == 0 and not parents) or stack[depth - 1] in parents, iri
    assert lines[1:] == ["  " * (d + 1) + tax.concepts[i].label for d, i in order]


def test_tree_survives_a_cycle():
    from .conftest import DATA

    tax = load_taxonomy(DATA / "broken" / "taxonomy", strict=False)  # it has twin schemes too
    order = concept_tree(tax, TAX + "demo")
    iris = [i for _, i in order]
    assert len(iris) == len(set(iris))
    assert {TAX + "demo/loop-a", TAX + "demo/loop-b"} <= set(iris)


def test_find_concept():
    tax = load_taxonomy()
    assert find_concept(tax, "Symplur: PX") == TAX + "symplur/patient-experience"
    assert find_concept(tax, "Nobody: Nothing") is None


def test_twin_schemes_are_refused_where_topics_are_resolved(tmp_path):
    """Two schemes labelled alike make 'Vendor: Label' ambiguous: the strict load (build) refuses the taxonomy,
    naming both schemes; the lenient one (validate, browsing) uses the first by IRI and says which are twins."""
    import shutil

    import pytest

    from topicgraph.errors import TopicgraphError
    from topicgraph.resources import taxonomy_dir

    folder = tmp_path / "tax"
    shutil.copytree(taxonomy_dir(), folder)
    (folder / "acme.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<http://example.org/acme> a skos:ConceptScheme ; skos:prefLabel \"Medigy\"@en .\n"
        "<http://example.org/acme/pa> a skos:Concept ; skos:inScheme <http://example.org/acme> ;\n"
        "    skos:prefLabel \"Patient Acquisition\"@en .\n", encoding="utf-8")
    with pytest.raises(TopicgraphError, match=r"<http://example.org/acme> and "
                                              r"<https://w3id.org/topicgraph/taxonomy/medigy> are all labelled"):
        load_taxonomy(folder)
    lenient = load_taxonomy(folder, strict=False)
    assert lenient.ambiguous_vendors == {"medigy": ["http://example.org/acme", TAX + "medigy"]}
    from click.testing import CliRunner

    from topicgraph.cli import cli

    r = CliRunner().invoke(cli, ["build", "seeds", "--out", str(tmp_path / "g"), "--taxonomy", str(folder)])
    assert r.exit_code == 2 and "are all labelled 'Medigy'" in r.output
    r = CliRunner().invoke(cli, ["taxonomy", "check", "--taxonomy", str(folder), "--no-shacl", "--format", "json"])
    assert r.exit_code == 1 and "skos.scheme-label-unique" in r.output


def test_a_taxonomy_folder_without_turtle_is_refused(tmp_path):
    from click.testing import CliRunner

    from topicgraph.cli import cli

    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(cli, ["build", "seeds", "--out", str(tmp_path / "g"), "--taxonomy", str(tmp_path / "empty")])
    assert r.exit_code == 2 and "holds no .ttl file" in r.output
