"""The article × topic incidence matrix read from the store, and the networkx graphs built from it.

Everything the analyses need is read with a handful of SPARQL SELECTs (serialised as CSV by pyoxigraph, which is
much faster than touching every term from Python), so 100,000 articles load in seconds. Node and edge attributes
are scalars (``str``/``int``/``float``) and never ``None``, so every graph can be written as GraphML or GEXF.

>>> import tempfile, topicgraph
>>> out = tempfile.mkdtemp()
>>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
>>> inc = load_incidence(topicgraph.GraphStore.open(out))
>>> inc.matrix.shape == (len(inc.articles), len(inc.topics))
True
>>> g = topic_graph(inc)
>>> g.nodes["https://w3id.org/topicgraph/taxonomy/medigy/patient-acquisition"]["articles"]
2
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ..errors import TopicgraphError
from ..parallel import WorkerPool
from ..store import CACHE_DIR, atomic_write
from ..store import read_rows as _read_rows

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..store import GraphStore

__all__ = ["Incidence", "load_incidence", "topic_graph", "bipartite_graph", "article_graph", "WEIGHTS",
           "MAPPING_KINDS", "as_incidence"]

#: Edge weights of :func:`topic_graph`.
WEIGHTS = ("count", "jaccard", "pmi")
#: The SKOS mapping properties that relate topics across vendors, strongest first (all three are symmetric).
MAPPING_KINDS = ("exactMatch", "closeMatch", "relatedMatch")

# One predicate at a time and no join on rdf:type: pyoxigraph spends its time decoding terms, so every extra
# pattern or row costs (100,000 articles: about 1 s per 100,000 rows on a warm cache, a join several times that).
_Q_ARTICLE = "SELECT ?a ?o WHERE {{ ?a {} ?o }}"
_ARTICLE_PROPERTIES = ("schema:identifier", "schema:headline", "schema:author", "schema:publisher",
                       "schema:datePublished")
# Properties whose values are few IRIs shared by many articles (topics, brands) are read one value at a time: the
# distinct values first (DISTINCT works on the store's term ids and decodes only what it returns), then the articles
# of each value, so each row decodes one term instead of two (schema:about at 100,000 records: 4.9 s -> 1.9 s).
# (A FILTER(isIRI(?o)) would decode every row: the values come as TSV, where IRIs are written <...>.)
_Q_VALUES = "SELECT DISTINCT ?o WHERE {{ ?a {} ?o }}"
_Q_OF_VALUE = "SELECT ?a WHERE {{ ?a {} <{}> }}"
_BY_VALUE = ("schema:about", "schema:publisher")
_Q_CONCEPT = """SELECT ?t ?label ?vendor WHERE {
  ?t a skos:Concept .
  OPTIONAL { ?t skos:prefLabel ?label FILTER(lang(?label) = "en" || lang(?label) = "") }
  OPTIONAL { ?t skos:inScheme ?s . ?s skos:prefLabel ?vendor FILTER(lang(?vendor) = "en" || lang(?vendor) = "") } }"""
_Q_NAMES = """SELECT ?x ?name WHERE {
  VALUES ?type { schema:Person schema:Organization } ?x a ?type ; schema:name ?name }"""
_Q_MAPPINGS = """SELECT ?a ?p ?b WHERE {
  VALUES ?p { skos:exactMatch skos:closeMatch skos:relatedMatch } ?a ?p ?b }"""


def _select_by_value(store: "GraphStore", prop: str) -> list[list[str]]:
    """The rows of ``SELECT ?a ?o WHERE { ?a prop ?o }`` (in another order), read one value at a time when every
    value is an IRI (else all at once)."""
    from pyoxigraph import QueryResultsFormat

    data = store.raw_query(_Q_VALUES.format(prop)).serialize(format=QueryResultsFormat.TSV).decode("utf-8")
    values = data.split("\n")[1:]
    if values and not values[-1]:
        values.pop()
    if not all(v.startswith("<") and v.endswith(">") for v in values):
        return store.rows(_Q_ARTICLE.format(prop))
    rows: list[list[str]] = []
    for value in values:
        rows += [[a, value[1:-1]] for (a,) in store.rows(_Q_OF_VALUE.format(prop, value[1:-1]))]
    return rows


@dataclass
class Incidence:
    """Articles × topics as a CSR matrix (1.0 where the article is ``schema:about`` the topic) plus what the
    analyses say about each row and column. ``topics`` are the concepts at least one article is about."""

    articles: list[str]
    topics: list[str]
    matrix: sp.csr_matrix
    topic_label: dict[str, str] = field(default_factory=dict)      # concept -> skos:prefLabel
    topic_vendor: dict[str, str] = field(default_factory=dict)     # concept -> its scheme's prefLabel
    article_title: dict[str, str] = field(default_factory=dict)    # article -> schema:headline
    article_authors: dict[str, list[str]] = field(default_factory=dict)  # article -> person IRIs (sorted)
    article_brand: dict[str, str | None] = field(default_factory=dict)   # article -> organisation IRI
    article_date: dict[str, str | None] = field(default_factory=dict)    # article -> datePublished (lexical)
    mappings: list[tuple[str, str, str]] = field(default_factory=list)  # (a, b, kind), a < b, one per pair
    article_identifier: dict[str, str] = field(default_factory=dict)  # article -> schema:identifier (record id)
    names: dict[str, str] = field(default_factory=dict)               # person / brand IRI -> schema:name
    base_iri: str | None = None

    @cached_property
    def article_index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.articles)}

    @cached_property
    def topic_index(self) -> dict[str, int]:
        return {t: j for j, t in enumerate(self.topics)}

    @cached_property
    def author_matrix(self) -> tuple[list[str], sp.csr_matrix]:
        """The people who wrote articles (sorted IRIs) and articles × people as a CSR matrix (1.0 per authorship)."""
        people = sorted({p for ps in self.article_authors.values() for p in ps})
        p_index = {p: i for i, p in enumerate(people)}
        rows, cols = [], []
        for i, a in enumerate(self.articles):
            for p in self.article_authors.get(a, ()):
                rows.append(i)
                cols.append(p_index[p])
        return people, sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(self.articles), len(people)))

    @cached_property
    def topic_counts(self) -> np.ndarray:
        """How many articles are about each topic (column sums)."""
        return np.asarray(self.matrix.sum(axis=0)).ravel().astype(np.int64)

    def topic_name(self, topic: str) -> str:
        """``"Vendor: Label"`` as curators write it in ``communityTopics`` (the IRI when nothing is known)."""
        label = self.topic_label.get(topic) or topic.rstrip("/").rsplit("/", 1)[-1]
        vendor = self.topic_vendor.get(topic)
        return f"{vendor}: {label}" if vendor else label

    def article_label(self, article: str) -> str:
        return self.article_title.get(article) or self.article_identifier.get(article) or article


#: the format of the cached inputs (in the build folder's ``CACHE_DIR``; build and update empty it)
_CACHE_FORMAT = 1


def load_incidence(store: "GraphStore", *, cache: bool = True) -> Incidence:
    """Read articles, topics, their links, authors, brands, dates and cross-vendor mappings from ``store``.

    Reading them takes 6-10 s on 100,000 articles (pyoxigraph decodes every term from disk; two processes share
    the work above ``SPLIT_READ_ABOVE`` articles), so the result is kept in ``BUILD/.cache/incidence-*.npz``, named
    after the revision that ``build`` and ``build --update`` write into the manifest, and read back in a fraction
    of a second by the next ``related``, ``clusters``, ``stats`` or ``export`` on the same build. ``cache=False``
    reads the store.
    Derived graphs (related items, clusters, suggestions) never change what is read here.
    """
    path = _cache_path(store) if cache else None
    if path is not None:
        cached = _read_cached(path)
        if cached is not None:
            return cached
    inc = _read_incidence(store)
    if path is not None:
        _write_cached(path, inc)
    return inc


def _cache_path(store) -> Path | None:
    manifest = getattr(store, "manifest", None) or {}
    folder = getattr(store, "folder", None)
    if folder is None or not manifest.get("revision"):
        return None
    # the revision alone: derived graphs may move the build to a new store folder, but never change what is read
    return Path(folder) / CACHE_DIR / f"incidence-v{_CACHE_FORMAT}-{manifest['revision']}.npz"


def _read_cached(path: Path) -> Incidence | None:
    try:
        with np.load(path, allow_pickle=False) as npz:
            matrix = sp.csr_matrix((npz["data"], npz["indices"], npz["indptr"]), shape=tuple(npz["shape"]))
            meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError):
        return None  # missing or damaged: read the store again
    meta["mappings"] = [tuple(m) for m in meta["mappings"]]
    return Incidence(matrix=matrix, **meta)


def _write_cached(path: Path, inc: Incidence) -> None:
    meta = {f.name: getattr(inc, f.name) for f in fields(inc) if f.name != "matrix"}
    blob = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    m = inc.matrix

    def write(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            np.savez(fh, data=m.data, indices=m.indices, indptr=m.indptr, shape=np.array(m.shape), meta=blob)

    try:
        path.parent.mkdir(exist_ok=True)
        for old in path.parent.glob("incidence-*.npz"):
            old.unlink(missing_ok=True)
        atomic_write(path, write)
    except OSError:
        pass  # a read-only build folder: every run reads the store, which is only slower


#: stores of at least this many articles are read by two processes: pyoxigraph holds the GIL while it decodes terms,
#: so a second process is the only way to use a second core (100,000 articles: ≈ 10 s of reading in ≈ 6 s)
SPLIT_READ_ABOVE = 20_000
#: what the worker process reads (about half the work): SELECTs by name
_HELPER_QUERIES = ("schema:headline", "schema:author", "schema:datePublished", "names")


def _query_of(name: str) -> str:
    return _Q_NAMES if name == "names" else _Q_ARTICLE.format(name)


class _Helper:
    """Some of the SELECTs run in a worker process (:class:`~topicgraph.parallel.WorkerPool`) on the same store,
    opened read-only, while this one runs the rest; :meth:`rows` gives its answers or, should the worker fail
    (a warning says how), runs the SELECTs here."""

    def __init__(self, store: "GraphStore", names: tuple[str, ...]):
        self.store, self.names, self.pool, self.future = store, names, None, None
        store_dir = Path(store.folder) / store.manifest["store"]
        try:
            self.pool = WorkerPool(1)
            self.future = self.pool.submit(_read_rows, str(store_dir), [(n, _query_of(n)) for n in names])
        except (OSError, ValueError) as exc:
            _read_here(exc)
            self.stop()

    def rows(self) -> dict[str, list[list[str]]]:
        if self.future is not None:
            try:
                answer = self.future.result()
                if set(answer) == set(self.names):
                    return answer
                _read_here(f"it answered {sorted(answer)}")
            except Exception as exc:  # noqa: BLE001 - anything wrong with the worker: read here instead
                _read_here(exc)
            finally:
                self.stop(wait=True)
        return {n: self.store.rows(_query_of(n)) for n in self.names}

    def stop(self, wait: bool = False) -> None:
        if self.pool is not None:
            self.pool.close(wait=wait)
            self.pool = None


def _read_here(why: BaseException | str) -> None:
    """Say why the worker gave no answer (its error surfaced, never swallowed); the caller then reads here."""
    what = f"{type(why).__name__}: {why}" if isinstance(why, BaseException) else why
    warnings.warn(f"reading the store in a second process failed ({what}); reading it in this one",
                  RuntimeWarning, stacklevel=3)


def _read_incidence(store: "GraphStore") -> Incidence:
    manifest = getattr(store, "manifest", None) or {}
    helper = None
    if (manifest.get("counts") or {}).get("articles", 0) >= SPLIT_READ_ABOVE and getattr(store, "folder", None):
        helper = _Helper(store, _HELPER_QUERIES)
    try:
        about = _select_by_value(store, "schema:about")
        values: dict[str, list[list[str]]] = {
            p: _select_by_value(store, p) if p in _BY_VALUE else store.rows(_Q_ARTICLE.format(p))
            for p in _ARTICLE_PROPERTIES if helper is None or p not in _HELPER_QUERIES}
    except BaseException:
        if helper is not None:
            helper.stop()
        raise
    name_rows = None
    if helper is not None:
        answer = helper.rows()
        name_rows = answer.pop("names")
        values.update(answer)
    ident, title, brand, date, authors = _article_values(values)
    # every article has a schema:identifier (docs/data-model.md); articles about something are counted anyway
    articles_set = set(ident)
    articles_set.update(a for a, _ in about)
    articles = sorted(articles_set)
    topics = sorted({t for _, t in about})
    a_index = {a: i for i, a in enumerate(articles)}
    t_index = {t: j for j, t in enumerate(topics)}
    pairs = {(a_index[a], t_index[t]) for a, t in about}
    rows = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((j for _, j in pairs), dtype=np.int64, count=len(pairs))
    matrix = sp.csr_matrix((np.ones(len(pairs)), (rows, cols)), shape=(len(articles), len(topics)))
    matrix.sort_indices()

    label, vendor = _topic_labels(store, t_index)
    mappings = _mappings(store, t_index)

    names: dict[str, str] = {}
    for x, name in store.rows(_Q_NAMES) if name_rows is None else name_rows:
        names[x] = min(name, names.get(x, name))

    return Incidence(
        articles=articles, topics=topics, matrix=matrix, topic_label=label, topic_vendor=vendor,
        article_title=title, article_authors={a: sorted(authors.get(a, ())) for a in articles},
        article_brand={a: brand.get(a) for a in articles}, article_date={a: date.get(a) for a in articles},
        mappings=mappings, article_identifier=ident, names=names, base_iri=store.base_iri)


def _article_values(values: dict[str, list[list[str]]]) -> tuple[dict, dict, dict, dict, dict[str, set[str]]]:
    """Identifier, headline, publisher and date of each article (several values, which is rare and a validation
    warning: the smallest, so every run picks the same one), and the set of its authors, from the rows of
    :data:`_ARTICLE_PROPERTIES`."""
    authors: dict[str, set[str]] = {}
    for a, p in values["schema:author"]:
        authors.setdefault(a, set()).add(p)
    return (_smallest(values["schema:identifier"]), _smallest(values["schema:headline"]),
            _smallest(values["schema:publisher"]), _smallest(values["schema:datePublished"]), authors)


def _topic_labels(store: "GraphStore", topics: dict[str, int]) -> tuple[dict[str, str], dict[str, str]]:
    """The prefLabel and the scheme's prefLabel of each of ``topics`` (the smallest where there are several)."""
    label: dict[str, str] = {}
    vendor: dict[str, str] = {}
    for t, lab, ven in store.rows(_Q_CONCEPT):
        if t not in topics:
            continue
        if lab:
            label[t] = min(lab, label.get(t, lab))
        if ven:
            vendor[t] = min(ven, vendor.get(t, ven))
    return label, vendor


def _mappings(store: "GraphStore", topics: dict[str, int]) -> list[tuple[str, str, str]]:
    """The SKOS mappings between two of ``topics``: ``(a, b, kind)`` with a < b, the strongest kind per pair."""
    strength = {k: i for i, k in enumerate(MAPPING_KINDS)}
    best: dict[tuple[str, str], str] = {}
    for a, p, b in store.rows(_Q_MAPPINGS):
        if a == b or a not in topics or b not in topics:
            continue
        kind = p.rsplit("#", 1)[-1]
        pair = (a, b) if a < b else (b, a)
        if pair not in best or strength[kind] < strength[best[pair]]:
            best[pair] = kind
    return sorted((a, b, k) for (a, b), k in best.items())


def _smallest(rows: list[list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for a, o in rows:
        if a not in out or o < out[a]:
            out[a] = o
    return out


def as_incidence(store_or_incidence: "GraphStore | Incidence") -> Incidence:
    """Accept either a store (loaded now) or an :class:`Incidence` already loaded."""
    if isinstance(store_or_incidence, Incidence):
        return store_or_incidence
    return load_incidence(store_or_incidence)


def _topic_attrs(inc: Incidence, j: int, t: str) -> dict:
    attrs = {"label": inc.topic_name(t), "kind": "topic", "prefLabel": inc.topic_label.get(t, inc.topic_name(t)),
             "vendor": inc.topic_vendor.get(t, ""), "articles": int(inc.topic_counts[j])}
    return attrs


def _article_attrs(inc: Incidence, a: str) -> dict:
    attrs = {"label": inc.article_label(a), "kind": "article"}
    for key, value in (("identifier", inc.article_identifier.get(a)), ("date", inc.article_date.get(a)),
                       ("brand", inc.names.get(inc.article_brand.get(a) or "", inc.article_brand.get(a)))):
        if value:
            attrs[key] = value
    return attrs


def cooccurrence(inc: Incidence, *, weight: str = "count") -> tuple[sp.coo_matrix, np.ndarray]:
    """The upper triangle (i < j) of the topic co-occurrence matrix weighted by ``weight``, and the raw counts.

    ``count`` is the number of articles about both topics; ``jaccard`` is count / (n_i + n_j - count);
    ``pmi`` is ln(count · N / (n_i · n_j)) with N the number of articles (negative when two topics meet less
    often than chance would have them).
    """
    if weight not in WEIGHTS:
        raise TopicgraphError(f"unknown weight {weight!r}: choose from {', '.join(WEIGHTS)}")
    x = inc.matrix
    counts = sp.triu((x.T @ x).tocsr(), k=1).tocoo()
    n = inc.topic_counts.astype(np.float64)
    c = counts.data
    if weight == "count":
        w = c
    elif weight == "jaccard":
        w = c / (n[counts.row] + n[counts.col] - c)
    else:
        w = np.log(c * max(len(inc.articles), 1) / (n[counts.row] * n[counts.col]))
    return sp.coo_matrix((w, (counts.row, counts.col)), shape=counts.shape), c


def topic_graph(store_or_incidence: "GraphStore | Incidence", *, weight: str = "count") -> "nx.Graph":
    """Topics as nodes (``label`` "Vendor: Label", ``kind="topic"``, ``vendor``, ``articles``), linked when an
    article is about both; each edge has ``weight`` (count, Jaccard or PMI), ``count`` and ``kind="co-occurrence"``.
    """
    import networkx as nx

    inc = as_incidence(store_or_incidence)
    w, c = cooccurrence(inc, weight=weight)
    g = nx.Graph(weight=weight)
    g.add_nodes_from((t, _topic_attrs(inc, j, t)) for j, t in enumerate(inc.topics))
    topics = inc.topics
    g.add_edges_from(
        (topics[i], topics[j], {"weight": float(x), "count": int(k), "kind": "co-occurrence"})
        for i, j, x, k in zip(w.row.tolist(), w.col.tolist(), w.data.tolist(), c.tolist()))
    return g


def bipartite_graph(store_or_incidence: "GraphStore | Incidence") -> "nx.Graph":
    """Articles and topics as nodes (``kind`` "article" or "topic", ``bipartite`` 0 or 1), one ``kind="about"``
    edge of weight 1 for each ``schema:about``."""
    import networkx as nx

    inc = as_incidence(store_or_incidence)
    g = nx.Graph()
    g.add_nodes_from((a, {**_article_attrs(inc, a), "bipartite": 0}) for a in inc.articles)
    g.add_nodes_from((t, {**_topic_attrs(inc, j, t), "bipartite": 1}) for j, t in enumerate(inc.topics))
    coo = inc.matrix.tocoo()
    arts, tops = inc.articles, inc.topics
    g.add_edges_from((arts[i], tops[j], {"kind": "about", "weight": 1})
                     for i, j in zip(coo.row.tolist(), coo.col.tolist()))
    return g


def article_graph(store_or_incidence: "GraphStore | Incidence", *, min_shared: int = 1) -> "nx.Graph":
    """Articles linked when they share at least ``min_shared`` topics (``weight`` = how many they share,
    ``kind="shared-topics"``). Dense on large corpora with popular topics: raise ``min_shared`` there."""
    import networkx as nx

    inc = as_incidence(store_or_incidence)
    x = inc.matrix
    shared = sp.triu((x @ x.T).tocsr(), k=1).tocoo()
    keep = shared.data >= max(min_shared, 1)
    g = nx.Graph()
    g.add_nodes_from((a, _article_attrs(inc, a)) for a in inc.articles)
    arts = inc.articles
    g.add_edges_from((arts[i], arts[j], {"weight": int(k), "kind": "shared-topics"})
                     for i, j, k in zip(shared.row[keep].tolist(), shared.col[keep].tolist(),
                                        shared.data[keep].tolist()))
    return g
