"""How common a candidate broader topic is in the area a narrower topic sits in, so that a broader link is only
suggested when the narrower topic itself, not its area, explains it.

Curators tag articles by area: a popular topic of an area ends up on most of that area's articles, so it is also
on most articles of every small topic of the area, and Sanderson & Croft's P(b | a) >= 0.8 holds for many such
pairs by chance alone (with 15 articles, a true rate of 0.65 reaches 0.8 often enough among hundreds of pairs).
That is the area's structure, not evidence that *a* sits under *b*. The test: take *a*'s associates (topics
co-tagged with *a* with NPMI >= ``Settings.related_npmi`` on at least ``min_support`` articles, other than *b*
and *b*'s own equivalents), and the articles about any of them but not about *a*. If *b* is about as common on
those articles as on *a*'s, the area explains the link; a link is suggested only when the Wilson lower bound of
P(b | a) exceeds the upper bound of P(b | context) by ``Settings.context_margin``. With no associates there is no
area to explain the link, and the hypergeometric test alone decides.
"""

from __future__ import annotations

import numpy as np

from .measures import npmi

__all__ = ["Context"]


class Context:
    """The articles about a topic's associates, for one build's incidence (columns computed on first use)."""

    def __init__(self, inc, counts: np.ndarray, total: int, settings) -> None:
        import scipy.sparse as sp

        x = sp.csc_matrix(inc.matrix, dtype=np.float64)
        x.data[:] = 1.0
        self.x, self.counts, self.total, self.settings = x, counts, total, settings
        self._co: dict[int, np.ndarray] = {}

    def _column(self, j: int) -> np.ndarray:
        return self.x[:, j].toarray().ravel() > 0

    def _cooccurrence(self, j: int) -> np.ndarray:
        if j not in self._co:
            self._co[j] = np.asarray((self.x.T @ self.x[:, j]).todense()).ravel()
        return self._co[j]

    def associates(self, a: int) -> np.ndarray:
        """Topics co-tagged with ``a`` well beyond chance (NPMI and support thresholds of the settings)."""
        co = self._cooccurrence(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = npmi(co, self.counts[a], self.counts, self.total)
        keep = (co >= self.settings.min_support) & (score >= self.settings.related_npmi)
        keep[a] = False
        return np.flatnonzero(keep)

    def equivalents(self, b: int) -> set[int]:
        """Topics that mean ``b`` by co-tagging (both conditional probabilities high): they are ``b``, not context."""
        co = self._cooccurrence(b)
        high = self.settings.high
        with np.errstate(divide="ignore", invalid="ignore"):
            both = (co / np.maximum(self.counts, 1) >= high) & (co / max(self.counts[b], 1) >= high)
        return set(np.flatnonzero(both).tolist()) | {b}

    def of(self, a: int, b: int) -> tuple[int, int]:
        """(articles about a's associates but not about a, those of them about b)."""
        drop = self.equivalents(b)
        cols = [c for c in self.associates(a).tolist() if c not in drop]
        if not cols:
            return 0, 0
        ctx = (np.asarray(self.x[:, cols].sum(axis=1)).ravel() > 0) & ~self._column(a)
        return int(ctx.sum()), int((ctx & self._column(b)).sum())
