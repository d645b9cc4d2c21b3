"""The page at real scale, in headless Chromium: a generated 10,000-record corpus (built once per session). The
first view draws a backbone of a few links per topic, no two visible labels overlap (bounding boxes measured by
Cytoscape), and a reader can go overview -> cluster -> topic -> article, move the weight slider and search.

Each state is saved as a screenshot; the folder is printed at the start of the run."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.browser import Browser, find_chromium
from tests.conftest import require_debian_package

N_RECORDS = 10_000

LABELS = """(() => { const cy = topicgraphView.cy; const ext = cy.extent();
  return cy.nodes(':visible').filter(n => !n.hasClass('nolabel')).filter(n => {
      const p = n.position(); return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2; })
    .map(n => { const b = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
                return [n.id(), b.x1, b.y1, b.x2, b.y2]; }); })()"""


def overlaps(boxes: list[list]) -> list[tuple[str, str]]:
    """Pairs of label boxes that overlap (touching edges do not count)."""
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                out.append((a[0], b[0]))
    return out


@pytest.fixture(scope="module")
def big_page(tmp_path_factory):
    require_debian_package("chromium", find_chromium() is not None)
    root = tmp_path_factory.mktemp("corpus10k")
    tg = [sys.executable, "-m", "topicgraph"]
    subprocess.run([*tg, "generate", str(root / "records"), "-n", str(N_RECORDS), "--seed", "19", "--taxonomy",
                    str(root / "tax")], check=True, capture_output=True, timeout=300)
    subprocess.run([*tg, "build", str(root / "records"), "--taxonomy", str(root / "tax"), "--out", str(root / "g"),
                    "-q"], check=True, capture_output=True, timeout=600)
    page = root / "topics.html"
    subprocess.run([*tg, "export", "--store", str(root / "g"), "-o", str(page), "-q"], check=True,
                   capture_output=True, timeout=300)
    return page


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("page-screenshots")
    print(f"\nscreenshots of the 10,000-record page: {folder}", file=sys.__stderr__)
    return folder


@pytest.fixture(scope="module")
def page(big_page):
    with Browser(timeout=90) as browser:
        p = browser.new_page(1400, 900)
        p.goto(big_page.as_uri(), timeout=90)
        p.wait_for("document.body.dataset.ready === 'true'", timeout=90)
        yield p
        assert p.errors == []
        assert [u for u in p.requests if not u.startswith(("file:", "data:", "blob:", "about:"))] == []


def settle(page) -> None:
    time.sleep(0.3)  # the page relabels 120 ms after the viewport stops moving
    page.evaluate("topicgraphView.relabel()")


def visible_counts(page) -> tuple[int, int]:
    return tuple(page.evaluate("[topicgraphView.cy.nodes(':visible').length, topicgraphView.cy.edges(':visible').length]"))


def test_default_view_is_a_backbone_with_labels_apart(page, shots):
    page.evaluate("topicgraphView.setView('all')")
    settle(page)
    nodes, edges = visible_counts(page)
    total = page.evaluate("topicgraphView.cy.edges().length")
    assert nodes >= 200 and total > 10 * edges
    assert edges / nodes <= 4, f"{edges} links over {nodes} topics"
    boxes = page.evaluate(LABELS)
    assert len(boxes) >= 20 and overlaps(boxes) == []
    page.screenshot(shots / "1-all-topics.png")
    # zoomed in on the centre: more labels per area, still none over another
    page.evaluate("void topicgraphView.cy.zoom({level: topicgraphView.cy.zoom() * 3,"
                  " renderedPosition: {x: 500, y: 400}})")
    settle(page)
    zoomed = page.evaluate(LABELS)
    assert zoomed and overlaps(zoomed) == []
    page.screenshot(shots / "2-zoomed-in.png")


def test_overview_cluster_topic_article(page, shots):
    page.evaluate("document.querySelector('#crumbs button[data-view=overview]').click()")
    settle(page)
    assert page.evaluate("document.body.dataset.view") == "overview"
    clusters = page.evaluate("topicgraphView.cy.nodes(':visible').map(n => [n.id(), n.data('cluster'), n.data('articles')])")
    assert len(clusters) >= 10 and all(c[0].startswith("ov:") and c[2] > 0 for c in clusters)
    assert overlaps(page.evaluate(LABELS)) == []
    page.screenshot(shots / "3-overview.png")

    biggest = max(clusters, key=lambda c: c[2])
    x, y = page.evaluate(f"""(() => {{ const p = topicgraphView.cy.getElementById({json.dumps(biggest[0])}).renderedPosition();
        const r = document.getElementById('cy').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }})()""")
    page.click(x, y)
    page.wait_for("document.body.dataset.view === 'cluster'")
    settle(page)
    members = page.evaluate("topicgraphView.cy.nodes(':visible').map(n => n.data('cluster'))")
    assert members and set(members) == {biggest[1]}
    page.screenshot(shots / "4-cluster.png")

    # the most central topic whose backbone neighbours reach further (depth 2 must then show more than depth 1)
    topic = page.evaluate("""(() => {
        const bb = n => n.connectedEdges().filter(e => e.data('_bb')).connectedNodes();
        const byRank = topicgraphView.cy.nodes(':visible').sort((a, b) => b.data('pagerank') - a.data('pagerank'));
        const reaches = n => bb(bb(n)).union(bb(n)).union(n).length > bb(n).union(n).length;
        return (byRank.filter(reaches)[0] || byRank[0]).id(); })()""")
    x, y = page.evaluate(f"""(() => {{ const p = topicgraphView.cy.getElementById({json.dumps(topic)}).renderedPosition();
        const r = document.getElementById('cy').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }})()""")
    page.click(x, y)
    page.wait_for("document.body.dataset.view === 'local'")
    settle(page)
    assert page.evaluate("topicgraphView.cy.nodes(':selected').map(n => n.id())") == [topic]
    local = page.evaluate("topicgraphView.cy.nodes(':visible').map(n => n.id())")
    neighbours = page.evaluate(f"topicgraphView.cy.getElementById({json.dumps(topic)}).neighborhood('node').map(n => n.id())")
    assert topic in local and 1 < len(local) <= len(neighbours) + 1
    assert page.evaluate("document.querySelectorAll('#articles li').length") > 0
    page.screenshot(shots / "5-topic.png")
    page.evaluate("document.getElementById('depth').value = '2';"
                  " document.getElementById('depth').dispatchEvent(new Event('change'))")
    settle(page)
    assert len(page.evaluate("topicgraphView.cy.nodes(':visible').map(n => n.id())")) > len(local)

    page.evaluate("document.querySelector('#articles button.open-article').click()")
    page.wait_for("!document.getElementById('article').hidden")
    title = page.evaluate("document.getElementById('article-title').textContent")
    assert title and title == page.evaluate("document.querySelector('#articles li a, #articles li span').textContent")
    about = page.evaluate("Array.from(document.querySelectorAll('#article-topics button')).map(b => b.textContent)")
    assert about and page.evaluate("topicgraphView.cy.nodes('.picked').length") == len(about)
    assert page.evaluate("document.querySelector('#crumbs [aria-current]').textContent") == title
    page.screenshot(shots / "6-article.png")


def test_weight_slider_drops_light_links(page, shots):
    page.evaluate("topicgraphView.setView('all')")
    page.evaluate("document.getElementById('links').value = 'all';"
                  " document.getElementById('links').dispatchEvent(new Event('change'))")
    _, every = visible_counts(page)
    page.evaluate("{ const s = document.getElementById('min-weight'); s.value = String(Math.floor(s.max / 2));"
                  " s.dispatchEvent(new Event('input')); }")
    settle(page)
    threshold = float(page.evaluate("document.getElementById('min-weight-value').textContent").lstrip("≥ "))
    _, heavy = visible_counts(page)
    weights = page.evaluate("topicgraphView.cy.edges(':visible').map(e => e.data('weight'))")
    assert 0 < heavy < every and min(weights) >= threshold
    assert overlaps(page.evaluate(LABELS)) == []
    page.screenshot(shots / "7-min-weight.png")
    page.evaluate("{ const s = document.getElementById('min-weight'); s.value = '0'; s.dispatchEvent(new Event('input'));"
                  " document.getElementById('links').value = 'backbone';"
                  " document.getElementById('links').dispatchEvent(new Event('change')); }")


def test_search_opens_the_topic(page, shots):
    page.evaluate("document.getElementById('search').focus()")
    page.type_text("capitation")
    count = page.wait_for("document.getElementById('match-count').textContent")
    assert count.endswith("match") or count.endswith("matches")
    assert int(count.split()[0]) >= 1
    page.press_enter()
    page.wait_for("document.body.dataset.view === 'local'")
    assert "capitation" in page.evaluate("document.getElementById('details-title').textContent").lower()
    settle(page)
    assert overlaps(page.evaluate(LABELS)) == []
    page.screenshot(shots / "8-search.png")
