"""Related items: which articles an editor would put under "read next", with a score and the reasons for it.

The score of a candidate article *c* for an article *q* (see docs/analysis.md for the worked example)::

    score = (topics + mappings + authors + brand) × recency
    topics   = Σ over topics both are about                 topic × idf(t)
    mappings = Σ over q's topic t, c's topic u, t ≠ u,
               t skos:exactMatch|closeMatch|relatedMatch u  weight(kind) × √(idf(t) · idf(u))
    authors  = author × (number of authors they share)
    brand    = brand, when both come from the same source brand
    recency  = 2^(−|days between their dates| / half_life)  (1 when half_life is None or a date is unknown)
    idf(t)   = ln((1 + N) / (1 + n_t)) + 1                  N articles, n_t of them about t

Only articles that share a topic or a mapped topic are candidates: authors and brand add to a score, they never
make an article related on their own. Scores are rounded to 9 decimals and ties go to the smaller article IRI, so
results are the same on every run. Everything is sparse linear algebra: with ``K = D (topic·I + M) D`` (``D`` the
diagonal of √idf, ``M`` the mapping weights), the topic part of all scores is ``X K Xᵀ``, computed a block of rows at
a time, and the top k of each row is taken with ``argpartition``.

>>> import tempfile, topicgraph
>>> out = tempfile.mkdtemp()
>>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
>>> index = RelatedIndex(topicgraph.GraphStore.open(out))
>>> [(r.identifier, r.shared_topics) for r in index.related("4463")]
[('3896', ['Medigy: Patient Acquisition'])]
"""

from __future__ import annotations

import hashlib
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import scipy.sparse as sp

from ..errors import TopicgraphError
from ..parallel import default_jobs
from .graphs import MAPPING_KINDS, Incidence, as_incidence
from .related_table import RelatedTable
from .weights import DEFAULT_WEIGHTS, RelatedWeights
from .topk import BLOCK_BUDGET, csr_indptr, kth_floor, kth_largest, row_blocks, top_k_rows

if TYPE_CHECKING:  # pragma: no cover
    from ..store import GraphStore

__all__ = ["RelatedWeights", "RelatedItem", "RelatedIndex", "RelatedTable", "DEFAULT_WEIGHTS"]

_ROUND = 9
_MAX_CODED_AUTHORS = 6




@dataclass
class RelatedItem:
    """One related article, its score and why: the parts of the score and what the two articles share."""

    article: str
    rank: int
    score: float
    title: str
    identifier: str | None = None
    shared_topics: list[str] = field(default_factory=list)            # "Vendor: Label", rarest first
    mapped_topics: list[tuple[str, str, str]] = field(default_factory=list)  # (q's topic, c's topic, kind)
    shared_authors: list[str] = field(default_factory=list)
    same_brand: str | None = None
    recency: float = 1.0
    parts: dict[str, float] = field(default_factory=dict)  # topics, mappings, authors, brand (before recency)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["mapped_topics"] = [{"topic": a, "related_topic": b, "kind": k} for a, b, k in self.mapped_topics]
        return d

    def reasons(self) -> list[str]:
        """The reasons in words, strongest kind first."""
        out = [f"shares {t}" for t in self.shared_topics]
        out += [f"{a} {k} {b}" for a, b, k in self.mapped_topics]
        out += [f"same author {a}" for a in self.shared_authors]
        if self.same_brand:
            out.append(f"same brand {self.same_brand}")
        if self.recency != 1.0:
            out.append(f"recency ×{self.recency:.3f}")
        return out


class RelatedIndex:
    """The sparse matrices behind related items, built once; then :meth:`related` answers in milliseconds."""

    def __init__(self, store_or_incidence: "GraphStore | Incidence", weights: RelatedWeights = DEFAULT_WEIGHTS):
        inc = as_incidence(store_or_incidence)
        self.incidence = inc
        self.weights = weights
        self.store = None if isinstance(store_or_incidence, Incidence) else store_or_incidence
        x = inc.matrix.tocsr()
        n_articles, n_topics = x.shape
        self.idf = np.log((1.0 + n_articles) / (1.0 + inc.topic_counts)) + 1.0
        root = np.sqrt(self.idf)
        # M: mapping weights between distinct topics, symmetric (SKOS mapping properties are symmetric)
        self.mapping_kind: dict[tuple[int, int], str] = {}
        rows, cols, vals = [], [], []
        t_index = inc.topic_index
        for a, b, kind in inc.mappings:
            i, j, w = t_index[a], t_index[b], weights.mapping(kind)
            self.mapping_kind[(i, j)] = self.mapping_kind[(j, i)] = kind
            if w > 0:
                rows += [i, j]
                cols += [j, i]
                vals += [w, w]
        m = sp.csr_matrix((vals, (rows, cols)), shape=(n_topics, n_topics))
        k = sp.diags(root) @ (weights.topic * sp.identity(n_topics, format="csr") + m) @ sp.diags(root)
        k = k.tocsr()
        k.eliminate_zeros()
        self.x = x
        self.xk = (x @ k).tocsr()
        self.xt = x.T.tocsr()
        # upper bound of the non-zeros of each row of X K Xᵀ, to cut the rows into blocks of similar cost
        pattern = k.copy()
        pattern.data[:] = 1.0
        self._row_cost = np.asarray(x @ (pattern @ inc.topic_counts.astype(np.float64))).ravel() + 1.0
        # authors and brands as codes
        self.people, self.authors = inc.author_matrix
        self.authors_t = self.authors.T.tocsr()
        # most articles have one to a few authors: compare author codes (one array per author slot) instead of
        # multiplying matrices
        per_article = np.diff(self.authors.indptr)
        self.max_authors = int(per_article.max()) if len(per_article) else 0
        self.author_codes = None
        if 0 < self.max_authors <= _MAX_CODED_AUTHORS:
            codes = np.full((self.max_authors, n_articles), -1, dtype=np.int64)
            a_rows = np.repeat(np.arange(n_articles), per_article)
            offsets = np.arange(self.authors.nnz) - np.repeat(self.authors.indptr[:-1], per_article)
            codes[offsets, a_rows] = self.authors.indices
            self.author_codes = list(codes)
        brands = sorted({b for b in inc.article_brand.values() if b})
        b_index = {b: i for i, b in enumerate(brands)}
        self.brand_code = np.array([b_index.get(inc.article_brand.get(a) or "", -1) for a in inc.articles],
                                   dtype=np.int64)
        self.days = _all_days([inc.article_date.get(a) for a in inc.articles])

    # -- resolving what the user typed ---------------------------------------------------------------------------

    def resolve(self, ref: str) -> str:
        """An article IRI from an IRI, a record id, a slug or the path of the record's file.

        >>> import tempfile, topicgraph
        >>> out = tempfile.mkdtemp(); _ = topicgraph.build(["seeds"], out=out, jobs=1)
        >>> RelatedIndex(topicgraph.GraphStore.open(out)).resolve("seeds/000_e196614bccfeda88.txt")
        'https://w3id.org/topicgraph/id/article/4463'
        """
        inc = self.incidence
        if ref in inc.article_index:
            return ref
        if inc.base_iri:
            from ..iris import IriMinter

            iri = IriMinter(inc.base_iri).article(ref)
            if inc.article_identifier.get(iri) == ref:
                return iri
        hits = sorted(a for a, v in inc.article_identifier.items() if v == ref)
        if len(hits) == 1:
            return hits[0]
        if self.store is not None:
            import pyoxigraph

            sha = None
            path = Path(ref)
            if path.is_file():
                sha = hashlib.sha256(path.read_bytes()).hexdigest()
            for query, value in (("SELECT ?a ?v WHERE { ?a tg:slug ?v } ORDER BY ?a", ref),
                                 ("SELECT ?a ?v WHERE { ?a prov:wasDerivedFrom/tg:sha256 ?v } ORDER BY ?a", sha)):
                if value is None:
                    continue
                rows = [r["a"].value for r in self.store.raw_query(
                    query, substitutions={pyoxigraph.Variable("v"): pyoxigraph.Literal(value)})]
                rows = [a for a in rows if a in inc.article_index]
                if rows:
                    return rows[0]
        raise TopicgraphError(f"no article {ref!r} in the graph: give an article IRI, a record id, a slug, or the "
                              "path of a record file that was built into this graph")

    # -- scoring -------------------------------------------------------------------------------------------------

    def _scores(self, lo: int, hi: int, k: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows ``lo:hi`` of the final score matrix as CSR arrays (indptr, col, score); self and below-threshold
        entries dropped. With ``k``, candidates that cannot reach their row's top k are dropped early: authors and
        brand add at most ``bonus`` to the topic part, so an article whose topic part is more than ``bonus``
        below the k-th best topic part of its row can never overtake k others (exact; not with recency, which
        can shrink scores)."""
        w = self.weights
        s = self.xk[lo:hi] @ self.xt  # CSR without duplicates; columns need not be sorted
        n_rows = hi - lo
        lengths = np.diff(s.indptr)
        row = np.repeat(np.arange(lo, hi), lengths)
        col, data = s.indices, np.round(s.data, _ROUND, out=s.data)
        keep = col != row
        bonus = w.author * self.max_authors + w.brand
        if w.threshold > 0 and not w.half_life:
            keep &= data + bonus >= w.threshold
        if k is not None and not w.half_life and lengths.max(initial=0) > k + 1:
            # a lower bound of each row's k-th best topic part is as good for pruning as the exact value (it keeps a
            # few more candidates): a histogram of the row, self included (hence k + 1), is much cheaper to get
            floor = kth_floor(row - lo, data, n_rows, k + 1)
            if floor is None:
                indptr = csr_indptr(row[keep] - lo, n_rows)
                floor = kth_largest(indptr, data[keep], k)
                keep[keep] = data[keep] >= floor[row[keep] - lo] - bonus - 1e-6
            else:
                keep &= data >= floor[row - lo] - (bonus + 1e-6)
        row, col, data = row[keep], col[keep], data[keep]
        if w.author > 0 and self.authors.nnz:
            if self.author_codes is not None:
                shared = np.zeros(len(data))
                cq = [c[row] for c in self.author_codes]
                cc = [c[col] for c in self.author_codes]
                for a in cq:
                    for b in cc:
                        shared += (a == b) & (a >= 0)
            else:
                shared = self._shared_authors(row, col)
            data = data + w.author * shared
        if w.brand > 0:
            bq = self.brand_code[row]
            data = data + w.brand * ((bq >= 0) & (bq == self.brand_code[col]))
        if w.half_life:
            gap = np.abs(self.days[row] - self.days[col])
            data = data * np.where(np.isnan(gap), 1.0, np.exp2(-np.nan_to_num(gap) / w.half_life))
        data = np.round(data, _ROUND)
        keep = data > 0
        if w.threshold > 0:
            keep &= data >= w.threshold
        return csr_indptr(row[keep] - lo, n_rows), col[keep], data[keep]

    def _shared_authors(self, row: np.ndarray, col: np.ndarray) -> np.ndarray:
        """How many authors articles ``row[i]`` and ``col[i]`` share (general case: any number of authors)."""
        a = self.authors
        pairs = sp.csr_matrix((np.ones(len(row)), (np.arange(len(row)), row)), shape=(len(row), a.shape[0])) @ a
        other = sp.csr_matrix((np.ones(len(col)), (np.arange(len(col)), col)), shape=(len(col), a.shape[0])) @ a
        return np.asarray(pairs.multiply(other).sum(axis=1)).ravel()

    def related(self, article: str, k: int = 10) -> list[RelatedItem]:
        """The top ``k`` related articles of ``article`` (IRI, record id, slug or file path), with their reasons."""
        q = self.resolve(article)
        i = self.incidence.article_index[q]
        row, col, rank, score = top_k_rows(*self._scores(i, i + 1, k), k)
        return [self._explain(i, int(c), int(r), float(x)) for c, r, x in zip(col, rank, score)]

    def _explain(self, i: int, j: int, rank: int, score: float) -> RelatedItem:
        inc, w = self.incidence, self.weights
        a = inc.articles[j]
        tq = self.x.indices[self.x.indptr[i]:self.x.indptr[i + 1]].tolist()
        tc = self.x.indices[self.x.indptr[j]:self.x.indptr[j + 1]].tolist()
        shared = sorted(set(tq) & set(tc), key=lambda t: (-self.idf[t], inc.topics[t]))
        topic_part = sum(w.topic * self.idf[t] for t in shared)
        mapped, map_part = [], 0.0
        for t in tq:
            for u in tc:
                kind = self.mapping_kind.get((t, u))
                if kind and t != u and w.mapping(kind) > 0:
                    mapped.append((inc.topic_name(inc.topics[t]), inc.topic_name(inc.topics[u]), kind))
                    map_part += w.mapping(kind) * math.sqrt(self.idf[t] * self.idf[u])
        mapped.sort(key=lambda m: (MAPPING_KINDS.index(m[2]), m[0], m[1]))
        people = sorted(set(inc.article_authors.get(inc.articles[i], ())) & set(inc.article_authors.get(a, ())))
        brand = inc.article_brand.get(a)
        same_brand = brand if brand and brand == inc.article_brand.get(inc.articles[i]) else None
        recency = 1.0
        if w.half_life and not (math.isnan(self.days[i]) or math.isnan(self.days[j])):
            recency = float(2.0 ** (-abs(self.days[i] - self.days[j]) / w.half_life))
        parts = {"topics": round(float(topic_part), _ROUND), "mappings": round(float(map_part), _ROUND),
                 "authors": round(w.author * len(people), _ROUND),
                 "brand": round(w.brand if same_brand else 0.0, _ROUND)}
        return RelatedItem(
            article=a, rank=rank, score=score, title=inc.article_label(a), identifier=inc.article_identifier.get(a),
            shared_topics=[inc.topic_name(inc.topics[t]) for t in shared], mapped_topics=mapped,
            shared_authors=[inc.names.get(p, p) for p in people],
            same_brand=inc.names.get(same_brand, same_brand) if same_brand else None,
            recency=round(recency, _ROUND), parts=parts)

    def all(self, k: int = 10, *, jobs: int | None = None,
            progress: Callable[[int, int], None] | None = None) -> RelatedTable:
        """The top ``k`` of every article, a block of rows at a time (``jobs`` threads; scipy and numpy release
        the GIL in the heavy parts)."""
        n = len(self.incidence.articles)
        bounds = row_blocks(self._row_cost, BLOCK_BUDGET)
        jobs = default_jobs(jobs)

        def work(span):
            lo, hi = span
            row, col, rank, score = top_k_rows(*self._scores(lo, hi, k), k)
            return row + lo, col, rank, score

        parts, done = [], 0
        with ThreadPoolExecutor(jobs) as pool:
            for (lo, hi), part in zip(bounds, pool.map(work, bounds)):
                parts.append(part)
                done += hi - lo
                if progress:
                    progress(done, n)
        if parts:
            source, target, rank, score = (np.concatenate(p) for p in zip(*parts))
        else:
            source = target = rank = np.zeros(0, dtype=np.int64)
            score = np.zeros(0)
        return RelatedTable(self.incidence, source, target, rank, score, k, self.weights)


def _days(value: str | None) -> float:
    """Days since 1970-01-01 of an xsd:date or xsd:dateTime lexical form (NaN when missing or unreadable)."""
    if not value:
        return math.nan
    try:
        day = np.datetime64(value[:10], "D")
    except ValueError:
        return math.nan
    return math.nan if np.isnat(day) else float(day.astype(np.int64))


def _all_days(values: list[str | None]) -> np.ndarray:
    """:func:`_days` of each value, parsed by numpy in one call (100,000 dates: 0.26 s -> 0.03 s) unless one of
    them is unreadable, when each is parsed alone."""
    try:
        days = np.array([v[:10] if v else "NaT" for v in values], dtype="datetime64[D]")
    except ValueError:
        return np.array([_days(v) for v in values], dtype=np.float64)
    out = days.astype(np.int64).astype(np.float64)
    out[np.isnat(days)] = math.nan
    return out
