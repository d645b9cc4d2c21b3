"""The workbench's pages: the query page at ``/``, a page per resource at ``/resource?iri=…`` (HTML for people,
RDF by ``Accept``), and named queries at ``/named``; rendered in a query worker from an opened store.

HTML comes from Jinja templates with autoescaping (``templates/``), so a label such as ``<script>`` stays text.
Every page carries a Content-Security-Policy: scripts only from this server's ``/assets/`` (the query page;
resource pages need none), connections only to this server and the endpoint the page was told to query.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from .. import vocab
from ..errors import TopicgraphError
from ..version import __version__
from .jobs import Reply

__all__ = ["render", "csp", "asset", "ASSETS", "endpoint_origin", "HTML"]

HTML = "text/html; charset=utf-8"
#: the files served at /assets/NAME, with their media types (nothing else under /assets/ exists)
ASSETS = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css", "chart.umd.min.js": "text/javascript",
          "workbench.js": "text/javascript", "workbench.css": "text/css", "yasgui.LICENSE": "text/plain",
          "chart.LICENSE": "text/plain", "README.md": "text/markdown"}
_RDF_FORMATS = {"ttl": "ttl", "turtle": "ttl", "nt": "nt", "ntriples": "nt", "jsonld": "jsonld", "json-ld": "jsonld"}


def asset(name: str) -> bytes:
    return resources.files(__package__).joinpath("assets", name).read_bytes()


def endpoint_origin(endpoint: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) endpoint URL, or ``None`` for anything else."""
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or not re.fullmatch(r"[A-Za-z0-9.\-:\[\]]+",
                                                                                       parts.netloc):
        return None
    return f"{parts.scheme}://{parts.netloc}"


def csp(*, scripts: bool, connect: str | None = None) -> str:
    """The policy of a workbench page: its own assets only; ``connect`` adds the origin the page may query."""
    script = "'self'" if scripts else "'none'"
    return ("default-src 'none'; " f"script-src {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self' data:; " f"connect-src 'self'{' ' + connect if connect else ''}; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader(__package__, "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["version"] = __version__
    return env


def _html(status: int, template: str, *, scripts: bool = False, connect: str | None = None, **context) -> Reply:
    context.setdefault("body_class", template.removesuffix(".html"))
    body = _env().get_template(template).render(**context).encode("utf-8")
    return Reply(status, HTML, body, (("Content-Security-Policy", csp(scripts=scripts, connect=connect)),
                                      ("Referrer-Policy", "no-referrer")))


def error_page(status: int, title: str, message: str) -> Reply:
    return _html(status, "error.html", title=title, message=message)


def render(store, route: str, params: dict[str, str], accept: str | None, *, max_rows: int | None = None) -> Reply:
    """The page ``route`` (``home``, ``resource`` or ``named``) for ``params``, from the opened ``store``;
    ``max_rows`` bounds a named query's answer as the endpoint's ``--max-rows`` bounds any other."""
    if route == "home":
        return _home(store, params.get("endpoint", ""))
    if route == "resource":
        return _resource(store, params, accept)
    if route == "named":
        return _named(store, params, accept, max_rows)
    return error_page(404, "Not found", f"There is no page {route!r}.")


# ---------------------------------------------------------------------------------------------------- query page
def _home(store, endpoint: str) -> Reply:
    from ..queries import list_queries
    from ..queries.terms import predeclared
    from ..store import ensure_summary
    from .resource import named_values

    endpoint = endpoint.strip()
    origin = endpoint_origin(endpoint) if endpoint else None
    if endpoint and origin is None:
        return error_page(400, "Bad endpoint", f"{endpoint[:200]!r} is not an http(s) address of a SPARQL endpoint; "
                                               "give one such as http://localhost:7878/query, or leave it empty.")
    queries = list_queries()
    values = named_values(store)
    data = {"endpoint": endpoint or None, "prefixes": predeclared(store.base_iri),
            "queries": [{"name": q.name, "title": q.title, "description": q.description, "sparql": q.sparql,
                         "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                                         "description": p.description, "default": p.default,
                                         "choices": values.get(p.name, [])} for p in q.parameters]}
                        for q in queries]}
    summary = ensure_summary(store.folder, store.manifest)
    if summary is not None:
        void = summary.void()
        summary.close()
        stats = (f"{void['articles']:,} articles, {void['triples']:,} triples in {void['graphs']:,} graphs; "
                 "corpus-wide counts from the build's summary")
    else:
        stats = f"{len(store):,} triples; no up-to-date summary (corpus-wide queries run in full)"
    sample = values["topic"][0]["value"] if values["topic"] else vocab.SKOS_CONCEPT
    return _html(200, "home.html", scripts=True, connect=origin, title="SPARQL workbench", data=data,
                 queries=queries, endpoint=endpoint, stats=stats, sample_iri=sample)


# ------------------------------------------------------------------------------------------------ named queries
def _named(store, params: dict[str, str], accept: str | None, max_rows: int | None = None) -> Reply:
    """``/named?name=NAME&PARAM=VALUE…``: the named query's rows (the summary's when fresh), or with
    ``format=sparql`` its text with the parameters bound (for running it on another endpoint)."""
    from ..queries import ResultTooLarge, get_query, run_named, serialize
    from ..queries.formats import BINDINGS_FORMATS, media_type, negotiate
    from ..queries.syntax import insert_values

    name = params.pop("name", "")
    fmt = params.pop("format", None)
    try:
        query = get_query(name)
        given = {k: v for k, v in params.items() if v != ""}
        if fmt == "sparql":
            bindings = query.bindings(given, base_iri=store.base_iri)
            text = insert_values(query.sparql, {k: str(v) for k, v in bindings.items()}) if bindings else query.sparql
            return Reply(200, "application/sparql-query; charset=utf-8", text.encode("utf-8"))
        result = run_named(store, name, given, max_rows=max_rows)
    except ResultTooLarge as exc:
        return _plain(413, f"Result too large: {exc} (this endpoint's limit).")
    except TopicgraphError as exc:  # a missing or bad parameter among them
        return _plain(400, f"Bad request: {exc}")
    if fmt not in BINDINGS_FORMATS:
        fmt = negotiate(accept, "bindings") or "json"
    return Reply(200, media_type("bindings", fmt), serialize(result, fmt))


def _plain(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


# --------------------------------------------------------------------------------------------- resource pages
def wants_html(accept: str | None) -> bool:
    """True unless ``Accept`` prefers an RDF type to HTML (a browser, or no header, gets the page)."""
    if not accept:
        return True
    best_html, best_rdf = -1.0, -1.0
    for part in accept.split(",")[:50]:
        media, _, rest = part.strip().partition(";")
        q = 1.0
        for param in rest.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.strip().lower()
        if media in ("text/html", "application/xhtml+xml", "*/*", "text/*"):
            best_html = max(best_html, q - (0.001 if "*" in media else 0))
        elif media in ("text/turtle", "application/n-triples", "application/ld+json", "application/x-turtle",
                       "text/plain", "application/rdf+xml"):
            best_rdf = max(best_rdf, q)
    return best_html >= best_rdf


def _resource(store, params: dict[str, str], accept: str | None) -> Reply:
    from ..queries import serialize
    from ..queries.formats import media_type, negotiate
    from .resource import MAX_PAGE, cbd, describe

    iri = params.get("iri", "").strip()
    if not iri:
        return error_page(400, "Which resource?", "Give the resource's IRI: /resource?iri=IRI.")
    try:
        import pyoxigraph

        pyoxigraph.NamedNode(iri)
    except ValueError:
        return error_page(400, "Not an IRI", f"{iri[:300]!r} is not an absolute IRI; give one such as "
                                             f"{vocab.TAX}medigy/telehealth.")
    try:
        page = int(params.get("page") or 1)
    except ValueError:
        page = 0
    if not 1 <= page <= MAX_PAGE:
        return error_page(400, "Bad page number", f"page must be a whole number from 1 to {MAX_PAGE:,}.")
    fmt = _RDF_FORMATS.get((params.get("format") or "").lower())
    if fmt is None and params.get("format"):
        return error_page(400, "Unknown format", "format may be ttl, nt or jsonld (or leave it out for HTML).")
    if fmt is None and not wants_html(accept):
        fmt = negotiate(accept, "graph")
        if fmt not in ("ttl", "nt", "jsonld"):
            fmt = "ttl"
    res = describe(store, iri, page)
    if res is None:
        if fmt:
            return _plain(404, f"Not found: this graph says nothing about <{iri[:300]}>.")
        return error_page(404, "Not found", f"This graph says nothing about {iri[:300]}.")
    if fmt:
        reply = Reply(200, media_type("graph", fmt), serialize(cbd(store, iri), fmt))
        return Reply(reply.status, reply.content_type, reply.body, (("Content-Security-Policy", csp(scripts=False)),))
    if res.kind == "article":
        urls = [v for name, vs in res.facts if name == "schema:url" for v in vs]
        links = [{"href": v["iri"], "text": v["iri"]} for v in urls
                 if v.get("iri", "").startswith(("http://", "https://"))]
        if links:
            res.facts.insert(0, ("link", links))
    return _html(200, "resource.html", title=res.title, r=res, chart=_chart(res.timeline))


def _chart(timeline: list[tuple[str, int]]) -> dict | None:
    """An SVG bar chart of a monthly timeline, drawn on the server so it needs no script."""
    if not timeline:
        return None
    height, width = 120, max(240, min(960, 12 * len(timeline)))
    top = max(n for _, n in timeline)
    step = width / len(timeline)
    bars = [{"x": round(i * step, 1), "w": max(1.0, round(step * 0.8, 1)), "h": round(height * n / top, 1),
             "y": round(height - height * n / top, 1), "month": month, "n": n} for i, (month, n) in enumerate(timeline)]
    every = max(1, len(timeline) // 8)
    ticks = [{"x": bars[i]["x"], "text": timeline[i][0]} for i in range(0, len(timeline), every)]
    return {"width": width, "height": height, "bars": bars, "ticks": ticks, "max": top}

