"""Co-tagging evidence for a pair of topics: conditional probabilities with Wilson bounds, Jaccard, NPMI, a
hypergeometric test with Benjamini–Hochberg control, and label similarity.

Everything is vectorised over arrays of pairs (numpy, scipy), so every cross-vendor pair of a large build is
scored at once.

>>> lo, hi = wilson_interval(np.array([9]), np.array([10]))
>>> round(float(lo[0]), 3), round(float(hi[0]), 3)
(0.596, 0.982)
>>> benjamini_hochberg(np.array([0.01, 0.04, 0.03]), tested=3).round(3).tolist()
[0.03, 0.04, 0.04]
>>> label_similarity(["Telehealth", "Virtual Care"], ["Virtual care"])
1.0
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

import numpy as np

__all__ = ["Z", "wilson_interval", "jaccard", "npmi", "hypergeom_pvalues", "benjamini_hochberg", "label_tokens",
           "label_similarity"]

#: the normal quantile of the two-sided 95% intervals
Z = 1.959963984540054


def wilson_interval(successes: np.ndarray, trials: np.ndarray, z: float = Z) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of ``successes / trials`` (0 and 1 where ``trials`` is 0)."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    safe = np.where(n > 0, n, 1.0)
    p = k / safe
    denom = 1 + z * z / safe
    centre = (p + z * z / (2 * safe)) / denom
    half = z * np.sqrt(p * (1 - p) / safe + z * z / (4 * safe * safe)) / denom
    return np.where(n > 0, np.clip(centre - half, 0, 1), 0.0), np.where(n > 0, np.clip(centre + half, 0, 1), 1.0)


def jaccard(n_ab: np.ndarray, n_a: np.ndarray, n_b: np.ndarray) -> np.ndarray:
    union = n_a + n_b - n_ab
    return np.where(union > 0, n_ab / np.where(union > 0, union, 1), 0.0)


def npmi(n_ab: np.ndarray, n_a: np.ndarray, n_b: np.ndarray, n: int) -> np.ndarray:
    """Normalised pointwise mutual information in [-1, 1]: 1 when the two always go together, 0 when independent,
    -1 when they never meet."""
    n_ab = np.asarray(n_ab, dtype=float)
    p_ab = n_ab / n
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(p_ab / ((n_a / n) * (n_b / n)))
        out = pmi / -np.log(p_ab)
    out = np.where(n_ab <= 0, -1.0, out)
    return np.where((n_ab > 0) & (p_ab >= 1), 1.0, out)


def hypergeom_pvalues(n_ab: np.ndarray, n_a: np.ndarray, n_b: np.ndarray, n: int) -> np.ndarray:
    """One-sided p-value of seeing ``n_ab`` or more shared articles if the two topics were tagged independently
    (the hypergeometric upper tail: Fisher's exact test for over-representation)."""
    from scipy.stats import hypergeom

    return np.clip(hypergeom.sf(np.asarray(n_ab) - 1, n, n_a, n_b), 0.0, 1.0)


def benjamini_hochberg(pvalues: np.ndarray, *, tested: int | None = None) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values). ``tested`` is the number of hypotheses tested when only
    some p-values are given (the others are pairs that share no article, p = 1, which rank last and change no
    q-value here but count in ``m``)."""
    p = np.asarray(pvalues, dtype=float)
    m = max(int(tested if tested is not None else p.size), p.size)
    if p.size == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, p.size + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty_like(q)
    out[order] = np.clip(q, 0, 1)
    return out


_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"and", "of", "the", "for", "in", "to", "a", "an", "on", "at", "with"})


def label_tokens(label: str) -> frozenset[str]:
    """Normalised words of a label: NFKD without accents, case-folded, stop words dropped, a final plural ``s``
    dropped (``Wearables`` ~ ``Wearable``)."""
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii").casefold()
    words = (w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in _WORD.findall(text))
    return frozenset(w for w in words if w not in _STOP)


def label_similarity(labels_a: Iterable[str], labels_b: Iterable[str]) -> float:
    """The best token Jaccard between any label of one topic (prefLabel or altLabel) and any of the other."""
    ta = [t for t in map(label_tokens, labels_a) if t]
    tb = [t for t in map(label_tokens, labels_b) if t]
    best = 0.0
    for x in ta:
        for y in tb:
            best = max(best, len(x & y) / len(x | y))
    return best
