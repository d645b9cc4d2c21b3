"""Materialised statistics of a build: per-topic, per-author, per-brand and per-pair counts, monthly timelines,
and VoID-style dataset statistics, kept beside the store so corpus-wide questions answer in milliseconds.

The summary is a small SQLite file in the build folder's cache (``.cache/summary-v1.sqlite``), never in the
store: the union default graph that queries see, and the exports, hold only the base data. It is written on the
first corpus-wide question after a build or an update (:func:`ensure_summary`; ``serve`` asks at start-up), not
by the build itself, which would pay for it on every run: at 100,000 records the scan takes about as long as a
fifth of the build. It records the manifest's revision, store folder and derived graphs; :func:`open_summary`
gives ``None`` when any of them differs, so a stale summary is never used.

Each table holds the rows the matching named query gives over the whole corpus, in the query's own order
(``rank``), with the same joins: an author with two names gives two rows, a label stated in two graphs two, as
SPARQL's union default graph does. A query for one topic (or vendor) takes its rows in that order.

>>> import tempfile, topicgraph
>>> out = tempfile.mkdtemp()
>>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
>>> open_summary(out) is None  # nobody asked yet
True
>>> summary = ensure_summary(out)
>>> [(r["label"].value, r["articles"].value) for r in summary.topics_by_vendor()][:2]
[('Customer Experience', '1'), ('Patient Acquisition', '2')]
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import vocab
from ..errors import TopicgraphError
from .layout import CACHE_DIR, read_manifest

__all__ = ["SUMMARY_FILE", "Summary", "write_summary", "open_summary", "ensure_summary", "summary_key",
           "MONTH_SPARQL"]

SUMMARY_FILE = "summary-v1.sqlite"
_DATE_PUBLISHED = vocab.SCHEMA + "datePublished"
_ARTICLE = vocab.SCHEMA + "Article"
_NAME = vocab.SCHEMA + "name"
#: a date's month exactly as topic-timeline.rq computes it (oxigraph's own YEAR and MONTH: every datatype and
#: malformed date gives what the query gives, unbound included)
MONTH_SPARQL = f"""SELECT ?date ?month WHERE {{
  {{ SELECT DISTINCT ?date WHERE {{ ?article <{_DATE_PUBLISHED}> ?date }} }}
  BIND(CONCAT(STR(YEAR(?date)), "-", IF(MONTH(?date) < 10, "0", ""), STR(MONTH(?date))) AS ?month)
}}"""

#: MONTH_SPARQL over every graph (``_tsv`` runs queries without the union default graph)
MONTH_SPARQL_UNION = MONTH_SPARQL.replace(f"?article <{_DATE_PUBLISHED}> ?date",
                                          f"GRAPH ?g {{ ?article <{_DATE_PUBLISHED}> ?date }}")

_TABLES = {
    "authors_by_topic": ("topic", "label", "author", "name", "articles"),
    "brands_by_topic": ("topic", "label", "brand", "name", "articles"),
    "cooccurrence": ("topicA", "labelA", "topicB", "labelB", "articles"),
    "topics_by_vendor": ("vendor", "vendorLabel", "topic", "label", "articles"),
    "timeline": ("kind", "iri", "month", "articles"),
    "counts": ("kind", "iri", "articles"),
}
_INDEXES = {"authors_by_topic": ("topic", "author"), "brands_by_topic": ("topic", "brand"),
            "cooccurrence": ("topicA", "topicB"), "topics_by_vendor": ("vendor", "topic"),
            "timeline": ("iri",), "counts": ("iri",)}
_COUNT_COLUMNS = {"articles"}


def summary_key(manifest: dict) -> str:
    """What ties a summary to one state of the store: the revision, the live store folder, the derived graphs."""
    return json.dumps([manifest.get("revision"), manifest.get("store"), sorted(manifest.get("derived") or [])])


_LANG = re.compile(r'"@([A-Za-z0-9-]+)$')


def _lang_en(text: str) -> bool:
    """langMatches(lang(?l), "en") for a literal written as in N-Triples/Turtle."""
    m = _LANG.search(text) if text.startswith('"') else None
    return m is not None and (m.group(1).lower() == "en" or m.group(1).lower().startswith("en-"))


@lru_cache(maxsize=1_000_000)
def _str(text: str | None) -> str | None:
    """SPARQL's STR() of a term written as in N-Triples/Turtle: None for a blank node (an error) or unbound."""
    if text is None or text.startswith("_:"):
        return None
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    return _decode(text).value


def _order_key(*parts: Any) -> tuple:
    """A key that sorts as SPARQL's ORDER BY: unbound first, then by value; ``("desc", n)`` sorts downwards."""
    key: list = []
    for part in parts:
        if isinstance(part, tuple) and part[:1] == ("desc",):
            key.append((1, -part[1]))
        else:
            key.append((0,) if part is None else (1, part))
    return tuple(key)


def _tsv(ox, sparql: str) -> list[list[str]]:
    """The rows of a SELECT as the terms' N-Triples/Turtle text ('' where unbound): oxigraph writes SPARQL TSV
    far faster than Python walks its result objects, and text is quick to hash."""
    import pyoxigraph

    text = ox.query(sparql).serialize(format=pyoxigraph.QueryResultsFormat.TSV).decode("utf-8")
    return [line.split("\t") for line in text.split("\n")[1:] if line]


class _Scan:
    """One pass over the quads the statistics need (terms as text); multisets where SPARQL's union default
    graph keeps duplicates (a triple in two graphs joins twice), sets where the queries count DISTINCT."""

    def __init__(self, ox) -> None:
        def pairs(iri: str) -> list[list[str]]:
            # every graph, the default one too: the union default graph of a query holds them all
            return _tsv(ox, f"SELECT ?s ?o WHERE {{ {{ GRAPH ?g {{ ?s <{iri}> ?o }} }} UNION {{ ?s <{iri}> ?o }} }}")

        self.quads = len(ox)
        self.property_quads: Counter = Counter()
        types = pairs(vocab.RDF_TYPE)
        self.property_quads[vocab.RDF_TYPE] = len(types)
        self.classes: dict[str, set] = defaultdict(set)
        for s, o in types:
            self.classes[o].add(s)
        self.articles = self.classes.get(f"<{_ARTICLE}>", set())
        self.topics = self._sets(pairs(vocab.SCHEMA_ABOUT), vocab.SCHEMA_ABOUT)
        self.authors = self._sets(pairs(vocab.SCHEMA_AUTHOR), vocab.SCHEMA_AUTHOR)
        self.brands = self._sets(pairs(vocab.SCHEMA_PUBLISHER), vocab.SCHEMA_PUBLISHER)
        self.dates = self._sets(pairs(_DATE_PUBLISHED), _DATE_PUBLISHED)
        self.names = self._lists(pairs(_NAME), _NAME)
        labels = pairs(vocab.SKOS_PREF_LABEL)
        self.property_quads[vocab.SKOS_PREF_LABEL] = len(labels)
        self.labels: dict = defaultdict(list)
        for s, o in labels:
            if _lang_en(o):
                self.labels[s].append(o)
        self.schemes = self._lists(pairs(vocab.SKOS_IN_SCHEME), vocab.SKOS_IN_SCHEME)
        self.months = {date: month or None for date, month in _tsv(ox, MONTH_SPARQL_UNION)}
        self.graphs = sum(1 for _ in ox.named_graphs())

    def _sets(self, pairs: list, prop: str) -> dict:
        out: dict = defaultdict(set)
        for s, o in pairs:
            out[s].add(o)
        self.property_quads[prop] = len(pairs)
        return out

    def _lists(self, pairs: list, prop: str) -> dict:
        out: dict = defaultdict(list)
        for s, o in pairs:
            out[s].append(o)
        self.property_quads[prop] = len(pairs)
        return out


def _by_topic(scan: _Scan, others: dict) -> Counter:
    counts: Counter = Counter()
    for article in scan.articles:
        for topic in scan.topics.get(article, ()):
            for other in others.get(article, ()):
                counts[topic, other] += 1
    return counts


def _decorated(counts: Counter, scan: _Scan) -> list[tuple]:
    """(topic, label, other, name, n) rows, ordered as authors-by-topic.rq / brands-by-topic.rq order them."""
    rows = []
    for (topic, other), n in counts.items():
        for label in scan.labels.get(topic) or [None]:
            for name in scan.names.get(other) or [None]:
                rows.append((topic, label, other, name, n))
    rows.sort(key=lambda r: _order_key(_str(r[1]) if r[1] is not None else None, _str(r[0]), ("desc", r[4]),
                                       _str(r[3]) if r[3] is not None else None))
    return rows


def _cooccurrence(scan: _Scan) -> list[tuple]:
    counts: Counter = Counter()
    for article in scan.articles:
        topics = sorted((t for t in scan.topics.get(article, ()) if _str(t) is not None), key=_str)
        for i, a in enumerate(topics):
            for b in topics[i + 1:]:
                if _str(a) < _str(b):
                    counts[a, b] += 1
    rows = []
    for (a, b), n in counts.items():
        for la in scan.labels.get(a) or [None]:
            for lb in scan.labels.get(b) or [None]:
                rows.append((a, la, b, lb, n))
    rows.sort(key=lambda r: _order_key(("desc", r[4]), _str(r[0]), _str(r[2])))
    return rows


def _topics_by_vendor(scan: _Scan) -> list[tuple]:
    counts: Counter = Counter()
    for topics in scan.topics.values():  # every subject with schema:about, as the query counts (no type check)
        for topic in topics:
            counts[topic] += 1
    rows = []
    for topic, n in counts.items():
        for vendor in scan.schemes.get(topic, ()):
            for vlabel in scan.labels.get(vendor) or [None]:
                for label in scan.labels.get(topic) or [None]:
                    rows.append((vendor, vlabel, topic, label, n))
    rows.sort(key=lambda r: _order_key(_str(r[1]) if r[1] is not None else None, ("desc", r[4]),
                                       _str(r[3]) if r[3] is not None else None, _str(r[2])))
    return rows


def _timelines(scan: _Scan) -> tuple[list[tuple], list[tuple]]:
    """(kind, iri, month, n) rows, each resource's months oldest first (unbound first, as ORDER BY puts it),
    and (kind, iri, n): articles per topic, author and brand."""
    months: dict[str, Counter] = {"topic": Counter(), "author": Counter(), "brand": Counter()}
    totals: dict[str, Counter] = {"topic": Counter(), "author": Counter(), "brand": Counter()}
    for article in scan.articles:
        seen = {scan.months.get(d) for d in scan.dates.get(article, ())}
        for kind, by in (("topic", scan.topics), ("author", scan.authors), ("brand", scan.brands)):
            for iri in by.get(article, ()):
                totals[kind][iri] += 1
                for month in seen:
                    months[kind][iri, month] += 1
    timeline = [(kind, iri, month, n) for kind, counter in months.items() for (iri, month), n in counter.items()]
    timeline.sort(key=lambda r: (r[0], r[1], _order_key(_str(r[2]))))
    counts = [(kind, iri, n) for kind, counter in totals.items() for iri, n in counter.items()]
    return timeline, counts


def _void(scan: _Scan) -> dict:
    """VoID-style statistics of the dataset (void:triples counts quads: the same triple in two graphs twice)."""
    return {"triples": scan.quads, "graphs": scan.graphs,
            "entities": len(set().union(*scan.classes.values())) if scan.classes else 0,
            "classes": {_str(cls): len(members) for cls, members in sorted(scan.classes.items())},
            "properties": dict(sorted(scan.property_quads.items())),
            "articles": len(scan.articles)}


def _encode(value: Any) -> Any:
    """A stored cell's text: a count as an xsd:integer literal, a pyoxigraph term as N-Triples."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return f'"{value}"^^<{vocab.XSD_INTEGER}>'
    return str(value)


class _Ids(dict):
    """Term text -> a small integer: the tables hold these, so reading a row decodes no text."""

    def __missing__(self, text):
        self[text] = len(self) + 1
        return self[text]


def write_summary(folder: str | Path) -> Path:
    """Compute the summary of the build in ``folder`` and write it (a new file renamed into place)."""
    from .graphstore import GraphStore

    folder = Path(folder)
    store = GraphStore.open(folder)
    try:
        scan = _Scan(store.ox)
    finally:
        store.close()
    timeline, counts = _timelines(scan)
    tables = {"authors_by_topic": _decorated(_by_topic(scan, scan.authors), scan),
              "brands_by_topic": _decorated(_by_topic(scan, scan.brands), scan),
              "cooccurrence": _cooccurrence(scan), "topics_by_vendor": _topics_by_vendor(scan),
              "timeline": timeline, "counts": counts}
    cache = folder / CACHE_DIR
    cache.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{SUMMARY_FILE}.", suffix=".tmp", dir=cache)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        with db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            db.executemany("INSERT INTO meta VALUES (?, ?)",
                           [("key", summary_key(store.manifest)), ("void", json.dumps(_void(scan)))])
            ids = _Ids()
            for table, columns in _TABLES.items():
                db.execute(f"CREATE TABLE {table} (rank INTEGER PRIMARY KEY, {', '.join(columns)})")
                marks = ", ".join("?" * (len(columns) + 1))
                plain = columns.index("kind") if "kind" in columns else -1  # "topic", "author", "brand"
                db.executemany(f"INSERT INTO {table} VALUES ({marks})",
                               ((i, *(v if c == plain or v is None else ids[_encode(v)] for c, v in enumerate(row)))
                                for i, row in enumerate(tables[table])))
                for column in _INDEXES[table]:
                    db.execute(f"CREATE INDEX {table}_{column} ON {table} ({column}, rank)")
            db.execute("CREATE TABLE terms (id INTEGER PRIMARY KEY, text TEXT UNIQUE)")
            db.executemany("INSERT INTO terms VALUES (?, ?)", ((i, text) for text, i in ids.items()))
        db.close()
        os.replace(tmp, cache / SUMMARY_FILE)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return cache / SUMMARY_FILE


def open_summary(folder: str | Path, manifest: dict | None = None) -> "Summary | None":
    """The summary of the build in ``folder`` when it describes the store as it is now, else ``None``."""
    folder = Path(folder)
    path = folder / CACHE_DIR / SUMMARY_FILE
    try:
        manifest = manifest if manifest is not None else read_manifest(folder)
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        key = db.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
    except (sqlite3.Error, OSError, ValueError, KeyError):
        return None
    except Exception:  # noqa: BLE001 - a missing or unreadable manifest: no summary, the caller says why
        return None
    if key is None or key[0] != summary_key(manifest):
        db.close()
        return None
    return Summary(db)


def ensure_summary(folder: str | Path, manifest: dict | None = None) -> "Summary | None":
    """The up-to-date summary of the build in ``folder``, computed and written first when it is missing or stale.

    The build does not compute it: the first corpus-wide question after a build or an update pays for it once
    (``serve`` asks at start-up), and nobody pays for statistics they never ask for. ``None`` when it cannot be
    written (a read-only build folder): callers then run the plain SPARQL."""
    summary = open_summary(folder, manifest)
    if summary is not None:
        return summary
    try:
        write_summary(folder)
    except (OSError, sqlite3.Error, TopicgraphError):
        return None
    return open_summary(folder, manifest)


class _Terms(dict):
    """Term id -> pyoxigraph term, each read and decoded once."""

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__()
        self.db = db
        self.texts: dict[int, str] | None = None

    def __missing__(self, ident):
        if self.texts is None:  # one read of every text beats thousands of look-ups by id
            self.texts = dict(self.db.execute("SELECT id, text FROM terms"))
        term = self[ident] = _decode(self.texts[ident])
        return term


class Summary:
    """Read access to a fresh summary; every row is a dict of pyoxigraph terms, unbound variables left out."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._terms = _Terms(db)

    def close(self) -> None:
        self.db.close()

    def term(self, ident: int | None):
        """The pyoxigraph term of a stored term id."""
        return self._terms[ident]

    def _id(self, term) -> int:
        """The id of a term (0, which no row holds, when the summary never saw it)."""
        row = self.db.execute("SELECT id FROM terms WHERE text = ?", (_encode(term),)).fetchone()
        return row[0] if row else 0

    def _rows(self, table: str, where: dict[str, Any], *, columns: tuple[str, ...] | None = None,
              limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        columns = columns or _TABLES[table]
        sql = f"SELECT {', '.join(columns)} FROM {table}"
        args: list = []
        conds = []
        for column, value in where.items():
            if value is not None:
                conds.append(f"{column} = ?")
                args.append(value if column == "kind" else self._id(value))
        if conds:
            sql += " WHERE " + " AND ".join(conds)
        sql += " ORDER BY rank"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        get = self._terms.__getitem__
        # one dict per row, built in C; the rare row with an unbound value loses that key
        return [dict(zip(columns, map(get, row))) if None not in row
                else {c: get(v) for c, v in zip(columns, row) if v is not None}
                for row in self.db.execute(sql, args)]

    def authors_by_topic(self, topic=None, author=None, **page) -> list[dict[str, Any]]:
        return self._rows("authors_by_topic", {"topic": topic, "author": author}, **page)

    def brands_by_topic(self, topic=None, brand=None, **page) -> list[dict[str, Any]]:
        return self._rows("brands_by_topic", {"topic": topic, "brand": brand}, **page)

    def cooccurrence(self, topic=None, **page) -> list[dict[str, Any]]:
        """Every pair, or the pairs that hold ``topic`` (as topicA or topicB), most shared first."""
        if topic is None:
            return self._rows("cooccurrence", {}, **page)
        rows = self._rows("cooccurrence", {"topicA": topic}) + self._rows("cooccurrence", {"topicB": topic})
        order = {id(r): i for i, r in enumerate(rows)}
        rows.sort(key=lambda r: (-int(r["articles"].value), order[id(r)]))
        start = page.get("offset", 0)
        return rows[start:start + page["limit"]] if page.get("limit") is not None else rows[start:]

    def topics_by_vendor(self, vendor=None, topic=None) -> list[dict[str, Any]]:
        return self._rows("topics_by_vendor", {"vendor": vendor, "topic": topic})

    def timeline(self, iri, kind: str = "topic") -> list[dict[str, Any]]:
        """``month`` (unbound for dates without one) and ``articles``, oldest first."""
        return self._rows("timeline", {"kind": kind, "iri": iri}, columns=("month", "articles"))

    def count(self, iri, kind: str = "topic") -> int:
        """Articles (``schema:Article``) about the topic, by the author, or of the brand."""
        rows = self._rows("counts", {"kind": kind, "iri": iri}, columns=("articles",))
        return int(rows[0]["articles"].value) if rows else 0

    def void(self) -> dict:
        """The VoID-style statistics: triples, graphs, entities, class and property partitions."""
        return json.loads(self.db.execute("SELECT value FROM meta WHERE key = 'void'").fetchone()[0])


_SIMPLE = re.compile(r'"([^"\\\n\r]*)"(?:@([A-Za-z0-9-]+)|\^\^<([^<>"{}|^`\\\s]*)>)?')


def _decode(text: str | int):
    import pyoxigraph

    m = _SIMPLE.fullmatch(text) if isinstance(text, str) else None
    if m is not None:  # the common literals, without a parser
        value, lang, datatype = m.groups()
        if lang:
            return pyoxigraph.Literal(value, language=lang)
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype)) if datatype else \
            pyoxigraph.Literal(value)

    if isinstance(text, int):
        return pyoxigraph.Literal(str(text), datatype=pyoxigraph.NamedNode(vocab.XSD_INTEGER))
    if text.startswith("<") and text.endswith(">"):
        return pyoxigraph.NamedNode(text[1:-1])
    if text.startswith("_:"):
        return pyoxigraph.BlankNode(text[2:])
    # Turtle, not N-Triples: SPARQL TSV may write numbers and booleans bare (``5``, ``true``)
    triple = next(iter(pyoxigraph.parse(f"<x:s> <x:p> {text} .".encode(), pyoxigraph.RdfFormat.TURTLE)))
    return triple.object
