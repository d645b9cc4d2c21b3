"""What the taxonomy already says about pairs of concepts: cross-vendor mappings, broader links, labels, and which
file defines each concept (so that an accepted broader link goes to its scheme's file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..taxonomy import Taxonomy
from ..vocab import SKOS, SKOS_IN_SCHEME

__all__ = ["MATCH_PREDICATES", "TaxonomyLinks", "taxonomy_links", "ancestors"]

#: the SKOS mapping properties, as SSSOM writes them
MATCH_PREDICATES = ("skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch")
_MATCH_IRIS = {SKOS + p.split(":")[1] for p in MATCH_PREDICATES}


@dataclass
class TaxonomyLinks:
    """Pairs the taxonomy already relates, read from its Turtle files."""

    mapped: set[frozenset[str]] = field(default_factory=set)        # concept pairs with any skos:*Match
    broader: dict[str, set[str]] = field(default_factory=dict)     # concept -> its direct broader concepts
    defined_in: dict[str, Path] = field(default_factory=dict)      # concept -> the file stating its skos:inScheme

    def is_ancestor(self, ancestor: str, concept: str, extra: dict[str, set[str]] | None = None) -> bool:
        return ancestor in ancestors(concept, self.broader, extra)


def ancestors(concept: str, broader: dict[str, set[str]], extra: dict[str, set[str]] | None = None) -> set[str]:
    """Every concept reachable from ``concept`` by skos:broader (in ``broader`` and ``extra``)."""
    seen: set[str] = set()
    todo = [concept]
    while todo:
        c = todo.pop()
        for b in broader.get(c, set()) | (extra.get(c, set()) if extra else set()):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def taxonomy_links(taxonomy: Taxonomy) -> TaxonomyLinks:
    from pyoxigraph import NamedNode, RdfFormat, parse

    links = TaxonomyLinks()
    for path in taxonomy.files:
        with open(path, "rb") as fh:
            for t in parse(fh, format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
                if not isinstance(t.object, NamedNode):
                    continue
                s, p, o = t.subject.value, t.predicate.value, t.object.value
                if p in _MATCH_IRIS:
                    links.mapped.add(frozenset((s, o)))
                elif p == SKOS + "broader":
                    links.broader.setdefault(s, set()).add(o)
                elif p == SKOS + "narrower":
                    links.broader.setdefault(o, set()).add(s)
                elif p == SKOS_IN_SCHEME:
                    links.defined_in.setdefault(s, path)
    return links
