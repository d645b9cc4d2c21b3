"""The related items of every article as a table, and its outputs: N-Triples for the store, CSV and JSON files."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import numpy as np

from ..vocab import TG_RANK, TG_RELATED_ARTICLE, TG_RELATED_TO, TG_RELATEDNESS, TG_SCORE, XSD_DECIMAL, XSD_INTEGER
from .graphs import Incidence
from .weights import RelatedWeights

__all__ = ["RelatedTable"]

#: rows of a RelatedTable turned into text at a time (N-Triples, CSV)
_CHUNK_ROWS = 20_000


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
        from ..mapping.nquads import iri, literal  # rdflib comes with topicgraph.mapping: loaded when used
        from ..mapping.nquads import decimal

        arts = self.incidence.articles
        article = lru_cache(maxsize=None)(lambda i: iri(arts[i]))  # each article's term written once
        rel, relness, rel_art = iri(TG_RELATED_TO), iri(TG_RELATEDNESS), iri(TG_RELATED_ARTICLE)
        score_p, rank_p = iri(TG_SCORE), iri(TG_RANK)
        ranks = [literal(str(r), XSD_INTEGER) for r in range(int(self.rank.max(initial=0)) + 1)]
        text: list[str] | None = None
        for (src, tgt, rank, which), scores in self._chunks():
            if text is None:
                text = [literal(decimal(x), XSD_DECIMAL) for x in scores]
            lines = []
            for s, t, r, x in zip(src, tgt, rank, which):
                a, b, node = article(s), article(t), iri(f"{arts[s]}#related-{r}")
                lines.append(f"{a} {rel} {b} .\n{a} {relness} {node} .\n{node} {rel_art} {b} .\n"
                             f"{node} {score_p} {text[x]} .\n{node} {rank_p} {ranks[r]} .\n")
            yield "".join(lines)

    def iter_records(self) -> Iterator[dict]:
        """One dict per article that has related items: its IRI, record id and the ranked list."""
        ident = self.incidence.article_identifier
        current: dict | None = None
        for a, r, b, x in self.rows():
            if current is None or current["article"] != a:
                if current is not None:
                    yield current
                current = {"article": a, "identifier": ident.get(a), "related": []}
            current["related"].append({"rank": r, "article": b, "identifier": ident.get(b), "score": x})
        if current is not None:
            yield current

    def records(self) -> list[dict]:
        """:meth:`iter_records` as a list."""
        return list(self.iter_records())

    def write_json(self, path: str | Path) -> Path:
        """``{"k", "weights", "articles": [...]}``, one article (:meth:`records`) per line."""
        from ..store import atomic_write

        def write(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(f'{{"k": {json.dumps(self.k)}, "weights": {json.dumps(asdict(self.weights))}, '
                         '"articles": [\n')
                encode, sep = json.JSONEncoder(ensure_ascii=False).encode, ""
                for record in self.iter_records():
                    fh.write(sep + encode(record))
                    sep = ",\n"
                fh.write("\n]}\n")

        atomic_write(path, write)
        return Path(path)

    def write_csv(self, path: str | Path) -> Path:
        """Columns: article, identifier, rank, related, related_identifier, score (``csv``'s excel dialect)."""
        from ..store import atomic_write

        arts, ident = self.incidence.articles, self.incidence.article_identifier
        ids = [ident.get(a, "") for a in arts]

        def write(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                out = csv.writer(fh)
                out.writerow(("article", "identifier", "rank", "related", "related_identifier", "score"))
                text: list[str] | None = None
                for (src, tgt, rank, which), scores in self._chunks():
                    if text is None:
                        text = [f"{x:.9f}" for x in scores]
                    out.writerows((arts[s], ids[s], r, arts[t], ids[t], text[x])
                                  for s, t, r, x in zip(src, tgt, rank, which))

        atomic_write(path, write)
        return Path(path)

    def write_store(self, folder: str | Path) -> tuple[str, int]:
        """Replace the ``related`` graph of the build in ``folder`` (see :func:`topicgraph.store.replace_graph`)."""
        from ..store import replace_graph

        return replace_graph(folder, "related", self.ntriples())

    def of(self, article: str) -> list[tuple[str, float]]:
        i = self.incidence.article_index[article]
        lo, hi = np.searchsorted(self.source, [i, i + 1])
        arts = self.incidence.articles
        return [(arts[t], x) for t, x in zip(self.target[lo:hi].tolist(), self.score[lo:hi].tolist())]
