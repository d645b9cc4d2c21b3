"""An :class:`Incidence` brought up to date for a few changed articles, instead of read again from the whole store.

``topicgraph diff --base-build`` updates the cached BASE build into HEAD by re-mapping a few files; reading HEAD's
incidence afresh would then cost as much as on any build (≈ 10 s at 100,000 articles). :func:`update_incidence`
takes BASE's incidence (from its cache) and re-reads from HEAD's store only the rows of the articles a change
touched, the names of the people and brands those articles name on either side, and the concept labels and
mappings (a few hundred rows). The result equals :func:`load_incidence` on HEAD's store
(``tests/test_incidence_update.py`` checks it field by field) as long as the taxonomy is the same on both sides:
the caller rebuilds in full otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from .graphs import _ARTICLE_PROPERTIES, Incidence, _article_values, _mappings, _topic_labels

__all__ = ["update_incidence", "UPDATE_AT_MOST"]

#: above this many touched articles (or a tenth of the corpus) a fresh read is as quick: the caller reads the store
UPDATE_AT_MOST = 5_000
#: IRIs per VALUES block
_CHUNK = 500
_Q_OF_ARTICLES = "SELECT ?a ?o WHERE {{ VALUES ?a {{ {} }} ?a {} ?o }}"
_Q_NAMES_OF = """SELECT ?x ?name WHERE {{
  VALUES ?x {{ {} }} VALUES ?type {{ schema:Person schema:Organization }} ?x a ?type ; schema:name ?name }}"""


def _chunks(items: list[str]) -> Iterable[str]:
    from ..mapping.nquads import iri  # rdflib comes with topicgraph.mapping: loaded when used

    for i in range(0, len(items), _CHUNK):
        yield " ".join(iri(x) for x in items[i:i + _CHUNK])


def _rows_of(store, template: str, items: list[str], *args: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for values in _chunks(items):
        rows += store.rows(template.format(values, *args))
    return rows


def update_incidence(base: Incidence, store, articles: Iterable[str]) -> Incidence:
    """``base`` with the rows of ``articles`` (IRIs: added, removed or changed ones) read again from ``store``,
    the HEAD store they were changed in; every other row is kept as it is."""
    touched = sorted(set(articles))
    values = {p: _rows_of(store, _Q_OF_ARTICLES, touched, p) for p in (*_ARTICLE_PROPERTIES, "schema:about")}
    ident, title, brand, date, authors = _article_values(values)
    about = {(a, t) for a, t in values["schema:about"]}

    gone = set(touched)
    kept_articles = [a for a in base.articles if a not in gone]
    present = set(ident) | {a for a, _ in about}
    articles = sorted(set(kept_articles) | present)
    a_index = {a: i for i, a in enumerate(articles)}

    # the kept rows of BASE's matrix, as (article, topic) pairs, plus the touched articles' links at HEAD
    coo = base.matrix.tocoo()
    old_articles = np.array([a_index.get(a, -1) for a in base.articles], dtype=np.int64)
    if len(gone):
        old_gone = np.fromiter((a in gone for a in base.articles), dtype=bool, count=len(base.articles))
        keep = ~old_gone[coo.row]
    else:
        keep = np.ones(len(coo.row), dtype=bool)
    kept_rows, kept_cols = old_articles[coo.row[keep]], coo.col[keep]
    used = set(np.unique(kept_cols).tolist())
    topics = sorted({base.topics[j] for j in used} | {t for _, t in about})
    t_index = {t: j for j, t in enumerate(topics)}
    old_topics = np.array([t_index.get(t, -1) for t in base.topics], dtype=np.int64)
    new_pairs = sorted((a_index[a], t_index[t]) for a, t in about)
    rows = np.concatenate([kept_rows, np.fromiter((i for i, _ in new_pairs), dtype=np.int64,
                                                  count=len(new_pairs))])
    cols = np.concatenate([old_topics[kept_cols], np.fromiter((j for _, j in new_pairs), dtype=np.int64,
                                                              count=len(new_pairs))])
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(articles), len(topics)))
    matrix.sort_indices()

    label, vendor = _topic_labels(store, t_index)

    # names: those of the people and brands the touched articles name on either side, read again (a name may
    # come and go with the records that spell it); every other name is BASE's
    named = {p for a in touched for p in base.article_authors.get(a, ())}
    named |= {b for a in touched if (b := base.article_brand.get(a))}
    named |= {o for p in ("schema:author", "schema:publisher") for _, o in values[p]}
    names = {x: n for x, n in base.names.items() if x not in named}
    for x, name in _rows_of(store, _Q_NAMES_OF, sorted(named)):
        names[x] = min(name, names.get(x, name))

    def merged(old: dict, new: dict) -> dict:
        out = {a: v for a, v in old.items() if a not in gone}
        out.update(new)
        return out

    all_authors = merged(base.article_authors, {a: sorted(authors.get(a, ())) for a in present})
    all_brands = merged(base.article_brand, {a: brand.get(a) for a in present})
    all_dates = merged(base.article_date, {a: date.get(a) for a in present})
    return Incidence(
        articles=articles, topics=topics, matrix=matrix, topic_label=label, topic_vendor=vendor,
        article_title=merged(base.article_title, title),
        article_authors={a: all_authors[a] for a in articles},
        article_brand={a: all_brands[a] for a in articles}, article_date={a: all_dates[a] for a in articles},
        mappings=_mappings(store, t_index),
        article_identifier=merged(base.article_identifier, ident),
        names=names, base_iri=store.base_iri)
