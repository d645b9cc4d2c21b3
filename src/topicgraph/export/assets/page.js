/* topicgraph's interactive graph page: draws the embedded graph with Cytoscape.js.
 * Every text that comes from the records goes into the page with textContent (never innerHTML), and links only
 * ever point to http(s) URLs, so a title that holds markup shows as text. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("tg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var NONE = "#cccccc";
  var FIELDS = [
    ["kind", "Kind"], ["vendor", "Vendor"], ["vendors", "Vendors"], ["cluster", "Cluster"],
    ["articles", "Articles"], ["topics", "Topics"], ["degree", "Links"], ["pagerank", "PageRank"],
    ["date", "Published"], ["brand", "Brand"], ["identifier", "Record"], ["id", "IRI"]
  ];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }
  function fold(s) { return String(s || "").toLocaleLowerCase(); }

  // ---- header
  $("title").textContent = data.meta.title;
  var counts = {};
  data.elements.nodes.forEach(function (n) { var k = n.data.kind || "node"; counts[k] = (counts[k] || 0) + 1; });
  var parts = Object.keys(counts).sort().map(function (k) { return counts[k] + " " + k + (counts[k] === 1 ? "" : "s"); });
  parts.push(data.elements.edges.length + " link" + (data.elements.edges.length === 1 ? "" : "s"));
  if (data.meta.clusters) { parts.push("clusters: " + data.meta.clusters); }
  $("summary").textContent = parts.join(" · ");

  // ---- colours and sizes
  var schemes = Object.keys(data.colors);
  var colorBy = $("color-by");
  schemes.forEach(function (s) { var o = el("option", s); o.value = s; colorBy.appendChild(o); });
  colorBy.value = data.meta.colorBy;

  var cy = cytoscape({
    container: $("cy"),
    elements: data.elements,
    layout: { name: "preset", fit: true, padding: 40 },
    minZoom: 0.05,
    maxZoom: 6,
    textureOnViewport: data.elements.nodes.length > 3000,
    hideEdgesOnViewport: data.elements.edges.length > 10000,
    style: [
      { selector: "node", style: {
        "background-color": "data(_color)", "width": "data(_size)", "height": "data(_size)", "shape": "data(_shape)",
        "border-width": 1, "border-color": "#555", "label": "data(_label)", "font-size": 12,
        "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 260,
        "color": "#222", "text-outline-color": "#fff", "text-outline-width": 2, "min-zoomed-font-size": 6 } },
      { selector: "edge", style: {
        "width": "data(_width)", "line-color": "#9aa5b1", "opacity": 0.55, "curve-style": "haystack" } },
      { selector: "node.match", style: { "border-width": 3, "border-color": "#d62728" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#111", "z-index": 10 } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: "edge.near", style: { "line-color": "#555", "opacity": 0.9 } },
      { selector: ".nolabel", style: { "label": "" } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: "node.ov", style: { "shape": "ellipse", "border-width": 2, "font-weight": "bold" } },
      { selector: "node.picked", style: { "border-width": 4, "border-color": "#d62728" } }
    ]
  });
  cy.nodes().forEach(function (n) { if (!n.data("_shape")) { n.data("_shape", "ellipse"); } });


  function applyColors(scheme) {
    var legend = data.colors[scheme] || {};
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var v = n.data(scheme);
        var c = (v === undefined || v === null || v === "") ? NONE : (legend[String(v)] || NONE);
        n.data("_color", c);
      });
    });
    var box = $("legend");
    clear(box);
    $("legend-title").textContent = "Colour: " + scheme;
    var labels = {};
    if (scheme === "cluster") {
      cy.nodes().forEach(function (n) {
        if (n.data("cluster") !== undefined) { labels[String(n.data("cluster"))] = n.data("cluster_label"); }
      });
    }
    var tally = {};
    cy.nodes().forEach(function (n) { var v = n.data(scheme); if (v !== undefined && v !== "") { tally[String(v)] = (tally[String(v)] || 0) + 1; } });
    Object.keys(legend).forEach(function (value) {
      if (!tally[value]) { return; }
      var li = el("li");
      var sw = el("span", null, "swatch");
      sw.style.backgroundColor = legend[value];
      li.appendChild(sw);
      var text = scheme === "cluster" && labels[value] ? value + ": " + labels[value] : value;
      li.appendChild(el("span", text + " (" + tally[value] + ")"));
      box.appendChild(li);
    });
  }
  colorBy.addEventListener("change", function () { applyColors(colorBy.value); });
  cy.nodes().forEach(function (n) { if (n.data("_label") === undefined) { n.data("_label", n.data("label")); } });
  applyColors(colorBy.value);
  var shapes = data.meta.shapes || {};
  if (Object.keys(shapes).length > 1) {
    $("shapes-title").hidden = false;
    Object.keys(shapes).sort().forEach(function (v) { $("shapes").appendChild(el("li", shapes[v] + ": " + v)); });
  }

  $("show-labels").addEventListener("change", function () { relabel(); });
  $("fit").addEventListener("click", function () { cy.animate({ fit: { eles: cy.elements(":visible"), padding: 40 } }, { duration: 300, complete: relabel }); });
  $("relayout").addEventListener("click", function () {
    cy.layout({ name: "cose", animate: false, randomize: false, fit: true, padding: 40,
                nodeRepulsion: function () { return 8000; } }).run();
  });

  // ---- hover: a tooltip with what the node is
  var tip = $("tooltip");
  function describe(n) {
    var lines = [];
    var d = n.data();
    if (d.kind) { lines.push(d.kind + (d.vendor ? " · " + d.vendor : "")); }
    if (d.cluster !== undefined) { lines.push("cluster " + d.cluster + (d.cluster_label ? ": " + d.cluster_label : "")); }
    if (d.articles !== undefined) { lines.push(d.articles + " article" + (d.articles === 1 ? "" : "s")); }
    lines.push(n.degree(false) + " link" + (n.degree(false) === 1 ? "" : "s") +
               (d.pagerank !== undefined ? " · PageRank " + Number(d.pagerank).toFixed(3) : ""));
    return lines;
  }
  cy.on("mouseover", "node", function (e) {
    var n = e.target;
    clear(tip);
    tip.appendChild(el("strong", n.data("label")));
    describe(n).forEach(function (line) { tip.appendChild(el("div", line)); });
    var box = $("cy").getBoundingClientRect();
    var p = e.renderedPosition || n.renderedPosition();
    tip.style.left = Math.min(box.left + p.x + 14, window.innerWidth - 330) + "px";
    tip.style.top = (box.top + p.y + 14) + "px";
    tip.hidden = false;
    n.connectedEdges().addClass("near");
  });
  cy.on("mouseout", "node", function (e) { tip.hidden = true; e.target.connectedEdges().removeClass("near"); });
  cy.on("pan zoom", function () { tip.hidden = true; });
  $("cy").addEventListener("mouseleave", function () { tip.hidden = true; cy.edges().removeClass("near"); });

  // ---- click: the node's details and its articles
  function articleRows(n) {
    var a = data.articles || {};
    var rows = (a.by_node && a.by_node[n.id()]) || null;
    if (rows) {
      return { rows: rows.map(function (i) { return a.table[i]; }), index: rows,
               total: (a.total && a.total[n.id()]) || rows.length };
    }
    // a graph without the article index: list the article nodes linked to this one
    var arts = n.neighborhood("node").filter(function (m) { return m.data("kind") === "article"; });
    return { rows: arts.map(function (m) { return [m.id(), m.data("label"), m.data("url") || "", m.data("date") || ""]; }),
             total: arts.length };
  }

  function showDetails(n) {
    var d = n.data();
    $("details").hidden = false;
    $("article").hidden = true;
    $("hint").hidden = true;
    $("details-title").textContent = d.label;
    var dl = $("details-attrs");
    clear(dl);
    FIELDS.forEach(function (f) {
      var v = d[f[0]];
      if (v === undefined || v === null || v === "") { return; }
      if (f[0] === "cluster" && d.cluster_label) { v = v + ": " + d.cluster_label; }
      if (f[0] === "pagerank") { v = Number(v).toFixed(4); }
      dl.appendChild(el("dt", f[1]));
      dl.appendChild(el("dd", v));
    });
    var list = $("articles");
    clear(list);
    var found = articleRows(n);
    $("articles-heading").hidden = found.rows.length === 0;
    found.rows.forEach(function (r, k) {
      var li = el("li");
      var url = safeUrl(r[2]);
      var title = r[1] || r[0];
      if (url) {
        var a = el("a", title);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
      } else {
        li.appendChild(el("span", title));
      }
      if (r[3]) { li.appendChild(el("span", String(r[3]).slice(0, 10), "date")); }
      if (found.index) {
        var open = el("button", "›", "open-article");
        open.type = "button"; open.title = "What this article is about";
        open.addEventListener("click", function () { showArticle(r, found.index[k]); });
        li.appendChild(open);
      }
      list.appendChild(li);
    });
    $("articles-more").textContent = found.total > found.rows.length ?
      "… and " + (found.total - found.rows.length) + " more (" + found.total + " in all)" : "";
  }

  // ---- views: all topics, the cluster overview, one cluster, the local graph of one node
  var FONT = 12;
  var home = {};
  cy.nodes().forEach(function (n) { home[n.id()] = { x: n.position("x"), y: n.position("y") }; });
  var months = (data.articles && data.articles.months) || {};
  var monthList = {};
  Object.keys(months).forEach(function (id) { Object.keys(months[id]).forEach(function (m) { monthList[m] = 1; }); });
  monthList = Object.keys(monthList).sort();
  var state = { view: "all", cluster: null, node: null, article: null, depth: 1, links: "backbone",
                minWeight: -Infinity, from: "", to: "" };
  var hasClusters = cy.nodes().some(function (n) { return n.data("cluster") !== undefined && n.data("kind") === "topic"; });

  function weightOf(e) { var w = e.data("weight"); return typeof w === "number" ? w : 0; }
  var distinct = {};
  cy.edges().forEach(function (e) { distinct[weightOf(e)] = 1; });
  distinct = Object.keys(distinct).map(Number).sort(function (a, b) { return a - b; });
  if (distinct.length > 200) {  // at most 200 steps, spread over the weights' quantiles
    var picked = [];
    for (var i = 0; i < 200; i++) { picked.push(distinct[Math.floor(i * (distinct.length - 1) / 199)]); }
    distinct = picked.filter(function (w, k) { return k === 0 || w !== picked[k - 1]; });
  }
  var slider = $("min-weight");
  slider.max = String(Math.max(distinct.length - 1, 0));
  slider.value = "0";
  function showWeight() {
    var i = Number(slider.value);
    state.minWeight = i <= 0 || !distinct.length ? -Infinity : distinct[i];
    $("min-weight-value").textContent = state.minWeight === -Infinity ? "any" : "≥ " + state.minWeight;
  }
  showWeight();
  if (!cy.edges().some(function (e) { return !e.data("_bb"); })) { $("links").disabled = true; }

  if (monthList.length) {
    $("time").hidden = false;
    [["from", "any"], ["to", "any"]].forEach(function (p) {
      var s = $(p[0]);
      var o = el("option", p[1]); o.value = ""; s.appendChild(o);
      monthList.forEach(function (m) { var x = el("option", m); x.value = m; s.appendChild(x); });
    });
  }
  function inTime(n) {
    if (!state.from && !state.to) { return true; }
    var m = months[n.id()];
    if (!m) { return n.data("kind") !== "topic"; }
    return Object.keys(m).some(function (k) { return (!state.from || k >= state.from) && (!state.to || k <= state.to); });
  }
  function edgeOn(e) { return (state.links === "all" || e.data("_bb")) && weightOf(e) >= state.minWeight; }
  function base() {
    return cy.nodes().filter(function (n) { return !n.hasClass("ov") && !n.data("_iso") && inTime(n); });
  }

  // the isolated topics, listed instead of drawn in a ring around the graph
  var isolated = cy.nodes().filter(function (n) { return n.data("_iso"); });
  if (isolated.length) {
    $("isolated-box").hidden = false;
    $("isolated-title").textContent = isolated.length + " linked to nothing";
    isolated.sort(function (a, b) { return (b.data("articles") || 0) - (a.data("articles") || 0); }).forEach(function (n) {
      var li = el("li"); var b = el("button", n.data("label")); b.type = "button";
      b.addEventListener("click", function () { showDetails(n); });
      li.appendChild(b); $("isolated").appendChild(li);
    });
  }

  function overviewElements(nodes) {
    var groups = {};
    nodes.forEach(function (n) {
      var c = n.data("cluster"); if (c === undefined || n.data("kind") !== "topic") { return; }
      var g = groups[c] || (groups[c] = { n: 0, x: 0, y: 0, label: n.data("cluster_label"), articles: 0, color: null });
      g.n++; g.x += home[n.id()].x; g.y += home[n.id()].y; g.articles += n.data("articles") || 0;
    });
    var counts = (data.articles && data.articles.clusters) || {};
    var legend = data.colors.cluster || {};
    var most = 1;
    Object.keys(groups).forEach(function (c) { var g = groups[c]; g.articles = counts[c] !== undefined && !state.from && !state.to ? counts[c] : g.articles; most = Math.max(most, g.articles); });
    var els = [];
    Object.keys(groups).forEach(function (c) {
      var g = groups[c];
      els.push({ group: "nodes", classes: "ov", position: { x: g.x / g.n, y: g.y / g.n },
                 data: { id: "ov:" + c, kind: "cluster", cluster: Number(c), cluster_label: g.label, label: c + ": " + g.label,
                         _label: c + ": " + g.label, topics: g.n, articles: g.articles, _shape: "ellipse",
                         _color: legend[c] || NONE, _size: Math.round(30 + 90 * Math.sqrt(g.articles / most)) } });
    });
    var sums = {};
    cy.edges().forEach(function (e) {
      var a = e.source(), b = e.target();
      var ca = a.data("cluster"), cb = b.data("cluster");
      if (ca === undefined || cb === undefined || ca === cb || !groups[ca] || !groups[cb]) { return; }
      if (!nodes.contains(a) || !nodes.contains(b)) { return; }
      var k = ca < cb ? ca + "|" + cb : cb + "|" + ca;
      sums[k] = (sums[k] || 0) + Math.abs(weightOf(e));
    });
    // each cluster keeps its three heaviest links, so the overview stays a map rather than a clique
    var best = {};
    Object.keys(sums).forEach(function (k) { k.split("|").forEach(function (c) { (best[c] = best[c] || []).push(k); }); });
    var keep = {};
    Object.keys(best).forEach(function (c) {
      best[c].sort(function (x, y) { return sums[y] - sums[x]; }).slice(0, 3).forEach(function (k) { keep[k] = 1; });
    });
    var wmax = Math.max.apply(null, Object.keys(keep).map(function (k) { return sums[k]; }).concat([1]));
    Object.keys(keep).forEach(function (k) {
      var p = k.split("|");
      els.push({ group: "edges", classes: "ov", data: { id: "ov:" + k, source: "ov:" + p[0], target: "ov:" + p[1],
                 weight: sums[k], _width: Math.round(10 * (1 + 7 * sums[k] / wmax)) / 10, _bb: 1 } });
    });
    return els;
  }

  function crumbs() {
    var nav = $("crumbs");
    clear(nav);
    var items = [["all", hasClusters ? "All topics" : "Whole graph"]];
    if (hasClusters) { items.push(["overview", "Clusters"]); }
    if (state.cluster !== null) { items.push(["cluster", "Cluster " + state.cluster]); }
    if (state.node) { items.push(["local", state.node.data("label")]); }
    if (state.article) { items.push(["article", state.article[1] || state.article[0]]); }
    var current = state.article ? "article" : state.view;
    items.forEach(function (it, i) {
      if (i) { nav.appendChild(el("span", "›", "sep")); }
      var b = el("button", it[1]); b.type = "button"; b.dataset.view = it[0];
      if (it[0] === current) { b.setAttribute("aria-current", "page"); }
      b.addEventListener("click", function () {
        if (it[0] === "all") { state.cluster = null; state.node = null; }
        if (it[0] === "overview") { state.cluster = null; state.node = null; }
        if (it[0] === "cluster") { state.node = null; }
        if (it[0] !== "article") { state.article = null; $("article").hidden = true; }
        setView(it[0] === "article" ? "local" : it[0]);
      });
      nav.appendChild(b);
    });
    nav.appendChild(el("span", "", null)).id = "showing";
  }

  function setView(view) {
    state.view = view;
    $("depth-box").hidden = view !== "local";
    cy.remove(cy.elements(".ov"));
    cy.elements().removeClass("faded picked");
    var nodes, edges;
    if (view === "overview") {
      cy.add(overviewElements(base()));
      nodes = cy.nodes(".ov"); edges = cy.edges(".ov");
    } else {
      nodes = base();
      if (view === "cluster") { nodes = nodes.filter(function (n) { return n.data("cluster") === state.cluster; }); }
      edges = nodes.edgesWith(nodes).filter(edgeOn);
      if (view === "local" && state.node) {
        var reach = state.node.union(cy.collection());
        var frontier = state.node;
        for (var d = 0; d < state.depth; d++) {
          var next = frontier.connectedEdges().filter(function (e) { return edgeOn(e) && inTime(e.source()) && inTime(e.target()); })
            .connectedNodes().difference(reach);
          reach = reach.union(next); frontier = next;
        }
        nodes = reach; edges = nodes.edgesWith(nodes).filter(edgeOn);
      }
    }
    cy.batch(function () {
      cy.elements().addClass("hidden");
      nodes.removeClass("hidden"); edges.removeClass("hidden");
    });
    var shown = nodes.union(edges);
    if (view === "local" && state.node) {
      shown.layout({ name: "concentric", fit: true, padding: 40, animate: false, minNodeSpacing: 30,
                     concentric: function (n) { return n.same(state.node) ? 10 : (state.node.edgesWith(n).length ? 5 : 1); },
                     levelWidth: function () { return 1; } }).run();
      state.node.select();
    } else {
      cy.batch(function () { nodes.forEach(function (n) { if (home[n.id()]) { n.position(home[n.id()]); } }); });
      cy.fit(shown, 40);
    }
    if (cy.zoom() > 1.5) { cy.zoom(1.5); cy.center(shown); }
    crumbs();
    var linkWord = state.links === "all" ? "all links" : (data.meta.alpha ? "backbone, α = " + data.meta.alpha : "all links");
    $("showing").textContent = "showing " + nodes.length + " node" + (nodes.length === 1 ? "" : "s") + ", " +
      edges.length + " link" + (edges.length === 1 ? "" : "s") + " (" + linkWord + ")";
    relabel();
    document.body.dataset.view = view;
  }

  // labels: the most central first, each only where it overlaps no label already drawn; constant on screen
  function relabel() {
    var z = cy.zoom();
    var vis = cy.nodes(":visible");
    if (!$("show-labels").checked) { cy.nodes().addClass("nolabel"); return 0; }
    var order = vis.sort(function (a, b) {
      return (b.hasClass("ov") - a.hasClass("ov")) || (b.selected() - a.selected()) ||
             (b.data("pagerank") || 0) - (a.data("pagerank") || 0) || (b.data("articles") || 0) - (a.data("articles") || 0);
    });
    cy.batch(function () {
      vis.style({ "font-size": FONT / z, "text-margin-y": 3 / z, "text-outline-width": 2 / z, "text-max-width": 220 / z });
      vis.removeClass("nolabel");
    });
    var ext = cy.extent();
    var pad = 2 / z;
    var placed = [];
    var culled = [];
    order.forEach(function (n) {
      var p = n.position();
      if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) { culled.push(n); return; }
      var b = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
      if (!b || !(b.w > 0)) { culled.push(n); return; }
      for (var i = 0; i < placed.length; i++) {
        var q = placed[i];
        if (b.x1 < q.x2 + pad && q.x1 < b.x2 + pad && b.y1 < q.y2 + pad && q.y1 < b.y2 + pad) { culled.push(n); return; }
      }
      placed.push(b);
    });
    cy.collection(culled).addClass("nolabel");
    return placed.length;
  }
  var relabelTimer = null;
  cy.on("viewport", function () {
    if (relabelTimer) { clearTimeout(relabelTimer); }
    relabelTimer = setTimeout(function () { relabelTimer = null; relabel(); }, 120);
  });

  function focus(n) {
    if (n.hasClass("ov")) { openCluster(n.data("cluster")); return; }
    cy.elements().unselect();
    state.node = n;
    state.article = null;
    $("article").hidden = true;
    if (n.data("cluster") !== undefined && hasClusters) { state.cluster = n.data("cluster"); }
    if (n.data("_iso")) { showDetails(n); return; }
    setView("local");
    n.select();
    showDetails(n);
  }
  function openCluster(c) {
    state.cluster = c; state.node = null; state.article = null;
    $("article").hidden = true;
    setView("cluster");
  }

  cy.on("tap", "node", function (e) { focus(e.target); });
  cy.on("tap", function (e) {
    if (e.target === cy) {
      cy.elements().removeClass("faded").unselect();
      $("details").hidden = true;
      $("hint").hidden = false;
    }
  });
  $("links").addEventListener("change", function () { state.links = $("links").value; setView(state.view); });
  slider.addEventListener("input", function () { showWeight(); setView(state.view); });
  $("depth").addEventListener("change", function () { state.depth = Number($("depth").value); setView(state.view); });
  ["from", "to"].forEach(function (k) {
    $(k).addEventListener("change", function () { state[k] = $(k).value; setView(state.view); });
  });

  // an article of the list: what it is about, drawn as the topics it shares with the graph
  var topicsOfRow = null;
  function showArticle(r, rowIndex) {
    if (!topicsOfRow) {
      topicsOfRow = {};
      var byNode = (data.articles && data.articles.by_node) || {};
      Object.keys(byNode).forEach(function (id) {
        byNode[id].forEach(function (i) { (topicsOfRow[i] = topicsOfRow[i] || []).push(id); });
      });
    }
    state.article = r;
    $("article").hidden = false;
    $("details").hidden = true;
    $("article-title").textContent = r[1] || r[0];
    $("article-meta").textContent = (r[3] ? String(r[3]).slice(0, 10) + " · " : "") + (safeUrl(r[2]) || r[0]);
    var list = $("article-topics");
    clear(list);
    var about = cy.collection();
    (topicsOfRow[rowIndex] || []).forEach(function (id) {
      var n = cy.getElementById(id);
      if (!n.length) { return; }
      about = about.union(n);
      var li = el("li"); var b = el("button", n.data("label")); b.type = "button";
      b.addEventListener("click", function () { focus(n); });
      li.appendChild(b); list.appendChild(li);
    });
    cy.nodes().removeClass("picked");
    about.addClass("picked");
    crumbs();
    $("showing").textContent = "article · " + about.length + " topic" + (about.length === 1 ? "" : "s") + " marked";
  }

  // ---- search
  var search = $("search");
  var matches = $("matches");
  var current = [];
  function runSearch() {
    var q = fold(search.value).trim();
    clear(matches);
    cy.nodes().removeClass("match");
    current = [];
    if (!q) { $("match-count").textContent = ""; return; }
    cy.nodes().forEach(function (n) {
      if (n.hasClass("ov")) { return; }
      var label = fold(n.data("label"));
      var at = label.indexOf(q);
      if (at >= 0) { current.push({ n: n, at: at, topic: n.data("kind") === "topic" ? 0 : 1 }); }
    });
    current.sort(function (a, b) {
      return a.topic - b.topic || (a.at === 0 ? 0 : 1) - (b.at === 0 ? 0 : 1) ||
             (b.n.data("articles") || 0) - (a.n.data("articles") || 0) || (a.n.data("label") < b.n.data("label") ? -1 : 1);
    });
    var found = cy.collection(current.map(function (m) { return m.n; }));
    found.addClass("match");
    $("match-count").textContent = current.length + (current.length === 1 ? " match" : " matches");
    current.slice(0, 30).forEach(function (m, i) {
      var li = el("li");
      var b = el("button", m.n.data("label"), i === 0 ? "current" : "");
      b.type = "button";
      b.addEventListener("click", function () { focus(m.n); });
      li.appendChild(b);
      matches.appendChild(li);
    });
    if (current.length > 30) { matches.appendChild(el("li", "… " + (current.length - 30) + " more")); }
  }
  search.addEventListener("input", runSearch);
  $("controls").addEventListener("submit", function (e) {
    e.preventDefault();
    if (current.length) { focus(current[0].n); }
  });

  // for scripts and tests driving the page
  window.topicgraphView = { cy: cy, focus: focus, relabel: relabel, setView: setView, openCluster: openCluster,
    showArticle: showArticle, state: state,
    search: function (q) { search.value = q; runSearch(); return current.map(function (m) { return m.n.id(); }); } };
  setView("all");
  document.body.setAttribute("data-ready", "true");
})();
