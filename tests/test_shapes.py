"""The SHACL shapes of ontology/shapes/ against hand-written fixtures (no dependency on src/topicgraph).

Fixtures live in tests/data/shapes/{good,bad}/{shape file stem}-{what}.ttl. A good fixture must give no
validation result at all. A bad fixture states, in `# expect:` comment lines, every result it must give:

    # expect: <focus> <path or -> <source shape> <constraint component> [Warning|Info]

Terms are prefixed names (the fixture's own @prefix lines plus sh: and tgsh:), <IRIs>, or [] for "some blank
node". The results must match the expectations exactly: nothing missing, nothing extra.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, BNode, Graph, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "ontology" / "shapes"
FIXTURES = ROOT / "tests" / "data" / "shapes"
SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
GOOD = sorted((FIXTURES / "good").glob("*.ttl"))
BAD = sorted((FIXTURES / "bad").glob("*.ttl"))

SH = Namespace("http://www.w3.org/ns/shacl#")
TGSH = Namespace("https://w3id.org/topicgraph/shapes#")
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
BLANK = "[]"

# Parameters that do not constrain anything by themselves.
NON_CONSTRAINT_PARAMETERS = {
    RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.path,
    SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.deactivated, SH.ignoredProperties,
}


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in SHAPE_FILES:
        graph.parse(path, format="turtle")
    return graph


def _named_shapes(shapes: Graph) -> set:
    return set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(
        shapes.objects(None, SH.property)
    )


# --------------------------------------------------------------------------------------------------------------
# Expectations
# --------------------------------------------------------------------------------------------------------------


def _prefixes(text: str) -> dict[str, str]:
    found = dict(re.findall(r"^\s*@prefix\s+([A-Za-z][\w-]*|):\s*<([^>]*)>\s*\.", text, re.M))
    found.setdefault("sh", str(SH))
    found.setdefault("tgsh", str(TGSH))
    return found


def _term(token: str, prefixes: dict[str, str]):
    if token == BLANK:
        return BLANK
    if token.startswith("<") and token.endswith(">"):
        return URIRef(token[1:-1])
    prefix, sep, local = token.partition(":")
    assert sep and prefix in prefixes, f"unknown prefix in {token!r}"
    return URIRef(prefixes[prefix] + local)


def _expectations(path: Path) -> Counter:
    text = path.read_text(encoding="utf-8")
    prefixes = _prefixes(text)
    expected = Counter()
    for line in re.findall(r"^#\s*expect:\s*(.+?)\s*$", text, re.M):
        tokens = line.split()
        assert len(tokens) in (4, 5), f"{_rel(path)}: bad expect line {line!r}"
        focus, result_path, shape, component = (_term(t, prefixes) if t != "-" else None for t in tokens[:4])
        severity = SH[tokens[4]] if len(tokens) == 5 else SH.Violation
        expected[(focus, result_path, shape, component, severity)] += 1
    return expected


# --------------------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------------------


def _validate(path: Path, shapes: Graph):
    data = Graph().parse(path, format="turtle")
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True
    )
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        results.append(
            {
                "key": (
                    BLANK if isinstance(focus, BNode) else focus,
                    report.value(result, SH.resultPath),
                    report.value(result, SH.sourceShape),
                    report.value(result, SH.sourceConstraintComponent),
                    report.value(result, SH.resultSeverity),
                ),
                "message": report.value(result, SH.resultMessage),
            }
        )
    return conforms, results, text


@pytest.mark.parametrize("path", GOOD, ids=_rel)
def test_good_fixture_conforms(path: Path, shapes: Graph):
    conforms, results, text = _validate(path, shapes)
    assert conforms, text
    assert results == [], text  # not even a warning


@pytest.mark.parametrize("path", BAD, ids=_rel)
def test_bad_fixture_gives_exactly_the_expected_results(path: Path, shapes: Graph):
    expected = _expectations(path)
    assert expected, f"{_rel(path)} has no `# expect:` line"
    conforms, results, text = _validate(path, shapes)
    actual = Counter(r["key"] for r in results)
    assert actual == expected, f"missing: {expected - actual}\nunexpected: {actual - expected}\n{text}"
    assert conforms == all(key[4] != SH.Violation for key in expected)
    for result in results:
        shape = result["key"][2]
        # Each result carries the message of the shape that failed, so users learn what to fix.
        assert result["message"] is not None, result
        assert result["message"] in set(shapes.objects(shape, SH.message)), result


# --------------------------------------------------------------------------------------------------------------
# Coverage and the shapes themselves
# --------------------------------------------------------------------------------------------------------------


def test_fixture_files_exist():
    assert GOOD and BAD


@pytest.mark.parametrize("shape_file", SHAPE_FILES, ids=_rel)
def test_every_shape_file_has_good_and_bad_fixtures(shape_file: Path):
    stem = shape_file.stem
    assert any(p.stem.startswith(f"{stem}-") or p.stem == stem for p in GOOD), f"no good fixture for {stem}"
    assert any(p.stem.startswith(f"{stem}-") for p in BAD), f"no bad fixture for {stem}"


def test_every_fixture_is_named_after_a_shape_file():
    stems = {p.stem for p in SHAPE_FILES}
    for path in GOOD + BAD:
        assert path.stem in stems or path.stem.split("-")[0] in stems, _rel(path)


def test_every_constraining_shape_fails_in_some_bad_fixture(shapes: Graph):
    covered = {key[2] for path in BAD for key in _expectations(path)}
    constraining = {
        shape
        for shape in _named_shapes(shapes)
        if any(p not in NON_CONSTRAINT_PARAMETERS and not str(p).startswith(RDFS_NS) for p in shapes.predicates(shape))
    }
    assert constraining - covered == set()


def test_every_shape_is_named_and_has_a_message(shapes: Graph):
    for shape in _named_shapes(shapes):
        assert isinstance(shape, URIRef) and str(shape).startswith(str(TGSH)), f"shape without a tgsh: IRI: {shape}"
        messages = list(shapes.objects(shape, SH.message))
        assert len(messages) == 1, shape
        # A message says what is wrong and, after the colon, how to fix it.
        assert ": " in str(messages[0]) and len(str(messages[0])) > 40, (shape, messages[0])


def test_headline_severities(shapes: Graph):
    assert shapes.value(TGSH.PlainArticleHeadlineShape, SH.severity) == SH.Warning
    assert shapes.value(TGSH.FrontMatterArticleHeadlineShape, SH.severity) is None  # default: Violation


def test_shapes_use_shacl_core_only(shapes: Graph):
    """No SHACL-AF (SPARQL targets or constraints, rules): pyshacl needs no advanced=True."""
    advanced = {SH.target, SH.sparql, SH.rule, SH.SPARQLTarget, SH.SPARQLConstraint, SH.select, SH.ask}
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef)}
    assert used & advanced == set()
