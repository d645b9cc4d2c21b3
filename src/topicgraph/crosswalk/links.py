"""What the taxonomy already says about pairs of concepts: cross-vendor mappings, broader links, labels, and which
file defines each concept (so that an accepted broader link goes to its scheme's file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..taxonomy import Taxonomy
from ..vocab import SKOS, SKOS_IN_SCHEME

__all__ = ["MATCH_PREDICATES", "TaxonomyLinks", "taxonomy_links", "links_from_triples", "ancestors"]

#: the SKOS mapping properties, as SSSOM writes them
MATCH_PREDICATES = ("skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch")
_MATCH_IRIS = {SKOS + p.split(":")[1] for p in MATCH_PREDICATES}


@dataclass
class TaxonomyLinks:
    """Pairs the taxonomy already relates, read from its Turtle files."""

    mapped: set[frozenset[str]] = field(default_factory=set)        # concept pairs with any skos:*Match
    broader: dict[str, set[str]] = field(default_factory=dict)     # concept -> its direct broader concepts
    defined_in: dict[str, Path] = field(default_factory=dict)      # concept -> the file stating its skos:inScheme


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
    """The links stated in the taxonomy's Turtle files, with the file that defines each concept."""
    from pyoxigraph import RdfFormat, parse

    links = TaxonomyLinks()
    for path in taxonomy.files:
        with open(path, "rb") as fh:
            links_from_triples(parse(fh, format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri()), path, links)
    return links


def links_from_triples(triples: Iterable, path: Path | None = None, links: TaxonomyLinks | None = None
                       ) -> TaxonomyLinks:
    """Add the mappings and broader links of pyoxigraph ``triples`` (or quads) to ``links``; ``path`` is the file
    they come from (None for a store's taxonomy graph: no file to accept into)."""
    from pyoxigraph import NamedNode

    links = links if links is not None else TaxonomyLinks()
    for t in triples:
        if not isinstance(t.object, NamedNode):
            continue
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if p in _MATCH_IRIS:
            links.mapped.add(frozenset((s, o)))
        elif p == SKOS + "broader":
            links.broader.setdefault(s, set()).add(o)
        elif p == SKOS + "narrower":
            links.broader.setdefault(o, set()).add(s)
        elif p == SKOS_IN_SCHEME and path is not None:
            links.defined_in.setdefault(s, path)
    return links
