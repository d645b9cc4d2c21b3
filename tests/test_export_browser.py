"""The exported HTML page and Cytoscape JSON in headless Chromium, used as a person would: the page opens from a
file with no network, draws the seed graph, finds a topic, shows details on hover, lists a topic's articles on
click, recolours by vendor; record text containing markup never runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import topicgraph
from tests.browser import Browser, find_chromium
from tests.conftest import require_debian_package
from tests.test_export import tricky_graph
from topicgraph.export import ARTICLES_KEY, build_export_graph, export_graph
from topicgraph.store import GraphStore

TAX = "https://w3id.org/topicgraph/taxonomy/"
PA = TAX + "medigy/patient-acquisition"
ASSETS = Path(topicgraph.__file__).parent / "export" / "assets"
SEED_TITLES = {"Elevating the Consumer Experience in Healthcare",
               "Customer Experience Automation - The Next Big Thing in Healthcare?"}


@pytest.fixture(scope="module")
def browser():
    require_debian_package("chromium", find_chromium() is not None)
    with Browser() as b:
        yield b


@pytest.fixture(scope="module")
def seed_page(seed_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "topics.html"
    export_graph(build_export_graph(GraphStore.open(seed_build.out)), path, "html")
    return path


def open_page(browser, path: Path, width: int = 1280, height: int = 800):
    page = browser.new_page(width, height)
    page.goto(path.as_uri())
    page.wait_for("document.body.dataset.ready === 'true'")
    return page


def offline(page) -> list[str]:
    """Requests that went anywhere but the page's own file."""
    return [u for u in page.requests if not u.startswith(("file:", "data:", "blob:", "about:"))]


def node_xy(page, node_id: str) -> tuple[float, float]:
    return tuple(page.evaluate(
        f"(() => {{ const n = topicgraphView.cy.getElementById({json.dumps(node_id)}); const p = n.renderedPosition();"
        " const r = document.getElementById('cy').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; })()"))


def text(page, element_id: str) -> str:
    return page.evaluate(f"document.getElementById({json.dumps(element_id)}).textContent")


def test_page_draws_the_seed_graph_offline(browser, seed_page, tmp_path):
    page = open_page(browser, seed_page)
    assert page.evaluate("topicgraphView.cy.nodes().length") == 4
    assert page.evaluate("topicgraphView.cy.edges().length") == 4
    assert sorted(page.evaluate("topicgraphView.cy.nodes().map(n => n.data('label'))")) == [
        "Gartner: Customer Experience", "Medigy: Healthcare Consumer Engagement", "Medigy: Patient Acquisition",
        "Symplur: Patient Experience"]
    # something was painted: the node canvas holds opaque pixels
    painted = page.evaluate("""Array.from(document.querySelectorAll('#cy canvas')).reduce((sum, c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let k = 0;
        for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) k++; } return sum + k; }, 0)""")
    assert painted > 2000
    assert text(page, "summary").startswith("4 topics · 4 links")
    assert page.evaluate("document.querySelectorAll('#legend li').length") == 2  # two clusters
    assert offline(page) == [] and page.errors == []
    shot = page.screenshot(tmp_path / "page.png")
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") == 1280


def test_search_finds_a_topic(browser, seed_page):
    page = open_page(browser, seed_page)
    page.evaluate("document.getElementById('search').focus()")
    page.type_text("acquisition")
    assert page.wait_for("document.getElementById('match-count').textContent") == "1 match"
    assert page.evaluate("Array.from(document.querySelectorAll('#matches button')).map(b => b.textContent)") == \
        ["Medigy: Patient Acquisition"]
    assert page.evaluate("topicgraphView.cy.nodes('.match').map(n => n.id())") == [PA]
    page.press_enter()
    assert page.wait_for("document.getElementById('details-title').textContent") == "Medigy: Patient Acquisition"
    assert page.evaluate("topicgraphView.cy.nodes(':selected').map(n => n.id())") == [PA]
    titles = page.evaluate("Array.from(document.querySelectorAll('#articles a')).map(a => a.textContent)")
    assert set(titles) == SEED_TITLES
    assert all(h.startswith("https://") for h in
               page.evaluate("Array.from(document.querySelectorAll('#articles a')).map(a => a.href)"))
    # a search matching nothing says so and marks nothing
    page.evaluate("document.getElementById('search').select()")
    page.type_text("zzz")
    assert page.wait_for("document.getElementById('match-count').textContent") == "0 matches"
    assert page.evaluate("topicgraphView.cy.nodes('.match').length") == 0
    assert page.errors == []


def test_hover_shows_details_and_click_lists_articles(browser, seed_page):
    page = open_page(browser, seed_page)
    x, y = node_xy(page, PA)
    page.hover(x, y)
    page.wait_for("!document.getElementById('tooltip').hidden")
    tip = text(page, "tooltip")
    assert tip.startswith("Medigy: Patient Acquisition") and "2 articles" in tip and "topic · Medigy" in tip
    page.hover(5, 5)
    page.wait_for("document.getElementById('tooltip').hidden")
    page.click(x, y)
    assert page.wait_for("document.getElementById('details-title').textContent") == "Medigy: Patient Acquisition"
    attrs = page.evaluate("Array.from(document.querySelectorAll('#details-attrs dt, #details-attrs dd'))"
                          ".map(e => e.textContent)")
    pairs = dict(zip(attrs[::2], attrs[1::2]))
    assert pairs["Vendor"] == "Medigy" and pairs["Articles"] == "2" and pairs["IRI"] == PA
    assert pairs["Cluster"].startswith("1: ")
    assert set(page.evaluate("Array.from(document.querySelectorAll('#articles a')).map(a => a.textContent)")) \
        == SEED_TITLES
    assert page.errors == []


def test_colour_by_vendor(browser, seed_page):
    page = open_page(browser, seed_page)
    page.evaluate("const s = document.getElementById('color-by'); s.value = 'vendor';"
                  " s.dispatchEvent(new Event('change'))")
    colours = page.evaluate("Object.fromEntries(topicgraphView.cy.nodes().map(n => [n.data('label'), n.data('_color')]))")
    assert colours["Medigy: Patient Acquisition"] == colours["Medigy: Healthcare Consumer Engagement"]
    assert len({colours["Medigy: Patient Acquisition"], colours["Gartner: Customer Experience"],
                colours["Symplur: Patient Experience"]}) == 3
    legend = page.evaluate("Array.from(document.querySelectorAll('#legend li')).map(li => li.textContent)")
    assert legend == ["Gartner (1)", "Medigy (2)", "Symplur (1)"]


def test_cytoscape_json_loads_in_cytoscape_js(browser, seed_build, tmp_path):
    """The exported .cyjs is what Cytoscape.js takes: load it with the shipped library, nothing else."""
    shutil.copy(ASSETS / "cytoscape.min.js", tmp_path / "cytoscape.min.js")
    (tmp_path / "load.html").write_text('<!doctype html><meta charset="utf-8"><script src="cytoscape.min.js">'
                                        "</script><body data-ready=true>", encoding="utf-8")
    docs = {}
    for name, G in (("tricky", tricky_graph()),
                    ("seeds", build_export_graph(GraphStore.open(seed_build.out), "bipartite", authors=True))):
        (path,) = export_graph(G, tmp_path / f"{name}.cyjs", "cytoscape")
        docs[name] = (G, json.loads(path.read_text(encoding="utf-8")))
    page = open_page(browser, tmp_path / "load.html")
    for name, (G, doc) in docs.items():
        got = page.evaluate(f"""(() => {{ const doc = {json.dumps(doc)};
            const cy = cytoscape({{headless: true, elements: doc.elements}});
            return {{nodes: cy.nodes().map(n => n.id()), edges: cy.edges().map(e => [e.source().id(), e.target().id()]),
                     data: Object.fromEntries(cy.nodes().map(n => [n.id(), n.data()])),
                     positioned: cy.nodes().every(n => Number.isFinite(n.position('x')))}}; }})()""")
        assert sorted(got["nodes"]) == sorted(G), name
        assert {frozenset(e) for e in got["edges"]} == {frozenset(e) for e in G.edges}, name
        assert got["positioned"]
        for n, d in G.nodes(data=True):
            assert got["data"][n]["label"] == d["label"] and got["data"][n]["kind"] == d["kind"]
    assert got["data"][PA]["articles"] == 2
    warnings = [e for e in browser.events if e.get("sessionId") == page.session
                and e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") in ("warning", "error")]
    assert warnings == [] and page.errors == [] and offline(page) == []


RECORD = """---
id: {id}
title: '{title}'
author:
- '{author}'
date: '2021-03-04'
communityTopics:
- 'Medigy: Patient Acquisition'
- 'Medigy: {topic}'
link:
  brand: example.com
  href: https://example.com/{id}
  original: https://example.com/{id}
---
Body text.
"""

EVIL = [
    {"id": "901", "title": "<script>window.__pwned=1</script>", "author": "</script><script>window.__pwned=2</script>",
     "topic": "<img src=x onerror=window.__pwned=3>"},
    {"id": "902", "title": '" onmouseover="window.__pwned=4" x="', "author": "<b onclick=window.__pwned=5>Eve</b>",
     "topic": "Telehealth\u2028<svg onload=window.__pwned=6>"},
]


def test_markup_in_records_never_runs(browser, tmp_path):
    src = tmp_path / "records"
    src.mkdir()
    for rec in EVIL:
        (src / f"{rec['id']}.md").write_text(RECORD.format(**{k: v.replace("'", "''") for k, v in rec.items()}),
                                             encoding="utf-8")
    result = topicgraph.build([src], out=tmp_path / "graph", jobs=1)
    assert result.report.counts["mapped"] == 2
    G = build_export_graph(GraphStore.open(tmp_path / "graph"), "bipartite", authors=True, brands=True)
    labels = {d["label"] for _, d in G.nodes(data=True)}
    assert EVIL[0]["title"] in labels and EVIL[1]["title"] in labels  # the hostile text is really there
    # and an article whose URL is a javascript: URL (not from a record: the mapper only takes http(s) IRIs)
    G.graph[ARTICLES_KEY]["table"].append(["x", "a javascript: link", "javascript:window.__pwned=7", ""])
    G.graph[ARTICLES_KEY]["by_node"][PA].append(len(G.graph[ARTICLES_KEY]["table"]) - 1)
    (path,) = export_graph(G, tmp_path / "evil.html", "html", title="<script>window.__pwned=8</script>")

    page = open_page(browser, path)
    assert page.evaluate("document.title") == "<script>window.__pwned=8</script>"
    assert text(page, "title") == "<script>window.__pwned=8</script>"
    # hover and click every node, as a curious reader would, and search for the markup
    for n in G:
        x, y = node_xy(page, n)
        page.hover(x, y)
        page.evaluate(f"topicgraphView.focus(topicgraphView.cy.getElementById({json.dumps(n)}))")
        shown = text(page, "details-title")
        assert shown == G.nodes[n]["label"]
    page.evaluate(f"topicgraphView.focus(topicgraphView.cy.getElementById({json.dumps(PA)}))")
    listed = page.evaluate("Array.from(document.querySelectorAll('#articles li')).map(li => li.firstChild.textContent)")
    assert EVIL[0]["title"] in listed and EVIL[1]["title"] in listed
    assert page.evaluate("Array.from(document.querySelectorAll('#articles a')).every(a => a.protocol === 'https:')")
    assert "a javascript: link" in listed  # shown as text, not as a link
    page.evaluate("document.getElementById('search').focus()")
    page.type_text("<script")
    assert page.wait_for("document.getElementById('match-count').textContent") == "2 matches"  # title, author
    assert sorted(page.evaluate("Array.from(document.querySelectorAll('#matches button')).map(b => b.textContent)")) \
        == sorted([EVIL[0]["title"], EVIL[0]["author"]])
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert page.evaluate("document.querySelectorAll('img, svg, b, [onmouseover], [onclick], [onerror]').length") == 0
    assert offline(page) == []
