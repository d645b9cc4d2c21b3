"""Suggest cross-vendor mappings and in-scheme broader links from co-tagging (the article × topic incidence).

Two topics that curators keep putting on the same articles are evidence about the two concepts: if nearly every
article about one is about the other and the other way round, they mean the same thing (``skos:exactMatch`` or
``closeMatch``); if only one way round, one sits under the other (``broadMatch`` / ``narrowMatch`` across vendors,
``skos:broader`` inside a scheme, Sanderson & Croft's subsumption); if they meet far more often than chance, they
are related. docs/crosswalks.md gives the measures and the rule; :class:`Settings` holds the thresholds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable, Protocol, Sequence

import numpy as np

from ..taxonomy import Taxonomy
from .context import Context
from .links import TaxonomyLinks, ancestors
from .measures import (benjamini_hochberg, hypergeom_pvalues, jaccard, label_similarity, npmi,
                       wilson_interval)

__all__ = ["CoTagging", "Settings", "Suggestion", "suggest_crosswalks", "suggest_broader", "record_id",
           "pair_evidence"]

JUSTIFICATION_INSTANCES = "semapv:InstanceBasedMatching"
JUSTIFICATION_COMPOSITE = "semapv:CompositeMatching"


class CoTagging(Protocol):
    """What the suggestions read from a build: :class:`topicgraph.analysis.Incidence` has all of it."""

    articles: list[str]
    topics: list[str]
    matrix: object                        # scipy.sparse CSR, articles × topics
    topic_label: dict[str, str]
    topic_vendor: dict[str, str]
    article_identifier: dict[str, str]
    article_title: dict[str, str]

    def topic_name(self, topic: str) -> str: ...


@dataclass(frozen=True)
class Settings:
    """Thresholds of the predicate rule (docs/crosswalks.md)."""

    min_support: int = 3          # shared articles a pair needs before anything is suggested
    high: float = 0.8             # a conditional probability this high is "high" (Sanderson & Croft's 0.8)
    exact_lower: float = 0.8      # both Wilson lower bounds this high: exactMatch rather than closeMatch
    alpha: float = 0.05           # Benjamini–Hochberg false discovery rate
    related_npmi: float = 0.2     # NPMI a significant pair needs to be suggested as relatedMatch
    label_weight: float = 0.5     # how much label similarity can add to the confidence (noisy-or)
    label_floor: float = 0.5      # label similarity below this adds nothing
    broader_lower: float = 0.5    # a broader link needs P(broader | narrower)'s Wilson lower bound this high
    context_margin: float = 0.3   # ... and that bound this far above the upper bound of P(broader | context)


@dataclass
class Suggestion:
    """One suggested mapping with its evidence: ``p_os`` is P(object | subject), ``p_so`` P(subject | object)."""

    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    confidence: float
    justification: str
    articles_total: int
    subject_articles: int
    object_articles: int
    shared_articles: int
    p_os: float
    p_os_low: float
    p_os_high: float
    p_so: float
    p_so_low: float
    p_so_high: float
    jaccard: float
    npmi: float
    p_value: float
    q_value: float
    label_similarity: float
    record_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    context_articles: int | None = None      # broader links: articles about the narrower's associates, not it
    p_context: float | None = None           # P(object | those articles), with its Wilson upper bound
    p_context_high: float | None = None

    def __post_init__(self) -> None:
        if not self.record_id:
            self.record_id = record_id(self.subject, self.predicate, self.object)


def record_id(subject: str, predicate: str, obj: str) -> str:
    """A short stable id for a suggestion (the same pair and predicate always get the same id).

    >>> record_id("https://x/a", "skos:exactMatch", "https://x/b")
    'cw-9ad526e3'
    """
    return "cw-" + hashlib.sha256(f"{subject} {predicate} {obj}".encode()).hexdigest()[:8]


def _labels(taxonomy: Taxonomy | None, inc: CoTagging, topic: str) -> list[str]:
    info = taxonomy.concepts.get(topic) if taxonomy is not None else None
    if info is None:
        return [inc.topic_label.get(topic, topic.rsplit("/", 1)[-1])]
    return [v for values in (info.pref_labels, info.alt_labels) for vs in values.values() for v in vs]


def _counts(inc: CoTagging) -> tuple[np.ndarray, "object", int]:
    import scipy.sparse as sp

    x = sp.csr_matrix(inc.matrix, dtype=np.float64)
    x.data[:] = 1.0
    co = (x.T @ x).tocoo()
    n = np.asarray(x.sum(axis=0)).ravel().astype(np.int64)
    return n, co, x.shape[0]


def pair_evidence(inc: CoTagging, pairs: Sequence[tuple[int, int]], shared: np.ndarray, counts: np.ndarray,
                  total: int, *, tested: int, taxonomy: Taxonomy | None = None) -> dict[str, np.ndarray]:
    """Every measure for the (subject, object) topic-index pairs, as arrays."""
    s = np.array([p[0] for p in pairs], dtype=np.int64)
    o = np.array([p[1] for p in pairs], dtype=np.int64)
    n_s, n_o = counts[s], counts[o]
    p_os_lo, p_os_hi = wilson_interval(shared, n_s)
    p_so_lo, p_so_hi = wilson_interval(shared, n_o)
    p = hypergeom_pvalues(shared, n_s, n_o, total)
    labels = np.array([label_similarity(_labels(taxonomy, inc, inc.topics[a]), _labels(taxonomy, inc, inc.topics[b]))
                       for a, b in pairs])
    return {"n_s": n_s, "n_o": n_o, "shared": shared, "p_os": shared / np.maximum(n_s, 1), "p_os_lo": p_os_lo,
            "p_os_hi": p_os_hi, "p_so": shared / np.maximum(n_o, 1), "p_so_lo": p_so_lo, "p_so_hi": p_so_hi,
            "jaccard": jaccard(shared, n_s, n_o), "npmi": npmi(shared, n_s, n_o, total), "p": p,
            "q": benjamini_hochberg(p, tested=tested), "label": labels}


def _suggestion(inc: CoTagging, a: int, b: int, predicate: str, confidence: float, ev: dict, i: int, total: int,
                label_used: bool) -> Suggestion:
    f = lambda key: float(ev[key][i])  # noqa: E731
    return Suggestion(
        inc.topics[a], inc.topic_name(inc.topics[a]), predicate, inc.topics[b], inc.topic_name(inc.topics[b]),
        round(confidence, 4), JUSTIFICATION_COMPOSITE if label_used else JUSTIFICATION_INSTANCES, total,
        int(ev["n_s"][i]), int(ev["n_o"][i]), int(ev["shared"][i]), f("p_os"), f("p_os_lo"), f("p_os_hi"), f("p_so"),
        f("p_so_lo"), f("p_so_hi"), f("jaccard"), f("npmi"), f("p"), f("q"), f("label"))


def _vendors(inc: CoTagging, taxonomy: Taxonomy | None) -> list[str | None]:
    """Each topic's vendor; None for a topic the taxonomy lacks (a suggestion about it could not be accepted)."""
    return [inc.topic_vendor.get(t) if taxonomy is None or t in taxonomy.concepts else None for t in inc.topics]


def _ordered(found: list[Suggestion], top: int | None) -> list[Suggestion]:
    found.sort(key=lambda s: (-s.confidence, -s.shared_articles, s.subject, s.object))
    return found[:top] if top else found


def _noisy_or(conf: float, label: float, weight: float) -> float:
    return 1 - (1 - conf) * (1 - weight * label)


def suggest_crosswalks(inc: CoTagging, *, taxonomy: Taxonomy | None = None, links: TaxonomyLinks | None = None,
                       negatives: Iterable[frozenset[str]] = (), settings: Settings = Settings(),
                       top: int | None = None) -> list[Suggestion]:
    """Mappings between concepts of different vendors, strongest first. Pairs the taxonomy already maps, pairs
    in ``negatives`` (rejected before) and topics the taxonomy lacks are never suggested."""
    counts, co, total = _counts(inc)
    vendor = _vendors(inc, taxonomy)
    by_vendor: dict[str, int] = {}
    for j, v in enumerate(vendor):
        if v and counts[j] > 0:
            by_vendor[v] = by_vendor.get(v, 0) + 1
    used = sum(by_vendor.values())
    tested = (used * (used - 1) - sum(k * (k - 1) for k in by_vendor.values())) // 2
    skip = set(negatives) | (links.mapped if links is not None else set())
    pairs, shared = [], []
    for a, b, n_ab in zip(co.row.tolist(), co.col.tolist(), co.data.tolist()):
        if a >= b or n_ab < settings.min_support or not vendor[a] or not vendor[b] or vendor[a] == vendor[b]:
            continue
        s, o = (a, b) if inc.topics[a] < inc.topics[b] else (b, a)
        if frozenset((inc.topics[s], inc.topics[o])) in skip:
            continue
        pairs.append((s, o))
        shared.append(int(n_ab))
    if not pairs:
        return []
    ev = pair_evidence(inc, pairs, np.array(shared), counts, total, tested=max(tested, len(pairs)), taxonomy=taxonomy)
    st = settings
    found = []
    for i, (s, o) in enumerate(pairs):
        p_os, p_so, q = ev["p_os"][i], ev["p_so"][i], ev["q"][i]
        lo_os, lo_so, label = ev["p_os_lo"][i], ev["p_so_lo"][i], ev["label"][i]
        if q > st.alpha:
            continue  # not beyond chance, whatever the ratios say (one shared article of one is 100%)
        if p_os >= st.high and p_so >= st.high:
            conf = min(lo_os, lo_so)
            predicate = "skos:exactMatch" if conf >= st.exact_lower or conf >= 0.6 and label >= 0.5 \
                else "skos:closeMatch"
        elif p_os >= st.high or p_so >= st.high:
            # P(object | subject) high: the subject's articles are nearly all about the object, the wider topic
            predicate, conf = ("skos:broadMatch", lo_os) if p_os >= p_so else ("skos:narrowMatch", lo_so)
        elif ev["npmi"][i] >= st.related_npmi:
            predicate, conf = "skos:relatedMatch", float(ev["npmi"][i]) * (1 - q)
        else:
            continue
        used_label = label >= st.label_floor  # one shared generic word ("Management") is no evidence
        conf = _noisy_or(float(conf), float(label), st.label_weight) if used_label else float(conf)
        found.append(_suggestion(inc, s, o, predicate, conf, ev, i, total, used_label))
    return _ordered(found, top)


def suggest_broader(inc: CoTagging, *, taxonomy: Taxonomy | None = None, links: TaxonomyLinks | None = None,
                    vendor: str | None = None, negatives: Iterable[frozenset[str]] = (),
                    settings: Settings = Settings(), top: int | None = None,
                    rank_all: bool = False) -> list[Suggestion]:
    """``skos:broader`` links inside one vendor's scheme (every vendor's when ``vendor`` is None): the object
    subsumes the subject (Sanderson & Croft 1999) when the Wilson lower bound of P(object | subject) is at least
    ``settings.broader_lower``, P(subject | object) is lower and below ``settings.high``, the pair has at least
    ``min_support`` shared articles and a significant excess over chance, and the subject's area does not explain
    it (:mod:`.context`: the lower bound beats P(object | the subject's associates) by ``context_margin``, which
    is the row's confidence). Links the
    scheme has (directly or through ancestors) are left out, and so is any link that would close a cycle with the
    scheme's links or with a stronger suggestion. ``rank_all`` drops the thresholds (for the leave-one-out)."""
    counts, co, total = _counts(inc)
    vend = _vendors(inc, taxonomy)
    want = vendor.casefold() if vendor else None
    by_vendor: dict[str, int] = {}
    for j, v in enumerate(vend):
        if v and counts[j] > 0:
            by_vendor[v] = by_vendor.get(v, 0) + 1
    tested = sum(k * (k - 1) for k in by_vendor.values())  # ordered pairs inside each scheme
    broader = links.broader if links is not None else {}
    skip = set(negatives)
    pairs, shared = [], []
    for a, b, n_ab in zip(co.row.tolist(), co.col.tolist(), co.data.tolist()):
        if a == b or not vend[a] or vend[a] != vend[b] or (want and vend[a].casefold() != want):
            continue
        if n_ab < (1 if rank_all else settings.min_support):
            continue
        if frozenset((inc.topics[a], inc.topics[b])) in skip:
            continue
        pairs.append((a, b))  # a narrower, b broader
        shared.append(int(n_ab))
    if not pairs:
        return []
    ev = pair_evidence(inc, pairs, np.array(shared), counts, total, tested=max(tested, len(pairs)), taxonomy=taxonomy)
    st = settings
    found = []
    context = Context(inc, counts, total, settings) if not rank_all else None
    for i, (a, b) in enumerate(pairs):
        if rank_all:
            found.append(_suggestion(inc, a, b, "skos:broader", float(ev["p_os_lo"][i]), ev, i, total, False))
            continue
        p_os, p_so, lo = ev["p_os"][i], ev["p_so"][i], ev["p_os_lo"][i]
        if not (lo >= st.broader_lower and p_so < p_os and p_so < st.high and ev["q"][i] <= st.alpha):
            continue  # not mostly under b with confidence, or both ways high: the same topic, not a narrower one
        n_ctx, with_b = context.of(a, b)
        hi_ctx = float(wilson_interval(np.array([with_b]), np.array([n_ctx]))[1][0]) if n_ctx else 0.0
        excess = float(lo) - hi_ctx
        if excess < st.context_margin:
            continue  # b is as common on the articles of a's associates: the area a sits in explains the link
        sug = _suggestion(inc, a, b, "skos:broader", excess, ev, i, total, False)
        sug.context_articles, sug.p_context, sug.p_context_high = n_ctx, with_b / n_ctx if n_ctx else 0.0, hi_ctx
        found.append(sug)
    found = _ordered(found, None)
    if rank_all:
        return found[:top] if top else found
    kept: list[Suggestion] = []
    added: dict[str, set[str]] = {}
    for s in found:
        up = ancestors(s.subject, broader, added)
        if s.object in up or s.subject in ancestors(s.object, broader, added):
            continue  # already implied, or would make a cycle
        added.setdefault(s.subject, set()).add(s.object)
        kept.append(s)
        if top and len(kept) >= top:
            break
    return kept
