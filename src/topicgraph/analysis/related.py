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
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import scipy.sparse as sp

from ..errors import TopicgraphError
from .graphs import MAPPING_KINDS, Incidence, as_incidence

if TYPE_CHECKING:  # pragma: no cover
    from ..store import GraphStore

__all__ = ["RelatedWeights", "RelatedItem", "RelatedIndex", "RelatedTable", "DEFAULT_WEIGHTS"]

#: estimated non-zeros of one block of the score matrix; bounds memory (≈ 40 bytes each) and keeps blocks fast
_BLOCK_BUDGET = 4_000_000
_ROUND = 9
_MAX_CODED_AUTHORS = 6
#: rows of a RelatedTable turned into text at a time (N-Triples, JSON, CSV)
_CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class RelatedWeights:
    """The weights of the related-items score (documented defaults; see the module docstring for the formula).

    >>> RelatedWeights.parse(["brand=0", "half_life=365"]).brand
    0.0
    """

    topic: float = 1.0            # a topic both articles are about, × its idf
    exact_match: float = 0.8      # a topic of one is skos:exactMatch a topic of the other, × √(idf·idf)
    close_match: float = 0.6      # ... skos:closeMatch ...
    related_match: float = 0.3    # ... skos:relatedMatch ...
    author: float = 0.5           # each shared author
    brand: float = 0.25           # the same source brand (publisher)
    half_life: float | None = None  # days; when set, the score halves for every half_life days between the dates
    threshold: float = 0.0        # results must score at least this much

    def mapping(self, kind: str) -> float:
        return {"exactMatch": self.exact_match, "closeMatch": self.close_match,
                "relatedMatch": self.related_match}[kind]

    @classmethod
    def parse(cls, assignments, base: "RelatedWeights | None" = None) -> "RelatedWeights":
        """``["brand=0", "half_life=365"]`` (names as in this class; ``-`` may stand for ``_``) over ``base``."""
        names = {f.name for f in fields(cls)}
        changes: dict[str, float | None] = {}
        for item in assignments:
            name, sep, value = item.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in names:
                raise TopicgraphError(f"bad weight {item!r}: write NAME=VALUE with NAME one of {', '.join(sorted(names))}")
            if name == "half_life" and value.strip().lower() in ("", "none", "off"):
                changes[name] = None
                continue
            try:
                number = float(value)
            except ValueError:
                raise TopicgraphError(f"bad weight {item!r}: {value!r} is not a number") from None
            if not math.isfinite(number) or (number < 0 and name != "threshold") or (name == "half_life" and number <= 0):
                raise TopicgraphError(f"bad weight {item!r}: use a finite number >= 0 (half_life > 0)")
            changes[name] = number
        return replace(base or cls(), **changes)


DEFAULT_WEIGHTS = RelatedWeights()


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


@dataclass
class RelatedTable:
    """The top k of every article: parallel arrays of article indices, ranks (1-based) and scores."""

    incidence: Incidence
    source: np.ndarray
    target: np.ndarray
    rank: np.ndarray
    score: np.ndarray
    k: int
    weights: RelatedWeights

    def __len__(self) -> int:
        return len(self.source)

    def rows(self):
        """``(article, rank, related, score)`` tuples, by article then rank."""
        arts = self.incidence.articles
        for s, t, r, x in zip(self.source.tolist(), self.target.tolist(), self.rank.tolist(), self.score.tolist()):
            yield arts[s], r, arts[t], x

    def _chunks(self, size: int = _CHUNK_ROWS):
        """``(source, target, rank, score index)`` lists, ``size`` rows at a time, and the distinct scores (the
        score of a row is ``scores[score index]``: tables repeat few distinct scores, each formatted once)."""
        scores, which = np.unique(self.score, return_inverse=True)
        for lo in range(0, len(self.source), size):
            hi = lo + size
            yield (self.source[lo:hi].tolist(), self.target[lo:hi].tolist(), self.rank[lo:hi].tolist(),
                   which[lo:hi].tolist()), scores.tolist()

    def ntriples(self):
        """The table as N-Triples, several thousand links per string: ``a tg:relatedTo b``, and the link's score
        and rank on a node ``<{a}#related-{rank}>``: ``a tg:relatedness node``, and the node's
        ``tg:relatedArticle``, ``tg:score`` (``xsd:decimal``) and ``tg:rank`` (``xsd:integer``). Five triples a
        link: the node's class, tg:Relatedness, is the range of tg:relatedness, so no ``rdf:type`` triple is
        written (each triple costs about 10 µs of CPU to load)."""
        from ..mapping.nquads import decimal
        from ..vocab import XSD_DECIMAL, XSD_INTEGER

        tg = "https://w3id.org/topicgraph/ns#"
        arts = self.incidence.articles
        iri = [f"<{a}>" for a in arts]
        node = [f"<{a}#related-" for a in arts]
        rel, relness, rel_art = f"<{tg}relatedTo>", f"<{tg}relatedness>", f"<{tg}relatedArticle>"
        score_p, rank_p = f"<{tg}score>", f"<{tg}rank>"
        dec_t, int_t = f'"^^<{XSD_DECIMAL}> .\n', f'"^^<{XSD_INTEGER}> .\n'
        text: list[str] | None = None
        for (src, tgt, rank, which), scores in self._chunks():
            if text is None:
                text = [decimal(x) for x in scores]
            yield "".join([
                f"{iri[s]} {rel} {iri[t]} .\n{iri[s]} {relness} {node[s]}{r}> .\n{node[s]}{r}> {rel_art} {iri[t]} .\n"
                f'{node[s]}{r}> {score_p} "{text[x]}{dec_t}{node[s]}{r}> {rank_p} "{r}{int_t}'
                for s, t, r, x in zip(src, tgt, rank, which)])

    def records(self) -> list[dict]:
        """One dict per article that has related items: its IRI, record id and the ranked list."""
        inc = self.incidence
        out: list[dict] = []
        current = None
        for a, r, b, x in self.rows():
            if current is None or current["article"] != a:
                current = {"article": a, "identifier": inc.article_identifier.get(a), "related": []}
                out.append(current)
            current["related"].append({"rank": r, "article": b, "identifier": inc.article_identifier.get(b),
                                       "score": x})
        return out

    def write_json(self, path: str | Path) -> Path:
        """``{"k", "weights", "articles": [...]}``, one article (:meth:`records`) per line, as ``json.dumps`` writes
        them; built from each article's IRI and id encoded once."""
        import json

        from ..store import atomic_write

        arts, ident = self.incidence.articles, self.incidence.article_identifier
        j_art = [json.dumps(a, ensure_ascii=False) for a in arts]
        j_id = [json.dumps(ident.get(a), ensure_ascii=False) for a in arts]

        def write(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(f'{{"k": {self.k}, "weights": {json.dumps(asdict(self.weights))}, "articles": [')
                text: list[str] | None = None
                current = -1
                for (src, tgt, rank, which), scores in self._chunks():
                    if text is None:
                        text = [repr(x) for x in scores]  # what json.dumps writes for a float
                    parts = []
                    for s, t, r, x in zip(src, tgt, rank, which):
                        item = f'{{"rank": {r}, "article": {j_art[t]}, "identifier": {j_id[t]}, "score": {text[x]}}}'
                        if s != current:
                            parts.append(f'{"" if current < 0 else "]},"}\n{{"article": {j_art[s]}, '
                                         f'"identifier": {j_id[s]}, "related": [{item}')
                            current = s
                        else:
                            parts.append(f", {item}")
                    fh.write("".join(parts))
                fh.write("\n\n]}\n" if current < 0 else "]}\n]}\n")

        atomic_write(path, write)
        return Path(path)

    def write_csv(self, path: str | Path) -> Path:
        """Columns: article, identifier, rank, related, related_identifier, score (as ``csv.writer`` writes them)."""
        from ..store import atomic_write

        arts, ident = self.incidence.articles, self.incidence.article_identifier
        c_art = [_csv_field(a) for a in arts]
        c_id = [_csv_field(ident.get(a, "")) for a in arts]

        def write(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                fh.write("article,identifier,rank,related,related_identifier,score\r\n")
                text: list[str] | None = None
                for (src, tgt, rank, which), scores in self._chunks():
                    if text is None:
                        text = [f"{x:.9f}" for x in scores]
                    fh.write("".join([f"{c_art[s]},{c_id[s]},{r},{c_art[t]},{c_id[t]},{text[x]}\r\n"
                                      for s, t, r, x in zip(src, tgt, rank, which)]))

        atomic_write(path, write)
        return Path(path)

    def write_store(self, folder: str | Path) -> tuple[str, int]:
        """Replace the ``related`` graph of the build in ``folder`` (see :mod:`topicgraph.analysis._write`)."""
        from ..store import replace_graph

        return replace_graph(folder, "related", self.ntriples())

    def of(self, article: str) -> list[tuple[str, float]]:
        i = self.incidence.article_index[article]
        lo, hi = np.searchsorted(self.source, [i, i + 1])
        arts = self.incidence.articles
        return [(arts[t], x) for t, x in zip(self.target[lo:hi].tolist(), self.score[lo:hi].tolist())]


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
        self.days = np.array([_days(inc.article_date.get(a)) for a in inc.articles], dtype=np.float64)

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
            floor = _kth_floor(row - lo, data, n_rows, k + 1)
            if floor is None:
                indptr = _indptr(row[keep] - lo, n_rows)
                floor = _kth_largest(indptr, data[keep], k)
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
        return _indptr(row[keep] - lo, n_rows), col[keep], data[keep]

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
        row, col, rank, score = _top_k_rows(*self._scores(i, i + 1, k), k)
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
        bounds = _blocks(self._row_cost, _BLOCK_BUDGET)
        jobs = jobs if jobs and jobs > 0 else min(os.cpu_count() or 1, 8)

        def work(span):
            lo, hi = span
            row, col, rank, score = _top_k_rows(*self._scores(lo, hi, k), k)
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


def _csv_field(value: str) -> str:
    """``value`` as a field of ``csv.writer`` (the excel dialect: quoted when it holds a comma, quote or line break)."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _days(value: str | None) -> float:
    """Days since 1970-01-01 of an xsd:date or xsd:dateTime lexical form (NaN when missing or unreadable)."""
    if not value:
        return math.nan
    try:
        return float(np.datetime64(value[:10], "D").astype(np.int64))
    except ValueError:
        return math.nan


def _blocks(cost: np.ndarray, budget: float) -> list[tuple[int, int]]:
    """Cut rows into contiguous blocks whose summed cost stays near ``budget`` (at least one row each)."""
    n = len(cost)
    if n == 0:
        return []
    edges = np.searchsorted(np.cumsum(cost), np.arange(budget, float(cost.sum()), budget), side="right")
    cuts = sorted({0, n, *[int(e) for e in edges if 0 < e < n]})
    return list(zip(cuts[:-1], cuts[1:]))


def _top_k(s: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` best entries of each row of ``s``: (row, col, rank from 1, score), ties to the smaller col."""
    return _top_k_rows(s.indptr, s.indices, s.data, k)


def _indptr(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """CSR row pointers of entries grouped by (sorted) ``rows``."""
    return np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n_rows))))


#: the histogram of :func:`_kth_floor`: at most this many bins per row, each at most 1/_HIST_PER_UNIT wide
_HIST_BINS = 1024
_HIST_PER_UNIT = 16


def _kth_floor(rows: np.ndarray, data: np.ndarray, n_rows: int, k: int) -> np.ndarray | None:
    """A lower bound of the k-th largest value of each row (-inf for rows of fewer than k entries), at most one bin
    width (1/16 for scores below 64) under the exact value: the lower edge of the histogram bin that holds it. One
    ``bincount`` instead of a selection. ``None`` when some value is negative (then use :func:`_kth_largest`)."""
    if len(data) == 0:
        return np.full(n_rows, -np.inf)
    top = float(data.max())
    if not math.isfinite(top) or float(data.min()) < 0:
        return None
    per_unit = min(float(_HIST_PER_UNIT), (_HIST_BINS - 1) / top) if top > 0 else 1.0
    n_bins = int(top * per_unit) + 1
    bins = (data * per_unit).astype(np.int64)  # floor, as data >= 0
    np.minimum(bins, n_bins - 1, out=bins)
    bins += rows * n_bins
    counts = np.bincount(bins, minlength=n_rows * n_bins).reshape(n_rows, n_bins)
    from_top = np.cumsum(counts[:, ::-1], axis=1)
    reached = from_top >= k
    edge = (n_bins - 1 - np.argmax(reached, axis=1)) / per_unit
    return np.where(reached[:, -1], edge, -np.inf)


def _kth_largest(indptr: np.ndarray, data: np.ndarray, k: int) -> np.ndarray:
    """The k-th largest value of each CSR row (-inf for rows of k entries or fewer), by ``np.partition`` over
    rows padded to the same width; rows go in order of length so that each chunk pads little."""
    lengths = np.diff(indptr)
    kth = np.full(len(lengths), -np.inf)
    long_rows = np.flatnonzero(lengths > k)
    long_rows = long_rows[np.argsort(lengths[long_rows], kind="stable")]
    start = 0
    while start < len(long_rows):
        stop = start + 1
        while stop < len(long_rows) and (stop - start + 1) * lengths[long_rows[stop]] <= _BLOCK_BUDGET:
            stop += 1
        rows = long_rows[start:stop]
        width = int(lengths[rows[-1]])
        sel_lengths = lengths[rows]
        sel_row = np.repeat(np.arange(len(rows)), sel_lengths)
        offsets = np.arange(int(sel_lengths.sum())) - np.repeat(np.cumsum(sel_lengths) - sel_lengths, sel_lengths)
        # negated, padded with +inf, and the k-th smallest taken: numpy's introselect slows down many times over
        # when the k-th largest sits near the end among many equal pads (rows here have few distinct scores)
        pad = np.full((len(rows), width), np.inf)
        pad[sel_row, offsets] = -data[np.repeat(indptr[rows], sel_lengths) + offsets]
        kth[rows] = -np.partition(pad, k - 1, axis=1)[:, k - 1]
        start = stop
    return kth


def _top_k_rows(indptr: np.ndarray, col: np.ndarray, data: np.ndarray,
                k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_top_k` over CSR arrays (columns within a row in any order)."""
    empty = np.zeros(0, dtype=np.int64)
    if k <= 0 or len(data) == 0:
        return empty, empty, empty, np.zeros(0)
    lengths = np.diff(indptr)
    row = np.repeat(np.arange(len(lengths)), lengths)
    col = col.astype(np.int64, copy=False)
    if lengths.max() > k:
        keep = data >= _kth_largest(indptr, data, k)[row]
        row, col, data = row[keep], col[keep], data[keep]
    order = np.lexsort((col, -data, row))
    row, col, data = row[order], col[order], data[order]
    first = np.searchsorted(row, row, side="left")
    rank = np.arange(len(row)) - first + 1
    keep = rank <= k
    return row[keep], col[keep], rank[keep], data[keep]
