/* The query page: YASGUI's editor (Yasqe) and result views (Yasr), the named queries as one-click examples with
   their parameters as form fields, downloads, a chart view (Chart.js) and links from every IRI to its page. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tg-data").textContent);
  var own = new URL("/sparql", location.href).href;
  var target = data.endpoint || own;
  var current = null;        // the named query shown, while its text is unchanged
  var lastUrl = null;        // where the last results came from, for the downloads
  var Yasqe = window.Yasgui.Yasqe, Yasr = window.Yasgui.Yasr;

  function prologue() {
    return Object.keys(data.prefixes).map(function (p) {
      return "PREFIX " + p + ": <" + data.prefixes[p] + ">";
    }).join("\n");
  }

  // -------------------------------------------------------------------------------- the chart, as a Yasr plugin
  function columns(json) {
    var vars = (json && json.head && json.head.vars) || [], rows = (json && json.results && json.results.bindings) || [];
    var label = null, number = null, time = null;
    vars.forEach(function (v) {
      var cells = rows.map(function (r) { return r[v]; }).filter(Boolean);
      if (!cells.length) return;
      var numeric = cells.every(function (c) { return c.type === "literal" && c.value !== "" && isFinite(Number(c.value)); });
      var monthly = cells.every(function (c) { return /^-?\d{4}-\d{2}(-\d{2})?/.test(c.value); });
      if (numeric && number === null) number = v;
      else if (monthly && time === null) time = v;
      else if (!numeric && label === null && /label|name|headline|month/i.test(v)) label = v;
    });
    if (label === null) vars.forEach(function (v) { if (label === null && v !== number && v !== time) label = v; });
    return { label: time || label, number: number, time: time !== null, rows: rows };
  }

  function ChartPlugin(yasr) { this.yasr = yasr; this.label = "Chart"; this.priority = 1; this.chart = null; }
  ChartPlugin.prototype.canHandleResults = function () {
    var r = this.yasr.results, json = r && r.getAsJson && r.getAsJson();
    var c = columns(json);
    return !!(c.number && c.label && c.rows.length);
  };
  ChartPlugin.prototype.getIcon = function () {
    var s = document.createElement("span"); s.textContent = "▮▮"; return s;
  };
  ChartPlugin.prototype.destroy = function () { if (this.chart) { this.chart.destroy(); this.chart = null; } };
  ChartPlugin.prototype.draw = function () {
    var c = columns(this.yasr.results.getAsJson()), self = this;
    var box = document.createElement("div");
    var controls = document.createElement("div"); controls.className = "chart-controls";
    var kind = c.time ? "line" : "bar";
    ["bar", "line"].forEach(function (k) {
      var b = document.createElement("button"); b.type = "button"; b.textContent = k; b.dataset.kind = k;
      b.addEventListener("click", function () { kind = k; paint(); });
      controls.appendChild(b);
    });
    var holder = document.createElement("div"); holder.className = "chart-box";
    var canvas = document.createElement("canvas"); canvas.id = "tg-chart"; holder.appendChild(canvas);
    box.appendChild(controls); box.appendChild(holder);
    this.yasr.resultsEl.appendChild(box);
    var rows = c.rows.slice(0, c.time ? 5000 : 60);
    function text(cell) { return cell ? cell.value : "(none)"; }
    function paint() {
      self.destroy();
      self.chart = new window.Chart(canvas, {
        type: kind,
        data: { labels: rows.map(function (r) { return text(r[c.label]); }),
                datasets: [{ label: c.number, data: rows.map(function (r) { return r[c.number] ? Number(r[c.number].value) : 0; }),
                             backgroundColor: "#3a78c2", borderColor: "#1f3a5f" }] },
        options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } } }
      });
      canvas.dataset.kind = kind;
    }
    paint();
  };
  Yasr.registerPlugin("chart", ChartPlugin);

  // ---------------------------------------------------------------------------------------- editor and results
  var yasqe = new Yasqe(document.getElementById("yasqe"), {
    persistenceId: null, showQueryButton: false, createShareableLink: null, autocompleters: ["variables"],
    requestConfig: { endpoint: target, method: "POST" }, value: prologue() + "\n\nSELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
  });
  var yasr = new Yasr(document.getElementById("yasr"), {
    persistenceId: null, prefixes: data.prefixes,
    pluginOrder: ["table", "chart", "response"], defaultPlugin: "table"
  });
  yasr.on("drawn", function () {   // every IRI shown links to its page on this server
    yasr.resultsEl.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^https?:\/\//.test(href) && href.indexOf(location.origin + "/") !== 0) {
        a.setAttribute("href", "/resource?iri=" + encodeURIComponent(href));
        a.removeAttribute("target");
      }
    });
  });
  yasqe.on("change", function () {
    if (current && yasqe.getValue() !== current.text) { current = null; }
  });

  function status(text) { document.getElementById("status").textContent = text; }

  function downloads(url) {
    lastUrl = url;
    var box = document.getElementById("downloads");
    if (!url) { box.hidden = true; return; }
    ["csv", "tsv", "json"].forEach(function (f) {
      var u = new URL(url.href); u.searchParams.set("format", f);
      document.getElementById("dl-" + f).setAttribute("href", u.href);
    });
    box.hidden = false;
  }

  function show(response, started, url) {
    return response.text().then(function (body) {
      var ms = Date.now() - started;
      if (!response.ok) { status("Error " + response.status + ": " + body.slice(0, 500)); downloads(null); yasr.setResponse({ error: { status: response.status, text: body } }, ms); return; }
      yasr.setResponse({ data: body, contentType: response.headers.get("content-type"), status: response.status, executionTime: ms }, ms);
      var json = null; try { json = JSON.parse(body); } catch (e) { /* not JSON */ }
      var n = json && json.results ? json.results.bindings.length : null;
      status((n === null ? "Done" : n + " row" + (n === 1 ? "" : "s")) + " in " + ms + " ms");
      document.body.dataset.rows = n === null ? "" : String(n);
      downloads(url);
    });
  }

  function params() {
    var out = {};
    document.querySelectorAll("#params [name]").forEach(function (el) { if (el.value !== "") out[el.name] = el.value; });
    return out;
  }

  function run() {
    var started = Date.now();
    status("Running…");
    document.body.dataset.rows = "";
    var accept = "application/sparql-results+json,application/ld+json;q=0.9,text/turtle;q=0.8";
    if (current && !data.endpoint) {            // a named query here: the build's summary answers it
      var u = new URL("/named", location.href); u.searchParams.set("name", current.name);
      var p = params(); Object.keys(p).forEach(function (k) { u.searchParams.set(k, p[k]); });
      return fetch(u.href, { headers: { Accept: "application/sparql-results+json" } })
        .then(function (r) { return show(r, started, u); }).catch(function (e) { status(String(e)); });
    }
    var text = yasqe.getValue();
    var ask = current ? bound(current.name) : Promise.resolve(text);
    return ask.then(function (query) {
      var u = new URL(target); u.searchParams.set("query", query);
      var body = new URLSearchParams(); body.set("query", query);
      return fetch(target, { method: "POST", body: body, headers: { Accept: accept } })
        .then(function (r) { return show(r, started, target === own ? u : null); });
    }).catch(function (e) { status(String(e)); });
  }

  function bound(name) {     // the named query's text with its parameters bound, for another endpoint
    var u = new URL("/named", location.href); u.searchParams.set("name", name); u.searchParams.set("format", "sparql");
    var p = params(); Object.keys(p).forEach(function (k) { u.searchParams.set(k, p[k]); });
    return fetch(u.href).then(function (r) {
      return r.text().then(function (t) { if (!r.ok) throw new Error(t); return prologue() + "\n" + t; });
    });
  }

  function choose(q, button) {
    document.querySelectorAll("button.example").forEach(function (b) { b.classList.toggle("active", b === button); });
    var form = document.getElementById("params");
    form.textContent = "";
    q.parameters.forEach(function (p) {
      var label = document.createElement("label");
      label.textContent = p.name + (p.required ? " (required)" : "") + " ";
      var field;
      if (p.choices.length) {
        field = document.createElement("select");
        if (!p.required) { var none = document.createElement("option"); none.value = ""; none.textContent = "(every " + p.name + ")"; field.appendChild(none); }
        p.choices.forEach(function (c) {
          var o = document.createElement("option"); o.value = c.value; o.textContent = c.label ? c.label + " — " + c.value : c.value;
          field.appendChild(o);
        });
      } else {
        field = document.createElement("input"); field.type = "text"; field.placeholder = p.default || "";
      }
      field.name = p.name; field.title = p.description;
      label.appendChild(field);
      form.appendChild(label);
    });
    form.hidden = q.parameters.length === 0;
    yasqe.setValue(q.sparql);
    current = { name: q.name, text: yasqe.getValue() };
    document.body.dataset.query = q.name;
  }

  data.queries.forEach(function (q) {
    var b = document.querySelector('button.example[data-name="' + CSS.escape(q.name) + '"]');
    if (b) b.addEventListener("click", function () { choose(q, b); });
  });
  document.getElementById("run").addEventListener("click", run);
  document.body.dataset.ready = "true";
})();
