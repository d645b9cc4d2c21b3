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
        "background-color": "data(_color)", "width": "data(_size)", "height": "data(_size)",
        "border-width": 1, "border-color": "#555", "label": "data(_label)", "font-size": 12,
        "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 260,
        "color": "#222", "text-outline-color": "#fff", "text-outline-width": 2, "min-zoomed-font-size": 6 } },
      { selector: "edge", style: {
        "width": "data(_width)", "line-color": "#9aa5b1", "opacity": 0.55, "curve-style": "haystack" } },
      { selector: "node.match", style: { "border-width": 3, "border-color": "#d62728" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#111", "z-index": 10 } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: "edge.near", style: { "line-color": "#555", "opacity": 0.9 } },
      { selector: ".nolabel", style: { "label": "" } }
    ]
  });

  if (cy.zoom() > 1.5) { cy.zoom(1.5); cy.center(); }  // a graph of a few nodes should not fill the screen

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
  cy.nodes().forEach(function (n) { n.data("_label", n.data("label")); });
  applyColors(colorBy.value);

  $("show-labels").addEventListener("change", function (e) {
    if (e.target.checked) { cy.elements().removeClass("nolabel"); } else { cy.nodes().addClass("nolabel"); }
  });
  $("fit").addEventListener("click", function () { cy.animate({ fit: { eles: cy.elements(), padding: 40 } }, { duration: 300 }); });
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
      return { rows: rows.map(function (i) { return a.table[i]; }), total: (a.total && a.total[n.id()]) || rows.length };
    }
    // a graph without the article index: list the article nodes linked to this one
    var arts = n.neighborhood("node").filter(function (m) { return m.data("kind") === "article"; });
    return { rows: arts.map(function (m) { return [m.id(), m.data("label"), m.data("url") || "", m.data("date") || ""]; }),
             total: arts.length };
  }

  function showDetails(n) {
    var d = n.data();
    $("details").hidden = false;
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
    found.rows.forEach(function (r) {
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
      list.appendChild(li);
    });
    $("articles-more").textContent = found.total > found.rows.length ?
      "… and " + (found.total - found.rows.length) + " more (" + found.total + " in all)" : "";
  }

  function focus(n) {
    cy.elements().unselect();
    n.select();
    cy.elements().removeClass("faded");
    cy.elements().not(n.closedNeighborhood()).addClass("faded");
    cy.animate({ center: { eles: n }, zoom: Math.min(Math.max(cy.zoom(), 0.8), 1.5) }, { duration: 300 });
    showDetails(n);
  }

  cy.on("tap", "node", function (e) { focus(e.target); });
  cy.on("tap", function (e) {
    if (e.target === cy) {
      cy.elements().removeClass("faded").unselect();
      $("details").hidden = true;
      $("hint").hidden = false;
    }
  });

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
  window.topicgraphView = { cy: cy, focus: focus, search: function (q) { search.value = q; runSearch(); return current.map(function (m) { return m.n.id(); }); } };
  document.body.setAttribute("data-ready", "true");
})();
