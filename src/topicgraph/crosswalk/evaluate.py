"""How good the suggestions are: precision@K and recall@K against a generated corpus's planted pairs, and a
leave-one-out over the taxonomy's own broader links (hide a link, see whether it comes back: Hit@1, Hit@5)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

from ..taxonomy import Taxonomy
from .links import TaxonomyLinks
from .suggest import CoTagging, Settings, Suggestion, suggest_broader

__all__ = ["AtK", "planted_truth", "precision_recall", "leave_one_out", "EQUIVALENT"]

#: the predicates that count as recovering a planted cross-vendor pair (curators co-tag them as one topic)
EQUIVALENT = frozenset({"skos:exactMatch", "skos:closeMatch"})


@dataclass
class AtK:
    """Precision and recall of the top ``k`` suggestions."""

    k: int
    hits: int
    truth: int
    precision: float
    recall: float

    def to_dict(self) -> dict:
        return asdict(self)


def planted_truth(manifest: dict, taxonomy: Taxonomy, links: TaxonomyLinks | None = None
                  ) -> tuple[set[frozenset[str]], set[tuple[str, str]]]:
    """The planted cross-vendor pairs (concept IRI pairs) and narrower -> broader links of a generated corpus's
    manifest, resolved through ``taxonomy`` as the build resolves topics. Pairs the taxonomy already maps or
    links, or that name a topic the taxonomy lacks, cannot be suggested and are left out."""
    planted = manifest.get("planted") or {}

    def concept(key: str) -> str:
        vendor, _, label = key.partition(": ")
        return taxonomy.resolve(vendor, label)[0]

    mapped = links.mapped if links is not None else set()
    broader = links.broader if links is not None else {}
    cross = {frozenset((concept(a), concept(b))) for a, b in planted.get("crosswalk", [])}
    narrow = {(concept(n), concept(b)) for n, b in planted.get("broader", [])}
    known = taxonomy.concepts
    return ({p for p in cross if p not in mapped and len(p) == 2 and all(c in known for c in p)},
            {(n, b) for n, b in narrow if b not in broader.get(n, set()) and n != b and n in known and b in known})


def precision_recall(found: Sequence[Suggestion], truth: set, ks: Iterable[int], *, broader: bool = False
                     ) -> list[AtK]:
    """Precision@K and recall@K of ``found`` (in rank order): for crosswalks, of the exactMatch and closeMatch
    suggestions, a hit being a planted pair; for broader links, a hit is the planted (narrower, broader) link.
    Precision@K is hits / K even when fewer than K suggestions were made."""
    def hit(s: Suggestion) -> bool:
        if broader:
            return (s.subject, s.object) in truth
        return s.predicate in EQUIVALENT and frozenset((s.subject, s.object)) in truth

    if not broader:
        # the planted pairs are equivalences: rank the equivalence suggestions (a relatedMatch is another claim)
        found = [s for s in found if s.predicate in EQUIVALENT]
    flags = [hit(s) for s in found]
    out = []
    for k in ks:
        got = sum(flags[:k])
        out.append(AtK(k, got, len(truth), got / k if k else 0.0, got / len(truth) if truth else 0.0))
    return out


def leave_one_out(inc: CoTagging, taxonomy: Taxonomy, links: TaxonomyLinks, *, ks: Sequence[int] = (1, 5),
                  settings: Settings = Settings()) -> dict:
    """Hide each direct skos:broader link (narrower, broader) whose two concepts both have articles, rank every
    concept of the scheme as the narrower one's broader by the subsumption score (the Wilson lower bound of
    P(broader | narrower)), and report how often the hidden one is first (Hit@1) or in the top five (Hit@5).

    Ranking ignores the thresholds and the scheme's links, so hiding a link is the same as never having it."""
    used = {t for t, n in zip(inc.topics, _counts(inc)) if n > 0}
    ranked = suggest_broader(inc, taxonomy=taxonomy, settings=settings, rank_all=True)
    by_narrower: dict[str, list[str]] = {}
    for s in ranked:
        by_narrower.setdefault(s.subject, []).append(s.object)
    links_tested = [(n, b) for n, bs in sorted(links.broader.items()) for b in sorted(bs)
                    if n in used and b in used and inc.topic_vendor.get(n) == inc.topic_vendor.get(b)]
    hits = {k: 0 for k in ks}
    details = []
    for n, b in links_tested:
        order = by_narrower.get(n, [])
        rank = order.index(b) + 1 if b in order else None
        for k in ks:
            hits[k] += rank is not None and rank <= k
        details.append({"narrower": n, "broader": b, "rank": rank})
    total_links = sum(len(bs) for bs in links.broader.values())
    return {"links": total_links, "evaluable": len(links_tested),
            **{f"hit@{k}": (hits[k] / len(links_tested) if links_tested else None) for k in ks},
            **{f"hits@{k}": hits[k] for k in ks}, "details": details}


def _counts(inc: CoTagging) -> list[int]:
    import numpy as np

    return np.asarray(inc.matrix.sum(axis=0)).ravel().astype(int).tolist()
